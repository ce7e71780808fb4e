"""Generate the stand-in photos of the automatic-layout sample pages (issue 15).

The pages under ``issues/paiban-auto/2025-10-09/`` are invented copy, so their photos are
invented too: procedural RGB JPEGs (seeded gradients and simple shapes suggesting the scene,
with a small "STAND-IN" label drawn in line strokes, no fonts). Output is deterministic: the
same Pillow and numpy give the same bytes.

Run from the repository root: ``.venv/bin/python issues/paiban-auto/make_photos.py [out_dir]``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent / "2025-10-09" / "photos"
"""Default output folder."""

QUALITY = 82
"""JPEG quality of the written files."""

MAX_BYTES = 400_000
"""Largest file size allowed; the script fails rather than write a bigger stand-in."""

LANDSCAPE = (1600, 1100)
"""Pixel size of a landscape stand-in."""

PORTRAIT = (1100, 1500)
"""Pixel size of a portrait stand-in."""

RGB = tuple[int, int, int]

# A 4×6 stroke font for the label: polylines in grid units (x right, y down).
STROKES: dict[str, list[list[tuple[float, float]]]] = {
    "S": [[(4, 0), (0, 0), (0, 3), (4, 3), (4, 6), (0, 6)]],
    "T": [[(0, 0), (4, 0)], [(2, 0), (2, 6)]],
    "A": [[(0, 6), (2, 0), (4, 6)], [(1, 3.5), (3, 3.5)]],
    "N": [[(0, 6), (0, 0), (4, 6), (4, 0)]],
    "D": [[(0, 0), (0, 6), (2.5, 6), (4, 4.5), (4, 1.5), (2.5, 0), (0, 0)]],
    "-": [[(0.5, 3), (3.5, 3)]],
    "I": [[(2, 0), (2, 6)], [(1, 0), (3, 0)], [(1, 6), (3, 6)]],
}


def vgradient(w: int, h: int, stops: list[tuple[float, RGB]]) -> np.ndarray:
    """Return an h×w×3 float array blending colour stops from top (0) to bottom (1)."""
    t = np.linspace(0.0, 1.0, h)
    pos = [s[0] for s in stops]
    chans = [np.interp(t, pos, [s[1][i] for s in stops]) for i in range(3)]
    col = np.stack(chans, axis=1)[:, None, :]
    return np.repeat(col, w, axis=1).astype(np.float32)


def ridge(w: int, base: float, amp: float, rng: np.random.Generator, waves: int = 4) -> np.ndarray:
    """Return a smooth skyline (y per x) from a few seeded sine waves."""
    x = np.linspace(0.0, 1.0, w)
    y = np.full(w, base, dtype=np.float64)
    for k in range(1, waves + 1):
        y += amp / k * np.sin(2 * np.pi * (k * x * rng.uniform(0.6, 1.4) + rng.uniform(0, 1)))
    return y


def fill_below(a: np.ndarray, line: np.ndarray, colour: RGB, shade: float = 0.0) -> None:
    """Paint every pixel below ``line`` (y per x) with ``colour``, darkening by ``shade`` downwards."""
    h, w = a.shape[:2]
    yy = np.arange(h)[:, None]
    mask = yy >= line[None, :]
    depth = np.clip((yy - line[None, :]) / max(h, 1), 0, 1)
    tone = np.array(colour, dtype=np.float32)[None, None, :] * (1 - shade * depth[..., None])
    a[mask] = np.broadcast_to(tone, a.shape)[mask]


def finish(a: np.ndarray, seed: int) -> Image.Image:
    """Soften like a lens, add a vignette and fine grain, and stamp the label."""
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB").filter(ImageFilter.GaussianBlur(1.6))
    b = np.asarray(img, dtype=np.float32)
    h, w = b.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot((xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2))
    b = b * (1.0 - 0.2 * np.clip(r - 0.5, 0, None))[..., None]
    b += np.random.default_rng(seed).normal(0.0, 2.5, size=(h, w, 1)).astype(np.float32)
    img = Image.fromarray(np.clip(b, 0, 255).astype(np.uint8), "RGB")
    label(img)
    return img


def label(img: Image.Image) -> None:
    """Draw "STAND-IN" in strokes in the lower right corner, so nobody mistakes it for a photo."""
    d = ImageDraw.Draw(img)
    unit = max(img.width // 220, 3)
    x0 = img.width - unit * 5 * 8 - unit * 4
    y0 = img.height - unit * 6 - unit * 4
    for i, ch in enumerate("STAND-IN"):
        for line in STROKES[ch]:
            pts = [(x0 + (i * 5 + x) * unit, y0 + y * unit) for x, y in line]
            d.line(pts, fill=(255, 255, 255), width=max(unit // 2, 2))


def port_cranes(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A river port: morning sky, far hills, water, gantry cranes and stacked containers."""
    a = vgradient(w, h, [(0, (150, 180, 215)), (0.45, (232, 214, 190)), (0.62, (120, 140, 150)),
                         (1, (60, 80, 95))])
    fill_below(a, ridge(w, h * 0.5, h * 0.03, rng), (110, 125, 130), 0.2)
    fill_below(a, np.full(w, h * 0.6), (85, 110, 125), 0.5)
    img = Image.fromarray(a.astype(np.uint8))
    d = ImageDraw.Draw(img)
    quay = int(h * 0.72)
    d.rectangle([0, quay, w, h], fill=(95, 95, 92))
    palette = [(176, 58, 46), (40, 90, 150), (210, 150, 40), (60, 120, 80), (150, 150, 150)]
    for row in range(4):
        for k in range(22):
            x = int(k * w / 20 - row * 17 + rng.integers(0, 8))
            y = quay + 20 + row * 48
            d.rectangle([x, y, x + int(w / 21), y + 44], fill=palette[int(rng.integers(0, 5))],
                        outline=(40, 40, 40))
    for cx in (0.18, 0.5, 0.8):
        x = int(cx * w)
        top = int(h * 0.2 + rng.integers(0, 40))
        for dx in (-70, 70):
            d.line([(x + dx, quay), (x + dx, top)], fill=(205, 70, 45), width=14)
        d.line([(x - 220, top), (x + 260, top)], fill=(205, 70, 45), width=18)
        d.rectangle([x - 30, top + 10, x + 30, top + 60], fill=(230, 230, 225))
    return np.asarray(img, dtype=np.float32)


