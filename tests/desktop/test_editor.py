"""The asset editor through its widgets, on the demo district (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QThreadPool
from sqlalchemy import func, select

from PySide6.QtWidgets import QApplication

from desktop.dialogs.prompts import RecordingPrompts
from desktop.editor import AssetEditor
from models.schema import Asset, AssetStatus, Condition, FundingShare, FundingSource, HistoryEvent
from models.services.assets import update_asset


@pytest.fixture(autouse=True)
def drain(demo_url):
    """Background reads finish before the test's databases are dropped."""
    yield
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QThreadPool.globalInstance().waitForDone(30_000)


def _an_asset(db, **where) -> Asset:
    with db.reading() as session:
        stmt = select(Asset).where(Asset.status != AssetStatus.DISPOSED, Asset.assigned_person_id.is_(None),
                                   Asset.room_id.is_not(None))
        for name, value in where.items():
            stmt = stmt.where(getattr(Asset, name) == value)
        return session.scalars(stmt.order_by(Asset.id).limit(1)).one()


def _load(db, asset_id) -> Asset:
    with db.reading() as session:
        return session.get(Asset, asset_id)


def _events(db, asset_id) -> list[tuple[str, str, dict]]:
    with db.reading() as session:
        rows = session.scalars(select(HistoryEvent).where(
            HistoryEvent.entity_type == "asset", HistoryEvent.entity_id == asset_id).order_by(HistoryEvent.id))
        return [(e.actor, e.action, json.loads(e.changes)) for e in rows]


def _open(qtbot, db, asset_id=None, **kwargs) -> AssetEditor:
    editor = AssetEditor(db, asset_id, **kwargs)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.loaded, timeout=10_000):
        pass
    editor.show()
    return editor


def _type(qtbot, editor: AssetEditor, name: str, text: str) -> None:
    line = editor.fields[name].editor
    line.selectAll()
    line.clear()
    qtbot.keyClicks(line, text)
    line.editingFinished.emit()


def test_editor_shows_every_group_and_the_history(qtbot, demo_db) -> None:
    asset = _an_asset(demo_db)
    editor = _open(qtbot, demo_db, asset.id)
    tabs = [editor.tabs.tabText(i).replace("&&", "&") for i in range(editor.tabs.count())]
    assert tabs[:5] == ["Identity", "Location & custody", "Finance", "Funding", "Lifecycle"]
    assert tabs[5].startswith("History (")
    assert editor.fields["tag"].editor.text() == asset.tag
    assert editor.fields["cost"].editor.text() == f"${asset.cost:,.2f}"
    assert editor.fields["room_id"].editor.text() == editor.detail.labels["room_id"]
    assert " · " in editor.detail.labels["room_id"]
    assert editor.history.rowCount() >= 1
    assert editor.history.item(0, 1).text() == "demo"


def test_validation_is_shown_next_to_the_field_and_nothing_is_saved(qtbot, demo_db) -> None:
    asset = _an_asset(demo_db)
    editor = _open(qtbot, demo_db, asset.id)
    _type(qtbot, editor, "cost", "twelve")
    assert "not an amount of money" in editor.errors()["cost"]  # checked as the field is left
    _type(qtbot, editor, "tag", "")
    _type(qtbot, editor, "useful_life_months", "0")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    errors = editor.errors()
    assert errors["tag"] == "is required"
    assert "between 1 and 1200" in errors["useful_life_months"]
    assert editor.fields["tag"].error.isVisible()
    assert editor.tabs.currentIndex() == 0  # the first wrong field's group is shown
    assert "3 fields need attention" in editor.message.text()
    after = _load(demo_db, asset.id)
    assert (after.tag, after.cost, after.version) == (asset.tag, asset.cost, asset.version)


def test_a_room_not_picked_from_the_list_is_refused_at_the_field(qtbot, demo_db) -> None:
    asset = _an_asset(demo_db)
    editor = _open(qtbot, demo_db, asset.id)
    _type(qtbot, editor, "room_id", "Narnia 999")
    editor.save()
    assert "pick one from the list" in editor.errors()["room_id"]
    assert editor.tabs.currentIndex() == 1


def test_funding_shares_must_add_up_to_100(qtbot, demo_db) -> None:
    asset = _an_asset(demo_db)
    with demo_db.reading() as session:
        sources = session.scalars(select(FundingSource.id).order_by(FundingSource.id).limit(2)).all()
    editor = _open(qtbot, demo_db, asset.id)
    editor.funding.set_shares([(sources[0], Decimal("60")), (sources[1], Decimal("30"))])
    assert "Total: 90.00%" in editor.funding.total_label.text()
    editor.save()
    assert editor.errors()["funding"] == "the shares add up to 90.00%, not 100%"
    assert editor.tabs.tabText(editor.tabs.currentIndex()) == "Funding"
    share = editor.funding.table.cellWidget(1, 1)
    share.setText("40")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    with demo_db.reading() as session:
        saved = session.execute(select(FundingShare.funding_source_id, FundingShare.share_basis_points)
                                .where(FundingShare.asset_id == asset.id)
                                .order_by(FundingShare.funding_source_id)).all()
    assert [tuple(r) for r in saved] == [(sources[0], 6000), (sources[1], 4000)]
    assert _events(demo_db, asset.id)[-1][1] == "funding_changed"


