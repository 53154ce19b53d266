"""Room map queries and room services on both backends (demo district and reference rows)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import func, select

from models.errors import NotFoundError, ValidationError
from models.queries import roommap as q
from models.roommap.geometry import outline_text, rectangle
from models.schema import Asset, AssetStatus, Floor, FloorPlan, HistoryEvent, Room
from models.services import rooms
from models.services.assets import create_asset
from tests.db_fixtures import asset_values


def _png(width: int, height: int, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, fmt)
    return buffer.getvalue()


def test_every_demo_floor_has_a_schematic_map_with_every_room(demo_db):
    tree = q.location_tree(demo_db)
    floor_ids = [f.id for s in tree for b in s.buildings for f in b.floors]
    with demo_db.reading() as session:
        assert len(floor_ids) == session.scalar(select(func.count()).select_from(Floor))
        rooms_per_floor = dict(session.execute(select(Room.floor_id, func.count()).group_by(Room.floor_id)).all())
    for floor_id in floor_ids:
        floor = q.floor_map(demo_db, floor_id)
        assert floor.schematic and not floor.has_plan
        assert len(floor.rooms) == rooms_per_floor.get(floor_id, 0)
        assert all(room.outline is not None for room in floor.rooms)
        assert floor.width > 0 and floor.height > 0


def test_room_figures_match_the_register(demo_db):
    floor = q.floor_map(demo_db, q.location_tree(demo_db)[0].buildings[0].floors[0].id)
    figures = q.room_figures(demo_db, [r.id for r in floor.rooms])
    with demo_db.reading() as session:
        for room in floor.rooms:
            count, cost = session.execute(
                select(func.count(), func.coalesce(func.sum(Asset.cost), 0)).where(
                    Asset.room_id == room.id,
                    Asset.status.not_in([AssetStatus.DISPOSED, AssetStatus.LOST, AssetStatus.STOLEN]))
            ).one()
            got = figures.get(room.id, q.RoomFigures())
            assert got.count == count
            assert got.cost == Decimal(cost).quantize(Decimal("0.01"))
    assert sum(f.count for f in figures.values()) > 0


def test_locate_asset_by_tag_and_serial_ignoring_case(db, reference):
    asset_id = create_asset(db, "clerk", asset_values(reference, "FA-0042", serial="ab12cd"))
    by_tag = q.locate_asset(db, "fa-0042")
    by_serial = q.locate_asset(db, "AB12CD")
    assert by_tag.asset_id == by_serial.asset_id == asset_id
    assert by_tag.room_id == reference.room and by_tag.floor_id == reference.floor
    with pytest.raises(NotFoundError, match="NOPE"):
        q.locate_asset(db, "NOPE")
    with pytest.raises(ValidationError):
        q.locate_asset(db, "  ")


def test_save_outlines_records_history_and_refuses_bad_or_stale_ones(db, reference):
    floor = q.floor_map(db, reference.floor)
    assert floor.schematic
    square = rectangle(0, 0, 30, 20)
    assert rooms.save_outlines(db, "facilities", reference.floor, {reference.room: square},
                               floor.saved_outlines) == 1
    with db.reading() as session:
        assert session.get(Room, reference.room).outline == outline_text(square)
        event = session.scalars(select(HistoryEvent).where(HistoryEvent.entity_type == "room")).one()
    assert event.action == "outline_changed" and event.actor == "facilities"
    assert json.loads(event.changes)["outline"][0] is None
    again = q.floor_map(db, reference.floor)
    assert not again.schematic and again.room(reference.room).outline == square
    # a stale editor: it read no outline, the database now has one
    with pytest.raises(rooms.StaleOutlineError, match="room 101"):
        rooms.save_outlines(db, "other", reference.floor, {reference.room: rectangle(5, 5, 10, 10)},
                            floor.saved_outlines)
    with pytest.raises(ValidationError, match="room 101.*crosses itself"):
        rooms.save_outlines(db, "facilities", reference.floor,
                            {reference.room: [(0, 0), (10, 10), (10, 0), (0, 10)]}, again.saved_outlines)
    with pytest.raises(ValidationError, match="another floor"):
        rooms.save_outlines(db, "facilities", reference.floor, {reference.other_room: square})
    with db.reading() as session:
        assert session.get(Room, reference.room).outline == outline_text(square)
        assert session.scalar(select(func.count()).select_from(HistoryEvent).where(
            HistoryEvent.entity_type == "room")) == 1


def test_plan_import_checks_the_image_and_the_outlines(db, reference, tmp_path):
    rooms.save_outlines(db, "facilities", reference.floor, {reference.room: rectangle(100, 100, 50, 50)})
    with pytest.raises(ValidationError, match="not a readable PNG or JPEG"):
        rooms.import_plan(db, "facilities", reference.floor, b"GIF89a not really", "plan.gif")
    with pytest.raises(ValidationError, match="not a readable"):
        rooms.import_plan(db, "facilities", reference.floor, _png(400, 300)[:200], "cut.png")
    with pytest.raises(ValidationError, match="room 101 does not fit"):
        rooms.import_plan(db, "facilities", reference.floor, _png(120, 90), "small.png")
    with db.reading() as session:
        assert session.get(FloorPlan, reference.floor) is None
    checked = rooms.import_plan(db, "facilities", reference.floor, _png(800, 600, "JPEG"), "C:\\plans\\ground.jpg")
    assert (checked.media_type, checked.width, checked.height) == ("image/jpeg", 800, 600)
    floor = q.floor_map(db, reference.floor)
    assert floor.has_plan and (floor.width, floor.height) == (800, 600)
    assert q.plan_image(db, reference.floor).file_name == "ground.jpg"
    with pytest.raises(ValidationError, match="outside the plan"):
        rooms.save_outlines(db, "facilities", reference.floor, {reference.room: rectangle(700, 500, 200, 50)})
    rooms.import_plan(db, "facilities", reference.floor, _png(120, 90), "small.png", clear_outlines=True)
    assert q.floor_map(db, reference.floor).room(reference.room).outline is None
    rooms.remove_plan(db, "facilities", reference.floor)
    with db.reading() as session:
        actions = session.scalars(select(HistoryEvent.action).where(HistoryEvent.entity_type == "floor")).all()
    assert actions == ["plan_imported", "plan_imported", "plan_removed"]


def test_rename_and_create_rooms_keep_numbers_unique_per_floor(db, reference):
    rooms.rename_room(db, "facilities", reference.room, number="101A", name="Art room")
    new_id = rooms.create_room(db, "facilities", reference.floor, "102", name="Music",
                               room_type="classroom", outline=rectangle(0, 0, 10, 10))
    with pytest.raises(ValidationError, match="room 101A already exists"):
        rooms.rename_room(db, "facilities", new_id, number="101A")
    with pytest.raises(ValidationError, match="room_type"):
        rooms.create_room(db, "facilities", reference.floor, "103", room_type="ballroom")
    with db.reading() as session:
        assert session.get(Room, reference.room).name == "Art room"
        assert session.get(Room, new_id).site_id == reference.site
        assert session.scalar(select(func.count()).select_from(HistoryEvent).where(
            HistoryEvent.entity_type == "room")) == 2


def test_save_floor_moves_assets_with_one_event_each_in_one_transaction(db, reference):
    second = rooms.create_room(db, "facilities", reference.floor, "102")
    ids = [create_asset(db, "clerk", asset_values(reference, f"T-{i}")) for i in range(3)]
    changed, moved = rooms.save_floor(db, "facilities", reference.floor, {}, None,
                                      {ids[0]: second, ids[1]: second})
    assert (changed, moved) == (0, 2)
    with db.reading() as session:
        assert session.scalar(select(func.count()).where(Asset.room_id == second)) == 2
        assert session.scalar(select(func.count()).select_from(HistoryEvent).where(
            HistoryEvent.action == "moved")) == 2
    # a refused outline takes the moves back with it
    with pytest.raises(ValidationError):
        rooms.save_floor(db, "facilities", reference.floor, {second: [(0, 0), (1, 1)]}, None,
                         {ids[2]: second})
    with db.reading() as session:
        assert session.get(Asset, ids[2]).room_id == reference.room
