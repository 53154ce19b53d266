"""The hash-chained history: it verifies, tampering is named, the guards hold."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import exc, func, select, text

from desktop.commands.history import run_verify
from models.demo import DemoOptions, generate_demo
from models.history import (
    GENESIS_HASH,
    PendingEvent,
    canonical_value,
    chain,
    changes_json,
    event_hash,
    hash_many,
    verify_chain,
)
from models.schema import Asset, AssetStatus, HistoryEvent
from models.services.assets import (
    Share,
    assign_asset,
    create_asset,
    delete_asset,
    dispose_asset,
    move_assets,
    return_asset,
    set_funding,
    update_asset,
)
from tests.db_fixtures import asset_values, tamper


def verify(db):
    with db.engine.connect() as connection:
        return verify_chain(connection)


def event_ids(db):
    with db.reading() as session:
        return session.scalars(select(HistoryEvent.id).order_by(HistoryEvent.id)).all()


def some_history(db, ref) -> None:
    """A day at the district office: every kind of change once."""
    a = create_asset(db, "clerk", asset_values(ref, tag="H-1"))
    b = create_asset(db, "clerk", asset_values(ref, tag="H-2", cost=Decimal("7200.00")))
    c = create_asset(db, "clerk", asset_values(ref, tag="H-3"))
    update_asset(db, "tech", a, 1, {"description": "Panel, 75 inch", "serial": "X1"})
    move_assets(db, "facilities", [a, b], ref.other_room)
    assign_asset(db, "tech", a, ref.person, date(2024, 9, 3))
    return_asset(db, "tech", a, date(2025, 6, 12))
    set_funding(db, "finance", b, 2, [Share(ref.general_fund, Decimal("40")), Share(ref.federal_grant, Decimal("60"))])
    dispose_asset(db, "finance", b, 3, disposed_on=date(2025, 3, 1), method="auctioned", proceeds="800")
    delete_asset(db, "clerk", c)


def test_the_chain_verifies_after_every_kind_of_change(db, reference):
    some_history(db, reference)
    report = verify(db)
    assert report.intact
    assert report.events_checked == len(event_ids(db)) == 11
    assert report.broken_event_id is None and report.problem is None


def test_the_chain_of_an_empty_history_verifies(db):
    assert verify(db).intact and verify(db).events_checked == 0


def test_each_event_links_to_the_one_before(db, reference):
    some_history(db, reference)
    with db.reading() as session:
        rows = session.scalars(select(HistoryEvent).order_by(HistoryEvent.id)).all()
    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in zip(rows, rows[1:]):
        assert after.prev_hash == before.hash
    assert all(r.occurred_at.tzinfo is not None for r in rows)


def test_verify_reports_progress_in_batches(db, reference):
    some_history(db, reference)
    seen = []
    with db.engine.connect() as connection:
        report = verify_chain(connection, progress=seen.append, batch_size=5)
    assert report.intact
    assert seen == [5, 10, 11]


TAMPERING = {
    "changes": "UPDATE history_events SET changes = :v WHERE id = :id",
    "actor": "UPDATE history_events SET actor = :v WHERE id = :id",
    "note": "UPDATE history_events SET note = :v WHERE id = :id",
    "entity_id": "UPDATE history_events SET entity_id = entity_id + 1 WHERE id = :id",
}


@pytest.mark.parametrize(
    ("column", "position"),
    [("changes", "first"), ("changes", "last"), ("actor", "middle"), ("note", "last"), ("entity_id", "first")],
)
def test_an_altered_event_is_named(db, reference, column, position):
    some_history(db, reference)
    ids = event_ids(db)
    target = {"first": ids[0], "middle": ids[len(ids) // 2], "last": ids[-1]}[position]
    params = {"id": target}
    if ":v" in TAMPERING[column]:
        params["v"] = '{"cost":["1200.00","12.00"]}' if column == "changes" else "someone else"

    tamper(db, TAMPERING[column], **params)

    report = verify(db)
    assert report.broken_event_id == target
    assert "content was changed" in report.problem
    assert report.events_checked == ids.index(target)


def test_an_altered_timestamp_is_named(db, reference):
    some_history(db, reference)
    target = event_ids(db)[3]
    with db.reading() as session:
        when = session.get(HistoryEvent, target).occurred_at
    tamper(db, "UPDATE history_events SET occurred_at = :v WHERE id = :id", v=when - timedelta(days=1), id=target)
    assert verify(db).broken_event_id == target


def test_a_rehashed_forgery_breaks_the_next_link(db, reference):
    """Whoever alters an event and recomputes its hash still breaks the event after it."""
    some_history(db, reference)
    ids = event_ids(db)
    target = ids[4]
    with db.reading() as session:
        row = session.get(HistoryEvent, target)
        forged = event_hash(row.prev_hash, row.occurred_at, "nobody", row.entity_type, row.entity_id,
                            row.action, row.changes, row.batch_id, row.note)
    tamper(db, "UPDATE history_events SET actor = 'nobody', hash = :h WHERE id = :id", h=forged, id=target)
    report = verify(db)
    assert report.broken_event_id == ids[5]
    assert "link" in report.problem


@pytest.mark.parametrize("position", [0, 5])
def test_a_deleted_event_names_the_next_one(db, reference, position):
    some_history(db, reference)
    ids = event_ids(db)
    tamper(db, "DELETE FROM history_events WHERE id = :id", id=ids[position])
    report = verify(db)
    assert report.broken_event_id == ids[position + 1]
    assert "link" in report.problem
    assert report.events_checked == position


# -- the append-only guards ---------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE history_events SET actor = 'mallory'",
        "UPDATE history_events SET changes = '{}' WHERE id = 1",
        "DELETE FROM history_events",
        "DELETE FROM history_events WHERE id = 1",
    ],
)
def test_history_refuses_updates_and_deletes(db, reference, statement):
    some_history(db, reference)
    before = event_ids(db)
    with pytest.raises(exc.DBAPIError, match="append-only"):
        with db.engine.begin() as connection:
            connection.execute(text(statement))
    assert event_ids(db) == before
    assert verify(db).intact


@pytest.mark.postgres
def test_postgres_history_refuses_truncate(pg_url, open_db, reference_on):
    db = open_db(pg_url)
    some_history(db, reference_on(db))
    with pytest.raises(exc.DBAPIError, match="append-only"):
        with db.engine.begin() as connection:
            connection.execute(text("TRUNCATE history_events"))
    assert len(event_ids(db)) == 11


def test_history_accepts_inserts_through_a_unit_of_work(db, reference):
    with db.unit_of_work("clerk") as work:
        work.record("site", reference.site, "renamed", {"name": ("Lincoln", "Lincoln Elementary")}, note="typo")
    with db.reading() as session:
        row = session.scalars(select(HistoryEvent)).one()
    assert (row.actor, row.entity_type, row.action, row.note) == ("clerk", "site", "renamed", "typo")
    assert json.loads(row.changes) == {"name": ["Lincoln", "Lincoln Elementary"]}


def test_a_failed_unit_of_work_leaves_no_history(db, reference):
    with pytest.raises(RuntimeError):
        with db.unit_of_work("clerk") as work:
            work.record("site", reference.site, "renamed", {"name": ("a", "b")})
            raise RuntimeError("boom")
    assert event_ids(db) == []


# -- hashing -------------------------------------------------------------------------------

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@given(
    prev=st.sampled_from([GENESIS_HASH, "ab" * 32]),
    moment=st.datetimes(timezones=st.just(UTC)),
    actor=texts,
    batch=st.none() | texts,
    items=st.lists(
        st.tuples(st.integers(0, 2**40), st.sampled_from(["created", "moved", "edited"]), texts, st.none() | texts),
        max_size=8,
    ),
)
def test_hash_many_equals_event_hash_one_at_a_time(prev, moment, actor, batch, items):
    one_by_one = []
    prev_hash = prev
    for entity_id, action, change, note in items:
        prev_hash = event_hash(prev_hash, moment, actor, "asset", entity_id, action, change, batch, note)
        one_by_one.append(prev_hash)
    bulk = hash_many(
        prev,
        moment,
        actor,
        "asset",
        [i[0] for i in items],
        [i[1] for i in items],
        [i[2] for i in items],
        batch,
        [i[3] for i in items],
    )
    assert bulk == one_by_one


def test_chain_rows_match_event_hash():
    moment = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)
    events = [PendingEvent(moment, "clerk", "asset", i, "edited", "{}") for i in (1, 2)]
    rows = list(chain(events, GENESIS_HASH))
    assert rows[0]["prev_hash"] == GENESIS_HASH
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    assert rows[1]["hash"] == event_hash(rows[0]["hash"], moment, "clerk", "asset", 2, "edited", "{}", None, None)


def test_the_hash_depends_on_every_part():
    moment = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)
    base = (GENESIS_HASH, moment, "clerk", "asset", 7, "edited", "{}", None, None)
    variants = [
        ("1" * 64, *base[1:]),
        (base[0], moment + timedelta(microseconds=1), *base[2:]),
        (*base[:2], "clerk2", *base[3:]),
        (*base[:3], "site", *base[4:]),
        (*base[:4], 8, *base[5:]),
        (*base[:5], "moved", *base[6:]),
        (*base[:6], '{"a":1}', *base[7:]),
        (*base[:7], "batch", None),
        (*base[:8], "note"),
    ]
    hashes = {event_hash(*v) for v in variants} | {event_hash(*base)}
    assert len(hashes) == len(variants) + 1
    # The same instant in another zone is the same event.
    pacific = moment.astimezone(timezone(timedelta(hours=-7)))
    assert event_hash(GENESIS_HASH, pacific, *base[2:]) == event_hash(*base)


def test_canonical_values():
    assert canonical_value(Decimal("12.50")) == "12.50"
    assert canonical_value(Decimal("12.5")) == "12.5"
    assert canonical_value(date(2025, 7, 1)) == "2025-07-01"
    assert canonical_value(datetime(2025, 7, 1, 1, 2, 3, tzinfo=UTC)) == "2025-07-01T01:02:03.000000Z"
    assert canonical_value(AssetStatus.LOST) == "lost"
    assert canonical_value(True) is True and canonical_value(None) is None
    assert changes_json({"b": (1, 2), "a": (None, "x")}) == '{"a":[null,"x"],"b":[1,2]}'
    assert changes_json({"name": ("Café", "Cafe")}) == '{"name":["Café","Cafe"]}'
    with pytest.raises(TypeError):
        canonical_value(1.5)


# -- random sequences of edits keep the chain valid -----------------------------------------

edits = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.sampled_from(["description", "notes", "serial"]), st.text("abcxyz-", min_size=1, max_size=12)),
        st.tuples(st.just("cost"), st.decimals("0", "20000", places=2), st.none()),
        st.tuples(st.just("move"), st.booleans(), st.none()),
        st.tuples(st.just("assign"), st.none(), st.none()),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=edits)
def test_random_edit_sequences_keep_the_chain_valid(db, reference, steps):
    with db.reading() as session:
        n = session.scalar(select(func.count()).select_from(HistoryEvent))
    asset_id = create_asset(db, "clerk", asset_values(reference, tag=f"R-{n}"))
    version = 1
    for kind, a, b in steps:
        if kind == "edit":
            version = update_asset(db, "clerk", asset_id, version, {a: b})
        elif kind == "cost":
            version = update_asset(db, "clerk", asset_id, version, {"cost": a})
        elif kind == "move":
            move_assets(db, "facilities", [asset_id], reference.other_room if a else reference.room)
        else:
            with db.reading() as session:
                holder = session.get(Asset, asset_id).assigned_person_id
            if holder is None:
                assign_asset(db, "tech", asset_id, reference.person, date(2025, 1, 6))
            else:
                return_asset(db, "tech", asset_id, date(2025, 2, 6))
        with db.reading() as session:
            version = session.get(Asset, asset_id).version
    report = verify(db)
    assert report.intact, report
    assert report.events_checked == len(event_ids(db))


# -- `commonground history verify` ------------------------------------------------------------


def _url_text(db) -> str:
    return db.url.render_as_string(hide_password=False)


@pytest.fixture
def demo_db(db):
    generate_demo(db, DemoOptions(assets=2000, seed=11, today=date(2026, 1, 15)))
    return db


def test_history_verify_passes_on_a_demo_district(demo_db, capsys):
    total = len(event_ids(demo_db))
    assert total > 2000

    code = run_verify(argparse.Namespace(sub_db=_url_text(demo_db)))

    out = capsys.readouterr()
    assert code == 0
    assert f"History intact: {total:,} events checked" in out.out
    assert out.err == ""


def test_history_verify_names_an_altered_event(demo_db, capsys):
    ids = event_ids(demo_db)
    target = ids[len(ids) * 2 // 3]
    tamper(demo_db, "UPDATE history_events SET changes = '{}' WHERE id = :id", id=target)

    code = run_verify(argparse.Namespace(sub_db=None, db=_url_text(demo_db)))

    out = capsys.readouterr()
    assert code == 1
    assert f"History broken at event #{target}:" in out.err
    assert "content was changed" in out.err
    assert f"{ids.index(target):,} events before it check out" in out.err
