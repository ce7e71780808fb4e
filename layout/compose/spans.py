"""Spans with per-run font fallback: the one place where text becomes ``text.Span`` runs.

Owns splitting a string set in a font role into runs of one face each, so that a character the
role's face lacks is drawn — and reaches the PDF text layer — in the fallback face that has it
(GUIDE §Errors: ReportLab draws a missing glyph as an empty box without a word, and the text
layer then loses the character). Every text the page draws goes through here: body, heads,
kickers, subtitles, subheads, captions, credits, the page header, the masthead and labels.

``SpanKit`` is the callable the composers take: ``kit(text, role, size) -> list[Span]``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .. import text as T

FaceOf = Callable[[str], object]
"""Role name → the face that sets it (``fonts.Face`` or any font ``text`` accepts)."""

FallbackOf = Callable[[str], object | None]
"""Character → the face drawing it instead of a role that lacks it (None: no fallback)."""


def _covers(face, ch: str) -> bool:
    """Return True when ``face`` has a glyph for ``ch`` (a duck-typed font: its ``widths``)."""
    covers = getattr(face, "covers", None)
    if covers is not None:
        return covers(ch)
    return ord(ch) in face.widths


def split_spans(text: str, face, size: float, fallback: FallbackOf | None) -> list[T.Span]:
    """Return ``text`` as spans in ``face``; each run of characters it lacks in its fallback face.

    Whitespace stays with the run it is in (it draws no glyph); a character neither ``face`` nor
    a fallback has stays in ``face``, where the coverage check has already reported it.
    """
    if not text:
        return [T.Span(text, face, size)]
    if fallback is None:
        return [T.Span(text, face, size)]
    spans: list[T.Span] = []
    current = face
    buf: list[str] = []
    for ch in text:
        want = face
        if not ch.isspace() and not _covers(face, ch):
            alt = fallback(ch)
            if alt is not None:
                want = alt
        elif ch.isspace():
            want = current  # a space joins the run it sits in
        if want is not current and buf:
            spans.append(T.Span("".join(buf), current, size))
            buf = []
        current = want
        buf.append(ch)
    if buf:
        spans.append(T.Span("".join(buf), current, size))
    return spans


@dataclass(frozen=True)
class SpanKit:
    """Text in a role → spans, with fallback runs: ``kit(text, role, size)``.

    ``face`` resolves a role to its face; ``fallback`` gives the face for a character the role
    lacks (``dict.get`` of page composition's fallback table, or ``FontSet.fallback_for``).
    """

    face: FaceOf
    fallback: FallbackOf | None = None

    def __call__(self, text: str, role: str, size: float) -> list[T.Span]:
        """Return the spans of ``text`` set in ``role`` at ``size`` pt."""
        return split_spans(text, self.face(role), size, self.fallback)

    @classmethod
    def from_table(cls, face: FaceOf, table: Mapping[str, object] | None) -> SpanKit:
        """A kit whose fallback faces come from a char → face table (None or empty: no fallback)."""
        return cls(face, table.get if table else None)
