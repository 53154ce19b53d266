"""Asset services on both backends: validation, derived fields, history, conflicts, bulk, lifecycle, funding."""

from __future__ import annotations

import json
import threading
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from models.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from models.history import verify_chain
from models.schema import (
    Asset,
    AssetStatus,
    Assignment,
    FundingProgram,
    FundingShare,
    FundingSource,
    HistoryEvent,
)
from models.services.assets import (
    Share,
    assign_asset,
    change_status,
    create_asset,
    delete_asset,
    dispose_asset,
    move_assets,
    return_asset,
    set_funding,
    update_asset,
    update_assets,
)
from tests.db_fixtures import asset_values


def events(db, asset_id=None):
    """(action, changes) of every history event, oldest first."""
    stmt = select(HistoryEvent).order_by(HistoryEvent.id)
    if asset_id is not None:
        stmt = stmt.where(HistoryEvent.entity_type == "asset", HistoryEvent.entity_id == asset_id)
    with db.reading() as session:
        return [(e.action, json.loads(e.changes)) for e in session.scalars(stmt)]


def load(db, asset_id) -> Asset:
    with db.reading() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        return asset


def count(db, model) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def chain_intact(db) -> bool:
    with db.engine.connect() as connection:
        return verify_chain(connection).intact


# -- create: validation names the field, and nothing is written --------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"tag": None}, "tag", ValidationError),
        ({"tag": "   "}, "tag", ValidationError),
        ({"description": ""}, "description", ValidationError),
        ({"cost": Decimal("-0.01")}, "cost", ValidationError),
        ({"cost": "-$5.00"}, "cost", ValidationError),
        ({"cost": "twelve"}, "cost", ValidationError),
        ({"cost": 12.5}, "cost", ValidationError),  # floats are never money
        ({"salvage_value": Decimal("1200.01")}, "salvage_value", ValidationError),
        ({"acquired_on": "2024-13-01"}, "acquired_on", ValidationError),
        ({"acquired_on": "15/08/2024"}, "acquired_on", ValidationError),
        ({"in_service_on": date(2024, 8, 1)}, "in_service_on", ValidationError),  # before acquired
        ({"class_id": 999}, "class_id", ValidationError),
        ({"room_id": 999}, "room_id", ValidationError),
        ({"function_code": "9999"}, "function_code", ValidationError),
        ({"status": "misplaced"}, "status", ValidationError),
        ({"status": "disposed"}, "status", ValidationError),
        ({"colour": "blue"}, "colour", ValidationError),
        ({"disposed_on": date(2025, 1, 1)}, "disposed_on", ValidationError),
        ({"assigned_person_id": 1}, "assigned_person_id", ValidationError),
        ({"tag": "X" * 33}, "tag", ValidationError),
    ],
)
def test_create_refuses_bad_values_naming_the_field(db, reference, overrides, field, error):
    with pytest.raises(error) as raised:
        create_asset(db, "clerk", asset_values(reference, **overrides))
    assert raised.value.field == field
    assert raised.value.message.startswith(f"{field}: ")
    assert count(db, Asset) == 0
    assert count(db, HistoryEvent) == 0


def test_create_requires_the_required_fields(db, reference):
    values = asset_values(reference)
    del values["cost"]
    with pytest.raises(ValidationError) as raised:
        create_asset(db, "clerk", values)
    assert raised.value.field == "cost"


def test_a_duplicate_tag_is_refused(db, reference):
    first = create_asset(db, "clerk", asset_values(reference, tag="RUSD-001"))
    with pytest.raises(DuplicateError) as raised:
        create_asset(db, "clerk", asset_values(reference, tag=" RUSD-001 ", serial="other"))
    assert raised.value.field == "tag"
    assert str(first) in raised.value.message
    assert count(db, Asset) == 1
    assert [action for action, _ in events(db)] == ["created"]


