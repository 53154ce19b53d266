"""Depreciation: a fiscal year's totals by GASB class and function, the roll-forward, closing and
reopening the year, exports, and one asset's schedule.

A closed year shows the figures stored when it was closed; an open year shows
projected figures, computed now from the register and labelled as such. Any
figure opens the list of assets behind it (double-click).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.depreciation.prompts import Prompts
from desktop.depreciation.schedule import SchedulePanel
from desktop.depreciation.tables import KEY, DrillDialog, fill, money_table
from desktop.depreciation.background import Background
from desktop.operations import run_task
from models.actor import current_actor
from models.database import Database
from models.depreciation.journal import journal_csv, journal_lines
from models.depreciation.rollforward import COLUMN_LABELS, COLUMNS, GASB_LABELS
from models.errors import UserError
from models.money import from_cents
from models.queries.depreciation import Years, YearView, drill, fiscal_years, year_view
from models.schema import GasbClass, Role
from models.services.depreciation import close_year, reopen_year
from models.services.roles import has_role


@dataclass(frozen=True)
class _Setup:
    years: Years
    finance: bool
    admin: bool


class View(QWidget):
    loaded = Signal()
    changed = Signal()  # a close or reopen was saved

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = current_actor()
        self.prompts = Prompts(self)
        self.setup: _Setup | None = None
        self.view: YearView | None = None
        self.last_drill: DrillDialog | None = None
        self.task = None
        self.background = Background(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        top = QHBoxLayout()
        title = QLabel("Depreciation")
        title.setObjectName("title")
        top.addWidget(title)
        top.addSpacing(24)
        top.addWidget(QLabel("Fiscal year:"))
        self.year = QComboBox()
        self.year.setMinimumWidth(220)
        self.year.currentIndexChanged.connect(self._year_picked)
        top.addWidget(self.year)
        top.addStretch(1)
        self.close_button = QPushButton("Close fiscal year…")
        self.reopen_button = QPushButton("Reopen…")
        self.excel_button = QPushButton("Export to Excel…")
        self.journal_button = QPushButton("Journal entries (CSV)…")
        for button, slot in ((self.close_button, self.close_year), (self.reopen_button, self.reopen_year),
                             (self.excel_button, self.export_excel), (self.journal_button, self.export_journal)):
            button.clicked.connect(slot)
            button.setEnabled(False)
            top.addWidget(button)
        layout.addLayout(top)
        self.state = QLabel("Loading…")
        self.state.setObjectName("subtitle")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.warning = QLabel("")
        self.warning.setObjectName("error")
        self.warning.setStyleSheet("color: #9c0006; font-weight: bold;")
        self.warning.setWordWrap(True)
        self.warning.hide()
        layout.addWidget(self.warning)
        self.tabs = QTabWidget()
        self.roll = money_table(["GASB class", *COLUMN_LABELS])
        self.by_class = money_table(["GASB class", "Assets", "Cost at year end", "Depreciation",
                                     "Accumulated at year end", "Book value at year end"])
        self.by_function = money_table(["Function", "Assets", "Cost at year end", "Depreciation",
                                        "Accumulated at year end", "Book value at year end"])
        self.schedule = SchedulePanel(db)
        self.tabs.addTab(self.roll, "Roll-forward")
        self.tabs.addTab(self.by_class, "By GASB class")
        self.tabs.addTab(self.by_function, "By function")
        self.tabs.addTab(self.schedule, "Asset schedule")
        for table in (self.roll, self.by_class, self.by_function):
            table.itemDoubleClicked.connect(self._drill)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # -- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        def work() -> _Setup:
            return _Setup(fiscal_years(self.db), has_role(self.db, self.actor, Role.FINANCE),
                          has_role(self.db, self.actor, Role.ADMIN))

        self.background.run(work, self._set_up, self._failed)

    def _set_up(self, setup: _Setup) -> None:
        wanted = self.selected_year() or setup.years.current - 1
        self.setup = setup
        self.year.blockSignals(True)
        self.year.clear()
        for state in setup.years.years:
            if state.closed:
                text = f"FY{state.fiscal_year} — closed"
            elif state.fiscal_year >= setup.years.current:
                text = f"FY{state.fiscal_year} — open, in progress"
            else:
                text = f"FY{state.fiscal_year} — open"
            self.year.addItem(text, state.fiscal_year)
        index = self.year.findData(wanted)
        self.year.setCurrentIndex(max(index, 0))
        self.year.blockSignals(False)
        self.load_year()

    def selected_year(self) -> int | None:
        value = self.year.currentData()
        return int(value) if value is not None else None

    def _year_picked(self, _index: int) -> None:
        self.load_year()

    def load_year(self) -> None:
        year = self.selected_year()
        if year is None:
            return
        self.state.setText(f"Loading FY{year}…")
        for button in (self.close_button, self.reopen_button, self.excel_button, self.journal_button):
            button.setEnabled(False)
        self.background.run(lambda: year_view(self.db, year), self._show, self._failed)

    def _failed(self, err: UserError) -> None:
        self.state.setText(err.message)
        self.loaded.emit()

    def _show(self, view: YearView) -> None:
        if view.totals.fiscal_year != self.selected_year():
            return  # the user picked another year meanwhile
        self.view = view
        totals, result = view.totals, view.roll_forward
        if totals.stored:
            self.state.setText(f"FY{totals.fiscal_year} is closed: stored figures (closed by {totals.closed_by} "
                               f"on {totals.closed_at:%Y-%m-%d}). " + " ".join(result.notes))
        else:
            self.state.setText(f"FY{totals.fiscal_year} is open: PROJECTED figures, computed now from the register "
                               f"and not stored. " + " ".join(n for n in result.notes if "projected" not in n))
        if result.warnings:
            self.warning.setText("The roll-forward does not tie. " + " ".join(result.warnings))
            self.warning.show()
        else:
            self.warning.hide()
        self._fill_roll_forward()
        self._fill_totals(self.by_class, "gasb_class")
        self._fill_totals(self.by_function, "function_code")
        self._update_buttons()
        self.loaded.emit()

    def _fill_roll_forward(self) -> None:
        result = self.view.roll_forward
        rows, keys, flagged = [], [], set()
        for title, attribute in (("Cost", "cost"), ("Accumulated depreciation", "accumulated")):
            rows.append([title] + [""] * len(COLUMNS))
            keys.append([None] * (len(COLUMNS) + 1))
            for line in result.lines:
                if attribute == "accumulated" and not line.depreciable:
                    continue
                movement = getattr(line, attribute)
                if movement.difference:
                    flagged.update({(len(rows), c) for c in range(len(COLUMNS) + 1)})
                rows.append([f"    {line.label}", *(getattr(movement, c) for c in COLUMNS)])
                keys.append([None, *((attribute, c, line.gasb_class.value, None) for c in COLUMNS)])
            total = result.cost_total if attribute == "cost" else result.accumulated_total
            rows.append([f"    Total {title.lower()}", *(getattr(total, c) for c in COLUMNS)])
            keys.append([None, *((attribute, c, None, None) for c in COLUMNS)])
        fill(self.roll, rows, keys, flagged=flagged)
        bold = QFont(self.roll.font())
        bold.setBold(True)
        for row, values in enumerate(rows):
            if values[1] == "" or str(values[0]).strip().startswith("Total"):
                for column in range(self.roll.columnCount()):
                    item = self.roll.item(row, column)
                    if item is not None:
                        item.setFont(bold)

    def _fill_totals(self, table, key: str) -> None:
        totals = self.view.totals
        names = self.view.function_names
        rows, keys = [], []
        for record in totals.by(key).itertuples(index=False):
            code = getattr(record, key)
            if key == "gasb_class":
                label, gasb, function = GASB_LABELS[GasbClass(code)], code, None
            else:
                label = f"{code} {names.get(code, '')}".strip() if code else "(no function)"
                gasb, function = None, code
            rows.append([label, f"{int(record.assets):,}", from_cents(int(record.cost_end)),
                         from_cents(int(record.depreciation)), from_cents(int(record.accumulated_end)),
                         from_cents(int(record.book_value_end))])
            keys.append([None, None, ("cost", "ending", gasb, function), ("depreciation", "total", gasb, function),
                         ("accumulated", "ending", gasb, function), ("book_value", "ending", gasb, function)])
        rows.append(["Total", f"{totals.total('assets'):,}", from_cents(totals.total("cost_end")),
                     from_cents(totals.total("depreciation")), from_cents(totals.total("accumulated_end")),
                     from_cents(totals.total("book_value_end"))])
        keys.append([None, None, ("cost", "ending", None, None), ("depreciation", "total", None, None),
                     ("accumulated", "ending", None, None), ("book_value", "ending", None, None)])
        fill(table, rows, keys, bold_last=True)

    def _update_buttons(self) -> None:
        setup, year = self.setup, self.selected_year()
        if setup is None or year is None or self.db.read_only:
            return
        closed = bool(self.view and self.view.totals.stored)
        ended = year < setup.years.current
        self.close_button.setEnabled(not closed and ended and setup.finance)
        self.reopen_button.setEnabled(closed and year == setup.years.last_closed and setup.admin)
        if not setup.finance:
            self.close_button.setToolTip(f"Closing needs the finance role: commonground users grant {self.actor} finance")
        elif not ended:
            self.close_button.setToolTip(f"FY{year} has not ended yet")
        else:
            self.close_button.setToolTip("")
        if not setup.admin:
            self.reopen_button.setToolTip(f"Reopening needs the admin role: commonground users grant {self.actor} admin")
        self.excel_button.setEnabled(True)
        self.journal_button.setEnabled(True)

    # -- drilling ---------------------------------------------------------------------------
    def _drill(self, item: QTableWidgetItem) -> None:
        key = item.data(KEY)
        year = self.selected_year()
        if not key or year is None:
            return
        measure, column, gasb, function = key
        self.background.run(
            lambda: drill(self.db, year, measure, column, gasb_class=gasb, function_code=function),
            self._show_drill,
            lambda err: self.prompts.error("Depreciation", err.message),
        )

    def _show_drill(self, result) -> None:
        dialog = DrillDialog(result, self)
        for row, line in enumerate(result.rows):
            dialog.table.item(row, 0).setData(KEY, line.asset_id)
        dialog.table.itemDoubleClicked.connect(lambda item: self._open_asset(item, dialog))
        self.last_drill = dialog
        dialog.show()

    def _open_asset(self, item: QTableWidgetItem, dialog: DrillDialog) -> None:
        asset_id = dialog.table.item(item.row(), 0).data(KEY)
        if asset_id is not None:
            self.tabs.setCurrentWidget(self.schedule)
            self.schedule.show_asset(int(asset_id))

    # -- closing and reopening -----------------------------------------------------------------
    def close_year(self) -> None:
        year = self.selected_year()
        if year is None or self.setup is None:
            return
        opening = self.setup.years.last_closed is None
        text = (f"Close FY{year}? Every capitalized asset's depreciation for the year is computed and stored, "
                f"and the year's figures are frozen. Later corrections become adjustments in the next open year.")
        if opening:
            text += (f"\n\nNo year is closed yet: FY{year} becomes the opening year, the first year the district "
                     f"keeps its books in Common Ground.")
        if not self.prompts.confirm(f"Close FY{year}", text):
            return
        self.task = run_task(
            self,
            f"Closing FY{year}",
            lambda progress: close_year(self.db, self.actor, year, opening=opening, progress=progress),
            self._closed,
            lambda err: self.prompts.error(f"Close FY{year}", err.message),
            lambda: self.prompts.info(f"Close FY{year}", f"The close was cancelled. Nothing was stored; FY{year} is still open."),
        )

    def _closed(self, summary) -> None:
        self.prompts.info(
            f"FY{summary.fiscal_year} closed",
            f"FY{summary.fiscal_year} is closed: {summary.assets:,} assets, depreciation "
            f"${summary.depreciation:,.2f}.",
        )
        self.changed.emit()
        self.refresh()

    def reopen_year(self) -> None:
        year = self.selected_year()
        if year is None:
            return
        reason = self.prompts.reason(
            f"Reopen FY{year}",
            f"Why is FY{year} reopened? The reason is kept in the history for the auditors.",
        )
        if reason is None:
            return

        def done(summary) -> None:
            self.prompts.info(f"FY{year} reopened", f"FY{year} is open again. Close it when the corrections are made.")
            self.changed.emit()
            self.refresh()

        self.background.run(lambda: reopen_year(self.db, self.actor, year, reason), done,
                      lambda err: self.prompts.error(f"Reopen FY{year}", err.message))

    # -- exports -------------------------------------------------------------------------------
    def export_excel(self) -> None:
        if self.view is None:
            return
        year = self.view.totals.fiscal_year
        path = self.prompts.save_path("Export to Excel", f"depreciation-FY{year}.xlsx", "Excel workbook (*.xlsx)")
        if not path:
            return
        view = self.view
        schedule = self.schedule.current

        def work() -> str:
            from reports.depreciation_export import schedule_workbook, year_workbook

            Path(path).write_bytes(year_workbook(view.roll_forward, view.totals, function_names=view.function_names))
            if schedule is not None and schedule.schedule is not None:
                extra = Path(path).with_name(f"{Path(path).stem}-schedule-{schedule.tag}.xlsx")
                extra.write_bytes(schedule_workbook(schedule.schedule, tag=schedule.tag,
                                                    description=schedule.description, by_month=True))
                return f"Saved {path} and the schedule of {schedule.tag} in {extra.name}."
            return f"Saved {path}."

        self.background.run(work, lambda text: self.prompts.info("Export to Excel", text),
                      lambda err: self.prompts.error("Export to Excel", err.message))

    def export_journal(self) -> None:
        if self.view is None:
            return
        totals = self.view.totals
        path = self.prompts.save_path("Journal entries", f"journal-FY{totals.fiscal_year}.csv", "CSV file (*.csv)")
        if not path:
            return
        lines = journal_lines(totals)
        Path(path).write_text(journal_csv(lines), encoding="utf-8", newline="")
        note = "" if totals.stored else " These are projected figures: the year is not closed."
        self.prompts.info("Journal entries", f"Saved {len(lines)} lines to {path}; debits equal credits.{note}")
