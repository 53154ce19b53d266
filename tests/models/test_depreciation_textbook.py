"""Published worked examples: spreadsheet functions and textbook tables."""

from datetime import date
from decimal import Decimal

import pytest

from models.depreciation import Convention, DepreciationInputs, Method, schedule


def annual(cost, salvage, years, method, *, factor=Decimal(2), switch=False, convention=Convention.FULL_YEAR):
    """Fiscal-year amounts (cents) for an asset in service on the first day of FY2021."""
    inputs = DepreciationInputs(
        cost_cents=cost * 100,
        salvage_cents=salvage * 100,
        life_months=12 * years,
        method=method,
        convention=convention,
        in_service=date(2020, 7, 1),
        factor=factor,
        switch_to_straight_line=switch,
    )
    return [period.depreciation_cents for period in schedule(inputs).fiscal_years]


def test_sln_30000_7500_10_is_2250_a_year():
    assert annual(30000, 7500, 10, Method.STRAIGHT_LINE) == [225000] * 10


def test_sln_with_full_month_convention_gives_the_same_years():
    amounts = annual(30000, 7500, 10, Method.STRAIGHT_LINE, convention=Convention.FULL_MONTH)
    assert amounts == [225000] * 10


def test_syd_30000_7500_10_matches_the_spreadsheet_function():
    # SYD(30000, 7500, 10, n) for n = 1..10
    expected = [409091, 368182, 327273, 286364, 245455, 204545, 163636, 122727, 81818, 40909]
    assert annual(30000, 7500, 10, Method.SUM_OF_YEARS_DIGITS) == expected


def test_ddb_2400_300_10_matches_the_spreadsheet_function():
    amounts = annual(2400, 300, 10, Method.DECLINING_BALANCE)
    assert amounts[0] == 48000  # DDB(2400, 300, 10, 1)
    assert amounts[1] == 38400  # DDB(2400, 300, 10, 2)
    assert amounts[:9] == [48000, 38400, 30720, 24576, 19661, 15729, 12583, 10066, 8053]
    assert sum(amounts) == 210000  # the last year brings book value to salvage


def test_db_factor_one_and_a_half_matches_ddb_with_factor():
    # DDB(2400, 300, 10, 2, 1.5) = 306.00
    assert annual(2400, 300, 10, Method.DECLINING_BALANCE, factor=Decimal("1.5"))[:2] == [36000, 30600]


def test_textbook_double_declining_five_years_with_salvage():
    # 40 %, 24 %, 14.4 %, 8.64 % of cost, the last year only down to salvage.
    assert annual(10000, 1000, 5, Method.DECLINING_BALANCE) == [400000, 240000, 144000, 86400, 29600]


def test_textbook_double_declining_five_years_no_salvage_plugs_the_last_year():
    assert annual(10000, 0, 5, Method.DECLINING_BALANCE) == [400000, 240000, 144000, 86400, 129600]


def test_textbook_double_declining_switching_to_straight_line_as_vdb_does():
    # VDB(10000, 0, 5, y-1, y): 4000, 2400, 1440, 1080, 1080
    assert annual(10000, 0, 5, Method.DECLINING_BALANCE, switch=True) == [
        400000, 240000, 144000, 108000, 108000,
    ]


def test_switch_never_happens_when_declining_balance_stays_larger():
    with_switch = annual(10000, 1000, 5, Method.DECLINING_BALANCE, switch=True)
    assert with_switch == [400000, 240000, 144000, 86400, 29600]


def test_declining_balance_never_goes_below_salvage_with_high_salvage():
    # 2400 → 1440 would be below a 2000 salvage: year one stops at salvage.
    assert annual(2400, 2000, 5, Method.DECLINING_BALANCE) == [40000, 0, 0, 0, 0]


def test_half_year_ddb_splits_asset_years_across_fiscal_years():
    amounts = annual(10000, 1000, 5, Method.DECLINING_BALANCE, convention=Convention.HALF_YEAR)
    # Half of 4000; 2000 + 1200; 1200 + 720; 720 + 432; 432 + 148; 148.
    assert amounts == [200000, 320000, 192000, 115200, 58000, 14800]


def test_half_year_straight_line_is_half_first_and_last_year():
    amounts = annual(12000, 0, 5, Method.STRAIGHT_LINE, convention=Convention.HALF_YEAR)
    assert amounts == [120000, 240000, 240000, 240000, 240000, 120000]


def test_vdb_partial_first_year_with_mid_month_convention():
    # VDB(2400, 300, 10, 0, 0.875, 1.5) = 315.00: 10.5 months of the first year.
    inputs = DepreciationInputs(
        cost_cents=240000,
        salvage_cents=30000,
        life_months=120,
        method=Method.DECLINING_BALANCE,
        convention=Convention.MID_MONTH,
        in_service=date(2020, 8, 15),
        factor=Decimal("1.5"),
    )
    assert schedule(inputs).fiscal_years[0].depreciation_cents == 31500


def test_straight_line_months_round_without_drift():
    inputs = DepreciationInputs(
        cost_cents=100000,
        salvage_cents=0,
        life_months=3,
        method=Method.STRAIGHT_LINE,
        convention=Convention.FULL_MONTH,
        in_service=date(2024, 1, 10),
    )
    assert [month.depreciation_cents for month in schedule(inputs).months] == [33333, 33334, 33333]


@pytest.mark.parametrize("start_month", range(1, 13))
def test_full_year_convention_follows_any_fiscal_year_start(start_month):
    inputs = DepreciationInputs(
        cost_cents=3000000,
        salvage_cents=750000,
        life_months=120,
        method=Method.SUM_OF_YEARS_DIGITS,
        convention=Convention.FULL_YEAR,
        in_service=date(2021, start_month, 20),
        fy_start_month=start_month,
    )
    years = schedule(inputs).fiscal_years
    assert years[0].depreciation_cents == 409091
    assert len(years) == 10
    assert years[0].period_start == date(2021, start_month, 1)
