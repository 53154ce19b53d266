"""Keeping closed years closed when assets change.

``guard_asset_change(work, asset, before)`` is called by the asset services
inside their unit of work, after an edit (or a creation, or a disposal) has
been applied to ``asset`` and before it is saved:

* a date that falls inside a closed fiscal year (acquired, in service,
  disposed of) is refused with a ``ValidationError`` naming the field: what
  happened in a closed year cannot be changed;
* any other change that would alter the last closed year's figures (cost,
  salvage, life, method, convention, class, capitalization, a date moved out of
  a closed year) does not touch them: the difference in cost and accumulated
  depreciation at the end of that year becomes a dated adjustment in the
  first open year, which the roll-forward shows in its adjustments column.
  A change of class moves the amounts from one class to the other (a transfer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.database import UnitOfWork
from models.depreciation.close import last_closed_year, standing_close
from models.depreciation.engine import fiscal_year_figures
from models.depreciation.fiscal import fiscal_year_bounds, fiscal_year_of
from models.depreciation.inputs import DepreciationInputError, DepreciationInputs
from models.errors import ValidationError
from models.money import format_money, from_cents, to_cents
from models.schema import Asset, AssetClass, AssetYearFigures, DepreciationAdjustment, GasbClass

DATED_FIELDS = ("acquired_on", "in_service_on", "disposed_on")
FIGURE_FIELDS = (
    "cost", "salvage_value", "useful_life_months", "depreciation_method", "depreciation_convention",
    "class_id", "capitalized", *DATED_FIELDS,
)
FIELD_LABELS = {"acquired_on": "acquisition date", "in_service_on": "in-service date", "disposed_on": "disposal date"}


def asset_inputs(asset: Asset, asset_class: AssetClass, fy_start_month: int) -> DepreciationInputs | None:
    """The engine's view of an asset (class defaults filled in); None when it has nothing to depreciate."""
    life = asset.useful_life_months or asset_class.default_useful_life_months
    if not asset_class.depreciable or asset.in_service_on is None or not life:
        return None
    disposal = asset.disposed_on
    if disposal is not None and disposal < asset.in_service_on:
        return None
    try:
        return DepreciationInputs(
            cost_cents=to_cents(asset.cost),
            salvage_cents=to_cents(asset.salvage_value or 0),
            life_months=life,
            method=asset.depreciation_method or asset_class.default_method,
            convention=asset.depreciation_convention or asset_class.default_convention,
            in_service=asset.in_service_on,
            fy_start_month=fy_start_month,
            disposal=disposal,
            proceeds_cents=to_cents(asset.disposal_proceeds or 0) if disposal else 0,
        )
    except DepreciationInputError as err:
        raise ValidationError(err.field, err.reason) from None


def _stored_state(work: UnitOfWork, asset_id: int, close_id: int) -> dict[GasbClass, list[int]]:
    session = work.session
    state: dict[GasbClass, list[int]] = {}
    row = session.scalars(
        select(AssetYearFigures).where(AssetYearFigures.close_id == close_id, AssetYearFigures.asset_id == asset_id)
    ).first()
    if row is not None and not row.disposed_in_year:
        state[GasbClass(row.gasb_class)] = [row.cost_cents, row.accumulated_end_cents]
    adjusted = session.execute(
        select(DepreciationAdjustment.gasb_class, func.sum(DepreciationAdjustment.cost_cents),
               func.sum(DepreciationAdjustment.accumulated_cents))
        .where(DepreciationAdjustment.against_close_id == close_id, DepreciationAdjustment.asset_id == asset_id)
        .group_by(DepreciationAdjustment.gasb_class)
    ).all()
    for gasb, cost, accumulated in adjusted:
        amounts = state.setdefault(GasbClass(gasb), [0, 0])
        amounts[0] += int(cost)
        amounts[1] += int(accumulated)
    return state


def _new_state(work: UnitOfWork, asset: Asset, year: int, start_month: int) -> dict[GasbClass, list[int]]:
    last = fiscal_year_bounds(year, start_month)[1]
    if not asset.capitalized or asset.acquired_on > last:
        return {}
    if asset.disposed_on is not None and asset.disposed_on <= last:
        return {}
    asset_class = work.session.get(AssetClass, asset.class_id)
    assert asset_class is not None
    inputs = asset_inputs(asset, asset_class, start_month)
    accumulated = 0 if inputs is None else fiscal_year_figures(inputs, year).accumulated_end_cents
    return {GasbClass(asset_class.gasb_class): [to_cents(asset.cost), accumulated]}


