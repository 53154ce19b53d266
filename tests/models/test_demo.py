"""The demo district: the same for a seed, believable, and consistent with the rules."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import URL

from models import migrate
from models.database import Database
from models.demo import DemoOptions, generate_demo
from models.integrity import verify_check_constraints
from models.queries.register import search_ids
from models.errors import UserError
from models.history import verify_chain
from models.schema import (
    Asset,
    AssetClass,
    AssetStatus,
    Assignment,
    FundingShare,
    HistoryEvent,
    Person,
    Room,
    Site,
)

TODAY = date(2026, 1, 15)
ASSETS = 2000


def options(seed=7, assets=ASSETS, owner=None):
    return DemoOptions(assets=assets, seed=seed, today=TODAY, owner=owner)


@pytest.fixture
def new_sqlite(sqlite_template, tmp_path, open_db):
    """Open a fresh migrated SQLite file each call."""
    made = []

    def _new():
        path = tmp_path / f"demo{len(made)}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        made.append(path)
        return open_db(URL.create("sqlite+pysqlite", database=str(path)))

    return _new


def fingerprint(db) -> str:
    """A hash of what the generator decides (not when it ran), row by row in id order."""
    digest = hashlib.sha256()
    skip = {"created_at", "updated_at"}
    with db.reading() as session:
        for model in (Site, Room, Person, Asset, FundingShare, Assignment):
            columns = [c for c in model.__table__.c if c.name not in skip]
            key = list(model.__table__.primary_key.columns)
            for row in session.execute(select(*columns).order_by(*key)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_the_same_seed_makes_the_same_district(new_sqlite):
    first, second, other = new_sqlite(), new_sqlite(), new_sqlite()
    generate_demo(first, options(seed=7))
    generate_demo(second, options(seed=7))
    generate_demo(other, options(seed=8))

    assert fingerprint(first) == fingerprint(second)
    assert fingerprint(first) != fingerprint(other)
    with first.reading() as a, other.reading() as b:
        serials = select(Asset.serial).order_by(Asset.id).limit(50)
        assert a.scalars(serials).all() != b.scalars(serials).all()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo(request, sqlite_template, tmp_path_factory):
    """One demo district per backend for the whole module; the tests only read it."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
        shutil.copyfile(sqlite_template, path)
        url, server = URL.create("sqlite+pysqlite", database=str(path)), None
    else:
        server = request.getfixturevalue("pg_server")
        url = server.create_database("demo")
        engine = create_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
    db = Database.open(url, create=False)
    summary = generate_demo(db, options())
    yield db, summary
    db.close()
    if server is not None:
        server.drop_database(url)


def scalar(db, stmt):
    with db.reading() as session:
        return session.scalar(stmt)


def test_counts_are_sensible(demo):
    db, summary = demo
    assert 10 <= summary.sites <= 40
    assert scalar(db, select(func.count()).select_from(Site)) == summary.sites
    assert scalar(db, select(func.count()).select_from(Asset)) == summary.assets == ASSETS
    assert scalar(db, select(func.count()).select_from(Room)) == summary.rooms > summary.sites
    assert scalar(db, select(func.count()).select_from(Person)) == summary.people
    assert scalar(db, select(func.count()).select_from(HistoryEvent)) == summary.history_events >= ASSETS
    assert scalar(db, select(func.count(func.distinct(Asset.class_id)))) >= 5


def test_every_asset_has_an_existing_class(demo):
    db, _ = demo
    joined = select(func.count()).select_from(Asset).join(AssetClass, AssetClass.id == Asset.class_id)
    assert scalar(db, joined) == ASSETS


def test_money_is_never_negative(demo):
    db, _ = demo
    negative = select(func.count()).where(
        (Asset.cost < 0) | (Asset.salvage_value < 0) | (Asset.salvage_value > Asset.cost) | (Asset.disposal_proceeds < 0)
    )
    assert scalar(db, negative) == 0
    assert scalar(db, select(func.sum(Asset.cost))) > 0


