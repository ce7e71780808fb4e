"""Checks on the finished page: what is drawn outside the rectangle it was given.

Owns ``overflow_warnings()``: every element of a module (photo, caption, headline, sidebar,
masthead text) must lie inside the module's rectangles on the grid, and everything but the
printer's marks inside the trimmed page. What does not is one ``overflow: …`` warning per element
(``--strict`` makes it an error): a photo drawn over the module below, a caption running off the
page, a masthead whose text spills out of its box. It only reads the frame tree and the module
rectangles, so it holds whatever way the modules were composed (issue 18).
"""

from __future__ import annotations

from ..frames import Box, Fill, Group, Image, Rule, TextLine, translate
from ..plan.grid import Grid
from ..units import to_mm

OVERFLOW_TOLERANCE = 1.0
"""Points an element may stick out before it counts as overflowing (rounding, hairline rules)."""

TEXT_ASCENT, TEXT_DESCENT = 0.88, 0.12
"""Share of a line's size above and below its baseline taken as its extent (the em box)."""

SKIPPED_KINDS = frozenset({"marks", "rules", "header"})
"""Top-level groups not checked against a module: printer's marks (outside the trim by design),
the rules between modules and the page header (both drawn from the grid itself)."""

Rect = tuple[float, float, float, float]
"""x0, y0, x1, y1 in pt, y down."""


def _extent(item) -> Rect | None:
    """The rectangle a leaf item covers, or None for an item without area."""
    if isinstance(item, TextLine) and item.kind.endswith("vertical"):
        # A vertical line is a column of glyphs, each its own run: its extent is theirs. An upright
        # glyph stands on its baseline; a rotated run (Latin, digits) hangs down from its origin.
        rects = [(r.x - TEXT_DESCENT * r.size, r.y, r.x + TEXT_ASCENT * r.size, r.y + 0.6 * r.size * len(r.text))
                 if r.rotate else (r.x, r.y - TEXT_ASCENT * r.size, r.x + r.size, r.y + TEXT_DESCENT * r.size)
                 for r in item.runs]
        return _union(rects)
    if isinstance(item, TextLine):
        w = max(item.width, item.ink)
        return (
            item.x,
            item.y - TEXT_ASCENT * item.size,
            item.x + w,
            item.y + TEXT_DESCENT * item.size,
        )
    if isinstance(item, (Image, Fill, Box)):
        return item.x, item.y, item.x + item.w, item.y + item.h
    if isinstance(item, Rule):
        return (
            min(item.x1, item.x2),
            min(item.y1, item.y2),
            max(item.x1, item.x2),
            max(item.y1, item.y2),
        )
    return None


def _union(rects: list[Rect]) -> Rect | None:
    if not rects:
        return None
    return (
        min(r[0] for r in rects),
        min(r[1] for r in rects),
        max(r[2] for r in rects),
        max(r[3] for r in rects),
    )


def _beyond(inner: Rect, outer: Rect) -> tuple[float, str] | None:
    """How far (pt) and on which side ``inner`` sticks out of ``outer``, the worst side first."""
    sides = [
        (outer[1] - inner[1], "above"),
        (inner[3] - outer[3], "below"),
        (outer[0] - inner[0], "to the left of"),
        (inner[2] - outer[2], "to the right of"),
    ]
    worst = max(sides)
    return worst if worst[0] > OVERFLOW_TOLERANCE else None


