"""Overlays: what colours a room on the map, the scale that turns a figure into a colour,
and the legend that explains it. Pure functions so the screen and the PDF agree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class OverlayKind(StrEnum):
    NONE = "none"
    COUNT = "count"
    COST = "cost"
    BOOK_VALUE = "book_value"
    FILTER = "filter"
    MISSING = "missing"


OVERLAY_LABELS = {
    OverlayKind.NONE: "Room type",
    OverlayKind.COUNT: "Asset count",
    OverlayKind.COST: "Total cost",
    OverlayKind.BOOK_VALUE: "Book value",
    OverlayKind.FILTER: "Register filter",
    OverlayKind.MISSING: "Missing / not yet seen",
}

# Why an overlay cannot be chosen yet (shown as its tooltip).
UNAVAILABLE = {
    OverlayKind.BOOK_VALUE: "comes with stored depreciation",
    OverlayKind.MISSING: "comes with Inventory",
}

EMPTY_COLOUR = "#eef0f3"
# A sequential scale, light to dark, readable in greyscale print and for colour-blind readers.
SCALE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
FILTER_SCALE = ("#fde0c5", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")

TYPE_COLOURS = {
    "classroom": "#e8f1fb", "lab": "#e6f4ea", "office": "#fdf3e1", "library": "#efe7f7",
    "gym": "#fde8e8", "cafeteria": "#fff4d6", "kitchen": "#fff4d6", "auditorium": "#efe7f7",
    "storage": "#eeeeee", "mechanical": "#e4e4e4", "server": "#e4e4e4", "garage": "#eeeeee",
    "restroom": "#f3f3f3", "corridor": "#f7f7f7", "other": "#f3f3f3",
}


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


@dataclass(frozen=True)
class Scale:
    """Class breaks over the rooms' figures: ``upper[i]`` is the top of colour ``i``."""

    kind: OverlayKind
    upper: tuple[int, ...]  # integer units: assets, or cents
    colours: tuple[str, ...]

    def colour(self, value: int) -> str:
        if value <= 0:
            return EMPTY_COLOUR
        for top, colour in zip(self.upper, self.colours, strict=False):
            if value <= top:
                return colour
        return self.colours[len(self.upper) - 1] if self.upper else EMPTY_COLOUR

    def legend(self) -> list[LegendEntry]:
        entries = [LegendEntry(EMPTY_COLOUR, "none")]
        low = 1
        for top, colour in zip(self.upper, self.colours, strict=False):
            entries.append(LegendEntry(colour, _range_label(self.kind, low, top)))
            low = top + 1
        return entries


def _amount(kind: OverlayKind, value: int) -> str:
    if kind in (OverlayKind.COST, OverlayKind.BOOK_VALUE):
        dollars = Decimal(value) / 100
        if dollars >= 1_000_000:
            return f"${dollars / 1_000_000:,.1f}M"
        if dollars >= 10_000:
            return f"${dollars / 1000:,.0f}k"
        return f"${dollars:,.0f}"
    return f"{value:,}"


def _range_label(kind: OverlayKind, low: int, high: int) -> str:
    if kind in (OverlayKind.COST, OverlayKind.BOOK_VALUE) and low <= 1:
        return f"up to {_amount(kind, high)}"
    if low >= high:
        return _amount(kind, high)
    return f"{_amount(kind, low)} – {_amount(kind, high)}"


def build_scale(kind: OverlayKind, values: Mapping[int, int]) -> Scale:
    """Up to five classes of roughly equal numbers of rooms (quantiles of the non-empty rooms).

    Quantile breaks keep one big room (a gym full of chairs) from washing every other room
    out to the lightest colour.
    """
    colours = FILTER_SCALE if kind is OverlayKind.FILTER else SCALE
    positive = sorted(v for v in values.values() if v > 0)
    if not positive:
        return Scale(kind, (), colours)
    classes = min(len(colours), len(set(positive)))
    upper: list[int] = []
    for i in range(1, classes + 1):
        top = positive[min(len(positive) - 1, (len(positive) * i) // classes - 1)]
        if not upper or top > upper[-1]:
            upper.append(top)
    upper[-1] = positive[-1]
    # Fewer classes than colours: spread them over the scale so the darkest still means "most".
    picks = [round(i * (len(colours) - 1) / max(1, len(upper) - 1)) for i in range(len(upper))]
    if len(upper) == 1:
        picks = [len(colours) - 1]
    return Scale(kind, tuple(upper), tuple(colours[i] for i in picks))


def type_legend(room_types: set[str]) -> list[LegendEntry]:
    return [LegendEntry(TYPE_COLOURS.get(t, TYPE_COLOURS["other"]), t.replace("_", " ").capitalize())
            for t in sorted(room_types)]
