"""Headline blocks: kicker (引题), main head (主题) and subtitle (副题) as one block of whole lines.

Owns the head's own layout, independent of where the page puts it:

* ``HeadSpec`` — what a head says and how it is styled (texts, sizes, faces, style, alignment,
  rows, clause gap, air); ``spec_for`` reads one from an article of the model, resolving the
  house table of head levels (``type.head_levels``) that the model already applied;
* ``build_head(spec, width, kit, grid) -> HeadBlock`` — the block, composed in its own
  coordinates (top-left (0, 0), points, y down): a ``frames.Group`` the page places by
  translation, its exact width, its depth in whole body lines, the rows of every part and the
  warnings it raised;
* a registry of head **styles** (``STYLES``): ``stacked`` (rows centred over the text),
  ``vertical`` (竖题: columns set right to left, kicker and subtitle as their own columns),
  ``reversed`` (反白: the main head reversed out of a black bar) and ``boxed`` (a ruled frame),
  each a small function producing a block;
* ``head_rows`` — a built head's rows and size per part, for ``paiban validate``.

Depth (R9, reference/typography.md §1.5): the natural depth of the parts — their rows' ems,
``ROW_GAP_EM`` between rows of one part, ``PART_GAP_EM`` between parts — snapped up to whole
body lines, plus ``air`` lines (``type.head_air``, one by default). A head is never padded to
fill its module: spare lines are the module's underset, for page-level fit to take (issue 13).
Display text is broken by ``text.display`` (phrase-aware, clause gaps kept).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .. import text as T
from ..errors import PaibanError
from ..frames import K100, WHITE, Box, Fill, GlyphRun, Group, TextLine
from ..plan.planner import sub_head_size
from ..text import display as D
from ..text.vertical import CLAUSE_SPACE, column_measure
from .spans import SpanKit

ROW_GAP_EM = 0.25
"""Gap between two rows of one head part, in that part's em."""

PART_GAP_EM = 0.4
"""Gap between kicker and main head, or main head and subtitle, in the smaller part's em."""

DEFAULT_AIR_LINES = 1
"""White added to a head's natural depth, in whole body lines (issue 13: at most one line)."""

DEFAULT_ASCENT = 0.88
"""Ascent of the ideographic em box (em) when a face does not say (Noto CJK: 880/1000)."""

BAR_PAD_EM = 0.3
"""反白 bar: ink of the reversed rows to the bar's edge, above and below, in the main head's em."""

REVERSED_MIN_SIZE = 10.0
"""Reversed (white) type on newsprint should be ≥ 10 pt [NIAD]; smaller is reported."""

BOX_RULE = 0.75
"""Rule weight of a boxed head's frame, pt (≥ 0.5 pt prints on newsprint [NIAD])."""

BOX_INSET_EM = 0.5
"""Inset of a boxed head's rows from its frame, in body em."""

PARTS = ("kicker", "main", "subtitle")
"""Head parts in reading order."""


class HeadError(PaibanError):
    """A head asks for something its style cannot show (never dropped): carries the field."""

    def __init__(self, message: str, *, field: str, hint: str) -> None:
        super().__init__(message, hint=hint)
        self.field = field


# --------------------------------------------------------------------------------------------
# Specification and result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadSpec:
    """What a head says and how it is set; sizes in pt, faces as font roles."""

    main: str
    main_size: float
    main_font: str = "标宋"
    kicker: str = ""
    subtitle: str = ""
    kicker_size: float | None = None
    """Default: two 号 steps below the main head (``sub_head_size``)."""
    subtitle_size: float | None = None
    sub_font: str = "黑"
    style: str = "stacked"
    """A name in ``STYLES``."""
    align: str = "center"
    """start | center | end: rows in a horizontal head; columns' vertical alignment in a 竖题."""
    rows: int | None = None
    """Rows (columns of a 竖题) of the main head, when the editor asks for a number."""
    air: int = DEFAULT_AIR_LINES
    """Whole body lines of white added to the natural depth."""
    lines: int | None = None
    """The editor's block depth in lines (a shorter one than the head needs is reported)."""
    display: D.DisplayStyle = field(default_factory=D.DisplayStyle)
    """Clause gap, prohibitions, Han–Latin gap, bracket trim and house words."""
    max_depth: float | None = None
    """竖题: the longest column allowed (pt); longer parts break into more columns."""
    name: str = "head"
    """How warnings name the head, e.g. ``article lead``."""

    def size_of(self, kind: str) -> float:
        """Size of a part in pt."""
        if kind == "main":
            return self.main_size
        given = self.kicker_size if kind == "kicker" else self.subtitle_size
        return given if given is not None else sub_head_size(self.main_size)

    def font_of(self, kind: str) -> str:
        """Font role of a part."""
        return self.main_font if kind == "main" else self.sub_font

    def text_of(self, kind: str) -> str:
        """Text of a part."""
        return {"kicker": self.kicker, "main": self.main, "subtitle": self.subtitle}[kind]

    def parts(self) -> tuple[str, ...]:
        """The parts this head has, in reading order."""
        return tuple(k for k in PARTS if self.text_of(k).strip())


