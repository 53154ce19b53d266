"""One fiscal year of depreciation for a whole district at once, with numpy.

The figures are exactly those of the per-asset engine (engine.py): the same
clocks and curves, written as integer arithmetic over int64 cents. Only
fiscal-year ends matter here, and at those the clocks are simple:

* every convention but ``actual_days`` uses, in half months ``t`` counted
  from the start of the in-service month, ``used = clip(min(t, stop) −
  start, 0, 2·life)``. ``start`` is 0/2/1 for full/next/mid month (nearest
  month: 0 or 2 by the 15th); for ``half_year`` and ``full_year`` it is
  ``2·(months in the first fiscal year) − 12`` or ``− 24``, which grants 6 or
  12 months of life in the first fiscal year. ``stop`` is the disposal point
  (the start of the disposal year for full_year, its middle for half_year);
* ``actual_days`` finds the asset-year containing the date and the days
  used of it, for the few assets that use it.

Straight line is one formula. Declining balance and sum-of-the-years'-digits
need their annual table up to the asset-year in question; it is built by a
loop over asset-years (not over assets) for the assets using those methods.
Assets with changes of estimate are rare and go through the per-asset engine.

Integer products stay far inside int64 given the input limits (cost ≤ $10
billion, life ≤ 1,200 months, factor ≤ 10): the largest is cost × 12 ×
factor-thousandths ≈ 1.2·10^17.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from models.depreciation import calendar_arrays as cal
from models.depreciation.engine import fiscal_year_figures
from models.depreciation.fiscal import fiscal_year_first_month
from models.depreciation.inputs import (
    MAX_CENTS,
    MAX_LIFE_MONTHS,
    Convention,
    DepreciationInputError,
    DepreciationInputs,
    Method,
)

METHODS: tuple[Method, ...] = tuple(Method)
CONVENTIONS: tuple[Convention, ...] = tuple(Convention)
METHOD_CODE = {method: code for code, method in enumerate(METHODS)}
CONVENTION_CODE = {convention: code for code, convention in enumerate(CONVENTIONS)}

_SL = METHOD_CODE[Method.STRAIGHT_LINE]
_DB = METHOD_CODE[Method.DECLINING_BALANCE]
_DAYS = CONVENTION_CODE[Convention.ACTUAL_DAYS]
_NEAREST = CONVENTION_CODE[Convention.NEAREST_MONTH]
_EPOCH_MONTH = 1970 * 12

assert [c.value for c in CONVENTIONS] == [
    "full_month", "next_month", "mid_month", "nearest_month", "half_year", "full_year", "actual_days",
]


@dataclass(frozen=True)
class AssetArrays:
    """A district's assets as columns; row ``i`` is one asset.

    Codes index ``METHODS`` and ``CONVENTIONS``. Dates are ``datetime64[D]``
    (or int64 days since 1970-01-01) between 1800 and 2399; ``disposal`` holds
    NaT for assets still held. ``factor_thousandths`` is the declining-balance
    factor × 1000 (2000 = double declining). ``depreciable`` False is land,
    construction in progress and controlled items. ``fallback`` maps rows
    with changes of estimate to their full inputs; those rows are computed by
    the per-asset engine. Columns are checked once, here.
    """

    cost_cents: np.ndarray
    salvage_cents: np.ndarray
    life_months: np.ndarray
    method: np.ndarray
    convention: np.ndarray
    in_service: np.ndarray
    disposal: np.ndarray
    factor_thousandths: np.ndarray
    switch_to_straight_line: np.ndarray
    depreciable: np.ndarray
    fallback: Mapping[int, DepreciationInputs] = field(default_factory=dict)

    def __post_init__(self) -> None:
        size = len(self.cost_cents)
        for name in ("cost_cents", "salvage_cents", "life_months", "factor_thousandths", "method", "convention"):
            column = np.asarray(getattr(self, name))
            _check_shape(name, column, size)
            if not np.issubdtype(column.dtype, np.integer):
                raise DepreciationInputError(name, f"expected whole numbers, got {column.dtype}")
            dtype = np.int8 if name in ("method", "convention") else np.int64
            _set(self, name, column.astype(dtype, copy=False) if column.dtype != dtype else column)
        for name in ("in_service", "disposal"):
            column = np.asarray(getattr(self, name))
            _check_shape(name, column, size)
            if column.dtype == np.dtype("datetime64[D]"):
                column = column.view(np.int64)
            elif column.dtype != np.int64:
                raise DepreciationInputError(name, f"expected datetime64[D] or int64 days, got {column.dtype}")
            _set(self, name, column)
        for name in ("switch_to_straight_line", "depreciable"):
            column = np.asarray(getattr(self, name))
            _check_shape(name, column, size)
            if column.dtype != np.bool_:
                raise DepreciationInputError(name, f"expected true/false values, got {column.dtype}")
            _set(self, name, column)
        self._check_values()

    def _check_values(self) -> None:
        cost, salvage, life = self.cost_cents, self.salvage_cents, self.life_months
        _reject("cost_cents", (cost < 0) | (cost > MAX_CENTS), "cost must be $0 to $10 billion")
        _reject("salvage_cents", (salvage < 0) | (salvage > cost), "salvage must be from 0 to the cost")
        _reject("life_months", (life < 1) | (life > MAX_LIFE_MONTHS), "useful life must be 1 to 1200 months")
        _reject("method", (self.method < 0) | (self.method >= len(METHODS)), "unknown method code")
        _reject(
            "convention", (self.convention < 0) | (self.convention >= len(CONVENTIONS)), "unknown convention code"
        )
        factor = self.factor_thousandths
        _reject("factor_thousandths", (factor < 1) | (factor > 10_000), "the factor must be 0.001 to 10")
        _reject("in_service", ~cal.in_range(self.in_service), "in-service date missing or outside 1800-2399")
        held = self.disposal == _NAT
        _reject("disposal", ~held & ~cal.in_range(self.disposal), "disposal date outside 1800-2399")
        _reject("disposal", ~held & (self.disposal < self.in_service), "disposed of before service began")
        for row in self.fallback:
            if not 0 <= row < len(cost):
                raise DepreciationInputError("fallback", f"row {row} is not one of the {len(cost)} assets")

    def __len__(self) -> int:
        return len(self.cost_cents)

    @classmethod
    def from_inputs(cls, assets: Sequence[DepreciationInputs]) -> AssetArrays:
        """Columns from per-asset inputs; rows with changes of estimate go to ``fallback``."""

        def column(values, dtype):
            return np.array(list(values), dtype=dtype)

        return cls(
            cost_cents=column((a.cost_cents for a in assets), np.int64),
            salvage_cents=column((a.salvage_cents for a in assets), np.int64),
            life_months=column((a.life_months for a in assets), np.int64),
            method=column((METHOD_CODE[a.method] for a in assets), np.int8),
            convention=column((CONVENTION_CODE[a.convention] for a in assets), np.int8),
            in_service=column((a.in_service for a in assets), "datetime64[D]"),
            disposal=column(
                (np.datetime64("NaT") if a.disposal is None else a.disposal for a in assets), "datetime64[D]"
            ),
            factor_thousandths=column((int(a.factor * 1000) for a in assets), np.int64),
            switch_to_straight_line=column((a.switch_to_straight_line for a in assets), np.bool_),
            depreciable=column((a.depreciable for a in assets), np.bool_),
            fallback={row: a for row, a in enumerate(assets) if a.estimate_changes},
        )


@dataclass(frozen=True)
class FiscalYearArrays:
    """Per asset, int64 cents: as ``FiscalYearFigures`` but in columns."""

    fiscal_year: int
    depreciation_cents: np.ndarray
    accumulated_start_cents: np.ndarray
    accumulated_end_cents: np.ndarray
    book_value_end_cents: np.ndarray


_NAT = np.datetime64("NaT").view(np.int64)


def _set(instance: object, name: str, value: object) -> None:
    object.__setattr__(instance, name, value)


def _check_shape(name: str, column: np.ndarray, size: int) -> None:
    if column.shape != (size,):
        raise DepreciationInputError(name, f"expected {size} values, got shape {column.shape}")


def _reject(name: str, bad: np.ndarray, why: str) -> None:
    if bad.any():
        raise DepreciationInputError(name, f"{why} (row {int(np.flatnonzero(bad)[0])})")


def fiscal_year_depreciation(assets: AssetArrays, fiscal_year: int, fy_start_month: int = 7) -> FiscalYearArrays:
    """Every asset's figures for ``fiscal_year``, as ``engine.fiscal_year_figures`` would give them."""
    if not 1 <= fy_start_month <= 12:
        raise DepreciationInputError("fy_start_month", "the fiscal year must start in a month from 1 to 12")
    first_month = fiscal_year_first_month(fiscal_year, fy_start_month) - _EPOCH_MONTH
    cost, life, convention = assets.cost_cents, assets.life_months, assets.convention
    base = cost - assets.salvage_cents
    base *= assets.depreciable  # land, construction in progress, controlled items: nothing to depreciate
    double_life = life * 2
    service_month, half_key = cal.month_and_half(assets.in_service)

    # Life used at the start and end of the fiscal year, in half months: clip(t − start, 0, 2·life).
    starts = _by_half_month_of_year(_START, fy_start_month, late=2)
    half_key += convention.view(np.uint8) * np.uint8(24)
    clock = starts.take(half_key)
    t = np.subtract(first_month, service_month)
    t *= 2
    clock = np.subtract(t, clock, out=clock)
    days = np.flatnonzero(convention == _DAYS)
    days_clock = clock[days]
    clock_end = np.add(clock, 24, out=t)
    disposed = np.flatnonzero(assets.disposal != _NAT)
    if disposed.size:
        # The clock stops at disposal: min(t, stop) − start = clock + min(0, stop − t).
        to_stop = _half_months_to_stop(assets, disposed, first_month, fy_start_month)
        clock[disposed] += np.minimum(to_stop, 0)
        clock_end[disposed] += np.minimum(to_stop - 24, 0)
    used = []
    for half_months in (clock, clock_end):
        np.maximum(half_months, 0, out=half_months)
        used.append(np.minimum(half_months, double_life, out=half_months))

    # Rows whose figures are not straight line: declining balance and sum-of-the-years'-digits
    # part-way through their life (before and after it they are 0 and cost − salvage, as for
    # straight line), and actual days part-way through (a month's margin: the life ends on a
    # day of its last month) or disposed of.
    middle = (used[0] < double_life) & (used[1] > 0)
    middle &= assets.method != _SL
    if days.size:
        days_life = double_life[days]
        under_way = (days_clock < days_life + 2) & (days_clock > -24)
        middle[days[under_way | (assets.disposal[days] != _NAT)]] = True
    special = np.flatnonzero(middle)
    special_used = [half_months[special] for half_months in used]

    # Straight line: (cost − salvage) × used ÷ life, rounded half up.
    accumulated = []
    for half_months in used:
        value = np.multiply(half_months, base, out=half_months)
        value += life
        value //= double_life
        accumulated.append(value)
    if special.size:
        _special_rows(assets, special, special_used, base[special], first_month, accumulated)

    start_cents, end_cents = accumulated
    for row, inputs in assets.fallback.items():
        figures = fiscal_year_figures(inputs, fiscal_year)
        start_cents[row] = figures.accumulated_start_cents
        end_cents[row] = figures.accumulated_end_cents
    # The scratch columns are spent: the results go into them rather than into fresh memory.
    return FiscalYearArrays(
        fiscal_year=fiscal_year,
        depreciation_cents=np.subtract(end_cents, start_cents, out=service_month),
        accumulated_start_cents=start_cents,
        accumulated_end_cents=end_cents,
        book_value_end_cents=np.subtract(cost, end_cents, out=double_life),
    )


