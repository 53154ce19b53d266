"""``commonground db``: schema status and upgrades, for the district's administrator."""

from __future__ import annotations

import argparse

from sqlalchemy import Engine

from desktop.commands._common import add_db_option, db_address, terminal_prompt
from models.connection import display_url
from models.database import connect_engine
from models.migrate import SchemaStatus, schema_state, upgrade


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="database schema: status and upgrade")
    commands = parser.add_subparsers(dest="db_command", metavar="ACTION")
    status = commands.add_parser("status", help="show the schema revision of a database")
    add_db_option(status)
    status.set_defaults(handler=run_status)
    up = commands.add_parser("upgrade", help="create or upgrade the schema to this version's")
    add_db_option(up)
    up.set_defaults(handler=run_upgrade)


def _engine(args: argparse.Namespace) -> Engine:
    return connect_engine(db_address(args), terminal_prompt)


def run_status(args: argparse.Namespace) -> int:
    engine = _engine(args)
    try:
        with engine.connect() as connection:
            state = schema_state(connection)
    finally:
        engine.dispose()
    print(f"database: {display_url(engine.url)}")
    print(f"schema:   {state.database_revision or '(none)'}   this app: {state.app_revision}   ({state.status.value})")
    return 0 if state.status is SchemaStatus.CURRENT else 1


def run_upgrade(args: argparse.Namespace) -> int:
    engine = _engine(args)
    try:
        return _upgrade(engine)
    finally:
        engine.dispose()


def _upgrade(engine: Engine) -> int:
    where = display_url(engine.url)
    with engine.connect() as connection:
        before = schema_state(connection)
    if before.status is SchemaStatus.NEWER:
        print(f"{where} has schema {before.database_revision}, newer than this app's "
              f"{before.app_revision}; it was not changed. Install the newer Common Ground.")
        return 1
    if before.status is SchemaStatus.FOREIGN:
        print(f"{where} holds other tables and no Common Ground schema; it was not changed. "
              "Give Common Ground a database of its own.")
        return 1
    if before.status is SchemaStatus.CURRENT:
        print(f"{where} is up to date (schema {before.app_revision}).")
        return 0
    upgrade(engine)
    print(f"{where}: schema {before.database_revision or '(new)'} -> {before.app_revision}.")
    return 0
