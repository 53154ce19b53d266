"""``commonground import``: preview, dry run, commit and undo from the command line."""

from pathlib import Path

from sqlalchemy import func, select

from desktop.cli import main
from models.database import Database
from models.schema import Asset, ImportBatch

DATA = Path(__file__).resolve().parents[1] / "data"
FILES = [str(DATA / n) for n in ("it_devices.csv", "finance_fixed_assets.xlsx", "facilities_rooms.csv")]


def _assets(url):
    db = Database.open(url, create=False)
    try:
        with db.reading() as s:
            return s.scalar(select(func.count()).select_from(Asset)), s.scalar(select(ImportBatch.id))
    finally:
        db.close()


def test_dry_run_prints_the_preview_and_writes_nothing(demo_url, capsys):
    before = _assets(demo_url)
    url = demo_url.render_as_string(hide_password=False)
    assert main(["import", *FILES, "--dry-run", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "70 rows read: 10 new assets, 4 updated, 35 unchanged, 6 rows rejected." in out
    assert "it_devices.csv row 12, column 'Purchase Date': '13/45/2021' is not a real date" in out
    assert "20260002 Acquired on" in out and "Dry run: nothing was written." in out
    assert _assets(demo_url) == before


def test_import_then_undo(demo_url, capsys):
    count, _ = _assets(demo_url)
    url = demo_url.render_as_string(hide_password=False)
    assert main(["import", *FILES, "--db", url]) == 0
    after, batch = _assets(demo_url)
    assert after == count + 10 and batch in capsys.readouterr().out
    assert main(["import", "--undo", batch, "--db", url]) == 0
    assert _assets(demo_url)[0] == count
    assert main(["import", "--undo", batch, "--db", url]) == 2
    assert "already undone" in capsys.readouterr().err


def test_bad_mapping_file_is_a_plain_error(tmp_path, demo_url, capsys):
    mapping = tmp_path / "m.json"
    mapping.write_text('{"columns": {"Asset Tag": "price"}}')
    url = demo_url.render_as_string(hide_password=False)
    assert main(["import", FILES[0], "--mapping", str(mapping), "--dry-run", "--db", url]) == 2
    assert "'price', which is not one of" in capsys.readouterr().err
