"""Generate the stand-in photos of the paiban-test pages (issue 14 test pages, 2025-09-18).

The pages carry invented news, so there are no real photos: each JPEG here is a procedural RGB
picture (gradients and simple shapes that suggest the captioned scene, no text, no third-party
material). Output is deterministic: every scene draws from its own seeded generator, so the
same Pillow/numpy give the same bytes. Run from the repository root:
``.venv/bin/python issues/paiban-test/make_photos.py [out_dir]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent / "2025-09-18" / "photos"
"""Where the JPEGs go by default."""

SIZE = (1600, 1100)
"""Width and height of every stand-in in pixels (about 3:2, like a news photo)."""

QUALITY = 82
"""JPEG quality: enough for a 9 pt-grid newsprint preview, small files."""

MAX_BYTES = 400_000
"""Each file must stay under this size (checked after saving)."""

Colour = tuple[int, int, int]


def vgradient(w: int, h: int, stops: list[tuple[float, Colour]]) -> np.ndarray:
    """Return an h×w×3 float array blending colour stops from top (0) to bottom (1)."""
    t = np.linspace(0.0, 1.0, h)
    pos = [s[0] for s in stops]
    chans = [np.interp(t, pos, [s[1][i] for s in stops]) for i in range(3)]
    col = np.stack(chans, axis=1)[:, None, :]
    return np.repeat(col, w, axis=1).astype(np.float32)


def canvas(stops: list[tuple[float, Colour]]) -> Image.Image:
    """Return a new picture filled with a vertical gradient."""
    w, h = SIZE
    return Image.fromarray(vgradient(w, h, stops).astype(np.uint8), "RGB")


def hills(draw: ImageDraw.ImageDraw, rng: np.random.Generator, base: float, amp: float,
          colour: Colour) -> None:
    """Draw a ridge of soft hills whose crest wanders around ``base`` (a fraction of height)."""
    w, h = SIZE
    xs = np.linspace(0, w, 60)
    phase = rng.uniform(0, 6.28, 3)
    ys = base * h + amp * h * (0.5 * np.sin(xs / 260 + phase[0]) + 0.3 * np.sin(xs / 97 + phase[1])
                               + 0.2 * np.sin(xs / 41 + phase[2]))
    draw.polygon([(0, h)] + [(float(x), float(y)) for x, y in zip(xs, ys)] + [(w, h)], fill=colour)


def person(draw: ImageDraw.ImageDraw, x: float, foot: float, height: float, coat: Colour,
           skin: Colour = (214, 170, 140)) -> None:
    """Draw a standing figure: legs, coat and head, ``height`` pixels tall, feet at ``foot``."""
    u = height / 8
    draw.rectangle([x - 0.9 * u, foot - 3.6 * u, x + 0.9 * u, foot], fill=(45, 48, 60))
    draw.rounded_rectangle([x - 1.3 * u, foot - 6.6 * u, x + 1.3 * u, foot - 3.2 * u], radius=u * 0.6,
                           fill=coat)
    draw.ellipse([x - 0.8 * u, foot - 8.1 * u, x + 0.8 * u, foot - 6.5 * u], fill=skin)


def port(rng: np.random.Generator) -> Image.Image:
    """A container quay at dawn: cranes over stacked boxes and a ship on grey water."""
    w, h = SIZE
    img = canvas([(0, (250, 196, 150)), (0.45, (238, 222, 205)), (0.62, (150, 170, 185)),
                  (1, (70, 90, 110))])
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0.62 * h, w, 0.70 * h], fill=(120, 125, 130))  # quay apron
    palette = [(190, 60, 45), (40, 90, 150), (220, 160, 40), (60, 130, 90), (200, 200, 205)]
    for row in range(4):
        for col in range(18):
            if rng.random() < 0.15:
                continue
            x0 = 40 + col * 84
            y1 = 0.62 * h - row * 38
            d.rectangle([x0, y1 - 36, x0 + 80, y1], fill=palette[int(rng.integers(len(palette)))],
                        outline=(60, 60, 60))
    for i, x in enumerate((260, 720, 1180)):
        top = 0.12 * h + 20 * i
        col = (215, 70, 40) if i != 1 else (230, 200, 60)
        d.rectangle([x - 70, top + 80, x - 50, 0.66 * h], fill=col)
        d.rectangle([x + 50, top + 80, x + 70, 0.66 * h], fill=col)
        d.rectangle([x - 240, top + 60, x + 260, top + 95], fill=col)
        d.line([(x - 60, top + 60), (x, top), (x + 60, top + 60)], fill=col, width=14)
    d.polygon([(900, 0.78 * h), (1560, 0.78 * h), (1500, 0.9 * h), (960, 0.9 * h)], fill=(50, 60, 80))
    d.rectangle([1380, 0.70 * h, 1480, 0.78 * h], fill=(235, 235, 230))
    return img


def harvest(rng: np.random.Generator) -> Image.Image:
    """Late rice under a pale sky, a harvester and farmers in the foreground."""
    w, h = SIZE
    img = canvas([(0, (160, 200, 235)), (0.4, (225, 235, 240)), (0.41, (200, 170, 80)),
                  (1, (150, 110, 40))])
    d = ImageDraw.Draw(img)
    hills(d, rng, 0.36, 0.05, (110, 140, 120))
    for i in range(40):
        y = 0.45 * h + i * 16
        shade = (205 - i, 165 - i, 70)
        d.line([(0, y), (w, y + rng.uniform(-6, 6))], fill=shade, width=5)
    d.rectangle([0, 0.66 * h, w * 0.45, 0.74 * h], fill=(170, 140, 90))  # cut stubble strip
    d.rounded_rectangle([520, 0.52 * h, 860, 0.67 * h], radius=20, fill=(200, 60, 40))
    d.rectangle([760, 0.44 * h, 850, 0.54 * h], fill=(70, 90, 110))
    for x in (560, 810):
        d.ellipse([x - 45, 0.63 * h, x + 45, 0.72 * h], fill=(40, 40, 40))
    for x, c in ((1100, (60, 110, 170)), (1260, (230, 230, 220)), (1380, (190, 80, 60))):
        person(d, x + rng.uniform(-20, 20), 0.88 * h, 300, c)
    return img


def oldtown(rng: np.random.Generator) -> Image.Image:
    """A restored old street: timber shop fronts, grey roofs, red lanterns and strollers."""
    w, h = SIZE
    img = canvas([(0, (180, 205, 225)), (0.3, (230, 232, 228)), (1, (150, 145, 135))])
    d = ImageDraw.Draw(img)
    vx, vy = w * 0.5, h * 0.42
    d.polygon([(0, h), (w, h), (vx + 60, vy), (vx - 60, vy)], fill=(120, 118, 112))
    for side in (-1, 1):
        for k in range(7):
            t0, t1 = k / 7, (k + 1) / 7
            x0 = vx + side * (60 + (w / 2 - 60) * (1 - t0) ** 1.6)
            x1 = vx + side * (60 + (w / 2 - 60) * (1 - t1) ** 1.6)
            top0 = vy - (vy - 0.05 * h) * (1 - t0) ** 1.6
            top1 = vy - (vy - 0.05 * h) * (1 - t1) ** 1.6
            bot0 = vy + (h - vy) * (1 - t0) ** 1.6
            bot1 = vy + (h - vy) * (1 - t1) ** 1.6
            wood = (120 + 10 * (k % 2), 80, 50)
            d.polygon([(x0, top0), (x1, top1), (x1, bot1), (x0, bot0)], fill=wood, outline=(60, 40, 30))
            d.polygon([(x0, top0 - 30 * (1 - t0)), (x1, top1 - 30 * (1 - t1)), (x1, top1), (x0, top0)],
                      fill=(70, 75, 80))
            r = 26 * (1 - t0) + 4
            lx, ly = (x0 + x1) / 2, top0 + 0.25 * (bot0 - top0)
            d.ellipse([lx - r, ly - r * 1.2, lx + r, ly + r * 1.2], fill=(215, 40, 35))
    for i in range(6):
        x = vx + rng.uniform(-330, 330)
        size = rng.uniform(160, 300)
        person(d, x, 0.92 * h - (300 - size) * 0.8, size,
               tuple(int(c) for c in rng.integers(40, 220, 3)))
    return img


def stadium(rng: np.random.Generator) -> Image.Image:
    """A stadium at the opening ceremony: stands, a red track and a green infield with a parade."""
    w, h = SIZE
    img = canvas([(0, (40, 60, 110)), (0.3, (120, 150, 200)), (0.31, (90, 90, 100)), (1, (80, 80, 90))])
    a = np.asarray(img, dtype=np.float32).copy()
    crowd = rng.uniform(60, 230, size=(int(0.22 * h) // 8, w // 8, 3)).astype(np.float32)
    crowd = np.kron(crowd, np.ones((8, 8, 1), dtype=np.float32))
    y0 = int(0.31 * h)
    a[y0:y0 + crowd.shape[0], :crowd.shape[1]] = 0.6 * crowd + 0.4 * a[y0:y0 + crowd.shape[0], :crowd.shape[1]]
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    d.ellipse([-200, 0.52 * h, w + 200, 1.6 * h], fill=(185, 70, 55))
    d.ellipse([0, 0.60 * h, w, 1.5 * h], fill=(70, 140, 70))
    for i in range(6):
        d.arc([-200 + 18 * i, 0.52 * h + 10 * i, w + 200 - 18 * i, 1.6 * h - 10 * i], 180, 360,
              fill=(240, 240, 240), width=3)
    for row in range(3):
        for col in range(14):
            x = 260 + col * 80 + row * 30
            person(d, x, 0.80 * h + row * 60, 120 + row * 20, (220, 40, 40) if row != 1 else (245, 245, 245))
    for x in range(100, w, 300):
        d.rectangle([x, 0.05 * h, x + 12, 0.30 * h], fill=(200, 200, 210))
        d.ellipse([x - 40, 0.02 * h, x + 52, 0.08 * h], fill=(255, 250, 220))
    return img


def opera(rng: np.random.Generator) -> Image.Image:
    """A school hall stage: a spotlight, two costumed performers and pupils' heads in front."""
    w, h = SIZE
    a = vgradient(w, h, [(0, (30, 20, 30)), (0.7, (70, 30, 40)), (1, (40, 25, 25))])
    yy, xx = np.mgrid[0:h, 0:w]
    spot = np.exp(-(((xx - w * 0.5) / (w * 0.25)) ** 2 + ((yy - h * 0.55) / (h * 0.35)) ** 2))
    a += (spot * 120)[..., None] * np.array([1.0, 0.85, 0.6], dtype=np.float32)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w, 0.08 * h], fill=(150, 20, 30))
    for x in range(0, w, 80):
        d.polygon([(x, 0.08 * h), (x + 80, 0.08 * h), (x + 40, 0.16 * h)], fill=(150, 20, 30))
    d.rectangle([0, 0.74 * h, w, 0.78 * h], fill=(110, 70, 40))
    for x, robe in ((640, (200, 40, 60)), (940, (60, 110, 190))):
        d.polygon([(x - 90, 0.74 * h), (x + 90, 0.74 * h), (x + 50, 0.40 * h), (x - 50, 0.40 * h)], fill=robe)
        d.ellipse([x - 38, 0.31 * h, x + 38, 0.41 * h], fill=(235, 205, 185))
        d.polygon([(x - 50, 0.32 * h), (x + 50, 0.32 * h), (x, 0.24 * h)], fill=(220, 180, 40))
        d.line([(x + 50, 0.48 * h), (x + 170, 0.58 * h)], fill=(245, 245, 240), width=16)
    for i in range(26):
        x = 30 + i * 62 + rng.uniform(-8, 8)
        y = 0.90 * h + rng.uniform(-10, 10)
        d.ellipse([x - 28, y - 30, x + 28, y + 34], fill=(18, 14, 16))
    return img


