"""Writing a previewed import: one transaction, one history event per asset, one batch.

New assets go in as bulk inserts (COPY on PostgreSQL) with ids taken up front,
so that each still gets its own hash-chained ``created`` event; changed assets
are updated in groups that change the same fields, after checking that nobody
saved them since the preview. Any failure or a cancel rolls everything back.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Connection, bindparam, select, text, update

from models import history
from models.database import HISTORY_LOCK_KEY, Database, UnitOfWork
from models.errors import UserError
from models.importing.catalog import Catalog, room_key
from models.importing.collector import paused_collector
from models.importing.plan import DEFAULT_CONDITION, DEFAULT_STATUS, ImportPlan, PlannedAsset, tag_among
from models.progress import Progress, step
from models.rules import capitalization_rule
from models.schema import (
    Asset,
    AssetModel,
    Assignment,
    Building,
    Floor,
    FundingShare,
    HistoryEvent,
    ImportBatch,
    Room,
    RoomType,
    Site,
    SiteKind,
)

ENTITY = "asset"
CHUNK = 900


class StaleImportError(UserError):
    """The register changed between the preview and the commit; nothing was written."""


@dataclass(frozen=True)
class ImportResult:
    batch_id: str
    created: int
    updated: int
    unchanged: int
    rejected: int


def commit_plan(db: Database, actor: str, plan: ImportPlan, progress: Progress | None = None) -> ImportResult:
    """Write ``plan`` in one transaction; returns the batch it was recorded as."""
    if not plan.new and not plan.updated:
        raise UserError("There is nothing to import: every row is unchanged or rejected.")
    batch_id = str(uuid.uuid4())
    with paused_collector(), db.unit_of_work(actor, batch_id=batch_id) as work:
        writer = _Writer(work, plan, progress)
        writer.run()
        work.session.add(
            ImportBatch(
                id=batch_id,
                actor=actor,
                committed_at=work.occurred_at,
                files=", ".join(f.table.name for f in plan.files)[:4000],
                details=json.dumps(writer.details(), sort_keys=True),
                created_count=len(plan.new),
                updated_count=len(plan.updated),
                unchanged_count=len(plan.unchanged),
                rejected_count=plan.rejected_rows,
            )
        )
        step(progress, 1, 1, "Saving…")
    return ImportResult(batch_id, len(plan.new), len(plan.updated), len(plan.unchanged), plan.rejected_rows)


class _Writer:
    def __init__(self, work: UnitOfWork, plan: ImportPlan, progress: Progress | None) -> None:
        self.work = work
        self.plan = plan
        self.progress = progress
        self.connection: Connection = work.session.connection()
        self.dialect = self.connection.dialect.name
        assert plan.catalog is not None
        self.catalog: Catalog = plan.catalog
        self.created: dict[str, list[int]] = defaultdict(list)
        self.placeholders: dict[tuple, int] = {}
        self.place_site: dict[tuple, int] = {}
        self.events: list[tuple[int, str, str, str | None]] = []  # (asset id, action, changes, note)

    def details(self) -> dict[str, Any]:
        return {
            "files": [
                {"name": f.table.name, "sheet": f.table.sheet, "department": f.mapping.department.value,
                 "source": f.mapping.source, "encoding": f.table.encoding}
                for f in self.plan.files
            ],
            "created": dict(self.created),
        }

    def run(self) -> None:
        self._check_fresh()
        self._create_references()
        if self.work.pending:
            self.work.write_history()
        self._insert_new()
        self._update_existing()
        _write_history(self.connection, self.work, self.events, self.progress)

    # -- is the preview still true? ----------------------------------------------------------
    def _check_fresh(self) -> None:
        session = self.work.session
        tags = [p.values["tag"] for p in self.plan.new]
        step(self.progress, 0, None, "Checking the register…")
        taken = list(session.scalars(select(Asset.tag).where(tag_among(session, tags)))) if tags else []
        if taken:
            raise StaleImportError(
                f"Since the preview, {len(taken)} of the new tags were added to the register by someone "
                f"else ({', '.join(sorted(taken)[:5])}{'…' if len(taken) > 5 else ''}). Nothing was "
                "imported; preview again."
            )
        expected = {p.asset_id: p for p in self.plan.updated}
        ids = sorted(expected)
        moved: list[str] = []
        for start in range(0, len(ids), CHUNK):
            stmt = select(Asset.id, Asset.tag, Asset.version).where(Asset.id.in_(ids[start:start + CHUNK]))
            if self.dialect == "postgresql":
                stmt = stmt.with_for_update()
            found = {row.id: row for row in session.execute(stmt)}
            for asset_id in ids[start:start + CHUNK]:
                row = found.get(asset_id)
                if row is None or row.version != expected[asset_id].version:
                    moved.append(row.tag if row else expected[asset_id].key)
        if moved:
            raise StaleImportError(
                f"Since the preview, {len(moved)} of the assets this import changes were changed or "
                f"deleted by someone else ({', '.join(moved[:5])}{'…' if len(moved) > 5 else ''}). "
                "Nothing was imported; preview again."
            )

    # -- locations and models the user chose to create -----------------------------------------
    def _create_references(self) -> None:
        planned = [*self.plan.new, *self.plan.updated]
        locations = {p.values["location"] for p in planned if _is_new(p.values.get("location"))}
        models = {p.values["model_id"]: p for p in planned if _is_new(p.values.get("model_id"))}
        for key in sorted(locations):
            self.placeholders[key] = self._create_location(key)
        session = self.work.session
        for key, example in sorted(models.items(), key=lambda item: item[0]):
            class_id = example.values.get("class_id")
            device = self.catalog.class_label.get(class_id, "Other") if class_id else "Other"
            model = AssetModel(manufacturer=key[1][:80], name=key[2][:120], device_type=device[:60],
                               default_class_id=class_id)
            session.add(model)
            session.flush()
            self.placeholders[key] = model.id
            self.created["models"].append(model.id)
            self.catalog.add_model(model.id, model.manufacturer, model.name, class_id)
            self.work.record("asset_model", model.id, "created",
                             {"manufacturer": (None, model.manufacturer), "name": (None, model.name)})

    def _create_location(self, key: tuple[str, str, str, str]) -> int:
        """The room (or site) a new location stands for; returns the room id, or the site id."""
        from models.importing.normalise import name_key

        session = self.work.session
        cat = self.catalog
        _, site_text, building_text, room_text = key
        site_id = cat.sites.get(site_text.upper()) or cat.sites.get(name_key(site_text))
        if site_id is None:
            code = _free_code(_code(site_text), lambda c: c in cat.sites)
            site = Site(code=code, name=site_text[:120], kind=SiteKind.OTHER)
            session.add(site)
            session.flush()
            site_id = site.id
            cat.sites[code.upper()] = site_id
            cat.sites[name_key(site_text)] = site_id
            cat.site_label[site_id] = code
            self.created["sites"].append(site_id)
            self.work.record("site", site_id, "created", {"code": (None, code), "name": (None, site.name)})
        if not room_text and not building_text:
            self.place_site[key] = site_id
            return site_id
        building_id = None
        if building_text:
            building_id = cat.buildings.get((site_id, building_text.upper())) or cat.buildings.get(
                (site_id, name_key(building_text)))
        elif len(cat.buildings_of_site.get(site_id, [])) == 1:
            building_id = cat.buildings_of_site[site_id][0]
        if building_id is None and not building_text:
            building_id = cat.buildings.get((site_id, "A"))  # made for another room of a new site
        if building_id is None:
            code = _free_code(_code(building_text or "A"), lambda c: (site_id, c) in cat.buildings)
            building = Building(site_id=site_id, code=code,
                                name=(building_text or "Main Building")[:120])
            session.add(building)
            session.flush()
            building_id = building.id
            cat.buildings[(site_id, code.upper())] = building_id
            cat.buildings_of_site[site_id].append(building_id)
            cat.building_label[building_id] = code
            cat.building_site[building_id] = site_id
            self.created["buildings"].append(building_id)
            self.work.record("building", building_id, "created",
                             {"site_id": (None, site_id), "code": (None, code)})
        if not room_text:
            self.place_site[key] = site_id
            return site_id
        number = room_key(room_text)[:16]
        existing = cat.rooms.get((building_id, number))
        if existing is not None:
            return existing
        digits = re.match(r"^(\d)\d{2,}", number)
        level = int(digits.group(1)) if digits else 1
        floor_id = cat.floors.get((building_id, level))
        if floor_id is None:
            floor = Floor(building_id=building_id, level=level, name=f"Floor {level}")
            session.add(floor)
            session.flush()
            floor_id = floor.id
            cat.floors[(building_id, level)] = floor_id
            self.created["floors"].append(floor_id)
        room = Room(floor_id=floor_id, site_id=site_id, number=number, room_type=RoomType.OTHER)
        session.add(room)
        session.flush()
        cat.rooms[(building_id, number)] = room.id
        cat.rooms_at_site[(site_id, number)].append(room.id)
        cat.room_site[room.id] = site_id
        cat.room_building[room.id] = building_id
        cat.room_label[room.id] = f"{cat.site_label[site_id]} / {cat.building_label[building_id]} / {number}"
        self.created["rooms"].append(room.id)
        self.work.record("room", room.id, "created",
                         {"site_id": (None, site_id), "floor_id": (None, floor_id), "number": (None, number)})
        return room.id

    def _place(self, location: Any) -> tuple[int | None, int | None]:
        """(site_id, room_id) for a planned location."""
        if location is None:
            return None, None
        if location[0] == "room":
            return self.catalog.room_site[location[1]], location[1]
        if location[0] == "site":
            return location[1], None
        if location in self.place_site:
            return self.place_site[location], None
        room_id = self.placeholders[location]
        return self.catalog.room_site[room_id], room_id

    # -- new assets ------------------------------------------------------------------------------
    def _insert_new(self) -> None:
        new = self.plan.new
        if not new:
            return
        ids = self._take_ids(len(new))
        now = self.work.occurred_at
        rows: list[dict[str, Any]] = []
        shares: list[dict[str, Any]] = []
        loans: list[dict[str, Any]] = []
        note_of = _note_maker(self.plan)
        created_json = _CreatedChanges()
        for asset_id, planned in zip(ids, new, strict=True):
            values = planned.values
            site_id, room_id = self._place(values.get("location"))
            model = values.get("model_id")
            if isinstance(model, tuple):
                model = self.placeholders[model]
            cost = values["cost"]
            class_id = values["class_id"]
            row = {
                "id": asset_id, "tag": values["tag"], "serial": values.get("serial"),
                "description": values["description"], "model_id": model, "class_id": class_id,
                "status": values.get("status") or DEFAULT_STATUS,
                "condition": values.get("condition") or DEFAULT_CONDITION,
                "parent_id": None, "site_id": site_id, "room_id": room_id,
                "department_id": values.get("department_id"), "custodian_id": None,
                "assigned_person_id": values.get("assigned_person_id"), "use": values.get("use"),
                "function_code": values.get("function_code"), "fund_code": values.get("fund_code"),
                "acquired_on": values["acquired_on"], "in_service_on": values.get("in_service_on"),
                "cost": cost, "salvage_value": values.get("salvage_value") or Decimal("0.00"),
                "useful_life_months": values.get("useful_life_months"), "depreciation_method": None,
                "depreciation_convention": None,
                "capitalized": capitalization_rule(cost, self.catalog.class_threshold[class_id]),
                "capitalization_override_reason": None, "title_holder": values.get("title_holder"),
                "po_number": values.get("po_number"), "vendor": values.get("vendor"),
                "invoice_number": values.get("invoice_number"),
                "warranty_ends_on": values.get("warranty_ends_on"), "notes": values.get("notes"),
                "disposed_on": None, "disposal_method": None, "disposal_proceeds": None,
                "created_at": now, "updated_at": now, "version": 1,
            }
            rows.append(row)
            funding = None
            if "funding" in values:
                for source, points in values["funding"]:
                    shares.append({"asset_id": asset_id, "funding_source_id": source, "share_basis_points": points})
                funding = _share_list(values["funding"])
            changes = created_json(row, funding)
            if row["assigned_person_id"] is not None:
                loans.append({"asset_id": asset_id, "person_id": row["assigned_person_id"],
                              "loaned_on": now.date(), "returned_on": None, "lost_on": None,
                              "note": f"import {self.work.batch_id}"})
            self.events.append((asset_id, "created", changes, note_of(planned)))
            if len(rows) % 10_000 == 0:
                step(self.progress, len(rows), len(new), "Preparing new assets…")
        step(self.progress, 0, len(rows), f"Adding {len(rows):,} new assets…")
        if self.dialect == "sqlite" and len(rows) > 5000:
            _insert_indexed_once(self.connection, rows, self.progress)
        else:
            _insert(self.connection, Asset.__table__, rows, self.progress, "Adding new assets")
        if shares:
            _insert(self.connection, FundingShare.__table__, shares, None, "")
        if loans:
            _insert(self.connection, Assignment.__table__, loans, None, "")

    def _take_ids(self, count: int) -> list[int]:
        if self.dialect == "postgresql":
            return list(self.connection.execute(
                text("SELECT nextval(pg_get_serial_sequence('assets', 'id')) FROM generate_series(1, :n)"),
                {"n": count},
            ).scalars())
        top = self.connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM assets")).scalar_one()
        return list(range(top + 1, top + 1 + count))

    # -- changed assets ----------------------------------------------------------------------------
    def _update_existing(self) -> None:
        updated = self.plan.updated
        if not updated:
            return
        now = self.work.occurred_at
        note_of = _note_maker(self.plan)
        batches: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        replaced_funding: list[int] = []
        shares: list[dict[str, Any]] = []
        loans: list[dict[str, Any]] = []
        current = self._current(updated)
        for done, planned in enumerate(updated, 1):
            asset_id = planned.asset_id
            assert asset_id is not None and planned.before is not None
            was = current[asset_id]
            params: dict[str, Any] = {}
            changes: dict[str, tuple[Any, Any]] = {}
            for name, value in planned.values.items():
                if name == "location":
                    site_id, room_id = self._place(value)
                    for column, new in (("site_id", site_id), ("room_id", room_id)):
                        if was[column] != new:
                            params[column], changes[column] = new, (was[column], new)
                elif name == "funding":
                    changes["funding"] = (_share_list(planned.before["funding"]), _share_list(value))
                    replaced_funding.append(asset_id)
                    for source, points in value:
                        shares.append({"asset_id": asset_id, "funding_source_id": source,
                                       "share_basis_points": points})
                elif name == "model_id":
                    model = self.placeholders[value] if isinstance(value, tuple) else value
                    params[name], changes[name] = model, (was[name], model)
                else:
                    params[name], changes[name] = value, (was[name], value)
                    if name == "assigned_person_id":
                        loans.append({"asset_id": asset_id, "person_id": value, "loaned_on": now.date(),
                                      "returned_on": None, "lost_on": None,
                                      "note": f"import {self.work.batch_id}"})
            if ("cost" in params or "class_id" in params) and not was["capitalization_override_reason"]:
                cost = params.get("cost", was["cost"])
                class_id = params.get("class_id", was["class_id"])
                flag = capitalization_rule(cost, self.catalog.class_threshold[class_id])
                if flag != was["capitalized"]:
                    params["capitalized"], changes["capitalized"] = flag, (was["capitalized"], flag)
            if not changes:
                continue
            params["b_id"] = asset_id
            batches[tuple(sorted(k for k in params if k != "b_id"))].append(params)
            self.events.append((asset_id, "edited", history.changes_json(changes), note_of(planned)))
            if done % 5000 == 0:
                step(self.progress, done, len(updated), "Updating assets…")
        table = Asset.__table__
        for names, group in batches.items():
            values: dict[str, Any] = {name: bindparam(name) for name in names}
            values["updated_at"] = now
            values["version"] = table.c.version + 1
            stmt = update(table).where(table.c.id == bindparam("b_id")).values(values)
            for start in range(0, len(group), 5000):
                self.connection.execute(stmt, group[start:start + 5000])
        for start in range(0, len(replaced_funding), CHUNK):
            self.connection.execute(FundingShare.__table__.delete().where(
                FundingShare.asset_id.in_(replaced_funding[start:start + CHUNK])))
        if shares:
            _insert(self.connection, FundingShare.__table__, shares, None, "")
        if loans:
            _insert(self.connection, Assignment.__table__, loans, None, "")

    def _current(self, planned: Sequence[PlannedAsset]) -> dict[int, dict[str, Any]]:
        table = Asset.__table__
        ids = sorted(p.asset_id for p in planned if p.asset_id is not None)
        found: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), CHUNK):
            stmt = select(table).where(table.c.id.in_(ids[start:start + CHUNK]))
            for row in self.connection.execute(stmt).mappings():
                found[row["id"]] = dict(row)
        return found


_SNAPSHOT = (
    "tag", "serial", "description", "model_id", "class_id", "status", "condition", "parent_id", "site_id",
    "room_id", "department_id", "custodian_id", "use", "function_code", "fund_code", "acquired_on",
    "in_service_on", "cost", "salvage_value", "useful_life_months", "depreciation_method",
    "depreciation_convention", "capitalized", "capitalization_override_reason", "title_holder",
    "po_number", "vendor", "invoice_number", "warranty_ends_on", "notes", "assigned_person_id",
    "disposed_on", "disposal_method", "disposal_proceeds",
)


def _share_list(shares: Iterable[tuple[int, int]]) -> list[list[Any]]:
    """Funding as history records it (as the asset service does): [[source id, "80.00"], ...]."""
    return [[source, f"{Decimal(points) / 100:.2f}"] for source, points in sorted(shares)]


def _is_new(value: Any) -> bool:
    return isinstance(value, tuple) and value[0] in ("new", "new-model")


def _code(text_value: str) -> str:
    compact = re.sub(r"[^A-Za-z0-9-]", "", text_value)
    if 0 < len(compact) <= 16 and " " not in text_value.strip():
        return compact.upper()
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", text_value)).upper()
    return (initials or "NEW")[:16]


def _free_code(code: str, taken: Any) -> str:
    """``code``, or with a number after it when another site or building has it: texts that
    differ ("4/5/16", "4-5-16") can make the same code."""
    found, number = code, 1
    while taken(found.upper()):
        number += 1
        found = f"{code[:16 - len(str(number)) - 1]}-{number}"
    return found


def _note_maker(plan: ImportPlan) -> Any:
    names = [f.table.name for f in plan.files]

    def note(planned: PlannedAsset) -> str:
        where = "; ".join(f"{names[f]} row {r}" for f, r in planned.rows[:4])
        return f"import: {where}" + ("…" if len(planned.rows) > 4 else "")

    return note


# -- bulk writes ----------------------------------------------------------------------------------


_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def _canonical(value: Any) -> Any:
    """``history.canonical_value`` for the types an import writes, without its general dispatch."""
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return value
    if kind is Decimal and value.as_tuple().exponent == -2:
        return f"{value:.2f}"
    if kind is date:
        return value.isoformat()
    return history.canonical_value(value)


class _CreatedChanges:
    """A created event's changes, ``{"field": [null, value], ...}``, exactly as ``_dumps`` writes
    them (sorted keys, no spaces), put together from pieces encoded once per distinct value:
    most columns of an import repeat a few values."""

    _ORDER = tuple(sorted((*_SNAPSHOT, "funding")))
    _UNIQUE = frozenset(("tag", "serial", "notes", "po_number", "invoice_number"))

    def __init__(self) -> None:
        self.memo: dict[str, dict[Any, str]] = {name: {} for name in _SNAPSHOT}

    def piece(self, name: str, value: Any) -> str:
        return f"{_dumps(name)}:[null,{_dumps(_canonical(value))}]"

    def __call__(self, row: dict[str, Any], funding: list[list[Any]] | None) -> str:
        parts = []
        append = parts.append
        memo = self.memo
        unique = self._UNIQUE
        for name in self._ORDER:
            if name == "funding":
                if funding is not None:
                    append(f'"funding":[[],{_dumps(funding)}]')
                continue
            value = row[name]
            if value is None:
                continue
            if name in unique:
                append(self.piece(name, value))
                continue
            # Equal values of other types (1.5 and 1.50, True and 1) may record differently.
            key = (type(value), str(value) if type(value) is Decimal else value)
            found = memo[name].get(key)
            if found is None:
                found = memo[name][key] = self.piece(name, value)
            append(found)
        return "{" + ",".join(parts) + "}"


def _sqlite_cell(value: Any) -> Any:
    """A value as SQLAlchemy's SQLite types store it (money as cents, dates as ISO text)."""
    kind = type(value)
    if value is None or kind is str or kind is int:
        return value
    if kind is bool:
        return int(value)
    if kind is Decimal:
        return int(value * 100)
    if kind is date:
        return value.isoformat()
    if kind is datetime:
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, Enum):
        return value.value
    return value


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _insert(connection: Connection, table: Any, rows: list[dict[str, Any]], progress: Progress | None,
            label: str) -> None:
    if not rows:
        return
    names = list(rows[0])
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            columns = ", ".join(f'"{n}"' for n in names)
            with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
                for done, row in enumerate(rows, 1):
                    copy.write_row([_plain(row[n]) for n in names])
                    if progress is not None and done % 10_000 == 0:
                        progress.step(done, len(rows), f"{label}: {done:,} of {len(rows):,}")
        return
    # Values converted as the column types would (see _sqlite_cell), a column at a time.
    columns = [_sqlite_column([row[n] for row in rows]) for n in names]
    values = list(zip(*columns))
    del columns
    quoted = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" * len(names))
    if len(rows) < STAGE_FROM:
        sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
        for start in range(0, len(values), 10_000):
            connection.exec_driver_sql(sql, values[start:start + 10_000])
        return
    # Many rows go through a temporary table and one INSERT … SELECT: SQLite re-evaluates a
    # CHECK's IN list for every executed statement, which made row-at-a-time inserts into
    # assets three times slower. The staging table goes with the transaction if it fails.
    stage = f"import_stage_{table.name}"
    connection.exec_driver_sql(f'DROP TABLE IF EXISTS temp."{stage}"')
    connection.exec_driver_sql(f'CREATE TEMP TABLE "{stage}" AS SELECT {quoted} FROM main."{table.name}" WHERE 0')
    sql = f'INSERT INTO temp."{stage}" ({quoted}) VALUES ({marks})'
    for start in range(0, len(values), 10_000):
        connection.exec_driver_sql(sql, values[start:start + 10_000])
        if progress is not None:
            progress.step(min(start + 10_000, len(rows)), len(rows), f"{label}: {start:,} of {len(rows):,}")
    connection.exec_driver_sql(
        f'INSERT INTO main."{table.name}" ({quoted}) SELECT {quoted} FROM temp."{stage}" ORDER BY rowid')
    connection.exec_driver_sql(f'DROP TABLE temp."{stage}"')


