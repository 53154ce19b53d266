"""Each normalisation rule of the importer, one cell at a time."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from models.importing import normalise as norm
from models.schema import AssetStatus, Condition

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("$1,234.50", Decimal("1234.50")),
        ("1234.5", Decimal("1234.50")),
        ("  $ 12 ", Decimal("12.00")),
        ("1,234,567.891", Decimal("1234567.89")),
        (".5", Decimal("0.50")),
        ("-", Decimal("0.00")),
        ("$-", Decimal("0.00")),
        (1234.5, Decimal("1234.50")),
        (0.1, Decimal("0.10")),
        (329, Decimal("329.00")),
        ("", None),
        (None, None),
    ],
)
def test_money_reads_what_people_type(cell, expected):
    assert norm.money(cell) == expected


def test_money_in_parentheses_is_negative_and_refused_as_a_cost():
    assert norm.money("(12.00)", allow_negative=True) == Decimal("-12.00")
    assert norm.money("12.00-", allow_negative=True) == Decimal("-12.00")
    with pytest.raises(norm.CellError, match="negative"):
        norm.money("(12.00)")
    with pytest.raises(norm.CellError, match="negative"):
        norm.money("-5")


@pytest.mark.parametrize("cell", ["12 dollars", "1.2.3", "(12.00", "$$5", "1,23", "abc", float("nan"), True])
def test_money_refuses_what_is_not_money(cell):
    with pytest.raises(norm.CellError):
        norm.money(cell)


def test_money_refuses_amounts_beyond_the_register():
    with pytest.raises(norm.CellError, match="larger"):
        norm.money("1000000000000.00")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("4/5/16", date(2016, 4, 5)),
        ("04/05/2016", date(2016, 4, 5)),
        ("12/31/99", date(1999, 12, 31)),
        ("2016-04-05", date(2016, 4, 5)),
        ("2016-04-05T00:00:00", date(2016, 4, 5)),
        ("Apr 5, 2016", date(2016, 4, 5)),
        ("April 5 2016", date(2016, 4, 5)),
        ("Sept. 30, 2024", date(2024, 9, 30)),
        ("5-Apr-2016", date(2016, 4, 5)),
        (42465, date(2016, 4, 5)),  # Excel serial
        (42465.75, date(2016, 4, 5)),
        ("42465", date(2016, 4, 5)),
        (datetime(2016, 4, 5, 13, 30), date(2016, 4, 5)),
        (date(2016, 4, 5), date(2016, 4, 5)),
        ("", None),
    ],
)
def test_dates_in_us_iso_word_and_excel_forms(cell, expected):
    assert norm.day(cell, today=TODAY) == expected


@pytest.mark.parametrize("cell", ["13/45/2021", "2/30/2020", "someday", "2016/13/01", True])
def test_dates_that_are_not_dates_are_refused(cell):
    with pytest.raises(norm.CellError):
        norm.day(cell, today=TODAY)


@pytest.mark.parametrize("cell", ["1/1/1849", "1/1/2031", 0, -5, 3_000_000])
def test_dates_out_of_range_are_refused(cell):
    with pytest.raises(norm.CellError):
        norm.day(cell, today=TODAY)


def test_acquisition_dates_may_not_lie_in_the_future():
    with pytest.raises(norm.CellError, match="out of range"):
        norm.day("12/1/2026", today=TODAY, future_days=0)
    assert norm.day("11/21/2026", today=TODAY, future_days=0) == TODAY


def test_serials_are_trimmed_and_matched_without_case_or_spaces():
    assert norm.serial("  ab 12cd ") == "ab 12cd"
    assert norm.serial_key(norm.serial("  ab 12cd ")) == "AB12CD"
    assert norm.serial(12345.0) == "12345"


@pytest.mark.parametrize("cell", ["6.37702E+15", "5.02E+18", "3.54962e+15", 6.37702e15 + 0.5])
def test_a_serial_in_scientific_notation_is_refused_not_stored(cell):
    with pytest.raises(norm.CellError, match="scientific notation|rounded"):
        norm.serial(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Ready to Deploy", AssetStatus.IN_STORAGE),
        ("Deployed", AssetStatus.IN_SERVICE),
        ("Pending", AssetStatus.ON_ORDER),
        ("Undeployable", AssetStatus.IN_REPAIR),
        ("Broken", AssetStatus.IN_REPAIR),
        ("Out for Repair", AssetStatus.IN_REPAIR),
        ("Lost/Stolen", AssetStatus.LOST),
        ("Stolen", AssetStatus.STOLEN),
        ("Archived", AssetStatus.IN_STORAGE),
        ("in_service", AssetStatus.IN_SERVICE),
        ("IN SERVICE", AssetStatus.IN_SERVICE),
    ],
)
def test_statuses_by_synonym(cell, expected):
    assert norm.status(cell) is expected


def test_a_disposal_status_is_refused_with_the_reason():
    assert norm.status("Disposed") is AssetStatus.DISPOSED  # as exported; the plan refuses the change
    with pytest.raises(norm.CellError, match="does not dispose"):
        norm.status("Surplus")
    with pytest.raises(norm.CellError, match="not a status"):
        norm.status("Sideways")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("Good", Condition.GOOD), ("Excellent", Condition.NEW), ("Damaged", Condition.BROKEN),
     ("Broken", Condition.BROKEN), ("needs repair", Condition.POOR), ("FAIR", Condition.FAIR)],
)
def test_conditions_by_synonym(cell, expected):
    assert norm.condition(cell) is expected


def test_whole_numbers_and_percentages():
    assert norm.whole_number("1,200") == 1200
    assert norm.whole_number(36.0) == 36
    with pytest.raises(norm.CellError):
        norm.whole_number("3.5")
    assert norm.percent("80%") == Decimal("80.00")
    assert norm.percent(0.8) == Decimal("80.00")
    with pytest.raises(norm.CellError):
        norm.percent("120")
