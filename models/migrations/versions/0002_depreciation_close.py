"""Fiscal-year close: stored depreciation per asset and year, closes, reopenings, adjustments;
user roles (finance, admin).

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

GASB = ('land', 'construction_in_progress', 'land_improvements', 'buildings', 'building_improvements',
        'furniture_equipment', 'vehicles', 'technology')


def upgrade() -> None:
    op.create_table('fiscal_year_closes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opening', sa.Boolean(), nullable=False),
    sa.Column('fy_start_month', sa.Integer(), nullable=False),
    sa.Column('closed_at', models.schema.types.UTCDateTime(), nullable=False),
    sa.Column('closed_by', sa.String(length=120), nullable=False),
    sa.Column('asset_count', sa.Integer(), nullable=False),
    sa.Column('cost_end', models.schema.types.Money(), nullable=False),
    sa.Column('depreciation', models.schema.types.Money(), nullable=False),
    sa.Column('accumulated_end', models.schema.types.Money(), nullable=False),
    sa.Column('reopened_at', models.schema.types.UTCDateTime(), nullable=True),
    sa.Column('reopened_by', sa.String(length=120), nullable=True),
    sa.Column('reopen_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiscal_year_closes'))
    )
    op.create_index(op.f('ix_fiscal_year_closes_fiscal_year'), 'fiscal_year_closes', ['fiscal_year'])
    op.create_index('ux_fiscal_year_closes_closed', 'fiscal_year_closes', ['fiscal_year'], unique=True,
                    sqlite_where=sa.text("status = 'closed'"), postgresql_where=sa.text("status = 'closed'"))
    op.create_table('asset_year_depreciation',
    sa.Column('close_id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.BigInteger(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('gasb_class', sa.Enum(*GASB, name='stored_gasb_class', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('fund_code', sa.String(length=16), nullable=True),
    sa.Column('function_code', sa.String(length=16), nullable=True),
    sa.Column('object_code', sa.String(length=16), nullable=True),
    sa.Column('cost_cents', sa.BigInteger(), nullable=False),
    sa.Column('on_books_at_start', sa.Boolean(), nullable=False),
    sa.Column('acquired_in_year', sa.Boolean(), nullable=False),
    sa.Column('disposed_in_year', sa.Boolean(), nullable=False),
    sa.Column('accumulated_start_cents', sa.BigInteger(), nullable=False),
    sa.Column('depreciation_cents', sa.BigInteger(), nullable=False),
    sa.Column('accumulated_end_cents', sa.BigInteger(), nullable=False),
    sa.Column('book_value_end_cents', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['close_id'], ['fiscal_year_closes.id'], name=op.f('fk_asset_year_depreciation_close_id_fiscal_year_closes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('close_id', 'asset_id', name=op.f('pk_asset_year_depreciation'))
    )
    op.create_index('ix_asset_year_depreciation_asset', 'asset_year_depreciation', ['asset_id'])
    op.create_table('depreciation_adjustments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('adjusted_on', sa.Date(), nullable=False),
    sa.Column('against_close_id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.BigInteger(), nullable=False),
    sa.Column('gasb_class', sa.Enum(*GASB, name='adjustment_gasb_class', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('cost_cents', sa.BigInteger(), nullable=False),
    sa.Column('accumulated_cents', sa.BigInteger(), nullable=False),
    sa.Column('fields', sa.String(length=400), nullable=False),
    sa.Column('created_at', models.schema.types.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['against_close_id'], ['fiscal_year_closes.id'], name=op.f('fk_depreciation_adjustments_against_close_id_fiscal_year_closes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_depreciation_adjustments'))
    )
    op.create_index(op.f('ix_depreciation_adjustments_fiscal_year'), 'depreciation_adjustments', ['fiscal_year'])
    op.create_index(op.f('ix_depreciation_adjustments_against_close_id'), 'depreciation_adjustments', ['against_close_id'])
    op.create_index(op.f('ix_depreciation_adjustments_asset_id'), 'depreciation_adjustments', ['asset_id'])
    op.create_table('user_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('finance', 'admin', name='user_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('granted_by', sa.String(length=120), nullable=False),
    sa.Column('granted_at', models.schema.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_roles')),
    sa.UniqueConstraint('user_name', 'role', name=op.f('uq_user_roles_user_name_role'))
    )


def downgrade() -> None:
    op.drop_table('user_roles')
    op.drop_table('depreciation_adjustments')
    op.drop_table('asset_year_depreciation')
    op.drop_table('fiscal_year_closes')
