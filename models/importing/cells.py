"""A mapped column read as its field: each distinct cell once, by the rules of ``normalise``.

``read_column`` takes every cell of one column and returns, for each row, the
register's value or why the cell cannot be used: a problem (the row is
rejected) or a flag (the value is left out, the row still imported). Columns
repeat few values (classes, statuses, dates, rooms), so each distinct cell is
read once; amounts, which rarely repeat, are read by ``vectorised.money_cents``
where they are plain and by ``normalise.money`` where they are not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from models.importing import normalise as norm
from models.importing.catalog import Catalog
from models.importing.vectorised import cents_to_money, money_cents

FORMULA_START = ("=", "+", "@")
LONGEST_CELL = 32_000
# The key in a row's values that each mapped field fills, where it is not the field's own.
VALUE_KEY = {"useful_life_years": "useful_life_months", "department": "department_id",
             "funding_source": "funding", "assigned_to": "assigned_person_id"}
_MONEY_FIELDS = ("cost", "salvage_value")


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # a blank cell, or one that gave no value


class LeftOut(norm.CellError):
    """A value left out with a note; unlike other cell errors it does not reject the row."""


@dataclass(slots=True)
class ColumnValues:
    key: str  # the key it fills in each row's values
    values: list[Any]  # per row: the value, or MISSING
    problems: dict[int, str]  # row position → why the row is rejected
    flags: dict[int, str]  # row position → why the value was left out
    complete: bool = False  # a value in every row


def read_column(field: str, cells: Sequence[Any], catalog: Catalog, today: date | None) -> ColumnValues:
    """The values of one column mapped to ``field``; ``cells`` are its cells, row by row."""
    kinds = set(map(type, cells))
    if len(kinds & {bool, int, float}) > 1:  # 1, 1.0 and True are one key but not one cell
        cells = [(cell.__class__, cell) for cell in cells]
        found = dict.fromkeys(cells, MISSING)
        texts = [cell for _, cell in found]
    else:
        found = dict.fromkeys(cells, MISSING)
        texts = list(found)
    problems: dict[Any, str] = {}
    flags: dict[Any, str] = {}
    pending: list[Any] = []  # (key, cell) of the cells to read
    for key, cell in zip(found, texts, strict=True):
        if cell is None or cell == "":
            continue
        if cell.__class__ is str:
            if cell.isspace():  # blank: what strips to nothing
                continue
            if cell.startswith(FORMULA_START) and field not in _MONEY_FIELDS:
                problems[key] = f"'{cell[:30]}' is a formula, not a value; save the sheet with values"
                continue
            if len(cell) > LONGEST_CELL:
                problems[key] = f"holds {len(cell):,} characters; no cell of the register is that long"
                continue
        pending.append((key, cell))
    if field in _MONEY_FIELDS:
        pending = _read_plain_amounts(pending, found)
    elif field in _IDENTITY_LIMITS:
        pending = _read_plain_texts(field, pending, found)
    for key, cell in pending:
        try:
            found[key] = read_cell(field, cell, catalog, today)
        except LeftOut as err:
            flags[key] = str(err)
        except norm.CellError as err:
            (flags if field == "serial" else problems)[key] = str(err)
    return ColumnValues(VALUE_KEY.get(field, field), list(map(found.__getitem__, cells)),
                        _by_row(cells, problems), _by_row(cells, flags),
                        not any(value is MISSING for value in found.values()))


def _read_plain_amounts(pending: list[Any], found: dict[Any, Any]) -> list[Any]:
    """Fill in the plain amounts among ``pending``; the others are returned for ``read_cell``."""
    textual = [(key, cell) for key, cell in pending if cell.__class__ is str]
    plain, cents = money_cents([cell for _, cell in textual])
    for (key, _), is_plain, amount in zip(textual, plain.tolist(), cents.tolist(), strict=True):
        if is_plain:
            found[key] = cents_to_money(amount)
    return [(key, cell) for key, cell in pending if found[key] is MISSING]


# Fields whose value is the cell's text, trimmed, up to a length (see normalise.tag, serial, text).
_IDENTITY_LIMITS = {"tag": 32, "serial": 64, "description": 240, "use": 120, "po_number": 40,
                    "invoice_number": 40, "vendor": 120, "title_holder": 160, "notes": 20_000}


def _read_plain_texts(field: str, pending: list[Any], found: dict[Any, Any]) -> list[Any]:
    """Fill in the text cells that are their own value, as ``read_cell`` would: trimmed, short
    enough and, for tags and serials, not possibly scientific notation (no e or E). Tags and
    serials are mostly all different, and this is most of reading them. The others are
    returned for ``read_cell``."""
    limit = _IDENTITY_LIMITS[field]
    numeric_screen = field in ("tag", "serial")
    rest = []
    for key, cell in pending:
        if cell.__class__ is str:
            text = cell.strip()
            if len(text) <= limit and not (numeric_screen and ("e" in text or "E" in text)):
                found[key] = text
                continue
        rest.append((key, cell))
    return rest


def _by_row(cells: Sequence[Any], reasons: dict[Any, str]) -> dict[int, str]:
    """Reasons given per distinct cell, spread over the rows that hold the cell."""
    if not reasons:
        return {}
    return {row: reasons[cell] for row, cell in enumerate(cells) if cell in reasons}


def read_cell(field: str, cell: Any, catalog: Catalog, today: date | None) -> Any:
    """One non-blank cell as ``field``'s value; raises ``CellError`` (or ``LeftOut``)."""
    if field == "tag":
        return norm.tag(cell)
    if field == "serial":
        return norm.serial(cell)
    if field == "description":
        return norm.text(cell, max_length=240)
    if field == "status":
        return norm.status(cell)
    if field == "condition":
        return norm.condition(cell)
    if field in _MONEY_FIELDS:
        return norm.money(cell)
    if field in ("acquired_on", "in_service_on"):
        return norm.day(cell, today=today, future_days=0 if field == "acquired_on" else 366)
    if field == "warranty_ends_on":
        return norm.day(cell, today=today, future_days=366 * 15)
    if field == "warranty_months":
        return norm.whole_number(cell, minimum=0, maximum=600)
    if field == "useful_life_months":
        return norm.whole_number(cell, minimum=1, maximum=1200)
    if field == "useful_life_years":
        years = norm.whole_number(cell, minimum=1, maximum=100)
        return MISSING if years is None else years * 12
    if field == "department":
        text = norm.cell_text(cell) or ""
        found = catalog.departments.get(text.upper()) or catalog.departments.get(norm.name_key(text))
        if found is None:
            raise norm.CellError(f"'{text}' is not a department of the district")
        return found
    if field in ("function_code", "fund_code"):
        text = norm.cell_text(cell) or ""
        known = catalog.function_codes if field == "function_code" else catalog.fund_codes
        if text not in known:
            what = "a function code" if field == "function_code" else "a fund"
            raise norm.CellError(f"'{text}' is not {what} of the district")
        return text
    if field == "funding_source":
        return funding(norm.cell_text(cell) or "", catalog)
    if field == "assigned_to":
        text = norm.cell_text(cell) or ""
        people = catalog.person(text)
        if len(set(people)) == 1:
            return people[0]
        why = "is not a person in the register" if not people else "matches several people"
        raise LeftOut(f"'{text}' {why}; the assignment was left out")
    if field in _TEXT_LIMITS:
        return norm.text(cell, max_length=_TEXT_LIMITS[field])
    raise AssertionError(field)  # pragma: no cover - every field has a reader above


