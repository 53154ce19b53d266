"""Work a bulk load left for after its commit, kept until it is done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.schema.base import Base
from models.schema.types import UTCDateTime


class DeferredWork(Base):
    """One statement (an index build, a foreign-key check, statistics) a PostgreSQL bulk load
    queued in its own transaction and runs after the commit. A row is deleted when its
    statement has run, so rows left behind are work an interruption cut off; the next
    ``Database.open`` finishes it (``models.deferred``)."""

    __tablename__ = "deferred_work"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement: Mapped[str] = mapped_column(Text)
    table_name: Mapped[str] = mapped_column(String(63))
    # Whether the statement can run beside others on its table (index builds) or needs it alone.
    shares_table: Mapped[bool] = mapped_column(Boolean)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
