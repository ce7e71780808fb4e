"""Generate the stand-in photos of the Zhuzhou Daily 2024-03-06 flagship page.

The real photos are not available, so three procedural RGB JPEGs (soft gradients and simple
shapes suggesting the scene, a small "STAND-IN" label drawn with line strokes, no fonts) are
written into ``issues/zhuzhou-daily/2024-03-06/photos/``. Output is deterministic: the same
Pillow/numpy give the same bytes. Run: ``python tools/make_standins.py [out_dir]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "photos"
QUALITY = 84
MAX_BYTES = 450_000

UPSCALE = 1.5
"""Enlargement applied to each drawn stand-in before it is saved."""

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


def vgradient(w: int, h: int, stops: list[tuple[float, tuple[int, int, int]]]) -> np.ndarray:
    """Return an h×w×3 float array blending colour stops from top (0) to bottom (1)."""
    t = np.linspace(0.0, 1.0, h)
    pos = [s[0] for s in stops]
    chans = [np.interp(t, pos, [s[1][i] for s in stops]) for i in range(3)]
    col = np.stack(chans, axis=1)[:, None, :]
    return np.repeat(col, w, axis=1).astype(np.float32)


def finish(img: Image.Image, seed: int) -> Image.Image:
    """Soften like a lens, add fine grain and a vignette, and stamp the label."""
    img = img.filter(ImageFilter.GaussianBlur(2.2))
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot((xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2))
    a *= (1.0 - 0.18 * np.clip(r - 0.45, 0, None))[..., None]
    rng = np.random.default_rng(seed)
    a += rng.normal(0.0, 2.0, size=(h, w, 1)).astype(np.float32)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    label(img)
    return img


def label(img: Image.Image, text: str = "STAND-IN") -> None:
    """Draw a small white stroked label on a dark plate in the bottom-right corner."""
    d = ImageDraw.Draw(img)
    u = max(3, img.width // 400)  # grid unit in px: letters are 6u tall
    adv = 6 * u
    tw = adv * len(text) - 2 * u
    pad = 2 * u
    x0 = img.width - tw - 2 * pad - 3 * u
    y0 = img.height - 6 * u - 2 * pad - 3 * u
    d.rectangle([x0, y0, x0 + tw + 2 * pad, y0 + 6 * u + 2 * pad], fill=(40, 40, 40))
    for i, ch in enumerate(text):
        ox, oy = x0 + pad + i * adv, y0 + pad
        for line in STROKES[ch]:
            pts = [(ox + px * u, oy + py * u) for px, py in line]
            d.line(pts, fill=(235, 235, 235), width=max(1, u // 2 + 1), joint="curve")


def person(
    d: ImageDraw.ImageDraw,
    x: float,
    base: float,
    height: float,
    body: tuple[int, int, int],
    *,
    cap: tuple[int, int, int] | None = None,
    legs: tuple[int, int, int] = (45, 45, 55),
) -> None:
    """Draw a simple standing figure whose feet are at (x, base)."""
    head = height * 0.13
    shoulders = base - height * 0.82
    hip = base - height * 0.45
    bw = height * 0.24
    d.ellipse(
        [x - head / 2, shoulders - head * 1.05, x + head / 2, shoulders - 0.05 * head],
        fill=(226, 190, 160),
    )
    if cap:
        d.pieslice(
            [x - head * 0.6, shoulders - head * 1.25, x + head * 0.6, shoulders - head * 0.35],
            180,
            360,
            fill=cap,
        )
    d.rounded_rectangle(
        [x - bw / 2, shoulders, x + bw / 2, hip + height * 0.04], radius=bw * 0.25, fill=body
    )
    d.rectangle([x - bw * 0.42, hip, x - bw * 0.05, base], fill=legs)
    d.rectangle([x + bw * 0.05, hip, x + bw * 0.42, base], fill=legs)


def police_camp(w: int = 1800, h: int = 1200) -> Image.Image:
    """Children in red scarves and police officers on a parade ground before a barracks."""
    a = vgradient(
        w,
        h,
        [
            (0, (150, 190, 228)),
            (0.42, (206, 224, 236)),
            (0.43, (176, 172, 160)),
            (1, (128, 124, 116)),
        ],
    )
    img = Image.fromarray(a.astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    # barracks: a long building with rows of windows
    d.rectangle([120, 250, 1500, 520], fill=(214, 206, 190))
    d.rectangle([100, 230, 1520, 262], fill=(150, 60, 50))
    for row in range(3):
        for col in range(16):
            x = 170 + col * 82
            y = 290 + row * 75
            d.rectangle([x, y, x + 46, y + 44], fill=(92, 110, 130))
    # flag pole and flag
    d.rectangle([1610, 120, 1620, 520], fill=(200, 200, 205))
    d.polygon([(1620, 125), (1760, 150), (1620, 205)], fill=(205, 30, 35))
    # lane markings on the ground
    for i in range(6):
        y = 600 + i * 100
        d.line([(0, y), (w, y + 30)], fill=(190, 186, 176), width=6)
    # officers (dark blue, caps) and children (white shirts, red scarves)
    for i in range(4):
        person(
            d,
            260 + i * 380,
            1020 + (i % 2) * 20,
            520,
            (40, 58, 96),
            cap=(30, 40, 70),
            legs=(30, 40, 70),
        )
    for i in range(9):
        x = 180 + i * 175
        base = 1110 - (i % 3) * 18
        person(d, x, base, 330, (238, 238, 232), legs=(60, 70, 110))
        sh = base - 330 * 0.82
        d.polygon([(x - 22, sh + 4), (x + 22, sh + 4), (x, sh + 44)], fill=(215, 35, 40))
    return finish(img, 11)


def circuit_court(w: int = 1800, h: int = 1200) -> Image.Image:
    """A judge's table with a red banner in a village square, hills and a tree behind."""
    a = vgradient(
        w,
        h,
        [
            (0, (170, 200, 225)),
            (0.35, (214, 226, 228)),
            (0.36, (110, 140, 96)),
            (0.55, (150, 160, 110)),
            (1, (170, 158, 132)),
        ],
    )
    img = Image.fromarray(a.astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    # hills
    d.polygon(
        [
            (0, 430),
            (300, 300),
            (650, 410),
            (1000, 280),
            (1400, 400),
            (1800, 320),
            (1800, 470),
            (0, 470),
        ],
        fill=(92, 124, 86),
    )
    # farmhouse
    d.rectangle([1150, 330, 1600, 560], fill=(226, 220, 204))
    d.polygon([(1120, 335), (1375, 230), (1630, 335)], fill=(110, 100, 96))
    for x in (1200, 1320, 1440):
        d.rectangle([x, 390, x + 70, 470], fill=(80, 80, 84))
    # tree
    d.rectangle([180, 330, 215, 640], fill=(92, 70, 50))
    for cx, cy, r in ((200, 300, 150), (120, 360, 110), (290, 360, 115)):
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(64, 104, 60))
    # red banner and judges' table
    d.rectangle([480, 420, 1320, 500], fill=(196, 30, 36))
    for i in range(14):
        d.rectangle([520 + i * 56, 446, 552 + i * 56, 474], fill=(240, 210, 120))
    d.rectangle([560, 640, 1240, 760], fill=(160, 30, 34))
    for i in range(3):  # judges in dark robes behind the table
        person(d, 700 + i * 200, 700, 330, (30, 32, 40), legs=(30, 32, 40))
    d.rectangle([560, 640, 1240, 780], fill=(170, 32, 36))
    # villagers on benches in the foreground, seen from behind
    for row in range(2):
        for i in range(8):
            x = 150 + i * 205 + row * 90
            y = 1010 + row * 150
            col = [(70, 80, 110), (120, 60, 50), (60, 90, 70), (140, 130, 120)][(i + row) % 4]
            d.ellipse([x - 38, y - 190, x + 38, y - 110], fill=(40, 36, 34))
            d.rounded_rectangle([x - 70, y - 120, x + 70, y + 40], radius=30, fill=col)
    return finish(img, 22)


