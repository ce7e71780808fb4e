"""The bad-input corpus: a minimal valid description and builders for broken files.

Everything is generated into a temporary folder from the small templates here, so nothing
large is committed: images are drawn with Pillow, fonts built with fontTools, bombs written
as a few hundred bytes that claim to be huge.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

RARE = "\U0002A6A5"  # 𪚥 (CJK Ext. B): in no bundled face

SENTINEL = b"%PDF-1.4\n% sentinel: an earlier render that must survive every failure\n%%EOF\n"

BODY = (
    "本报讯 3月5日，全市司法行政工作会议召开。会议总结了2023年工作，部署了2024年重点任务。\n"
    "\n"
    "会议要求，全市司法行政系统要坚持党的绝对领导，推进法治株洲建设。"
)

BASE = """\
paper: 株洲日报
date: 2024-03-06
page: 5
section: 政法周刊
format:
  preset: tabloid
articles:
  - id: lead
    headline: 全市司法行政工作会议召开
    body: |
      本报讯 3月5日，全市司法行政工作会议召开。会议总结了2023年工作，部署了2024年重点任务。

      会议要求，全市司法行政系统要坚持党的绝对领导，推进法治株洲建设。
    place: {col: 1, span: 3, top: 0, height: 30}
"""
"""A minimal valid page: tabloid grid (6 columns × 80 lines), one small article."""

SECOND = """\
  - id: second
    headline: 第二篇稿件
    body: 正文。
    place: {place}
"""

PHOTO = """\
    photos:
      - file: {file}
        caption: 图说文字。
        place: {{col: 1, span: 2, top: 3, height: 10}}
"""

FONTS = """\
type:
  {key}:
    {entry}
"""


def with_photo(file: str, text: str = BASE) -> str:
    """Give the first article one photo."""
    return text + PHOTO.format(file=file)


def with_body_file(name: str, text: str = BASE) -> str:
    """Replace the inline body by ``body_file: name``."""
    start = text.index("    body: |")
    end = text.index("    place:")
    return text[:start] + f"    body_file: {name}\n" + text[end:]


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of ``text`` containing ``needle``."""
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in the template")


# ---------------------------------------------------------------- YAML nasties


def alias_bomb(levels: int = 9) -> str:
    """The billion-laughs document: each level repeats the one before nine times."""
    out = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        out.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(out) + "\n"


def deep(levels: int) -> str:
    """A flow sequence nested ``levels`` deep under a key."""
    return "paper: " + "[" * levels + "]" * levels + "\n"


# ---------------------------------------------------------------- images


def photo(path: Path, mode: str = "RGB", size: tuple[int, int] = (600, 400), fmt: str | None = None) -> Path:
    """Draw a small test photo in ``mode`` (gradients, so colour conversion has work to do)."""
    import numpy as np
    from PIL import Image

    w, h = size
    x = np.linspace(0, 255, w)[None, :].repeat(h, 0)
    y = np.linspace(0, 255, h)[:, None].repeat(w, 1)
    rgb = Image.fromarray(np.dstack([x, y, 255 - x]).astype("uint8"), "RGB")
    if mode == "I;16":
        im = Image.fromarray((x * 257).astype("uint16"))
    elif mode == "P+alpha":
        im = rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
        im.save(path, transparency=0)
        return path
    else:
        im = rgb.convert(mode)
    im.save(path, fmt)
    return path


def png_bomb(path: Path, w: int = 40_000, h: int = 40_000) -> Path:
    """A tiny PNG whose header claims w×h pixels (a decompression bomb as the loader sees it)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)  # 1-bit grey
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def truncated_jpeg(path: Path) -> Path:
    """A JPEG cut off in the middle of its scan data."""
    photo(path, "RGB", fmt="JPEG")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


# ---------------------------------------------------------------- fonts


def tiny_font(path: Path, chars: str, ps_name: str = "RobustFallback") -> Path:
    """Write a TrueType font drawing each of ``chars`` as a full-em box."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    order = [".notdef"] + [f"u{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        pen.moveTo((50, -80))
        pen.lineTo((50, 800))
        pen.lineTo((950, 800))
        pen.lineTo((950, -80))
        pen.closePath()
        glyphs[name] = pen.glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (1000, 50) for n in order})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": ps_name, "styleName": "Regular", "psName": ps_name})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, sTypoLineGap=0,
                usWinAscent=880, usWinDescent=120, fsType=0)
    fb.setupPost()
    fb.save(str(path))
    return path
