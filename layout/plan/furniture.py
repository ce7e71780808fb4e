"""Furniture geometry: where the pieces of the section masthead (刊头) sit, and its depth.

Owns the arithmetic of the masthead block, so that the planner knows how many body lines an
auto-height masthead takes before any text is set: a black panel with the title reversed out
(one row, or two for an even title of four or more characters, sized to fill the panel), the
sponsors and 主办 under it, then optionally a rule, the date and weekday, and the editor
credits. Offsets are points from the block's top edge; composition sets the text at them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..units import mm

PANEL_PAD = mm(4)
"""Inset of the title inside the black panel."""

TITLE_MAX = 72.0
"""Largest title size in pt."""

TITLE_ROW = 1.1
"""Title row pitch in title ems."""

SPONSOR_SIZE = 10.5
"""Sponsor and 主办 size in pt (五号): well below the paper's name (REG2005 Art. 34)."""

SPONSOR_ROW = 1.5
"""Sponsor row pitch in sponsor ems."""

FOOT_PAD = mm(2)
"""White under the last line of the block."""


@dataclass(frozen=True, slots=True)
class MastheadPiece:
    """One line of the masthead: what it says, its role (font role), size, and em-box top
    (kind ``rule``: the rule between sponsors and date, at ``top``)."""

    kind: str
    text: str
    role: str
    size: float
    top: float


@dataclass(frozen=True, slots=True)
class MastheadLayout:
    """The masthead's panel height, its pieces, the rule's offset (or None), and its depth."""

    panel_h: float
    pieces: tuple[MastheadPiece, ...]
    rule_at: float | None
    needed: int


def masthead_layout(issue, grid) -> MastheadLayout:
    """Lay out the masthead's pieces for its width; ``needed`` is its depth in body lines."""
    g = grid
    m = issue.masthead
    w = g.span_w(m.place.span)
    title = m.title
    n = len(title)
    two_rows = n >= 4 and n % 2 == 0
    chars = n // 2 if two_rows else n
    size = min((w - 2 * PANEL_PAD) / max(1, chars), TITLE_MAX)
    rows = [title[: n // 2], title[n // 2:]] if two_rows else [title]
    panel_h = len(rows) * size * TITLE_ROW + 2 * PANEL_PAD
    pieces: list[MastheadPiece] = []
    cursor = PANEL_PAD
    for row in rows:
        pieces.append(MastheadPiece("masthead-title", row, "大标宋", size, cursor))
        cursor += size * TITLE_ROW
    cursor = panel_h + mm(4)
    for sponsor in list(m.sponsors) + ([m.sponsor_label] if m.sponsor_label else []):
        pieces.append(MastheadPiece("masthead-sponsor", sponsor, "黑", SPONSOR_SIZE, cursor))
        cursor += SPONSOR_SIZE * SPONSOR_ROW
    rule_at = None
    if m.show_date or m.show_credits:
        cursor += mm(1)
        rule_at = cursor
        pieces.append(MastheadPiece("rule", "", "", 0.0, cursor))
        cursor += mm(3)
    if m.show_date:
        d = issue.date
        for text in (f"{d.year}年{d.month}月{d.day}日", issue.derived_weekday):
            pieces.append(MastheadPiece("masthead-date", text, "宋", g.em, cursor))
            cursor += g.pitch
    if m.show_credits:
        for c in issue.header.credits:
            pieces.append(MastheadPiece("masthead-credit", f"{c.role}：{c.name}", "楷", g.em, cursor))
            cursor += g.pitch
    needed = math.ceil((cursor + FOOT_PAD - g.em) / g.pitch - 1e-6) + 1
    return MastheadLayout(panel_h, tuple(pieces), rule_at, needed)


def masthead_rows(issue, grid) -> int:
    """Body lines the masthead's content needs."""
    return masthead_layout(issue, grid).needed