def test_capitalized_follows_the_class_thresholds(demo):
    db, _ = demo
    with db.reading() as session:
        rows = session.execute(
            select(Asset.cost, Asset.capitalized, Asset.capitalization_override_reason, AssetClass.capitalization_threshold)
            .join(AssetClass, AssetClass.id == Asset.class_id)
        ).all()
    wrong = [r for r in rows if r.capitalization_override_reason is None and r.capitalized != (r.cost >= r.capitalization_threshold)]
    assert wrong == []
    assert {r.capitalized for r in rows} == {True, False}


def test_funding_shares_of_every_asset_add_up_to_100_percent(demo):
    db, _ = demo
    with db.reading() as session:
        totals = session.execute(
            select(Asset.id, func.coalesce(func.sum(FundingShare.share_basis_points), 0))
            .outerjoin(FundingShare, FundingShare.asset_id == Asset.id)
            .group_by(Asset.id)
        ).all()
    assert len(totals) == ASSETS
    assert {total for _, total in totals} == {10000}


def test_every_assigned_asset_has_an_open_loan(demo):
    db, _ = demo
    with db.reading() as session:
        assigned = dict(session.execute(select(Asset.id, Asset.assigned_person_id).where(Asset.assigned_person_id.is_not(None))).all())
        open_loans = session.execute(
            select(Assignment.asset_id, Assignment.person_id).where(
                Assignment.returned_on.is_(None), Assignment.lost_on.is_(None)
            )
        ).all()
    assert assigned, "the demo has no devices out on loan"
    assert dict(open_loans) == assigned
    assert len(open_loans) == len(assigned)  # at most one open loan per asset


def test_disposals_are_consistent(demo):
    db, _ = demo
    with db.reading() as session:
        disposed = session.execute(
            select(Asset.acquired_on, Asset.disposed_on, Asset.disposal_method, Asset.assigned_person_id)
            .where(Asset.status == AssetStatus.DISPOSED)
        ).all()
        stray = session.scalar(
            select(func.count()).where(Asset.status != AssetStatus.DISPOSED, Asset.disposed_on.is_not(None))
        )
    assert disposed, "the demo has no disposed assets"
    assert all(r.disposed_on is not None and r.disposed_on >= r.acquired_on for r in disposed)
    assert all(r.disposal_method is not None and r.assigned_person_id is None for r in disposed)
    assert stray == 0


def test_the_site_follows_the_room(demo):
    db, _ = demo
    mismatched = (
        select(func.count())
        .select_from(Asset)
        .join(Room, Room.id == Asset.room_id)
        .where(Room.site_id != Asset.site_id)
    )
    assert scalar(db, mismatched) == 0


def test_the_demo_history_chain_verifies(demo):
    db, summary = demo
    with db.engine.connect() as connection:
        report = verify_chain(connection)
    assert report.intact
    assert report.events_checked == summary.history_events


def test_every_reference_resolves_and_every_check_holds(demo):
    """The load does not enforce these row by row (see ``bulk_load``); the rows keep them all."""
    db, _ = demo
    with db.engine.connect() as connection:
        if db.dialect == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            verify_check_constraints(connection)
        else:
            unchecked = connection.exec_driver_sql(
                "SELECT conname FROM pg_constraint WHERE NOT convalidated").scalars().all()
            assert unchecked == []


def test_new_rows_after_a_demo_get_ids_of_their_own(demo):
    """The demo writes its rows with their ids; a clerk's next site, model or asset must not collide."""
    from sqlalchemy import insert

    from models.schema import AssetModel, SiteKind

    db, _ = demo
    with db.unit_of_work("clerk") as work:
        session = work.session
        site = session.execute(insert(Site).values(code="NEW", name="New Campus", kind=SiteKind.OTHER)
                               .returning(Site.id)).scalar_one()
        model = session.execute(insert(AssetModel).values(manufacturer="Acme", name="Widget", device_type="other")
                                .returning(AssetModel.id)).scalar_one()
    with db.reading() as session:
        assert site == session.scalar(select(func.max(Site.id)))
        assert model == session.scalar(select(func.max(AssetModel.id)))


