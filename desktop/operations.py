"""Work off the UI thread: run a function on the thread pool, get its result by signal.

A view calls ``run_operation(parent, work, on_done)`` for short work, or
``run_task(parent, title, work, on_done)`` for long work with a progress dialog and
Cancel: ``work`` then receives a ``models.progress.Progress`` to report through.
In both, ``work`` runs on a worker thread (it may use the database: each call
opens its own session), and ``on_done`` / ``on_error`` run back on the UI thread. User errors arrive
as ``UserError``; anything else goes to the crash handler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from models.errors import UserError
from models.progress import Cancelled, Progress


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


# Relays have no Qt parent: a job may outlive the widget that started it (a closed dialog, a
# test's window), and a relay deleted under a running job would crash its emit. They are kept
# here until their job reports, then deleted; the answer is dropped if the widget has gone.
_running: set[QObject] = set()
_log = logging.getLogger(__name__)


def _alive(widget: QObject) -> bool:
    return shiboken6.isValid(widget)


# Lives as long as the application: run_task's own bookkeeping must run even when the widget
# that started the task has gone.
_keeper = QObject()


def wait_for_background_work(msecs: int = 10_000) -> bool:
    """Let running jobs finish (at exit, so no worker outlives the interpreter)."""
    return QThreadPool.globalInstance().waitForDone(msecs)


def run_operation(
    parent: QObject,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[UserError], None] | None = None,
) -> None:
    relay = _Relay()
    _running.add(relay)

    def finished(result: Any) -> None:
        _running.discard(relay)
        relay.deleteLater()
        if _alive(parent):
            on_done(result)

    def failed(err: BaseException) -> None:
        _running.discard(relay)
        relay.deleteLater()
        if not _alive(parent):  # whoever asked has gone (a closed window and its database)
            _log.info("background work for a closed widget failed: %r", err)
            return
        if isinstance(err, UserError) and on_error is not None:
            on_error(err)
            return
        raise err  # a fault, or an error nobody handles: the crash handler reports it

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
    relay = _ProgressRelay()
    _running.add(relay)
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
        if progress.cancelled or not _alive(dialog):
            return
        if isinstance(total, int) and total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
        if message:
            dialog.setLabelText(message)

    relay.moved.connect(moved)

    def close() -> None:
        _running.discard(relay)
        relay.deleteLater()
        if _alive(dialog):  # gone already when its parent was closed
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
        if isinstance(result, _Failure) and not isinstance(result.error, UserError):
            raise result.error  # a fault, not the user's: the crash handler reports it
        if not _alive(parent):
            return
        if result is _CANCELLED:
            if on_cancelled is not None:
                on_cancelled()
        elif isinstance(result, _Failure):
            if on_error is not None:
                on_error(result.error)
        else:
            on_done(result)

    task = Task(progress, dialog)
    run_operation(_keeper, work_or_cancel, finished)
    return task


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_CANCELLED = object()
