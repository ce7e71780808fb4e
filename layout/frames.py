"""Frames: the immutable, backend-neutral result of layout.

Owns the frozen dataclasses that page composition produces and that every exporter only reads:
the PDF writer, the preview rasteriser, the layout snapshot and the fit report. Coordinates are
points, y growing downwards (``units``).

Frames are relative (typst's ``Frame::push_frame``): a ``Group`` sits at ``(x, y)`` in its
parent's coordinates and its items are in the group's own coordinates, origin at its top-left
corner. A module is composed once in its own coordinates and placed on the page by translation,
so moving it costs a change of two numbers. The page root sits at the trimmed page's top-left.
``translate()`` moves any item, ``Group.placed()`` walks a tree in page coordinates and
``Group.lines()`` yields text lines in page coordinates (what checkers and tests read).

A ``Group`` has a kind (``GroupKind``), an id and child items; leaf items are glyph runs
inside text lines, rules, fills, stroked boxes, images and vector paths. Nothing here decides
anything: exporters do not filter on kinds (printer's marks live beside the root, in
``Page.marks``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

Color = tuple[float, float, float, float]
"""A DeviceCMYK colour, each component 0..1."""

K100: Color = (0.0, 0.0, 0.0, 1.0)
"""100 % black, the only colour of text and rules on a newspaper page (单黑)."""

WHITE: Color = (0.0, 0.0, 0.0, 0.0)
"""No ink: knocked-out (reversed) text on a panel."""

REGISTRATION: Color = (1.0, 1.0, 1.0, 1.0)
"""The registration colour (Separation /All) of crop and registration marks, outside the bleed only."""


@dataclass(frozen=True, slots=True)
class GlyphRun:
    """Glyphs of one face and size on one baseline, each followed by ``char_space`` extra pt.

    ``x``/``y`` is the origin (baseline, left edge) of the first glyph. ``rotate`` turns the run
    clockwise about its origin (rotated Latin in vertical headlines); ``h_scale`` is a horizontal
    scale in percent (纵中横 digits squeezed into one em). ``overprint`` is set by the print
    policy (``pdf.policy``), never by layout.
    """

    x: float
    y: float
    text: str
    font: str
    size: float
    char_space: float = 0.0
    rotate: float = 0.0
    h_scale: float = 100.0
    color: Color = K100
    overprint: bool = False


@dataclass(frozen=True, slots=True)
class TextLine:
    """One composed line: its runs, its baseline and measure, and what it says.

    ``x`` is the left edge of the measure, ``y`` the baseline, ``width`` the measure, ``ink`` the
    width actually set (equal to ``width`` for a justified line). ``last`` marks a paragraph's last
    line; ``kind`` says what the line belongs to (``body``, ``head``, ``caption``…).
    """

    x: float
    y: float
    width: float
    ink: float
    text: str
    runs: tuple[GlyphRun, ...]
    kind: str = "body"
    last: bool = False
    size: float = 9.0
    marks: tuple[tuple[float, float, float], ...] = ()
    """Emphasis dots (着重号) under characters: centre x, centre y and radius of each, like runs
    in the line's parent coordinates."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight stroked line from (x1, y1) to (x2, y2)."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5
    color: Color = K100
    dash: tuple[float, ...] | None = None
    overprint: bool = False


@dataclass(frozen=True, slots=True)
class Fill:
    """A filled rectangle (tint panels, reversed bars)."""

    x: float
    y: float
    w: float
    h: float
    color: Color = K100
    overprint: bool = False


@dataclass(frozen=True, slots=True)
class Box:
    """A stroked rectangle (sidebar frames)."""

    x: float
    y: float
    w: float
    h: float
    width: float = 0.5
    color: Color = K100
    overprint: bool = False


@dataclass(frozen=True, slots=True)
class Image:
    """A photo placed in the rectangle (x, y, w, h): a reference to its source file, no pixels.

    ``source`` is the file name as the description gives it, ``path`` the resolved file,
    ``digest`` a hash of the file's bytes (what caches and snapshots key on), ``px`` the source's
    pixel size (EXIF orientation applied) and ``crop`` the rectangle (left, top, right, bottom) of
    source pixels that fills the box, decided where the photo is placed. ``standin`` marks a
    stand-in for a missing original and ``fpo`` a low-resolution placeholder accepted in draft
    mode (for position only). Colour conversion, ink limits and encoding are the PDF backend's
    business (GUIDE: print policy is a pass), so a preview never inherits them.
    """

    x: float
    y: float
    w: float
    h: float
    source: str
    path: str
    digest: str
    px: tuple[int, int]
    crop: tuple[int, int, int, int]
    standin: bool = False
    fpo: bool = False
    overprint: bool = False

    @property
    def crop_px(self) -> tuple[int, int]:
        """Width and height of the crop in source pixels."""
        left, top, right, bottom = self.crop
        return right - left, bottom - top

    @property
    def ppi(self) -> float:
        """Effective resolution in pixels per inch (the smaller of the two axes)."""
        cw, ch = self.crop_px
        return min(cw / (self.w / 72.0), ch / (self.h / 72.0))