@dataclass(frozen=True)
class BodyGrid:
    """The body-line grid a head block snaps to: body em and line pitch, pt.

    A block of n lines is ``n × pitch`` deep; its y = 0 is the top of the first line slot,
    ``pitch − em`` above that line's em box (so the first body line after the block has its em
    top ``pitch − em`` below the block's foot, like every other line)."""

    em: float
    pitch: float

    @property
    def gap(self) -> float:
        """White between two body lines' em boxes."""
        return self.pitch - self.em


@dataclass(frozen=True)
class PartRows:
    """One part of a built head: its rows (clause gaps as U+3000), size and face role."""

    kind: str
    rows: tuple[str, ...]
    size: float
    font: str


@dataclass(frozen=True)
class HeadBlock:
    """A built head: a frame group in its own coordinates and what the page needs to place it.

    ``frame`` has its top-left at (0, 0); ``width`` is the block's exact width (pt; for a 竖题
    the width of its columns), ``depth_lines`` its depth in body lines and ``height`` that depth
    in pt. ``natural`` is the depth the parts need before snapping and air.
    """

    frame: Group
    width: float
    depth_lines: int
    height: float
    natural: float
    parts: tuple[PartRows, ...]
    style: str
    warnings: tuple[str, ...] = ()

    def rows(self, kind: str = "main") -> tuple[str, ...]:
        """Rows of one part (empty if the head has no such part)."""
        for part in self.parts:
            if part.kind == kind:
                return part.rows
        return ()

    def placed(self, x: float, y: float, id: str | None = None) -> Group:
        """The frame placed at (x, y) in its parent's coordinates (frames are relative)."""
        return replace(self.frame, x=x, y=y, id=self.frame.id if id is None else id)


# --------------------------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------------------------

HeadStyle = Callable[[HeadSpec, float, SpanKit, BodyGrid], HeadBlock]
"""A style: (spec, width pt, span kit, body grid) → the head block."""

STYLES: dict[str, HeadStyle] = {}
"""Head styles by name; ``register`` adds one."""


def register(name: str) -> Callable[[HeadStyle], HeadStyle]:
    """Register a head style under ``name`` (decorator)."""

    def add(fn: HeadStyle) -> HeadStyle:
        STYLES[name] = fn
        return fn

    return add


def build_head(spec: HeadSpec, width: float, kit: SpanKit, grid: BodyGrid) -> HeadBlock:
    """Build the head block of ``spec`` for a module ``width`` pt wide."""
    style = STYLES.get(spec.style)
    if style is None:
        raise HeadError(
            f"unknown head style {spec.style!r}",
            field="head.style",
            hint=f"use one of: {', '.join(sorted(STYLES))}",
        )
    return style(spec, width, kit, grid)


def _ascent(font) -> float:
    return getattr(font, "ascent", DEFAULT_ASCENT) or DEFAULT_ASCENT


@dataclass(frozen=True)
class _SetPart:
    kind: str
    size: float
    font: str
    lines: tuple[T.Line, ...]
    ascents: tuple[float, ...]
    rows: tuple[str, ...]

    @property
    def depth(self) -> float:
        n = len(self.lines)
        return n * self.size + max(0, n - 1) * ROW_GAP_EM * self.size


def _set_parts(spec: HeadSpec, width: float, kit: SpanKit, warnings: list[str]) -> list[_SetPart]:
    """Break and set every part of a horizontal head at ``width``."""
    out = []
    for kind in spec.parts():
        size, role = spec.size_of(kind), spec.font_of(kind)

        def spans_of(text: str, role=role, size=size) -> list[T.Span]:
            return kit(text, role, size)

        result = D.display_rows(
            spec.text_of(kind),
            spans_of,
            width,
            size,
            spec.display,
            align=spec.align,
            rows=spec.rows if kind == "main" else None,
            name=f"{spec.name} {kind}",
        )
        warnings.extend(result.warnings)
        ascents = tuple(_ascent(kit.face(role)) for _ in result.texts)
        out.append(_SetPart(kind, size, role, result.lines, ascents, result.texts))
    return out


