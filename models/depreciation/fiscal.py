"""Calendar arithmetic the engine needs: month numbers and fiscal years.

A *month number* counts months since year 0 (``year * 12 + month - 1``), so
that "how many months between" is a subtraction. Fiscal years are named by
the calendar year in which they end: with a July start, FY2026 runs from
2025-07-01 to 2026-06-30; with a January start, FY2026 is calendar 2026.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_start(number: int) -> date:
    year, month_index = divmod(number, 12)
    return date(year, month_index + 1, 1)


def month_end(number: int) -> date:
    return month_start(number + 1) - timedelta(days=1)


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, kept inside short months (Jan 31 + 1 = Feb 28/29)."""
    year, month_index = divmod(month_number(day) + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def fiscal_year_of_month(number: int, start_month: int = 7) -> int:
    year, month_index = divmod(number, 12)
    return year + 1 if start_month > 1 and month_index + 1 >= start_month else year


def fiscal_year_of(day: date, start_month: int = 7) -> int:
    """The fiscal year containing ``day``, named by the calendar year it ends in."""
    return fiscal_year_of_month(month_number(day), start_month)


def fiscal_year_first_month(fiscal_year: int, start_month: int = 7) -> int:
    """Month number of the first month of ``fiscal_year``."""
    start_year = fiscal_year - 1 if start_month > 1 else fiscal_year
    return start_year * 12 + start_month - 1


def fiscal_year_bounds(fiscal_year: int, start_month: int = 7) -> tuple[date, date]:
    """First and last day of ``fiscal_year``."""
    first = fiscal_year_first_month(fiscal_year, start_month)
    return month_start(first), month_end(first + 11)


def months_left_in_fiscal_year(number: int, start_month: int = 7) -> int:
    """Months from month ``number`` to the end of its fiscal year, both counted (1..12)."""
    return 12 - (number - (start_month - 1)) % 12
