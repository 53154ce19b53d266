"""The migrated schema is the ORM's schema; money, timestamps and text search behave alike on both backends."""

from __future__ import annotations

import importlib.util
import re
import warnings
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import exc, func, insert, select, text

from models.paths import migrations_dir
from models.schema import Asset, AssetStatus, Base, Condition, HistoryEvent
from models.services.assets import create_asset, delete_asset, update_asset
from tests.db_fixtures import asset_values


def _migration(name):
    path = migrations_dir() / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"{name}_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Text-search indexes the migrations make in raw SQL, on purpose outside the ORM.
SEARCH_INDEXES = set(re.findall(r"CREATE INDEX (\w+)", " ".join(
    _migration("0001_initial_schema").POSTGRES_SEARCH + _migration("0007_description_search").POSTGRES_SEARCH))) - {
    "ix_assets_description_trgm"}  # 0007 replaced it
# The import's look-up indexes on expressions (0006), which SQLAlchemy cannot reflect from SQLite.
IMPORT_INDEXES = {"ix_assets_tag_upper", "ix_assets_serial_key"}


def _not_in_orm(obj, name, type_, reflected, compare_to) -> bool:
    """Objects the migration adds on purpose outside the ORM: text search only."""
    if type_ == "table" and name is not None and name.startswith(("asset_search", "asset_description_search")):
        return False  # SQLite FTS5 tables and their shadow tables
    if type_ == "index" and (name in SEARCH_INDEXES or name in IMPORT_INDEXES):
        return False  # expression indexes for search and for the import's look-ups
    return True


def test_migrated_schema_matches_the_orm(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _not_in_orm}
        )
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"Skipped unsupported reflection of expression-based index "
                                    r"ix_assets_(tag_upper|serial_key)")
            differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_orm_table_was_created(db):
    with db.engine.connect() as connection:
        names = set(db.engine.dialect.get_table_names(connection))
    assert set(Base.metadata.tables) <= names


def _insert_assets(db, ref, costs):
    now = datetime.now(UTC)
    rows = [
        {
            "tag": f"M-{i:05d}",
            "description": "Chromebook",
            "class_id": ref.equipment_class,
            "status": AssetStatus.IN_SERVICE,
            "condition": Condition.GOOD,
            "acquired_on": now.date(),
            "cost": cost,
            "salvage_value": Decimal("0.00"),
            "capitalized": False,
            "created_at": now,
            "updated_at": now,
        }
        for i, cost in enumerate(costs)
    ]
    with db.unit_of_work("test") as work:
        work.session.execute(insert(Asset), rows)


AMOUNTS = [
    Decimal("0.00"),
    Decimal("0.01"),
    Decimal("0.10"),
    Decimal("4999.99"),
    Decimal("5000.00"),
    Decimal("123456.78"),
    Decimal("999999999999.99"),  # the largest Numeric(14, 2)
]


def test_money_round_trips_exactly(db, reference):
    _insert_assets(db, reference, AMOUNTS)
    with db.reading() as session:
        back = session.scalars(select(Asset.cost).order_by(Asset.id)).all()
    assert back == AMOUNTS
    assert all(isinstance(amount, Decimal) for amount in back)
    assert [amount.as_tuple().exponent for amount in back] == [-2] * len(AMOUNTS)


def test_money_sums_are_exact(db, reference):
    # 0.1 + 0.2 ... in binary floating point drifts; cents and Numeric must not.
    costs = [Decimal(f"{i}.01") for i in range(1000)] + [Decimal("0.10")] * 1000
    _insert_assets(db, reference, costs)
    with db.reading() as session:
        total = session.scalar(select(func.sum(Asset.cost)))
    assert total == sum(costs) == Decimal("499610.00")
    assert isinstance(total, Decimal)


def test_money_rounds_half_up_to_the_cent(db, reference):
    _insert_assets(db, reference, [Decimal("10.005"), Decimal("10.004")])
    with db.reading() as session:
        assert session.scalars(select(Asset.cost).order_by(Asset.id)).all() == [
            Decimal("10.01"),
            Decimal("10.00"),
        ]


def test_sqlite_keeps_money_as_integer_cents(sqlite_url, open_db, reference_on):
    db = open_db(sqlite_url)
    ref = reference_on(db)
    _insert_assets(db, ref, [Decimal("1234.56")])
    with db.engine.connect() as connection:
        raw, kind = connection.execute(text("SELECT cost, typeof(cost) FROM assets")).one()
    assert (raw, kind) == (123456, "integer")


def test_timestamps_come_back_utc_aware(db, reference):
    pacific = timezone(timedelta(hours=-8))
    moment = datetime(2025, 1, 31, 16, 30, 15, 123456, tzinfo=pacific)
    asset_id = create_asset(db, "clerk", asset_values(reference))
    with db.unit_of_work("test") as work:
        asset = work.session.get(Asset, asset_id)
        asset.created_at = moment
    with db.reading() as session:
        created = session.scalar(select(Asset.created_at))
        occurred = session.scalar(select(HistoryEvent.occurred_at))
    assert created.tzinfo is not None and created.utcoffset() == timedelta(0)
    assert created == moment
    assert created.hour == 0 and created.day == 1 and created.month == 2  # 16:30 -08:00 = 00:30 UTC next day
    assert occurred.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference))
    with pytest.raises(exc.StatementError, match="timezone-aware"):
        with db.unit_of_work("test") as work:
            work.session.get(Asset, asset_id).updated_at = datetime(2025, 1, 1, 12, 0)


