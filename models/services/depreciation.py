"""Closing and reopening fiscal years, as the app and the command line do it: role checks,
one unit of work, progress and cancel (a cancel rolls the whole close back)."""

from __future__ import annotations

from datetime import date

from models.database import Database
from models.depreciation.close import CloseSummary, ReopenSummary, close_fiscal_year, reopen_fiscal_year
from models.progress import Progress
from models.schema import Role
from models.services.roles import require_role


def close_year(
    db: Database,
    actor: str,
    fiscal_year: int,
    *,
    opening: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> CloseSummary:
    """Close ``fiscal_year`` (needs the finance role)."""
    with db.unit_of_work(actor) as work:
        require_role(work.session, actor, Role.FINANCE, f"close FY{fiscal_year}")
        return close_fiscal_year(work, fiscal_year, opening=opening, progress=progress, today=today)


def reopen_year(db: Database, actor: str, fiscal_year: int, reason: str) -> ReopenSummary:
    """Reopen the latest closed year (needs the admin role and a reason)."""
    with db.unit_of_work(actor) as work:
        require_role(work.session, actor, Role.ADMIN, f"reopen FY{fiscal_year}")
        return reopen_fiscal_year(work, fiscal_year, reason)
