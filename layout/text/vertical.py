"""Vertical setting (竖排) of one headline column, top to bottom.

Owns the mapping of horizontal text to vertical glyphs per clreq §4.7 (typography.md §4.7):
hanzi upright; marks through their vertical presentation forms (U+FE10–FE19, U+FE30–FE48,
quotes “”→﹃﹄ and ‘’→﹁﹂ as mainland corner brackets) when the font has them, else rotated
90° clockwise (brackets, dashes, ellipses) or moved to the upper-right of the em (SC pause
marks); Western words and numbers of ≥ 4 digits rotated 90° clockwise; numbers of 2–3 digits (or a
sign and 1–2 digits: −3, +12) set horizontally in one em (纵中横) with a horizontal scale; single letters, digits and short
acronyms upright. Adjacent marks are compressed 2 em → 1.5 em and a column-final mark takes
½ em, as in horizontal text. A clause gap (a space between CJK characters) takes the house gap
(``space_em``) and is drawn as a blank U+3000 so that the text layer keeps it; ``column_measure``
gives ``text.display`` the length of a column when it breaks a vertical head into columns.

Coordinates: each ``VGlyph`` gives the glyph origin (baseline-left) relative to the column's
top-left corner, y down, in a column one em (of the largest span size) wide. The ideographic
em box is taken to run from 0.88 em above the baseline to 0.12 em below (Source Han / Noto CJK).
"""

from __future__ import annotations

from collections.abc import Sequence

from .classes import (
    CLOSING_MARKS,
    OPENING_MARKS,
    TCY_MAX_DIGITS,
    VERTICAL_FORMS,
    VERTICAL_ROTATE,
    VERTICAL_UPRIGHT_RIGHT,
)
from .lines import Span, VGlyph
from .para import HAN, WEST, _info

EM_BOX_ASCENT = 0.88
"""Top of the ideographic em box above the baseline, in em (Source Han/Noto CJK: 880/1000)."""

EM_BOX_DESCENT = 0.12
"""Bottom of the ideographic em box below the baseline, in em."""


def _ascent(font) -> float:
    """Top of the font's ideographic em box above the baseline (em); Noto's 0.88 if unknown."""
    return getattr(font, "ideo_top", EM_BOX_ASCENT)


def _descent(font) -> float:
    """Depth of the font's ideographic em box below the baseline (em, positive)."""
    bottom = getattr(font, "ideo_bottom", None)
    return -bottom if bottom is not None else EM_BOX_DESCENT

VERTICAL_GAP_EM = 0.25
"""Gap between hanzi and a rotated Western run in vertical text [CLREQ §4.4]."""

VERTICAL_SPACE_EM = 0.5
"""A space between two CJK characters in a vertical head (a word break in the head) takes ½ em."""

UPRIGHT_ACRONYM_MAX = 3
"""All-capital Western runs up to this length (and single letters) stay upright, one em each [CLREQ §4.7]."""

CLAUSE_SPACE = "\u3000"
"""The ideographic space: what a clause gap is written and drawn as."""

VERTICAL_BLANK_EM = 0.5
"""A vertical-form mark keeps ½ em; the other half is blank (bottom for pause/closing, top for opening)."""


def _items(spans: Sequence[Span]) -> list[tuple[str, Span]]:
    """Flatten spans into (char, span), whitespace runs collapsed to one space, ends stripped."""
    out: list[tuple[str, Span]] = []
    pending = False
    for span in spans:
        for ch in span.text:
            if ch.isspace():
                pending = bool(out)
                continue
            if pending:
                out.append((" ", span))
                pending = False
            out.append((ch, span))
    return out


