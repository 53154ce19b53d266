"""Which column holds which register field: proposed from headers and content, adjustable.

A ``Mapping`` lists, for each column of a table, the register field it feeds
(or ``None`` to leave it out), and which department the file comes from (the
conflict rules use that). Mappings are saved per source in the database and in
JSON files for the command line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from models.errors import UserError
from models.importing import normalise as norm


class Department(StrEnum):
    IT = "it"
    FINANCE = "finance"
    FACILITIES = "facilities"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"it": "IT", "finance": "Finance", "facilities": "Facilities", "other": "Other"}[self.value]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    synonyms: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field("tag", "Tag", ("asset tag", "tag", "tag no", "asset no", "asset id", "property tag",
                         "property no", "barcode", "inventory no", "tag id", "asset tag no")),
    Field("serial", "Serial", ("serial", "serial no", "s n", "sn", "serial number no", "service tag")),
    Field("description", "Description", ("description", "item", "item name", "name", "asset name",
                                         "item description", "asset description")),
    Field("model", "Model", ("model", "model name", "product")),
    Field("manufacturer", "Manufacturer", ("manufacturer", "make", "brand", "mfr", "mfg")),
    Field("asset_class", "Class", ("class", "asset class", "category", "asset type", "type",
                                   "class code", "gasb class", "asset category")),
    Field("status", "Status", ("status", "asset status", "status label")),
    Field("condition", "Condition", ("condition", "asset condition")),
    Field("site", "Site", ("site", "school", "campus", "location", "site code", "location code",
                           "site name", "school code")),
    Field("building", "Building", ("building", "bldg", "bldg code", "building code")),
    Field("room", "Room", ("room", "rm", "room no", "room name no", "location room")),
    Field("department", "Department", ("department", "dept", "department code", "dept code")),
    Field("assigned_to", "Assigned to", ("assigned to", "checked out to", "checked out to username",
                                         "checked out to email", "assigned user", "user", "holder",
                                         "student id", "employee id", "assigned to email")),
    Field("use", "Use", ("use", "usage")),
    Field("function_code", "Function code", ("function", "function code", "func")),
    Field("fund_code", "Fund code", ("fund", "fund code")),
    Field("funding_source", "Funding source", ("funding source", "fund source", "funding", "grant",
                                               "source of funds", "funding code", "grant code")),
    Field("acquired_on", "Acquired on", ("acquired", "acquired on", "acq date", "acquisition date",
                                         "purchase date", "date acquired", "purchased", "date purchased",
                                         "received date", "date received", "acquired date")),
    Field("in_service_on", "In service on", ("in service", "in service on", "in service date",
                                             "placed in service", "service date")),
    Field("cost", "Cost", ("cost", "purchase price", "purchase cost", "unit cost", "historical cost",
                           "price", "amount", "acquisition cost", "original cost", "cost usd")),
    Field("salvage_value", "Salvage value", ("salvage", "salvage value", "residual value")),
    Field("useful_life_months", "Useful life (months)", ("useful life months", "life months",
                                                         "useful life mo", "life in months")),
    Field("useful_life_years", "Useful life (years)", ("useful life", "useful life years", "life years",
                                                       "life", "estimated life")),
    Field("po_number", "PO number", ("po", "po no", "purchase order", "order no", "purchase order no",
                                     "order number")),
    Field("vendor", "Vendor", ("vendor", "supplier", "vendor name")),
    Field("invoice_number", "Invoice number", ("invoice", "invoice no")),
    Field("warranty_ends_on", "Warranty ends on", ("warranty ends", "warranty end", "warranty expires",
                                                   "warranty expiration", "warranty ends on",
                                                   "warranty end date")),
    Field("warranty_months", "Warranty (months)", ("warranty", "warranty months")),
    Field("title_holder", "Title holder", ("title holder", "title", "owner")),
    Field("notes", "Notes", ("notes", "note", "comments", "comment", "remarks", "asset notes")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}


def header_key(text: str) -> str:
    """A header reduced for comparison: "Asset #" → "asset no", "S/N" → "s n"."""
    text = text.lower().replace("#", " no ").replace("№", " no ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    words = ["no" if w in ("number", "num", "nbr") else w for w in words]
    out: list[str] = []
    for w in words:  # "serial no no" from "Serial Number #"
        if not (out and out[-1] == w == "no"):
            out.append(w)
    return " ".join(out)


_SYNONYMS: dict[str, str] = {}
for _field in FIELDS:
    _SYNONYMS.setdefault(header_key(_field.label), _field.key)
    for _syn in _field.synonyms:
        _SYNONYMS.setdefault(header_key(_syn), _field.key)


def _register_labels() -> dict[str, str]:
    """The register export's column labels, matched exactly (round trip)."""
    try:
        from models.queries import register  # written by the register issue
    except ImportError:
        return {}
    labels: dict[str, str] = {}
    for column in getattr(register, "COLUMNS", ()):
        key = getattr(column, "key", None) or (column[0] if isinstance(column, tuple) else None)
        label = getattr(column, "label", None) or (column[1] if isinstance(column, tuple) else None)
        target = REGISTER_KEYS.get(str(key))
        if label and target:
            labels[str(label)] = target
    return labels