# -- text search --------------------------------------------------------------------------------


def _search(db, word):
    """Rows of the tag-and-serial index holding every trigram of ``word`` (it keeps no positions)."""
    query = " AND ".join(f'"{word[i:i + 3]}"' for i in range(len(word) - 2))
    with db.engine.connect() as connection:
        return connection.execute(
            text("SELECT rowid FROM asset_search WHERE asset_search MATCH :q ORDER BY rowid"), {"q": query}
        ).scalars().all()


def _descriptions(db, word=None):
    """Recorded descriptions, or those the description index finds for ``word``."""
    with db.engine.connect() as connection:
        if word is None:
            return connection.execute(text("SELECT text FROM asset_descriptions ORDER BY id")).scalars().all()
        return connection.execute(
            text("SELECT d.text FROM asset_descriptions d JOIN asset_description_search s ON s.rowid = d.id "
                 "WHERE asset_description_search MATCH :q ORDER BY d.id"), {"q": f'"{word}"'}
        ).scalars().all()


def test_sqlite_search_follows_insert_update_and_delete(sqlite_url, open_db, reference_on):
    db = open_db(sqlite_url)
    ref = reference_on(db)
    edited = create_asset(db, "clerk", asset_values(ref, serial="C02XK1ABJGH5"))
    removed = create_asset(db, "clerk", asset_values(ref, tag="T-0002", serial="ZZZ999"))
    assert _search(db, "XK1AB") == [edited]
    assert _search(db, "xk1ab") == [edited]  # the trigram tokenizer folds case
    assert _search(db, "Z999") == [removed]

    update_asset(db, "clerk", edited, 1, {"serial": "PF3QW7RT"})
    assert _search(db, "XK1AB") == []
    assert _search(db, "3QW7R") == [edited]

    delete_asset(db, "clerk", removed)  # only a just-created asset may be deleted
    assert _search(db, "Z999") == []
    assert _search(db, "T-000") == [edited]


def test_each_description_is_recorded_once_and_searchable(db, reference):
    first = create_asset(db, "clerk", asset_values(reference, tag="D-1", description="Cart, Chromebook 30-bay"))
    create_asset(db, "clerk", asset_values(reference, tag="D-2", description="Cart, Chromebook 30-bay"))
    assert _descriptions(db).count("Cart, Chromebook 30-bay") == 1

    update_asset(db, "clerk", first, 1, {"description": "Projector, Epson BrightLink"})
    assert "Projector, Epson BrightLink" in _descriptions(db)
    if db.engine.dialect.name == "sqlite":
        assert _descriptions(db, "brightlink") == ["Projector, Epson BrightLink"]
        assert _descriptions(db, "30-bay") == ["Cart, Chromebook 30-bay"]


@pytest.mark.postgres
def test_postgres_has_its_search_indexes(pg_url, open_db):
    db = open_db(pg_url)
    with db.engine.connect() as connection:
        extensions = connection.execute(text("SELECT extname FROM pg_extension")).scalars().all()
        indexes = dict(
            connection.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'assets'")
            ).all()
        )
    assert "pg_trgm" in extensions
    assert SEARCH_INDEXES - {"ix_asset_descriptions_trgm"} <= set(indexes)
    trigram = [d for d in indexes.values() if "gin_trgm_ops" in d and "USING gin" in d]
    assert any("serial" in d for d in trigram), "no trigram index over serials"
    assert not any("description" in d for d in trigram), "every asset's description indexed again"
    assert "ix_assets_description" in indexes
    with db.engine.connect() as connection:
        described = connection.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'asset_descriptions'")).scalars().all()
    assert any("gin_trgm_ops" in d for d in described), "no trigram index over descriptions"
    assert any("tag" in indexes[name] for name in SEARCH_INDEXES & set(indexes)), "tags are not searchable"


@pytest.mark.postgres
def test_postgres_search_finds_a_serial_substring(pg_url, open_db, reference_on):
    db = open_db(pg_url)
    ref = reference_on(db)
    asset_id = create_asset(db, "clerk", asset_values(ref, serial="C02XK1ABJGH5"))
    create_asset(db, "clerk", asset_values(ref, tag="T-0002", serial="ZZZ999"))
    with db.engine.connect() as connection:
        found = connection.execute(
            text("SELECT id FROM assets WHERE lower(serial) LIKE :q"), {"q": "%xk1ab%"}
        ).scalars().all()
        similar = connection.execute(text("SELECT similarity('C02XK1ABJGH5', 'XK1AB') > 0")).scalar()
    assert found == [asset_id]
    assert similar is True
