"""Tests of layout/fonts.py and the bundled fonts: coverage, names, metrics, conversion, caching."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from layout import fonts
from layout.errors import FontError
from layout.fonts import (
    BUNDLED,
    ROLE_ALIASES,
    Fallback,
    FontSet,
    Missing,
    canonical_role,
    coverage,
    describe,
    font_dir,
    load_face,
)

ROOT = Path(__file__).resolve().parent.parent
TONGYONG = ROOT / "tools" / "data" / "tongyong_8105.txt"
RARE = "\U0002A6A5"  # 𪚥, CJK Ext. B: in no bundled face


# ---------------------------------------------------------------------------------------------
# fixtures and helpers


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """Give every test its own empty cache and a fresh in-process face memo."""
    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PAIBAN_FONT_DIR", raising=False)
    fonts.clear_caches()
    yield
    fonts.clear_caches()


def build_tiny_font(path: Path, ps_name: str, chars: dict[str, int], *, cff: bool = False) -> Path:
    """Write a tiny font: each char a filled box of its advance (units of a 1000-unit em)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    order = [".notdef"] + [f"u{ord(c):04X}" for c in chars]
    advances = {".notdef": 500} | {f"u{ord(c):04X}": w for c, w in chars.items()}
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})
    drawn = {}
    for name in order:
        w = advances[name]
        pen = T2CharStringPen(w, None) if cff else TTGlyphPen(None)
        pen.moveTo((50, -80))
        pen.lineTo((50, 800))
        pen.lineTo((w - 50, 800))
        pen.lineTo((w - 50, -80))
        pen.closePath()
        drawn[name] = pen.getCharString() if cff else pen.glyph()
    if cff:
        fb.setupCFF(ps_name, {"FullName": ps_name}, drawn, {})
    else:
        fb.setupGlyf(drawn)
    fb.setupHorizontalMetrics({n: (advances[n], 50) for n in order})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": ps_name, "styleName": "Regular", "psName": ps_name})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, sTypoLineGap=0,
                usWinAscent=880, usWinDescent=120, fsType=0)
    fb.setupPost()
    fb.save(str(path))
    return path


def tongyong() -> list[str]:
    """Return the committed 通用规范汉字表 list (8105 characters)."""
    rows = [ln.split("\t") for ln in TONGYONG.read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith("#")]
    return [r[3] for r in rows]


def gb2312() -> list[str]:
    """Return every character of GB 2312."""
    out = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


# ---------------------------------------------------------------------------------------------
# bundled fonts


def test_character_lists_have_the_published_sizes():
    chars = tongyong()
    assert len(chars) == 8105 and len(set(chars)) == 8105
    assert chars[0] == "一" and chars[3499] == "矗" and chars[-1] == "蠼"
    assert len(gb2312()) == 7445


def test_body_face_covers_gb2312_and_tongyong():
    face = FontSet().face("宋")
    assert [c for c in gb2312() if not face.covers(c)] == []
    assert [c for c in tongyong() if not face.covers(c)] == []


@pytest.mark.parametrize("role", sorted(BUNDLED))
def test_every_bundled_face_covers_tongyong(role):
    face = FontSet().face(role)
    missing = [c for c in tongyong() + gb2312() if not face.covers(c)]
    assert missing == []
    assert 9000 < face.glyph_count < 10000


def test_bundled_faces_have_distinct_ps_names_and_load_in_reportlab():
    from fontTools.ttLib import TTFont as FTFont
    from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
    from reportlab.pdfbase.ttfonts import TTFont

    fs = FontSet()
    keys = [fs.face(r).key for r in fs.roles()]
    assert keys == ["PaibanSerifSC-Regular", "PaibanSerifSC-Bold", "PaibanSerifSC-Heavy",
                    "PaibanSansSC-Regular", "PaibanSansSC-Bold", "PaibanKai-Regular"]
    for role in fs.roles():
        face = fs.face(role)
        assert face.path.parent == font_dir()
        assert FTFont(str(face.path), lazy=True)["name"].getDebugName(6) == face.key
        rl = TTFont(face.key, str(face.path))
        assert rl.face.name.decode() == face.key
        registerFont(rl)
        assert stringWidth("永和", face.key, 10) == pytest.approx(20.0)
        assert rl.face.ascent == 880 and rl.face.descent == -120


