"""Amounts of money a whole column at a time: ``normalise.money`` for the plain forms.

Most columns of a large file repeat a few values and are read once per distinct
value; amounts do not (a 100,000-row listing has nearly 100,000 different
costs), and ``normalise.money`` one cell at a time took a third of a second
for them. ``money_cents`` reads the plain forms (``1234.5``, ``$1,234.50``)
with numpy, text to integer cents, never through a float. Whatever it cannot
decide with certainty (blanks around a value, parentheses, a trailing minus,
three decimal places) it leaves for the per-value rule, so each cell gets
exactly what ``normalise.money`` would give it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

_MAX_DIGITS = 12  # 999,999,999,999.99 is the most the register holds (models.money.MAX_AMOUNT)


def _as_array(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``texts`` as a numpy string array, its code points (see ``_codes``) and which texts
    it holds faithfully: numpy ends a text at a NUL character, so a text with one anywhere is
    left to the per-value rule."""
    array = np.array(texts, dtype=np.str_)
    codes = _codes(array)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return array, codes, np.count_nonzero(codes, axis=1) == lengths


def _codes(array: np.ndarray) -> np.ndarray:
    """One row per text, one column per character: the code points, 0 beyond the text's end."""
    if array.dtype.itemsize == 0:
        return np.zeros((len(array), 1), dtype=np.uint32)
    return np.ascontiguousarray(array).view(np.uint32).reshape(len(array), array.dtype.itemsize // 4)


def money_cents(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which of ``texts`` are plain amounts, and their value in cents (exact integers, never
    through a float). Plain: ASCII digits with an optional ``$`` in front, thousands
    separated by commas in threes or not at all, and none, one or two decimal places
    (``1234.5``, ``$1,234.50``, ``0.99``). Everything else is for ``normalise.money``."""
    count = len(texts)
    if count == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64)
    array, codes, faithful = _as_array(texts)
    ascii_only = (codes < 128).all(axis=1)
    dollar = np.strings.startswith(array, "$")
    body = np.where(dollar, np.strings.slice(array, 1, None), array)
    head, point, fraction = np.strings.partition(body, ".")
    digits = np.strings.replace(head, ",", "")
    digit_count = np.strings.str_len(digits)
    fraction_length = np.strings.str_len(fraction)
    plain = faithful & ascii_only & np.strings.isdecimal(digits)
    plain &= (digit_count >= 1) & (digit_count <= _MAX_DIGITS)
    plain &= (point == "") | (np.strings.isdecimal(fraction) & (fraction_length >= 1) & (fraction_length <= 2))
    # Thousands separators: none, or one before each group of three digits from the point.
    commas = np.strings.count(head, ",")
    grouped = commas == (digit_count - 1) // 3
    head_codes = _codes(head)
    head_length = np.strings.str_len(head)
    rows = np.arange(count)
    for group in range(1, (_MAX_DIGITS - 1) // 3 + 1):
        at = head_length - 4 * group
        comma_there = head_codes[rows, np.clip(at, 0, head_codes.shape[1] - 1)] == ord(",")
        grouped &= (commas < group) | ((at >= 0) & comma_there)
    plain &= (commas == 0) | grouped
    whole = np.where(plain, digits, "0").astype(np.int64)
    cents = np.where(plain, np.strings.ljust(fraction, 2, "0"), "0").astype(np.int64)
    return plain, whole * 100 + cents


def cents_to_money(cents: int) -> Decimal:
    """Integer cents as the two-place ``Decimal`` that ``normalise.money`` returns."""
    return Decimal(cents).scaleb(-2)


__all__ = ["cents_to_money", "money_cents"]
