"""One spreadsheet row → the register's values, with every problem named by column.

``read_rows`` turns each data row of a mapped table into a ``RowValues``:
register fields with references resolved to ids (class, model, room, funding
source, person ...). A cell that cannot be trusted either rejects its row
(``problems``) or is left out with a note (``flags``: a serial a spreadsheet
rounded, a person the register does not know).
"""

from __future__ import annotations

from collections.abc import Iterator
import re
from dataclasses import dataclass, field
from decimal import Decimal
from datetime import date
from typing import Any

from models.importing import normalise as norm
from models.importing.catalog import Catalog, room_key
from models.importing.mapping import Mapping
from models.importing.reading import SourceTable

# A location that is not in the register yet: ("new", site text, building text, room text).
NewLocation = tuple[str, str, str, str]
# A model that is not in the catalog yet: ("new-model", manufacturer, name).
NewModel = tuple[str, str, str]

_FORMULA_START = ("=", "+", "@")


@dataclass(slots=True)
class RowValues:
    file: int  # index of the file in the import
    row: int  # row number as a spreadsheet shows it
    values: dict[str, Any]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column header, why)
    flags: list[tuple[str, str]] = field(default_factory=list)

    @property
    def tag(self) -> str | None:
        return self.values.get("tag")

    @property
    def serial_key(self) -> str | None:
        return norm.serial_key(self.values.get("serial"))


