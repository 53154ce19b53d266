"""Work off the UI thread: run a function on the thread pool, get its result by signal.

A view calls ``run_operation(parent, work, on_done)`` for short work, or
``run_task(parent, title, work, on_done)`` for long work with a progress dialog and
Cancel: ``work`` then receives a ``models.progress.Progress`` to report through.
In both, ``work`` runs on a worker thread (it may use the database: each call
opens its own session), and ``on_done`` / ``on_error`` run back on the UI thread. User errors arrive
as ``UserError``; anything else goes to the crash handler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from models.progress import Cancelled, Progress

from models.errors import UserError


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as err:  # handed to the UI thread, never lost
            self.relay.failed.emit(err)
        else:
            self.relay.done.emit(result)


_running: set[_Relay] = set()


def run_operation(
    parent: QObject,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[UserError], None] | None = None,
) -> None:
    relay = _Relay(parent)
    _running.add(relay)

    def finished(result: Any) -> None:
        _running.discard(relay)
        relay.deleteLater()
        on_done(result)

    def failed(err: BaseException) -> None:
        _running.discard(relay)
        relay.deleteLater()
        if isinstance(err, UserError) and on_error is not None:
            on_error(err)
        else:
            raise err

    relay.done.connect(finished)
    relay.failed.connect(failed)
    QThreadPool.globalInstance().start(_Job(work, relay))



class _ProgressRelay(QObject):
    moved = Signal(int, object, str)


class Task:
    """A running ``run_task``: its Progress (``cancel()`` stops it) and its dialog."""

    def __init__(self, progress: Progress, dialog: QProgressDialog) -> None:
        self.progress = progress
        self.dialog = dialog
        self.finished = False

    def cancel(self) -> None:
        self.progress.cancel()


def run_task(
    parent: QWidget,
    title: str,
    work: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[UserError], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    *,
    show_after_ms: int = 300,
) -> Task:
    """Run ``work(progress)`` off the UI thread behind a window-modal progress dialog with
    Cancel (shown only when the work takes longer than ``show_after_ms``). The window keeps
    repainting. A cancelled task calls ``on_cancelled`` instead of ``on_done``."""
    relay = _ProgressRelay(parent)
    progress = Progress(lambda done, total, message: relay.moved.emit(done, total, message))
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(show_after_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(380)
    dialog.canceled.connect(progress.cancel)
    dialog.canceled.connect(lambda: dialog.setLabelText("Cancelling…"))
    dialog.setValue(0)

    def moved(done: int, total: object, message: str) -> None:
        if progress.cancelled:
            return
        if isinstance(total, int) and total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
        if message:
            dialog.setLabelText(message)

    relay.moved.connect(moved)

    def close() -> None:
        relay.deleteLater()
        dialog.canceled.disconnect(progress.cancel)
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()

    def work_or_cancel() -> Any:
        try:
            return work(progress)
        except Cancelled:
            return _CANCELLED
        except BaseException as err:  # the dialog must close whatever happened
            return _Failure(err)

    def finished(result: Any) -> None:
        task.finished = True
        close()
        if result is _CANCELLED:
            if on_cancelled is not None:
                on_cancelled()
        elif isinstance(result, _Failure):
            if isinstance(result.error, UserError) and on_error is not None:
                on_error(result.error)
            else:
                raise result.error
        else:
            on_done(result)

    task = Task(progress, dialog)
    run_operation(parent, work_or_cancel, finished)
    return task


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_CANCELLED = object()
