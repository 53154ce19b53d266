"""``--self-test``: prove that this build of Common Ground works, end to end, offscreen.

A frozen bundle can look complete and still lack a module PyInstaller did not
see (a barcode symbology, a matplotlib backend, a migration script). The
self-test exercises every such part the way a clerk's session would: in a
temporary folder it makes a small demo district, opens the main window, shows
the register and the depreciation view, computes a schedule with a known
answer, writes a room sheet PDF and checks the asset tag in it, loads every
migration and draws a barcode and a chart with each backend.

Each step passes or fails on its own, with a message that names what broke. Any
exception, any Qt warning and any Python warning fails the step it happened in.
A step whose part of the app is not built yet fails with "not built yet: …" so
a release cannot ship without it.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from models import paths

DEMO_ASSETS = 300
DEMO_SEED = 7
WAIT_SECONDS = 60.0

# What the frozen program needs but imports only lazily, by name, or from a plugin table:
# if one is missing from the bundle, the clerk would meet it as a crash mid-report.
REQUIRED_MODULES = (
    "reportlab.graphics.barcode.code128",
    "reportlab.graphics.barcode.code39",
    "reportlab.graphics.barcode.qr",
    "reportlab.graphics.barcode.widgets",
    "reportlab.graphics.renderPDF",
    "reportlab.graphics.renderPM",
    "reportlab.pdfbase.ttfonts",
    "reportlab.platypus",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_pdf",
    "matplotlib.backends.backend_svg",
    "matplotlib.backends.backend_qtagg",
    "alembic.runtime.migration",
    "alembic.ddl.sqlite",
    "alembic.ddl.postgresql",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
    "keyring",
    "platformdirs",
    "pandas",
    "numpy",
    "openpyxl",
    "python_calamine",
    "charset_normalizer",
)

# Qt messages that say nothing about our program (the offscreen platform cannot honour hints).
IGNORED_QT_MESSAGES = ("This plugin does not support propagateSizeHints",)


class StepFailed(Exception):
    """A step found something wrong; the message says what, in plain words."""


class NotBuiltYet(StepFailed):
    def __init__(self, what: str) -> None:
        super().__init__(f"not built yet: {what}")


@dataclass
class StepResult:
    key: str
    title: str
    passed: bool
    seconds: float
    message: str = ""


@dataclass
class Context:
    """What the steps share: the temporary folder, and the database and window made on first need."""

    folder: Path
    output: Path | None
    _db: Any = None
    _window: Any = None
    _failed: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def database(self):
        if "database" in self._failed:
            raise StepFailed(f"needs the demo database, which could not be made ({self._failed['database']})")
        if self._db is None:
            try:
                self._db = _make_demo_database(self.folder / "data" / "selftest.sqlite3")
            except Exception as err:
                self._failed["database"] = _describe(err)
                raise
        return self._db

    def window(self):
        if "window" in self._failed:
            raise StepFailed(f"needs the main window, which could not be opened ({self._failed['window']})")
        if self._window is None:
            db = self.database()
            try:
                self._window = _open_main_window(db)
            except Exception as err:
                self._failed["window"] = _describe(err)
                raise
        return self._window

    def keep(self, name: str, data: bytes | None = None, image: Any = None) -> None:
        """Save a rendered picture or document when the caller asked to keep them."""
        if self.output is None:
            return
        self.output.mkdir(parents=True, exist_ok=True)
        target = self.output / name
        if image is not None:
            image.save(str(target))
        elif data is not None:
            target.write_bytes(data)

    def close(self) -> None:
        if self._window is not None:
            from PySide6.QtCore import QEvent, QThreadPool
            from PySide6.QtWidgets import QApplication

            QThreadPool.globalInstance().waitForDone(30_000)
            self._window.close()
            self._window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            self._window = None
        if self._db is not None:
            self._db.close()
            self._db = None


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    run: Callable[[Context], str | None]


# -- the steps ------------------------------------------------------------------------------


def check_modules(ctx: Context) -> str:
    missing = []
    for name in REQUIRED_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as err:
            missing.append(f"{name} ({type(err).__name__}: {err})")
    if missing:
        raise StepFailed("cannot import " + "; ".join(missing) + " — add it to the bundle's hidden imports")
    from desktop.cli import build_parser
    from desktop.views.planned import PLANNED_VIEWS, built_view

    commands = _subcommands(build_parser())
    views = [key for key, _label, _purpose in PLANNED_VIEWS if built_view(key) is not None]
    return (f"{len(REQUIRED_MODULES)} modules; commands: {', '.join(commands) or 'none'}; "
            f"views: {', '.join(views) or 'none'}")


def check_resources(ctx: Context) -> str:
    root = paths.resources_dir()
    wanted = ["styles/app.qss", "icons/commonground.png", "icons/commonground.ico", "help/depreciation.md"]
    absent = [name for name in wanted if not (root / name).is_file()]
    if absent:
        raise StepFailed(f"missing from {root}: {', '.join(absent)}")
    return f"{len(wanted)} files in {root}"


def check_migrations(ctx: Context) -> str:
    from alembic.script import ScriptDirectory

    from models.migrate import alembic_config

    folder = paths.migrations_dir()
    for name in ("env.py", "script.py.mako"):
        if not (folder / name).is_file():
            raise StepFailed(f"the migrations folder {folder} has no {name}")
    script = ScriptDirectory.from_config(alembic_config())
    revisions = list(script.walk_revisions())  # loads every revision script
    heads = script.get_heads()
    if len(heads) != 1:
        raise StepFailed(f"the migrations have {len(heads)} heads ({', '.join(heads)}); there must be one")
    bases = script.get_bases()
    if len(bases) != 1:
        raise StepFailed(f"the migrations have {len(bases)} starting points; there must be one")
    return f"{len(revisions)} revisions, head {heads[0]}"


def check_database(ctx: Context) -> str:
    from models.migrate import SchemaStatus
    from models.queries.overview import district_overview

    db = ctx.database()
    if db.state.status is not SchemaStatus.CURRENT:
        raise StepFailed(f"the new database is at {db.state.database_revision}, not {db.state.app_revision}")
    overview = district_overview(db, recent_limit=0)
    if overview.assets != DEMO_ASSETS:
        raise StepFailed(f"the demo district has {overview.assets} assets; {DEMO_ASSETS} were made")
    return f"{overview.assets} assets in {overview.rooms} rooms, schema {db.state.database_revision}"


def check_main_window(ctx: Context) -> str:
    window = ctx.window()
    if window.home.overview is None:
        raise StepFailed(f"the home view did not load: {window.home.error.text() or 'no answer'}")
    if window.count_label.text() != f"{DEMO_ASSETS:,} assets":
        raise StepFailed(f"the status bar shows '{window.count_label.text()}', not {DEMO_ASSETS} assets")
    image = _render(window, "the main window")
    ctx.keep("main-window.png", image=image)
    return f"{image.width()}×{image.height()}"


def check_register(ctx: Context) -> str:
    window = ctx.window()
    if not window.show_view("register"):
        raise NotBuiltYet("the register view (desktop/views/register.py)")
    view = window.views["register"]
    table = _wait_for_rows(view, "the register's rows")
    image = _render(view, "the register view")
    ctx.keep("register.png", image=image)
    return f"{table.model().rowCount():,} rows shown"


KNOWN_SCHEDULE = {  # $30,000, salvage $7,500, 10 years straight line: $2,250 a year (SLN)
    "cost_cents": 3_000_000,
    "salvage_cents": 750_000,
    "life_months": 120,
    "in_service": date(2020, 7, 1),
}


def check_depreciation(ctx: Context) -> str:
    from models.depreciation import Convention, DepreciationInputs, Method, schedule

    result = schedule(DepreciationInputs(method=Method.STRAIGHT_LINE, convention=Convention.FULL_MONTH,
                                         **KNOWN_SCHEDULE))
    years = [(p.fiscal_year, p.depreciation_cents) for p in result.fiscal_years]
    expected = [(year, 225_000) for year in range(2021, 2031)]
    if years != expected:
        raise StepFailed(f"the straight-line schedule of a $30,000 asset gave {years}, not $2,250 "
                         "a year for FY2021–FY2030")
    if result.book_value_cents != KNOWN_SCHEDULE["salvage_cents"]:
        raise StepFailed(f"the schedule ends at book value {result.book_value_cents} cents, not the salvage")
    window = ctx.window()
    if not window.show_view("depreciation"):
        raise NotBuiltYet("the depreciation view (desktop/views/depreciation.py)")
    view = window.views["depreciation"]
    table = _wait_for_rows(view, "the depreciation schedule's rows")
    image = _render(view, "the depreciation view")
    ctx.keep("depreciation.png", image=image)
    return f"known schedule exact; view shows {table.model().rowCount():,} rows"


def check_room_sheet(ctx: Context) -> str:
    try:
        room_sheet = importlib.import_module("reports.room_sheet")
    except ModuleNotFoundError as err:
        if err.name == "reports.room_sheet":
            raise NotBuiltYet("room inventory sheets (reports/room_sheet.py)") from None
        raise
    pdf, tag = _write_room_sheet(room_sheet, ctx)
    ctx.keep("room-sheet.pdf", data=pdf)
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-1024:]:
        raise StepFailed("the room sheet is not a complete PDF")
    text = _pdf_text(pdf)
    if tag not in text:
        raise StepFailed(f"the room sheet does not show the asset tag {tag}")
    return f"{len(pdf):,} bytes, shows {tag}"


def check_barcodes(ctx: Context) -> str:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode import createBarcodeDrawing

    sizes = []
    for kind, module in (("Code128", "code128"), ("QR", "qr")):
        # reportlab finds symbologies by name; import each so a missing one is named here
        importlib.import_module(f"reportlab.graphics.barcode.{module}")
        drawing = createBarcodeDrawing(kind, value="CG-000123")
        pdf = renderPDF.drawToString(drawing)
        if not pdf.startswith(b"%PDF-"):
            raise StepFailed(f"a {kind} barcode did not render to PDF")
        sizes.append(f"{kind} {len(pdf):,} bytes")
    return ", ".join(sizes)


def check_charts(ctx: Context) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    made = []
    for fmt, signature in (("png", b"\x89PNG"), ("pdf", b"%PDF-"), ("svg", b"<?xml")):
        # matplotlib loads a format's backend by name when saving: import it so a gap is named
        importlib.import_module(f"matplotlib.backends.backend_{'agg' if fmt == 'png' else fmt}")
        figure = Figure(figsize=(3, 2))
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        axes.bar(["FY2025", "FY2026"], [1200, 1350])
        axes.set_title("Depreciation expense")
        out = io.BytesIO()
        figure.savefig(out, format=fmt)
        if not out.getvalue().startswith(signature):
            raise StepFailed(f"matplotlib did not write a {fmt.upper()} chart")
        made.append(fmt)
    canvas = FigureCanvasQTAgg(Figure(figsize=(3, 2)))
    canvas.figure.add_subplot().plot([0, 1], [0, 1])
    canvas.resize(300, 200)
    _render(canvas, "a chart on screen")
    canvas.deleteLater()
    return "agg " + ", ".join(made) + " and qtagg"


STEPS = (
    Step("modules", "bundled modules", check_modules),
    Step("resources", "resources", check_resources),
    Step("migrations", "database migrations", check_migrations),
    Step("database", "demo database", check_database),
    Step("window", "main window", check_main_window),
    Step("register", "register view", check_register),
    Step("depreciation", "depreciation schedule", check_depreciation),
    Step("room_sheet", "room sheet PDF", check_room_sheet),
    Step("barcodes", "barcodes", check_barcodes),
    Step("charts", "charts", check_charts),
)
STEP_KEYS = tuple(step.key for step in STEPS)


# -- running --------------------------------------------------------------------------------


def run_self_test(
    steps: Sequence[str] | None = None, *, out: TextIO | None = None, keep: Path | None = None
) -> int:
    """Run the steps (all, or the named ones in their usual order); 0 when every one passed."""
    unknown = sorted(set(steps or ()) - set(STEP_KEYS))
    if unknown:
        _say(out, f"self-test: no step named {', '.join(unknown)} (steps: {', '.join(STEP_KEYS)})")
        return 2
    chosen = [step for step in STEPS if steps is None or step.key in steps]
    results = run_steps(chosen, out=out, keep=keep)
    failed = [r for r in results if not r.passed]
    total = sum(r.seconds for r in results)
    if failed:
        _say(out, f"Self-test FAILED: {len(failed)} of {len(results)} steps "
                  f"({', '.join(r.title for r in failed)}) in {total:.1f} s")
        return 1
    _say(out, f"Self-test passed: {len(results)} step{'' if len(results) == 1 else 's'} in {total:.1f} s")
    return 0


def run_steps(chosen: Sequence[Step], *, out: TextIO | None = None, keep: Path | None = None) -> list[StepResult]:
    from desktop import __version__

    _say(out, f"Common Ground {__version__} self-test ({'frozen' if _frozen() else 'from source'}, "
              f"Python {sys.version.split()[0]}, {sys.platform})")
    saved_home = os.environ.get(paths.HOME_ENV)
    app, made_app = _application()
    qt_messages: list[str] = []
    previous_handler = _install_qt_handler(qt_messages)
    results: list[StepResult] = []
    with tempfile.TemporaryDirectory(prefix="commonground-selftest-") as folder:
        os.environ[paths.HOME_ENV] = folder
        ctx = Context(Path(folder), keep)
        try:
            for step in chosen:
                result = _run_one(step, ctx, qt_messages)
                results.append(result)
                mark = "ok  " if result.passed else "FAIL"
                _say(out, f"  {mark} {result.title:<22} {result.seconds:5.1f} s  {result.message}")
        finally:
            ctx.close()
            _restore_qt_handler(previous_handler)
            if saved_home is None:
                os.environ.pop(paths.HOME_ENV, None)
            else:
                os.environ[paths.HOME_ENV] = saved_home
    if made_app:
        app.quit()
    return results


def _run_one(step: Step, ctx: Context, qt_messages: list[str]) -> StepResult:
    started = time.perf_counter()
    qt_messages.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            message = step.run(ctx) or ""
            passed = True
        except StepFailed as err:
            message, passed = str(err), False
        except Exception as err:  # any failure is the step's result, named, never a crash
            message, passed = _describe(err), False
    problems = [f"Qt warning: {text}" for text in qt_messages]
    problems += [f"Python warning: {w.category.__name__}: {w.message} ({Path(w.filename).name}:{w.lineno})"
                 for w in caught]
    if problems:
        message = "; ".join(([message] if not passed else []) + problems)
        passed = False
    return StepResult(step.key, step.title, passed, time.perf_counter() - started, message)


def _describe(err: BaseException) -> str:
    if isinstance(err, StepFailed):
        return str(err)
    if isinstance(err, ModuleNotFoundError) and err.name:
        where = f"cannot import {err.name}"
    else:
        where = f"{type(err).__name__}: {err}"
    frame = traceback.extract_tb(err.__traceback__)[-1:] if err.__traceback__ else []
    at = f" (at {Path(frame[0].filename).name}:{frame[0].lineno})" if frame else ""
    return where + at


def _application():
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        return app, False
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the self-test never opens a window on screen
    app = QApplication([sys.argv[0] if sys.argv else "commonground", "-platform", "offscreen"])
    app.setApplicationName("Common Ground")
    app.setOrganizationName("CommonGround")
    style = paths.resources_dir() / "styles" / "app.qss"
    if style.is_file():  # as the app starts: a broken style sheet shows up as a Qt warning
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app, True


def _install_qt_handler(messages: list[str]):
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    serious = {QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg}

    def handler(kind, _context, text: str) -> None:
        if kind in serious and not any(ignored in text for ignored in IGNORED_QT_MESSAGES):
            messages.append(text)

    return qInstallMessageHandler(handler)


def _restore_qt_handler(previous) -> None:
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(previous)


# -- helpers the steps share ----------------------------------------------------------------


def _make_demo_database(path: Path):
    from desktop.commands.demo import open_for_demo
    from models.demo import DemoOptions, generate_demo

    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_for_demo(str(path))
    try:
        generate_demo(db, DemoOptions(assets=DEMO_ASSETS, seed=DEMO_SEED))
    except BaseException:
        db.close()
        raise
    return db


def _open_main_window(db):
    from desktop.main_window import MainWindow

    window = MainWindow(db)
    window.resize(1280, 800)
    window.show()
    _wait_until(lambda: window.home.overview is not None or window.home.error.isVisible(),
                "the home view's figures")
    return window


def _wait_until(condition: Callable[[], bool], what: str, seconds: float = WAIT_SECONDS) -> None:
    """Let the event loop run (background work reports back through it) until ``condition``."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + seconds
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(lambda: (condition() or time.monotonic() > deadline) and loop.quit())
    if not condition():
        poll.start()
        loop.exec()
        poll.stop()
    if not condition():
        raise StepFailed(f"gave up after {seconds:.0f} s waiting for {what}")


