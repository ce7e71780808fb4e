"""Headline blocks: kicker (引题), main head (主题) and subtitle (副题) in whole body lines.

Owns the size hierarchy of a headline block, breaking a long main head into balanced rows,
and the block height rule R9 of reference/typography.md §1.5/§6: the glyph heights plus
``HEAD_SPACE_LINES`` lines of white, rounded up to whole body-line pitches [IHW-T]. Also
vertical main heads (竖题) with one head-size em of white above and below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .. import text as T
from ..frames import Group, TextLine
from ..plan.planner import sub_head_size  # noqa: F401  (the kicker/subtitle size rule lives in the plan)
from ..units import EPS

HEAD_SPACE_LINES = 3.0
"""White space above, between and below head parts, in body lines: R9's "1–2 lines" example adds 3."""

SINGLE_HEAD_SPACE_LINES = 2.0
"""White space around a head without kicker or subtitle (a single-line head "占三行" in small sizes)."""

ROW_GAP_EM = 0.25
"""Gap between rows of one head part, in that part's em."""

@dataclass(frozen=True)
class HeadPart:
    """One part of a headline (kicker, main, subtitle): its spans broken into rows."""

    kind: str
    rows: tuple[T.Line, ...]
    size: float


def head_rows(spans: list[T.Span], width: float, size: float) -> tuple[T.Line, ...]:
    """Set head text in as few rows as fit ``width``, balanced in length, centred later.

    Explicit line breaks in the text split rows; a row still too wide is broken evenly into
    n rows of about equal length (a newspaper head never leaves a short last row).
    """
    rows: list[T.Line] = []
    text = "".join(s.text for s in spans)
    for chunk in text.split("\n"):
        chunk_spans = [T.Span(chunk, spans[0].font, size)]
        natural = T.natural_width(chunk_spans, T.ParaStyle(indent=0))
        if natural <= width + EPS:
            rows.append(T.set_line(chunk_spans, width))
            continue
        n = math.ceil(natural / width)
        while True:
            target = min(width, natural / n + size)
            lines = T.compose(chunk_spans, target, T.ParaStyle(indent=0, avoid_runt=True, align="start"))
            if len(lines) <= n or target >= width - EPS:
                break
            n += 1
        for line in lines:
            rows.append(T.set_line([T.Span(line.text, spans[0].font, size)], width))
    return tuple(rows)


def block_lines(parts: list[HeadPart], pitch: float) -> int:
    """Height of a head block in whole body lines (R9)."""
    glyphs = 0.0
    for part in parts:
        glyphs += len(part.rows) * part.size + (len(part.rows) - 1) * part.size * ROW_GAP_EM
    space = HEAD_SPACE_LINES if len(parts) > 1 else SINGLE_HEAD_SPACE_LINES
    return math.ceil(glyphs / pitch + space - EPS)


def place_block(parts: list[HeadPart], *, x: float, y: float, w: float, h: float,
                align: str, ascent, id: str) -> Group:
    """Position head parts inside the block rectangle, white shared evenly around them."""
    glyphs = sum(len(p.rows) * p.size + (len(p.rows) - 1) * p.size * ROW_GAP_EM for p in parts)
    gaps = len(parts) + 1
    # The main head gets a little more air than kicker/subtitle: white split evenly is
    # what R9's worked example assumes.
    white = max(0.0, h - glyphs) / gaps
    cursor = y + white
    items: list[TextLine] = []
    for part in parts:
        for i, row in enumerate(part.rows):
            if i:
                cursor += part.size * ROW_GAP_EM
            asc = ascent(row.glyphs[0].font) if row.glyphs else 0.88
            baseline = cursor + asc * part.size
            ink = row.ink
            if align == "center":
                x0 = x + (w - ink) / 2
            elif align == "end":
                x0 = x + w - ink
            else:
                x0 = x
            frame = row.to_frame(x0 - row.indent, baseline, kind=f"head-{part.kind}")
            # The row was set on the block's full width; its frame spans only what it sets.
            items.append(replace(frame, x=x0, width=ink))
            cursor += part.size
        cursor += white
    return Group.around("headline", id, x, y, w, h, tuple(items))


def vertical_block(spans: list[T.Span], *, x: float, y: float, w: float, ascent: float,
                   id: str) -> tuple[Group, float]:
    """Set a vertical main head (竖题) centred in a strip of width ``w``; return it and its height.

    One head-size em of white above and below [IHW-T][CLREQ].
    """
    size = spans[0].size
    glyphs, used = T.compose_vertical(spans)
    x0 = x + (w - size) / 2
    top = y + size
    from ..frames import GlyphRun

    runs = tuple(
        GlyphRun(x0 + g.x, top + g.y, g.ch, g.font, g.size, rotate=g.rotate, h_scale=g.h_scale)
        for g in glyphs
    )
    text = "".join(s.text for s in spans)
    line = TextLine(x0, top, size, size, text, runs, kind="head-vertical", last=True, size=size)
    height = used + 2 * size
    return Group.around("headline", id, x, y, w, height, (line,)), height
