"""Depreciation methods as curves: accumulated cents as a function of life used.

Every method is written as one function ``accumulated(u)``: how much has been
depreciated, in whole cents, once ``u`` months of the asset's useful life have
been used. The conventions (conventions.py) decide how much life is used by a
given date; this module decides what that much life is worth. Period amounts
are differences of this curve, so rounding never accumulates and the curve
ends at exactly cost − salvage.

Straight line is a single line: ``accumulated(u) = (cost − salvage) × u / life``,
rounded to the cent.

Declining balance and sum-of-the-years'-digits are *annual* methods: their rate
applies to a year of life (an *asset-year*, 12 months of use counted from the
start of service), whatever the district's fiscal year. So the curve is built
from an annual table -- the accumulated amount at the end of each asset-year,
exactly as in a textbook table -- and is straight between those points: an
asset-year's amount is used up evenly over its 12 months. Which fiscal year a
month of life falls in is then the convention's business. With the full-year
convention, asset-years coincide with fiscal years and the fiscal-year figures
are the textbook table; with half-year, each fiscal year gets half of one
asset-year and half of the next, as textbooks do.

* Declining balance, asset-year ``y``: ``book value × factor ÷ (life in years)``,
  rounded to the cent, never taking book value below salvage; the last
  asset-year takes whatever is left down to salvage. With "switch to straight
  line", a year takes the larger of that and ``(book value − salvage) ÷
  remaining years`` (as the VDB spreadsheet function does).
* Sum-of-the-years'-digits: asset-year ``y`` weighs the life remaining at its
  start (10, 9, ..., 1 for ten years) and takes ``(cost − salvage) × its
  weight ÷ (all weights)``, rounded to the cent; the last asset-year takes
  what is left, so the table sums to cost − salvage exactly.

Each asset-year's amount is rounded on its own, as a textbook or spreadsheet
table is (SYD(30000, 7500, 10, 3) = 3,272.73); the months inside an
asset-year are then cumulative targets on that table, so they never drift.

A life that is not a whole number of years ends with a short asset-year of
``m`` months: declining balance finishes in it, and sum-of-the-years'-digits
weighs it by ``m`` months × ``m`` months remaining, so whole-year lives still
give the textbook digits.

Lives may be fractions of a month here (the life left after a change of
estimate under the actual-days convention); all arithmetic is exact
(``Fraction`` and integers), rounded half up to the cent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from models.depreciation.inputs import Method

YEAR = 12


def round_half_up(amount: Fraction) -> int:
    """Nearest whole cent, halves away from zero (amounts here are never negative)."""
    return (2 * amount.numerator + amount.denominator) // (2 * amount.denominator)


@dataclass(frozen=True)
class DepreciationCurve:
    """Accumulated depreciation (cents) against life used (months)."""

    method: Method
    base_cents: int  # book value at the start of the curve minus salvage
    life: Fraction
    # Accumulated cents at the end of each asset-year, starting with 0.
    # Empty for straight line, which needs no table.
    year_ends: tuple[int, ...]

    def accumulated(self, used: Fraction) -> int:
        used = min(max(used, Fraction(0)), self.life)
        if self.method is Method.STRAIGHT_LINE:
            return round_half_up(self.base_cents * used / self.life)
        years = len(self.year_ends) - 1
        year = min(math.floor(used / YEAR), years - 1)
        year_start = YEAR * year
        length = min(Fraction(YEAR), self.life - year_start)
        before = self.year_ends[year]
        amount = self.year_ends[year + 1] - before
        return before + round_half_up(amount * (used - year_start) / length)

    def annual_amounts(self) -> list[int]:
        """The textbook table: the amount of each asset-year, in cents."""
        if self.method is Method.STRAIGHT_LINE:
            ends = [self.accumulated(min(Fraction(YEAR * y), self.life)) for y in range(asset_years(self.life) + 1)]
        else:
            ends = list(self.year_ends)
        return [later - earlier for earlier, later in zip(ends, ends[1:])]


def asset_years(life: Fraction | int) -> int:
    return math.ceil(Fraction(life) / YEAR)


def depreciation_curve(
    *,
    method: Method,
    book_value_cents: int,
    salvage_cents: int,
    life: Fraction | int,
    factor: Decimal = Decimal(2),
    switch_to_straight_line: bool = False,
) -> DepreciationCurve:
    """The curve that takes ``book_value_cents`` down to ``salvage_cents`` over ``life`` months."""
    life = Fraction(life)
    base = book_value_cents - salvage_cents
    if life <= 0 or base < 0:
        raise ValueError("a depreciation curve needs a positive life and book value ≥ salvage")
    if method is Method.STRAIGHT_LINE:
        return DepreciationCurve(method, base, life, ())
    if method is Method.SUM_OF_YEARS_DIGITS:
        ends = _sum_of_years_digits_table(base, life)
    else:
        ends = _declining_balance_table(
            book_value_cents, salvage_cents, life, Fraction(factor), switch_to_straight_line
        )
    return DepreciationCurve(method, base, life, tuple(ends))


def _sum_of_years_digits_table(base: int, life: Fraction) -> list[int]:
    weights = []
    for year in range(asset_years(life)):
        remaining = life - YEAR * year
        weights.append(remaining * min(Fraction(YEAR), remaining))
    total = sum(weights)
    ends = [0]
    for weight in weights[:-1]:
        # Rounded years can add up to a cent or so more than the base on tiny
        # amounts; never past it, so no later year goes negative.
        ends.append(min(ends[-1] + round_half_up(base * weight / total), base))
    ends.append(base)
    return ends


def _declining_balance_table(
    book_value: int, salvage: int, life: Fraction, factor: Fraction, switch: bool
) -> list[int]:
    rate = factor * YEAR / life
    years = asset_years(life)
    ends = [0]
    for year in range(years):
        balance = book_value - ends[-1]
        left = balance - salvage
        if year == years - 1:
            amount = left
        else:
            amount = round_half_up(balance * rate)
            if switch:
                remaining = life - YEAR * year
                amount = max(amount, round_half_up(left * YEAR / remaining))
            amount = min(amount, left)
        ends.append(ends[-1] + amount)
    return ends
