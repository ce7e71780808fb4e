"""The bad-input corpus: a minimal valid description and builders for broken files.

Everything is generated into a temporary folder from the small templates here, so nothing
large is committed: images are drawn with Pillow, fonts built with fontTools, bombs written
as a few hundred bytes that claim to be huge.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

RARE = "\U0002a6a5"  # 𪚥 (CJK Ext. B): in no bundled face

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


def photo(
    path: Path, mode: str = "RGB", size: tuple[int, int] = (600, 400), fmt: str | None = None
) -> Path:
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
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)  # 1-bit grey
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
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
    fb.setupOS2(
        sTypoAscender=880,
        sTypoDescender=-120,
        sTypoLineGap=0,
        usWinAscent=880,
        usWinDescent=120,
        fsType=0,
    )
    fb.setupPost()
    fb.save(str(path))
    return path


NEW_CJK = "\U00031350\U0002ebf0"
"""𱍐 (CJK Ext. H, Unicode 15) and 𮯰 (Ext. I, 15.1): unassigned (Cn) in Python 3.11's tables."""


def damaged_font(path: Path, how: str, chars: str) -> Path:
    """A tiny font drawing ``chars`` with one kind of damage: ``hhea0`` (no horizontal metrics),
    ``hhea-big`` (more metrics than glyphs), ``glyf`` (random glyph bytes), ``blank`` (empty
    outlines: would print nothing)."""
    import random

    tiny_font(path, chars)
    data = bytearray(path.read_bytes())
    tables = {
        bytes(data[12 + 16 * i : 16 + 16 * i]): struct.unpack(
            ">II", data[20 + 16 * i : 28 + 16 * i]
        )
        for i in range(struct.unpack(">H", data[4:6])[0])
    }
    if how in ("hhea0", "hhea-big"):
        off, _ = tables[b"hhea"]
        data[off + 34 : off + 36] = b"\x00\x00" if how == "hhea0" else b"\xff\xf0"
    elif how == "glyf":
        off, length = tables[b"glyf"]
        rnd = random.Random(18)
        data[off : off + length] = bytes(rnd.randrange(256) for _ in range(length))
    elif how == "blank":
        from fontTools.ttLib import TTFont

        font = TTFont(str(path))
        for name in font.getGlyphOrder()[1:]:
            font["glyf"][name].numberOfContours = 0
            font["glyf"][name].coordinates = []
        font.save(str(path))
        return path
    else:
        raise ValueError(how)
    path.write_bytes(bytes(data))
    return path


# ---------------------------------------------------------------- hostile PDFs


def pdf_with_content(
    path: Path, content: bytes, *, compress: bool = True, precompressed: bool = False
) -> Path:
    """A one-page PDF whose page content stream is ``content`` (Flate-compressed by default)."""
    import pikepdf
    from pikepdf import Name

    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    stream = pikepdf.Stream(pdf, b"")
    if precompressed:
        stream.write(content, filter=Name.FlateDecode)
    elif compress:
        stream.write(zlib.compress(content, 9), filter=Name.FlateDecode)
    else:
        stream.write(content)
    page.obj.Contents = pdf.make_indirect(stream)
    pdf.save(path)
    return path


def path_operators(n: int) -> bytes:
    """``n`` path operators (moveto/lineto pairs) with a few varying coordinates."""
    return b"".join(b"%d %d m %d %d l " % (i % 10, i % 9, i % 8, i % 7) for i in range(n // 2))


def flate_bomb(decoded_bytes: int) -> bytes:
    """Flate data inflating to ``decoded_bytes`` spaces (a valid, empty content stream), ~1/1000 the size."""
    co = zlib.compressobj(9)
    block = b" " * (1 << 20)
    parts: list[bytes] = []
    left = decoded_bytes
    while left > 0:
        parts.append(co.compress(block[: min(left, len(block))]))
        left -= len(block)
    parts.append(co.flush())
    return b"".join(parts)
