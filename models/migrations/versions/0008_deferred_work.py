"""Deferred work: what a PostgreSQL bulk load leaves for after its commit, kept until done.

A demo district on PostgreSQL commits its rows with the secondary indexes still to
build and the foreign keys still to check (``models.deferred``). Those statements are
now queued in ``deferred_work`` by the load's own transaction and each row goes when
its statement has run, so work an interruption cut off is finished the next time the
database is opened instead of being lost.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.schema.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deferred_work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("table_name", sa.String(length=63), nullable=False),
        sa.Column("shares_table", sa.Boolean(), nullable=False),
        sa.Column("queued_at", models.schema.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deferred_work")),
    )


def downgrade() -> None:
    op.drop_table("deferred_work")
