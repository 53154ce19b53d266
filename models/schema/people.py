"""Staff and students: custodians and holders of assets."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.schema.base import Base
from models.schema.vocab import PersonKind, vocab


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PersonKind] = mapped_column(vocab(PersonKind, "person_kind"))
    # The id the student information system or HR system knows the person by.
    external_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80), index=True)
    email: Mapped[str | None] = mapped_column(String(160))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    grade: Mapped[str | None] = mapped_column(String(4))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
