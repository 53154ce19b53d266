"""The legend beside the map: the overlay's colours and what each means."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from models.roommap.overlay import LegendEntry


class Legend(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("")
        self.title.setObjectName("heading")
        layout.addWidget(self.title)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(3)
        self.grid.setColumnStretch(2, 1)
        layout.addLayout(self.grid)
        self.entries: list[LegendEntry] = []

    def show_entries(self, title: str, entries: list[LegendEntry]) -> None:
        self.title.setText(title)
        self.entries = list(entries)
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for row, entry in enumerate(entries):
            swatch = QLabel()
            pixmap = QPixmap(16, 12)
            pixmap.fill(QColor(entry.colour))
            swatch.setPixmap(pixmap)
            self.grid.addWidget(swatch, row, 0)
            self.grid.addWidget(QLabel(entry.label), row, 1)
