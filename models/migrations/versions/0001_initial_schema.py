"""Initial schema: the register, locations, catalog, people, funding and history.

Besides the tables: text search over tag, serial and description (SQLite FTS5
with the trigram tokenizer, PostgreSQL pg_trgm) and guards that keep the
history append-only. A later migration that rebuilds ``assets`` in SQLite
batch mode must re-create the FTS triggers.

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 07:07:19.016810
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.schema.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('code', name=op.f('uq_departments_code'))
    )
    op.create_table('district_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('state_code', sa.String(length=2), nullable=True),
    sa.Column('fiscal_year_start_month', sa.Integer(), nullable=False),
    sa.Column('capitalization_threshold', models.schema.types.Money(), nullable=False),
    sa.Column('federal_equipment_threshold', models.schema.types.Money(), nullable=False),
    sa.Column('updated_at', models.schema.types.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('fiscal_year_start_month BETWEEN 1 AND 12', name=op.f('ck_district_settings_fiscal_year_start_month')),
    sa.CheckConstraint('id = 1', name=op.f('ck_district_settings_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district_settings'))
    )
    op.create_table('function_codes',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_function_codes'))
    )
    op.create_table('funds',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_funds'))
    )
    op.create_table('history_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('occurred_at', models.schema.types.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.BigInteger(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('batch_id', sa.String(length=36), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history_events')),
    )
    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_history_events_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_history_events_entity', ['entity_type', 'entity_id', 'id'], unique=False)

    op.create_table('object_codes',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_object_codes'))
    )
    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('elementary', 'middle', 'high', 'administration', 'warehouse', 'transportation', 'other', name='site_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('code', name=op.f('uq_sites_code'))
    )
    op.create_table('asset_classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('gasb_class', sa.Enum('land', 'construction_in_progress', 'land_improvements', 'buildings', 'building_improvements', 'furniture_equipment', 'vehicles', 'technology', name='gasb_class', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('depreciable', sa.Boolean(), nullable=False),
    sa.Column('default_useful_life_months', sa.Integer(), nullable=False),
    sa.Column('default_method', sa.Enum('straight_line', 'declining_balance', 'sum_of_years_digits', name='depreciation_method', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('default_convention', sa.Enum('full_month', 'next_month', 'mid_month', 'nearest_month', 'half_year', 'full_year', 'actual_days', name='depreciation_convention', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('capitalization_threshold', models.schema.types.Money(), nullable=False),
    sa.Column('object_code', sa.String(length=16), nullable=True),
    sa.CheckConstraint('default_useful_life_months >= 0', name=op.f('ck_asset_classes_life_not_negative')),
    sa.ForeignKeyConstraint(['object_code'], ['object_codes.code'], name=op.f('fk_asset_classes_object_code_object_codes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asset_classes')),
    sa.UniqueConstraint('code', name=op.f('uq_asset_classes_code'))
    )
    op.create_table('buildings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('year_built', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_buildings_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buildings')),
    sa.UniqueConstraint('site_id', 'code', name=op.f('uq_buildings_site_id_code'))
    )
    with op.batch_alter_table('buildings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buildings_site_id'), ['site_id'], unique=False)

    op.create_table('funding_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('program', sa.Enum('esser', 'cares', 'e_rate', 'ecf', 'idea_b', 'title_i', 'title_iv', 'bond', 'general_fund', 'state_grant', 'donation', 'other', name='funding_program', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('is_federal', sa.Boolean(), nullable=False),
    sa.Column('grantor', sa.String(length=160), nullable=True),
    sa.Column('award_number', sa.String(length=40), nullable=True),
    sa.Column('erate_frn', sa.String(length=20), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('fund_code', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['fund_code'], ['funds.code'], name=op.f('fk_funding_sources_fund_code_funds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_sources')),
    sa.UniqueConstraint('code', name=op.f('uq_funding_sources_code'))
    )
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('staff', 'student', name='person_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('external_id', sa.String(length=40), nullable=True),
    sa.Column('first_name', sa.String(length=80), nullable=False),
    sa.Column('last_name', sa.String(length=80), nullable=False),
    sa.Column('email', sa.String(length=160), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('grade', sa.String(length=4), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_people_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('external_id', name=op.f('uq_people_external_id'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_last_name'), ['last_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_site_id'), ['site_id'], unique=False)

    op.create_table('asset_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('manufacturer', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('device_type', sa.String(length=60), nullable=False),
    sa.Column('default_class_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['default_class_id'], ['asset_classes.id'], name=op.f('fk_asset_models_default_class_id_asset_classes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asset_models')),
    sa.UniqueConstraint('manufacturer', 'name', name=op.f('uq_asset_models_manufacturer_name'))
    )
    with op.batch_alter_table('asset_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_asset_models_device_type'), ['device_type'], unique=False)

    op.create_table('floors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('plan_image', sa.String(length=400), nullable=True),
    sa.Column('plan_width', sa.Integer(), nullable=True),
    sa.Column('plan_height', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_floors_building_id_buildings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_floors')),
    sa.UniqueConstraint('building_id', 'level', name=op.f('uq_floors_building_id_level'))
    )
    with op.batch_alter_table('floors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_floors_building_id'), ['building_id'], unique=False)

    op.create_table('rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('floor_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('room_type', sa.Enum('classroom', 'lab', 'office', 'library', 'gym', 'cafeteria', 'kitchen', 'auditorium', 'storage', 'mechanical', 'server', 'garage', 'restroom', 'corridor', 'other', name='room_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('outline', sa.Text(), nullable=True),
    sa.Column('responsible_person_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['floor_id'], ['floors.id'], name=op.f('fk_rooms_floor_id_floors')),
    sa.ForeignKeyConstraint(['responsible_person_id'], ['people.id'], name=op.f('fk_rooms_responsible_person_id_people')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_rooms_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rooms')),
    sa.UniqueConstraint('floor_id', 'number', name=op.f('uq_rooms_floor_id_number'))
    )
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rooms_floor_id'), ['floor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rooms_site_id'), ['site_id'], unique=False)

    op.create_table('assets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=32), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=True),
    sa.Column('description', sa.String(length=240), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=True),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('on_order', 'in_service', 'in_storage', 'in_repair', 'loaned', 'lost', 'stolen', 'disposed', name='asset_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('condition', sa.Enum('new', 'good', 'fair', 'poor', 'broken', name='asset_condition', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('custodian_id', sa.Integer(), nullable=True),
    sa.Column('assigned_person_id', sa.Integer(), nullable=True),
    sa.Column('use', sa.String(length=120), nullable=True),
    sa.Column('function_code', sa.String(length=16), nullable=True),
    sa.Column('fund_code', sa.String(length=16), nullable=True),
    sa.Column('acquired_on', sa.Date(), nullable=False),
    sa.Column('in_service_on', sa.Date(), nullable=True),
    sa.Column('cost', models.schema.types.Money(), nullable=False),
    sa.Column('salvage_value', models.schema.types.Money(), nullable=False),
    sa.Column('useful_life_months', sa.Integer(), nullable=True),
    sa.Column('depreciation_method', sa.Enum('straight_line', 'declining_balance', 'sum_of_years_digits', name='asset_depreciation_method', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('depreciation_convention', sa.Enum('full_month', 'next_month', 'mid_month', 'nearest_month', 'half_year', 'full_year', 'actual_days', name='asset_depreciation_convention', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('capitalized', sa.Boolean(), nullable=False),
    sa.Column('capitalization_override_reason', sa.Text(), nullable=True),
    sa.Column('title_holder', sa.String(length=160), nullable=True),
    sa.Column('po_number', sa.String(length=40), nullable=True),
    sa.Column('vendor', sa.String(length=120), nullable=True),
    sa.Column('invoice_number', sa.String(length=40), nullable=True),
    sa.Column('warranty_ends_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('disposed_on', sa.Date(), nullable=True),
    sa.Column('disposal_method', sa.Enum('sold', 'auctioned', 'traded_in', 'donated', 'recycled', 'scrapped', 'transferred', 'lost', 'stolen', 'demolished', name='disposal_method', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('disposal_proceeds', models.schema.types.Money(), nullable=True),
    sa.Column('created_at', models.schema.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', models.schema.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('cost >= 0', name=op.f('ck_assets_cost_not_negative')),
    sa.CheckConstraint('disposal_proceeds IS NULL OR disposal_proceeds >= 0', name=op.f('ck_assets_proceeds')),
    sa.CheckConstraint('salvage_value >= 0 AND salvage_value <= cost', name=op.f('ck_assets_salvage_within_cost')),
    sa.CheckConstraint('useful_life_months IS NULL OR useful_life_months > 0', name=op.f('ck_assets_life_positive')),
    sa.ForeignKeyConstraint(['assigned_person_id'], ['people.id'], name=op.f('fk_assets_assigned_person_id_people')),
    sa.ForeignKeyConstraint(['class_id'], ['asset_classes.id'], name=op.f('fk_assets_class_id_asset_classes')),
    sa.ForeignKeyConstraint(['custodian_id'], ['people.id'], name=op.f('fk_assets_custodian_id_people')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_assets_department_id_departments')),
    sa.ForeignKeyConstraint(['function_code'], ['function_codes.code'], name=op.f('fk_assets_function_code_function_codes')),
    sa.ForeignKeyConstraint(['fund_code'], ['funds.code'], name=op.f('fk_assets_fund_code_funds')),
    sa.ForeignKeyConstraint(['model_id'], ['asset_models.id'], name=op.f('fk_assets_model_id_asset_models')),
    sa.ForeignKeyConstraint(['parent_id'], ['assets.id'], name=op.f('fk_assets_parent_id_assets')),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_assets_room_id_rooms')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_assets_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assets')),
    sa.UniqueConstraint('tag', name=op.f('uq_assets_tag'))
    )
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assets_acquired_on'), ['acquired_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_assigned_person_id'), ['assigned_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_cost'), ['cost'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_custodian_id'), ['custodian_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_model_id'), ['model_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_site_id'), ['site_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('loaned_on', sa.Date(), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('lost_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_assignments_asset_id_assets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_assignments_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_person_id'), ['person_id'], unique=False)

    op.create_table('funding_shares',
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('funding_source_id', sa.Integer(), nullable=False),
    sa.Column('share_basis_points', sa.Integer(), nullable=False),
    sa.CheckConstraint('share_basis_points > 0 AND share_basis_points <= 10000', name=op.f('ck_funding_shares_share')),
    sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_funding_shares_asset_id_assets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['funding_source_id'], ['funding_sources.id'], name=op.f('fk_funding_shares_funding_source_id_funding_sources')),
    sa.PrimaryKeyConstraint('asset_id', 'funding_source_id', name=op.f('pk_funding_shares'))
    )
    with op.batch_alter_table('funding_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_shares_funding_source_id'), ['funding_source_id'], unique=False)

    _create_search_index()
    _guard_history()


SQLITE_SEARCH = [
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
]

POSTGRES_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Substrings of serials and descriptions through trigrams; tags, which people type
    # from the start or scan whole, through a prefix index. A search ORs them and
    # PostgreSQL combines the indexes in one bitmap scan.
    """CREATE INDEX ix_assets_serial_trgm ON assets USING gin (lower(serial) gin_trgm_ops)""",
    "CREATE INDEX ix_assets_tag_prefix ON assets (lower(tag) text_pattern_ops)",
    """CREATE INDEX ix_assets_description_trgm ON assets USING gin (
        lower(description) gin_trgm_ops)""",
]

SQLITE_HISTORY_GUARD = [
    """CREATE TRIGGER history_events_no_update BEFORE UPDATE ON history_events
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END""",
    """CREATE TRIGGER history_events_no_delete BEFORE DELETE ON history_events
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END""",
]

POSTGRES_HISTORY_GUARD = [
    """CREATE FUNCTION history_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'history is append-only'; END $$""",
    """CREATE TRIGGER history_events_no_change BEFORE UPDATE OR DELETE ON history_events
        FOR EACH ROW EXECUTE FUNCTION history_events_append_only()""",
    """CREATE TRIGGER history_events_no_truncate BEFORE TRUNCATE ON history_events
        FOR EACH STATEMENT EXECUTE FUNCTION history_events_append_only()""",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def _create_search_index() -> None:
    _run(SQLITE_SEARCH if op.get_context().dialect.name == "sqlite" else POSTGRES_SEARCH)


def _guard_history() -> None:
    if op.get_context().dialect.name == "sqlite":
        _run(SQLITE_HISTORY_GUARD)
    else:
        _run(POSTGRES_HISTORY_GUARD)


def _drop_extras() -> None:
    if op.get_context().dialect.name == "sqlite":
        for trigger in ("history_events_no_update", "history_events_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS asset_search")
    else:
        op.execute("DROP TRIGGER IF EXISTS history_events_no_change ON history_events")
        op.execute("DROP TRIGGER IF EXISTS history_events_no_truncate ON history_events")
        op.execute("DROP FUNCTION IF EXISTS history_events_append_only()")
        op.execute("DROP INDEX IF EXISTS ix_assets_serial_trgm")
        op.execute("DROP INDEX IF EXISTS ix_assets_tag_prefix")
        op.execute("DROP INDEX IF EXISTS ix_assets_description_trgm")


def downgrade() -> None:
    _drop_extras()
    with op.batch_alter_table('funding_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_shares_funding_source_id'))

    op.drop_table('funding_shares')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_person_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_asset_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assets_site_id'))
        batch_op.drop_index(batch_op.f('ix_assets_room_id'))
        batch_op.drop_index(batch_op.f('ix_assets_parent_id'))
        batch_op.drop_index(batch_op.f('ix_assets_model_id'))
        batch_op.drop_index(batch_op.f('ix_assets_department_id'))
        batch_op.drop_index(batch_op.f('ix_assets_custodian_id'))
        batch_op.drop_index(batch_op.f('ix_assets_cost'))
        batch_op.drop_index(batch_op.f('ix_assets_class_id'))
        batch_op.drop_index(batch_op.f('ix_assets_assigned_person_id'))
        batch_op.drop_index(batch_op.f('ix_assets_acquired_on'))

    op.drop_table('assets')
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rooms_site_id'))
        batch_op.drop_index(batch_op.f('ix_rooms_floor_id'))

    op.drop_table('rooms')
    with op.batch_alter_table('floors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_floors_building_id'))

    op.drop_table('floors')
    with op.batch_alter_table('asset_models', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_asset_models_device_type'))

    op.drop_table('asset_models')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_site_id'))
        batch_op.drop_index(batch_op.f('ix_people_last_name'))

    op.drop_table('people')
    op.drop_table('funding_sources')
    with op.batch_alter_table('buildings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buildings_site_id'))

    op.drop_table('buildings')
    op.drop_table('asset_classes')
    op.drop_table('sites')
    op.drop_table('object_codes')
    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.drop_index('ix_history_events_entity')
        batch_op.drop_index(batch_op.f('ix_history_events_batch_id'))

    op.drop_table('history_events')
    op.drop_table('funds')
    op.drop_table('function_codes')
    op.drop_table('district_settings')
    op.drop_table('departments')
