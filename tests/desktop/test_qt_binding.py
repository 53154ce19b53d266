"""The Qt binding itself: a fault in it would take the whole app down, however good our code."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(int)
    done = Signal()


def test_emitting_a_signal_leaves_python_s_reference_counts_alone(qtbot):
    """PySide6 6.12.0 took a reference from True on every emit; after some thousands of
    progress signals the interpreter aborted ("bool_dealloc"). The pin avoids that release."""
    emitter = _Emitter()
    seen: list[int] = []
    emitter.changed.connect(seen.append)
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for n in range(500):
        emitter.changed.emit(n)
        emitter.done.emit()
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    assert len(seen) == 500
    assert abs(after[0] - before[0]) < 10 and abs(after[1] - before[1]) < 10 and abs(after[2] - before[2]) < 10