@dataclass(frozen=True)
class ClosedThrough:
    """The last closed fiscal year and its last day: nothing dated on or before it may change."""

    year: int
    last_day: date
    start_month: int

    def refusal(self, field: str, value: date | None) -> str | None:
        """Why ``field`` may not be set to ``value`` (None when it may)."""
        if value is None or value > self.last_day:
            return None
        year = fiscal_year_of(value, self.start_month)
        return (f"the {FIELD_LABELS[field]} {value:%Y-%m-%d} falls in FY{year}, which is closed. "
                f"A closed year cannot be changed: use a date in FY{self.year + 1} or later, or ask an "
                f"administrator to reopen FY{self.year}.")


def closed_through(session: Session) -> ClosedThrough | None:
    """The latest closed year, or None while every year is open."""
    closed = last_closed_year(session)
    if closed is None:
        return None
    close = standing_close(session, closed)
    assert close is not None
    return ClosedThrough(closed, fiscal_year_bounds(closed, close.fy_start_month)[1], close.fy_start_month)


def guard_asset_change(
    work: UnitOfWork, asset: Asset, before: Mapping[str, Any] | None, *, today: date | None = None
) -> list[DepreciationAdjustment]:
    """Refuse changes dated in a closed year; book the rest's effect on it as adjustments.

    ``asset`` holds the new values (not yet flushed is fine); ``before`` the old
    ones (``services.assets.snapshot``), or None for a new asset. Returns the
    adjustments added to the session (none when no year is closed or the
    closed figures do not change).
    """
    session = work.session
    with session.no_autoflush:
        closed = last_closed_year(session)
        if closed is None:
            return []
        close = standing_close(session, closed)
        assert close is not None
        start_month = close.fy_start_month
        closed_end = fiscal_year_bounds(closed, start_month)[1]
        old = dict(before or {})
        changed = [f for f in FIGURE_FIELDS if before is None or old.get(f) != getattr(asset, f)]
        through = ClosedThrough(closed, closed_end, start_month)
        for field in DATED_FIELDS:
            refusal = through.refusal(field, getattr(asset, field)) if field in changed else None
            if refusal:
                raise ValidationError(field, refusal)
        if not changed:
            return []
        if asset.id is None:  # a new asset: its adjustment needs its id
            session.add(asset)
            session.flush()
        old_state = _stored_state(work, asset.id, close.id) if before is not None else {}
        new_state = _new_state(work, asset, closed, start_month)
        open_year = closed + 1
        first, last = fiscal_year_bounds(open_year, start_month)
        on = min(max(today or date.today(), first), last)
        transfer = bool(old_state) and bool(new_state) and set(old_state) != set(new_state)
        made = []
        for gasb in sorted(set(old_state) | set(new_state), key=lambda g: list(GasbClass).index(g)):
            was = old_state.get(gasb, [0, 0])
            now = new_state.get(gasb, [0, 0])
            cost, accumulated = now[0] - was[0], now[1] - was[1]
            if not cost and not accumulated:
                continue
            adjustment = DepreciationAdjustment(
                fiscal_year=open_year,
                adjusted_on=on,
                against_close_id=close.id,
                asset_id=asset.id,
                gasb_class=gasb,
                kind="transfer" if transfer else "correction",
                cost_cents=cost,
                accumulated_cents=accumulated,
                fields=", ".join(changed)[:400],
                created_at=work.occurred_at,
                created_by=work.actor,
            )
            session.add(adjustment)
            made.append(adjustment)
        if made and asset.id is not None:
            work.record(
                "asset",
                asset.id,
                "depreciation_adjusted",
                {
                    f"{a.gasb_class.value if hasattr(a.gasb_class, 'value') else a.gasb_class}": (
                        None, [f"{from_cents(a.cost_cents)}", f"{from_cents(a.accumulated_cents)}"]
                    )
                    for a in made
                },
                note=(
                    f"FY{closed} is closed: the change to its figures ("
                    + "; ".join(
                        f"{GasbClass(a.gasb_class).value} cost {format_money(from_cents(a.cost_cents))}, "
                        f"accumulated {format_money(from_cents(a.accumulated_cents))}"
                        for a in made
                    )
                    + f") is booked as an adjustment in FY{open_year} on {on:%Y-%m-%d}"
                ),
            )
        return made
