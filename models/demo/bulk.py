"""Fast loading of many rows in one transaction, for the demo and imports.

Rows go in as columns (lists or numpy arrays). PostgreSQL gets them through
``COPY``; SQLite through ``executemany``. Secondary indexes, foreign keys and
the search index are set aside during the load and rebuilt once at the end,
which is how both databases' manuals advise loading a large table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from queue import Empty, Queue
from threading import Thread

from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import Connection, Engine, Table, text

from models.schema.types import Money

LOAD_CACHE_KIB = 256 * 1024  # SQLite page cache while loading: random index inserts stay in memory

Column = Sequence[Any] | np.ndarray


class Constant:
    """One value for every row of a column (converted once, not per row)."""

    def __init__(self, value: Any) -> None:
        self.value = value


def _as_list(values: Column) -> list[Any]:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


class BulkLoader:
    """Loads rows into tables on one connection inside the caller's transaction."""

    def __init__(self, connection: Connection, tables: Sequence[Table]) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.tables = list(tables)
        self._restore: list[str] = []
        # PostgreSQL secondary indexes, built after the commit, several at a time.
        self.deferred: list[str] = []

    # -- setting indexes and constraints aside ----------------------------------------------
    def suspend_indexes(self) -> None:
        names = [table.name for table in self.tables]
        if self.dialect == "sqlite":
            rows = self.connection.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                f"AND sql IS NOT NULL AND tbl_name IN ({', '.join('?' * len(names))})",
                tuple(names),
            ).all()
            for kind, name, sql in rows:
                if kind == "trigger" and not name.startswith("assets_search"):
                    continue  # keep the history guards
                self.connection.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
                self._restore.append(sql)
            self.connection.exec_driver_sql(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
            return
        self.connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        constraints = self.connection.execute(
            text(
                "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype IN ('f', 'u') "
                "AND conrelid::regclass::text = ANY(:names) ORDER BY contype"
            ),
            {"names": names},
        ).all()
        indexes = self.connection.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY(:names) AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))"
            ),
            {"names": names},
        ).all()
        for table, name, kind, definition in constraints:  # foreign keys sort before uniques
            self.connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
            statement = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            if kind == "u":
                self._restore.insert(0, statement)  # before the foreign keys that may need it
            else:
                self._restore.append(statement)
        for name, definition in indexes:
            self.connection.execute(text(f'DROP INDEX "{name}"'))
            self.deferred.append(definition)

    def finish(self) -> None:
        """Restore constraints (and on SQLite indexes and the search index) inside the transaction.

        On PostgreSQL the secondary indexes wait in ``deferred`` for ``build_deferred``.
        """
        self.wait()
        for statement in self._restore:
            self.connection.exec_driver_sql(statement)
        self._restore.clear()
        if self.dialect == "sqlite":
            self.connection.exec_driver_sql("INSERT INTO asset_search(asset_search) VALUES ('rebuild')")
            for table in self.tables:
                self.connection.exec_driver_sql(f"ANALYZE {table.name}")
            self.connection.exec_driver_sql("PRAGMA cache_size = -2000")
            return
        for table in self.tables:
            if "id" in table.c:
                self.connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                    )
                )

    def build_deferred(self, engine: Engine, workers: int = 2) -> None:
        """Build the set-aside PostgreSQL indexes after commit, ``workers`` at a time.

        The largest (the trigram search indexes) start first; statistics are refreshed last.
        """
        statements = sorted(self.deferred, key=lambda s: "gin" not in s.lower())
        gin_memory, other_memory = "1GB", "256MB"  # a trigram index sorts far more entries
        statements += [f"ANALYZE {table.name}" for table in self.tables]
        self.deferred = []
        queue: Queue[str] = Queue()
        for statement in statements:
            queue.put(statement)
        failures: list[BaseException] = []

        def work() -> None:
            with engine.connect() as connection:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                while not failures:
                    try:
                        statement = queue.get_nowait()
                    except Empty:
                        return
                    memory = gin_memory if "using gin" in statement.lower() else other_memory
                    connection.exec_driver_sql(f"SET maintenance_work_mem = '{memory}'")
                    try:
                        connection.exec_driver_sql(statement)
                    except BaseException as err:  # re-raised in the caller's thread
                        failures.append(err)

        threads = [Thread(target=work, name=f"index-builder-{n}") for n in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]

    # -- loading -------------------------------------------------------------------------
    # -- loading in the background ---------------------------------------------------------
    def start_background(self) -> None:
        """From now on ``load`` hands rows to a writer thread and returns at once.

        The caller prepares the next batch while the database takes this one;
        ``wait`` must be called before anything else uses the connection.
        PostgreSQL only: a SQLite connection stays on the thread that opened it.
        """
        if self.dialect != "postgresql":
            return
        self._jobs: Queue[tuple[Table, dict] | None] = Queue(maxsize=2)
        self._failure: BaseException | None = None

        def write() -> None:
            while (job := self._jobs.get()) is not None:
                if self._failure is None:
                    try:
                        self._load_now(*job)
                    except BaseException as err:  # re-raised by wait() or the next load()
                        self._failure = err

        self._writer = Thread(target=write, name="bulk-writer", daemon=True)
        self._writer.start()

    def wait(self) -> None:
        writer = getattr(self, "_writer", None)
        if writer is None:
            return
        self._jobs.put(None)
        writer.join()
        self._writer = None
        if self._failure is not None:
            raise self._failure

    def load(self, table: Table, columns: dict[str, Column | Constant]) -> None:
        """Insert rows given as columns; a ``Constant`` fills its column for every row."""
        if getattr(self, "_writer", None) is not None:
            if self._failure is not None:
                self.wait()
            self._jobs.put((table, columns))
            return
        self._load_now(table, columns)

    def _load_now(self, table: Table, columns: dict[str, Column | Constant]) -> int:
        names = list(columns)
        lengths = {len(c) for c in columns.values() if not isinstance(c, Constant)}
        if len(lengths) != 1:
            raise ValueError(f"columns for {table.name} differ in length: {sorted(lengths)}")
        count = lengths.pop()
        if count == 0:
            return 0
        full: dict[str, Column] = {
            n: [c.value] if isinstance(c, Constant) else c for n, c in columns.items()
        }
        if self.dialect == "postgresql":
            texts = [self._pg_text(table, n, full[n]) for n in names]
            texts = [t * count if isinstance(columns[n], Constant) else t for n, t in zip(names, texts)]
            self._copy(table, names, texts)
        else:
            values = [self._sqlite_values(table, n, full[n]) for n in names]
            values = [v * count if isinstance(columns[n], Constant) else v for n, v in zip(names, values)]
            placeholders = ", ".join("?" * len(names))
            cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.executemany(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({placeholders})",
                zip(*values, strict=True),
            )
            cursor.close()
        return count

    def _copy(self, table: Table, names: list[str], columns: list[list[str]]) -> None:
        raw = self.connection.connection.driver_connection
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            # The queued writer sends from its own thread, so the server parses one block
            # while Python prepares the next.
            statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
            with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
                rows = list(map("\t".join, zip(*columns, strict=True)))
                for start in range(0, len(rows), 20_000):
                    copy.write("\n".join(rows[start : start + 20_000]) + "\n")

    @staticmethod
    def _is_money(table: Table, name: str) -> bool:
        return isinstance(table.c[name].type, Money)

    def _pg_text(self, table: Table, name: str, values: Column) -> list[str]:
        """Column values in COPY text form; None is \\N. Money arrives as integer cents."""
        if self._is_money(table, name):
            return [
                "\\N" if c is None else f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}"
                for c in _as_list(values)
            ]
        if isinstance(values, np.ndarray) and values.dtype.kind == "O":
            values = values.tolist()
        if isinstance(values, np.ndarray):
            if values.dtype.kind == "M":
                strings = values.astype("datetime64[D]").astype(str)
                strings[np.isnat(values)] = "\\N"
                return strings.tolist()
            if values.dtype.kind == "b":
                return np.where(values, "t", "f").tolist()
            return values.astype(str).tolist()
        values = list(values)
        if all(type(v) is str or v is None for v in values):
            out = ["\\N" if v is None else v for v in values]
            joined = "\x00".join(v for v in values if v is not None)
            if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
                out = ["\\N" if v is None else _escape_copy(v) for v in values]
            return out
        out = []
        for value in values:
            if value is None:
                out.append("\\N")
            elif isinstance(value, bool):
                out.append("t" if value else "f")
            elif isinstance(value, datetime):
                out.append(value.astimezone(UTC).isoformat())
            elif isinstance(value, date):
                out.append(value.isoformat())
            else:
                out.append(_escape_copy(str(value)))
        return out

    def _sqlite_values(self, table: Table, name: str, values: Column) -> list[Any]:
        """Values as SQLAlchemy stores them in SQLite (ISO dates, cents, 0/1)."""
        if isinstance(values, np.ndarray) and values.dtype.kind == "O":
            values = values.tolist()
        if isinstance(values, np.ndarray):
            if values.dtype.kind == "M":
                strings = values.astype("datetime64[D]").astype(str).astype(object)
                strings[np.isnat(values)] = None
                return strings.tolist()
            if values.dtype.kind == "b":
                return values.astype(np.int64).tolist()
            return values.tolist()
        values = list(values)
        if all(type(v) in (str, int) or v is None for v in values):
            return values
        return [_sqlite_value(v) for v in values]


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _escape_copy(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        )
    return value
