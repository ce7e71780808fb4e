"""Photos in the frame tree: the crop and the effective resolution, decided where a photo is placed.

Owns ``image_item()``, the one place a ``frames.Image`` is built: the centre crop of the source to
the box (``cover``), the effective-resolution check (a warning below ``WARN_PPI``, an error
below ``ERROR_PPI``, both from the crop and the box, without decoding a pixel) and the
reference the PDF backend later prepares for print. What layout knows about a photo file
(``PhotoSource``: its path, a digest of its bytes, its pixel size) comes from the API, which
reads only the file's header; colour conversion, ink limiting and encoding happen in the PDF
backend (GUIDE: print policy is a pass after layout).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..frames import Image

WARN_PPI = 200.0
"""Below this effective resolution a photo may print soft: a warning (print.md §4: 170–200 ppi
at the 85–100 lpi of coldset newsprint)."""

ERROR_PPI = 150.0
"""Below this effective resolution a photo is refused: it would print visibly pixelated."""

MM_PER_PT = 25.4 / 72.0
"""Millimetres per point (messages give placed sizes in mm, as editors measure them)."""


@dataclass(frozen=True, slots=True)
class PhotoSource:
    """What layout knows about a photo file without decoding it.

    ``path`` is the resolved file, ``digest`` a hash of its bytes and ``px`` its pixel size with
    the EXIF orientation applied (what the reader of the page sees).
    """

    path: str
    digest: str
    px: tuple[int, int]


def centre_crop(px: tuple[int, int], w: float, h: float) -> tuple[int, int, int, int]:
    """Return the centred rectangle of source pixels with the aspect ratio of a w × h box."""
    W, H = px
    box_aspect = w / h
    if W / H > box_aspect:  # too wide: trim left and right
        cw = max(1, round(H * box_aspect))
        left = (W - cw) // 2
        return (left, 0, left + cw, H)
    ch = max(1, round(W / box_aspect))
    top = (H - ch) // 2
    return (0, top, W, top + ch)


def image_item(ctx, photo, field: str, x: float, y: float, w: float, h: float) -> Image:
    """Build the frame item of ``photo`` (description field ``field``) filling the box (x, y, w, h).

    The crop is the centre of the source at the box's proportions. A resolution below
    ``ERROR_PPI`` raises an InputError naming the photo's field; below ``WARN_PPI`` a warning
    is added to ``ctx.warnings`` (reported by ``paiban fit``/``validate`` and at render).
    """
    source: PhotoSource = ctx.prepare(photo, field)
    crop = centre_crop(source.px, w, h)
    item = Image(x, y, w, h, source=photo.file, path=source.path, digest=source.digest,
                 px=source.px, crop=crop, standin=photo.standin)
    ppi = item.ppi
    cw, ch = item.crop_px
    placed = f"{w * MM_PER_PT:.1f}×{h * MM_PER_PT:.1f} mm"
    if ppi < ERROR_PPI:
        need_w = cw / ERROR_PPI * 25.4
        raise InputError(
            f"{source.path}: effective resolution {ppi:.0f} ppi at {placed} ({cw}×{ch} px used) is "
            f"below the {ERROR_PPI:.0f} ppi minimum", file=ctx.path, field=f"{field}.file",
            line=ctx.lines_of(*field.split("."), "file") if ctx.lines_of else None,
            hint=f"use a larger original, or place it at most {need_w:.0f} mm wide")
    if ppi < WARN_PPI:
        note = (f"{source.path}: effective resolution {ppi:.0f} ppi at {placed} is below "
                f"{WARN_PPI:.0f} ppi; it may print soft")
        if note not in ctx.warnings:
            ctx.warnings.append(note)
    return item
