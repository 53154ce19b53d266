"""The floor as a QGraphicsScene: the plan image (or the schematic's corridors), one
RoomItem per placed room, the drawing tools, and the undoable edits."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen, QPixmap, QPolygonF, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsScene

from desktop.format import money_text
from desktop.roommap.items import RoomItem, polygon_points, to_polygon
from models.queries.roommap import FloorMap, MapRoom, RoomFigures
from models.roommap.geometry import outline_text, rectangle

BROWSE, SELECT, DRAW_RECT, DRAW_POLYGON = "browse", "select", "rectangle", "polygon"


class FloorScene(QGraphicsScene):
    room_clicked = Signal(int)
    assets_dropped = Signal(list, int)  # asset ids, target room id
    outline_drawn = Signal(object)  # a tuple of points, not yet linked to a room
    edited = Signal()

    def __init__(self, floor: FloorMap, plan: QPixmap | None = None, parent=None) -> None:
        super().__init__(parent)
        self.floor = floor
        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(self._stack_moved)
        self.mode = BROWSE
        self.grid = 1.0 if floor.schematic or not floor.has_plan else 5.0
        self.snapping = True
        self.figures: dict[int, RoomFigures] = {}
        self.items_by_room: dict[int, RoomItem] = {}
        self.pending_moves: dict[int, int] = {}  # asset id -> room id, until Save
        self._drawing: list[QPointF] = []
        self._draft = QGraphicsPathItem()
        pen = QPen(QColor("#e8590c"), 2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._draft.setPen(pen)
        self._draft.setZValue(20)
        self.setSceneRect(QRectF(0, 0, floor.width, floor.height))
        self.setBackgroundBrush(QBrush(QColor("#fbfbfc")))
        if plan is not None and not plan.isNull():
            item = self.addPixmap(plan)
            item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            item.setZValue(-10)
        else:
            sheet = self.addRect(QRectF(0, 0, floor.width, floor.height), QPen(Qt.PenStyle.NoPen),
                                 QBrush(QColor("#ffffff")))
            sheet.setZValue(-10)
        corridor_pen = QPen(Qt.PenStyle.NoPen)
        for corridor in floor.corridors:
            c = self.addPolygon(to_polygon(corridor), corridor_pen, QBrush(QColor("#f1f2f4")))
            c.setZValue(-5)
        for room in floor.rooms:
            if room.outline is not None:
                self._add_room(room, to_polygon(room.outline))
        self.addItem(self._draft)

    def _stack_moved(self, _index: int) -> None:
        self.edited.emit()

    # -- rooms --------------------------------------------------------------------------------
    def _add_room(self, room: MapRoom, polygon: QPolygonF) -> RoomItem:
        item = RoomItem(room, polygon, self)
        item.set_editable(self.mode == SELECT)
        self.addItem(item)
        self.items_by_room[room.id] = item
        return item

    def room_outlines(self) -> dict[int, tuple[tuple[float, float], ...] | None]:
        """Every room's outline as it now stands in the editor (None: not placed)."""
        current = {room.id: None for room in self.floor.rooms}
        for room_id, item in self.items_by_room.items():
            current[room_id] = item.outline()
        return current

    def changed_outlines(self) -> dict[int, tuple | None]:
        """The outlines a Save must write: those that differ from what is stored. A schematic
        floor that was edited writes every room, since its layout becomes the drawn one."""
        result = {}
        for room_id, points in self.room_outlines().items():
            stored = self.floor.saved_outlines.get(room_id)
            if self.floor.schematic or outline_text(points) != stored:
                if points is None and stored is None:
                    continue
                result[room_id] = points
        return result

    def set_colours(self, colours: Mapping[int, str]) -> None:
        self._last_colours = dict(colours)
        for room_id, item in self.items_by_room.items():
            item.set_fill(colours.get(room_id, "#eef0f3"))

    def highlight(self, room_id: int | None) -> RoomItem | None:
        found = None
        for rid, item in self.items_by_room.items():
            item.set_highlighted(rid == room_id)
            if rid == room_id:
                found = item
        return found

    def summary_text(self, room_id: int) -> str:
        room = self.floor.room(room_id)
        if room is None:
            return ""
        figures = self.figures.get(room_id, RoomFigures())
        lines = [f"<b>{room.label}</b> ({room.room_type.replace('_', ' ')})",
                 f"{figures.count:,} asset{'s' if figures.count != 1 else ''}, cost {money_text(figures.cost)}",
                 f"Responsible: {room.responsible or 'not named'}"]
        return "<br>".join(lines)

    # -- modes and snapping -------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._drawing = []
        self._draft.setPath(QPainterPath())
        for item in self.items_by_room.values():
            item.set_editable(mode == SELECT)

    def snap(self, point: QPointF) -> QPointF:
        if not self.snapping or self.grid <= 0:
            return point
        g = self.grid
        x = min(max(round(point.x() / g) * g, 0.0), self.floor.width)
        y = min(max(round(point.y() / g) * g, 0.0), self.floor.height)
        return QPointF(x, y)

    # -- drawing ----------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if self.mode in (DRAW_RECT, DRAW_POLYGON) and event.button() == Qt.MouseButton.LeftButton:
            point = self.snap(event.scenePos())
            if self.mode == DRAW_RECT:
                self._drawing = [point, point]
            else:
                if len(self._drawing) >= 3 and _near(point, self._drawing[0], self._tolerance()):
                    self._finish_polygon()
                    return
                self._drawing.append(point)
            self._show_draft()
            event.accept()
            return
        super().mousePressEvent(event)
        if self.mode == BROWSE and event.button() == Qt.MouseButton.LeftButton:
            item = self._room_at(event.scenePos())
            if item is not None:
                self.room_clicked.emit(item.room_id)

    def mouseMoveEvent(self, event) -> None:
        if self.mode == DRAW_RECT and self._drawing:
            self._drawing[1] = self.snap(event.scenePos())
            self._show_draft()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self.mode == DRAW_RECT and len(self._drawing) == 2:
            a, b = self._drawing
            self._drawing = []
            self._draft.setPath(QPainterPath())
            left, top = min(a.x(), b.x()), min(a.y(), b.y())
            width, height = abs(a.x() - b.x()), abs(a.y() - b.y())
            if width >= 1 and height >= 1:
                self.outline_drawn.emit(rectangle(left, top, width, height))
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        if self.mode == DRAW_POLYGON and len(self._drawing) >= 3:
            self._finish_polygon()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self._drawing:
            self._drawing = []
            self._draft.setPath(QPainterPath())
            return
        super().keyPressEvent(event)

    def _finish_polygon(self) -> None:
        points = tuple((p.x(), p.y()) for p in self._drawing)
        self._drawing = []
        self._draft.setPath(QPainterPath())
        self.outline_drawn.emit(points)

    def _show_draft(self) -> None:
        path = QPainterPath()
        if self.mode == DRAW_RECT and len(self._drawing) == 2:
            path.addRect(QRectF(self._drawing[0], self._drawing[1]).normalized())
        elif self._drawing:
            path.addPolygon(QPolygonF(self._drawing))
        self._draft.setPath(path)

    def _tolerance(self) -> float:
        views = self.views()
        scale = views[0].transform().m11() if views else 1.0
        return 8.0 / max(scale, 1e-6)

    def _room_at(self, point: QPointF) -> RoomItem | None:
        for item in self.items(point):
            while item is not None and not isinstance(item, RoomItem):
                item = item.parentItem()
            if isinstance(item, RoomItem):
                return item
        return None

    # -- undoable edits -----------------------------------------------------------------------
    def outline_changed_by_hand(self, item: RoomItem, before: QPolygonF, after: QPolygonF) -> None:
        self.undo_stack.push(ReshapeCommand(self, item.room_id, before, after, done=True))

    def move_assets(self, asset_ids: list[int], room_id: int) -> None:
        room = self.floor.room(room_id)
        count = len(asset_ids)
        label = f"Move {count} asset{'s' if count != 1 else ''} to room {room.number if room else room_id}"
        self.undo_stack.push(MoveAssetsCommand(self.pending_moves, asset_ids, room_id, label))

    def link_outline(self, room: MapRoom, points) -> None:
        """Give ``room`` the outline just drawn (replacing the one it had)."""
        self.undo_stack.push(LinkCommand(self, room, to_polygon(points)))

    def unlink(self, room_id: int) -> None:
        item = self.items_by_room.get(room_id)
        if item is not None:
            self.undo_stack.push(LinkCommand(self, item.room, None))

    def _set_room_outline(self, room: MapRoom, polygon: QPolygonF | None) -> None:
        item = self.items_by_room.get(room.id)
        if polygon is None:
            if item is not None:
                self.removeItem(item)
                del self.items_by_room[room.id]
            return
        if item is None:
            item = self._add_room(room, polygon)
            colours = getattr(self, "_last_colours", None)
            if colours:
                item.set_fill(colours.get(room.id, "#eef0f3"))
        else:
            item.set_outline(polygon)


