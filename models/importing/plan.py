"""The preview: what an import of one or more files would do, before anything is written.

Rows are grouped into assets by tag, then by normalised serial (within a file,
across files and against the register). Where files disagree on a field the
conflict is listed and decided by the department rule (Finance wins cost and
dates, Facilities wins the room, IT wins serial, model and assignment) unless
the user chose otherwise. Each asset is then new, updated or unchanged; rows
that cannot be used are rejected with their row number, column and reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from models.database import Database
from models.depreciation.closing import DATED_FIELDS, ClosedThrough, closed_through
from models.importing import normalise as norm
from models.importing.catalog import Catalog
from models.collector import paused_collector
from models.importing.mapping import FIELD_BY_KEY, Department, Mapping
from models.importing.reading import SourceTable
from models.importing.lookup import assets_by
from models.importing.rows import ReadOptions, RowValues, Unknowns, read_rows
from models.progress import Progress, step
from models.schema import AssetStatus, Condition, FundingShare

# The fields an import can set, in the order the preview shows them.
ASSET_FIELDS = (
    "tag", "serial", "description", "model_id", "class_id", "status", "condition", "location",
    "department_id", "assigned_person_id", "use", "function_code", "fund_code", "funding",
    "acquired_on", "in_service_on", "cost", "salvage_value", "useful_life_months", "po_number",
    "vendor", "invoice_number", "warranty_ends_on", "title_holder", "notes",
)
FIELD_LABELS = {
    "tag": "Tag", "serial": "Serial", "description": "Description", "model_id": "Model",
    "class_id": "Class", "status": "Status", "condition": "Condition", "location": "Location",
    "department_id": "Department", "assigned_person_id": "Assigned to", "use": "Use",
    "function_code": "Function code", "fund_code": "Fund code", "funding": "Funding source",
    "acquired_on": "Acquired on", "in_service_on": "In service on", "cost": "Cost",
    "salvage_value": "Salvage value", "useful_life_months": "Useful life (months)",
    "po_number": "PO number", "vendor": "Vendor", "invoice_number": "Invoice number",
    "warranty_ends_on": "Warranty ends on", "title_holder": "Title holder", "notes": "Notes",
}
IT, FIN, FAC, OTHER = Department.IT, Department.FINANCE, Department.FACILITIES, Department.OTHER
_FINANCE_FIRST = (FIN, IT, FAC, OTHER)
_FACILITIES_FIRST = (FAC, IT, FIN, OTHER)
_IT_FIRST = (IT, FIN, FAC, OTHER)
DEFAULT_RULES: dict[str, tuple[Department, ...]] = {
    **dict.fromkeys(("cost", "salvage_value", "acquired_on", "in_service_on", "funding", "fund_code",
                     "function_code", "po_number", "vendor", "invoice_number", "useful_life_months",
                     "title_holder", "class_id", "description"), _FINANCE_FIRST),
    **dict.fromkeys(("location", "condition", "department_id", "use"), _FACILITIES_FIRST),
    **dict.fromkeys(("tag", "serial", "model_id", "assigned_person_id", "status", "warranty_ends_on",
                     "notes"), _IT_FIRST),
}


@dataclass
class SourceFile:
    table: SourceTable
    mapping: Mapping


@dataclass
class PlanOptions:
    create_locations: bool = False
    create_models: bool = False
    class_aliases: dict[str, int] = field(default_factory=dict)  # class name key → class id
    field_rules: dict[str, Department] = field(default_factory=dict)  # field → department that wins
    decisions: dict[tuple[str, str], int] = field(default_factory=dict)  # (asset key, field) → candidate
    today: date | None = None


@dataclass(frozen=True)
class Rejection:
    file: str
    row: int
    column: str
    reason: str


@dataclass
class Candidate:
    value: Any
    file: int
    row: int
    department: Department


@dataclass
class Conflict:
    key: str  # the asset's tag (or serial)
    field: str
    candidates: list[Candidate]
    chosen: int
    why: str


@dataclass(slots=True)
class PlannedAsset:
    key: str
    asset_id: int | None
    values: dict[str, Any]  # field → value as it will be (new) or the new values (update)
    sources: dict[str, tuple[int, int]]  # field → (file index, row) it came from
    rows: list[tuple[int, int]]
    version: int | None = None
    before: dict[str, Any] | None = None  # update: the current values of the fields changing

    @property
    def is_new(self) -> bool:
        return self.asset_id is None


@dataclass
class ImportPlan:
    files: list[SourceFile]
    new: list[PlannedAsset] = field(default_factory=list)
    updated: list[PlannedAsset] = field(default_factory=list)
    unchanged: list[PlannedAsset] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    flagged: list[Rejection] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unknowns: Unknowns = field(default_factory=Unknowns)
    options: PlanOptions = field(default_factory=PlanOptions)
    catalog: Catalog | None = None
    rows_read: int = 0
    # The last closed fiscal year when the preview was made: dates in it are refused, and
    # the commit books other changes to its figures as adjustments.
    closed: ClosedThrough | None = None

    @property
    def rejected_rows(self) -> int:
        return len({(r.file, r.row) for r in self.rejected})

    @property
    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "updated": len(self.updated), "unchanged": len(self.unchanged),
                "rejected": self.rejected_rows}

    def file_name(self, index: int) -> str:
        return self.files[index].table.name

    def display(self, field_name: str, value: Any) -> str:
        return display_value(self.catalog, field_name, value)


def display_value(catalog: Catalog | None, field_name: str, value: Any) -> str:
    if value is None:
        return ""
    if catalog is not None:
        if field_name == "location":
            if value[0] == "room":
                return catalog.room_label.get(value[1], str(value[1]))
            if value[0] == "site":
                return catalog.site_label.get(value[1], str(value[1]))
            return " / ".join(p for p in value[1:] if p) + " (new)"
        if field_name == "model_id":
            return catalog.model_label.get(value, "") if isinstance(value, int) else f"{value[1]} {value[2]} (new)"
        if field_name == "funding":
            if len(value) == 1:
                return catalog.funding_label.get(value[0][0], str(value[0][0]))
            return ", ".join(f"{catalog.funding_label.get(s, s)} {Decimal(p) / 100:g}%" for s, p in value)
        labels = {"class_id": catalog.class_label, "funding": catalog.funding_label,
                  "department_id": catalog.department_label, "assigned_person_id": catalog.person_label}
        if field_name in labels:
            return labels[field_name].get(value, str(value))
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def build_plan(
    db: Database,
    files: Sequence[SourceFile],
    options: PlanOptions | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read, match and merge ``files``; nothing is written."""
    options = options or PlanOptions()
    plan = ImportPlan(list(files), options=options)
    read_options = ReadOptions(options.create_locations, options.create_models, options.class_aliases,
                               options.today)
    with paused_collector(), db.reading() as session:
        catalog = Catalog.load(session)
        plan.catalog = catalog
        plan.closed = closed_through(session)
        rows: list[RowValues] = []
        for index, source in enumerate(files):
            step(progress, 0, None, f"Reading {source.table.name}…")
            name = source.table.name
            read = read_rows(index, source.table, source.mapping, catalog, read_options, plan.unknowns, progress)
            plan.rows_read += len(read)
            for row in read:
                if row.flags:
                    for column, reason in row.flags:
                        plan.flagged.append(Rejection(name, row.row, column, reason))
                if row.problems:
                    for column, reason in row.problems:
                        plan.rejected.append(Rejection(name, row.row, column, reason))
                    continue
                if not row.serial_key and not row.values.get("tag"):
                    plan.rejected.append(Rejection(name, row.row, "", "no tag or serial to tell which asset it is"))
                    continue
                rows.append(row)
            del read
        catalog.person_label  # noqa: B018 - loaded with the people, if any were named
        _plan_rows(session, plan, rows, progress)
    return plan


