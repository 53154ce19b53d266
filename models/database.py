"""Opening a district database and doing work in it.

``Database.open`` connects, checks the schema revision and sets the
connection up (SQLite: WAL, foreign keys, one writer at a time; PostgreSQL:
pre-ping so a dropped connection is noticed). Every change runs in a
``UnitOfWork``: one transaction that also chains and writes its history events.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from models import history
from models.connection import PasswordPrompt, display_url, resolve_url, with_password
from models.errors import (
    ConnectionFailedError,
    ReadOnlyDatabaseError,
    SchemaMissingError,
    SchemaOutdatedError,
)
from models.migrate import SchemaState, SchemaStatus, schema_state, upgrade
from models.schema import HistoryEvent

# Serialises history appends across PostgreSQL clients (any constant key will do).
HISTORY_LOCK_KEY = 0x0C0A11D


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class UnitOfWork:
    """One transaction on behalf of one person; collects the history it writes."""

    session: Session
    actor: str
    batch_id: str | None = None
    occurred_at: datetime = field(default_factory=_now)
    pending: list[history.PendingEvent] = field(default_factory=list)

    def record(
        self,
        entity_type: str,
        entity_id: int,
        action: str,
        changes: Mapping[str, tuple[Any, Any]],
        note: str | None = None,
    ) -> None:
        self.pending.append(
            history.PendingEvent(
                occurred_at=self.occurred_at,
                actor=self.actor,
                entity_type=entity_type,
                entity_id=entity_id,
                action=action,
                changes=history.changes_json(changes),
                batch_id=self.batch_id,
                note=note,
            )
        )

    def write_history(self) -> None:
        """Chain the pending events onto the last one written and insert them."""
        if not self.pending:
            return
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": HISTORY_LOCK_KEY})
        rows = list(history.chain(self.pending, history.last_hash(connection)))
        connection.execute(HistoryEvent.__table__.insert(), rows)
        self.pending.clear()


_active_work: contextvars.ContextVar[tuple[Database, UnitOfWork] | None] = contextvars.ContextVar(
    "active_unit_of_work", default=None
)


class Database:
    """A connected district database. Cheap to share; make one per process."""

    def __init__(self, engine: Engine, state: SchemaState) -> None:
        self.engine = engine
        self.state = state
        self.read_only = state.status is SchemaStatus.NEWER
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(commonground_write=True), expire_on_commit=False
        )
        self._bulk_writer = sessionmaker(
            engine.execution_options(commonground_write=True, commonground_bulk_load=True),
            expire_on_commit=False,
        )

    # -- opening -------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        address: str | URL | None = None,
        *,
        create: bool = True,
        prompt: PasswordPrompt | None = None,
    ) -> Database:
        """Connect to ``address`` (a URL, a SQLite file path, or the default file).

        A new SQLite file gets the schema at once when ``create`` is set; a
        PostgreSQL database without it is for the admin to set up. A schema
        newer than this app opens read-only.
        """
        engine = connect_engine(address, prompt)
        url = engine.url
        with engine.connect() as connection:
            state = schema_state(connection)
        if state.status is SchemaStatus.EMPTY and create and url.get_backend_name() == "sqlite":
            upgrade(engine)
            with engine.connect() as connection:
                state = schema_state(connection)
        where = display_url(url)
        if state.status in (SchemaStatus.EMPTY, SchemaStatus.FOREIGN):
            engine.dispose()
            raise SchemaMissingError(
                f"The database {where} has no Common Ground tables. An administrator sets it up "
                f"with: commonground db upgrade --db {where}"
            )
        if state.status is SchemaStatus.OLDER:
            engine.dispose()
            raise SchemaOutdatedError(
                f"The database {where} was made by an older Common Ground (schema "
                f"{state.database_revision}; this version needs {state.app_revision}). "
                f"An administrator upgrades it with: commonground db upgrade --db {where}"
            )
        if state.status is SchemaStatus.NEWER:
            engine.dispose()
            engine = _make_engine(url, read_only=True)
        else:
            from models.deferred import finish_deferred_work

            finish_deferred_work(engine)  # what an interrupted bulk load left (PostgreSQL)
        return cls(engine, state)

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def display_name(self) -> str:
        return display_url(self.engine.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def read_only_reason(self) -> str | None:
        if not self.read_only:
            return None
        return (
            f"This database was made by a newer Common Ground (schema "
            f"{self.state.database_revision}). This version can show it but not change it; "
            f"install the newer version to make changes."
        )

    def close(self) -> None:
        self.engine.dispose()

    # -- working -------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries; nothing it does is committed."""
        with _translate_disconnects(), self._reader() as session:
            yield session

    @contextmanager
    def unit_of_work(
        self, actor: str, *, batch_id: str | None = None, bulk_load: bool = False
    ) -> Iterator[UnitOfWork]:
        """One transaction with its history; joins the caller's if one is open.

        Everything in it commits together with its history events, or nothing does.
        ``bulk_load`` is for a loader that checks what it writes itself: on SQLite the
        transaction runs without per-row foreign-key and CHECK enforcement (foreign keys
        can only be switched off before it begins); the connection has both back once
        it returns to the pool.
        """
        active = _active_work.get()
        if active is not None and active[0] is self:
            yield active[1]
            return
        if self.read_only:
            raise ReadOnlyDatabaseError(self.read_only_reason or "read-only")
        writer = self._bulk_writer if bulk_load else self._writer
        with _translate_disconnects(), writer() as session:
            work = UnitOfWork(session, actor, batch_id)
            token = _active_work.set((self, work))
            try:
                with session.begin():
                    yield work
                    session.flush()
                    work.write_history()
            finally:
                _active_work.reset(token)


@contextmanager
def _translate_disconnects() -> Iterator[None]:
    try:
        yield
    except exc.DBAPIError as err:
        if err.connection_invalidated or isinstance(err, exc.InterfaceError):
            raise ConnectionFailedError(
                "The connection to the database was lost. Nothing was saved; check the "
                "network and try again."
            ) from err
        raise


def connect_engine(address: str | URL | None, prompt: PasswordPrompt | None = None) -> Engine:
    """An engine on ``address`` that has connected once, without looking at the schema.

    The password comes from wherever ``with_password`` finds it; a refused login is
    retried once with ``prompt``. Used by ``Database.open`` and the admin commands.
    """
    url = address if isinstance(address, URL) else resolve_url(address)
    return _connect(with_password(url), prompt)


def _connect(url: URL, prompt: PasswordPrompt | None) -> Engine:
    engine = _make_engine(url, read_only=False)
    try:
        with engine.connect():
            pass
        return engine
    except exc.OperationalError as err:
        engine.dispose()
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        if url.get_backend_name() == "postgresql" and "password" in reason.lower() and prompt:
            retry = with_password(url, prompt, ask=True)
            if retry.password:
                return _connect(retry, None)
        raise ConnectionFailedError(
            f"Could not open the database {display_url(url)}: {reason}"
        ) from None


def _make_engine(url: URL, *, read_only: bool) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})
        _set_up_sqlite(engine, read_only=read_only)
        return engine
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "Common Ground"},
    )
    if read_only:

        @event.listens_for(engine, "connect")
        def _read_only(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_connection.commit()

    return engine


def _set_up_sqlite(engine: Engine, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below) so writers can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("commonground_bulk_load", False):
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.exec_driver_sql("PRAGMA ignore_check_constraints=ON")
            connection.info[_BULK_LOAD] = True
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get("commonground_write", False) else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_BULK_LOAD, False):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA ignore_check_constraints=OFF")
            cursor.close()


_BULK_LOAD = "commonground_bulk_load"
