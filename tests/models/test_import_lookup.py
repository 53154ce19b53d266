"""An import finds register assets by tag and serial through the indexes of migration 0006,
and finds the same assets as comparing every one of them would."""

import json

import pytest
from sqlalchemy import text

from models.importing.lookup import assets_by, lookup_statement
from models.services.assets import create_asset
from tests.db_fixtures import asset_values


def _plan(db, key: str) -> str:
    """The database's plan for the look-up (a full read of assets ruled out on PostgreSQL, whose
    planner prefers one for a table of a few rows)."""
    with db.engine.begin() as connection:
        dialect = connection.dialect.name
        compiled = lookup_statement(dialect, key).compile(dialect=connection.dialect)
        if dialect == "sqlite":
            found = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), (json.dumps(["A"]),))
            return " ".join(str(row[-1]) for row in found)
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        found = connection.exec_driver_sql("EXPLAIN " + str(compiled), {"wanted": ["A"]})
        return " ".join(row[0] for row in found)


@pytest.mark.parametrize(("key", "index"), [("serial", "ix_assets_serial_key"), ("any case", "tag")])
def test_the_look_ups_go_through_an_index(db, key, index):
    plan = _plan(db, key)
    if index == "tag":  # SQLite's from 0006, PostgreSQL's lower(tag) index from 0001
        index = "ix_assets_tag_upper" if db.engine.dialect.name == "sqlite" else "ix_assets_tag_prefix"
    assert index in plan
    assert "SCAN assets" not in plan and "Seq Scan on assets" not in plan


def test_the_look_ups_find_what_comparing_every_asset_finds(db, reference):
    from models.importing.normalise import serial_key

    for tag, serial in {"T-1": "ab 12\tcd", "T-2": "AB12CD-X", "t-3": None, "T-4": "xy 9"}.items():
        create_asset(db, "setup", asset_values(reference, tag, serial=serial))
    wanted_keys, wanted_tags = {"AB12CD", "XY9", "NONE"}, {"T-1", "T-3"}
    with db.reading() as session:
        by_serial = {row["tag"]: row["serial_key"] for row in assets_by(session, "serial", wanted_keys)}
        by_tag = sorted(row["tag"] for row in assets_by(session, "any case", wanted_tags))
        exact = sorted(row["tag"] for row in assets_by(session, "tag", {"T-2", "T-3"}))
        everything = session.execute(text("SELECT tag, serial FROM assets")).all()
    assert by_serial == {tag: serial_key(serial) for tag, serial in everything if serial_key(serial) in wanted_keys}
    assert by_serial == {"T-1": "AB12CD", "T-4": "XY9"}
    assert by_tag == sorted(tag for tag, _ in everything if tag.upper() in wanted_tags) == ["T-1", "t-3"]
    assert exact == ["T-2"]