_TEXT_LIMITS = {"use": 120, "po_number": 40, "invoice_number": 40, "vendor": 120, "title_holder": 160,
                "notes": 20_000}


def funding(text: str, catalog: Catalog) -> tuple[tuple[int, int], ...]:
    """ "ESSER3", "ARP ESSER III" or a split as the register exports it: "ERATE24 80%, GF 20%"."""
    whole = catalog.funding.get(text.upper()) or catalog.funding.get(norm.name_key(text))
    if whole is not None:
        return ((whole, 10000),)
    shares: dict[int, int] = {}
    for part in re.split(r"[,;]", text):
        match = re.fullmatch(r"\s*(.+?)\s+(\d{1,3}(?:\.\d{1,2})?)\s*%\s*", part)
        if not match:
            raise norm.CellError(f"'{text}' is not a funding source of the register (by code or name)")
        source = catalog.funding.get(match[1].upper()) or catalog.funding.get(norm.name_key(match[1]))
        if source is None:
            raise norm.CellError(f"'{match[1]}' is not a funding source of the register (by code or name)")
        shares[source] = shares.get(source, 0) + int(Decimal(match[2]) * 100)
    total = sum(shares.values())
    if total != 10000 or any(points <= 0 for points in shares.values()):
        raise norm.CellError(f"the shares in '{text}' add up to {Decimal(total) / 100:.2f}%, not 100%")
    return tuple(sorted(shares.items()))


__all__ = ["MISSING", "ColumnValues", "LeftOut", "funding", "read_cell", "read_column"]
