"""What the engine is asked: methods, conventions, one asset's figures, and checks.

Every amount is integer cents. Inputs are checked when they are built, so a
``DepreciationInputs`` that exists is one the engine can schedule; anything
wrong raises ``DepreciationInputError`` naming the field in plain words.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from models.schema.vocab import DepreciationConvention, DepreciationMethod

# Limits that keep every bulk product inside int64 (see bulk.py): $10 billion
# for one asset and a 100-year life are far beyond anything a district owns.
MAX_CENTS = 10**12
MAX_LIFE_MONTHS = 1200
MAX_FACTOR = Decimal(10)
DEFAULT_FACTOR = Decimal(2)

# The register's own vocabulary: the database stores these same values.
Method = DepreciationMethod
Convention = DepreciationConvention


class DepreciationInputError(ValueError):
    """An input the engine cannot use; ``field`` names it, ``str()`` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


@dataclass(frozen=True)
class EstimateChange:
    """A change of estimate, applied from the first day of the month of ``effective``.

    ``life_months`` is the new *total* useful life counted from the in-service
    date; the part not yet used is what remains. Unset fields keep their value.
    Accumulated depreciation up to the change is kept; the book value then left
    is depreciated down to the (new) salvage over the remaining life.
    """

    effective: date
    life_months: int | None = None
    salvage_cents: int | None = None
    method: Method | None = None
    factor: Decimal | None = None
    switch_to_straight_line: bool | None = None


@dataclass(frozen=True)
class DepreciationInputs:
    """One asset as the engine sees it.

    ``depreciable=False`` is for land, construction in progress and controlled
    (not capitalized) items: the schedule is empty and book value stays at cost.
    """

    cost_cents: int
    salvage_cents: int
    life_months: int
    method: Method
    convention: Convention
    in_service: date
    factor: Decimal = DEFAULT_FACTOR
    switch_to_straight_line: bool = False
    fy_start_month: int = 7
    disposal: date | None = None
    proceeds_cents: int = 0
    estimate_changes: tuple[EstimateChange, ...] = ()
    depreciable: bool = True

    def __post_init__(self) -> None:
        _set(self, "method", _enum_value(Method, self.method, "method"))
        _set(self, "convention", _enum_value(Convention, self.convention, "convention"))
        _set(self, "factor", check_factor(self.factor, "factor"))
        _set(self, "estimate_changes", tuple(self.estimate_changes))
        cost = _cents(self.cost_cents, "cost_cents")
        salvage = _cents(self.salvage_cents, "salvage_cents")
        if salvage > cost:
            raise DepreciationInputError(
                "salvage_cents", "salvage value cannot be more than the cost"
            )
        check_life(self.life_months, "life_months")
        _check_date(self.in_service, "in_service")
        if not _is_int(self.fy_start_month) or not 1 <= self.fy_start_month <= 12:
            raise DepreciationInputError(
                "fy_start_month", "the fiscal year must start in a month from 1 to 12"
            )
        if not isinstance(self.switch_to_straight_line, bool):
            raise DepreciationInputError("switch_to_straight_line", "must be true or false")
        if not isinstance(self.depreciable, bool):
            raise DepreciationInputError("depreciable", "must be true or false")
        _cents(self.proceeds_cents, "proceeds_cents")
        if self.disposal is not None:
            _check_date(self.disposal, "disposal")
            if self.disposal < self.in_service:
                raise DepreciationInputError(
                    "disposal", "an asset cannot be disposed of before it was placed in service"
                )
        elif self.proceeds_cents:
            raise DepreciationInputError("proceeds_cents", "proceeds need a disposal date")
        self._check_estimate_changes()

    def _check_estimate_changes(self) -> None:
        previous: date | None = None
        for number, change in enumerate(self.estimate_changes):
            where = f"estimate_changes[{number}]"
            if not isinstance(change, EstimateChange):
                raise DepreciationInputError(where, "must be an EstimateChange")
            _check_date(change.effective, f"{where}.effective")
            if (change.effective.year, change.effective.month) < (
                self.in_service.year,
                self.in_service.month,
            ):
                raise DepreciationInputError(
                    f"{where}.effective", "a change of estimate cannot take effect before service began"
                )
            if self.disposal is not None and change.effective > self.disposal:
                raise DepreciationInputError(
                    f"{where}.effective", "a change of estimate cannot take effect after disposal"
                )
            if previous is not None and (change.effective.year, change.effective.month) <= (
                previous.year,
                previous.month,
            ):
                raise DepreciationInputError(
                    f"{where}.effective",
                    "changes of estimate must be in date order, at most one per month",
                )
            previous = change.effective
            if change.life_months is not None:
                check_life(change.life_months, f"{where}.life_months")
            if change.salvage_cents is not None:
                _cents(change.salvage_cents, f"{where}.salvage_cents")
            if change.method is not None:
                _set(change, "method", _enum_value(Method, change.method, f"{where}.method"))
            if change.factor is not None:
                _set(change, "factor", check_factor(change.factor, f"{where}.factor"))
            if change.switch_to_straight_line is not None and not isinstance(
                change.switch_to_straight_line, bool
            ):
                raise DepreciationInputError(
                    f"{where}.switch_to_straight_line", "must be true or false"
                )

    @property
    def depreciable_base_cents(self) -> int:
        return self.cost_cents - self.salvage_cents


def check_life(value: object, name: str) -> int:
    if not _is_int(value):
        raise DepreciationInputError(name, "useful life must be a whole number of months")
    if value <= 0:
        raise DepreciationInputError(name, "useful life must be at least one month")
    if value > MAX_LIFE_MONTHS:
        raise DepreciationInputError(
            name, f"useful life cannot be more than {MAX_LIFE_MONTHS} months (100 years)"
        )
    return value


def check_factor(value: object, name: str) -> Decimal:
    """A declining-balance factor: positive, at most 10, at most three decimals."""
    if isinstance(value, float) or isinstance(value, bool):
        raise DepreciationInputError(name, "the factor must be a Decimal or a whole number")
    try:
        factor = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise DepreciationInputError(name, f"'{value}' is not a number") from None
    if not factor.is_finite() or factor <= 0:
        raise DepreciationInputError(name, "the declining-balance factor must be more than 0")
    if factor > MAX_FACTOR:
        raise DepreciationInputError(name, f"the declining-balance factor cannot be more than {MAX_FACTOR}")
    if factor != factor.quantize(Decimal("0.001")):
        raise DepreciationInputError(name, "the factor can have at most three decimal places")
    return factor


def _cents(value: object, name: str) -> int:
    if not _is_int(value):
        raise DepreciationInputError(name, "amounts must be whole cents (an int), never a float")
    if value < 0:
        raise DepreciationInputError(name, "the amount cannot be negative")
    if value > MAX_CENTS:
        raise DepreciationInputError(name, "the amount is too large (over $10 billion)")
    return value


def _check_date(value: object, name: str) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise DepreciationInputError(name, "must be a date")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _enum_value(kind: type[enum.StrEnum], value: object, name: str):
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise DepreciationInputError(name, f"'{value}' is not one of: {choices}") from None


def _set(instance: object, name: str, value: object) -> None:
    object.__setattr__(instance, name, value)


__all__ = [
    "Convention",
    "DepreciationInputError",
    "DepreciationInputs",
    "EstimateChange",
    "Method",
    "check_factor",
    "check_life",
]
