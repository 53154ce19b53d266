"""Who is making a change, as history records it."""

from __future__ import annotations

import getpass
import os

USER_ENV = "COMMONGROUND_USER"


def current_actor() -> str:
    """The signed-in person: ``COMMONGROUND_USER`` if set, else the OS account name."""
    name = os.environ.get(USER_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user database entry (some containers)
        return "unknown"