def _plan_rows(session: Any, plan: ImportPlan, rows: list[RowValues], progress: Progress | None) -> None:
    """Group, match and decide; the rows and groups go when this returns, before the collector
    is back (see ``collector``), so that it need not walk them."""
    step(progress, 0, None, "Matching rows to the register…")
    groups, keys = _group_rows(plan, rows)
    rows.clear()
    existing = _match_register(session, plan, groups, keys, progress)
    _decide(plan, groups, keys, existing, progress)


# -- grouping -----------------------------------------------------------------------------------


def _group_rows(plan: ImportPlan, rows: list[RowValues]) -> tuple[list[list[RowValues]], list[str | None]]:
    """Rows of the same asset together: same tag, or same serial (when one side has no tag).
    Also each group's tag in upper case (None for a group without one)."""
    by_tag: dict[str, list[RowValues]] = {}
    untagged: dict[str, list[RowValues]] = {}
    for row in rows:
        if row.tag:
            by_tag.setdefault(row.tag.upper(), []).append(row)
        else:
            untagged.setdefault(row.serial_key or "", []).append(row)
    if not untagged:
        return list(by_tag.values()), list(by_tag)
    tag_of_serial: dict[str, set[str]] = defaultdict(set)
    for tag, members in by_tag.items():
        for row in members:
            if row.serial_key:
                tag_of_serial[row.serial_key].add(tag)
    groups = dict(by_tag)
    loose: list[list[RowValues]] = []
    for serial, members in untagged.items():
        tags = tag_of_serial.get(serial, set())
        if len(tags) == 1:
            groups[next(iter(tags))].extend(members)
        elif len(tags) > 1:
            for row in members:
                plan.rejected.append(Rejection(plan.file_name(row.file), row.row, "",
                                               f"serial {serial} belongs to several tags in the files "
                                               f"({', '.join(sorted(tags))})"))
        else:
            loose.append(members)
    return [*groups.values(), *loose], [*groups, *[None] * len(loose)]


