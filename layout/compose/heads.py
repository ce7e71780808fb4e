"""Head styles: a small registry from a head plan to a headline block in a module.

Owns how each style of head occupies its module — the stacked head (kicker, main head and
subtitle over N columns, R9 depth in whole body lines, white shared around the parts) and the
vertical head (竖题: a strip of columns at the module's side that the head owns from its top
to the module's foot) — and builds its frame group once auto-fit has chosen any extra lines.
A style is a class with ``measure()`` and ``group()``; new styles (reversed bar, boxed) are
added to ``STYLES`` instead of growing branches in the module code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..frames import Group
from ..plan.grid import Grid
from ..plan.types import HeadPlan
from . import headline as H
from .env import Env


@dataclass(frozen=True)
class HeadBlock:
    """A measured head in module coordinates: its strip ``x``..``x + w`` from line ``top``.

    ``lines`` is the block's depth in body lines (R9); ``owns_strip`` says the head keeps its
    strip down to the module's foot (vertical heads), ``floor`` is the first line below its ink.
    ``parts`` are the stacked parts, or the vertical head's group already set.
    """

    style: str
    x: float
    w: float
    top: int
    lines: int
    floor: int
    owns_strip: bool
    parts: tuple = ()
    vertical: Group | None = None


class Stacked:
    """Kicker, main head and subtitle stacked over the head's columns."""

    name = "stacked"

    def measure(self, env: Env, grid: Grid, plan: HeadPlan, x: float, w: float, span: int,
                warnings: list[str], article: str) -> HeadBlock:
        """Break the parts into rows and size the block in whole body lines."""
        head_w = grid.span_w(plan.span) - 2 * plan.inset * grid.em  # inside a box: inset both sides
        x, w = x + plan.inset * grid.em, w - 2 * plan.inset * grid.em
        parts: list[H.HeadPart] = []
        if plan.kicker:
            parts.append(H.HeadPart("kicker", H.head_rows(env.spans(plan.kicker, plan.sub_font, plan.kicker_size),
                                                          head_w, plan.kicker_size), plan.kicker_size))
        parts.append(H.HeadPart("main", H.head_rows(env.spans(plan.main, plan.font, plan.size), head_w, plan.size),
                                plan.size))
        if plan.subtitle:
            parts.append(H.HeadPart("subtitle", H.head_rows(env.spans(plan.subtitle, plan.sub_font,
                                                                      plan.subtitle_size),
                                                            head_w, plan.subtitle_size), plan.subtitle_size))
        for part in parts:
            for row in part.rows:
                if row.ink > head_w + 0.01:
                    warnings.append(f"article {article}: head row {row.text!r} is wider than its "
                                    f"{plan.span} column(s)")
        lines = plan.lines or H.block_lines(parts, grid.pitch)
        hx = x if plan.side == "right" or plan.span == span else x + w - head_w
        return HeadBlock(self.name, hx, head_w, plan.top, lines, plan.top + lines, False, tuple(parts))

    def group(self, env: Env, grid: Grid, block: HeadBlock, plan: HeadPlan, extra: int, article: str) -> Group:
        """The head's frame group with ``extra`` lines of white added by auto-fit."""
        # The block's white is measured from the first line's em top to the last line's em bottom.
        return H.place_block(list(block.parts), x=block.x, y=grid.line_top(block.top) - (grid.pitch - grid.em),
                             w=block.w, h=(block.lines + extra) * grid.pitch, align=plan.align,
                             ascent=env.ascent, id=article)


class Vertical:
    """A vertical main head (竖题) in a strip at the module's side."""

    name = "vertical"

    def measure(self, env: Env, grid: Grid, plan: HeadPlan, x: float, w: float, span: int,
                warnings: list[str], article: str) -> HeadBlock:
        """Set the head vertically and measure the lines it needs."""
        strip_w = grid.span_w(plan.span)
        sx = x + w - strip_w if plan.side == "right" else x
        group, height = H.vertical_block(env.spans(plan.main.replace("\n", ""), plan.font, plan.size),
                                         x=sx, y=grid.line_top(plan.top), w=strip_w,
                                         ascent=env.face(plan.font).ascent, id=article)
        rows = math.ceil(height / grid.pitch)
        return HeadBlock(self.name, sx, strip_w, plan.top, rows, plan.top + rows, True, (), group)

    def group(self, env: Env, grid: Grid, block: HeadBlock, plan: HeadPlan, extra: int, article: str) -> Group:
        """The vertical head's group (auto-fit never pads a vertical head)."""
        return block.vertical


STYLES = {"stacked": Stacked(), "vertical": Vertical()}
"""Head styles by name."""


def style_of(plan: HeadPlan):
    """The style that sets ``plan``."""
    return STYLES["vertical" if plan.vertical else "stacked"]
