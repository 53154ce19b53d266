"""The register: which assets a filter selects, in what order, and what each row shows.

The register never loads an object per asset. A query gives the ids of the
filtered set in sort order as one numpy array (SQLite hands them over as one
text blob, PostgreSQL through a binary COPY); the table then asks for the rows
of the page it is painting. Filtering and ordering are SQL.

The search box matches tag and serial through the text indexes of migrations
0001 and 0007 (SQLite FTS5 trigram ``asset_search``; PostgreSQL pg_trgm GIN on
serial and the ``lower(tag)`` prefix index). Description, model, person and room
are looked up in their own small tables first (descriptions in
``asset_descriptions``, each once): the descriptions and ids found there are
matched against the indexed columns of ``assets``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
    union,
)
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlalchemy.orm import Session, aliased

from models.database import Database
from models.money import from_cents, to_money
from models.schema import (
    Asset,
    AssetClass,
    AssetDescription,
    AssetModel,
    AssetStatus,
    Building,
    Condition,
    Department,
    Floor,
    FundingShare,
    FundingSource,
    Person,
    Room,
    Site,
)

TEXT, MONEY, DATE, NUMBER = "text", "money", "date", "number"

STATUS_LABELS = {s: s.value.replace("_", " ").capitalize() for s in AssetStatus}
CONDITION_LABELS = {c: c.value.capitalize() for c in Condition}


# -- the filter ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilter:
    """What the register shows. Empty tuples and ``None`` mean "any"."""

    search: str = ""
    site_ids: tuple[int, ...] = ()
    building_ids: tuple[int, ...] = ()
    room_ids: tuple[int, ...] = ()
    class_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    department_ids: tuple[int, ...] = ()
    funding_source_ids: tuple[int, ...] = ()
    model_ids: tuple[int, ...] = ()
    device_types: tuple[str, ...] = ()
    person_ids: tuple[int, ...] = ()
    capitalized: bool | None = None
    assigned: bool | None = None  # True: loaned to a person; False: nobody has it
    federal: bool | None = None  # True: paid in whole or part by a federal source
    acquired_from: date | None = None
    acquired_to: date | None = None
    cost_min: Decimal | None = None
    cost_max: Decimal | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list | set | frozenset):
                object.__setattr__(self, f.name, tuple(value))
        for name in ("cost_min", "cost_max"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, to_money(value))
        if self.statuses:
            object.__setattr__(self, "statuses", tuple(AssetStatus(s).value for s in self.statuses))
        if self.conditions:
            object.__setattr__(self, "conditions", tuple(Condition(c).value for c in self.conditions))

    @property
    def is_empty(self) -> bool:
        return self == RegisterFilter()

    def cleared(self) -> RegisterFilter:
        return RegisterFilter()

    def with_search(self, text: str) -> RegisterFilter:
        return replace(self, search=text)

    def describe(self) -> list[str]:
        """The parts of the filter that are set, named as the filter panel names them."""
        parts = []
        if self.search.strip():
            parts.append(f'search "{self.search.strip()}"')
        names = {
            "site_ids": "site", "building_ids": "building", "room_ids": "room",
            "class_ids": "class", "statuses": "status", "conditions": "condition",
            "department_ids": "department", "funding_source_ids": "funding source",
            "model_ids": "model", "device_types": "device type", "person_ids": "person",
        }
        for key, label in names.items():
            if getattr(self, key):
                parts.append(label)
        if self.capitalized is not None:
            parts.append("capitalized" if self.capitalized else "controlled")
        if self.assigned is not None:
            parts.append("assigned" if self.assigned else "unassigned")
        if self.federal is not None:
            parts.append("federal funding" if self.federal else "no federal funding")
        if self.acquired_from or self.acquired_to:
            parts.append("acquired between dates")
        if self.cost_min is not None or self.cost_max is not None:
            parts.append("cost range")
        return parts

    # Saved views keep the filter as JSON.
    def to_json(self) -> str:
        data: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if value in ((), None, ""):
                continue
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, tuple):
                value = list(value)
            data[key] = value
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RegisterFilter:
        """The filter a saved view holds. Keys this version does not know are ignored."""
        data = json.loads(text or "{}")
        if not isinstance(data, dict):
            raise ValueError("a saved filter must be a JSON object")
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key in ("acquired_from", "acquired_to") and value is not None:
                value = date.fromisoformat(value)
            elif key in ("cost_min", "cost_max") and value is not None:
                value = Decimal(str(value))
            elif isinstance(value, list):
                value = tuple(value)
            values[key] = value
        return cls(**values)


# -- columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT
    sortable: bool = True
    width: int = 12  # characters, a sensible first width
    shown: bool = True  # among the default columns


Holder = aliased(Person, name="holder")
Keeper = aliased(Person, name="keeper")
RoomBuilding = aliased(Building, name="room_building")

COLUMNS: tuple[Column, ...] = (
    Column("tag", "Tag", width=9),
    Column("description", "Description", width=26),
    Column("serial", "Serial", width=12),
    Column("model", "Model", width=24, shown=False),
    Column("device_type", "Device type", width=12, shown=False),
    Column("class", "Class", width=12),
    Column("status", "Status", width=9),
    Column("condition", "Condition", width=8, shown=False),
    Column("site", "Site", width=18),
    Column("building", "Building", width=16, shown=False),
    Column("room", "Room", width=6),
    Column("department", "Department", width=18, shown=False),
    Column("assigned_to", "Assigned to", width=16),
    Column("custodian", "Custodian", width=18, shown=False),
    Column("funding", "Funding", width=16, sortable=False, shown=False),
    Column("acquired_on", "Acquired", DATE, width=9),
    Column("in_service_on", "In service", DATE, width=10, shown=False),
    Column("cost", "Cost", MONEY, width=11),
    Column("capitalized", "Capitalized", width=7),
    Column("fund_code", "Fund", width=6, shown=False),
    Column("function_code", "Function", width=8, shown=False),
    Column("po_number", "PO number", width=10, shown=False),
    Column("vendor", "Vendor", width=16, shown=False),
    Column("warranty_ends_on", "Warranty ends", DATE, width=10, shown=False),
    Column("useful_life_months", "Life (months)", NUMBER, width=6, shown=False),
    Column("disposed_on", "Disposed", DATE, width=10, shown=False),
    Column("book_value", "Book value", MONEY, width=12, shown=False),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_COLUMNS = tuple(c.key for c in COLUMNS if c.shown)
DEFAULT_SORT = ("tag", False)


def column(key: str) -> Column:
    try:
        return COLUMN_BY_KEY[key]
    except KeyError:
        raise KeyError(f"the register has no column {key!r}") from None


def _person_name(person: Any) -> ColumnElement[str]:
    return person.last_name + ", " + person.first_name


# What each column selects, and what it sorts by (the index-friendly form where one exists).
_SELECT: dict[str, ColumnElement[Any]] = {
    "tag": Asset.tag,
    "description": Asset.description,
    "serial": Asset.serial,
    "model": AssetModel.manufacturer + " " + AssetModel.name,
    "device_type": AssetModel.device_type,
    "class": AssetClass.name,
    "status": Asset.status,
    "condition": Asset.condition,
    "site": Site.name,
    "building": RoomBuilding.name,
    "room": Room.number,
    "department": Department.name,
    "assigned_to": _person_name(Holder),
    "custodian": _person_name(Keeper),
    "acquired_on": Asset.acquired_on,
    "in_service_on": Asset.in_service_on,
    "cost": Asset.cost,
    "capitalized": Asset.capitalized,
    "fund_code": Asset.fund_code,
    "function_code": Asset.function_code,
    "po_number": Asset.po_number,
    "vendor": Asset.vendor,
    "warranty_ends_on": Asset.warranty_ends_on,
    "useful_life_months": Asset.useful_life_months,
    "disposed_on": Asset.disposed_on,
}

# The joins a column needs (in order), as (target, on clause).
_JOINS: dict[str, list[tuple[Any, Any]]] = {
    "model": [(AssetModel, Asset.model_id == AssetModel.id)],
    "device_type": [(AssetModel, Asset.model_id == AssetModel.id)],
    "class": [(AssetClass, Asset.class_id == AssetClass.id)],
    "site": [(Site, Asset.site_id == Site.id)],
    "room": [(Room, Asset.room_id == Room.id)],
    "building": [
        (Room, Asset.room_id == Room.id),
        (Floor, Room.floor_id == Floor.id),
        (RoomBuilding, Floor.building_id == RoomBuilding.id),
    ],
    "department": [(Department, Asset.department_id == Department.id)],
    "assigned_to": [(Holder, Asset.assigned_person_id == Holder.id)],
    "custodian": [(Keeper, Asset.custodian_id == Keeper.id)],
}

# Sorting by a small table's name goes through a correlated look-up of that name, so the
# database sorts a million keys without materialising a join; big tables join.
_SORT: dict[str, list[ColumnElement[Any]]] = {
    "model": [AssetModel.manufacturer, AssetModel.name],
    "room": [Room.number],
    "assigned_to": [Holder.last_name, Holder.first_name],
    "custodian": [Keeper.last_name, Keeper.first_name],
}


# -- filtering ----------------------------------------------------------------------------------


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_words(text: str) -> list[str]:
    """The words of a search, lower-cased; every word must match somewhere."""
    return [w for w in text.lower().split() if w]


@dataclass
class _WordMatches:
    """What one search word matched in the small tables (None = not looked up: use a subquery)."""

    model_ids: list[int] | None = None
    person_ids: list[int] | None = None
    room_ids: list[int] | None = None
    descriptions: list[str] | None = None


def _model_ids_for(word: str) -> Select[Any]:
    like = f"%{_escape_like(word)}%"
    return select(AssetModel.id).where(
        or_(
            func.lower(AssetModel.manufacturer + " " + AssetModel.name).like(like, escape="\\"),
            func.lower(AssetModel.device_type).like(like, escape="\\"),
        )
    )


def _person_ids_for(word: str) -> CompoundSelect[Any]:
    """People whose first or last name starts with ``word`` (any case), or whose district id
    is ``word``. Names are matched as ranges on the indexed name columns for the ways people
    write them (as typed, Capitalized, UPPER), then checked case-blind."""
    variants = sorted({word, word[:1].upper() + word[1:], word.upper(), word.title()})
    prefix = f"{_escape_like(word)}%"
    # One simple range per column and spelling, united: SQLite answers each from its index,
    # where one WHERE of ORs and ANDs made it read all the people (90 ms at 280,000).
    parts = [
        select(Person.id).where(_starts_with(name, variant), func.lower(name).like(prefix, escape="\\"))
        for name in (Person.last_name, Person.first_name)
        for variant in variants
    ]
    parts.append(select(Person.id).where(Person.external_id.in_(sorted({word, word.upper()}))))
    return union(*parts)


def _starts_with(expr: ColumnElement[str], prefix: str) -> ColumnElement[bool]:
    """``expr`` begins with ``prefix``, as a range an ordinary index answers on both databases."""
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(expr >= prefix, expr < following)


def _room_ids_for(word: str) -> Select[Any]:
    like = f"%{_escape_like(word)}%"
    return select(Room.id).where(
        or_(func.lower(Room.number) == word, func.lower(func.coalesce(Room.name, "")).like(like, escape="\\"))
    )


def _text_match(word: str, dialect: str, descriptions: list[str] | None = None) -> ColumnElement[bool]:
    """Tag, serial or description contains ``word`` (any case), through the text indexes."""
    return or_(_tag_or_serial_match(word, dialect), _description_match(word, dialect, descriptions))


def _tag_or_serial_match(word: str, dialect: str) -> ColumnElement[bool]:
    if dialect == "sqlite":
        if len(word) >= 3:  # the trigram index needs three characters
            # The index keeps no token positions: it gives the assets holding every trigram
            # of the word, and LIKE keeps those holding the word itself.
            return and_(Asset.id.in_(_fts_rowids(_all_trigrams(word))), _tag_or_serial_like(word))
        prefix = f"{_escape_like(word)}%"
        return or_(
            func.lower(Asset.tag).like(prefix, escape="\\"),
            func.lower(Asset.serial).like(prefix, escape="\\"),
        )
    like = f"%{_escape_like(word)}%"
    return or_(
        func.lower(Asset.tag).like(f"{_escape_like(word)}%", escape="\\"),
        func.lower(Asset.serial).like(like, escape="\\"),
    )


def _tag_or_serial_like(word: str) -> ColumnElement[bool]:
    like = f"%{_escape_like(word)}%"
    return or_(func.lower(Asset.tag).like(like, escape="\\"), func.lower(Asset.serial).like(like, escape="\\"))


def _description_match(word: str, dialect: str, descriptions: list[str] | None) -> ColumnElement[bool]:
    """The asset's description is one of those containing ``word``, found through its index."""
    if descriptions is None:
        return Asset.description.in_(_descriptions_for(word, dialect))
    if not descriptions:  # left out: an empty IN list would keep SQLite from using the indexes of an OR
        return false()
    return Asset.description.in_(descriptions)


