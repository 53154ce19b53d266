"""Import: batches, saved column mappings, and the link from history to a batch.

History events already carry ``batch_id`` (indexed); this adds the batch record
itself and the mappings saved per source.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.schema.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'import_batches',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('committed_at', models.schema.types.UTCDateTime(), nullable=False),
        sa.Column('files', sa.Text(), nullable=False),
        sa.Column('details', sa.Text(), nullable=False),
        sa.Column('created_count', sa.Integer(), nullable=False),
        sa.Column('updated_count', sa.Integer(), nullable=False),
        sa.Column('unchanged_count', sa.Integer(), nullable=False),
        sa.Column('rejected_count', sa.Integer(), nullable=False),
        sa.Column('undone_at', models.schema.types.UTCDateTime(), nullable=True),
        sa.Column('undone_by', sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches')),
    )
    op.create_index(op.f('ix_import_batches_committed_at'), 'import_batches', ['committed_at'])
    op.create_table(
        'import_mappings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=120), nullable=False),
        sa.Column('mapping', sa.Text(), nullable=False),
        sa.Column('updated_at', models.schema.types.UTCDateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mappings')),
        sa.UniqueConstraint('source', name=op.f('uq_import_mappings_source')),
    )


def downgrade() -> None:
    op.drop_table('import_mappings')
    op.drop_index(op.f('ix_import_batches_committed_at'), table_name='import_batches')
    op.drop_table('import_batches')
