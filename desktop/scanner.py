"""Barcode scanners that act as a keyboard: they type a tag very fast, then Enter.

``ScannerListener`` watches key presses anywhere inside one widget (the register,
including its search box). A burst of printable keys, each following the one before
within ``max_interval_ms``, ended by Enter just as fast, is a scan: it is taken back out
of the line edit it was typed into and ``scanned(tag)`` fires. A person typing the same
text is slower than the threshold and is left alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from desktop.settings import app_settings

DEFAULT_MAX_INTERVAL_MS = 50
DEFAULT_MIN_LENGTH = 4
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
SILENT_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr}


def scanner_settings() -> tuple[int, int]:
    """(max milliseconds between keys, shortest tag) from the user's settings."""
    settings = app_settings()
    interval = _int(settings.value("scanner/max_key_interval_ms"), DEFAULT_MAX_INTERVAL_MS)
    length = _int(settings.value("scanner/min_length"), DEFAULT_MIN_LENGTH)
    return max(5, min(interval, 500)), max(1, min(length, 32))


def _int(value: object, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except (TypeError, ValueError):
        return default


class ScannerListener(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        scope: QWidget,
        *,
        max_interval_ms: int | None = None,
        min_length: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(scope)
        interval, length = scanner_settings()
        self.scope = scope
        self.max_interval_ms = max_interval_ms if max_interval_ms is not None else interval
        self.min_length = min_length if min_length is not None else length
        self.clock = clock
        self.enabled = True
        self._reset()
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        scope.destroyed.connect(lambda: app.removeEventFilter(self))

    def _reset(self) -> None:
        self.buffer = ""
        self.slowest_ms = 0.0
        self.last_ms: float | None = None

    def _in_scope(self, obj: QObject) -> bool:
        if not isinstance(obj, QWidget) or not self.scope.isVisible():
            return False
        focus = QApplication.focusWidget()
        if focus is not None and obj is not focus:
            return False  # the same press passed on to a parent: counted once, at the focus widget
        return obj is self.scope or self.scope.isAncestorOf(obj)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not self.enabled:
            return False
        if not self._in_scope(obj):
            return False
        assert isinstance(event, QKeyEvent)
        now = self.clock() * 1000.0
        gap = None if self.last_ms is None else now - self.last_ms
        key = event.key()
        if key in ENTER_KEYS:
            tag, slowest = self.buffer, max(self.slowest_ms, gap or 0.0)
            self._reset()
            if len(tag) >= self.min_length and gap is not None and slowest <= self.max_interval_ms:
                self._take_back(obj, tag)
                QTimer.singleShot(0, self, lambda: self.scanned.emit(tag.strip()))
                return True  # the Enter belonged to the scan, not to the search box
            return False
        if key in SILENT_KEYS:
            return False
        text = event.text()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier
        if len(text) != 1 or not text.isprintable() or modifiers:
            self._reset()
            return False
        if gap is not None and gap > self.max_interval_ms:
            self._reset()  # a pause: whatever came before was typed by a person
            gap = None
        if gap is not None:
            self.slowest_ms = max(self.slowest_ms, gap)
        self.buffer += text
        self.last_ms = now
        return False

    @staticmethod
    def _take_back(obj: QObject, tag: str) -> None:
        """Remove the scanned characters from the line edit they landed in."""
        if isinstance(obj, QLineEdit) and obj.text().endswith(tag):
            obj.setText(obj.text()[: len(obj.text()) - len(tag)])
