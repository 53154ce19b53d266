"""Schema revisions: what a database has, what this app needs, and the upgrade."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from models.paths import migrations_dir


class SchemaStatus(StrEnum):
    EMPTY = "empty"  # no Common Ground tables at all
    CURRENT = "current"
    OLDER = "older"  # made by an older app: needs `commonground db upgrade`
    NEWER = "newer"  # made by a newer app: this one may only read it
    FOREIGN = "foreign"  # tables, but none of ours


@dataclass(frozen=True)
class SchemaState:
    status: SchemaStatus
    database_revision: str | None
    app_revision: str


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def app_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def schema_state(connection: Connection) -> SchemaState:
    head = app_revision()
    current = MigrationContext.configure(connection).get_current_revision()
    if current is None:
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
        status = SchemaStatus.EMPTY if not tables else SchemaStatus.FOREIGN
        return SchemaState(status, None, head)
    if current == head:
        return SchemaState(SchemaStatus.CURRENT, current, head)
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    status = SchemaStatus.OLDER if current in known else SchemaStatus.NEWER
    return SchemaState(status, current, head)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` in one transaction."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)
