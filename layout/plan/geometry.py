"""Geometry of the page plan: rectangles in grid units and regions made of them.

Owns ``GridRect`` (first column, span, first body line, height in lines — the units an editor
writes placements in) and ``Region``, the area a module occupies: one rectangle, or two that
together form an L (L形: the narrow part on top) or an inverted L (倒L形: the wide part on top).
A region is stored as horizontal bands (the canonical decomposition), whatever way the editor
cut it, so that the head and the fit report are defined once: the head sits over the widest
band (or, when told, the top band). Composition reads the text down each column from the
head's band, columns left to right (``compose.module.text_columns``). Regions are values: moving one is ``moved()``, and a
region relative to its own top-left corner is what a module is composed in.
"""

from __future__ import annotations

from dataclasses import dataclass


class RegionError(ValueError):
    """Rectangles that do not make a region; ``index`` names the rectangle at fault (0-based)."""

    def __init__(self, message: str, index: int = 0) -> None:
        super().__init__(message)
        self.index = index


@dataclass(frozen=True, slots=True, order=True)
class GridRect:
    """A rectangle on the page grid: columns ``col``..``col + span − 1`` (0-based) and body
    lines ``top``..``top + height − 1``."""

    col: int
    span: int
    top: int
    height: int

    @property
    def end(self) -> int:
        """First body line below the rectangle."""
        return self.top + self.height

    @property
    def right(self) -> int:
        """First column to the right of the rectangle."""
        return self.col + self.span

    @property
    def cells(self) -> int:
        """Column-lines covered (span × height)."""
        return self.span * self.height

    def overlaps(self, other: GridRect) -> bool:
        """True when the two rectangles share at least one column-line."""
        return (self.col < other.right and other.col < self.right
                and self.top < other.end and other.top < self.end)

    def contains(self, other: GridRect) -> bool:
        """True when ``other`` lies wholly inside this rectangle."""
        return (self.col <= other.col and other.right <= self.right
                and self.top <= other.top and other.end <= self.end)

    def moved(self, dcol: int = 0, dline: int = 0) -> GridRect:
        """The same rectangle moved by ``dcol`` columns and ``dline`` lines."""
        return GridRect(self.col + dcol, self.span, self.top + dline, self.height)

    def label(self) -> str:
        """Human-readable placement, columns from 1: ``col 1+5, lines 0–40``."""
        return f"col {self.col + 1}+{self.span}, lines {self.top}–{self.end}"


@dataclass(frozen=True, slots=True)
class Region:
    """One rectangle, or horizontal bands forming an L or an inverted L (top to bottom)."""

    bands: tuple[GridRect, ...]

    @property
    def shape(self) -> str:
        """``rect``, ``L`` (narrow band on top) or ``inverted-L`` (wide band on top)."""
        if len(self.bands) == 1:
            return "rect"
        return "L" if self.bands[0].span < self.bands[1].span else "inverted-L"

    @property
    def bbox(self) -> GridRect:
        """The smallest rectangle holding the region."""
        if len(self.bands) == 1:  # asked for tens of thousands of times while a page is planned
            return self.bands[0]
        col = min(b.col for b in self.bands)
        right = max(b.right for b in self.bands)
        top = self.bands[0].top
        return GridRect(col, right - col, top, self.bands[-1].end - top)

    @property
    def cells(self) -> int:
        """Column-lines the region covers."""
        return sum(b.cells for b in self.bands)

    @property
    def widest(self) -> int:
        """Index of the widest band (the upper one on a tie): where the head sits."""
        return max(range(len(self.bands)), key=lambda i: (self.bands[i].span, -i))

    def reading_order(self, first: int | None = None) -> tuple[GridRect, ...]:
        """Band ``first`` (default the widest, where the head sits), then the rest."""
        first = self.widest if first is None else first
        return (self.bands[first],) + tuple(b for i, b in enumerate(self.bands) if i != first)

    def overlaps(self, other: Region | GridRect) -> bool:
        """True when the regions share a column-line."""
        others = other.bands if isinstance(other, Region) else (other,)
        return any(a.overlaps(b) for a in self.bands for b in others)

    def contains(self, rect: GridRect) -> bool:
        """True when every column-line of ``rect`` lies in the region."""
        if any(b.contains(rect) for b in self.bands):
            return True
        covered = sum(_intersection(b, rect) for b in self.bands)
        return covered == rect.cells

    def lines_in(self, col: int) -> list[tuple[int, int]]:
        """The [top, end) line ranges the region covers in column ``col``, top to bottom."""
        spans = [(b.top, b.end) for b in self.bands if b.col <= col < b.right]
        merged: list[tuple[int, int]] = []
        for top, end in spans:
            if merged and merged[-1][1] == top:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((top, end))
        return merged

    def moved(self, dcol: int = 0, dline: int = 0) -> Region:
        """The same region moved by ``dcol`` columns and ``dline`` lines."""
        return Region(tuple(b.moved(dcol, dline) for b in self.bands))

    def local(self) -> Region:
        """The region relative to its own bounding box's top-left corner."""
        box = self.bbox
        return self.moved(-box.col, -box.top)

    def with_end(self, end: int) -> Region:
        """The region cut (or grown) so that its last band ends at line ``end``."""
        last = self.bands[-1]
        return Region(self.bands[:-1] + (GridRect(last.col, last.span, last.top, end - last.top),))

    def label(self) -> str:
        """Human-readable placement of every band."""
        return "; ".join(b.label() for b in self.bands)

    @classmethod
    def of(cls, rects: tuple[GridRect, ...] | list[GridRect]) -> Region:
        """Build a region from one rectangle or two forming an L; raise ``RegionError`` if not."""
        rects = tuple(rects)
        if not rects:
            raise RegionError("a region needs at least one rectangle")
        for i, r in enumerate(rects):
            if r.span < 1 or r.height < 1:
                raise RegionError("a rectangle needs at least one column and one line", i)
        if len(rects) == 1:
            return cls(rects)
        if len(rects) > 2:
            raise RegionError(f"{len(rects)} rectangles: a module is one rectangle or an L of two", 2)
        a, b = rects
        if a.overlaps(b):
            raise RegionError(f"rectangles 1 ({a.label()}) and 2 ({b.label()}) overlap", 1)
        return cls(_bands(a, b))