def test_conflict_dialog_lets_the_user_choose_per_field(qtbot, demo_url, open_db, monkeypatch) -> None:
    monkeypatch.setenv("COMMONGROUND_USER", "alice")
    alice_db, bob_db = open_db(demo_url), open_db(demo_url)
    asset = _an_asset(alice_db, condition=Condition.GOOD)
    editor = _open(qtbot, alice_db, asset.id)
    # Bob saves first, from another client: description, condition and serial.
    update_asset(bob_db, "bob", asset.id, asset.version,
                 {"description": "Bob's description", "condition": "poor", "serial": "BOB-1"})
    _type(qtbot, editor, "description", "Alice's description")
    condition = editor.fields["condition"].editor
    condition.setCurrentIndex(condition.findData(Condition.FAIR))
    _type(qtbot, editor, "cost", "$4,321.09")
    editor.save()
    qtbot.waitUntil(lambda: editor.conflict_dialog is not None and editor.conflict_dialog.isVisible(),
                    timeout=10_000)
    dialog = editor.conflict_dialog
    rows = {row.field: (row.mine, row.theirs) for row in dialog.rows}
    # Only the fields both changed are asked about; the cost only Alice changed.
    assert rows == {"description": ("Alice's description", "Bob's description"),
                    "condition": ("Fair", "Poor")}
    assert "bob" in dialog.findChildren(type(editor.heading))[0].text()
    assert not dialog.save_button.isEnabled()  # every field needs a choice
    dialog.buttons["description"]["theirs"].click()
    dialog.buttons["condition"]["mine"].click()
    assert _load(alice_db, asset.id).cost == asset.cost  # nothing of Alice's saved yet
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    after = _load(bob_db, asset.id)
    assert after.description == "Bob's description"
    assert after.condition is Condition.FAIR
    assert after.cost == Decimal("4321.09")
    assert after.serial == "BOB-1"  # only Bob changed it: kept
    assert after.version == asset.version + 2
    actor, action, changes = _events(alice_db, asset.id)[-1]
    assert (actor, action) == ("alice", "edited")
    assert set(changes) == {"condition", "cost"}


def test_cancelling_the_conflict_saves_nothing(qtbot, demo_url, open_db) -> None:
    alice_db, bob_db = open_db(demo_url), open_db(demo_url)
    asset = _an_asset(alice_db)
    editor = _open(qtbot, alice_db, asset.id)
    update_asset(bob_db, "bob", asset.id, asset.version, {"description": "Bob's"})
    _type(qtbot, editor, "description", "Alice's")
    editor.save()
    qtbot.waitUntil(lambda: editor.conflict_dialog is not None and editor.conflict_dialog.isVisible(),
                    timeout=10_000)
    editor.conflict_dialog.reject()
    assert "Not saved" in editor.message.text()
    assert _load(alice_db, asset.id).description == "Bob's"
    assert editor.fields["description"].editor.text() == "Alice's"


def test_new_asset_and_duplicate_need_their_own_tag(qtbot, demo_db) -> None:
    asset = _an_asset(demo_db)
    editor = _open(qtbot, demo_db, asset.id)
    copy = editor.duplicate()
    qtbot.addWidget(copy)
    qtbot.waitSignal(copy.loaded, timeout=10_000).wait() if copy.choices is None else None
    qtbot.waitUntil(lambda: copy.choices is not None, timeout=10_000)
    assert copy.fields["tag"].editor.text() == ""
    assert copy.fields["description"].editor.text() == asset.description
    copy.save()
    assert copy.errors()["tag"] == "is required"
    _type(qtbot, copy, "tag", asset.tag)
    with qtbot.waitSignal(copy.failed, timeout=3000, raising=False):
        copy.save()
    qtbot.waitUntil(lambda: "tag" in copy.errors(), timeout=10_000)
    assert "already the tag of another asset" in copy.errors()["tag"]
    _type(qtbot, copy, "tag", "NEW-0001")
    with qtbot.waitSignal(copy.saved, timeout=10_000) as saved:
        copy.save()
    new = _load(demo_db, saved.args[0])
    assert (new.tag, new.description, new.room_id, new.cost) == ("NEW-0001", asset.description,
                                                                 asset.room_id, asset.cost)
    assert [e[1] for e in _events(demo_db, new.id)][0] == "created"


def test_delete_only_without_history_otherwise_dispose(qtbot, demo_db) -> None:
    prompts = RecordingPrompts(answer=True)
    editor = _open(qtbot, demo_db, None, prompts=prompts, initial={"description": "Mistake"})
    _type(qtbot, editor, "tag", "OOPS-1")
    _type(qtbot, editor, "cost", "10")
    editor.fields["class_id"].editor.setCurrentIndex(1)
    with qtbot.waitSignal(editor.saved, timeout=10_000) as saved:
        editor.save()
    new_id = saved.args[0]
    fresh = _open(qtbot, demo_db, new_id, prompts=prompts)
    assert fresh.delete_button.text() == "Delete"
    with qtbot.waitSignal(fresh.deleted, timeout=10_000):
        fresh.delete_button.click()
    assert prompts.asked and "OOPS-1" in prompts.asked[0][1]
    assert _load(demo_db, new_id) is None

    asset = _an_asset(demo_db)
    update_asset(demo_db, "clerk", asset.id, asset.version, {"notes": "seen"})
    old = _open(qtbot, demo_db, asset.id, prompts=prompts)
    assert "Dispose" in old.delete_button.text()
    old.delete_button.click()
    dialog = old.dispose_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.proceeds.setText("$25.00")
    with qtbot.waitSignal(old.saved, timeout=10_000):
        dialog.ok.click()
    after = _load(demo_db, asset.id)
    assert after.status is AssetStatus.DISPOSED and after.disposal_proceeds == Decimal("25.00")


def test_read_only_database_cannot_save(qtbot, demo_db, monkeypatch) -> None:
    monkeypatch.setattr(demo_db, "read_only", True)
    asset = _an_asset(demo_db)
    editor = _open(qtbot, demo_db, asset.id)
    assert not editor.save_button.isEnabled()
    assert not editor.fields["description"].editor.isEnabled()
    assert editor.banner.isVisible()
