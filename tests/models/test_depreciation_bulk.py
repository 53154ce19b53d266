"""The numpy path gives exactly what the per-asset engine gives."""

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.depreciation import (
    Convention,
    DepreciationInputError,
    DepreciationInputs,
    Method,
    fiscal_year_figures,
    fiscal_year_of,
)
from models.depreciation.bulk import AssetArrays, fiscal_year_depreciation
from tests.models.test_depreciation_strategies import asset_inputs


def assert_same_as_engine(assets, fiscal_year, fy_start_month):
    result = fiscal_year_depreciation(AssetArrays.from_inputs(assets), fiscal_year, fy_start_month)
    for row, inputs in enumerate(assets):
        expected = fiscal_year_figures(inputs, fiscal_year)
        got = (
            int(result.depreciation_cents[row]),
            int(result.accumulated_start_cents[row]),
            int(result.accumulated_end_cents[row]),
            int(result.book_value_end_cents[row]),
        )
        assert got == (
            expected.depreciation_cents,
            expected.accumulated_start_cents,
            expected.accumulated_end_cents,
            expected.book_value_end_cents,
        ), (row, inputs)
    for column in (result.depreciation_cents, result.book_value_end_cents):
        assert column.dtype == np.int64


@given(
    fy_start_month=st.integers(1, 12),
    data=st.data(),
    year_offset=st.integers(-2, 25),
)
@settings(max_examples=60)
def test_bulk_equals_engine_on_random_districts(fy_start_month, data, year_offset):
    assets = data.draw(st.lists(asset_inputs(fy_start_month=fy_start_month, changes=True), min_size=1, max_size=25))
    fiscal_year = fiscal_year_of(assets[0].in_service, fy_start_month) + year_offset
    assert_same_as_engine(assets, fiscal_year, fy_start_month)


@pytest.mark.parametrize("method", list(Method))
@pytest.mark.parametrize("convention", list(Convention))
def test_bulk_equals_engine_for_every_year_of_a_life(method, convention):
    assets = [
        DepreciationInputs(
            cost_cents=1234567, salvage_cents=34567, life_months=life, method=method, convention=convention,
            in_service=in_service, switch_to_straight_line=switch, disposal=disposal,
        )
        for life in (1, 7, 12, 30, 61)
        for in_service in (date(2024, 2, 29), date(2023, 7, 1), date(2023, 8, 15), date(2023, 8, 16), date(2023, 6, 30))
        for switch in (False, True)
        for disposal in (None, date(2025, 3, 16))
        if disposal is None or disposal >= in_service
    ]
    for fiscal_year in range(2022, 2031):
        assert_same_as_engine(assets, fiscal_year, 7)


def test_not_depreciable_rows_keep_their_cost():
    inputs = DepreciationInputs(
        cost_cents=900000, salvage_cents=0, life_months=60, method=Method.DECLINING_BALANCE,
        convention=Convention.HALF_YEAR, in_service=date(2020, 1, 1), depreciable=False,
    )
    result = fiscal_year_depreciation(AssetArrays.from_inputs([inputs]), 2021)
    assert int(result.depreciation_cents[0]) == 0
    assert int(result.book_value_end_cents[0]) == 900000


def test_bulk_rejects_salvage_above_cost_naming_the_column_and_row():
    good = DepreciationInputs(
        cost_cents=100, salvage_cents=0, life_months=12, method=Method.STRAIGHT_LINE,
        convention=Convention.FULL_MONTH, in_service=date(2020, 1, 1),
    )
    arrays = AssetArrays.from_inputs([good, good])
    salvage = arrays.salvage_cents.copy()
    salvage[1] = 101
    with pytest.raises(DepreciationInputError) as raised:
        AssetArrays(**{**arrays.__dict__, "salvage_cents": salvage})
    assert raised.value.field == "salvage_cents"
    assert "row 1" in str(raised.value)
