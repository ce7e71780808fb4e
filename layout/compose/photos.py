"""Photos in the frame tree: the effective resolution, checked where a photo is placed.

Owns ``image_item()``, the one place a ``frames.Image`` is built: the crop of the source to the
box (``plan.photos.crop_box``: the editor's crop and focus, else the centre, at the box's
proportions), the effective-resolution check (a warning below ``WARN_PPI``; below ``ERROR_PPI``
an error, or in a draft an FPO placeholder with a warning — both from the crop and the box,
without decoding a pixel) and the reference the PDF backend later prepares for print. What
layout knows about a photo file (``PhotoSource``: its path, a digest of its bytes, its pixel
size) comes from the API, which reads only the file's header; colour conversion, ink limiting
and encoding happen in the PDF backend (GUIDE: print policy is a pass after layout).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..frames import Image
from ..plan.photos import crop_box

WARN_PPI = 200.0
"""Below this effective resolution a photo may print soft: a warning (print.md §4: 170–200 ppi
at the 85–100 lpi of coldset newsprint)."""

ERROR_PPI = 150.0
"""Below this effective resolution a photo is refused (a draft marks it FPO instead): it would
print visibly pixelated."""

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


def image_item(env, photo, x: float, y: float, w: float, h: float) -> Image:
    """Build the frame item of ``photo`` (a ``PhotoPlan``) filling the box (x, y, w, h).

    ``env.prepare(photo)`` gives its ``PhotoSource``. A resolution below ``ERROR_PPI`` raises an
    InputError naming the photo's field (the API adds the file and line) unless ``env.draft``,
    which marks the photo FPO; below ``WARN_PPI`` a note goes to ``env.notes`` (reported by
    ``paiban fit``/``validate`` and at render; the page reports each note once).
    """
    source: PhotoSource = env.prepare(photo)
    crop = crop_box(source.px, w, h, photo.crop, photo.focus)
    item = Image(x, y, w, h, source=photo.source, path=source.path, digest=source.digest,
                 px=source.px, crop=crop, standin=photo.standin)
    ppi = item.ppi
    cw, ch = item.crop_px
    placed = f"{w * MM_PER_PT:.1f}×{h * MM_PER_PT:.1f} mm"
    if ppi < ERROR_PPI:
        if not env.draft:
            need_w = cw / ERROR_PPI * 25.4
            raise InputError(
                f"{source.path}: effective resolution {ppi:.0f} ppi at {placed} ({cw}×{ch} px used) is "
                f"below the {ERROR_PPI:.0f} ppi minimum", field=f"{photo.field}.file",
                hint=f"use a larger original, or place it at most {need_w:.0f} mm wide")
        # Draft proofs accept what print would refuse, marked for position only.
        _note(env, f"draft: photo {photo.source} is {ppi:.0f} ppi, below the {ERROR_PPI:.0f} ppi print "
                   "minimum; it is marked FPO (for position only) and this PDF is a proof")
        return Image(x, y, w, h, source=photo.source, path=source.path, digest=source.digest,
                     px=source.px, crop=crop, standin=photo.standin, fpo=True)
    if ppi < WARN_PPI:
        _note(env, f"{source.path}: effective resolution {ppi:.0f} ppi at {placed} is below "
                   f"{WARN_PPI:.0f} ppi; it may print soft")
    return item


def _note(env, message: str) -> None:
    env.notes.append(message)