def _all_trigrams(word: str) -> str:
    """An FTS5 query for the rows holding every trigram of ``word`` (three or more characters)."""
    return " AND ".join(_fts_string(word[i:i + 3]) for i in range(len(word) - 2))


def _fts_string(text: str) -> str:
    """``text`` as an FTS5 string: matched as it is, whatever its characters."""
    return '"' + text.replace('"', '""') + '"'


def _descriptions_for(word: str, dialect: str) -> Select[Any]:
    """The recorded descriptions that contain ``word``, in any case."""
    if dialect == "sqlite" and len(word) >= 3:
        match = literal_column("asset_description_search").op("MATCH")(
            bindparam("fts", _fts_string(word), unique=True))
        rowids = select(_DESCRIPTION_SEARCH.c.rowid).where(match)
        return select(AssetDescription.text).where(AssetDescription.id.in_(rowids))
    like = f"%{_escape_like(word)}%"
    return select(AssetDescription.text).where(func.lower(AssetDescription.text).like(like, escape="\\"))


_ASSET_SEARCH = sa_table("asset_search", sa_column("rowid"))
_DESCRIPTION_SEARCH = sa_table("asset_description_search", sa_column("rowid"))


def _fts_rowids(query: str) -> Select[Any]:
    match = literal_column("asset_search").op("MATCH")(bindparam("fts", query, unique=True))
    return select(_ASSET_SEARCH.c.rowid).where(match)