def bookbus(rng: np.random.Generator) -> Image.Image:
    """A mobile library van parked in a village school yard, children at its open side."""
    w, h = SIZE
    img = canvas([(0, (150, 195, 230)), (0.45, (215, 228, 232)), (0.46, (170, 160, 140)),
                  (1, (140, 125, 100))])
    d = ImageDraw.Draw(img)
    hills(d, rng, 0.40, 0.06, (95, 130, 95))
    d.rectangle([0, 0.45 * h, w, h], fill=(175, 160, 135))
    d.rectangle([60, 0.30 * h, 460, 0.55 * h], fill=(235, 225, 200), outline=(120, 90, 70), width=4)
    for k in range(4):
        d.rectangle([90 + k * 92, 0.34 * h, 150 + k * 92, 0.42 * h], fill=(120, 160, 190))
    d.rounded_rectangle([560, 0.36 * h, 1400, 0.78 * h], radius=40, fill=(40, 120, 170))
    d.rectangle([1400, 0.50 * h, 1520, 0.78 * h], fill=(40, 120, 170))
    d.rectangle([1410, 0.53 * h, 1500, 0.63 * h], fill=(190, 215, 230))
    d.rectangle([640, 0.42 * h, 1300, 0.68 * h], fill=(245, 240, 225))
    for shelf in range(4):
        y = 0.44 * h + shelf * 0.06 * h
        x = 650
        while x < 1290:
            bw = float(rng.uniform(12, 26))
            d.rectangle([x, y, x + bw, y + 0.05 * h], fill=tuple(int(c) for c in rng.integers(50, 230, 3)))
            x += bw + 2
    for x in (760, 1220):
        d.ellipse([x - 70, 0.73 * h, x + 70, 0.87 * h], fill=(30, 30, 30))
    for i in range(7):
        person(d, 600 + i * 120 + rng.uniform(-20, 20), 0.97 * h, rng.uniform(170, 230),
               tuple(int(c) for c in rng.integers(60, 230, 3)))
    return img


