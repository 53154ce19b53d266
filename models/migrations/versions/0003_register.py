"""Register: saved views and any indexes the register's filters and sorts need.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.schema.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('saved_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('filter_json', sa.Text(), nullable=False),
    sa.Column('columns', sa.Text(), nullable=False),
    sa.Column('sort_key', sa.String(length=40), nullable=False),
    sa.Column('sort_descending', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', models.schema.types.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', models.schema.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_views')),
    sa.UniqueConstraint('name', name=op.f('uq_saved_views_name'))
    )
    # The search box matches people by the start of their first or last name (last_name has
    # its index from 0001).
    op.create_index('ix_people_first_name', 'people', ['first_name'])


def downgrade() -> None:
    op.drop_index('ix_people_first_name', table_name='people')
    op.drop_table('saved_views')
