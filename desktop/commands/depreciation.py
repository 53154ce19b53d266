"""``commonground depreciation ...``: depreciation from the command line.

``schedule`` prints one asset's schedule by fiscal year or by month, as a
table or as JSON; ``close``, ``reopen``, ``rollforward``, ``journal`` and
``export`` work on a district's fiscal year. No Qt here: the command line
never loads it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from desktop.commands._common import add_db_option, db_address, terminal_prompt
from models.actor import current_actor
from models.database import Database
from models.depreciation import (
    Convention,
    DepreciationInputError,
    DepreciationInputs,
    Method,
    Period,
    schedule,
)
from models.money import format_money
from models.progress import Progress

_MONEY = re.compile(r"^\$?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")

# Engine field → the option a person typed.
_OPTION_OF_FIELD = {
    "cost_cents": "--cost",
    "salvage_cents": "--salvage",
    "life_months": "--life-months",
    "method": "--method",
    "convention": "--convention",
    "in_service": "--in-service",
    "factor": "--factor",
    "fy_start_month": "--fy-start-month",
    "disposal": "--disposal-date",
    "proceeds_cents": "--proceeds",
}


def money_cents(text: str) -> int:
    """Whole cents from "10000", "10,000.00" or "$10,000"; anything else is refused."""
    cleaned = text.strip()
    if not _MONEY.match(cleaned):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not an amount of money (write it like 10000, 10,000.00 or $10,000)"
        )
    return int(Decimal(cleaned.replace("$", "").replace(",", "")) * 100)


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (write it as YYYY-MM-DD)") from None


def factor(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number (for example 2 or 1.5)") from None
    if not value.is_finite() or value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be a number above 0 (for example 2 or 1.5)")
    return value


def format_cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``depreciation`` and its subcommands to the ``commonground`` parser."""
    parser = subparsers.add_parser("depreciation", help="depreciation schedules and runs")
    commands = parser.add_subparsers(dest="depreciation_command", metavar="COMMAND", required=True)
    _register_schedule(commands)
    _register_year(commands)


def _register_schedule(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "schedule",
        help="one asset's depreciation schedule",
        description="Show how an asset depreciates, by fiscal year or by month.",
    )
    parser.add_argument("--cost", type=money_cents, required=True, help="cost, e.g. 10000 or $10,000.00")
    parser.add_argument("--salvage", type=money_cents, default=0, help="salvage value (default 0)")
    parser.add_argument("--life-months", type=int, required=True, help="useful life in months")
    parser.add_argument("--method", choices=[m.value for m in Method], required=True)
    parser.add_argument("--factor", type=factor, help="declining-balance factor (default 2, double declining)")
    parser.add_argument(
        "--switch-to-straight-line",
        action="store_true",
        help="declining balance: switch to straight line when that gives more",
    )
    parser.add_argument("--convention", choices=[c.value for c in Convention], required=True)
    parser.add_argument("--in-service", type=iso_date, required=True, help="date placed in service, YYYY-MM-DD")
    parser.add_argument("--fy-start-month", type=int, default=7, help="first month of the fiscal year (default 7)")
    parser.add_argument("--period", choices=["month", "fiscal_year"], default="fiscal_year")
    parser.add_argument("--disposal-date", type=iso_date, help="date disposed of, YYYY-MM-DD")
    parser.add_argument("--proceeds", type=money_cents, help="sale proceeds at disposal (default 0)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run_schedule)


def run_schedule(args: argparse.Namespace) -> int:
    try:
        inputs = _inputs(args)
        result = schedule(inputs)
    except _OptionError as error:
        return _refuse(error.option, error.message)
    except DepreciationInputError as error:
        return _refuse(_OPTION_OF_FIELD.get(error.field, error.field), error.reason)
    periods = result.fiscal_years if args.period == "fiscal_year" else result.months
    if args.json:
        print(json.dumps({"periods": [_period_json(period) for period in periods]}))
    else:
        print(_table(periods))
        if result.gain_loss_cents is not None:
            gain = result.gain_loss_cents
            word = "gain" if gain >= 0 else "loss"
            print(f"\nBook value at disposal {format_cents(result.book_value_cents)}; "
                  f"{word} on disposal {format_cents(abs(gain))}")
    return 0


class _OptionError(Exception):
    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option
        self.message = message


def _inputs(args: argparse.Namespace) -> DepreciationInputs:
    method = Method(args.method)
    if args.factor is not None and method is not Method.DECLINING_BALANCE:
        raise _OptionError("--factor", "only declining_balance takes a factor")
    if args.switch_to_straight_line and method is not Method.DECLINING_BALANCE:
        raise _OptionError("--switch-to-straight-line", "only declining_balance can switch to straight line")
    if args.proceeds is not None and args.disposal_date is None:
        raise _OptionError("--proceeds", "proceeds need --disposal-date")
    return DepreciationInputs(
        cost_cents=args.cost,
        salvage_cents=args.salvage,
        life_months=args.life_months,
        method=method,
        convention=Convention(args.convention),
        in_service=args.in_service,
        factor=args.factor if args.factor is not None else Decimal(2),
        switch_to_straight_line=args.switch_to_straight_line,
        fy_start_month=args.fy_start_month,
        disposal=args.disposal_date,
        proceeds_cents=args.proceeds or 0,
    )


def _refuse(option: str, message: str) -> int:
    print(f"commonground depreciation schedule: error: {option}: {message}", file=sys.stderr)
    return 2


def _period_json(period: Period) -> dict[str, object]:
    return {
        "period_start": period.period_start.isoformat(),
        "period_end": period.period_end.isoformat(),
        "fiscal_year": period.fiscal_year,
        "depreciation": format_cents(period.depreciation_cents),
        "accumulated": format_cents(period.accumulated_cents),
        "book_value": format_cents(period.book_value_cents),
    }


def _table(periods: tuple[Period, ...]) -> str:
    header = ("Period start", "Period end", "FY", "Depreciation", "Accumulated", "Book value")
    rows = [
        (
            period.period_start.isoformat(),
            period.period_end.isoformat(),
            f"FY{period.fiscal_year}",
            _grouped(period.depreciation_cents),
            _grouped(period.accumulated_cents),
            _grouped(period.book_value_cents),
        )
        for period in periods
    ]
    if not rows:
        return "Nothing to depreciate."
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.ljust(width) if column < 3 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths))
        ]
        lines.append("  ".join(cells))
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _grouped(cents: int) -> str:
    whole, part = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole:,}.{part:02d}"


