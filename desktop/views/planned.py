"""The views of the rail, in order. A view is built when ``desktop/views/<key>.py`` defines
``View`` (a QWidget taking the Database); until then the rail lists it disabled, with what it
will do as a tooltip."""

from __future__ import annotations

import importlib
from typing import Any

PLANNED_VIEWS = [
    ("register", "Register",
     "Every asset in one table: search by tag, serial, description, person or room; filter, "
     "sort, edit, move and export."),
    ("depreciation", "Depreciation",
     "Schedules by GASB class and function, the roll-forward, fiscal-year close and journal entries."),
    ("roommap", "Room maps",
     "Floor plans with rooms coloured by what they hold; print room inventory sheets."),
    ("inventory", "Inventory",
     "Physical-inventory campaigns: scan rooms, reconcile verified, misplaced, missing and unknown."),
    ("compliance", "Compliance",
     "Funding-source rules: federal equipment records, E-Rate and ECF, disposition paybacks."),
    ("reports", "Reports",
     "Audit packets, room inventory sheets and asset labels as PDF and Excel."),
]


def built_view(key: str) -> Any | None:
    """The ``View`` class of ``desktop.views.<key>``, or None while that view is not built."""
    name = f"desktop.views.{key}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name == name:
            return None
        raise
    return getattr(module, "View", None)