def test_bundled_fonts_folder_is_small_and_licensed():
    d = font_dir()
    total = sum(f.stat().st_size for f in d.iterdir() if f.is_file())
    assert total < 40e6
    assert "SIL OPEN FONT LICENSE Version 1.1" in (d / "OFL.txt").read_text(encoding="utf-8")
    for name in BUNDLED.values():
        assert name in (d / "README.md").read_text(encoding="utf-8")


def test_widths_and_vertical_metrics_of_the_serif():
    face = FontSet().face("song")
    assert face.advance("永") == 1.0
    assert face.widths[ord("，")] == 1.0
    assert face.advance("i") < 0.5
    assert 0.2 < face.widths[ord("i")] < 0.5
    assert (face.ascent, face.descent) == (0.88, -0.12)
    assert (face.ideo_bottom, face.ideo_top) == (-0.12, 0.88)  # BASE 'ideo'
    assert (face.icf_bottom, face.icf_top) == (-0.078, 0.838)  # BASE icfb/icft
    assert face.covers("永") and not face.covers(RARE)
    assert face.advance(RARE) == 1.0  # missing but wide: one em, no KeyError
    assert "ŋ" not in "".join(gb2312()) and face.advance("ŋ") == 0.5  # not in subset, narrow


def test_role_aliases():
    assert canonical_role("书宋") == "song" == canonical_role("宋")
    assert canonical_role("大标宋") == "dabiaosong"
    assert canonical_role("黑体") == "hei" and canonical_role("HEI") == "hei"
    assert canonical_role("粗黑") == "cuhei" and canonical_role("楷体") == "kai"
    assert set(ROLE_ALIASES.values()) == set(BUNDLED)
    with pytest.raises(FontError) as err:
        canonical_role("仿宋")
    assert "仿宋" in str(err.value) and "标宋" in err.value.hint and "kai" in err.value.hint
    assert FontSet().face("书宋") is FontSet().face("song")  # one Face per file in a process


