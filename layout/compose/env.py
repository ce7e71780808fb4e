"""The composition environment: what every composing function reads, and nothing it writes.

Owns ``Env``: the page grid, the type settings and 号 table of the issue, the font set with the
fallback faces the plan chose per character, the registry of faces a page's frames use (for
the writer), what the API read of each photo file, a memo of pure measurements, and the helpers
that turn text into spans
(characters a role lacks go to their fallback face) and paragraph styles. An ``Env`` is built
once per page from the plan; composition functions take it as their first argument instead of
threading a dozen parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .. import text as T
from ..frames import TextLine
from ..plan.grid import Grid
from .spans import SpanKit, split_spans

EMPHASIS_DOT_EM = 0.15
"""Diameter of an emphasis dot (着重号) in em: it must fit the line gap (¼–⅓ em on newspaper
pages, less than the ½ em clreq asks for interlinear marks
[CLREQ §handling_interlinear_punctuation])."""

DOT_GAP_SHARE = 0.8
"""An emphasis dot takes at most this share of the line gap, so it never touches the next line."""

DEFAULT_ASCENT = 0.88
"""Ascent of the ideographic em box in em (Noto CJK / Source Han: 880/1000), when a face is unknown."""


@dataclass(frozen=True)
class Env:
    """Read-only inputs of composition for one page (``faces`` only records what is used)."""

    issue: object
    grid: Grid
    fontset: object
    fallback: dict = field(default_factory=dict)
    prepare: Callable | None = None
    """``prepare(photo_plan) -> compose.photos.PhotoSource``: what the API read of a photo file."""
    draft: bool = False
    """A draft proof: photos below the print minimum become FPO placeholders, not errors."""
    faces: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    """Warnings found while composing that belong to no module (a photo's resolution); the page
    reports those its own composition added."""

    def memo(self, key, make: Callable):
        """The value cached under ``key``, made by ``make()`` the first time (stories broken per
        measure, measured heads, captions, sidebars): what makes re-composing a module in another
        region — page-level fit, automatic layout — cost a flow, not a re-analysis."""
        try:
            return self.cache[key]
        except KeyError:
            value = self.cache[key] = make()
            return value

    @property
    def type(self):
        """The issue's type settings (``model.TypeSpec``)."""
        return self.issue.type

    def size(self, value) -> float:
        """A type size in pt from pt or a 号 name (the issue's 号 table)."""
        return self.issue.size(value)

    def face(self, role: str):
        """The face of a font role, recorded as used on this page."""
        f = self.fontset.face(role)
        self.faces[f.key] = f
        return f

    def ascent(self, key: str) -> float:
        """Ascent (em) of the face registered under ``key`` (ideographic em-box top: 0.88)."""
        face = self.faces.get(key)
        return face.ascent if face is not None else DEFAULT_ASCENT

    def _fallback(self, ch: str):
        """The face drawing ``ch`` for a role that lacks it (recorded as used), or None."""
        face = self.fallback.get(ch)
        if face is not None:
            self.faces[face.key] = face
        return face

    @property
    def kit(self) -> SpanKit:
        """Text in a role → spans with fallback runs (``compose.spans``), faces recorded as used."""
        return SpanKit(self.face, self._fallback if self.fallback else None)

    def spans(self, text: str, role: str, size: float) -> list[T.Span]:
        """Spans of ``text`` in ``role``; characters the role lacks go to their fallback face."""
        return split_spans(text, self.face(role), size, self._fallback if self.fallback else None)

    def para_style(self, **kw) -> T.ParaStyle:
        """The issue's paragraph style (kinsoku level, gaps, breaker) with ``kw`` overrides."""
        tp = self.type
        return T.ParaStyle(kinsoku=tp.kinsoku, cjk_latin_gap=tp.cjk_latin_gap, cjk_digit_gap=tp.cjk_digit_gap,
                           trim_start_bracket=tp.trim_start_bracket, breaker=tp.breaker, **kw)

    def line_frame(self, grid: Grid, line: T.Line, x: float, row: int, kind: str) -> TextLine:
        """A composed line as a frame on body line ``row`` of ``grid``, baseline on the grid."""
        size = line.size
        asc = self.ascent(line.glyphs[0].font) if line.glyphs else DEFAULT_ASCENT
        # Centre a larger or smaller em box on the body line's em box so baselines stay on the grid.
        top = grid.line_top(row) + (grid.em - size) / 2
        frame = line.to_frame(x, top + asc * size, kind=kind)
        dots = getattr(line, "dots", ())
        if dots:  # 着重号: centred under each glyph, in the line gap below the em box
            gap = grid.pitch - size  # this line's em bottom to the next line's em top
            y = top + size + gap / 2
            r = min(EMPHASIS_DOT_EM * size, DOT_GAP_SHARE * gap) / 2
            glyphs = [line.glyphs[j] for j in dots]
            marks = tuple((x + g.x + g.dx + g.advance / 2, y, r) for g in glyphs)
            frame = replace(frame, marks=marks)
        return frame
