"""The ``commonground`` command: opens the app, or runs a scripted command.

Scripted commands (``db``, ``history``, ``demo``, ``depreciation``) never load
Qt, so they start fast and run on servers without a display.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from desktop import __version__
from models import paths
from models.errors import UserError

COMMAND_MODULES = ("desktop.commands.db", "desktop.commands.history", "desktop.commands.demo",
                   "desktop.commands.depreciation", "desktop.commands.importing",
                   "desktop.commands.rooms", "desktop.commands.users")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commonground",
        description="Common Ground: one asset register for the district's IT, Finance and Facilities.",
    )
    parser.add_argument("--version", action="version", version=f"Common Ground {__version__}")
    parser.add_argument("--basedir", metavar="DIR", help="keep data, settings and logs under DIR")
    parser.add_argument("--db", metavar="URL", help="database: a SQLite file path or postgresql+psycopg://user@host/db")
    parser.add_argument("--demo", action="store_true", help="open the demo district (made on first use)")
    parser.add_argument("--screenshot", metavar="PATH", help="render the window to a PNG and exit")
    parser.add_argument("--view", metavar="NAME", default="home", help="the view to show first (home, register, ...; 'editor' opens the asset editor on a demo asset)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name == name:  # a command group this build does not have
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_given = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in args_given:  # the same check the bundle's programs run (desktop/selftest.py)
        from desktop.selftest import main as self_test

        return self_test(args_given)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.basedir:
        os.environ[paths.HOME_ENV] = os.path.abspath(args.basedir)
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.command:  # a command group given without its subcommand
            parser.parse_args([*(argv or sys.argv[1:]), "--help"])
        from desktop.app import run_app

        return run_app(args)
    try:
        return int(handler(args) or 0)
    except UserError as err:
        print(f"commonground: {err.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("commonground: interrupted; nothing was saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python from failing at exit
        return 0


if __name__ == "__main__":
    sys.exit(main())
