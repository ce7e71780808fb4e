"""CID-keyed fonts: subsets hold the faces' own glyphs, one font per face, every character back.

The subset writer (``layout.pdf.sfnt``) is checked against fontTools' reading of the original
faces: same outlines, same advances, same glyph for every code point of the cmap (formats 4
and 12, including segments that use idRangeOffset), components of composite glyphs renumbered.
The writer is checked through the PDF: one Type0/Identity-H font per face, ``pdffonts`` rows,
text extracted by pdfium at the frame tree's positions (rotated runs and horizontal scaling
included), deterministic bytes.
"""

from __future__ import annotations

import ctypes
import io
import math
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from pypdfium2 import raw

from layout.fonts import load_face
from layout.frames import GlyphRun, Group, Page, TextLine
from layout.pdf.sfnt import TrueTypeFace
from layout.pdf.writer import margin, write_pdf
from tests.text.fontkit import build_font_bytes

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "fonts"
SONG = FONTS / "PaibanSerifSC-Regular.ttf"
HEI = FONTS / "PaibanSansSC-Regular.ttf"
PAGE_TEXT = (ROOT / "bench" / "texts" / "zhuzhou_p05.txt").read_text(encoding="utf-8")


def _coords(font: TTFont, name: str):
    glyf = font["glyf"]
    coords, ends, flags = glyf[name].getCoordinates(glyf)
    return list(coords), list(ends), [f & 1 for f in flags]


def test_subset_holds_the_faces_own_glyphs_in_the_order_asked():
    src = TrueTypeFace(SONG)
    chars = sorted(set(PAGE_TEXT) - {"\n"})
    gids = [0] + [src.glyph_id(ord(c)) for c in chars]
    assert all(gids[1:]), "page 05's text is covered by the body face"
    sub = TTFont(io.BytesIO(src.subset(gids)))
    orig = TTFont(str(SONG))
    assert sub["maxp"].numGlyphs == len(gids) == len(chars) + 1
    names_o, names_s = orig.getGlyphOrder(), sub.getGlyphOrder()
    for i, g in enumerate(gids):
        assert _coords(sub, names_s[i]) == _coords(orig, names_o[g])
        assert sub["hmtx"][names_s[i]] == orig["hmtx"][names_o[g]]
    assert sub["head"].unitsPerEm == orig["head"].unitsPerEm
    assert sub["head"].indexToLocFormat == 1 and sub["hhea"].numberOfHMetrics == len(gids)
    data = src.subset(gids)
    total = sum(int.from_bytes(data[i:i + 4], "big") for i in range(0, len(data), 4)) & 0xFFFFFFFF
    assert total == 0xB1B0AFBA  # head.checkSumAdjustment makes the whole file sum to the magic
    assert src.subset(gids) == data  # deterministic


def test_cmap_lookup_agrees_with_fonttools_formats_4_and_12(tmp_path):
    synthetic = tmp_path / "synthetic.ttf"  # format 4 with idRangeOffset: 20,992 hanzi, one glyph
    synthetic.write_bytes(build_font_bytes())
    for path in (SONG, synthetic):
        font = TTFont(str(path))
        src = TrueTypeFace(path)
        best = font.getBestCmap()
        assert {cp: src.glyph_id(cp) for cp in best} == {cp: font.getGlyphID(n) for cp, n in best.items()}
        assert src.glyph_id(0x10FFFD) == 0 and src.glyph_id(0x0001) == 0
    assert TTFont(str(synthetic))["cmap"].getcmap(3, 1).format == 4


def _composite_font(path: Path) -> Path:
    """A font whose 'Aring' is a composite of 'A' and 'ring' (offset, scaled)."""
    pen = TTGlyphPen(None)
    for pts in (((0, 0), (300, 700), (600, 0)), ((100, 800), (300, 900), (500, 800))):
        pen.moveTo(pts[0])
        for p in pts[1:]:
            pen.lineTo(p)
        pen.closePath()
    box = TTGlyphPen(None)
    box.moveTo((0, 0))
    box.lineTo((0, 100))
    box.lineTo((100, 100))
    box.closePath()
    glyphs = {".notdef": box.glyph(), "A": pen.glyph(), "ring": box.glyph()}
    comp = TTGlyphPen(glyphs)
    comp.addComponent("A", (1, 0, 0, 1, 0, 0))
    comp.addComponent("ring", (0.5, 0, 0, 0.5, 250, 750))
    glyphs["Aring"] = comp.glyph()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "A", "ring", "Aring"])
    fb.setupCharacterMap({0x41: "A", 0xC5: "Aring"})
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (600, 0) for n in glyphs})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "Comp", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120)
    fb.setupPost()
    fb.save(str(path))
    return path


