"""Page furniture: the page header (版眉) with its head rule, the section masthead (刊头),
rules between modules, and the printer's marks outside the trim.

Owns where the page number, paper name, section, date with weekday and editor credits sit
above the type area (odd pages carry the page number at the outer, right edge), the masthead
block with its title and sponsors (kept less prominent than the paper's name, REG2005 Art. 34),
the rules drawn in gutters and blank lines between adjacent modules, and crop/registration
marks in the registration colour beyond the bleed. Every text is set through ``spans`` so that a
character its role lacks is drawn in its fallback face and reaches the text layer.
"""

from __future__ import annotations

from dataclasses import replace

from .. import text as T
from ..frames import K100, REGISTRATION, WHITE, Box, Fill, Group, Rule, TextLine
from ..text import display as D
from ..units import mm
from .grid import Grid
from .spans import SpanKit

HEAD_RULE_GAP = mm(3)
"""Distance from the head rule (眉线) to the type area's top."""

HEAD_RULE_WIDTH = 1.0
"""Head rule weight in pt (1-colour lines ≥ 1 pt on newsprint [NIAD])."""

MODULE_RULE_WIDTH = 0.5
"""Rules between modules, in pt."""

MARK_OFFSET = mm(2)
"""Crop marks start this far outside the bleed (so they never reach into it)."""

MARK_LENGTH = mm(8)
"""Crop mark length."""

MARK_WIDTH = 0.25
"""Crop mark line weight in pt."""

SLUG_SIZE = 6.0
"""Type size of the slug line outside the trim."""

LINE_SLACK = 0.01
"""Measure of a furniture line beyond its natural width, pt (so it is set solid, never squeezed)."""


def _kit(face) -> SpanKit:
    """The span kit furniture sets with: a ``SpanKit`` (with the page's fallback faces), or a
    bare role → face function (no fallback)."""
    return face if isinstance(face, SpanKit) else SpanKit(face)


def _line(face, text: str, role: str, size: float, *, gap: float | None = None) -> T.Line:
    """One solid line of furniture text in ``role``: every character the role lacks in its
    fallback face (compose.spans), ``gap`` the Han–digit gap in em (default clreq's ¼)."""
    kit = _kit(face)
    style = D.DisplayStyle(trim_start_bracket=False) if gap is None else \
        D.DisplayStyle(trim_start_bracket=False, cjk_latin_gap=gap)

    def spans_of(t: str) -> list[T.Span]:
        return kit(t, role, size)

    width = D.horizontal_measure(spans_of, style, size)((text,))
    return D.set_row((text,), spans_of, width + LINE_SLACK, size, style)


def _frame(line: T.Line, x: float, baseline: float, kind: str, color=K100) -> TextLine:
    frame = line.to_frame(x, baseline, kind=kind)
    if color != K100:
        frame = replace(frame, runs=tuple(replace(r, color=color) for r in frame.runs))
    return frame


HEADER_INFO_SIZES = (9.0, 8.0, 7.0)
"""Sizes the header's date and credits may take, largest first, to stand clear of the paper's name."""


