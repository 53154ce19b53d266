"""Fiscal-year close: stored depreciation per asset and year, closes, reopenings, adjustments.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.schema.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
