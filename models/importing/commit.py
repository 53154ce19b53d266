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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, select, text, update

from models import history
from models.database import HISTORY_LOCK_KEY, Database, UnitOfWork
from models.integrity import verify_check_constraints
from models.depreciation.closing import FIGURE_FIELDS, closed_through, guard_asset_change
from models.errors import UserError
from models.importing.catalog import Catalog, room_key
from models.collector import paused_collector
from models.importing.events import created_changes, share_list
from models.importing.lookup import tag_among
from models.importing.plan import DEFAULT_CONDITION, DEFAULT_STATUS, ImportPlan, PlannedAsset
from models.importing.writes import Column, Same, compact, insert_columns
from models.progress import Progress, step
from models.rules import capitalization_rule
from models.schema import (
    Asset,
    AssetModel,
    Building,
    Floor,
    FundingShare,
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
        self.events = Events()

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
        closed = closed_through(session)
        if closed != self.plan.closed:
            now = f"FY{closed.year} is the last closed year" if closed else "no fiscal year is closed"
            raise StaleImportError(f"Since the preview, the closed fiscal years changed ({now}). Nothing was "
                                   "imported; preview again.")
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
        """The new assets a column at a time, each with its created event, funding and loan."""
        new = self.plan.new
        if not new:
            return
        count = len(new)
        step(self.progress, 0, count, "Preparing new assets…")
        ids = self._take_ids(count)
        values = [p.values for p in new]
        columns = self._asset_columns(ids, values)
        funding = [v.get("funding") for v in values]
        recorded: dict[Any, list[list[Any]]] = {}
        funding_changes = None if funding.count(None) == count else [
            None if f is None else recorded[f] if f in recorded else recorded.setdefault(f, share_list(f))
            for f in funding]
        note_of = _note_maker(self.plan)
        # The created events are put together on a second thread while the database takes the
        # rows (SQLite and the PostgreSQL server work without holding Python's lock).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-events") as pool:
            changes = pool.submit(created_changes, columns, funding_changes, count)
            notes = pool.submit(lambda: [note_of(p) for p in new])
            step(self.progress, 0, count, f"Adding {count:,} new assets…")
            if self.dialect == "sqlite" and count > 5000:
                _insert_indexed_once(self.connection, columns, count, self.progress)
            else:
                insert_columns(self.connection, "assets", columns, count, self.progress, "Adding new assets",
                               stage=True)
            shares = [(asset_id, source, points) for asset_id, f in zip(ids, funding, strict=True) if f
                      for source, points in f]
            if shares:
                asset_ids, sources, points = (list(c) for c in zip(*shares))
                insert_columns(self.connection, "funding_shares", {
                    "asset_id": asset_ids, "funding_source_id": sources, "share_basis_points": points},
                    len(shares))
            loaned = [(asset_id, v["assigned_person_id"]) for asset_id, v in zip(ids, values, strict=True)
                      if v.get("assigned_person_id") is not None]
            if loaned:
                insert_columns(self.connection, "assignments", {
                    "asset_id": [a for a, _ in loaned], "person_id": [p for _, p in loaned],
                    "loaned_on": Same(self.work.occurred_at.date()), "note": Same(f"import {self.work.batch_id}")},
                    len(loaned))
            self.events.add_many(ids, "created", changes.result(), notes.result())

    def _asset_columns(self, ids: list[int], values: list[dict[str, Any]]) -> dict[str, Column]:
        """The assets table's columns for new assets with these ``ids`` and planned ``values``."""

        def column(name: str) -> list[Any]:
            return [v.get(name) for v in values]

        places: dict[Any, tuple[int | None, int | None]] = {}
        located = [places[loc] if loc in places else places.setdefault(loc, self._place(loc))
                   for loc in column("location")]
        models = column("model_id")
        if any(isinstance(m, tuple) for m in models):
            models = [self.placeholders[m] if isinstance(m, tuple) else m for m in models]
        classes = [v["class_id"] for v in values]
        costs = [v["cost"] for v in values]
        threshold = self.catalog.class_threshold
        listed: dict[str, list[Any]] = {
            "tag": column("tag"), "serial": column("serial"), "description": [v["description"] for v in values],
            "model_id": models, "class_id": classes, "status": [v.get("status") or DEFAULT_STATUS for v in values],
            "condition": [v.get("condition") or DEFAULT_CONDITION for v in values],
            "site_id": [site for site, _ in located], "room_id": [room for _, room in located],
            "department_id": column("department_id"), "assigned_person_id": column("assigned_person_id"),
            "use": column("use"), "function_code": column("function_code"), "fund_code": column("fund_code"),
            "acquired_on": [v["acquired_on"] for v in values], "in_service_on": column("in_service_on"),
            "cost": costs, "salvage_value": [v.get("salvage_value") or _ZERO for v in values],
            "useful_life_months": column("useful_life_months"),
            "capitalized": [capitalization_rule(cost, threshold[k]) for cost, k in zip(costs, classes, strict=True)],
            "title_holder": column("title_holder"), "po_number": column("po_number"), "vendor": column("vendor"),
            "invoice_number": column("invoice_number"), "warranty_ends_on": column("warranty_ends_on"),
            "notes": column("notes"),
        }
        columns: dict[str, Column] = {"id": ids, **{name: compact(c) for name, c in listed.items()}}
        for name in ("parent_id", "custodian_id", "depreciation_method", "depreciation_convention",
                     "capitalization_override_reason", "disposed_on", "disposal_method", "disposal_proceeds"):
            columns[name] = Same(None)
        now = self.work.occurred_at
        columns.update({"created_at": Same(now), "updated_at": Same(now), "version": Same(1)})
        return columns

    def _take_ids(self, count: int) -> list[int]:
        if self.dialect == "postgresql":
            # The sequence is looked up once (per row, the look-up took most of the time).
            sequence = self.connection.execute(text("SELECT pg_get_serial_sequence('assets', 'id')")).scalar_one()
            return list(self.connection.execute(
                text("SELECT nextval(CAST(:sequence AS regclass)) FROM generate_series(1, :n)"),
                {"sequence": sequence, "n": count},
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
        figures_before: dict[int, dict[str, Any]] = {}  # assets whose closed-year figures may change
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
                    changes["funding"] = (share_list(planned.before["funding"]), share_list(value))
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
            if self.plan.closed is not None and any(name in FIGURE_FIELDS for name in params):
                figures_before[asset_id] = {name: was[name] for name in FIGURE_FIELDS}
            params["b_id"] = asset_id
            batches[tuple(sorted(k for k in params if k != "b_id"))].append(params)
            self.events.add(asset_id, "edited", history.changes_json(changes), note_of(planned))
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
            insert_columns(self.connection, "funding_shares", rows_as_columns(shares), len(shares))
        if loans:
            insert_columns(self.connection, "assignments", rows_as_columns(loans), len(loans))
        self._book_closed_year_effects(figures_before)

    def _book_closed_year_effects(self, figures_before: dict[int, dict[str, Any]]) -> None:
        """A change to a closed year's figures (a cost, a class, a life…) leaves them as closed and
        is booked as an adjustment in the first open year, as when the asset editor makes it."""
        closed = self.plan.closed
        if closed is None or not figures_before:
            return
        session = self.work.session
        ids = sorted(figures_before)
        for start in range(0, len(ids), CHUNK):
            step(self.progress, start, len(ids), f"Booking changes to FY{closed.year} as adjustments…")
            for asset in session.scalars(select(Asset).where(Asset.id.in_(ids[start:start + CHUNK]))):
                guard_asset_change(self.work, asset, figures_before[asset.id])

    def _current(self, planned: Sequence[PlannedAsset]) -> dict[int, dict[str, Any]]:
        table = Asset.__table__
        ids = sorted(p.asset_id for p in planned if p.asset_id is not None)
        found: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), CHUNK):
            stmt = select(table).where(table.c.id.in_(ids[start:start + CHUNK]))
            for row in self.connection.execute(stmt).mappings():
                found[row["id"]] = dict(row)
        return found


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


_ZERO = Decimal("0.00")


class Events:
    """The asset events a commit (or an undo) writes, a column at a time."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.actions: list[str] = []
        self.changes: list[str] = []
        self.notes: list[str | None] = []

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, asset_id: int, action: str, changes: str, note: str | None) -> None:
        self.ids.append(asset_id)
        self.actions.append(action)
        self.changes.append(changes)
        self.notes.append(note)

    def add_many(self, ids: Sequence[int], action: str, changes: Sequence[str], notes: Sequence[str | None]) -> None:
        self.ids.extend(ids)
        self.actions.extend([action] * len(ids))
        self.changes.extend(changes)
        self.notes.extend(notes)


def rows_as_columns(rows: Sequence[dict[str, Any]]) -> dict[str, Column]:
    return {name: [row[name] for row in rows] for name in rows[0]}


def _insert_indexed_once(connection: Connection, columns: dict[str, Column], count: int,
                         progress: Progress | None) -> None:
    """SQLite: many new assets go into the text-search index in one statement, not a trigger per row.

    The trigger is dropped and re-created inside the same transaction, so a failure or a
    cancel puts it back with everything else.
    """
    trigger = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'assets_search_insert'").scalar()
    if trigger is None:
        insert_columns(connection, "assets", columns, count, progress, "Adding new assets", stage=True)
        return
    connection.exec_driver_sql("PRAGMA cache_size = -262144")
    connection.exec_driver_sql("DROP TRIGGER assets_search_insert")
    ids = columns["id"]
    assert not isinstance(ids, Same)
    # SQLite evaluates a CHECK's IN (...) list afresh for every row inserted; one query over
    # the new rows afterwards proves the same checks for a fraction of the time. A flag
    # pragma expires every prepared statement, so no statement keeps the setting.
    connection.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
    try:
        insert_columns(connection, "assets", columns, count, progress, "Adding new assets", stage=True)
    finally:
        connection.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
    verify_check_constraints(connection, "assets", (min(ids), max(ids)))
    step(progress, 0, None, "Indexing the new assets for search…")
    connection.exec_driver_sql(
        "INSERT INTO asset_search(rowid, tag, serial) "
        "SELECT id, tag, serial FROM assets WHERE id BETWEEN ? AND ?", (min(ids), max(ids)))
    connection.exec_driver_sql(trigger)


def _write_history(connection: Connection, work: UnitOfWork, events: Events, progress: Progress | None) -> None:
    """One hash-chained event per asset, chained onto the last event written."""
    if not events:
        return
    step(progress, 0, len(events), "Recording history…")
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": HISTORY_LOCK_KEY})
    prev = history.last_hash(connection)
    hashes = history.hash_many(prev, work.occurred_at, work.actor, ENTITY, events.ids, events.actions,
                               events.changes, work.batch_id, events.notes)
    insert_columns(connection, "history_events", {
        "occurred_at": Same(work.occurred_at), "actor": Same(work.actor), "entity_type": Same(ENTITY),
        "entity_id": events.ids, "action": compact(events.actions),
        "changes": events.changes, "batch_id": Same(work.batch_id), "note": events.notes,
        "prev_hash": [prev, *hashes[:-1]], "hash": hashes,
    }, len(events), progress, "Recording history")


def undo_refusal_names(tags: Iterable[str], limit: int = 10) -> str:
    tags = sorted(tags)
    more = f" and {len(tags) - limit} more" if len(tags) > limit else ""
    return ", ".join(tags[:limit]) + more


__all__ = ["ImportResult", "StaleImportError", "commit_plan"]
