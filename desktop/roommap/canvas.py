"""The zoomable, pannable view of a floor scene."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsView

from desktop.roommap.scene import BROWSE, SELECT, FloorScene

MIN_SCALE, MAX_SCALE = 0.05, 80.0


class MapCanvas(QGraphicsView):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setAcceptDrops(True)
        self.setMinimumSize(320, 240)
        self._fitted = True

    def show_floor(self, scene: FloorScene) -> None:
        self.setScene(scene)
        self.apply_mode(scene.mode)
        self.fit()

    def apply_mode(self, mode: str) -> None:
        if mode == BROWSE:
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        elif mode == SELECT:
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        else:
            self.setDragMode(QGraphicsView.DragMode.NoDrag)
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def fit(self) -> None:
        if self.scene() is not None:
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
            self._fitted = True

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(MIN_SCALE / current, min(MAX_SCALE / current, factor))
        self.scale(factor, factor)
        self._fitted = False

    def centre_on_room(self, room_id: int) -> None:
        scene = self.scene()
        item = scene.items_by_room.get(room_id) if scene is not None else None
        if item is None:
            return
        rect = item.sceneBoundingRect()
        # zoom so the room fills about a third of the view, then centre it
        view = self.viewport().rect()
        wanted = min(view.width() / max(rect.width() * 3, 1), view.height() / max(rect.height() * 3, 1))
        current = self.transform().m11()
        if wanted < current or current < wanted / 2:
            self.zoom(wanted / current)
        self.centerOn(rect.center())

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom(1.25 ** steps)
        event.accept()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()

    def scene_point(self, x: int, y: int) -> QPointF:
        return self.mapToScene(x, y)
