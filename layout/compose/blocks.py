"""Blocks inside a module: photos with their captions, and the boxed sidebar.

Owns the caption of a photo (caption text then the credit, set in the caption size across the
photo's width, on the body lines under the image), the photo's frame group (the image from the
API's preparer, then its caption lines), and the sidebar: a rule frame with a reversed label
tag, a bold title and its own 楷体 text inset one character inside the box, with its copy-fit
figures. Everything is composed on the grid it is given (the module's local grid).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import text as T
from ..frames import K100, Box, Group, Rule, TextLine
from ..plan.grid import Grid
from ..plan.types import PhotoPlan, SidebarPlan, StoryPlan
from ..text import display as D
from . import boxes as BX
from . import flow as F
from .env import Env
from .fitreport import FitEntry, fit_entry
from .photos import image_item
from .story import Story

CAPTION_GAP_LINES = 1
"""White lines between a photo block (image + caption) and body text below or above it."""

SIDEBAR_INSET_CHARS = 1
"""Sidebar text inset from the box on each side, in body characters."""

SIDEBAR_TITLE_SIZE = "小四"
"""Size of a sidebar's title."""


def caption_lines(env: Env, photo: PhotoPlan, width: float) -> tuple[T.Line, ...]:
    """The caption and its credit broken at the photo's width: the credit run on after the
    caption, after the house separator, in the credit face (display text: its spaces kept)."""
    from . import headline as H

    tp = env.type
    size = photo.caption_size or env.size(tp.caption_size)
    if not photo.caption and not photo.credit:
        return ()
    caption = env.spans(photo.caption, photo.caption_font or tp.caption_font, size) if photo.caption else []
    if not photo.credit:
        return tuple(T.compose(caption, width, env.para_style(indent=0)))
    credit_role = tp.credit_font or tp.byline_font
    credit = tp.credit_format.format(photo.credit)
    # A credit the house style brackets brings its own white: no separator before （…）; else the
    # house separator (a clause gap by default) keeps it from running on (issue 13).
    separator = None if credit[:1] in "（(【〔［「『" else tp.credit_separator
    return tuple(D.caption_with_credit(caption, lambda t: env.spans(t, credit_role, size), credit, width,
                                       size, H.display_style(tp), env.para_style(indent=0), separator))


def photo_group(env: Env, grid: Grid, photo: PhotoPlan, x: float, top: int, height: int,
                caption: tuple[T.Line, ...]) -> Group:
    """The photo's group: the prepared image on lines ``top``..``top + height − 1``, then its caption."""
    y0 = grid.line_top(top)
    w = grid.span_w(photo.span)
    h = (height - 1) * grid.pitch + grid.em
    if photo.art is not None:  # a vector chart or graphic stays vector
        parts: list = list(photo.art.placed(x, y0, w, h))
    else:
        # The crop is decided here, as data, once the box's final size is known; the PDF
        # backend cuts those pixels.
        image = image_item(env, photo, x, y0, w, h)
        parts = [image]
        if image.fpo:
            parts.extend(fpo_mark(env, grid, x, y0, w, h, top))
    for i, line in enumerate(caption):
        parts.append(env.line_frame(grid, line, x, top + height + i, "caption"))
    return Group.around("photo", photo.source, x, y0, w, h + len(caption) * grid.pitch, parts)


FPO_LABEL = "FPO"
"""The mark on a low-resolution placeholder photo accepted in draft mode (for position only)."""


def fpo_mark(env: Env, grid: Grid, x: float, y: float, w: float, h: float, top: int) -> list:
    """A visible FPO mark over a draft photo: its diagonals and a reversed FPO tag."""
    items: list = [Rule(x, y, x + w, y + h, 1.0, K100), Rule(x, y + h, x + w, y, 1.0, K100)]
    items.extend(BX.label_tag(env, grid, FPO_LABEL, "黑", x, top, "fpo"))
    return items


@dataclass(frozen=True)
class SidebarResult:
    """A composed sidebar: its group, the lines it takes and its copy-fit figures."""

    group: Group
    top: int
    rows: int
    fit: FitEntry
    warnings: tuple[str, ...] = ()


def sidebar(env: Env, grid: Grid, plan: SidebarPlan, article: str, limit: int) -> SidebarResult:
    """Set a boxed sidebar: label tag, title, its text inset one character inside a rule frame.

    ``limit`` is the last line an auto-height sidebar may use (the grid's last line).
    """
    g = grid
    em = g.em
    sx, sw = g.col_x(plan.col), g.span_w(plan.span)
    inner_chars = math.floor(sw / em + 1e-6) - 2 * SIDEBAR_INSET_CHARS
    measure = inner_chars * em
    ix = sx + (sw - measure) / 2
    items: list = []
    rows = 1  # top padding line (the box edge runs through it)
    if plan.label:
        row = plan.top + rows
        # The tag keeps clear of what follows it: the title's em box (larger than body) or the text.
        title_size = env.size(SIDEBAR_TITLE_SIZE) if plan.title else em
        below = g.line_top(row + 1) + (em - title_size) / 2
        items.extend(BX.label_tag(env, g, plan.label, "黑", ix, row, "sidebar-label", below=below))
        rows += 1
    titles: list[TextLine] = []
    notes: list[str] = []
    if plan.title:
        from . import headline as H

        size = env.size(SIDEBAR_TITLE_SIZE)
        # Memoised in the page's Env: page-level fit sets the sidebar of a module once per height
        # it tries, and only the line ``limit`` changes between them.
        title = env.memo(("sidebar title", plan.title, measure, size, article),
                         lambda: D.display_rows(plan.title, lambda t: env.spans(t, "标宋", size), measure,
                                                size, H.display_style(env.type),
                                                name=f"article {article} sidebar title"))
        notes.extend(title.warnings)
        for line in title.lines:
            titles.append(env.line_frame(g, line, ix, plan.top + rows, "sidebar-title"))
            rows += 1
    items.extend(titles)
    story = env.memo(("sidebar story", plan.blocks, plan.font, article),
                     lambda: Story(env, StoryPlan(article, (), "", plan.blocks), body_role=plan.font,
                                   name="sidebar"))
    units = story.units(measure)
    first = plan.top + rows
    limit_end = (plan.top + plan.rows - 1) if plan.rows is not None else limit - 1
    res = F.distribute(units, [F.Slot(ix, measure, first, limit_end)])
    used = res.used.get(0, 0)
    for placed in res.placed:
        items.append(env.line_frame(g, placed.text, placed.x, placed.line, "sidebar"))
    total_rows = plan.rows if plan.rows is not None else rows + used + 1
    y0 = g.line_top(plan.top) + em / 2
    y1 = g.line_top(plan.top + total_rows - 1) + em / 2
    box = Box(sx, y0, sw, y1 - y0, width=0.75)
    capacity = limit_end - first if plan.rows is not None else used
    fit = fit_entry(f"{article}/sidebar", capacity, used, res.overset_lines, res.overset_chars,
                    sum(u.chars for u in units), capacity - used, article=article,
                    chars_per_line=inner_chars)
    group = Group.around("sidebar", f"{article}/sidebar", sx, y0, sw, y1 - y0, (box, *items))
    return SidebarResult(group, plan.top, total_rows, fit, tuple(notes) + tuple(story.warnings))
