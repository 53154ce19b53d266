"""What the room maps and room sheets read: the location tree, a floor's rooms and outlines
(or its schematic), the figures each room holds, and where an asset is."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, func, select

from models.database import Database
from models.errors import NotFoundError, ValidationError
from models.progress import Progress, step
from models.roommap import schematic
from models.roommap.geometry import Outline, bounds, parse_outline
from models.roommap.overlay import OverlayKind
from models.schema import (
    Asset,
    AssetStatus,
    Building,
    Floor,
    FloorPlan,
    Person,
    Room,
    Site,
)

# An asset "in" a room is one the room is expected to hold: not disposed, lost or stolen.
GONE = (AssetStatus.DISPOSED, AssetStatus.LOST, AssetStatus.STOLEN)
held = Asset.status.not_in(GONE)


# -- the tree of sites, buildings and floors ---------------------------------------------------


@dataclass(frozen=True)
class FloorRef:
    id: int
    level: int
    name: str


@dataclass(frozen=True)
class BuildingRef:
    id: int
    code: str
    name: str
    floors: tuple[FloorRef, ...]


@dataclass(frozen=True)
class SiteRef:
    id: int
    code: str
    name: str
    buildings: tuple[BuildingRef, ...]


def location_tree(db: Database) -> list[SiteRef]:
    with db.reading() as session:
        sites = session.execute(select(Site.id, Site.code, Site.name).order_by(Site.name)).all()
        buildings = session.execute(
            select(Building.id, Building.site_id, Building.code, Building.name).order_by(Building.code)
        ).all()
        floors = session.execute(
            select(Floor.id, Floor.building_id, Floor.level, Floor.name).order_by(Floor.level)
        ).all()
    floors_of: dict[int, list[FloorRef]] = {}
    for f in floors:
        floors_of.setdefault(f.building_id, []).append(FloorRef(f.id, f.level, f.name))
    buildings_of: dict[int, list[BuildingRef]] = {}
    for b in buildings:
        buildings_of.setdefault(b.site_id, []).append(
            BuildingRef(b.id, b.code, b.name, tuple(floors_of.get(b.id, ())))
        )
    return [SiteRef(s.id, s.code, s.name, tuple(buildings_of.get(s.id, ()))) for s in sites]


# -- one floor's map ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MapRoom:
    id: int
    number: str
    name: str | None
    room_type: str
    outline: Outline | None
    responsible: str | None = None

    @property
    def label(self) -> str:
        return f"{self.number} {self.name}" if self.name and self.name != self.number else self.number


@dataclass(frozen=True)
class FloorMap:
    floor_id: int
    floor_name: str
    level: int
    building_id: int
    building_code: str
    building_name: str
    site_id: int
    site_code: str
    site_name: str
    width: float
    height: float
    has_plan: bool
    schematic: bool  # no plan and nothing drawn: the rooms are laid out automatically
    rooms: tuple[MapRoom, ...]
    corridors: tuple[Outline, ...] = ()
    # The outline text of each room as read, so a save can tell if someone else changed it.
    saved_outlines: dict[int, str | None] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.site_name} · {self.building_name} · {self.floor_name}"

    def room(self, room_id: int) -> MapRoom | None:
        return next((r for r in self.rooms if r.id == room_id), None)


def floor_map(db: Database, floor_id: int) -> FloorMap:
    with db.reading() as session:
        head = session.execute(
            select(Floor, Building, Site)
            .join(Building, Floor.building_id == Building.id)
            .join(Site, Building.site_id == Site.id)
            .where(Floor.id == floor_id)
        ).first()
        if head is None:
            raise NotFoundError(f"Floor {floor_id} does not exist (it may have been deleted).")
        floor, building, site = head
        has_plan = session.scalar(select(func.count()).where(FloorPlan.floor_id == floor_id)) > 0
        rows = session.execute(
            select(Room.id, Room.number, Room.name, Room.room_type, Room.outline,
                   Person.first_name, Person.last_name)
            .outerjoin(Person, Room.responsible_person_id == Person.id)
            .where(Room.floor_id == floor_id)
        ).all()
    saved = {r.id: r.outline for r in rows}
    rooms = [
        MapRoom(r.id, r.number, r.name, str(r.room_type), parse_outline(r.outline),
                f"{r.first_name} {r.last_name}" if r.last_name else None)
        for r in rows
    ]
    rooms.sort(key=lambda r: (schematic.number_key(r.number), r.id))
    common = dict(
        floor_id=floor.id, floor_name=floor.name, level=floor.level, building_id=building.id,
        building_code=building.code, building_name=building.name, site_id=site.id,
        site_code=site.code, site_name=site.name, has_plan=has_plan, saved_outlines=saved,
    )
    if has_plan and floor.plan_width and floor.plan_height:
        return FloorMap(width=float(floor.plan_width), height=float(floor.plan_height),
                        schematic=False, rooms=tuple(rooms), **common)
    drawn = [r for r in rooms if r.outline is not None]
    if drawn:
        right = max(bounds(r.outline)[2] for r in drawn)  # type: ignore[arg-type]
        bottom = max(bounds(r.outline)[3] for r in drawn)  # type: ignore[arg-type]
        return FloorMap(width=right + schematic.MARGIN, height=bottom + schematic.MARGIN,
                        schematic=False, rooms=tuple(rooms), **common)
    laid = schematic.layout([schematic.SchematicRoom(r.id, r.number, r.room_type) for r in rooms])
    placed = tuple(
        MapRoom(r.id, r.number, r.name, r.room_type, laid.outlines.get(r.id), r.responsible)
        for r in rooms
    )
    return FloorMap(width=laid.width, height=laid.height, schematic=True, rooms=placed,
                    corridors=laid.corridors, **common)


@dataclass(frozen=True)
class PlanImage:
    media_type: str
    file_name: str
    data: bytes
    width: int
    height: int


def plan_image(db: Database, floor_id: int) -> PlanImage | None:
    with db.reading() as session:
        plan = session.get(FloorPlan, floor_id)
        if plan is None:
            return None
        return PlanImage(plan.media_type, plan.file_name, plan.image, plan.width, plan.height)


# -- figures per room ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomFigures:
    count: int = 0
    cost_cents: int = 0
    book_cents: int = 0  # filled only for the book-value overlay

    @property
    def cost(self) -> Decimal:
        return Decimal(self.cost_cents) / 100


def _cents(value: Decimal | int | None) -> int:
    if value is None:
        return 0
    return int((Decimal(value) * 100).to_integral_value())


def room_figures(
    db: Database, room_ids: Sequence[int], asset_ids: Select | None = None
) -> dict[int, RoomFigures]:
    """Assets held and their total cost per room; ``asset_ids`` (a select of asset ids, e.g.
    the register's filter) limits which assets count. Rooms holding nothing are left out."""
    figures: dict[int, RoomFigures] = {}
    ids = list(room_ids)
    with db.reading() as session:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            stmt = (
                select(Asset.room_id, func.count(), func.coalesce(func.sum(Asset.cost), 0))
                .where(Asset.room_id.in_(chunk), held)
                .group_by(Asset.room_id)
            )
            if asset_ids is not None:
                stmt = stmt.where(Asset.id.in_(asset_ids.scalar_subquery()))
            for room_id, count, cost in session.execute(stmt):
                figures[room_id] = RoomFigures(int(count), _cents(cost))
    return figures


def overlay_values(kind: OverlayKind, figures: dict[int, RoomFigures]) -> dict[int, int]:
    """The figure an overlay colours by, per room: a count, or cents."""
    if kind in (OverlayKind.COUNT, OverlayKind.FILTER):
        return {room_id: f.count for room_id, f in figures.items()}
    if kind is OverlayKind.COST:
        return {room_id: f.cost_cents for room_id, f in figures.items()}
    if kind is OverlayKind.BOOK_VALUE:
        return {room_id: f.book_cents for room_id, f in figures.items()}
    return {}


def with_book_values(db: Database, figures: dict[int, RoomFigures], room_ids: Sequence[int]) -> dict[int, RoomFigures]:
    from dataclasses import replace

    books = room_book_values(db, room_ids)
    return {room_id: replace(figures.get(room_id, RoomFigures()), book_cents=books.get(room_id, 0))
            for room_id in set(figures) | set(books)}


# -- finding an asset on the map ----------------------------------------------------------------


@dataclass(frozen=True)
class AssetLocation:
    asset_id: int
    tag: str
    serial: str | None
    description: str
    room_id: int | None
    floor_id: int | None


def locate_asset(db: Database, text: str) -> AssetLocation:
    """The asset whose tag or serial is ``text`` (exact first, then ignoring case), and its room.

    Raises ``NotFoundError`` when there is none and ``ValidationError`` when the text is empty.
    """
    wanted = (text or "").strip()
    if not wanted:
        raise ValidationError("search", "type an asset tag or serial number")
    columns = (Asset.id, Asset.tag, Asset.serial, Asset.description, Asset.room_id, Room.floor_id)
    with db.reading() as session:
        for condition in (
            Asset.tag == wanted,
            Asset.serial == wanted,
            func.upper(Asset.tag) == wanted.upper(),
            func.upper(Asset.serial) == wanted.upper(),
        ):
            row = session.execute(
                select(*columns).outerjoin(Room, Asset.room_id == Room.id)
                .where(condition).order_by(Asset.status.in_(GONE), Asset.id).limit(1)
            ).first()
            if row is not None:
                return AssetLocation(*row)
    raise NotFoundError(f"No asset has the tag or serial number {wanted!r}.")


def room_asset_ids(db: Database, room_id: int) -> list[int]:
    """The assets a room holds, by tag."""
    with db.reading() as session:
        return list(session.scalars(
            select(Asset.id).where(Asset.room_id == room_id, held).order_by(Asset.tag)
        ))


# -- room inventory sheets ----------------------------------------------------------------------


@dataclass(frozen=True)
class SheetScope:
    """Which rooms a sheet run covers: one room, a floor, a building or a site (by code)."""

    room_id: int | None = None
    floor_id: int | None = None
    building_id: int | None = None
    site_code: str | None = None


@dataclass(frozen=True)
class SheetRoom:
    id: int
    site_code: str
    site_name: str
    building_code: str
    building_name: str
    floor_name: str
    number: str
    name: str | None
    room_type: str
    responsible: str | None


@dataclass(frozen=True)
class SheetAsset:
    tag: str
    description: str
    serial: str | None
    condition: str
    status: str
    cost_cents: int


def sheet_rooms(db: Database, scope: SheetScope) -> list[SheetRoom]:
    stmt = (
        select(Room.id, Site.code, Site.name, Building.code, Building.name, Floor.name,
               Room.number, Room.name, Room.room_type, Person.first_name, Person.last_name,
               Floor.level)
        .join(Floor, Room.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .join(Site, Building.site_id == Site.id)
        .outerjoin(Person, Room.responsible_person_id == Person.id)
    )
    if scope.room_id is not None:
        stmt, what = stmt.where(Room.id == scope.room_id), f"room {scope.room_id}"
    elif scope.floor_id is not None:
        stmt, what = stmt.where(Room.floor_id == scope.floor_id), f"floor {scope.floor_id}"
    elif scope.building_id is not None:
        stmt, what = stmt.where(Floor.building_id == scope.building_id), f"building {scope.building_id}"
    elif scope.site_code is not None:
        stmt, what = stmt.where(func.upper(Site.code) == scope.site_code.strip().upper()), \
            f"site {scope.site_code}"
    else:
        raise ValidationError("scope", "choose a room, a floor, a building or a site")
    with db.reading() as session:
        rows = session.execute(stmt).all()
    if not rows:
        raise NotFoundError(f"There is no {what}, or it has no rooms.")
    rooms = [
        SheetRoom(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], str(r[8]),
                  f"{r[9]} {r[10]}" if r[10] else None)
        for r in rows
    ]
    levels = {r[0]: r[11] for r in rows}
    rooms.sort(key=lambda r: (r.building_code, levels[r.id], schematic.number_key(r.number), r.id))
    return rooms


def sheet_assets(
    db: Database, room_ids: Iterable[int], progress: Progress | None = None
) -> Iterator[tuple[int, list[SheetAsset]]]:
    """Each room's assets by tag, in the order of ``room_ids``, fetched a batch of rooms at a time."""
    ids = list(room_ids)
    done = 0
    with db.reading() as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            by_room: dict[int, list[SheetAsset]] = {room_id: [] for room_id in chunk}
            rows = session.execute(
                select(Asset.room_id, Asset.tag, Asset.description, Asset.serial, Asset.condition,
                       Asset.status, Asset.cost)
                .where(Asset.room_id.in_(chunk), held)
                .order_by(Asset.room_id, Asset.tag)
            )
            for room_id, tag, description, serial, condition, status, cost in rows:
                by_room[room_id].append(
                    SheetAsset(tag, description, serial, str(condition), str(status), _cents(cost))
                )
            for room_id in chunk:
                yield room_id, by_room[room_id]
                done += 1
            step(progress, done, len(ids), "Reading the rooms' assets")


def district_name(db: Database) -> str:
    from models.schema import DistrictSettings

    with db.reading() as session:
        return session.scalar(select(DistrictSettings.name).limit(1)) or ""


@dataclass(frozen=True)
class RoomAsset:
    id: int
    tag: str
    description: str
    serial: str | None
    condition: str
    status: str
    cost: Decimal


def room_assets(db: Database, room_id: int, asset_ids: Select | None = None) -> list[RoomAsset]:
    """What a room holds, by tag, for the side panel of the map (``asset_ids`` narrows it)."""
    stmt = (
        select(Asset.id, Asset.tag, Asset.description, Asset.serial, Asset.condition,
               Asset.status, Asset.cost)
        .where(Asset.room_id == room_id, held).order_by(Asset.tag)
    )
    if asset_ids is not None:
        stmt = stmt.where(Asset.id.in_(asset_ids.scalar_subquery()))
    with db.reading() as session:
        return [RoomAsset(r[0], r[1], r[2], r[3], str(r[4]), str(r[5]), r[6]) for r in session.execute(stmt)]


def book_value_year(db: Database) -> int | None:
    """The fiscal year book values are stated through, or None before any year is closed
    (then the book-value overlay is not offered)."""
    try:
        from models.queries.register import latest_closed_year
    except ImportError:
        return None
    return latest_closed_year(db)


def room_book_values(db: Database, room_ids: Sequence[int]) -> dict[int, int]:
    """Book value in cents per room (capitalized assets, through the latest closed year)."""
    from models.queries.register import book_values

    result: dict[int, int] = {}
    ids = list(room_ids)
    with db.reading() as session:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            pairs = session.execute(
                select(Asset.id, Asset.room_id).where(Asset.room_id.in_(chunk), held)
            ).all()
            values = book_values(session, [asset_id for asset_id, _ in pairs])
            for asset_id, room_id in pairs:
                if asset_id in values:
                    result[room_id] = result.get(room_id, 0) + _cents(values[asset_id])
    return result
