"""Questions and notices the shell asks the user, through one object tests can replace.

Every prompt is non-blocking (``open()`` + a callback), so no flow is stuck in a nested
event loop and a test answers by swapping in a ``Prompts`` that calls back at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


class Prompts:
    def confirm(self, parent: QWidget, title: str, text: str, on_yes: Callable[[], None],
                *, yes: str = "OK", on_no: Callable[[], None] | None = None) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def done(_result: int) -> None:
            if box.clickedButton() is accept:
                on_yes()
            elif on_no is not None:
                on_no()
            box.deleteLater()

        box.finished.connect(done)
        box.open()

    def inform(self, parent: QWidget, title: str, text: str, *, error: bool = False) -> None:
        icon = QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        box.finished.connect(lambda _r: box.deleteLater())
        box.open()


class RecordingPrompts(Prompts):
    """For tests: answers every question with ``answer`` and keeps what was asked."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str]] = []
        self.told: list[tuple[str, str]] = []

    def confirm(self, parent, title, text, on_yes, *, yes="OK", on_no=None) -> None:  # noqa: ANN001
        self.asked.append((title, text))
        if self.answer:
            on_yes()
        elif on_no is not None:
            on_no()

    def inform(self, parent, title, text, *, error=False) -> None:  # noqa: ANN001
        self.told.append((title, text))
