"""``commonground import FILE...``: preview and import spreadsheets from the command line.

Several files of the same district (IT, Finance, Facilities) are consolidated
into one preview. Without ``--dry-run`` the import is committed as one batch
that ``commonground import --undo BATCH`` takes back. No Qt here.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from desktop.commands._common import TerminalProgress, add_db_option, db_address, terminal_prompt
from models.actor import current_actor
from models.database import Database
from models.errors import UserError
from models.progress import Progress

DEPARTMENTS = ("it", "finance", "facilities", "other")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import spreadsheets (CSV, XLSX) into the register, with a preview",
        description="Preview and import one or more spreadsheets. Several files of the same district "
        "(IT device export, Finance fixed-asset listing, Facilities room inventory) are consolidated.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="CSV or XLSX files")
    parser.add_argument("--sheet", metavar="NAME", help="the sheet to read in workbooks (default: the first with data)")
    parser.add_argument("--mapping", metavar="FILE",
                        help='a JSON mapping: {"department": "it", "columns": {"Serial Number": "serial", ...}}')
    parser.add_argument("--source", metavar="NAME",
                        help="the source name the mapping is saved and looked up under (default: the file name)")
    parser.add_argument("--department", choices=DEPARTMENTS, help="which department the file(s) come from")
    parser.add_argument("--save-mapping", action="store_true", help="save each file's mapping for next time")
    parser.add_argument("--dry-run", action="store_true", help="show the preview and write nothing")
    parser.add_argument("--create-locations", action="store_true", help="create sites, buildings and rooms the register lacks")
    parser.add_argument("--create-models", action="store_true", help="create models the catalog lacks")
    parser.add_argument("--rule", action="append", default=[], metavar="FIELD=DEPARTMENT",
                        help="who wins a field in conflicts, e.g. --rule location=it (repeatable)")
    parser.add_argument("--limit", type=int, default=50, help="how many rejected rows, conflicts and changes to list")
    parser.add_argument("--json", action="store_true", help="print the preview counts and problems as JSON")
    parser.add_argument("--undo", metavar="BATCH", help="undo the import with this batch id")
    parser.add_argument("--list", action="store_true", help="list recent imports")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from models import importing
    from models.importing.mapping import Department
    from models.importing.summary import preview_lines

    if not args.files and not args.undo and not args.list:
        raise UserError("Name at least one file to import (or use --undo BATCH or --list).")
    db = Database.open(db_address(args), prompt=terminal_prompt)
    try:
        if args.list:
            for batch in importing.list_batches(db):
                undone = f"  undone {batch.undone_at:%Y-%m-%d %H:%M} by {batch.undone_by}" if batch.undone_at else ""
                print(f"{batch.id}  {batch.committed_at:%Y-%m-%d %H:%M}  {batch.actor}  {batch.files}  "
                      f"new {batch.created}, updated {batch.updated}, rejected {batch.rejected}{undone}")
            return 0
        if args.undo:
            result = importing.undo_import(db, current_actor(), args.undo)
            print(f"Undone: {result.deleted:,} assets removed, {result.restored:,} restored to their earlier values.")
            return 0
        saved = importing.read_mapping_file(args.mapping) if args.mapping else None
        files = []
        for path in args.files:
            per_file = _mapping_for(saved, path, args.source)
            source = importing.prepare_source(db, path, args.sheet, source=args.source, saved=per_file)
            if args.department:
                source.mapping.department = Department(args.department)
            files.append(source)
        options = importing.PlanOptions(
            create_locations=args.create_locations,
            create_models=args.create_models,
            field_rules=_rules(args.rule),
        )
        terminal = TerminalProgress(quiet=args.json)
        progress = Progress(lambda done, total, message: terminal(message.split("…")[0].split(":")[0] or "Working", done, total or 0))
        plan = importing.build_plan(db, files, options, progress)
        terminal.done()
        if args.json:
            print(json.dumps(_as_json(plan), indent=2, ensure_ascii=False))
        else:
            for line in preview_lines(plan, args.limit):
                print(line)
        if args.save_mapping:
            for source in files:
                importing.save_mapping(db, current_actor(), source.mapping.source or source.table.path.stem,
                                       source.mapping)
        if args.dry_run:
            if not args.json:
                print("\nDry run: nothing was written.")
            return 0
        if not plan.new and not plan.updated:
            print("\nNothing to import.", file=sys.stderr)
            return 1 if plan.rejected else 0
        result = importing.commit_plan(db, current_actor(), plan, progress)
        terminal.done()
        if not args.json:
            print(f"\nImported as batch {result.batch_id}: {result.created:,} new, {result.updated:,} updated. "
                  f"Undo with: commonground import --undo {result.batch_id}")
        return 0
    finally:
        db.close()


def _mapping_for(saved: dict[str, Any] | None, path: str, source: str | None) -> dict[str, Any] | None:
    if saved is None:
        return None
    if "sources" in saved:
        from models.importing import source_name

        return saved["sources"].get(source or source_name(path))
    return saved


def _rules(items: list[str]) -> dict[str, Any]:
    from models.importing.mapping import Department
    from models.importing.plan import FIELD_LABELS

    rules = {}
    for item in items:
        field, _, department = item.partition("=")
        if field not in FIELD_LABELS or department not in DEPARTMENTS:
            raise UserError(f"--rule {item}: write FIELD=DEPARTMENT with a field of {', '.join(FIELD_LABELS)} "
                            f"and a department of {', '.join(DEPARTMENTS)}.")
        rules[field] = Department(department)
    return rules


def _as_json(plan: Any) -> dict[str, Any]:
    return {
        "counts": plan.counts,
        "rows_read": plan.rows_read,
        "rejected": [vars(r) for r in plan.rejected],
        "flagged": [vars(r) for r in plan.flagged],
        "conflicts": [
            {"asset": c.key, "field": c.field, "chosen": c.chosen, "why": c.why,
             "candidates": [{"value": plan.display(c.field, x.value), "file": plan.file_name(x.file), "row": x.row,
                             "department": x.department.value} for x in c.candidates]}
            for c in plan.conflicts
        ],
    }
