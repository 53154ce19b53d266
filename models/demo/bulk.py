"""Fast loading of many rows in one transaction, for the demo and imports.

Rows go in as columns (lists or numpy arrays). PostgreSQL gets them through
``COPY``; SQLite through ``executemany``. Secondary indexes, foreign keys and
the search index are set aside during the load and rebuilt once at the end,
which is how both databases' manuals advise loading a large table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from queue import Queue
from threading import Thread
from time import perf_counter
import logging
import sqlite3

from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import Connection, Engine, Table, text

from models import deferred, textsearch
from models.deferred import Deferred
from models.copytext import escape_copy
from models.integrity import verify_check_constraints
from models.demo.sqlite_rows import SqliteInsert, Stored, sqlite_insert
from models.schema.types import Money

LOAD_CACHE_KIB = 256 * 1024  # SQLite page cache while loading: random index inserts stay in memory
ANALYSIS_ROWS = 2000  # SQLite: rows of each index that ANALYZE samples after a load

log = logging.getLogger(__name__)

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
        # PostgreSQL: secondary indexes and foreign-key checks, for after the commit.
        self.deferred: list[Deferred] = []
        # Seconds spent per stage of the load (summed over threads where they overlap).
        self.timings: dict[str, float] = {}

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
        # For the constraints restored at the end: keys sort in memory. Nothing waits for
        # the commit to reach the disk: a crash loses only a load that is then simply absent.
        for setting in ("maintenance_work_mem = '512MB'", "work_mem = '256MB'", "synchronous_commit = off"):
            self.connection.exec_driver_sql(f"SET LOCAL {setting}")
        # Every key of the loaded tables goes, primary keys too (kept, they cost a quarter of
        # the server's time for the rows), and so do foreign keys of other tables that point
        # at them (a primary key can't go while one does).
        constraints = self.connection.execute(
            text(
                "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype IN ('f', 'u', 'p') "
                "AND (conrelid::regclass::text = ANY(:names) "
                "     OR (contype = 'f' AND confrelid::regclass::text = ANY(:names)))"
            ),
            {"names": names},
        ).all()
        indexes = self.connection.execute(
            text(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY(:names) AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))"
            ),
            {"names": names},
        ).all()
        order = {"f": 0, "u": 1, "p": 2}  # dropped in this order, restored in the reverse
        for table, name, kind, definition in sorted(constraints, key=lambda c: order[c[2]]):
            self.connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
            if kind == "f":
                # Added back at once but NOT VALID (enforced for every new row from then on);
                # the check of the loaded rows waits for the commit, then runs beside the
                # index builds rather than alone in the transaction.
                self._restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')
                self.deferred.append(Deferred(f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"', table, False))
            else:
                self._restore.insert(0, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for table, name, definition in indexes:
            self.connection.execute(text(f'DROP INDEX "{name}"'))
            self.deferred.append(Deferred(deferred.repeatable(definition), table, True))
        # The search triggers (which record each new description) wait too: the loaded
        # assets' descriptions are recorded in one statement once the rows are in.
        triggers = self.connection.execute(
            text("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal "
                 "AND tgname LIKE 'assets\\_search%' AND tgrelid::regclass::text = ANY(:names)"),
            {"names": names},
        ).all()
        for table, name in triggers:
            self.connection.exec_driver_sql(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
            self._restore.append(f'ALTER TABLE {table} ENABLE TRIGGER "{name}"')
        if triggers:
            self._restore.append(textsearch.ADD_NEW_DESCRIPTIONS["postgresql"])

    def finish(self) -> None:
        """Restore constraints (and on SQLite indexes and the search index) inside the transaction.

        On PostgreSQL the secondary indexes wait in ``deferred`` for ``build_deferred``.
        """
        began = perf_counter()
        self.wait()
        self._took("waiting for the last rows", began)
        for statement in self._restore:
            self._timed("restoring constraints and indexes", statement)
        self._restore.clear()
        if self.dialect == "sqlite":
            for statement in textsearch.sqlite_rebuild_statements():
                self._timed("building the search index", statement)
            # Statistics from a sample of each index, as the planner needs no more: a full
            # ANALYZE of a million assets reads every row of every index.
            self.connection.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_ROWS}")
            for table in self.tables:
                self._timed("refreshing statistics", f"ANALYZE {table.name}")
            self.connection.exec_driver_sql("PRAGMA analysis_limit = 0")
            began = perf_counter()
            verify_check_constraints(self.connection)
            self._took("checking constraints", began)
            self.connection.exec_driver_sql("PRAGMA cache_size = -2000")
            return
        advance_sequences(self.connection, self.tables)
        # Queued in this transaction: committed with the rows, so an interruption after the
        # commit leaves the work to finish, not a district silently without its indexes.
        tasks = [*self.deferred, *(Deferred(f"ANALYZE {table.name}", table.name, False) for table in self.tables)]
        self.deferred = deferred.queue(self.connection, tasks)

    def _timed(self, stage: str, statement: str, connection: Connection | None = None) -> None:
        began = perf_counter()
        (connection or self.connection).exec_driver_sql(statement)
        log.debug("%.2f s  %s", perf_counter() - began, statement)
        self._took(stage, began)

    def _took(self, stage: str, began: float) -> None:
        """Add the time since ``began`` to ``stage`` in ``timings``."""
        self.timings[stage] = self.timings.get(stage, 0.0) + perf_counter() - began

    def build_deferred(self, engine: Engine, workers: int = 2) -> None:
        """After the commit, on PostgreSQL: build the set-aside indexes, check the loaded rows
        against their foreign keys, and refresh statistics, ``workers`` statements at a time
        (``models.deferred.run``). What a failure leaves stays queued for the next open."""
        tasks, self.deferred = self.deferred, []
        deferred.run(engine, tasks, workers)

    # -- loading in the background ---------------------------------------------------------
    def start_background(self) -> None:
        """From now on ``load`` and ``copy_text`` hand their COPY text to a writer thread.

        The caller makes the next batch while the database takes this one (up to four
        pieces of text wait their turn);
        ``wait`` must be called before anything else uses the connection.
        PostgreSQL only: a SQLite connection stays on the thread that opened it.
        """
        if self.dialect != "postgresql":
            return
        self._jobs: Queue[tuple[Callable[..., Any], tuple] | None] = Queue(maxsize=4)
        self._failure: BaseException | None = None

        def write() -> None:
            while (job := self._jobs.get()) is not None:
                if self._failure is None:
                    try:
                        job[0](*job[1])
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

    def stop(self) -> None:
        """Stop the writer after the piece it is sending, dropping the rest (the load failed or
        was cancelled): the connection is left to the caller's rollback, not used by two threads."""
        if getattr(self, "_writer", None) is None:
            return
        self._failure = self._failure or _Stopped()
        try:
            self.wait()
        except BaseException:
            pass

    def load(self, table: Table, columns: dict[str, Column | Constant]) -> None:
        """Insert rows given as columns; a ``Constant`` fills its column for every row."""
        names = list(columns)
        lengths = {len(c) for c in columns.values() if not isinstance(c, Constant)}
        if len(lengths) != 1:
            raise ValueError(f"columns for {table.name} differ in length: {sorted(lengths)}")
        count = lengths.pop()
        if count == 0:
            return
        if self.dialect == "postgresql":
            # The text is made here and only sent by the writer: made there, it held up the
            # sending (the server sat idle a quarter of the load while Python wrote text).
            fields = [self._pg_field(table, n, columns[n]) for n in names]
            self.copy_text(table.name, names, _copy_rows(fields, count))
        else:
            try:
                insert = sqlite_rows(table, columns)
            except TypeError:  # a kind of value the packed columns don't carry (floats): row by row
                insert = None
            if insert is not None:
                insert.run(self.connection)
                return
            bound = [n for n in names if not isinstance(columns[n], Constant)]
            constants = {
                n: self._sqlite_values(table, n, [c.value])[0]
                for n, c in columns.items() if isinstance(c, Constant)
            }
            values, stand_ins = [], {}
            for n in bound:
                column, stand_in = _without_none(self._sqlite_values(table, n, columns[n]))
                values.append(column)
                if stand_in is not _NO_NULLS:
                    stand_ins[n] = stand_in
            self.insert_rows(table.name, bound, zip(*values), constants, stand_ins)

    def insert_rows(self, table: str, names: Sequence[str], rows: Iterable[tuple],
                    constants: dict[str, Any] | None = None, stand_ins: dict[str, Any] | None = None) -> None:
        """SQLite: insert ready-made rows (values as SQLite stores them).

        ``constants`` are the same for every row: they are written into the statement
        once rather than bound row by row, which is most of the cost of ``executemany``.
        A column in ``stand_ins`` holds that value where it means NULL (see ``_without_none``).
        """
        constants = constants or {}
        stand_ins = stand_ins or {}
        columns = [*names, *constants]
        values = [f"NULLIF(?, {_sqlite_literal(stand_ins[n])})" if n in stand_ins else "?" for n in names]
        values += [_sqlite_literal(v) for v in constants.values()]
        cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(values)})", rows)
        cursor.close()

    def copy_text(self, table: str, names: Sequence[str], data: bytes) -> None:
        """PostgreSQL: load ready-made COPY text (in the background once started)."""
        if getattr(self, "_writer", None) is not None:
            if self._failure is not None:
                self.wait()
            self._jobs.put((self._copy, (table, list(names), data)))
            return
        self._copy(table, list(names), data)

    def _copy(self, table: str, names: list[str], data: bytes) -> None:
        raw = self.connection.connection.driver_connection
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            # The queued writer sends from its own thread, so the server parses one block
            # while Python prepares the next.
            send_copy(cursor, f"COPY {table} ({', '.join(names)}) FROM STDIN", data, queued=True)

    @staticmethod
    def _is_money(table: Table, name: str) -> bool:
        return isinstance(table.c[name].type, Money)

    def _pg_field(self, table: Table, name: str, column: Column | Constant) -> bytes | np.ndarray:
        """One column in COPY text form: bytes for a constant, else a fixed-width bytes array."""
        if isinstance(column, Constant):
            return self._pg_field(table, name, [column.value]).tolist()[0]
        null = None
        if isinstance(column, Nullable):
            column, null = column.values, column.null
        if isinstance(column, np.ndarray) and column.dtype.kind in "iu" and self._is_money(table, name):
            out = money_bytes(column)
        elif isinstance(column, np.ndarray) and column.dtype.kind in "iu":
            out = int_bytes(column)
        elif isinstance(column, np.ndarray) and column.dtype.kind == "M":
            out = date_bytes(column)
            null = np.isnat(column) if null is None else null | np.isnat(column)
        elif isinstance(column, np.ndarray) and column.dtype.kind == "b":
            out = np.where(column, b"t", b"f")
        elif isinstance(column, np.ndarray) and column.dtype.kind == "S":
            out = column
        elif isinstance(column, np.ndarray) and column.dtype.kind == "U":
            out = np.strings.encode(column, "utf-8")
        else:
            values = _as_list(column)
            money = self._is_money(table, name)
            out = np.array([_pg_value(v, money) for v in values], dtype="S")
            return out
        if _needs_escape(out):
            out = np.array([escape_copy(v.decode()).encode() for v in out.tolist()], dtype="S")
        if null is not None and null.any():
            out = np.where(null, b"\\N", out)
        return out

    def _sqlite_values(self, table: Table, name: str, values: Column) -> list[Any]:
        """Values as SQLAlchemy stores them in SQLite (ISO dates, cents, 0/1)."""
        if isinstance(values, Nullable):
            plain = self._sqlite_values(table, name, values.values)
            return [None if n else v for v, n in zip(plain, values.null.tolist())]
        if isinstance(values, np.ndarray):
            if values.dtype.kind == "O":
                return self._sqlite_values(table, name, values.tolist())
            if values.dtype.kind == "M":
                strings = decoded(date_bytes(values))
                if np.isnat(values).any():
                    return [None if missing else s for s, missing in zip(strings, np.isnat(values).tolist())]
                return strings
            if values.dtype.kind == "b":
                return values.astype(np.int64).tolist()
            if values.dtype.kind == "S":
                return decoded(values)
            return values.tolist()
        values = list(values)
        if set(map(type, values)) <= {str, int, type(None)}:
            return values
        return [_sqlite_value(v) for v in values]


