"""Excel exports and the journal entries: balanced, summarised, exact."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from models.depreciation import DepreciationInputs, schedule
from models.depreciation.journal import journal_csv, journal_lines
from models.queries.depreciation import year_view
from models.services.depreciation import close_year
from models.services.roles import grant
from reports.depreciation_export import schedule_workbook, year_workbook


@pytest.fixture
def closed_2026(demo_db):
    grant(demo_db, "setup", "clerk", "finance")
    close_year(demo_db, "clerk", 2026, opening=True, today=date(2026, 11, 21))
    return demo_db


def test_journal_balances_and_is_summarised_by_fund_function_and_class(closed_2026):
    view = year_view(closed_2026, 2026)
    lines = journal_lines(view.totals)
    debits = [line for line in lines if line.debit]
    credits = [line for line in lines if line.credit]
    assert sum(l.debit for l in lines) == sum(l.credit for l in lines) == Decimal(view.totals.total("depreciation")) / 100
    assert len({(l.fund, l.function, l.description) for l in debits}) == len(debits)  # one line per group
    assert len({(l.fund, l.object) for l in credits}) == len(credits)
    assert all(not l.function for l in credits) and all(l.date == date(2026, 6, 30) for l in lines)
    assert all("(closed)" in l.description for l in lines)
    rows = list(csv.reader(io.StringIO(journal_csv(lines))))
    assert rows[0] == ["date", "fund", "function", "object", "debit", "credit", "description"]
    assert sum(Decimal(r[4] or 0) for r in rows[1:]) == sum(Decimal(r[5] or 0) for r in rows[1:])


def test_an_open_year_journal_says_it_is_projected(demo_db):
    lines = journal_lines(year_view(demo_db, 2026).totals)
    assert lines and all("projected" in l.description for l in lines)


def test_year_workbook_holds_the_roll_forward_and_totals(closed_2026):
    view = year_view(closed_2026, 2026)
    book = load_workbook(io.BytesIO(year_workbook(view.roll_forward, view.totals, district="Demo")))
    sheet = book["Roll-forward"]
    assert "FY2026" in sheet["A1"].value and "closed" in sheet["A2"].value
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    totals = [row for row in values if row[0] == "Total"]
    assert len(totals) == 2
    cost_total = totals[0]
    assert Decimal(str(cost_total[5])) == view.roll_forward.cost_total.ending
    assert cost_total[6] == 0
    by_class = [[c.value for c in row] for row in book["By class"].iter_rows(min_row=4)]
    assert Decimal(str(by_class[-1][3])) == Decimal(view.totals.total("depreciation")) / 100


def test_schedule_workbook_lists_every_fiscal_year():
    inputs = DepreciationInputs(cost_cents=1_000_000, salvage_cents=100_000, life_months=60, method="straight_line",
                                convention="full_month", in_service=date(2024, 9, 15))
    result = schedule(inputs)
    book = load_workbook(io.BytesIO(schedule_workbook(result, tag="T-1", description="Bus", by_month=True)))
    years = [[c.value for c in row] for row in book["By fiscal year"].iter_rows(min_row=5)]
    assert len(years) == len(result.fiscal_years)
    assert sum(Decimal(str(r[3])) for r in years) == Decimal("9000.00")
    assert book["By month"].max_row == 4 + len(result.months)
