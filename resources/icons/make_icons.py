"""Draw the Common Ground icon: a schoolhouse standing on common ground, with an asset tag.

Run ``uv run python resources/icons/make_icons.py`` after changing the drawing; it
writes ``commonground.png`` (256 px), ``commonground-16.png`` … ``-256.png`` and the
multi-size ``commonground.ico`` the Windows build and installer use. The picture is
drawn once at 1024 px and scaled down, so the small sizes stay crisp enough to read.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
CANVAS = 1024
SIZES = (16, 24, 32, 48, 64, 128, 256)

NAVY = (31, 58, 77, 255)  # the rail's colour in resources/styles/app.qss
SKY = (47, 111, 143, 255)
GROUND = (111, 174, 90, 255)
GROUND_DARK = (78, 138, 64, 255)
WALL = (250, 250, 246, 255)
ROOF = (196, 72, 56, 255)
WINDOW = (47, 111, 143, 255)
TAG = (242, 177, 52, 255)
TAG_EDGE = (150, 100, 20, 255)


def draw(size: int = CANVAS) -> Image.Image:
    s = size / 1024  # every coordinate below is on a 1024 grid
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)

    def box(x0, y0, x1, y1):
        return [x0 * s, y0 * s, x1 * s, y1 * s]

    def points(*xy):
        return [(x * s, y * s) for x, y in xy]

    # The tile: a sky from the rail's navy down to blue, the ground as a wide hill.
    for y in range(size):
        t = min(1.0, max(0.0, (y / s - 120) / 560))
        colour = tuple(round(a + (b - a) * t) for a, b in zip(NAVY, SKY))
        pen.line([(0, y), (size, y)], fill=colour)
    pen.ellipse(box(-260, 700, 1284, 1500), fill=GROUND)
    pen.arc(box(-260, 700, 1284, 1500), start=200, end=340, fill=GROUND_DARK, width=int(18 * s) or 1)
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle(box(32, 32, 992, 992), radius=180 * s, fill=255)
    clipped = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    clipped.paste(image, (0, 0), mask)
    image = clipped
    pen = ImageDraw.Draw(image)

    # The schoolhouse: walls, a gabled roof, a bell tower, windows and a door.
    pen.rectangle(box(250, 470, 774, 800), fill=WALL)
    pen.polygon(points((200, 490), (512, 270), (824, 490)), fill=ROOF)
    pen.rectangle(box(452, 170, 572, 330), fill=WALL)
    pen.polygon(points((430, 190), (512, 110), (594, 190)), fill=ROOF)
    pen.ellipse(box(482, 215, 542, 275), fill=NAVY)
    for x in (300, 620):
        pen.rectangle(box(x, 540, x + 104, 640), fill=WINDOW)
        pen.line(points((x + 52, 540), (x + 52, 640)), fill=WALL, width=int(12 * s) or 1)
    pen.rounded_rectangle(box(452, 600, 572, 800), radius=50 * s, fill=NAVY)

    # The asset tag, tilted on its string: what the register keeps for every thing.
    pen.line(points((640, 600), (712, 790)), fill=NAVY, width=int(16 * s) or 1)
    tag = points((730, 690), (930, 690), (930, 890), (730, 890), (680, 790))
    pen.polygon(tag, fill=TAG, outline=TAG_EDGE, width=int(14 * s) or 1)
    pen.ellipse(box(712, 772, 748, 808), fill=NAVY)
    for y in (740, 790, 840):
        pen.line(points((780, y), (900, y)), fill=TAG_EDGE, width=int(18 * s) or 1)
    return image


def main() -> None:
    big = draw(CANVAS)
    scaled = {size: big.resize((size, size), Image.Resampling.LANCZOS) for size in SIZES}
    for size, picture in scaled.items():
        picture.save(HERE / f"commonground-{size}.png", optimize=True)
    scaled[256].save(HERE / "commonground.png", optimize=True)
    scaled[256].save(HERE / "commonground.ico", sizes=[(n, n) for n in SIZES],
                     append_images=[scaled[n] for n in SIZES if n != 256])
    print(f"wrote {len(SIZES)} PNGs, commonground.png and commonground.ico to {HERE}")


if __name__ == "__main__":
    main()