def compose_vertical(spans: Sequence[Span], height: float | None = None,
                     align: str = "start", space_em: float = VERTICAL_SPACE_EM
                     ) -> tuple[list[VGlyph], float]:
    """Set a one-column vertical headline; return its glyphs and the height used (pt).

    With ``height`` and ``align="distribute"`` the cells are spread evenly (均排) over
    ``height``; with ``align="center"`` the column is centred in it. A text longer than
    ``height`` is not cut: the returned height is then larger than ``height``. A space between
    two CJK characters (a clause gap) takes ``space_em`` and is drawn as a blank U+3000 when the
    face has one, so that the text layer keeps it; next to Western text it is the ¼-em gap.
    """
    items = _items(spans)
    if not items:
        return [], 0.0
    cw = max(s.size for s in spans)
    # Cells: (glyphs, advance, blank_top, blank_bottom, kind) — glyph y relative to the cell top.
    cells: list[list] = []
    n = len(items)
    i = 0
    prev_kind = None
    while i < n:
        ch, span = items[i]
        font, s = span.font, span.size
        widths = font.widths
        kind = (_info(ch))[0]
        if ch == " ":
            nxt = items[i + 1][0] if i + 1 < n else ""
            west_side = prev_kind == WEST or (nxt and _info(nxt)[0] == WEST)
            blank = [] if west_side else _blank(font, s, cw)
            cells.append([blank, (VERTICAL_GAP_EM if west_side else space_em) * s, 0.0, 0.0, "space"])
            i += 1
            prev_kind = None
            continue
        if kind == WEST:
            j = i
            while j < n and items[j][0] != " " and _info(items[j][0])[0] == WEST and items[j][1] is span:
                j += 1
            token = "".join(c for c, _ in items[i:j])
            cell = _western(token, font, s, cw)
            rotated = cell[4] == "rotated"
            if rotated and cells and cells[-1][4] == "han" and token[0].isalnum():
                cells.append([[], VERTICAL_GAP_EM * s, 0.0, 0.0, "space"])
            cells.append(cell)
            i = j
            prev_kind = WEST
            if rotated and i < n and _info(items[i][0])[0] == HAN and token[-1].isalnum():
                cells.append([[], VERTICAL_GAP_EM * s, 0.0, 0.0, "space"])
            continue
        form = VERTICAL_FORMS.get(ch)
        adv_em = 1.0
        if form is not None and ord(form) in widths:
            g = VGlyph(form, font.key, s, (cw - widths[ord(form)] * s) / 2, _ascent(font) * s)
            top = VERTICAL_BLANK_EM * s if ch in OPENING_MARKS else 0.0
            bottom = VERTICAL_BLANK_EM * s if (ch in CLOSING_MARKS or ch in VERTICAL_UPRIGHT_RIGHT) else 0.0
            cells.append([[g], adv_em * s, top, bottom, "mark"])
        elif ch in VERTICAL_UPRIGHT_RIGHT:
            # No vertical form: the SC glyph (ink lower-left) moves to the upper-right of the em.
            w = (widths.get(ord(ch)) or font.advance(ch)) * s
            g = VGlyph(ch, font.key, s, (cw - w) / 2 + s / 2, _ascent(font) * s - s / 2)
            cells.append([[g], s, 0.0, VERTICAL_BLANK_EM * s, "mark"])
        elif ch in VERTICAL_ROTATE:
            w = (widths.get(ord(ch)) or font.advance(ch)) * s
            x = (cw - (_ascent(font) - _descent(font)) * s) / 2
            cells.append([[VGlyph(ch, font.key, s, x, 0.0, rotate=90.0)], w, 0.0, 0.0, "mark"])
        else:
            w = (widths.get(ord(ch)) or font.advance(ch)) * s
            g = VGlyph(ch, font.key, s, (cw - w) / 2, _ascent(font) * s)
            cells.append([[g], s, 0.0, 0.0, "han"])
        prev_kind = kind
        i += 1

    # Adjacent marks: remove the blank half between them (2 em → 1.5 em); column end ½ em.
    for k in range(len(cells) - 1):
        c, d = cells[k], cells[k + 1]
        if c[4] == "mark" and d[4] == "mark":
            if c[3] > 0:
                c[1] -= c[3]
                c[3] = 0.0
            elif d[2] > 0:
                d[1] -= d[2]
                for gi, g in enumerate(d[0]):
                    d[0][gi] = _shift(g, -d[2])
                d[2] = 0.0
    if cells[-1][3] > 0:
        cells[-1][1] -= cells[-1][3]
    natural = sum(c[1] for c in cells)
    extra = 0.0
    offset = 0.0
    used = natural
    if height is not None and height > natural:
        if align == "distribute" and len(cells) > 1:
            extra = (height - natural) / (len(cells) - 1)
            used = height
        elif align == "center":
            offset = (height - natural) / 2
            used = height
    out: list[VGlyph] = []
    y = offset
    for glyphs, adv, _, _, _ in cells:
        for g in glyphs:
            out.append(_shift(g, y))
        y += adv + extra
    return out, used


