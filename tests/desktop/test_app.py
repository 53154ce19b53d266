"""The app shell: main window over a real database, screenshot mode, the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from desktop.commands.demo import open_for_demo
from models.demo import DemoOptions, generate_demo
from models.schema import Asset, AssetStatus, Site


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("app") / "demo.sqlite3"
    db = open_for_demo(str(path))
    generate_demo(db, DemoOptions(assets=600, seed=3))
    db.close()
    return path


def test_main_window_shows_the_district_as_the_database_has_it(qtbot, demo_file: Path) -> None:
    from desktop.main_window import MainWindow
    from models.database import Database

    db = Database.open(str(demo_file))
    window = MainWindow(db)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.home.loaded, timeout=10_000):
        pass
    with db.reading() as session:
        assets = session.scalar(select(func.count()).select_from(Asset))
        sites = session.scalar(select(func.count()).select_from(Site))
        disposed = session.scalar(
            select(func.count()).select_from(Asset).where(Asset.status == AssetStatus.DISPOSED)
        )
    assert window.home.title.text() == "Riverside Unified School District"
    assert window.count_label.text() == f"{assets:,} assets"
    values = [window.home.tiles.itemAt(i).widget() for i in range(window.home.tiles.count())]
    texts = [w.findChildren(type(window.home.title))[0].text() for w in values]
    assert texts[0] == f"{assets:,}" and texts[2] == f"{sites:,}"
    status_rows = {
        window.home.status.item(r, 0).text(): window.home.status.item(r, 1).text()
        for r in range(window.home.status.rowCount())
    }
    assert status_rows.get("Disposed") == f"{disposed:,}"
    db.close()


def test_views_not_built_yet_are_listed_but_cannot_be_opened(qtbot, demo_file: Path, tmp_path, monkeypatch) -> None:
    from desktop.main_window import MainWindow
    from desktop.views.planned import PLANNED_VIEWS, built_view
    from models.database import Database

    monkeypatch.setenv("COMMONGROUND_HOME", str(tmp_path))
    db = Database.open(str(demo_file))
    window = MainWindow(db)
    qtbot.addWidget(window)
    qtbot.waitSignal(window.home.loaded, timeout=10_000).wait()
    labels = [window.rail.item(r).text().split("\n")[0] for r in range(window.rail.count())]
    assert labels == ["Home", *[label for _key, label, _purpose in PLANNED_VIEWS]]
    assert window.show_view("register") is True
    for row, (key, label, purpose) in enumerate(PLANNED_VIEWS, 1):
        item = window.rail.item(row)
        if built_view(key) is None:
            assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
            assert item.text() == f"{label}\ncoming soon" and item.toolTip() == f"Coming: {purpose}"
            assert purpose in window.home.planned.text()
            assert window.show_view(key) is False
    window.close()
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(30_000)
    db.close()


def test_screenshot_of_the_editor_on_a_demo_asset(tmp_path: Path, demo_file: Path) -> None:
    out = tmp_path / "editor.png"
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--basedir", str(tmp_path / "home"),
         "--db", str(demo_file), "--screenshot", str(out), "--view", "editor"],
        capture_output=True, text=True, timeout=120,
        env={**_env(), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert image.width() >= 800 and image.height() >= 600
    assert (tmp_path / "editor-5.png").exists()  # the History tab


def test_screenshot_option_writes_a_png_of_the_window(tmp_path: Path, demo_file: Path) -> None:
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--basedir", str(tmp_path / "home"),
         "--db", str(demo_file), "--screenshot", str(out)],
        capture_output=True, text=True, timeout=120,
        env={**_env(), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert image.width() >= 1200 and image.height() >= 700


def test_a_database_that_cannot_be_opened_is_a_plain_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--basedir", str(tmp_path),
         "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "--screenshot", str(tmp_path / "x.png")],
        capture_output=True, text=True, timeout=60,
        env={**_env(), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 2
    assert "Could not open the database postgresql://nobody@127.0.0.1:1/none" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_is_printed_without_loading_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c",
         "import sys; from desktop.cli import main\n"
         "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
         "print('PySide6' in sys.modules)"],
        capture_output=True, text=True, timeout=60, env=_env(),
    )
    assert result.stdout.startswith("Common Ground 0.1.0")
    assert result.stdout.strip().endswith("False")


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "COMMONGROUND_HOME"}


def test_a_demo_made_by_an_earlier_version_is_brought_up_to_date(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from models.migrate import app_revision, schema_state, upgrade

    path = tmp_path / "demo.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, "0006_import_lookup")  # as an earlier version left it
    engine.dispose()
    db = open_for_demo(str(path))
    try:
        with db.engine.connect() as connection:
            assert schema_state(connection).database_revision == app_revision()
        assert not db.read_only
    finally:
        db.close()
