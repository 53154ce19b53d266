"""File ▸ Connect to database: a SQLite file, or a PostgreSQL server.

The password of a server login goes to the OS credential store (keyring), never to a
file; where the machine has no credential store it is used for this session only, and the
dialog says so. Testing and connecting run off the UI thread; a failure leaves the current
connection as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL

from desktop.operations import run_operation
from desktop.settings import app_settings
from models.connection import display_url, resolve_url, store_password
from models.database import Database
from models.errors import UserError
from models.migrate import SchemaStatus

RECENT_KEY = "connections/recent"
MAX_RECENT = 8


def recent_connections() -> list[str]:
    value = app_settings().value(RECENT_KEY)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value if str(v).strip()][:MAX_RECENT]


def remember_connection(address: str) -> None:
    recent = [address, *[a for a in recent_connections() if a != address]][:MAX_RECENT]
    settings = app_settings()
    settings.setValue(RECENT_KEY, recent)
    settings.sync()


def credential_store() -> str | None:
    """The name of the OS credential store keyring would use, or None where there is none."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            return None
        return type(backend).__name__
    except Exception:  # keyring raises from its backends in many ways on a bare machine
        return None


def describe_state(db: Database) -> str:
    state = db.state
    kind = "PostgreSQL" if db.dialect == "postgresql" else "SQLite"
    text = f"Connected to {db.display_name} ({kind}); schema {state.database_revision}"
    if state.status is SchemaStatus.NEWER:
        return text + ". It was made by a newer Common Ground and will open read-only."
    return text + ", up to date."