def test_composite_glyphs_bring_their_components_renumbered(tmp_path):
    path = _composite_font(tmp_path / "comp.ttf")
    src = TrueTypeFace(path)
    sub = TTFont(io.BytesIO(src.subset([0, src.glyph_id(0xC5)])))
    orig = TTFont(str(path))
    names = sub.getGlyphOrder()
    assert len(names) == 4  # .notdef, Aring, then its components A and ring
    composite = sub["glyf"][names[1]]
    assert composite.isComposite()
    assert [c.glyphName for c in composite.components] == [names[2], names[3]]
    assert _coords(sub, names[1]) == _coords(orig, "Aring")  # flattened outline unchanged


# ---------------------------------------------------------------- through the writer


def _line(runs: list[GlyphRun], y: float) -> TextLine:
    return TextLine(runs[0].x, y, 400, 400, "".join(r.text for r in runs), tuple(runs))


def _page(song, hei) -> Page:
    body = [GlyphRun(20, 40, "株洲日报2024年，", song.key, 9.0, char_space=0.25),
            GlyphRun(120, 40, "政法周刊", hei.key, 12.0)]
    rotated = [GlyphRun(300, 60, "AB12", hei.key, 10.0, rotate=90.0)]
    squeezed = [GlyphRun(200, 80, "10", song.key, 10.0, h_scale=50.0)]
    items = (_line(body, 40), _line(rotated, 60), _line(squeezed, 80))
    return Page(420, 200, Group("page", "p", 0, 0, 420, 200, (Group("module", "m", 0, 0, 420, 200, items),)))


@pytest.fixture(scope="module")
def faces():
    return {f.key: f for f in (load_face(SONG), load_face(HEI))}


@pytest.fixture(scope="module")
def sample(faces):
    song, hei = faces.values()
    page = _page(song, hei)
    return page, write_pdf(page, faces, marks=False)


def test_one_type0_font_per_face(sample):
    data = sample[1]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = dict(pdf.pages[0].Resources.Font)
        assert len(fonts) == 2
        for font in fonts.values():
            assert font.Subtype == "/Type0" and font.Encoding == "/Identity-H"
            cid = font.DescendantFonts[0]
            assert cid.Subtype == "/CIDFontType2" and cid.CIDToGIDMap == "/Identity"
            assert "/FontFile2" in cid.FontDescriptor and "/ToUnicode" in font
            assert re.fullmatch(r"/[A-Z]{6}\+Paiban\w+-Regular", str(font.BaseFont))
            program = TTFont(io.BytesIO(cid.FontDescriptor.FontFile2.read_bytes()))
            key = str(font.BaseFont).split("+")[1]
            drawn = {"PaibanSerifSC-Regular": set("株洲日报2024年，10"), "PaibanSansSC-Regular": set("政法周刊AB12")}[key]
            assert program["maxp"].numGlyphs == len(drawn) + 1  # the page's glyphs and .notdef
        assert b"Helvetica" not in data


def _chars(data: bytes):
    doc = pdfium.PdfDocument(data)
    tp = doc[0].get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    out = []
    for i in range(tp.count_chars()):
        ch = tp.get_text_range(i, 1)
        if not ch.strip():
            continue
        raw.FPDFText_GetCharOrigin(tp, i, x, y)
        out.append((ch, x.value, y.value, raw.FPDFText_GetCharAngle(tp, i)))
    return out


