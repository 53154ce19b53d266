"""``commonground depreciation ...``: depreciation from the command line.

``schedule`` prints one asset's schedule by fiscal year or by month, as a
table or as JSON. No Qt here: the command line never loads it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from decimal import Decimal, InvalidOperation

from models.depreciation import (
    Convention,
    DepreciationInputError,
    DepreciationInputs,
    Method,
    Period,
    schedule,
)

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
