"""Reading spreadsheets as tables: encodings, delimiters, line endings, header rows, sheets."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from models.importing import is_known_header, open_table, prepare_source, propose
from models.importing.reading import UnreadableFileError

DATA = Path(__file__).resolve().parents[1] / "data"
SNIPE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "snipe-it"

ROWS = [["Asset Tag", "Serial Number", "Notes"], ["T-1", "SN1", "Café olé"], ["T-2", "SN2", "Señora"]]


def _write(path: Path, rows, encoding="utf-8", delimiter=",", newline="\n") -> Path:
    text = newline.join(delimiter.join(row) for row in rows) + newline
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"])
def test_csv_in_common_encodings(tmp_path, encoding):
    table = open_table(_write(tmp_path / "f.csv", ROWS, encoding), is_header=is_known_header)
    assert table.headers == ROWS[0]
    rows = [cells for _, cells in table.rows()]
    assert rows == ROWS[1:]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters(tmp_path, delimiter):
    table = open_table(_write(tmp_path / "f.csv", ROWS, delimiter=delimiter))
    assert table.delimiter == delimiter
    assert [c for _, c in table.rows()][1] == ["T-2", "SN2", "Señora"]


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_line_endings_including_old_mac(tmp_path, newline):
    table = open_table(_write(tmp_path / "f.csv", ROWS, newline=newline))
    assert [number for number, _ in table.rows()] == [2, 3]


def test_ragged_rows_are_padded_and_extra_cells_kept_for_the_warning(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Asset Tag,Serial Number,Notes\nT-1\nT-2,SN2,x,extra,more\n")
    rows = [c for _, c in open_table(path).rows()]
    assert rows[0] == ["T-1", None, None]
    assert rows[1][:3] == ["T-2", "SN2", "x"] and len(rows[1]) == 5


def test_header_row_below_a_title_is_found(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Riverside USD fixed assets\nAs of 6/30/2026\n\nAsset #,Description,Cost\nA1,Desk,$100.00\n")
    table = open_table(path, is_header=is_known_header)
    assert table.header_row == 4
    assert table.headers == ["Asset #", "Description", "Cost"]
    assert [n for n, _ in table.rows()] == [5]


def test_blank_and_repeated_headers_get_names(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Tag,,Category,Category\nA,b,c,d\n")
    assert open_table(path).headers == ["Tag", "Column 2", "Category", "Category (2)"]


def test_workbook_sheet_choice_and_title_rows(tmp_path):
    path = tmp_path / "book.xlsx"
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["nothing to see"])
    sheet = wb.create_sheet("Assets")
    sheet.append(["District fixed assets"])
    sheet.append([])
    sheet.append(["Tag No", "Purchase Price", "Acq Date"])
    sheet.append(["A-1", 1234.5, 42465])
    wb.create_sheet("Empty")
    wb.save(path)
    table = open_table(path, "assets", is_header=is_known_header)
    assert table.sheet == "Assets" and table.sheet_names == ["Notes", "Assets", "Empty"]
    assert table.header_row == 3
    assert [c for _, c in table.rows()] == [["A-1", 1234.5, 42465]]
    with pytest.raises(UnreadableFileError, match="Empty"):
        open_table(path, "Empty")
    with pytest.raises(UnreadableFileError, match="no sheet 'Missing'.*Notes, Assets, Empty"):
        open_table(path, "Missing")


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\x00\x01\x02garbage" * 100])
def test_empty_or_binary_files_are_refused_plainly(tmp_path, content):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError):
        open_table(path)


def test_a_nul_character_deep_in_a_csv_is_refused_by_line(tmp_path):
    path = tmp_path / "export.csv"
    lines = ["Asset Tag,Description"] + [f"T-{n:05d},Chromebook" for n in range(1, 600)]
    lines[412] = "T-00412,Chrome\x00book"
    path.write_bytes("\n".join(lines).encode())
    assert path.read_bytes().index(b"\x00") > 4000  # past what the first look at the file reads
    with pytest.raises(UnreadableFileError, match="export.csv: line 413 holds a NUL character"):
        open_table(path)


def test_a_damaged_workbook_is_refused_plainly(tmp_path):
    path = tmp_path / "f.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableFileError, match="not a readable workbook"):
        open_table(path)


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFileError, match="does not exist"):
        open_table(tmp_path / "nope.csv")


def test_mapping_proposed_from_headers():
    headers = ["Asset #", "Tag No", "Serial Number", "S/N", "Bldg", "Rm", "Purchase Price", "Acq Date",
               "Fund Source", "Whatever"]
    mapping = propose(headers, [])
    assert mapping.fields == ["tag", None, "serial", None, "building", "room", "cost", "acquired_on",
                              "funding_source", None]


def test_mapping_proposed_from_content_when_headers_say_nothing():
    headers = ["Column 1", "Column 2", "Column 3", "Column 4"]
    sample = [["A1", "$1,200.00", "4/5/2016", "Deployed"], ["A2", "$30.00", "5/6/2017", "Ready to Deploy"],
              ["A3", "$5.00", "1/2/2018", "Broken"]]
    mapping = propose(headers, sample)
    assert mapping.fields == [None, "cost", "acquired_on", "status"]
    assert mapping.reasons[1] == "what the column holds"


def test_department_guessed_from_name_and_columns():
    assert propose(["Tag", "Serial", "Model"], [], source="devices").department.value == "it"
    assert propose(["Tag", "Cost", "Fund Source"], [], source="fy26 listing").department.value == "finance"
    assert propose(["Tag", "Room"], [], source="facilities_rooms").department.value == "facilities"


def test_the_samples_are_read_and_mapped():
    it = prepare_source(None, DATA / "it_devices.csv")
    assert it.table.encoding == "utf-8-sig" and it.mapping.department.value == "it"
    finance = prepare_source(None, DATA / "finance_fixed_assets.xlsx")
    assert finance.table.header_row == 4 and finance.mapping.department.value == "finance"
    facilities = prepare_source(None, DATA / "facilities_rooms.csv")
    assert facilities.table.encoding == "cp1252" and facilities.table.delimiter == ";"
    notes = [c[6] for _, c in facilities.table.rows()]
    assert "Señora Ruiz: one leg wobbles" in notes


@pytest.mark.parametrize("name", ["assets-sample.csv", "assets-sample-BAD.csv", "assets-sample-BLANKS.csv"])
def test_snipe_it_samples_are_read(name):
    source = prepare_source(None, SNIPE / name)
    table, mapping = source.table, source.mapping
    assert len(list(table.rows())) > 20
    assert mapping.column_of("tag") is not None
    assert mapping.column_of("acquired_on") is not None and mapping.column_of("cost") is not None
    if name != "assets-sample.csv":
        assert table.encoding == "mac_roman"  # old Mac line endings, bytes beyond ASCII
        assert mapping.column_of("serial") is not None
        assert "Category (2)" in table.headers or "Column 5" in table.headers
