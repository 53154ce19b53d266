"""Reading a column at a time gives each cell exactly what the per-value rules give it."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from models.importing import normalise as norm
from models.importing.catalog import Catalog
from models.importing.cells import MISSING, LeftOut, read_cell, read_column
from models.importing.reading import open_table
from models.importing.vectorised import cents_to_money, money_cents

TODAY = date(2026, 11, 21)


def _per_value(texts):
    """What normalise.money makes of each text: the amount, or the CellError."""
    out = []
    for text in texts:
        try:
            out.append(norm.money(text))
        except norm.CellError as err:
            out.append(err)
    return out


# -- amounts -------------------------------------------------------------------------------------

DIGITS = st.text("0123456789", min_size=1, max_size=14)
GROUPED = st.builds(lambda lead, groups: ",".join([lead, *groups]),
                    st.text("0123456789", min_size=1, max_size=4),
                    st.lists(st.text("0123456789", min_size=2, max_size=4), max_size=4))
AMOUNT = st.builds(
    lambda pre, whole, point, fraction, post: f"{pre}{whole}{point}{fraction}{post}",
    st.sampled_from(["", "", "$", "$ ", " ", "(", "-", "USD", "+", "$$"]),
    st.one_of(DIGITS, GROUPED, st.just("")),
    st.sampled_from(["", ".", ".", ","]),
    st.text("0123456789", max_size=3),
    st.sampled_from(["", "", " ", ")", "-", "%", "\x00"]),
)
ODD = st.text(alphabet="0123456789,.$ -()eE+٣\x00\t\xa0aU", max_size=14)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(AMOUNT, ODD), max_size=40))
@example(["$1,234.50", "1234.5", "0.99", "0012", "999,999,999,999.99", "1,000,000,000,000", "12,34",
          "1,234,567.891", "$", ".5", "5.", "1,23", "٣", "12\x00", "3\x00.9", "$0", "$$5", ",123", "123,"])
def test_plain_amounts_in_cents_are_what_the_money_rule_reads(texts):
    plain, cents = money_cents(texts)
    for text, is_plain, amount, expected in zip(texts, plain.tolist(), cents.tolist(), _per_value(texts), strict=True):
        if is_plain:
            got = cents_to_money(amount)
            assert isinstance(expected, Decimal), text  # nothing the rule refuses is taken as plain
            assert got == expected and str(got) == str(expected), text
            assert isinstance(amount, int)


@pytest.mark.parametrize(("text", "cents"), [
    ("$1,234.50", 123450), ("1234.5", 123450), ("0.99", 99), ("12", 1200), ("$0", 0),
    ("999,999,999,999.99", 99999999999999), ("1,000", 100000), ("0012.3", 1230),
])
def test_the_usual_amounts_are_read_as_exact_cents(text, cents):
    plain, found = money_cents([text])
    assert plain.tolist() == [True] and found.tolist() == [cents]
    assert cents_to_money(cents) == norm.money(text)


@pytest.mark.parametrize("text", ["(12.00)", "12.00-", " 12", "$ 7", "1,234,567.891", "12,34", "1e5", "٣",
                                  "1,000,000,000,000", "-5", "$-", "1.2.3", ""])
def test_other_forms_are_left_to_the_money_rule(text):
    plain, _ = money_cents([text])
    assert plain.tolist() == [False]


def test_cents_never_pass_through_a_float():
    # 0.1 + 0.2 is not 0.3 in binary floating point; in cents it is.
    plain, cents = money_cents(["0.10", "0.20", "0.30", "90071992547409.93"])
    assert plain.tolist() == [True, True, True, False]  # 14 digits before the point: beyond the register
    assert cents[0] + cents[1] == cents[2]
    plain, cents = money_cents(["999,999,999,999.99"])
    assert cents_to_money(int(cents[0])) == Decimal("999999999999.99")


# -- a column --------------------------------------------------------------------------------------

def _catalog() -> Catalog:
    catalog = Catalog()
    catalog.departments.update({"IT": 1, "information technology": 1, "FIN": 2})
    catalog.function_codes.update({"1000", "2600"})
    catalog.fund_codes.update({"100"})
    catalog.funding.update({"GF": 7, "general fund": 7, "ESSER3": 8})
    catalog._people = {"jdoe": [40], "pat lee": [41, 42]}
    return catalog


def _expected(field, cell, catalog):
    """A cell through the per-value rules, as read_column reports it: (value, problem, flag)."""
    if norm.is_blank(cell) or cell == "":
        return MISSING, None, None
    if isinstance(cell, str):
        if cell.startswith(("=", "+", "@")) and field not in ("cost", "salvage_value"):
            return MISSING, f"'{cell[:30]}' is a formula, not a value; save the sheet with values", None
        if len(cell) > 32_000:
            return MISSING, f"holds {len(cell):,} characters; no cell of the register is that long", None
    try:
        return read_cell(field, cell, catalog, TODAY), None, None
    except LeftOut as err:
        return MISSING, None, str(err)
    except norm.CellError as err:
        return (MISSING, None, str(err)) if field == "serial" else (MISSING, str(err), None)


FIELDS = ["tag", "serial", "description", "cost", "salvage_value", "acquired_on", "in_service_on",
          "warranty_ends_on", "status", "condition", "useful_life_years", "warranty_months", "department",
          "function_code", "funding_source", "assigned_to", "notes", "po_number"]
TEXT_CELLS = st.one_of(
    st.sampled_from(["", " ", "=SUM(A1)", "+1", "@x", "6.37702E+15", "(1,250.00)", "-5", "$-", "13/45/2021",
                     "4/5/16", "2016-04-05", "$1,234.50", "1234.5", " 12.5 ", "Deployed", "Broken", "Surplus",
                     "Good", "IT", "FIN", "Information Technology", "1000", "100", "GF", "GF 50%, ESSER3 50%",
                     "jdoe", "Pat Lee", "nobody", "x" * 40, "x" * 250, "x" * 33_000, "Ready\u3000", "\u2003", "36", "5", "0", "Café", "T-1", "t-1"]),
    AMOUNT, st.text(max_size=12))
WORKBOOK_CELLS = st.one_of(TEXT_CELLS, st.none(), st.booleans(), st.integers(-5, 60_000),
                           st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1, 1.0, True, 0, 0.0, False]),
                           st.just(datetime(2016, 4, 5, 13, 30)), st.just(date(2020, 2, 29)))


@settings(max_examples=150, deadline=None)
@given(field=st.sampled_from(FIELDS), cells=st.lists(TEXT_CELLS, max_size=30))
def test_a_text_column_reads_each_cell_as_its_rule_does(field, cells):
    _check_column(field, cells)


@settings(max_examples=150, deadline=None)
@given(field=st.sampled_from(FIELDS), cells=st.lists(WORKBOOK_CELLS, max_size=30))
def test_a_workbook_column_reads_each_cell_as_its_rule_does(field, cells):
    # Equal keys of different kinds (1, 1.0, True) are read each as what it is.
    _check_column(field, cells)


def _check_column(field, cells):
    catalog = _catalog()
    read = read_column(field, cells, catalog, TODAY)
    assert len(read.values) == len(cells)
    for position, cell in enumerate(cells):
        value, problem, flag = _expected(field, cell, catalog)
        got = read.values[position]
        assert (got is MISSING) == (value is MISSING), (cell, got, value)
        if value is not MISSING:
            assert got == value and type(got) is type(value), (cell, got, value)
            if isinstance(value, Decimal):
                assert str(got) == str(value)
        assert read.problems.get(position) == problem, cell
        assert read.flags.get(position) == flag, cell


def test_a_column_reads_a_repeated_value_once(monkeypatch):
    from models.importing import cells as cells_module

    calls = []
    original = cells_module.read_cell
    monkeypatch.setattr(cells_module, "read_cell", lambda *a: calls.append(a[1]) or original(*a))
    read = read_column("status", ["Deployed", "Broken", "Deployed", "Deployed", "Broken"], _catalog(), TODAY)
    assert sorted(calls) == ["Broken", "Deployed"]
    assert read.values[0] == read.values[2] == norm.status("Deployed")


def test_plain_amounts_do_not_go_through_the_money_rule(monkeypatch):
    from models.importing import cells as cells_module

    calls = []
    original = cells_module.read_cell
    monkeypatch.setattr(cells_module, "read_cell", lambda *a: calls.append(a[1]) or original(*a))
    read = read_column("cost", ["$1,234.50", "99", "(5.00)", "12.345"], _catalog(), TODAY)
    assert calls == ["(5.00)", "12.345"]
    assert read.values[:2] == [Decimal("1234.50"), Decimal("99.00")]
    assert read.values[3] == Decimal("12.35")
    assert "negative" in read.problems[2]


# -- a table as columns ----------------------------------------------------------------------------

ROW = st.lists(st.sampled_from(["", " ", "a", "T-1", "\t", "12", "x y"]), max_size=6)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(ROW, max_size=25))
def test_columns_are_the_non_blank_rows_turned_on_their_side(tmp_path_factory, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Asset Tag", "Serial Number", "Notes"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("c") / "f.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    table = open_table(path)
    data = table.columns()
    width = len(table.headers)
    expected = [(number, cells) for number, cells in table.rows() if not all(norm.is_blank(c) for c in cells)]
    assert data.numbers == [number for number, _ in expected]
    assert [list(r) for r in zip(*data.cells)] == [cells[:width] for _, cells in expected]
    assert all(len(column) == len(expected) for column in data.cells)
    longer = {position: len(cells) - width for position, (_, cells) in enumerate(expected)
              if len(cells) > width and not all(norm.is_blank(c) for c in cells[width:])}
    assert data.longer == longer