def _stack_depth(parts: list[_SetPart]) -> float:
    depth = sum(p.depth for p in parts)
    for a, b in zip(parts, parts[1:]):
        depth += PART_GAP_EM * min(a.size, b.size)
    return depth


def _depth_lines(spec: HeadSpec, natural: float, grid: BodyGrid, warnings: list[str]) -> int:
    """Whole body lines of a block whose parts need ``natural`` pt (R9 + air)."""
    need = max(1, math.ceil(natural / grid.pitch - 1e-6)) + max(0, spec.air)
    if spec.lines is not None:
        if spec.lines < need - max(0, spec.air):
            warnings.append(
                f"{spec.name}: the head needs {need - max(0, spec.air)} lines, "
                f"head.lines gives {spec.lines}; the rows overrun the block"
            )
        return spec.lines
    return need


def _stack(parts: list[_SetPart], top: float, kind_suffix: str = "") -> tuple[list, dict]:
    """Row frames of a stack of parts from ``top`` down; return them and each part's band."""
    items: list = []
    bands: dict[str, tuple[float, float]] = {}
    cursor = top
    for index, part in enumerate(parts):
        if index:
            cursor += PART_GAP_EM * min(parts[index - 1].size, part.size)
        start = cursor
        for i, (line, asc) in enumerate(zip(part.lines, part.ascents)):
            if i:
                cursor += ROW_GAP_EM * part.size
            frame = line.to_frame(
                0.0, cursor + asc * part.size, kind=f"head-{part.kind}{kind_suffix}"
            )
            # The row was set on the block's width; its frame spans only what it sets.
            items.append(replace(frame, x=line.indent, width=line.ink, ink=line.ink))
            cursor += part.size
        bands[part.kind] = (start, cursor)
    return items, bands


def _block(
    spec: HeadSpec,
    parts: list[_SetPart],
    items: list,
    width: float,
    natural: float,
    lines: int,
    grid: BodyGrid,
    style: str,
    warnings: list[str],
) -> HeadBlock:
    height = lines * grid.pitch
    frame = Group("headline", spec.name, 0.0, 0.0, width, height, tuple(items))
    rows = tuple(PartRows(p.kind, p.rows, p.size, p.font) for p in parts)
    return HeadBlock(
        frame, width, lines, height, natural, rows, style, tuple(dict.fromkeys(warnings))
    )


def _centred_top(height: float, natural: float, grid: BodyGrid) -> float:
    """Top of a stack centred in the block, counted on the em grid: the white above its ink
    equals the white below it down to the next body line's em top."""
    return max(0.0, (height - natural + grid.gap) / 2)


@register("stacked")
def stacked(spec: HeadSpec, width: float, kit: SpanKit, grid: BodyGrid) -> HeadBlock:
    """Rows of kicker, main head and subtitle stacked and aligned over the text."""
    warnings: list[str] = []
    parts = _set_parts(spec, width, kit, warnings)
    natural = _stack_depth(parts)
    lines = _depth_lines(spec, natural, grid, warnings)
    items, _ = _stack(parts, _centred_top(lines * grid.pitch, natural, grid))
    return _block(spec, parts, items, width, natural, lines, grid, "stacked", warnings)


@register("reversed")
def reversed_bar(spec: HeadSpec, width: float, kit: SpanKit, grid: BodyGrid) -> HeadBlock:
    """反白: the main head reversed out of a black bar the width of the block."""
    warnings: list[str] = []
    pad = BAR_PAD_EM * spec.main_size
    parts = _set_parts(spec, width - 2 * pad, kit, warnings)
    if spec.main_size < REVERSED_MIN_SIZE:
        warnings.append(
            f"{spec.name}: reversed type of {spec.main_size:g} pt is below the "
            f"{REVERSED_MIN_SIZE:g} pt newsprint holds cleanly [NIAD]"
        )
    natural = _stack_depth(parts) + 2 * pad
    lines = _depth_lines(spec, natural, grid, warnings)
    top = _centred_top(lines * grid.pitch, natural, grid)
    items, bands = _stack(parts, top)
    # Everything before the main head moves up by nothing; the main head and after move down
    # by the bar's top padding, and the parts after the bar by its bottom padding too.
    shifted = []
    for item in items:
        kind = item.kind.removeprefix("head-")
        dy = pad if kind == "main" else (2 * pad if PARTS.index(kind) > 1 else 0.0)
        moved = replace(
            item,
            x=item.x + pad,
            y=item.y + dy,
            runs=tuple(replace(r, x=r.x + pad, y=r.y + dy) for r in item.runs),
        )
        if kind == "main":
            moved = replace(moved, runs=tuple(replace(r, color=WHITE) for r in moved.runs))
        shifted.append(moved)
    b0, b1 = bands["main"]
    bar = Fill(0.0, b0, width, b1 - b0 + 2 * pad, K100)
    return _block(spec, parts, [bar, *shifted], width, natural, lines, grid, "reversed", warnings)


