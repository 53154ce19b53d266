"""The history an import writes for its new assets, a column at a time.

Each new asset gets a ``created`` event whose changes are
``{"field": [null, value], ...}`` exactly as ``history.changes_json`` writes them
(sorted keys, no spaces). A 100,000-row import writes 100,000 of them; they are
put together from pieces encoded once per distinct value of each column (most
columns repeat a few values), then joined row by row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import Any

from models import history
from models.importing.writes import Column, Same

# The asset fields a created event records (those of the asset service's snapshot).
SNAPSHOT = (
    "tag", "serial", "description", "model_id", "class_id", "status", "condition", "parent_id", "site_id",
    "room_id", "department_id", "custodian_id", "use", "function_code", "fund_code", "acquired_on",
    "in_service_on", "cost", "salvage_value", "useful_life_months", "depreciation_method",
    "depreciation_convention", "capitalized", "capitalization_override_reason", "title_holder",
    "po_number", "vendor", "invoice_number", "warranty_ends_on", "notes", "assigned_person_id",
    "disposed_on", "disposal_method", "disposal_proceeds",
)
_ORDER = tuple(sorted((*SNAPSHOT, "funding")))
_MOSTLY_UNIQUE = frozenset(("tag", "serial", "notes", "po_number", "invoice_number"))

dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_string = json.encoder.encode_basestring  # what ``dumps`` does with a str (ensure_ascii=False)


def canonical(value: Any) -> Any:
    """``history.canonical_value`` for the types an import writes, without its general dispatch."""
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return value
    if kind is Decimal and value.as_tuple().exponent == -2:
        return f"{value:.2f}"
    if kind is date:
        return value.isoformat()
    return history.canonical_value(value)


def share_list(shares: Iterable[tuple[int, int]]) -> list[list[Any]]:
    """Funding as history records it (as the asset service does): [[source id, "80.00"], ...]."""
    return [[source, f"{Decimal(points) / 100:.2f}"] for source, points in sorted(shares)]


def created_changes(columns: dict[str, Column], funding: Sequence[list[list[Any]] | None] | None,
                    count: int) -> list[str]:
    """Each new asset's created event changes, from the asset table's ``columns`` and its
    funding (``share_list`` per asset, ``None`` for none)."""
    pieces: list[Iterable[str]] = []
    for name in _ORDER:
        if name == "funding":
            if funding is not None:
                pieces.append(_funding_pieces(funding))
            continue
        column = columns.get(name, Same(None))
        if isinstance(column, Same):
            if column.value is not None:
                pieces.append(repeat(_piece(name, column.value), count))
            continue
        pieces.append(_pieces(name, column))
    return ["{" + ",".join(filter(None, parts)) + "}" for parts in zip(*pieces)]


def _piece(name: str, value: Any) -> str:
    return f"{dumps(name)}:[null,{dumps(canonical(value))}]"


def _pieces(name: str, values: Sequence[Any]) -> list[str]:
    """One column's pieces; "" where the value is blank (left out of the event)."""
    if name in _MOSTLY_UNIQUE and set(map(type, values)) <= {str, type(None)}:
        head = f"{dumps(name)}:[null,"
        return ["" if v is None else f"{head}{_string(v)}]" for v in values]
    # Equal values of other types (1.5 and 1.50, True and 1) may record differently.
    memo: dict[Any, str] = {}
    out = []
    append = out.append
    for value in values:
        if value is None:
            append("")
            continue
        key = (type(value), str(value) if type(value) is Decimal else value)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _piece(name, value)
        append(found)
    return out


def _funding_pieces(funding: Sequence[list[list[Any]] | None]) -> list[str]:
    memo: dict[str, str] = {}
    out = []
    for shares in funding:
        if shares is None:
            out.append("")
            continue
        text = dumps(shares)
        found = memo.get(text)
        if found is None:
            found = memo[text] = f'"funding":[[],{text}]'
        out.append(found)
    return out


__all__ = ["SNAPSHOT", "canonical", "created_changes", "dumps", "share_list"]
