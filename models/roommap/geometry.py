"""Room outlines: polygons of ``(x, y)`` points in plan units, stored as JSON text on the room.

The checks here are what a save refuses: too few corners, a corner outside the plan, an
outline that crosses itself or encloses no area. Each message names the room.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from models.errors import ValidationError

Point = tuple[float, float]
Outline = tuple[Point, ...]

# Coordinates are rounded to this many decimals when saved, so a plan unit (a pixel of the
# plan image, or a foot of the schematic) keeps sub-pixel precision without float noise.
PLACES = 2
MAX_POINTS = 200


def parse_outline(text: str | None) -> Outline | None:
    """The outline stored on a room, or None when it has none or it is unreadable."""
    if not text:
        return None
    try:
        raw = json.loads(text)
        points = tuple((float(x), float(y)) for x, y in raw)
    except (ValueError, TypeError):
        return None
    if len(points) < 3 or not all(math.isfinite(c) for p in points for c in p):
        return None
    return points


def outline_text(points: Sequence[Point] | None) -> str | None:
    if points is None:
        return None
    return json.dumps([[round(float(x), PLACES), round(float(y), PLACES)] for x, y in points],
                      separators=(",", ":"))


def rectangle(x: float, y: float, width: float, height: float) -> Outline:
    return ((x, y), (x + width, y), (x + width, y + height), (x, y + height))


def area(points: Sequence[Point]) -> float:
    """Unsigned area (shoelace formula)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, (*points[1:], points[0]), strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def bounds(points: Sequence[Point]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def centroid(points: Sequence[Point]) -> Point:
    """The area centroid; the middle of the bounds for a degenerate outline."""
    signed = 0.0
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, (*points[1:], points[0]), strict=True):
        cross = x1 * y2 - x2 * y1
        signed += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(signed) < 1e-9:
        left, top, right, bottom = bounds(points)
        return (left + right) / 2, (top + bottom) / 2
    return cx / (3 * signed), cy / (3 * signed)


def contains(points: Sequence[Point], x: float, y: float) -> bool:
    """Whether ``(x, y)`` lies inside the outline (even-odd rule)."""
    inside = False
    n = len(points)
    for i in range(n):
        x1, y1 = points[i]
        x2, y2 = points[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < at:
                inside = not inside
    return inside


def _orientation(a: Point, b: Point, c: Point) -> int:
    value = (b[1] - a[1]) * (c[0] - b[0]) - (b[0] - a[0]) * (c[1] - b[1])
    if abs(value) < 1e-9:
        return 0
    return 1 if value > 0 else 2


def _on_segment(a: Point, b: Point, c: Point) -> bool:
    return min(a[0], c[0]) - 1e-9 <= b[0] <= max(a[0], c[0]) + 1e-9 and \
        min(a[1], c[1]) - 1e-9 <= b[1] <= max(a[1], c[1]) + 1e-9


def segments_cross(p1: Point, q1: Point, p2: Point, q2: Point) -> bool:
    o1, o2 = _orientation(p1, q1, p2), _orientation(p1, q1, q2)
    o3, o4 = _orientation(p2, q2, p1), _orientation(p2, q2, q1)
    if o1 != o2 and o3 != o4:
        return True
    return (
        (o1 == 0 and _on_segment(p1, p2, q1))
        or (o2 == 0 and _on_segment(p1, q2, q1))
        or (o3 == 0 and _on_segment(p2, p1, q2))
        or (o4 == 0 and _on_segment(p2, q1, q2))
    )


def self_intersects(points: Sequence[Point]) -> bool:
    """Whether two edges that are not neighbours touch or cross."""
    n = len(points)
    edges = [(points[i], points[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):
                continue
            if segments_cross(*edges[i], *edges[j]):
                return True
    return False


def clean_outline(
    label: str, points: Sequence[Sequence[float]], plan_size: tuple[float, float] | None
) -> Outline:
    """Check an outline before it is saved; ``label`` names the room in the message.

    ``plan_size`` is the plan's width and height when the floor has a plan image (the
    outline must lie on it); None for a floor drawn without one.
    """
    field = f"outline of {label}"
    try:
        outline = tuple((float(p[0]), float(p[1])) for p in points)
    except (TypeError, ValueError, IndexError):
        raise ValidationError(field, "has a corner that is not a pair of numbers") from None
    if not all(math.isfinite(c) for p in outline for c in p):
        raise ValidationError(field, "has a corner that is not a finite number")
    # Repeated corners (a double click) are dropped, as is a closing corner equal to the first.
    deduped: list[Point] = []
    for point in outline:
        if not deduped or math.dist(point, deduped[-1]) > 1e-6:
            deduped.append(point)
    if len(deduped) > 1 and math.dist(deduped[0], deduped[-1]) <= 1e-6:
        deduped.pop()
    if len(deduped) < 3:
        raise ValidationError(field, "needs at least three corners")
    if len(deduped) > MAX_POINTS:
        raise ValidationError(field, f"has {len(deduped)} corners; at most {MAX_POINTS} are kept")
    if self_intersects(deduped):
        raise ValidationError(field, "crosses itself; redraw it so that its edges do not cross")
    if area(deduped) < 1.0:
        raise ValidationError(field, "encloses no area")
    if plan_size is not None:
        width, height = plan_size
        for number, (x, y) in enumerate(deduped, 1):
            if not (-0.5 <= x <= width + 0.5 and -0.5 <= y <= height + 0.5):
                raise ValidationError(
                    field,
                    f"corner {number} ({x:.0f}, {y:.0f}) lies outside the plan "
                    f"({width:.0f} × {height:.0f})",
                )
    return tuple(deduped)