def _start_table() -> np.ndarray:
    """Clock start in half months by (convention, months from fiscal-year start to the in-service month)."""
    table = np.zeros((len(CONVENTIONS), 12), dtype=np.int64)
    for code, convention in enumerate(CONVENTIONS):
        for into_year in range(12):
            first_year_months = 12 - into_year
            table[code, into_year] = {
                Convention.NEXT_MONTH: 2,
                Convention.MID_MONTH: 1,
                Convention.HALF_YEAR: 2 * first_year_months - 12,
                Convention.FULL_YEAR: 2 * first_year_months - 24,
            }.get(convention, 0)
    return table


def _stop_table() -> np.ndarray:
    """Disposal point in half months after the start of the disposal month, by the same index.

    Full month stops at the start of the month, next month at its end, mid
    month in its middle; full year at the start of the disposal year, half
    year six months into it (nearest month adds a month after the 15th).
    """
    table = np.zeros((len(CONVENTIONS), 12), dtype=np.int64)
    for code, convention in enumerate(CONVENTIONS):
        for into_year in range(12):
            table[code, into_year] = {
                Convention.NEXT_MONTH: 2,
                Convention.MID_MONTH: 1,
                Convention.HALF_YEAR: 12 - 2 * into_year,
                Convention.FULL_YEAR: -2 * into_year,
            }.get(convention, 0)
    return table