def _outside(r: Rect, allowed: list[Rect]) -> tuple[float, str] | None:
    """How far ``r`` lies outside the region made of ``allowed`` rectangles, or None if inside:
    inside one of them, or inside their bounding box and clear of its notches (an L's corner)."""
    if any(_beyond(r, a) is None for a in allowed):
        return None
    box = _union(allowed)
    out = _beyond(r, box)
    if out is not None or len(allowed) == 1:
        return out if out is not None else min(_beyond(r, a) for a in allowed)
    for x0, y0, x1, y1 in allowed:  # the parts of the box beside each band are the notches
        for n in ((box[0], y0, x0, y1), (x1, y0, box[2], y1)):
            if n[2] - n[0] <= OVERFLOW_TOLERANCE:
                continue
            depth = min(r[2], n[2]) - max(r[0], n[0])
            if depth > OVERFLOW_TOLERANCE and min(r[3], n[3]) - max(r[1], n[1]) > OVERFLOW_TOLERANCE:
                covered = any(a[0] <= max(r[0], n[0]) and min(r[2], n[2]) <= a[2] and
                              a[1] <= max(r[1], n[1]) and min(r[3], n[3]) <= a[3] for a in allowed)
                if not covered:
                    return depth, "beside"
    return None


def _elements(group: Group):
    """(name, rectangles) of each element of a module (``group`` placed on the page): sub-groups
    whole, loose lines by kind, every rectangle in page coordinates."""
    loose: dict[str, list[Rect]] = {}
    for item in (translate(i, group.x, group.y) for i in group.items):
        if isinstance(item, Group):
            rects = [r for r in (_extent(x) for x in item.placed()) if r is not None]
            if item.kind == "photo":
                image = [r for r in (_extent(x) for x in item.placed() if isinstance(x, Image)) if r]
                captions = [
                    r
                    for r in (
                        _extent(x)
                        for x in item.placed()
                        if isinstance(x, TextLine) and x.kind == "caption"
                    )
                    if r
                ]
                yield f"photo {item.id!r}", image
                yield f"the caption of photo {item.id!r}", captions
            else:
                yield f"the {item.kind}" if item.kind != "sidebar" else "the sidebar", rects
        else:
            r = _extent(item)
            if r is not None:
                kind = item.kind if isinstance(item, TextLine) else type(item).__name__.lower()
                loose.setdefault(kind, []).append(r)
    for kind, rects in loose.items():
        yield (
            f"{kind} text"
            if kind in ("body", "subhead", "caption", "byline", "dateline")
            else kind,
            rects,
        )


def overflow_warnings(root: Group, grid: Grid, modules) -> list[str]:
    """Warn about elements drawn outside their module or outside the trimmed page.

    ``modules`` are the page's modules as composed (``compose.page.PlacedModule``); an element
    of a module must lie inside one of the rectangles of its region.
    """
    areas: dict[str, list[Rect]] = {}
    for m in modules:
        for band in m.region.bands:
            x = grid.col_x(band.col)
            areas.setdefault(m.label, []).append(
                (x, grid.line_top(band.top), x + grid.span_w(band.span), grid.line_bottom(band.end - 1)))
    page: Rect = (0.0, 0.0, grid.trim_w, grid.trim_h)
    found: list[str] = []
    for group in (translate(i, root.x, root.y) for i in root.items):
        if not isinstance(group, Group) or group.kind in SKIPPED_KINDS:
            continue
        owner = "the masthead" if group.kind == "masthead" else f"{group.kind} {group.id}"
        allowed = areas.get(group.id) or areas.get(group.kind)
        if group.kind == "masthead":  # one block: its title, sponsors, date and credits together
            elements = [
                ("the masthead", [r for r in (_extent(x) for x in group.placed()) if r is not None])
            ]
        else:
            elements = list(_elements(group))
        for name, rects in elements:
            extent = _union(rects)
            if extent is None:
                continue
            where = owner if name == owner else f"{name} of {owner}"
            off_page = _beyond(extent, page)
            if off_page:
                found.append(
                    f"overflow: {where} runs {to_mm(off_page[0]):.0f} mm off the page "
                    f"({off_page[1]} the trim)"
                )
                continue
            if not allowed:
                continue
            # Each piece must lie in the module's region (one rectangle, or the two of an L);
            # report the worst piece by how far it is out.
            outside = [o for o in (_outside(r, allowed) for r in rects) if o is not None]
            if outside:
                dist, side = max(outside)
                found.append(
                    f"overflow: {where} reaches {to_mm(dist):.0f} mm {side} its module "
                    "and is drawn over what lies there"
                )
    return found