def _match_register(session: Any, plan: ImportPlan, groups: list[list[RowValues]], keys: list[str | None],
                    progress: Progress | None) -> dict[int, dict[str, Any]]:
    """For each group index, the register asset it is (by tag, then by serial)."""
    tags = {row.tag for group in groups for row in group if row.tag}
    step(progress, 0, None, "Matching tags to the register…")
    postgres = session.get_bind().dialect.name == "postgresql"
    # PostgreSQL finds a tag in any case through its lower(tag) index, which also gives the tags
    # as the files write them; SQLite's upper() knows only ASCII, so those are looked up as written.
    by_tag = assets_by(session, "any case" if postgres else "tag", tags)
    assets: dict[str, dict[str, Any]] = {}
    for found in by_tag:
        if found["tag"] in tags:
            assets[found["tag"].upper()] = found
    # Tags compare without regard to case: "abc-1" in a file is "ABC-1" in the register.
    missing_tags = {t.upper() for t in tags} - set(assets)
    if not postgres:
        by_tag = assets_by(session, "any case", missing_tags)
    need_serial = {}
    for index, (group, tag) in enumerate(zip(groups, keys, strict=True)):
        if tag and tag in assets:
            continue
        for row in group:
            if row.serial_key:
                need_serial[row.serial_key] = index
    by_serial: dict[str, list[int]] = defaultdict(list)
    by_id: dict[int, dict[str, Any]] = {}
    if need_serial or missing_tags:
        step(progress, 0, None, "Matching serials to the register…")
        found_by_tag = [found for found in by_tag if found["upper_tag"] in missing_tags]
        found_by_serial = [found for found in assets_by(session, "serial", set(need_serial))
                           if found["upper_tag"] not in missing_tags]  # those came with their tag
        for found in (*found_by_tag, *found_by_serial):
            if found["serial_key"] in need_serial:
                by_serial[found["serial_key"]].append(found["id"])
            if found["upper_tag"] in missing_tags:
                by_serial["\x00tag:" + found["upper_tag"]].append(found["id"])
            by_id[found["id"]] = found
    result: dict[int, dict[str, Any]] = {}
    claimed: dict[int, int] = {}
    for index, (group, tag) in enumerate(zip(groups, keys, strict=True)):
        found = assets.get(tag) if tag else None
        if found is None and tag:
            ids = by_serial.get("\x00tag:" + tag, [])
            found = by_id.get(ids[0]) if len(ids) == 1 else None
        if found is None:
            serials = {r.serial_key for r in group if r.serial_key}
            ids = {i for s in serials for i in by_serial.get(s, [])}
            if len(ids) > 1:
                _reject_group(plan, group, "", "its serial matches several assets in the register "
                              f"(ids {', '.join(map(str, sorted(ids)))}); fix the register first")
                groups[index] = []
                continue
            if ids:
                found = by_id.get(ids.pop())
                if found is not None and tag and found["tag"].upper() != tag and found["tag"].upper() in tags:
                    _reject_group(plan, group, "", f"its serial belongs to asset {found['tag']}, which the "
                                  "files also list under its own tag")
                    groups[index] = []
                    continue
        if found is None:
            continue
        if found["id"] in claimed:
            _reject_group(plan, group, "", f"it is the same register asset ({found['tag']}) as another "
                          "row group in the files (same serial)")
            groups[index] = []
            continue
        claimed[found["id"]] = index
        result[index] = found
    if result:
        funding: dict[int, list[tuple[int, int]]] = defaultdict(list)
        ids = sorted(found["id"] for found in result.values())
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            stmt = select(FundingShare.asset_id, FundingShare.funding_source_id,
                          FundingShare.share_basis_points).where(FundingShare.asset_id.in_(chunk))
            for share in session.execute(stmt):
                funding[share.asset_id].append((share.funding_source_id, share.share_basis_points))
        for found in result.values():
            found["funding_shares"] = sorted(funding.get(found["id"], []))
    return result