_START = _start_table()
_STOP = _stop_table()


def _by_half_month_of_year(table: np.ndarray, fy_start_month: int, late: int) -> np.ndarray:
    """``table`` indexed by ``24 × convention + 2 × calendar month + (day after the 15th)``.

    Re-indexes from month of the fiscal year to calendar month (0 = January);
    a day after the 15th adds ``late`` half months under nearest month.
    """
    by_month = table[:, (np.arange(12) - (fy_start_month - 1)) % 12]
    doubled = np.repeat(by_month, 2, axis=1)
    doubled[_NEAREST, 1::2] += late
    return doubled.ravel()


def _half_months_to_stop(
    assets: AssetArrays, rows: np.ndarray, first_month: int, fy_start_month: int
) -> np.ndarray:
    """For disposed ``rows``: half months from the start of the fiscal year to the disposal point."""
    month, half_key = cal.month_and_half(assets.disposal[rows])
    half_key += assets.convention[rows].view(np.uint8) * np.uint8(24)
    stop = _by_half_month_of_year(_STOP, fy_start_month, late=2).take(half_key)
    stop += 2 * (month - first_month)
    return stop


def _special_rows(
    assets: AssetArrays,
    rows: np.ndarray,
    used: list[np.ndarray],
    base: np.ndarray,
    first_month: int,
    accumulated: list[np.ndarray],
) -> None:
    """Declining balance, sum-of-the-years'-digits and actual days, for ``rows`` only.

    ``used`` is life used (half months) at both ends of the year for these
    rows. A position on the curve is (asset-year, part, whole): ``part/whole``
    of asset-year ``year`` has been used.
    """
    life = assets.life_months[rows]
    method = assets.method[rows]
    last_year = (life - 1) // 12
    positions = []
    for half_months in used:
        year = np.minimum(half_months // 24, last_year)
        positions.append([year, half_months - 24 * year, 2 * np.minimum(12, life - 12 * year)])
    days = np.flatnonzero(assets.convention[rows] == _DAYS)
    if days.size:
        by_days = _day_positions(assets, rows[days], life[days], (first_month, first_month + 12))
        for position, day_position in zip(positions, by_days):
            for column, values in zip(position, day_position):
                column[days] = values

    # Straight line by days: (cost − salvage) × used ÷ life, used = 12·year + months × part ÷ whole.
    straight = days[method[days] == _SL]
    if straight.size:
        for (year, part, whole), value in zip(positions, accumulated):
            y, p, w, months = year[straight], part[straight], whole[straight], life[straight]
            numerator = base[straight] * (12 * y * w + np.minimum(12, months - 12 * y) * p)
            denominator = months * w
            value[rows[straight]] = (2 * numerator + denominator) // (2 * denominator)

    # Annual tables, only where the figures are not simply 0 or cost − salvage.
    (y0, p0, w0), (y1, p1, w1) = positions
    by_table = method != _SL
    fresh = by_table & (y1 == 0) & (p1 == 0)
    spent = by_table & (y0 == last_year) & (p0 == w0)
    for value in accumulated:
        value[rows[fresh]] = 0
        value[rows[spent]] = base[spent]
    table = np.flatnonzero(by_table & ~fresh & ~spent)
    if table.size:
        low0, high0, low1, high1 = _annual_table_values(assets, rows[table], base[table], y0[table], y1[table])
        for value, low, high, p, w in (
            (accumulated[0], low0, high0, p0[table], w0[table]),
            (accumulated[1], low1, high1, p1[table], w1[table]),
        ):
            value[rows[table]] = low + (2 * (high - low) * p + w) // (2 * w)


def _day_positions(
    assets: AssetArrays, rows: np.ndarray, life: np.ndarray, boundaries: tuple[int, int]
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``DayClock`` at the first day of each boundary month: asset-year, days used of it, its days."""
    service = assets.in_service[rows]
    disposal = assets.disposal[rows]
    month, day = cal.month_of(service), cal.day_of_month(service)
    stop = cal.add_months(month, day, life)
    held = disposal != _NAT
    stop[held] = np.minimum(stop[held], disposal[held])
    last_year = (life - 1) // 12
    positions = []
    for boundary in boundaries:
        when = int(cal.first_day_of(np.array([boundary]))[0])
        when = np.minimum(np.maximum(service, when), stop)
        year = (cal.month_of(when) - month) // 12
        year -= cal.add_months(month, day, 12 * year) > when
        np.minimum(year, last_year, out=year)
        year_start = cal.add_months(month, day, 12 * year)
        year_end = cal.add_months(month, day, np.minimum(12 * year + 12, life))
        positions.append((year, when - year_start, year_end - year_start))
    return positions


def _annual_table_values(
    assets: AssetArrays, rows: np.ndarray, base: np.ndarray, year_start: np.ndarray, year_end: np.ndarray
) -> list[np.ndarray]:
    """Accumulated cents at the ends of asset-years ``y`` and ``y + 1``, for both year ends.

    Builds the declining-balance and sum-of-the-years'-digits tables of
    methods.py year by year, the loop running over asset-years rather than
    assets: rows are sorted by how many years they need, so the rows still
    being built are always a leading slice.
    """
    results = [np.empty(len(rows), dtype=np.int64) for _ in range(4)]
    declining = assets.method[rows] == _DB
    for group in (np.flatnonzero(declining), np.flatnonzero(~declining)):
        if not group.size:
            continue
        for chunk in np.array_split(group, -(-len(group) // _TABLE_CHUNK)):
            _build_tables(assets, rows[chunk], base[chunk], year_start[chunk], year_end[chunk], chunk, results)
    return results


_TABLE_CHUNK = 65_536  # rows per table build: bounds the year-by-row history to ~55 MB


def _build_tables(
    assets: AssetArrays,
    rows: np.ndarray,
    base: np.ndarray,
    year_start: np.ndarray,
    year_end: np.ndarray,
    positions: np.ndarray,
    results: list[np.ndarray],
) -> None:
    needed = year_end + 1
    order = np.argsort(-needed, kind="stable")
    rows, needed, base = rows[order], needed[order], base[order]
    positions = positions[order]
    most = int(needed[0])
    live = np.searchsorted(-needed, -np.arange(most + 1), side="right")  # rows needing ≥ year
    salvage, life = assets.salvage_cents[rows], assets.life_months[rows]
    years = (life + 11) // 12
    history = np.zeros((most + 1, len(rows)), dtype=np.int64)
    so_far = history[0].copy()
    amount_of = (
        _declining_balance_year(assets, rows, salvage, life, base)
        if assets.method[rows[0]] == _DB
        else _digits_year(life, base)
    )
    for year in range(1, most + 1):
        n = int(live[year])
        left = base[:n] - so_far[:n]
        amount = amount_of(year, n, left)
        np.copyto(amount, left, where=years[:n] == year)  # the last asset-year takes what is left
        so_far[:n] += amount
        history[year, :n] = so_far[:n]
    columns = np.arange(len(rows))
    for result, wanted in zip(results, (year_start, year_start + 1, year_end, year_end + 1)):
        result[positions] = history[wanted[order], columns]


def _declining_balance_year(assets, rows, salvage, life, base):
    """Amount of asset-year ``year``: book value × factor ÷ years, or straight line when switching."""
    factor_12 = assets.factor_thousandths[rows] * 12
    thousand_life = 1000 * life
    half = 500 * life
    switch = assets.switch_to_straight_line[rows]
    any_switch = bool(switch.any())

    def amount(year: int, n: int, left: np.ndarray) -> np.ndarray:
        balance = left + salvage[:n]
        value = balance * factor_12[:n]
        value += half[:n]
        value //= thousand_life[:n]
        if any_switch:
            remaining = life[:n] - 12 * (year - 1)
            straight = (24 * left + remaining) // (2 * remaining)
            np.maximum(value, straight, out=value, where=switch[:n])
        return np.minimum(value, left, out=value)

    return amount


def _digits_year(life, base):
    """Amount of asset-year ``year``: (cost − salvage) × remaining life ÷ sum of the weights."""
    whole_years = (life - 1) // 12
    remainder = life - 12 * whole_years
    total = 12 * whole_years * life - 72 * whole_years * (whole_years - 1) + remainder * remainder
    double_total = 2 * total
    double_base = 2 * base
    life_12 = 12 * life

    def amount(year: int, n: int, left: np.ndarray) -> np.ndarray:
        value = life_12[:n] - 144 * (year - 1)
        value *= double_base[:n]
        value += total[:n]
        value //= double_total[:n]
        return np.minimum(value, left, out=value)

    return amount
