"""Fiscal-year closes, the depreciation they froze per asset, and later adjustments.

A close stores, for every capitalized asset on the books during the year, what
the roll-forward and the journal need (class, fund, function, cost, whether it
came or went in the year, accumulated depreciation at both ends), so a closed
year reads the same however its assets are edited later. Amounts are integer
cents: a close writes up to millions of rows and sums them exactly.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from models.schema.base import Base
from models.schema.types import Money, UTCDateTime
from models.schema.vocab import GasbClass, vocab


class FiscalYearClose(Base):
    """One close of one fiscal year. Reopening keeps the row (status ``reopened``) for the record."""

    __tablename__ = "fiscal_year_closes"
    __table_args__ = (
        # At most one standing close per fiscal year.
        Index(
            "ux_fiscal_year_closes_closed",
            "fiscal_year",
            unique=True,
            sqlite_where=text("status = 'closed'"),
            postgresql_where=text("status = 'closed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16))  # closed | reopened
    opening: Mapped[bool] = mapped_column(Boolean, default=False)  # the first year kept here
    fy_start_month: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_by: Mapped[str] = mapped_column(String(120))
    asset_count: Mapped[int] = mapped_column(Integer)
    cost_end: Mapped[Decimal] = mapped_column(Money)
    depreciation: Mapped[Decimal] = mapped_column(Money)
    accumulated_end: Mapped[Decimal] = mapped_column(Money)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_by: Mapped[str | None] = mapped_column(String(120))
    reopen_reason: Mapped[str | None] = mapped_column(Text)


class AssetYearFigures(Base):
    """One asset's figures for one closed fiscal year (cents), as they stood at the close."""

    __tablename__ = "asset_year_depreciation"
    __table_args__ = (Index("ix_asset_year_depreciation_asset", "asset_id"),)

    close_id: Mapped[int] = mapped_column(
        ForeignKey("fiscal_year_closes.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # no FK: figures outlive edits
    class_id: Mapped[int] = mapped_column(Integer)
    gasb_class: Mapped[GasbClass] = mapped_column(vocab(GasbClass, "stored_gasb_class"))
    fund_code: Mapped[str | None] = mapped_column(String(16))
    function_code: Mapped[str | None] = mapped_column(String(16))
    object_code: Mapped[str | None] = mapped_column(String(16))
    cost_cents: Mapped[int] = mapped_column(BigInteger)
    on_books_at_start: Mapped[bool] = mapped_column(Boolean)
    acquired_in_year: Mapped[bool] = mapped_column(Boolean)
    disposed_in_year: Mapped[bool] = mapped_column(Boolean)
    accumulated_start_cents: Mapped[int] = mapped_column(BigInteger)
    depreciation_cents: Mapped[int] = mapped_column(BigInteger)
    accumulated_end_cents: Mapped[int] = mapped_column(BigInteger)  # at disposal when disposed in year
    book_value_end_cents: Mapped[int] = mapped_column(BigInteger)


class DepreciationAdjustment(Base):
    """A change to a closed year's figures, booked in the first open year instead.

    ``cost_cents`` and ``accumulated_cents`` are signed differences for one GASB
    class; a class change gives two rows (out of the old class, into the new).
    """

    __tablename__ = "depreciation_adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    adjusted_on: Mapped[date] = mapped_column(Date)
    against_close_id: Mapped[int] = mapped_column(ForeignKey("fiscal_year_closes.id"), index=True)
    asset_id: Mapped[int] = mapped_column(BigInteger, index=True)
    gasb_class: Mapped[GasbClass] = mapped_column(vocab(GasbClass, "adjustment_gasb_class"))
    kind: Mapped[str] = mapped_column(String(16))  # correction | transfer
    cost_cents: Mapped[int] = mapped_column(BigInteger)
    accumulated_cents: Mapped[int] = mapped_column(BigInteger)
    fields: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(120))