def sqlite_rows(table: Table, columns: dict[str, Column | Constant]) -> SqliteInsert | None:
    """SQLite: the one statement inserting rows given as columns (None if there are none).

    See ``models.demo.sqlite_rows``: the statement runs without holding the GIL, so it may
    be made on one thread and run on the connection's while that thread makes more.
    Raises TypeError for values the packed columns don't carry (floats).
    """
    lengths = {len(c) for c in columns.values() if not isinstance(c, Constant)}
    if len(lengths) != 1:
        raise ValueError(f"columns for {table.name} differ in length: {sorted(lengths)}")
    count = lengths.pop()
    if count == 0:
        return None
    return sqlite_insert(table.name, count, {
        name: _sqlite_literal(_sqlite_value(column.value)) if isinstance(column, Constant) else _stored(column)
        for name, column in columns.items()
    })


def _stored(values: Column) -> Stored:
    """A column as SQLAlchemy stores it in SQLite (ISO dates, cents, 0/1), packed for ``sqlite_insert``."""
    if isinstance(values, Nullable):
        inner = _stored(values.values)
        return Stored(inner.values, values.null if inner.null is None else inner.null | values.null)
    if isinstance(values, np.ndarray) and values.dtype.kind in "iubMSU":
        kind = values.dtype.kind
        if kind == "M":
            missing = np.isnat(values)
            return Stored(date_bytes(values), missing if missing.any() else None)
        if kind == "S":
            return Stored(values)
        if kind == "U":
            return Stored(np.strings.encode(values, "utf-8"))
        return Stored(values.astype(np.int64))
    python = [_sqlite_value(v) for v in _as_list(values)]
    null = np.array([v is None for v in python], dtype=bool)
    kinds = set(map(type, python)) - {type(None)}
    if kinds <= {int}:
        return Stored(np.array([0 if v is None else v for v in python], dtype=np.int64), null)
    if kinds <= {str}:
        return Stored(np.array([b"" if v is None else v.encode() for v in python], dtype="S"), null)
    raise TypeError(f"no packed SQLite column for values of {sorted(k.__name__ for k in kinds)}")


