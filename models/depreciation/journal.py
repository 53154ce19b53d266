"""Journal entries for a fiscal year's depreciation, for posting to the general ledger.

One debit to depreciation expense per fund, function and GASB class, and one
credit to accumulated depreciation per fund and class, all dated the last day
of the fiscal year. Debits equal credits to the cent: both are the year's
depreciation. The account (object) codes differ from district to district;
the defaults are placeholders to map to the district's chart of accounts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.depreciation.fiscal import fiscal_year_bounds
from models.depreciation.rollforward import GASB_LABELS
from models.depreciation.totals import YearTotals
from models.money import from_cents
from models.schema import GasbClass

DEFAULT_EXPENSE_OBJECT = "6800"
DEFAULT_ACCUMULATED_OBJECTS: dict[GasbClass, str] = {
    GasbClass.LAND_IMPROVEMENTS: "2210",
    GasbClass.BUILDINGS: "2310",
    GasbClass.BUILDING_IMPROVEMENTS: "2320",
    GasbClass.FURNITURE_EQUIPMENT: "2410",
    GasbClass.VEHICLES: "2420",
    GasbClass.TECHNOLOGY: "2430",
}
HEADER = ("date", "fund", "function", "object", "debit", "credit", "description")


@dataclass(frozen=True)
class JournalLine:
    date: date
    fund: str
    function: str
    object: str
    debit: Decimal
    credit: Decimal
    description: str


def journal_lines(
    totals: YearTotals,
    *,
    expense_object: str = DEFAULT_EXPENSE_OBJECT,
    accumulated_objects: Mapping[GasbClass, str] | None = None,
) -> list[JournalLine]:
    objects = {**DEFAULT_ACCUMULATED_OBJECTS, **(accumulated_objects or {})}
    year = totals.fiscal_year
    posted_on = fiscal_year_bounds(year, totals.fy_start_month)[1]
    kind = "closed" if totals.stored else "projected, not closed"
    groups = totals.groups
    if not len(groups):
        return []
    frame = groups.assign(
        fund_code=groups["fund_code"].fillna(""), function_code=groups["function_code"].fillna("")
    )
    frame = frame[frame["depreciation"] != 0]
    lines: list[JournalLine] = []
    debits = frame.groupby(["fund_code", "function_code", "gasb_class"], sort=True)["depreciation"].sum()
    for (fund, function, gasb), cents in debits.items():
        label = GASB_LABELS[GasbClass(gasb)]
        lines.append(JournalLine(posted_on, fund, function, expense_object, from_cents(int(cents)), Decimal("0.00"),
                                 f"FY{year} depreciation expense, {label} ({kind})"))
    credits = frame.groupby(["fund_code", "gasb_class"], sort=True)["depreciation"].sum()
    for (fund, gasb), cents in credits.items():
        label = GASB_LABELS[GasbClass(gasb)]
        lines.append(JournalLine(posted_on, fund, "", objects.get(GasbClass(gasb), "2400"), Decimal("0.00"),
                                 from_cents(int(cents)), f"FY{year} accumulated depreciation, {label} ({kind})"))
    return lines


def journal_csv(lines: list[JournalLine]) -> str:
    """The lines as CSV text with a header row; amounts with two decimals, no symbols."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in lines:
        writer.writerow([
            line.date.isoformat(), line.fund, line.function, line.object,
            f"{line.debit:.2f}" if line.debit else "", f"{line.credit:.2f}" if line.credit else "",
            line.description,
        ])
    return buffer.getvalue()
