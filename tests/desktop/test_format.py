"""Dates on screen: four-digit years, and a US form where the OS names no locale."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QLocale

from desktop import format as fmt


@pytest.fixture
def locale_named():
    before = QLocale()

    def use(locale: QLocale) -> None:
        QLocale.setDefault(locale)
        fmt._cache.clear()

    yield use
    QLocale.setDefault(before)
    fmt._cache.clear()


def test_without_a_locale_dates_read_the_us_way_with_four_digit_years(locale_named):
    locale_named(QLocale.c())
    assert fmt.date_text(date(1951, 3, 1)) == "3/1/1951"
    assert fmt.date_text(None) == ""


def test_a_named_locale_keeps_its_order_but_not_a_two_digit_year(locale_named):
    locale_named(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    assert fmt.date_text(date(2026, 11, 21)) == "21.11.2026"
    locale_named(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    assert fmt.date_text(date(2026, 11, 21)) == "11/21/2026"


def test_a_moment_shows_its_day_and_time(locale_named):
    locale_named(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    text = fmt.when_text(datetime(2026, 11, 21, 15, 30, tzinfo=UTC))
    assert "/2026" in text and ":" in text