_NO_NULLS = object()
_NULL_NUMBER = -(2**63)  # stands for NULL in a column of integers: no id, count or cents is this


def _without_none(values: list[Any]) -> tuple[list[Any], Any]:
    """A column for ``executemany`` with its NULLs replaced by a stand-in value, and the stand-in.

    sqlite3 binds None about ten times slower than a number or a text (it first asks the
    adaptation protocol, which fails through an AttributeError): with a dozen mostly empty
    columns that was a third of the time to insert a million assets. The statement turns
    the stand-in back into NULL with ``NULLIF``. Returns ``_NO_NULLS`` when there is no None,
    and None (bind as is) when no stand-in is safe: text columns use '' only if no value is ''.
    """
    if None not in values:
        return values, _NO_NULLS
    kinds = set(map(type, values)) - {type(None)}
    if kinds <= {int}:
        stand_in: Any = _NULL_NUMBER
    elif kinds <= {str} and "" not in values:
        stand_in = ""
    else:
        return values, None
    return [stand_in if v is None else v for v in values], stand_in


COPY_BLOCK = 1 << 20


def send_copy(cursor: Any, statement: str, data: bytes, queued: bool = False) -> None:
    """Run ``statement`` (a ``COPY ... FROM STDIN``) on a psycopg cursor with ``data`` as its
    text, in blocks of ``COPY_BLOCK``; ``queued`` sends them from psycopg's own thread."""
    with cursor.copy(statement, writer=QueuedLibpqWriter(cursor) if queued else None) as copy:
        view = memoryview(data)
        for start in range(0, len(data), COPY_BLOCK):
            copy.write(view[start : start + COPY_BLOCK])


