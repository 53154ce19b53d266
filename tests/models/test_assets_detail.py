"""What the editor reads (one asset, its history, choice lists) and the services it saves
through (fields and funding as one version, bulk funding, cancel rolls back)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models.errors import ConflictError, ValidationError
from models.progress import Cancelled, Progress
from models.queries.assets_detail import asset_detail, describe_values, find_asset_by_tag
from models.queries.choices import editor_choices, find_people, find_rooms
from models.schema import Asset, FundingShare, HistoryEvent
from models.services.assets import (
    Share,
    create_asset,
    move_assets,
    set_funding_many,
    update_asset,
    update_assets,
)
from tests.db_fixtures import asset_values


def test_detail_names_what_the_ids_point_at_and_lists_history(db, reference):
    asset_id = create_asset(
        db, "clerk", asset_values(reference, custodian_id=reference.person,
                                  department_id=reference.department),
        funding=[Share(reference.federal_grant, Decimal("60")), Share(reference.general_fund, Decimal("40"))],
    )
    detail = asset_detail(db, asset_id)
    assert detail.deletable
    assert detail.labels["room_id"] == "LIN · A · 101"
    assert detail.labels["custodian_id"].startswith("Okafor, Ada (staff")
    assert detail.labels["department_id"] == "IT — Information Technology"
    assert [(f.label, f.percent, f.is_federal) for f in detail.funding] == [
        ("GF — General fund", Decimal("40.00"), False),
        ("ESSER3 — ESSER III", Decimal("60.00"), True),
    ]
    update_asset(db, "alice", asset_id, detail.version, {"room_id": reference.other_room, "cost": "1,250.00"})
    detail = asset_detail(db, asset_id)
    assert not detail.deletable
    newest = detail.history[0]
    assert (newest.actor, newest.action) == ("alice", "edited")
    changes = {label: (old, new) for label, old, new in newest.changes}
    assert changes["Room"] == ("LIN · A · 101", "WHS · A · 204")
    assert changes["Cost"] == ("$1,200.00", "$1,250.00")
    assert changes["Site"][1].startswith("WHS")
    assert detail.history[-1].action == "created"


def test_find_by_tag_is_exact(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference, tag="CG-00042"))
    assert find_asset_by_tag(db, "CG-00042") == asset_id
    assert find_asset_by_tag(db, " cg-00042 ") == asset_id  # a scanner in lower case
    assert find_asset_by_tag(db, "CG-0004") is None
    assert find_asset_by_tag(db, "") is None


def test_choice_lists_and_searches(db, reference):
    choices = editor_choices(db)
    assert [c.label for c in choices.departments] == ["IT — Information Technology"]
    assert {c.key for c in choices.funding_sources} == {reference.general_fund, reference.federal_grant}
    assert [c.key for c in find_rooms(db, "204")] == [reference.other_room]
    assert [c.key for c in find_rooms(db, "whs 20")] == [reference.other_room]
    assert [c.key for c in find_people(db, "okaf")] == [reference.person]
    assert [c.key for c in find_people(db, "", staff_only=True)] == [reference.person]


def test_describe_values_for_the_conflict_dialog(db, reference):
    text = describe_values(db, {
        "room_id": reference.other_room, "cost": Decimal("5.00"), "serial": None,
        "funding": [[reference.general_fund, "100.00"]],
    })
    assert text == {"room_id": "WHS · A · 204", "cost": "$5.00", "serial": "—", "funding": "GF 100.00%"}


def test_fields_and_funding_save_as_one_version(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    version = update_asset(
        db, "clerk", asset_id, 1, {"description": "Panel, 75 in"},
        funding=[Share(reference.general_fund, Decimal("100"))],
    )
    assert version == 2
    with pytest.raises(ValidationError) as raised:
        update_asset(db, "clerk", asset_id, 2, {"description": "Changed"},
                     funding=[Share(reference.general_fund, Decimal("90"))])
    assert raised.value.field == "funding"
    detail = asset_detail(db, asset_id)
    assert detail.values["description"] == "Panel, 75 in"  # the failed save changed nothing
    assert detail.version == 2


def test_a_funding_conflict_shows_their_funding(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    update_asset(db, "bob", asset_id, 1, {}, funding=[Share(reference.federal_grant, Decimal("100"))])
    with pytest.raises(ConflictError) as raised:
        update_asset(db, "alice", asset_id, 1, {}, funding=[Share(reference.general_fund, Decimal("100"))])
    assert raised.value.mine == {"funding": [[reference.general_fund, "100.00"]]}
    assert raised.value.theirs == {"funding": [[reference.federal_grant, "100.00"]]}


def _count(db, stmt):
    with db.reading() as session:
        return session.scalar(stmt)


def test_bulk_funding_one_event_per_changed_asset(db, reference):
    ids = [create_asset(db, "clerk", asset_values(reference, tag=f"B-{i}")) for i in range(3)]
    update_asset(db, "clerk", ids[0], 1, {}, funding=[Share(reference.general_fund, Decimal("100"))])
    changed = set_funding_many(db, "finance", ids, [Share(reference.general_fund, Decimal("100"))])
    assert changed == 2
    events = _count(db, select(func.count()).select_from(HistoryEvent).where(
        HistoryEvent.action == "funding_changed", HistoryEvent.actor == "finance"))
    assert events == 2
    with pytest.raises(ValidationError) as raised:
        set_funding_many(db, "finance", ids, [Share(reference.general_fund, Decimal("50"))])
    assert raised.value.field == "funding"


def test_cancelling_a_bulk_edit_rolls_everything_back(db, reference):
    ids = [create_asset(db, "clerk", asset_values(reference, tag=f"C-{i}")) for i in range(1200)]
    before = _count(db, select(func.count()).select_from(HistoryEvent))
    progress = Progress()
    seen = []

    def report(done):
        seen.append(done)
        if done >= 500:
            progress.cancel()
        progress.step(done, len(ids))

    with pytest.raises(Cancelled):
        update_assets(db, "clerk", ids, {"room_id": reference.other_room}, action="moved", progress=report)
    assert seen == [500]
    assert _count(db, select(func.count()).select_from(HistoryEvent)) == before
    assert _count(db, select(func.count()).select_from(Asset).where(Asset.room_id == reference.other_room)) == 0
    with pytest.raises(Cancelled):
        set_funding_many(db, "clerk", ids, [Share(reference.general_fund, Decimal("100"))], progress=report)
    assert _count(db, select(func.count()).select_from(FundingShare)) == 0
    assert move_assets(db, "clerk", ids[:2], reference.other_room) == 2
