"""Work off the UI thread: run a function on the thread pool, get its result by signal.

A view calls ``run_operation(parent, work, on_done)``; ``work`` runs on a
worker thread (it may use the database: each call opens its own session),
and ``on_done`` / ``on_error`` run back on the UI thread. User errors arrive
as ``UserError``; anything else goes to the crash handler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

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
