"""Saved register views: a named filter, column set and sort that every user of the district sees."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.schema.base import Base
from models.schema.people import Person
from models.schema.types import UTCDateTime


class SavedView(Base):
    __tablename__ = "saved_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    filter_json: Mapped[str] = mapped_column(Text)  # RegisterFilter.to_json()
    columns: Mapped[str] = mapped_column(Text)  # JSON list of column keys, in order
    sort_key: Mapped[str] = mapped_column(String(40))
    sort_descending: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


# The register's search matches people by the start of a first or last name (last names are
# indexed with the people table). Declared here, with the migration that makes it (0003).
Index("ix_people_first_name", Person.first_name)
