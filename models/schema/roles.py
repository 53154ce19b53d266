"""Who may do the finance work: a user name and a role (finance or admin)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.schema.base import Base
from models.schema.types import UTCDateTime
from models.schema.vocab import vocab


class Role(StrEnum):
    FINANCE = "finance"  # closes fiscal years
    ADMIN = "admin"  # reopens them, grants roles


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_name", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(vocab(Role, "user_role"))
    granted_by: Mapped[str] = mapped_column(String(120))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
