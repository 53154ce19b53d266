"""Many new rows at once, given a column at a time.

PostgreSQL gets them through COPY, as text put together a column at a time;
SQLite through ``executemany``, big inserts into assets by way of a temporary
table and one INSERT … SELECT (SQLite evaluates a CHECK's IN list anew for
every statement executed, which made row-at-a-time inserts into assets three
times slower). A column that holds one value in every row (``Same``) is sent
once, not once per row; one that is blank in every row is left to its
default, which for every column an import writes is NULL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from itertools import repeat
from typing import Any

from sqlalchemy import Connection

from models.copytext import COPY_ESCAPES, COPY_SPECIAL
from models.progress import Progress

CHUNK_ROWS = 10_000
STAGE_FROM = 2000  # fewer rows than this go straight in


@dataclass(frozen=True)
class Same:
    """A column that holds ``value`` in every row."""

    value: Any


Column = Sequence[Any] | Same


def compact(values: list[Any]) -> Column:
    """``values``, or ``Same(value)`` when every row holds that one value (of one type: ``1``,
    ``1.0`` and ``True`` are equal, ``Decimal("1.5")`` and ``Decimal("1.50")`` too, but they
    are not written alike)."""
    if not values:
        return values
    first = values[0]
    if values.count(first) != len(values) or set(map(type, values)) != {type(first)}:
        return values
    if type(first) is Decimal and len(set(map(str, values))) > 1:
        return values
    return Same(first)


def insert_columns(connection: Connection, table: str, columns: dict[str, Column], count: int,
                   progress: Progress | None = None, label: str = "", *, stage: bool = False) -> None:
    """Insert ``count`` rows into ``table``. ``stage`` (SQLite): through a temporary table."""
    if count == 0:
        return
    columns = {name: column for name, column in columns.items() if column != Same(None)}
    if connection.dialect.name == "postgresql":
        _copy(connection, table, columns, count, progress, label)
    elif stage and count >= STAGE_FROM and any(not isinstance(c, Same) for c in columns.values()):
        _insert_staged(connection, table, columns, count, progress, label)
    else:
        _insert_many(connection, table, columns, count, progress, label)


def _report(progress: Progress | None, done: int, count: int, label: str) -> None:
    if progress is not None:
        progress.step(done, count, f"{label}: {done:,} of {count:,}")


# -- PostgreSQL ----------------------------------------------------------------------------------

_NULL = "\\N"


def _copy(connection: Connection, table: str, columns: dict[str, Column], count: int,
          progress: Progress | None, label: str) -> None:
    """Sent in pieces, each turned into text as it goes, so that the server starts at once."""
    quoted = ", ".join(f'"{n}"' for n in columns)
    constant = {name: _copy_value(c.value) for name, c in columns.items() if isinstance(c, Same)}
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for start in range(0, count, CHUNK_ROWS):
            end = min(start + CHUNK_ROWS, count)
            texts = [repeat(constant[name], end - start) if name in constant
                     else _copy_texts(column[start:end])  # type: ignore[index]
                     for name, column in columns.items()]
            copy.write("\n".join(map("\t".join, zip(*texts))) + "\n")
            _report(progress, end, count, label)


def _copy_texts(values: Sequence[Any]) -> list[str]:
    """A column's values as COPY's text format writes them."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if len(kinds) != 1:
        return [_copy_value(v) for v in values]
    kind = kinds.pop()
    if kind is str:
        texts = list(values)
        if COPY_SPECIAL.search("".join(v for v in texts if v is not None)):
            texts = [v.translate(COPY_ESCAPES) if v is not None else None for v in texts]
        return [_NULL if v is None else v for v in texts] if None in texts else texts
    if kind is Decimal:  # 1.5 and 1.50 are one key but not one text
        return [_NULL if v is None else format(v, "f") for v in values]
    if kind is int:
        return [_NULL if v is None else str(v) for v in values]
    # Most columns repeat a few values: each is turned into text once.
    texts_of = {value: _copy_value(value) for value in set(values)}
    return list(map(texts_of.__getitem__, values))


def _copy_value(value: Any) -> str:
    if value is None:
        return _NULL
    convert = _COPY_TEXT.get(type(value))
    if convert is not None:
        return convert(value)
    if isinstance(value, Enum):
        return _copy_value(value.value)
    raise TypeError(f"cannot write a {type(value).__name__} to the database")  # pragma: no cover


_COPY_TEXT = {
    str: lambda v: v.translate(COPY_ESCAPES),
    bool: lambda v: "t" if v else "f",
    int: str,
    Decimal: lambda v: format(v, "f"),
    date: date.isoformat,
    datetime: datetime.isoformat,
}


# -- SQLite --------------------------------------------------------------------------------------


def _insert_many(connection: Connection, table: str, columns: dict[str, Column], count: int,
                 progress: Progress | None, label: str) -> None:
    names = list(columns)
    values = zip(*[repeat(sqlite_cell(c.value)) if isinstance(c, Same) else sqlite_column(c)
                   for c in columns.values()])
    quoted = ", ".join(f'"{n}"' for n in names)
    sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
    for start in range(0, count, CHUNK_ROWS):
        end = min(start + CHUNK_ROWS, count)
        connection.exec_driver_sql(sql, [next(values) for _ in range(start, end)])
        _report(progress, end, count, label)


def _insert_staged(connection: Connection, table: str, columns: dict[str, Column], count: int,
                   progress: Progress | None, label: str) -> None:
    """Rows go into a temporary table first (only the columns that vary), then into ``table`` in
    one statement. The temporary table goes with the transaction if it fails."""
    varying = [name for name, c in columns.items() if not isinstance(c, Same)]
    constant = [name for name, c in columns.items() if isinstance(c, Same)]
    stage = f"import_stage_{table}"
    quoted = ", ".join(f'"{n}"' for n in varying)
    connection.exec_driver_sql(f'DROP TABLE IF EXISTS temp."{stage}"')
    connection.exec_driver_sql(f'CREATE TEMP TABLE "{stage}" AS SELECT {quoted} FROM main."{table}" WHERE 0')
    _insert_many(connection, stage, {name: columns[name] for name in varying}, count, progress, label)
    targets = ", ".join(f'"{n}"' for n in (*varying, *constant))
    sources = ", ".join([*(f'"{n}"' for n in varying), *("?" * len(constant))])
    params = tuple(sqlite_cell(columns[name].value) for name in constant)  # type: ignore[union-attr]
    connection.exec_driver_sql(
        f'INSERT INTO main."{table}" ({targets}) SELECT {sources} FROM temp."{stage}" ORDER BY rowid', params)
    connection.exec_driver_sql(f'DROP TABLE temp."{stage}"')


def sqlite_cell(value: Any) -> Any:
    """A value as SQLAlchemy's SQLite types store it (money as cents, dates as ISO text)."""
    kind = type(value)
    if value is None or kind is str or kind is int:
        return value
    if kind is bool:
        return int(value)
    if kind is Decimal:
        return int(value * 100)
    if kind is date:
        return value.isoformat()
    if kind is datetime:
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, Enum):
        return value.value
    return value


def sqlite_column(values: Sequence[Any]) -> Sequence[Any]:
    """``sqlite_cell`` over one column's values; a repeated value is converted once."""
    kinds = set(map(type, values)) - {type(None)}
    if kinds <= {str, int}:
        return values
    if len(kinds) > 1:
        return [sqlite_cell(v) for v in values]
    converted = {value: sqlite_cell(value) for value in set(values)}
    return list(map(converted.__getitem__, values))


__all__ = ["Same", "compact", "insert_columns", "sqlite_cell", "sqlite_column"]
