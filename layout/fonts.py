"""Fonts: faces, roles, metrics and glyph coverage (the only run-time importer of fontTools).

Owns:

* the font *roles* of a newspaper (宋 body, 标宋, 大标宋, 黑, 粗黑, 楷), their user-facing aliases
  and the bundled TrueType file for each (``fonts/``, built by ``tools/build_fonts.py``);
* ``load_face()``: one font file (+ TTC index) → a frozen ``Face`` of metrics in em units
  (advance widths per code point, OS/2 typo ascent/descent as ReportLab uses them, the BASE
  ideographic em box and ideographic character face). CFF-outline OpenType, which ReportLab
  refuses, is converted once to TrueType with fontTools cu2qu and cached outside the repository;
  extracted metrics are cached too, so loading all six roles takes a few milliseconds;
* ``FontSet``: roles → faces with optional fallback faces (configured files, or a system Noto CJK,
  of which only the needed characters are subset and converted);
* ``coverage()`` / ``describe()``: which characters of an issue have no glyph in their role's face,
  which a fallback covers, and a table for ``paiban fonts``.

Nothing here imports reportlab, typer or pydantic; fontTools is imported lazily, only when a face
is not in the metrics cache or a file must be converted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import sys
import unicodedata
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from layout.cache import atomic_write as _atomic_write
from layout.errors import FontError, logger

# --------------------------------------------------------------------------------------------
# Roles

ROLES: tuple[str, ...] = ("song", "biaosong", "dabiaosong", "hei", "cuhei", "kai")
"""Canonical font roles, in the order tables list them."""

ROLE_LABELS: dict[str, str] = {
    "song": "宋",
    "biaosong": "标宋",
    "dabiaosong": "大标宋",
    "hei": "黑",
    "cuhei": "粗黑",
    "kai": "楷",
}
"""The name a Chinese compositor uses for each role (used in messages)."""

ROLE_ALIASES: dict[str, str] = {
    "宋": "song", "书宋": "song", "宋体": "song", "song": "song",
    "标宋": "biaosong", "biaosong": "biaosong",
    "大标宋": "dabiaosong", "dabiaosong": "dabiaosong",
    "黑": "hei", "黑体": "hei", "hei": "hei",
    "粗黑": "cuhei", "cuhei": "cuhei",
    "楷": "kai", "楷体": "kai", "kai": "kai",
}
"""User-facing role names → canonical role."""

BUNDLED: dict[str, str] = {
    "song": "PaibanSerifSC-Regular.ttf",
    "biaosong": "PaibanSerifSC-Bold.ttf",
    "dabiaosong": "PaibanSerifSC-Heavy.ttf",
    "hei": "PaibanSansSC-Regular.ttf",
    "cuhei": "PaibanSansSC-Bold.ttf",
    "kai": "PaibanKai-Regular.ttf",
}
"""Canonical role → file name of the bundled face in ``font_dir()``."""

CU2QU_MAX_ERR = 1.0
"""Cubic → quadratic approximation error in font units (1/1000 em for Noto CJK; print.md §2.3)."""

ICF_INSET = 0.05
"""Fallback inset of the ideographic character face inside the em box (Noto CJK: 0.042/0.038)."""

_METRICS_VERSION = 2  # bump when the cached metrics record changes shape


def canonical_role(name: str) -> str:
    """Return the canonical role for a role name or alias; raise FontError naming valid roles."""
    key = name.strip()
    role = ROLE_ALIASES.get(key) or ROLE_ALIASES.get(key.lower())
    if role is None:
        valid = ", ".join(f"{ROLE_LABELS[r]}/{r}" for r in ROLES)
        raise FontError(f"unknown font role {name!r}", hint=f"use one of: {valid}")
    return role


def role_label(role: str) -> str:
    """Return the Chinese label (宋, 黑, …) of a role or alias."""
    return ROLE_LABELS[canonical_role(role)]


# --------------------------------------------------------------------------------------------
# Locations


def font_dir() -> Path:
    """Return the folder of the bundled fonts ($PAIBAN_FONT_DIR, wheel ``_fonts`` or repo ``fonts``)."""
    env = os.environ.get("PAIBAN_FONT_DIR")
    if env:
        return Path(env).expanduser()
    here = Path(__file__).resolve().parent
    wheel = here / "_fonts"
    if wheel.is_dir():
        return wheel
    return here.parent / "fonts"


def cache_dir() -> Path:
    """Return the cache folder for converted fonts and metrics (never inside the repository)."""
    from .cache import fonts_dir

    return fonts_dir()


# --------------------------------------------------------------------------------------------
# Faces


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@dataclass(frozen=True, eq=False)
class Face:
    """Metrics of one face, in em fractions (1.0 = one em); compared by identity."""

    key: str
    """Unique registration name: the PS name for bundled faces, a derived name for user fonts."""
    path: Path
    """A TrueType-outline file ReportLab can embed (the converted cache file for CFF input)."""
    index: int
    """Face index inside a TTC (0 otherwise)."""
    widths: dict[int, float]
    """Code point → advance width in em, for every cmap entry."""
    ascent: float
    """OS/2 sTypoAscender / unitsPerEm (what ReportLab uses as the font's ascent)."""
    descent: float
    """OS/2 sTypoDescender / unitsPerEm (negative)."""
    ideo_bottom: float
    """Bottom of the ideographic em box (BASE 'ideo'; fallback typo descent)."""
    ideo_top: float
    """Top of the ideographic em box (BASE 'idtp'; fallback ideo_bottom + 1)."""
    icf_bottom: float
    """Bottom of the ideographic character face (BASE 'icfb'; fallback em box inset 5 %)."""
    icf_top: float
    """Top of the ideographic character face (BASE 'icft'; fallback em box inset 5 %)."""
    glyph_count: int
    source: Path | None = field(default=None)
    """The file the face was loaded from, when ``path`` is a converted copy."""
    ink: dict[int, tuple[float, float]] = field(default_factory=dict)
    """Ink extent (left, right) in em of the dashes and ellipses the composer joins."""

    def covers(self, ch: str) -> bool:
        """Return True when every character of ``ch`` has a glyph."""
        w = self.widths
        return all(ord(c) in w for c in ch)

    def advance(self, ch: str) -> float:
        """Return the advance of one character in em (1.0 if missing and wide, else 0.5)."""
        w = self.widths.get(ord(ch))
        if w is not None:
            return w
        return 1.0 if _is_wide(ch) else 0.5

    def __repr__(self) -> str:
        return f"Face({self.key!r}, {str(self.path)!r}, index={self.index}, glyphs={self.glyph_count})"


_FACES: dict[tuple, Face] = {}  # (resolved path, mtime_ns, size, index, key) → Face


def _sniff(path: Path, index: int) -> tuple[str, int]:
    """Return (outline kind 'truetype'|'cff', number of faces); raise FontError if not a font."""
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
            tag = head[:4]
            count = 1
            if tag == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if not 0 <= index < count:
                    raise FontError(
                        f"font collection {path} has {count} faces; index {index} does not exist",
                        hint=f"use an index from 0 to {count - 1}",
                    )
                fh.seek(12 + 4 * index)
                (offset,) = struct.unpack(">I", fh.read(4))
                fh.seek(offset)
                tag = fh.read(4)
            elif index != 0:
                raise FontError(
                    f"{path} holds a single face; index {index} does not exist",
                    hint="use index 0 (indices are for .ttc/.otc collections)",
                )
    except OSError as exc:
        raise FontError(f"cannot read font file {path}: {exc.strerror or exc}") from exc
    except struct.error as exc:
        raise FontError(f"font file {path} is truncated or corrupt") from exc
    if tag in (b"\x00\x01\x00\x00", b"true"):
        return "truetype", count
    if tag == b"OTTO":
        return "cff", count
    if tag in (b"wOFF", b"wOF2"):
        raise FontError(f"{path} is a web font (WOFF)",
                        hint="convert it to .ttf or .otf first, e.g. with fontTools ttx/pyftsubset")
    raise FontError(f"{path} is not a TrueType/OpenType font file",
                    hint="give a .ttf, .otf, .ttc or .otc file")


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _ps_name(font) -> str:
    name = font["name"].getDebugName(6) or font["name"].getDebugName(4) or "Font"
    return "".join(c for c in name if 33 <= ord(c) < 127 and c not in "[](){}<>/%") or "Font"


def cff_to_glyf(font) -> None:
    """Replace the CFF outlines of a fontTools TTFont by quadratic glyf outlines (in place).

    cu2qu with ``CU2QU_MAX_ERR`` and reversed direction (TrueType winds outer contours
    clockwise); hmtx lsb = xMin; maxp 1.0; post format 3 (65k CID glyph names overflow format 2);
    CFF and VORG dropped. Recipe of fontTools ``Snippets/otf2ttf.py``, measured in print.md §2.3.
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        gs[name].draw(Cu2QuPen(pen, CU2QU_MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    hmtx = font["hmtx"]
    for name in order:
        g = glyphs[name]
        g.recalcBounds(glyf)
        hmtx[name] = (hmtx[name][0], getattr(g, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                 "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                 "maxComponentDepth"):
        setattr(maxp, attr, 0)
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True


def _set_ps_name(font, ps: str) -> None:
    """Give a converted copy its own PS/unique name so ReportLab never merges it with another."""
    name = font["name"]
    name.names = [r for r in name.names if r.nameID not in (3, 6)]
    name.setName(ps, 6, 3, 1, 0x409)
    name.setName(ps, 3, 3, 1, 0x409)


def _convert_cff(path: Path, index: int, *, unicodes: Iterable[int] | None = None,
                 tag: str = "") -> tuple[Path, str]:
    """Convert face ``index`` of a CFF font (optionally subset first) to a cached TTF.

    Returns (cached path, PS name of the copy). Cached by hash of the file bytes + index
    (+ ``tag`` naming the subset), so it is done once per machine.
    """
    digest = _file_hash(path)[:16]
    stem = f"{path.stem}-{index}-{digest}{'-' + tag if tag else ''}"
    out = cache_dir() / f"{stem}.ttf"
    if out.exists():
        from fontTools.ttLib import TTFont

        try:
            ps = _ps_name(TTFont(str(out), lazy=True))
            return out, ps
        except Exception:  # noqa: BLE001 - fontTools raises many types on a damaged cache file
            logger.debug("rebuilding damaged cache file %s", out)
    from fontTools import subset
    from fontTools.ttLib import TTFont

    try:
        if unicodes is not None:
            opts = subset.Options()
            opts.font_number = index
            opts.layout_features = []
            opts.hinting = False
            opts.desubroutinize = True
            opts.name_IDs = ["*"]
            opts.notdef_outline = True
            opts.recalc_timestamp = False
            font = subset.load_font(str(path), opts)
            sub = subset.Subsetter(opts)
            sub.populate(unicodes=unicodes)
            sub.subset(font)
        else:
            font = TTFont(str(path), fontNumber=index)
        ps = f"{_ps_name(font)}-{digest[:8]}{'-' + tag[:8] if tag else ''}"
        cff_to_glyf(font)
        _set_ps_name(font, ps)
        font.recalcTimestamp = False
    except FontError:
        raise
    except Exception as exc:
        raise FontError(f"cannot convert CFF font {path} (face {index}): {exc}",
                        hint="check that the file is a complete OpenType font") from exc
    logger.debug("converted %s#%d to %s", path, index, out)
    try:
        _atomic_write(out, font.save)
    except OSError as exc:
        raise FontError(f"cannot write the converted font to {out}: {exc.strerror or exc}",
                        hint="set PAIBAN_CACHE_DIR to a writable folder") from exc
    return out, ps


def _raw_advances(font, upm: int) -> dict[int, float] | None:
    """Return code point → advance (em) from the raw cmap/hmtx bytes, or None if unsupported.

    fontTools' getBestCmap() on a font with post format 3 first synthesises 9–65k glyph names
    from the cmap (60 ms per face); reading glyph IDs directly takes a few ms.
    """
    try:
        data = font.reader["cmap"]
        n_metrics = font["hhea"].numberOfHMetrics
        hm = array("H", font.reader["hmtx"][: 4 * n_metrics])
    except (KeyError, AttributeError):
        return None
    if sys.byteorder == "little":
        hm.byteswap()
    advances = hm[0::2]
    last = advances[-1] if advances else 0
    _, n_tables = struct.unpack_from(">HH", data, 0)
    subtables = {}
    for i in range(n_tables):
        plat, enc, off = struct.unpack_from(">HHI", data, 4 + 8 * i)
        subtables[(plat, enc)] = off
    gids: dict[int, int] = {}
    for want_fmt, keys in ((12, ((3, 10), (0, 6), (0, 4))), (4, ((3, 1), (0, 3), (0, 1)))):
        off = next((subtables[k] for k in keys if k in subtables), None)
        if off is None or struct.unpack_from(">H", data, off)[0] != want_fmt:
            continue
        if want_fmt == 12:
            (n_groups,) = struct.unpack_from(">I", data, off + 12)
            groups = array("I", data[off + 16: off + 16 + 12 * n_groups])
            if sys.byteorder == "little":
                groups.byteswap()
            for g in range(0, 3 * n_groups, 3):
                start, end, gid = groups[g], groups[g + 1], groups[g + 2]
                gids.update(zip(range(start, end + 1), range(gid, gid + end - start + 1)))
        else:
            (seg2,) = struct.unpack_from(">H", data, off + 6)
            seg = seg2 // 2
            arr = array("H", data[off + 14: off + 16 + 4 * seg2])
            if sys.byteorder == "little":
                arr.byteswap()
            ends, starts = arr[:seg], arr[seg + 1: 2 * seg + 1]
            deltas, ranges = arr[2 * seg + 1: 3 * seg + 1], arr[3 * seg + 1: 4 * seg + 1]
            ro_base = off + 16 + 3 * seg2  # file offset of idRangeOffset[0]
            for i in range(seg):
                start, end, delta, ro = starts[i], ends[i], deltas[i], ranges[i]
                if start == 0xFFFF:
                    continue
                if ro == 0:
                    for c in range(start, end + 1):
                        gids[c] = (c + delta) & 0xFFFF
                else:
                    for c in range(start, end + 1):
                        pos = ro_base + 2 * i + ro + 2 * (c - start)
                        (g,) = struct.unpack_from(">H", data, pos)
                        if g:
                            gids[c] = (g + delta) & 0xFFFF
        break
    else:
        return None
    n = len(advances)
    return {c: (advances[g] if g < n else last) / upm for c, g in gids.items() if g}


def _read_metrics(ttf: Path, index: int) -> dict:
    """Read the metrics record of a TrueType face (lazy fontTools: only the tables used)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(ttf), fontNumber=index, lazy=True)
    upm = font["head"].unitsPerEm
    widths = _raw_advances(font, upm)
    if widths is None:
        cmap = font.getBestCmap() or {}
        hmtx = font["hmtx"].metrics
        widths = {cp: hmtx[g][0] / upm for cp, g in cmap.items() if g in hmtx}
    os2 = font.get("OS/2")
    if os2 is not None:
        ascent, descent = os2.sTypoAscender / upm, os2.sTypoDescender / upm
        fs_type = os2.fsType
    else:
        hhea = font["hhea"]
        ascent, descent = hhea.ascent / upm, hhea.descent / upm
        fs_type = 0
    base = _base_coords(font)
    ideo_bottom = base["ideo"] / upm if "ideo" in base else descent
    ideo_top = base["idtp"] / upm if "idtp" in base else ideo_bottom + 1.0
    icf_bottom = base["icfb"] / upm if "icfb" in base else ideo_bottom + ICF_INSET
    icf_top = base["icft"] / upm if "icft" in base else ideo_top - ICF_INSET
    return {
        "ink": _ink_extents(font, upm),
        "v": _METRICS_VERSION,
        "ps": _ps_name(font),
        "widths": widths,
        "ascent": ascent,
        "descent": descent,
        "ideo_bottom": ideo_bottom,
        "ideo_top": ideo_top,
        "icf_bottom": icf_bottom,
        "icf_top": icf_top,
        "glyphs": font["maxp"].numGlyphs,
        "fsType": fs_type,
    }


