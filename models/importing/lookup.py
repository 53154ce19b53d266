"""Finding register assets by tag and by serial, for an import's matching and commit.

Each look-up sends all the tags or serials of an import as one parameter, and the
database finds each through an index: the tags' own, ``ix_assets_tag_upper``
(SQLite) or the ``lower(tag)`` index (PostgreSQL) for tags in any case, and
``ix_assets_serial_key`` for serials (migration 0006).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, literal_column, select, text

from models.schema import Asset

# How each database normalises a serial for matching, as ``normalise.serial_key`` does for the usual
# blanks; each is the expression of its ix_assets_serial_key index (migration 0006).
SQLITE_SERIAL_KEY = "upper(replace(replace(replace(serial, ' ', ''), char(9), ''), char(160), ''))"
POSTGRES_SERIAL_KEY = "upper(regexp_replace(serial, '\\s', '', 'g'))"


def assets_by(session: Any, key: str, wanted: set[str]) -> list[dict[str, Any]]:
    """The register assets whose tag (``key`` "tag"), tag in any case ("any case": ``wanted`` in
    upper case on SQLite) or serial key ("serial") is one of ``wanted``, each with its columns and
    its ``upper_tag`` and ``serial_key`` as the database makes them."""
    if not wanted:
        return []
    dialect = session.get_bind().dialect.name
    values = sorted(wanted) if dialect == "postgresql" else json.dumps(sorted(wanted))
    return [dict(row) for row in session.execute(lookup_statement(dialect, key), {"wanted": values}).mappings()]


def lookup_statement(dialect: str, key: str) -> Any:
    """The query of ``assets_by``. The values go as one parameter ``wanted`` (a text array on
    PostgreSQL, a JSON list on SQLite), and the database looks each up in an index: the tags',
    ix_assets_tag_upper (SQLite) or the lower(tag) index (PostgreSQL), ix_assets_serial_key."""
    if dialect == "postgresql":
        serial_key = POSTGRES_SERIAL_KEY
        values = "SELECT unnest(CAST(:wanted AS text[]))"
        where = {"tag": f"tag IN ({values})", "any case": f"lower(tag) IN (SELECT lower(v) FROM ({values}) AS w(v))",
                 "serial": f"{serial_key} IN ({values})"}[key]
    else:
        serial_key = SQLITE_SERIAL_KEY
        values = "SELECT value FROM json_each(:wanted)"
        where = {"tag": f"tag IN ({values})", "any case": f"upper(tag) IN ({values})",
                 "serial": f"serial IS NOT NULL AND {serial_key} IN ({values})"}[key]
    table = Asset.__table__
    return select(*(table.c[name] for name in ASSET_COLUMNS), func.upper(table.c.tag).label("upper_tag"),
                  literal_column(serial_key).label("serial_key")).where(text(where))


def tag_among(session: Any, tags: Sequence[str]) -> Any:
    """A condition: the asset's tag (exactly) is one of ``tags``, sent as one parameter and
    looked up through the tag index, however many there are."""
    if session.get_bind().dialect.name == "postgresql":
        return text("assets.tag IN (SELECT unnest(CAST(:import_tags AS text[])))").bindparams(
            import_tags=list(tags))
    return text("assets.tag IN (SELECT value FROM json_each(:import_tags))").bindparams(
        import_tags=json.dumps(list(tags)))


ASSET_COLUMNS = (
    "id", "tag", "serial", "description", "model_id", "class_id", "status", "condition", "site_id",
    "room_id", "department_id", "assigned_person_id", "use", "function_code", "fund_code", "acquired_on",
    "in_service_on", "cost", "salvage_value", "useful_life_months", "po_number", "vendor",
    "invoice_number", "warranty_ends_on", "title_holder", "notes", "version", "capitalized",
    "capitalization_override_reason", "disposed_on",
)