def page_header(issue, grid: Grid, face, ascent) -> tuple[Group, str | None]:
    """The 版眉: paper name centred, page number and section at the outer edge, date and credits
    at the inner edge, over a 1 pt head rule; and a problem, if any.

    Where the info line (or the section) would run into the centred name, the name moves into the
    middle of the room between them, and the info line steps down in size
    (``HEADER_INFO_SIZES``); when even that leaves them touching, it is said."""
    g = grid
    rule_y = g.area_y - HEAD_RULE_GAP
    base = rule_y - mm(2)
    items: list = [Rule(g.area_x, rule_y, g.area_x + g.area_w, rule_y, HEAD_RULE_WIDTH)]
    paper = _line(face, issue.paper, "粗黑", 14.0)
    num = f"{issue.page:02d}"
    num_line = _line(face, num, "粗黑", 20.0)
    section = _line(face, issue.section, "黑", 12.0) if issue.section else None
    date = issue.date
    # Pieces of the info line are set separately: whitespace between hanzi does not survive
    # composition, and each piece keeps its own em of air.
    pieces = [f"{date.year}年{date.month}月{date.day}日", issue.derived_weekday]
    m = issue.masthead
    if not (m is not None and m.show_credits):
        pieces += [f"{c.role}：{c.name}" for c in issue.header.credits]
    odd = issue.page % 2 == 1
    # Outer edge: page number (boxed) and section; inner edge: date, weekday and credits.
    pad = 3.0
    box_w = num_line.ink + 2 * pad
    box_h = 20.0 * 1.0 + 2
    right = g.area_x + g.area_w
    if odd:
        bx = right - box_w
        sx = bx - mm(3) - (section.ink if section else 0)
        outer = (sx, right)
    else:
        bx = g.area_x
        sx = bx + box_w + mm(3)
        outer = (g.area_x, sx + (section.ink if section else 0))
    air = 14.0  # an em of the name's size between it and what stands beside it
    for size in HEADER_INFO_SIZES:
        # The date's Han–digit gap is a house setting (type.date_gap): many papers set it tight.
        info = [_line(face, p, "黑", size, gap=issue.type.date_gap if i == 0 else None)
                for i, p in enumerate(pieces)]
        info_w = sum(line.ink for line in info) + size * (len(info) - 1)
        inner = (g.area_x, g.area_x + info_w) if odd else (right - info_w, right)
        left_end, right_start = (inner[1], outer[0]) if odd else (outer[1], inner[0])
        if right_start - left_end >= paper.ink + 2 * air:
            break
    name_x = g.area_x + (g.area_w - paper.ink) / 2
    if name_x < left_end + air or name_x + paper.ink > right_start - air:
        name_x = left_end + (right_start - left_end - paper.ink) / 2  # the middle of the room between
    problem = None
    if right_start - left_end < paper.ink + 2 * air:
        problem = (f"page header: the date and credits ({info_w / mm(1):.0f} mm) run into the paper's name "
                   f"{issue.paper!r}: shorten the credits under header.credits or the section name")
    items.append(_frame(paper, name_x, base, "header-paper"))
    items.append(Fill(bx, base - box_h + 3, box_w, box_h, K100))
    items.append(_frame(num_line, bx + pad, base, "header-page", WHITE))
    if section:
        items.append(_frame(section, sx, base, "header-section"))
    ix = inner[0]
    for line in info:
        items.append(_frame(line, ix, base, "header-info"))
        ix += line.ink + size
    group = Group.around("header", "header", g.area_x, base - 24, g.area_w, rule_y - base + 24, tuple(items))
    return group, problem


def masthead(issue, grid: Grid, face, ascent, plan) -> tuple[Group, str]:
    """The section masthead block in its grid rectangle (``plan``: a ``MastheadPlan``): a black
    panel with the title reversed out, the sponsors and 主办 under it, and optionally the date
    and credits, at the offsets ``plan.furniture.masthead_layout`` computed.

    Returns the group and a problem note ("" when the content fits its rectangle)."""
    from ..plan.furniture import PANEL_PAD, masthead_layout

    g = grid
    rect = plan.rect
    x, y = g.col_x(rect.col), g.line_top(rect.top)
    w = g.span_w(rect.span)
    spec = masthead_layout(issue, g)
    items: list = [Fill(x, y, w, spec.panel_h, K100)]
    for piece in spec.pieces:
        if piece.kind == "rule":
            items.append(Rule(x + PANEL_PAD, y + piece.top, x + w - PANEL_PAD, y + piece.top, MODULE_RULE_WIDTH))
            continue
        gap = issue.type.date_gap if piece.kind == "masthead-date" and "年" in piece.text else None
        line = _line(face, piece.text, piece.role, piece.size, gap=gap)
        color = WHITE if piece.kind == "masthead-title" else K100
        baseline = y + piece.top + ascent(piece.role) * piece.size
        items.append(_frame(line, x + (w - line.ink) / 2, baseline, piece.kind, color))
    rows = rect.height
    problem = ""
    if spec.needed > rows:
        problem = f"masthead content needs {spec.needed} lines, more than its {rows}; give it height: auto"
    h = g.line_bottom(rect.top + rows - 1) - y
    items.insert(0, Box(x, y, w, h, width=1.0))
    return Group.around("masthead", "masthead", x, y, w, h, tuple(items)), problem


