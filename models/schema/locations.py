"""Where things are: sites (campuses), buildings, floors and rooms."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.schema.base import Base
from models.schema.vocab import RoomType, SiteKind, vocab


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[SiteKind] = mapped_column(vocab(SiteKind, "site_kind"))
    address: Mapped[str | None] = mapped_column(String(200))

    buildings: Mapped[list[Building]] = relationship(
        back_populates="site", order_by="Building.code"
    )


class Building(Base):
    __tablename__ = "buildings"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    year_built: Mapped[int | None] = mapped_column(Integer)

    site: Mapped[Site] = relationship(back_populates="buildings")
    floors: Mapped[list[Floor]] = relationship(back_populates="building", order_by="Floor.level")


class Floor(Base):
    __tablename__ = "floors"
    __table_args__ = (UniqueConstraint("building_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    # A floor plan, when the district has one: the image file and its pixel size.
    plan_image: Mapped[str | None] = mapped_column(String(400))
    plan_width: Mapped[int | None] = mapped_column(Integer)
    plan_height: Mapped[int | None] = mapped_column(Integer)

    building: Mapped[Building] = relationship(back_populates="floors")
    rooms: Mapped[list[Room]] = relationship(back_populates="floor", order_by="Room.number")


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("floor_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id"), index=True)
    # Denormalised from the floor so that "everything at this site" is one index look-up.
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(120))
    room_type: Mapped[RoomType] = mapped_column(vocab(RoomType, "room_type"))
    # The room's outline on the floor plan: JSON list of [x, y] points in plan units.
    outline: Mapped[str | None] = mapped_column(Text)
    responsible_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    floor: Mapped[Floor] = relationship(back_populates="rooms")


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
