"""Saved column mappings per source, and the list of past imports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from models.database import Database
from models.importing.mapping import Mapping
from models.schema import ImportBatch, SavedMapping


def save_mapping(db: Database, actor: str, source: str, mapping: Mapping) -> None:
    """Keep ``mapping`` under ``source`` (e.g. "IT device export") for the next import."""
    name = source.strip()[:120]
    if not name:
        from models.errors import ValidationError

        raise ValidationError("source", "give the mapping a name (the source it is for)")
    payload = json.dumps(mapping.to_json() | {"source": name}, sort_keys=True)
    with db.unit_of_work(actor) as work:
        saved = work.session.scalar(select(SavedMapping).where(SavedMapping.source == name))
        if saved is None:
            work.session.add(SavedMapping(source=name, mapping=payload, updated_at=work.occurred_at,
                                          updated_by=actor))
        else:
            saved.mapping = payload
            saved.updated_at = work.occurred_at
            saved.updated_by = actor


def load_mapping(db: Database, source: str) -> dict[str, Any] | None:
    with db.reading() as session:
        text = session.scalar(select(SavedMapping.mapping).where(SavedMapping.source == source.strip()))
    return json.loads(text) if text else None


def saved_sources(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(SavedMapping.source).order_by(SavedMapping.source)))


@dataclass(frozen=True)
class BatchSummary:
    id: str
    actor: str
    committed_at: datetime
    files: str
    created: int
    updated: int
    unchanged: int
    rejected: int
    undone_at: datetime | None
    undone_by: str | None


def list_batches(db: Database, limit: int = 50) -> list[BatchSummary]:
    with db.reading() as session:
        rows = session.scalars(select(ImportBatch).order_by(ImportBatch.committed_at.desc()).limit(limit))
        return [
            BatchSummary(b.id, b.actor, b.committed_at, b.files, b.created_count, b.updated_count,
                         b.unchanged_count, b.rejected_count, b.undone_at, b.undone_by)
            for b in rows
        ]