def _wait_for_rows(view, what: str):
    """The view's first table once it shows rows whose first cell has text."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView

    def filled():
        for table in view.findChildren(QAbstractItemView):
            model = table.model()
            if table.isVisible() and model is not None and model.rowCount() > 0:
                first = model.index(0, 0)
                if model.data(first, Qt.ItemDataRole.DisplayRole) not in (None, ""):
                    return table
        return None

    _wait_until(lambda: filled() is not None, what)
    return filled()


def _render(widget, what: str):
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    image = widget.grab().toImage()
    if image.isNull() or image.width() < 50 or image.height() < 50:
        raise StepFailed(f"{what} rendered to an empty picture")
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    if len(colours) < 3:
        raise StepFailed(f"{what} rendered blank")
    return image


def _write_room_sheet(room_sheet, ctx: Context) -> tuple[bytes, str]:
    """The sheet of the first demo room that holds assets, and the first tag it must show."""
    from models.queries.roommap import SheetScope, location_tree, sheet_assets, sheet_rooms

    db = ctx.database()
    for site in location_tree(db):
        rooms = sheet_rooms(db, SheetScope(site_code=site.code))
        for room_id, assets in sheet_assets(db, [room.id for room in rooms]):
            if assets:
                pdf = room_sheet.room_sheets_for(db, SheetScope(room_id=room_id),
                                                 room_sheet.SheetOptions(printed_by="self-test"))
                return pdf, assets[0].tag
    raise StepFailed("no room of the demo district holds an asset to put on a sheet")


def _pdf_text(pdf: bytes) -> str:
    """The text of a PDF's pages (pypdf when present, else the raw content streams)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        import zlib

        chunks = []
        for part in pdf.split(b"stream")[1:]:
            body = part.split(b"endstream")[0].strip(b"\r\n")
            try:
                chunks.append(zlib.decompress(body).decode("latin-1"))
            except zlib.error:
                chunks.append(body.decode("latin-1"))
        return "\n".join(chunks)
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _subcommands(parser) -> list[str]:
    import argparse

    for action in parser._actions:  # argparse keeps its subcommands here
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    return []


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _say(out: TextIO | None, line: str) -> None:
    stream = out if out is not None else sys.stdout
    if stream is None:  # the windowed program on Windows has no console: keep it in the log
        with open(paths.log_dir() / "selftest.log", "a", encoding="utf-8") as log:
            log.write(line + "\n")
        return
    print(line, file=stream, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """``--self-test [--step KEY ...] [--keep DIR]``, for the entry scripts and ``commonground``."""
    import argparse

    parser = argparse.ArgumentParser(prog="commonground --self-test",
                                     description="Check that this build of Common Ground works.")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--step", action="append", choices=STEP_KEYS, help="run only this step (repeatable)")
    parser.add_argument("--keep", metavar="DIR", help="keep the rendered pictures and the PDF in DIR")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    return run_self_test(args.step, keep=Path(args.keep) if args.keep else None)


if __name__ == "__main__":
    sys.exit(main())