def test_create_records_every_given_field(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference, cost="$1,200.00"))
    asset = load(db, asset_id)
    assert asset.cost == Decimal("1200.00")
    assert asset.status is AssetStatus.IN_SERVICE
    assert asset.version == 1
    ((action, changes),) = events(db, asset_id)
    assert action == "created"
    assert changes["tag"] == [None, "T-0001"]
    assert changes["cost"] == [None, "1200.00"]
    assert changes["site_id"] == [None, reference.site]
    assert "disposed_on" not in changes  # None -> None is no change


# -- derived fields --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cost", "capitalized"),
    [("4999.99", False), ("5000.00", True), ("5000.01", True), ("0.00", False)],
)
def test_capitalized_follows_the_class_threshold(db, reference, cost, capitalized):
    asset_id = create_asset(db, "clerk", asset_values(reference, cost=Decimal(cost)))
    assert load(db, asset_id).capitalized is capitalized


def test_land_is_capitalized_at_any_cost(db, reference):
    asset_id = create_asset(
        db, "clerk", asset_values(reference, class_id=reference.land_class, cost=Decimal("1.00"))
    )
    assert load(db, asset_id).capitalized is True


def test_overriding_capitalized_needs_a_reason(db, reference):
    with pytest.raises(ValidationError) as raised:
        create_asset(db, "clerk", asset_values(reference, cost=Decimal("4999.99"), capitalized=True))
    assert raised.value.field == "capitalized"
    assert "$5,000.00" in raised.value.message
    assert count(db, Asset) == 0

    asset_id = create_asset(
        db,
        "clerk",
        asset_values(
            reference,
            cost=Decimal("4999.99"),
            capitalized=True,
            capitalization_override_reason="Part of the 2024 science lab project",
        ),
    )
    assert load(db, asset_id).capitalized is True


def test_an_override_on_edit_needs_a_reason_too(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference, cost=Decimal("6000.00")))
    with pytest.raises(ValidationError) as raised:
        update_asset(db, "clerk", asset_id, 1, {"capitalized": False})
    assert raised.value.field == "capitalized"
    assert load(db, asset_id).capitalized is True
    assert load(db, asset_id).version == 1


def test_a_cost_change_across_the_threshold_recapitalizes(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference, cost=Decimal("4999.99")))
    update_asset(db, "clerk", asset_id, 1, {"cost": Decimal("5000.00")})
    assert load(db, asset_id).capitalized is True
    assert events(db, asset_id)[-1] == (
        "edited",
        {"capitalized": [False, True], "cost": ["4999.99", "5000.00"]},
    )


def test_the_room_sets_the_site(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference, room_id=reference.other_room))
    assert load(db, asset_id).site_id == reference.other_site

    update_asset(db, "clerk", asset_id, 1, {"room_id": reference.room})

    assert load(db, asset_id).site_id == reference.site
    assert events(db, asset_id)[-1][1] == {
        "room_id": [reference.other_room, reference.room],
        "site_id": [reference.other_site, reference.site],
    }


# -- edit ------------------------------------------------------------------------------------


def test_an_edit_records_exactly_the_changed_fields(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))

    version = update_asset(
        db,
        "tech",
        asset_id,
        1,
        {"description": "Interactive flat panel 75in", "cost": "1,350.5", "serial": "SN-T-0001"},
    )

    assert version == 2
    asset = load(db, asset_id)
    assert (asset.description, asset.cost, asset.version) == (
        "Interactive flat panel 75in",
        Decimal("1350.50"),
        2,
    )
    history = events(db, asset_id)
    assert len(history) == 2
    assert history[1] == (
        "edited",
        {
            "cost": ["1200.00", "1350.50"],
            "description": ["Interactive flat panel", "Interactive flat panel 75in"],
        },
    )
    with db.reading() as session:
        assert session.scalars(select(HistoryEvent.actor).order_by(HistoryEvent.id)).all() == [
            "clerk",
            "tech",
        ]


