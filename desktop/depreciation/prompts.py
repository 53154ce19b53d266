"""The questions the Depreciation view asks, behind one object tests can replace."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget


class Prompts:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def reason(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(self.parent, title, label)
        return text if ok else None

    def save_path(self, title: str, suggested: str, filter_text: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, filter_text)
        return path or None

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)
