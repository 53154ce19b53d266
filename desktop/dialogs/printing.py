"""File ▸ Print: the current view on paper (or PDF through the system print dialog).

A view with its own ``print_dialog()`` prints itself. The register prints its rows as
shown (filter, columns, order): the rows are read and laid out as a table off the UI
thread, then the print dialog opens. Other views print a picture of themselves.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QPageLayout, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from desktop.dialogs.prompts import Prompts
from desktop.format import when_text
from desktop.operations import Task, run_task
from models.database import Database
from models.progress import Progress

MAX_PRINTED_ROWS = 5_000
CHUNK = 500


def print_view(parent: QWidget, db: Database, view: QWidget | None, prompts: Prompts) -> Task | None:
    if view is None:
        return None
    own = getattr(view, "print_dialog", None)
    if callable(own):
        own()
        return None
    if getattr(view, "objectName", lambda: "")() == "register" and hasattr(view, "asset_table"):
        return print_register(parent, db, view, prompts)
    _ask_printer(parent, lambda printer: _paint_widget(printer, view))
    return None


def print_register(parent: QWidget, db: Database, register: Any, prompts: Prompts) -> Task | None:
    table = register.asset_table
    if table.loading:
        prompts.inform(parent, "Print", "The register is still loading; print once the rows are in.")
        return None
    ids = table.model.ids
    if not ids.size:
        prompts.inform(parent, "Print", "No assets are shown: there is nothing to print.")
        return None
    columns = table.visible_columns()
    shown = min(int(ids.size), MAX_PRINTED_ROWS)
    chosen = ids[:shown].copy()
    title = f"Asset register — {db.display_name}"
    note = "" if shown == ids.size else (
        f"The first {shown:,} of {int(ids.size):,} assets; export to Excel for the whole list.")

    def work(progress: Progress) -> str:
        return register_html(db, chosen, columns, title, note, progress)

    def done(text: str) -> None:
        document = QTextDocument()
        document.setHtml(text)
        _ask_printer(parent, lambda printer: document.print_(printer))
        if note:
            register.message_text(note) if hasattr(register, "message_text") else None

    return run_task(parent, f"Preparing {shown:,} assets for printing", work, done,
                    lambda err: prompts.inform(parent, "Print", err.message, error=True),
                    lambda: None)


def register_html(db: Database, ids: Any, columns: list[str], title: str, note: str,
                  progress: Progress | None = None) -> str:
    """The rows of ``ids`` as an HTML table, the way the register shows them."""
    from desktop.register.table import display_text
    from models.queries.register import COLUMN_BY_KEY, rows_for_ids

    specs = [COLUMN_BY_KEY[key] for key in columns]
    numeric = {"money", "number"}
    head = "".join(
        f"<th align='{'right' if s.kind in numeric else 'left'}'>{html.escape(s.label)}</th>" for s in specs)
    parts = [
        "<html><body style='font-family: sans-serif; font-size: 8pt;'>",
        f"<h3>{html.escape(title)}</h3>",
        f"<p>{int(len(ids)):,} assets · printed {html.escape(when_text(_now()))}"
        + (f"<br/>{html.escape(note)}" if note else "") + "</p>",
        "<table border='0.5' cellspacing='0' cellpadding='3' width='100%'>",
        f"<thead><tr style='background:#e9eff3'>{head}</tr></thead><tbody>",
    ]
    total = int(len(ids))
    for start in range(0, total, CHUNK):
        if progress is not None:
            progress.step(start, total, f"Reading {start:,} of {total:,} assets")
        for values in rows_for_ids(db, ids[start:start + CHUNK], columns):
            if values is None:
                continue
            cells = "".join(
                f"<td align='{'right' if s.kind in numeric else 'left'}'>"
                f"{html.escape(display_text(s.kind, value))}</td>"
                for s, value in zip(specs, values, strict=True))
            parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table></body></html>")
    return "".join(parts)


def _now():  # noqa: ANN202
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _ask_printer(parent: QWidget, paint: Callable[[QPrinter], None]) -> QPrintDialog:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print")

    def finished(result: int) -> None:
        if result == QPrintDialog.DialogCode.Accepted:
            paint(printer)
        dialog.deleteLater()

    dialog.finished.connect(finished)
    dialog.open()
    return dialog


def _paint_widget(printer: QPrinter, view: QWidget) -> None:
    picture = view.grab()
    painter = QPainter(printer)
    try:
        page = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
        size = picture.size().scaled(page.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
        painter.drawPixmap(QRectF(0, 0, size.width(), size.height()).toRect(), picture)
    finally:
        painter.end()
