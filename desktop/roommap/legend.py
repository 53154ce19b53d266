"""The legend beside the map: the overlay's colours and what each means."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from models.roommap.overlay import LegendEntry


class Legend(QWidget):
    """One rich-text label (not a widget per entry), so it is complete the moment it is set."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("")
        self.title.setObjectName("heading")
        self.body = QLabel("")
        self.body.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self.entries: list[LegendEntry] = []

    def show_entries(self, title: str, entries: list[LegendEntry]) -> None:
        self.title.setText(title)
        self.entries = list(entries)
        rows = "".join(
            f'<tr><td style="background-color:{entry.colour}; border:1px solid #5b6472" width="22">'
            f"&nbsp;</td><td>&nbsp;{escape(entry.label)}</td></tr>"
            for entry in entries
        )
        self.body.setText(f'<table cellspacing="3">{rows}</table>')
