"""Boxes and tags: the frame of a boxed article (围框), its tint, and reversed label tags.

Owns the geometry of a boxed module on its local grid — the rule (花边) along the module's
edges in one of the styles thin, thick, thick-thin (文武线), double and dotted, kept inside
the module so its ink never reaches the gutter; the K-only tint (底纹) behind it; the text
columns inset by the box (whole characters, the first and last lines left as padding) — the
text columns of an article with its own body size (each a whole number of its characters,
clreq: line length an integer multiple of the character size [CLREQ §considerations]), and
the reversed label tag (今日谈, 简讯, 导读, 记者手记) set white on a black panel that keeps clear
of the line below it.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .. import text as T
from ..frames import K100, WHITE, Fill, Rule
from ..plan.grid import Grid
from ..plan.types import ModulePlan
from .env import Env

THIN_RULE = 0.5
"""Thin box rule in pt (general press work ≥ 0.2 pt [BOOKPRINT])."""

THICK_RULE = 1.5
"""Thick box rule in pt (one-colour lines ≥ 1 pt on newsprint [NIAD])."""

RULE_GAP = 1.5
"""White between the two lines of a thick-thin or double rule, in pt."""

DOT_RULE = 1.0
"""Weight of a dotted rule in pt; its dashes are this long with twice this between them."""

TAG_PAD_EM = 0.2
"""The label panel reaches this far (em) above and below the tag's em box."""

TAG_SIDE_EM = 0.25
"""White (em) between the panel's edge and the tag's first and last character."""

TAG_CLEAR_PT = 1.5
"""The least white (pt) between the panel's foot and the em box of the line below it."""


def rule_lines(style: str) -> tuple[tuple[float, float, tuple[float, ...] | None], ...]:
    """Return the lines of a rule style from the outside in: (weight, distance of its centre
    from the module's edge, dash pattern)."""
    if style == "thin":
        return ((THIN_RULE, THIN_RULE / 2, None),)
    if style == "thick":
        return ((THICK_RULE, THICK_RULE / 2, None),)
    if style == "thick-thin":
        return (
            (THICK_RULE, THICK_RULE / 2, None),
            (THIN_RULE, THICK_RULE + RULE_GAP + THIN_RULE / 2, None),
        )
    if style == "double":
        return (
            (THIN_RULE, THIN_RULE / 2, None),
            (THIN_RULE, THIN_RULE + RULE_GAP + THIN_RULE / 2, None),
        )
    if style == "dotted":
        return ((DOT_RULE, DOT_RULE / 2, (DOT_RULE, 2 * DOT_RULE)),)
    return ()


def box_rect(g: Grid, module: ModulePlan) -> tuple[float, float, float, float]:
    """Return the box's rectangle in module coordinates: from the em top of its first line to the
    em bottom of its last, across its columns."""
    box = module.region.bbox
    return 0.0, 0.0, g.span_w(box.span), g.line_bottom(box.height - 1)


def box_items(g: Grid, module: ModulePlan) -> list:
    """Return the tint and rules of a boxed module, in module coordinates (behind its text)."""
    plan = module.box
    if plan is None:
        return []
    x, y, w, h = box_rect(g, module)
    items: list = []
    if plan.tint > 0:
        items.append(Fill(x, y, w, h, (0.0, 0.0, 0.0, plan.tint)))
    for weight, d, dash in rule_lines(plan.rule):
        x0, y0, x1, y1 = x + d, y + d, x + w - d, y + h - d
        for a, b, c, e in ((x0, y0, x1, y0), (x1, y0, x1, y1), (x1, y1, x0, y1), (x0, y1, x0, y0)):
            items.append(Rule(a, b, c, e, weight, K100, dash))
    return items


def inner_columns(g: Grid, module: ModulePlan, columns, body_size: float | None = None):
    """Return the text columns of a module with a box, a label tag or its own body size.

    A box insets the text by ``inset`` characters on each side and keeps its first and last
    lines as padding; a tag takes ``rows`` lines at the top; a body size other than the
    page's keeps each column a whole number of its characters, centred in the column.
    """
    box, tag = module.box, module.tag
    drop = tag.rows if tag is not None else 0
    if box is not None:
        rect = module.region.local().bands[0]
        n = module.columns or rect.span
        inset = box.inset
        cols = g.split(g.col_x(rect.col) + inset * g.em, g.span_chars(rect.span) - 2 * inset, n)
        columns = [[(x, w, rect.top + 1 + drop, rect.end - 1) for x, w in cols]]
    elif drop:
        top = min(t for tier in columns for _x, _w, t, _e in tier)
        columns = [
            [(x, w, t + drop if t == top else t, e) for x, w, t, e in tier] for tier in columns
        ]
    if body_size is not None and abs(body_size - g.em) > 1e-6:

        def whole(x: float, w: float) -> tuple[float, float]:
            fit = math.floor(w / body_size + 1e-6) * body_size
            return x + (w - fit) / 2, fit

        columns = [[(*whole(x, w), t, e) for x, w, t, e in tier] for tier in columns]
    return columns


def tag_items(env: Env, g: Grid, module: ModulePlan) -> list:
    """Return the reversed label tag at the top left of the module's text, as frames.

    The panel spans the tag's em box and ``TAG_PAD_EM`` above and below it, but never comes
    closer than ``TAG_CLEAR_PT`` to the next line's em box."""
    tag = module.tag
    if tag is None:
        return []
    row = 1 if module.box is not None else 0
    x = module.box.inset * g.em if module.box is not None else 0.0
    return label_tag(env, g, tag.text, tag.font, x, row, below=g.line_top(row + tag.rows))


def label_tag(
    env: Env,
    g: Grid,
    text: str,
    role: str,
    x: float,
    row: int,
    kind: str = "label",
    below: float | None = None,
) -> list:
    """Return a reversed tag: white text of ``role`` at body size on a black panel on line ``row``.

    ``below`` is the top of whatever is set under the tag (default: the em box of the next
    line); the panel stops ``TAG_CLEAR_PT`` above it. Above, it stays inside the half of the
    line gap that belongs to this line, clear of a rule between modules."""
    em = g.em
    spans = env.spans(text, role, em)
    line = T.set_line(spans, T.natural_width(spans, T.ParaStyle(indent=0)) + 0.01)
    frame = env.line_frame(g, line, x + TAG_SIDE_EM * em, row, kind)
    frame = replace(frame, runs=tuple(replace(r, color=WHITE) for r in frame.runs))
    top = g.line_top(row)
    below = g.line_top(row + 1) if below is None else below
    pad_above = max(0.0, min(TAG_PAD_EM * em, (g.pitch - em) / 2 - TAG_CLEAR_PT / 2))
    pad_below = max(0.0, min(TAG_PAD_EM * em, below - (top + em) - TAG_CLEAR_PT))
    panel = Fill(
        x, top - pad_above, line.ink + 2 * TAG_SIDE_EM * em, em + pad_above + pad_below, K100
    )
    return [panel, frame]
