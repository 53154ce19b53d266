"""Changing rooms and floor plans: outlines, names and numbers, new rooms, plan images.

Each function is one transaction (``db.unit_of_work``) and records what it changed in the
history, as entity ``room`` or ``floor``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from models.database import Database
from models.errors import DuplicateError, NotFoundError, UserError, ValidationError
from models.roommap.geometry import Point, clean_outline, outline_text, parse_outline
from models.schema import Floor, FloorPlan, Room, RoomType
from models.services import validation as v

MAX_PLAN_BYTES = 25 * 1024 * 1024
MAX_PLAN_SIDE = 20_000
PLAN_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


class StaleOutlineError(UserError):
    """Someone else saved a room's outline after this floor was opened; nothing was saved."""


def _room(session, room_id: int) -> Room:
    room = session.get(Room, room_id)
    if room is None:
        raise NotFoundError(f"Room {room_id} does not exist (it may have been deleted).")
    return room


def _floor(session, floor_id: int) -> Floor:
    floor = session.get(Floor, floor_id)
    if floor is None:
        raise NotFoundError(f"Floor {floor_id} does not exist (it may have been deleted).")
    return floor


def _plan_size(session, floor: Floor) -> tuple[float, float] | None:
    if session.get(FloorPlan, floor.id) is None or not floor.plan_width or not floor.plan_height:
        return None
    return float(floor.plan_width), float(floor.plan_height)


def save_outlines(
    db: Database,
    actor: str,
    floor_id: int,
    outlines: Mapping[int, Sequence[Point] | None],
    loaded: Mapping[int, str | None] | None = None,
) -> int:
    """Save the outlines drawn for rooms of one floor (None removes a room's outline).

    ``loaded`` holds each room's outline text as the editor read it: if any of them has been
    saved differently since, nothing is saved. Every outline is checked (at least three
    corners, inside the plan, not crossing itself). Returns how many rooms changed.
    """
    changed = 0
    with db.unit_of_work(actor) as work:
        session = work.session
        floor = _floor(session, floor_id)
        plan_size = _plan_size(session, floor)
        rooms = {r.id: r for r in session.scalars(select(Room).where(Room.id.in_(list(outlines))))}
        for room_id in outlines:
            room = rooms.get(room_id)
            if room is None:
                raise NotFoundError(f"Room {room_id} does not exist (it may have been deleted).")
            if room.floor_id != floor_id:
                raise ValidationError(
                    f"room {room.number}", f"is on another floor (floor {room.floor_id}), not this one"
                )
            if loaded is not None and room_id in loaded and loaded[room_id] != room.outline and \
                    parse_outline(loaded[room_id]) != parse_outline(room.outline):
                raise StaleOutlineError(
                    f"The outline of room {room.number} was changed by someone else after you "
                    f"opened this floor. Nothing was saved; reload the floor and draw again."
                )
        for room_id, points in outlines.items():
            room = rooms[room_id]
            label = f"room {room.number}"
            new = None if points is None else outline_text(clean_outline(label, points, plan_size))
            if parse_outline(new) == parse_outline(room.outline):
                continue
            work.record("room", room.id, "outline_changed", {"outline": (room.outline, new)},
                        note=f"floor {floor.id}")
            room.outline = new
            changed += 1
    return changed


def rename_room(
    db: Database, actor: str, room_id: int, *, number: str | None = None, name: str | None = None,
    room_type: RoomType | str | None = None,
) -> None:
    """Change a room's number, name or type; the number stays unique on its floor."""
    with db.unit_of_work(actor) as work:
        session = work.session
        room = _room(session, room_id)
        changes: dict[str, tuple] = {}
        if number is not None:
            cleaned = v.text("number", number, max_length=16, required=True)
            if cleaned != room.number:
                _check_number_free(session, room.floor_id, cleaned, room.id)
                changes["number"] = (room.number, cleaned)
                room.number = cleaned
        if name is not None:
            cleaned_name = v.text("name", name, max_length=120)
            if cleaned_name != room.name:
                changes["name"] = (room.name, cleaned_name)
                room.name = cleaned_name
        if room_type is not None:
            kind = v.choice("room_type", room_type, RoomType, required=True)
            if kind != room.room_type:
                changes["room_type"] = (room.room_type, kind)
                room.room_type = kind
        if changes:
            work.record("room", room.id, "edited", changes)


def _check_number_free(session, floor_id: int, number: str, room_id: int | None) -> None:
    other = session.scalar(select(Room.id).where(Room.floor_id == floor_id, Room.number == number))
    if other is not None and other != room_id:
        raise DuplicateError("number", f"room {number} already exists on this floor")


def create_room(
    db: Database, actor: str, floor_id: int, number: str, *, name: str | None = None,
    room_type: RoomType | str = RoomType.OTHER, outline: Sequence[Point] | None = None,
) -> int:
    """Add a room record to a floor (for an outline drawn where the register has no room)."""
    number = v.text("number", number, max_length=16, required=True)  # type: ignore[assignment]
    name = v.text("name", name, max_length=120)
    kind = v.choice("room_type", room_type, RoomType, required=True)
    with db.unit_of_work(actor) as work:
        session = work.session
        floor = _floor(session, floor_id)
        _check_number_free(session, floor_id, number, None)
        text = None
        if outline is not None:
            text = outline_text(clean_outline(f"room {number}", outline, _plan_size(session, floor)))
        room = Room(floor_id=floor_id, site_id=floor.building.site_id, number=number, name=name,
                    room_type=kind, outline=text)
        session.add(room)
        session.flush()
        work.record("room", room.id, "created", {
            "floor_id": (None, floor_id), "number": (None, number), "name": (None, name),
            "room_type": (None, kind), "outline": (None, text),
        })
        return room.id


