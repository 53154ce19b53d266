"""``commonground depreciation schedule`` without the main entry point."""

import argparse
import json
import subprocess
import sys

import pytest

from desktop.commands.depreciation import money_cents, register

ARGS = (
    "depreciation schedule --cost 10000 --salvage 1000 --life-months 60 --method straight_line "
    "--convention full_month --in-service 2024-09-15"
).split()


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="commonground")
    register(parser.add_subparsers(dest="command"))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code, capsys.readouterr()
    return args.handler(args), capsys.readouterr()


def test_json_by_fiscal_year(capsys):
    code, out = run([*ARGS, "--json"], capsys)
    assert code == 0
    periods = json.loads(out.out)["periods"]
    assert periods[0] == {
        "period_start": "2024-07-01", "period_end": "2025-06-30", "fiscal_year": 2025,
        "depreciation": "1500.00", "accumulated": "1500.00", "book_value": "8500.00",
    }
    assert periods[-1]["book_value"] == "1000.00"
    assert list(json.loads(out.out)) == ["periods"]


def test_json_by_month(capsys):
    code, out = run([*ARGS, "--json", "--period", "month"], capsys)
    periods = json.loads(out.out)["periods"]
    assert code == 0 and len(periods) == 60
    assert periods[0]["period_start"] == "2024-09-01" and periods[0]["depreciation"] == "150.00"


def test_table_is_aligned_and_shows_gain_or_loss(capsys):
    code, out = run([*ARGS, "--disposal-date", "2026-01-10", "--proceeds", "$7,000.00"], capsys)
    lines = out.out.splitlines()
    assert code == 0
    assert lines[0].startswith("Period start") and "Book value" in lines[0]
    assert len({len(line) for line in lines[:4]}) == 1
    assert "loss on disposal 600.00" in out.out  # book value 7,600.00, sold for 7,000.00


@pytest.mark.parametrize("text,cents", [("10000", 1000000), ("10,000.00", 1000000), ("$10,000", 1000000), ("0.5", 50)])
def test_money_forms_accepted(text, cents):
    assert money_cents(text) == cents


@pytest.mark.parametrize(
    ("replace", "option"),
    [
        (("--cost", "10000"), ("--cost", "ten")),
        (("--cost", "10000"), ("--cost", "1,00")),
        (("--life-months", "60"), ("--life-months", "0")),
        (("--salvage", "1000"), ("--salvage", "20000")),
        (("--in-service", "2024-09-15"), ("--in-service", "2024-13-01")),
        (("--method", "straight_line"), ("--method", "ddb")),
    ],
)
def test_bad_input_names_the_option_and_exits_2(replace, option, capsys):
    argv = list(ARGS)
    argv[argv.index(replace[0]) + 1] = option[1]
    code, out = run(argv, capsys)
    assert code == 2
    assert option[0] in out.err
    assert "Traceback" not in out.err and out.out == ""


def test_factor_is_only_for_declining_balance(capsys):
    code, out = run([*ARGS, "--factor", "1.5"], capsys)
    assert code == 2 and "--factor" in out.err


def test_command_does_not_load_qt():
    code = "import sys, desktop.commands.depreciation; sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
