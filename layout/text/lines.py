"""The value types of line composition: input spans, paragraph style, output glyphs and lines.

Owns ``Span`` (a run of one font and size), ``ParaStyle`` (the frozen knobs of a paragraph),
``Glyph``/``Line`` (one composed line, positions in pt from the left edge of the measure) and
``VGlyph`` (a glyph of a vertical headline), plus the conversion of a ``Line`` into the
backend-neutral ``GlyphRun``/``TextLine`` frames that the PDF writer reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..frames import GlyphRun, TextLine

RUN_TOLERANCE = 0.0005
"""A glyph joins a run when the run's uniform spacing predicts its origin within this many pt."""

ALIGNS = ("justify", "start", "center", "end", "distribute")
"""Line alignments: justify (all but the last line flush both sides), ragged start/centre/end,
or distribute (均排: every line, the last included, flush both sides) [CLREQ §ways_of_alignments]."""

LAST_LINE_ALIGNS = ("start", "center", "end", "distribute")
"""How the last line of a justified paragraph is set; clreq's default is start (solid) [CLREQ §4.5]."""


@dataclass(frozen=True, slots=True)
class Span:
    """One run of text in one font and size (pt); ``font`` has ``key``, ``widths``, ``advance``."""

    text: str
    font: Any
    size: float


@dataclass(frozen=True)
class ParaStyle:
    """How one paragraph is composed; every length is in em of the paragraph's first span size."""

    indent: float = 2.0
    """First-line indent in em (2 字) [CLREQ §first_line_indents]."""
    hanging: float = 0.0
    """Indent of lines 2+ in em (凸排 for Q&A and legal articles) [CLREQ §first_line_indents]."""
    align: str = "justify"
    """justify | start | center | end | distribute (均排, every line incl. the last)."""
    kinsoku: str = "strict"
    """Prohibition level: none | basic | gb | strict [CLREQ §4.1]."""
    cjk_latin_gap: float = 0.25
    """Han–Latin gap in em, "up to ¼ em" [CLREQ §4.4]; 0 disables."""
    cjk_digit_gap: float | None = None
    """Han–number gap in em (a token whose first letter or digit is a digit: 2024年, 5G, ¥8.6);
    None follows ``cjk_latin_gap``; 0 sets numbers tight, as many mainland papers set 2024年3月6日."""
    trim_start_bracket: bool = False
    """A line-start opening bracket loses its leading ½ em [CLREQ §4.3]."""
    avoid_runt: bool = True
    """孤字: the last line must hold ≥ 2 hanzi [CLREQ §4.6]."""
    last_line: str = "start"
    """How the last line of a justified paragraph is set: start | center | end | distribute."""
    breaker: str = "greedy"
    """greedy (first fit with look-back, 先挤进后推出, then total-fit repair of its poor lines)
    or optimal (least total demerits over the whole paragraph)."""
    latin_lang: str = "en_US"
    """Hyphenation dictionary (pyphen) of the paragraph's Latin words; "" turns hyphenation off."""
    foot_lines: frozenset[int] = frozenset()
    """Indices of lines the caller knows will end a column (from a first pass): a hyphen at the
    end of one of them costs extra, so it is avoided where possible. The composer cannot know
    column feet itself; this is the hook."""

    def __post_init__(self) -> None:
        if self.align not in ALIGNS:
            raise ValueError(f"align must be one of {ALIGNS}, not {self.align!r}")
        if self.last_line not in LAST_LINE_ALIGNS:
            raise ValueError(f"last_line must be one of {LAST_LINE_ALIGNS}, not {self.last_line!r}")
        if self.kinsoku not in ("none", "basic", "gb", "strict"):
            raise ValueError(f"kinsoku must be none, basic, gb or strict, not {self.kinsoku!r}")
        if self.breaker not in ("greedy", "optimal"):
            raise ValueError(f"breaker must be greedy or optimal, not {self.breaker!r}")
        if self.cjk_digit_gap is not None and not 0.0 <= self.cjk_digit_gap <= 1.0:
            raise ValueError(f"cjk_digit_gap must be 0–1 em, not {self.cjk_digit_gap!r}")