@dataclass(frozen=True)
class CheckedImage:
    media_type: str
    width: int
    height: int


def check_plan_image(data: bytes, file_name: str) -> CheckedImage:
    """Whether ``data`` is a whole PNG or JPEG image of a sensible size; its type and size."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ValidationError("plan image", f"{file_name} is empty")
    if len(data) > MAX_PLAN_BYTES:
        raise ValidationError(
            "plan image", f"{file_name} is {len(data) / 1e6:.0f} MB; a plan may be at most "
            f"{MAX_PLAN_BYTES // (1024 * 1024)} MB (save it at a lower resolution)")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            image.load()  # reads every byte: a truncated file fails here, not later on screen
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as err:
        raise ValidationError(
            "plan image", f"{file_name} is not a readable PNG or JPEG image ({err})") from None
    if kind not in PLAN_TYPES:
        raise ValidationError("plan image", f"{file_name} is a {kind} image; use PNG or JPEG")
    if width < 16 or height < 16 or max(width, height) > MAX_PLAN_SIDE:
        raise ValidationError(
            "plan image", f"{file_name} is {width} × {height} pixels; a plan must be between "
            f"16 and {MAX_PLAN_SIDE:,} pixels on each side")
    return CheckedImage(PLAN_TYPES[kind], width, height)


def import_plan(
    db: Database, actor: str, floor_id: int, data: bytes, file_name: str, *,
    clear_outlines: bool = False,
) -> CheckedImage:
    """Store a plan image with a floor. Outlines drawn before (on a schematic or another plan)
    are kept when they fit on the new plan; if one does not, nothing is saved unless
    ``clear_outlines`` removes the floor's outlines so the rooms can be drawn on the new plan."""
    file_name = (file_name or "plan").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    checked = check_plan_image(data, file_name)
    with db.unit_of_work(actor) as work:
        session = work.session
        floor = _floor(session, floor_id)
        rooms = list(session.scalars(select(Room).where(Room.floor_id == floor_id)))
        for room in rooms:
            points = parse_outline(room.outline)
            if points is None:
                continue
            if clear_outlines:
                work.record("room", room.id, "outline_changed", {"outline": (room.outline, None)},
                            note="cleared for a new plan image")
                room.outline = None
                continue
            try:
                clean_outline(f"room {room.number}", points, (checked.width, checked.height))
            except ValidationError as err:
                raise ValidationError(
                    "plan image", f"the outline of room {room.number} does not fit on {file_name} "
                    f"({checked.width} × {checked.height}): {err.reason}. Import it again and "
                    "choose to clear the floor's outlines.") from None
        plan = session.get(FloorPlan, floor_id)
        before = (floor.plan_image, floor.plan_width, floor.plan_height)
        if plan is None:
            plan = FloorPlan(floor_id=floor_id)
            session.add(plan)
        plan.media_type = checked.media_type
        plan.file_name = file_name
        plan.image = data
        plan.width, plan.height = checked.width, checked.height
        plan.imported_at = work.occurred_at
        plan.imported_by = actor
        floor.plan_image = file_name
        floor.plan_width, floor.plan_height = checked.width, checked.height
        work.record("floor", floor.id, "plan_imported", {
            "plan_image": (before[0], file_name),
            "plan_width": (before[1], checked.width),
            "plan_height": (before[2], checked.height),
        }, note=f"{len(data):,} bytes, {checked.media_type}")
    return checked


def remove_plan(db: Database, actor: str, floor_id: int) -> None:
    """Take a floor's plan image away; its outlines stay (drawn on a blank floor)."""
    with db.unit_of_work(actor) as work:
        session = work.session
        floor = _floor(session, floor_id)
        plan = session.get(FloorPlan, floor_id)
        if plan is None:
            raise ValidationError("plan image", f"{floor.name} has no plan image")
        work.record("floor", floor.id, "plan_removed", {
            "plan_image": (floor.plan_image, None), "plan_width": (floor.plan_width, None),
            "plan_height": (floor.plan_height, None),
        })
        session.delete(plan)
        floor.plan_image = None
        floor.plan_width = floor.plan_height = None


def save_floor(
    db: Database,
    actor: str,
    floor_id: int,
    outlines: Mapping[int, Sequence[Point] | None],
    loaded: Mapping[int, str | None] | None = None,
    moves: Mapping[int, int] | None = None,
) -> tuple[int, int]:
    """What the map editor's Save writes, in one transaction: the changed outlines and the
    assets dragged onto other rooms (``moves``: asset id -> room id; one history event per
    asset). Returns (rooms whose outline changed, assets moved). Nothing is saved if any
    part is refused."""
    from models.services.assets import move_assets

    by_room: dict[int, list[int]] = {}
    for asset_id, room_id in (moves or {}).items():
        by_room.setdefault(room_id, []).append(asset_id)
    with db.unit_of_work(actor):
        changed = save_outlines(db, actor, floor_id, outlines, loaded) if outlines else 0
        moved = 0
        for room_id, asset_ids in sorted(by_room.items()):
            moved += move_assets(db, actor, sorted(asset_ids), room_id)
    return changed, moved
