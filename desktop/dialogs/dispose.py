"""Recording a disposal: when, how, and what it brought in."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.queries.choices import DISPOSAL_CHOICES


class DisposeDialog(QDialog):
    """``chosen`` carries (disposed_on, method, proceeds text, note); the caller saves it."""

    chosen = Signal(object, object, str, str)

    def __init__(self, tag: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Dispose of {tag}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{tag} stays in the register as disposed, with its history; depreciation stops "
            "and the gain or loss is proceeds minus book value on the disposal date."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.disposed_on = QDateEdit(QDate.currentDate())
        self.disposed_on.setCalendarPopup(True)
        self.method = QComboBox()
        for choice in DISPOSAL_CHOICES:
            self.method.addItem(choice.label, choice.key)
        self.proceeds = QLineEdit("$0.00")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Buyer, board approval, auction lot…")
        form.addRow("Disposed on", self.disposed_on)
        form.addRow("Method", self.method)
        form.addRow("Proceeds (sale price)", self.proceeds)
        form.addRow("Note", self.note)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = box.addButton("Dispose", QDialogButtonBox.ButtonRole.AcceptRole)
        box.accepted.connect(self._accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _accept(self) -> None:
        day = self.disposed_on.date()
        self.chosen.emit(
            date(day.year(), day.month(), day.day()), self.method.currentData(),
            self.proceeds.text(), self.note.text().strip(),
        )
