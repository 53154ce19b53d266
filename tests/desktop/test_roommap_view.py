"""The room map view, driven as a user would: overlays against the database, drawing and
reshaping outlines with undo, linking a new room, dragging assets onto a room, search."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from desktop.roommap.panel import asset_mime
from desktop.roommap.prompts import NEW_ROOM
from desktop.roommap.scene import DRAW_RECT, SELECT
from desktop.views.roommap import View
from models.queries.register import RegisterFilter, filtered_ids
from models.queries.roommap import GONE
from models.roommap.geometry import outline_text, parse_outline
from models.roommap.overlay import OverlayKind, build_scale
from models.schema import Asset, HistoryEvent, Room
from models.services.assets import create_asset
from models.services.rooms import create_room
from tests.db_fixtures import asset_values


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMONGROUND_HOME", str(tmp_path / "home"))


class FakePrompts:
    def __init__(self) -> None:
        self.room_choice = None
        self.details = None
        self.errors: list[str] = []

    def choose_room(self, rooms):
        return self.room_choice

    def room_details(self, *args, **kwargs):
        return self.details

    def error(self, text):
        self.errors.append(text)

    def unsaved(self):
        return "discard"

    def confirm(self, *_):
        return True


def _open_view(qtbot, db) -> View:
    view = View(db)
    view.prompts = FakePrompts()
    qtbot.addWidget(view)
    view.resize(1200, 760)
    with qtbot.waitSignal(view.loaded, timeout=20000):
        view.show()
    return view


def _mouse(view: View, kind, scene_point, buttons=Qt.MouseButton.LeftButton, button=Qt.MouseButton.LeftButton):
    viewport = view.canvas.viewport()
    local = QPointF(view.canvas.mapFromScene(scene_point))
    event = QMouseEvent(kind, local, QPointF(viewport.mapToGlobal(local.toPoint())), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, event)


def _drag(view: View, start: QPointF, end: QPointF) -> None:
    _mouse(view, QEvent.Type.MouseButtonPress, start)
    for i in range(1, 6):
        _mouse(view, QEvent.Type.MouseMove, start + (end - start) * (i / 5), button=Qt.MouseButton.NoButton)
    _mouse(view, QEvent.Type.MouseButtonRelease, end, buttons=Qt.MouseButton.NoButton)


def test_overlay_colours_match_the_database_counts(qtbot, demo_db):
    view = _open_view(qtbot, demo_db)
    floor = view.floor
    assert floor is not None and floor.schematic and view.scene.items_by_room
    with demo_db.reading() as session:
        counts = dict(session.execute(
            select(Asset.room_id, func.count()).where(Asset.room_id.in_([r.id for r in floor.rooms]),
                                                      Asset.status.not_in(GONE)).group_by(Asset.room_id)).all())
        costs = dict(session.execute(
            select(Asset.room_id, func.sum(Asset.cost)).where(Asset.room_id.in_([r.id for r in floor.rooms]),
                                                              Asset.status.not_in(GONE)).group_by(Asset.room_id)).all())
    scale = build_scale(OverlayKind.COUNT, {r.id: counts.get(r.id, 0) for r in floor.rooms})
    for room in floor.rooms:
        assert view.room_colour(room.id) == scale.colour(counts.get(room.id, 0))
    view.set_overlay(OverlayKind.COST)
    scale = build_scale(OverlayKind.COST, {r.id: int(costs.get(r.id, 0) * 100) for r in floor.rooms})
    for room in floor.rooms:
        assert view.room_colour(room.id) == scale.colour(int(costs.get(room.id, 0) * 100))
    assert view.legend.entries and view.legend.title.text() == "Total cost"
    busiest = max(floor.rooms, key=lambda r: counts.get(r.id, 0))
    assert f"{counts[busiest.id]:,} assets" in view.scene.summary_text(busiest.id)
    # the filter overlay: one funding source, coloured by how many of its assets each room holds
    view.set_overlay(OverlayKind.FILTER)
    qtbot.waitUntil(lambda: view.funding_box.count() > 1, timeout=10000)  # the choices load in the background
    view.funding_box.setCurrentIndex(1)
    view.funding_box.activated.emit(1)
    source = view.funding_box.currentData()
    selection = filtered_ids(RegisterFilter(funding_source_ids=(source,)), demo_db.dialect)
    with demo_db.reading() as session:
        wanted = dict(session.execute(
            select(Asset.room_id, func.count()).where(Asset.id.in_(selection.scalar_subquery()),
                                                      Asset.room_id.in_([r.id for r in floor.rooms]),
                                                      Asset.status.not_in(GONE)).group_by(Asset.room_id)).all())
    scale = build_scale(OverlayKind.FILTER, {r.id: wanted.get(r.id, 0) for r in floor.rooms})
    qtbot.waitUntil(lambda: all(view.room_colour(r.id) == scale.colour(wanted.get(r.id, 0)) for r in floor.rooms),
                    timeout=10000)
    # overlays that need what is not built yet are offered but disabled
    missing = view.overlay_box.findData(OverlayKind.MISSING.value)
    assert not view.overlay_box.model().item(missing).isEnabled()
    assert "Inventory" in view.overlay_box.itemText(missing)


def test_draw_an_outline_undo_redo_and_save(qtbot, db, reference):
    view = _open_view(qtbot, db)
    assert view.floor.floor_id == reference.floor and view.floor.schematic
    before = view.scene.items_by_room[reference.room].outline()
    view.set_mode(DRAW_RECT)
    view.prompts.room_choice = reference.room
    _drag(view, QPointF(2.2, 3.1), QPointF(30.4, 25.0))
    drawn = view.scene.items_by_room[reference.room].outline()
    assert drawn == ((2.0, 3.0), (30.0, 3.0), (30.0, 25.0), (2.0, 25.0))  # snapped to the 1 ft grid
    assert view.save_action.isEnabled()
    view.scene.undo_stack.undo()
    assert view.scene.items_by_room[reference.room].outline() == before
    view.scene.undo_stack.redo()
    assert view.scene.items_by_room[reference.room].outline() == drawn
    # move the outline by dragging it in edit mode
    view.set_mode(SELECT)
    _drag(view, QPointF(10, 10), QPointF(20, 14))
    moved = view.scene.items_by_room[reference.room].outline()
    assert moved == ((12.0, 7.0), (40.0, 7.0), (40.0, 29.0), (12.0, 29.0))
    with qtbot.waitSignal(view.floor_shown, timeout=10000):
        view.save()
    with db.reading() as session:
        assert parse_outline(session.get(Room, reference.room).outline) == moved
        events = session.scalars(select(HistoryEvent).where(HistoryEvent.entity_type == "room")).all()
    assert [e.action for e in events] == ["outline_changed"]
    assert not view.floor.schematic and view.floor.room(reference.room).outline == moved


def test_a_drawn_outline_linked_to_a_new_room(qtbot, db, reference):
    create_room(db, "setup", reference.floor, "102", outline=[(0, 0), (40, 0), (40, 30), (0, 30)])
    view = _open_view(qtbot, db)
    assert not view.floor.schematic
    unplaced = [r.id for r in view.floor.rooms if r.outline is None]
    assert unplaced == [reference.room]
    view.set_mode(DRAW_RECT)
    view.prompts.room_choice = NEW_ROOM
    view.prompts.details = ("103", "Music", "classroom")
    with qtbot.waitSignal(view.floor_shown, timeout=10000):
        _drag(view, QPointF(5, 5), QPointF(20, 20))
    new = next(r for r in view.floor.rooms if r.number == "103")
    assert view.scene.items_by_room[new.id].outline() == ((5.0, 5.0), (20.0, 5.0), (20.0, 20.0), (5.0, 20.0))
    # and the room that had no outline gets one drawn and linked too
    view.prompts.room_choice = reference.room
    _drag(view, QPointF(22, 2), QPointF(38, 20))
    with qtbot.waitSignal(view.floor_shown, timeout=10000):
        view.save()
    with db.reading() as session:
        assert session.get(Room, new.id).name == "Music"
        assert parse_outline(session.get(Room, reference.room).outline) == ((22, 2), (38, 2), (38, 20), (22, 20))
        assert parse_outline(session.get(Room, new.id).outline) == ((5, 5), (20, 5), (20, 20), (5, 20))


def _drop(view: View, asset_ids: list[int], room_id: int) -> None:
    item = view.scene.items_by_room[room_id]
    point = view.canvas.mapFromScene(item.sceneBoundingRect().center())
    mime = asset_mime(asset_ids)
    viewport = view.canvas.viewport()
    actions = Qt.DropAction.MoveAction
    # Qt 6 builds drag events from a QPointF through QDropEvent's constructor; enter and move
    # events are QDropEvents of those types as far as the view is concerned.
    for kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
        event = QDropEvent(QPointF(point), actions, mime, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier, kind)
        QApplication.sendEvent(viewport, event)


def test_drag_assets_onto_another_room_then_save(qtbot, db, reference):
    target = create_room(db, "setup", reference.floor, "102", name="Library", room_type="library")
    ids = [create_asset(db, "clerk", asset_values(reference, f"T-{i}")) for i in range(3)]
    view = _open_view(qtbot, db)
    view.show_room(reference.room)
    qtbot.waitUntil(lambda: view.panel.model.rowCount() == 3, timeout=10000)
    mime = view.panel.model.mimeData([view.panel.model.index(0, 0), view.panel.model.index(1, 0)])
    dragged = [int(x) for x in bytes(mime.data("application/x-commonground-asset-ids")).decode().split(",")]
    assert dragged == ids[:2]
    _drop(view, dragged, target)
    assert view.scene.pending_moves == {ids[0]: target, ids[1]: target}
    qtbot.waitUntil(lambda: "not saved" in view.panel.model.data(view.panel.model.index(0, 1)), timeout=10000)
    view.scene.undo_stack.undo()
    assert view.scene.pending_moves == {}
    view.scene.undo_stack.redo()
    with db.reading() as session:
        assert session.get(Asset, ids[0]).room_id == reference.room  # nothing written before Save
    with qtbot.waitSignal(view.floor_shown, timeout=10000):
        view.save()
    with db.reading() as session:
        assert [session.get(Asset, i).room_id for i in ids] == [target, target, reference.room]
        moves = session.scalars(select(HistoryEvent).where(HistoryEvent.action == "moved")
                                .order_by(HistoryEvent.entity_id)).all()
        in_register = set(session.scalars(filtered_ids(RegisterFilter(room_ids=(target,)), db.dialect)))
        rooms_outlines = session.scalars(select(Room.outline)).all()
    assert [e.entity_id for e in moves] == ids[:2]
    assert json.loads(moves[0].changes)["room_id"] == [reference.room, target]
    assert in_register == set(ids[:2])
    assert rooms_outlines == [None, None, None], "a save of moves alone draws no outlines"
    assert view.figures[target].count == 2


def test_search_jumps_to_the_room_on_another_floor(qtbot, demo_db):
    view = _open_view(qtbot, demo_db)
    with demo_db.reading() as session:
        tag, room_id, floor_id = session.execute(
            select(Asset.tag, Asset.room_id, Room.floor_id).join(Room, Asset.room_id == Room.id)
            .where(Room.floor_id != view.floor.floor_id, Asset.status.not_in(GONE)).order_by(Asset.id).limit(1)
        ).one()
    with qtbot.waitSignal(view.floor_shown, timeout=10000):
        view.search.setText(tag.lower())
        view.search.returnPressed.emit()
    assert view.floor.floor_id == floor_id
    assert view.scene.items_by_room[room_id].highlighted
    assert sum(item.highlighted for item in view.scene.items_by_room.values()) == 1
    qtbot.waitUntil(lambda: view.panel.room_id == room_id and view.panel.table.selectionModel().hasSelection(),
                    timeout=10000)
    visible = view.canvas.mapToScene(view.canvas.viewport().rect()).boundingRect()
    assert visible.contains(view.scene.items_by_room[room_id].sceneBoundingRect())
    view.find("NO-SUCH-TAG")
    assert "NO-SUCH-TAG" in view.status.text()


def test_double_clicking_a_listed_asset_asks_to_open_it(qtbot, demo_db):
    view = _open_view(qtbot, demo_db)
    with demo_db.reading() as session:
        tag, asset_id = session.execute(
            select(Asset.tag, Asset.id).join(Room, Asset.room_id == Room.id)
            .where(Room.floor_id == view.floor.floor_id, Asset.status.not_in(GONE)).order_by(Asset.id).limit(1)
        ).one()
    view.find(tag)
    qtbot.waitUntil(lambda: view.panel.table.selectionModel().hasSelection(), timeout=10000)
    row = view.panel.table.selectionModel().selectedRows()[0]
    with qtbot.waitSignal(view.asset_activated, timeout=5000) as opened:
        view.panel.table.activated.emit(row)
    assert opened.args == [asset_id]


def test_bad_outline_is_refused_with_the_room_named_and_nothing_saved(qtbot, db, reference):
    view = _open_view(qtbot, db)
    with db.reading() as session:
        session.get(Room, reference.room)
    from PySide6.QtGui import QPolygonF
    view.scene.link_outline(view.floor.room(reference.room), [(0, 0), (10, 10), (10, 0), (0, 10)])
    view.save()
    qtbot.waitUntil(lambda: bool(view.prompts.errors), timeout=10000)
    assert "room 101" in view.prompts.errors[0] and "crosses itself" in view.prompts.errors[0]
    with db.reading() as session:
        assert session.get(Room, reference.room).outline is None
    assert QPolygonF is not None and outline_text(None) is None
