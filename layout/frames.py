"""Frames: the immutable, backend-neutral result of layout.

Owns the frozen dataclasses that page composition produces and that every exporter only reads:
the PDF writer, the preview rasteriser, the layout snapshot and the fit report. Coordinates are
points, origin at the top-left corner of the trimmed page, y growing downwards (``units``).
A ``Group`` is a positioned rectangle with a kind (``article``, ``column``, ``photo``…), an id
and child items; leaf items are glyph runs inside text lines, rules, fills, stroked boxes and
images. Nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

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
    scale in percent (纵中横 digits squeezed into one em).
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


@dataclass(frozen=True, slots=True)
class Fill:
    """A filled rectangle (tint panels, reversed bars)."""

    x: float
    y: float
    w: float
    h: float
    color: Color = K100


@dataclass(frozen=True, slots=True)
class Box:
    """A stroked rectangle (sidebar frames)."""

    x: float
    y: float
    w: float
    h: float
    width: float = 0.5
    color: Color = K100


@dataclass(frozen=True, slots=True)
class Image:
    """A raster image placed in the rectangle (x, y, w, h), already prepared for print.

    ``data`` is the encoded image the writer embeds as is (JPEG or PNG), ``mode`` its colour
    mode (``L`` or ``CMYK``), ``px`` its pixel size, ``source`` the file it came from and
    ``digest`` a short hash of ``data`` for snapshots.
    """

    x: float
    y: float
    w: float
    h: float
    data: bytes = field(repr=False)
    mode: str
    px: tuple[int, int]
    source: str
    digest: str

    @property
    def ppi(self) -> float:
        """Effective resolution in pixels per inch (the smaller of the two axes)."""
        return min(self.px[0] / (self.w / 72.0), self.px[1] / (self.h / 72.0))


Item = "GlyphRun | TextLine | Rule | Fill | Box | Image | Group"


@dataclass(frozen=True, slots=True)
class Group:
    """A positioned rectangle with a kind, an id and its items (which may be groups)."""

    kind: str
    id: str
    x: float
    y: float
    w: float
    h: float
    items: tuple = ()

    def walk(self) -> Iterator[object]:
        """Yield every item below this group, depth first, groups included."""
        for item in self.items:
            yield item
            if isinstance(item, Group):
                yield from item.walk()

    def lines(self) -> Iterator[TextLine]:
        """Yield every text line below this group in reading order."""
        for item in self.walk():
            if isinstance(item, TextLine):
                yield item


@dataclass(frozen=True, slots=True)
class Page:
    """A laid-out page: trim size, bleed, the root group and descriptive metadata."""

    width: float
    height: float
    root: Group
    bleed: float = 0.0
    title: str = ""
    meta: tuple[tuple[str, str], ...] = ()