def port_train(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A container train leaving on a track that runs into the distance across fields."""
    a = vgradient(w, h, [(0, (170, 195, 225)), (0.42, (225, 230, 232)), (0.5, (140, 165, 120)),
                         (1, (90, 120, 70))])
    fill_below(a, ridge(w, h * 0.45, h * 0.025, rng), (120, 140, 125), 0.1)
    fill_below(a, np.full(w, h * 0.52), (130, 160, 90), 0.4)
    img = Image.fromarray(a.astype(np.uint8))
    d = ImageDraw.Draw(img)
    vx, vy = w * 0.85, h * 0.5
    for off in (-0.05, 0.05):
        d.line([(w * (0.05 + off), h), (vx, vy)], fill=(70, 60, 55), width=10)
    colours = [(176, 58, 46), (40, 90, 150), (210, 150, 40), (60, 120, 80)]
    for k in range(9):
        t0, t1 = k / 9.5, (k + 0.92) / 9.5
        x0, x1 = w * 0.05 + (vx - w * 0.05) * t0, w * 0.05 + (vx - w * 0.05) * t1
        y0, y1 = h + (vy - h) * t0, h + (vy - h) * t1
        s0, s1 = 260 * (1 - t0) + 20, 260 * (1 - t1) + 20
        d.polygon([(x0 - s0 * 0.3, y0 - s0 * 0.9), (x1 - s1 * 0.3, y1 - s1 * 0.9),
                   (x1 - s1 * 0.3, y1 - s1 * 0.2), (x0 - s0 * 0.3, y0 - s0 * 0.2)],
                  fill=colours[int(rng.integers(0, 4))], outline=(30, 30, 30))
    return np.asarray(img, dtype=np.float32)


def rice_harvest(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """Golden paddies in terraces, a combine harvester and a cut swath."""
    a = vgradient(w, h, [(0, (160, 195, 230)), (0.35, (235, 235, 225)), (0.4, (200, 170, 70)),
                         (1, (170, 120, 30))])
    fill_below(a, ridge(w, h * 0.33, h * 0.04, rng), (95, 130, 90), 0.1)
    for i, base in enumerate((0.42, 0.55, 0.7, 0.86)):
        fill_below(a, ridge(w, h * base, h * 0.012, rng, 2), (215 - 12 * i, 175 - 10 * i, 60), 0.3)
    img = Image.fromarray(a.astype(np.uint8))
    d = ImageDraw.Draw(img)
    d.polygon([(0, h * 0.78), (w * 0.55, h * 0.64), (w * 0.55, h * 0.7), (0, h * 0.9)],
              fill=(160, 135, 70))
    x, y = int(w * 0.52), int(h * 0.56)
    d.rectangle([x, y, x + 230, y + 120], fill=(200, 45, 40))
    d.rectangle([x + 140, y - 70, x + 230, y], fill=(225, 225, 215), outline=(60, 60, 60), width=4)
    d.rectangle([x - 90, y + 70, x, y + 110], fill=(90, 90, 90))
    for cx in (x + 40, x + 180):
        d.ellipse([cx - 38, y + 95, cx + 38, y + 171], fill=(35, 35, 35))
    return np.asarray(img, dtype=np.float32)


def welding(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A welder's masked figure at a bench, lit by a bright arc and a spray of sparks."""
    a = vgradient(w, h, [(0, (35, 40, 50)), (0.7, (55, 60, 70)), (1, (80, 80, 85))])
    img = Image.fromarray(a.astype(np.uint8))
    d = ImageDraw.Draw(img)
    d.rectangle([0, int(h * 0.72), w, h], fill=(70, 72, 78))
    d.rectangle([int(w * 0.15), int(h * 0.66), int(w * 0.85), int(h * 0.72)], fill=(120, 120, 125))
    d.ellipse([int(w * 0.2), int(h * 0.18), int(w * 0.52), int(h * 0.42)], fill=(45, 70, 110))
    d.rectangle([int(w * 0.25), int(h * 0.24), int(w * 0.47), int(h * 0.3)], fill=(25, 25, 25))
    d.polygon([(w * 0.12, h * 0.72), (w * 0.2, h * 0.4), (w * 0.55, h * 0.42), (w * 0.62, h * 0.72)],
              fill=(40, 65, 105))
    d.line([(w * 0.5, h * 0.52), (w * 0.64, h * 0.64)], fill=(60, 60, 60), width=22)
    ax, ay = w * 0.66, h * 0.655
    for _ in range(160):
        ang = rng.uniform(-np.pi, 0.1)
        length = rng.uniform(30, 380)
        d.line([(ax, ay), (ax + np.cos(ang) * length, ay + np.sin(ang) * length)],
               fill=(255, int(rng.integers(170, 240)), 90), width=2)
    b = np.asarray(img, dtype=np.float32)
    yy, xx = np.mgrid[0:h, 0:w]
    glow = np.exp(-((xx - ax) ** 2 + (yy - ay) ** 2) / (2 * (w * 0.12) ** 2))
    return b + glow[..., None] * np.array([220, 200, 150], dtype=np.float32)


def market(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A bright covered market hall: skylight roof, rows of stalls with produce, shoppers."""
    a = vgradient(w, h, [(0, (225, 230, 235)), (0.35, (200, 205, 205)), (0.6, (175, 170, 160)),
                         (1, (140, 135, 130))])
    img = Image.fromarray(a.astype(np.uint8))
    d = ImageDraw.Draw(img)
    for k in range(9):
        x = int(k * w / 8)
        d.line([(x, 0), (w / 2 + (x - w / 2) * 0.3, h * 0.35)], fill=(150, 160, 170), width=8)
    produce = [(200, 60, 40), (80, 150, 60), (230, 170, 40), (150, 90, 160), (240, 120, 40)]
    for row, (y, s) in enumerate(((0.45, 0.5), (0.6, 0.75), (0.78, 1.0))):
        for k in range(int(6 / s)):
            x = int(k * w * s / 5.5 - row * 40)
            cw, ch = int(w * s / 6.5), int(h * 0.08 * s)
            yy = int(h * y)
            d.rectangle([x, yy, x + cw, yy + ch], fill=(110, 90, 70))
            for j in range(7):
                cx = x + int((j + 0.5) * cw / 7)
                r = int(12 * s)
                d.ellipse([cx - r, yy - r, cx + r, yy + r], fill=produce[int(rng.integers(0, 5))])
    for k in range(7):
        x, s = int(rng.uniform(0.05, 0.95) * w), rng.uniform(0.6, 1.1)
        top = int(h * 0.5)
        d.ellipse([x - 22 * s, top - 60 * s, x + 22 * s, top - 16 * s], fill=(70, 50, 40))
        d.rectangle([x - 35 * s, top - 16 * s, x + 35 * s, top + 150 * s],
                    fill=tuple(int(c) for c in rng.integers(40, 200, 3)))
    return np.asarray(img, dtype=np.float32)


def minibus(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A small green community bus at a stop on a tree-lined street."""
    a = vgradient(w, h, [(0, (175, 205, 230)), (0.5, (225, 230, 230)), (0.62, (150, 150, 150)),
                         (1, (110, 110, 112))])
    fill_below(a, ridge(w, h * 0.38, h * 0.05, rng, 6), (70, 120, 70), 0.0)
    fill_below(a, np.full(w, h * 0.62), (120, 120, 122), 0.3)
    img = Image.fromarray(a.astype(np.uint8))
    d = ImageDraw.Draw(img)
    d.rectangle([0, int(h * 0.6), w, int(h * 0.64)], fill=(200, 200, 195))
    x0, y0, x1, y1 = int(w * 0.22), int(h * 0.4), int(w * 0.78), int(h * 0.75)
    d.rounded_rectangle([x0, y0, x1, y1], radius=40, fill=(60, 150, 90))
    for k in range(6):
        wx = x0 + 40 + k * (x1 - x0 - 80) // 6
        d.rectangle([wx, y0 + 30, wx + (x1 - x0 - 80) // 6 - 14, y0 + 130], fill=(190, 215, 230))
    d.rectangle([x0, y1 - 60, x1, y1 - 40], fill=(240, 240, 235))
    for cx in (x0 + 130, x1 - 130):
        d.ellipse([cx - 55, y1 - 55, cx + 55, y1 + 55], fill=(30, 30, 30))
    d.line([(w * 0.88, h * 0.75), (w * 0.88, h * 0.3)], fill=(90, 90, 90), width=12)
    d.rectangle([int(w * 0.85), int(h * 0.3), int(w * 0.93), int(h * 0.38)], fill=(40, 90, 160))
    return np.asarray(img, dtype=np.float32)


def tea_garden(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """Misty mountain tea terraces: curved rows of bushes receding up a slope."""
    a = vgradient(w, h, [(0, (205, 215, 220)), (0.3, (225, 228, 225)), (1, (70, 120, 60))])
    fill_below(a, ridge(w, h * 0.22, h * 0.05, rng), (160, 180, 175), 0.1)
    fill_below(a, ridge(w, h * 0.3, h * 0.04, rng), (120, 150, 120), 0.1)
    img = Image.fromarray(a.astype(np.uint8))
    d = ImageDraw.Draw(img)
    x = np.linspace(0, w, 80)
    for k in range(26):
        t = k / 25
        base = h * (0.36 + 0.64 * t ** 1.3)
        y = base + h * 0.04 * (1 - t * 0.5) * np.sin(2 * np.pi * (x / w * 1.2 + 0.15 * k))
        thick = 6 + 40 * t
        green = (int(40 + 40 * (1 - t)), int(100 + 60 * (1 - t)), int(40 + 20 * (1 - t)))
        d.line(list(zip(x, y)), fill=green, width=int(thick))
    return np.asarray(img, dtype=np.float32)


def tea_lab(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A growth room: shelves of seedling trays under pale grow lights, a researcher's figure."""
    a = vgradient(w, h, [(0, (230, 225, 240)), (0.5, (215, 215, 225)), (1, (180, 180, 190))])
    img = Image.fromarray(a.astype(np.uint8))
    d = ImageDraw.Draw(img)
    for s in range(5):
        y = int(h * (0.12 + s * 0.18))
        d.rectangle([int(w * 0.05), y, int(w * 0.95), y + 14], fill=(240, 235, 255))
        d.rectangle([int(w * 0.05), y + 150, int(w * 0.95), y + 166], fill=(150, 150, 160))
        for k in range(14):
            cx = int(w * 0.08 + k * w * 0.063)
            for j in range(3):
                r = int(rng.integers(10, 22))
                d.ellipse([cx - r, y + 120 - j * 18 - r, cx + r, y + 120 - j * 18 + r],
                          fill=(int(rng.integers(50, 90)), int(rng.integers(130, 180)), 60))
    d.ellipse([int(w * 0.62), int(h * 0.38), int(w * 0.78), int(h * 0.5)], fill=(80, 60, 50))
    d.rectangle([int(w * 0.58), int(h * 0.5), int(w * 0.82), int(h)], fill=(245, 245, 245))
    return np.asarray(img, dtype=np.float32)


def robot(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A school robotics arena: a taped mat, a small wheeled robot and blocks, students at the rail."""
    a = vgradient(w, h, [(0, (70, 80, 100)), (0.3, (110, 120, 140)), (0.35, (200, 200, 195)),
                         (1, (170, 170, 165))])
    img = Image.fromarray(a.astype(np.uint8))
    d = ImageDraw.Draw(img)
    for k in range(12):
        x = int(rng.uniform(0, w))
        d.ellipse([x - 30, int(h * 0.12), x + 30, int(h * 0.2)], fill=(60, 45, 35))
        d.rectangle([x - 50, int(h * 0.2), x + 50, int(h * 0.34)],
                    fill=(int(rng.integers(30, 220)), int(rng.integers(60, 180)), int(rng.integers(80, 220))))
    d.rectangle([0, int(h * 0.34), w, int(h * 0.37)], fill=(220, 220, 60))
    for k in range(6):
        y = int(h * (0.45 + k * 0.1))
        d.line([(0, y), (w, y - 40)], fill=(40, 40, 40), width=6)
    for k in range(5):
        x, y = int(rng.uniform(0.1, 0.9) * w), int(rng.uniform(0.5, 0.9) * h)
        d.rectangle([x, y, x + 70, y + 70], fill=[(200, 50, 50), (50, 100, 200), (240, 190, 40)][k % 3])
    x, y = int(w * 0.45), int(h * 0.6)
    d.rectangle([x, y, x + 260, y + 150], fill=(60, 60, 70))
    d.rectangle([x + 60, y - 90, x + 200, y], fill=(230, 120, 30))
    for cx in (x + 40, x + 220):
        d.ellipse([cx - 40, y + 120, cx + 40, y + 200], fill=(25, 25, 25))
    return np.asarray(img, dtype=np.float32)


def observatory(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A small white dome on a dark hill under a starry sky with the Milky Way's haze."""
    a = vgradient(w, h, [(0, (10, 14, 35)), (0.6, (25, 35, 70)), (0.72, (40, 55, 90)), (1, (15, 15, 20))])
    yy, xx = np.mgrid[0:h, 0:w]
    band = np.exp(-((xx - w * 0.3 - (yy * 0.4)) ** 2) / (2 * (w * 0.12) ** 2))
    a += band[..., None] * np.array([50, 50, 70], dtype=np.float32) * (yy < h * 0.7)[..., None]
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    for _ in range(900):
        x, y = int(rng.uniform(0, w)), int(rng.uniform(0, h * 0.7))
        r = float(rng.choice([1, 1, 1, 2, 3]))
        v = int(rng.integers(170, 256))
        d.ellipse([x - r, y - r, x + r, y + r], fill=(v, v, min(255, v + 20)))
    b = np.asarray(img, dtype=np.float32).copy()
    fill_below(b, ridge(w, h * 0.72, h * 0.03, rng), (20, 22, 25), 0.0)
    img = Image.fromarray(b.astype(np.uint8))
    d = ImageDraw.Draw(img)
    cx, base = int(w * 0.6), int(h * 0.7)
    d.rectangle([cx - 170, base - 60, cx + 170, base + 120], fill=(200, 200, 205))
    d.pieslice([cx - 170, base - 230, cx + 170, base + 110], 180, 360, fill=(225, 225, 230))
    d.rectangle([cx - 25, base - 230, cx + 25, base - 70], fill=(30, 30, 40))
    d.rectangle([cx - 40, base + 40, cx + 40, base + 120], fill=(240, 200, 120))
    return np.asarray(img, dtype=np.float32)


SCENES: list[tuple[str, Callable[[int, int, np.random.Generator], np.ndarray], tuple[int, int], int]] = [
    ("p1-port-cranes.jpg", port_cranes, LANDSCAPE, 301),
    ("p1-port-train.jpg", port_train, LANDSCAPE, 302),
    ("p1-harvest.jpg", rice_harvest, LANDSCAPE, 303),
    ("p1-skills-weld.jpg", welding, PORTRAIT, 304),
    ("p4-market.jpg", market, LANDSCAPE, 401),
    ("p4-minibus.jpg", minibus, LANDSCAPE, 402),
    ("p5-tea-garden.jpg", tea_garden, LANDSCAPE, 501),
    ("p5-tea-lab.jpg", tea_lab, PORTRAIT, 502),
    ("p5-robot.jpg", robot, LANDSCAPE, 503),
    ("p5-observatory.jpg", observatory, PORTRAIT, 504),
]
"""File name, drawing function, pixel size and seed of every stand-in."""


def main(out: Path = OUT) -> None:
    """Write every stand-in into ``out``, refusing any file over ``MAX_BYTES``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, draw, (w, h), seed in SCENES:
        img = finish(draw(w, h, np.random.default_rng(seed)), seed)
        path = out / name
        img.save(path, "JPEG", quality=QUALITY, dpi=(300, 300))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SystemExit(f"{path}: {size} bytes is over {MAX_BYTES}")
        print(f"{path.name}: {w}×{h} px, {size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
