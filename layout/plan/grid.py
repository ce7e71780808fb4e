"""Grid: page format, the column grid and the body-line grid, in points.

Owns the arithmetic of reference/typography.md §1: the 对开 and 四开 presets, column spans
(n × 13 字 + (n − 1) gutters: 27/41/69 字), split columns (破栏: three columns set as two of
20 字; an uneven split keeps equal columns and widens the gutters, R8), and the body-line grid
(行) whose line slots every column shares so neighbouring baselines align. Line ``i`` of the
page has its em box from ``line_top(i)`` to ``line_top(i) + em``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..errors import InputError
from ..units import EPS, LengthError, mm, parse_length, parse_size

PRESETS: dict[str, dict[str, object]] = {
    # reference/typography.md §1.1 [BMJ][COLCALC]: 对开 390×550 mm trim, 350×490 mm 版心,
    # 8 columns of 13 字 小五 with 1-字 gutters.
    "broadsheet": {"trim": (mm(390), mm(550)), "area_h": mm(490), "columns": 8, "chars": 13},
    # 四开 275×390 mm, 6 columns of 11 字 [IHW-M][XMWB]; the type-area height has no source:
    # 340 mm keeps the broadsheet's 25 mm head and foot proportion.
    "tabloid": {"trim": (mm(275), mm(390)), "area_h": mm(340), "columns": 6, "chars": 11},
}
"""Page format presets (trim in pt, type-area height in pt, columns, characters per column)."""

DEFAULT_LINE_GAP = 1 / 3
"""Gap between body lines in body ems: newspapers use 1/4 to 1/3 of the body size [IHW-T]."""


@dataclass(frozen=True)
class Grid:
    """The page grid in points: trim, type area, columns and body lines."""

    trim_w: float
    trim_h: float
    area_x: float
    area_y: float
    columns: int
    chars: int
    gutter_chars: float
    em: float
    pitch: float
    lines: int
    bleed: float

    @property
    def col_w(self) -> float:
        """Width of one basic column."""
        return self.chars * self.em

    @property
    def gutter(self) -> float:
        """Width of one gutter (栏空)."""
        return self.gutter_chars * self.em

    @property
    def area_w(self) -> float:
        """Type-area width: all columns and gutters."""
        return self.span_w(self.columns)

    @property
    def area_h(self) -> float:
        """Type-area height: from the first line's em-box top to the last line's em-box bottom."""
        return (self.lines - 1) * self.pitch + self.em

    def col_x(self, col: int) -> float:
        """Left edge of basic column ``col`` (0-based)."""
        return self.area_x + col * (self.col_w + self.gutter)

    def span_w(self, span: int) -> float:
        """Width of ``span`` basic columns with the gutters between them (长栏, R8)."""
        return span * self.col_w + (span - 1) * self.gutter

    def span_chars(self, span: int) -> float:
        """Width of ``span`` columns in body characters (27/41/69 字 on the 8×13 grid)."""
        return span * self.chars + (span - 1) * self.gutter_chars

    def line_top(self, line: float) -> float:
        """Top of the em box of body line ``line`` (0-based, may be fractional)."""
        return self.area_y + line * self.pitch

    def line_bottom(self, line: int) -> float:
        """Bottom of the em box of body line ``line``."""
        return self.line_top(line) + self.em

    def split(self, x: float, width_chars: float, n: int) -> list[tuple[float, float]]:
        """Split a measure of ``width_chars`` 字 starting at ``x`` into ``n`` equal columns (破栏).

        Each column is a whole number of characters, ⌊(W − (n−1)·g)/n⌋ 字; what is left over
        widens the gutters equally (the second remedy of typography.md §1.2), so every column
        keeps the character grid. Returns (x, width) pairs in pt.
        """
        if n == 1:
            return [(x, width_chars * self.em)]
        per = math.floor((width_chars - (n - 1) * self.gutter_chars) / n + EPS)
        if per < 2:
            raise ValueError(f"{n} columns do not fit in {width_chars:g} 字")
        gutter = (width_chars - n * per) / (n - 1)
        return [(x + i * (per + gutter) * self.em, per * self.em) for i in range(n)]

    def block_lines(self, depth: float) -> float:
        """Body lines a block ``depth`` pt deep takes, its foot on the em-box foot of its last line
        (a photo ``h`` lines high is ``(h − 1) × pitch + em`` deep): a fraction, for the caller to
        round its way."""
        return (depth + self.pitch - self.em) / self.pitch

    def line_of(self, y: float) -> float:
        """Fractional body line whose em-box top is at ``y``."""
        return (y - self.area_y) / self.pitch

    def local(self) -> Grid:
        """The same grid with its origin at column 0, line 0: what a module is composed in.

        Columns and lines are evenly spaced, so a module composed on the local grid and moved
        to ``(col_x(c), line_top(l))`` is exactly the module composed in place.
        """
        return replace(self, area_x=0.0, area_y=0.0)

    def origin(self, col: int, line: int) -> tuple[float, float]:
        """Page position (pt) of the top-left corner of column ``col``, line ``line``."""
        return self.col_x(col), self.line_top(line)


def make_grid(issue, *, file=None, lines_of=None) -> Grid:
    """Build the grid of an issue from its preset and overrides."""
    fmt = issue.format
    preset = PRESETS[fmt.preset]

    def fail(field: str, message: str, hint: str) -> InputError:
        return InputError(message, file=file, line=lines_of(*field.split(".")) if lines_of else None,
                          field=field, hint=hint)

    try:
        em = parse_size(fmt.body_size, issue.hao) if fmt.body_size is not None else 9.0
    except LengthError as exc:
        raise fail("format.body_size", str(exc), "write e.g. 小五 or 9") from None
    gap = DEFAULT_LINE_GAP if fmt.line_gap is None else fmt.line_gap
    pitch = em * (1 + gap)
    columns = fmt.columns or int(preset["columns"])
    chars = fmt.column_chars or int(preset["chars"])
    gutter_chars = 1.0 if fmt.gutter_chars is None else fmt.gutter_chars
    try:
        if fmt.trim is not None:
            trim_w, trim_h = (parse_length(v, em=em, pitch=pitch) for v in fmt.trim)
        else:
            trim_w, trim_h = preset["trim"]
        area_h = float(preset["area_h"])
        area_w_given = None
        if fmt.type_area is not None:
            area_w_given, area_h = (parse_length(v, em=em, pitch=pitch) for v in fmt.type_area)
        bleed = parse_length(fmt.bleed, em=em, pitch=pitch)
    except LengthError as exc:
        raise fail("format", str(exc), "write lengths like 390mm or 9pt") from None
    for name, value in (("trim", min(trim_w, trim_h)), ("type_area", area_h)):
        if value <= 0:
            raise fail(f"format.{name}", "sizes must be positive", "check the numbers")
    if bleed < 0 or bleed > mm(20):
        raise fail("format.bleed", f"bleed {bleed / mm(1):.1f} mm is out of range 0–20 mm", "use 3mm")
    area_w = (columns * chars + (columns - 1) * gutter_chars) * em
    if area_w_given is not None and area_w > area_w_given + mm(5):
        raise fail(
            "format.type_area",
            f"{columns} columns of {chars} 字 at {em:g} pt need {area_w / mm(1):.1f} mm, "
            f"more than the type area's {area_w_given / mm(1):.1f} mm",
            "use fewer or narrower columns, or a smaller body size",
        )
    if area_w > trim_w or area_h > trim_h:
        raise fail("format", f"the type area ({area_w / mm(1):.0f}×{area_h / mm(1):.0f} mm) is larger "
                   f"than the page ({trim_w / mm(1):.0f}×{trim_h / mm(1):.0f} mm)",
                   "use fewer columns, a smaller body size or a larger trim")
    lines = math.floor((area_h - em) / pitch + EPS) + 1
    real_h = (lines - 1) * pitch + em
    return Grid(
        trim_w=trim_w,
        trim_h=trim_h,
        area_x=(trim_w - area_w) / 2,
        area_y=(trim_h - real_h) / 2,
        columns=columns,
        chars=chars,
        gutter_chars=gutter_chars,
        em=em,
        pitch=pitch,
        lines=lines,
        bleed=bleed,
    )
