"""Schema revisions: upgrade, downgrade, what the app makes of older and newer databases."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, exc, func, inspect, select, text
from sqlalchemy.engine import URL

import models.migrate
from desktop.commands.db import run_upgrade
from models.database import Database
from models.errors import ReadOnlyDatabaseError, SchemaMissingError, SchemaOutdatedError
from models.migrate import SchemaStatus, app_revision, downgrade, schema_state, upgrade
from models.paths import migrations_dir
from models.schema import Asset, Base

FUTURE_REVISION = "9f3e1c0ffee0"  # no app version knows it


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> URL:
    """A database with no tables at all."""
    if request.param == "sqlite":
        return URL.create("sqlite+pysqlite", database=str(tmp_path / "empty.sqlite3"))
    return request.getfixturevalue("pg_empty_url")


@pytest.fixture
def engine_for():
    engines = []

    def _make(url: URL):
        engine = create_engine(url)
        engines.append(engine)
        return engine

    yield _make
    for engine in engines:
        engine.dispose()


def _state(engine):
    with engine.connect() as connection:
        return schema_state(connection)


def _tables(engine) -> set[str]:
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def _set_revision(engine, revision: str) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def _db_url_text(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def test_upgrade_from_empty_to_head(empty_url, engine_for):
    engine = engine_for(empty_url)
    state = _state(engine)
    assert state.status is SchemaStatus.EMPTY
    assert state.database_revision is None

    upgrade(engine)

    state = _state(engine)
    assert state.status is SchemaStatus.CURRENT
    assert state.database_revision == state.app_revision == app_revision()
    assert set(Base.metadata.tables) <= _tables(engine)


def test_downgrade_to_base_and_upgrade_again(empty_url, engine_for):
    engine = engine_for(empty_url)
    upgrade(engine)

    downgrade(engine, "base")

    assert _tables(engine) <= {"alembic_version"}
    assert _state(engine).status is SchemaStatus.EMPTY
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            leftovers = connection.execute(
                text("SELECT proname FROM pg_proc WHERE proname = 'history_events_append_only'")
            ).all()
        assert leftovers == []

    upgrade(engine)

    assert _state(engine).status is SchemaStatus.CURRENT
    assert set(Base.metadata.tables) <= _tables(engine)
    # The extras come back too: the history guard refuses an update again.
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO history_events (occurred_at, actor, entity_type, entity_id, action, "
                "changes, prev_hash, hash) VALUES (CURRENT_TIMESTAMP, 'a', 'asset', 1, 'x', '{}', 'p', 'h')"
            )
        )
    with pytest.raises(exc.DBAPIError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("UPDATE history_events SET actor = 'b'"))


def test_foreign_tables_are_not_ours(empty_url, engine_for):
    engine = engine_for(empty_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    assert _state(engine).status is SchemaStatus.FOREIGN


def test_a_newer_schema_is_reported_newer(empty_url, engine_for):
    engine = engine_for(empty_url)
    upgrade(engine)
    _set_revision(engine, FUTURE_REVISION)
    state = _state(engine)
    assert state.status is SchemaStatus.NEWER
    assert state.database_revision == FUTURE_REVISION
    assert state.app_revision == app_revision()


def test_a_newer_schema_opens_read_only(empty_url, engine_for, open_db, reference_on):
    engine = engine_for(empty_url)
    upgrade(engine)
    setup = open_db(empty_url)
    reference_on(setup)  # some rows to read
    setup.close()
    _set_revision(engine, FUTURE_REVISION)
    engine.dispose()

    db = open_db(empty_url)

    assert db.read_only is True
    assert FUTURE_REVISION in (db.read_only_reason or "")
    with db.reading() as session:
        assert session.scalar(text("SELECT count(*) FROM sites")) == 2
    with pytest.raises(ReadOnlyDatabaseError):
        with db.unit_of_work("clerk"):
            pass
    # Not only the app's guard: the database itself refuses a write on this engine.
    with pytest.raises(exc.DBAPIError, match="(?i)read-?only"):
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE sites SET name = 'Hacked'"))
    with db.reading() as session:
        assert "Hacked" not in session.scalars(text("SELECT name FROM sites")).all()


def test_a_current_database_opens_writable(db):
    assert db.read_only is False
    assert db.read_only_reason is None
    assert db.state.status is SchemaStatus.CURRENT


# -- an older database: a second revision exists only in a copy of the migrations -----------

NEXT_REVISION = '''"""A later schema change (test only).

Revision ID: {rev}
Revises: {down}
"""
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assets") as batch_op:
        batch_op.add_column(sa.Column("energy_star", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assets") as batch_op:
        batch_op.drop_column("energy_star")
'''


@pytest.fixture
def newer_app(tmp_path, monkeypatch) -> str:
    """This app, as if it shipped one more revision than the database has; returns it."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    current_head = app_revision()
    (folder / "versions" / "9001_energy_star.py").write_text(
        NEXT_REVISION.format(rev="9001", down=current_head)
    )
    monkeypatch.setattr(models.migrate, "migrations_dir", lambda: folder)
    assert app_revision() == "9001"
    return current_head


def test_an_older_schema_is_reported_older(empty_url, engine_for, newer_app):
    engine = engine_for(empty_url)
    upgrade(engine, newer_app)  # what the previous app version made

    state = _state(engine)

    assert state.status is SchemaStatus.OLDER
    assert state.database_revision == newer_app
    assert state.app_revision == "9001"


def test_opening_an_older_schema_asks_for_the_upgrade(empty_url, engine_for, newer_app):
    engine = engine_for(empty_url)
    upgrade(engine, newer_app)

    with pytest.raises(SchemaOutdatedError) as raised:
        Database.open(empty_url, create=False)

    assert "commonground db upgrade" in raised.value.message
    assert newer_app in raised.value.message and "9001" in raised.value.message


def test_upgrade_command_brings_an_older_schema_up(empty_url, engine_for, newer_app, capsys):
    engine = engine_for(empty_url)
    upgrade(engine, newer_app)

    code = run_upgrade(argparse.Namespace(sub_db=_db_url_text(empty_url)))

    assert code == 0
    assert f"{newer_app} -> 9001" in capsys.readouterr().out
    assert _state(engine).status is SchemaStatus.CURRENT
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("assets")}
    assert "energy_star" in columns


# -- empty databases ------------------------------------------------------------------------


@pytest.mark.postgres
def test_an_empty_postgres_database_names_the_upgrade_command(pg_empty_url):
    with pytest.raises(SchemaMissingError) as raised:
        Database.open(pg_empty_url)  # create=True does not set up a server database
    assert "commonground db upgrade" in raised.value.message
    assert pg_empty_url.database in raised.value.message


def test_an_empty_sqlite_file_without_create_names_the_upgrade_command(tmp_path):
    with pytest.raises(SchemaMissingError, match="commonground db upgrade"):
        Database.open(tmp_path / "new.sqlite3", create=False)


def test_open_creates_the_schema_in_a_new_sqlite_file(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    db = Database.open(path)
    try:
        assert db.state.status is SchemaStatus.CURRENT
        with db.reading() as session:
            assert session.scalar(select(func.count()).select_from(Asset)) == 0
    finally:
        db.close()


def test_upgrade_command_sets_up_an_empty_database(empty_url, engine_for, capsys):
    code = run_upgrade(argparse.Namespace(sub_db=_db_url_text(empty_url)))

    assert code == 0
    out = capsys.readouterr().out
    assert f"(new) -> {app_revision()}" in out
    assert "password" not in out.lower()
    assert _state(engine_for(empty_url)).status is SchemaStatus.CURRENT