# -- the district's fiscal year ----------------------------------------------------------


def _register_year(commands: argparse._SubParsersAction) -> None:
    close = commands.add_parser(
        "close", help="close a fiscal year (finance role)",
        description="Compute and store every capitalized asset's depreciation for the year and freeze it. "
        "Years close in order: the year before must be closed, except for the first year with assets in "
        "service or a year closed with --opening (the first year the district keeps its books here).",
    )
    close.add_argument("--fiscal-year", type=int, required=True, help="the year, named by the year it ends (2026)")
    close.add_argument("--opening", action="store_true",
                       help="close this year as the opening year, without the years before it")
    add_db_option(close)
    close.set_defaults(handler=run_close)
    reopen = commands.add_parser("reopen", help="reopen the latest closed year (admin role)")
    reopen.add_argument("--fiscal-year", type=int, required=True)
    reopen.add_argument("--reason", required=True, help="why (kept in the history)")
    add_db_option(reopen)
    reopen.set_defaults(handler=run_reopen)
    roll = commands.add_parser("rollforward", help="the GASB 34 roll-forward of a year by class")
    roll.add_argument("--fiscal-year", type=int, required=True)
    roll.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_db_option(roll)
    roll.set_defaults(handler=run_rollforward)
    journal = commands.add_parser("journal", help="journal entries (CSV) for a year's depreciation")
    journal.add_argument("--fiscal-year", type=int, required=True)
    journal.add_argument("--output", type=Path, help="the CSV file to write (default: print it)")
    journal.add_argument("--expense-object", default=None, help="object code of depreciation expense")
    add_db_option(journal)
    journal.set_defaults(handler=run_journal)
    export = commands.add_parser("export", help="the roll-forward and totals of a year as an Excel workbook")
    export.add_argument("--fiscal-year", type=int, required=True)
    export.add_argument("--output", type=Path, required=True, help="the .xlsx file to write")
    add_db_option(export)
    export.set_defaults(handler=run_export)


def _open(args: argparse.Namespace) -> Database:
    return Database.open(db_address(args), create=False, prompt=terminal_prompt)


