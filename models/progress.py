"""Progress and cancel for long work, without Qt.

Long service functions (imports, exports, bulk edits, closes, sheet runs) take an
optional ``Progress``. They call ``progress.step(done, total, message)`` now and
then; a cancelled ``Progress`` makes that call raise ``Cancelled``, so the work
stops at a point where it can roll back. The UI cancels from its own thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Callback = Callable[[int, int | None, str], None]


class Cancelled(Exception):
    """The user cancelled the work; whatever it was doing was rolled back."""


class Progress:
    def __init__(self, callback: Callback | None = None) -> None:
        self._callback = callback
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` once the user has cancelled."""
        if self._cancelled.is_set():
            raise Cancelled()

    def step(self, done: int, total: int | None = None, message: str = "") -> None:
        self.check()
        if self._callback is not None:
            self._callback(done, total, message)


def step(progress: Progress | None, done: int, total: int | None = None, message: str = "") -> None:
    """``progress.step`` for functions whose progress is optional."""
    if progress is not None:
        progress.step(done, total, message)
