"""The GASB 34 roll-forward: for each class, cost and accumulated depreciation from the
beginning of the fiscal year to its end.

    beginning + additions − deletions ± adjustments = ending

*Beginning* is the prior year's stored ending when the prior year is closed
(that is what "ties to the prior closed year" means); otherwise the balance
computed from the register, with a note saying so. *Additions* are assets
acquired in the year (cost) and the year's depreciation (accumulated);
*deletions* are disposals, at cost and at the accumulated depreciation they
carried off. *Adjustments* are the corrections to closed years booked in this
year (transfers between classes among them). *Ending* is this year's stored
ending when closed, projected when open. A class whose movement does not add
up gets a warning with the difference; nothing is forced to tie.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from models.depreciation.close import standing_close
from models.depreciation.district import GASB_CLASSES
from models.depreciation.totals import YearTotals, _stored_groups, adjustment_totals, year_totals
from models.money import format_money, from_cents
from models.progress import Progress
from models.schema import GasbClass
from models.schema.vocab import GASB_LABELS

COLUMNS = ("beginning", "additions", "deletions", "adjustments", "ending")
COLUMN_LABELS = ("Beginning", "Additions", "Disposals / deletions", "Transfers / adjustments", "Ending")


@dataclass(frozen=True)
class Movement:
    beginning: Decimal
    additions: Decimal
    deletions: Decimal
    adjustments: Decimal
    ending: Decimal

    @property
    def difference(self) -> Decimal:
        """What is left after beginning + additions − deletions + adjustments − ending (0 when it ties)."""
        return self.beginning + self.additions - self.deletions + self.adjustments - self.ending

    def __add__(self, other: Movement) -> Movement:
        return Movement(*(getattr(self, name) + getattr(other, name) for name in COLUMNS))


ZERO = Movement(*(Decimal("0.00"),) * 5)


@dataclass(frozen=True)
class RollForwardLine:
    gasb_class: GasbClass
    cost: Movement
    accumulated: Movement

    @property
    def label(self) -> str:
        return GASB_LABELS[self.gasb_class]

    @property
    def depreciable(self) -> bool:
        return self.gasb_class.depreciable


@dataclass(frozen=True)
class RollForward:
    fiscal_year: int
    stored: bool
    prior_closed: bool
    lines: list[RollForwardLine]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ties(self) -> bool:
        return not self.warnings

    @property
    def cost_total(self) -> Movement:
        return sum((line.cost for line in self.lines), ZERO)

    @property
    def accumulated_total(self) -> Movement:
        return sum((line.accumulated for line in self.lines), ZERO)

    def line(self, gasb_class: GasbClass | str) -> RollForwardLine:
        return next(line for line in self.lines if line.gasb_class == GasbClass(gasb_class))


def _by_class(frame: pd.DataFrame, columns: list[str]) -> dict[str, dict[str, int]]:
    if not len(frame):
        return {}
    summed = frame.groupby("gasb_class", observed=True)[columns].sum()
    return {str(index): {c: int(row[c]) for c in columns} for index, row in summed.iterrows()}


def roll_forward(session: Session, fiscal_year: int, progress: Progress | None = None,
                 totals: YearTotals | None = None) -> RollForward:
    totals = totals or year_totals(session, fiscal_year, progress)
    this = _by_class(totals.groups, ["cost_start", "additions", "deletions", "cost_end",
                                      "accumulated_start", "depreciation", "accumulated_deletions",
                                      "accumulated_end"])
    prior_close = standing_close(session, fiscal_year - 1)
    prior = _by_class(_stored_groups(session, prior_close.id), ["cost_end", "accumulated_end"]) if prior_close else {}
    adjustments = _by_class(adjustment_totals(session, fiscal_year), ["cost", "accumulated"])
    lines, warnings, notes = [], [], []
    if prior_close is None:
        notes.append(
            f"FY{fiscal_year - 1} is not closed: beginning balances are computed from the register, "
            f"not tied to a closed year."
        )
    if not totals.stored:
        notes.append(f"FY{fiscal_year} is open: these are projected figures, computed now and not stored.")
    for gasb in GASB_CLASSES:
        key = gasb.value
        now = this.get(key, {})
        before = prior.get(key, {})
        adjusted = adjustments.get(key, {})
        if prior_close is not None:
            cost_beginning, acc_beginning = before.get("cost_end", 0), before.get("accumulated_end", 0)
        else:
            cost_beginning, acc_beginning = now.get("cost_start", 0), now.get("accumulated_start", 0)
        cost = Movement(
            from_cents(cost_beginning), from_cents(now.get("additions", 0)), from_cents(now.get("deletions", 0)),
            from_cents(adjusted.get("cost", 0)), from_cents(now.get("cost_end", 0)),
        )
        accumulated = Movement(
            from_cents(acc_beginning), from_cents(now.get("depreciation", 0)),
            from_cents(now.get("accumulated_deletions", 0)), from_cents(adjusted.get("accumulated", 0)),
            from_cents(now.get("accumulated_end", 0)),
        )
        line = RollForwardLine(gasb, cost, accumulated)
        lines.append(line)
        for what, movement in (("cost", cost), ("accumulated depreciation", accumulated)):
            if movement.difference:
                source = f"FY{fiscal_year - 1}'s closed ending" if prior_close else "the computed beginning"
                warnings.append(
                    f"{line.label}, {what}: does not tie. Beginning {format_money(movement.beginning)} "
                    f"({source}) + additions − deletions ± adjustments comes to "
                    f"{format_money(movement.ending + movement.difference)}, but the ending is "
                    f"{format_money(movement.ending)} (off by {format_money(movement.difference)})."
                )
    return RollForward(fiscal_year, totals.stored, prior_close is not None, lines, warnings, notes)
