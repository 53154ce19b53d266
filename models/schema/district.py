"""District-wide settings and the general-ledger code lists."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.schema.base import Base
from models.schema.types import Money, UTCDateTime


class DistrictSettings(Base):
    """One row: the district's name and the figures its policies set."""

    __tablename__ = "district_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint(
            "fiscal_year_start_month BETWEEN 1 AND 12", name="fiscal_year_start_month"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(200))
    state_code: Mapped[str | None] = mapped_column(String(2))
    fiscal_year_start_month: Mapped[int] = mapped_column(Integer, default=7)
    capitalization_threshold: Mapped[Decimal] = mapped_column(Money, default=Decimal("5000.00"))
    federal_equipment_threshold: Mapped[Decimal] = mapped_column(
        Money, default=Decimal("5000.00")
    )
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Fund(Base):
    __tablename__ = "funds"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class FunctionCode(Base):
    """Expenditure function (instruction, transportation, ...): depreciation is reported by it."""

    __tablename__ = "function_codes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class ObjectCode(Base):
    __tablename__ = "object_codes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