def test_a_demo_goes_only_into_an_empty_database(demo):
    db, summary = demo
    with pytest.raises(UserError, match="already has assets"):
        generate_demo(db, options(seed=99))
    assert scalar(db, select(func.count()).select_from(Asset)) == ASSETS
    assert scalar(db, select(func.count()).select_from(HistoryEvent)) == summary.history_events


def test_a_demo_needs_at_least_100_assets(db):
    with pytest.raises(UserError, match="at least 100"):
        generate_demo(db, options(assets=99))


def _search_state(db):
    with db.engine.connect() as c:
        tag = c.exec_driver_sql("SELECT tag FROM assets WHERE id = 150").scalar()
        c.exec_driver_sql("INSERT INTO asset_search(asset_search) VALUES ('integrity-check')")
        c.exec_driver_sql("INSERT INTO asset_description_search(asset_description_search) VALUES ('integrity-check')")
        state = {
            "journal": c.exec_driver_sql("PRAGMA journal_mode").scalar(),
            "merging": dict(c.exec_driver_sql(
                "SELECT k, v FROM asset_search_config WHERE k IN ('automerge', 'crisismerge', 'hashsize')").all()),
            "integrity": c.exec_driver_sql("PRAGMA integrity_check").scalar(),
            "descriptions recorded": c.exec_driver_sql(
                "SELECT (SELECT count(DISTINCT description) FROM assets) = (SELECT count(*) FROM asset_descriptions)"
            ).scalar(),
        }
    description = scalar(db, select(Asset.description).where(Asset.id == 150))
    with db.reading() as session:
        described = set(session.scalars(select(Asset.id).where(Asset.description == description)))
    state["found"] = search_ids(db, tag).tolist()
    state["found by description"] = described <= set(search_ids(db, description.split()[-1]).tolist())
    return state


def test_a_sqlite_demo_ends_in_wal_mode_with_a_whole_search_index(new_sqlite):
    db = new_sqlite()
    generate_demo(db, options(assets=400))
    assert _search_state(db) == {
        "journal": "wal", "found": [150], "merging": {"automerge": 4, "crisismerge": 16, "hashsize": 1 << 20}, "integrity": "ok",
        "descriptions recorded": 1, "found by description": True,
    }
    # Later edits keep the search indexes in step (the triggers are back).
    with db.engine.begin() as c:
        c.exec_driver_sql("UPDATE assets SET serial = 'QQZX-4471', description = 'Kiln, Skutt KM-1227' WHERE id = 7")
    assert search_ids(db, "QZX-447").tolist() == [7]
    assert search_ids(db, "km-1227").tolist() == [7]


def test_a_sqlite_demo_loads_while_another_connection_reads(new_sqlite):
    """The journal can't leave WAL while someone else has the file open: the load goes on in WAL."""
    import sqlite3

    db = new_sqlite()
    other = sqlite3.connect(str(db.engine.url.database), isolation_level=None)
    try:
        other.execute("BEGIN")
        assert other.execute("SELECT count(*) FROM assets").fetchone() == (0,)
        summary = generate_demo(db, options(assets=300))
        assert other.execute("SELECT count(*) FROM assets").fetchone() == (0,)  # its snapshot holds
        other.execute("COMMIT")
        assert other.execute("SELECT count(*) FROM assets").fetchone() == (300,)
    finally:
        other.close()
    assert _search_state(db)["journal"] == "wal"
    with db.engine.connect() as c:
        assert verify_chain(c).events_checked == summary.history_events


def test_the_summary_times_each_stage_of_the_load(demo):
    db, summary = demo
    stages = summary.stages
    expected = ["making and sending rows", "restoring constraints and indexes", "committing"]
    if db.dialect == "postgresql":
        expected.append("building indexes after commit")
    else:
        expected.append("building the search index")
    assert set(expected) <= set(stages)
    assert all(seconds >= 0 for seconds in stages.values())
    assert sum(stages.values()) <= summary.seconds + 0.01