def _near(a: QPointF, b: QPointF, tolerance: float) -> bool:
    return (a - b).manhattanLength() <= tolerance


class ReshapeCommand(QUndoCommand):
    def __init__(self, scene: FloorScene, room_id: int, before: QPolygonF, after: QPolygonF,
                 *, done: bool = False) -> None:
        room = scene.floor.room(room_id)
        super().__init__(f"Reshape room {room.number if room else room_id}")
        self.scene, self.room_id = scene, room_id
        self.before, self.after = QPolygonF(before), QPolygonF(after)
        self._skip = done  # the hand already made the change; the first redo is a no-op

    def _apply(self, polygon: QPolygonF) -> None:
        item = self.scene.items_by_room.get(self.room_id)
        if item is not None:
            item.set_outline(QPolygonF(polygon))

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            self._apply(self.after)  # bake the item's position into its outline
            return
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


class LinkCommand(QUndoCommand):
    def __init__(self, scene: FloorScene, room: MapRoom, polygon: QPolygonF | None) -> None:
        super().__init__(f"Outline of room {room.number}" if polygon is not None else
                         f"Remove the outline of room {room.number}")
        self.scene, self.room = scene, room
        item = scene.items_by_room.get(room.id)
        self.before = QPolygonF(item.polygon().translated(item.pos())) if item is not None else None
        self.after = polygon

    def redo(self) -> None:
        self.scene._set_room_outline(self.room, self.after)

    def undo(self) -> None:
        self.scene._set_room_outline(self.room, self.before)


class MoveAssetsCommand(QUndoCommand):
    """Assets dragged onto another room: pending until Save."""

    def __init__(self, moves: dict[int, int], asset_ids: list[int], room_id: int, label: str) -> None:
        super().__init__(label)
        self.moves, self.asset_ids, self.room_id = moves, list(asset_ids), room_id
        self.previous = {asset_id: moves.get(asset_id) for asset_id in asset_ids}

    def redo(self) -> None:
        for asset_id in self.asset_ids:
            self.moves[asset_id] = self.room_id

    def undo(self) -> None:
        for asset_id, before in self.previous.items():
            if before is None:
                self.moves.pop(asset_id, None)
            else:
                self.moves[asset_id] = before


__all__ = ["BROWSE", "DRAW_POLYGON", "DRAW_RECT", "SELECT", "FloorScene", "MoveAssetsCommand",
           "polygon_points", "QGraphicsItem"]
