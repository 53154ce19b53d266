"""Floor plan images, kept in the database so every client of a shared district sees them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from models.schema.base import Base
from models.schema.types import UTCDateTime


class FloorPlan(Base):
    """The plan image of one floor (PNG or JPEG). ``Floor.plan_width``/``plan_height`` hold its
    pixel size, which is also the coordinate space of the floor's room outlines."""

    __tablename__ = "floor_plans"

    floor_id: Mapped[int] = mapped_column(
        ForeignKey("floors.id", ondelete="CASCADE"), primary_key=True
    )
    media_type: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(200))
    image: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(120))
