"""One asset as the editor shows it: its fields with the names of what they point at, its
funding, its history, and whether it may still be deleted."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select

from models.database import Database
from models.errors import NotFoundError
from models.money import format_money
from models.queries.choices import funding_labels, reference_labels
from models.schema import Asset, FundingSource, HistoryEvent
from models.services.assets import ENTITY, SNAPSHOT_FIELDS, snapshot

# What each field is called on screen, in history and in the conflict dialog.
FIELD_LABELS: dict[str, str] = {
    "tag": "Tag",
    "serial": "Serial number",
    "description": "Description",
    "model_id": "Make and model",
    "class_id": "Asset class",
    "status": "Status",
    "condition": "Condition",
    "parent_id": "Part of (parent asset)",
    "site_id": "Site",
    "room_id": "Room",
    "department_id": "Department",
    "custodian_id": "Custodian",
    "assigned_person_id": "Assigned to",
    "use": "Use",
    "function_code": "Function",
    "fund_code": "Fund",
    "acquired_on": "Acquired on",
    "in_service_on": "In service on",
    "cost": "Cost",
    "salvage_value": "Salvage value",
    "useful_life_months": "Useful life (months)",
    "depreciation_method": "Depreciation method",
    "depreciation_convention": "Convention",
    "capitalized": "Capitalized",
    "capitalization_override_reason": "Override reason",
    "title_holder": "Title holder",
    "po_number": "PO number",
    "vendor": "Vendor",
    "invoice_number": "Invoice number",
    "warranty_ends_on": "Warranty ends on",
    "notes": "Notes",
    "disposed_on": "Disposed on",
    "disposal_method": "Disposal method",
    "disposal_proceeds": "Disposal proceeds",
    "funding": "Funding",
    "asset": "Asset",
    "loaned_on": "Loaned on",
    "returned_on": "Returned on",
}

MONEY_FIELDS = {"cost", "salvage_value", "disposal_proceeds"}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


@dataclass(frozen=True)
class FundingLine:
    funding_source_id: int
    label: str
    percent: Decimal
    is_federal: bool


@dataclass(frozen=True)
class HistoryLine:
    occurred_at: datetime
    actor: str
    action: str
    changes: list[tuple[str, str, str]]  # (field label, old, new) as text
    note: str | None


@dataclass
class AssetDetail:
    id: int
    version: int
    values: dict[str, Any]
    labels: dict[str, str]
    funding: list[FundingLine]
    created_at: datetime
    updated_at: datetime
    deletable: bool
    history: list[HistoryLine] = field(default_factory=list)

    @property
    def tag(self) -> str:
        return self.values["tag"]


def asset_detail(db: Database, asset_id: int) -> AssetDetail:
    """Everything the editor shows for one asset, read in one session."""
    with db.reading() as session:
        asset = session.get(Asset, asset_id)
        if asset is None:
            raise NotFoundError(f"Asset {asset_id} does not exist (it may have been deleted).")
        values = snapshot(asset)
        labels = reference_labels(session, values)
        sources = {
            row.id: row
            for row in session.execute(
                select(FundingSource.id, FundingSource.code, FundingSource.name, FundingSource.is_federal)
                .where(FundingSource.id.in_([s.funding_source_id for s in asset.funding] or [-1]))
            )
        }
        funding = [
            FundingLine(
                s.funding_source_id,
                f"{sources[s.funding_source_id].code} — {sources[s.funding_source_id].name}",
                s.share_percent,
                bool(sources[s.funding_source_id].is_federal),
            )
            for s in asset.funding
        ]
        events = session.scalars(
            select(HistoryEvent)
            .where(HistoryEvent.entity_type == ENTITY, HistoryEvent.entity_id == asset_id)
            .order_by(HistoryEvent.id)
        ).all()
        created = {e.occurred_at for e in events if e.action == "created"}
        deletable = all(e.occurred_at in created for e in events)
        history = _history_lines(session, events)
        return AssetDetail(
            id=asset.id,
            version=asset.version,
            values=values,
            labels=labels,
            funding=funding,
            created_at=asset.created_at,
            updated_at=asset.updated_at,
            deletable=deletable,
            history=list(reversed(history)),
        )


def asset_history(db: Database, asset_id: int) -> list[HistoryLine]:
    """The asset's events, newest first."""
    with db.reading() as session:
        events = session.scalars(
            select(HistoryEvent)
            .where(HistoryEvent.entity_type == ENTITY, HistoryEvent.entity_id == asset_id)
            .order_by(HistoryEvent.id)
        ).all()
        return list(reversed(_history_lines(session, events)))


