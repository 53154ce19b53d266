"""Opening a spreadsheet as a table: CSV in any common encoding and delimiter, or XLSX.

``open_table`` works out the encoding, the delimiter and which row holds the
column headers (districts' listings often have a title and a date above it),
and returns a ``SourceTable`` whose ``rows()`` yields each data row as a list of
cells with the row number a clerk sees in a spreadsheet program.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from models.errors import UserError

DELIMITERS = (",", ";", "\t", "|")
HEADER_SCAN_ROWS = 30
MAX_CELL = 32_000  # what a spreadsheet cell holds; longer is not a value but a broken file
csv.field_size_limit(16 * 1024 * 1024)

Row = list[Any]
HeaderScore = Callable[[str], bool]


class UnreadableFileError(UserError):
    """A file that cannot be read as a table at all (missing, empty, not a spreadsheet)."""


@dataclass
class SourceTable:
    """One sheet of one file, with its header row found."""

    path: Path
    kind: str  # "csv" or "xlsx"
    headers: list[str]
    header_row: int  # 1-based, as a spreadsheet shows it
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)
    _records: Callable[[], Iterator[Row]] | None = None

    @property
    def name(self) -> str:
        return self.path.name if self.sheet is None or self.kind == "csv" else f"{self.path.name} [{self.sheet}]"

    def rows(self) -> Iterator[tuple[int, Row]]:
        """Each row below the header: (row number, cells padded to the header's width)."""
        assert self._records is not None
        width = len(self.headers)
        for number, record in enumerate(self._records(), 1):
            if number <= self.header_row:
                continue
            if len(record) < width:
                record = record + [None] * (width - len(record))
            yield number, record

    def columns(self) -> TableColumns:
        """The rows below the header a column at a time, blank rows left out."""
        assert self._records is not None
        width = len(self.headers)
        below = islice(self._records(), self.header_row, None)
        if self.kind == "csv":  # every cell a str: a row is blank when its text is
            numbered = [(n, r) for n, r in enumerate(below, self.header_row + 1) if "".join(r).strip()]
        else:
            numbered = [(n, r) for n, r in enumerate(below, self.header_row + 1) if _holds_value(r)]
        numbers = [n for n, _ in numbered]
        kept = [r for _, r in numbered]
        del numbered
        longer: dict[int, int] = {}
        if set(map(len, kept)) - {width}:
            for position, record in enumerate(kept):
                size = len(record)
                if size < width:
                    kept[position] = record + [None] * (width - size)
                elif size > width:
                    if _holds_value(record[width:]):
                        longer[position] = size - width
                    kept[position] = record[:width]
        cells = [list(column) for column in zip(*kept)] if kept else [[] for _ in range(width)]
        return TableColumns(numbers, cells, longer)

    def sample(self, count: int = 50) -> list[Row]:
        found = []
        for _, row in self.rows():
            found.append(row)
            if len(found) >= count:
                break
        return found


@dataclass
class TableColumns:
    """A table's data rows a column at a time (``SourceTable.columns``)."""

    numbers: list[int]  # each row's number as a spreadsheet shows it
    cells: list[list[Any]]  # cells[column][position], as wide as the header
    longer: dict[int, int]  # position → cells beyond the header's width that hold something


def open_table(
    path: str | Path, sheet: str | None = None, *, is_header: HeaderScore | None = None
) -> SourceTable:
    """Open ``path`` (.csv/.txt/.tsv or .xlsx/.xlsm); ``sheet`` picks a workbook's sheet."""
    path = Path(path)
    if not path.exists():
        raise UnreadableFileError(f"{path.name}: the file does not exist ({path}).")
    if path.is_dir():
        raise UnreadableFileError(f"{path.name}: is a folder, not a spreadsheet file.")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04") or path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".ods"}:
        return _open_workbook(path, sheet, is_header)
    if sheet:
        raise UnreadableFileError(f"{path.name}: a CSV file has no sheets (drop --sheet {sheet}).")
    return _open_csv(path, is_header)


# -- CSV -----------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read in."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                      (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break
    sample = data[:4000]
    if sample and sample.count(0) > len(sample) // 4:  # UTF-16 without a byte-order mark
        name = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    old_mac = b"\r" in sample and b"\n" not in sample
    candidates = ["mac_roman", "cp1252"] if old_mac else ["cp1252", "mac_roman"]
    for name in candidates:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        return text, name
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["cp1252", "latin_1", "mac_roman", "cp850"]).best()
    name = best.encoding if best is not None else "latin_1"
    return data.decode(name, errors="replace"), name


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number of cells most often."""
    lines = text[:200_000].splitlines()[:60]
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in row)]
        if not counts:
            continue
        mode, seen = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (seen / len(counts), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_csv(path: Path, is_header: HeaderScore | None) -> SourceTable:
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFileError(f"{path.name}: the file is empty.")
    head = data[:4000]
    wide = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        head.count(0) > len(head) // 4 and (head[0::2].count(0) == 0 or head[1::2].count(0) == 0))
    if b"\x00" in head and not wide:
        raise UnreadableFileError(f"{path.name}: this is not a text or spreadsheet file.")
    text, encoding = decode(data)
    del data
    if (at := text.find("\x00")) != -1:
        # A NUL further in than the sniffed head: a damaged export. No database column can
        # hold it, so the file is refused here, by line, rather than failing the commit.
        line = text.count("\n", 0, at) + 1
        raise UnreadableFileError(
            f"{path.name}: line {line:,} holds a NUL character (byte 0), which is not text; "
            "the file may be damaged. Remove it (or export the file again) and import again."
        )
    delimiter = sniff_delimiter(text)

    def records() -> Iterator[Row]:
        return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    table = SourceTable(path, "csv", [], 0, encoding=encoding, delimiter=delimiter, _records=records)
    _find_header(table, records(), is_header)
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        table.notes.append(
            f"The file is not UTF-8; it was read as {_encoding_label(encoding)}. "
            "Check accented names in the preview."
        )
    return table


def _encoding_label(name: str) -> str:
    return {"cp1252": "Windows-1252 (Western)", "mac_roman": "Mac Roman (old Macintosh)",
            "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
            "latin_1": "Latin-1"}.get(name, name)


# -- workbooks -----------------------------------------------------------------------------


def sheet_names(path: str | Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own error types for damaged files
        raise UnreadableFileError(f"{Path(path).name}: not a readable workbook ({_reason(err)}).") from None
    try:
        return list(workbook.sheet_names)
    finally:
        workbook.close()


def _open_workbook(path: Path, sheet: str | None, is_header: HeaderScore | None) -> SourceTable:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as err:
        raise UnreadableFileError(f"{path.name}: not a readable workbook ({_reason(err)}).") from None
    try:
        names = list(workbook.sheet_names)
        if not names:
            raise UnreadableFileError(f"{path.name}: the workbook has no sheets.")
        if sheet is None:
            chosen, data = None, None
            for name in names:  # the first sheet that has anything on it
                data = _load_sheet(workbook, path, name)
                if any(cell not in ("", None) for row in data.iter_rows() for cell in row):
                    chosen = name
                    break
            if chosen is None:
                raise UnreadableFileError(f"{path.name}: every sheet of the workbook is empty.")
        else:
            match = [n for n in names if n == sheet] or [n for n in names if n.lower() == sheet.strip().lower()]
            if not match:
                raise UnreadableFileError(
                    f"{path.name}: has no sheet '{sheet}'; its sheets are: {', '.join(names)}."
                )
            chosen = match[0]
            data = _load_sheet(workbook, path, chosen)
    finally:
        workbook.close()

    # Parsed once (a 100,000-row sheet takes over a second); the header search, the mapping's
    # sample and the preview each walk the parsed rows.
    def records() -> Iterator[Row]:
        for row in data.iter_rows():
            yield [None if cell == "" else cell for cell in row]

    table = SourceTable(path, "xlsx", [], 0, sheet=chosen, sheet_names=names, _records=records)
    _find_header(table, records(), is_header)
    return table


def _load_sheet(workbook: Any, path: Path, name: str) -> Any:
    try:
        return workbook.get_sheet_by_name(name)
    except Exception as err:  # calamine raises its own error types for damaged sheets
        raise UnreadableFileError(f"{path.name}: the sheet '{name}' cannot be read ({_reason(err)}).") from None


def _reason(err: Exception) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:120]


# -- the header row --------------------------------------------------------------------------


def _find_header(table: SourceTable, records: Iterator[Row], is_header: HeaderScore | None) -> None:
    head: list[Row] = []
    for record in records:
        head.append(record)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    if not any(_filled(row) for row in head):
        raise UnreadableFileError(f"{table.name}: there is nothing in it to import.")
    # The first row of at least two labels, unless a later one names more known columns.
    best_index, best_known = None, 0
    for index, row in enumerate(head):
        cells = [c for c in row if c not in (None, "") and str(c).strip()]
        if len(cells) < 2:
            continue
        texts = [c for c in cells if isinstance(c, str) and not _looks_like_value(c)]
        known = sum(1 for c in texts if is_header and is_header(c))
        if known > best_known or (best_index is None and len(texts) == len(cells)):
            best_index, best_known = index, known
    if best_index is None:
        best_index = next(i for i, row in enumerate(head) if _filled(row))
    header = head[best_index]
    table.header_row = best_index + 1
    table.headers = unique_headers(header)
    if best_index > 0:
        table.notes.append(f"The column headers are on row {best_index + 1}; the rows above were skipped.")


def _holds_value(cells: Row) -> bool:
    """Not every cell blank (``normalise.is_blank``)."""
    return any(c is not None and (c.__class__ is not str or c.strip()) for c in cells)


def _filled(row: Row) -> bool:
    return any(c not in (None, "") and str(c).strip() for c in row)


_VALUE = re.compile(r"^[\s$()\-+.,/:%0-9]*$")


def _looks_like_value(text: str) -> bool:
    return bool(_VALUE.match(text))


def unique_headers(cells: Row) -> list[str]:
    """Header texts, blank ones named by position and repeated ones numbered."""
    seen: Counter[str] = Counter()
    headers = []
    for position, cell in enumerate(cells, 1):
        text = " ".join(str(cell).split()) if cell not in (None, "") else ""
        if not text:
            text = f"Column {position}"
        seen[text.lower()] += 1
        if seen[text.lower()] > 1:
            text = f"{text} ({seen[text.lower()]})"
        headers.append(text[:200])
    return headers


def excel_column(index: int) -> str:
    """0 → A, 26 → AA: how a spreadsheet names a column."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name
