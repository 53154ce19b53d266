"""The asset register: one row per tagged or capitalized item."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.schema.base import Base
from models.schema.types import Money, UTCDateTime
from models.schema.vocab import (
    AssetStatus,
    Condition,
    DepreciationConvention,
    DepreciationMethod,
    DisposalMethod,
    vocab,
)


class Asset(Base):
    __tablename__ = "assets"
    __table_args__ = (
        CheckConstraint("cost >= 0", name="cost_not_negative"),
        CheckConstraint("salvage_value >= 0 AND salvage_value <= cost", name="salvage_within_cost"),
        CheckConstraint(
            "useful_life_months IS NULL OR useful_life_months > 0", name="life_positive"
        ),
        CheckConstraint("disposal_proceeds IS NULL OR disposal_proceeds >= 0", name="proceeds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Identity
    tag: Mapped[str] = mapped_column(String(32), unique=True)
    serial: Mapped[str | None] = mapped_column(String(64))  # searched through the text index
    # Searched through ``asset_descriptions``, then found here through this index.
    description: Mapped[str] = mapped_column(String(240), index=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("asset_models.id"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("asset_classes.id"), index=True)
    status: Mapped[AssetStatus] = mapped_column(vocab(AssetStatus, "asset_status"))
    condition: Mapped[Condition] = mapped_column(vocab(Condition, "asset_condition"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id"), index=True)
    # Location and custody. ``site_id`` follows the room; land and buildings have a site only.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    custodian_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    assigned_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    use: Mapped[str | None] = mapped_column(String(120))
    # Finance
    function_code: Mapped[str | None] = mapped_column(ForeignKey("function_codes.code"))
    fund_code: Mapped[str | None] = mapped_column(ForeignKey("funds.code"))
    acquired_on: Mapped[date] = mapped_column(Date, index=True)
    in_service_on: Mapped[date | None] = mapped_column(Date)
    cost: Mapped[Decimal] = mapped_column(Money, index=True)
    salvage_value: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    useful_life_months: Mapped[int | None] = mapped_column(Integer)
    depreciation_method: Mapped[DepreciationMethod | None] = mapped_column(
        vocab(DepreciationMethod, "asset_depreciation_method")
    )
    depreciation_convention: Mapped[DepreciationConvention | None] = mapped_column(
        vocab(DepreciationConvention, "asset_depreciation_convention")
    )
    capitalized: Mapped[bool] = mapped_column(Boolean)
    capitalization_override_reason: Mapped[str | None] = mapped_column(Text)
    title_holder: Mapped[str | None] = mapped_column(String(160))
    po_number: Mapped[str | None] = mapped_column(String(40))
    vendor: Mapped[str | None] = mapped_column(String(120))
    invoice_number: Mapped[str | None] = mapped_column(String(40))
    warranty_ends_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # Lifecycle
    disposed_on: Mapped[date | None] = mapped_column(Date)
    disposal_method: Mapped[DisposalMethod | None] = mapped_column(
        vocab(DisposalMethod, "disposal_method")
    )
    disposal_proceeds: Mapped[Decimal | None] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    funding: Mapped[list[FundingShare]] = relationship(
        back_populates="asset", cascade="all, delete-orphan", order_by="FundingShare.funding_source_id"
    )

    __mapper_args__ = {"version_id_col": version}


class AssetDescription(Base):
    """Each description any asset has had, once: what text search reads instead of every asset.

    Triggers (migration 0007) add an asset's description when it is new; rows are never
    removed, since a description no asset has any more simply finds nothing.
    """

    __tablename__ = "asset_descriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(240), unique=True)


class FundingShare(Base):
    """The part of an asset's cost that one funding source paid, in basis points (1% = 100)."""

    __tablename__ = "funding_shares"
    __table_args__ = (
        CheckConstraint("share_basis_points > 0 AND share_basis_points <= 10000", name="share"),
    )

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    funding_source_id: Mapped[int] = mapped_column(
        ForeignKey("funding_sources.id"), primary_key=True, index=True
    )
    share_basis_points: Mapped[int] = mapped_column(Integer)

    asset: Mapped[Asset] = relationship(back_populates="funding")

    @property
    def share_percent(self) -> Decimal:
        return (Decimal(self.share_basis_points) / 100).quantize(Decimal("0.01"))


class Assignment(Base):
    """A loan of an asset to a person (1:1 devices, ECF loans): out, back or lost."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    loaned_on: Mapped[date] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date)
    lost_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
