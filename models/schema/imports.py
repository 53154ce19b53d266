"""Spreadsheet imports: each import batch, and the column mappings saved per source."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.schema.base import Base
from models.schema.types import UTCDateTime


class ImportBatch(Base):
    """One committed import: who ran it, when, from which files, and what it did.

    ``id`` is also the ``batch_id`` of every history event the import wrote, so
    the batch can be undone as a whole. ``details`` is JSON: the files (name,
    sheet, source, department, rows) and the locations and models it created.
    """

    __tablename__ = "import_batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    actor: Mapped[str] = mapped_column(String(120))
    committed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    files: Mapped[str] = mapped_column(Text)  # "it.csv, finance.xlsx" as a clerk reads it
    details: Mapped[str] = mapped_column(Text)
    created_count: Mapped[int] = mapped_column(Integer)
    updated_count: Mapped[int] = mapped_column(Integer)
    unchanged_count: Mapped[int] = mapped_column(Integer)
    rejected_count: Mapped[int] = mapped_column(Integer)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by: Mapped[str | None] = mapped_column(String(120))


class SavedMapping(Base):
    """How one source's columns map to register fields, kept for its next import."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(120), unique=True)
    mapping: Mapped[str] = mapped_column(Text)  # JSON: {"columns": {header: field}, "department": ...}
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(120))