STAGE_FROM = 2000


def _sqlite_column(values: list[Any]) -> list[Any]:
    """``_sqlite_cell`` over one column's values; a repeated value is converted once."""
    kinds = {type(v) for v in values}
    kinds.discard(type(None))
    if kinds <= {str, int}:
        return values
    if len(kinds) > 1:
        return [_sqlite_cell(v) for v in values]
    memo: dict[Any, Any] = {None: None}
    out = []
    append = out.append
    for value in values:
        found = memo.get(value, memo)
        if found is memo:
            found = memo[value] = _sqlite_cell(value)
        append(found)
    return out


def _insert_indexed_once(connection: Connection, rows: list[dict[str, Any]], progress: Progress | None) -> None:
    """SQLite: many new assets go into the text-search index in one statement, not a trigger per row.

    The trigger is dropped and re-created inside the same transaction, so a failure or a
    cancel puts it back with everything else.
    """
    trigger = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'assets_search_insert'").scalar()
    if trigger is None:
        _insert(connection, Asset.__table__, rows, progress, "Adding new assets")
        return
    connection.exec_driver_sql("PRAGMA cache_size = -262144")
    connection.exec_driver_sql("DROP TRIGGER assets_search_insert")
    _insert(connection, Asset.__table__, rows, progress, "Adding new assets")
    step(progress, 0, None, "Indexing the new assets for search…")
    connection.exec_driver_sql(
        "INSERT INTO asset_search(rowid, tag, serial, description) "
        "SELECT id, tag, serial, description FROM assets WHERE id BETWEEN ? AND ?",
        (rows[0]["id"], rows[-1]["id"]),
    )
    connection.exec_driver_sql(trigger)