def _progress() -> Progress:
    def report(done: int, total: int | None, message: str) -> None:
        if message and sys.stderr.isatty():
            print(message.ljust(70), end="\r", file=sys.stderr, flush=True)

    return Progress(report)


def run_close(args: argparse.Namespace) -> int:
    from models.services.depreciation import close_year

    db = _open(args)
    try:
        summary = close_year(db, current_actor(), args.fiscal_year, opening=args.opening, progress=_progress())
    finally:
        db.close()
    print(
        f"FY{summary.fiscal_year} closed{' as the opening year' if summary.opening else ''}: "
        f"{summary.assets:,} capitalized assets; depreciation {format_money(summary.depreciation)}; "
        f"cost at year end {format_money(summary.cost_end)}; accumulated depreciation "
        f"{format_money(summary.accumulated_end)}."
    )
    return 0


def run_reopen(args: argparse.Namespace) -> int:
    from models.services.depreciation import reopen_year

    db = _open(args)
    try:
        summary = reopen_year(db, current_actor(), args.fiscal_year, args.reason)
    finally:
        db.close()
    dropped = f"; {summary.adjustments_dropped} adjustments booked against it were dropped" if summary.adjustments_dropped else ""
    print(f"FY{summary.fiscal_year} reopened{dropped}. Close it again when the corrections are made.")
    return 0


def run_rollforward(args: argparse.Namespace) -> int:
    from models.depreciation.rollforward import COLUMN_LABELS, COLUMNS
    from models.queries.depreciation import year_view

    db = _open(args)
    try:
        result = year_view(db, args.fiscal_year, _progress()).roll_forward
    finally:
        db.close()
    if args.json:
        print(json.dumps({
            "fiscal_year": result.fiscal_year,
            "figures": "stored" if result.stored else "projected",
            "ties": result.ties,
            "warnings": result.warnings,
            "classes": [
                {"class": line.gasb_class.value,
                 "cost": {c: f"{getattr(line.cost, c):.2f}" for c in COLUMNS},
                 "accumulated_depreciation": {c: f"{getattr(line.accumulated, c):.2f}" for c in COLUMNS}}
                for line in result.lines
            ],
        }))
        return 0 if result.ties else 1
    print(f"FY{result.fiscal_year} roll-forward ({'stored figures' if result.stored else 'PROJECTED, not closed'})")
    for note in result.notes:
        print(f"Note: {note}")
    for title, attribute in (("Cost", "cost"), ("Accumulated depreciation", "accumulated")):
        header = ["Class", *COLUMN_LABELS]
        rows = [[line.label, *(format_money(getattr(getattr(line, attribute), c)) for c in COLUMNS)]
                for line in result.lines if attribute == "cost" or line.depreciable]
        total = result.cost_total if attribute == "cost" else result.accumulated_total
        rows.append(["Total", *(format_money(getattr(total, c)) for c in COLUMNS)])
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        print(f"\n{title}")
        for row in [header, *rows]:
            print("  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths))))
    for warning in result.warnings:
        print(f"WARNING: {warning}", file=sys.stderr)
    return 0 if result.ties else 1


def run_journal(args: argparse.Namespace) -> int:
    from models.depreciation.journal import DEFAULT_EXPENSE_OBJECT, journal_csv, journal_lines
    from models.queries.depreciation import year_view

    db = _open(args)
    try:
        totals = year_view(db, args.fiscal_year, _progress()).totals
    finally:
        db.close()
    lines = journal_lines(totals, expense_object=args.expense_object or DEFAULT_EXPENSE_OBJECT)
    text = journal_csv(lines)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    args.output.write_text(text, encoding="utf-8", newline="")
    debits = sum(line.debit for line in lines)
    print(f"Wrote {len(lines)} journal lines to {args.output}: debits {format_money(debits)} = credits "
          f"{format_money(sum(line.credit for line in lines))}"
          f"{'' if totals.stored else ' (projected: the year is not closed)'}.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from models.queries.depreciation import year_view
    from reports.depreciation_export import year_workbook

    db = _open(args)
    try:
        view = year_view(db, args.fiscal_year, _progress())
        from models.queries.overview import district_overview

        name = district_overview(db, recent_limit=0).district_name
    finally:
        db.close()
    args.output.write_bytes(year_workbook(view.roll_forward, view.totals, district=name,
                                          function_names=view.function_names))
    print(f"Wrote {args.output}.")
    return 0
