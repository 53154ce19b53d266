"""Bad inputs are refused by name; disposal and changes of estimate behave."""

from datetime import date
from decimal import Decimal

import pytest

from models.depreciation import (
    Convention,
    DepreciationInputError,
    DepreciationInputs,
    EstimateChange,
    Method,
    schedule,
)

BASE = dict(
    cost_cents=1200000, salvage_cents=0, life_months=60, method=Method.STRAIGHT_LINE,
    convention=Convention.FULL_MONTH, in_service=date(2024, 7, 1),
)


def inputs(**changes):
    return DepreciationInputs(**{**BASE, **changes})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"life_months": 0}, "life_months"),
        ({"life_months": -12}, "life_months"),
        ({"cost_cents": -1}, "cost_cents"),
        ({"cost_cents": 100.0}, "cost_cents"),
        ({"salvage_cents": 1200001}, "salvage_cents"),
        ({"salvage_cents": -5}, "salvage_cents"),
        ({"factor": Decimal(0)}, "factor"),
        ({"factor": 2.0}, "factor"),
        ({"method": "double_declining"}, "method"),
        ({"convention": "half_month"}, "convention"),
        ({"fy_start_month": 13}, "fy_start_month"),
        ({"disposal": date(2024, 6, 30)}, "disposal"),
        ({"proceeds_cents": 100}, "proceeds_cents"),
        ({"estimate_changes": (EstimateChange(date(2024, 6, 1), life_months=72),)}, "estimate_changes[0].effective"),
    ],
)
def test_bad_input_names_the_field(changes, field):
    with pytest.raises(DepreciationInputError) as raised:
        inputs(**changes)
    assert raised.value.field == field
    assert isinstance(raised.value, ValueError)
    assert str(raised.value).startswith(field)


def test_zero_life_message_is_plain():
    with pytest.raises(DepreciationInputError, match="useful life must be at least one month"):
        inputs(life_months=0)


def test_strings_from_the_database_are_accepted_as_method_and_convention():
    result = inputs(method="straight_line", convention="full_month")
    assert result.method is Method.STRAIGHT_LINE and result.convention is Convention.FULL_MONTH


def test_land_is_not_depreciated():
    result = schedule(inputs(depreciable=False, disposal=date(2030, 1, 5), proceeds_cents=1500000))
    assert result.months == () and result.fiscal_years == ()
    assert result.book_value_cents == 1200000
    assert result.gain_loss_cents == 300000


def test_disposal_in_the_first_month_under_full_month_takes_nothing():
    result = schedule(inputs(disposal=date(2024, 7, 20), proceeds_cents=1100000))
    assert [m.depreciation_cents for m in result.months] == [0]
    assert result.gain_loss_cents == -100000


def test_disposal_in_the_first_month_under_next_month_takes_a_month():
    result = schedule(inputs(convention=Convention.NEXT_MONTH, in_service=date(2024, 6, 10), disposal=date(2024, 7, 20)))
    assert [m.depreciation_cents for m in result.months] == [0, 20000]


def test_disposal_mid_life_stops_depreciation_and_gives_gain_or_loss():
    result = schedule(inputs(disposal=date(2026, 1, 10), proceeds_cents=800000))
    assert result.months[-1].period_start == date(2026, 1, 1)
    assert result.accumulated_cents == 18 * 20000  # July 2024 .. December 2025
    assert result.gain_loss_cents == 800000 - (1200000 - 360000)


def test_disposal_in_the_last_period_and_after_life():
    last = schedule(inputs(disposal=date(2029, 6, 20)))
    assert last.accumulated_cents == 59 * 20000
    after = schedule(inputs(disposal=date(2035, 1, 1), proceeds_cents=0))
    assert after.accumulated_cents == 1200000 and after.gain_loss_cents == 0
    assert after.months[-1].period_start == date(2029, 6, 1)


def test_half_year_disposal_takes_half_a_year_in_the_disposal_year():
    result = schedule(inputs(convention=Convention.HALF_YEAR, disposal=date(2026, 8, 1)))
    assert [y.depreciation_cents for y in result.fiscal_years] == [120000, 240000, 120000]


def test_full_year_disposal_takes_nothing_in_the_disposal_year():
    result = schedule(inputs(convention=Convention.FULL_YEAR, disposal=date(2026, 8, 1)))
    assert [y.depreciation_cents for y in result.fiscal_years] == [240000, 240000, 0]


def test_actual_days_counts_leap_days():
    result = schedule(inputs(convention=Convention.ACTUAL_DAYS, life_months=12, in_service=date(2024, 2, 1)))
    february = result.months[0]
    assert february.depreciation_cents == 95082  # $12,000 × 29 ÷ 366 days, rounded
    assert result.accumulated_cents == 1200000


def test_nearest_month_on_the_15th_and_16th():
    on_15th = schedule(inputs(convention=Convention.NEAREST_MONTH, in_service=date(2024, 7, 15)))
    on_16th = schedule(inputs(convention=Convention.NEAREST_MONTH, in_service=date(2024, 7, 16)))
    assert on_15th.months[0].depreciation_cents == 20000
    assert on_16th.months[0].depreciation_cents == 0 and on_16th.months[1].depreciation_cents == 20000


def test_mid_month_takes_half_at_both_ends():
    result = schedule(inputs(convention=Convention.MID_MONTH, in_service=date(2024, 7, 31)))
    amounts = [m.depreciation_cents for m in result.months]
    assert amounts[0] == amounts[-1] == 10000 and len(amounts) == 61


def test_change_of_estimate_spreads_remaining_book_value_over_remaining_life():
    # Two years used; life extended from 5 to 8 years and salvage set to $600.00 from FY2027.
    result = schedule(
        inputs(estimate_changes=(EstimateChange(date(2026, 7, 15), life_months=96, salvage_cents=60000),))
    )
    years = [y.depreciation_cents for y in result.fiscal_years]
    assert years[:2] == [240000, 240000]
    assert years[2:] == [110000] * 6  # ($12,000 − $4,800 − $600) ÷ 6 remaining years
    assert result.book_value_cents == 60000


def test_change_of_estimate_to_a_life_already_used_is_refused():
    with pytest.raises(DepreciationInputError) as raised:
        schedule(inputs(estimate_changes=(EstimateChange(date(2027, 7, 1), life_months=24),)))
    assert raised.value.field == "estimate_changes[0].life_months"


def test_change_of_method_applies_to_the_remaining_book_value():
    result = schedule(
        inputs(estimate_changes=(EstimateChange(date(2025, 7, 1), method=Method.SUM_OF_YEARS_DIGITS),))
    )
    years = [y.depreciation_cents for y in result.fiscal_years]
    assert years[0] == 240000
    assert years[1:] == [384000, 288000, 192000, 96000]  # 960,000 over digits 4, 3, 2, 1
