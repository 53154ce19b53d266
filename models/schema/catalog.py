"""What kinds of things the district owns and who paid for them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.schema.base import Base
from models.schema.types import Money
from models.schema.vocab import (
    DepreciationConvention,
    DepreciationMethod,
    FundingProgram,
    GasbClass,
    vocab,
)


class AssetClass(Base):
    """A district asset class inside one GASB 34 major class, with its defaults."""

    __tablename__ = "asset_classes"
    __table_args__ = (
        CheckConstraint("default_useful_life_months >= 0", name="life_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    gasb_class: Mapped[GasbClass] = mapped_column(vocab(GasbClass, "gasb_class"))
    depreciable: Mapped[bool] = mapped_column(Boolean)
    default_useful_life_months: Mapped[int] = mapped_column(Integer)
    default_method: Mapped[DepreciationMethod] = mapped_column(
        vocab(DepreciationMethod, "depreciation_method")
    )
    default_convention: Mapped[DepreciationConvention] = mapped_column(
        vocab(DepreciationConvention, "depreciation_convention")
    )
    capitalization_threshold: Mapped[Decimal] = mapped_column(Money)
    object_code: Mapped[str | None] = mapped_column(ForeignKey("object_codes.code"))


class AssetModel(Base):
    __tablename__ = "asset_models"
    __table_args__ = (UniqueConstraint("manufacturer", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    manufacturer: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    device_type: Mapped[str] = mapped_column(String(60), index=True)
    default_class_id: Mapped[int | None] = mapped_column(ForeignKey("asset_classes.id"))


class FundingSource(Base):
    """A grant, bond or fund that paid for assets (ESSER, E-Rate, Title I, ...)."""

    __tablename__ = "funding_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    program: Mapped[FundingProgram] = mapped_column(vocab(FundingProgram, "funding_program"))
    is_federal: Mapped[bool] = mapped_column(Boolean)
    grantor: Mapped[str | None] = mapped_column(String(160))
    award_number: Mapped[str | None] = mapped_column(String(40))  # FAIN for federal awards
    erate_frn: Mapped[str | None] = mapped_column(String(20))  # E-Rate funding request number
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    fund_code: Mapped[str | None] = mapped_column(ForeignKey("funds.code"))