class ConnectDialog(QDialog):
    """``connected(Database)`` fires with the newly opened database; the caller swaps to it."""

    connected = Signal(object)
    tested = Signal(bool, str)

    def __init__(self, parent: QWidget | None = None, *, current: Database | None = None,
                 address: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to database")
        self.setMinimumWidth(560)
        self.current = current
        self.busy = False
        layout = QVBoxLayout(self)
        recent_row = QHBoxLayout()
        recent_row.addWidget(QLabel("Recent"))
        self.recent = QComboBox()
        self.recent.setObjectName("recentConnections")
        self.recent.addItem("—", None)
        for item in recent_connections():
            self.recent.addItem(item, item)
        self.recent.activated.connect(lambda _i: self.fill(self.recent.currentData()))
        recent_row.addWidget(self.recent, 1)
        layout.addLayout(recent_row)
        self.kind = QButtonGroup(self)
        self.sqlite_choice = QRadioButton("A database file on this computer or a share (SQLite)")
        self.postgres_choice = QRadioButton("A shared database server (PostgreSQL)")
        self.kind.addButton(self.sqlite_choice)
        self.kind.addButton(self.postgres_choice)
        layout.addWidget(self.sqlite_choice)
        self.sqlite_box = QGroupBox()
        file_row = QHBoxLayout(self.sqlite_box)
        self.path = QLineEdit()
        self.path.setPlaceholderText("Path of a .sqlite3 file")
        browse = QPushButton("Open…")
        browse.clicked.connect(self._browse)
        new = QPushButton("New…")
        new.clicked.connect(self._new_file)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        file_row.addWidget(new)
        layout.addWidget(self.sqlite_box)
        layout.addWidget(self.postgres_choice)
        self.server_box = QGroupBox()
        form = QFormLayout(self.server_box)
        self.host = QLineEdit("localhost")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit()
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("leave empty to use the stored password")
        self.remember = QCheckBox("Remember the password in the credential store")
        store = credential_store()
        self.store_note = QLabel(
            f"Passwords are kept by the operating system ({store}), never in a file." if store else
            "This computer has no credential store: the password is used for this session only "
            "and is never written to a file.")
        self.store_note.setWordWrap(True)
        self.store_note.setObjectName("subtitle")
        self.remember.setChecked(store is not None)
        self.remember.setEnabled(store is not None)
        form.addRow("Server", self.host)
        form.addRow("Port", self.port)
        form.addRow("Database", self.database)
        form.addRow("User", self.user)
        form.addRow("Password", self.password)
        form.addRow("", self.remember)
        form.addRow("", self.store_note)
        layout.addWidget(self.server_box)
        self.result = QLabel("")
        self.result.setObjectName("connectResult")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        buttons = QHBoxLayout()
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.connect_button = QPushButton("Connect")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.connect_database)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.connect_button)
        layout.addLayout(buttons)
        self.kind.buttonToggled.connect(lambda *_: self._kind_changed())
        self.sqlite_choice.setChecked(True)
        if address:
            self.fill(address)
        elif current is not None:
            self.fill(display_url(current.url) if current.dialect == "postgresql" else current.url.database)

    # -- the form ------------------------------------------------------------------------------
    def _kind_changed(self) -> None:
        server = self.postgres_choice.isChecked()
        self.server_box.setEnabled(server)
        self.sqlite_box.setEnabled(not server)

    def fill(self, address: str | None) -> None:
        if not address:
            return
        if "://" not in address:
            self.sqlite_choice.setChecked(True)
            self.path.setText(address)
            return
        try:
            url = resolve_url(address)
        except UserError as err:
            self._show(False, err.message)
            return
        self.postgres_choice.setChecked(True)
        self.host.setText(url.host or "localhost")
        self.port.setValue(url.port or 5432)
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")
        self.password.clear()

    def url(self) -> URL:
        """The address the form describes (with the typed password, if any)."""
        if self.sqlite_choice.isChecked():
            text = self.path.text().strip()
            if not text:
                raise UserError("Choose the database file, or make a new one.")
            return resolve_url(text)
        host, database, user = self.host.text().strip(), self.database.text().strip(), self.user.text().strip()
        for value, name in ((host, "server"), (database, "database"), (user, "user")):
            if not value:
                raise UserError(f"Fill in the {name} of the PostgreSQL connection.")
        return URL.create("postgresql+psycopg", username=user, password=self.password.text() or None,
                          host=host, port=self.port.value(), database=database)

    def _browse(self) -> None:
        dialog = QFileDialog(self, "Open a Common Ground database", str(Path.home()),
                             "SQLite databases (*.sqlite3 *.sqlite *.db);;All files (*)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()

    def _new_file(self) -> None:
        dialog = QFileDialog(self, "New Common Ground database", str(Path.home() / "district.sqlite3"),
                             "SQLite databases (*.sqlite3)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("sqlite3")
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()

    def _show(self, ok: bool, message: str) -> None:
        self.result.setText(message)
        self.result.setStyleSheet("color: #1b6e2d;" if ok else "color: #b3261e;")

    def _busy(self, busy: bool, message: str = "") -> None:
        self.busy = busy
        self.test_button.setEnabled(not busy)
        self.connect_button.setEnabled(not busy)
        if message:
            self.result.setStyleSheet("")
            self.result.setText(message)

    # -- testing and connecting ----------------------------------------------------------------
    def test_connection(self) -> None:
        try:
            url = self.url()
        except UserError as err:
            self._show(False, err.message)
            self.tested.emit(False, err.message)
            return
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
            message = (f"{url.database} does not exist yet. Connect makes a new, empty register "
                       "there.")
            self._show(True, message)
            self.tested.emit(True, message)
            return

        def work() -> str:
            db = Database.open(url, create=False)
            try:
                return describe_state(db)
            finally:
                db.close()

        def done(message: str) -> None:
            self._busy(False)
            self._show(True, message)
            self.tested.emit(True, message)

        def failed(err: UserError) -> None:
            self._busy(False)
            self._show(False, err.message)
            self.tested.emit(False, err.message)

        self._busy(True, f"Connecting to {display_url(url)}…")
        run_operation(self, work, done, failed)

    def connect_database(self) -> None:
        try:
            url = self.url()
        except UserError as err:
            self._show(False, err.message)
            return
        typed_password = self.password.text()
        remember = self.remember.isChecked()

        def work() -> tuple[Database, str | None]:
            db = Database.open(url, create=True)
            note = None
            if url.get_backend_name() == "postgresql" and typed_password:
                if not remember:
                    note = "The password is used for this session only."
                elif not store_password(url, typed_password):
                    note = ("There is no credential store on this computer: the password is used "
                            "for this session only.")
            return db, note

        def done(result: tuple[Database, str | None]) -> None:
            db, note = result
            self._busy(False)
            address = display_url(db.url)
            remember_connection(address)
            self._show(True, describe_state(db) + (f" {note}" if note else ""))
            self.connected.emit(db)
            self.accept()

        def failed(err: UserError) -> None:
            self._busy(False)
            self._show(False, err.message + " You are still connected to the database you had open.")

        self._busy(True, f"Connecting to {display_url(url)}…")
        run_operation(self, work, done, failed)