INK_CODEPOINTS = (0x2014, 0x2026, 0x22EF)
"""Characters whose ink extent the composer needs: —— and …… are joined into one 2-em unit."""


def _ink_extents(font, upm: int) -> dict[int, tuple[float, float]]:
    """Left and right edge of the ink of ``INK_CODEPOINTS`` (em, from the glyph origin)."""
    out: dict[int, tuple[float, float]] = {}
    cmap = font.getBestCmap() or {}
    if "glyf" not in font:
        return out
    glyf = font["glyf"]
    for cp in INK_CODEPOINTS:
        name = cmap.get(cp)
        if name is None:
            continue
        glyph = glyf[name]
        if getattr(glyph, "numberOfContours", 0) == 0:
            continue
        glyph.recalcBounds(glyf)
        out[cp] = (glyph.xMin / upm, glyph.xMax / upm)
    return out


def _base_coords(font) -> dict[str, int]:
    """Return BASE horizontal baseline coordinates {tag: units} for script 'hani' (else default)."""
    if "BASE" not in font:
        return {}
    try:
        axis = font["BASE"].table.HorizAxis
        if axis is None or axis.BaseTagList is None:
            return {}
        tags = axis.BaseTagList.BaselineTag
        records = {r.BaseScriptTag: r.BaseScript for r in axis.BaseScriptList.BaseScriptRecord}
        script = records.get("hani") or records.get("DFLT") or next(iter(records.values()), None)
        if script is None or script.BaseValues is None:
            return {}
        coords = script.BaseValues.BaseCoord
        return {t: c.Coordinate for t, c in zip(tags, coords)}
    except (AttributeError, KeyError, TypeError, StopIteration):
        return {}