@register("boxed")
def boxed(spec: HeadSpec, width: float, kit: SpanKit, grid: BodyGrid) -> HeadBlock:
    """A stacked head inside a ruled frame inset from its rows."""
    warnings: list[str] = []
    inset = BOX_INSET_EM * grid.em + BOX_RULE
    parts = _set_parts(spec, width - 2 * inset, kit, warnings)
    natural = _stack_depth(parts) + 2 * inset
    lines = _depth_lines(spec, natural, grid, warnings)
    # The frame fills the block's lines but its air, from the first line's em top (the white
    # above it belongs to the rule between modules), the rows centred in it.
    box_h = max(natural + grid.gap, (lines - max(0, spec.air)) * grid.pitch)
    top = grid.gap + (box_h - grid.gap - natural) / 2 + inset
    items, _ = _stack(parts, top)
    items = [
        replace(i, x=i.x + inset, runs=tuple(replace(r, x=r.x + inset) for r in i.runs))
        for i in items
    ]
    box = Box(BOX_RULE / 2, grid.gap + BOX_RULE / 2, width - BOX_RULE, box_h - grid.gap - BOX_RULE, width=BOX_RULE)
    return _block(spec, parts, [box, *items], width, natural, lines, grid, "boxed", warnings)


# --------------------------------------------------------------------------------------------
# Vertical heads (竖题)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    kind: str
    size: float
    text: str
    glyphs: tuple[T.VGlyph, ...]
    length: float