def test_the_demo_owner_may_close_and_reopen_years_at_once(db):
    from models.services.roles import Role, roles_of

    generate_demo(db, options(assets=150, owner="jsmith"))
    with db.reading() as session:
        assert set(roles_of(session, "jsmith")) == {Role.ADMIN, Role.FINANCE}
        assert not roles_of(session, "someone-else")
    with db.engine.connect() as connection:
        assert verify_chain(connection).intact  # the grants are in the history too


@pytest.mark.postgres
def test_index_builds_cut_off_after_the_commit_are_finished_at_the_next_open(pg_url, open_db, monkeypatch):
    """The rows commit with their index builds and key checks queued beside them: work an
    interruption cuts off is finished when the database is next opened, not lost."""
    from models import deferred

    db = open_db(pg_url)
    run = deferred.run

    def cut_off(engine, tasks, workers=2):
        run(engine, list(tasks)[:3], workers)  # some of it gets done, then the connection drops
        raise ConnectionError("server closed the connection unexpectedly")

    monkeypatch.setattr(deferred, "run", cut_off)
    with pytest.raises(UserError, match="finishes them the next time it opens"):
        generate_demo(db, options(assets=300))
    monkeypatch.undo()

    def state(database):
        with database.engine.connect() as c:
            return (c.exec_driver_sql("SELECT count(*) FROM deferred_work").scalar(),
                    c.exec_driver_sql("SELECT count(*) FROM pg_constraint WHERE NOT convalidated").scalar(),
                    set(c.exec_driver_sql("SELECT indexname FROM pg_indexes WHERE tablename = 'assets'").scalars()))

    left, unchecked, indexes = state(db)
    assert left > 0 and unchecked > 0 and "ix_assets_serial_trgm" not in indexes
    # While another program is finishing it, opening leaves the work alone and does not wait.
    with db.engine.connect() as other:
        other.exec_driver_sql(f"SELECT pg_advisory_lock({deferred.WORK_LOCK_KEY})")
        assert state(open_db(pg_url))[0] == left
        other.exec_driver_sql(f"SELECT pg_advisory_unlock({deferred.WORK_LOCK_KEY})")
        other.commit()
    left, unchecked, indexes = state(open_db(pg_url))
    assert (left, unchecked) == (0, 0)
    assert {"ix_assets_serial_trgm", "ix_assets_description", "ix_assets_room_id", "ix_assets_serial_key"} <= indexes


def test_a_queued_index_build_can_run_again():
    from models.deferred import repeatable

    assert repeatable("CREATE INDEX ix_a ON public.assets USING btree (cost)") == \
        "CREATE INDEX IF NOT EXISTS ix_a ON public.assets USING btree (cost)"
    assert repeatable("CREATE UNIQUE INDEX ix_b ON t (x)") == "CREATE UNIQUE INDEX IF NOT EXISTS ix_b ON t (x)"
    assert repeatable("ALTER TABLE assets VALIDATE CONSTRAINT fk") == "ALTER TABLE assets VALIDATE CONSTRAINT fk"


# -- PostgreSQL: the history loaded on a second connection -------------------------------------

