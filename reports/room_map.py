"""The room map of one floor as a PDF page: the plan (image or schematic), every room's
outline coloured by the chosen overlay, room numbers, and the legend."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from models.queries.roommap import FloorMap, PlanImage, RoomFigures, overlay_values
from models.roommap.geometry import bounds, centroid
from models.roommap.overlay import (
    OVERLAY_LABELS,
    TYPE_COLOURS,
    OverlayKind,
    build_scale,
    type_legend,
)
from reports._pdf import hex_colour, pick_font, register_fonts, text_width

PAGE_W, PAGE_H = landscape(letter)
MARGIN = 36.0
LEGEND_W = 150.0


def room_colours(
    floor: FloorMap, kind: OverlayKind, figures: Mapping[int, RoomFigures]
) -> tuple[dict[int, str], list]:
    """Each room's fill colour and the legend entries, as the screen shows them."""
    if kind in (OverlayKind.NONE, OverlayKind.MISSING):
        colours = {r.id: TYPE_COLOURS.get(r.room_type, TYPE_COLOURS["other"]) for r in floor.rooms}
        return colours, type_legend({r.room_type for r in floor.rooms})
    values = overlay_values(kind, dict(figures))
    scale = build_scale(kind, {r.id: values.get(r.id, 0) for r in floor.rooms})
    return {r.id: scale.colour(values.get(r.id, 0)) for r in floor.rooms}, scale.legend()


def room_map_pdf(
    floor: FloorMap,
    figures: Mapping[int, RoomFigures],
    kind: OverlayKind = OverlayKind.COUNT,
    plan: PlanImage | None = None,
    *,
    filter_label: str = "",
    printed_by: str = "",
    printed_on: date | None = None,
) -> bytes:
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    canvas.setTitle(f"Room map — {floor.title}")
    canvas.setCreator("Common Ground")
    title = f"{floor.site_name} · {floor.building_name} ({floor.building_code}) · {floor.floor_name}"
    canvas.setFont(bold, 14)
    canvas.drawString(MARGIN, PAGE_H - MARGIN - 14, title)
    canvas.setFont(regular, 9)
    overlay = OVERLAY_LABELS[kind] + (f": {filter_label}" if filter_label else "")
    note = "automatic schematic (no plan drawn yet)" if floor.schematic else (
        "plan image" if floor.has_plan else "drawn outlines")
    canvas.drawString(MARGIN, PAGE_H - MARGIN - 28, f"Coloured by {overlay.lower()} · {note}")
    # the drawing area, the plan scaled to fit it without distortion
    area_x, area_y = MARGIN, MARGIN + 16
    area_w = PAGE_W - 2 * MARGIN - LEGEND_W - 12
    area_h = PAGE_H - 2 * MARGIN - 40 - 16
    scale = min(area_w / floor.width, area_h / floor.height)
    ox = area_x + (area_w - floor.width * scale) / 2
    oy = area_y + area_h - (area_h - floor.height * scale) / 2  # top of the plan; y grows down

    def at(x: float, y: float) -> tuple[float, float]:
        return ox + x * scale, oy - y * scale

    if plan is not None:
        canvas.drawImage(ImageReader(io.BytesIO(plan.data)), ox, oy - floor.height * scale,
                         floor.width * scale, floor.height * scale)
    else:
        canvas.setStrokeGray(0.8)
        canvas.setLineWidth(0.5)
        canvas.rect(ox, oy - floor.height * scale, floor.width * scale, floor.height * scale)
    canvas.setFillGray(0.97)
    for corridor in floor.corridors:
        _polygon(canvas, [at(*p) for p in corridor], fill=True, stroke=False)
    colours, legend = room_colours(floor, kind, figures)
    canvas.setLineWidth(0.6)
    canvas.setStrokeGray(0.35)
    for room in floor.rooms:
        if room.outline is None:
            continue
        r, g, b = hex_colour(colours[room.id])
        canvas.setFillColorRGB(r, g, b, alpha=0.75 if plan is not None else 1)
        _polygon(canvas, [at(*p) for p in room.outline], fill=True, stroke=True)
    for room in floor.rooms:
        if room.outline is None:
            continue
        left, top, right, bottom = bounds(room.outline)
        width = (right - left) * scale
        cx, cy = at(*centroid(room.outline))
        size = max(4.0, min(8.0, width / max(3, len(room.number)) * 1.4))
        font = pick_font(room.number, "Helvetica-Bold", bold)
        dark = sum(hex_colour(colours[room.id])) < 1.4
        canvas.setFillGray(1 if dark else 0)
        canvas.setFont(font, size)
        canvas.drawCentredString(cx, cy - size / 3, room.number)
        figure = figures.get(room.id)
        if figure and kind is not OverlayKind.NONE and (bottom - top) * scale > 3 * size:
            canvas.setFont("Helvetica", size * 0.8)
            value = {
                OverlayKind.COST: f"${figure.cost:,.0f}",
                OverlayKind.BOOK_VALUE: f"${figure.book_cents // 100:,}",
            }.get(kind, f"{figure.count:,}")
            canvas.drawCentredString(cx, cy - size / 3 - size, value)
    unplaced = [r for r in floor.rooms if r.outline is None]
    # legend
    lx = PAGE_W - MARGIN - LEGEND_W
    ly = PAGE_H - MARGIN - 60
    canvas.setFillGray(0)
    canvas.setFont(bold, 10)
    canvas.drawString(lx, ly, OVERLAY_LABELS[kind] if kind is not OverlayKind.NONE else "Room type")
    ly -= 16
    canvas.setFont(regular, 8.5)
    for entry in legend:
        r, g, b = hex_colour(entry.colour)
        canvas.setFillColorRGB(r, g, b)
        canvas.setStrokeGray(0.35)
        canvas.rect(lx, ly - 2, 14, 10, fill=1, stroke=1)
        canvas.setFillGray(0)
        canvas.drawString(lx + 20, ly, entry.label)
        ly -= 14
    if filter_label:
        ly -= 6
        canvas.drawString(lx, ly, "Filter:")
        for line in _wrap(filter_label, regular, 8.5, LEGEND_W):
            ly -= 12
            canvas.drawString(lx, ly, line)
    total = sum(f.count for rid, f in figures.items() if floor.room(rid))
    ly -= 18
    canvas.drawString(lx, ly, f"{len(floor.rooms):,} rooms, {total:,} assets")
    if unplaced:
        ly -= 14
        canvas.drawString(lx, ly, f"Not drawn: {len(unplaced)} room{'s' if len(unplaced) != 1 else ''}")
        for line in _wrap(", ".join(r.number for r in unplaced[:40]), regular, 8.5, LEGEND_W):
            ly -= 12
            canvas.drawString(lx, ly, line)
    canvas.setFont(regular, 8)
    canvas.setFillGray(0.25)
    stamp = (printed_on or date.today()).isoformat()
    canvas.drawString(MARGIN, MARGIN, f"Printed {stamp}" + (f" by {printed_by}" if printed_by else ""))
    canvas.drawRightString(PAGE_W - MARGIN, MARGIN, "Page 1 of 1")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _polygon(canvas: Canvas, points: list[tuple[float, float]], *, fill: bool, stroke: bool) -> None:
    path = canvas.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    canvas.drawPath(path, fill=1 if fill else 0, stroke=1 if stroke else 0)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reports._pdf import wrap

    return wrap(text, font, size, width) if text_width(text, font, size) > width else [text]
