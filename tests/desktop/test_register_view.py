"""The register through its widgets, on the demo district, SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, Qt
from PySide6.QtGui import QAction
from sqlalchemy import func, select

from desktop.register.table import ASSET_ID_ROLE, AssetTable, AssetTableModel
from desktop.views.register import View
from models.database import Database
from models.money import format_money
from models.queries import register as r
from models.schema import Asset, AssetModel, AssetStatus


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONGROUND_HOME", str(tmp_path / "home"))


@pytest.fixture(autouse=True)
def no_work_left_behind(qtbot):
    """Queries still running when a test ends finish before its widgets and database go."""
    yield
    pool = QThreadPool.globalInstance()
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=30_000)
    qtbot.wait(10)


class FakePrompts:
    def __init__(self) -> None:
        self.texts: list[str | None] = []
        self.confirms: list[bool] = []
        self.path: str | None = None
        self.errors: list[str] = []
        self.infos: list[str] = []

    def text(self, parent, title, label, default=""):
        return self.texts.pop(0)

    def confirm(self, parent, title, question):
        return self.confirms.pop(0)

    def save_path(self, parent, title, suggested):
        return self.path

    def error(self, parent, title, message):
        self.errors.append(message)

    def info(self, parent, title, message):
        self.infos.append(message)


def _open(qtbot, db: Database) -> View:
    view = View(db)
    view.resize(1400, 800)
    qtbot.addWidget(view)
    view.prompts = FakePrompts()
    qtbot.waitUntil(lambda: not view.asset_table.loading and view.totals is not None, timeout=20_000)
    return view


def _wait(qtbot, view: View) -> None:
    qtbot.waitUntil(lambda: not view.asset_table.loading, timeout=20_000)
    qtbot.waitUntil(lambda: view.totals is not None and view.totals.count == view.asset_table.model.rowCount(),
                    timeout=20_000)


def _column(view: View, key: str) -> list[str]:
    model = view.asset_table.model
    col = model.columns.index(key)
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]


def _shown_ids(view: View) -> list[int]:
    return view.asset_table.model.ids.tolist()


def test_the_model_passes_qtmodeltester(qtbot, qtmodeltester, demo_db: Database) -> None:
    model = AssetTableModel(demo_db)
    model.set_ids(r.sorted_ids(demo_db, r.RegisterFilter(capitalized=True)))
    qtmodeltester.check(model, force_py=True)
    model.set_columns(list(r.COLUMN_KEYS))
    qtmodeltester.check(model, force_py=True)


def test_the_model_fetches_pages_on_demand_and_keeps_a_bounded_cache(demo_db: Database) -> None:
    from desktop.register import table

    model = AssetTableModel(demo_db)
    model.set_ids(r.sorted_ids(demo_db, r.RegisterFilter()))
    assert model.page_fetches == 0
    last = model.rowCount() - 1
    assert model.data(model.index(last, 0)) is not None
    assert model.page_fetches == 1
    for row in range(0, model.rowCount(), table.PAGE_SIZE):
        model.data(model.index(row, 0))
    assert len(model._pages) <= table.MAX_PAGES  # noqa: SLF001


def test_opening_shows_every_asset_with_money_and_totals(qtbot, demo_db: Database) -> None:
    view = _open(qtbot, demo_db)
    model = view.asset_table.model
    with demo_db.reading() as session:
        n, cost = session.execute(select(func.count(), func.sum(Asset.cost))).one()
        first = session.scalars(select(Asset).order_by(Asset.tag).limit(1)).one()
    assert model.rowCount() == n
    assert view.totals.count == n and view.totals.cost == Decimal(cost if not isinstance(cost, int) else cost) / (100 if isinstance(cost, int) else 1)
    assert format_money(view.totals.cost) in view.totals_label.text()
    cost_col = model.columns.index("cost")
    assert model.data(model.index(0, cost_col)) == format_money(first.cost)
    assert model.data(model.index(0, cost_col), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.data(model.index(0, 0), ASSET_ID_ROLE) == first.id


def test_typing_a_search_narrows_the_table(qtbot, demo_db: Database) -> None:
    view = _open(qtbot, demo_db)
    with demo_db.reading() as session:
        target = session.scalars(select(Asset).where(Asset.serial.is_not(None)).order_by(Asset.id).limit(1)).one()
    qtbot.keyClicks(view.search, target.serial.lower())
    _wait(qtbot, view)
    qtbot.waitUntil(lambda: view.current_filter().search == target.serial.lower(), timeout=5000)
    _wait(qtbot, view)
    assert _shown_ids(view) == r.sorted_ids(demo_db, r.RegisterFilter(search=target.serial)).tolist()
    assert target.id in _shown_ids(view)
    assert all(target.serial == s for s in _column(view, "serial"))
    view.search.clear()
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    _wait(qtbot, view)
    assert view.asset_table.model.rowCount() == r.count(demo_db, r.RegisterFilter())


def test_a_broad_search_paints_its_first_rows_before_the_whole_list(qtbot, demo_db: Database, monkeypatch) -> None:
    import threading

    from desktop.register import table

    view = _open(qtbot, demo_db)
    with demo_db.reading() as session:
        maker = session.scalar(
            select(AssetModel.manufacturer).join(Asset, Asset.model_id == AssetModel.id)
            .group_by(AssetModel.manufacturer).order_by(func.count().desc()).limit(1)
        )
    word = maker.lower()
    expected = r.sorted_ids(demo_db, r.RegisterFilter(search=word)).tolist()
    assert len(expected) > table.HEAD_ROWS
    # The whole list is held back until the test lets it go, as a slow text-index scan would be.
    release = threading.Event()
    whole_lists: list[bool] = []
    real = table.sorted_ids

    def held_back(db, flt, sort, *, limit=None, base=None):
        if limit is None and flt.search:
            whole_lists.append(True)
            release.wait(20)
        return real(db, flt, sort, limit=limit, base=base)

    monkeypatch.setattr(table, "sorted_ids", held_back)
    resets: list[bool] = []
    model = view.asset_table.model
    try:
        with qtbot.waitSignal(view.asset_table.first_rows_shown, timeout=10_000):
            view.search.setText(word)
            view._apply_search()  # noqa: SLF001 - the typing pause ends
        assert view.asset_table.loading
        # The whole list is asked for beside the first rows; on a busy machine its job may
        # only start after they are painted. Either way it is still held back.
        qtbot.waitUntil(lambda: bool(whole_lists), timeout=5000)
        assert view.asset_table.loading
        assert _shown_ids(view) == expected[: table.HEAD_ROWS]
        view.asset_table.view.viewport().repaint()
        assert model.data(model.index(0, 0)) is not None
        view.table.scrollTo(model.index(10, 0), view.table.ScrollHint.PositionAtTop)
        top = view.table.verticalScrollBar().value()
        model.modelReset.connect(lambda: resets.append(True))
    finally:
        release.set()
    with qtbot.waitSignal(view.asset_table.loaded, timeout=20_000):
        pass
    # The whole list replaced the first rows without moving them.
    assert _shown_ids(view) == expected
    assert not resets and view.table.verticalScrollBar().value() == top


def test_a_stale_search_never_overwrites_a_newer_one(qtbot, demo_db: Database) -> None:
    view = _open(qtbot, demo_db)
    view.asset_table.set_filter(r.RegisterFilter(search="a"))
    view.asset_table.set_filter(r.RegisterFilter(search="chromebook"))
    _wait(qtbot, view)
    qtbot.wait(200)
    assert _shown_ids(view) == r.sorted_ids(demo_db, r.RegisterFilter(search="chromebook")).tolist()


def test_each_filter_in_the_panel_narrows_the_table(qtbot, demo_db: Database) -> None:
    view = _open(qtbot, demo_db)
    view.filters_button.click()
    qtbot.waitUntil(lambda: view.filters.statuses.count() > 0 and view.filters.sites.count() > 0, timeout=10_000)
    panel = view.filters

    def check(expected: r.RegisterFilter) -> None:
        _wait(qtbot, view)
        qtbot.waitUntil(lambda: view.current_filter() == expected, timeout=10_000)
        _wait(qtbot, view)
        assert _shown_ids(view) == r.sorted_ids(demo_db, expected).tolist()

    panel.statuses.check("in_repair")
    check(r.RegisterFilter(statuses=("in_repair",)))
    assert set(_column(view, "status")) <= {"In repair"}
    panel.statuses.check("in_repair", False)
    site = panel.sites.item(0).data(Qt.ItemDataRole.UserRole)
    panel.sites.check(site)
    check(r.RegisterFilter(site_ids=(site,)))
    qtbot.waitUntil(lambda: panel.rooms.isVisibleTo(panel) and panel.rooms.count() > 0, timeout=10_000)
    room = panel.rooms.item(0).data(Qt.ItemDataRole.UserRole)
    panel.rooms.check(room)
    check(r.RegisterFilter(site_ids=(site,), room_ids=(room,)))
    panel.clear()
    check(r.RegisterFilter())
    for widget, key in ((panel.classes, "class_ids"), (panel.conditions, "conditions"),
                        (panel.departments, "department_ids"), (panel.funding, "funding_source_ids"),
                        (panel.device_types, "device_types"), (panel.buildings, "building_ids")):
        value = widget.item(0).data(Qt.ItemDataRole.UserRole)
        widget.check(value)
        check(r.RegisterFilter(**{key: (value,)}))
        widget.check(value, False)
        check(r.RegisterFilter())
    panel.capitalized.setCurrentIndex(panel.capitalized.findData(False))
    check(r.RegisterFilter(capitalized=False))
    panel.assigned.setCurrentIndex(panel.assigned.findData(False))
    check(r.RegisterFilter(capitalized=False, assigned=False))
    panel.federal.setCurrentIndex(panel.federal.findData(True))
    check(r.RegisterFilter(capitalized=False, assigned=False, federal=True))
    panel.clear()
    from datetime import date

    panel.acquired_from.enabled.setChecked(True)
    panel.acquired_from.edit.setDate(date(2023, 1, 1))
    check(r.RegisterFilter(acquired_from=date(2023, 1, 1)))
    panel.acquired_to.enabled.setChecked(True)
    panel.acquired_to.edit.setDate(date(2023, 12, 31))
    check(r.RegisterFilter(acquired_from=date(2023, 1, 1), acquired_to=date(2023, 12, 31)))
    panel.clear()
    check(r.RegisterFilter())
    panel.cost_min.setText("$1,000")
    panel.cost_min.editingFinished.emit()
    check(r.RegisterFilter(cost_min=Decimal("1000.00")))
    assert all(Decimal(c.replace("$", "").replace(",", "")) >= 1000 for c in _column(view, "cost"))


def test_a_bad_amount_is_named_and_changes_nothing(qtbot, demo_db: Database) -> None:
    view = _open(qtbot, demo_db)
    view.filters_button.click()
    assert view.filters.isVisibleTo(view)
    before = view.current_filter()
    view.filters.cost_max.setText("twelve")
    view.filters.cost_max.editingFinished.emit()
    assert view.filters.cost_error.isVisibleTo(view) and "Cost to" in view.filters.cost_error.text()
    qtbot.wait(100)
    assert view.current_filter() == before and not view.asset_table.loading
    view.filters.cost_min.setText("500")
    view.filters.cost_max.setText("100")
    view.filters.cost_max.editingFinished.emit()
    assert "lower amount is above" in view.filters.cost_error.text()
    assert view.current_filter() == before


def test_clicking_a_header_sorts_by_that_column(qtbot, demo_db: Database) -> None:
    view = _open(qtbot, demo_db)
    header = view.table.horizontalHeader()
    for key in ("cost", "acquired_on", "site", "description"):
        section = view.asset_table.model.columns.index(key)
        view.table.sortByColumn(section, Qt.SortOrder.AscendingOrder)
        qtbot.waitUntil(lambda key=key: view.asset_table.sort == (key, False), timeout=5000)
        _wait(qtbot, view)
        assert _shown_ids(view) == r.sorted_ids(demo_db, r.RegisterFilter(), (key, False)).tolist()
    header.setSortIndicator(view.asset_table.model.columns.index("cost"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: view.asset_table.sort == ("cost", True), timeout=5000)
    _wait(qtbot, view)
    costs = [Decimal(c.replace("$", "").replace(",", "")) for c in _column(view, "cost")]
    assert costs == sorted(costs, reverse=True)


def test_columns_can_be_chosen_and_are_remembered(qtbot, demo_db: Database) -> None:
    view = _open(qtbot, demo_db)
    view.column_actions["serial"].setChecked(False)
    view.column_actions["funding"].setChecked(True)
    assert "serial" not in view.asset_table.model.columns and view.asset_table.model.columns[-1] == "funding"
    view.table.horizontalHeader().resizeSection(0, 155)
    again = _open(qtbot, demo_db)
    assert again.asset_table.visible_columns() == view.asset_table.visible_columns()
    assert again.table.horizontalHeader().sectionSize(0) == 155


def test_saved_views_save_and_load(qtbot, demo_db: Database) -> None:
    view = _open(qtbot, demo_db)
    flt = r.RegisterFilter(capitalized=False, statuses=("in_service",))
    view.set_filter(flt)
    view.column_actions["condition"].setChecked(True)
    view.asset_table.set_sort("cost", True)
    _wait(qtbot, view)
    view.prompts.texts = ["Controlled in service"]
    view.save_view_dialog()
    qtbot.waitUntil(lambda: view.views_box.count() == 2, timeout=5000)
    assert view.views_box.currentText() == "Controlled in service"
    shown = _shown_ids(view)
    columns = view.asset_table.visible_columns()
    view.set_filter(r.RegisterFilter())
    view.reset_columns()
    _wait(qtbot, view)
    assert _shown_ids(view) != shown
    view.views_box.setCurrentIndex(1)
    view.views_box.activated.emit(1)
    _wait(qtbot, view)
    assert view.current_filter() == flt and view.asset_table.sort == ("cost", True)
    assert view.asset_table.visible_columns() == columns and _shown_ids(view) == shown
    assert view.filters.capitalized.currentData() is False
    # Saving again under the same name asks before replacing.
    view.prompts.texts = ["controlled in service"]
    view.prompts.confirms = [False]
    view.save_view_dialog()
    assert [v.name for v in r_views(demo_db)] == ["Controlled in service"]
    view.prompts.confirms = [True]
    view.delete_view_dialog()
    qtbot.waitUntil(lambda: view.views_box.count() == 1, timeout=5000)


def r_views(db: Database):
    from models.services.saved_views import list_views

    return list_views(db)


def test_export_writes_what_the_view_shows(qtbot, demo_db: Database, tmp_path: Path) -> None:
    view = _open(qtbot, demo_db)
    view.set_filter(r.RegisterFilter(capitalized=False, statuses=("in_repair", "in_storage")))
    view.column_actions["condition"].setChecked(True)
    _wait(qtbot, view)
    path = tmp_path / "register.csv"
    view.prompts.path = str(path)
    with qtbot.waitSignal(view.exported, timeout=20_000):
        view.export_dialog()
    model = view.asset_table.model
    with open(path, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    labels = [r.COLUMN_BY_KEY[k].label for k in view.asset_table.visible_columns()]
    assert lines[0] == labels
    assert len(lines) - 1 == model.rowCount()
    tag_col = model.columns.index("tag")
    cost_col = model.columns.index("cost")
    for row, line in enumerate(lines[1:]):
        assert line[tag_col] == model.data(model.index(row, tag_col))
        assert format_money(Decimal(line[cost_col])) == model.data(model.index(row, cost_col))
    xlsx = tmp_path / "register.xlsx"
    view.prompts.path = str(xlsx)
    with qtbot.waitSignal(view.exported, timeout=20_000):
        view.export_dialog()
    from openpyxl import load_workbook

    workbook = load_workbook(xlsx, read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert list(rows[0]) == labels and len(rows) - 1 == model.rowCount()


def test_selection_actions_and_show_asset(qtbot, demo_db: Database) -> None:
    view = _open(qtbot, demo_db)
    action = QAction("Move to room…", view)
    view.add_selection_action(action)
    assert not action.isEnabled()
    assert action in view.table.actions()
    with demo_db.reading() as session:
        target = session.scalars(select(Asset).where(Asset.status == AssetStatus.LOST).limit(1)).one()
    view.set_filter(r.RegisterFilter(statuses=("in_service",)))
    _wait(qtbot, view)
    view.show_asset(target.id)
    qtbot.waitUntil(lambda: view.selected_asset_ids() == [target.id], timeout=20_000)
    assert view.current_filter() == r.RegisterFilter()
    assert action.isEnabled()
    with qtbot.waitSignal(view.asset_activated, timeout=2000) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == [target.id]
    view.refresh()
    _wait(qtbot, view)
    assert view.selected_asset_ids() == [target.id]


def test_asset_table_embeds_with_a_filter(qtbot, demo_db: Database) -> None:
    with demo_db.reading() as session:
        room = session.scalar(select(Asset.room_id).where(Asset.room_id.is_not(None)).limit(1))
    table = AssetTable(demo_db, r.RegisterFilter(room_ids=(room,)))
    qtbot.addWidget(table)
    with qtbot.waitSignal(table.loaded, timeout=20_000) as blocker:
        pass
    with demo_db.reading() as session:
        n = session.scalar(select(func.count()).where(Asset.room_id == room))
    assert blocker.args == [n] and table.model.rowCount() == n
