"""How numbers, money and dates look on screen: the way the user's OS shows them."""

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
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


def when_text(moment: datetime) -> str:
    """A UTC timestamp in the user's local time, short form."""
    stamp = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())
    return QLocale().toString(stamp, QLocale.FormatType.ShortFormat)
