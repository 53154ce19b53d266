"""Description search through the distinct descriptions: a text index a fraction of the size.

A district's descriptions repeat: thirty carts of the same Chromebook share one. Until
now the text index held every asset's description (a million demo assets, 206
different descriptions), which made it the largest index to build and to keep up on
every insert. Now:

* ``asset_descriptions`` holds each description once, with its own trigram index
  (SQLite FTS5 ``asset_description_search``; PostgreSQL pg_trgm);
* triggers on ``assets`` add a description the first time an asset has it;
* ``ix_assets_description`` finds the assets of the descriptions a search matched;
* SQLite's ``asset_search`` now holds tags and serials only, without token positions
  (``detail=none``): a search asks for every trigram of its word and confirms the
  candidates with ``LIKE`` (``models.queries.register``);
* PostgreSQL's trigram index over every asset's description goes.

Revision ID: 0007
Revises: 0006_import_lookup
Create Date: 2026-11-21 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006_import_lookup"
branch_labels = None
depends_on = None

SQLITE_DROP_OLD = [
    "DROP TRIGGER IF EXISTS assets_search_insert",
    "DROP TRIGGER IF EXISTS assets_search_delete",
    "DROP TRIGGER IF EXISTS assets_search_update",
    "DROP TABLE IF EXISTS asset_search",
]

SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE asset_search USING fts5(
        tag, serial, content='assets', content_rowid='id', tokenize='trigram',
        detail='none', columnsize=0)""",
    """CREATE TRIGGER assets_search_insert AFTER INSERT ON assets BEGIN
        INSERT INTO asset_search(rowid, tag, serial) VALUES (new.id, new.tag, new.serial); END""",
    """CREATE TRIGGER assets_search_delete AFTER DELETE ON assets BEGIN
        INSERT INTO asset_search(asset_search, rowid, tag, serial)
        VALUES ('delete', old.id, old.tag, old.serial); END""",
    """CREATE TRIGGER assets_search_update AFTER UPDATE OF tag, serial ON assets BEGIN
        INSERT INTO asset_search(asset_search, rowid, tag, serial)
        VALUES ('delete', old.id, old.tag, old.serial);
        INSERT INTO asset_search(rowid, tag, serial) VALUES (new.id, new.tag, new.serial); END""",
    "INSERT INTO asset_search(asset_search) VALUES ('rebuild')",
    """CREATE VIRTUAL TABLE asset_description_search USING fts5(
        text, content='asset_descriptions', content_rowid='id', tokenize='trigram')""",
    # Descriptions are only ever added (see the ORM class), so insert is the one trigger needed.
    """CREATE TRIGGER asset_descriptions_search_insert AFTER INSERT ON asset_descriptions BEGIN
        INSERT INTO asset_description_search(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER assets_search_descriptions_insert AFTER INSERT ON assets BEGIN
        INSERT OR IGNORE INTO asset_descriptions(text) VALUES (new.description); END""",
    """CREATE TRIGGER assets_search_descriptions_update AFTER UPDATE OF description ON assets BEGIN
        INSERT OR IGNORE INTO asset_descriptions(text) VALUES (new.description); END""",
]

POSTGRES_SEARCH = [
    "DROP INDEX IF EXISTS ix_assets_description_trgm",
    "CREATE INDEX ix_asset_descriptions_trgm ON asset_descriptions USING gin (lower(text) gin_trgm_ops)",
    # One statement-level trigger per write: the new descriptions of all its rows in one
    # insert, in a fixed order so that two clerks' imports never wait on each other crosswise.
    """CREATE FUNCTION assets_record_descriptions() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO asset_descriptions(text)
                SELECT DISTINCT description FROM written ORDER BY 1 ON CONFLICT (text) DO NOTHING;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER assets_search_descriptions_insert AFTER INSERT ON assets
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION assets_record_descriptions()""",
    """CREATE TRIGGER assets_search_descriptions_update AFTER UPDATE ON assets
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION assets_record_descriptions()""",
]

FILL_DESCRIPTIONS = "INSERT INTO asset_descriptions(text) SELECT DISTINCT description FROM assets ORDER BY 1"


def upgrade() -> None:
    op.create_table(
        "asset_descriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=240), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_descriptions")),
        sa.UniqueConstraint("text", name=op.f("uq_asset_descriptions_text")),
    )
    op.create_index("ix_assets_description", "assets", ["description"])
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for statement in SQLITE_DROP_OLD:
            op.execute(statement)
    for statement in SQLITE_SEARCH if sqlite else POSTGRES_SEARCH:
        op.execute(statement)
    op.execute(FILL_DESCRIPTIONS)
    op.execute("ANALYZE asset_descriptions")
    op.execute("ANALYZE assets" if not sqlite else "ANALYZE ix_assets_description")


SQLITE_RESTORE = [
    """CREATE VIRTUAL TABLE asset_search USING fts5(
        tag, serial, description, content='assets', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER assets_search_insert AFTER INSERT ON assets BEGIN
        INSERT INTO asset_search(rowid, tag, serial, description)
        VALUES (new.id, new.tag, new.serial, new.description); END""",
    """CREATE TRIGGER assets_search_delete AFTER DELETE ON assets BEGIN
        INSERT INTO asset_search(asset_search, rowid, tag, serial, description)
        VALUES ('delete', old.id, old.tag, old.serial, old.description); END""",
    """CREATE TRIGGER assets_search_update AFTER UPDATE OF tag, serial, description ON assets BEGIN
        INSERT INTO asset_search(asset_search, rowid, tag, serial, description)
        VALUES ('delete', old.id, old.tag, old.serial, old.description);
        INSERT INTO asset_search(rowid, tag, serial, description)
        VALUES (new.id, new.tag, new.serial, new.description); END""",
    "INSERT INTO asset_search(asset_search) VALUES ('rebuild')",
]


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in ("DROP TRIGGER IF EXISTS assets_search_descriptions_insert",
                          "DROP TRIGGER IF EXISTS assets_search_descriptions_update",
                          "DROP TABLE IF EXISTS asset_description_search",
                          *SQLITE_DROP_OLD, *SQLITE_RESTORE):
            op.execute(statement)
    else:
        for statement in ("DROP TRIGGER IF EXISTS assets_search_descriptions_insert ON assets",
                          "DROP TRIGGER IF EXISTS assets_search_descriptions_update ON assets",
                          "DROP FUNCTION IF EXISTS assets_record_descriptions()",
                          "CREATE INDEX ix_assets_description_trgm ON assets USING gin "
                          "(lower(description) gin_trgm_ops)"):
            op.execute(statement)
    op.drop_index("ix_assets_description", table_name="assets")
    op.drop_table("asset_descriptions")
