"""Money and the field rules: exact amounts, readable errors that name the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import ValidationError
from models.money import (
    MAX_AMOUNT,
    format_money,
    from_cents,
    parse_money,
    to_cents,
    to_money,
)
from models.rules import capitalization_rule, federal_equipment_threshold, is_federal_equipment
from models.schema import AssetStatus
from models.services import validation as v

cents = st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1234.5", "1234.50"),
        ("$1,234.56", "1234.56"),
        ("  $ 12 ", "12.00"),
        ("(12.00)", "-12.00"),
        ("-$3.10", "-3.10"),
        ("$-3.10", "-3.10"),
        (".5", "0.50"),
        ("0.005", "0.01"),  # half up, as a ledger rounds
        ("0.004", "0.00"),
        ("2.675", "2.68"),  # a float would make this 2.67
    ],
)
def test_parse_money(typed, amount):
    assert parse_money(typed) == Decimal(amount)
    assert parse_money(typed).as_tuple().exponent == -2


@pytest.mark.parametrize("typed", ["", "   ", "abc", "1.2.3", "--5", "12e3", "$", "1,23x", "NaN", "(12.00", "12.00)"])
def test_parse_money_refuses_what_is_not_money(typed):
    with pytest.raises(ValueError):
        parse_money(typed)


def test_floats_are_never_money():
    with pytest.raises(TypeError):
        to_money(0.1)


@given(cents)
def test_cents_round_trip(c):
    amount = from_cents(c)
    assert to_cents(amount) == c
    assert amount == Decimal(c) / 100


@given(cents)
def test_formatted_money_parses_back(c):
    amount = from_cents(c)
    assert parse_money(format_money(amount)) == amount


@given(cents)
def test_plain_text_parses_exactly(c):
    amount = from_cents(c)
    assert parse_money(str(amount)) == amount
    assert to_money(str(amount)) == amount


@given(st.lists(st.integers(0, 10**9), max_size=50))
def test_sums_of_money_are_exact(cent_list):
    amounts = [from_cents(c) for c in cent_list]
    assert sum(amounts, Decimal("0.00")) == from_cents(sum(cent_list))


def test_format_money():
    assert format_money(Decimal("1234.5")) == "$1,234.50"
    assert format_money(Decimal("-12")) == "($12.00)"
    assert format_money(None) == ""


# -- validation rules ---------------------------------------------------------------------------


def test_money_field():
    assert v.money("cost", "$5,000") == Decimal("5000.00")
    assert v.money("cost", None) is None
    assert v.money("cost", 7) == Decimal("7.00")
    for bad, reason in [
        ("-1", "negative"),
        ("(1.00)", "negative"),
        ("lots", "not an amount"),
        (1.5, "float"),
        (MAX_AMOUNT + 1, "larger"),
    ]:
        with pytest.raises(ValidationError) as raised:
            v.money("cost", bad)
        assert raised.value.field == "cost"
        assert reason in raised.value.reason
    with pytest.raises(ValidationError, match="cost: is required"):
        v.money("cost", "  ", required=True)


def test_day_field():
    assert v.day("acquired_on", "2024-07-01") == date(2024, 7, 1)
    assert v.day("acquired_on", date(2024, 7, 1)) == date(2024, 7, 1)
    assert v.day("acquired_on", "") is None
    with pytest.raises(ValidationError, match="acquired_on: '07/01/2024' is not a date"):
        v.day("acquired_on", "07/01/2024")
    with pytest.raises(ValidationError, match="not a plausible date"):
        v.day("acquired_on", date(1849, 12, 31))
    with pytest.raises(ValidationError, match="not a plausible date"):
        v.day("acquired_on", date(2031, 1, 1), today=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="must be a date"):
        v.day("acquired_on", 20240701)


def test_text_field():
    assert v.text("tag", "  A-1  ", max_length=8) == "A-1"
    assert v.text("serial", "   ", max_length=8) is None
    with pytest.raises(ValidationError, match="tag: is 9 characters long; the limit is 8"):
        v.text("tag", "123456789", max_length=8)
    with pytest.raises(ValidationError, match="must be text"):
        v.text("tag", 12, max_length=8)


def test_whole_number_field():
    assert v.whole_number("useful_life_months", "60", minimum=1) == 60
    assert v.whole_number("useful_life_months", Decimal("60"), minimum=1) == 60
    for bad in ("sixty", 60.0, Decimal("60.5"), 0):
        with pytest.raises(ValidationError) as raised:
            v.whole_number("useful_life_months", bad, minimum=1)
        assert raised.value.field == "useful_life_months"


def test_choice_and_flag_fields():
    assert v.choice("status", "lost", AssetStatus) is AssetStatus.LOST
    with pytest.raises(ValidationError, match="status: 'gone' is not one of: on_order"):
        v.choice("status", "gone", AssetStatus)
    assert v.flag("capitalized", False) is False
    with pytest.raises(ValidationError, match="yes or no"):
        v.flag("capitalized", "yes")


# -- district rules -----------------------------------------------------------------------------


@given(cents.filter(lambda c: c >= 0), st.integers(0, 10**8))
def test_capitalized_exactly_at_or_above_the_threshold(cost_cents, threshold_cents):
    assert capitalization_rule(from_cents(cost_cents), from_cents(threshold_cents)) is (
        cost_cents >= threshold_cents
    )


def test_federal_equipment():
    assert federal_equipment_threshold(Decimal("5000")) == Decimal("5000")
    assert federal_equipment_threshold(Decimal("25000")) == Decimal("10000.00")
    assert is_federal_equipment(Decimal("10000.00"), Decimal("25000"), 1)
    assert not is_federal_equipment(Decimal("9999.99"), Decimal("25000"), 10000)
    assert not is_federal_equipment(Decimal("50000"), Decimal("5000"), 0)
    assert is_federal_equipment(Decimal("5000.00"), Decimal("5000"), 2500)