@register("vertical")
def vertical(spec: HeadSpec, width: float, kit: SpanKit, grid: BodyGrid) -> HeadBlock:
    """竖题: each row a column, set right to left — kicker, main rows, subtitle — in the
    reading order of a head standing right of its text [WANGMIN]; the kicker top-aligned with
    the main head, the subtitle bottom-aligned with it (newspaper.md §4.4). Latin words and
    numbers of ≥ 4 digits are rotated, 2–3 digits set 纵中横 (``text.vertical``).

    ``width`` is the strip the head may use; columns that do not fit it are an input error.
    The block is exactly as wide as its columns and as deep as its longest one.
    """
    warnings: list[str] = []
    gap_em = spec.display.clause_gap
    columns: list[_Column] = []
    part_rows: list[PartRows] = []
    for kind in spec.parts():
        size, role = spec.size_of(kind), spec.font_of(kind)

        def spans_of(text: str, role=role, size=size) -> list[T.Span]:
            return kit(text, role, size)

        broken = D.break_display(
            spec.text_of(kind),
            spec.max_depth,
            column_measure(spans_of, gap_em),
            size,
            spec.display,
            rows=spec.rows if kind == "main" else None,
            name=f"{spec.name} {kind}",
        )
        warnings.extend(broken.warnings)
        texts = broken.texts
        part_rows.append(PartRows(kind, texts, size, role))
        for row in broken.rows:
            text = CLAUSE_SPACE.join(row)
            glyphs, used = T.compose_vertical(spans_of(text), space_em=gap_em)
            shown = sum(1 for ch in text if not ch.isspace())
            if sum(1 for g in glyphs if not g.ch.isspace()) != shown:
                # Every character must be drawn: a vertical head never drops copy (issue 13).
                raise HeadError(
                    f"{spec.name}: the vertical {kind} {text!r} cannot be set in full",
                    field="head.vertical",
                    hint="set this head horizontally",
                )
            columns.append(_Column(kind, size, text, tuple(glyphs), used))
    if not columns:
        raise HeadError(
            f"{spec.name}: the vertical head has no text",
            field="headline",
            hint="give the head some text",
        )
    # Widths: a column is one em of its size; ¼ em between rows of a part, PART_GAP_EM between
    # parts.
    total = 0.0
    xs: list[float] = []
    for i, col in enumerate(columns):
        if i:
            prev = columns[i - 1]
            total += (
                ROW_GAP_EM * col.size
                if prev.kind == col.kind
                else PART_GAP_EM * min(prev.size, col.size)
            )
        xs.append(total)
        total += col.size
    if total > width + 1e-3:
        need = f"{total:.0f} pt ({total / grid.em:.1f} 字)"
        raise HeadError(
            f"{spec.name}: the vertical head's {len(columns)} columns need {need}, "
            f"its strip is {width:.0f} pt",
            field="head.span",
            hint="give head.span more columns, fewer rows, or smaller sizes",
        )
    main_cols = [c for c in columns if c.kind == "main"]
    main_len = max(c.length for c in main_cols)
    tops: list[float] = []
    for col in columns:
        if col.kind == "main":
            slack = main_len - col.length
            tops.append(
                {"start": 0.0, "center": slack / 2, "end": slack}.get(spec.align, slack / 2)
            )
        elif col.kind == "kicker":
            tops.append(0.0)
        else:
            tops.append(max(0.0, main_len - col.length))
    natural = max(t + c.length for t, c in zip(tops, columns))
    # The head's first em top sits on the first body line's em top (y = gap in the block).
    lines = _depth_lines(spec, grid.gap + natural, grid, warnings)
    items = []
    for col, x_left, top in zip(columns, xs, tops):
        # Right to left: the first column in reading order is the rightmost.
        x0 = total - x_left - col.size
        y0 = grid.gap + top
        runs = tuple(
            GlyphRun(x0 + g.x, y0 + g.y, g.ch, g.font, g.size, rotate=g.rotate, h_scale=g.h_scale)
            for g in col.glyphs
        )
        items.append(
            TextLine(
                x0,
                y0,
                col.size,
                col.size,
                col.text,
                runs,
                kind=f"head-{col.kind}-vertical",
                last=True,
                size=col.size,
            )
        )
    frame = Group("headline", spec.name, 0.0, 0.0, total, lines * grid.pitch, tuple(items))
    return HeadBlock(
        frame,
        total,
        lines,
        lines * grid.pitch,
        grid.gap + natural,
        tuple(part_rows),
        "vertical",
        tuple(dict.fromkeys(warnings)),
    )


# --------------------------------------------------------------------------------------------
# From the model
# --------------------------------------------------------------------------------------------


def display_style(type_spec) -> D.DisplayStyle:
    """The display settings of an issue's type settings (``model.TypeSpec``)."""
    return D.DisplayStyle(
        clause_gap=type_spec.clause_gap,
        kinsoku=type_spec.kinsoku,
        cjk_latin_gap=type_spec.cjk_latin_gap,
        trim_start_bracket=type_spec.head_trim_bracket,
        protect=tuple(type_spec.head_words),
    )


def spec_for(issue, article, *, max_depth: float | None = None) -> HeadSpec:
    """The head spec of a model article (sizes resolved with the issue's 号 table)."""
    head = article.head
    size = issue.size(head.size)
    style = head.style or ("vertical" if head.vertical else "stacked")
    return HeadSpec(
        main=article.headline,
        main_size=size,
        main_font=head.font,
        kicker=article.kicker,
        subtitle=article.subtitle,
        kicker_size=issue.size(head.kicker_size) if head.kicker_size else None,
        subtitle_size=issue.size(head.subtitle_size) if head.subtitle_size else None,
        sub_font=head.sub_font,
        style=style,
        align=head.align,
        rows=head.rows,
        air=head.air if head.air is not None else issue.type.head_air,
        lines=head.lines,
        display=display_style(issue.type),
        max_depth=max_depth,
        name=f"article {article.id}",
    )


@dataclass(frozen=True)
class HeadRow:
    """One part of one head, as ``paiban validate`` lists it."""

    id: str
    part: str
    size: float
    font: str
    rows: tuple[str, ...]
    lines: int | None
    """The block's depth in body lines, on the head's first part only."""
    style: str = "stacked"
    warnings: tuple[str, ...] = ()


def head_rows(block: HeadBlock, article: str) -> list[HeadRow]:
    """The rows of a built head, one per part, as ``paiban validate`` lists them."""
    return [HeadRow(article, part.kind, part.size, part.font, part.rows,
                    block.depth_lines if i == 0 else None, block.style, block.warnings if i == 0 else ())
            for i, part in enumerate(block.parts)]