class Glyph(NamedTuple):
    """One set glyph: its box starts ``x`` pt from the measure's left edge and is ``advance`` wide.

    ``advance`` includes compression and justification spacing; the glyph's origin is drawn at
    ``x + dx`` (``dx`` is −½ em for an opening bracket whose left half was squeezed away).
    A named tuple rather than a dataclass: one is made per character set, and this is the
    cheapest immutable record Python has (``bench/bench_text.py``).
    """

    ch: str
    font: str
    size: float
    x: float
    advance: float
    dx: float = 0.0
    scale: float = 100.0
    """Horizontal scale of the drawn glyph, percent (joined dashes, scaled Western glyphs)."""


@dataclass(frozen=True)
class Line:
    """One composed line of a paragraph.

    ``[start, end)`` indexes the paragraph's normalised text (see ``layout.text``); ``text`` is
    what is set, except that a hyphen added where a Latin word is broken (``hyphen``) is a
    glyph only, not part of ``text``. Glyph ``x`` is measured from the left edge of the measure,
    so the first glyph sits at ``indent``; ``ink`` is the right edge of the last glyph's box
    minus ``indent`` (for a flush line ``indent + ink == measure``). ``natural`` holds each glyph's unadjusted advance
    in pt, which ``runs`` needs to express spacing as PDF character spacing (Tc).
    """

    glyphs: tuple[Glyph, ...]
    text: str
    start: int
    end: int
    measure: float
    indent: float
    ink: float
    last: bool
    size: float
    natural: tuple[float, ...] = field(default=(), repr=False, compare=False)
    hyphen: bool = False
    """The line ends inside a Latin word; its last glyph is an added hyphen (not in ``text``)."""
    note: str = ""
    """A problem the caller should report: an unbreakable token condensed or broken at the
    measure, or a justified line with nothing to stretch (left short). Empty when all is well."""

    def runs(self, x0: float, baseline: float, kind: str = "body") -> tuple[GlyphRun, ...]:
        """Group glyphs into runs of one font and size with uniform spacing (PDF Tc), absolute."""
        glyphs = self.glyphs
        nat = self.natural
        out: list[GlyphRun] = []
        n = len(glyphs)
        i = 0
        while i < n:
            g = glyphs[i]
            origin = x0 + g.x + g.dx
            chars = [g.ch]
            tc = 0.0
            pen = origin + nat[i]  # where the run model puts the next origin, before Tc
            j = i + 1
            while j < n and g.scale == 100.0:
                h = glyphs[j]
                if h.font != g.font or h.size != g.size or h.scale != 100.0:
                    break
                o = x0 + h.x + h.dx
                if j == i + 1:
                    tc = o - pen
                elif abs(pen + tc - o) > RUN_TOLERANCE:
                    # Compared with the model's cumulative prediction, so errors cannot add up.
                    break
                chars.append(h.ch)
                pen = pen + tc + nat[j]
                j += 1
            if j == i + 1:
                tc = 0.0
            out.append(GlyphRun(origin, baseline, "".join(chars), g.font, g.size, char_space=tc,
                                h_scale=g.scale))
            i = j
        return tuple(out)

    def to_frame(self, x0: float, baseline: float, kind: str = "body") -> TextLine:
        """Return this line as a frame ``TextLine`` whose measure starts at ``x0``."""
        return TextLine(
            x=x0, y=baseline, width=self.measure, ink=self.indent + self.ink, text=self.text,
            runs=self.runs(x0, baseline, kind), kind=kind, last=self.last, size=self.size,
        )


@dataclass(frozen=True, slots=True)
class VGlyph:
    """A glyph of a vertical headline: origin (baseline-left) ``x``, ``y`` from the column's top-left, y down.

    ``rotate`` is clockwise degrees about the origin (Latin words, long numbers); ``h_scale`` is
    a horizontal scale in percent (纵中横 digits squeezed into one em).
    """

    ch: str
    font: str
    size: float
    x: float
    y: float
    rotate: float = 0.0
    h_scale: float = 100.0