class _Stopped(Exception):
    """Set as the writer's failure by ``BulkLoader.stop``: the pieces still queued are dropped."""


CENTS = np.array([f"{i:02d}".encode() for i in range(100)], dtype="S2")


def decoded(values: np.ndarray) -> list[str]:
    """A UTF-8 bytes column as Python strings.

    Decoded as one text and split again, about twice as fast as a conversion to a
    numpy unicode array; values that hold a newline themselves take the slow way.
    """
    if not len(values):
        return []
    joined = b"\n".join(values.tolist())
    if joined.count(b"\n") == len(values) - 1:
        return joined.decode().split("\n")
    return np.strings.decode(values, "utf-8").tolist()


class Nullable:
    """A column with NULL where ``null`` is true (by default: integer ids where 0 means NULL)."""

    def __init__(self, values: np.ndarray, null: np.ndarray | None = None) -> None:
        self.values = values
        self.null = values == 0 if null is None else null

    def __len__(self) -> int:
        return len(self.values)


def int_bytes(values: np.ndarray) -> np.ndarray:
    """Integers as decimal text (a bytes column, NUL-padded as numpy pads).

    Non-negative values below ``_TEXT_TABLE_LIMIT`` are looked up in a table of their
    texts made once, which is ten times faster than numpy's own conversion.
    """
    if not len(values):
        return values.astype("S1")
    low, high = int(values.min()), int(values.max())
    if low < 0 or high >= _TEXT_TABLE_LIMIT:
        width = max(len(str(high)), len(str(low)))
        return values.astype(f"S{width}")
    return _number_texts(high)[values]


