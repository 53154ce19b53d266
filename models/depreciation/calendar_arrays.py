"""Calendar arithmetic on numpy day counts, by table look-up.

numpy converts ``datetime64[D]`` to months with a per-element calendar
computation that costs more than the whole depreciation formula; a look-up
in a table of every day from 1800 to 2399 is one gather. Day counts are days
since 1970-01-01 (``datetime64[D].view(np.int64)``); month numbers here are
months since 1970-01.
"""

from __future__ import annotations

from functools import cache

import numpy as np

FIRST_DAY = np.datetime64("1800-01-01")
LAST_DAY = np.datetime64("2399-12-31")
_FIRST_DAY_COUNT = int(FIRST_DAY.view(np.int64))
_FIRST_MONTH_COUNT = int(FIRST_DAY.astype("datetime64[M]").view(np.int64))


@cache
def _day_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    days = np.arange(FIRST_DAY, LAST_DAY + 1, dtype="datetime64[D]")
    months = days.astype("datetime64[M]")
    day_of_month = ((days - months.astype("datetime64[D]")).view(np.int64) + 1).astype(np.int8)
    month_of_year = (months.view(np.int64) % 12).astype(np.int8)
    half_key = (2 * month_of_year + (day_of_month > 15)).astype(np.uint8)
    return months.view(np.int64), day_of_month, month_of_year, half_key


@cache
def _month_tables() -> tuple[np.ndarray, np.ndarray]:
    # Months up to 2500 cover a 100-year life from the last day in range.
    months = np.arange(FIRST_DAY.astype("datetime64[M]"), np.datetime64("2501-01"), dtype="datetime64[M]")
    first_days = months.astype("datetime64[D]").view(np.int64)
    lengths = np.diff(np.append(first_days, first_days[-1] + 31))
    return first_days, lengths


def in_range(days: np.ndarray) -> np.ndarray:
    return (days >= _FIRST_DAY_COUNT) & (days <= int(LAST_DAY.view(np.int64)))


def month_of(days: np.ndarray) -> np.ndarray:
    """Month number of each day count."""
    return _day_tables()[0].take(days - _FIRST_DAY_COUNT)


def day_of_month(days: np.ndarray) -> np.ndarray:
    """Day of the month (1..31), as int8."""
    return _day_tables()[1].take(days - _FIRST_DAY_COUNT)


def month_of_year(days: np.ndarray) -> np.ndarray:
    """Month of the year, 0 = January, as int8."""
    return _day_tables()[2].take(days - _FIRST_DAY_COUNT)


def month_and_half(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Month number, and ``2 × month of year + (day after the 15th)`` as uint8 (0..23)."""
    index = days - _FIRST_DAY_COUNT
    tables = _day_tables()
    return tables[0].take(index), tables[3].take(index)


def first_day_of(months: np.ndarray) -> np.ndarray:
    return _month_tables()[0].take(months - _FIRST_MONTH_COUNT)


def add_months(months: np.ndarray, day: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Vectorised ``fiscal.add_months``: day ``day`` of month ``months + count``, kept in the month."""
    target = months + count - _FIRST_MONTH_COUNT
    first_days, lengths = _month_tables()
    return first_days.take(target) + np.minimum(day.astype(np.int64), lengths.take(target)) - 1
