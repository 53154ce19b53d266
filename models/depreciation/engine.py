"""The per-asset schedule: months and fiscal years, disposal and changes of estimate.

An asset's depreciation is a list of *segments*. The first runs from the
in-service month; each change of estimate starts a new one at the first of
the month it takes effect, keeping what was accumulated so far and
depreciating the book value then left down to the new salvage over the life
that remains (new total life − life already used). Within a segment the
accumulated amount at any month start is ``curve(clock)``: the convention's
clock (conventions.py) says how much life is used, the method's curve
(methods.py) what that is worth. A period's depreciation is the difference
of the accumulated amounts at its two ends, so every period is whole cents,
rounding never drifts, and the schedule ends exactly at cost − salvage.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from models.depreciation.conventions import LifeClock, life_clock
from models.depreciation.fiscal import (
    fiscal_year_bounds,
    fiscal_year_first_month,
    fiscal_year_of_month,
    month_end,
    month_number,
    month_start,
)
from models.depreciation.inputs import DepreciationInputError, DepreciationInputs
from models.depreciation.methods import DepreciationCurve, depreciation_curve


@dataclass(frozen=True)
class Period:
    """One row of a schedule, a month or a fiscal year; amounts in cents."""

    period_start: date
    period_end: date
    fiscal_year: int
    depreciation_cents: int
    accumulated_cents: int
    book_value_cents: int


@dataclass(frozen=True)
class FiscalYearFigures:
    """What the fiscal-year close needs of one asset for one year.

    Before service begins everything is zero and book value is cost; after
    the schedule ends (life used up or disposed of) depreciation is zero and
    the other figures stay as they ended.
    """

    fiscal_year: int
    depreciation_cents: int
    accumulated_start_cents: int
    accumulated_end_cents: int
    book_value_end_cents: int


@dataclass(frozen=True)
class Schedule:
    inputs: DepreciationInputs
    months: tuple[Period, ...]
    fiscal_years: tuple[Period, ...]
    accumulated_cents: int  # at the end of the schedule (or at disposal)

    @property
    def book_value_cents(self) -> int:
        return self.inputs.cost_cents - self.accumulated_cents

    @property
    def gain_loss_cents(self) -> int | None:
        """Proceeds − book value at disposal (positive is a gain); None when not disposed of."""
        if self.inputs.disposal is None:
            return None
        return self.inputs.proceeds_cents - self.book_value_cents

    def fiscal_year(self, fiscal_year: int) -> FiscalYearFigures:
        return fiscal_year_figures(self.inputs, fiscal_year)


@dataclass(frozen=True)
class _Segment:
    first_index: int  # month index (0 = in-service month) from which it applies
    accumulated_before: int
    used_before: Fraction
    clock: LifeClock
    curve: DepreciationCurve

    def accumulated_at(self, index: int) -> int:
        return self.accumulated_before + self.curve.accumulated(self.clock.used_at(index) - self.used_before)


class _Plan:
    """The segments of one asset, and its accumulated depreciation at any month start."""

    def __init__(self, inputs: DepreciationInputs) -> None:
        self.inputs = inputs
        self.first_month = month_number(inputs.in_service)
        life, salvage = inputs.life_months, inputs.salvage_cents
        method, factor, switch = inputs.method, inputs.factor, inputs.switch_to_straight_line
        clock = self._clock(life, inputs.disposal)
        curve = depreciation_curve(
            method=method,
            book_value_cents=inputs.cost_cents,
            salvage_cents=salvage,
            life=life,
            factor=factor,
            switch_to_straight_line=switch,
        )
        self.segments = [_Segment(0, 0, Fraction(0), clock, curve)]
        for number, change in enumerate(inputs.estimate_changes):
            where = f"estimate_changes[{number}]"
            index = month_number(change.effective) - self.first_month
            accumulated = self.accumulated_at(index)
            life = change.life_months if change.life_months is not None else life
            salvage = change.salvage_cents if change.salvage_cents is not None else salvage
            method = change.method if change.method is not None else method
            factor = change.factor if change.factor is not None else factor
            switch = change.switch_to_straight_line if change.switch_to_straight_line is not None else switch
            clock = self._clock(life, inputs.disposal)
            used = clock.used_at(index)
            if used >= life:
                raise DepreciationInputError(
                    f"{where}.life_months",
                    f"the new life ({life} months) must be longer than the life already used ({_months(used)})",
                )
            book_value = inputs.cost_cents - accumulated
            if salvage > book_value:
                raise DepreciationInputError(
                    f"{where}.salvage_cents",
                    "the new salvage value cannot be more than the book value at the change",
                )
            curve = depreciation_curve(
                method=method,
                book_value_cents=book_value,
                salvage_cents=salvage,
                life=life - used,
                factor=factor,
                switch_to_straight_line=switch,
            )
            self.segments.append(_Segment(index, accumulated, used, clock, curve))

    def _clock(self, life: int, disposal: date | None) -> LifeClock:
        inputs = self.inputs
        return life_clock(inputs.convention, inputs.in_service, life, disposal, inputs.fy_start_month)

    def accumulated_at(self, index: int) -> int:
        """Accumulated cents at the start of month ``index`` (0 = in-service month)."""
        index = max(index, 0)
        for segment in reversed(self.segments):
            if index >= segment.first_index:
                return segment.accumulated_at(index)
        raise AssertionError("the first segment starts at month 0")

    def last_month_index(self) -> int:
        """The last month listed: until the clock stops, and through the disposal month."""
        last = self.segments[-1]
        end = max(last.clock.end_index - 1, last.first_index, 0)
        disposal = self.inputs.disposal
        if disposal is not None:
            undisposed = self._clock(last.clock.life_months, None)
            disposal_index = month_number(disposal) - self.first_month
            end = max(end, min(disposal_index, undisposed.end_index - 1))
        return end


def schedule(inputs: DepreciationInputs) -> Schedule:
    """Month-by-month and fiscal-year depreciation of one asset."""
    if not inputs.depreciable:
        return Schedule(inputs, (), (), 0)
    plan = _Plan(inputs)
    first, start_month = plan.first_month, inputs.fy_start_month
    last = plan.last_month_index()
    accumulated = [plan.accumulated_at(index) for index in range(last + 2)]
    months = tuple(
        Period(
            period_start=month_start(first + index),
            period_end=month_end(first + index),
            fiscal_year=fiscal_year_of_month(first + index, start_month),
            depreciation_cents=accumulated[index + 1] - accumulated[index],
            accumulated_cents=accumulated[index + 1],
            book_value_cents=inputs.cost_cents - accumulated[index + 1],
        )
        for index in range(last + 1)
    )
    return Schedule(inputs, months, _fiscal_years(months, start_month), accumulated[-1])


def _fiscal_years(months: tuple[Period, ...], start_month: int) -> tuple[Period, ...]:
    years: list[Period] = []
    for month in months:
        if years and years[-1].fiscal_year == month.fiscal_year:
            years[-1] = replace(
                years[-1],
                depreciation_cents=years[-1].depreciation_cents + month.depreciation_cents,
                accumulated_cents=month.accumulated_cents,
                book_value_cents=month.book_value_cents,
            )
        else:
            first_day, last_day = fiscal_year_bounds(month.fiscal_year, start_month)
            years.append(replace(month, period_start=first_day, period_end=last_day))
    return tuple(years)


def fiscal_year_figures(inputs: DepreciationInputs, fiscal_year: int) -> FiscalYearFigures:
    """One fiscal year's figures without building the whole schedule (used by the bulk path)."""
    if not inputs.depreciable:
        return FiscalYearFigures(fiscal_year, 0, 0, 0, inputs.cost_cents)
    plan = _Plan(inputs)
    first = fiscal_year_first_month(fiscal_year, inputs.fy_start_month) - plan.first_month
    start = plan.accumulated_at(first)
    end = plan.accumulated_at(first + 12)
    return FiscalYearFigures(fiscal_year, end - start, start, end, inputs.cost_cents - end)


def _months(used: Fraction) -> str:
    if used.denominator == 1:
        return f"{used} months"
    return f"{Decimal(used.numerator) / Decimal(used.denominator):.1f} months"