_TEXT_TABLE_LIMIT = 1 << 24
_number_table = np.zeros(0, dtype="S1")


def _number_texts(high: int) -> np.ndarray:
    """The texts of 0 .. at least ``high``: grown (doubling) when asked for more, never shrunk."""
    global _number_table
    table = _number_table
    if high >= len(table):
        table = _decimal_texts(max(1 << 16, 1 << high.bit_length()))
        _number_table = table  # one assignment: threads see the old table or the new one
    return table


def _decimal_texts(size: int) -> np.ndarray:
    """The texts of 0 .. ``size - 1`` as ``astype("S")`` writes them, digit by digit: seven
    times faster (a table of 2**24 numbers took 3.4 s, now 0.7 s)."""
    width = len(str(size - 1))
    texts = np.zeros((size, width), dtype=np.uint8)
    for length in range(1, width + 1):
        low, high = (0 if length == 1 else 10 ** (length - 1)), min(size, 10**length)
        rest = np.arange(low, high, dtype=np.uint32)  # sizes stay below _TEXT_TABLE_LIMIT * 2
        digits = texts[low:high]
        for position in range(length - 1, -1, -1):
            digits[:, position] = rest % 10
            rest //= 10
        digits[:, :length] += ord("0")
    return texts.view(f"S{width}").ravel()


def date_bytes(days: np.ndarray) -> np.ndarray:
    """``datetime64[D]`` values as ISO text (``NaT`` comes out as numpy writes it; mask it)."""
    if not len(days):
        return days.astype("S10")
    numbers = days.astype("datetime64[D]").astype(np.int64)
    valid = ~np.isnat(days)
    if not valid.any():
        return days.astype("datetime64[D]").astype("S10")
    low = int(numbers[valid].min())
    span = int(numbers[valid].max()) - low + 1
    if span > 200_000:  # more than five centuries: no table
        return days.astype("datetime64[D]").astype("S10")
    table = np.arange(low, low + span).astype("datetime64[D]").astype("S10")
    out = table[np.clip(numbers - low, 0, span - 1)]
    return out if valid.all() else np.where(valid, out, np.datetime64("NaT").astype("S10"))


