"""Scanner input in the register: a fast burst ending in Enter opens the asset; a person
typing the same keys in the search box is left alone; an unknown tag offers creation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from sqlalchemy import select

from desktop.dialogs.prompts import RecordingPrompts
from desktop.main_window import MainWindow
from desktop.scanner import ScannerListener
from models.schema import Asset


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _keys(qtbot, widget, text: str, clock: FakeClock, gap_ms: float, enter: bool = True) -> None:
    for char in text:
        clock.now += gap_ms / 1000
        qtbot.keyClick(widget, char)
    if enter:
        clock.now += gap_ms / 1000
        qtbot.keyClick(widget, Qt.Key.Key_Return)


@pytest.fixture
def scoped(qtbot):
    host = QWidget()
    line = QLineEdit(host)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    line.setFocus()
    clock = FakeClock()
    listener = ScannerListener(host, max_interval_ms=40, min_length=4, clock=clock)
    scans: list[str] = []
    listener.scanned.connect(scans.append)
    returns: list[bool] = []
    line.returnPressed.connect(lambda: returns.append(True))
    return line, clock, scans, returns


def test_a_fast_burst_is_a_scan_and_leaves_the_box_as_it_was(qtbot, scoped) -> None:
    line, clock, scans, returns = scoped
    line.setText("chrome")
    line.end(False)
    _keys(qtbot, line, "CG-00042", clock, gap_ms=8)
    qtbot.waitUntil(lambda: scans == ["CG-00042"], timeout=2000)
    assert line.text() == "chrome"  # the scanned characters were taken back out
    assert returns == []  # the Enter belonged to the scan


def test_a_person_typing_is_not_a_scan(qtbot, scoped) -> None:
    line, clock, scans, returns = scoped
    _keys(qtbot, line, "CG-00042", clock, gap_ms=140)
    qtbot.wait(20)
    assert scans == [] and line.text() == "CG-00042" and returns == [True]


def test_a_pause_in_the_middle_or_a_short_burst_is_not_a_scan(qtbot, scoped) -> None:
    line, clock, scans, _returns = scoped
    _keys(qtbot, line, "CG-0", clock, gap_ms=5, enter=False)
    clock.now += 0.5  # half a second: a person
    _keys(qtbot, line, "0042", clock, gap_ms=5)
    qtbot.wait(20)
    assert scans == ["0042"]  # only the fast part after the pause counts, if long enough
    scans.clear()
    line.clear()
    _keys(qtbot, line, "CG1", clock, gap_ms=5)  # shorter than min_length
    qtbot.wait(20)
    assert scans == []


def test_the_threshold_is_a_setting(qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COMMONGROUND_HOME", str(tmp_path))
    from desktop.settings import app_settings

    settings = app_settings()
    settings.setValue("scanner/max_key_interval_ms", 120)
    settings.setValue("scanner/min_length", 6)
    settings.sync()
    host = QWidget()
    qtbot.addWidget(host)
    listener = ScannerListener(host)
    assert (listener.max_interval_ms, listener.min_length) == (120, 6)


@pytest.fixture
def demo(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("COMMONGROUND_HOME", str(tmp_path / "home"))
    yield demo_db
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QThreadPool.globalInstance().waitForDone(30_000)


def _register_window(qtbot, db, prompts):
    window = MainWindow(db, prompts=prompts)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.show_view("register")
    register = window.register
    qtbot.waitUntil(lambda: not register.asset_table.loading, timeout=20_000)
    clock = FakeClock()
    window.scanner.clock = clock
    register.focus_search()
    return window, clock


def test_scanning_a_tag_in_the_register_search_opens_the_asset(qtbot, demo) -> None:
    with demo.reading() as session:
        asset_id, tag = session.execute(select(Asset.id, Asset.tag).order_by(Asset.id.desc()).limit(1)).one()
    window, clock = _register_window(qtbot, demo, RecordingPrompts())
    search = window.register.search
    assert QApplication.focusWidget() is search
    _keys(qtbot, search, tag, clock, gap_ms=6)
    qtbot.waitUntil(lambda: any(e.asset_id == asset_id for e in window.editors), timeout=10_000)
    editor = next(e for e in window.editors if e.asset_id == asset_id)
    qtbot.waitUntil(lambda: editor.detail is not None, timeout=10_000)
    assert editor.fields["tag"].editor.text() == tag
    assert search.text() == ""


def test_an_unknown_tag_offers_to_create_it(qtbot, demo) -> None:
    prompts = RecordingPrompts(answer=True)
    window, clock = _register_window(qtbot, demo, prompts)
    _keys(qtbot, window.register.search, "ZZ-404-404", clock, gap_ms=6)
    qtbot.waitUntil(lambda: bool(prompts.asked), timeout=10_000)
    title, text = prompts.asked[0]
    assert title == "Unknown tag"
    assert "No asset in the register has the tag ZZ-404-404" in text
    new = window.editors[-1]
    assert new.asset_id is None
    qtbot.waitUntil(lambda: new.choices is not None, timeout=10_000)
    assert new.fields["tag"].editor.text() == "ZZ-404-404"


def test_a_person_typing_a_tag_in_the_search_box_just_searches(qtbot, demo) -> None:
    with demo.reading() as session:
        tag = session.scalar(select(Asset.tag).order_by(Asset.id).limit(1))
    window, clock = _register_window(qtbot, demo, RecordingPrompts())
    _keys(qtbot, window.register.search, tag, clock, gap_ms=150)
    qtbot.wait(50)
    assert window.editors == []
    assert window.register.search.text() == tag