@dataclass
class Unknowns:
    """Names the register does not have, with how many rows use each."""

    locations: dict[NewLocation, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    models: dict[NewModel, int] = field(default_factory=dict)


@dataclass
class ReadOptions:
    create_locations: bool = False
    create_models: bool = False
    class_aliases: dict[str, int] = field(default_factory=dict)  # name key → class id
    today: date | None = None


def read_rows(
    file_index: int,
    table: SourceTable,
    mapping: Mapping,
    catalog: Catalog,
    options: ReadOptions,
    unknowns: Unknowns,
) -> Iterator[RowValues]:
    headers = table.headers
    mapped = mapping.mapped()
    width = len(headers)
    column = {key: index for index, key in mapped}
    location_columns = [column[k] for k in ("site", "building", "room") if k in column]
    model_columns = [column[k] for k in ("model", "manufacturer") if k in column]
    simple = [(i, k) for i, k in mapped if k not in _COMPOSITE]
    composite_columns = [i for i, k in mapped if k in _COMPOSITE]
    today = options.today
    # Most columns repeat a few values (classes, statuses, dates, rooms): each is read once.
    caches: list[dict[Any, tuple[str | None, dict[str, Any] | None]] | None] = [
        None if key in _UNIQUE else {} for key in mapping.fields
    ]
    place_cache: dict[tuple, tuple[dict[str, Any], list[tuple[str, str]]]] = {}
    for number, cells in table.rows():
        if not any(not norm.is_blank(c) for c in cells):
            continue  # blank lines between blocks are not rows
        row = RowValues(file_index, number, {})
        if len(cells) > width and any(not norm.is_blank(c) for c in cells[width:]):
            row.flags.append((f"column {width + 1}+", f"the row has {len(cells) - width} more cells than "
                              "the header; they were left out"))
        values = row.values
        for index, key in simple:
            cell = cells[index]
            if cell is None or cell == "":
                continue
            if isinstance(cell, str):
                if not cell.strip():
                    continue
                if cell.startswith(_FORMULA_START) and key not in ("cost", "salvage_value"):
                    row.problems.append((headers[index], f"'{cell[:30]}' is a formula, not a value; "
                                         "save the sheet with values"))
                    continue
                if len(cell) > 32_000:
                    row.problems.append((headers[index], f"holds {len(cell):,} characters; no cell "
                                         "of the register is that long"))
                    continue
            cache = caches[index]
            if cache is not None:
                hit = cache.get(cell)
                if hit is not None:
                    if hit[0] is None:
                        values.update(hit[1])
                    else:
                        (row.flags if key == "serial" else row.problems).append((headers[index], hit[0]))
                    continue
            found: dict[str, Any] = {}
            flags_before = len(row.flags)
            try:
                _read_cell(key, cell, found, catalog, row, headers[index], today)
            except norm.CellError as err:
                if key == "serial":
                    row.flags.append((headers[index], str(err)))
                else:
                    row.problems.append((headers[index], str(err)))
                if cache is not None and len(cache) < CACHE_LIMIT:
                    cache[cell] = (str(err), None)
                continue
            values.update(found)
            if cache is not None and len(cache) < CACHE_LIMIT and len(row.flags) == flags_before:
                cache[cell] = (None, found)
        if location_columns or model_columns or "asset_class" in column:
            key = tuple(cells[i] for i in composite_columns)
            hit = place_cache.get(key)
            if hit is None:
                probe = RowValues(row.file, row.row, {})
                if location_columns:
                    _read_location(cells, column, headers, catalog, options, unknowns, probe)
                if model_columns:
                    _read_model(cells, column, headers, catalog, options, unknowns, probe)
                if "asset_class" in column:
                    _read_class(cells[column["asset_class"]], headers[column["asset_class"]], catalog, options,
                                unknowns, probe)
                hit = (probe.values, probe.problems + probe.flags, len(probe.problems))
                if len(place_cache) < CACHE_LIMIT:
                    place_cache[key] = hit
            else:
                _count_unknowns(hit[0], unknowns)
            values.update(hit[0])
            row.problems.extend(hit[1][:hit[2]])
            row.flags.extend(hit[1][hit[2]:])
        yield row


_COMPOSITE = {"site", "building", "room", "model", "manufacturer", "asset_class"}
_UNIQUE = {"tag", "serial", "notes", "description", None}
CACHE_LIMIT = 50_000


def _count_unknowns(values: dict[str, Any], unknowns: Unknowns) -> None:
    """A repeated unknown name counts once per row, as if it had been read again."""
    location = values.get("location")
    if isinstance(location, tuple) and location[0] == "new":
        unknowns.locations[location] = unknowns.locations.get(location, 0) + 1
    model = values.get("model_id")
    if isinstance(model, tuple):
        unknowns.models[model] = unknowns.models.get(model, 0) + 1
    if "class_missing" in values:
        name = values["class_missing"]
        unknowns.classes[name] = unknowns.classes.get(name, 0) + 1


def _read_cell(key: str, cell: Any, values: dict[str, Any], catalog: Catalog, row: RowValues,
               header: str, today: date | None) -> None:
    if key == "tag":
        values["tag"] = norm.tag(cell)
    elif key == "serial":
        values["serial"] = norm.serial(cell)
    elif key == "description":
        values["description"] = norm.text(cell, max_length=240)
    elif key == "status":
        values["status"] = norm.status(cell)
    elif key == "condition":
        values["condition"] = norm.condition(cell)
    elif key in ("cost", "salvage_value"):
        values[key] = norm.money(cell)
    elif key in ("acquired_on", "in_service_on"):
        values[key] = norm.day(cell, today=today, future_days=0 if key == "acquired_on" else 366)
    elif key == "warranty_ends_on":
        values[key] = norm.day(cell, today=today, future_days=366 * 15)
    elif key == "warranty_months":
        values[key] = norm.whole_number(cell, minimum=0, maximum=600)
    elif key == "useful_life_months":
        values[key] = norm.whole_number(cell, minimum=1, maximum=1200)
    elif key == "useful_life_years":
        years = norm.whole_number(cell, minimum=1, maximum=100)
        if years is not None:
            values["useful_life_months"] = years * 12
    elif key == "department":
        text = norm.cell_text(cell) or ""
        found = catalog.departments.get(text.upper()) or catalog.departments.get(norm.name_key(text))
        if found is None:
            raise norm.CellError(f"'{text}' is not a department of the district")
        values["department_id"] = found
    elif key == "function_code":
        text = norm.cell_text(cell) or ""
        if text not in catalog.function_codes:
            raise norm.CellError(f"'{text}' is not a function code of the district")
        values["function_code"] = text
    elif key == "fund_code":
        text = norm.cell_text(cell) or ""
        if text not in catalog.fund_codes:
            raise norm.CellError(f"'{text}' is not a fund of the district")
        values["fund_code"] = text
    elif key == "funding_source":
        values["funding"] = _funding(norm.cell_text(cell) or "", catalog)
    elif key == "assigned_to":
        text = norm.cell_text(cell) or ""
        found = catalog.person(text)
        if len(set(found)) == 1:
            values["assigned_person_id"] = found[0]
        else:
            why = "is not a person in the register" if not found else "matches several people"
            row.flags.append((header, f"'{text}' {why}; the assignment was left out"))
    elif key == "use":
        values["use"] = norm.text(cell, max_length=120)
    elif key == "po_number":
        values["po_number"] = norm.text(cell, max_length=40)
    elif key == "invoice_number":
        values["invoice_number"] = norm.text(cell, max_length=40)
    elif key == "vendor":
        values["vendor"] = norm.text(cell, max_length=120)
    elif key == "title_holder":
        values["title_holder"] = norm.text(cell, max_length=160)
    elif key == "notes":
        values["notes"] = norm.text(cell, max_length=20_000)
    else:  # pragma: no cover - every field has a reader above
        raise AssertionError(key)


def _funding(text: str, catalog: Catalog) -> tuple[tuple[int, int], ...]:
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


def _text_at(cells: list[Any], column: dict[str, int], key: str) -> str | None:
    index = column.get(key)
    if index is None:
        return None
    return norm.cell_text(cells[index])


def _read_location(cells: list[Any], column: dict[str, int], headers: list[str], catalog: Catalog,
                   options: ReadOptions, unknowns: Unknowns, row: RowValues) -> None:
    site_text = _text_at(cells, column, "site")
    building_text = _text_at(cells, column, "building")
    room_text = _text_at(cells, column, "room")
    if not (site_text or building_text or room_text):
        return
    where = headers[column["room"]] if "room" in column and room_text else headers[
        column.get("site", column.get("building", column.get("room", 0)))]
    if room_text and not site_text:
        # "ES01-A-101" or "ES01 101": the site (and building) written into the room code.
        parts = [p for p in room_text.replace("/", "-").replace(" ", "-").split("-") if p]
        if len(parts) >= 2 and parts[0].upper() in catalog.sites:
            site_text, room_text = parts[0], parts[-1]
            if len(parts) >= 3 and not building_text:
                building_text = parts[1]
    if room_text and site_text and not building_text:
        # "B-207": the building written into the room number.
        parts = [p for p in room_text.replace("/", "-").replace(" ", "-").split("-") if p]
        site_id = catalog.sites.get(site_text.upper()) or catalog.sites.get(norm.name_key(site_text))
        if len(parts) == 2 and site_id is not None and (site_id, parts[0].upper()) in catalog.buildings:
            building_text, room_text = parts
    if not site_text:
        row.problems.append((where, "a room without its site cannot be placed; map the site column too"))
        return
    site_id = catalog.sites.get(site_text.upper()) or catalog.sites.get(norm.name_key(site_text))
    building_id = None
    if site_id is not None and building_text:
        building_id = catalog.buildings.get((site_id, building_text.upper())) or catalog.buildings.get(
            (site_id, norm.name_key(building_text)))
    if site_id is not None and (building_id is not None or not building_text):
        if not room_text:
            if building_text and building_id is None:
                pass
            else:
                row.values["location"] = ("site", site_id)
                return
        else:
            number = room_key(room_text)
            if building_id is not None:
                room_id = catalog.rooms.get((building_id, number))
                if room_id is not None:
                    row.values["location"] = ("room", room_id)
                    return
            else:
                found = catalog.rooms_at_site.get((site_id, number), [])
                if len(found) == 1:
                    row.values["location"] = ("room", found[0])
                    return
                if len(found) > 1:
                    buildings = ", ".join(sorted(catalog.building_label[catalog.room_building[r]] for r in found))
                    row.problems.append((where, f"room {room_text} is in several buildings of "
                                         f"{catalog.site_label[site_id]} ({buildings}); map the building "
                                         "column too"))
                    return
                if len(catalog.buildings_of_site.get(site_id, [])) > 1:
                    if not options.create_locations:
                        row.problems.append((where, f"room {room_text} is not at {catalog.site_label[site_id]}"
                                             "; tick 'create missing locations' to add it (its building "
                                             "must be given too)"))
                        return
                    row.problems.append((where, f"room {room_text} is not at {catalog.site_label[site_id]} "
                                         "and the site has several buildings; give the building to create it"))
                    return
    key: NewLocation = ("new", (site_text or "").strip(), (building_text or "").strip(), (room_text or "").strip())
    unknowns.locations[key] = unknowns.locations.get(key, 0) + 1
    if not options.create_locations:
        place = " / ".join(p for p in key[1:] if p)
        row.problems.append((where, f"{place} is not a location in the register; tick 'create missing "
                             "locations' to add it"))
        return
    row.values["location"] = key


def _read_model(cells: list[Any], column: dict[str, int], headers: list[str], catalog: Catalog,
                options: ReadOptions, unknowns: Unknowns, row: RowValues) -> None:
    name = _text_at(cells, column, "model")
    maker = _text_at(cells, column, "manufacturer")
    if not name:
        return
    if len(name) > 120 or (maker and len(maker) > 80):
        row.problems.append((headers[column["model"]], "the model or manufacturer name is too long"))
        return
    found = None
    if maker:
        found = catalog.models.get((norm.name_key(maker), norm.name_key(name)))
    if found is None:
        candidates = set(catalog.models_by_name.get(norm.name_key(name), []))
        if maker:
            candidates |= set(catalog.models_by_name.get(norm.name_key(f"{maker} {name}"), []))
        if len(candidates) == 1:
            found = candidates.pop()
    if found is not None:
        row.values["model_id"] = found
        return
    key: NewModel = ("new-model", (maker or "Unknown").strip(), name.strip())
    unknowns.models[key] = unknowns.models.get(key, 0) + 1
    if options.create_models:
        row.values["model_id"] = key
    else:
        row.flags.append((headers[column["model"]], f"'{name}' is not a model in the catalog; left out "
                          "(tick 'create missing models' to add it)"))


def _read_class(cell: Any, header: str, catalog: Catalog, options: ReadOptions, unknowns: Unknowns,
                row: RowValues) -> None:
    text = norm.cell_text(cell)
    if not text:
        return
    key = norm.name_key(text)
    found = catalog.classes.get(text.upper()) or catalog.classes.get(key) or options.class_aliases.get(key)
    if found is not None:
        row.values["class_id"] = found
        return
    unknowns.classes[text] = unknowns.classes.get(text, 0) + 1
    row.values["class_missing"] = text
    row.values["class_header"] = header