def traffic_rescue(w: int = 1500, h: int = 1100) -> Image.Image:
    """A traffic officer leading an elderly man along the shoulder of an expressway at dusk."""
    a = vgradient(
        w,
        h,
        [(0, (120, 150, 190)), (0.33, (236, 200, 160)), (0.34, (120, 124, 128)), (1, (84, 86, 90))],
    )
    img = Image.fromarray(a.astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    vx, vy = 760, 370  # vanishing point
    d.polygon([(vx - 10, vy), (vx + 10, vy), (w + 600, h), (-600, h)], fill=(74, 76, 80))
    for k in (-2, -1, 0, 1, 2):  # lane lines converging on the vanishing point
        xb = vx + k * 520
        for s in range(12):
            t0, t1 = (s / 12) ** 1.6, ((s + 0.5) / 12) ** 1.6
            p0 = (vx + (xb - vx) * t0, vy + (h - vy) * t0)
            p1 = (vx + (xb - vx) * t1, vy + (h - vy) * t1)
            d.line([p0, p1], fill=(230, 230, 220), width=max(2, int(10 * t1)))
    # guard rail on the right
    d.polygon([(vx + 12, vy), (vx + 18, vy - 6), (w, 700), (w, 760)], fill=(190, 194, 198))
    # police car: white with a blue stripe and a light bar
    d.rounded_rectangle([880, 620, 1360, 830], radius=40, fill=(236, 238, 240))
    d.rectangle([880, 720, 1360, 750], fill=(40, 80, 170))
    d.polygon([(960, 620), (1020, 540), (1240, 540), (1300, 620)], fill=(200, 210, 222))
    d.rectangle([1080, 520, 1180, 540], fill=(60, 90, 200))
    d.rectangle([1130, 520, 1180, 540], fill=(210, 40, 40))
    for cx in (980, 1260):
        d.ellipse([cx - 55, 780, cx + 55, 890], fill=(30, 30, 32))
    # officer in a yellow-green reflective vest, and the elderly man
    person(d, 520, 960, 520, (196, 214, 60), cap=(230, 230, 235), legs=(40, 48, 70))
    person(d, 660, 968, 470, (110, 96, 84), legs=(70, 66, 60))
    d.ellipse([634, 520, 686, 560], fill=(220, 220, 220))  # grey hair
    return finish(img, 33)


PHOTOS = {
    "lead-police-camp.jpg": police_camp,
    "lead-circuit-court.jpg": circuit_court,
    "traffic-rescue.jpg": traffic_rescue,
}


def main(out: Path = OUT) -> None:
    """Write the stand-in photos into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, make in PHOTOS.items():
        img = make()
        # Drawn at a modest size, then enlarged: the flat shapes survive resampling, and the
        # page's largest photo placements stay above 250 ppi (print.md §4: 170–200 ppi minimum).
        img = img.resize((round(img.width * UPSCALE), round(img.height * UPSCALE)), Image.LANCZOS)
        path = out / name
        img.save(path, "JPEG", quality=QUALITY, optimize=True, subsampling=0, dpi=(300, 300))
        size = path.stat().st_size
        if size > MAX_BYTES:
            img.save(path, "JPEG", quality=QUALITY - 10, optimize=True, dpi=(300, 300))
            size = path.stat().st_size
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
            f"{img.width}×{img.height}, {size / 1000:.0f} kB"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
