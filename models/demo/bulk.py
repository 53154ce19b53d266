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
from sqlalchemy import Connection, Table, text

from models.schema.types import Money

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
            return
        self.connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        fks = self.connection.execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' "
                "AND conrelid::regclass::text = ANY(:names)"
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
        for table, name, definition in fks:
            self.connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
            self._restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for name, definition in indexes:
            self.connection.execute(text(f'DROP INDEX "{name}"'))
            self._restore.insert(0, definition)  # indexes before the constraints that use them

    def restore_indexes(self) -> None:
        for statement in self._restore:
            self.connection.exec_driver_sql(statement)
        self._restore.clear()
        if self.dialect == "sqlite":
            self.connection.exec_driver_sql("INSERT INTO asset_search(asset_search) VALUES ('rebuild')")

    def finish(self) -> None:
        """Restore what was set aside, move id sequences past the loaded ids, refresh statistics."""
        self.restore_indexes()
        for table in self.tables:
            if self.dialect == "postgresql" and "id" in table.c:
                self.connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
            self.connection.exec_driver_sql(f"ANALYZE {table.name}")

    # -- loading -------------------------------------------------------------------------
    def load(self, table: Table, columns: dict[str, Column | Constant]) -> int:
        """Insert rows given as columns; a ``Constant`` fills its column for every row."""
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
            with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
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
