"""The fiscal-year commands: users, close, reopen, rollforward, journal, export."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from models.actor import USER_ENV


@pytest.fixture
def as_user(monkeypatch):
    def _as(name: str) -> None:
        monkeypatch.setenv(USER_ENV, name)

    return _as


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_close_rollforward_journal_and_reopen_from_the_command_line(demo_url, capsys, as_user, tmp_path):
    db = demo_url.render_as_string(hide_password=False)
    as_user("root")
    assert _run(capsys, "users", "list", "--db", db)[1].startswith("No roles granted yet")
    assert _run(capsys, "users", "grant", "root", "admin", "--db", db)[0] == 0
    code, _, err = _run(capsys, "depreciation", "close", "--fiscal-year", "2025", "--opening", "--db", db)
    assert code == 2 and "commonground users grant root finance" in err
    assert _run(capsys, "users", "grant", "root", "finance", "--db", db)[0] == 0
    as_user("mallory")
    code, _, err = _run(capsys, "users", "grant", "mallory", "admin", "--db", db)
    assert code == 2 and "needs the admin role" in err
    as_user("root")
    code, out, _ = _run(capsys, "users", "list", "--db", db)
    assert "root" in out and "finance" in out and "admin" in out
    code, out, _ = _run(capsys, "depreciation", "close", "--fiscal-year", "2025", "--opening", "--db", db)
    assert code == 0 and out.startswith("FY2025 closed as the opening year")
    code, out, _ = _run(capsys, "depreciation", "close", "--fiscal-year", "2026", "--db", db)
    assert code == 0, out
    code, _, err = _run(capsys, "depreciation", "close", "--fiscal-year", "2026", "--db", db)
    assert code == 2 and "already closed" in err
    code, out, _ = _run(capsys, "depreciation", "rollforward", "--fiscal-year", "2026", "--json", "--db", db)
    data = json.loads(out)
    assert code == 0 and data["ties"] and data["figures"] == "stored"
    code, out, _ = _run(capsys, "depreciation", "rollforward", "--fiscal-year", "2026", "--db", db)
    assert "Accumulated depreciation" in out and "Technology" in out
    target = tmp_path / "je.csv"
    code, out, _ = _run(capsys, "depreciation", "journal", "--fiscal-year", "2026", "--output", str(target), "--db", db)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert list(rows[0]) == ["date", "fund", "function", "object", "debit", "credit", "description"]
    debits = sum(Decimal(r["debit"] or 0) for r in rows)
    assert debits == sum(Decimal(r["credit"] or 0) for r in rows) > 0
    assert {r["date"] for r in rows} == {"2026-06-30"}
    workbook = tmp_path / "fy.xlsx"
    assert _run(capsys, "depreciation", "export", "--fiscal-year", "2026", "--output", str(workbook), "--db", db)[0] == 0
    assert load_workbook(workbook).sheetnames == ["Roll-forward", "By class", "By function"]
    code, _, err = _run(capsys, "depreciation", "reopen", "--fiscal-year", "2026", "--reason", "", "--db", db)
    assert code == 2 and "reason" in err
    code, out, _ = _run(capsys, "depreciation", "reopen", "--fiscal-year", "2026", "--reason", "bus lives",
                        "--db", db)
    assert code == 0 and "FY2026 reopened" in out
