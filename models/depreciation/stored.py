"""Writing a close's per-asset figures and reading them back.

PostgreSQL takes them by ``COPY`` and SQLite by ``executemany``, both in
batches so a cancel is noticed between batches and the whole close rolls back.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from models.depreciation.district import STORED_COLUMNS, YearColumns
from models.progress import Progress, step

BATCH = 100_000
TABLE = "asset_year_depreciation"
_BOOLEAN = ("on_books_at_start", "acquired_in_year", "disposed_in_year")


def write_figures(connection: Connection, close_id: int, year: YearColumns, progress: Progress | None) -> None:
    frame = year.frame
    total = len(frame)
    columns = ("close_id", *STORED_COLUMNS)
    raw = connection.connection.dbapi_connection
    assert raw is not None
    if connection.dialect.name == "postgresql":
        statement = f"COPY {TABLE} ({', '.join(columns)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for start in range(0, total, BATCH):
                step(progress, start, total, f"Storing FY{year.fiscal_year} figures: {start:,} of {total:,} assets…")
                copy.write(_copy_text(close_id, frame.iloc[start : start + BATCH]))
    else:
        statement = f"INSERT INTO {TABLE} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        cursor = raw.cursor()
        try:
            for start in range(0, total, BATCH):
                step(progress, start, total, f"Storing FY{year.fiscal_year} figures: {start:,} of {total:,} assets…")
                cursor.executemany(statement, _tuples(close_id, frame.iloc[start : start + BATCH]))
        finally:
            cursor.close()
    step(progress, total, total, f"Stored FY{year.fiscal_year} figures for {total:,} assets.")


def _copy_text(close_id: int, chunk: pd.DataFrame) -> bytes:
    chunk = chunk.reset_index(drop=True)  # later batches start past row 0: align with close_id
    out = pd.DataFrame({"close_id": np.full(len(chunk), close_id, dtype=np.int64)})
    for name in STORED_COLUMNS:
        column = chunk[name]
        if name in _BOOLEAN:
            column = np.where(column.to_numpy(), "t", "f")
        elif name == "gasb_class":
            column = column.astype(str)
        out[name] = column
    buffer = io.StringIO()
    out.to_csv(buffer, sep="\t", header=False, index=False, na_rep="\\N", quoting=3, escapechar="\\")
    return buffer.getvalue().encode("utf-8")


def _tuples(close_id: int, chunk: pd.DataFrame) -> list[tuple]:
    columns = []
    for name in STORED_COLUMNS:
        column = chunk[name]
        if name in _BOOLEAN:
            columns.append(column.to_numpy().astype(np.int64).tolist())
        elif name == "gasb_class":
            columns.append(column.astype(str).tolist())
        elif column.dtype == object:
            columns.append(column.tolist())
        else:
            columns.append(column.to_numpy().tolist())
    return list(zip([close_id] * len(chunk), *columns, strict=True))


def read_figures(connection: Connection, close_id: int) -> pd.DataFrame:
    """A close's stored rows as a frame in STORED_COLUMNS (what a projection gives)."""
    from models.schema import AssetYearFigures as F

    rows = connection.execute(
        select(*(getattr(F, name) for name in STORED_COLUMNS)).where(F.close_id == close_id).order_by(F.asset_id)
    ).all()
    frame = pd.DataFrame.from_records(rows, columns=list(STORED_COLUMNS))
    if len(frame):
        frame["gasb_class"] = frame["gasb_class"].map(lambda value: getattr(value, "value", value))
    for name in _BOOLEAN:
        frame[name] = frame[name].astype(bool)
    return frame
