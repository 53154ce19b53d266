"""Import look-ups: register assets found by tag regardless of case and by normalised serial.

An import matches each row to the register by tag, then by serial (upper case,
without blanks). Without these indexes each preview read all the assets of the
register to compare them: 1.7 s for a 1,000,000-asset district. PostgreSQL's
tag look-up uses the ``lower(tag)`` index from 0001.

The serial expressions must stay the ones ``models.importing.lookup`` queries with.

Revision ID: 0006_import_lookup
Revises: 0005
Create Date: 2026-11-21 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_import_lookup"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE_SERIAL_KEY = "upper(replace(replace(replace(serial, ' ', ''), char(9), ''), char(160), ''))"
POSTGRES_SERIAL_KEY = "upper(regexp_replace(serial, '\\s', '', 'g'))"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("assets") as batch_op:  # indexes only: the table is not rebuilt
            batch_op.create_index("ix_assets_tag_upper", [sa.text("upper(tag)")])
            batch_op.create_index("ix_assets_serial_key", [sa.text(SQLITE_SERIAL_KEY)],
                                  sqlite_where=sa.text("serial IS NOT NULL"))
        # Statistics for the planner, which otherwise may prefer reading the whole table.
        op.execute("ANALYZE ix_assets_tag_upper")
        op.execute("ANALYZE ix_assets_serial_key")
    else:
        # Not partial: the planner uses an expression index's statistics only when it is not.
        op.create_index("ix_assets_serial_key", "assets", [sa.text(POSTGRES_SERIAL_KEY)])
        op.execute("ANALYZE assets")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("assets") as batch_op:
            batch_op.drop_index("ix_assets_serial_key")
            batch_op.drop_index("ix_assets_tag_upper")
    else:
        op.drop_index("ix_assets_serial_key", table_name="assets")
