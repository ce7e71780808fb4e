"""Chinese line composition to W3C clreq: the heart of paiban.

Owns breaking a paragraph into lines once per measure and setting each line: character
classes and prohibitions (行首行尾禁则, ``classes``), unbreakable sequences, punctuation width
adjustment and the seven compression steps (标点挤压), Han–Western spacing (¼ em, a house
setting for numbers), justification without loose lines (hanzi gaps and word spaces first,
never spacing inside a Latin word), first-line and hanging indents, 孤字 avoidance, a total-fit
repair of poor lines, Latin hyphenation (pyphen, imported on first use) and long tokens broken
at their permitted points (``para``, ``breaking``), and vertical headlines (竖排,
``vertical``). Pure Python; never imports reportlab, typer, pydantic or fontTools. A font is
anything with ``key``, ``widths`` (codepoint → advance in em) and ``advance(ch)``.

Whitespace: a line break between two CJK characters is removed (the source's wrapping); a
space typed within a line is kept as one U+0020 and a U+3000 as itself; the paragraph's ends
are stripped (details in ``para``); ``Line.text`` is the text as set.
"""

from .breaking import compose, natural_width, set_line
from .lines import Glyph, Line, ParaStyle, Span, VGlyph
from .para import widest_gap
from .vertical import compose_vertical

__all__ = [
    "Glyph",
    "Line",
    "ParaStyle",
    "Span",
    "VGlyph",
    "compose",
    "compose_vertical",
    "natural_width",
    "set_line",
    "widest_gap",
]
