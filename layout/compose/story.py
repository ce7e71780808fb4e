"""Stories: an article's copy analysed once and broken into flow units per measure.

Owns ``Story`` (bylines, the run-in dateline, paragraphs and subheads of one article, each a
numbered block), breaking it at a measure into flow units (cached per measure, so a planner
asking for the same width twice pays once), the ``Cursor`` that says where in the copy a
module stopped (block, character), and re-breaking from a cursor when the next module of a
chain has another measure: the rest of the paragraph continues without an indent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import text as T
from ..plan.types import StoryPlan
from ..text import display as D
from ..text.para import normalize
from . import flow as F
from . import runs as M
from .env import Env

LOOSE_LINE_EM = 0.5
"""A justified line that opens a gap between two hanzi wider than this (em) is reported."""

HANGING_INDENT_EM = 2.0
"""Indent of the second and later lines of a ``> `` paragraph (凸排) [CLREQ §first_line_indents]."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the copy stands: block ``block`` (bylines first, −1, −2…; body blocks 0, 1…) and
    ``char``, the offset in that block's normalised text where the next line starts."""

    block: int
    char: int = 0


class Story:
    """One article's copy, broken per measure on demand (``units``) and from a cursor."""

    def __init__(self, env: Env, plan: StoryPlan, body_role: str | None = None, name: str = "",
                 body_size: float | None = None) -> None:
        self.env = env
        self.plan = plan
        self.body_role = body_role or plan.body_font or env.type.body_font
        self.body_size = body_size or plan.body_size
        self.name = name or plan.article
        self._units: dict[float, list[F.Unit]] = {}
        self._dots: dict[int, frozenset[int]] = {}  # block → indexes of its spans with 着重号
        self.warnings: list[str] = []

    def units(self, measure: float) -> list[F.Unit]:
        """Every flow unit of the story broken at ``measure`` (cached per measure)."""
        key = round(measure, 4)
        if key not in self._units:
            self._units[key] = self._break(measure)
        return self._units[key]

    def chars(self) -> int:
        """Characters of the copy as 算稿 counts them (spaces not counted)."""
        units = next(iter(self._units.values()), None)
        return sum(u.chars for u in units) if units is not None else 0

    def cursor_at(self, units: list[F.Unit], index: int) -> Cursor | None:
        """The cursor before unit ``index`` of ``units`` (None when the story is complete)."""
        if index >= len(units):
            return None
        unit = units[index]
        # A paragraph line says where it starts; a subhead block is always taken whole.
        start = unit.lines[0][1].start if unit.lines and not unit.keep else 0
        return Cursor(unit.para, start)

    def units_from(self, measure: float, cursor: Cursor) -> list[F.Unit]:
        """The story's units at ``measure`` from ``cursor`` on: the rest of a paragraph broken
        anew without indent, then the following blocks from the cache."""
        units = self.units(measure)
        first = next((i for i, u in enumerate(units) if u.para == cursor.block), len(units))
        if cursor.char == 0:
            return units[first:]
        rest = self._rest(cursor, measure)
        later = next((i for i, u in enumerate(units) if _after(u.para, cursor.block)), len(units))
        return rest + units[later:]

    # ------------------------------------------------------------ breaking

    def _items(self):
        """(block id, kind, spans or subhead block, style) for every block, in reading order."""
        env, plan = self.env, self.plan
        tp = env.type
        em = env.grid.em
        for i, name in enumerate(plan.bylines):
            yield -1 - i, "byline", env.spans(name, tp.byline_font, em), env.para_style(indent=0, align="start")
        first_para = True
        size = self.body_size or em
        for index, block in enumerate(plan.blocks):
            if block.kind == "note":
                spans = env.spans(f"{block.number}：", M.NOTE_LABEL_ROLE, size)
                spans += M.block_spans(env, block, M.NOTE_ROLE, size)
                yield index, "note", spans, env.para_style()
                continue
            if block.kind != "para":
                yield index, block.kind, block, None
                continue
            spans = M.block_spans(env, block, self.body_role, size)
            marked = M.dotted(env, block, self.body_role, size)
            if first_para and plan.dateline:
                head = env.spans(plan.dateline, tp.dateline_font, size)
                spans = head + spans
                marked = frozenset(i + len(head) for i in marked)
            if marked:
                self._dots[index] = marked
            first_para = False
            yield index, "body", spans, M.block_style(env, block, HANGING_INDENT_EM)

    def _break(self, measure: float) -> list[F.Unit]:
        env = self.env
        sub_size = env.size(env.type.subhead_size)
        units: list[F.Unit] = []
        for index, kind, spans, style in self._items():
            if kind == "index":
                units.append(M.index_unit(env, spans, measure, index))
                continue
            if kind in ("subhead", "subhead2"):
                units.append(subhead(env, spans, measure, sub_size, index, self.warnings, self.name))
                continue
            lines = T.compose(spans, measure, style)
            if kind == "body":
                self._check_loose(lines)
                lines = M.mark_lines(spans, lines, self._dots.get(index, frozenset()))
            para = F.paragraph_units(lines, kind, index)
            if len(para) > 1 and kind == "body" and self.plan.blocks[index].keep_first:
                para[0] = replace(para[0], keep=1)  # the run-in title goes with its text
            units.extend(para)
            if kind == "note":
                units.append(M.white_unit(index))
        return units

    def _check_loose(self, lines: list[T.Line]) -> None:
        """Report loose lines and what the composer noted about a line (a token condensed or
        broken at the measure, a line left short)."""
        for line in lines:
            notes = []
            if not line.last and T.widest_gap(line) > LOOSE_LINE_EM:
                notes.append(f"loose line in {self.name}: {line.text!r} opens gaps of "
                             f"{T.widest_gap(line):.2f} em")
            if line.note:
                notes.append(f"in {self.name}: {line.note}")
            for message in notes:
                if message not in self.warnings:
                    self.warnings.append(message)

    def _rest(self, cursor: Cursor, measure: float) -> list[F.Unit]:
        """The rest of block ``cursor.block`` from ``cursor.char``, broken at ``measure``."""
        for index, kind, spans, style in self._items():
            if index != cursor.block:
                continue
            text, owner = normalize(spans)
            pieces: list[T.Span] = []
            for pos in range(cursor.char, len(text)):
                span = spans[owner[pos]]
                if pieces and pieces[-1].font is span.font and pieces[-1].size == span.size:
                    pieces[-1] = T.Span(pieces[-1].text + text[pos], span.font, span.size)
                else:
                    pieces.append(T.Span(text[pos], span.font, span.size))
            from dataclasses import replace

            # The continued part has no first line: every line is set like a paragraph's later lines.
            cont = replace(style, indent=style.hanging if style.hanging else 0.0)
            lines = T.compose(pieces, measure, cont)
            return F.paragraph_units(lines, kind, index)
        return []


def _after(para: int, block: int) -> bool:
    """True when block ``para`` comes after ``block`` (bylines −1, −2… precede body 0, 1…)."""
    rank = (lambda b: (0, -b) if b < 0 else (1, b))
    return rank(para) > rank(block)


def subhead(env: Env, block, measure: float, size: float, index: int, warnings: list[str] | None = None,
            story: str = "") -> F.Unit:
    """A section subhead: display text broken between words into balanced, centred rows."""
    from . import headline as H

    role = env.type.subhead_font
    text = f"{block.number} {block.text}" if block.number else block.text
    rows = D.display_rows(text, lambda t: env.spans(t, role, size), measure, size,
                          H.display_style(env.type), align="center",
                          name=f"article {story}, subhead {text!r}" if story else "subhead")
    if warnings is not None:
        warnings.extend(w for w in rows.warnings if w not in warnings)
    after = 1 if block.kind == "subhead" else 0
    return F.subhead_unit(list(rows.lines), index, white_before=1, white_after=after)
