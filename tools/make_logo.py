"""Generate the vector nameplate logo of the 青岚晚报 demonstration front page.

The logo is invented for the demo: the paper's name outlined from the bundled 楷 face
(``fonts/PaibanKai-Regular.ttf``, LXGW WenKai, OFL 1.1) in black, beside a red seal with the
first character knocked out in white. Glyph outlines come from fontTools' SVG path pen, so
the file holds paths only (no text, no images) and stays vector in the PDF. Output is
deterministic. Run: ``python tools/make_logo.py [out.svg]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "fonts" / "PaibanKai-Regular.ttf"
OUT = ROOT / "issues" / "qinglan-evening" / "2025-04-08" / "logo.svg"
NAME = "青岚晚报"
EM = 100.0
"""Glyph size in SVG units."""
SEAL = 104.0
"""Side of the red seal in SVG units."""
RED = "#c8161d"
"""The seal's colour (an RGB red; the engine converts it to CMYK within the ink limit)."""


def glyph_path(font: TTFont, ch: str, x: float, y: float, size: float) -> str:
    """The SVG path data of one character, its em box's top-left corner at (x, y)."""
    glyph_set = font.getGlyphSet()
    name = font.getBestCmap()[ord(ch)]
    upm = font["head"].unitsPerEm
    ascent = font["OS/2"].sTypoAscender
    s = size / upm
    pen = SVGPathPen(glyph_set, ntos=lambda v: f"{v:.2f}".rstrip("0").rstrip("."))
    # Font units are y-up from the baseline; SVG is y-down from the top.
    glyph_set[name].draw(TransformPen(pen, (s, 0, 0, -s, x, y + ascent * s)))
    return pen.getCommands()


def main(out: Path = OUT) -> None:
    """Write the logo SVG."""
    font = TTFont(FONT)
    width = SEAL + 16 + EM * len(NAME)
    height = SEAL
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
            f'viewBox="0 0 {width:g} {height:g}">'
        ),
        f'  <rect x="0" y="0" width="{SEAL:g}" height="{SEAL:g}" rx="10" fill="{RED}"/>',
        f'  <path fill="#ffffff" d="{glyph_path(font, NAME[0], 12, 10, 80)}"/>',
    ]
    for i, ch in enumerate(NAME):
        parts.append(
            f'  <path fill="#000000" d="{glyph_path(font, ch, SEAL + 16 + i * EM, 2, EM)}"/>'
        )
    parts.append("</svg>\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts), encoding="utf-8")
    print(f"{out}: {out.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
