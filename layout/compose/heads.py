"""Heads in modules: from a head plan to a measured headline block where the module wants it.

Owns the module's side of a head: the ``HeadSpec`` of a plan (``headline`` builds the block
in its own coordinates, with the style registry — stacked, vertical, reversed bar, boxed),
where the block sits in the module (a stacked head over its columns, a vertical head centred
in a strip at the module's side), the rectangle it keeps text out of (its own depth only:
body text runs on under a short vertical head), and its frame group placed by translation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import PaibanError
from ..frames import Group
from ..plan.grid import Grid
from ..plan.types import HeadPlan
from . import headline as H
from .env import Env


@dataclass(frozen=True)
class HeadBlock:
    """A measured head in module coordinates: it keeps text out of ``x``..``x + w`` from line
    ``top`` to ``floor``; ``block`` is the built head, drawn at ``(gx, gy)``."""

    style: str
    x: float
    w: float
    top: int
    lines: int
    floor: int
    block: H.HeadBlock
    gx: float
    gy: float

    @property
    def owns_strip(self) -> bool:
        """A vertical head keeps a strip of columns (for its own depth)."""
        return self.style == "vertical"


class HeadInputError(PaibanError):
    """A head its style cannot show: carries the head's field (``head.span``…) for the API."""

    def __init__(self, message: str, *, index: int, field: str, hint: str) -> None:
        super().__init__(message, hint=hint)
        self.index, self.field = index, field


def spec_of(env: Env, plan: HeadPlan, article: str, max_depth: float | None = None) -> H.HeadSpec:
    """The headline engine's spec of a head plan, with the issue's display settings."""
    return H.HeadSpec(
        main=plan.main, main_size=plan.size, main_font=plan.font, kicker=plan.kicker, subtitle=plan.subtitle,
        kicker_size=plan.kicker_size, subtitle_size=plan.subtitle_size, sub_font=plan.sub_font,
        style=plan.style, align=plan.align, rows=plan.rows, air=plan.air, lines=plan.lines,
        display=H.display_style(env.type), max_depth=max_depth, name=f"article {article}")


def measure_head(env: Env, g: Grid, plan: HeadPlan, x: float, w: float, span: int, depth_lines: int,
                 article: str, index: int = 0) -> HeadBlock:
    """Build the head of a module whose head band starts at ``x`` and is ``w`` wide (``span``
    columns); a vertical head may be as deep as ``depth_lines`` body lines."""
    body = H.BodyGrid(g.em, g.pitch)
    inset = plan.inset * g.em  # inside a box: the head keeps clear of its rules
    strip_w = g.span_w(plan.span) - 2 * inset
    vertical = plan.style == "vertical"
    try:
        if vertical:
            spec = spec_of(env, plan, article, max_depth=depth_lines * g.pitch - body.gap)
            block = H.build_head(spec, strip_w, env.kit, body)
        else:
            block = H.build_head(spec_of(env, plan, article), strip_w, env.kit, body)
    except H.HeadError as exc:
        raise HeadInputError(exc.message, index=index, field=exc.field, hint=exc.hint) from None
    top_y = g.line_top(plan.top) - body.gap
    if vertical:
        sx = x + w - strip_w if plan.side == "right" else x
        return HeadBlock("vertical", sx, strip_w, plan.top, block.depth_lines, plan.top + block.depth_lines,
                         block, sx + (strip_w - block.width) / 2, top_y)
    hx = (x if plan.side == "right" or plan.span == span else x + w - g.span_w(plan.span)) + inset
    return HeadBlock(plan.style, hx, strip_w, plan.top, block.depth_lines, plan.top + block.depth_lines,
                     block, hx, top_y)


def head_group(head: HeadBlock, article: str) -> Group:
    """The head's frame group, placed in the module by translation."""
    return replace(head.block.frame, id=article, x=head.gx, y=head.gy)
