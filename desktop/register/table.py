"""The asset table: a model over an array of ids that fetches the rows it paints, a page at a time.

``AssetTableModel`` holds the ordered ids of the current query (a numpy array: no Python
object per asset) and a bounded cache of pages fetched through
``models.queries.register.rows_for_ids``. Sorting asks the owner to re-query: the
database sorts. ``AssetTable`` is the reusable widget (the register and the room map
embed it): give it a ``RegisterFilter`` and it runs the query off the UI thread,
dropping any answer that a newer request has overtaken.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from desktop.format import date_text, money_text
from desktop.operations import run_operation
from models.database import Database
from models.errors import UserError
from models.queries.register import (
    COLUMN_BY_KEY,
    DATE,
    DEFAULT_COLUMNS,
    DEFAULT_SORT,
    MONEY,
    NUMBER,
    RegisterFilter,
    first_matches,
    position_of,
    rows_for_ids,
    search_words,
    sorted_ids,
)

PAGE_SIZE = 100
HEAD_ROWS = 2 * PAGE_SIZE  # the first rows, shown before the whole list is in
MAX_PAGES = 40  # 4,000 rows cached at most
ASSET_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_VALUE_ROLE = Qt.ItemDataRole.UserRole

Index = QModelIndex | QPersistentModelIndex


def display_text(kind: str, value: Any) -> str:
    """How a register value reads in the table."""
    if value is None:
        return ""
    if kind == MONEY:
        return money_text(value)
    if kind == DATE:
        return date_text(value)
    if kind == NUMBER:
        return f"{value:,}"
    return str(value)


class AssetTableModel(QAbstractTableModel):
    """Rows are assets in the order of ``ids``; columns are register column keys."""

    sort_requested = Signal(str, bool)

    def __init__(self, db: Database, columns: Sequence[str] = DEFAULT_COLUMNS, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self._keys = list(columns)
        self._ids = np.zeros(0, dtype=np.int64)
        self._pages: OrderedDict[int, list[tuple[Any, ...] | None]] = OrderedDict()
        self._page_texts: dict[int, list[tuple[str, ...]]] = {}
        self._alignments: list[int] = []
        self.sort_key, self.sort_descending = DEFAULT_SORT
        self.page_fetches = 0
        self._align_columns()

    def _align_columns(self) -> None:
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._alignments = [right if COLUMN_BY_KEY[k].kind in (MONEY, NUMBER) else left for k in self._keys]

    # -- what it holds ---------------------------------------------------------------------
    @property
    def ids(self) -> np.ndarray:
        return self._ids

    @property
    def columns(self) -> list[str]:
        return list(self._keys)

    def set_ids(self, ids: np.ndarray) -> None:
        self.beginResetModel()
        self._ids = np.asarray(ids, dtype=np.int64)
        self._pages.clear()
        self._page_texts.clear()
        self._align_columns()
        self.endResetModel()

    def extend_ids(self, ids: np.ndarray) -> bool:
        """Replace the first rows shown by the whole list that starts with them: the rows
        after them are inserted, nothing shown moves. False (and nothing done) when ``ids``
        does not start with the rows shown."""
        ids = np.asarray(ids, dtype=np.int64)
        shown = self._ids.size
        if ids.size < shown or not np.array_equal(ids[:shown], self._ids):
            return False
        if ids.size > shown:
            self.beginInsertRows(QModelIndex(), shown, int(ids.size) - 1)
            self._ids = ids
            self.endInsertRows()
        return True

    def set_columns(self, keys: Sequence[str]) -> None:
        for key in keys:
            if key not in COLUMN_BY_KEY:
                raise KeyError(key)
        self.beginResetModel()
        self._keys = list(keys)
        self._pages.clear()
        self._page_texts.clear()
        self._align_columns()
        self.endResetModel()

    def set_sort_indicator(self, key: str, descending: bool) -> None:
        self.sort_key, self.sort_descending = key, descending

    def forget_rows(self) -> None:
        """Drop the cached pages (the data changed); the view repaints from the database."""
        self._pages.clear()
        self._page_texts.clear()
        self._align_columns()
        if self._ids.size and self._keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self._keys) - 1))

    def asset_id(self, row: int) -> int:
        return int(self._ids[row])

    def row_of(self, asset_id: int) -> int | None:
        return position_of(self._ids, asset_id)

    def row_values(self, row: int) -> tuple[Any, ...] | None:
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            start = page * PAGE_SIZE
            rows = rows_for_ids(self.db, self._ids[start:start + PAGE_SIZE], self._keys)
            self.page_fetches += 1
            self._pages[page] = rows
            kinds = [COLUMN_BY_KEY[k].kind for k in self._keys]
            blank = ("(deleted)",) + ("",) * (len(self._keys) - 1)
            self._page_texts[page] = [
                blank if values is None else tuple(display_text(kind, v) for kind, v in zip(kinds, values, strict=True))
                for values in rows
            ]
            while len(self._pages) > MAX_PAGES:
                dropped, _ = self._pages.popitem(last=False)
                self._page_texts.pop(dropped, None)
        else:
            self._pages.move_to_end(page)
        return rows[row - page * PAGE_SIZE]

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else int(self._ids.size)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every painted cell and role: the common cases return first.
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._texts(index)
            return None if texts is None else texts[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if not self._valid(index):
                return None
            return self._alignments[index.column()]
        if role == ASSET_ID_ROLE:
            return int(self._ids[index.row()]) if self._valid(index) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            texts = self._texts(index)
            key = self._keys[index.column()] if texts is not None else None
            text = texts[index.column()] if texts is not None else ""
            return text if key in ("description", "model", "funding", "vendor") and text else None
        if role == SORT_VALUE_ROLE:
            if not self._valid(index):
                return None
            values = self.row_values(index.row())
            value = None if values is None else values[index.column()]
            return None if value is None else str(value)
        return None

    def _valid(self, index: Index) -> bool:
        return index.isValid() and index.row() < self._ids.size and index.column() < len(self._keys)

    def _texts(self, index: Index) -> tuple[str, ...] | None:
        if not self._valid(index):
            return None
        row = index.row()
        page = row // PAGE_SIZE
        texts = self._page_texts.get(page)
        if texts is None:
            self.row_values(row)
            texts = self._page_texts[page]
        return texts[row - page * PAGE_SIZE]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._keys):
            return None
        col = COLUMN_BY_KEY[self._keys[section]]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.label
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.kind in (MONEY, NUMBER):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and not col.sortable:
            return f"{col.label} cannot be sorted"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._keys):
            return
        key = self._keys[column]
        if not COLUMN_BY_KEY[key].sortable:
            return
        self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)


class _TableView(QTableView):
    """Enter on a row opens it, like a double-click."""

    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enter_pressed.emit()
            return
        super().keyPressEvent(event)


class AssetTable(QWidget):
    """The filtered, sorted register as a table: set a filter, it loads off the UI thread.

    ``loaded(shown)`` fires when a query's rows are in; ``failed(message)`` when the database
    refused (a lost connection); only the newest request is ever shown.
    """

    loaded = Signal(int)
    first_rows_shown = Signal()
    failed = Signal(str)
    asset_activated = Signal(int)
    selection_changed = Signal()

    def __init__(
        self,
        db: Database,
        flt: RegisterFilter | None = None,
        parent: QWidget | None = None,
        *,
        columns: Sequence[str] = DEFAULT_COLUMNS,
        load: bool = True,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self._filter = flt or RegisterFilter()
        self._generation = 0
        self._pending_selection: list[int] | None = None
        self._pending_scroll: int | None = None
        self.loading = False
        self.last_query_seconds = 0.0
        self.first_rows_seconds = 0.0
        # The ordered ids of the filter without its search, kept while the user types.
        self._base: np.ndarray | None = None
        self._base_key: tuple[Any, ...] | None = None
        self.model = AssetTableModel(db, columns, self)
        self.view = _TableView(self)
        self.view.setObjectName("registerTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setSortingEnabled(True)
        self.view.verticalHeader().hide()
        # Fixed row heights: the view never measures a million rows.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.model.sort_requested.connect(self._sort_requested)
        self.model.modelReset.connect(self._after_reset)
        self.view.doubleClicked.connect(self._activated)
        self.view.enter_pressed.connect(lambda: self._activated(self.view.currentIndex()))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.apply_default_widths()
        if load:
            self.load()

    # -- the query -------------------------------------------------------------------------
    @property
    def filter(self) -> RegisterFilter:
        return self._filter

    @property
    def sort(self) -> tuple[str, bool]:
        return self.model.sort_key, self.model.sort_descending

    def set_filter(self, flt: RegisterFilter) -> None:
        self._filter = flt
        self._load(keep_place=False)

    def set_sort(self, key: str, descending: bool = False) -> None:
        self.model.set_sort_indicator(key, descending)
        self._show_sort_indicator()
        self._load(keep_place=False, keep_selection=True)

    def load(self) -> None:
        """Run the current query afresh: the first rows are painted as soon as they are in."""
        self._load(keep_place=False)

    def refresh(self) -> None:
        """Re-run the current query; keep the selection and scroll position where possible."""
        self._base = self._base_key = None  # the data may have changed
        self._load(keep_place=True, keep_selection=True)

    def _load(self, *, keep_place: bool, keep_selection: bool = False) -> None:
        """Two queries run side by side: the first rows (painted at once) and the whole list
        (inserted after them when it comes). An answer overtaken by a newer request is dropped."""
        self._generation += 1
        generation = self._generation
        flt, sort = self._filter, self.sort
        if keep_selection:
            self._pending_selection = self.selected_asset_ids()
        else:
            self._pending_selection = None
        self._pending_scroll = self.view.verticalScrollBar().value() if keep_place else None
        self.loading = True
        started = time.perf_counter()
        base_key = (replace(flt, search=""), sort)
        base = self._base if self._base_key == base_key else None
        state = {"full": False}

        def head() -> np.ndarray | None:
            if search_words(flt.search):  # None for a narrow search: the whole list comes as fast
                return first_matches(self.db, flt, sort, HEAD_ROWS, base=base)
            return sorted_ids(self.db, flt, sort, limit=HEAD_ROWS, base=base)

        def head_done(ids: np.ndarray | None) -> None:
            if ids is None or generation != self._generation or state["full"] or keep_place:
                return  # a refresh keeps showing the old rows until the new list is in
            self.model.set_ids(ids)
            self.first_rows_seconds = time.perf_counter() - started
            self.first_rows_shown.emit()

        def full() -> np.ndarray:
            return sorted_ids(self.db, flt, sort, base=base)

        def done(ids: np.ndarray) -> None:
            if generation != self._generation:
                return  # a newer request has been made: this answer is stale
            state["full"] = True
            self.last_query_seconds = time.perf_counter() - started
            self.loading = False
            if not search_words(flt.search):
                self._base, self._base_key = ids, base_key
            if keep_place or not self.model.extend_ids(ids):
                self.model.set_ids(ids)
            else:
                self._after_reset()
            self.loaded.emit(int(ids.size))

        def failed(err: UserError) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self.failed.emit(err.message)

        # With the ordered ids at hand and no search the list is already whole. A search paints
        # the first matches in sort order at once (a broad word is matched row by row along the
        # sort order) while the whole list is matched beside it.
        if not keep_place and (base is None or search_words(flt.search)):
            run_operation(self, head, head_done, failed)
        run_operation(self, full, done, failed)

    def _after_reset(self) -> None:
        if self.loading:  # the first rows of a new list: the selection comes back with the rest
            return
        selection = self._pending_selection
        scroll = self._pending_scroll
        self._pending_selection = None
        self._pending_scroll = None
        if selection:
            self.select_ids(selection, scroll_to=scroll is None)
        if scroll is not None:
            self.view.verticalScrollBar().setValue(scroll)

    def _sort_requested(self, key: str, descending: bool) -> None:
        if (key, descending) != self.sort:
            self.set_sort(key, descending)

    def _show_sort_indicator(self) -> None:
        header = self.view.horizontalHeader()
        keys = self.model.columns
        order = Qt.SortOrder.DescendingOrder if self.model.sort_descending else Qt.SortOrder.AscendingOrder
        header.blockSignals(True)
        if self.model.sort_key in keys:
            header.setSortIndicator(keys.index(self.model.sort_key), order)
        else:
            header.setSortIndicator(-1, order)
        header.blockSignals(False)

    # -- columns ---------------------------------------------------------------------------
    def set_columns(self, keys: Sequence[str], widths: dict[str, int] | None = None) -> None:
        current = self.column_widths()
        self.model.set_columns(keys)
        self.apply_default_widths({**current, **(widths or {})})
        self._show_sort_indicator()

    def apply_default_widths(self, widths: dict[str, int] | None = None) -> None:
        """Remembered widths where given; otherwise wide enough for the label and a typical
        value (a date, an amount in the millions, a status)."""
        metrics = self.fontMetrics()
        char = max(metrics.averageCharWidth(), 6)
        samples = {
            DATE: display_text(DATE, date(2026, 12, 31)),
            MONEY: display_text(MONEY, Decimal("99999999.99")),
            NUMBER: "99,999",
        }
        header = self.view.horizontalHeader()
        for section, key in enumerate(self.model.columns):
            col = COLUMN_BY_KEY[key]
            label_width = metrics.horizontalAdvance(col.label) + 30  # room for the sort arrow
            sample = samples.get(col.kind) or ("In storage" if key == "status" else "")
            natural = max(col.width * char, metrics.horizontalAdvance(sample)) + 16
            width = (widths or {}).get(key) or max(natural, label_width)
            header.resizeSection(section, int(width))

    def column_widths(self) -> dict[str, int]:
        header = self.view.horizontalHeader()
        return {key: header.sectionSize(i) for i, key in enumerate(self.model.columns)}

    def visible_columns(self) -> list[str]:
        """The columns in the order the user sees them (they can be dragged)."""
        header = self.view.horizontalHeader()
        keys = self.model.columns
        return [keys[header.logicalIndex(visual)] for visual in range(header.count())]

    # -- selection -------------------------------------------------------------------------
    def selected_asset_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.asset_id(row) for row in rows if row < self.model.rowCount()]

    def select_ids(self, asset_ids: Sequence[int], *, scroll_to: bool = True) -> int:
        """Select the rows of ``asset_ids`` that are shown; returns how many were found."""
        wanted = np.asarray(list(asset_ids), dtype=np.int64)
        if not wanted.size or not self.model.rowCount():
            return 0
        rows = np.flatnonzero(np.isin(self.model.ids, wanted))
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row in rows[:10_000].tolist():
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().select(selection, flags)
        if rows.size:
            first = self.model.index(int(rows[0]), 0)
            self.view.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            if scroll_to:
                self.view.scrollTo(first, QAbstractItemView.ScrollHint.PositionAtCenter)
        return int(rows.size)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.asset_activated.emit(self.model.asset_id(index.row()))
