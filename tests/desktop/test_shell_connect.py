"""File ▸ Connect: testing a connection, connecting (the window swaps over), failures that
leave the current connection alone, recent connections, no password on disk."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from desktop.dialogs.connect import ConnectDialog, recent_connections
from desktop.dialogs.prompts import RecordingPrompts
from desktop.main_window import MainWindow
from models.connection import display_url


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMONGROUND_HOME", str(tmp_path / "home"))


@pytest.fixture
def drained():
    yield
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QThreadPool.globalInstance().waitForDone(30_000)


def _test(qtbot, dialog: ConnectDialog) -> tuple[bool, str]:
    with qtbot.waitSignal(dialog.tested, timeout=20_000) as result:
        dialog.test_button.click()
    return tuple(result.args)


def test_test_connection_succeeds_on_a_district_database(qtbot, demo_url, drained) -> None:
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    address = display_url(demo_url) if demo_url.get_backend_name() == "postgresql" else demo_url.database
    dialog.fill(address)
    assert dialog.postgres_choice.isChecked() == (demo_url.get_backend_name() == "postgresql")
    ok, message = _test(qtbot, dialog)
    assert ok, message
    assert message.startswith("Connected to ") and "up to date" in message
    assert dialog.result.text() == message


def test_test_connection_failures_are_plain(qtbot, pg_empty_url, drained) -> None:
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.postgres_choice.setChecked(True)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(1)
    dialog.database.setText("district")
    dialog.user.setText("clerk")
    ok, message = _test(qtbot, dialog)
    assert not ok
    assert message.startswith("Could not open the database postgresql://clerk@127.0.0.1:1/district")
    assert "Traceback" not in message

    dialog.port.setValue(pg_empty_url.port or 5432)
    dialog.host.setText(pg_empty_url.host)
    dialog.user.setText(pg_empty_url.username)
    dialog.database.setText(pg_empty_url.database)
    ok, message = _test(qtbot, dialog)
    assert not ok and "has no Common Ground tables" in message and "commonground db upgrade" in message

    dialog.database.setText("")
    ok, message = _test(qtbot, dialog)
    assert not ok and message == "Fill in the database of the PostgreSQL connection."


def test_connecting_swaps_the_window_and_failing_keeps_it(qtbot, demo_db, tmp_path, drained) -> None:
    window = MainWindow(demo_db, prompts=RecordingPrompts())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.register.asset_table.loading, timeout=20_000)
    window.connect_database()
    dialog = window.connect_dialog
    dialog.postgres_choice.setChecked(True)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(1)
    dialog.database.setText("nowhere")
    dialog.user.setText("clerk")
    dialog.password.setText("secret")
    dialog.connect_button.click()
    qtbot.waitUntil(lambda: dialog.connect_button.isEnabled(), timeout=20_000)
    assert "still connected to the database you had open" in dialog.result.text()
    assert window.db is demo_db and dialog.isVisible()

    new_file = tmp_path / "other district.sqlite3"
    dialog.sqlite_choice.setChecked(True)
    dialog.path.setText(str(new_file))
    ok, message = _test(qtbot, dialog)
    assert ok and "does not exist yet" in message and not new_file.exists()
    with qtbot.waitSignal(window.database_changed, timeout=20_000):
        dialog.connect_button.click()
    assert window.db is not demo_db
    assert window.db.url.database == str(new_file)
    assert str(new_file) in window.database_label.text()
    qtbot.waitUntil(lambda: not window.register.asset_table.loading, timeout=20_000)
    qtbot.waitUntil(lambda: window.count_label.text() == "0 assets", timeout=20_000)
    assert recent_connections()[0] == str(new_file)
    settings_text = (tmp_path / "home").rglob("settings.ini")
    assert all("secret" not in p.read_text() for p in settings_text)
    window.close()
    window.db.close()
