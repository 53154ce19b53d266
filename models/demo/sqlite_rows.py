"""SQLite: a batch of rows inserted by one statement that runs without Python.

``executemany`` binds every value of every row from Python, holding the GIL: for
a million assets that was half the time of the whole load, and nothing else
could run meanwhile. Here each column of a batch travels as one blob of
fixed-width items (decimal digits, or UTF-8 text padded to the longest), and one
``INSERT ... SELECT`` counts through the rows cutting each value out again with
``substr``. SQLite does that work in C, and the sqlite3 module lets go of the
GIL while a statement runs, so another thread can make the next batch meanwhile
(see ``generator._Handover``).

Values arrive as SQLite stores them (see ``BulkLoader.load``): integers, or
text (bytes, UTF-8). The rows go in the order given, so rowids are as they
would be row by row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection

# An item of this byte throughout stands for NULL; text shorter than its column's items
# is padded with the other. Neither byte occurs in UTF-8 or in decimal digits.
NULL_BYTE = 0xFE
PAD_BYTE = 0xFF


@dataclass(frozen=True)
class Stored:
    """A column as SQLite stores it: integers (int64) or UTF-8 text (a bytes array),
    NULL where ``null`` is true (None: no NULLs)."""

    values: np.ndarray
    null: np.ndarray | None = None


@dataclass(frozen=True)
class SqliteInsert:
    """One statement and its parameters, ready to run on the connection's thread."""

    statement: str
    parameters: tuple[Any, ...]

    def run(self, connection: Connection) -> None:
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(self.statement, self.parameters)
            # sqlite3 keeps the statement in its cache with SQLite's copy of every blob bound
            # to it (about the size of the batch) until it is bound again: bind nothing.
            cursor.execute(self.statement, (b"[]",) + (b"",) * (len(self.parameters) - 1))
        finally:
            cursor.close()


def sqlite_insert(table: str, count: int, columns: Mapping[str, Stored | str]) -> SqliteInsert:
    """The statement inserting ``count`` rows; a ``str`` column is an SQL literal for every row.

    The rows are counted by ``json_each`` over an array of ``count`` zeros: three times
    cheaper per row than a recursive CTE.
    """
    names: list[str] = []
    expressions: list[str] = []
    blobs: list[bytes] = []
    for name, column in columns.items():
        names.append(name)
        if isinstance(column, str):
            expressions.append(column)
            continue
        expression, items = _packed(column, count)
        if items is not None:
            blobs.append(items.tobytes())
            expression = expression.replace("{blob}", f"?{len(blobs) + 1}")
        expressions.append(expression)
    statement = (
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"SELECT {', '.join(expressions)} FROM (SELECT key AS i FROM json_each(?1))"
    )
    return SqliteInsert(statement, (b"[" + b"0," * (count - 1) + b"0]", *blobs))


def _packed(column: Stored, count: int) -> tuple[str, np.ndarray | None]:
    """The SQL expression giving row ``i``'s value, and the items it cuts the value from.

    Items of a fixed width ``w``: row ``i``'s is ``substr(blob, i * w + 1, w)``. A column
    with one value throughout, or counting up by one, needs no items; text of a few
    different values is told by a one-digit code.
    """
    values, null = column.values, column.null
    if null is not None and not null.any():
        null = None
    if null is not None and null.all():
        return "NULL", None
    text = values.dtype.kind == "S"
    if null is None and (values == values[0]).all():
        return (_text_literal(values[0]) if text else str(int(values[0]))), None
    if text:
        items, padded = _text_items(values, null)
        if padded and (coded := _coded(values, null)) is not None:
            return coded
    else:
        values = values.astype(np.int64, copy=False)
        if null is None and int(values[-1]) - int(values[0]) == count - 1 and (np.diff(values) == 1).all():
            return f"(i + {int(values[0])})", None
        items, padded = _digit_items(values), False
    width = items.shape[1]
    cut = f"substr({{blob}}, i * {width} + 1, {width})"
    if null is not None:
        items[null] = NULL_BYTE
        cut = f"NULLIF({cut}, x'{bytes([NULL_BYTE] * width).hex()}')"
    if not text:
        return f"CAST({cut} AS INTEGER)", items
    if padded:
        return f"rtrim({cut}, x'{PAD_BYTE:02x}')", items
    return f"CAST({cut} AS TEXT)", items


def _coded(values: np.ndarray, null: np.ndarray | None) -> tuple[str, np.ndarray] | None:
    """Text of at most nine different values as a one-digit code and a CASE (NULL: code 0).

    Worth it for text of different lengths only: cutting that from padded items
    (``rtrim``) costs SQLite about twice as much as a CASE of nine.
    """
    if len(set(values[:1000].tolist())) > 9 + (null is not None):  # most columns show at once
        return None
    labels: list[bytes] = []
    codes = np.full(len(values), ord("0"), dtype=np.uint8)
    left = np.ones(len(values), dtype=bool) if null is None else ~null
    while left.any():
        if len(labels) == 9:
            return None
        label = values[np.argmax(left)]
        same = left & (values == label)
        labels.append(label)
        codes[same] = ord("0") + len(labels)
        left &= ~same
    cases = " ".join(f"WHEN {code} THEN {_text_literal(label)}" for code, label in enumerate(labels, 1))
    return f"CASE CAST(substr({{blob}}, i + 1, 1) AS INTEGER) {cases} END", codes[:, None]


def _text_items(values: np.ndarray, null: np.ndarray | None) -> tuple[np.ndarray, bool]:
    """UTF-8 texts as a byte matrix, each row padded to the width; and whether any (not NULL) is."""
    width = values.dtype.itemsize
    items = np.ascontiguousarray(values).view(np.uint8).reshape(len(values), width).copy()
    padding = np.arange(width) >= np.strings.str_len(values)[:, None]
    if null is not None:
        padding[null] = False
    if not padding.any():
        return items, False
    items[padding] = PAD_BYTE
    return items, True


def _digit_items(values: np.ndarray) -> np.ndarray:
    """Integers as zero-padded decimal text of one width, a minus sign first where negative."""
    negative = values < 0
    rest = np.abs(values).astype(np.uint64)  # -2**63 too
    signed = bool(negative.any())
    width = len(str(int(rest.max()))) + signed
    items = np.empty((len(values), width), dtype=np.uint8)
    for position in range(width - 1, -1, -1):
        items[:, position] = rest % 10 + ord("0")
        rest //= 10
    if signed:
        items[negative, 0] = ord("-")
    return items


def _text_literal(value: bytes) -> str:
    """UTF-8 text as an SQL literal (by its bytes, so no character needs quoting)."""
    return f"CAST(x'{value.hex()}' AS TEXT)" if value else "''"
