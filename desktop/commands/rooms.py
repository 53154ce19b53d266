"""``commonground rooms``: room inventory sheets and room maps as PDF, without the window.

    commonground rooms sheets --site CODE | --building ID | --floor ID | --room ID --out FILE.pdf
    commonground rooms map --floor ID [--overlay count|cost|none] --out FILE.pdf
    commonground rooms floors              (lists the sites, buildings and floors with their ids)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from desktop.commands._common import add_db_option, db_address, terminal_prompt
from models.actor import current_actor
from models.database import Database
from models.errors import ValidationError
from models.progress import Progress


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rooms", help="room inventory sheets and room maps (PDF)")
    commands = parser.add_subparsers(dest="rooms_command", metavar="ACTION")

    sheets = commands.add_parser("sheets", help="room inventory sheets for a room, floor, building or site")
    add_db_option(sheets)
    scope = sheets.add_mutually_exclusive_group(required=True)
    scope.add_argument("--site", metavar="CODE", help="every room of the site with this code")
    scope.add_argument("--building", metavar="ID", type=int, help="every room of this building")
    scope.add_argument("--floor", metavar="ID", type=int, help="every room of this floor")
    scope.add_argument("--room", metavar="ID", type=int, help="one room")
    sheets.add_argument("--out", metavar="FILE.pdf", required=True, help="where to write the PDF")
    sheets.add_argument("--quiet", action="store_true", help="no progress line")
    sheets.set_defaults(handler=run_sheets)

    room_map = commands.add_parser("map", help="the room map of one floor as a PDF page")
    add_db_option(room_map)
    room_map.add_argument("--floor", metavar="ID", type=int, required=True)
    room_map.add_argument("--overlay", choices=["count", "cost", "none"], default="count",
                          help="what colours the rooms (default: asset count)")
    room_map.add_argument("--out", metavar="FILE.pdf", required=True)
    room_map.set_defaults(handler=run_map)

    floors = commands.add_parser("floors", help="list sites, buildings and floors with their ids")
    add_db_option(floors)
    floors.set_defaults(handler=run_floors)


def _open(args: argparse.Namespace) -> Database:
    return Database.open(db_address(args), create=False, prompt=terminal_prompt)


def _check_out(path: str) -> Path:
    out = Path(path)
    if out.suffix.lower() != ".pdf":
        raise ValidationError("--out", f"{path} should end in .pdf")
    if not out.parent.exists():
        raise ValidationError("--out", f"the folder {out.parent} does not exist")
    return out


def run_sheets(args: argparse.Namespace) -> int:
    from models.queries.roommap import SheetScope
    from reports.room_sheet import SheetOptions, room_sheets_for

    out = _check_out(args.out)
    scope = SheetScope(room_id=args.room, floor_id=args.floor, building_id=args.building,
                       site_code=args.site)
    started = time.monotonic()
    last = [0.0]

    def report(done: int, total: int | None, message: str) -> None:
        now = time.monotonic()
        if args.quiet or now - last[0] < 0.5:
            return
        last[0] = now
        print(f"{message}".ljust(60), end="\r" if sys.stderr.isatty() else "\n", file=sys.stderr, flush=True)

    db = _open(args)
    try:
        data = room_sheets_for(db, scope, SheetOptions(printed_by=current_actor()), Progress(report))
    finally:
        db.close()
    out.write_bytes(data)
    print(f"Wrote {out} ({len(data) / 1024:,.0f} KB) in {time.monotonic() - started:.1f} s.")
    return 0


def run_map(args: argparse.Namespace) -> int:
    from models.queries import roommap as q
    from models.roommap.overlay import OverlayKind
    from reports.room_map import room_map_pdf

    out = _check_out(args.out)
    db = _open(args)
    try:
        floor = q.floor_map(db, args.floor)
        figures = q.room_figures(db, [r.id for r in floor.rooms])
        plan = q.plan_image(db, args.floor) if floor.has_plan else None
    finally:
        db.close()
    data = room_map_pdf(floor, figures, OverlayKind(args.overlay), plan, printed_by=current_actor())
    out.write_bytes(data)
    print(f"Wrote {out}: {floor.title}, {len(floor.rooms)} rooms"
          + (" (automatic schematic)" if floor.schematic else "") + ".")
    return 0


def run_floors(args: argparse.Namespace) -> int:
    from models.queries.roommap import location_tree

    db = _open(args)
    try:
        tree = location_tree(db)
    finally:
        db.close()
    for site in tree:
        print(f"{site.code}  {site.name}")
        for building in site.buildings:
            print(f"  building {building.id}: {building.code} {building.name}")
            for floor in building.floors:
                print(f"    floor {floor.id}: {floor.name} (level {floor.level})")
    return 0
