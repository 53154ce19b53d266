"""How numbers, money and dates look on screen: the way the user's OS shows them.

Two departures: years always have four digits (an asset bought in 1951 must not read as
2051), and where the OS names no locale at all (the "C" locale of a bare Linux session)
dates are written the way a US district writes them rather than as "21 11 2026".
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QDate, QDateTime, QLocale, QTimeZone

from models.money import format_money


def money_text(amount: Decimal | None) -> str:
    return format_money(amount)


def month_name(month: int) -> str:
    return calendar.month_name[month]


def date_text(day: date | None) -> str:
    if day is None:
        return ""
    locale, day_format, _ = _formats()
    return locale.toString(QDate(day.year, day.month, day.day), day_format)


def when_text(moment: datetime) -> str:
    """A UTC timestamp in the user's local time, short form."""
    stamp = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())
    locale, day_format, time_format = _formats()
    return locale.toString(stamp, f"{day_format} {time_format}")


_cache: dict[str, tuple[QLocale, str, str]] = {}


def _formats() -> tuple[QLocale, str, str]:
    """The locale dates are written in, its short date format with a four-digit year, its time format."""
    name = QLocale().name()
    if name not in _cache:
        locale = QLocale()
        if locale.language() == QLocale.Language.C:
            locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
        day_format = locale.dateFormat(QLocale.FormatType.ShortFormat)
        if "yyyy" not in day_format:
            day_format = day_format.replace("yy", "yyyy")
        _cache[name] = (locale, day_format, locale.timeFormat(QLocale.FormatType.ShortFormat))
    return _cache[name]