def _metrics_cache_file(path: Path, st: os.stat_result, index: int) -> Path:
    ident = f"{_METRICS_VERSION}|{path}|{st.st_mtime_ns}|{st.st_size}|{index}"
    return cache_dir() / "metrics" / (hashlib.sha1(ident.encode()).hexdigest()[:24] + ".metrics")


_METRICS_MAGIC = b"PBFM"
"""First bytes of a metrics cache entry: JSON header, then code points (uint32) and widths
(float64), little-endian. Plain data: reading an entry someone else wrote cannot run code
(unlike pickle or marshal), and a damaged one is rebuilt."""


def _load_cached_metrics(cache: Path) -> dict | None:
    try:
        data = cache.read_bytes()
        if data[:4] != _METRICS_MAGIC:
            return None
        size = int.from_bytes(data[4:8], "little")
        rec = json.loads(data[8:8 + size])
        n = rec.pop("n")
        cps = array("I", data[8 + size:8 + size + 4 * n])
        widths = array("d", data[8 + size + 4 * n:8 + size + 12 * n])
        if len(cps) != n or len(widths) != n:
            return None
        if sys.byteorder == "big":
            cps.byteswap()
            widths.byteswap()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(rec, dict) or rec.get("v") != _METRICS_VERSION:
        return None
    if not Path(rec["ttf"]).exists():  # the converted copy was deleted: rebuild
        return None
    rec["widths"] = dict(zip(cps, widths))
    rec["ink"] = {int(k): tuple(v) for k, v in rec.get("ink", {}).items()}
    return rec