def _intersection(a: GridRect, b: GridRect) -> int:
    cols = max(0, min(a.right, b.right) - max(a.col, b.col))
    lines = max(0, min(a.end, b.end) - max(a.top, b.top))
    return cols * lines


def _bands(a: GridRect, b: GridRect) -> tuple[GridRect, ...]:
    """The two horizontal bands of the L that ``a`` and ``b`` form (or ``RegionError``)."""
    # Stacked: one directly above the other, aligned on the left or the right edge.
    upper, lower = (a, b) if a.top <= b.top else (b, a)
    if upper.end == lower.top and upper.col < lower.right and lower.col < upper.right:
        if upper.col == lower.col and upper.span == lower.span:
            raise RegionError("the two rectangles form one rectangle: write it as one place", 1)
        narrow, wide = (upper, lower) if upper.span < lower.span else (lower, upper)
        if not (wide.col <= narrow.col and narrow.right <= wide.right):
            raise RegionError("the rectangles are offset from each other: an L's narrow part "
                              "lies within the wide part's columns", 1)
        if narrow.col != wide.col and narrow.right != wide.right:
            raise RegionError("the narrow part must share the wide part's left or right edge "
                              "(else the module is a T, not an L)", 1)
        return (upper, lower)
    # Side by side: sharing a vertical edge and aligned on the top or the bottom line.
    left, right = (a, b) if a.col <= b.col else (b, a)
    if left.right == right.col and left.top < right.end and right.top < left.end:
        if left.top == right.top and left.end == right.end:
            raise RegionError("the two rectangles form one rectangle: write it as one place", 1)
        tall, short = (left, right) if left.height > right.height else (right, left)
        if not (tall.top <= short.top and short.end <= tall.end):
            raise RegionError("the rectangles are offset from each other: an L's short part "
                              "lies within the tall part's lines", 1)
        if short.top == tall.top:  # the wide band on top: 倒L
            wide = GridRect(left.col, left.span + right.span, tall.top, short.height)
            narrow = GridRect(tall.col, tall.span, short.end, tall.end - short.end)
            return (wide, narrow)
        if short.end == tall.end:  # the wide band at the foot: L
            narrow = GridRect(tall.col, tall.span, tall.top, short.top - tall.top)
            wide = GridRect(left.col, left.span + right.span, short.top, short.height)
            return (narrow, wide)
        raise RegionError("the short part must share the tall part's top or bottom line "
                          "(else the module is a T, not an L)", 1)
    raise RegionError("the rectangles do not touch: an L's two parts share an edge", 1)
