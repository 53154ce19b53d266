"""The main window around the register: rail, menus and shortcuts, status bar, window state,
read-only databases, bulk actions and scanner entry — on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QTextBrowser
from sqlalchemy import func, select

from desktop.dialogs.prompts import RecordingPrompts
from desktop.main_window import MainWindow
from models.schema import Asset, AssetStatus, HistoryEvent, Room


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMONGROUND_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COMMONGROUND_USER", "facilities")


@pytest.fixture
def demo(demo_db):
    """The demo district; background reads finish before the database is dropped."""
    yield demo_db
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QThreadPool.globalInstance().waitForDone(30_000)
    for widget in QApplication.topLevelWidgets():
        widget.deleteLater()  # with their timers: nothing may query after the database is dropped
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QThreadPool.globalInstance().waitForDone(30_000)


def _window(qtbot, db, prompts=None) -> MainWindow:
    window = MainWindow(db, prompts=prompts or RecordingPrompts())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    register = window.register
    qtbot.waitUntil(lambda: not register.asset_table.loading and register.asset_table.model.rowCount() > 0,
                    timeout=20_000)
    return window


def _close(window: MainWindow) -> None:
    window.close()


def _select_rows(window: MainWindow, rows: list[int]) -> list[int]:
    table = window.register.table
    model = table.model()
    selection = table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    return window.register.selected_asset_ids()


def test_rail_lists_every_view_and_says_what_is_coming(qtbot, demo) -> None:
    window = _window(qtbot, demo)
    labels = [window.rail.item(r).text().split("\n") for r in range(window.rail.count())]
    assert [parts[0] for parts in labels][:3] == ["Home", "Register", "Depreciation"]
    assert window.show_view("register")
    for row, parts in enumerate(labels):
        item = window.rail.item(row)
        if parts[-1] == "coming soon":  # a view not built yet: greyed, with its purpose on Home
            assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
            assert item.toolTip().startswith("Coming:")
            assert parts[0] in window.home.planned.text()
    _close(window)


def test_status_bar_shows_database_user_and_counts(qtbot, demo) -> None:
    window = _window(qtbot, demo)
    with demo.reading() as session:
        total = session.scalar(select(func.count()).select_from(Asset))
    assert demo.display_name in window.database_label.text()
    assert window.user_label.text() == "User: facilities"
    qtbot.waitUntil(lambda: window.count_label.text() == f"{total:,} assets", timeout=10_000)
    window.show_view("register")
    register = window.register
    register.search.setText("zzzz-no-such-thing")
    register._apply_search()  # noqa: SLF001 - the search box's own debounce, without waiting
    qtbot.waitUntil(lambda: window.count_label.text() == f"0 of {total:,} assets shown", timeout=10_000)
    _close(window)


def test_ctrl_f_goes_to_the_register_search(qtbot, demo) -> None:
    window = _window(qtbot, demo)
    window.activateWindow()
    assert window.current_view_key() == "home"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view_key() == "register"
    assert QApplication.focusWidget() is window.register.search
    _close(window)


def test_ctrl_n_opens_a_new_asset_and_read_only_disables_writing(qtbot, demo, monkeypatch) -> None:
    window = _window(qtbot, demo)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.editors and window.editors[-1].asset_id is None
    window.editors[-1].close()
    _close(window)

    monkeypatch.setattr(demo, "read_only", True)
    monkeypatch.setattr(type(demo), "read_only_reason", property(lambda self: "made by a newer version"))
    window = _window(qtbot, demo)
    assert not window.new_action.isEnabled()
    assert "made by a newer version" in window.new_action.toolTip()
    assert window.read_only_label.text() == "Read-only: made by a newer version"
    _select_rows(window, [0, 1])
    assert not window.bulk_actions["room"].isEnabled()
    _close(window)


def test_geometry_and_view_are_remembered(qtbot, demo) -> None:
    window = _window(qtbot, demo)
    window.resize(1190, 650)
    window.move(40, 30)
    window.show_view("register")
    window.close()
    again = _window(qtbot, demo)
    # The offscreen screen is 800 px wide, so restoring keeps the window as narrow as it can
    # be; the height (which fits) comes back exactly, not the default 800.
    assert again.height() == 650
    assert again.width() < 1280
    assert again.current_view_key() == "register"
    _close(again)


def _history(db, asset_ids, action):
    with db.reading() as session:
        rows = session.execute(select(HistoryEvent.entity_id, HistoryEvent.changes, HistoryEvent.actor)
                               .where(HistoryEvent.action == action,
                                      HistoryEvent.entity_id.in_(asset_ids))).all()
    return rows


def test_bulk_move_through_the_menu_one_event_per_asset(qtbot, demo) -> None:
    window = _window(qtbot, demo)
    window.show_view("register")
    ids = _select_rows(window, [0, 1, 2, 3])
    assert len(ids) == 4
    with demo.reading() as session:
        ids = session.scalars(select(Asset.id).where(Asset.id.in_(ids), Asset.status != AssetStatus.DISPOSED)).all()
        room = session.scalars(select(Room).order_by(Room.id.desc()).limit(1)).one()
    _select_rows(window, [window.register.asset_table.model.row_of(i) for i in ids])
    assert window.bulk_actions["room"].isEnabled()
    window.bulk_actions["room"].trigger()
    dialog = window.bulk_dialog
    assert dialog is not None and dialog.isVisible()
    field = dialog.field
    # Typed text searches off the UI thread (the completer's popup itself cannot show offscreen).
    dialog.ok.setFocus()
    field.editor.setText(room.number)
    field.editor.textEdited.emit(room.number)
    qtbot.waitUntil(lambda: len(field.found) > 0, timeout=10_000)
    label = next(text for text, key in field.found.items() if key == room.id)
    field.pick_label(label)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.bulk_task is None, timeout=20_000)
    with demo.reading() as session:
        moved = session.scalars(select(Asset.room_id).where(Asset.id.in_(ids))).all()
    assert set(moved) == {room.id}
    events = _history(demo, ids, "moved")
    assert sorted(e[0] for e in events) == sorted(ids)  # one event per asset
    assert all(json.loads(e[1])["room_id"][1] == room.id and e[2] == "facilities" for e in events)
    _close(window)


def test_bulk_status_cancelled_changes_nothing(qtbot, demo) -> None:
    window = _window(qtbot, demo)
    window.show_view("register")
    count = min(window.register.asset_table.model.rowCount(), 1200)
    table = window.register.table
    table.selectAll()
    ids = window.register.selected_asset_ids()
    with demo.reading() as session:
        live = session.scalars(select(Asset.id).where(Asset.id.in_(ids), Asset.status != AssetStatus.DISPOSED)).all()
    before = len(_history(demo, live, "status_changed"))
    assert count > 0
    from models.progress import Progress

    cancels = Progress()
    cancels.cancel()
    from desktop.dialogs import bulk

    outcome = []
    task = bulk.run_bulk(window, demo, list(live), "status", AssetStatus.IN_STORAGE,
                         lambda n: outcome.append(n), lambda e: outcome.append(e), lambda: outcome.append("cancelled"))
    task.cancel()
    qtbot.waitUntil(lambda: outcome != [], timeout=20_000)
    assert outcome == ["cancelled"]
    assert len(_history(demo, live, "status_changed")) == before
    _close(window)


def test_print_prepares_the_register_rows_as_shown(qtbot, demo) -> None:
    from desktop.dialogs.printing import register_html

    window = _window(qtbot, demo)
    table = window.register.asset_table
    ids = table.model.ids[:25]
    columns = table.visible_columns()
    text = register_html(demo, ids, columns, "Asset register", "")
    assert text.count("<tr>") == 25
    first_tag = table.model.data(table.model.index(0, columns.index("tag")))
    assert f">{first_tag}</td>" in text
    assert "$" in text  # money as money
    _close(window)


def test_file_import_opens_the_wizard_and_an_import_refreshes_the_views(qtbot, demo) -> None:
    window = _window(qtbot, demo)
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    window.import_action.trigger()
    wizard = window.import_wizard
    assert wizard.isVisible()
    refreshed: list[bool] = []
    window.home.loaded.connect(lambda: refreshed.append(True))
    with qtbot.waitSignal(window.register.totals_changed, timeout=20_000):
        wizard.imported.emit()  # what the wizard says after an import or an undo
    qtbot.waitUntil(lambda: bool(refreshed), timeout=10_000)
    depreciation = window.views["depreciation"]
    qtbot.waitUntil(lambda: not window.register.asset_table.loading and not depreciation.background.busy,
                    timeout=20_000)
    wizard.close()
    _close(window)


def test_help_shows_the_depreciation_guide(qtbot, demo) -> None:
    window = _window(qtbot, demo)
    window.show_guide("depreciation")
    text = window.guide.findChild(QTextBrowser).toPlainText()
    assert "fiscal year" in text.lower() and "#" not in text.splitlines()[0]
    window.guide.close()
    _close(window)
