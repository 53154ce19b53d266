"""Hypothesis strategies for depreciation inputs, shared by the property tests."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from models.depreciation import Convention, DepreciationInputs, EstimateChange, Method

service_dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31)) | st.sampled_from(
    [date(2024, 2, 29), date(2020, 2, 29), date(2023, 1, 31), date(2024, 1, 15), date(2024, 1, 16),
     date(2024, 6, 30), date(2024, 7, 1), date(2024, 12, 31)]
)
factors = st.sampled_from([Decimal(2), Decimal("1.5"), Decimal("1.25"), Decimal(1), Decimal("3.333")])


@st.composite
def asset_inputs(draw, *, fy_start_month=None, changes=False, disposals=True, max_life=240):
    cost = draw(st.integers(0, 10**9) | st.sampled_from([0, 1, 99, 100, 240000, 3000000]))
    salvage = draw(st.integers(0, cost) | st.sampled_from([0, cost]))
    life = draw(st.integers(1, max_life) | st.sampled_from([1, 11, 12, 13, 36, 60, 120]))
    in_service = draw(service_dates)
    disposal = None
    if disposals and draw(st.booleans()):
        disposal = in_service + timedelta(days=draw(st.integers(0, 31 * life + 400)))
    estimate_changes = ()
    if changes and draw(st.booleans()):
        months = draw(st.integers(0, life + 12))
        first = date(in_service.year, in_service.month, 1)
        effective = date(first.year + (first.month - 1 + months) // 12, (first.month - 1 + months) % 12 + 1, 1)
        if disposal is None or effective <= disposal:
            estimate_changes = (
                EstimateChange(
                    effective,
                    life_months=life + months + draw(st.integers(1, 60)),
                    salvage_cents=draw(st.none() | st.integers(0, salvage)),
                    method=draw(st.none() | st.sampled_from(list(Method))),
                ),
            )
    return DepreciationInputs(
        cost_cents=cost,
        salvage_cents=salvage,
        life_months=life,
        method=draw(st.sampled_from(list(Method))),
        convention=draw(st.sampled_from(list(Convention))),
        in_service=in_service,
        factor=draw(factors),
        switch_to_straight_line=draw(st.booleans()),
        fy_start_month=fy_start_month or draw(st.integers(1, 12)),
        disposal=disposal,
        proceeds_cents=draw(st.integers(0, cost)) if disposal else 0,
        estimate_changes=estimate_changes,
        depreciable=draw(st.booleans() | st.just(True)),
    )
