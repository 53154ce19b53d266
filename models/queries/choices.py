"""What the asset editor and the bulk dialogs offer to choose from.

The short code lists (classes, departments, funding sources, function codes, funds,
sites) come whole. Rooms, people, models and assets can run to hundreds of thousands
in a large district, so they are searched: ``find_rooms(db, "114")`` gives the first
few matches, never the whole table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.database import Database
from models.schema import (
    Asset,
    AssetClass,
    AssetModel,
    AssetStatus,
    Building,
    Condition,
    Department,
    DepreciationConvention,
    DepreciationMethod,
    DisposalMethod,
    Floor,
    Fund,
    FunctionCode,
    FundingSource,
    Person,
    PersonKind,
    Room,
    Site,
)

SEARCH_LIMIT = 30


@dataclass(frozen=True)
class Choice:
    """One entry of a list: the value stored and what a person reads."""

    key: Any
    label: str


@dataclass(frozen=True)
class ClassChoice(Choice):
    capitalization_threshold: Decimal = Decimal("0.00")
    default_useful_life_months: int = 0
    default_method: DepreciationMethod | None = None
    default_convention: DepreciationConvention | None = None
    depreciable: bool = True


@dataclass(frozen=True)
class FundingChoice(Choice):
    is_federal: bool = False
    award_number: str | None = None


@dataclass(frozen=True)
class EditorChoices:
    """The short lists, read once when an editor or dialog opens."""

    classes: list[ClassChoice]
    departments: list[Choice]
    funding_sources: list[FundingChoice]
    function_codes: list[Choice]
    funds: list[Choice]
    sites: list[Choice]


def _words(value: Any) -> str:
    return str(value).replace("_", " ").capitalize()


STATUS_CHOICES = [Choice(s, _words(s.value)) for s in AssetStatus]
CONDITION_CHOICES = [Choice(c, _words(c.value)) for c in Condition]
METHOD_CHOICES = [Choice(m, _words(m.value)) for m in DepreciationMethod]
CONVENTION_CHOICES = [Choice(c, _words(c.value)) for c in DepreciationConvention]
DISPOSAL_CHOICES = [Choice(d, _words(d.value)) for d in DisposalMethod]


def editor_choices(db: Database) -> EditorChoices:
    with db.reading() as session:
        classes = [
            ClassChoice(
                c.id, f"{c.code} — {c.name}", c.capitalization_threshold,
                c.default_useful_life_months, c.default_method, c.default_convention, c.depreciable,
            )
            for c in session.scalars(select(AssetClass).order_by(AssetClass.code))
        ]
        departments = [
            Choice(d.id, f"{d.code} — {d.name}")
            for d in session.scalars(select(Department).order_by(Department.code))
        ]
        sources = [
            FundingChoice(f.id, f"{f.code} — {f.name}", f.is_federal, f.award_number)
            for f in session.scalars(select(FundingSource).order_by(FundingSource.code))
        ]
        functions = [
            Choice(f.code, f"{f.code} — {f.name}")
            for f in session.scalars(select(FunctionCode).order_by(FunctionCode.code))
        ]
        funds = [Choice(f.code, f"{f.code} — {f.name}") for f in session.scalars(select(Fund).order_by(Fund.code))]
        sites = [Choice(s.id, f"{s.code} — {s.name}") for s in session.scalars(select(Site).order_by(Site.code))]
    return EditorChoices(classes, departments, sources, functions, funds, sites)


# -- searched lists ----------------------------------------------------------------------------


def _pattern(text: str) -> str:
    cleaned = text.strip().lower().replace("\\", "").replace("%", "").replace("_", " ")
    return f"%{cleaned}%"


def _room_query():
    return (
        select(Room.id, Room.number, Room.name, Building.code, Building.name, Site.code)
        .join(Floor, Room.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .join(Site, Room.site_id == Site.id)
    )


def _room_label(row: Any) -> str:
    room_id, number, name, building_code, building_name, site_code = row
    text = f"{site_code} · {building_code} · {number}"
    return f"{text} {name}" if name and name != number else text


def find_rooms(db: Database, text: str = "", *, limit: int = SEARCH_LIMIT) -> list[Choice]:
    """Rooms whose number, name, building or site code contain ``text``."""
    stmt = _room_query()
    if text.strip():
        like = _pattern(text)
        parts = text.strip().split()
        conditions = [
            func.lower(Room.number).like(like),
            func.lower(func.coalesce(Room.name, "")).like(like),
        ]
        if len(parts) > 1:  # "LIN 114": the site code, then the room
            conditions.append(
                (func.lower(Site.code) == parts[0].lower())
                & func.lower(Room.number).like(_pattern(" ".join(parts[1:])))
            )
        stmt = stmt.where(or_(*conditions))
    stmt = stmt.order_by(Site.code, Building.code, Room.number).limit(limit)
    with db.reading() as session:
        return [Choice(row[0], _room_label(row)) for row in session.execute(stmt)]


def _person_label(person: Any) -> str:
    kind = "staff" if person.kind == PersonKind.STAFF else f"student, grade {person.grade or '?'}"
    ident = f" {person.external_id}" if person.external_id else ""
    return f"{person.last_name}, {person.first_name} ({kind}{ident})"


def find_people(
    db: Database, text: str = "", *, staff_only: bool = False, limit: int = SEARCH_LIMIT
) -> list[Choice]:
    """Active people whose name or district id contain ``text``; staff first."""
    stmt = select(Person).where(Person.active.is_(True))
    if staff_only:
        stmt = stmt.where(Person.kind == PersonKind.STAFF)
    if text.strip():
        like = _pattern(text)
        full = func.lower(Person.first_name + " " + Person.last_name)
        stmt = stmt.where(
            or_(
                full.like(like),
                func.lower(Person.last_name + ", " + Person.first_name).like(like),
                func.lower(func.coalesce(Person.external_id, "")).like(like),
            )
        )
    stmt = stmt.order_by(Person.kind, Person.last_name, Person.first_name, Person.id).limit(limit)
    with db.reading() as session:
        return [Choice(p.id, _person_label(p)) for p in session.scalars(stmt)]


def find_models(db: Database, text: str = "", *, limit: int = SEARCH_LIMIT) -> list[Choice]:
    stmt = select(AssetModel)
    if text.strip():
        like = _pattern(text)
        stmt = stmt.where(
            or_(
                func.lower(AssetModel.manufacturer + " " + AssetModel.name).like(like),
                func.lower(AssetModel.device_type).like(like),
            )
        )
    stmt = stmt.order_by(AssetModel.manufacturer, AssetModel.name).limit(limit)
    with db.reading() as session:
        return [Choice(m.id, _model_label(m)) for m in session.scalars(stmt)]


def _model_label(model: AssetModel) -> str:
    return f"{model.manufacturer} {model.name} ({model.device_type})"


def find_assets(db: Database, text: str = "", *, limit: int = SEARCH_LIMIT) -> list[Choice]:
    """Assets whose tag starts with ``text`` (for choosing a parent)."""
    stmt = select(Asset.id, Asset.tag, Asset.description)
    if text.strip():
        stmt = stmt.where(Asset.tag.startswith(text.strip(), autoescape=True))
    stmt = stmt.order_by(Asset.tag).limit(limit)
    with db.reading() as session:
        return [Choice(row[0], f"{row[1]} {row[2]}") for row in session.execute(stmt)]


# -- names for ids ----------------------------------------------------------------------------


def reference_labels(session: Session, values: dict[str, Any]) -> dict[str, str]:
    """Readable names for the reference fields in ``values`` (room id → "LIN · A · 114")."""
    labels: dict[str, str] = {}
    for field, value in values.items():
        if value is None:
            continue
        label = _label_for(session, field, value)
        if label is not None:
            labels[field] = label
    return labels


def _label_for(session: Session, field: str, value: Any) -> str | None:
    if field == "room_id":
        row = session.execute(_room_query().where(Room.id == value)).first()
        return _room_label(row) if row else f"room {value} (deleted)"
    if field in ("custodian_id", "assigned_person_id"):
        person = session.get(Person, value)
        return _person_label(person) if person else f"person {value} (deleted)"
    if field == "model_id":
        model = session.get(AssetModel, value)
        return _model_label(model) if model else f"model {value}"
    if field == "class_id":
        asset_class = session.get(AssetClass, value)
        return f"{asset_class.code} — {asset_class.name}" if asset_class else f"class {value}"
    if field == "site_id":
        site = session.get(Site, value)
        return f"{site.code} — {site.name}" if site else f"site {value}"
    if field == "department_id":
        department = session.get(Department, value)
        return f"{department.code} — {department.name}" if department else f"department {value}"
    if field == "parent_id":
        parent = session.get(Asset, value)
        return f"{parent.tag} {parent.description}" if parent else f"asset {value} (deleted)"
    if field == "function_code":
        code = session.get(FunctionCode, value)
        return f"{code.code} — {code.name}" if code else str(value)
    if field == "fund_code":
        fund = session.get(Fund, value)
        return f"{fund.code} — {fund.name}" if fund else str(value)
    return None


def funding_labels(session: Session, source_ids: Iterable[int]) -> dict[int, str]:
    ids = list(source_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(FundingSource.id, FundingSource.code, FundingSource.name).where(FundingSource.id.in_(ids))
    )
    return {row[0]: f"{row[1]} — {row[2]}" for row in rows}
