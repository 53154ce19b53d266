"""Invariants of every schedule, for every method × convention."""

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.depreciation import (
    Convention,
    DepreciationInputs,
    Method,
    fiscal_year_bounds,
    fiscal_year_figures,
    fiscal_year_of,
    schedule,
)
from tests.models.test_depreciation_strategies import asset_inputs, service_dates

COMBINATIONS = list(itertools.product(Method, Convention))


def check_invariants(inputs):
    result = schedule(inputs)
    if not inputs.depreciable:
        assert result.months == () and result.book_value_cents == inputs.cost_cents
        return
    months = result.months
    assert months, "a depreciable asset lists at least its in-service month"
    assert months[0].period_start == date(inputs.in_service.year, inputs.in_service.month, 1)
    accumulated = 0
    for month in months:
        assert month.depreciation_cents >= 0
        accumulated += month.depreciation_cents
        assert month.accumulated_cents == accumulated
        assert month.book_value_cents == inputs.cost_cents - accumulated
        assert month.book_value_cents >= inputs.salvage_cents or inputs.estimate_changes
        assert month.fiscal_year == fiscal_year_of(month.period_start, inputs.fy_start_month)
    assert sum(year.depreciation_cents for year in result.fiscal_years) == accumulated
    for year in result.fiscal_years:
        assert (year.period_start, year.period_end) == fiscal_year_bounds(year.fiscal_year, inputs.fy_start_month)
        figures = fiscal_year_figures(inputs, year.fiscal_year)
        assert figures.depreciation_cents == year.depreciation_cents
        assert figures.accumulated_end_cents == year.accumulated_cents
    if inputs.disposal is None and not inputs.estimate_changes:
        assert accumulated == inputs.cost_cents - inputs.salvage_cents, "ends exactly at cost − salvage"
    if inputs.disposal is not None:
        assert result.gain_loss_cents == inputs.proceeds_cents - result.book_value_cents


@pytest.mark.parametrize(("method", "convention"), COMBINATIONS)
@given(
    cost=st.integers(0, 10**10),
    salvage_share=st.integers(0, 100),
    life=st.integers(1, 180),
    in_service=service_dates,
    fy_start_month=st.integers(1, 12),
)
@settings(max_examples=15)
def test_every_method_and_convention_ends_at_cost_minus_salvage(
    method, convention, cost, salvage_share, life, in_service, fy_start_month
):
    check_invariants(
        DepreciationInputs(
            cost_cents=cost,
            salvage_cents=cost * salvage_share // 100,
            life_months=life,
            method=method,
            convention=convention,
            in_service=in_service,
            fy_start_month=fy_start_month,
            switch_to_straight_line=life % 2 == 0,
        )
    )


@given(asset_inputs(changes=True))
@settings(max_examples=150)
def test_invariants_hold_with_disposals_and_changes_of_estimate(inputs):
    check_invariants(inputs)


@pytest.mark.parametrize(("method", "convention"), COMBINATIONS)
def test_salvage_equal_to_cost_depreciates_nothing(method, convention):
    result = schedule(
        DepreciationInputs(
            cost_cents=500000, salvage_cents=500000, life_months=60, method=method,
            convention=convention, in_service=date(2024, 3, 16),
        )
    )
    assert all(month.depreciation_cents == 0 for month in result.months)
    assert result.book_value_cents == 500000
