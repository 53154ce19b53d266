"""Depreciation workbooks (Excel, openpyxl): a year's roll-forward and totals, and one asset's
schedule. Amounts are written as exact two-place numbers with a money format."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models.depreciation.engine import Schedule
from models.depreciation.rollforward import COLUMN_LABELS, COLUMNS, GASB_LABELS, RollForward
from models.depreciation.totals import YearTotals
from models.money import from_cents
from models.schema import GasbClass

MONEY = '#,##0.00;(#,##0.00)'
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEAD_FILL = PatternFill("solid", fgColor="DDE5EE")
WARN = Font(bold=True, color="9C0006")


def _money(value: Decimal | int) -> Decimal:
    return value if isinstance(value, Decimal) else from_cents(value)


def _header(sheet: Worksheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, 1):
        cell = sheet.cell(row, column, label)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center" if column > 1 else "left", wrap_text=True)


def _put(sheet: Worksheet, row: int, values: list, money_from: int = 2, bold: bool = False) -> None:
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row, column, value)
        if column >= money_from and isinstance(value, Decimal):
            cell.number_format = MONEY
        if bold:
            cell.font = BOLD


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _roll_forward_sheet(sheet: Worksheet, result: RollForward, district: str) -> None:
    state = "closed — stored figures" if result.stored else "open — PROJECTED figures, not closed"
    sheet["A1"] = f"{district} — capital assets roll-forward, FY{result.fiscal_year}"
    sheet["A1"].font = TITLE
    sheet["A2"] = f"FY{result.fiscal_year} is {state}."
    row = 3
    for note in result.notes:
        sheet.cell(row, 1, note)
        row += 1
    for warning in result.warnings:
        sheet.cell(row, 1, "Does not tie: " + warning).font = WARN
        row += 1
    row += 1
    for title, attribute in (("Cost", "cost"), ("Accumulated depreciation", "accumulated")):
        sheet.cell(row, 1, title).font = BOLD
        row += 1
        _header(sheet, row, ["GASB class", *COLUMN_LABELS, "Check (0 = ties)"])
        row += 1
        for line in result.lines:
            if attribute == "accumulated" and not line.depreciable:
                continue
            movement = getattr(line, attribute)
            _put(sheet, row, [line.label, *(getattr(movement, c) for c in COLUMNS), movement.difference])
            row += 1
        total = result.cost_total if attribute == "cost" else result.accumulated_total
        _put(sheet, row, ["Total", *(getattr(total, c) for c in COLUMNS), total.difference], bold=True)
        row += 2
    _widths(sheet, [28, 18, 18, 20, 22, 18, 16])


def _totals_sheet(sheet: Worksheet, totals: YearTotals, key: str, names: dict[str, str]) -> None:
    title = "GASB class" if key == "gasb_class" else "Function"
    sheet["A1"] = f"FY{totals.fiscal_year} depreciation by {title.lower()} ({'stored' if totals.stored else 'projected'})"
    sheet["A1"].font = TITLE
    _header(sheet, 3, [title, "Assets", "Cost at year end", "Depreciation", "Accumulated at year end",
                       "Book value at year end"])
    row = 4
    for record in totals.by(key).itertuples(index=False):
        code = getattr(record, key)
        label = GASB_LABELS[GasbClass(code)] if key == "gasb_class" else (
            f"{code} {names.get(code, '')}".strip() if code else "(no function)")
        _put(sheet, row, [label, int(record.assets), _money(int(record.cost_end)), _money(int(record.depreciation)),
                          _money(int(record.accumulated_end)), _money(int(record.book_value_end))], money_from=3)
        row += 1
    _put(sheet, row, ["Total", totals.total("assets"), _money(totals.total("cost_end")),
                      _money(totals.total("depreciation")), _money(totals.total("accumulated_end")),
                      _money(totals.total("book_value_end"))], money_from=3, bold=True)
    _widths(sheet, [36, 10, 20, 18, 24, 22])


def year_workbook(
    result: RollForward,
    totals: YearTotals,
    *,
    district: str = "",
    function_names: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Roll-forward, totals by class and by function for one fiscal year, as .xlsx bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Roll-forward"
    _roll_forward_sheet(sheet, result, district or "District")
    if progress:
        progress(1, 3)
    _totals_sheet(book.create_sheet("By class"), totals, "gasb_class", function_names or {})
    if progress:
        progress(2, 3)
    _totals_sheet(book.create_sheet("By function"), totals, "function_code", function_names or {})
    if progress:
        progress(3, 3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def schedule_workbook(schedule: Schedule, *, tag: str, description: str, by_month: bool = False) -> bytes:
    """One asset's schedule by fiscal year (and by month when asked), as .xlsx bytes."""
    book = Workbook()
    inputs = schedule.inputs
    for index, (name, periods) in enumerate(
        [("By fiscal year", schedule.fiscal_years)] + ([("By month", schedule.months)] if by_month else [])
    ):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        sheet["A1"] = f"Depreciation schedule — {tag} {description}"
        sheet["A1"].font = TITLE
        sheet["A2"] = (
            f"Cost {from_cents(inputs.cost_cents):,.2f}; salvage {from_cents(inputs.salvage_cents):,.2f}; "
            f"life {inputs.life_months} months; {inputs.method.value.replace('_', ' ')}, "
            f"{inputs.convention.value.replace('_', ' ')} convention; in service {inputs.in_service:%Y-%m-%d}"
        )
        _header(sheet, 4, ["Period start", "Period end", "Fiscal year", "Depreciation", "Accumulated", "Book value"])
        for row, period in enumerate(periods, 5):
            _put(sheet, row, [period.period_start, period.period_end, f"FY{period.fiscal_year}",
                              from_cents(period.depreciation_cents), from_cents(period.accumulated_cents),
                              from_cents(period.book_value_cents)], money_from=4)
            sheet.cell(row, 1).number_format = "yyyy-mm-dd"
            sheet.cell(row, 2).number_format = "yyyy-mm-dd"
        _widths(sheet, [14, 14, 12, 16, 16, 16])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