def _history_shape(connection) -> dict:
    """What ``history_events`` is, apart from its rows: columns, keys, indexes, triggers,
    the sequence its ids come from and its storage settings."""
    def rows(sql):
        return sorted(tuple(r) for r in connection.exec_driver_sql(sql))

    table = "'history_events'::regclass"
    return {
        "columns": rows("SELECT attname, format_type(atttypid, atttypmod), attnotnull, "
                        "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d "
                        "ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                        f"WHERE attrelid = {table} AND attnum > 0 AND NOT attisdropped"),
        "constraints": rows(f"SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = {table}"),
        "indexes": rows("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'history_events'"),
        "triggers": rows(f"SELECT tgname, pg_get_triggerdef(oid), tgenabled FROM pg_trigger "
                         f"WHERE tgrelid = {table} AND NOT tgisinternal"),
        "sequence": connection.exec_driver_sql("SELECT pg_get_serial_sequence('history_events', 'id')").scalar(),
        "options": connection.exec_driver_sql(f"SELECT reloptions FROM pg_class WHERE oid = {table}").scalar(),
        "loading table": connection.exec_driver_sql("SELECT to_regclass('demo_history_load')").scalar(),
    }


@pytest.fixture
def new_postgres(pg_server, open_db):
    """A freshly migrated PostgreSQL database (not the shared one: its tables keep settings)."""
    made = []

    def _new():
        url = pg_server.create_database("staged")
        engine = create_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        made.append(url)
        return open_db(url)

    yield _new
    for url in made:
        pg_server.drop_database(url)


@pytest.mark.postgres
def test_a_postgresql_demo_loads_its_history_beside_and_leaves_the_table_as_migrated(new_postgres):
    db = new_postgres()
    with db.engine.connect() as c:
        before = _history_shape(c)
        c.exec_driver_sql("CREATE TABLE demo_history_load (left_by_a_killed_demo int)")
        c.commit()
    summary = generate_demo(db, options(assets=400))

    assert "loading history beside the assets" in summary.beside  # the second connection did it
    with db.engine.connect() as c:
        assert _history_shape(c) == before
        assert verify_chain(c).events_checked == summary.history_events > 400
        assert c.exec_driver_sql("SELECT min(id) FROM history_events").scalar() == 1
    with db.engine.connect() as c, pytest.raises(Exception, match="append-only"):
        c.exec_driver_sql("UPDATE history_events SET actor = 'x' WHERE id = 1")
    # The id sequence still belongs to the table and moves on from the loaded events.
    from models.services.roles import grant

    grant(db, "admin", "admin", "admin")
    with db.engine.connect() as c:
        assert c.exec_driver_sql("SELECT max(id) FROM history_events").scalar() == summary.history_events + 1
        assert verify_chain(c).intact


@pytest.mark.postgres
def test_a_cancelled_postgresql_demo_leaves_the_history_table_as_it_was(new_postgres):
    from models.demo.generator import Cancelled

    db = new_postgres()
    with db.engine.connect() as c:
        before = _history_shape(c)
    batches = []

    def cancel_midway(stage, done, total):
        if stage == "Creating assets":
            batches.append(done)
            if len(batches) == 3:  # some history is in the loading table by now
                raise Cancelled()

    with pytest.raises(Cancelled):
        generate_demo(db, DemoOptions(assets=3000, seed=7, today=TODAY, batch_size=500), cancel_midway)
    with db.engine.connect() as c:
        assert _history_shape(c) == before
        assert c.exec_driver_sql("SELECT count(*) FROM history_events").scalar() == 0
        assert c.exec_driver_sql("SELECT count(*) FROM assets").scalar() == 0
    summary = generate_demo(db, options(assets=300))  # and a demo goes in afterwards
    with db.engine.connect() as c:
        assert verify_chain(c).events_checked == summary.history_events


def test_a_cancel_after_the_commit_comes_too_late_to_undo_the_demo(db):
    from models.demo.generator import Cancelled

    def cancel_late(stage, done, total):
        if stage == "Building search indexes":
            raise Cancelled()

    summary = generate_demo(db, options(assets=300), cancel_late)
    assert scalar(db, select(func.count()).select_from(Asset)) == summary.assets == 300


@pytest.mark.postgres
def test_a_postgresql_demo_into_a_district_with_history_writes_it_in_the_usual_way(pg_url, open_db):
    from models.services.roles import grant

    db = open_db(pg_url)
    grant(db, "root", "root", "admin")
    summary = generate_demo(db, options(assets=300))

    assert summary.beside == {}  # the table holds an event: it is not replaced
    with db.engine.connect() as c:
        report = verify_chain(c)
        assert report.intact and report.events_checked == summary.history_events + 1
        assert c.exec_driver_sql("SELECT to_regclass('demo_history_load')").scalar() is None