def _blank(font, s: float, cw: float) -> list[VGlyph]:
    """A blank ideographic space for a clause gap (kept in the text layer), if the face has one."""
    if ord(CLAUSE_SPACE) not in font.widths:
        return []
    return [VGlyph(CLAUSE_SPACE, font.key, s, (cw - font.widths[ord(CLAUSE_SPACE)] * s) / 2,
                   _ascent(font) * s)]


def column_measure(spans_of, space_em: float = VERTICAL_SPACE_EM):
    """Return the length (pt) of a vertical column made of display pieces joined by clause gaps
    (the ``display.Measure`` that breaks vertical heads into columns)."""
    cache: dict[tuple[str, ...], float] = {}

    def measure(pieces: tuple[str, ...]) -> float:
        used = cache.get(pieces)
        if used is None:
            used = cache[pieces] = compose_vertical(spans_of(CLAUSE_SPACE.join(pieces)),
                                                    space_em=space_em)[1]
        return used

    return measure


def _shift(g: VGlyph, dy: float) -> VGlyph:
    return VGlyph(g.ch, g.font, g.size, g.x, g.y + dy, g.rotate, g.h_scale)


SIGNS = "-+\u2212\uff0d\uff0b"
"""Signs a short number may carry and still be set in one em (纵中横): −3 (a temperature), +5."""


def _tcy(token: str) -> bool:
    """Set horizontally in one em (纵中横): 2–3 digits, or a sign with 1–2 digits (−3, +12)."""
    digits = token[1:] if token[:1] in SIGNS else token
    return digits.isdigit() and digits.isascii() and 2 <= len(token) <= TCY_MAX_DIGITS


def _western(token: str, font, s: float, cw: float) -> list:
    """Return the cell of a Western run: 纵中横 for 2–3 digits, upright letters, else rotated."""
    widths = font.widths
    advs = [(widths.get(ord(c)) or font.advance(c)) * s for c in token]
    total = sum(advs)
    if _tcy(token):
        scale = min(1.0, s / total) if total > 0 else 1.0
        x = (cw - total * scale) / 2
        glyphs = []
        for c, a in zip(token, advs):
            glyphs.append(VGlyph(c, font.key, s, x, _ascent(font) * s, 0.0, round(scale * 100.0, 4)))
            x += a * scale
        return [glyphs, s, 0.0, 0.0, "tcy"]
    if len(token) == 1 or (token.isupper() and token.isalpha() and len(token) <= UPRIGHT_ACRONYM_MAX):
        glyphs = []
        y = 0.0
        for c, a in zip(token, advs):
            glyphs.append(VGlyph(c, font.key, s, (cw - a) / 2, y + _ascent(font) * s))
            y += s
        return [glyphs, y, 0.0, 0.0, "upright"]
    # Words and numbers of ≥ 4 digits: rotated 90° clockwise; their baseline runs down the
    # column, the em box (0.88 up, 0.12 down) centred across it.
    x = (cw - (_ascent(font) - _descent(font)) * s) / 2
    glyphs = []
    y = 0.0
    for c, a in zip(token, advs):
        glyphs.append(VGlyph(c, font.key, s, x, y, rotate=90.0))
        y += a
    return [glyphs, total, 0.0, 0.0, "rotated"]