def test_a_no_op_edit_writes_nothing(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    before = load(db, asset_id)

    version = update_asset(
        db, "clerk", asset_id, 1, {"description": "  Interactive flat panel ", "cost": "1200"}
    )

    assert version == 1
    after = load(db, asset_id)
    assert (after.version, after.updated_at) == (1, before.updated_at)
    assert len(events(db, asset_id)) == 1


def test_an_edit_of_a_missing_asset_is_not_found(db, reference):
    with pytest.raises(NotFoundError):
        update_asset(db, "clerk", 4242, 1, {"notes": "x"})


def test_a_refused_edit_changes_nothing(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    with pytest.raises(ValidationError) as raised:
        update_asset(db, "clerk", asset_id, 1, {"notes": "fine", "salvage_value": "1300"})
    assert raised.value.field == "salvage_value"
    asset = load(db, asset_id)
    assert (asset.notes, asset.version) == (None, 1)
    assert len(events(db, asset_id)) == 1


# -- two clerks, one asset ---------------------------------------------------------------------


def _assert_only_first_edit(db, asset_id, first_actor="alice"):
    asset = load(db, asset_id)
    assert (asset.description, asset.cost, asset.version) == (
        "Edited by Alice",
        Decimal("1200.00"),
        2,
    )
    history = events(db, asset_id)
    assert [action for action, _ in history] == ["created", "edited"]
    assert history[1][1] == {"description": ["Interactive flat panel", "Edited by Alice"]}
    assert chain_intact(db)


def test_a_stale_save_is_refused_with_both_versions(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    # Two clerks open the asset, each in their own session.
    with db.reading() as session:
        alice_copy = session.get(Asset, asset_id)
    with db.reading() as session:
        bob_copy = session.get(Asset, asset_id)
    assert alice_copy.version == bob_copy.version == 1

    update_asset(db, "alice", asset_id, alice_copy.version, {"description": "Edited by Alice"})
    with pytest.raises(ConflictError) as raised:
        update_asset(
            db,
            "bob",
            asset_id,
            bob_copy.version,
            {"description": "Edited by Bob", "cost": Decimal("999.00")},
        )

    conflict = raised.value
    assert (conflict.expected_version, conflict.current_version) == (1, 2)
    assert conflict.mine == {"description": "Edited by Bob", "cost": Decimal("999.00")}
    assert conflict.theirs == {"description": "Edited by Alice", "cost": Decimal("1200.00")}
    assert conflict.changed_by == "alice"
    assert "alice" in conflict.message and "Nothing was saved" in conflict.message
    _assert_only_first_edit(db, asset_id)


def test_simultaneous_saves_one_wins_one_conflicts(db, reference, open_db):
    """Two clients save at the same moment on their own connections."""
    asset_id = create_asset(db, "clerk", asset_values(reference))
    clients = {"alice": db, "bob": open_db(db.url)}
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def save(actor):
        start.wait()
        try:
            outcome[actor] = update_asset(
                clients[actor], actor, asset_id, 1, {"description": f"Edited by {actor.title()}"}
            )
        except ConflictError as err:
            outcome[actor] = err

    threads = [threading.Thread(target=save, args=(actor,)) for actor in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [actor for actor, result in outcome.items() if result == 2]
    losers = [actor for actor, result in outcome.items() if isinstance(result, ConflictError)]
    assert len(winners) == 1 and len(losers) == 1, outcome
    (winner,) = winners
    assert outcome[losers[0]].changed_by == winner
    asset = load(db, asset_id)
    assert (asset.description, asset.version) == (f"Edited by {winner.title()}", 2)
    assert [action for action, _ in events(db, asset_id)] == ["created", "edited"]
    assert chain_intact(db)


@pytest.mark.postgres
def test_a_save_that_loses_the_race_at_write_time_is_a_conflict(pg_url, open_db, reference_on):
    """Alice's version check passes, then Bob commits before Alice's UPDATE runs.

    Only PostgreSQL lets the two interleave (SQLite writers take the lock up
    front); the version column in the UPDATE's WHERE is what catches it.
    """
    alice_db, bob_db = open_db(pg_url), open_db(pg_url)
    ref = reference_on(alice_db)
    asset_id = create_asset(alice_db, "clerk", asset_values(ref))
    fired = []

    def bob_saves_first(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("UPDATE assets") and not fired:
            fired.append(True)
            update_asset(bob_db, "bob", asset_id, 1, {"description": "Edited by Bob"})

    event.listen(alice_db.engine, "before_cursor_execute", bob_saves_first)
    try:
        with pytest.raises(ConflictError) as raised:
            update_asset(alice_db, "alice", asset_id, 1, {"description": "Edited by Alice"})
    finally:
        event.remove(alice_db.engine, "before_cursor_execute", bob_saves_first)

    assert fired
    conflict = raised.value
    assert conflict.changed_by == "bob"
    assert conflict.theirs == {"description": "Edited by Bob"}
    assert conflict.mine == {"description": "Edited by Alice"}
    asset = load(alice_db, asset_id)
    assert (asset.description, asset.version) == ("Edited by Bob", 2)
    history = events(alice_db, asset_id)
    assert [action for action, _ in history] == ["created", "edited"]
    assert history[1][1] == {"description": ["Interactive flat panel", "Edited by Bob"]}
    assert chain_intact(alice_db)


# -- bulk ------------------------------------------------------------------------------------


def _many(db, ref, n):
    return [create_asset(db, "clerk", asset_values(ref, tag=f"B-{i:03d}")) for i in range(n)]


def test_a_bulk_move_is_one_transaction_with_one_event_per_asset(db, reference):
    ids = _many(db, reference, 12)
    commits = []
    listener = lambda conn: commits.append(1)  # noqa: E731
    event.listen(db.engine, "commit", listener)
    try:
        moved = move_assets(db, "facilities", ids, reference.other_room)
    finally:
        event.remove(db.engine, "commit", listener)

    assert moved == 12
    assert len(commits) == 1
    with db.reading() as session:
        rows = session.execute(select(Asset.room_id, Asset.site_id, Asset.version)).all()
        moves = session.scalars(select(HistoryEvent).where(HistoryEvent.action == "moved")).all()
    assert set(rows) == {(reference.other_room, reference.other_site, 2)}
    assert sorted(e.entity_id for e in moves) == sorted(ids)
    assert len({e.occurred_at for e in moves}) == 1
    assert json.loads(moves[0].changes) == {
        "room_id": [reference.room, reference.other_room],
        "site_id": [reference.site, reference.other_site],
    }
    assert chain_intact(db)


def test_a_bulk_move_with_one_bad_id_changes_nothing(db, reference):
    ids = _many(db, reference, 5)
    before = count(db, HistoryEvent)

    with pytest.raises(NotFoundError, match="4242"):
        move_assets(db, "facilities", [*ids[:3], 4242, *ids[3:]], reference.other_room)

    with db.reading() as session:
        assert set(session.scalars(select(Asset.room_id))) == {reference.room}
        assert set(session.scalars(select(Asset.version))) == {1}
    assert count(db, HistoryEvent) == before


def test_a_bulk_move_to_an_unknown_room_is_refused(db, reference):
    ids = _many(db, reference, 2)
    with pytest.raises(ValidationError) as raised:
        move_assets(db, "facilities", ids, 4242)
    assert raised.value.field == "room_id"


def test_bulk_edits_only_take_bulk_fields(db, reference):
    ids = _many(db, reference, 2)
    with pytest.raises(ValidationError) as raised:
        update_assets(db, "clerk", ids, {"cost": "1.00"})
    assert raised.value.field == "cost"


def test_a_status_change_counts_only_real_changes(db, reference):
    ids = _many(db, reference, 4)
    update_asset(db, "clerk", ids[0], 1, {"status": "in_storage"})

    changed = change_status(db, "clerk", ids, AssetStatus.IN_STORAGE, note="summer storage")

    assert changed == 3
    with db.reading() as session:
        rows = session.scalars(select(HistoryEvent).where(HistoryEvent.action == "status_changed")).all()
    assert sorted(e.entity_id for e in rows) == sorted(ids[1:])
    assert {e.note for e in rows} == {"summer storage"}


# -- custody ---------------------------------------------------------------------------------


def _loans(db, asset_id):
    with db.reading() as session:
        return session.execute(
            select(Assignment.person_id, Assignment.loaned_on, Assignment.returned_on, Assignment.lost_on)
            .where(Assignment.asset_id == asset_id)
            .order_by(Assignment.id)
        ).all()


def test_assign_return_and_lose(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))

    assign_asset(db, "tech", asset_id, reference.person, date(2024, 9, 1))
    assert load(db, asset_id).assigned_person_id == reference.person
    assert _loans(db, asset_id) == [(reference.person, date(2024, 9, 1), None, None)]

    with pytest.raises(ValidationError) as raised:
        assign_asset(db, "tech", asset_id, reference.other_person, date(2024, 9, 2))
    assert raised.value.field == "assigned_person_id"
    assert "Ada Okafor" in raised.value.message
    assert len(_loans(db, asset_id)) == 1

    with pytest.raises(ValidationError) as raised:
        return_asset(db, "tech", asset_id, date(2024, 8, 31))
    assert raised.value.field == "returned_on"

    return_asset(db, "tech", asset_id, date(2025, 6, 10))
    assert load(db, asset_id).assigned_person_id is None
    assert _loans(db, asset_id) == [(reference.person, date(2024, 9, 1), date(2025, 6, 10), None)]

    with pytest.raises(ValidationError, match="not assigned"):
        return_asset(db, "tech", asset_id, date(2025, 6, 11))

    assign_asset(db, "tech", asset_id, reference.other_person, "2025-08-20")
    return_asset(db, "tech", asset_id, date(2025, 10, 3), lost=True)

    asset = load(db, asset_id)
    assert (asset.status, asset.assigned_person_id) == (AssetStatus.LOST, None)
    assert _loans(db, asset_id)[-1] == (reference.other_person, date(2025, 8, 20), None, date(2025, 10, 3))
    history = events(db, asset_id)
    assert [action for action, _ in history] == ["created", "assigned", "returned", "assigned", "lost"]
    assert history[1][1] == {"assigned_person_id": [None, reference.person]}
    assert history[4][1] == {
        "assigned_person_id": [reference.other_person, None],
        "status": ["in_service", "lost"],
    }
    assert chain_intact(db)


def test_assigning_to_nobody_is_refused(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    with pytest.raises(ValidationError) as raised:
        assign_asset(db, "tech", asset_id, 4242, date(2024, 9, 1))
    assert raised.value.field == "assigned_person_id"
    assert _loans(db, asset_id) == []


# -- disposal --------------------------------------------------------------------------------


def test_dispose(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))

    with pytest.raises(ValidationError) as raised:
        dispose_asset(db, "finance", asset_id, 1, disposed_on=date(2024, 8, 14), method="sold")
    assert raised.value.field == "disposed_on"
    assert load(db, asset_id).status is AssetStatus.IN_SERVICE

    version = dispose_asset(
        db, "finance", asset_id, 1, disposed_on=date(2024, 8, 15), method="sold", proceeds="$150.25"
    )

    asset = load(db, asset_id)
    assert version == asset.version == 2
    assert (asset.status, asset.disposed_on, asset.disposal_proceeds) == (
        AssetStatus.DISPOSED,
        date(2024, 8, 15),
        Decimal("150.25"),
    )
    assert events(db, asset_id)[-1] == (
        "disposed",
        {
            "disposal_method": [None, "sold"],
            "disposal_proceeds": [None, "150.25"],
            "disposed_on": [None, "2024-08-15"],
            "status": ["in_service", "disposed"],
        },
    )

    with pytest.raises(ValidationError) as raised:
        dispose_asset(db, "finance", asset_id, 2, disposed_on=date(2024, 9, 1), method="recycled")
    assert raised.value.field == "status"
    with pytest.raises(ValidationError):
        update_asset(db, "clerk", asset_id, 2, {"description": "Changed after disposal"})
    update_asset(db, "clerk", asset_id, 2, {"notes": "Sold at the spring auction"})
    assert len(events(db, asset_id)) == 3


def test_dispose_refuses_an_assigned_asset(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    assign_asset(db, "tech", asset_id, reference.person, date(2024, 9, 1))
    version = load(db, asset_id).version
    with pytest.raises(ValidationError) as raised:
        dispose_asset(db, "finance", asset_id, version, disposed_on=date(2025, 1, 1), method="recycled")
    assert raised.value.field == "assigned_person_id"
    assert load(db, asset_id).status is AssetStatus.IN_SERVICE


def test_dispose_with_a_stale_version_is_a_conflict(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    update_asset(db, "alice", asset_id, 1, {"notes": "checked"})
    with pytest.raises(ConflictError) as raised:
        dispose_asset(db, "finance", asset_id, 1, disposed_on=date(2025, 1, 1), method="recycled")
    assert raised.value.changed_by == "alice"
    assert load(db, asset_id).status is AssetStatus.IN_SERVICE


# -- delete ----------------------------------------------------------------------------------


def test_delete_only_what_has_no_past(db, reference):
    fresh = create_asset(db, "clerk", asset_values(reference, tag="T-1"))
    edited = create_asset(db, "clerk", asset_values(reference, tag="T-2"))
    update_asset(db, "clerk", edited, 1, {"notes": "x"})

    delete_asset(db, "clerk", fresh)

    with db.reading() as session:
        assert session.get(Asset, fresh) is None
    assert events(db, fresh)[-1] == (
        "deleted",
        {"cost": ["1200.00", None], "description": ["Interactive flat panel", None], "tag": ["T-1", None]},
    )
    with pytest.raises(ValidationError, match="dispose"):
        delete_asset(db, "clerk", edited)
    assert load(db, edited).tag == "T-2"
    with pytest.raises(NotFoundError):
        delete_asset(db, "clerk", fresh)


def test_delete_refuses_an_asset_with_components(db, reference):
    parent = create_asset(db, "clerk", asset_values(reference, tag="CART-1"))
    create_asset(db, "clerk", asset_values(reference, tag="CB-1", parent_id=parent))
    with pytest.raises(ValidationError, match="components"):
        delete_asset(db, "clerk", parent)
    assert count(db, Asset) == 2


# -- funding ---------------------------------------------------------------------------------


@pytest.fixture
def third_source(db, reference) -> int:
    with db.unit_of_work("setup") as work:
        source = FundingSource(
            code="ERATE", name="E-Rate", program=FundingProgram.E_RATE, is_federal=True, erate_frn="2399012345"
        )
        work.session.add(source)
        work.session.flush()
        return source.id


def _shares(db, asset_id):
    with db.reading() as session:
        return session.execute(
            select(FundingShare.funding_source_id, FundingShare.share_basis_points)
            .where(FundingShare.asset_id == asset_id)
            .order_by(FundingShare.funding_source_id)
        ).all()


def test_funding_in_thirds(db, reference, third_source):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    shares = [
        Share(reference.general_fund, Decimal("33.33")),
        Share(reference.federal_grant, Decimal("33.33")),
        Share(third_source, Decimal("33.34")),
    ]

    version = set_funding(db, "finance", asset_id, 1, shares)

    assert version == 2 == load(db, asset_id).version
    assert _shares(db, asset_id) == [
        (reference.general_fund, 3333),
        (reference.federal_grant, 3333),
        (third_source, 3334),
    ]
    assert events(db, asset_id)[-1] == (
        "funding_changed",
        {
            "funding": [
                [],
                [
                    [reference.general_fund, "33.33"],
                    [reference.federal_grant, "33.33"],
                    [third_source, "33.34"],
                ],
            ]
        },
    )


@pytest.mark.parametrize(
    "percents",
    [
        [("general_fund", "50"), ("federal_grant", "49.99")],
        [("general_fund", "50"), ("federal_grant", "50.01")],
        [("general_fund", "100"), ("general_fund", "0.00")],
        [("general_fund", "60"), ("general_fund", "40")],  # the same source twice
        [("general_fund", "100.01")],
        [("general_fund", "-10"), ("federal_grant", "110")],
    ],
)
def test_funding_that_is_not_exactly_100_percent_is_refused(db, reference, percents):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    set_funding(db, "finance", asset_id, 1, [Share(reference.general_fund, Decimal("100"))])
    shares = [Share(getattr(reference, name), Decimal(p)) for name, p in percents]

    with pytest.raises(ValidationError) as raised:
        set_funding(db, "finance", asset_id, 2, shares)

    assert raised.value.field == "funding"
    assert _shares(db, asset_id) == [(reference.general_fund, 10000)]
    assert load(db, asset_id).version == 2
    assert len(events(db, asset_id)) == 2


def test_funding_from_an_unknown_source_is_refused(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    with pytest.raises(ValidationError, match="no funding source 4242"):
        set_funding(db, "finance", asset_id, 1, [Share(4242, Decimal("100"))])
    assert _shares(db, asset_id) == []


def test_funding_given_at_creation(db, reference):
    asset_id = create_asset(
        db,
        "clerk",
        asset_values(reference),
        funding=[Share(reference.federal_grant, Decimal("75")), Share(reference.general_fund, Decimal("25"))],
    )
    assert _shares(db, asset_id) == [(reference.general_fund, 2500), (reference.federal_grant, 7500)]
    assert [action for action, _ in events(db, asset_id)] == ["created", "funding_changed"]
    with pytest.raises(ValidationError):
        create_asset(
            db, "clerk", asset_values(reference, tag="T-2"), funding=[Share(reference.general_fund, Decimal("99"))]
        )
    assert count(db, Asset) == 1


def test_the_same_funding_again_changes_nothing(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    shares = [Share(reference.general_fund, Decimal("100"))]
    set_funding(db, "finance", asset_id, 1, shares)
    assert set_funding(db, "finance", asset_id, 2, shares) == 2
    assert len(events(db, asset_id)) == 2


def test_a_stale_funding_change_is_a_conflict(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    update_asset(db, "alice", asset_id, 1, {"notes": "x"})
    with pytest.raises(ConflictError) as raised:
        set_funding(db, "finance", asset_id, 1, [Share(reference.general_fund, Decimal("100"))])
    assert raised.value.mine == {"funding": [[reference.general_fund, "100.00"]]}
    assert _shares(db, asset_id) == []


@st.composite
def splits(draw):
    """Two or three shares in whole cents of a percent that add up to exactly 100.00%."""
    parts = draw(st.integers(min_value=2, max_value=3))
    cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=parts - 1, max_size=parts - 1, unique=True)))
    bounds = [0, *cuts, 10000]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=splits(), off_by=st.sampled_from([-1, 1]))
def test_any_split_that_adds_to_100_percent_is_kept(db, reference, third_source, points, off_by):
    sources = [reference.general_fund, reference.federal_grant, third_source]
    with db.reading() as session:
        existing = session.scalar(select(Asset.id).where(Asset.tag == "SPLIT"))
    asset_id = existing or create_asset(db, "clerk", asset_values(reference, tag="SPLIT"))
    version = load(db, asset_id).version
    shares = [Share(s, Decimal(p) / 100) for s, p in zip(sources, points)]

    wrong = [*shares[:-1], Share(shares[-1].funding_source_id, (Decimal(points[-1] + off_by)) / 100)]
    with pytest.raises(ValidationError):
        set_funding(db, "finance", asset_id, version, wrong)
    set_funding(db, "finance", asset_id, version, shares)

    assert _shares(db, asset_id) == sorted(zip(sources, points))
    assert sum(p for _, p in _shares(db, asset_id)) == 10000


@pytest.mark.parametrize("with_funding", [False, True])
def test_an_asset_entered_by_mistake_can_be_deleted_with_its_funding(db, reference, with_funding) -> None:
    from models.services.assets import Share, create_asset, delete_asset, update_asset
    from models.schema import Asset

    funding = [Share(reference.general_fund, Decimal("100"))] if with_funding else []
    asset_id = create_asset(db, "clerk", asset_values(reference, tag="MISTAKE-1"), funding)
    delete_asset(db, "clerk", asset_id)
    with db.reading() as session:
        assert session.get(Asset, asset_id) is None
    kept = create_asset(db, "clerk", asset_values(reference, tag="KEPT-1"), funding)
    update_asset(db, "clerk", kept, 1, {"notes": "seen in room 12"})
    with pytest.raises(ValidationError, match="dispose of it instead"):
        delete_asset(db, "clerk", kept)
