"""Conventions as life clocks: how many months of life are used by a date.

A clock answers ``used_at(i)``: the months of useful life used up by the
start of month ``i``, counting the in-service month as ``i = 0``. The
methods (methods.py) turn life used into cents; a period's depreciation is
the difference between its two ends. Disposal stops the clock.

Month conventions count in half months:

* ``full_month`` -- the in-service month counts whole; the disposal month
  does not count (as if both happened on the 1st).
* ``next_month`` -- the clock starts the month after service begins; the
  disposal month counts whole (as if both happened at the end of the month).
* ``mid_month`` -- half a month in the first month and, life ending half a
  month later, half in the last; half a month in the disposal month.
* ``nearest_month`` -- on or before the 15th acts as ``full_month``, after
  the 15th as ``next_month``; the same rule for the disposal date.

Fiscal-year conventions grant life by fiscal year:

* ``half_year`` -- six months of life in the first fiscal year, whatever the
  in-service date; then twelve a year; the last six in the year life runs
  out. In the disposal year: six months (none if disposed of in the year
  service began -- half in, half out).
* ``full_year`` -- twelve months in the first fiscal year, none in the year
  of disposal.

Inside a fiscal year those months of life are spread evenly over the months
the asset is in service that year (from the in-service month; up to the
disposal month), and in the year life runs out one month of life per month.
At fiscal-year ends both conventions reduce to the month formula with
offsets (see ``FiscalYearClock.boundary``), which the bulk path uses.

``actual_days`` -- each asset-year (12 months from the in-service date, to the
day) is used up evenly over its actual days, leap days included; the last
asset-year of a life that is not whole years is ``m`` months long. Service
counts from the in-service date; the disposal day itself does not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from models.depreciation.fiscal import add_months, month_number, month_start, months_left_in_fiscal_year
from models.depreciation.inputs import Convention

HALF_MONTHS = 2


def month_offsets(convention: Convention, in_service: date, disposal: date | None) -> tuple[int, int | None]:
    """Start and stop of a month-convention clock, in half months from the in-service month."""
    late_start = in_service.day > 15
    start = {
        Convention.FULL_MONTH: 0,
        Convention.NEXT_MONTH: 2,
        Convention.MID_MONTH: 1,
        Convention.NEAREST_MONTH: 2 if late_start else 0,
    }[convention]
    if disposal is None:
        return start, None
    months = month_number(disposal) - month_number(in_service)
    stop = {
        Convention.FULL_MONTH: 0,
        Convention.NEXT_MONTH: 2,
        Convention.MID_MONTH: 1,
        Convention.NEAREST_MONTH: 2 if disposal.day > 15 else 0,
    }[convention]
    return start, 2 * months + stop


@dataclass(frozen=True)
class MonthClock:
    start: int  # half months from the start of the in-service month
    stop: int | None  # disposal point, half months; None when not disposed
    life_months: int

    def used_at(self, index: int) -> Fraction:
        point = HALF_MONTHS * index if self.stop is None else min(HALF_MONTHS * index, self.stop)
        return Fraction(min(max(point - self.start, 0), HALF_MONTHS * self.life_months), HALF_MONTHS)

    @property
    def end_index(self) -> int:
        """First month start at which the clock has stopped for good."""
        end = self.start + HALF_MONTHS * self.life_months
        if self.stop is not None:
            end = min(end, self.stop)
        return max(0, -(-end // HALF_MONTHS))


@dataclass(frozen=True)
class FiscalYearClock:
    """``half_year`` (first-year grant 6) or ``full_year`` (grant 12).

    Fiscal year ``k`` counts from the in-service year (``k = 0``), which has
    ``first_months`` months from the in-service month to its end.
    """

    first_grant: int
    first_months: int
    life_months: int
    disposal_index: int | None  # month index of the disposal month

    @property
    def disposal_year(self) -> int | None:
        if self.disposal_index is None:
            return None
        return self._year_of_month(self.disposal_index)

    def _year_of_month(self, index: int) -> int:
        return 0 if index < self.first_months else (index - self.first_months) // 12 + 1

    def _year_first_month(self, year: int) -> int:
        return 0 if year == 0 else self.first_months + 12 * (year - 1)

    def _undisposed_boundary(self, year: int) -> int:
        return 0 if year < 0 else min(self.life_months, self.first_grant + 12 * year)

    def boundary(self, year: int) -> int:
        """Months of life used by the end of fiscal year ``year``.

        Equal to ``clip(t − start, 0, 2·life) / 2`` on half months, with
        ``start = 2·first_months − 2·first_grant`` and disposal stop at the
        start of the disposal year (full_year) or six months into it (half_year).
        """
        used = self._undisposed_boundary(year)
        disposal_year = self.disposal_year
        if disposal_year is not None and year >= disposal_year:
            used = min(self.life_months, 12 * disposal_year)
        return used

    def _window(self, year: int, gained: int) -> tuple[int, int]:
        """Months (first, past-last) of ``year`` over which its ``gained`` life is spread."""
        first = self._year_first_month(year)
        if year == 0:
            return 0, self.first_months
        if year == self.disposal_year and self.boundary(year) < self._undisposed_boundary(year):
            return first, self.disposal_index + 1
        return first, first + min(gained, 12)

    def used_at(self, index: int) -> Fraction:
        if index <= 0:
            return Fraction(0)
        year = self._year_of_month(index - 1)
        before = self.boundary(year - 1)
        gained = self.boundary(year) - before
        if gained == 0:
            return Fraction(before)
        first, past_last = self._window(year, gained)
        done = min(max(index - first, 0), past_last - first)
        return before + Fraction(gained * done, past_last - first)

    @property
    def end_index(self) -> int:
        year, final = 0, self.boundary(10**6)
        if final == 0:
            return 0
        while self.boundary(year) < final:
            year += 1
        return self._window(year, self.boundary(year) - self.boundary(year - 1))[1]


@dataclass(frozen=True)
class DayClock:
    in_service: date
    life_months: int
    disposal: date | None

    @property
    def stop(self) -> date:
        life_end = add_months(self.in_service, self.life_months)
        return life_end if self.disposal is None else min(life_end, self.disposal)

    def used_at_date(self, day: date) -> Fraction:
        day = min(max(day, self.in_service), self.stop)
        start = self.in_service
        year = (month_number(day) - month_number(start)) // 12
        if add_months(start, 12 * year) > day:
            year -= 1
        year = min(year, (self.life_months - 1) // 12)
        year_start = add_months(start, 12 * year)
        year_end = add_months(start, min(12 * year + 12, self.life_months))
        length = min(12, self.life_months - 12 * year)
        return 12 * year + Fraction(length * (day - year_start).days, (year_end - year_start).days)

    def used_at(self, index: int) -> Fraction:
        return self.used_at_date(month_start(month_number(self.in_service) + index))

    @property
    def end_index(self) -> int:
        stop = self.stop
        months = month_number(stop) - month_number(self.in_service)
        return months + (1 if stop.day > 1 else 0)


LifeClock = MonthClock | FiscalYearClock | DayClock


def life_clock(
    convention: Convention,
    in_service: date,
    life_months: int,
    disposal: date | None,
    fy_start_month: int,
) -> LifeClock:
    if convention is Convention.ACTUAL_DAYS:
        return DayClock(in_service, life_months, disposal)
    if convention in (Convention.HALF_YEAR, Convention.FULL_YEAR):
        return FiscalYearClock(
            first_grant=6 if convention is Convention.HALF_YEAR else 12,
            first_months=months_left_in_fiscal_year(month_number(in_service), fy_start_month),
            life_months=life_months,
            disposal_index=None if disposal is None else month_number(disposal) - month_number(in_service),
        )
    start, stop = month_offsets(convention, in_service, disposal)
    return MonthClock(start, stop, life_months)