def busstop(rng: np.random.Generator) -> Image.Image:
    """A new bus shelter by a tree-lined road, a green bus pulling in."""
    w, h = SIZE
    img = canvas([(0, (190, 210, 225)), (0.5, (230, 232, 225)), (0.51, (100, 100, 105)), (1, (80, 80, 85))])
    d = ImageDraw.Draw(img)
    for x in range(0, w, 170):
        r = rng.uniform(80, 120)
        d.rectangle([x + 60, 0.30 * h, x + 74, 0.52 * h], fill=(90, 70, 50))
        d.ellipse([x + 67 - r, 0.30 * h - r * 1.1, x + 67 + r, 0.30 * h + r * 0.5], fill=(70, 130, 70))
    d.rectangle([0, 0.50 * h, w, 0.56 * h], fill=(185, 180, 170))
    for x in range(0, w, 140):
        d.rectangle([x, 0.78 * h, x + 70, 0.79 * h + 6], fill=(240, 240, 230))
    d.rectangle([120, 0.28 * h, 620, 0.31 * h], fill=(60, 70, 80))
    d.rectangle([130, 0.31 * h, 610, 0.52 * h], fill=(200, 220, 230), outline=(60, 70, 80), width=6)
    d.rounded_rectangle([700, 0.30 * h, 1500, 0.70 * h], radius=30, fill=(60, 160, 90))
    for k in range(6):
        d.rectangle([740 + k * 120, 0.35 * h, 840 + k * 120, 0.50 * h], fill=(180, 210, 225))
    for x in (840, 1340):
        d.ellipse([x - 60, 0.64 * h, x + 60, 0.76 * h], fill=(30, 30, 30))
    for i in range(3):
        person(d, 220 + i * 140, 0.54 * h, 190, tuple(int(c) for c in rng.integers(60, 230, 3)))
    return img


