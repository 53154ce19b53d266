"""Room inventory sheets: every asset of the room is on them, the barcodes scan back to the
tags, long descriptions are printed in full, and "Page X of Y" adds up."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from models.errors import NotFoundError
from models.queries.roommap import GONE, SheetScope, sheet_assets, sheet_rooms
from models.schema import Asset, Room
from models.services.assets import create_asset
from reports import room_sheet
from reports.room_map import room_map_pdf
from models.queries import roommap as q
from models.roommap.overlay import OverlayKind
from tests.db_fixtures import asset_values

DPI = 200


def _busiest_room(db) -> int:
    with db.reading() as session:
        return session.execute(
            select(Asset.room_id).where(Asset.room_id.is_not(None), Asset.status.not_in(GONE))
            .group_by(Asset.room_id).order_by(func.count().desc(), Asset.room_id).limit(1)
        ).scalar_one()


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_every_asset_of_the_room_is_on_its_sheets(demo_db):
    room_id = _busiest_room(demo_db)
    with demo_db.reading() as session:
        expected = set(session.scalars(select(Asset.tag).where(Asset.room_id == room_id, Asset.status.not_in(GONE))))
        gone = set(session.scalars(select(Asset.tag).where(Asset.room_id == room_id, Asset.status.in_(GONE))))
        room = session.get(Room, room_id)
        number = room.number
    pdf = room_sheet.room_sheets_for(demo_db, SheetScope(room_id=room_id),
                                     room_sheet.SheetOptions(printed_by="auditor"))
    pages = _text(pdf)
    assert len(pages) > 1, "the busiest demo room should need more than one sheet"
    words = set(" ".join(pages).split())
    assert expected <= words
    assert not (gone & words), "disposed, lost or stolen assets are not expected in the room"
    assert f"Total: {len(expected):,} assets" in pages[-1]
    for index, text in enumerate(pages, 1):
        assert f"Page {index} of {len(pages)}" in text
        assert f"Room {number}" in text and f"sheet {index} of {len(pages)}" in text
    assert "Signature" in pages[-1] and "Date" in pages[-1]


@pytest.mark.skipif(shutil.which("pdftoppm") is None and not os.environ.get("CI"),
                    reason="needs pdftoppm (poppler-utils; .ci/run installs it)")
def test_barcodes_scan_back_to_the_tags(demo_db, tmp_path):
    room_id = _busiest_room(demo_db)
    rooms = sheet_rooms(demo_db, SheetScope(room_id=room_id))
    assets = list(sheet_assets(demo_db, [room_id]))
    pages = room_sheet.layout(rooms, assets)
    pdf = room_sheet.render(pages, room_sheet.SheetOptions())
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-f", "1", "-l", "2", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "page")], check=True)
    scale = DPI / 72
    checked = 0
    for number, page in enumerate(pages[:2], 1):
        image = Image.open(next(tmp_path.glob(f"page-*{number}.pgm")))
        y = room_sheet.PAGE_H - room_sheet.MARGIN - room_sheet.HEADER_H - room_sheet.TABLE_HEAD_H
        left = room_sheet.COLUMN_X["Barcode"]
        for row in page.rows:
            box = (int(left * scale), int((room_sheet.PAGE_H - y) * scale),
                   int((left + room_sheet.COLUMN_W["Barcode"]) * scale),
                   int((room_sheet.PAGE_H - y + row.height) * scale))
            found = zxingcpp.read_barcodes(image.crop(box), formats=zxingcpp.BarcodeFormat.Code128)
            assert [code.text for code in found] == [row.asset.tag]
            y -= row.height
            checked += 1
    assert checked >= 10


def test_long_descriptions_and_serials_are_printed_in_full(db, reference):
    long_description = ("Ceiling-mounted ultra-short-throw laser projector with interactive pen kit, "
                        "wall plate, HDMI extender, Supercalifragilisticexpialidocious-mount adapter and "
                        + "spare lamp " * 12).strip()[:240]
    serial = "SN-" + "7" * 60
    create_asset(db, "clerk", asset_values(reference, "LONG-1", description=long_description, serial=serial))
    create_asset(db, "clerk", asset_values(reference, "MUÑOZ-2", description="Mesa de la señora Muñoz — Ærø, Nguyễn"))
    pdf = room_sheet.room_sheets_for(db, SheetScope(room_id=reference.room))
    text = "".join(_text(pdf))
    squeezed = "".join(text.split())
    assert "".join(long_description.split()) in squeezed
    assert serial in squeezed
    assert "MUÑOZ-2" in text and "señora Muñoz" in text and "Ærø" in text and "Nguyễn" in text
    rooms = sheet_rooms(db, SheetScope(room_id=reference.room))
    for page in room_sheet.layout(rooms, sheet_assets(db, [reference.room])):
        for row in page.rows:
            for column, (font, lines) in (("Description", row.description), ("Serial", row.serial)):
                for line in lines:
                    assert room_sheet.text_width(line, font, room_sheet.BODY_SIZE) <= \
                        room_sheet.COLUMN_W[column] - 2 * room_sheet.PAD


def test_an_empty_room_still_gets_a_sheet_to_sign(db, reference):
    pdf = room_sheet.room_sheets_for(db, SheetScope(room_id=reference.other_room))
    text = _text(pdf)
    assert len(text) == 1
    assert "No assets are recorded in this room." in text[0] and "Total: 0 assets" in text[0]


def test_a_site_run_starts_each_room_on_its_own_page(demo_db):
    site = q.location_tree(demo_db)[0]
    rooms = sheet_rooms(demo_db, SheetScope(site_code=site.code.lower()))
    pdf = room_sheet.room_sheets_for(demo_db, SheetScope(site_code=site.code))
    pages = _text(pdf)
    firsts = [t for t in pages if re.search(r"sheet 1 of \d+", t)]
    assert len(firsts) == len(rooms)
    with pytest.raises(NotFoundError, match="site NOPE"):
        sheet_rooms(demo_db, SheetScope(site_code="NOPE"))


def test_room_map_pdf_shows_every_room_and_the_legend(demo_db):
    floor = q.floor_map(demo_db, q.location_tree(demo_db)[0].buildings[0].floors[0].id)
    figures = q.room_figures(demo_db, [r.id for r in floor.rooms])
    pdf = room_map_pdf(floor, figures, OverlayKind.COST)
    text = _text(pdf)[0]
    assert floor.floor_name in text and "Total cost" in text and "Page 1 of 1" in text
    for room in floor.rooms:
        assert room.number in text
    total = sum(f.count for f in figures.values())
    assert f"{len(floor.rooms):,} rooms, {total:,} assets" in text
    assert Decimal(0) <= sum((f.cost for f in figures.values()), Decimal(0))
