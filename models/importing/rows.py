"""One spreadsheet row → the register's values, with every problem named by column.

``read_rows`` turns each data row of a mapped table into a ``RowValues``:
register fields with references resolved to ids (class, model, room, funding
source, person ...). A cell that cannot be trusted either rejects its row
(``problems``) or is left out with a note (``flags``: a serial a spreadsheet
rounded, a person the register does not know).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from typing import Any

from models.importing import normalise as norm
from models.importing.catalog import Catalog, room_key
from models.importing.cells import MISSING, ColumnValues, read_column
from models.importing.mapping import Mapping
from models.importing.reading import SourceTable
from models.progress import Progress

# A location that is not in the register yet: ("new", site text, building text, room text).
NewLocation = tuple[str, str, str, str]
# A model that is not in the catalog yet: ("new-model", manufacturer, name).
NewModel = tuple[str, str, str]

Notes = list[tuple[str, str]] | tuple[()]  # (column header, why)


@dataclass(slots=True)
class RowValues:
    file: int  # index of the file in the import
    row: int  # row number as a spreadsheet shows it
    values: dict[str, Any]
    tag: str | None = None  # values["tag"]
    serial_key: str | None = None  # the serial as serials are matched (normalise.serial_key)
    problems: Notes = ()  # the row is rejected for these
    flags: Notes = ()  # values left out


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


# What the location, model and class columns together give a row: values, then problems and
# flags as one list with the number of problems.
Place = tuple[dict[str, Any], list[tuple[str, str]], int]


def read_rows(
    file_index: int,
    table: SourceTable,
    mapping: Mapping,
    catalog: Catalog,
    options: ReadOptions,
    unknowns: Unknowns,
    progress: Progress | None = None,
) -> list[RowValues]:
    """Every non-blank data row of ``table`` as the register's values, read a column at a time."""
    headers = table.headers
    data = table.columns()
    count = len(data.numbers)
    mapped = mapping.mapped()
    reads: list[tuple[str, ColumnValues]] = []
    for index, key in mapped:
        if progress is not None:
            progress.check()  # a cancel is seen between columns; the file's step is build_plan's
        if key not in _COMPOSITE:
            reads.append((headers[index], read_column(key, data.cells[index], catalog, options.today)))
    places = _read_places(data.cells, mapping, headers, catalog, options, unknowns)
    width = len(headers)
    troubled: set[int] = set(data.longer)
    for _, read in reads:
        troubled.update(read.problems)
        troubled.update(read.flags)
    keys = [read.key for _, read in reads]
    columns = zip(*(read.values for _, read in reads)) if reads else repeat((), count)
    holes: set[int] = set()  # rows with a blank (or unusable) cell in a mapped column
    for _, read in reads:
        if not read.complete:
            holes.update(i for i, value in enumerate(read.values) if value is MISSING)
    serial_key = norm.serial_key
    rows: list[RowValues] = []
    append = rows.append
    for position, (number, cells) in enumerate(zip(data.numbers, columns, strict=True)):
        if position in holes:
            values = {key: value for key, value in zip(keys, cells) if value is not MISSING}
        else:
            values = dict(zip(keys, cells))
        serial = values.get("serial")
        row = RowValues(file_index, number, values, values.get("tag"), serial_key(serial) if serial else None)
        if position in troubled:
            row.problems, row.flags = [], []
            if position in data.longer:
                row.flags.append((f"column {width + 1}+", f"the row has {data.longer[position]} more cells "
                                  "than the header; they were left out"))
            for header, read in reads:
                if position in read.problems:
                    row.problems.append((header, read.problems[position]))
                elif position in read.flags:
                    row.flags.append((header, read.flags[position]))
        if places is not None:
            place_values, notes, problem_count = places[position]
            values.update(place_values)
            if notes:
                row.problems = [*row.problems, *notes[:problem_count]]
                row.flags = [*row.flags, *notes[problem_count:]]
        append(row)
    return rows


_COMPOSITE = {"site", "building", "room", "model", "manufacturer", "asset_class"}


def _read_places(cells: list[list[Any]], mapping: Mapping, headers: list[str], catalog: Catalog,
                 options: ReadOptions, unknowns: Unknowns) -> list[Place] | None:
    """Location, model and class of each row, read once for each distinct combination."""
    mapped = mapping.mapped()
    column = {key: index for index, key in mapped}
    composite_columns = [i for i, k in mapped if k in _COMPOSITE]
    if not composite_columns:
        return None
    location_columns = [column[k] for k in ("site", "building", "room") if k in column]
    model_columns = [column[k] for k in ("model", "manufacturer") if k in column]
    combinations = list(zip(*(cells[i] for i in composite_columns)))
    found: dict[tuple, Place] = {}
    for combination, uses in Counter(combinations).items():  # in order of first use
        row_cells: list[Any] = [None] * len(headers)
        for index, cell in zip(composite_columns, combination, strict=True):
            row_cells[index] = cell
        probe = RowValues(-1, 0, {}, problems=[], flags=[])
        named = Unknowns()
        if location_columns:
            _read_location(row_cells, column, headers, catalog, options, named, probe)
        if model_columns:
            _read_model(row_cells, column, headers, catalog, options, named, probe)
        if "asset_class" in column:
            _read_class(row_cells[column["asset_class"]], headers[column["asset_class"]], catalog, options,
                        named, probe)
        for mine, theirs in ((unknowns.locations, named.locations), (unknowns.models, named.models),
                             (unknowns.classes, named.classes)):
            for name, times in theirs.items():  # once for each row that names it
                mine[name] = mine.get(name, 0) + times * uses  # type: ignore[index]
        found[combination] = (probe.values, [*probe.problems, *probe.flags], len(probe.problems))
    return list(map(found.__getitem__, combinations))


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
