"""One asset's schedule: find it by tag, see its fiscal years and its book value over life."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.depreciation.tables import fill, money_table
from desktop.depreciation.background import Background
from models.database import Database
from models.errors import UserError
from models.money import from_cents
from models.queries.depreciation import AssetSchedule, asset_schedule, find_asset


class SchedulePanel(QWidget):
    shown = Signal(object)  # the AssetSchedule

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.current: AssetSchedule | None = None
        self.background = Background(self)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Asset tag:"))
        self.tag = QLineEdit()
        self.tag.setPlaceholderText("e.g. 100042")
        self.tag.setMaximumWidth(200)
        self.tag.returnPressed.connect(self.show_tag)
        self.go = QPushButton("Show schedule")
        self.go.clicked.connect(self.show_tag)
        bar.addWidget(self.tag)
        bar.addWidget(self.go)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.title = QLabel("Type an asset tag, or double-click an asset in a list of assets.")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        body = QHBoxLayout()
        self.table = money_table(["Fiscal year", "Depreciation", "Accumulated", "Book value"])
        body.addWidget(self.table, 1)
        self.figure = Figure(figsize=(5, 3), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumWidth(380)
        body.addWidget(self.canvas, 1)
        layout.addLayout(body, 1)

    def show_tag(self) -> None:
        text = self.tag.text()
        self.background.run(lambda: asset_schedule(self.db, find_asset(self.db, text)), self.show_schedule,
                      self._failed)

    def show_asset(self, asset_id: int) -> None:
        self.background.run(lambda: asset_schedule(self.db, asset_id), self.show_schedule, self._failed)

    def _failed(self, err: UserError) -> None:
        self.title.setText(err.message)

    def show_schedule(self, result: AssetSchedule) -> None:
        self.current = result
        self.tag.setText(result.tag)
        self.title.setText(f"{result.tag} — {result.description} · {result.class_name} · cost "
                           f"{result.cost:,.2f}" + (f" · {result.reason}" if result.reason else ""))
        periods = result.schedule.fiscal_years if result.schedule else ()
        fill(self.table, [[f"FY{p.fiscal_year}", from_cents(p.depreciation_cents), from_cents(p.accumulated_cents),
                           from_cents(p.book_value_cents)] for p in periods])
        self.figure.clear()
        axes = self.figure.add_subplot()
        if result.schedule and result.schedule.months:
            months = result.schedule.months
            inputs = result.schedule.inputs
            days = [inputs.in_service] + [m.period_end for m in months]
            values = [inputs.cost_cents / 100] + [m.book_value_cents / 100 for m in months]  # drawing only
            axes.step(days, values, where="post", color="#1f5f8b")
            axes.fill_between(days, values, step="post", alpha=0.15, color="#1f5f8b")
            axes.set_ylim(bottom=0)
        else:
            axes.text(0.5, 0.5, "Nothing to depreciate", ha="center", va="center", transform=axes.transAxes)
        axes.set_title("Book value over life", fontsize=10)
        axes.tick_params(labelsize=8)
        axes.yaxis.set_major_formatter(lambda value, _pos: f"${value:,.0f}")
        self.canvas.draw_idle()
        self.shown.emit(result)
