"""The automatic schematic: a usable map of a floor that nobody has drawn.

Rooms are laid out in number order along double-loaded corridors (rooms on both sides),
sized by what they are: a gym or library large, a classroom medium, an office, closet or
storage room small. A long floor wraps into several parallel wings. Units are feet; the
result depends only on the rooms given, so the same floor always gets the same map.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from models.roommap.geometry import Outline, rectangle

CORRIDOR = 10.0
MARGIN = 8.0
WING_GAP = 6.0

# width along the corridor × depth away from it, in feet
ROOM_SIZES: dict[str, tuple[float, float]] = {
    "classroom": (30, 28),
    "lab": (36, 30),
    "office": (14, 14),
    "library": (54, 40),
    "gym": (72, 56),
    "cafeteria": (60, 44),
    "kitchen": (28, 24),
    "auditorium": (64, 52),
    "storage": (12, 12),
    "mechanical": (16, 16),
    "server": (10, 10),
    "garage": (26, 32),
    "restroom": (12, 14),
    "corridor": (30, 10),
    "other": (20, 20),
}


@dataclass(frozen=True)
class SchematicRoom:
    id: int
    number: str
    room_type: str


@dataclass(frozen=True)
class Schematic:
    width: float
    height: float
    outlines: dict[int, Outline]
    corridors: tuple[Outline, ...]


def number_key(number: str) -> tuple:
    """Natural order for room numbers: 101 < 102 < 110 < 110A < B12."""
    parts = re.split(r"(\d+)", number.strip().upper())
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts if part)


def room_size(room_type: str) -> tuple[float, float]:
    return ROOM_SIZES.get(str(room_type), ROOM_SIZES["other"])


def layout(rooms: Sequence[SchematicRoom]) -> Schematic:
    """Lay ``rooms`` out along corridors; every room gets a rectangle, none overlap."""
    ordered = sorted(rooms, key=lambda r: (number_key(r.number), r.id))
    if not ordered:
        return Schematic(2 * MARGIN + 60, 2 * MARGIN + 40, {}, ())
    total_width = sum(room_size(r.room_type)[0] for r in ordered)
    # Aim for wings of a building-like proportion: longer than deep, not a single ribbon.
    wing_length = max(120.0, min(420.0, math.sqrt(total_width * 90.0)))
    wings: list[list[SchematicRoom]] = [[]]
    run = 0.0
    for room in ordered:
        w = room_size(room.room_type)[0]
        # Both sides of the corridor share a wing, so a wing holds about twice its length.
        if wings[-1] and run + w > 2 * wing_length:
            wings.append([])
            run = 0.0
        wings[-1].append(room)
        run += w
    outlines: dict[int, Outline] = {}
    corridors: list[Outline] = []
    y = MARGIN
    widest = 0.0
    for wing in wings:
        north: list[SchematicRoom] = []
        south: list[SchematicRoom] = []
        north_run = south_run = 0.0
        for room in wing:  # the side that is shorter so far takes the next room
            w = room_size(room.room_type)[0]
            if north_run <= south_run:
                north.append(room)
                north_run += w
            else:
                south.append(room)
                south_run += w
        north_depth = max((room_size(r.room_type)[1] for r in north), default=0.0)
        south_depth = max((room_size(r.room_type)[1] for r in south), default=0.0)
        corridor_y = y + north_depth
        length = max(north_run, south_run)
        x = MARGIN
        for room in north:
            w, d = room_size(room.room_type)
            outlines[room.id] = rectangle(x, corridor_y - d, w, d)
            x += w
        x = MARGIN
        for room in south:
            w, d = room_size(room.room_type)
            outlines[room.id] = rectangle(x, corridor_y + CORRIDOR, w, d)
            x += w
        corridors.append(rectangle(MARGIN, corridor_y, length, CORRIDOR))
        widest = max(widest, length)
        y = corridor_y + CORRIDOR + south_depth + WING_GAP
    return Schematic(widest + 2 * MARGIN, y - WING_GAP + MARGIN, outlines, tuple(corridors))
