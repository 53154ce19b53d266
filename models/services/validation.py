"""Turning what a user typed into field values, with errors that name the field."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from models.errors import ValidationError
from models.money import MAX_AMOUNT, parse_money, to_money

EARLIEST_DATE = date(1850, 1, 1)
E = TypeVar("E", bound=StrEnum)


def text(field: str, value: Any, *, max_length: int, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise ValidationError(field, "is required")
        return None
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    cleaned = value.strip()
    if not cleaned:
        if required:
            raise ValidationError(field, "is required")
        return None
    if len(cleaned) > max_length:
        raise ValidationError(field, f"is {len(cleaned)} characters long; the limit is {max_length}")
    return cleaned


def money(field: str, value: Any, *, required: bool = False) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, "is required")
        return None
    try:
        amount = parse_money(value) if isinstance(value, str) else to_money(value)
    except (ValueError, TypeError) as err:
        raise ValidationError(field, str(err)) from None
    if amount < 0:
        raise ValidationError(field, "cannot be negative")
    if amount > MAX_AMOUNT:
        raise ValidationError(field, "is larger than any amount the register can hold")
    return amount


def day(field: str, value: Any, *, required: bool = False, today: date | None = None) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, "is required")
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field, f"'{value}' is not a date (use YYYY-MM-DD)") from None
    if not isinstance(value, date):
        raise ValidationError(field, "must be a date")
    latest = (today or date.today()) + timedelta(days=366)
    if value < EARLIEST_DATE or value > latest:
        raise ValidationError(field, f"{value.isoformat()} is not a plausible date")
    return value


def whole_number(field: str, value: Any, *, minimum: int = 0, maximum: int = 10**9) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(field, f"'{value}' is not a whole number") from None
    if isinstance(value, float) or (isinstance(value, Decimal) and value != number):
        raise ValidationError(field, f"'{value}' is not a whole number")
    if number < minimum or number > maximum:
        raise ValidationError(field, f"must be between {minimum} and {maximum}")
    return number


def choice(field: str, value: Any, enum_cls: type[E], *, required: bool = False) -> E | None:
    if value is None or value == "":
        if required:
            raise ValidationError(field, "is required")
        return None
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_cls)
        raise ValidationError(field, f"'{value}' is not one of: {allowed}") from None


def flag(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValidationError(field, "must be yes or no")
