"""Photo report: each placed photo's printed size, the crop it shows and its resolution.

Owns the rows that ``paiban validate`` and ``paiban fit`` print for photos, read from the frame
tree only: the article, the file, the printed size in mm, the rectangle of the original shown
(pixels, or the whole image), the effective resolution of that rectangle at the printed size,
and whether the photo is a draft placeholder (FPO) or vector art.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..frames import Group, Image, Path
from ..units import mm


@dataclass(frozen=True, slots=True)
class PhotoRow:
    """One placed photo as reported."""

    article: str
    source: str
    width_mm: float
    height_mm: float
    crop: tuple[int, int, int, int] | None
    ppi: float | None
    """Effective pixels per inch of the shown rectangle (None: vector art)."""
    note: str = ""
    """``FPO`` for a draft placeholder, ``vector`` for vector art."""

    def cells(self) -> tuple[str, ...]:
        """Return the row as table cells."""
        crop = (
            f"{self.crop[0]},{self.crop[1]}–{self.crop[2]},{self.crop[3]} px"
            if self.crop
            else ("whole image" if self.ppi is not None else "—")
        )
        ppi = f"{self.ppi:.0f}" if self.ppi is not None else "—"
        return (
            self.article,
            self.source,
            f"{self.width_mm:.1f}×{self.height_mm:.1f}",
            crop,
            ppi,
            self.note,
        )


def photo_rows(page) -> list[PhotoRow]:
    """Return the rows of every photo on a laid-out page, in composition order."""
    rows: list[PhotoRow] = []

    def walk(group: Group, article: str) -> None:
        for item in group.items:
            if not isinstance(item, Group):
                continue
            owner = item.id if item.kind == "article" else article
            if item.kind == "photo":
                rows.append(_row(item, owner))
            else:
                walk(item, owner)

    walk(page.root, "")
    return rows


def _row(group: Group, article: str) -> PhotoRow:
    image = next((i for i in group.items if isinstance(i, Image)), None)
    if image is None:
        paths = [i for i in group.items if isinstance(i, Path)]
        xs = [op[k] + p.x for p in paths for op in p.ops for k in range(1, len(op), 2)]
        ys = [op[k] + p.y for p in paths for op in p.ops for k in range(2, len(op), 2)]
        w = (max(xs) - min(xs)) if xs else 0.0
        h = (max(ys) - min(ys)) if ys else 0.0
        return PhotoRow(article, group.id, w / mm(1), h / mm(1), None, None, "vector")
    crop = image.crop
    if crop is not None:
        ppi = min((crop[2] - crop[0]) / (image.w / 72.0), (crop[3] - crop[1]) / (image.h / 72.0))
    else:
        ppi = image.ppi
    return PhotoRow(
        article,
        image.source,
        image.w / mm(1),
        image.h / mm(1),
        crop,
        ppi,
        "FPO" if image.fpo else "",
    )
