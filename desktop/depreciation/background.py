"""Short background reads for the Depreciation view (loading a year, a drill-down, a schedule).

One relay object lives as long as the view and carries every result back to
the UI thread, so no per-call QObject is created on one thread and destroyed on
another while a worker still holds it. Long work that changes data (the close)
goes through ``desktop.operations.run_task`` instead, with progress and cancel.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from models.errors import UserError


class _Relay(QObject):
    # One tuple (call number, result or error, failed): a single object argument, as PySide
    # passes it between threads without miscounting references.
    finished = Signal(object)


class _Call(QRunnable):
    def __init__(self, number: int, work: Callable[[], Any], emit: Callable[[object], None]) -> None:
        super().__init__()
        self.number, self.work, self.emit = number, work, emit

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as err:  # handed to the UI thread, never lost
            outcome = (self.number, err, True)
        else:
            outcome = (self.number, result, False)
        try:
            self.emit(outcome)
        except RuntimeError:  # the view was closed and deleted meanwhile: nobody to tell
            pass
        self.work = self.emit = None


class Background:
    """``run(work, on_done, on_error)``: ``work`` on the thread pool, the callbacks on the UI thread."""

    def __init__(self, parent: QObject) -> None:
        self.relay = _Relay(parent)
        self.relay.finished.connect(self._finished)
        self.pending: dict[int, tuple[Callable[[Any], None], Callable[[UserError], None] | None]] = {}
        self.numbers = itertools.count(1)

    def run(self, work: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[UserError], None] | None = None) -> None:
        number = next(self.numbers)
        self.pending[number] = (on_done, on_error)
        QThreadPool.globalInstance().start(_Call(number, work, self.relay.finished.emit))

    @property
    def busy(self) -> bool:
        return bool(self.pending)

    def _finished(self, outcome: tuple) -> None:
        number, value, failed = outcome
        on_done, on_error = self.pending.pop(number)
        if not failed:
            on_done(value)
            return
        if isinstance(value, UserError) and on_error is not None:
            on_error(value)
        else:
            raise value  # a bug: to the crash handler
