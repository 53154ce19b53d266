"""The main window: a navigation rail, the view it selects, menus and a status bar. It hosts
views and opens the editor and dialogs; the views and services do the work."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.dialogs.bulk import BULK_KINDS, BulkDialog, run_bulk
from desktop.dialogs.prompts import Prompts
from desktop.editor import AssetEditor
from desktop.operations import run_operation
from desktop.dialogs.printing import print_view
from desktop.scanner import ScannerListener
from desktop.settings import app_settings
from desktop.views.home import HomeView
from desktop.views.planned import PLANNED_VIEWS, built_view
from models.actor import current_actor
from models.database import Database
from models.errors import UserError
from models.paths import resources_dir
from models.queries.assets_detail import find_asset_by_tag

READ_ONLY_TIP = "This database is open read-only: "


class MainWindow(QMainWindow):
    database_changed = Signal()

    def __init__(self, db: Database, *, prompts: Prompts | None = None) -> None:
        super().__init__()
        self.db = db
        self.prompts = prompts or Prompts()
        self.editors: list[AssetEditor] = []
        self.bulk_dialog: BulkDialog | None = None
        self.bulk_task: Any = None
        self.connect_dialog: Any = None
        self.scanner: ScannerListener | None = None
        self._owned_actions: list[QAction] = []
        self.setObjectName("mainWindow")
        self.resize(1280, 800)
        self.rail = QListWidget()
        self.rail.setObjectName("rail")
        self.rail.setFixedWidth(200)
        self.rail.setWordWrap(True)
        self.stack = QStackedWidget()
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self.rail.currentRowChanged.connect(self._rail_changed)
        self._status_bar()
        self._build_views()
        self._menus()
        self._apply_access()
        self._restore_geometry()

    # -- views ---------------------------------------------------------------------------------
    def _build_views(self) -> None:
        self.rail.blockSignals(True)
        self.rail.clear()
        while self.stack.count():
            old = self.stack.widget(0)
            self.stack.removeWidget(old)
            old.deleteLater()
        self.rail.blockSignals(False)
        self.views: dict[str, QWidget] = {}
        self.rail_keys: list[str] = []
        self.home = HomeView(self.db)
        self._add_view("home", "Home", self.home)
        planned: list[tuple[str, str]] = []
        for key, label, purpose in PLANNED_VIEWS:
            view_class = built_view(key)
            if view_class is not None:
                self._add_view(key, label, view_class(self.db))
                continue
            item = QListWidgetItem(f"{label}\ncoming soon")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"Coming: {purpose}")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.rail.addItem(item)
            self.rail_keys.append(key)
            planned.append((label, purpose))
        self.home.show_planned(planned)
        self.home.loaded.connect(self._update_counts)
        for view in self.views.values():  # any view that lists assets opens them in the editor
            if hasattr(view, "asset_activated"):
                view.asset_activated.connect(self.edit_asset)
        self.register = self.views.get("register")
        if self.register is not None:
            self.register.counts_changed.connect(self._register_counts)
            self.scanner = ScannerListener(self.register)
            self.scanner.scanned.connect(self.scanned_tag)
            # The window's Export (Ctrl+E) works from every view; the register's own would
            # make the shortcut ambiguous while the register has focus.
            export = getattr(self.register, "export_action", None)
            if isinstance(export, QAction):
                export.setShortcut(QKeySequence())
        self.rail.setCurrentRow(0)
        self.home.refresh()

    def _add_view(self, key: str, label: str, view: QWidget) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.rail.addItem(item)
        self.rail_keys.append(key)
        self.stack.addWidget(view)
        self.views[key] = view

    def _rail_changed(self, row: int) -> None:
        if 0 <= row < len(self.rail_keys):
            view = self.views.get(self.rail_keys[row])
            if view is not None:
                self.stack.setCurrentWidget(view)
        self._update_actions()

    def current_view_key(self) -> str:
        row = self.rail.currentRow()
        return self.rail_keys[row] if 0 <= row < len(self.rail_keys) else "home"

    def show_view(self, key: str) -> bool:
        for row in range(self.rail.count()):
            item = self.rail.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.rail.setCurrentRow(row)
                return True
        return False

    # -- menus ---------------------------------------------------------------------------------
    def _action(self, text: str, slot: Any, shortcut: Any = None, menu: QMenu | None = None) -> QAction:
        action = QAction(text, self)
        self._owned_actions.append(action)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if menu is not None:
            menu.addAction(action)
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.connect_action = self._action("&Connect to database…", self.connect_database,
                                           "Ctrl+Shift+O", file_menu)
        self.recent_menu = file_menu.addMenu("Recent &databases")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.new_action = self._action("&New asset…", self.new_asset, QKeySequence.StandardKey.New, file_menu)
        self.import_action = self._action("&Import spreadsheets…", self.import_spreadsheets, "Ctrl+I", file_menu)
        self.export_action = self._action("&Export register…", self.export_register, "Ctrl+E", file_menu)
        self.print_action = self._action("&Print…", self.print_current, QKeySequence.StandardKey.Print, file_menu)
        file_menu.addSeparator()
        self._action("&Quit", self.close, QKeySequence.StandardKey.Quit, file_menu)
        edit_menu = bar.addMenu("&Edit")
        self.find_action = self._action("&Find in register", self.find, QKeySequence.StandardKey.Find, edit_menu)
        self.open_action = self._action("&Open selected asset", self._open_selected, "Ctrl+O", edit_menu)
        self.assets_menu = bar.addMenu("&Assets")
        self.assets_menu.addAction(self.new_action)
        self.assets_menu.addAction(self.open_action)
        self.assets_menu.addSeparator()
        self.bulk_actions: dict[str, QAction] = {}
        for kind in BULK_KINDS:
            action = self._action(kind.menu_text, lambda _c=False, k=kind.key: self.bulk(k), None, self.assets_menu)
            self.bulk_actions[kind.key] = action
        self.print_tags_action = QAction("Print tags (comes with Inventory)", self)
        self._owned_actions.append(self.print_tags_action)
        self.print_tags_action.setEnabled(False)
        self.print_tags_action.setToolTip("Asset labels with barcodes come with the Inventory view.")
        self.assets_menu.addAction(self.print_tags_action)
        if self.register is not None:
            # One entry in the register's toolbar and context menu, holding the bulk changes.
            self.selection_menu = QMenu(self)
            self.selection_menu.addActions([*self.bulk_actions.values(), self.print_tags_action])
            self.change_selected = self._action("Change selected", lambda: None)
            self.change_selected.setMenu(self.selection_menu)
            self.register.add_selection_action(self.change_selected)
            self.register.selection_changed.connect(self._update_actions)
        view_menu = bar.addMenu("&View")
        self._action("&Refresh", self.refresh, QKeySequence.StandardKey.Refresh, view_menu)
        view_menu.addSeparator()
        for number, key in enumerate(self.rail_keys[:9], 1):
            label = self.rail.item(number - 1).text().split("\n")[0]
            action = self._action(label, lambda _c=False, k=key: self.show_view(k), f"Ctrl+{number}", view_menu)
            action.setEnabled(key in self.views)
        help_menu = bar.addMenu("&Help")
        self._action("&Depreciation guide", lambda: self.show_guide("depreciation"), None, help_menu)
        self._action("&About Common Ground", self._about, None, help_menu)
        self._update_actions()

    def _apply_access(self) -> None:
        """On a read-only database every action that writes is off, and says why."""
        reason = self.db.read_only_reason if self.db.read_only else None
        writers = [self.new_action, self.import_action, *self.bulk_actions.values()]
        for action in writers:
            action.setToolTip(READ_ONLY_TIP + reason if reason else "")
        self.read_only_label.setText(f"Read-only: {reason}" if reason else "")
        self.read_only_label.setVisible(bool(reason))
        self._update_actions()

    def _update_actions(self) -> None:
        if not hasattr(self, "new_action"):
            return
        writable = not self.db.read_only
        has_register = self.register is not None
        selected = bool(has_register and self.register.selected_asset_ids())
        self.new_action.setEnabled(writable)
        self.import_action.setEnabled(writable)
        for action in self.bulk_actions.values():
            action.setEnabled(writable and selected)
        self.find_action.setEnabled(has_register)
        self.export_action.setEnabled(has_register)
        self.open_action.setEnabled(selected)
        self.print_tags_action.setEnabled(False)

    # -- status bar ----------------------------------------------------------------------------
    def _status_bar(self) -> None:
        bar = self.statusBar()
        self.database_label = QLabel("")
        self.user_label = QLabel(f"User: {current_actor()}")
        self.count_label = QLabel("")
        self.count_label.setObjectName("rowCounts")
        self.read_only_label = QLabel("")
        self.read_only_label.setObjectName("readOnly")
        self.read_only_label.setWordWrap(False)
        bar.addWidget(self.database_label)
        bar.addWidget(self.read_only_label, 1)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.user_label)
        self._show_database()

    def _show_database(self) -> None:
        kind = "PostgreSQL" if self.db.dialect == "postgresql" else "SQLite"
        self.database_label.setText(f"Database: {self.db.display_name} ({kind})")
        self.setWindowTitle(f"Common Ground — {self.db.display_name}")

    def _update_counts(self) -> None:
        if self.register is None and self.home.overview is not None:
            self.count_label.setText(f"{self.home.overview.assets:,} assets")

    def _register_counts(self, shown: int, total: int) -> None:
        if shown == total:
            self.count_label.setText(f"{total:,} assets")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} assets shown")

    # -- actions -------------------------------------------------------------------------------
    def find(self) -> None:
        if self.register is not None and self.show_view("register"):
            self.register.focus_search()

    def export_register(self) -> None:
        if self.register is not None and self.show_view("register"):
            self.register.export_dialog()

    def print_current(self) -> None:
        view = self.stack.currentWidget()
        print_view(self, self.db, view, self.prompts)

    def refresh(self) -> None:
        """Every view shows the database as it is now (after an import, an undo, a swap)."""
        self.home.refresh()
        for view in self.views.values():
            if view is not self.home and hasattr(view, "refresh"):
                view.refresh()

    def import_spreadsheets(self) -> None:
        from desktop.views.import_wizard import open_import_wizard

        try:
            self.import_wizard = open_import_wizard(self, self.db)
        except UserError as err:
            self.prompts.inform(self, "Import", err.message, error=True)
            return
        self.import_wizard.imported.connect(self.refresh)

    def show_guide(self, name: str) -> None:
        """A user guide from resources/help, rendered from its Markdown."""
        path = resources_dir() / "help" / f"{name}.md"
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Common Ground — {name.capitalize()} guide")
        browser = QTextBrowser(dialog)
        browser.setOpenExternalLinks(True)
        browser.setMarkdown(path.read_text(encoding="utf-8"))
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        dialog.resize(760, 640)
        dialog.show()
        self.guide = dialog

    def _open_selected(self) -> None:
        if self.register is not None:
            ids = self.register.selected_asset_ids()
            if ids:
                self.edit_asset(ids[0])

    def edit_asset(self, asset_id: int) -> AssetEditor:
        for editor in self.editors:
            if editor.asset_id == asset_id and editor.isVisible():
                editor.raise_()
                editor.activateWindow()
                return editor
        return self._open_editor(AssetEditor(self.db, asset_id, prompts=self.prompts, parent=self))

    def new_asset(self, _checked: bool = False, *, tag: str | None = None) -> AssetEditor | None:
        if self.db.read_only:
            self.prompts.inform(self, "New asset", self.db.read_only_reason or "Read-only.", error=True)
            return None
        initial = {"tag": tag} if tag else None
        return self._open_editor(AssetEditor(self.db, None, initial=initial, prompts=self.prompts, parent=self))

    def _open_editor(self, editor: AssetEditor) -> AssetEditor:
        editor.setModal(False)
        editor.saved.connect(self._asset_saved)
        editor.deleted.connect(lambda _id: self.refresh())
        editor.duplicated.connect(self._open_editor)
        editor.finished.connect(lambda _r, e=editor: self._editor_closed(e))
        self.editors.append(editor)
        editor.show()
        return editor

    def _editor_closed(self, editor: AssetEditor) -> None:
        if editor in self.editors:
            self.editors.remove(editor)
        editor.deleteLater()

    def _asset_saved(self, asset_id: int) -> None:
        self.home.refresh()
        if self.register is not None:
            self.register.refresh()
            self.register.show_asset(asset_id)

    def scanned_tag(self, tag: str) -> None:
        """A scanner read ``tag`` in the register: open that asset, or offer to add it."""
        self.statusBar().showMessage(f"Scanned {tag}", 4000)

        def found(asset_id: int | None) -> None:
            if asset_id is not None:
                self.edit_asset(asset_id)
                return
            if self.db.read_only:
                self.prompts.inform(self, "Unknown tag", f"No asset has the tag {tag}.", error=True)
                return
            self.prompts.confirm(
                self, "Unknown tag",
                f"No asset in the register has the tag {tag}. Add a new asset with this tag?",
                lambda: self.new_asset(tag=tag), yes="Add asset")

        run_operation(self, lambda: find_asset_by_tag(self.db, tag), found, self._error)

    def bulk(self, kind: str) -> None:
        if self.register is None or self.db.read_only:
            return
        ids = self.register.selected_asset_ids()
        if not ids:
            self.prompts.inform(self, "Nothing selected", "Select the assets to change in the register first.")
            return
        dialog = BulkDialog(self.db, kind, len(ids), self)
        dialog.chosen.connect(lambda value: self._run_bulk(kind, ids, value))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.bulk_dialog = dialog
        dialog.open()

    def _run_bulk(self, kind: str, ids: list[int], value: Any) -> None:
        def done(changed: int) -> None:
            self.bulk_task = None
            self.statusBar().showMessage(f"Changed {changed:,} of {len(ids):,} assets.", 8000)
            self.refresh()

        def cancelled() -> None:
            self.bulk_task = None
            self.statusBar().showMessage("Cancelled: no asset was changed.", 8000)

        def failed(err: UserError) -> None:
            self.bulk_task = None
            self.prompts.inform(self, "Nothing was changed", err.message, error=True)

        self.bulk_task = run_bulk(self, self.db, ids, kind, value, done, failed, cancelled)

    def _error(self, err: UserError) -> None:
        self.prompts.inform(self, "Common Ground", err.message, error=True)

    # -- connecting ----------------------------------------------------------------------------
    def connect_database(self) -> None:
        from desktop.dialogs.connect import ConnectDialog

        dialog = ConnectDialog(self, current=self.db)
        dialog.connected.connect(self.switch_database)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.connect_dialog = dialog
        dialog.open()

    def _fill_recent(self) -> None:
        from desktop.dialogs.connect import recent_connections

        self.recent_menu.clear()
        recent = recent_connections()
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for address in recent:
            self.recent_menu.addAction(address, lambda a=address: self._open_recent(a))

    def _open_recent(self, address: str) -> None:
        from desktop.dialogs.connect import ConnectDialog

        dialog = ConnectDialog(self, current=self.db, address=address)
        dialog.connected.connect(self.switch_database)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.connect_dialog = dialog
        dialog.open()

    def switch_database(self, db: Database) -> None:
        """Show ``db`` from now on; the old one is closed once its views are gone."""
        for editor in list(self.editors):
            editor.close()
        old = self.db
        self.db = db
        self.menuBar().clear()
        for action in self._owned_actions:
            action.deleteLater()
        self._owned_actions = []
        self._build_views()
        self._menus()
        self._show_database()
        self._apply_access()
        self.count_label.setText("")
        QTimer.singleShot(0, old.close)
        self.database_changed.emit()

    # -- window state --------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = app_settings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        view = settings.value("window/view")
        if isinstance(view, str) and view != "home":
            self.show_view(view)

    def save_window_state(self) -> None:
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/view", self.current_view_key())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_window_state()
        for editor in list(self.editors):
            editor.close()
        super().closeEvent(event)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Common Ground",
            f"Common Ground {__version__}\nOne asset register for the district's IT, Finance "
            f"and Facilities.\n\nDatabase: {self.db.display_name}\nSchema: {self.db.state.database_revision}",
        )