def _reject_group(plan: ImportPlan, group: Iterable[RowValues], column: str, reason: str) -> None:
    for row in group:
        plan.rejected.append(Rejection(plan.file_name(row.file), row.row, column, reason))


# -- merging and comparing ------------------------------------------------------------------------


def _decide(plan: ImportPlan, groups: list[list[RowValues]], keys: list[str | None],
            existing: dict[int, dict[str, Any]], progress: Progress | None) -> None:
    departments = [f.mapping.department for f in plan.files]
    total = len(groups)
    for index, group in enumerate(groups):
        if not group:
            continue
        if index % 5000 == 0:
            step(progress, index, total, "Merging and comparing…")
        current = existing.get(index)
        # A tagged group's first row has its tag (see _group_rows).
        key = (group[0].tag if keys[index] else None) or (current["tag"] if current else None) \
            or next(r.values["serial"] for r in group if r.values.get("serial"))
        if len(group) == 1:
            row = group[0]
            values = row.values  # the row's own, not needed after this
            sources = dict.fromkeys(values, (row.file, row.row))
        else:
            values, sources = _merge(plan, key, group, departments)
        _finish(plan, key, group, values, sources, current)


def _merge(plan: ImportPlan, key: str, group: list[RowValues],
           departments: list[Department]) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    candidates: dict[str, list[Candidate]] = defaultdict(list)
    for row in group:
        for name, value in row.values.items():
            candidates[name].append(Candidate(value, row.file, row.row, departments[row.file]))
    values: dict[str, Any] = {}
    sources: dict[str, tuple[int, int]] = {}
    for name, found in candidates.items():
        if name == "location":
            found = _most_specific_places(found, plan.catalog)
        distinct = []
        for candidate in found:
            if not any(_same(candidate.value, other.value, name) for other in distinct):
                distinct.append(candidate)
        if len(distinct) == 1:
            chosen = found[0] if name != "serial" else distinct[0]
            values[name], sources[name] = chosen.value, (chosen.file, chosen.row)
            continue
        if name in ("class_header", "class_missing"):
            values[name] = found[-1].value
            continue
        chosen_index, why = _rule(plan.options, key, name, distinct)
        chosen = distinct[chosen_index]
        values[name], sources[name] = chosen.value, (chosen.file, chosen.row)
        plan.conflicts.append(Conflict(key, name, distinct, chosen_index, why))
    return values, sources


def _most_specific_places(found: list[Candidate], catalog: Catalog | None) -> list[Candidate]:
    """A site alone agrees with a room at that site: the room says more, the site is dropped."""
    assert catalog is not None
    room_sites = {catalog.room_site.get(c.value[1]) for c in found if c.value[0] == "room"}
    kept = [c for c in found if not (c.value[0] == "site" and c.value[1] in room_sites)]
    return kept or found


