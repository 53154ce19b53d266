"""Spreadsheet import: read CSV/XLSX, map columns, normalise, match, preview, commit, undo.

The wizard and the ``commonground import`` command both use ``prepare_source``
to open a file with its proposed (or saved) mapping, ``build_plan`` for the
preview, ``commit_plan`` to write it and ``undo_import`` to take it back.
"""

from __future__ import annotations

import re
from pathlib import Path

from models.database import Database
from models.importing.commit import ImportResult, StaleImportError, commit_plan
from models.importing.mapping import (
    FIELD_BY_KEY,
    FIELDS,
    Department,
    Mapping,
    apply_saved,
    is_known_header,
    propose,
    read_mapping_file,
)
from models.importing.plan import (
    Conflict,
    ImportPlan,
    PlannedAsset,
    PlanOptions,
    Rejection,
    SourceFile,
    build_plan,
)
from models.importing.reading import SourceTable, UnreadableFileError, open_table, sheet_names
from models.importing.store import list_batches, load_mapping, save_mapping, saved_sources
from models.importing.undo import UndoRefusedError, UndoResult, undo_import


def source_name(path: str | Path) -> str:
    """The default name a file's mapping is saved under: its name without dates and numbers."""
    stem = Path(path).stem
    stem = re.sub(r"[\s_-]*(\d{4}[-_]?\d{2}([-_]?\d{2})?|\d+)$", "", stem)
    return stem.strip(" _-") or Path(path).stem


def prepare_source(
    db: Database | None,
    path: str | Path,
    sheet: str | None = None,
    *,
    source: str | None = None,
    saved: dict | None = None,
) -> SourceFile:
    """Open ``path`` and map its columns: ``saved`` (a mapping file's content) if given,
    else the mapping saved in the database for ``source``, else the proposal."""
    table = open_table(path, sheet, is_header=is_known_header)
    name = source or source_name(path)
    mapping = propose(table.headers, table.sample(50), source=name)
    if saved is None and db is not None:
        saved = load_mapping(db, name)
    if saved is not None:
        apply_saved(mapping, saved)
    mapping.source = name
    return SourceFile(table, mapping)


__all__ = [
    "FIELDS", "FIELD_BY_KEY", "Conflict", "Department", "ImportPlan", "ImportResult", "Mapping",
    "PlanOptions", "PlannedAsset", "Rejection", "SourceFile", "SourceTable", "StaleImportError",
    "UndoRefusedError", "UndoResult", "UnreadableFileError", "build_plan", "commit_plan", "list_batches",
    "load_mapping", "open_table", "prepare_source", "propose", "read_mapping_file", "save_mapping",
    "saved_sources", "sheet_names", "source_name", "undo_import",
]