def finish(img: Image.Image, seed: int) -> Image.Image:
    """Soften like a lens, add a vignette and fine grain (seeded)."""
    img = img.filter(ImageFilter.GaussianBlur(1.8))
    a = np.asarray(img, dtype=np.float32).copy()
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot((xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2))
    a *= (1.0 - 0.20 * np.clip(r - 0.5, 0, None))[..., None]
    a += np.random.default_rng(seed + 1000).normal(0.0, 1.6, size=(h, w, 1)).astype(np.float32)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


SCENES = {
    "port-quay.jpg": (port, 1),
    "late-rice.jpg": (harvest, 2),
    "old-street.jpg": (oldtown, 3),
    "games-opening.jpg": (stadium, 4),
    "opera-school.jpg": (opera, 5),
    "book-van.jpg": (bookbus, 6),
    "bus-shelter.jpg": (busstop, 7),
}
"""File name → (drawing function, seed)."""


def main(out: Path = OUT) -> None:
    """Write every stand-in into ``out`` and check its size."""
    out.mkdir(parents=True, exist_ok=True)
    for name, (draw, seed) in SCENES.items():
        img = finish(draw(np.random.default_rng(seed)), seed)
        path = out / name
        img.save(path, "JPEG", quality=QUALITY, optimize=True)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SystemExit(f"{path}: {size} bytes, more than {MAX_BYTES}")
        print(f"{path.name}: {img.width}×{img.height}, {size // 1000} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
