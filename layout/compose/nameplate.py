"""The nameplate (报头): the paper's name or logo and the issue data beside it.

Owns the composition of a ``NameplatePlan`` in its grid rectangle: the name area (all columns
but the last ``info_span``) holds the vector logo scaled to fit, flush left and centred
vertically, or the name set in its role as large as the area allows; a thin rule parts it
from the issue-data column, whose lines (CN, 邮发代号, 期号, date and weekday, 农历, weather,
web address) are set in 黑 from the top, at the body size, or smaller when they would not
fit the block's depth. The name must stay the most prominent text of page 1 (an official
error-count rule [CHACUO]): a head set larger than it is reported.
"""

from __future__ import annotations

from .. import text as T
from ..frames import K100, Group, Rule
from ..plan.grid import Grid
from ..plan.types import NameplatePlan
from .env import Env

INFO_ROLE = "黑"
"""Role of the issue-data lines."""

INFO_MIN_SIZE = 6.0
"""Smallest size of the issue-data lines in pt (solid one-colour type ≥ 6 pt [NIAD])."""

INFO_PITCH = 1.3
"""Line pitch of the issue-data lines in their ems."""

NAME_FILL = 0.8
"""A name set in type fills at most this share of the name area's depth."""

DIVIDER_WIDTH = 0.5
"""The rule between the name and the issue data, in pt."""


def nameplate(
    env: Env, grid: Grid, plan: NameplatePlan, largest_head: float = 0.0
) -> tuple[Group, list[str]]:
    """Compose the nameplate: its group on the page, and warnings."""
    g = grid
    r = plan.rect
    x0, y0 = g.col_x(r.col), g.line_top(r.top)
    w, h = g.span_w(r.span), g.line_bottom(r.top + r.height - 1) - g.line_top(r.top)
    name_span = r.span - plan.info_span
    name_w = g.span_w(name_span)
    info_x = g.col_x(r.col + name_span)
    info_w = g.span_w(plan.info_span)
    items: list = []
    warnings: list[str] = []
    if plan.art is not None:
        items.extend(plan.art.placed(x0, y0, name_w, h, align="start"))
        name_pt = plan.art.height * plan.art.scale(name_w, h)
    else:
        name_pt = min(h * NAME_FILL, name_w / max(1, len(plan.name)))
        spans = env.spans(plan.name, plan.font, name_pt)
        line = T.set_line(spans, T.natural_width(spans, T.ParaStyle(indent=0)) + 0.01)
        asc = env.ascent(line.glyphs[0].font) if line.glyphs else 0.88
        items.append(
            line.to_frame(x0, y0 + (h - name_pt) / 2 + asc * name_pt, kind="nameplate-name")
        )
    if largest_head > name_pt + 1e-6:
        warnings.append(
            f"nameplate: a head of {largest_head:g} pt is larger than the paper's name "
            f"({name_pt:.0f} pt high); the name must be the most prominent text of page 1"
        )
    divider = info_x - g.gutter / 2
    items.append(Rule(divider, y0, divider, y0 + h, DIVIDER_WIDTH, K100))
    lines, size, pitch = _info_lines(env, plan.info, info_w, h)
    if len(lines) * pitch > h + 1e-6:
        warnings.append(
            f"nameplate: the issue data needs {len(lines)} lines at {size:g} pt, more than the "
            f"block's {h / pitch:.0f}; make the nameplate taller or widen info_span"
        )
    for i, pieces in enumerate(lines):
        for dx, line in pieces:
            asc = env.ascent(line.glyphs[0].font) if line.glyphs else 0.88
            items.append(
                line.to_frame(info_x + dx, y0 + i * pitch + asc * size, kind="nameplate-info")
            )
    return Group.around("nameplate", "nameplate", x0, y0, w, h, tuple(items)), warnings


def _info_lines(env: Env, info: tuple[tuple[str, ...], ...], width: float, depth: float):
    """The issue data set at ``width``, at the largest size (≤ body size) whose lines fit.

    The pieces of a row go on one line one em apart while they fit; a row too wide for one
    line gets a line per piece, and a piece too wide is broken."""
    size = env.grid.em
    while True:
        pitch = size * INFO_PITCH if size < env.grid.em else env.grid.pitch
        lines = [line for row in info for line in _row_lines(env, row, width, size)]
        if len(lines) * pitch <= depth + 1e-6 or size <= INFO_MIN_SIZE:
            return lines, size, pitch
        size = max(INFO_MIN_SIZE, size - 0.5)


def _row_lines(
    env: Env, row: tuple[str, ...], width: float, size: float
) -> list[list[tuple[float, T.Line]]]:
    """One row of issue data as lines, each a list of (x offset, piece line)."""
    style = T.ParaStyle(indent=0)
    pieces = [env.spans(p, INFO_ROLE, size) for p in row]
    widths = [T.natural_width(p, style) for p in pieces]
    if sum(widths) + size * (len(row) - 1) <= width + 1e-6:
        out, x = [], 0.0
        for spans, w in zip(pieces, widths):
            out.append((x, T.set_line(spans, w + 0.01)))
            x += w + size
        return [out]
    return [
        [(0.0, line)]
        for spans in pieces
        for line in T.compose(spans, width, env.para_style(indent=0, align="start"))
    ]