# The register's column keys → the importer's fields (those it can set).
REGISTER_KEYS = {
    "tag": "tag", "serial": "serial", "description": "description", "model": "model",
    "model_name": "model", "manufacturer": "manufacturer", "class": "asset_class",
    "class_name": "asset_class", "asset_class": "asset_class", "class_code": "asset_class",
    "status": "status", "condition": "condition", "site": "site", "site_code": "site",
    "building": "building", "building_code": "building", "room": "room", "room_number": "room",
    "department": "department", "department_code": "department", "function_code": "function_code",
    "fund_code": "fund_code", "acquired_on": "acquired_on", "in_service_on": "in_service_on",
    "cost": "cost", "salvage_value": "salvage_value", "useful_life_months": "useful_life_months",
    "po_number": "po_number", "vendor": "vendor", "invoice_number": "invoice_number",
    "warranty_ends_on": "warranty_ends_on", "title_holder": "title_holder", "notes": "notes",
    "use": "use", "funding": "funding_source", "funding_source": "funding_source",
    "assigned_to": "assigned_to", "assigned_person": "assigned_to",
}


def field_for_header(text: str) -> str | None:
    exact = _register_labels().get(text)
    if exact:
        return exact
    return _SYNONYMS.get(header_key(text))


def is_known_header(text: str) -> bool:
    return field_for_header(text) is not None


@dataclass
class Mapping:
    """For each column of a table, the field it feeds (``None``: not imported)."""

    headers: list[str]
    fields: list[str | None]
    department: Department = Department.OTHER
    source: str | None = None
    reasons: dict[int, str] = field(default_factory=dict)  # why a column was mapped as it was

    def column_of(self, key: str) -> int | None:
        try:
            return self.fields.index(key)
        except ValueError:
            return None

    def set(self, column: int, key: str | None) -> None:
        if key is not None and key not in FIELD_BY_KEY:
            raise UserError(f"'{key}' is not a field the import can fill.")
        if key is not None:  # one column per field
            for index, existing in enumerate(self.fields):
                if existing == key and index != column:
                    self.fields[index] = None
        self.fields[column] = key
        self.reasons[column] = "chosen by you"

    def mapped(self) -> list[tuple[int, str]]:
        return [(i, key) for i, key in enumerate(self.fields) if key is not None]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "department": self.department.value,
            "columns": {h: k for h, k in zip(self.headers, self.fields, strict=True) if k},
        }


def propose(
    headers: Sequence[str], sample: Sequence[Sequence[Any]], *, source: str | None = None
) -> Mapping:
    """A mapping from the header texts, then from what unclaimed columns hold."""
    fields: list[str | None] = [None] * len(headers)
    reasons: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        key = field_for_header(re.sub(r" \(\d+\)$", "", header)) if not header.startswith("Column ") else None
        if key and key not in taken:
            fields[index] = key
            taken.add(key)
            reasons[index] = f"header '{header}'"
    for index, header in enumerate(headers):
        if fields[index] is not None:
            continue
        values = [row[index] for row in sample if index < len(row) and not norm.is_blank(row[index])]
        guess = _guess_from_values(values)
        if guess and guess not in taken:
            fields[index] = guess
            taken.add(guess)
            reasons[index] = "what the column holds"
    mapping = Mapping(list(headers), fields, source=source, reasons=reasons)
    mapping.department = guess_department(mapping, source)
    return mapping


