"""The register as shown, to Excel (.xlsx) or CSV.

Headers are the register's column labels; money is written as a number with two
decimals (exact: the Decimal's own digits), dates as dates, so the import can read
an export back unchanged. The file appears only when the export finished: it is
written beside its final name and moved into place, and a cancelled or failed
export leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from models.database import Database
from models.errors import UserError
from models.progress import Progress, step
from models.queries.register import COLUMN_BY_KEY, DATE, MONEY, NUMBER, rows_for_ids

BATCH = 2_000
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


class ExportError(UserError):
    """The export file could not be written."""


def export_register(
    db: Database,
    ids: np.ndarray | Sequence[int],
    columns: Sequence[str],
    path: str | Path,
    progress: Progress | None = None,
) -> int:
    """Write the assets ``ids`` (in that order) with ``columns`` to ``path`` (.xlsx or .csv).

    Returns the number of rows written. Rows deleted since the view was made are skipped.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ExportError(f"Cannot export to “{target.name}”: choose a .xlsx or .csv file name.")
    keys = [COLUMN_BY_KEY[key].key for key in columns]
    if not keys:
        raise ExportError("There are no columns to export: show at least one column.")
    id_array = np.asarray(ids, dtype=np.int64)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=suffix, dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    try:
        rows = _rows(db, id_array, keys, progress)
        if suffix == ".xlsx":
            written = _write_xlsx(temp, keys, rows)
        else:
            written = _write_csv(temp, keys, rows)
        step(progress, int(id_array.size), int(id_array.size), "Saving the file…")
        os.replace(temp, target)
    except PermissionError as err:
        temp.unlink(missing_ok=True)
        raise ExportError(f"Cannot write {target}: {err.strerror or err}. Is the file open in another program?") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return written


def _rows(db: Database, ids: np.ndarray, keys: list[str], progress: Progress | None) -> Iterator[tuple[Any, ...]]:
    total = int(ids.size)
    step(progress, 0, total, f"Exporting {total:,} assets…")
    for start in range(0, total, BATCH):
        for row in rows_for_ids(db, ids[start:start + BATCH], keys):
            if row is not None:
                yield row
        done = min(start + BATCH, total)
        step(progress, done, total, f"Exported {done:,} of {total:,} assets…")


def _write_csv(path: Path, keys: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    kinds = [COLUMN_BY_KEY[k].kind for k in keys]
    written = 0
    # utf-8-sig: Excel opens it with the right characters.
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([COLUMN_BY_KEY[k].label for k in keys])
        for row in rows:
            writer.writerow([_csv_value(kind, value) for kind, value in zip(kinds, row, strict=True)])
            written += 1
    return written


def _csv_value(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == MONEY:
        return f"{Decimal(value):.2f}"
    if kind == DATE and isinstance(value, date):
        return value.isoformat()
    return str(value)


def _write_xlsx(path: Path, keys: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Register")
    columns = [COLUMN_BY_KEY[k] for k in keys]
    for index, col in enumerate(columns, start=1):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = max(col.width + 2, len(col.label) + 2)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for col in columns:
        cell = WriteOnlyCell(sheet, value=col.label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    try:
        written = _append_rows(sheet, columns, rows)
    except BaseException:
        # Finish the half-written sheet so its temporary stream closes; the file is removed.
        with contextlib.suppress(Exception):
            sheet.close()
        raise
    workbook.save(path)
    return written


def _append_rows(sheet: Any, columns: list[Any], rows: Iterator[tuple[Any, ...]]) -> int:
    from openpyxl.cell import WriteOnlyCell

    written = 0
    for row in rows:
        cells: list[Any] = []
        for col, value in zip(columns, row, strict=True):
            if value is None:
                cells.append(None)
            elif col.kind == MONEY:
                cell = WriteOnlyCell(sheet, value=Decimal(value))
                cell.number_format = MONEY_FORMAT
                cells.append(cell)
            elif col.kind == DATE:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                cells.append(cell)
            elif col.kind == NUMBER:
                cells.append(value)
            else:
                cells.append(str(value))
        sheet.append(cells)
        written += 1
    return written


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
