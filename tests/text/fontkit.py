"""A tiny synthetic SC font built in memory with fontTools, and a metrics stub read from it.

Ideographs are full-em squares (all of U+4E00–9FFF share one glyph); SC punctuation is full-em
with its ink in the half clreq says (，。、：；！？ and closing marks left, opening marks right,
interpuncts centred); —, … and the vertical presentation forms are full-em; digits and Latin
letters are ½ em; the space is ¼ em. ``FACE`` is a duck-typed font (``key``, ``widths``,
``advance``) whose widths come from the built font's hmtx, so tests run in milliseconds.
"""

from __future__ import annotations

import io
from functools import lru_cache

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

UPM = 1000
LEFT_INK = "，。、：；！？．”’」』）〕】〗］｝》〉"
RIGHT_INK = "“‘「『（〔【〖［｛《〈"
CENTRE_INK = "・‧"
FULL_OTHER = "—…⋯～％￥＄℃‰·／" + "".join(chr(c) for c in range(0xFE10, 0xFE1A)) + "".join(
    chr(c) for c in range(0xFE30, 0xFE49)
)
HALF = "0123456789" + "".join(chr(c) for c in range(0x41, 0x5B)) + "".join(
    chr(c) for c in range(0x61, 0x7B)
) + ".,:;!?-_()[]%$¥@#&=+'\"~"


def _box(x0: int, y0: int, x1: int, y1: int):
    pen = TTGlyphPen(None)
    pen.moveTo((x0, y0))
    pen.lineTo((x0, y1))
    pen.lineTo((x1, y1))
    pen.lineTo((x1, y0))
    pen.closePath()
    return pen.glyph()


@lru_cache(maxsize=1)
def build_font_bytes() -> bytes:
    """Build the synthetic TrueType font and return its bytes."""
    names = [".notdef", "space", "han"]
    glyphs = {".notdef": _box(50, -120, 450, 700), "space": TTGlyphPen(None).glyph(),
              "han": _box(20, -100, 980, 860)}
    metrics = {".notdef": (500, 50), "space": (250, 0), "han": (1000, 20)}
    cmap = {0x20: "space"}
    for cp in range(0x4E00, 0xA000):
        cmap[cp] = "han"
    for cp in range(0x3400, 0x4DC0):
        cmap[cp] = "han"

    def add(ch: str, name: str, glyph, adv: int, lsb: int) -> None:
        names.append(name)
        glyphs[name] = glyph
        metrics[name] = (adv, lsb)
        cmap[ord(ch)] = name

    for ch in LEFT_INK:
        add(ch, f"uni{ord(ch):04X}", _box(100, -80, 400, 200), 1000, 100)
    for ch in RIGHT_INK:
        add(ch, f"uni{ord(ch):04X}", _box(600, -80, 900, 760), 1000, 600)
    for ch in CENTRE_INK:
        add(ch, f"uni{ord(ch):04X}", _box(400, 250, 600, 450), 1000, 400)
    for ch in FULL_OTHER:
        if ord(ch) in cmap:
            continue
        add(ch, f"uni{ord(ch):04X}", _box(50, 300, 950, 360), 1000, 50)
    for ch in HALF:
        if ord(ch) in cmap:
            continue
        add(ch, f"uni{ord(ch):04X}", _box(50, 0, 450, 700), 500, 50)

    fb = FontBuilder(UPM, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap(cmap)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "PaibanTest", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    buf = io.BytesIO()
    fb.save(buf)
    return buf.getvalue()


class StubFace:
    """A duck-typed font: ``key``, ``widths`` (codepoint → em) and ``advance(ch)``."""

    def __init__(self, key: str, widths: dict[int, float]) -> None:
        self.key = key
        self.widths = widths

    def advance(self, ch: str) -> float:
        """Advance of ``ch`` in em; an uncovered character falls back to one em (like .notdef)."""
        return self.widths.get(ord(ch), 1.0)


@lru_cache(maxsize=1)
def face() -> StubFace:
    """Return the stub face whose widths are read back from the synthetic font's hmtx."""
    font = TTFont(io.BytesIO(build_font_bytes()))
    hmtx = font["hmtx"].metrics
    widths = {cp: hmtx[name][0] / UPM for cp, name in font.getBestCmap().items()}
    return StubFace("PaibanTest", widths)


FACE = face()