def money_bytes(cents: np.ndarray) -> np.ndarray:
    """Integer cents as ``-123.45`` text."""
    magnitude = np.abs(cents)
    text = np.strings.add(np.strings.add(int_bytes(magnitude // 100), b"."), CENTS[magnitude % 100])
    return np.where(cents < 0, np.strings.add(b"-", text), text) if (cents < 0).any() else text


def _needs_escape(values: np.ndarray) -> bool:
    """Whether any value holds a character COPY text must escape (a backslash, tab, CR or LF)."""
    raw = values.tobytes()
    return any(special in raw for special in (b"\\", b"\t", b"\n", b"\r"))


def _copy_rows(fields: list[bytes | np.ndarray], count: int) -> bytes:
    """COPY text for ``count`` rows from per-column fields, built a whole column at a time.

    Each field is laid into a byte matrix (fixed-width bytes arrays are NUL-padded),
    separators go between, and dropping every NUL leaves the rows back to back.
    """
    widths = [len(f) if isinstance(f, bytes) else f.itemsize for f in fields]
    matrix = np.zeros((count, sum(widths) + len(fields)), dtype=np.uint8)
    position = 0
    for field, width in zip(fields, widths):
        if isinstance(field, bytes):
            matrix[:, position : position + width] = np.frombuffer(field, dtype=np.uint8)
        elif width:
            field = np.ascontiguousarray(field)
            matrix[:, position : position + width] = field.view(np.uint8).reshape(count, width)
        position += width
        matrix[:, position] = 9  # tab
        position += 1
    matrix[:, -1] = 10  # newline
    flat = matrix.ravel()
    return flat[flat != 0].tobytes()


def _pg_value(value: Any, money: bool) -> bytes:
    if value is None:
        return b"\\N"
    if money:
        c = int(value)
        return f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}".encode()
    if isinstance(value, bool):
        return b"t" if value else b"f"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().encode()
    if isinstance(value, date):
        return value.isoformat().encode()
    if isinstance(value, bytes):
        return value
    return escape_copy(str(value)).encode()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, bytes):
        return value.decode()
    return value


def advance_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL: move each table's id sequence past the ids written explicitly into it.

    Rows loaded with their own ids leave the sequence where it was, and the next row a
    clerk adds would take an id already in use.
    """
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" in table.c and table.c.id.primary_key:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )


@contextmanager
def rollback_journal(engine: Engine, enabled: bool = True) -> Iterator[bool]:
    """SQLite: a bulk load with a rollback journal rather than the write-ahead log, then WAL again.

    In WAL mode every page of a large load is written twice, into the log and then by
    the checkpoint into the database. A rollback journal keeps only the pages that
    existed before the transaction (almost none in a new database), and a crash still
    rolls the load back. Switching needs the only open connection; when another is
    open the mode stays WAL and the load is merely slower. Yields whether it switched.
    """
    if not enabled or engine.dialect.name != "sqlite":
        yield False
        return
    switched = _journal_mode(engine, "DELETE") == "delete"
    log.debug("loading with a rollback journal: %s", switched)
    try:
        yield switched
    finally:
        if switched:
            _journal_mode(engine, "WAL")


def _journal_mode(engine: Engine, mode: str) -> str:
    """Ask for a journal mode on a connection outside any transaction; the mode in force after."""
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            result = cursor.execute(f"PRAGMA journal_mode={mode}").fetchone()[0]
        except sqlite3.OperationalError as err:  # another process is reading: keep the mode
            log.debug("journal mode stays: %s", err)
            result = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            cursor.close()
        return str(result).lower()
    finally:
        raw.close()


def _sqlite_literal(value: Any) -> str:
    """A value as SQLite stores it (None, int or str), written as an SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"no SQLite literal for {value!r}")
    if isinstance(value, int):
        return str(value)
    if "\x00" in value:
        raise ValueError("text with a NUL character can't be an SQL literal")
    return "'" + value.replace("'", "''") + "'"

