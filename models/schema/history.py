"""The append-only, hash-chained record of every change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.schema.base import Base
from models.schema.types import BigId, UTCDateTime


class HistoryEvent(Base):
    """One change: who, when (UTC), to what, and each field's old and new value.

    ``changes`` is canonical JSON ``{"field": [old, new], ...}``. ``hash`` covers
    the event's content and ``prev_hash``, so altering or removing any event
    breaks the chain from that point on.
    """

    __tablename__ = "history_events"
    __table_args__ = (Index("ix_history_events_entity", "entity_type", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(32))
    changes: Mapped[str] = mapped_column(Text)
    batch_id: Mapped[str | None] = mapped_column(String(36), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
