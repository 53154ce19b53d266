"""What the Depreciation view shows: fiscal years and their state, a year's totals and
roll-forward, the assets behind a figure, one asset's schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import numpy as np
from sqlalchemy import func, select

from models.database import Database
from models.depreciation.close import closed_years, first_year_in_service, standing_close
from models.depreciation.closing import asset_inputs
from models.depreciation.district import compute_year, fiscal_year_start_month
from models.depreciation.engine import Schedule, schedule
from models.depreciation.fiscal import fiscal_year_of
from models.depreciation.rollforward import RollForward, roll_forward
from models.depreciation.stored import read_figures
from models.depreciation.totals import YearTotals, year_totals
from models.errors import NotFoundError, ValidationError
from models.money import from_cents
from models.progress import Progress
from models.schema import Asset, AssetClass, DepreciationAdjustment, FiscalYearClose, FunctionCode, GasbClass

DRILL_LIMIT = 5_000


@dataclass(frozen=True)
class YearState:
    fiscal_year: int
    closed: bool
    closed_by: str | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True)
class Years:
    years: list[YearState]  # newest first
    current: int  # the year containing today
    last_closed: int | None
    fy_start_month: int


def fiscal_years(db: Database, today: date | None = None) -> Years:
    """The years the view offers: from the first with assets to the current one."""
    with db.reading() as session:
        start_month = fiscal_year_start_month(session.connection())
        current = fiscal_year_of(today or date.today(), start_month)
        first = first_year_in_service(session, start_month) or current
        closes = {
            c.fiscal_year: c
            for c in session.scalars(select(FiscalYearClose).where(FiscalYearClose.status == "closed"))
        }
    first = max(first, current - 60)
    years = [
        YearState(year, year in closes, closes[year].closed_by if year in closes else None,
                  closes[year].closed_at if year in closes else None)
        for year in range(current, first - 1, -1)
    ]
    return Years(years, current, max(closes) if closes else None, start_month)


@dataclass(frozen=True)
class YearView:
    totals: YearTotals
    roll_forward: RollForward
    function_names: dict[str, str]


def year_view(db: Database, fiscal_year: int, progress: Progress | None = None) -> YearView:
    with db.reading() as session:
        totals = year_totals(session, fiscal_year, progress)
        result = roll_forward(session, fiscal_year, totals=totals)
        names = dict(session.execute(select(FunctionCode.code, FunctionCode.name)).all())
    return YearView(totals, result, names)


# Which assets a roll-forward or totals cell is made of: a mask over the per-asset figures.
DRILLS = {
    ("cost", "beginning"): ("on_books_at_start", "cost_cents"),
    ("cost", "additions"): ("acquired_in_year", "cost_cents"),
    ("cost", "deletions"): ("disposed_in_year", "cost_cents"),
    ("cost", "ending"): ("kept", "cost_cents"),
    ("accumulated", "beginning"): ("on_books_at_start", "accumulated_start_cents"),
    ("accumulated", "additions"): ("all", "depreciation_cents"),
    ("accumulated", "deletions"): ("disposed_in_year", "accumulated_end_cents"),
    ("accumulated", "ending"): ("kept", "accumulated_end_cents"),
    ("depreciation", "total"): ("all", "depreciation_cents"),
    ("book_value", "ending"): ("kept", "book_value_end_cents"),
}


@dataclass(frozen=True)
class DrillRow:
    asset_id: int
    tag: str
    description: str
    gasb_class: str
    function_code: str | None
    amount: Decimal


@dataclass(frozen=True)
class Drill:
    title: str
    count: int
    total: Decimal
    rows: list[DrillRow]  # at most DRILL_LIMIT, largest amounts first

    @property
    def truncated(self) -> bool:
        return self.count > len(self.rows)


def drill(
    db: Database,
    fiscal_year: int,
    measure: str,
    column: str,
    *,
    gasb_class: GasbClass | str | None = None,
    function_code: str | None = None,
    progress: Progress | None = None,
) -> Drill:
    """The assets behind one figure of the year: a roll-forward cell, or a class/function total.

    ``measure``/``column`` name the figure (see DRILLS); adjustments are listed
    from the adjustments booked in the year.
    """
    if column == "adjustments":
        return _drill_adjustments(db, fiscal_year, measure, gasb_class)
    if (measure, column) not in DRILLS:
        raise ValidationError("column", f"there is no {measure} {column} figure to open")
    which, amount_column = DRILLS[(measure, column)]
    with db.reading() as session:
        close = standing_close(session, fiscal_year)
        connection = session.connection()
        frame = read_figures(connection, close.id) if close else compute_year(connection, fiscal_year, progress).frame
        mask = np.ones(len(frame), dtype=bool)
        if which == "kept":
            mask &= ~frame["disposed_in_year"].to_numpy(bool)
        elif which != "all":
            mask &= frame[which].to_numpy(bool)
        if gasb_class is not None:
            mask &= frame["gasb_class"].astype(str).to_numpy() == GasbClass(gasb_class).value
        if function_code is not None:
            mask &= frame["function_code"].fillna("").to_numpy() == function_code
        chosen = frame[mask]
        chosen = chosen[chosen[amount_column] != 0] if amount_column != "cost_cents" else chosen
        chosen = chosen.sort_values(amount_column, ascending=False, kind="stable")
        top = chosen.head(DRILL_LIMIT)
        ids = top["asset_id"].astype(int).tolist()
        labels: dict[int, tuple[str, str]] = {}
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            labels.update({i: (t, d) for i, t, d in session.execute(
                select(Asset.id, Asset.tag, Asset.description).where(Asset.id.in_(part)))})
    rows = [
        DrillRow(int(r.asset_id), *labels.get(int(r.asset_id), ("(deleted)", "")), str(r.gasb_class),
                 r.function_code, from_cents(int(getattr(r, amount_column))))
        for r in top.itertuples(index=False)
    ]
    title = f"FY{fiscal_year} {measure.replace('_', ' ')} — {column}"
    return Drill(title, len(chosen), from_cents(int(chosen[amount_column].sum())), rows)


def _drill_adjustments(db: Database, fiscal_year: int, measure: str, gasb_class) -> Drill:
    A = DepreciationAdjustment
    amount = A.cost_cents if measure == "cost" else A.accumulated_cents
    with db.reading() as session:
        statement = (
            select(A.asset_id, Asset.tag, Asset.description, A.gasb_class, Asset.function_code, amount)
            .join(Asset, Asset.id == A.asset_id, isouter=True)
            .where(A.fiscal_year == fiscal_year, amount != 0)
            .order_by(A.adjusted_on, A.id)
        )
        if gasb_class is not None:
            statement = statement.where(A.gasb_class == GasbClass(gasb_class))
        found = session.execute(statement).all()
    rows = [DrillRow(int(i), t or "(deleted)", d or "", getattr(g, "value", g), f, from_cents(int(c)))
            for i, t, d, g, f, c in found]
    return Drill(f"FY{fiscal_year} {measure} — adjustments", len(rows),
                 sum((r.amount for r in rows), Decimal("0.00")), rows[:DRILL_LIMIT])


@dataclass(frozen=True)
class AssetSchedule:
    asset_id: int
    tag: str
    description: str
    class_name: str
    cost: Decimal
    schedule: Schedule | None  # None: nothing to depreciate (land, CIP, controlled, not in service)
    reason: str


def find_asset(db: Database, tag: str) -> int:
    text = (tag or "").strip()
    if not text:
        raise ValidationError("tag", "type an asset tag")
    with db.reading() as session:
        found = session.scalar(select(Asset.id).where(func.lower(Asset.tag) == text.lower()))
    if found is None:
        raise NotFoundError(f"No asset has the tag {text}.")
    return found


def asset_schedule(db: Database, asset_id: int) -> AssetSchedule:
    with db.reading() as session:
        asset = session.get(Asset, asset_id)
        if asset is None:
            raise NotFoundError(f"Asset {asset_id} does not exist (it may have been deleted).")
        asset_class = session.get(AssetClass, asset.class_id)
        start_month = fiscal_year_start_month(session.connection())
        inputs = asset_inputs(asset, asset_class, start_month) if asset.capitalized else None
    if not asset.capitalized:
        reason = "Controlled item (under the capitalization threshold): not depreciated in the GASB books."
    elif not asset_class.depreciable:
        reason = f"{asset_class.name} is not depreciated."
    elif asset.in_service_on is None:
        reason = "Not in service yet: depreciation starts when it is placed in service."
    else:
        reason = ""
    return AssetSchedule(asset.id, asset.tag, asset.description, asset_class.name, asset.cost,
                         schedule(inputs) if inputs else None, reason)


def closed_year_list(db: Database) -> list[int]:
    with db.reading() as session:
        return closed_years(session)
