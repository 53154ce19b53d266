"""Opening a database and the unit of work: one transaction, history included, or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import URL

from models.database import Database
from models.errors import ConnectionFailedError, NotFoundError
from models.schema import Asset, HistoryEvent, Site, SiteKind
from models.services.assets import create_asset, update_asset
from tests.db_fixtures import asset_values


def count(db, model):
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_unit_of_work_commits_rows_and_history_together(db, reference):
    with db.unit_of_work("clerk") as work:
        site = Site(code="NEW", name="New Site", kind=SiteKind.OTHER)
        work.session.add(site)
        work.session.flush()
        work.record("site", site.id, "created", {"code": (None, "NEW")})
    with db.reading() as session:
        assert session.scalar(select(Site.name).where(Site.code == "NEW")) == "New Site"
        assert session.scalar(select(HistoryEvent.entity_type)) == "site"


def test_a_failing_unit_of_work_writes_nothing(db, reference):
    before = count(db, Site)
    with pytest.raises(NotFoundError):
        with db.unit_of_work("clerk") as work:
            work.session.add(Site(code="NEW", name="New Site", kind=SiteKind.OTHER))
            work.session.flush()
            work.record("site", 99, "created", {"code": (None, "NEW")})
            raise NotFoundError("something the user can fix")
    assert count(db, Site) == before
    assert count(db, HistoryEvent) == 0


def test_a_failing_history_write_rolls_back_the_change(db, reference, monkeypatch):
    """The history insert is part of the transaction: if it fails, the edit is not saved."""
    asset_id = create_asset(db, "clerk", asset_values(reference))
    from models import database

    def broken_chain(events, prev_hash):
        raise RuntimeError("disk full")

    monkeypatch.setattr(database.history, "chain", broken_chain)
    with pytest.raises(RuntimeError, match="disk full"):
        update_asset(db, "clerk", asset_id, 1, {"description": "Never saved"})
    monkeypatch.undo()
    with db.reading() as session:
        asset = session.get(Asset, asset_id)
        assert (asset.description, asset.version) == ("Interactive flat panel", 1)
    assert count(db, HistoryEvent) == 1


def test_services_inside_one_unit_of_work_share_it(db, reference):
    """A service called inside an open unit of work joins it: all or nothing together."""
    with pytest.raises(RuntimeError):
        with db.unit_of_work("clerk"):
            create_asset(db, "clerk", asset_values(reference, tag="A"))
            create_asset(db, "clerk", asset_values(reference, tag="B"))
            raise RuntimeError("cancelled")
    assert count(db, Asset) == 0
    assert count(db, HistoryEvent) == 0

    with db.unit_of_work("clerk"):
        create_asset(db, "clerk", asset_values(reference, tag="A"))
        create_asset(db, "clerk", asset_values(reference, tag="B"))
    with db.reading() as session:
        stamps = session.scalars(select(HistoryEvent.occurred_at)).all()
    assert len(stamps) == 2 and len(set(stamps)) == 1


def test_reading_commits_nothing(db, reference):
    with db.reading() as session:
        session.add(Site(code="GHOST", name="Ghost", kind=SiteKind.OTHER))
        session.flush()
    with db.reading() as session:
        assert session.scalar(select(Site.id).where(Site.code == "GHOST")) is None


def test_sqlite_connections_use_wal_and_foreign_keys(sqlite_url, open_db):
    db = open_db(sqlite_url)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA query_only").scalar() == 0


def test_foreign_keys_are_enforced(db, reference):
    from sqlalchemy import exc

    with pytest.raises(exc.IntegrityError):
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO rooms (floor_id, site_id, number, room_type) VALUES (4242, 4242, '1', 'lab')")
            )


def test_open_accepts_a_path_a_url_text_and_a_url(sqlite_url, open_db):
    for address in (sqlite_url.database, f"sqlite:///{sqlite_url.database}", sqlite_url):
        db = Database.open(address, create=False)
        try:
            assert db.dialect == "sqlite" and not db.read_only
        finally:
            db.close()


@pytest.mark.postgres
def test_an_unreachable_server_is_a_plain_error(pg_server):
    url = URL.create("postgresql+psycopg", username="postgres", host="127.0.0.1", port=1, database="nowhere")
    with pytest.raises(ConnectionFailedError) as raised:
        Database.open(url)
    assert "Could not open the database" in raised.value.message
    assert "127.0.0.1:1/nowhere" in raised.value.message


@pytest.mark.postgres
def test_a_password_in_the_address_is_used_not_asked_and_never_shown(pg_server, pg_session_url):
    """The test server trusts every login: the prompt is for a server that refuses one."""
    asked = []

    def prompt(url):
        asked.append(url)
        return "second-try"

    db = Database.open(pg_session_url.set(password="s3cret-first"), create=False, prompt=prompt)
    try:
        assert asked == []
        assert "s3cret" not in db.display_name
        assert "***" in db.display_name
    finally:
        db.close()
