"""Room maps: floor plan images stored with their floor.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.schema.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "floor_plans",
        sa.Column("floor_id", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("imported_at", models.schema.types.UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["floor_id"], ["floors.id"], name=op.f("fk_floor_plans_floor_id_floors"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("floor_id", name=op.f("pk_floor_plans")),
    )


def downgrade() -> None:
    op.drop_table("floor_plans")
