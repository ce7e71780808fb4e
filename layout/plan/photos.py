"""Photo crops: which rectangle of an image a photo box shows.

Owns the crop decision of a placed photo as data, before any pixel is touched: the part of
the image the editor chose (``crop``, fractions of the image) or the whole image, trimmed to
the box's proportions around a point kept in view (``focus``) or around the chosen part's
centre, in whole pixels. Composition records the result on the frame; the image preparer
cuts those pixels; reports show it with the effective resolution.
"""

from __future__ import annotations

import math

PxRect = tuple[int, int, int, int]
"""A rectangle of an image in pixels: left, top, right, bottom (right and bottom exclusive)."""


def crop_box(
    px: tuple[int, int],
    w_pt: float,
    h_pt: float,
    crop: tuple[float, float, float, float] | None = None,
    focus: tuple[float, float] | None = None,
) -> PxRect:
    """Return the pixels of a ``px``-sized image shown in a ``w_pt`` × ``h_pt`` box ("cover")."""
    W, H = px
    if crop is not None:
        x0, y0, x1, y1 = crop[0] * W, crop[1] * H, crop[2] * W, crop[3] * H
    else:
        x0, y0, x1, y1 = 0.0, 0.0, float(W), float(H)
    fx = focus[0] * W if focus is not None else (x0 + x1) / 2
    fy = focus[1] * H if focus is not None else (y0 + y1) / 2
    aspect = w_pt / h_pt
    cw, ch = x1 - x0, y1 - y0
    if cw / ch > aspect:  # too wide for the box: keep the height, trim the width around fx
        left, right = _span(x0, x1, ch * aspect, fx)
        return (left, round(y0), right, round(y1))
    top, bottom = _span(y0, y1, cw / aspect, fy)
    return (round(x0), top, round(x1), bottom)


def _span(lo: float, hi: float, size: float, centre: float) -> tuple[int, int]:
    """A run of ``size`` pixels (rounded, ≥ 1) centred on ``centre`` and kept inside [lo, hi]
    (floor of the start, as a centred crop of an odd remainder leans to the top and left)."""
    n = max(1, round(size))
    start = math.floor(centre - n / 2)
    start = min(max(start, math.ceil(lo)), math.floor(hi) - n)
    return start, start + n


def effective_ppi(rect: PxRect, w_pt: float, h_pt: float) -> float:
    """Return the pixels per inch of the shown rectangle at the printed size (the smaller axis)."""
    return min((rect[2] - rect[0]) / (w_pt / 72.0), (rect[3] - rect[1]) / (h_pt / 72.0))