@dataclass(frozen=True, slots=True)
class Path:
    """A vector path (a logo or chart outline) at (x, y): its operations are relative to it.

    ``ops`` holds ``("M", x, y)``, ``("L", x, y)``, ``("C", x1, y1, x2, y2, x3, y3)`` and
    ``("Z",)``; ``fill``/``stroke`` are CMYK colours or None, ``width`` the stroke weight,
    ``even_odd`` the fill rule and ``dash`` an optional stroke dash pattern; ``overprint`` is set
    by the print policy (``pdf.policy``).
    """

    x: float
    y: float
    ops: tuple[tuple, ...]
    fill: Color | None = None
    stroke: Color | None = None
    width: float = 0.0
    even_odd: bool = False
    dash: tuple[float, ...] | None = None
    overprint: bool = False


Item = "GlyphRun | TextLine | Rule | Fill | Box | Image | Path | Group"


class GroupKind(StrEnum):
    """What a group of the frame tree holds (snapshots and overlays name groups by it)."""

    PAGE = "page"
    HEADER = "header"
    MASTHEAD = "masthead"
    ARTICLE = "article"
    MODULE = "module"
    HEADLINE = "headline"
    PHOTO = "photo"
    SIDEBAR = "sidebar"
    BOX = "box"
    RULES = "rules"
    MARKS = "marks"
    NAMEPLATE = "nameplate"
    BLOCK = "block"


def translate(item, dx: float, dy: float):
    """Return ``item`` moved by (dx, dy): a group moves as a whole, its items stay relative."""
    if dx == 0.0 and dy == 0.0:
        return item
    if isinstance(item, Rule):
        return replace(item, x1=item.x1 + dx, y1=item.y1 + dy, x2=item.x2 + dx, y2=item.y2 + dy)
    if isinstance(item, TextLine):
        runs = tuple(replace(r, x=r.x + dx, y=r.y + dy) for r in item.runs)
        marks = tuple((x + dx, y + dy, r) for x, y, r in item.marks)
        return replace(item, x=item.x + dx, y=item.y + dy, runs=runs, marks=marks)
    return replace(item, x=item.x + dx, y=item.y + dy)


@dataclass(frozen=True, slots=True)
class Group:
    """A rectangle at (x, y) in its parent's coordinates holding items in its own coordinates."""

    kind: str
    id: str
    x: float
    y: float
    w: float
    h: float
    items: tuple = ()

    @classmethod
    def around(cls, kind: str, id: str, x: float, y: float, w: float, h: float, items) -> Group:
        """Make a group at (x, y) from items given in the parent's coordinates (shifted into it)."""
        return cls(kind, id, x, y, w, h, tuple(translate(i, -x, -y) for i in items))

    def walk(self) -> Iterator[object]:
        """Yield every item below this group, depth first, groups included (own coordinates)."""
        for item in self.items:
            yield item
            if isinstance(item, Group):
                yield from item.walk()

    def placed(self, dx: float = 0.0, dy: float = 0.0) -> Iterator[object]:
        """Yield every item below this group moved into page coordinates, depth first.

        ``(dx, dy)`` is where this group's parent origin lies on the page (0, 0 for the root).
        Groups are yielded with their page position; their items are still relative.
        """
        ox, oy = dx + self.x, dy + self.y
        for item in self.items:
            yield translate(item, ox, oy)
            if isinstance(item, Group):
                yield from item.placed(ox, oy)

    def lines(self) -> Iterator[TextLine]:
        """Yield every text line below this group in reading order, in page coordinates."""
        for item in self.placed():
            if isinstance(item, TextLine):
                yield item


@dataclass(frozen=True, slots=True)
class Page:
    """A laid-out page: trim size, bleed, the root group, printer's marks and metadata.

    ``marks`` (crop and registration marks, the slug) lie outside the trim and beside the root,
    so an exporter that wants no marks simply does not draw them.
    """

    width: float
    height: float
    root: Group
    bleed: float = 0.0
    title: str = ""
    meta: tuple[tuple[str, str], ...] = ()
    marks: Group | None = None