def module_rules(grid: Grid, rects) -> list[Rule]:
    """Rules between adjacent modules: in the gutter between side-by-side modules and through
    the blank line between stacked ones. ``rects`` holds (module label, GridRect); the bands
    of one module (an L) get no rule between them."""
    g = grid
    rules: list[Rule] = []
    for a in rects:
        for b in rects:
            if a is b or a[0] == b[0]:
                continue
            ra, rb = a[1], b[1]
            ac, asp, at, ab = ra.col, ra.span, ra.top, ra.end
            bc, bsp, bt, bb = rb.col, rb.span, rb.top, rb.end
            # b directly right of a, overlapping in lines.
            if bc == ac + asp:
                lo, hi = max(at, bt), min(ab, bb)
                if hi > lo:
                    xg = g.col_x(bc) - g.gutter / 2
                    rules.append(Rule(xg, g.line_top(lo), xg, g.line_bottom(hi - 1), MODULE_RULE_WIDTH))
            # b below a with at most one blank line between, overlapping in columns.
            if 0 <= bt - ab <= 1:
                lo, hi = max(ac, bc), min(ac + asp, bc + bsp)
                if hi > lo:
                    yr = (g.line_bottom(ab - 1) + g.line_top(bt)) / 2
                    x0 = g.col_x(lo)
                    x1 = g.col_x(hi - 1) + g.col_w
                    rules.append(Rule(x0, yr, x1, yr, MODULE_RULE_WIDTH))
    return rules


def marks(grid: Grid, slug_text: str, face, *, crop: bool = True) -> Group:
    """Crop marks at the four corners and registration targets at the edge centres, in the
    registration colour, all beyond the bleed (when ``crop``); plus a slug line in black
    outside the trim (when ``slug_text``)."""
    g = grid
    W, H = g.trim_w, g.trim_h
    off = g.bleed + MARK_OFFSET
    items: list = []
    if crop:
        for cx, sx in ((0.0, -1), (W, 1)):
            for cy, sy in ((0.0, -1), (H, 1)):
                items.append(Rule(cx + sx * off, cy, cx + sx * (off + MARK_LENGTH), cy, MARK_WIDTH, REGISTRATION))
                items.append(Rule(cx, cy + sy * off, cx, cy + sy * (off + MARK_LENGTH), MARK_WIDTH, REGISTRATION))
        r = mm(2.5)
        for cx, cy in ((W / 2, -off - r - mm(1)), (W / 2, H + off + r + mm(1)),
                       (-off - r - mm(1), H / 2), (W + off + r + mm(1), H / 2)):
            items.append(Rule(cx - r * 1.4, cy, cx + r * 1.4, cy, MARK_WIDTH, REGISTRATION))
            items.append(Rule(cx, cy - r * 1.4, cx, cy + r * 1.4, MARK_WIDTH, REGISTRATION))
            items.append(Box(cx - r, cy - r, 2 * r, 2 * r, MARK_WIDTH, REGISTRATION))
    if slug_text:
        line = _line(face, slug_text, "黑", SLUG_SIZE)
        items.append(_frame(line, off + MARK_LENGTH + mm(2), H + off + mm(4), "slug"))
    return Group.around("marks", "marks", -off - MARK_LENGTH, -off - MARK_LENGTH,
                 W + 2 * (off + MARK_LENGTH), H + 2 * (off + MARK_LENGTH), tuple(items))
