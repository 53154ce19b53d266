"""The Depreciation view against the demo district: projected and closed years, drill-down,
close through run_task, the asset schedule, exports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.depreciation.tables import KEY
from desktop.views.depreciation import View
from models.actor import USER_ENV
from models.depreciation.close import closed_years
from models.schema import Asset
from models.services.depreciation import close_year
from models.services.roles import grant


class FakePrompts:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.messages: list[tuple[str, str]] = []
        self.answer = True
        self.reason_text = "corrections from the auditors"

    def confirm(self, title, text):
        self.messages.append(("confirm", text))
        return self.answer

    def reason(self, title, label):
        return self.reason_text

    def save_path(self, title, suggested, filter_text):
        return str(self.tmp_path / suggested)

    def info(self, title, text):
        self.messages.append(("info", text))

    def error(self, title, text):
        self.messages.append(("error", text))


@pytest.fixture
def clerk(monkeypatch, demo_db):
    monkeypatch.setenv(USER_ENV, "clerk")
    grant(demo_db, "setup", "clerk", "admin")
    grant(demo_db, "clerk", "clerk", "finance")
    return demo_db


def _view(qtbot, db, tmp_path):
    view = View(db)
    qtbot.addWidget(view)
    view.prompts = FakePrompts(tmp_path)
    qtbot.waitUntil(lambda: view.view is not None, timeout=20_000)
    return view


def _roll_text(view):
    return [[view.roll.item(r, c).text() if view.roll.item(r, c) else "" for c in range(view.roll.columnCount())]
            for r in range(view.roll.rowCount())]


def test_an_open_year_is_labelled_projected_and_a_closed_year_stored(qtbot, clerk, tmp_path):
    view = _view(qtbot, clerk, tmp_path)
    assert view.selected_year() == 2026
    assert "PROJECTED" in view.state.text() and not view.view.totals.stored
    rows = _roll_text(view)
    assert rows[0][0] == "Cost" and any("Technology" in r[0] for r in rows)
    assert view.by_class.rowCount() >= 5 and view.by_function.item(view.by_function.rowCount() - 1, 0).text() == "Total"
    assert view.close_button.isEnabled() and not view.reopen_button.isEnabled()
    close_year(clerk, "clerk", 2026, opening=True)
    view.refresh()
    qtbot.waitUntil(lambda: view.view.totals.stored, timeout=20_000)
    assert view.view.totals.stored and "closed" in view.state.text()
    assert not view.close_button.isEnabled() and view.reopen_button.isEnabled()
    assert not view.warning.isVisible()


def test_closing_from_the_view_runs_as_a_task_and_refreshes(qtbot, clerk, tmp_path):
    view = _view(qtbot, clerk, tmp_path)
    changes = []
    view.changed.connect(lambda: changes.append(True))
    view.close_year()
    qtbot.waitUntil(lambda: bool(changes) and view.view is not None and view.view.totals.stored, timeout=60_000)
    assert any("becomes the opening year" in text for kind, text in view.prompts.messages if kind == "confirm")
    assert any(text.startswith("FY2026 is closed") for kind, text in view.prompts.messages if kind == "info")
    with clerk.reading() as session:
        assert closed_years(session) == [2026]


def test_declining_the_confirmation_closes_nothing(qtbot, clerk, tmp_path):
    view = _view(qtbot, clerk, tmp_path)
    view.prompts.answer = False
    view.close_year()
    with clerk.reading() as session:
        assert closed_years(session) == []


def test_without_the_finance_role_the_close_is_disabled_and_says_why(qtbot, demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv(USER_ENV, "visitor")
    view = _view(qtbot, demo_db, tmp_path)
    assert not view.close_button.isEnabled()
    assert "commonground users grant visitor finance" in view.close_button.toolTip()


def test_a_cell_opens_the_assets_behind_it(qtbot, clerk, tmp_path):
    view = _view(qtbot, clerk, tmp_path)
    target = None
    for row in range(view.roll.rowCount()):
        item = view.roll.item(row, 5)
        if item is not None and item.data(KEY) and item.data(KEY)[2] == "technology" and item.data(KEY)[0] == "cost":
            target = item
    assert target is not None
    view._drill(target)
    qtbot.waitUntil(lambda: view.last_drill is not None, timeout=20_000)
    dialog = view.last_drill
    total = sum(Decimal(dialog.table.item(r, 4).text().strip("$").replace(",", "")) for r in range(dialog.table.rowCount()))
    assert f"${total:,.2f}" == target.text()
    dialog.table.itemDoubleClicked.emit(dialog.table.item(0, 1))
    qtbot.waitUntil(lambda: view.schedule.current is not None, timeout=20_000)
    assert view.tabs.currentWidget() is view.schedule
    assert view.schedule.table.rowCount() > 0
    dialog.close()


def test_the_schedule_panel_finds_an_asset_by_tag_and_draws_its_book_value(qtbot, clerk, tmp_path):
    view = _view(qtbot, clerk, tmp_path)
    with clerk.reading() as session:
        tag = session.scalar(select(Asset.tag).where(Asset.capitalized.is_(True), Asset.in_service_on.is_not(None))
                             .order_by(Asset.id))
    view.schedule.tag.setText(tag)
    view.schedule.show_tag()
    qtbot.waitUntil(lambda: view.schedule.current is not None, timeout=20_000)
    assert view.schedule.current.tag == tag
    assert view.schedule.figure.axes[0].get_title() == "Book value over life"
    view.schedule.tag.setText("NO-SUCH-TAG")
    view.schedule.show_tag()
    qtbot.waitUntil(lambda: "No asset has the tag" in view.schedule.title.text(), timeout=20_000)


def test_exports_write_a_workbook_and_a_balanced_journal(qtbot, clerk, tmp_path):
    view = _view(qtbot, clerk, tmp_path)
    view.export_journal()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "journal-FY2026.csv").read_text())))
    assert sum(Decimal(r["debit"] or 0) for r in rows) == sum(Decimal(r["credit"] or 0) for r in rows) > 0
    view.export_excel()
    qtbot.waitUntil(lambda: (tmp_path / "depreciation-FY2026.xlsx").exists(), timeout=20_000)
    qtbot.waitUntil(lambda: any(k == "info" and "Saved" in t for k, t in view.prompts.messages), timeout=20_000)