def _same(a: Any, b: Any, name: str) -> bool:
    if name == "serial":
        return norm.serial_key(a) == norm.serial_key(b)
    if isinstance(a, str) and isinstance(b, str) and name not in ("notes",):
        return " ".join(a.split()).lower() == " ".join(b.split()).lower()
    return a == b


def _rule(options: PlanOptions, key: str, name: str, distinct: list[Candidate]) -> tuple[int, str]:
    decided = options.decisions.get((key, name))
    if decided is not None and 0 <= decided < len(distinct):
        return decided, "your choice"
    preferred = options.field_rules.get(name)
    order = ((preferred,) if preferred else ()) + DEFAULT_RULES.get(name, _IT_FIRST)
    for department in order:
        matches = [i for i, c in enumerate(distinct) if c.department is department]
        if matches:
            rank = "your rule" if preferred is department else "rule"
            who = department.label
            if len(matches) > 1:
                return matches[-1], f"{rank}: {who} wins {FIELD_LABELS.get(name, name)}; its later row"
            return matches[0], f"{rank}: {who} wins {FIELD_LABELS.get(name, name)}"
    return len(distinct) - 1, "the later row"


def _finish(plan: ImportPlan, key: str, group: list[RowValues], values: dict[str, Any],
            sources: dict[str, tuple[int, int]], current: dict[str, Any] | None) -> None:
    catalog = plan.catalog
    assert catalog is not None
    rows = [(r.file, r.row) for r in group]
    first = group[0]
    missing_class = values.pop("class_missing", None)
    class_header = values.pop("class_header", "Class")
    months = values.pop("warranty_months", None)
    if months is not None and "warranty_ends_on" not in values:
        acquired = values.get("acquired_on") or (current or {}).get("acquired_on")
        if acquired is not None:
            # A 36-month warranty from 2023-08-07 runs to 2026-08-06.
            values["warranty_ends_on"] = _add_months(acquired, months) - timedelta(days=1) if months else acquired
            sources["warranty_ends_on"] = sources.get("warranty_months", rows[0])
    if values.get("status") is AssetStatus.DISPOSED and not (current and current["disposed_on"]):
        where = sources.get("status", rows[0])
        _reject_group(plan, group, _column_of(plan, where[0], "status"),
                      "an import does not dispose assets (record the disposal with its date and method)")
        return
    if values.get("tag") is None and current is None:
        _reject_group(plan, group, "", "a new asset needs a tag; no file gives one")
        return
    model = values.get("model_id")
    if current is None:
        if "class_id" not in values:
            model_class = catalog.model_class.get(model) if isinstance(model, int) else None
            if model_class is not None:
                values["class_id"] = model_class
            else:
                why = (f"'{missing_class}' is not a class of the register; choose the class it stands for"
                       if missing_class else "a new asset needs a class; no file gives one")
                _reject_group(plan, group, class_header if missing_class else "", why)
                return
        if not values.get("description"):
            if model is not None:
                values["description"] = catalog.model_label.get(model, "") if isinstance(model, int) \
                    else f"{model[1]} {model[2]}"
            if not values.get("description"):
                _reject_group(plan, group, "", "a new asset needs a description or a model; no file gives one")
                return
        lacking = [FIELD_LABELS[name].lower() for name in ("acquired_on", "cost") if values.get(name) is None]
        if lacking:
            _reject_group(plan, group, "", f"a new asset needs {' and '.join(lacking)}; no file gives "
                          f"{'them' if len(lacking) > 1 else 'it'}")
            return
    elif missing_class:
        plan.flagged.append(Rejection(plan.file_name(first.file), first.row, class_header,
                                      f"'{missing_class}' is not a class of the register; left out"))
    problem = _check(values, current) or _closed_year(plan.closed, values, current)
    if problem:
        field_name, reason = problem
        where = sources.get(field_name, rows[0])
        column = _column_of(plan, where[0], field_name)
        _reject_group(plan, group, column, reason)
        return
    planned = PlannedAsset(key, None, values, sources, rows)
    if current is None:
        plan.new.append(planned)
        return
    planned.asset_id = current["id"]
    planned.version = current["version"]
    changes = _changes(values, current)
    if not changes:
        plan.unchanged.append(planned)
        return
    if current["disposed_on"] is not None:
        _reject_group(plan, group, "", f"asset {current['tag']} was disposed on "
                      f"{current['disposed_on'].isoformat()}; an import does not change it")
        return
    if "assigned_person_id" in changes and current["assigned_person_id"] is not None:
        holder = catalog.person_label.get(current["assigned_person_id"], "someone")
        plan.flagged.append(Rejection(plan.file_name(first.file), first.row, "Assigned to",
                                      f"{current['tag']} is assigned to {holder} in the register; "
                                      "return it first (the assignment was left out)"))
        del changes["assigned_person_id"]
        if not changes:
            plan.unchanged.append(planned)
            return
    planned.values = {name: values[name] for name in changes}
    planned.before = changes
    plan.updated.append(planned)


