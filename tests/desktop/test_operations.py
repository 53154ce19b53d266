"""Long work off the UI thread: progress, cancel, errors."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QPushButton, QWidget

from desktop.operations import run_task
from models.errors import ValidationError
from models.progress import Progress


def test_a_task_reports_its_result_and_closes_its_dialog(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[int] = []

    def work(progress: Progress) -> int:
        for i in range(5):
            progress.step(i + 1, 5, f"Row {i + 1}")
        return 42

    task = run_task(parent, "Counting", work, results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    assert task.finished


def test_cancel_stops_the_work_and_calls_on_cancelled(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    outcome: list[str] = []

    def work(progress: Progress) -> str:
        started.set()
        for _ in range(1000):  # ten seconds at most, unless cancelled
            progress.step(1, None, "Waiting")
            threading.Event().wait(0.01)
        return "ran out"

    task = run_task(parent, "Waiting", work, lambda r: outcome.append("done"),
                    on_cancelled=lambda: outcome.append("cancelled"))
    assert started.wait(5)
    task.dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=5000)


def test_a_user_error_reaches_on_error(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    errors: list[str] = []

    def work(progress: Progress) -> None:
        raise ValidationError("cost", "Cost cannot be negative.")

    run_task(parent, "Saving", work, lambda r: None, on_error=lambda e: errors.append(str(e)))
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert "negative" in errors[0]


def test_a_widget_closed_while_its_work_runs_is_not_called_back(qtbot) -> None:
    parent = QWidget()
    release = threading.Event()
    called: list[object] = []

    def work(progress: Progress) -> int:
        release.wait(5)
        progress.step(1, 1, "Done")
        return 1

    task = run_task(parent, "Working", work, called.append)
    parent.deleteLater()  # the window closes with its dialog while the work still runs
    qtbot.wait(50)
    release.set()
    qtbot.waitUntil(lambda: task.finished, timeout=5000)
    assert called == []
