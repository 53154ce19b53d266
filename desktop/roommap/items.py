"""A room on the map: its outline (filled with the overlay colour), its number (readable at
any zoom), corner handles for reshaping while editing, and a drop target for assets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPolygonItem,
    QGraphicsSimpleTextItem,
)

from models.queries.roommap import MapRoom

if TYPE_CHECKING:
    from desktop.roommap.scene import FloorScene

MIME_ASSETS = "application/x-commonground-asset-ids"


def polygon_points(polygon: QPolygonF) -> tuple[tuple[float, float], ...]:
    return tuple((round(p.x(), 2), round(p.y(), 2)) for p in polygon)


def to_polygon(points) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


class RoomLabel(QGraphicsSimpleTextItem):
    """The room number, drawn at screen size whatever the zoom (ItemIgnoresTransformations)."""

    def __init__(self, text: str, parent: QGraphicsItem) -> None:
        super().__init__(text, parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        font = QFont()
        font.setPointSizeF(8.5)
        font.setBold(True)
        self.setFont(font)

        self._offset = QPointF()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        rect = super().boundingRect()
        self.prepareGeometryChange()
        self._offset = QPointF(-rect.width() / 2, -rect.height() / 2)

    def centre_on(self, point: QPointF) -> None:
        if self._offset.isNull():
            self.setText(self.text())
        self.setPos(point)

    def boundingRect(self):  # noqa: N802 - Qt's name
        return super().boundingRect().translated(getattr(self, "_offset", QPointF()))

    def shape(self):
        path = super().shape()
        return path.translated(getattr(self, "_offset", QPointF()))

    def paint(self, painter, option, widget=None) -> None:
        painter.translate(getattr(self, "_offset", QPointF()))
        super().paint(painter, option, widget)


class VertexHandle(QGraphicsEllipseItem):
    SIZE = 8.0

    def __init__(self, room: RoomItem, index: int) -> None:
        super().__init__(-self.SIZE / 2, -self.SIZE / 2, self.SIZE, self.SIZE, room)
        self.room = room
        self.index = index
        self.setBrush(QBrush(QColor("#ffffff")))
        self.setPen(QPen(QColor("#1f4e8c"), 1.5))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCursor(Qt.CursorShape.SizeAllCursor)
        self.setZValue(10)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and self.scene() is not None:
            return self.room.floor_scene.snap(value)
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self.room.vertex_dragged(self.index, self.pos())
        return super().itemChange(change, value)

    def mousePressEvent(self, event) -> None:
        self.room.begin_reshape()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        self.room.end_reshape()


class RoomItem(QGraphicsPolygonItem):
    def __init__(self, room: MapRoom, polygon: QPolygonF, floor_scene: FloorScene) -> None:
        super().__init__(polygon)
        self.room = room
        self.floor_scene = floor_scene
        self.fill = QColor("#eef0f3")
        self.highlighted = False
        self._start: QPolygonF | None = None
        self.handles: list[VertexHandle] = []
        self.label = RoomLabel(room.number, self)
        self.setAcceptHoverEvents(True)
        self.setAcceptDrops(True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self._apply_pen()
        self.setBrush(QBrush(self.fill))
        self._place_label()

    @property
    def room_id(self) -> int:
        return self.room.id

    def outline(self) -> tuple[tuple[float, float], ...]:
        return polygon_points(self.polygon().translated(self.pos()))

    def set_outline(self, polygon: QPolygonF) -> None:
        self.prepareGeometryChange()
        self.setPos(0, 0)
        self.setPolygon(polygon)
        self._place_label()
        self._sync_handles()

    def _place_label(self) -> None:
        self.label.centre_on(self.polygon().boundingRect().center())

    def set_fill(self, colour: str) -> None:
        self.fill = QColor(colour)
        self.setBrush(QBrush(self.fill))
        dark = self.fill.lightnessF() < 0.45
        self.label.setBrush(QBrush(QColor("#ffffff" if dark else "#1d2430")))

    def set_highlighted(self, on: bool) -> None:
        self.highlighted = on
        self._apply_pen()

    def _apply_pen(self) -> None:
        if self.highlighted:
            pen = QPen(QColor("#e8590c"), 3)
        elif self.isSelected():
            pen = QPen(QColor("#1f4e8c"), 2)
        else:
            pen = QPen(QColor("#5b6472"), 1)
        pen.setCosmetic(True)  # the same width at every zoom
        self.setPen(pen)

    # -- editing ----------------------------------------------------------------------------
    def set_editable(self, on: bool) -> None:
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, on)
        self._sync_handles()

    def _sync_handles(self) -> None:
        show = bool(self.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable) and self.isSelected()
        polygon = self.polygon()
        if not show:
            for handle in self.handles:
                handle.setParentItem(None)
                if handle.scene() is not None:
                    handle.scene().removeItem(handle)
            self.handles = []
            return
        if len(self.handles) != polygon.count():
            for handle in self.handles:
                if handle.scene() is not None:
                    handle.scene().removeItem(handle)
            self.handles = [VertexHandle(self, i) for i in range(polygon.count())]
        for handle, point in zip(self.handles, polygon, strict=True):
            handle.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, False)
            handle.setPos(point)
            handle.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, True)

    def begin_reshape(self) -> None:
        self._start = self.polygon().translated(self.pos())

    def end_reshape(self) -> None:
        if self._start is None:
            return
        start, self._start = self._start, None
        end = self.polygon().translated(self.pos())
        if polygon_points(start) != polygon_points(end):
            self.floor_scene.outline_changed_by_hand(self, start, end)

    def vertex_dragged(self, index: int, point: QPointF) -> None:
        polygon = QPolygonF(self.polygon())
        polygon[index] = point
        self.prepareGeometryChange()
        self.setPolygon(polygon)
        self._place_label()

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and self.scene() is not None:
            # snap the outline's first corner, so the whole outline lands on the grid
            first = self.polygon().at(0) if self.polygon().count() else QPointF()
            return self.floor_scene.snap(value + first) - first
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._apply_pen()
            self._sync_handles()
        return super().itemChange(change, value)

    def mousePressEvent(self, event) -> None:
        if self.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable:
            self.begin_reshape()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        self.end_reshape()

    # -- hover and drop -----------------------------------------------------------------------
    def hoverEnterEvent(self, event) -> None:
        self.setToolTip(self.floor_scene.summary_text(self.room.id))
        super().hoverEnterEvent(event)

    def dragEnterEvent(self, event) -> None:
        event.setAccepted(event.mimeData().hasFormat(MIME_ASSETS))

    def dragMoveEvent(self, event) -> None:
        event.setAccepted(event.mimeData().hasFormat(MIME_ASSETS))

    def dropEvent(self, event) -> None:
        data = bytes(event.mimeData().data(MIME_ASSETS)).decode("ascii")
        ids = [int(part) for part in data.split(",") if part.strip().isdigit()]
        if ids:
            self.floor_scene.assets_dropped.emit(ids, self.room.id)
            event.acceptProposedAction()
