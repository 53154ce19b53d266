"""``commonground history verify``: recompute the hash chain of every recorded change."""

from __future__ import annotations

import argparse
import sys

from desktop.commands._common import add_db_option, db_address, terminal_prompt
from models.database import Database
from models.history import verify_chain


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("history", help="the change history")
    commands = parser.add_subparsers(dest="history_command", metavar="ACTION")
    verify = commands.add_parser("verify", help="check that no history event was altered or removed")
    add_db_option(verify)
    verify.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    db = Database.open(db_address(args), create=False, prompt=terminal_prompt)
    try:
        with db.engine.connect() as connection:
            report = verify_chain(connection)
    finally:
        db.close()
    if report.intact:
        print(f"History intact: {report.events_checked:,} events checked in {db.display_name}.")
        return 0
    print(
        f"History broken at event #{report.broken_event_id}: {report.problem}. "
        f"{report.events_checked:,} events before it check out.",
        file=sys.stderr,
    )
    return 1
