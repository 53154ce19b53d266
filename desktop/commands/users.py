"""``commonground users grant|revoke|list``: who holds the finance and admin roles."""

from __future__ import annotations

import argparse

from desktop.commands._common import add_db_option, db_address, terminal_prompt
from models.actor import current_actor
from models.database import Database
from models.schema import Role
from models.services import roles


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("users", help="who may close and reopen fiscal years (roles)")
    commands = parser.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    for name, text in (("grant", "give a user a role"), ("revoke", "take a role from a user")):
        command = commands.add_parser(
            name,
            help=text,
            description=f"{text[0].upper()}{text[1:]}. Roles: "
            + "; ".join(f"{role.value} ({purpose})" for role, purpose in roles.ROLE_PURPOSE.items()),
        )
        command.add_argument("user", help="the user name, as the person signs in")
        command.add_argument("role", choices=[role.value for role in Role])
        add_db_option(command)
        command.set_defaults(handler=run_grant if name == "grant" else run_revoke)
    listing = commands.add_parser("list", help="list every grant")
    add_db_option(listing)
    listing.set_defaults(handler=run_list)


def _open(args: argparse.Namespace) -> Database:
    return Database.open(db_address(args), create=False, prompt=terminal_prompt)


def run_grant(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        added = roles.grant(db, current_actor(), args.user, args.role)
    finally:
        db.close()
    print(f"{args.user} {'now has' if added else 'already had'} the {args.role} role.")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        removed = roles.revoke(db, current_actor(), args.user, args.role)
    finally:
        db.close()
    print(f"{args.user} {'no longer has' if removed else 'did not have'} the {args.role} role.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        grants = roles.list_roles(db)
    finally:
        db.close()
    if not grants:
        print("No roles granted yet. The first administrator is granted with: "
              "commonground users grant NAME admin")
        return 0
    width = max(len(user) for user, *_ in grants)
    for user, role, granted_by, granted_at in grants:
        print(f"{user.ljust(width)}  {role.value:<8}  granted by {granted_by} on {granted_at:%Y-%m-%d}")
    return 0
