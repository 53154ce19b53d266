"""The district at a glance: what the home view shows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from decimal import Decimal

from sqlalchemy import case, func, select

from models.database import Database
from models.schema import (
    Asset,
    AssetClass,
    AssetStatus,
    Building,
    DistrictSettings,
    GasbClass,
    HistoryEvent,
    Person,
    Room,
    Site,
)
from models.schema.vocab import GASB_LABELS

STATUS_LABELS = {
    AssetStatus.ON_ORDER: "On order",
    AssetStatus.IN_SERVICE: "In service",
    AssetStatus.IN_STORAGE: "In storage",
    AssetStatus.IN_REPAIR: "In repair",
    AssetStatus.LOANED: "Loaned",
    AssetStatus.LOST: "Lost",
    AssetStatus.STOLEN: "Stolen",
    AssetStatus.DISPOSED: "Disposed",
}


@dataclass(frozen=True)
class ClassLine:
    label: str
    assets: int
    capitalized: int
    capitalized_cost: Decimal
    controlled_cost: Decimal


@dataclass(frozen=True)
class RecentEvent:
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: int
    label: str


@dataclass(frozen=True)
class Overview:
    district_name: str
    fiscal_year_start_month: int
    capitalization_threshold: Decimal
    sites: int
    buildings: int
    rooms: int
    people: int
    assets: int
    by_status: list[tuple[str, int]]
    by_class: list[ClassLine]
    recent: list[RecentEvent]

    @property
    def capitalized_cost(self) -> Decimal:
        return sum((line.capitalized_cost for line in self.by_class), Decimal("0.00"))


def district_overview(db: Database, recent_limit: int = 8) -> Overview:
    """Counts, cost by GASB class (assets not disposed) and the latest changes."""
    with db.reading() as session:
        settings = session.get(DistrictSettings, 1)
        count = lambda model: session.scalar(select(func.count()).select_from(model)) or 0  # noqa: E731
        status_rows = session.execute(
            select(Asset.status, func.count()).group_by(Asset.status)
        ).all()
        held = Asset.status != AssetStatus.DISPOSED
        class_rows = session.execute(
            select(
                AssetClass.gasb_class,
                func.count(),
                func.sum(case((Asset.capitalized, 1), else_=0)),
                func.sum(case((Asset.capitalized, Asset.cost), else_=None)),
                func.sum(case((Asset.capitalized, None), else_=Asset.cost)),
            )
            .join(AssetClass, Asset.class_id == AssetClass.id)
            .where(held)
            .group_by(AssetClass.gasb_class)
        ).all()
        events = session.execute(
            select(HistoryEvent.occurred_at, HistoryEvent.actor, HistoryEvent.action,
                   HistoryEvent.entity_type, HistoryEvent.entity_id, HistoryEvent.changes, Asset.tag,
                   Asset.description, Room.number.label("room_number"))
            .outerjoin(Asset, (HistoryEvent.entity_type == "asset") & (Asset.id == HistoryEvent.entity_id))
            .outerjoin(Room, (HistoryEvent.entity_type == "room") & (Room.id == HistoryEvent.entity_id))
            .order_by(HistoryEvent.id.desc())
            .limit(recent_limit)
        ).all()
        by_class_map = {
            row[0]: ClassLine(
                GASB_LABELS[GasbClass(row[0])],
                row[1],
                int(row[2] or 0),
                Decimal(row[3] or 0).quantize(Decimal("0.01")),
                Decimal(row[4] or 0).quantize(Decimal("0.01")),
            )
            for row in class_rows
        }
        return Overview(
            district_name=settings.name if settings else "(district not set up)",
            fiscal_year_start_month=settings.fiscal_year_start_month if settings else 7,
            capitalization_threshold=settings.capitalization_threshold if settings else Decimal("5000.00"),
            sites=count(Site),
            buildings=count(Building),
            rooms=count(Room),
            people=count(Person),
            assets=sum(n for _, n in status_rows),
            by_status=[
                (STATUS_LABELS[AssetStatus(s)], n)
                for s, n in sorted(status_rows, key=lambda r: list(AssetStatus).index(AssetStatus(r[0])))
            ],
            by_class=[by_class_map[g] for g in GasbClass if g in by_class_map],
            recent=[
                RecentEvent(
                    e.occurred_at, e.actor, e.action, e.entity_type, e.entity_id,
                    event_label(e.entity_type, e.entity_id, e.changes, e.tag, e.description, e.room_number),
                )
                for e in events
            ],
        )


def event_label(entity_type: str, entity_id: int, changes: str, tag: str | None = None,
                description: str | None = None, room_number: str | None = None) -> str:
    """What a history event was about, in words: an asset's tag and description, a fiscal
    year, whose role, which saved view or room."""
    try:
        fields = json.loads(changes) if changes else {}
    except ValueError:
        fields = {}

    def value(name: str) -> Any:
        old, new = (fields.get(name) or [None, None])[:2]
        return new if new is not None else old

    if entity_type == "asset":
        if tag:
            return f"{tag} {description or ''}".strip()
        return f"asset {value('tag') or entity_id} (deleted)"
    if entity_type == "fiscal_year":
        return f"FY{entity_id}"
    if entity_type == "user_role" and value("role") and value("user"):
        return f"{value('role')} role of {value('user')}"
    if entity_type == "saved_view" and value("name"):
        return f"saved view '{value('name')}'"
    if entity_type == "room" and room_number:
        return f"room {room_number}"
    return f"{entity_type.replace('_', ' ')} {entity_id}"

