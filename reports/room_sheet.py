"""Room inventory sheets: what a room should hold, to walk it with a pen or a scanner.

One room, a floor, a building or a whole site in one PDF (landscape Letter). Each room
starts on a new page with its header (site, building, floor, room, responsible person);
every asset it holds has its tag, a Code128 barcode of the tag, the description wrapped
in full, serial, condition, a "seen" box and room for notes. The room's last page carries
the totals, lines for items found but not listed, and signature and date lines. Every
page says "Page X of Y" for the run and for the room.

Laid out by hand on the canvas (not platypus): a site of 2,000 rooms and 60,000 assets is
thousands of pages, and the sheets must come out at hundreds of pages a second.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab import rl_config
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

from models.database import Database
from models.progress import Progress, step
from models.queries.roommap import SheetAsset, SheetRoom, SheetScope, sheet_assets, sheet_rooms
from reports._pdf import (
    box,
    code128_modules,
    draw_bars,
    draw_lines,
    join_nonempty,
    module_count,
    pick_font,
    register_fonts,
    text_width,
    wrap,
)

STANDARD = "Helvetica"

PAGE_W, PAGE_H = landscape(letter)
MARGIN = 36.0
BODY_SIZE = 8.0
LEADING = 10.0
PAD = 4.0
BAR_H = 20.0
HEADER_H = 62.0
TABLE_HEAD_H = 16.0
FOOTER_H = 22.0
END_BLOCK_H = 128.0  # totals, three lines for found items, two signature lines

# (title, width in points); the widths fill the 720 points between the margins.
COLUMNS = (
    ("#", 24.0), ("Tag", 72.0), ("Barcode", 126.0), ("Description", 196.0), ("Serial", 96.0),
    ("Condition", 54.0), ("Seen", 30.0), ("Notes", 122.0),
)
COLUMN_X: dict[str, float] = {}
_x = MARGIN
for _title, _w in COLUMNS:
    COLUMN_X[_title] = _x
    _x += _w
COLUMN_W = dict(COLUMNS)

CONDITIONS = {"new": "New", "good": "Good", "fair": "Fair", "poor": "Poor", "broken": "Broken"}
STATUS_NOTES = {"in_repair": "in repair", "in_storage": "in storage", "loaned": "on loan",
                "on_order": "on order"}


@dataclass(frozen=True)
class SheetOptions:
    district: str = ""
    printed_by: str = ""
    printed_on: date | None = None


@dataclass
class _Row:
    number: int
    asset: SheetAsset
    tag: tuple[str, list[str]]  # (font, lines)
    description: tuple[str, list[str]]
    serial: tuple[str, list[str]]
    height: float


def _cell(text: str, column: str, regular: str) -> tuple[str, list[str]]:
    font = pick_font(text, STANDARD, regular)
    return font, wrap(text, font, BODY_SIZE, COLUMN_W[column] - 2 * PAD)


@dataclass
class _Page:
    room: SheetRoom
    rows: list[_Row]
    room_page: int
    room_pages: int = 0
    last_of_room: bool = False
    totals: tuple[int, int] = (0, 0)


def _rows(assets: Sequence[SheetAsset], regular: str) -> list[_Row]:
    rows = []
    for number, asset in enumerate(assets, 1):
        tag = _cell(asset.tag, "Tag", regular)
        description = _cell(asset.description, "Description", regular)
        status = STATUS_NOTES.get(asset.status)
        if status:
            description[1].append(f"({status})")
        serial = _cell(asset.serial or "—", "Serial", regular)
        lines = max(len(tag[1]), len(description[1]), len(serial[1]))
        height = max(BAR_H + 2 * PAD, lines * LEADING + 2 * PAD)
        rows.append(_Row(number, asset, tag, description, serial, height))
    return rows


def _paginate(room: SheetRoom, rows: list[_Row]) -> list[_Page]:
    top = PAGE_H - MARGIN - HEADER_H - TABLE_HEAD_H
    bottom = MARGIN + FOOTER_H
    pages = [_Page(room, [], 1)]
    y = top
    for row in rows:
        if y - row.height < bottom and pages[-1].rows:
            pages.append(_Page(room, [], len(pages) + 1))
            y = top
        pages[-1].rows.append(row)
        y -= row.height
    if y - END_BLOCK_H < bottom:
        pages.append(_Page(room, [], len(pages) + 1))
    total_cents = sum(r.asset.cost_cents for r in rows)
    for page in pages:
        page.room_pages = len(pages)
    pages[-1].last_of_room = True
    pages[-1].totals = (len(rows), total_cents)
    return pages


def layout(
    rooms: Sequence[SheetRoom], assets: Iterable[tuple[int, list[SheetAsset]]]
) -> list[_Page]:
    """Every page of the run, in order, before anything is drawn (so "of Y" is known)."""
    regular, _bold = register_fonts()
    by_id = {room.id: room for room in rooms}
    pages: list[_Page] = []
    for room_id, room_assets in assets:
        pages.extend(_paginate(by_id[room_id], _rows(room_assets, regular)))
    return pages


def render(pages: Sequence[_Page], options: SheetOptions, progress: Progress | None = None) -> bytes:
    regular, bold = register_fonts()
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0  # binary streams: smaller and much faster than ASCII85 text
    try:
        return _render(pages, options, progress, regular, bold)
    finally:
        rl_config.useA85 = saved_a85


def _render(pages: Sequence[_Page], options: SheetOptions, progress: Progress | None,
            regular: str, bold: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    canvas.setTitle("Room inventory sheets")
    canvas.setAuthor(options.printed_by or "Common Ground")
    canvas.setCreator("Common Ground")
    printed_on = options.printed_on or date.today()
    total = len(pages)
    for index, page in enumerate(pages, 1):
        _draw_page(canvas, page, index, total, options, printed_on, regular, bold)
        canvas.showPage()
        if index % 50 == 0 or index == total:
            step(progress, index, total, f"Drawing page {index:,} of {total:,}")
    canvas.save()
    return buffer.getvalue()


def _draw_page(canvas: Canvas, page: _Page, index: int, total: int, options: SheetOptions,
               printed_on: date, regular: str, bold: str) -> None:
    room = page.room
    top = PAGE_H - MARGIN
    right = PAGE_W - MARGIN
    canvas.setFillGray(0)
    canvas.setFont(bold, 14)
    room_title = f"Room {room.number}" + (f" — {room.name}" if room.name and room.name != room.number else "")
    canvas.drawString(MARGIN, top - 14, room_title)
    canvas.setFont(regular, 9)
    canvas.drawRightString(right, top - 12, join_nonempty([options.district, "Room inventory sheet"]))
    canvas.setFont(regular, 9)
    canvas.drawString(MARGIN, top - 30, f"Site: {room.site_name} ({room.site_code})")
    canvas.drawString(MARGIN + 260, top - 30, f"Building: {room.building_name} ({room.building_code})")
    canvas.drawString(MARGIN + 500, top - 30, f"Floor: {room.floor_name}")
    canvas.drawString(MARGIN, top - 44, f"Responsible: {room.responsible or 'not named'}")
    canvas.drawString(MARGIN + 260, top - 44, f"Room type: {room.room_type.replace('_', ' ')}")
    canvas.drawString(MARGIN + 500, top - 44, f"Printed {printed_on.isoformat()}"
                      + (f" by {options.printed_by}" if options.printed_by else ""))
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 52, right, top - 52)
    y = top - HEADER_H
    _draw_table_head(canvas, y, bold)
    y -= TABLE_HEAD_H
    if not page.rows and page.room_page == 1 and page.last_of_room and page.totals[0] == 0:
        canvas.setFont(regular, 9)
        canvas.drawString(MARGIN + PAD, y - 14, "No assets are recorded in this room.")
        y -= 24
    canvas.setLineWidth(0.3)
    for row in page.rows:
        _draw_row(canvas, row, y, regular)
        y -= row.height
        canvas.line(MARGIN, y, right, y)
    if page.last_of_room:
        _draw_end_block(canvas, page, y, regular, bold)
    canvas.setFont(regular, 8)
    canvas.setFillGray(0.25)
    canvas.drawString(MARGIN, MARGIN, f"Room {room.number}, {room.building_code} {room.site_code}: "
                      f"sheet {page.room_page} of {page.room_pages}")
    canvas.drawRightString(right, MARGIN, f"Page {index:,} of {total:,}")
    canvas.setFillGray(0)


def _draw_table_head(canvas: Canvas, y: float, bold: str) -> None:
    canvas.setFillGray(0.9)
    canvas.rect(MARGIN, y - TABLE_HEAD_H, PAGE_W - 2 * MARGIN, TABLE_HEAD_H, stroke=0, fill=1)
    canvas.setFillGray(0)
    canvas.setFont(bold, BODY_SIZE)
    for title, _w in COLUMNS:
        canvas.drawString(COLUMN_X[title] + PAD, y - TABLE_HEAD_H + 5, title)


def _draw_cell(canvas: Canvas, cell: tuple[str, list[str]], x: float, y: float) -> None:
    font, lines = cell
    draw_lines(canvas, font, BODY_SIZE, x, y - PAD - BODY_SIZE + 1, lines, LEADING)


def _draw_row(canvas: Canvas, row: _Row, y: float, regular: str) -> None:
    baseline = y - PAD - BODY_SIZE + 1
    number = str(row.number)
    draw_lines(canvas, STANDARD, BODY_SIZE,
               COLUMN_X["#"] + COLUMN_W["#"] - PAD - text_width(number, STANDARD, BODY_SIZE),
               baseline, [number], LEADING)
    _draw_cell(canvas, row.tag, COLUMN_X["Tag"] + PAD, y)
    _draw_cell(canvas, row.description, COLUMN_X["Description"] + PAD, y)
    _draw_cell(canvas, row.serial, COLUMN_X["Serial"] + PAD, y)
    draw_lines(canvas, STANDARD, BODY_SIZE, COLUMN_X["Condition"] + PAD, baseline,
               [CONDITIONS.get(row.asset.condition, row.asset.condition)], LEADING)
    pattern = code128_modules(row.asset.tag)
    space = COLUMN_W["Barcode"] - 2 * PAD
    module = min(1.2, space / module_count(pattern))
    draw_bars(canvas, pattern, COLUMN_X["Barcode"] + PAD, y - PAD - BAR_H, module, BAR_H)
    side = 10.0
    box(canvas, COLUMN_X["Seen"] + (COLUMN_W["Seen"] - side) / 2, y - PAD - side - 2, side, side)


def _money(cents: int) -> str:
    return f"${Decimal(cents) / 100:,.2f}"


def _draw_end_block(canvas: Canvas, page: _Page, y: float, regular: str, bold: str) -> None:
    count, cents = page.totals
    right = PAGE_W - MARGIN
    y -= 16
    canvas.setFont(bold, 9)
    canvas.drawString(MARGIN, y, f"Total: {count:,} asset{'s' if count != 1 else ''}, cost {_money(cents)}")
    canvas.setFont(regular, 9)
    canvas.drawString(MARGIN + 300, y, "Seen: ________ of " + f"{count:,}")
    y -= 18
    canvas.drawString(MARGIN, y, "Found in the room but not listed (tag, description, serial):")
    canvas.setLineWidth(0.3)
    for _ in range(3):
        y -= 14
        canvas.line(MARGIN, y, right, y)
    y -= 28
    canvas.setLineWidth(0.6)
    for label in ("Counted by", "Responsible person"):
        canvas.drawString(MARGIN, y + 2, f"{label}:")
        canvas.line(MARGIN + 100, y, MARGIN + 300, y)
        canvas.drawString(MARGIN + 320, y + 2, "Signature:")
        canvas.line(MARGIN + 375, y, MARGIN + 560, y)
        canvas.drawString(MARGIN + 580, y + 2, "Date:")
        canvas.line(MARGIN + 610, y, right, y)
        y -= 22


def room_sheets(
    rooms: Sequence[SheetRoom],
    assets: Iterable[tuple[int, list[SheetAsset]]],
    options: SheetOptions = SheetOptions(),
    progress: Progress | None = None,
) -> bytes:
    """The sheets for ``rooms`` (in that order) with each room's assets, as PDF bytes."""
    return render(layout(rooms, assets), options, progress)


def room_sheets_for(
    db: Database, scope: SheetScope, options: SheetOptions = SheetOptions(),
    progress: Progress | None = None,
) -> bytes:
    """Read the rooms of ``scope`` and their assets from the database and make their sheets."""
    from models.queries.roommap import district_name

    rooms = sheet_rooms(db, scope)
    if not options.district:
        options = SheetOptions(district_name(db), options.printed_by, options.printed_on)
    step(progress, 0, len(rooms), f"Reading {len(rooms):,} rooms")
    pages = layout(rooms, sheet_assets(db, [r.id for r in rooms], progress))
    return render(pages, options, progress)


def write_room_sheets(path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


Callback = Callable[[int, int, str], None]
