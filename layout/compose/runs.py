"""Inline runs: a paragraph's markup runs turned into spans, its paragraph style, index entries.

Owns how the runs of a body block (``markup``: body text, ``**bold run-ins**``, ``{role:…}``
spans) become text spans in their faces — a bold run in ``type.bold_font``, a role span in
that role, body text in the story's role — at the story's size; the paragraph style of a
block (first-line indent, none after an explicit line break, a hanging indent for ``> ``,
flush right for a ``>> `` source line); the editor's note (编者按) style; and the flow unit of
an index entry (导读): its title set ragged at the left with the page reference (第3版) flush
right on the title's last line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields

from .. import text as T
from ..markup import BOLD, DOTS
from ..text.para import normalize
from . import flow as F
from .env import Env

INDEX_REF_GAP_EM = 1.0
"""White between an index title's last character and its page reference, in em."""

NOTE_ROLE = "楷"
"""Role of an editor's note (编者按): set-apart text in 楷体 [CLREQ §kai]."""

NOTE_LABEL_ROLE = "黑"
"""Role of the 编者按 label that opens the note."""


@dataclass(frozen=True)
class MarkedLine(T.Line):
    """A composed line with emphasis dots (着重号) under some of its glyphs."""

    dots: tuple[int, ...] = ()
    """Indexes of the glyphs that carry a dot."""


def role_of(env: Env, style: str, body_role: str) -> str:
    """Return the font role a run of ``style`` is set in."""
    if style == BOLD:
        return env.type.bold_font
    if style == DOTS:
        return body_role
    return style or body_role


def dotted(env: Env, block, body_role: str, size: float) -> frozenset[int]:
    """Return the indexes of a block's spans (as ``block_spans`` makes them) that carry dots."""
    out: set[int] = set()
    n = 0
    for style, text in block.runs or (("", block.text),):
        k = len(env.spans(text, role_of(env, style, body_role), size))
        if style == DOTS:
            out.update(range(n, n + k))
        n += k
    return frozenset(out)


def mark_lines(spans: list[T.Span], lines: list[T.Line], marked: frozenset[int]) -> list[T.Line]:
    """Return the lines with emphasis dots under the characters of the ``marked`` spans.

    Punctuation and spaces take no dot [CLREQ §handling_interlinear_punctuation]."""
    if not marked:
        return lines
    _text, owner = normalize(spans)
    out: list[T.Line] = []
    for line in lines:
        dots = tuple(j for j, g in enumerate(line.glyphs)
                     if owner[line.start + j] in marked and _takes_dot(g.ch))
        if dots:
            line = MarkedLine(**{f.name: getattr(line, f.name) for f in fields(T.Line)}, dots=dots)
        out.append(line)
    return out


def _takes_dot(ch: str) -> bool:
    return not ch.isspace() and not unicodedata.category(ch).startswith(("P", "S"))


def block_spans(env: Env, block, body_role: str, size: float) -> list[T.Span]:
    """Return the spans of a paragraph block: each inline run in its role, at ``size``."""
    runs = block.runs or (("", block.text),)
    spans: list[T.Span] = []
    for style, text in runs:
        spans.extend(env.spans(text, role_of(env, style, body_role), size))
    return spans


def block_style(env: Env, block, hanging_em: float) -> T.ParaStyle:
    """Return the paragraph style of a block: indent, hanging indent, flush right, continuation."""
    if block.align == "end":
        return env.para_style(indent=0, align="end")
    if block.hanging:
        return env.para_style(indent=hanging_em if block.cont else 0, hanging=hanging_em)
    if block.cont:  # after an explicit line break the paragraph goes on without an indent
        return env.para_style(indent=0)
    return env.para_style()


def index_unit(env: Env, block, measure: float, para: int) -> F.Unit:
    """Set an index entry (导读): title lines ragged right, the page reference flush right on the
    last line (the title's measure leaves room for it)."""
    runs = block.runs or (("", block.text),)
    size = env.grid.em
    title = [s for style, text in runs for s in env.spans(text, role_of(env, style, "黑"), size)]
    ref = env.spans(block.number, "黑", size)
    ref_w = T.natural_width(ref, T.ParaStyle(indent=0))
    width = max(size * 2, measure - ref_w - INDEX_REF_GAP_EM * size)
    lines = T.compose(title, width, env.para_style(indent=0, hanging=1.0, align="start"))
    ref_line = T.set_line(ref, measure, align="end")
    placed = [(i, line, "index") for i, line in enumerate(lines)]
    placed.append((len(lines) - 1, ref_line, "index-page"))
    chars = sum(F.ink_chars(line) for line in lines) + F.ink_chars(ref_line)
    return F.Unit(len(lines), tuple(placed), chars=chars, para=para)


def white_unit(para: int) -> F.Unit:
    """Return one blank line (after an editor's note); it is dropped at a column's top."""
    return F.Unit(1, (), top_white=1, chars=0, para=para)
