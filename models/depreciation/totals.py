"""A fiscal year's figures summed by GASB class, fund and function: stored for a closed year,
projected (computed from the register now, not stored) for an open one.

The roll-forward, the totals by class and function and the journal entries
all start from these sums. A closed year is summed in SQL over its stored
rows; an open year is computed with the bulk path and summed with pandas,
into the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import BigInteger, case, func, select
from sqlalchemy.orm import Session

from models.depreciation.close import standing_close
from models.depreciation.district import compute_year, fiscal_year_start_month
from models.progress import Progress
from models.schema import AssetYearFigures as F

KEYS = ["gasb_class", "fund_code", "function_code"]
MEASURES = [
    "assets", "cost_start", "additions", "deletions", "cost_end",
    "accumulated_start", "depreciation", "accumulated_deletions", "accumulated_end", "book_value_end",
]


@dataclass(frozen=True)
class YearTotals:
    fiscal_year: int
    fy_start_month: int
    stored: bool  # True: a closed year's stored figures; False: projected from the register
    close_id: int | None
    closed_at: datetime | None
    closed_by: str | None
    groups: pd.DataFrame  # KEYS + MEASURES, cents

    @property
    def label(self) -> str:
        if self.stored:
            return f"FY{self.fiscal_year}: closed — stored figures"
        return f"FY{self.fiscal_year}: open — projected figures (computed now, not stored)"

    def by(self, key: str) -> pd.DataFrame:
        """MEASURES summed by one key (``gasb_class``, ``function_code`` or ``fund_code``)."""
        frame = self.groups.copy()
        frame[key] = frame[key].fillna("")
        return frame.groupby(key, sort=True, observed=True)[MEASURES].sum().reset_index()

    def total(self, measure: str) -> int:
        return int(self.groups[measure].sum()) if len(self.groups) else 0


def _stored_groups(session: Session, close_id: int) -> pd.DataFrame:
    def when(flag, column):
        return func.coalesce(func.sum(case((flag, column), else_=0)), 0)

    kept = F.disposed_in_year.is_(False)
    statement = (
        select(
            F.gasb_class, F.fund_code, F.function_code,
            func.count().label("assets"),
            when(F.on_books_at_start.is_(True), F.cost_cents),
            when(F.acquired_in_year.is_(True), F.cost_cents),
            when(F.disposed_in_year.is_(True), F.cost_cents),
            when(kept, F.cost_cents),
            when(F.on_books_at_start.is_(True), F.accumulated_start_cents),
            func.coalesce(func.sum(F.depreciation_cents), 0),
            when(F.disposed_in_year.is_(True), F.accumulated_end_cents),
            when(kept, F.accumulated_end_cents),
            when(kept, F.book_value_end_cents),
        )
        .where(F.close_id == close_id)
        .group_by(F.gasb_class, F.fund_code, F.function_code)
    )
    rows = session.execute(statement).all()
    frame = pd.DataFrame.from_records(rows, columns=KEYS + MEASURES)
    if len(frame):
        frame["gasb_class"] = frame["gasb_class"].map(lambda value: getattr(value, "value", value))
        frame[MEASURES] = frame[MEASURES].astype("int64")
    return frame


def group_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-asset figures (district.STORED_COLUMNS) summed into KEYS + MEASURES."""
    start = frame["on_books_at_start"].to_numpy()
    acquired = frame["acquired_in_year"].to_numpy()
    gone = frame["disposed_in_year"].to_numpy()
    cost = frame["cost_cents"].to_numpy()
    accumulated_end = frame["accumulated_end_cents"].to_numpy()
    parts = pd.DataFrame(
        {
            "gasb_class": frame["gasb_class"].astype(str),
            "fund_code": frame["fund_code"].fillna(""),
            "function_code": frame["function_code"].fillna(""),
            "assets": 1,
            "cost_start": cost * start,
            "additions": cost * acquired,
            "deletions": cost * gone,
            "cost_end": cost * ~gone,
            "accumulated_start": frame["accumulated_start_cents"].to_numpy() * start,
            "depreciation": frame["depreciation_cents"].to_numpy(),
            "accumulated_deletions": accumulated_end * gone,
            "accumulated_end": accumulated_end * ~gone,
            "book_value_end": frame["book_value_end_cents"].to_numpy() * ~gone,
        }
    )
    grouped = parts.groupby(KEYS, sort=True).sum().reset_index()
    for key in ("fund_code", "function_code"):
        grouped[key] = grouped[key].where(grouped[key] != "", None)
    return grouped


def year_totals(session: Session, fiscal_year: int, progress: Progress | None = None) -> YearTotals:
    close = standing_close(session, fiscal_year)
    if close is not None:
        return YearTotals(
            fiscal_year, close.fy_start_month, True, close.id, close.closed_at, close.closed_by,
            _stored_groups(session, close.id),
        )
    connection = session.connection()
    start_month = fiscal_year_start_month(connection)
    year = compute_year(connection, fiscal_year, progress, start_month)
    return YearTotals(fiscal_year, start_month, False, None, None, None, group_year(year.frame))


def adjustment_totals(session: Session, fiscal_year: int) -> pd.DataFrame:
    """Adjustments booked in ``fiscal_year`` by GASB class: cost and accumulated, cents."""
    from models.schema import DepreciationAdjustment as A

    rows = session.execute(
        select(A.gasb_class, func.sum(A.cost_cents).cast(BigInteger), func.sum(A.accumulated_cents).cast(BigInteger))
        .where(A.fiscal_year == fiscal_year)
        .group_by(A.gasb_class)
    ).all()
    frame = pd.DataFrame.from_records(rows, columns=["gasb_class", "cost", "accumulated"])
    if len(frame):
        frame["gasb_class"] = frame["gasb_class"].map(lambda value: getattr(value, "value", value))
        frame[["cost", "accumulated"]] = frame[["cost", "accumulated"]].astype("int64")
    return frame
