"""Read-only tables for money figures, and the dialog listing the assets behind a figure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.format import money_text
from models.queries.depreciation import Drill

KEY = Qt.ItemDataRole.UserRole


def money_table(headers: Sequence[str], parent: QWidget | None = None) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectItems)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def fill(table: QTableWidget, rows: Sequence[Sequence[Any]], keys: Sequence[Sequence[Any]] | None = None,
         bold_last: bool = False, flagged: set[tuple[int, int]] = frozenset()) -> None:
    """Rows of text or money; ``keys[r][c]`` (any value) makes a cell open its assets on double-click."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            text = value if isinstance(value, str) else money_text(value) if value is not None else ""
            item = QTableWidgetItem(text)
            if c > 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            key = keys[r][c] if keys is not None and c < len(keys[r]) else None
            if key is not None:
                item.setData(KEY, key)
                item.setToolTip("Double-click to list the assets behind this figure")
            if bold_last and r == len(rows) - 1:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            if (r, c) in flagged:
                item.setForeground(QBrush(QColor("#9c0006")))
            table.setItem(r, c, item)
    table.resizeRowsToContents()


class DrillDialog(QDialog):
    """The assets behind one figure, largest first."""

    def __init__(self, drill: Drill, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(drill.title)
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        shown = f" (the largest {len(drill.rows):,} shown)" if drill.truncated else ""
        self.summary = QLabel(f"{drill.count:,} assets, total {money_text(drill.total)}{shown}")
        layout.addWidget(self.summary)
        self.table = money_table(["Description", "Tag", "Class", "Function", "Amount"])
        self.table.setSortingEnabled(False)
        fill(self.table, [[r.description, r.tag, r.gasb_class.replace("_", " "), r.function_code or "", r.amount]
                          for r in drill.rows])
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
