"""Malformed files, generated: the importer never crashes, explains every rejected row,
and a preview writes nothing."""

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from models.importing import build_plan, prepare_source
from models.importing.reading import UnreadableFileError

HEADERS = ["Asset Tag", "Serial Number", "Description", "Class", "Purchase Date", "Purchase Cost", "Status",
           "Room", "Notes"]
NASTY = st.sampled_from([
    "", " ", "=SUM(A1:A9)", "+cmd|' /C calc'!A0", "@foo", "6.37702E+15", "(1,250.00)", "-5", "$-",
    "13/45/2021", "1/1/1700", "12/31/9999", "0", "99999999999999", "Broken", "Surplus", "N/A", "x" * 40_000,
    "Café", "\u202e\u0000", "\n", '"', ";", "\t", "4/5/16", "$1,234.50",
])
CELL = st.one_of(NASTY, st.text(max_size=30))
ROW = st.lists(CELL, min_size=0, max_size=len(HEADERS) + 3)


def _explained(plan):
    assert all(r.reason and r.row >= 1 for r in plan.rejected)
    assert all(r.reason for r in plan.flagged)


def _fingerprint(db):
    from sqlalchemy import func, select

    from models.schema import Asset, HistoryEvent

    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Asset)), s.scalar(select(func.count()).select_from(HistoryEvent))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    headers=st.lists(st.sampled_from(HEADERS + ["", "Asset Tag", "Category"]), min_size=1, max_size=12),
    rows=st.lists(ROW, max_size=15),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "mac_roman"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    newline=st.sampled_from(["\n", "\r", "\r\n"]),
)
def test_malformed_csv_never_crashes_and_writes_nothing(sqlite_url, tmp_path_factory, headers, rows,
                                                        encoding, delimiter, newline):
    from models.database import Database

    db = Database.open(sqlite_url, create=False)
    try:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
        writer.writerow(headers)
        writer.writerows(rows)
        data = buffer.getvalue().encode(encoding, errors="replace")
        path = Path(tmp_path_factory.mktemp("f")) / "file.csv"
        path.write_bytes(data)
        before = _fingerprint(db)
        try:
            plan = build_plan(db, [prepare_source(db, path)])
        except UnreadableFileError as err:
            assert str(err)
            return
        _explained(plan)
        assert _fingerprint(db) == before
    finally:
        db.close()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(st.one_of(CELL.filter(lambda c: "\x00" not in c), st.integers(-10**6, 10**9),
                                     st.floats(allow_nan=True, allow_infinity=False), st.none()),
                           max_size=10), max_size=12),
    title_rows=st.integers(0, 3),
    sheets=st.integers(1, 3),
)
def test_malformed_workbooks_never_crash(sqlite_url, tmp_path_factory, rows, title_rows, sheets):
    from models.database import Database

    db = Database.open(sqlite_url, create=False)
    try:
        wb = Workbook()
        for extra in range(1, sheets):
            wb.create_sheet(f"Empty {extra}")
        ws = wb.active
        for n in range(title_rows):
            ws.append([f"Title {n}"])
        ws.append(HEADERS)
        for row in rows:
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", c[:32_000]) if isinstance(c, str) else c for c in row])
        path = Path(tmp_path_factory.mktemp("x")) / "book.xlsx"
        wb.save(path)
        before = _fingerprint(db)
        try:
            plan = build_plan(db, [prepare_source(db, path)])
        except UnreadableFileError as err:
            assert str(err)
            return
        _explained(plan)
        assert _fingerprint(db) == before
    finally:
        db.close()


def test_an_empty_workbook_is_refused_plainly(tmp_path):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    try:
        prepare_source(None, path)
    except UnreadableFileError as err:
        assert "empty" in str(err)
    else:
        raise AssertionError("an empty workbook was accepted")


def test_the_snipe_it_bad_and_blank_files_preview_without_crashing(db, reference):
    snipe = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "snipe-it"
    for name in ("assets-sample.csv", "assets-sample-BAD.csv", "assets-sample-BLANKS.csv"):
        source = prepare_source(db, snipe / name)
        plan = build_plan(db, [source])
        _explained(plan)
        # Nothing in those files matches this register's sites and classes: every row is explained.
        assert plan.rows_read > 20 and plan.rejected_rows == plan.rows_read
        if name != "assets-sample.csv":
            # Their "Model Number" column holds the rounded serials: mapped as the serial, each is
            # flagged and left out, never stored.
            column = source.table.headers.index("Model Number")
            source.mapping.set(source.mapping.column_of("serial"), None)
            source.mapping.set(column, "serial")
            plan = build_plan(db, [source])
            flagged = [f for f in plan.flagged if "scientific notation" in f.reason]
            assert len(flagged) > 100 and {f.column for f in flagged} == {"Model Number"}