def _share(values: Sequence[Any], test: Any) -> float:
    if not values:
        return 0.0
    ok = 0
    for value in values:
        try:
            if test(value) is not None:
                ok += 1
        except (norm.CellError, ValueError, TypeError):
            pass
    return ok / len(values)


def _guess_from_values(values: Sequence[Any]) -> str | None:
    if len(values) < 3:
        return None
    texts = [str(v) for v in values]
    if all("$" in t for t in texts) and _share(values, norm.money) > 0.9:
        return "cost"
    if any(isinstance(v, str) and "/" in v for v in values) and _share(values, norm.day) > 0.9:
        return "acquired_on"
    if _share(values, norm.status) > 0.9:
        return "status"
    if _share(values, norm.condition) > 0.9:
        return "condition"
    return None


_DEPARTMENT_WORDS = {
    Department.FINANCE: ("finance", "fixed asset", " fa ", "capital", "business office", "accounting"),
    Department.FACILITIES: ("facilit", " room", "maintenance", "custod", "furniture", "building"),
    Department.IT: (" it ", " tech", "device", "snipe", "chromebook", "computer"),
}


def guess_department(mapping: Mapping, source: str | None) -> Department:
    name = " " + re.sub(r"[^a-z0-9]+", " ", (source or "").lower()) + " "
    for department, words in _DEPARTMENT_WORDS.items():
        if any(w in name for w in words):
            return department
    keys = set(k for k in mapping.fields if k)
    if {"serial", "model"} & keys and not {"funding_source", "fund_code"} & keys:
        return Department.IT
    if {"cost", "funding_source", "fund_code", "po_number"} & keys and "serial" not in keys:
        return Department.FINANCE
    if "room" in keys and "cost" not in keys:
        return Department.FACILITIES
    return Department.OTHER


def apply_saved(mapping: Mapping, saved: dict[str, Any]) -> Mapping:
    """Use a saved mapping's choices for the headers this table has; the rest stay proposed."""
    columns = saved.get("columns", {})
    if not isinstance(columns, dict):
        raise UserError("The saved mapping is damaged: 'columns' is not a list of header: field.")
    by_header = {h.lower(): k for h, k in columns.items()}
    for index, header in enumerate(mapping.headers):
        if header.lower() in by_header:
            key = by_header[header.lower()]
            if key not in FIELD_BY_KEY and key is not None:
                raise UserError(f"The saved mapping names '{key}' for column '{header}'; that is not a field.")
            mapping.fields[index] = None
            if key is not None:
                mapping.set(index, key)
            mapping.reasons[index] = "saved mapping"
        elif mapping.fields[index] is not None:
            mapping.fields[index] = None  # the saved mapping left it out on purpose
    if saved.get("department"):
        try:
            mapping.department = Department(saved["department"])
        except ValueError:
            raise UserError(f"The saved mapping names an unknown department '{saved['department']}'.") from None
    return mapping


def read_mapping_file(path: str | Path) -> dict[str, Any]:
    """A JSON mapping file: {"department": "it", "columns": {"Serial Number": "serial", ...}}."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UserError(f"The mapping file {path} does not exist.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise UserError(f"The mapping file {path.name} is not valid JSON ({err}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
        raise UserError(f"The mapping file {path.name} must hold {{\"columns\": {{header: field}}}}.")
    for header, key in data.get("columns", {}).items():
        if key is not None and key not in FIELD_BY_KEY:
            known = ", ".join(FIELD_BY_KEY)
            raise UserError(f"The mapping file {path.name} maps '{header}' to '{key}', which is not one of: {known}.")
    return data
