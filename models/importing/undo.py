"""Undoing an import as a whole, while nothing later has touched its assets.

The batch's history says what it did: assets it created are deleted again,
fields it changed get their old values back, locations and models it created
go when nothing uses them any more. All of it is one transaction with its own
history (one event per asset), and the batch is marked undone.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update

from models.database import Database
from models.errors import NotFoundError, UserError
from models.importing.commit import CHUNK, ENTITY, Events, _write_history, undo_refusal_names
from models.importing.writes import insert_columns
from models.progress import Progress, step
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
    Site,
)
from models import history

_DATE_FIELDS = {"acquired_on", "in_service_on", "warranty_ends_on", "disposed_on"}
_MONEY_FIELDS = {"cost", "salvage_value", "disposal_proceeds"}


class UndoRefusedError(UserError):
    """The import cannot be undone (already undone, or its assets changed since)."""


@dataclass(frozen=True)
class UndoResult:
    batch_id: str
    deleted: int
    restored: int


def batch_events(db: Database, batch_id: str) -> list[Any]:
    with db.reading() as session:
        return session.execute(
            select(HistoryEvent.id, HistoryEvent.entity_id, HistoryEvent.action, HistoryEvent.changes)
            .where(HistoryEvent.batch_id == batch_id, HistoryEvent.entity_type == ENTITY)
            .order_by(HistoryEvent.id)
        ).all()


def undo_import(db: Database, actor: str, batch_id: str, progress: Progress | None = None) -> UndoResult:
    undo_id = str(uuid.uuid4())
    with db.unit_of_work(actor, batch_id=undo_id) as work:
        session = work.session
        connection = session.connection()
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise NotFoundError(f"There is no import {batch_id}.")
        if batch.undone_at is not None:
            raise UndoRefusedError(
                f"The import of {batch.committed_at:%Y-%m-%d %H:%M} UTC was already undone by {batch.undone_by}."
            )
        events = session.execute(
            select(HistoryEvent.id, HistoryEvent.entity_id, HistoryEvent.action, HistoryEvent.changes)
            .where(HistoryEvent.batch_id == batch_id, HistoryEvent.entity_type == ENTITY)
            .order_by(HistoryEvent.id)
        ).all()
        last = max((e.id for e in events), default=0)
        ids = sorted({e.entity_id for e in events})
        later: set[int] = set()
        for start in range(0, len(ids), CHUNK):
            later.update(session.scalars(
                select(HistoryEvent.entity_id).where(
                    HistoryEvent.entity_type == ENTITY,
                    HistoryEvent.entity_id.in_(ids[start:start + CHUNK]),
                    HistoryEvent.id > last,
                )
            ))
            step(progress, start, len(ids), "Checking for later changes…")
        if later:
            tags = _tags(session, later)
            raise UndoRefusedError(
                f"The import cannot be undone: {len(later)} of its assets were changed after it "
                f"({undo_refusal_names(tags)}). Undo or correct those changes by hand."
            )
        created = [e for e in events if e.action == "created"]
        edited = [e for e in events if e.action == "edited"]
        undo_events = Events()
        note = f"undo of import {batch_id}"
        # Deleted assets: their funding and loans go with them (ON DELETE CASCADE).
        created_ids = [e.entity_id for e in created]
        for start in range(0, len(created_ids), CHUNK):
            chunk = created_ids[start:start + CHUNK]
            rows = connection.execute(select(Asset.id, Asset.tag, Asset.description, Asset.cost)
                                      .where(Asset.id.in_(chunk))).all()
            for row in rows:
                changes = {"tag": (row.tag, None), "description": (row.description, None), "cost": (row.cost, None)}
                undo_events.add(row.id, "deleted", history.changes_json(changes), note)
            connection.execute(delete(FundingShare).where(FundingShare.asset_id.in_(chunk)))
            connection.execute(delete(Assignment).where(Assignment.asset_id.in_(chunk)))
            connection.execute(delete(Asset).where(Asset.id.in_(chunk)))
            step(progress, start, len(created_ids), "Removing the assets it added…")
        restored = 0
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        funding: dict[int, list[list[Any]]] = {}
        loans: list[int] = []
        for event in edited:
            changes = json.loads(event.changes)
            params: dict[str, Any] = {}
            back: dict[str, tuple[Any, Any]] = {}
            for name, (old, new) in changes.items():
                if name == "funding":
                    funding[event.entity_id] = old
                    back[name] = (new, old)
                    continue
                if name == "assigned_person_id":
                    loans.append(event.entity_id)
                params[name] = _value(name, old)
                back[name] = (_value(name, new), _value(name, old))
            if params:
                params["b_id"] = event.entity_id
                groups[tuple(sorted(k for k in params if k != "b_id"))].append(params)
            undo_events.add(event.entity_id, "edited", history.changes_json(back), note)
            restored += 1
        table = Asset.__table__
        for names, group in groups.items():
            values: dict[str, Any] = {name: bindparam(name) for name in names}
            values["updated_at"] = work.occurred_at
            values["version"] = table.c.version + 1
            connection.execute(update(table).where(table.c.id == bindparam("b_id")).values(values), group)
        funding_only = [i for i in funding if i not in {p["b_id"] for g in groups.values() for p in g}]
        for start in range(0, len(funding_only), CHUNK):
            connection.execute(update(table).where(table.c.id.in_(funding_only[start:start + CHUNK]))
                               .values(updated_at=work.occurred_at, version=table.c.version + 1))
        for asset_id, shares in funding.items():
            connection.execute(delete(FundingShare).where(FundingShare.asset_id == asset_id))
            if shares:
                insert_columns(connection, "funding_shares", {
                    "asset_id": [asset_id] * len(shares), "funding_source_id": [int(s) for s, _ in shares],
                    "share_basis_points": [int(Decimal(p) * 100) for _, p in shares]}, len(shares))
        for start in range(0, len(loans), CHUNK):
            connection.execute(delete(Assignment).where(
                Assignment.asset_id.in_(loans[start:start + CHUNK]), Assignment.note == f"import {batch_id}"))
        _remove_created_references(work, json.loads(batch.details).get("created", {}))
        if work.pending:
            work.write_history()
        _write_history(connection, work, undo_events, progress)
        batch.undone_at = work.occurred_at
        batch.undone_by = actor
        return UndoResult(batch_id, len(created_ids), restored)


def _tags(session: Any, ids: set[int]) -> list[str]:
    found = session.scalars(select(Asset.tag).where(Asset.id.in_(sorted(ids)[:50]))).all()
    return list(found) or [str(i) for i in sorted(ids)]


def _value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DATE_FIELDS:
        return date.fromisoformat(value)
    if name in _MONEY_FIELDS:
        return Decimal(value)
    return value


def _remove_created_references(work: Any, created: dict[str, list[int]]) -> None:
    """Locations and models the import created go again when nothing uses them."""
    session = work.session
    for model_id in created.get("models", []):
        used = session.scalar(select(func.count()).select_from(Asset).where(Asset.model_id == model_id))
        if not used:
            session.execute(delete(AssetModel).where(AssetModel.id == model_id))
            work.record("asset_model", model_id, "deleted", {"id": (model_id, None)})
    for room_id in created.get("rooms", []):
        used = session.scalar(select(func.count()).select_from(Asset).where(Asset.room_id == room_id))
        if not used:
            session.execute(delete(Room).where(Room.id == room_id))
            work.record("room", room_id, "deleted", {"id": (room_id, None)})
    for floor_id in created.get("floors", []):
        if not session.scalar(select(func.count()).select_from(Room).where(Room.floor_id == floor_id)):
            session.execute(delete(Floor).where(Floor.id == floor_id))
    for building_id in created.get("buildings", []):
        if not session.scalar(select(func.count()).select_from(Floor).where(Floor.building_id == building_id)):
            session.execute(delete(Building).where(Building.id == building_id))
            work.record("building", building_id, "deleted", {"id": (building_id, None)})
    for site_id in created.get("sites", []):
        used = session.scalar(select(func.count()).select_from(Asset).where(Asset.site_id == site_id))
        has = session.scalar(select(func.count()).select_from(Building).where(Building.site_id == site_id))
        if not used and not has:
            session.execute(delete(Site).where(Site.id == site_id))
            work.record("site", site_id, "deleted", {"id": (site_id, None)})
