"""``commonground rooms``: sheets and maps from the command line, and plain errors."""

from __future__ import annotations

from pypdf import PdfReader

from desktop.cli import main
from models.services.assets import create_asset
from tests.db_fixtures import asset_values


def test_rooms_sheets_and_map_write_pdfs(db, db_url, reference, tmp_path, capsys):
    create_asset(db, "clerk", asset_values(reference, "CLI-1"))
    address = db_url.render_as_string(hide_password=False)
    out = tmp_path / "sheets.pdf"
    assert main(["rooms", "sheets", "--room", str(reference.room), "--db", address, "--out", str(out), "--quiet"]) == 0
    assert "CLI-1" in PdfReader(out).pages[0].extract_text()
    out_site = tmp_path / "site.pdf"
    assert main(["rooms", "sheets", "--site", "lin", "--db", address, "--out", str(out_site), "--quiet"]) == 0
    assert len(PdfReader(out_site).pages) == 1
    out_map = tmp_path / "map.pdf"
    assert main(["rooms", "map", "--floor", str(reference.floor), "--db", address, "--out", str(out_map)]) == 0
    assert "101" in PdfReader(out_map).pages[0].extract_text()
    assert "automatic schematic" in capsys.readouterr().out


def test_rooms_commands_refuse_bad_input_plainly(db, db_url, reference, tmp_path, capsys):
    address = db_url.render_as_string(hide_password=False)
    assert main(["rooms", "sheets", "--site", "NOPE", "--db", address, "--out", str(tmp_path / "x.pdf")]) == 2
    assert "There is no site NOPE" in capsys.readouterr().err
    assert main(["rooms", "sheets", "--room", "1", "--db", address, "--out", str(tmp_path / "x.txt")]) == 2
    assert "should end in .pdf" in capsys.readouterr().err
    assert main(["rooms", "map", "--floor", "999", "--db", address, "--out", str(tmp_path / "m.pdf")]) == 2
    assert "Floor 999 does not exist" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "m.pdf").exists()