def test_font_dir_env_and_missing_bundled_font(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIBAN_FONT_DIR", str(tmp_path))
    assert font_dir() == tmp_path
    with pytest.raises(FontError) as err:
        FontSet().face("宋")
    assert "PAIBAN_FONT_DIR" in err.value.hint


# ---------------------------------------------------------------------------------------------
# user fonts: CFF conversion, TTC index, errors


def test_cff_otf_is_converted_once_and_cached(tmp_path):
    from fontTools.ttLib import TTFont as FTFont
    from reportlab.pdfbase.ttfonts import TTFont

    otf = build_tiny_font(tmp_path / "Tiny.otf", "TinyCFF-Regular", {"永": 1000, "i": 280},
                          cff=True)
    face = load_face(otf)
    cache = Path(os.environ["PAIBAN_CACHE_DIR"])
    assert face.path.parent == cache and face.path.suffix == ".ttf"
    assert face.source == otf.resolve()
    assert face.widths == {ord("永"): 1.0, ord("i"): 0.28}
    assert (face.ascent, face.descent) == (0.88, -0.12)
    assert (face.ideo_bottom, face.ideo_top) == (-0.12, 0.88)  # no BASE: typo descent + 1 em
    assert face.icf_bottom == pytest.approx(-0.07) and face.icf_top == pytest.approx(0.83)
    tt = FTFont(str(face.path))
    assert "glyf" in tt and "CFF " not in tt and tt["maxp"].tableVersion == 0x00010000
    assert face.key.startswith("TinyCFF-Regular-") and tt["name"].getDebugName(6) == face.key
    TTFont(face.key, str(face.path))  # ReportLab accepts the converted copy
    # second load (new process memo): same cached file, not rewritten
    mtime = face.path.stat().st_mtime_ns
    fonts.clear_caches()
    again = load_face(otf)
    assert again is not face and again.path == face.path and again.key == face.key
    assert face.path.stat().st_mtime_ns == mtime
    assert [p.name for p in cache.glob("*.ttf")] == [face.path.name]
    assert not list(cache.rglob("*.tmp"))


def test_ttc_index(tmp_path):
    from fontTools.ttLib import TTFont as FTFont
    from fontTools.ttLib.ttCollection import TTCollection

    a = build_tiny_font(tmp_path / "a.ttf", "TinyA-Regular", {"一": 1000})
    b = build_tiny_font(tmp_path / "b.ttf", "TinyB-Regular", {"二": 1000, "x": 600})
    coll = TTCollection()
    coll.fonts = [FTFont(str(a)), FTFont(str(b))]
    ttc = tmp_path / "ab.ttc"
    coll.save(str(ttc))
    fa, fb = load_face(ttc, 0), load_face(ttc, 1)
    assert fa.key.startswith("TinyA-Regular") and fb.key.startswith("TinyB-Regular")
    assert fa.key != fb.key and fb.index == 1 and fb.path == ttc
    assert fa.covers("一") and not fa.covers("二")
    assert fb.widths == {ord("二"): 1.0, ord("x"): 0.6}
    with pytest.raises(FontError) as err:
        load_face(ttc, 2)
    assert "2 faces" in str(err.value) and "0 to 1" in err.value.hint


def test_font_errors(tmp_path):
    with pytest.raises(FontError) as err:
        load_face(tmp_path / "nope.ttf")
    assert "not found" in str(err.value) and err.value.hint
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"this is not a font at all")
    with pytest.raises(FontError, match="not a TrueType/OpenType"):
        load_face(junk)
    truncated = tmp_path / "cut.ttf"
    good = build_tiny_font(tmp_path / "good.ttf", "TinyGood", {"一": 1000}).read_bytes()
    truncated.write_bytes(good[:200])
    with pytest.raises(FontError):
        load_face(truncated)
    with pytest.raises(FontError, match="single face"):
        load_face(tmp_path / "good.ttf", 1)
    with pytest.raises(FontError):
        FontSet(overrides={"仿宋": (tmp_path / "good.ttf", 0)})


def test_override_role_with_user_font(tmp_path):
    ttf = build_tiny_font(tmp_path / "mine.ttf", "PaibanSerifSC-Regular", {"一": 1000})
    fs = FontSet(overrides={"宋": (ttf, 0)})
    face = fs.face("song")
    # same PS name as the bundled face, different file: the key must differ (ReportLab registry)
    assert face.key != "PaibanSerifSC-Regular" and face.key.startswith("PaibanSerifSC-Regular-")
    assert fs.face("hei").key == "PaibanSansSC-Regular"


# ---------------------------------------------------------------------------------------------
# coverage


def test_coverage_reports_missing_character_with_codepoint_and_context():
    fs = FontSet()
    uses = [
        (f"据报道，{RARE}字 出现 {RARE}两次。\n", "宋", "article kuaisu, body"),
        ("标题", "大标宋", "article kuaisu, headline"),
        (RARE, "黑", "article kuaisu, caption"),
    ]
    missing, fallbacks = coverage(fs, uses)
    assert fallbacks == []
    assert [(m.char, m.codepoint, m.role, m.context) for m in missing] == [
        (RARE, "U+2A6A5", "song", "article kuaisu, body"),
        (RARE, "U+2A6A5", "hei", "article kuaisu, caption"),
    ]
    assert missing[0].message == (
        f"character {RARE} (U+2A6A5) in article kuaisu, body has no glyph in role 宋 "
        "(PaibanSerifSC-Regular)")
    assert isinstance(missing[0], Missing)