def _column_of(plan: ImportPlan, file_index: int, field_name: str) -> str:
    mapping = plan.files[file_index].mapping
    keys = {"location": "room", "model_id": "model", "class_id": "asset_class", "funding": "funding_source",
            "department_id": "department", "assigned_person_id": "assigned_to"}
    column = mapping.column_of(keys.get(field_name, field_name))
    if column is None and field_name == "location":
        column = mapping.column_of("site")
    return mapping.headers[column] if column is not None else FIELD_LABELS.get(field_name, field_name)


def _check(values: dict[str, Any], current: dict[str, Any] | None) -> tuple[str, str] | None:
    before = current or {}
    if "salvage_value" in values or ("cost" in values and before.get("salvage_value")):
        cost = values.get("cost", before.get("cost"))
        salvage = values.get("salvage_value", before.get("salvage_value")) or _ZERO
        if cost is not None and salvage > cost:
            return "salvage_value", f"salvage value {salvage:,.2f} is more than the cost {cost:,.2f}"
    if "in_service_on" in values or ("acquired_on" in values and before.get("in_service_on")):
        acquired = values.get("acquired_on", before.get("acquired_on"))
        in_service = values.get("in_service_on", before.get("in_service_on"))
        if acquired and in_service and in_service < acquired:
            return "in_service_on", f"in service on {in_service} is before the acquisition date {acquired}"
    return None


def _closed_year(closed: ClosedThrough | None, values: dict[str, Any],
                 current: dict[str, Any] | None) -> tuple[str, str] | None:
    """A date the row would set inside a closed fiscal year (the asset editor refuses the same)."""
    if closed is None:
        return None
    for name in DATED_FIELDS:
        value = values.get(name)
        if value is not None and (current is None or current.get(name) != value):
            refusal = closed.refusal(name, value)
            if refusal:
                return name, refusal
    return None


_ZERO = Decimal("0.00")


def _changes(values: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Field → its current value, for each field the import would change."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name == "location":
            now = ("room", current["room_id"]) if current["room_id"] else (
                ("site", current["site_id"]) if current["site_id"] else None)
            if value[0] == "site" and current["site_id"] == value[1]:
                continue  # the site only: the room inside it stays
            if value != now:
                changes[name] = now
        elif name == "funding":
            shares = current["funding_shares"]
            one_source_among = len(value) == 1 and value[0][0] in [source for source, _ in shares]
            if list(value) != shares and not one_source_among:
                changes[name] = shares
        elif name == "serial":
            if norm.serial_key(value) != norm.serial_key(current["serial"]):
                changes[name] = current["serial"]
        elif name == "tag":
            if value != current["tag"]:
                changes[name] = current["tag"]
        else:
            now = current.get(name)
            if isinstance(now, str) and isinstance(value, str):
                if " ".join(now.split()) != " ".join(value.split()):
                    changes[name] = now
            elif now != value:
                changes[name] = now
    return changes


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(day, start.day))
        except ValueError:
            continue
    return start + timedelta(days=30 * months)


DEFAULT_STATUS = AssetStatus.IN_SERVICE
DEFAULT_CONDITION = Condition.GOOD
__all__ = ["FIELD_BY_KEY", "ImportPlan", "PlanOptions", "SourceFile", "build_plan"]