def _history_lines(session: Any, events: list[HistoryEvent]) -> list[HistoryLine]:
    decoded = [json.loads(e.changes) for e in events]
    # Names for every id any event mentions, looked up once per distinct value.
    wanted: dict[tuple[str, Any], None] = {}
    sources: set[int] = set()
    for changes in decoded:
        for name, pair in changes.items():
            if name == "funding":
                for shares in pair:
                    sources.update(int(s[0]) for s in shares or [])
                continue
            for value in pair:
                if value is not None:
                    wanted[(name, value)] = None
    names: dict[tuple[str, Any], str] = {}
    for name, value in wanted:
        label = reference_labels(session, {name: value}).get(name)
        if label is not None:
            names[(name, value)] = label
    source_names = funding_labels(session, sources)
    lines = []
    for event, changes in zip(events, decoded, strict=True):
        rows = []
        for name, (old, new) in sorted(changes.items(), key=lambda kv: _field_order(kv[0])):
            if name == "funding":
                rows.append((field_label(name), _shares_text(old, source_names), _shares_text(new, source_names)))
            else:
                rows.append((
                    field_label(name),
                    names.get((name, old)) or display_value(name, old),
                    names.get((name, new)) or display_value(name, new),
                ))
        lines.append(HistoryLine(event.occurred_at, event.actor, event.action, rows, event.note))
    return lines


def _field_order(name: str) -> int:
    order = list(SNAPSHOT_FIELDS)
    return order.index(name) if name in order else len(order)


def _shares_text(shares: list[list[Any]] | None, names: dict[int, str]) -> str:
    if not shares:
        return "—"
    return "; ".join(f"{names.get(int(s), f'source {s}').split(' — ')[0]} {p}%" for s, p in shares)


def display_value(name: str, value: Any) -> str:
    """A stored or recorded value as plain text ("—" for nothing)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name in MONEY_FIELDS:
        try:
            return format_money(Decimal(str(value)))
        except ArithmeticError:
            return str(value)
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, date):
        return value.isoformat()
    if name in ("status", "condition", "depreciation_method", "depreciation_convention", "disposal_method"):
        return str(value).replace("_", " ").capitalize()
    return str(value)


def describe_values(db: Database, values: dict[str, Any]) -> dict[str, str]:
    """``values`` as a person reads them: names for ids, money as money."""
    plain = {k: v for k, v in values.items() if k != "funding"}
    with db.reading() as session:
        labels = reference_labels(session, plain)
        text = {name: labels.get(name) or display_value(name, value) for name, value in plain.items()}
        if "funding" in values:
            shares = values["funding"] or []
            names = funding_labels(session, [int(s[0]) for s in shares])
            text["funding"] = _shares_text(shares, names)
    return text


def find_asset_by_tag(db: Database, tag: str) -> int | None:
    """The id of the asset with exactly this tag (as a scanner reads it), or None."""
    cleaned = tag.strip()
    if not cleaned:
        return None
    with db.reading() as session:
        found = session.scalar(select(Asset.id).where(Asset.tag == cleaned))
        if found is None and cleaned != cleaned.upper():
            found = session.scalar(select(Asset.id).where(Asset.tag == cleaned.upper()))
        return found


def sample_asset_id(db: Database) -> int | None:
    """An asset worth showing (in service, in a room, with funding and a history): for
    screenshots and first looks at a demo district."""
    from sqlalchemy import func

    from models.schema import AssetStatus, FundingShare

    with db.reading() as session:
        events = (
            select(HistoryEvent.entity_id, func.count().label("n"))
            .where(HistoryEvent.entity_type == ENTITY)
            .group_by(HistoryEvent.entity_id)
            .having(func.count() > 1)
            .limit(500)
            .subquery()
        )
        found = session.scalar(
            select(Asset.id)
            .join(events, events.c.entity_id == Asset.id)
            .where(Asset.status != AssetStatus.DISPOSED, Asset.room_id.is_not(None),
                   Asset.id.in_(select(FundingShare.asset_id)))
            .order_by(Asset.id)
            .limit(1)
        )
        if found is None:
            found = session.scalar(select(Asset.id).order_by(Asset.id).limit(1))
        return found


__all__ = [
    "FIELD_LABELS",
    "SNAPSHOT_FIELDS",
    "AssetDetail",
    "FundingLine",
    "HistoryLine",
    "asset_detail",
    "asset_history",
    "describe_values",
    "display_value",
    "field_label",
    "find_asset_by_tag",
    "sample_asset_id",
]