def test_coverage_uses_configured_fallback(tmp_path):
    tiny = build_tiny_font(tmp_path / "rare.ttf", "TinyRare-Regular", {RARE: 1000})
    fs = FontSet(fallbacks=[(tiny, 0)])
    missing, fallbacks = coverage(fs, [(f"一{RARE}二", "song", "article kuaisu, body")])
    assert missing == []
    assert len(fallbacks) == 1 and isinstance(fallbacks[0], Fallback)
    fb = fallbacks[0]
    assert (fb.char, fb.codepoint, fb.face) == (RARE, "U+2A6A5", "PaibanSerifSC-Regular")
    assert fb.fallback == fs.fallback_for(RARE).key and fb.fallback.startswith("TinyRare-Regular")
    assert "U+2A6A5" in fb.message and "article kuaisu, body" in fb.message
    assert fs.fallback_for("😀") is None


@pytest.mark.skipif(not fonts.system_cjk_fonts(), reason="no system CJK font installed")
def test_system_fallback_subsets_before_converting():
    from fontTools.ttLib import TTFont as FTFont

    fs = FontSet(system_fallback=True)
    rare = "龘䶵"  # in Noto CJK SC (system), not in the bundled subset
    assert not any(fs.face("song").covers(c) for c in rare)
    missing, fallbacks = coverage(fs, [(rare + RARE, "song", "article a, body")])
    if not fallbacks:
        pytest.skip("the system CJK fonts lack 龘 and 䶵")
    assert {f.char for f in fallbacks} == set(rare)
    face = fs.fallback_for("龘")
    assert face.covers(rare) and "glyf" in FTFont(str(face.path), lazy=True)
    if face.path.parent == Path(os.environ["PAIBAN_CACHE_DIR"]):  # a CFF system font (Noto)
        assert face.glyph_count < 10  # subset to the needed glyphs, never all 65k converted
    assert [m.char for m in missing] == ([RARE] if not face.covers(RARE) else [])


def test_coverage_logs_through_paiban_logger(caplog):
    missing, fallbacks = coverage(FontSet(), [(RARE, "kai", "article a, byline")])
    with caplog.at_level("WARNING", logger="paiban"):
        fonts.log_coverage(missing, fallbacks)
    assert [r.getMessage() for r in caplog.records] == [missing[0].message]
    assert "role 楷 (PaibanKai-Regular)" in missing[0].message


def test_describe_table():
    rows = describe(FontSet(), [(f"新闻{RARE}", "宋", "article a, body"), ("快讯", "黑体", "x")])
    assert [r["role"] for r in rows] == list(BUNDLED)
    song = rows[0]
    assert song["label"] == "宋" and "书宋" in song["aliases"]
    assert song["key"] == "PaibanSerifSC-Regular" and song["glyphs"] == 9480
    assert song["used"] == 3 and song["missing"] == RARE and song["fallback"] == ""
    assert rows[3]["used"] == 2 and rows[3]["missing"] == ""
    assert "used" not in describe(FontSet())[0]
    json.dumps(rows)  # plain data for the CLI table / --json


# ---------------------------------------------------------------------------------------------
# speed: the metrics cache makes a cold process cheap


def test_cold_process_loads_all_roles_from_metrics_cache(tmp_path):
    code = (
        "import sys, time; t = time.perf_counter()\n"
        "from layout.fonts import FontSet\n"
        "fs = FontSet(); [fs.face(r) for r in fs.roles()]\n"
        "print(time.perf_counter() - t, 'fontTools' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    runs = [subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split() for _ in range(3)]
    assert runs[0][1] == "True"  # first run reads the fonts with fontTools and fills the cache
    assert runs[1][1] == runs[2][1] == "False"  # later runs never import fontTools
    assert float(runs[2][0]) < 0.2
