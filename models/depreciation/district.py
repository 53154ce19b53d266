"""A whole district's figures for one fiscal year, as columns: what a close stores and an open
year projects.

The assets on the books at some point in the year are read in one query
(capitalized, acquired by the year's end, not disposed of before its start),
with the class defaults filled in, straight into integer columns; the bulk
path (bulk.py) computes the year. Nothing here writes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from models.depreciation.bulk import CONVENTIONS, METHODS, AssetArrays, fiscal_year_depreciation
from models.depreciation.fiscal import fiscal_year_bounds
from models.progress import Progress, step
from models.schema import DistrictSettings, GasbClass

GASB_CLASSES: tuple[GasbClass, ...] = tuple(GasbClass)
_MISSING = -10**9  # a day number no real date has
_EPOCH = date(1970, 1, 1)
_NAT = np.datetime64("NaT").view(np.int64)

# Column names of the result, in the order a close stores them.
STORED_COLUMNS = (
    "asset_id", "class_id", "gasb_class", "fund_code", "function_code", "object_code", "cost_cents",
    "on_books_at_start", "acquired_in_year", "disposed_in_year", "accumulated_start_cents",
    "depreciation_cents", "accumulated_end_cents", "book_value_end_cents",
)


def fiscal_year_start_month(connection: Connection) -> int:
    month = connection.execute(select(DistrictSettings.fiscal_year_start_month)).scalar()
    return int(month or 7)


def _codes(column: str, values: tuple) -> str:
    cases = " ".join(f"WHEN '{value.value}' THEN {code}" for code, value in enumerate(values))
    return f"CASE {column} {cases} ELSE -1 END"


def _query(dialect: str) -> str:
    if dialect == "sqlite":
        cents = "{0}"  # Money is integer cents in SQLite

        def day(column: str) -> str:
            return f"COALESCE(CAST(julianday({column}) - 2440587.5 AS INTEGER), {_MISSING})"

        bounds = ":first", ":last"
    else:
        cents = "CAST(ROUND({0} * 100) AS BIGINT)"

        def day(column: str) -> str:
            return f"COALESCE({column} - DATE '1970-01-01', {_MISSING})"

        bounds = "DATE %(first)s", "DATE %(last)s"
    return f"""
        SELECT a.id, a.class_id, {_codes('c.gasb_class', GASB_CLASSES)},
               COALESCE(a.fund_code, ''), COALESCE(a.function_code, ''), COALESCE(c.object_code, ''),
               {cents.format('a.cost')}, {cents.format('a.salvage_value')},
               COALESCE(a.useful_life_months, c.default_useful_life_months),
               {_codes('COALESCE(a.depreciation_method, c.default_method)', METHODS)},
               {_codes('COALESCE(a.depreciation_convention, c.default_convention)', CONVENTIONS)},
               CASE WHEN c.depreciable THEN 1 ELSE 0 END,
               {day('a.acquired_on')}, {day('a.in_service_on')}, {day('a.disposed_on')}
        FROM assets a JOIN asset_classes c ON c.id = a.class_id
        WHERE a.capitalized AND a.acquired_on <= {bounds[1]}
          AND (a.disposed_on IS NULL OR a.disposed_on >= {bounds[0]})
        ORDER BY a.id
    """


_NAMES = ["asset_id", "class_id", "gasb", "fund_code", "function_code", "object_code", "cost", "salvage",
          "life", "method", "convention", "depreciable", "acquired", "in_service", "disposal"]


def _read(connection: Connection, fiscal_year: int, start_month: int) -> pd.DataFrame:
    first, last = fiscal_year_bounds(fiscal_year, start_month)
    dialect = connection.dialect.name
    raw = connection.connection.dbapi_connection
    assert raw is not None
    sql = _query(dialect)
    if dialect == "postgresql":
        buffer = io.BytesIO()
        with raw.cursor() as cursor:
            statement = sql.replace("%(first)s", f"'{first.isoformat()}'").replace("%(last)s", f"'{last.isoformat()}'")
            with cursor.copy(f"COPY ({statement}) TO STDOUT") as copy:
                for block in copy:
                    buffer.write(block)
        buffer.seek(0)
        frame = pd.read_csv(
            buffer, sep="\t", header=None, names=_NAMES, na_filter=False, quoting=3,
            dtype={"fund_code": str, "function_code": str, "object_code": str},
        )
    else:
        cursor = raw.cursor()
        try:
            cursor.execute(sql, {"first": first.isoformat(), "last": last.isoformat()})
            frame = pd.DataFrame.from_records(cursor.fetchall(), columns=_NAMES)
        finally:
            cursor.close()
    return frame


@dataclass(frozen=True)
class YearColumns:
    """One fiscal year for every asset on the books during it: a DataFrame in STORED_COLUMNS."""

    fiscal_year: int
    fy_start_month: int
    frame: pd.DataFrame

    def __len__(self) -> int:
        return len(self.frame)


def compute_year(
    connection: Connection, fiscal_year: int, progress: Progress | None = None, start_month: int | None = None
) -> YearColumns:
    """Every capitalized asset's figures for ``fiscal_year`` from the register as it is now."""
    start_month = start_month or fiscal_year_start_month(connection)
    step(progress, 0, 4, f"Reading the assets on the books in FY{fiscal_year}…")
    raw = _read(connection, fiscal_year, start_month)
    step(progress, 1, 4, f"Computing FY{fiscal_year} depreciation for {len(raw):,} assets…")
    first, last = fiscal_year_bounds(fiscal_year, start_month)
    first_day, last_day = (first - _EPOCH).days, (last - _EPOCH).days
    cost = raw["cost"].to_numpy(np.int64)
    acquired = raw["acquired"].to_numpy(np.int64)
    in_service = raw["in_service"].to_numpy(np.int64).copy()
    disposal = raw["disposal"].to_numpy(np.int64).copy()
    held = disposal == _MISSING
    depreciable = raw["depreciable"].to_numpy(np.int64) == 1
    # Not yet in service (on order, construction): nothing to depreciate yet.
    not_started = in_service == _MISSING
    in_service[not_started] = acquired[not_started]
    depreciable &= ~not_started
    # Disposed of before it was ever used: never depreciated.
    early = ~held & (disposal < in_service)
    in_service[early] = disposal[early]
    depreciable &= ~early
    disposal[held] = _NAT
    life = raw["life"].to_numpy(np.int64).copy()
    depreciable &= life >= 1
    life[~depreciable | (life < 1)] = 1
    method = raw["method"].to_numpy(np.int64)
    convention = raw["convention"].to_numpy(np.int64)
    method = np.where(method < 0, 0, method)
    convention = np.where(convention < 0, 0, convention)
    size = len(raw)
    arrays = AssetArrays(
        cost_cents=cost,
        salvage_cents=raw["salvage"].to_numpy(np.int64),
        life_months=life,
        method=method.astype(np.int8),
        convention=convention.astype(np.int8),
        in_service=in_service,
        disposal=disposal,
        factor_thousandths=np.full(size, 2000, dtype=np.int64),
        switch_to_straight_line=np.zeros(size, dtype=bool),
        depreciable=depreciable,
    )
    figures = fiscal_year_depreciation(arrays, fiscal_year, start_month)
    step(progress, 2, 4, f"Arranging FY{fiscal_year} figures…")
    on_books_at_start = acquired < first_day
    accumulated_start = np.where(on_books_at_start, figures.accumulated_start_cents, 0)
    accumulated_end = figures.accumulated_end_cents
    gasb = np.array([g.value for g in GASB_CLASSES], dtype=object)
    frame = pd.DataFrame(
        {
            "asset_id": raw["asset_id"].to_numpy(np.int64),
            "class_id": raw["class_id"].to_numpy(np.int64),
            "gasb_class": pd.Categorical.from_codes(raw["gasb"].to_numpy(np.int64), categories=list(gasb)),
            "fund_code": _blank_to_none(raw["fund_code"]),
            "function_code": _blank_to_none(raw["function_code"]),
            "object_code": _blank_to_none(raw["object_code"]),
            "cost_cents": cost,
            "on_books_at_start": on_books_at_start,
            "acquired_in_year": ~on_books_at_start,
            "disposed_in_year": ~held & (raw["disposal"].to_numpy(np.int64) <= last_day),
            "accumulated_start_cents": accumulated_start,
            "depreciation_cents": accumulated_end - accumulated_start,
            "accumulated_end_cents": accumulated_end,
            "book_value_end_cents": cost - accumulated_end,
        }
    )
    return YearColumns(fiscal_year, start_month, frame)


def _blank_to_none(column: pd.Series) -> pd.Series:
    column = column.astype(object)
    return column.where(column != "", None)
