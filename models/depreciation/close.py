"""Closing a fiscal year, and reopening it.

Closing year N computes every capitalized asset's depreciation for N with the
bulk path and stores it per asset, with what the roll-forward needs, in one
transaction with one history event for the whole close (not one per asset).
The rules:

* a year is closed once; closing it again is refused;
* a year can be closed only after it has ended;
* years close in order: N needs N−1 closed. The exception is the first close in
  a database: N may be the first year with assets in service, or any year
  closed as the *opening year* (the first year the district keeps its books in
  Common Ground; ``opening=True``);
* only the latest closed year can be reopened, by an administrator, with a
  reason; the reopening is in the history and keeps the old figures for the
  record. Adjustments booked against it are dropped: the new close takes the
  edits in directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models.database import UnitOfWork
from models.depreciation.district import compute_year, fiscal_year_start_month
from models.depreciation.fiscal import fiscal_year_bounds, fiscal_year_of
from models.depreciation.stored import write_figures
from models.errors import ValidationError
from models.money import from_cents
from models.progress import Progress, step
from models.schema import Asset, DepreciationAdjustment, FiscalYearClose

ENTITY = "fiscal_year"


@dataclass(frozen=True)
class CloseSummary:
    fiscal_year: int
    close_id: int
    assets: int
    cost_end: Decimal
    depreciation: Decimal
    accumulated_end: Decimal
    opening: bool


def standing_close(session: Session, fiscal_year: int) -> FiscalYearClose | None:
    return session.scalars(
        select(FiscalYearClose).where(FiscalYearClose.fiscal_year == fiscal_year, FiscalYearClose.status == "closed")
    ).first()


def last_closed_year(session: Session) -> int | None:
    return session.scalar(select(func.max(FiscalYearClose.fiscal_year)).where(FiscalYearClose.status == "closed"))


def closed_years(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(FiscalYearClose.fiscal_year).where(FiscalYearClose.status == "closed").order_by(FiscalYearClose.fiscal_year)
        )
    )


def first_year_in_service(session: Session, start_month: int) -> int | None:
    first = session.scalar(select(func.min(Asset.acquired_on)).where(Asset.capitalized.is_(True)))
    return None if first is None else fiscal_year_of(first, start_month)


def check_year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise ValidationError("fiscal_year", f"'{value}' is not a fiscal year (give it as four digits, like 2026)")
    return value


def check_can_close(session: Session, fiscal_year: int, *, opening: bool, today: date) -> int:
    """Refuse a close the rules do not allow; returns the fiscal-year start month."""
    start_month = fiscal_year_start_month(session.connection())
    first, last = fiscal_year_bounds(fiscal_year, start_month)
    existing = standing_close(session, fiscal_year)
    if existing is not None:
        raise ValidationError(
            "fiscal_year",
            f"FY{fiscal_year} is already closed (by {existing.closed_by} on {existing.closed_at:%Y-%m-%d}). "
            f"It cannot be closed twice; an administrator can reopen it first.",
        )
    if last >= today:
        raise ValidationError(
            "fiscal_year", f"FY{fiscal_year} has not ended yet (it runs {first:%Y-%m-%d} to {last:%Y-%m-%d})"
        )
    latest = last_closed_year(session)
    if latest is None:
        earliest = first_year_in_service(session, start_month)
        if not opening and earliest is not None and fiscal_year > earliest:
            raise ValidationError(
                "fiscal_year",
                f"FY{fiscal_year - 1} must be closed first: years close in order, starting with the first "
                f"year with assets in service (FY{earliest}). If FY{fiscal_year} is the first year the district "
                f"keeps its books in Common Ground, close it as the opening year.",
            )
    elif fiscal_year < latest:
        raise ValidationError(
            "fiscal_year", f"FY{latest} is already closed; an earlier year cannot be closed after it"
        )
    elif fiscal_year > latest + 1:
        raise ValidationError(
            "fiscal_year", f"FY{fiscal_year - 1} must be closed first (the last closed year is FY{latest})"
        )
    return start_month


def close_fiscal_year(
    work: UnitOfWork,
    fiscal_year: int,
    *,
    opening: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> CloseSummary:
    """Compute and store ``fiscal_year`` for every capitalized asset, inside ``work``'s transaction."""
    fiscal_year = check_year(fiscal_year)
    session = work.session
    start_month = check_can_close(session, fiscal_year, opening=opening, today=today or date.today())
    connection = session.connection()
    year = compute_year(connection, fiscal_year, progress, start_month)
    frame = year.frame
    on_books_end = ~frame["disposed_in_year"].to_numpy()
    cost_end = int(frame["cost_cents"].to_numpy()[on_books_end].sum())
    depreciation = int(frame["depreciation_cents"].to_numpy().sum())
    accumulated_end = int(frame["accumulated_end_cents"].to_numpy()[on_books_end].sum())
    close = FiscalYearClose(
        fiscal_year=fiscal_year,
        status="closed",
        opening=opening,
        fy_start_month=start_month,
        closed_at=work.occurred_at,
        closed_by=work.actor,
        asset_count=len(frame),
        cost_end=from_cents(cost_end),
        depreciation=from_cents(depreciation),
        accumulated_end=from_cents(accumulated_end),
    )
    session.add(close)
    session.flush()
    write_figures(connection, close.id, year, progress)
    step(progress, len(frame), len(frame), "Recording the close in the history…")
    work.record(
        ENTITY,
        fiscal_year,
        "fiscal_year_closed",
        {
            "status": ("open", "closed"),
            "assets": (None, len(frame)),
            "cost_end": (None, close.cost_end),
            "depreciation": (None, close.depreciation),
            "accumulated_depreciation_end": (None, close.accumulated_end),
        },
        note=(
            f"FY{fiscal_year} closed{' as the opening year' if opening else ''}: figures of {len(frame):,} "
            f"capitalized assets stored. One event for the whole close; the per-asset figures are in the "
            f"stored depreciation of close #{close.id}, not one event per asset."
        ),
    )
    return CloseSummary(
        fiscal_year, close.id, len(frame), close.cost_end, close.depreciation, close.accumulated_end, opening
    )


@dataclass(frozen=True)
class ReopenSummary:
    fiscal_year: int
    close_id: int
    adjustments_dropped: int


def reopen_fiscal_year(work: UnitOfWork, fiscal_year: int, reason: str) -> ReopenSummary:
    fiscal_year = check_year(fiscal_year)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError("reason", "say why the year is reopened (the auditors will read it)")
    session = work.session
    close = standing_close(session, fiscal_year)
    if close is None:
        raise ValidationError("fiscal_year", f"FY{fiscal_year} is not closed")
    latest = last_closed_year(session)
    if latest is not None and latest > fiscal_year:
        raise ValidationError(
            "fiscal_year", f"FY{latest} is closed after it; reopen the later years first, latest first"
        )
    dropped = session.execute(
        delete(DepreciationAdjustment).where(DepreciationAdjustment.against_close_id == close.id)
    ).rowcount
    close.status = "reopened"
    close.reopened_at = work.occurred_at
    close.reopened_by = work.actor
    close.reopen_reason = reason
    work.record(
        ENTITY,
        fiscal_year,
        "fiscal_year_reopened",
        {"status": ("closed", "reopened"), "adjustments_dropped": (None, dropped or 0)},
        note=f"Reason: {reason}. The figures of close #{close.id} are kept for the record.",
    )
    return ReopenSummary(fiscal_year, close.id, dropped or 0)
