"""``commonground demo``: make a demo district in a database."""

from __future__ import annotations

import argparse

from desktop.commands._common import TerminalProgress, add_db_option, db_address, terminal_prompt
from models.actor import current_actor
from models.database import Database, connect_engine
from models.demo import DemoOptions, generate_demo
from models.migrate import SchemaStatus, schema_state, upgrade


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="fill an empty database with a generated district")
    add_db_option(parser)
    parser.add_argument("--assets", type=int, default=20_000, help="how many assets (default 20,000)")
    parser.add_argument("--seed", type=int, default=1, help="the same seed makes the same district")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.set_defaults(handler=run_demo)


def open_for_demo(address: str | None) -> Database:
    """Open the database the demo goes into: set up when empty, and brought up to this
    version's schema when an earlier version made it (a demo is ours to upgrade)."""
    engine = connect_engine(address, terminal_prompt)
    with engine.connect() as connection:
        status = schema_state(connection).status
    if status in (SchemaStatus.EMPTY, SchemaStatus.OLDER):
        upgrade(engine)
    engine.dispose()
    return Database.open(engine.url, prompt=terminal_prompt)


def run_demo(args: argparse.Namespace) -> int:
    db = open_for_demo(db_address(args))
    progress = TerminalProgress(args.quiet)
    try:
        summary = generate_demo(db, DemoOptions(assets=args.assets, seed=args.seed, owner=current_actor()),
                               progress)
    finally:
        progress.done()
        db.close()
    print(
        f"Demo district in {db.display_name}: {summary.sites} sites, {summary.buildings} buildings, "
        f"{summary.rooms:,} rooms, {summary.people:,} people, {summary.assets:,} assets, "
        f"{summary.history_events:,} history events ({summary.seconds:.1f} s)."
    )
    return 0
