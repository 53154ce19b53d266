"""Room maps: a building's floors with rooms coloured by what they hold. Hover a room for its
summary, click it for its assets, search a tag or serial to jump to its room, drag assets
onto another room, draw and reshape outlines, import a plan, print the map and room sheets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.format import money_text
from desktop.operations import run_operation, run_task
from desktop.roommap.canvas import MapCanvas
from desktop.roommap.legend import Legend
from desktop.roommap.panel import RoomPanel
from desktop.roommap.printing import print_floor
from desktop.roommap.prompts import NEW_ROOM, Prompts
from desktop.roommap.scene import BROWSE, DRAW_POLYGON, DRAW_RECT, SELECT, FloorScene
from desktop.settings import app_settings
from models.actor import current_actor
from models.database import Database
from models.errors import UserError
from models.queries import roommap as q
from models.roommap.overlay import OVERLAY_LABELS, UNAVAILABLE, OverlayKind
from reports.room_map import room_colours, room_map_pdf

SETTINGS_FLOOR = "roommap/floor"
SETTINGS_OVERLAY = "roommap/overlay"


class View(QWidget):
    loaded = Signal()  # the first floor has been painted
    floor_shown = Signal(int)  # every time a floor is on screen (floor id)
    saved = Signal()
    asset_activated = Signal(int)  # open this asset (the main window's editor)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.prompts = Prompts(self)
        self.setObjectName("roommap")
        self.tree: list[q.SiteRef] = []
        self.floor: q.FloorMap | None = None
        self.scene: FloorScene | None = None
        self.figures: dict[int, q.RoomFigures] = {}
        self.book_year: int | None = None
        self._painted_once = False
        self._after_load = None
        self._overlay_request = 0
        self._build()
        run_operation(self, lambda: (q.location_tree(db), q.book_value_year(db)),
                      self._tree_loaded, self._failed)

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        top = QHBoxLayout()
        self.floor_box = QComboBox()
        self.floor_box.setMinimumContentsLength(34)
        self.floor_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.floor_box.activated.connect(lambda _i: self._floor_chosen())
        self.overlay_box = QComboBox()
        for kind in (OverlayKind.COUNT, OverlayKind.COST, OverlayKind.BOOK_VALUE, OverlayKind.FILTER,
                     OverlayKind.MISSING, OverlayKind.NONE):
            self.overlay_box.addItem(OVERLAY_LABELS[kind], kind.value)
        self.overlay_box.currentIndexChanged.connect(lambda _i: self._overlay_changed())
        self.funding_box = QComboBox()
        self.class_box = QComboBox()
        for box in (self.funding_box, self.class_box):
            box.setMinimumContentsLength(14)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.activated.connect(lambda _i: self._overlay_changed())
            box.hide()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a tag or serial…")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(lambda: self.find(self.search.text()))
        self.search.setMaximumWidth(220)
        top.addWidget(QLabel("Floor"))
        top.addWidget(self.floor_box, 2)
        top.addWidget(QLabel("Colour by"))
        top.addWidget(self.overlay_box)
        top.addWidget(self.funding_box, 1)
        top.addWidget(self.class_box, 1)
        top.addStretch(1)
        top.addWidget(self.search)
        layout.addLayout(top)
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._actions()
        layout.addWidget(self.toolbar)
        splitter = QSplitter()
        self.canvas = MapCanvas()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        self.legend = Legend()
        self.panel = RoomPanel()
        self.panel.asset_activated.connect(self.asset_activated)
        side_layout.addWidget(self.legend)
        side_layout.addWidget(self.panel, 1)
        splitter.addWidget(self.canvas)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 420])
        layout.addWidget(splitter, 1)
        self.status = QLabel("Loading the sites…")
        self.status.setObjectName("subtitle")
        layout.addWidget(self.status)

    def _action(self, text: str, slot, shortcut=None, checkable: bool = False, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        action.setCheckable(checkable)
        if tip:
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    def _actions(self) -> None:
        self.fit_action = self._action("Fit", lambda: self.canvas.fit(), tip="Fit the floor to the window")
        self._action("+", lambda: self.canvas.zoom(1.25), QKeySequence.StandardKey.ZoomIn)
        self._action("−", lambda: self.canvas.zoom(0.8), QKeySequence.StandardKey.ZoomOut)
        self.toolbar.addSeparator()
        self.mode_actions = {
            BROWSE: self._action("Browse", lambda: self.set_mode(BROWSE), checkable=True,
                                 tip="Click a room to list its assets; drag to pan"),
            SELECT: self._action("Edit", lambda: self.set_mode(SELECT), checkable=True,
                                 tip="Drag outlines to move them, their corners to reshape them"),
            DRAW_RECT: self._action("Rectangle", lambda: self.set_mode(DRAW_RECT), checkable=True),
            DRAW_POLYGON: self._action("Polygon", lambda: self.set_mode(DRAW_POLYGON), checkable=True,
                                       tip="Click each corner; click the first corner or double-click to close"),
        }
        self.mode_actions[BROWSE].setChecked(True)
        self.snap_box = QCheckBox("Snap")
        self.snap_box.setChecked(True)
        self.snap_box.toggled.connect(lambda on: self.scene and setattr(self.scene, "snapping", on))
        self.toolbar.addWidget(self.snap_box)
        self.toolbar.addSeparator()
        self.undo_action = self._action("Undo", lambda: self.scene and self.scene.undo_stack.undo(),
                                        QKeySequence.StandardKey.Undo)
        self.redo_action = self._action("Redo", lambda: self.scene and self.scene.undo_stack.redo(),
                                        QKeySequence.StandardKey.Redo)
        self.save_action = self._action("Save", self.save, QKeySequence.StandardKey.Save,
                                        tip="Write the outlines and the asset moves")
        self.discard_action = self._action("Discard", self.discard)
        self.toolbar.addSeparator()
        self.rename_action = self._action("Rename…", self.rename_room)
        self.unlink_action = self._action("Unplace", self.remove_outline)
        self.import_action = self._action("Plan…", self.import_plan)
        self.toolbar.addSeparator()
        self._action("Print…", self.print_map, QKeySequence.StandardKey.Print)
        self._action("Map PDF…", self.save_map_pdf)
        sheets = QToolButton()
        sheets.setText("Room sheets")
        sheets.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(sheets)
        menu.addAction("This room…", lambda: self.save_sheets("room"))
        menu.addAction("This building…", lambda: self.save_sheets("building"))
        menu.addAction("This site…", lambda: self.save_sheets("site"))
        sheets.setMenu(menu)
        self.toolbar.addWidget(sheets)
        self._update_actions()

    # -- loading -----------------------------------------------------------------------------
    def _failed(self, err: UserError) -> None:
        self.status.setText(err.message)
        if not self._painted_once:
            self._painted_once = True
            self.loaded.emit()

    def _tree_loaded(self, result) -> None:
        self.tree, self.book_year = result
        self.floor_box.clear()
        for site in self.tree:
            for building in site.buildings:
                for floor in building.floors:
                    self.floor_box.addItem(f"{site.name} · {building.name} · {floor.name}", floor.id)
        index = self.overlay_box.findData(OverlayKind.BOOK_VALUE.value)
        self._enable_overlay(OverlayKind.BOOK_VALUE, self.book_year is not None,
                             f"book value through FY{self.book_year}" if self.book_year
                             else "Book value comes once a fiscal year has been closed")
        self._enable_overlay(OverlayKind.MISSING, False, "Missing / not yet seen comes with Inventory")
        del index
        run_operation(self, lambda: _filter_choices(self.db), self._filters_loaded, self._failed)
        if self.floor_box.count() == 0:
            self.status.setText("This district has no floors yet: add sites, buildings and floors first.")
            self._painted_once = True
            self.loaded.emit()
            return
        settings = app_settings()
        wanted = settings.value(SETTINGS_FLOOR)
        overlay = settings.value(SETTINGS_OVERLAY)
        if overlay is not None:
            i = self.overlay_box.findData(str(overlay))
            if i >= 0 and self._overlay_enabled(i):
                self.overlay_box.blockSignals(True)
                self.overlay_box.setCurrentIndex(i)
                self.overlay_box.blockSignals(False)
        index = self.floor_box.findData(int(wanted)) if wanted not in (None, "") and str(wanted).isdigit() else -1
        self.floor_box.setCurrentIndex(max(0, index))
        self.load_floor(self.floor_box.currentData())

    def _enable_overlay(self, kind: OverlayKind, enabled: bool, tip: str) -> None:
        i = self.overlay_box.findData(kind.value)
        item = self.overlay_box.model().item(i)
        item.setEnabled(enabled)
        item.setToolTip(tip)
        if not enabled:
            item.setText(f"{OVERLAY_LABELS[kind]} ({UNAVAILABLE.get(kind, 'not available')})")

    def _overlay_enabled(self, index: int) -> bool:
        return self.overlay_box.model().item(index).isEnabled()

    def _filters_loaded(self, choices) -> None:
        funding, classes = choices
        self.funding_box.clear()
        self.funding_box.addItem("Any funding source", None)
        for key, label in funding:
            self.funding_box.addItem(label, key)
        self.class_box.clear()
        self.class_box.addItem("Any asset class", None)
        for key, label in classes:
            self.class_box.addItem(label, key)

    def _floor_chosen(self) -> None:
        floor_id = self.floor_box.currentData()
        if self.floor is not None and floor_id == self.floor.floor_id:
            return
        if not self._may_leave():
            self.floor_box.setCurrentIndex(self.floor_box.findData(self.floor.floor_id))
            return
        self.load_floor(floor_id)

    def _may_leave(self) -> bool:
        if self.scene is None or self.scene.undo_stack.isClean():
            return True
        answer = self.prompts.unsaved()
        if answer == "save":
            self.save()
            return False  # the save reloads; the user picks the floor again
        return answer == "discard"

    def load_floor(self, floor_id: int, then=None) -> None:
        self._after_load = then
        self._overlay_request += 1
        self.status.setText("Loading the floor…")
        db = self.db

        def work():
            floor = q.floor_map(db, floor_id)
            plan = q.plan_image(db, floor_id) if floor.has_plan else None
            figures = q.room_figures(db, [r.id for r in floor.rooms])
            return floor, plan, figures

        run_operation(self, work, self._floor_loaded, self._failed)

    def _floor_loaded(self, result) -> None:
        floor, plan, figures = result
        self.show_floor(floor, plan, figures)

    def show_floor(self, floor: q.FloorMap, plan: q.PlanImage | None, figures: dict) -> None:
        """Put a loaded floor on screen (synchronous; the benchmark times this)."""
        pixmap = None
        if plan is not None:
            pixmap = QPixmap()
            pixmap.loadFromData(plan.data)
        old = self.scene
        self.floor = floor
        self.figures = figures
        self.scene = FloorScene(floor, pixmap, self)
        self.scene.figures = figures
        self.scene.snapping = self.snap_box.isChecked()
        self.scene.room_clicked.connect(self.show_room)
        self.scene.assets_dropped.connect(self._assets_dropped)
        self.scene.outline_drawn.connect(self._outline_drawn)
        self.scene.edited.connect(self._update_actions)
        self.scene.selectionChanged.connect(self._update_actions)
        self.scene.set_mode(self._mode())
        self.canvas.show_floor(self.scene)
        if old is not None:
            old.undo_stack.blockSignals(True)
            old.blockSignals(True)
            old.deleteLater()
        i = self.floor_box.findData(floor.floor_id)
        if i >= 0 and i != self.floor_box.currentIndex():
            self.floor_box.setCurrentIndex(i)
        app_settings().setValue(SETTINGS_FLOOR, floor.floor_id)
        self.panel.clear()
        self._overlay_changed(save_choice=False)
        self._status_text()
        self._update_actions()
        self.canvas.viewport().update()
        then, self._after_load = self._after_load, None
        if then is not None:
            then()
        # lay the legend and panel out now, so whoever grabs the window sees them whole
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.floor_shown.emit(floor.floor_id)
        if not self._painted_once:
            self._painted_once = True
            self.loaded.emit()

    def _status_text(self) -> None:
        floor = self.floor
        if floor is None:
            return
        total = sum(f.count for f in self.figures.values())
        unplaced = [r.number for r in floor.rooms if r.outline is None]
        how = ("automatic schematic (rooms by number and type; reshape and Save to keep it)"
               if floor.schematic else "plan image" if floor.has_plan else "drawn outlines")
        text = f"{len(floor.rooms):,} rooms, {total:,} assets · {how}"
        if unplaced:
            text += f" · not drawn yet: {', '.join(unplaced[:8])}{'…' if len(unplaced) > 8 else ''}"
        self.status.setText(text)
        self.status.setToolTip(f"{floor.title}: {text}")

    # -- overlays ---------------------------------------------------------------------------------
    def overlay_kind(self) -> OverlayKind:
        return OverlayKind(self.overlay_box.currentData())

    def set_overlay(self, kind: OverlayKind) -> None:
        self.overlay_box.setCurrentIndex(self.overlay_box.findData(kind.value))

    def register_filter(self):
        from models.queries.register import RegisterFilter

        funding = self.funding_box.currentData()
        asset_class = self.class_box.currentData()
        return RegisterFilter(funding_source_ids=(funding,) if funding else (),
                              class_ids=(asset_class,) if asset_class else ())

    def filter_label(self) -> str:
        parts = [box.currentText() for box in (self.funding_box, self.class_box) if box.currentData()]
        return " and ".join(parts) or "all assets"

    def _overlay_changed(self, save_choice: bool = True) -> None:
        kind = self.overlay_kind()
        is_filter = kind is OverlayKind.FILTER
        self.funding_box.setVisible(is_filter)
        self.class_box.setVisible(is_filter)
        if save_choice:
            app_settings().setValue(SETTINGS_OVERLAY, kind.value)
        if self.floor is None:
            return
        if kind in (OverlayKind.FILTER, OverlayKind.BOOK_VALUE):
            floor, db = self.floor, self.db
            room_ids = [r.id for r in floor.rooms]
            if kind is OverlayKind.FILTER:
                from models.queries.register import filtered_ids

                selection = filtered_ids(self.register_filter(), db.dialect)
                work = lambda: q.room_figures(db, room_ids, selection)  # noqa: E731
            else:
                work = lambda: q.with_book_values(db, self.figures, room_ids)  # noqa: E731
            self._overlay_request += 1
            token = self._overlay_request
            run_operation(self, work, lambda figures, t=token, k=kind: self._recolour_with(t, k, figures),
                          self._failed)
            return
        self._overlay_request += 1  # an answer still on its way is out of date now
        self.recolour(kind, self.figures)

    def _recolour_with(self, token: int, kind, figures) -> None:
        if token == self._overlay_request:
            self.recolour(kind, figures)

    def recolour(self, kind: OverlayKind, figures: dict) -> None:
        """Colour the rooms by ``kind`` over ``figures`` and redraw the legend (synchronous)."""
        if self.scene is None or self.floor is None:
            return
        self.overlay_figures = figures
        colours, legend = room_colours(self.floor, kind, figures)
        self.scene.set_colours(colours)
        title = OVERLAY_LABELS[kind]
        if kind is OverlayKind.FILTER:
            title = f"Assets: {self.filter_label()}"
        elif kind is OverlayKind.BOOK_VALUE and self.book_year:
            title = f"Book value (through FY{self.book_year})"
        self.legend.show_entries(title, legend)

    def room_colour(self, room_id: int) -> str | None:
        item = self.scene.items_by_room.get(room_id) if self.scene else None
        return item.fill.name() if item is not None else None

    # -- into the data ---------------------------------------------------------------------------
    def show_room(self, room_id: int, select_asset: int | None = None) -> None:
        if self.floor is None:
            return
        room = self.floor.room(room_id)
        if room is None:
            return
        self.scene.highlight(room_id)
        figures = self.figures.get(room_id, q.RoomFigures())
        title = f"Room {room.label}"
        summary = (f"{figures.count:,} asset{'s' if figures.count != 1 else ''} · cost "
                   f"{money_text(figures.cost)} · responsible: {room.responsible or 'not named'}")
        db = self.db

        def shown(assets) -> None:
            pending = {}
            for asset in assets:
                target = self.scene.pending_moves.get(asset.id) if self.scene else None
                if target is not None and target != room_id:
                    other = self.floor.room(target)
                    pending[asset.id] = f"room {other.number if other else target}"
            self.panel.show_room(room_id, title, summary, assets, pending)
            if select_asset is not None:
                self.panel.select_asset(select_asset)

        run_operation(self, lambda: q.room_assets(db, room_id), shown, self._failed)

    def find(self, text: str) -> None:
        """Jump to the room of the asset whose tag or serial is ``text``."""
        try:
            location = q.locate_asset(self.db, text)
        except UserError as err:
            self.status.setText(err.message)
            return
        if location.room_id is None or location.floor_id is None:
            self.status.setText(f"{location.tag} ({location.description}) is not in a room.")
            return

        def focus() -> None:
            self.canvas.centre_on_room(location.room_id)
            self.show_room(location.room_id, select_asset=location.asset_id)
            self.status.setText(f"{location.tag} — {location.description} — is in room "
                                f"{self.floor.room(location.room_id).label}.")

        if self.floor is not None and self.floor.floor_id == location.floor_id:
            focus()
        elif self._may_leave():
            self.load_floor(location.floor_id, then=focus)

    def _assets_dropped(self, asset_ids: list[int], room_id: int) -> None:
        source = self.panel.room_id
        ids = [i for i in asset_ids if not (source == room_id and self.scene.pending_moves.get(i) is None)]
        if not ids:
            return
        self.scene.move_assets(ids, room_id)
        if source is not None:
            self.show_room(source)
        self._update_actions()

    # -- editing --------------------------------------------------------------------------------
    def _mode(self) -> str:
        return next((mode for mode, action in self.mode_actions.items() if action.isChecked()), BROWSE)

    def set_mode(self, mode: str) -> None:
        if self.db.read_only and mode != BROWSE:
            mode = BROWSE
            self.status.setText(self.db.read_only_reason or "This database is read-only.")
        for key, action in self.mode_actions.items():
            action.setChecked(key == mode)
        if self.scene is not None:
            self.scene.set_mode(mode)
        self.canvas.apply_mode(mode)

    def _outline_drawn(self, points) -> None:
        rooms = list(self.floor.rooms)
        rooms.sort(key=lambda r: (r.outline is not None, r.number))
        choice = self.prompts.choose_room(rooms)
        if choice is None:
            return
        if choice == NEW_ROOM:
            details = self.prompts.room_details()
            if details is None:
                return
            number, name, kind = details
            try:
                from models.services.rooms import create_room

                room_id = create_room(self.db, current_actor(), self.floor.floor_id, number,
                                      name=name or None, room_type=kind)
            except UserError as err:
                self.prompts.error(err.message)
                return
            self._reload_keeping_edits(lambda: self._link_after_reload(room_id, points))
            return
        room = self.floor.room(choice)
        self.scene.link_outline(room, points)
        self._update_actions()

    def _reload_keeping_edits(self, then) -> None:
        """Reload the floor (a room was added) and replay the unsaved outlines onto it."""
        outlines = self.scene.room_outlines() if self.scene else {}
        changed = self.scene.changed_outlines() if self.scene else {}
        moves = dict(self.scene.pending_moves) if self.scene else {}

        def replay() -> None:
            for room_id in changed:
                room = self.floor.room(room_id)
                if room is not None:
                    self.scene.link_outline(room, outlines[room_id]) if outlines[room_id] else \
                        self.scene.unlink(room_id)
            for asset_id, room_id in moves.items():
                self.scene.move_assets([asset_id], room_id)
            then()

        self.load_floor(self.floor.floor_id, then=replay)

    def _link_after_reload(self, room_id: int, points) -> None:
        room = self.floor.room(room_id)
        if room is not None:
            self.scene.link_outline(room, points)
        self._update_actions()

    def selected_room(self) -> int | None:
        if self.scene is None:
            return None
        for item in self.scene.selectedItems():
            if hasattr(item, "room_id"):
                return item.room_id
        return self.panel.room_id

    def rename_room(self) -> None:
        room_id = self.selected_room()
        room = self.floor.room(room_id) if (self.floor and room_id) else None
        if room is None:
            self.status.setText("Select a room first (click it).")
            return
        details = self.prompts.room_details(room.number, room.name or "", room.room_type,
                                           title=f"Room {room.number}")
        if details is None:
            return
        number, name, kind = details
        try:
            from models.services.rooms import rename_room

            rename_room(self.db, current_actor(), room_id, number=number, name=name, room_type=kind)
        except UserError as err:
            self.prompts.error(err.message)
            return
        self._reload_keeping_edits(lambda: self.show_room(room_id))

    def remove_outline(self) -> None:
        room_id = self.selected_room()
        if room_id is None or self.scene is None:
            self.status.setText("Select a room first (click it).")
            return
        self.scene.unlink(room_id)

    def save(self) -> None:
        if self.scene is None or self.floor is None:
            return
        outlines = self.scene.changed_outlines() if _outlines_edited(self.scene) else {}
        moves = dict(self.scene.pending_moves)
        if not outlines and not moves:
            self.scene.undo_stack.setClean()
            return
        from models.services.rooms import save_floor

        floor = self.floor
        db = self.db
        actor = current_actor()

        def done(result) -> None:
            changed, moved = result
            self.scene.undo_stack.setClean()
            self.status.setText(f"Saved: {changed} outline{'s' if changed != 1 else ''}, "
                                f"{moved} asset{'s' if moved != 1 else ''} moved.")
            self.saved.emit()
            room = self.panel.room_id
            self.load_floor(floor.floor_id, then=(lambda: self.show_room(room)) if room else None)

        def failed(err: UserError) -> None:
            self.prompts.error(err.message)

        run_operation(self, lambda: save_floor(db, actor, floor.floor_id, outlines,
                                               floor.saved_outlines, moves), done, failed)

    def discard(self) -> None:
        if self.scene is not None and not self.scene.undo_stack.isClean():
            self.load_floor(self.floor.floor_id)

    def import_plan(self) -> None:
        if self.floor is None:
            return
        path = self.prompts.open_image()
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            self.prompts.error(f"Could not read {path}: {err.strerror}")
            return
        from models.services.rooms import import_plan

        floor_id, db, actor = self.floor.floor_id, self.db, current_actor()
        clear = False
        if any(r.outline is not None for r in self.floor.rooms) and not self.floor.schematic:
            clear = self.prompts.confirm(
                "Import a plan", "Keep the outlines drawn so far? Choose No to clear them and "
                "draw the rooms on the new plan.") is False

        def failed(err: UserError) -> None:
            self.prompts.error(err.message)

        run_operation(self, lambda: import_plan(db, actor, floor_id, data, Path(path).name,
                                                clear_outlines=clear),
                      lambda _r: self.load_floor(floor_id), failed)

    def _update_actions(self) -> None:
        scene = self.scene
        dirty = scene is not None and not scene.undo_stack.isClean()
        writable = not self.db.read_only
        self.undo_action.setEnabled(bool(scene and scene.undo_stack.canUndo()))
        self.redo_action.setEnabled(bool(scene and scene.undo_stack.canRedo()))
        if scene is not None:
            self.undo_action.setText(f"Undo {scene.undo_stack.undoText()}".strip())
            self.redo_action.setText(f"Redo {scene.undo_stack.redoText()}".strip())
        self.save_action.setEnabled(dirty and writable)
        self.discard_action.setEnabled(dirty)
        for action in (self.rename_action, self.unlink_action, self.import_action):
            action.setEnabled(writable and scene is not None)
        for mode in (SELECT, DRAW_RECT, DRAW_POLYGON):
            self.mode_actions[mode].setEnabled(writable)

    # -- printing ---------------------------------------------------------------------------------
    def _legend_now(self):
        kind = self.overlay_kind()
        return room_colours(self.floor, kind, getattr(self, "overlay_figures", self.figures))[1]

    def print_map(self) -> None:
        if self.scene is None:
            return
        kind = self.overlay_kind()
        print_floor(self, self.scene, self.floor.title, f"Coloured by {OVERLAY_LABELS[kind].lower()}",
                    self.legend.title.text(), self._legend_now())

    def map_pdf(self) -> bytes:
        kind = self.overlay_kind()
        plan = q.plan_image(self.db, self.floor.floor_id) if self.floor.has_plan else None
        return room_map_pdf(self.floor, getattr(self, "overlay_figures", self.figures), kind, plan,
                            filter_label=self.filter_label() if kind is OverlayKind.FILTER else "",
                            printed_by=current_actor())

    def save_map_pdf(self) -> None:
        if self.floor is None:
            return
        path = self.prompts.save_path("Save the room map as PDF",
                                      f"room-map-{self.floor.site_code}-{self.floor.building_code}-"
                                      f"{self.floor.level}.pdf")
        if not path:
            return
        try:
            Path(path).write_bytes(self.map_pdf())
        except OSError as err:
            self.prompts.error(f"Could not write {path}: {err.strerror}")
            return
        self.status.setText(f"Saved the map to {path}.")

    def save_sheets(self, scope: str) -> None:
        if self.floor is None:
            return
        from reports.room_sheet import SheetOptions, room_sheets_for

        if scope == "room":
            room_id = self.selected_room()
            if room_id is None:
                self.status.setText("Click a room first, then print its sheet.")
                return
            sheet_scope = q.SheetScope(room_id=room_id)
            name = f"room-sheet-{self.floor.site_code}-{self.floor.room(room_id).number}.pdf"
        elif scope == "building":
            sheet_scope = q.SheetScope(building_id=self.floor.building_id)
            name = f"room-sheets-{self.floor.site_code}-{self.floor.building_code}.pdf"
        else:
            sheet_scope = q.SheetScope(site_code=self.floor.site_code)
            name = f"room-sheets-{self.floor.site_code}.pdf"
        path = self.prompts.save_path("Save room inventory sheets", name)
        if not path:
            return
        db, actor = self.db, current_actor()

        def work(progress):
            data = room_sheets_for(db, sheet_scope, SheetOptions(printed_by=actor), progress)
            Path(path).write_bytes(data)
            return path

        run_task(self, "Room inventory sheets", work,
                 lambda p: self.status.setText(f"Saved the room sheets to {p}."),
                 lambda err: self.prompts.error(err.message),
                 lambda: self.status.setText("The room sheets were cancelled."))


def _outlines_edited(scene: FloorScene) -> bool:
    for i in range(scene.undo_stack.index()):
        if not scene.undo_stack.command(i).text().startswith("Move "):
            return True
    return False


def _filter_choices(db: Database):
    from models.queries.register import filter_choices

    choices = filter_choices(db)
    return ([(o.key, o.label) for o in choices.funding_sources],
            [(o.key, o.label) for o in choices.classes])
