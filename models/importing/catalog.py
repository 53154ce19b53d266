"""The register's reference lists, loaded once per preview, for matching names and codes.

Sites, buildings and rooms by code or name; classes, models, funding sources,
departments and people by the names and codes spreadsheets use for them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.importing.normalise import name_key
from models.schema import (
    AssetClass,
    AssetModel,
    Building,
    Department,
    Floor,
    Fund,
    FunctionCode,
    FundingSource,
    Person,
    Room,
    Site,
)

_ROOM_PREFIX = re.compile(r"^(?:room|rm|rm\.|#)\s*", re.IGNORECASE)


def room_key(text: str) -> str:
    return _ROOM_PREFIX.sub("", text.strip()).upper()


@dataclass
class Catalog:
    sites: dict[str, int] = field(default_factory=dict)  # code (upper) and name key → id
    site_label: dict[int, str] = field(default_factory=dict)
    buildings: dict[tuple[int, str], int] = field(default_factory=dict)  # (site, code/name) → id
    buildings_of_site: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    building_label: dict[int, str] = field(default_factory=dict)
    building_site: dict[int, int] = field(default_factory=dict)
    rooms: dict[tuple[int, str], int] = field(default_factory=dict)  # (building, number) → id
    rooms_at_site: dict[tuple[int, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    room_site: dict[int, int] = field(default_factory=dict)
    room_building: dict[int, int] = field(default_factory=dict)
    room_label: dict[int, str] = field(default_factory=dict)
    floors: dict[tuple[int, int], int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    class_label: dict[int, str] = field(default_factory=dict)
    class_threshold: dict[int, Any] = field(default_factory=dict)
    models: dict[tuple[str, str], int] = field(default_factory=dict)  # (maker key, name key) → id
    models_by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    model_label: dict[int, str] = field(default_factory=dict)
    model_class: dict[int, int | None] = field(default_factory=dict)
    funding: dict[str, int] = field(default_factory=dict)
    funding_label: dict[int, str] = field(default_factory=dict)
    departments: dict[str, int] = field(default_factory=dict)
    department_label: dict[int, str] = field(default_factory=dict)
    function_codes: set[str] = field(default_factory=set)
    fund_codes: set[str] = field(default_factory=set)
    _people: dict[str, list[int]] | None = None
    person_label: dict[int, str] = field(default_factory=dict)
    session: Session | None = None

    @classmethod
    def load(cls, session: Session) -> Catalog:
        cat = cls(session=session)
        for site in session.execute(select(Site.id, Site.code, Site.name)):
            cat.sites[site.code.upper()] = site.id
            cat.sites.setdefault(name_key(site.name), site.id)
            cat.site_label[site.id] = site.code
        for b in session.execute(select(Building.id, Building.site_id, Building.code, Building.name)):
            cat.buildings[(b.site_id, b.code.upper())] = b.id
            cat.buildings.setdefault((b.site_id, name_key(b.name)), b.id)
            cat.buildings_of_site[b.site_id].append(b.id)
            cat.building_label[b.id] = b.code
            cat.building_site[b.id] = b.site_id
        for f in session.execute(select(Floor.id, Floor.building_id, Floor.level)):
            cat.floors[(f.building_id, f.level)] = f.id
        stmt = select(Room.id, Room.site_id, Room.number, Floor.building_id).join(Floor, Floor.id == Room.floor_id)
        for r in session.execute(stmt):
            number = r.number.upper()
            cat.rooms[(r.building_id, number)] = r.id
            cat.rooms_at_site[(r.site_id, number)].append(r.id)
            cat.room_site[r.id] = r.site_id
            cat.room_building[r.id] = r.building_id
            cat.room_label[r.id] = (
                f"{cat.site_label.get(r.site_id, '?')} / {cat.building_label.get(r.building_id, '?')} / {r.number}"
            )
        for c in session.execute(select(AssetClass.id, AssetClass.code, AssetClass.name,
                                        AssetClass.capitalization_threshold)):
            cat.classes[c.code.upper()] = c.id
            cat.classes.setdefault(name_key(c.name), c.id)
            cat.class_label[c.id] = c.name
            cat.class_threshold[c.id] = c.capitalization_threshold
        for m in session.execute(select(AssetModel.id, AssetModel.manufacturer, AssetModel.name,
                                        AssetModel.default_class_id)):
            cat.add_model(m.id, m.manufacturer, m.name, m.default_class_id)
        for s in session.execute(select(FundingSource.id, FundingSource.code, FundingSource.name)):
            cat.funding[s.code.upper()] = s.id
            cat.funding.setdefault(name_key(s.name), s.id)
            cat.funding_label[s.id] = s.code
        for d in session.execute(select(Department.id, Department.code, Department.name)):
            cat.departments[d.code.upper()] = d.id
            cat.departments.setdefault(name_key(d.name), d.id)
            cat.department_label[d.id] = d.code
        cat.function_codes = set(session.scalars(select(FunctionCode.code)))
        cat.fund_codes = set(session.scalars(select(Fund.code)))
        return cat

    def add_model(self, model_id: int, manufacturer: str, name: str, class_id: int | None) -> None:
        self.models[(name_key(manufacturer), name_key(name))] = model_id
        self.models_by_name[name_key(name)].append(model_id)
        self.models_by_name.setdefault(name_key(f"{manufacturer} {name}"), []).append(model_id)
        self.model_label[model_id] = f"{manufacturer} {name}"
        self.model_class[model_id] = class_id

    # -- people are many (a student per device); loaded only when a file names them ----------
    def person(self, text: str) -> list[int]:
        if self._people is None:
            self._load_people()
        assert self._people is not None
        key = text.strip().lower()
        return self._people.get(key) or self._people.get(name_key(text), [])

    def _load_people(self) -> None:
        assert self.session is not None
        people: dict[str, list[int]] = defaultdict(list)
        stmt = select(Person.id, Person.external_id, Person.email, Person.first_name, Person.last_name)
        for p in self.session.execute(stmt):
            if p.external_id:
                people[p.external_id.lower()].append(p.id)
            if p.email:
                people[p.email.lower()].append(p.id)
                people[p.email.lower().split("@")[0]].append(p.id)
            full = f"{p.first_name} {p.last_name}"
            people[name_key(full)].append(p.id)
            people[name_key(f"{p.last_name} {p.first_name}")].append(p.id)
            self.person_label[p.id] = full
        self._people = dict(people)