def test_text_comes_back_at_the_frames_positions(sample, faces):
    page, data = sample
    song = faces["PaibanSerifSC-Regular"]
    chars = _chars(data)
    assert "".join(c[0] for c in chars) == "株洲日报2024年，政法周刊AB1210"
    off = margin(page, False)
    H = page.height + 2 * off
    # body run: origin, then advances of width × size plus the run's character spacing
    x = 20 + off
    body = len("株洲日报2024年，")
    for ch, cx, cy, angle in chars[:body]:
        assert cx == pytest.approx(x, abs=0.01) and cy == pytest.approx(H - off - 40, abs=0.01)
        assert angle == pytest.approx(0, abs=1e-6)
        x += song.advance(ch) * 9.0 + 0.25
    # rotated run: turned by 90° (pdfium measures the angle clockwise), each glyph further down
    rot = chars[body + 4:body + 8]
    assert [c[0] for c in rot] == list("AB12")
    assert all(abs(a - math.pi / 2) < 1e-6 for *_r, a in rot), rot
    assert rot[0][1] == pytest.approx(300 + off, abs=0.01) and rot[0][2] == pytest.approx(H - off - 60, abs=0.01)
    assert [c[1] for c in rot] == pytest.approx([rot[0][1]] * 4, abs=0.01)
    assert rot[1][2] < rot[0][2]
    # horizontally scaled run: the advance is halved
    one, zero = chars[body + 8], chars[body + 9]
    assert (one[0], zero[0]) == ("1", "0")
    assert zero[1] - one[1] == pytest.approx(song.advance("1") * 10.0 * 0.5, abs=0.01)


def test_writes_are_byte_identical_and_tags_follow_the_characters(sample, faces):
    page, data = sample
    assert write_pdf(page, faces, marks=False) == data
    song, hei = faces.values()
    other = _page(song, hei)
    line = other.root.items[0].items[0]
    edited = TextLine(line.x, line.y, line.width, line.ink, line.text,
                      (GlyphRun(20, 40, "株洲晚报2024年，", song.key, 9.0, char_space=0.25), line.runs[1]))
    group = other.root.items[0]
    other = Page(other.width, other.height, Group("page", "p", 0, 0, 420, 200, (
        Group("module", "m", 0, 0, 420, 200, (edited, *group.items[1:])),)))

    def tags(d):
        with pikepdf.open(io.BytesIO(d)) as pdf:
            return {str(f.BaseFont).split("+")[1]: str(f.BaseFont)[1:7] for f in pdf.pages[0].Resources.Font.values()}

    before, after = tags(data), tags(write_pdf(other, faces, marks=False))
    assert before["PaibanSansSC-Regular"] == after["PaibanSansSC-Regular"]
    assert before["PaibanSerifSC-Regular"] != after["PaibanSerifSC-Regular"]


def test_characters_sharing_a_glyph_each_come_back(tmp_path):
    path = tmp_path / "PaibanTest-Regular.ttf"
    path.write_bytes(build_font_bytes())  # every hanzi is the same square glyph
    face = load_face(path)
    run = GlyphRun(10, 30, "中国人民", face.key, 12.0)
    page = Page(200, 60, Group("page", "p", 0, 0, 200, 60, (_line([run], 30),)))
    data = write_pdf(page, {face.key: face}, marks=False)
    assert "".join(c[0] for c in _chars(data)) == "中国人民"
    with pikepdf.open(io.BytesIO(data)) as pdf:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        program = TTFont(io.BytesIO(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()))
        assert program["maxp"].numGlyphs == 5  # one glyph per CID: .notdef + four characters


def test_a_character_without_glyph_is_reported(tmp_path, caplog):
    path = tmp_path / "PaibanTest-Regular.ttf"
    path.write_bytes(build_font_bytes())
    face = load_face(path)
    run = GlyphRun(10, 30, "中☃", face.key, 12.0)
    page = Page(200, 60, Group("page", "p", 0, 0, 200, 60, (_line([run], 30),)))
    with caplog.at_level("WARNING", logger="paiban"):
        write_pdf(page, {face.key: face}, marks=False)
    assert any("U+2603" in r.getMessage() for r in caplog.records)


def test_pdffonts_lists_one_font_per_face(sample, tmp_path):
    exe = shutil.which("pdffonts")
    if exe is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    f = tmp_path / "s.pdf"
    f.write_bytes(sample[1])
    rows = subprocess.run([exe, str(f)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(rows) == 2
    for row in rows:
        assert re.match(r"[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes", row), row


def test_pdftotext_reads_every_character_of_page05(tmp_path):
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from layout import api
    from layout.frames import GlyphRun as Run

    out = tmp_path / "p05.pdf"
    rendered = api.render(ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml", out)
    text = subprocess.run([exe, str(out), "-"], capture_output=True, text=True, check=True).stdout
    drawn = set()
    for item in rendered.layout.page.root.walk():
        for run in getattr(item, "runs", ()) if not isinstance(item, Run) else (item,):
            drawn.update(run.text)
    drawn -= {" ", "\u3000"}
    assert drawn and drawn <= set(text), sorted(drawn - set(text))