def _word_condition(
    word: str, matches: _WordMatches, dialect: str, text_match: ColumnElement[bool] | None = None
) -> ColumnElement[bool]:
    if text_match is None:
        text_match = _text_match(word, dialect, matches.descriptions)
    parts: list[ColumnElement[bool]] = [text_match]
    for ids, fk, sub in (
        (matches.model_ids, Asset.model_id, _model_ids_for),
        (matches.person_ids, Asset.assigned_person_id, _person_ids_for),
        (matches.room_ids, Asset.room_id, _room_ids_for),
    ):
        if ids is None:
            parts.append(fk.in_(sub(word)))
        elif ids:
            parts.append(fk.in_(ids))
    return or_(*parts)


def _conditions(
    flt: RegisterFilter, dialect: str, resolved: dict[str, _WordMatches] | None = None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    for word in search_words(flt.search):
        matches = (resolved or {}).get(word, _WordMatches())
        where.append(_word_condition(word, matches, dialect))
    if flt.site_ids:
        where.append(Asset.site_id.in_(flt.site_ids))
    if flt.building_ids:
        where.append(
            Asset.room_id.in_(
                select(Room.id).join(Floor, Room.floor_id == Floor.id).where(Floor.building_id.in_(flt.building_ids))
            )
        )
    if flt.room_ids:
        where.append(Asset.room_id.in_(flt.room_ids))
    if flt.class_ids:
        where.append(Asset.class_id.in_(flt.class_ids))
    if flt.statuses:
        where.append(Asset.status.in_([AssetStatus(s) for s in flt.statuses]))
    if flt.conditions:
        where.append(Asset.condition.in_([Condition(c) for c in flt.conditions]))
    if flt.department_ids:
        where.append(Asset.department_id.in_(flt.department_ids))
    if flt.funding_source_ids:
        where.append(
            Asset.id.in_(
                select(FundingShare.asset_id).where(FundingShare.funding_source_id.in_(flt.funding_source_ids))
            )
        )
    if flt.model_ids:
        where.append(Asset.model_id.in_(flt.model_ids))
    if flt.device_types:
        where.append(Asset.model_id.in_(select(AssetModel.id).where(AssetModel.device_type.in_(flt.device_types))))
    if flt.person_ids:
        where.append(Asset.assigned_person_id.in_(flt.person_ids))
    if flt.capitalized is not None:
        where.append(Asset.capitalized.is_(flt.capitalized))
    if flt.assigned is not None:
        where.append(
            Asset.assigned_person_id.is_not(None) if flt.assigned else Asset.assigned_person_id.is_(None)
        )
    if flt.federal is not None:
        federal = Asset.id.in_(
            select(FundingShare.asset_id)
            .join(FundingSource, FundingShare.funding_source_id == FundingSource.id)
            .where(FundingSource.is_federal.is_(True))
        )
        where.append(federal if flt.federal else ~federal)
    if flt.acquired_from is not None:
        where.append(Asset.acquired_on >= flt.acquired_from)
    if flt.acquired_to is not None:
        where.append(Asset.acquired_on <= flt.acquired_to)
    if flt.cost_min is not None:
        where.append(Asset.cost >= flt.cost_min)
    if flt.cost_max is not None:
        where.append(Asset.cost <= flt.cost_max)
    return where


def _resolve_words(session: Session, flt: RegisterFilter) -> dict[str, _WordMatches]:
    """Look each search word up in the small tables first, so the asset query gets id lists."""
    resolved: dict[str, _WordMatches] = {}
    dialect = _dialect_of(session)
    for word in search_words(flt.search):
        resolved[word] = _WordMatches(
            model_ids=list(session.scalars(_model_ids_for(word))),
            person_ids=list(session.scalars(_person_ids_for(word).limit(_PEOPLE_LIST_LIMIT + 1))),
            room_ids=list(session.scalars(_room_ids_for(word))),
            descriptions=list(session.scalars(_descriptions_for(word, dialect))),
        )
        if len(resolved[word].person_ids or ()) > _PEOPLE_LIST_LIMIT:
            resolved[word].person_ids = None  # too many to list: let the database join
    return resolved


_PEOPLE_LIST_LIMIT = 5_000


def _resolve_words_for_bench(db: Database, flt: RegisterFilter) -> dict[str, _WordMatches]:
    """The small-table look-ups of a search, for benchmarks that time the SQL alone."""
    with db.reading() as session:
        return _resolve_words(session, flt)


def _dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def filtered_ids(flt: RegisterFilter, dialect: str = "sqlite") -> Select[Any]:
    """A select of the ids of the assets ``flt`` selects (unordered). ``dialect`` picks the text
    index the search uses; the result can be used as a subquery (``Asset.id.in_(...)``)."""
    return select(Asset.id).where(*_conditions(flt, dialect))


# -- ordering and fetching ----------------------------------------------------------------------


def search_ids(db: Database, text: str) -> np.ndarray | None:
    """The ids (sorted, unique) of every asset the search text matches, or None for no search.

    Each word is matched on its own (text index; models, people and rooms through their own
    tables, then the indexed foreign keys) and the sets are intersected."""
    words = search_words(text)
    if not words:
        return None
    result: np.ndarray | None = None
    with db.reading() as session:
        _tune(session)
        dialect = _dialect_of(session)
        resolved = _resolve_words(session, RegisterFilter(search=text))
        for word in words:
            matches = resolved[word]
            parts = [_fetch_id_array(session, _text_ids(word, dialect))]
            if matches.descriptions:
                parts.append(_fetch_id_array(session, select(Asset.id).where(
                    Asset.description.in_(matches.descriptions))))
            for ids, fk, sub in (
                (matches.model_ids, Asset.model_id, _model_ids_for),
                (matches.person_ids, Asset.assigned_person_id, _person_ids_for),
                (matches.room_ids, Asset.room_id, _room_ids_for),
            ):
                if ids is None:
                    parts.append(_fetch_id_array(session, select(Asset.id).where(fk.in_(sub(word)))))
                elif ids:
                    parts.append(_fetch_id_array(session, select(Asset.id).where(fk.in_(ids))))
            found = _union(parts)
            result = found if result is None else _intersection(result, found)
            if not result.size:
                break
    return result


def _text_ids(word: str, dialect: str) -> Select[Any]:
    """The assets whose tag or serial contains ``word``."""
    if dialect == "sqlite" and len(word) == 3:  # one trigram: the index alone answers, no table look-up
        return _fts_rowids(_all_trigrams(word))
    return select(Asset.id).where(_tag_or_serial_match(word, dialect))


def _union(parts: list[np.ndarray]) -> np.ndarray:
    """Sorted unique ids of all ``parts`` (a bitmap over the id range: no sort of a million ids)."""
    parts = [p for p in parts if p.size]
    if not parts:
        return np.zeros(0, dtype=np.int64)
    mask = np.zeros(max(int(p.max()) for p in parts) + 1, dtype=bool)
    for part in parts:
        mask[part] = True
    return np.flatnonzero(mask).astype(np.int64)


def _intersection(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if not a.size or not b.size:
        return np.zeros(0, dtype=np.int64)
    mask = np.zeros(int(max(a.max(), b.max())) + 1, dtype=bool)
    mask[a] = True
    return b[mask[b]]


def keep_members(ordered: np.ndarray, members: np.ndarray) -> np.ndarray:
    """The ids of ``ordered`` that are in ``members``, in ``ordered``'s order."""
    if not ordered.size or not members.size:
        return np.zeros(0, dtype=np.int64)
    top = int(max(ordered.max(), members.max())) + 1
    mask = np.zeros(top, dtype=bool)
    mask[members] = True
    return ordered[mask[ordered]]


def _sort_select(flt: RegisterFilter, sort: tuple[str, bool], dialect: str, resolved: dict[str, _WordMatches],
                 closed: Any | None = None) -> Select[Any]:
    """``closed``: ``_depreciation_tables``' answer, which a sort by book value needs."""
    key, descending = sort
    col = column(key)
    if not col.sortable:
        raise ValueError(f"the register cannot sort by {col.label}")
    stmt = select(Asset.id).where(*_conditions(flt, dialect, resolved))
    for target, on in _JOINS.get(key, []):
        stmt = stmt.outerjoin(target, on)
    if key == "book_value":
        stmt, keys = _book_value_order(stmt, dialect, closed)
    else:
        keys = _SORT.get(key, [_SELECT[key]])
    order: list[Any] = []
    # Each database's own place for empty values (SQLite: first going up; PostgreSQL: last),
    # which is the order its indexes hold: naming another makes it sort a million rows.
    for expr in keys:
        order.append(expr.desc() if descending else expr.asc())
    if key != "tag":  # tags are unique: the tag index alone gives the order
        order.append(Asset.id.desc() if descending else Asset.id.asc())
    return stmt.order_by(*order)


def _book_value_order(stmt: Select[Any], dialect: str, closed: Any | None) -> tuple[Select[Any], list[Any]]:
    """Book value as ``book_values`` states it (cost less depreciation through the latest
    closed year; none for assets not capitalized or disposed), in cents, as a sort key."""
    if closed is None:  # no closed year: no asset has a book value yet
        return stmt, []
    figures, close_id, _year = closed
    stmt = stmt.outerjoin(figures, and_(figures.asset_id == Asset.id, figures.close_id == close_id))
    cost_cents = type_coerce(Asset.cost, Integer) if dialect == "sqlite" else Asset.cost * 100
    held = and_(Asset.capitalized.is_(True), Asset.status != AssetStatus.DISPOSED)
    value = case((held, cost_cents - func.coalesce(figures.accumulated_end_cents, 0)), else_=None)
    return stmt, [value]


def sorted_ids(
    db: Database,
    flt: RegisterFilter,
    sort: tuple[str, bool] = DEFAULT_SORT,
    *,
    limit: int | None = None,
    base: np.ndarray | None = None,
) -> np.ndarray:
    """The ids of the filtered assets in sort order, as one int64 array. ``limit`` gives only
    the first rows (what a table paints before the whole list is in).

    A search is matched first (``search_ids``). A few matches are then filtered and sorted in
    SQL by id; many are picked out of the ordered ids of the filter without its search,
    ``base``, which a caller typing a search keeps from keystroke to keystroke."""
    if limit is not None and search_words(flt.search):
        head = first_matches(db, flt, sort, limit, base=base)
        if head is not None:
            return head
    members = search_ids(db, flt.search) if search_words(flt.search) else None
    rest = replace(flt, search="")
    if members is None and base is not None:
        return base if limit is None else base[:limit]
    if members is not None and members.size > IN_LIST_LIMIT:
        if base is None:
            base = _ordered(db, rest, sort, None, None)
        found = keep_members(base, members)
        return found if limit is None else found[:limit]
    return _ordered(db, rest, sort, members, limit)


IN_LIST_LIMIT = 5_000
FIRST_MATCH_BUDGET = 4_000


def first_matches(
    db: Database, flt: RegisterFilter, sort: tuple[str, bool], limit: int, *, base: np.ndarray | None = None
) -> np.ndarray | None:
    """The first ``limit`` ids a search gives in sort order, found by walking the sort order
    (``base``, or the first ``FIRST_MATCH_BUDGET`` rows of the filter without its search) and
    testing each row against the search words; None when the walk finds too few (a narrow
    search: its text index answers quickly) and the caller should match the search first.

    A broad word matches densely, so a few thousand rows hold the first page, where the text
    index would list every match before any could be shown. The rows are the ones the full
    search gives, in the same order: the walk is a prefix of the order the full search keeps."""
    words = search_words(flt.search)
    if not words:
        return None
    rest = replace(flt, search="")
    with db.reading() as session:
        dialect = _dialect_of(session)
        if dialect == "sqlite" and not all(w.isascii() for w in words):
            return None  # FTS5 folds case beyond ASCII; LIKE does not
        resolved = _resolve_words(session, flt)
    if base is not None:
        walked = base[:FIRST_MATCH_BUDGET]
    else:
        walked = _ordered(db, rest, sort, None, FIRST_MATCH_BUDGET)
    if not walked.size:
        return walked
    hit = and_(*[_row_word_condition(w, resolved[w], dialect) for w in words])
    # A quarter of the walk first: a narrow word gives up after it, a broad one is done.
    probe = min(walked.size, max(limit, FIRST_MATCH_BUDGET // 4))
    with db.reading() as session:
        _tune(session)
        found = _matching(session, walked[:probe], hit)
        if found.size < limit and walked.size > probe:
            if found.size * walked.size < limit * probe:
                return None  # too sparse to fill the first rows within the walk
            found = np.concatenate([found, _matching(session, walked[probe:], hit)])
    if found.size >= limit:
        return found[:limit]
    if walked.size < FIRST_MATCH_BUDGET:  # the walk covered the whole filtered set
        return found
    return None


def _matching(session: Session, walked: np.ndarray, hit: ColumnElement[bool]) -> np.ndarray:
    """The ids of ``walked`` for which ``hit`` holds, in ``walked``'s order. The test is in the
    select list so the database evaluates it on these rows alone, never through the text
    index over the whole table."""
    stmt = select(Asset.id, hit.label("hit")).where(_id_in(walked.tolist()))
    matched = np.fromiter((row[0] for row in session.execute(stmt) if row[1]), dtype=np.int64)
    return keep_members(walked, matched)


def _row_word_condition(word: str, matches: _WordMatches, dialect: str) -> ColumnElement[bool]:
    """``_word_condition`` as a test of one row: SQLite's trigram query as a case-blind LIKE
    on the same columns (equal for ASCII words), the rest as they are."""
    if dialect != "sqlite" or len(word) < 3:
        return _word_condition(word, matches, dialect)
    text_hit = or_(_tag_or_serial_like(word), _description_match(word, dialect, matches.descriptions))
    return _word_condition(word, matches, dialect, text_hit)


def _id_in(ids: list[int]) -> ColumnElement[bool]:
    """``assets.id IN (...)`` with the ids written into the statement (they are integers):
    PostgreSQL plans each page for the ids it has, instead of a generic plan for a prepared
    statement with a hundred parameters."""
    return Asset.id.in_(bindparam("asset_ids", [int(i) for i in ids], expanding=True, literal_execute=True, unique=True))


def _ordered(
    db: Database, flt: RegisterFilter, sort: tuple[str, bool], members: np.ndarray | None, limit: int | None
) -> np.ndarray:
    if members is not None and not members.size:
        return np.zeros(0, dtype=np.int64)
    with db.reading() as session:
        dialect = _dialect_of(session)
        _tune(session)
        resolved = _resolve_words(session, flt)
        closed = _depreciation_tables(session) if sort[0] == "book_value" else None
        stmt = _sort_select(flt, sort, dialect, resolved, closed)
        if members is not None:
            stmt = stmt.where(_id_in(members.tolist()))
        if limit is not None:
            head = _grouped_head(session, flt, sort, dialect, resolved, members, limit)
            if head is not None:
                return head
            return np.fromiter(session.scalars(stmt.limit(limit)), dtype=np.int64)
        return _fetch_id_array(session, stmt)


MAX_GROUP_QUERIES = 60


def _grouped_head(
    session: Session, flt: RegisterFilter, sort: tuple[str, bool], dialect: str,
    resolved: dict[str, _WordMatches], members: np.ndarray | None, limit: int,
) -> np.ndarray | None:
    """The first rows of a sort by a column with few distinct values (a site, a class, a status)
    without sorting a million rows: walk the values in order and take each one's assets by id,
    through the foreign-key index, until the page is full. The order is the one ``_sort_select``
    gives. None when the column has no such short list (the caller sorts in SQL)."""
    key, descending = sort
    groups = _sort_groups(session, key)
    if groups is None:
        return None
    null_group = _NULL_GROUP.get(key)
    nulls = [null_group] if null_group is not None else []
    # Going up, empty values come first on SQLite and last on PostgreSQL (as ``_sort_select``).
    ordered: list[ColumnElement[bool]] = nulls + groups if dialect == "sqlite" else groups + nulls
    if descending:
        ordered.reverse()
    base = select(Asset.id).where(*_conditions(flt, dialect, resolved))
    if members is not None:
        base = base.where(_id_in(members.tolist()))
    found: list[int] = []
    for number, condition in enumerate(ordered):
        if number >= MAX_GROUP_QUERIES:
            return None
        stmt = base.where(condition).order_by(Asset.id.desc() if descending else Asset.id.asc())
        found.extend(session.scalars(stmt.limit(limit - len(found))))
        if len(found) >= limit:
            break
    return np.asarray(found, dtype=np.int64)


_NULL_GROUP: dict[str, ColumnElement[bool]] = {
    "site": Asset.site_id.is_(None),
    "class": Asset.class_id.is_(None),
    "department": Asset.department_id.is_(None),
    "model": Asset.model_id.is_(None),
    "device_type": Asset.model_id.is_(None),
    "room": Asset.room_id.is_(None),
}


def _sort_groups(session: Session, key: str) -> list[ColumnElement[bool]] | None:
    """For a sort key with a short list of values, one condition per value, in sort order."""
    small: dict[str, tuple[Any, list[Any], Any]] = {
        "site": (Site.id, [Site.name], Asset.site_id),
        "class": (AssetClass.id, [AssetClass.name], Asset.class_id),
        "department": (Department.id, [Department.name], Asset.department_id),
        "model": (AssetModel.id, [AssetModel.manufacturer, AssetModel.name], Asset.model_id),
        "device_type": (AssetModel.id, [AssetModel.device_type], Asset.model_id),
        "room": (Room.id, [Room.number], Asset.room_id),
    }
    if key in small:
        ident, names, fk = small[key]
        rows = session.execute(select(ident, *names).order_by(*names, ident)).all()
        if len(rows) > 20_000:
            return None
        groups: list[tuple[Any, list[int]]] = []
        for row in rows:
            value = tuple(row[1:])
            if groups and groups[-1][0] == value:
                groups[-1][1].append(row[0])
            else:
                groups.append((value, [row[0]]))
        return [fk.in_(ids) if len(ids) > 1 else fk == ids[0] for _value, ids in groups]
    if key == "status":
        return [Asset.status == s for s in sorted(AssetStatus, key=lambda s: s.value)]
    if key == "condition":
        return [Asset.condition == c for c in sorted(Condition, key=lambda c: c.value)]
    if key == "capitalized":
        return [Asset.capitalized.is_(False), Asset.capitalized.is_(True)]
    return None


def _tune(session: Session) -> None:
    """PostgreSQL: a register query is short and sorts up to a million keys. JIT compiling
    costs more than it saves there, and the default 4 MB of sort memory spills to disk."""
    if _dialect_of(session) == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))


def _fetch_id_array(session: Session, stmt: Select[Any]) -> np.ndarray:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        # One string of comma-separated ids instead of a million row tuples.
        ordered = stmt.subquery()
        first = next(iter(ordered.c))
        raw = connection.execute(select(func.group_concat(first))).scalar()
        if not raw:
            return np.zeros(0, dtype=np.int64)
        return np.fromstring(raw, dtype=np.int64, sep=",")
    return _copy_ids_postgres(connection, stmt)


def _copy_ids_postgres(connection: Any, stmt: Select[Any]) -> np.ndarray:
    """The ids through ``COPY ... TO STDOUT (FORMAT binary)``: a fixed-width record per id."""
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    processors = compiled._bind_processors  # noqa: SLF001 - the column types' bind processing
    values = {name: processors[name](v) if name in processors else v for name, v in params.items()}
    raw_connection = connection.connection.dbapi_connection
    chunks: list[bytes] = []
    with raw_connection.cursor() as cursor:
        with cursor.copy(f"COPY ({compiled.string}) TO STDOUT (FORMAT binary)", values) as copy:
            for chunk in copy:
                chunks.append(bytes(chunk))
    data = b"".join(chunks)
    # 11-byte signature, flags, extension length; then per row: int16 field count,
    # int32 length, value; then an int16 -1 trailer.
    header = 11 + 4 + 4
    body = data[header:-2]
    if not body:
        return np.zeros(0, dtype=np.int64)
    width = int.from_bytes(body[2:6], "big", signed=True)
    record = np.dtype([("n", ">i2"), ("len", ">i4"), ("id", f">i{width}")])
    rows = np.frombuffer(body, dtype=record)
    return rows["id"].astype(np.int64)


def count(db: Database, flt: RegisterFilter) -> int:
    with db.reading() as session:
        dialect = _dialect_of(session)
        resolved = _resolve_words(session, flt)
        stmt = select(func.count()).select_from(Asset).where(*_conditions(flt, dialect, resolved))
        return int(session.scalar(stmt) or 0)


# -- rows ---------------------------------------------------------------------------------------


def rows_for_ids(db: Database, ids: Sequence[int] | np.ndarray, keys: Sequence[str] = COLUMN_KEYS) -> list[tuple[Any, ...] | None]:
    """The values of ``keys`` for each asset of ``ids``, in the order of ``ids``. An id no
    longer in the database (deleted since the list was made) gives ``None``.

    Values are plain: text, ``Decimal`` money, ``date``, numbers; status and condition as
    their labels, capitalized as "Yes"/"No", funding as codes with shares."""
    id_list = [int(i) for i in ids]
    if not id_list:
        return []
    for key in keys:
        column(key)
    wanted = [k for k in keys if k in _SELECT]
    stmt = select(Asset.id, *[_SELECT[k].label(k) for k in wanted]).where(_id_in(id_list))
    joined: set[Any] = set()
    for key in wanted:
        for target, on in _JOINS.get(key, []):
            if target not in joined:
                stmt = stmt.outerjoin(target, on)
                joined.add(target)
    with db.reading() as session:
        found = {row[0]: row for row in session.execute(stmt)}
        funding = _funding_text(session, id_list) if "funding" in keys else {}
        book = book_values(session, id_list) if "book_value" in keys else {}
    result: list[tuple[Any, ...] | None] = []
    for asset_id in id_list:
        row = found.get(asset_id)
        if row is None:
            result.append(None)
            continue
        by_key = dict(zip(wanted, row[1:], strict=True))
        values = []
        for key in keys:
            if key == "funding":
                values.append(funding.get(asset_id, ""))
            elif key == "book_value":
                values.append(book.get(asset_id))
            else:
                values.append(_display_value(key, by_key[key]))
        result.append(tuple(values))
    return result


def _display_value(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key == "status":
        return STATUS_LABELS[AssetStatus(value)]
    if key == "condition":
        return CONDITION_LABELS[Condition(value)]
    if key == "capitalized":
        return "Yes" if value else "No"
    return value


def _funding_text(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(FundingShare.asset_id, FundingSource.code, FundingShare.share_basis_points)
        .join(FundingSource, FundingShare.funding_source_id == FundingSource.id)
        .where(FundingShare.asset_id.in_(ids))
        .order_by(FundingShare.asset_id, FundingShare.share_basis_points.desc(), FundingSource.code)
    )
    parts: dict[int, list[str]] = {}
    for asset_id, code, points in rows:
        share = "" if points == 10_000 else f" {Decimal(points) / 100:g}%"
        parts.setdefault(asset_id, []).append(f"{code}{share}")
    return {asset_id: ", ".join(p) for asset_id, p in parts.items()}


# -- book value (when fiscal years have been closed) ---------------------------------------------


def _depreciation_tables(session: Session) -> Any | None:
    """The stored-depreciation tables, when this database has them and a closed year."""
    try:
        from models.schema.depreciation import AssetYearFigures, FiscalYearClose
    except ImportError:
        return None
    from sqlalchemy import inspect

    bind = session.get_bind()
    where = (id(bind), str(bind.url))
    cache = _HAS_DEPRECIATION.get(where)
    if cache is None:
        cache = inspect(session.connection()).has_table(AssetYearFigures.__tablename__)
        _HAS_DEPRECIATION[where] = cache
    if not cache:
        return None
    latest = session.execute(
        select(FiscalYearClose.id, FiscalYearClose.fiscal_year)
        .where(FiscalYearClose.status == "closed")
        .order_by(FiscalYearClose.fiscal_year.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    return AssetYearFigures, latest[0], latest[1]


_HAS_DEPRECIATION: dict[tuple[int, str], bool] = {}


def latest_closed_year(db: Database) -> int | None:
    """The fiscal year through which book value is stated, or None when no year is closed."""
    with db.reading() as session:
        found = _depreciation_tables(session)
        return None if found is None else int(found[2])


def book_values(session: Session, ids: list[int]) -> dict[int, Decimal]:
    """Cost less depreciation accumulated through the latest closed year, for capitalized
    assets not disposed; empty when no year has been closed."""
    found = _depreciation_tables(session)
    if found is None:
        return {}
    figures, close_id, _year = found
    rows = session.execute(
        select(Asset.id, Asset.cost, figures.accumulated_end_cents)
        .outerjoin(figures, and_(figures.asset_id == Asset.id, figures.close_id == close_id))
        .where(_id_in(ids), Asset.capitalized.is_(True), Asset.status != AssetStatus.DISPOSED)
    )
    return {asset_id: cost - from_cents(accumulated or 0) for asset_id, cost, accumulated in rows}


# -- totals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    count: int
    cost: Decimal
    capitalized_count: int
    capitalized_cost: Decimal
    book_value: Decimal | None = None  # None until a fiscal year has been closed
    book_value_year: int | None = None


def totals(db: Database, flt: RegisterFilter) -> Totals:
    """Count and cost of the filtered set (and of its capitalized part), and its book value
    through the latest closed fiscal year when one exists."""
    with db.reading() as session:
        dialect = _dialect_of(session)
        resolved = _resolve_words(session, flt)
        where = _conditions(flt, dialect, resolved)
        row = session.execute(
            select(
                func.count(),
                func.sum(Asset.cost),
                func.sum(case((Asset.capitalized, 1), else_=0)),
                func.sum(case((Asset.capitalized, Asset.cost), else_=None)),
            ).where(*where)
        ).one()
        book_value = None
        year = None
        found = _depreciation_tables(session)
        if found is not None:
            figures, close_id, year = found
            held = and_(*where, Asset.capitalized.is_(True), Asset.status != AssetStatus.DISPOSED)
            cost_held = session.scalar(select(func.sum(Asset.cost)).where(held))
            accumulated = session.scalar(
                select(func.sum(figures.accumulated_end_cents))
                .join(Asset, Asset.id == figures.asset_id)
                .where(figures.close_id == close_id, held)
            )
            book_value = _money(cost_held) - from_cents(int(accumulated or 0))
    return Totals(
        count=int(row[0] or 0),
        cost=_money(row[1]),
        capitalized_count=int(row[2] or 0),
        capitalized_cost=_money(row[3]),
        book_value=book_value,
        book_value_year=year,
    )


def _money(value: Any) -> Decimal:
    if value is None:
        return Decimal("0.00")
    if isinstance(value, int):
        return from_cents(value)
    return to_money(value)


# -- choices for the filter panel ---------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    key: Any
    label: str
    parent: Any = None  # a building's site, a room's building


@dataclass(frozen=True)
class FilterChoices:
    sites: list[Option]
    buildings: list[Option]
    classes: list[Option]
    departments: list[Option]
    funding_sources: list[Option]
    device_types: list[Option]
    statuses: list[Option] = field(default_factory=lambda: [Option(s.value, STATUS_LABELS[s]) for s in AssetStatus])
    conditions: list[Option] = field(default_factory=lambda: [Option(c.value, CONDITION_LABELS[c]) for c in Condition])


def filter_choices(db: Database) -> FilterChoices:
    """The short lists the filter panel offers. Rooms are many: see ``rooms_in``."""
    with db.reading() as session:
        sites = [Option(i, f"{name} ({code})") for i, code, name in session.execute(select(Site.id, Site.code, Site.name).order_by(Site.name))]
        buildings = [
            Option(i, f"{site_code} · {name}", site_id)
            for i, name, site_id, site_code in session.execute(
                select(Building.id, Building.name, Building.site_id, Site.code)
                .join(Site, Building.site_id == Site.id)
                .order_by(Site.code, Building.code)
            )
        ]
        classes = [Option(i, name) for i, name in session.execute(select(AssetClass.id, AssetClass.name).order_by(AssetClass.code))]
        departments = [Option(i, name) for i, name in session.execute(select(Department.id, Department.name).order_by(Department.name))]
        funding = [
            Option(i, f"{code} — {name}")
            for i, code, name in session.execute(select(FundingSource.id, FundingSource.code, FundingSource.name).order_by(FundingSource.code))
        ]
        device_types = [Option(t, t) for (t,) in session.execute(select(AssetModel.device_type).distinct().order_by(AssetModel.device_type))]
    return FilterChoices(sites, buildings, classes, departments, funding, device_types)


def rooms_in(db: Database, *, site_ids: Iterable[int] = (), building_ids: Iterable[int] = ()) -> list[Option]:
    """The rooms of the given sites or buildings (all when neither is given), by building and number."""
    stmt = (
        select(Room.id, Room.number, Room.name, Building.id, Building.code, Site.code)
        .join(Floor, Room.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .join(Site, Room.site_id == Site.id)
        .order_by(Site.code, Building.code, Room.number)
    )
    site_ids, building_ids = list(site_ids), list(building_ids)
    if site_ids:
        stmt = stmt.where(Room.site_id.in_(site_ids))
    if building_ids:
        stmt = stmt.where(Building.id.in_(building_ids))
    with db.reading() as session:
        return [
            Option(rid, f"{site} · {bcode} · {number}" + (f" {name}" if name and name != number else ""), bid)
            for rid, number, name, bid, bcode, site in session.execute(stmt)
        ]


def position_of(ids: np.ndarray, asset_id: int) -> int | None:
    """The row of ``asset_id`` in an id array, or None."""
    hits = np.flatnonzero(ids == asset_id)
    return int(hits[0]) if hits.size else None


__all__ = [
    "COLUMNS", "COLUMN_KEYS", "Column", "DEFAULT_COLUMNS", "DEFAULT_SORT", "FilterChoices", "Option",
    "RegisterFilter", "Totals", "count", "filter_choices", "filtered_ids", "latest_closed_year",
    "position_of", "rooms_in", "rows_for_ids", "sorted_ids", "totals",
]