def _store_metrics(cache: Path, rec: dict) -> None:
    widths = rec["widths"]
    header = {k: v for k, v in rec.items() if k not in ("widths", "ink")}
    header["ink"] = {str(k): list(v) for k, v in rec.get("ink", {}).items()}
    header["n"] = len(widths)
    cps, advances = array("I", widths.keys()), array("d", widths.values())
    if sys.byteorder == "big":
        cps.byteswap()
        advances.byteswap()
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    data = _METRICS_MAGIC + len(head).to_bytes(4, "little") + head + cps.tobytes() + advances.tobytes()
    try:
        _atomic_write(cache, lambda fh: fh.write(data))
    except OSError as exc:  # a read-only cache only costs speed
        logger.debug("cannot write metrics cache %s: %s", cache, exc)


def load_face(path: str | Path, index: int = 0, *, key: str | None = None) -> Face:
    """Load one face (TrueType, or CFF converted and cached) and return its metrics."""
    p = Path(path).expanduser()
    try:
        p = p.resolve(strict=True)
        st = p.stat()
    except (OSError, RuntimeError) as exc:
        raise FontError(
            f"font file not found: {path}",
            hint="check the path; bundled fonts are looked up in "
            f"{font_dir()} (set PAIBAN_FONT_DIR to change it)",
        ) from exc
    if p.is_dir():
        raise FontError(f"{path} is a folder, not a font file")
    memo = (str(p), st.st_mtime_ns, st.st_size, index, key)
    face = _FACES.get(memo)
    if face is not None:
        return face

    cache = _metrics_cache_file(p, st, index)
    rec = _load_cached_metrics(cache)
    if rec is None:
        kind, _ = _sniff(p, index)
        if kind == "cff":
            ttf, _ps = _convert_cff(p, index)
            ttf_index = 0
        else:
            ttf, ttf_index = p, index
        try:
            rec = _read_metrics(ttf, ttf_index)
        except FontError:
            raise
        except Exception as exc:
            raise FontError(f"cannot read font {path} (face {index}): {exc}",
                            hint="the file may be damaged; try another copy") from exc
        fs = rec["fsType"]
        if fs == 0x0002 or fs & 0x0300:  # the same test ReportLab applies before embedding
            raise FontError(f"{path}: the font's licence flags (fsType {fs:#06x}) forbid embedding",
                            hint="use a font that allows embedding and subsetting")
        rec["ttf"] = str(ttf)
        rec["ttf_index"] = ttf_index
        rec["kind"] = kind
        _store_metrics(cache, rec)

    if key is None:
        key = rec["ps"]
        own_dirs = {d.resolve() for d in (font_dir(), cache_dir()) if d.exists()}
        if rec["kind"] != "cff" and p.parent not in own_dirs:
            # A user TrueType keeps its file; a derived key keeps two files with the same PS name
            # apart in ReportLab's registry (print.md §2.1 pitfall). Converted copies already
            # carry a unique PS name.
            key = f"{key}-{hashlib.sha1(f'{p}#{index}'.encode()).hexdigest()[:8]}"
    ttf = Path(rec["ttf"])
    face = Face(
        key=key,
        path=ttf,
        index=rec["ttf_index"],
        widths=rec["widths"],
        ascent=rec["ascent"],
        descent=rec["descent"],
        ideo_bottom=rec["ideo_bottom"],
        ideo_top=rec["ideo_top"],
        icf_bottom=rec["icf_bottom"],
        icf_top=rec["icf_top"],
        glyph_count=rec["glyphs"],
        source=p if ttf != p else None,
        ink={int(k): tuple(v) for k, v in rec.get("ink", {}).items()},
    )
    _FACES[memo] = face
    return face


