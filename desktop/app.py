"""Starting the desktop app: open the database, show the main window (or render it to a PNG)."""

from __future__ import annotations

import argparse
import os
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QProgressDialog
from sqlalchemy.engine import URL

from desktop import __version__
from desktop.operations import run_operation, wait_for_background_work
from models import paths
from models.connection import display_url
from models.database import Database
from models.actor import current_actor
from models.errors import UserError

log = logging.getLogger("commonground")
DEMO_ASSETS = 20_000
EDITOR_VIEW = "editor"  # --view editor: the asset editor over a demo asset


def run_app(args: argparse.Namespace) -> int:
    _set_up_logging()
    if args.screenshot:  # a picture needs no screen: render offscreen unless told otherwise
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Common Ground")
    app.setOrganizationName("CommonGround")
    app.setApplicationVersion(__version__)
    _apply_style(app)
    headless = bool(args.screenshot)
    sys.excepthook = _crash_handler(headless)
    try:
        db = _open_database(args, headless)
    except UserError as err:
        return _refuse(err.message, headless)
    from desktop.main_window import MainWindow

    window = MainWindow(db)
    if args.view == EDITOR_VIEW:
        if headless:
            return _editor_screenshot(window, Path(args.screenshot))
        window.show_view("register")
    elif args.view != "home" and not window.show_view(args.view):
        print(f"commonground: there is no '{args.view}' view yet; showing Home.", file=sys.stderr)
    if headless:
        return _screenshot(window, Path(args.screenshot))
    window.show()
    try:
        return app.exec()
    finally:
        wait_for_background_work()


def _open_database(args: argparse.Namespace, headless: bool) -> Database:
    if args.demo and not args.db:
        return _open_demo(headless)
    return Database.open(args.db, prompt=None if headless else _password_dialog)


def _open_demo(headless: bool) -> Database:
    """The demo district in the user's data folder, generated on first use."""
    from desktop.commands.demo import open_for_demo
    from models.demo import DemoOptions, generate_demo
    from models.queries.overview import district_overview

    db = open_for_demo(str(paths.demo_database_path()))
    if district_overview(db, recent_limit=0).assets:
        return db
    dialog = None if headless else QProgressDialog("Creating the demo district…", "", 0, DEMO_ASSETS)
    if dialog is not None:
        dialog.setCancelButton(None)
        dialog.setWindowTitle("Common Ground")
        dialog.setMinimumDuration(500)
    loop = QEventLoop()
    outcome: list[BaseException | None] = []

    def progress(stage: str, done: int, total: int) -> None:
        if dialog is not None:
            QTimer.singleShot(0, dialog, lambda: (dialog.setLabelText(f"{stage}…"), dialog.setValue(done)))

    run_operation(
        QApplication.instance(),
        lambda: generate_demo(db, DemoOptions(assets=DEMO_ASSETS, seed=1, owner=current_actor()), progress),
        lambda _summary: (outcome.append(None), loop.quit()),
        lambda err: (outcome.append(err), loop.quit()),
    )
    loop.exec()
    if dialog is not None:
        dialog.close()
    if outcome and outcome[0] is not None:
        raise outcome[0]
    return db


def _password_dialog(url: URL) -> str | None:
    text, ok = QInputDialog.getText(
        None, "Database password", f"Password for {display_url(url)}:", QLineEdit.EchoMode.Password
    )
    return text if ok and text else None


def _screenshot(window, path: Path) -> int:
    """Render the window offscreen once its data has arrived, save it, exit."""
    window.resize(1280, 800)
    window.show()
    _wait_until_loaded(window)
    QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        print(f"commonground: could not write {path}", file=sys.stderr)
        return 1
    print(f"Saved {path}")
    _close(window)
    return 0


def _close(window) -> None:
    """After a screenshot: let queries still running finish before the database and the
    application go (a job reporting to a relay the exiting application has deleted fails)."""
    wait_for_background_work()
    window.db.close()


def _wait_until_loaded(window, timeout_ms: int = 30_000) -> None:
    """Wait for the home overview and for the view on show, when it has a ``loaded`` signal
    (the register's through its asset table, and its totals line through ``totals_changed``)."""
    view = window.stack.currentWidget()
    signals = []
    if window.home.overview is None:
        signals.append(window.home.loaded)
    if view is not window.home:
        for source in (view, getattr(view, "asset_table", None)):
            signal = getattr(source, "loaded", None)
            if signal is not None and hasattr(signal, "connect"):
                signals.append(signal)
                break
        totals = getattr(view, "totals_changed", None)  # the register's totals line comes last
        if totals is not None and hasattr(totals, "connect"):
            signals.append(totals)
    pending = len(signals)
    if not pending:
        return
    loop = QEventLoop()

    def one_loaded(*_args: object) -> None:
        nonlocal pending
        pending -= 1
        if pending <= 0:
            loop.quit()

    for signal in signals:
        signal.connect(one_loaded)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    for _ in range(3):  # let the last rows and charts paint
        QApplication.processEvents()


def _editor_screenshot(window, path: Path) -> int:
    """The asset editor over a representative demo asset (one with funding and a history)."""
    from models.queries.assets_detail import sample_asset_id

    window.resize(1280, 800)
    window.show()
    asset_id = sample_asset_id(window.db)
    if asset_id is None:
        print("commonground: this database has no asset to show in the editor.", file=sys.stderr)
        return 2
    editor = window.edit_asset(asset_id)
    loop = QEventLoop()
    editor.loaded.connect(loop.quit)
    QTimer.singleShot(30_000, loop.quit)
    if editor.choices is None:
        loop.exec()
    editor.resize(820, 680)
    QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = editor.grab().save(str(path))
    for tab in range(1, editor.tabs.count()):  # every group, next to the first picture
        editor.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        editor.grab().save(str(path.with_name(f"{path.stem}-{tab}{path.suffix}")))
    if not saved:
        print(f"commonground: could not write {path}", file=sys.stderr)
        return 1
    print(f"Saved {path}")
    editor.close()
    window.close()
    _close(window)
    return 0


def _refuse(message: str, headless: bool) -> int:
    if headless:
        print(f"commonground: {message}", file=sys.stderr)
    else:
        QMessageBox.critical(None, "Common Ground", message)
    return 2


def _set_up_logging() -> None:
    logging.basicConfig(
        filename=paths.log_dir() / "commonground.log",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _crash_handler(headless: bool):
    def handle(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if isinstance(error, UserError):
            _refuse(error.message, headless)
            return
        text = "".join(traceback.format_exception(kind, error, tb))
        log.error("unexpected error\n%s", text)
        if headless:
            print(text, file=sys.stderr)
            QApplication.exit(70)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "Common Ground — unexpected error",
                          "Something went wrong that Common Ground did not expect. Your saved work "
                          f"is safe. The details are in {paths.log_dir() / 'commonground.log'}.")
        box.setDetailedText(text)
        box.exec()

    return handle


def _apply_style(app: QApplication) -> None:
    style = paths.resources_dir() / "styles" / "app.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
