"""The main window: a navigation rail, the view it selects, a status bar. It hosts views; it
does not own their work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop import __version__
from desktop.views.home import HomeView
from desktop.views.planned import PLANNED_VIEWS, built_view
from models.actor import current_actor
from models.database import Database


class MainWindow(QMainWindow):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle(f"Common Ground — {db.display_name}")
        self.resize(1280, 800)
        self.rail = QListWidget()
        self.rail.setObjectName("rail")
        self.rail.setFixedWidth(190)
        self.stack = QStackedWidget()
        self.views: dict[str, QWidget] = {}
        self.home = HomeView(db)
        self._add_view("home", "Home", self.home, enabled=True)
        for key, label, purpose in PLANNED_VIEWS:
            view_class = built_view(key)
            if view_class is not None:
                self._add_view(key, label, view_class(db), enabled=True)
                continue
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"Coming: {purpose}")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.rail.addItem(item)
        self.rail.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.rail.setCurrentRow(0)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self._menus()
        self._status_bar()
        self.home.loaded.connect(self._update_counts)
        self.home.refresh()

    def _add_view(self, key: str, label: str, view: QWidget, *, enabled: bool) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, key)
        if not enabled:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.rail.addItem(item)
        self.stack.addWidget(view)
        self.views[key] = view

    def show_view(self, key: str) -> bool:
        for row in range(self.rail.count()):
            item = self.rail.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.rail.setCurrentRow(row)
                return True
        return False

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        refresh = QAction("&Refresh", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.home.refresh)
        view_menu.addAction(refresh)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Common Ground", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _status_bar(self) -> None:
        bar = self.statusBar()
        self.database_label = QLabel(f"Database: {self.db.display_name}")
        self.user_label = QLabel(f"User: {current_actor()}")
        self.count_label = QLabel("")
        bar.addWidget(self.database_label, 1)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.user_label)
        if self.db.read_only:
            notice = QLabel("Read-only: " + (self.db.read_only_reason or ""))
            notice.setObjectName("readOnly")
            bar.addWidget(notice)

    def _update_counts(self) -> None:
        if self.home.overview is not None:
            self.count_label.setText(f"{self.home.overview.assets:,} assets")

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Common Ground",
            f"Common Ground {__version__}\nOne asset register for the district's IT, Finance "
            f"and Facilities.\n\nDatabase: {self.db.display_name}\nSchema: {self.db.state.database_revision}",
        )
