"""Outline checks, the automatic schematic and overlay scales: pure functions, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import ValidationError
from models.roommap.geometry import (
    area,
    clean_outline,
    contains,
    outline_text,
    parse_outline,
    rectangle,
    self_intersects,
)
from models.roommap.overlay import EMPTY_COLOUR, OverlayKind, build_scale
from models.roommap.schematic import ROOM_SIZES, SchematicRoom, layout, number_key


def test_rectangle_round_trips_through_text():
    square = rectangle(10, 20, 30, 40)
    assert parse_outline(outline_text(square)) == square
    assert area(square) == 1200
    assert contains(square, 25, 30) and not contains(square, 5, 30)


@pytest.mark.parametrize("text", [None, "", "not json", "[[1,2]]", "[[1,2],[3,4],[\"x\",5]]", "[[1,2],[3,4],[5,NaN]]"])
def test_unreadable_outline_is_none(text):
    assert parse_outline(text) is None


def test_bow_tie_is_refused_naming_the_room():
    bow_tie = [(0, 0), (10, 10), (10, 0), (0, 10)]
    assert self_intersects(bow_tie)
    with pytest.raises(ValidationError) as caught:
        clean_outline("room 104", bow_tie, None)
    assert "room 104" in str(caught.value) and "crosses itself" in str(caught.value)


def test_outline_outside_the_plan_is_refused_with_the_corner():
    with pytest.raises(ValidationError) as caught:
        clean_outline("room 7", rectangle(90, 10, 20, 20), (100, 100))
    assert "corner 2" in str(caught.value) and "outside the plan" in str(caught.value)


@pytest.mark.parametrize("points, reason", [
    ([(0, 0), (1, 1)], "at least three corners"),
    ([(0, 0), (5, 0), (10, 0)], "encloses no area"),
    ([(0, 0), ("a", 0), (1, 1)], "pair of numbers"),
])
def test_degenerate_outlines_are_refused(points, reason):
    with pytest.raises(ValidationError, match=reason):
        clean_outline("room 1", points, None)


def test_closing_and_repeated_corners_are_dropped():
    cleaned = clean_outline("room 1", [(0, 0), (0, 0), (10, 0), (10, 10), (0, 10), (0, 0)], None)
    assert cleaned == ((0, 0), (10, 0), (10, 10), (0, 10))


def test_room_numbers_sort_naturally():
    numbers = ["110", "102", "B12", "101A", "9", "101"]
    assert sorted(numbers, key=number_key) == ["9", "101", "101A", "102", "110", "B12"]


def _rooms(n: int) -> list[SchematicRoom]:
    kinds = list(ROOM_SIZES)
    return [SchematicRoom(i, f"{100 + i}", kinds[(i * 7) % len(kinds)]) for i in range(1, n + 1)]


@given(st.integers(min_value=0, max_value=250))
def test_schematic_places_every_room_without_overlap_inside_the_floor(n):
    rooms = _rooms(n)
    plan = layout(rooms)
    assert set(plan.outlines) == {r.id for r in rooms}
    boxes = []
    for outline in plan.outlines.values():
        xs = [p[0] for p in outline]
        ys = [p[1] for p in outline]
        assert min(xs) >= 0 and min(ys) >= 0 and max(xs) <= plan.width and max(ys) <= plan.height
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    boxes.sort()
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[0] >= a[2]:
                break
            assert a[3] <= b[1] or b[3] <= a[1], f"{a} overlaps {b}"


def test_schematic_is_deterministic_and_sized_by_type():
    rooms = [SchematicRoom(1, "101", "classroom"), SchematicRoom(2, "102", "gym"),
             SchematicRoom(3, "103", "storage")]
    first, again = layout(rooms), layout(list(reversed(rooms)))
    assert first == again
    widths = {rid: area(o) for rid, o in first.outlines.items()}
    assert widths[2] > widths[1] > widths[3]


def test_scale_puts_the_biggest_room_in_the_darkest_class_and_empty_rooms_grey():
    scale = build_scale(OverlayKind.COUNT, {1: 0, 2: 1, 3: 5, 4: 9, 5: 400})
    assert scale.colour(0) == EMPTY_COLOUR
    assert scale.colour(400) == scale.colours[-1]
    assert scale.colour(1) != scale.colour(400)
    labels = [entry.label for entry in scale.legend()]
    assert labels[0] == "none" and labels[-1].endswith("400")


def test_money_scale_labels_are_dollars():
    scale = build_scale(OverlayKind.COST, {1: 150_000, 2: 2_500_000_00})
    labels = [entry.label for entry in scale.legend()]
    assert labels[1].startswith("up to $1,500")
    assert "$2.5M" in labels[-1]