def clear_caches() -> None:
    """Forget faces loaded in this process (the on-disk caches stay)."""
    _FACES.clear()


# --------------------------------------------------------------------------------------------
# System fallback fonts

_SYSTEM_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                Path.home() / ".fonts", Path.home() / ".local/share/fonts")
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def _system_priority(path: str, ps: str) -> tuple:
    ps_l, name = ps.lower(), Path(path).name.lower()
    return (
        0 if "cjksc" in ps_l or "sc-" in ps_l else 1,  # simplified Chinese forms first
        0 if "serif" in (ps_l + name) else 1,  # body text is 宋: serif first
        0 if "regular" in (ps_l + name) else 1,
        name,
    )


def system_cjk_fonts() -> list[tuple[Path, int]]:
    """Return installed CJK fonts as (file, face index), best fallback for Chinese first."""
    import subprocess  # only when system fonts are asked for (not on a render's path)

    found: list[tuple[str, int, str]] = []
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(
                ["fc-list", "-f", "%{file}\t%{index}\t%{postscriptname}\n", ":lang=zh-cn"],
                capture_output=True, text=True, timeout=20, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[0].lower().endswith(_FONT_SUFFIXES):
                try:
                    found.append((parts[0], int(parts[1] or 0), parts[2]))
                except ValueError:
                    continue
    if not found:
        for d in _SYSTEM_DIRS:
            if not d.is_dir():
                continue
            for f in d.rglob("*"):
                n = f.name
                if n.lower().endswith(_FONT_SUFFIXES) and (
                        "CJK" in n or n.startswith(("NotoSerifCJK", "NotoSansCJK"))):
                    idx = 2 if n.lower().endswith((".ttc", ".otc")) and "CJK" in n else 0
                    found.append((str(f), idx, n.replace("CJK", "CJKsc") if idx == 2 else n))
    # fontconfig lists variable instances and other styles too; one entry per (file, index)
    seen: dict[tuple[str, int], str] = {}
    for path, idx, ps in found:
        seen.setdefault((path, idx), ps)
    ordered = sorted(seen.items(), key=lambda kv: _system_priority(kv[0][0], kv[1]))
    return [(Path(p), i) for (p, i), _ in ordered]


_CMAPS: dict[tuple[str, int], frozenset[int]] = {}


def _cmap_of(path: Path, index: int) -> frozenset[int]:
    """Return the code points of a face without converting it (cached per process)."""
    k = (str(path), index)
    if k not in _CMAPS:
        from fontTools.ttLib import TTFont

        try:
            _CMAPS[k] = frozenset(TTFont(str(path), fontNumber=index, lazy=True).getBestCmap())
        except Exception as exc:  # noqa: BLE001 - any unreadable system font is just skipped
            logger.debug("skipping unreadable system font %s#%d: %s", path, index, exc)
            _CMAPS[k] = frozenset()
    return _CMAPS[k]


# --------------------------------------------------------------------------------------------
# Font sets


class FontSet:
    """Roles → faces, with optional fallback faces."""

    def __init__(
        self,
        overrides: Mapping[str, tuple[str | Path, int]] | None = None,
        fallbacks: Sequence[tuple[str | Path, int]] = (),
        system_fallback: bool = False,
    ) -> None:
        self._files: dict[str, tuple[Path, int]] = {
            r: (font_dir() / BUNDLED[r], 0) for r in ROLES}
        for name, (path, index) in (overrides or {}).items():
            self._files[canonical_role(name)] = (Path(path), int(index))
        self._fallback_files = [(Path(p), int(i)) for p, i in fallbacks]
        self._fallbacks: list[Face] | None = None
        self.system_fallback = system_fallback
        self._faces: dict[str, Face] = {}
        self._system_chars: dict[tuple[Path, int], set[int]] = {}
        self._system_faces: dict[tuple[Path, int], Face] = {}
        self._system_fonts: list[tuple[Path, int]] | None = None

    def file(self, role: str) -> tuple[Path, int]:
        """Return the (file, index) configured for a role."""
        return self._files[canonical_role(role)]

    def face(self, role: str) -> Face:
        """Return the face of a role (or alias), loading it on first use."""
        role = canonical_role(role)
        face = self._faces.get(role)
        if face is None:
            path, index = self._files[role]
            if not path.exists() and path.parent == font_dir() and path.name == BUNDLED[role]:
                raise FontError(
                    f"bundled font for role {ROLE_LABELS[role]} is missing: {path}",
                    hint="set PAIBAN_FONT_DIR to the folder holding the Paiban*.ttf files, "
                    "or rebuild them with `python tools/build_fonts.py`",
                )
            face = self._faces[role] = load_face(path, index)
        return face

    def roles(self) -> list[str]:
        """Return the canonical roles, in table order."""
        return list(ROLES)

    def fallbacks(self) -> list[Face]:
        """Return the configured fallback faces (loaded on first use)."""
        if self._fallbacks is None:
            self._fallbacks = [load_face(p, i) for p, i in self._fallback_files]
        return self._fallbacks

    def prepare(self, chars: Iterable[str]) -> None:
        """Make system fallback faces for all ``chars`` at once (one subset + conversion per font)."""
        if not self.system_fallback:
            return
        todo = {ord(c) for c in chars
                if not any(f.covers(c) for f in self.fallbacks())}
        if not todo:
            return
        if self._system_fonts is None:
            self._system_fonts = system_cjk_fonts()
        for path, index in self._system_fonts:
            if not todo:
                break
            have = _cmap_of(path, index) & todo
            if not have:
                continue
            k = (path, index)
            want = self._system_chars.setdefault(k, set())
            if not have <= want:
                want |= have
                self._system_faces.pop(k, None)
            todo -= have

    def _system_face(self, k: tuple[Path, int]) -> Face | None:
        face = self._system_faces.get(k)
        if face is None:
            path, index = k
            chars = sorted(self._system_chars[k])
            kind, _ = _sniff(path, index)
            try:
                if kind == "cff":
                    # Never convert a whole system CFF (~3 min, 0.9 GB): subset the needed
                    # characters first, cached by (file hash, characters).
                    tag = hashlib.sha1(",".join(map(str, chars)).encode()).hexdigest()[:12]
                    ttf, _ = _convert_cff(path, index, unicodes=chars, tag=tag)
                    face = load_face(ttf, 0)
                else:
                    face = load_face(path, index)
            except FontError as exc:
                logger.warning("system fallback font %s unusable: %s", path, exc)
                return None
            self._system_faces[k] = face
        return face

    def fallback_for(self, ch: str) -> Face | None:
        """Return the first fallback face covering ``ch`` (configured first, then system)."""
        for face in self.fallbacks():
            if face.covers(ch):
                return face
        if not self.system_fallback:
            return None
        cp = ord(ch)
        if not any(cp in s for s in self._system_chars.values()):
            self.prepare(ch)
        for k, s in self._system_chars.items():
            if cp in s:
                face = self._system_face(k)
                if face is not None and face.covers(ch):
                    return face
        return None


# --------------------------------------------------------------------------------------------
# Coverage


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf"})
"""Unicode general categories that draw no glyph of their own: controls and format characters
(ZWJ, soft hyphen, BOM). Not Cn: a code point unassigned in this Python's tables may be assigned
since (CJK Ext. H and I are Unicode 15, Python 3.11 has 14), and a name printed without it is
wrong (issue 18). Not Co (private use) nor Cs: both need a glyph like any letter."""


def _ignorable(ch: str) -> bool:
    """True only for known-invisible characters: whitespace, Cc, Cf and variation selectors."""
    if ch.isspace():
        return True
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True
    return unicodedata.category(ch) in INVISIBLE_CATEGORIES


MAX_GLYPH_COORD_EM = 16
"""Largest outline coordinate accepted, in ems: beyond it a glyph is garbage, not a design."""

_CHECKED_GLYPHS: dict[tuple, set[int]] = {}
"""Code points whose glyphs were found sound, per user face file (path, mtime, size, index)."""


def _trusted(face: Face) -> bool:
    """Bundled faces and our own converted copies are checked when they are built."""
    try:
        folder = Path(face.path).resolve().parent
    except OSError:
        return False
    return folder == font_dir().resolve() or cache_dir().resolve() in (folder, *folder.parents)


def _glyph_problem(glyf, name: str, upm: int, ch: str, depth: int = 0) -> str | None:
    """Why one glyph cannot be drawn, or None: undecodable, coordinates far off, or blank."""
    if depth > 8:
        return "its components nest too deep"
    glyph = glyf[name]  # decompiles it; garbage raises
    if glyph.isComposite():
        for comp in glyph.components:
            problem = _glyph_problem(glyf, comp.glyphName, upm, ch, depth + 1)
            if problem:
                return problem
        return None
    if glyph.numberOfContours == 0:
        blank = depth == 0 and unicodedata.category(ch)[0] in "LNPS"
        return "it is empty (would print nothing)" if blank else None
    coords, ends = glyph.coordinates, glyph.endPtsOfContours
    if list(ends) != sorted(ends) or (ends and ends[-1] >= len(coords)):
        return "its contours are inconsistent"
    limit = MAX_GLYPH_COORD_EM * upm
    if any(abs(x) > limit or abs(y) > limit for x, y in coords):
        return f"its outline reaches beyond {MAX_GLYPH_COORD_EM} em"
    return None


def check_glyphs(face: Face, chars: Iterable[str]) -> None:
    """Raise ``FontError`` if a user face is damaged where ``chars`` need it (a bad hhea, a glyph
    that cannot be decoded or is blank); bundled faces are trusted."""
    if _trusted(face):
        return
    try:
        st = Path(face.path).stat()
    except OSError:
        return  # load_face has reported it
    done = _CHECKED_GLYPHS.setdefault(
        (str(face.path), st.st_mtime_ns, st.st_size, face.index), set()
    )
    todo = sorted({ord(c) for c in chars if ord(c) in face.widths} - done)
    if not todo:
        return
    name = Path(face.source or face.path).name
    hint = "use an undamaged copy of the font (the file may be truncated or corrupted)"
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
        upm = font["head"].unitsPerEm
        glyphs = font["maxp"].numGlyphs
        metrics = font["hhea"].numberOfHMetrics
        if not 16 <= upm <= 16384:
            raise FontError(f"font {name} is damaged: unitsPerEm is {upm}", hint=hint)
        if not 1 <= metrics <= glyphs:
            raise FontError(
                f"font {name} is damaged: its hhea table claims {metrics} horizontal metrics "
                f"for {glyphs} glyphs",
                hint=hint,
            )
        cmap = font.getBestCmap() or {}
        glyf = font["glyf"] if "glyf" in font else None
        for cp in todo:
            gname = cmap.get(cp)
            if glyf is None or gname is None:
                continue
            try:
                problem = _glyph_problem(glyf, gname, upm, chr(cp))
            except Exception as exc:  # noqa: BLE001 - fontTools fails in many ways on garbage
                problem = f"it cannot be decoded ({type(exc).__name__}: {str(exc)[:60]})"
            if problem:
                raise FontError(
                    f"font {name} is damaged: the glyph of {chr(cp)} ({_codepoint(chr(cp))}) "
                    f"{problem.removeprefix('it ')}",
                    hint=hint,
                )
            done.add(cp)
    except FontError:
        raise
    except Exception as exc:  # noqa: BLE001 - a table fontTools cannot read at all
        raise FontError(
            f"font {name} is damaged: {type(exc).__name__}: {str(exc)[:120]}", hint=hint
        ) from None


@dataclass(frozen=True)
class Missing:
    """A character that no face (role or fallback) can draw."""

    char: str
    codepoint: str
    role: str
    context: str
    face: str

    @property
    def message(self) -> str:
        """One line for the user."""
        return (f"character {self.char} ({self.codepoint}) in {self.context} has no glyph in "
                f"role {ROLE_LABELS.get(self.role, self.role)} ({self.face})")


@dataclass(frozen=True)
class Fallback:
    """A character the role's face lacks that a fallback face draws instead."""

    char: str
    codepoint: str
    role: str
    context: str
    face: str
    fallback: str

    @property
    def message(self) -> str:
        """One line for the user."""
        return (f"character {self.char} ({self.codepoint}) in {self.context} has no glyph in "
                f"role {ROLE_LABELS.get(self.role, self.role)} ({self.face}); "
                f"drawn with fallback {self.fallback}")


def coverage(fontset: FontSet, uses: Iterable[tuple[str, str, str]]
             ) -> tuple[list[Missing], list[Fallback]]:
    """Check every character of ``uses`` (text, role, context) against its role's face."""
    gaps: dict[tuple[str, str, str], Face] = {}  # (char, role, context) → role face
    drawn: dict[int, tuple[Face, set[str]]] = {}  # id(face) → (face, characters it draws)
    for text, role, context in uses:
        role = canonical_role(role)
        face = fontset.face(role)
        widths = face.widths  # ``face.covers`` of one character, without a call per character
        for ch in text:
            if ord(ch) not in widths and not _ignorable(ch):
                gaps.setdefault((ch, role, context), face)
        drawn.setdefault(id(face), (face, set()))[1].update(text)
    if fontset.system_fallback:
        fontset.prepare({ch for ch, _, _ in gaps})
    missing: list[Missing] = []
    fallbacks: list[Fallback] = []
    for (ch, role, context), face in gaps.items():
        fb = fontset.fallback_for(ch)
        if fb is None:
            missing.append(Missing(ch, _codepoint(ch), role, context, face.key))
        else:
            fallbacks.append(Fallback(ch, _codepoint(ch), role, context, face.key, fb.key))
            drawn.setdefault(id(fb), (fb, set()))[1].add(ch)
    for face, chars in drawn.values():  # a damaged user font must not print blanks silently
        check_glyphs(face, chars)
    return missing, fallbacks


def log_coverage(missing: Iterable[Missing], fallbacks: Iterable[Fallback]) -> None:
    """Send one warning per record through the ``paiban`` logger (never silent, GUIDE §Errors)."""
    for rec in fallbacks:
        logger.warning(rec.message)
    for rec in missing:
        logger.warning(rec.message)


def describe(fontset: FontSet, uses: Iterable[tuple[str, str, str]] | None = None) -> list[dict]:
    """Return one row per role for a `paiban fonts [ISSUE]` table."""
    used: dict[str, set[str]] = {r: set() for r in ROLES}
    missing: dict[str, set[str]] = {r: set() for r in ROLES}
    fell_back: dict[str, set[str]] = {r: set() for r in ROLES}
    if uses is not None:
        uses = list(uses)
        for text, role, _ in uses:
            used[canonical_role(role)].update(c for c in text if not _ignorable(c))
        miss, fbs = coverage(fontset, uses)
        for m in miss:
            missing[m.role].add(m.char)
        for f in fbs:
            fell_back[f.role].add(f.char)
    rows = []
    for role in ROLES:
        path, index = fontset.file(role)
        row: dict = {
            "role": role,
            "label": ROLE_LABELS[role],
            "aliases": sorted(a for a, r in ROLE_ALIASES.items() if r == role and a != role),
            "file": str(path),
            "index": index,
        }
        try:
            face = fontset.face(role)
            row.update(key=face.key, glyphs=face.glyph_count, chars=len(face.widths), error=None)
        except FontError as exc:
            row.update(key=None, glyphs=0, chars=0, error=str(exc))
        if uses is not None:
            row.update(
                used=len(used[role]),
                missing="".join(sorted(missing[role])),
                fallback="".join(sorted(fell_back[role])),
            )
        rows.append(row)
    return rows