def _write_history(connection: Connection, work: UnitOfWork, events: list[tuple[int, str, str, str | None]],
                   progress: Progress | None) -> None:
    """One hash-chained event per asset, chained onto the last event written."""
    if not events:
        return
    step(progress, 0, len(events), "Recording history…")
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": HISTORY_LOCK_KEY})
    prev = history.last_hash(connection)
    ids = [e[0] for e in events]
    actions = [e[1] for e in events]
    changes = [e[2] for e in events]
    notes = [e[3] for e in events]
    hashes = history.hash_many(prev, work.occurred_at, work.actor, ENTITY, ids, actions, changes,
                               work.batch_id, notes)
    previous = [prev, *hashes[:-1]]
    rows = [
        {"occurred_at": work.occurred_at, "actor": work.actor, "entity_type": ENTITY, "entity_id": i,
         "action": a, "changes": c, "batch_id": work.batch_id, "note": n, "prev_hash": p, "hash": h}
        for i, a, c, n, p, h in zip(ids, actions, changes, notes, previous, hashes, strict=True)
    ]
    _insert(connection, HistoryEvent.__table__, rows, progress, "Recording history")


def undo_refusal_names(tags: Iterable[str], limit: int = 10) -> str:
    tags = sorted(tags)
    more = f" and {len(tags) - limit} more" if len(tags) > limit else ""
    return ", ".join(tags[:limit]) + more


__all__ = ["ImportResult", "StaleImportError", "commit_plan", "datetime"]
