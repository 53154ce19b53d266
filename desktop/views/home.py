"""Home: the district at a glance — what it owns, where it stands, what changed last."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.format import month_name, money_text, when_text
from desktop.operations import run_operation
from models.database import Database
from models.errors import UserError
from models.queries.overview import Overview, district_overview


class HomeView(QWidget):
    loaded = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.overview: Overview | None = None
        self.setObjectName("home")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        self.title = QLabel("Loading the district…")
        self.title.setObjectName("title")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("subtitle")
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.tiles = QGridLayout()
        self.tiles.setHorizontalSpacing(12)
        layout.addLayout(self.tiles)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        self.classes = _table(["GASB class", "Assets", "Capitalized", "Capitalized cost", "Controlled cost"])
        self.status = _table(["Status", "Assets"])
        self.recent = _table(["When", "Who", "What", "About"], stretch=3)
        self.recent.setProperty("fit", False)
        left = QVBoxLayout()
        left.addWidget(_heading("Assets held, by GASB 34 class"))
        left.addWidget(self.classes)
        left.addWidget(_heading("By status"))
        left.addWidget(self.status)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(_heading("Latest changes"))
        right.addWidget(self.recent, 2)
        self.planned_heading = _heading("Coming to Common Ground")
        self.planned = QLabel("")
        self.planned.setObjectName("planned")
        self.planned.setWordWrap(True)
        self.planned.setTextFormat(Qt.TextFormat.RichText)
        right.addWidget(self.planned_heading)
        right.addWidget(self.planned)
        self.planned_heading.hide()
        self.planned.hide()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout.addLayout(columns, 1)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

    def show_planned(self, planned: list[tuple[str, str]]) -> None:
        """The views not built yet, and what each will do (the rail lists them greyed out)."""
        import html

        self.planned.setText("".join(
            f"<p style='margin:0 0 6px 0'><b>{html.escape(label)}</b> — {html.escape(purpose)}</p>"
            for label, purpose in planned))
        self.planned_heading.setVisible(bool(planned))
        self.planned.setVisible(bool(planned))

    def refresh(self) -> None:
        run_operation(self, lambda: district_overview(self.db), self._show, self._failed)

    def _failed(self, err: UserError) -> None:
        self.error.setText(err.message)
        self.error.show()
        self.loaded.emit()

    def _show(self, overview: Overview) -> None:
        self.overview = overview
        self.title.setText(overview.district_name)
        self.subtitle.setText(
            f"Fiscal year starts in {month_name(overview.fiscal_year_start_month)} · "
            f"capitalization threshold {money_text(overview.capitalization_threshold)}"
        )
        while self.tiles.count():
            item = self.tiles.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        tiles = [
            ("Assets", f"{overview.assets:,}"),
            ("Capitalized cost held", money_text(overview.capitalized_cost)),
            ("Sites", f"{overview.sites:,}"),
            ("Buildings", f"{overview.buildings:,}"),
            ("Rooms", f"{overview.rooms:,}"),
            ("Staff and students", f"{overview.people:,}"),
        ]
        for index, (label, value) in enumerate(tiles):
            self.tiles.addWidget(_tile(label, value), 0, index)
        _fill(self.classes, [
            [line.label, f"{line.assets:,}", f"{line.capitalized:,}",
             money_text(line.capitalized_cost), money_text(line.controlled_cost)]
            for line in overview.by_class
        ], numeric={1, 2, 3, 4})
        _fill(self.status, [[label, f"{n:,}"] for label, n in overview.by_status], numeric={1})
        _fill(self.recent, [
            [when_text(e.occurred_at), e.actor, e.action.replace("_", " "), e.label]
            for e in overview.recent
        ], numeric=set())
        self.loaded.emit()


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("heading")
    return label


def _tile(label: str, value: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName("tile")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 10)
    number = QLabel(value)
    number.setObjectName("tileValue")
    caption = QLabel(label)
    caption.setObjectName("tileLabel")
    layout.addWidget(number)
    layout.addWidget(caption)
    return frame


def _table(headers: list[str], stretch: int = 0) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], numeric: set[int]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeRowsToContents()
    if table.property("fit") is not False:
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(height)
