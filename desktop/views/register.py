"""Register: every asset in one table — search, filter, sort, choose columns, save views, export.

The table holds ids and fetches the rows it paints (``desktop.register.table``); every
query runs off the UI thread and an answer overtaken by a newer request is dropped.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.format import money_text
from desktop.operations import Task, run_operation, run_task
from desktop.register.filters import FilterPanel
from desktop.register.table import AssetTable
from desktop.settings import app_settings
from models.actor import current_actor
from models.database import Database
from models.errors import DuplicateError, UserError
from models.queries.register import (
    COLUMN_BY_KEY,
    COLUMNS,
    DEFAULT_COLUMNS,
    DEFAULT_SORT,
    RegisterFilter,
    Totals,
    count,
    filter_choices,
    totals,
)
from models.services import saved_views
from reports.register_export import export_register

SEARCH_DELAY_MS = 250
TOTALS_DELAY_MS = 300
SETTINGS_GROUP = "register"


class Prompts:
    """The questions the register asks; tests replace them."""

    def text(self, parent: QWidget, title: str, label: str, default: str = "") -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, text=default)
        return value if ok else None

    def confirm(self, parent: QWidget, title: str, question: str) -> bool:
        answer = QMessageBox.question(parent, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def save_path(self, parent: QWidget, title: str, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, "Excel workbook (*.xlsx);;CSV (*.csv)")
        return path or None

    def error(self, parent: QWidget, title: str, message: str) -> None:
        QMessageBox.warning(parent, title, message)

    def info(self, parent: QWidget, title: str, message: str) -> None:
        QMessageBox.information(parent, title, message)


class View(QWidget):
    asset_activated = Signal(int)
    selection_changed = Signal()
    counts_changed = Signal(int, int)
    totals_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("register")
        self.prompts = Prompts()
        self.totals: Totals | None = None
        self.total_assets: int | None = None
        self.saved: list[saved_views.View] = []
        self.export_task: Task | None = None
        self._totals_generation = 0
        self._show_after_load: int | None = None
        self._selection_actions: list[QAction] = []

        columns, widths, sort = self._remembered_layout()
        self.asset_table = AssetTable(db, RegisterFilter(), self, columns=columns, load=False)
        self.table = self.asset_table.view
        self.asset_table.model.set_sort_indicator(*sort)
        self.asset_table.apply_default_widths(widths)
        self.asset_table._show_sort_indicator()  # noqa: SLF001

        self.search = QLineEdit()
        self.search.setObjectName("registerSearch")
        self.search.setPlaceholderText("Search tag, serial, description, model, person or room")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self._totals_timer = QTimer(self)
        self._totals_timer.setSingleShot(True)
        self._totals_timer.setInterval(TOTALS_DELAY_MS)
        self._totals_timer.timeout.connect(self._load_totals)
        self.search.textEdited.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_search)

        self.filters = FilterPanel(db)
        self.filters.changed.connect(self._filters_changed)
        self.filters_button = QToolButton()
        self.filters_button.setText("Filters")
        self.filters_button.setCheckable(True)
        self.filters_button.setObjectName("filtersButton")
        self.filters_button.setToolTip("Show or hide the filters (site, room, class, status, cost, …)")
        shown = str(app_settings().value(f"{SETTINGS_GROUP}/filters_shown", "false")).lower() == "true"
        self.filters_button.setChecked(shown)
        self.filters.setVisible(shown)
        self.filters_button.toggled.connect(self._filters_toggled)

        self.columns_button = QToolButton()
        self.columns_button.setText("Columns")
        self.columns_button.setObjectName("columnsButton")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_menu = QMenu(self.columns_button)
        self.columns_button.setMenu(self.columns_menu)
        self.column_actions: dict[str, QAction] = {}
        for col in COLUMNS:
            action = QAction(col.label, self.columns_menu)
            action.setCheckable(True)
            action.toggled.connect(lambda on, key=col.key: self._column_toggled(key, on))
            self.columns_menu.addAction(action)
            self.column_actions[col.key] = action
        self.columns_menu.addSeparator()
        reset = self.columns_menu.addAction("Default columns")
        reset.triggered.connect(self.reset_columns)
        self._sync_column_actions()

        self.views_box = QComboBox()
        self.views_box.setObjectName("savedViews")
        self.views_box.setToolTip("Saved views, shared by the district's users")
        self.views_box.setMinimumContentsLength(16)
        self.views_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.views_box.activated.connect(self._view_chosen)
        self.save_view_button = QToolButton()
        self.save_view_button.setText("Save view…")
        self.save_view_button.clicked.connect(self.save_view_dialog)
        self.delete_view_button = QToolButton()
        self.delete_view_button.setText("Delete")
        self.delete_view_button.setToolTip("Delete the saved view shown (for everyone)")
        self.delete_view_button.clicked.connect(self.delete_view_dialog)

        self.export_action = QAction("Export…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.export_action.triggered.connect(self.export_dialog)
        self.addAction(self.export_action)
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("registerToolbar")
        self.toolbar.addAction(self.export_action)
        self.toolbar.addSeparator()

        top = QHBoxLayout()
        top.setContentsMargins(8, 8, 8, 4)
        top.addWidget(self.search, 1)
        top.addWidget(self.filters_button)
        top.addWidget(self.columns_button)
        top.addSpacing(12)
        top.addWidget(self.views_box)
        top.addWidget(self.save_view_button)
        top.addWidget(self.delete_view_button)
        top.addWidget(self.toolbar)

        self.totals_label = QLabel("")
        self.totals_label.setObjectName("registerTotals")
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel("")
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()

        splitter = QSplitter()
        splitter.addWidget(self.filters)
        splitter.addWidget(self.asset_table)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([210, 1060])
        splitter.setCollapsible(1, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(8, 4, 8, 6)
        bottom.addWidget(self.totals_label, 1)
        layout.addLayout(bottom)

        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.asset_table.asset_activated.connect(self.asset_activated)
        self.asset_table.selection_changed.connect(self._selection_changed)
        self.asset_table.loaded.connect(self._loaded)
        self.asset_table.failed.connect(self._failed)
        header = self.table.horizontalHeader()
        header.sectionResized.connect(lambda *_: self._remember_layout())
        header.sectionMoved.connect(lambda *_: self._remember_layout())
        header.sortIndicatorChanged.connect(lambda *_: QTimer.singleShot(0, self._remember_layout))

        self.asset_table.load()  # first: the rows are what the user waits for
        run_operation(self, lambda: filter_choices(db), self.filters.set_choices, self._failed_error)
        self.reload_saved_views()

    # -- public ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.asset_table.refresh()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def selected_asset_ids(self) -> list[int]:
        return self.asset_table.selected_asset_ids()

    def current_filter(self) -> RegisterFilter:
        return self.asset_table.filter

    def set_filter(self, flt: RegisterFilter) -> None:
        self.search.setText(flt.search)
        self.filters.set_filter(flt)
        self.asset_table.set_filter(flt)

    def show_asset(self, asset_id: int) -> None:
        """Select the asset and scroll to it; when the filter hides it, clear the filter first."""
        if self.asset_table.model.row_of(asset_id) is not None and not self.asset_table.loading:
            self.asset_table.select_ids([asset_id])
            return
        self._show_after_load = asset_id
        if self.asset_table.loading:
            return
        self.set_filter(RegisterFilter())

    def add_selection_action(self, action: QAction) -> None:
        """A bulk action on the selected assets: in the table's context menu and the toolbar,
        enabled while rows are selected."""
        self._selection_actions.append(action)
        self.table.addAction(action)
        self.toolbar.addAction(action)
        action.setEnabled(bool(self.selected_asset_ids()))

    def export_dialog(self) -> None:
        """Export the view as shown (filter, columns, order) to .xlsx or .csv."""
        if self.asset_table.loading:
            self.prompts.info(self, "Export", "The register is still loading; export when the rows are in.")
            return
        ids = self.asset_table.model.ids.copy()
        if not ids.size:
            self.prompts.info(self, "Export", "No assets are shown: there is nothing to export.")
            return
        suggested = str(Path.home() / "register.xlsx")
        path = self.prompts.save_path(self, "Export the register", suggested)
        if not path:
            return
        if not Path(path).suffix:
            path += ".xlsx"
        columns = self.asset_table.visible_columns()
        self.export_task = run_task(
            self,
            f"Exporting {ids.size:,} assets",
            lambda progress: export_register(self.db, ids, columns, path, progress),
            lambda written: self._exported(path, written),
            lambda err: self.prompts.error(self, "Export failed", err.message),
            lambda: self.message_text("Export cancelled; no file was written."),
        )

    # -- search and filters ----------------------------------------------------------------
    def _apply_search(self) -> None:
        self._search_timer.stop()
        self._totals_timer.stop()
        text = self.search.text()
        if text != self.asset_table.filter.search:
            self.asset_table.set_filter(self.asset_table.filter.with_search(text))

    def _filters_toggled(self, shown: bool) -> None:
        self.filters.setVisible(shown)
        settings = app_settings()
        settings.setValue(f"{SETTINGS_GROUP}/filters_shown", "true" if shown else "false")
        settings.sync()

    def _filters_changed(self) -> None:
        try:
            flt = self.filters.apply_to(self.asset_table.filter)
        except UserError:
            return
        self.asset_table.set_filter(replace(flt, search=self.search.text()))

    def _loaded(self, shown: int) -> None:
        self.message.hide()
        if self._show_after_load is not None:
            asset_id, self._show_after_load = self._show_after_load, None
            if not self.asset_table.select_ids([asset_id]):
                self.message_text("That asset is not in the register (it may have been deleted).")
        self._totals_timer.start()  # once the user pauses: a sum over many rows waits its turn
        self.counts_changed.emit(shown, self.total_assets if self.total_assets is not None else shown)

    def _load_totals(self) -> None:
        self._totals_generation += 1
        generation = self._totals_generation
        flt = self.asset_table.filter

        def work() -> tuple[Totals, int]:
            return totals(self.db, flt), count(self.db, RegisterFilter())

        def done(result: tuple[Totals, int]) -> None:
            if generation != self._totals_generation:
                return
            self.totals, self.total_assets = result
            self.totals_label.setText(self._totals_text(self.totals))
            self.counts_changed.emit(self.asset_table.model.rowCount(), self.total_assets)
            self.totals_changed.emit()

        run_operation(self, work, done, self._failed_error)

    @staticmethod
    def _totals_text(t: Totals) -> str:
        parts = [f"{t.count:,} assets", f"cost {money_text(t.cost)}",
                 f"capitalized {t.capitalized_count:,} ({money_text(t.capitalized_cost)})"]
        if t.book_value is not None:
            parts.append(f"book value {money_text(t.book_value)} (through FY{t.book_value_year})")
        return "   ·   ".join(parts)

    def _failed(self, message: str) -> None:
        self.message_text(message)

    def _failed_error(self, err: UserError) -> None:
        self.message_text(err.message)

    def message_text(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _selection_changed(self) -> None:
        selected = bool(self.selected_asset_ids())
        for action in self._selection_actions:
            action.setEnabled(selected)
        self.selection_changed.emit()

    # -- columns ---------------------------------------------------------------------------
    def _sync_column_actions(self) -> None:
        shown = set(self.asset_table.model.columns)
        for key, action in self.column_actions.items():
            action.blockSignals(True)
            action.setChecked(key in shown)
            action.blockSignals(False)

    def _column_toggled(self, key: str, on: bool) -> None:
        keys = self.asset_table.visible_columns()
        if on and key not in keys:
            keys.append(key)
        elif not on and key in keys:
            if len(keys) == 1:
                self._sync_column_actions()
                return
            keys.remove(key)
        self.set_columns(keys)

    def set_columns(self, keys: list[str]) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        for logical in range(header.count()):  # the model's order becomes the shown order
            header.moveSection(header.visualIndex(logical), logical)
        header.blockSignals(False)
        self.asset_table.set_columns(keys)
        self._sync_column_actions()
        self._remember_layout()
        if self.asset_table.sort[0] not in keys:
            self.asset_table.set_sort(*DEFAULT_SORT)

    def reset_columns(self) -> None:
        self.asset_table.set_columns(list(DEFAULT_COLUMNS))
        self.asset_table.apply_default_widths()
        self._sync_column_actions()
        self._remember_layout()

    def _remembered_layout(self) -> tuple[list[str], dict[str, int], tuple[str, bool]]:
        settings = app_settings()
        try:
            columns = [k for k in json.loads(str(settings.value(f"{SETTINGS_GROUP}/columns", "[]"))) if k in COLUMN_BY_KEY]
            widths = {k: int(w) for k, w in json.loads(str(settings.value(f"{SETTINGS_GROUP}/widths", "{}"))).items()
                      if k in COLUMN_BY_KEY and 20 <= int(w) <= 2000}
            sort = json.loads(str(settings.value(f"{SETTINGS_GROUP}/sort", "null")))
        except (ValueError, TypeError, AttributeError):
            columns, widths, sort = [], {}, None
        if not isinstance(sort, list) or len(sort) != 2 or sort[0] not in COLUMN_BY_KEY \
                or not COLUMN_BY_KEY[sort[0]].sortable:
            sort = list(DEFAULT_SORT)
        return columns or list(DEFAULT_COLUMNS), widths, (sort[0], bool(sort[1]))

    def _remember_layout(self) -> None:
        if not hasattr(self, "asset_table"):
            return
        settings = app_settings()
        settings.setValue(f"{SETTINGS_GROUP}/columns", json.dumps(self.asset_table.visible_columns()))
        settings.setValue(f"{SETTINGS_GROUP}/widths", json.dumps(self.asset_table.column_widths()))
        settings.setValue(f"{SETTINGS_GROUP}/sort", json.dumps(list(self.asset_table.sort)))
        settings.sync()

    # -- saved views -----------------------------------------------------------------------
    def reload_saved_views(self, select_name: str | None = None) -> None:
        def done(views: list[saved_views.View]) -> None:
            self.saved = views
            self.views_box.blockSignals(True)
            self.views_box.clear()
            self.views_box.addItem("All assets", None)
            for view in views:
                self.views_box.addItem(view.name, view.id)
                self.views_box.setItemData(
                    self.views_box.count() - 1, f"Saved by {view.updated_by}", Qt.ItemDataRole.ToolTipRole
                )
            if select_name:
                self.views_box.setCurrentIndex(max(self.views_box.findText(select_name), 0))
            self.views_box.blockSignals(False)

        run_operation(self, lambda: saved_views.list_views(self.db), done, self._failed_error)

    def _view_chosen(self, index: int) -> None:
        view_id = self.views_box.itemData(index)
        if view_id is None:
            self.set_filter(RegisterFilter())
            return
        view = next((v for v in self.saved if v.id == view_id), None)
        if view is not None:
            self.apply_saved_view(view)

    def apply_saved_view(self, view: saved_views.View) -> None:
        self.asset_table.set_columns(list(view.columns))
        self._sync_column_actions()
        self.asset_table.model.set_sort_indicator(view.sort_key, view.sort_descending)
        self.asset_table._show_sort_indicator()  # noqa: SLF001
        self.set_filter(view.filter)
        self._remember_layout()

    def save_view_dialog(self) -> None:
        current = self.views_box.currentText() if self.views_box.currentData() is not None else ""
        name = self.prompts.text(self, "Save view", "Name of the view (shared with the district's users):", current)
        if not name or not name.strip():
            return
        args = (self.db, current_actor(), name, self.asset_table.filter,
                self.asset_table.visible_columns(), self.asset_table.sort)
        try:
            view = saved_views.save_view(*args)
        except DuplicateError:
            if not self.prompts.confirm(self, "Save view", f"A view called “{name.strip()}” exists. Replace it?"):
                return
            try:
                view = saved_views.save_view(*args, replace=True)
            except UserError as err:
                self.prompts.error(self, "Save view", err.message)
                return
        except UserError as err:
            self.prompts.error(self, "Save view", err.message)
            return
        self.reload_saved_views(select_name=view.name)

    def delete_view_dialog(self) -> None:
        view_id = self.views_box.currentData()
        if view_id is None:
            return
        name = self.views_box.currentText()
        if not self.prompts.confirm(self, "Delete view", f"Delete the saved view “{name}” for everyone?"):
            return
        try:
            saved_views.delete_view(self.db, current_actor(), view_id)
        except UserError as err:
            self.prompts.error(self, "Delete view", err.message)
        self.reload_saved_views()

    # -- export ----------------------------------------------------------------------------
    def _exported(self, path: str, written: int) -> None:
        self.message.hide()
        self.last_export = (path, written)
        self.exported.emit(path, written)

    exported = Signal(str, int)


__all__ = ["View", "Prompts"]
