"""Exact money: ``Decimal`` with two places, integer cents for bulk work."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)

_MONEY_TEXT = re.compile(r"^\(?-?\$?\s*-?[\d,]*\.?\d*\)?$")


def to_money(value: Decimal | int | str) -> Decimal:
    """Quantize to the cent, rounding half up as a ledger does.

    Floats are refused: they cannot hold most cent amounts exactly.
    """
    if isinstance(value, float):
        raise TypeError("money must not be a float; pass a Decimal, int or string")
    if isinstance(value, str):
        return parse_money(value)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(text: str) -> Decimal:
    """Read amounts as people type them: ``$1,234.50``, ``1234.5``, ``(12.00)``.

    Raises ``ValueError`` with a readable reason when the text is not money.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("no amount given")
    if not _MONEY_TEXT.match(raw):
        raise ValueError(f"'{text}' is not an amount of money")
    if raw.startswith("(") != raw.endswith(")"):
        raise ValueError(f"'{text}' has an unmatched parenthesis")
    negative = raw.startswith("(") and raw.endswith(")")
    cleaned = raw.strip("()").replace("$", "").replace(",", "").replace(" ", "")
    if cleaned.count("-") > 1:
        raise ValueError(f"'{text}' is not an amount of money")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not an amount of money") from None
    if negative:
        amount = -abs(amount)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount: Decimal) -> int:
    return int(to_money(amount) * 100)


def from_cents(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def format_money(amount: Decimal | None) -> str:
    """``$1,234.56``; negative amounts in parentheses, as on a ledger."""
    if amount is None:
        return ""
    text = f"${abs(amount):,.2f}"
    return f"({text})" if amount < 0 else text
