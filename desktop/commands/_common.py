"""Pieces the scripted commands share: the --db option, password prompt, progress."""

from __future__ import annotations

import argparse
import getpass
import sys
import time

from sqlalchemy.engine import URL

from models.connection import display_url


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        dest="sub_db",
        metavar="URL",
        help="database: a SQLite file path or postgresql+psycopg://user@host/db (default: your own file)",
    )


def db_address(args: argparse.Namespace) -> str | None:
    return getattr(args, "sub_db", None) or getattr(args, "db", None)


def terminal_prompt(url: URL) -> str | None:
    """Ask for a server password on the terminal; None without one (CI, services)."""
    if not sys.stdin or not sys.stdin.isatty():
        return None
    return getpass.getpass(f"Password for {display_url(url)}: ")


class TerminalProgress:
    """A progress line on stderr, redrawn at most a few times a second."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.last = 0.0
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if stage == self.stage and now - self.last < 0.25 and done < total:
            return
        self.stage, self.last = stage, now
        percent = f" {100 * done // total:3d}%" if total else ""
        end = "\n" if not sys.stderr.isatty() else "\r"
        print(f"{stage}: {done:,} of {total:,}{percent}".ljust(60), end=end, file=sys.stderr, flush=True)

    def done(self) -> None:
        if not self.quiet and sys.stderr.isatty():
            print(file=sys.stderr)
