"""What the PDF reports share: fonts that have every letter, text wrapping that never cuts
a word off, Code128 bars drawn straight onto the page, and the page footer.

Fonts: DejaVu Sans from ``resources/fonts``, the system or matplotlib's own data (which
every install of the app carries, the Windows bundle included), else Bitstream Vera (shipped with
reportlab, the font DejaVu grew from). Both are TrueType and embedded, so names such as
"Muñoz" or "Nguyễn" print as letters, not boxes.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128Auto
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from models.paths import resources_dir

REGULAR = "CG-Sans"
BOLD = "CG-Sans-Bold"

_FONT_CANDIDATES = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("Vera.ttf", "VeraBd.ttf"),
)


def _font_folders() -> list[Path]:
    import matplotlib
    import reportlab

    return [
        resources_dir() / "fonts",
        Path(matplotlib.get_data_path()) / "fonts" / "ttf",
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/dejavu"),
        Path("/Library/Fonts"),
        Path("C:/Windows/Fonts"),
        Path(reportlab.__file__).resolve().parent / "fonts",
    ]


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    """Register the report fonts once; returns the names of the regular and bold faces."""
    for regular, bold in _FONT_CANDIDATES:
        for folder in _font_folders():
            if (folder / regular).exists() and (folder / bold).exists():
                pdfmetrics.registerFont(TTFont(REGULAR, str(folder / regular)))
                pdfmetrics.registerFont(TTFont(BOLD, str(folder / bold)))
                return REGULAR, BOLD
    return "Helvetica", "Helvetica-Bold"  # reportlab's standard fonts: Latin-1 only


def text_width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def wrap(text: str | None, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width``; a word too long for one line is
    broken between letters, so nothing is ever cut off."""
    if not text:
        return [""]
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
                line = ""
            while text_width(word, font, size) > width:
                cut = _fit(word, font, size, width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines or [""]


def _fit(word: str, font: str, size: float, width: float) -> int:
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(word[:middle], font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return max(1, low)


def code128_modules(value: str) -> str:
    """The bar/space pattern of ``value`` in Code128 (reportlab's encoder, shortest code
    sets): letters A-D are bars of 1-4 modules, a-d spaces, without quiet zones."""
    code = Code128Auto(value, quiet=0)
    code.validate()
    code.encode()
    return code.decompose()


def module_count(pattern: str) -> int:
    return sum((ord(c) - 64) if c.isupper() else (ord(c) - 96) for c in pattern)


def draw_bars(canvas, pattern: str, x: float, y: float, module: float, height: float) -> float:
    """Draw a bar pattern with its lower left corner at (x, y); returns its width.

    The rectangles go into the page as PDF operators directly: reportlab's path objects
    format every number through a slow generic routine, and a site's sheets have
    hundreds of thousands of bars.
    """
    parts = []
    left = x
    for c in pattern:
        if c.isupper():
            w = (ord(c) - 64) * module
            parts.append(f"{left:.3f} {y:.3f} {w:.3f} {height:.3f} re")
            left += w
        else:
            left += (ord(c) - 96) * module
    parts.append("f")
    canvas._code.append(" ".join(parts))
    return left - x


_STANDARD_FONTS = {"Helvetica", "Helvetica-Bold", "Times-Roman", "Courier"}
_ESCAPES = {ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)"}


def _pdf_string(text: str) -> str:
    """``text`` (cp1252-encodable) as the inside of a PDF literal string."""
    raw = text.encode("cp1252").decode("latin-1").translate(_ESCAPES)
    if raw.isascii() and raw.isprintable():
        return raw
    return "".join(c if 32 <= ord(c) < 127 else f"\\{ord(c):03o}" for c in raw)


def draw_lines(canvas, font: str, size: float, x: float, y: float, lines: list[str],
               leading: float) -> None:
    """Lines of text from baseline ``y`` downwards. For the standard fonts the operators go
    into the page directly (fast); other fonts go through reportlab's text object."""
    if font in _STANDARD_FONTS:
        name = canvas._doc.getInternalFontName(font)
        body = f" 0 {-leading:.2f} Td ".join(f"({_pdf_string(line)}) Tj" for line in lines)
        canvas._code.append(f"BT {name} {size:.1f} Tf {x:.2f} {y:.2f} Td {body} ET")
        return
    text = canvas.beginText()
    text.setFont(font, size, leading)
    text.setTextOrigin(x, y)
    for line in lines:
        text.textLine(line)
    canvas.drawText(text)


def box(canvas, x: float, y: float, width: float, height: float) -> None:
    canvas._code.append(f"{x:.2f} {y:.2f} {width:.2f} {height:.2f} re S")


def pick_font(text: str, standard: str, unicode_font: str) -> str:
    """The standard font when it has every letter of ``text`` (it is much faster to set),
    otherwise the embedded Unicode font."""
    if text.isascii():
        return standard
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return unicode_font
    return standard


def hex_colour(value: str) -> tuple[float, float, float]:
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def join_nonempty(parts: Iterable[str | None], sep: str = " · ") -> str:
    return sep.join(p for p in parts if p)
