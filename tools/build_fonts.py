"""Rebuild the bundled TrueType fonts in ``fonts/`` from Debian's font packages (maintainer tool).

Owns the recipe for the committed font binaries: which Debian file and face each role comes from,
the subset character set (GB 2312 + 通用规范汉字表 + punctuation and symbols), the CFF → TrueType
conversion with fontTools cu2qu (see ``shared/reference/print.md`` §2.3), the renaming that keeps
ReportLab from merging faces and keeps clear of the OFL Reserved Font Names, and deterministic
output. It is not an install step: users get the committed files.

    python tools/build_fonts.py            # all six faces, 2 worker processes
    python tools/build_fonts.py --only PaibanKai-Regular --jobs 1

Needs the Debian packages fonts-noto-cjk, fonts-noto-cjk-extra and fonts-lxgw-wenkai.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layout.fonts import cff_to_glyf

OUT_DIR = ROOT / "fonts"
TONGYONG_FILE = Path(__file__).resolve().parent / "data" / "tongyong_8105.txt"

NOTO = Path("/usr/share/fonts/opentype/noto")
LXGW = Path("/usr/share/fonts/truetype/lxgw-wenkai")
SC_INDEX = 2
"""Face order in Debian's Noto CJK .ttc files: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK (checked by name)."""

@dataclass(frozen=True)
class Spec:
    """One output face: where it comes from and what it is called."""

    out: str  # file stem == PostScript name
    role: str
    source: Path
    index: int
    expect_ps: str  # PostScript name of the source face, checked before building
    family: str  # name ID 1 (RIBBI family)
    subfamily: str  # name ID 2
    typo_family: str  # name ID 16
    typo_subfamily: str  # name ID 17
    package: str


SPECS: tuple[Spec, ...] = (
    Spec("PaibanSerifSC-Regular", "宋", NOTO / "NotoSerifCJK-Regular.ttc", SC_INDEX,
         "NotoSerifCJKsc-Regular", "Paiban Serif SC", "Regular", "Paiban Serif SC", "Regular",
         "fonts-noto-cjk"),
    Spec("PaibanSerifSC-Bold", "标宋", NOTO / "NotoSerifCJK-Bold.ttc", SC_INDEX,
         "NotoSerifCJKsc-Bold", "Paiban Serif SC", "Bold", "Paiban Serif SC", "Bold",
         "fonts-noto-cjk"),
    Spec("PaibanSerifSC-Heavy", "大标宋", NOTO / "NotoSerifCJK-Black.ttc", SC_INDEX,
         "NotoSerifCJKsc-Black", "Paiban Serif SC Heavy", "Regular", "Paiban Serif SC", "Heavy",
         "fonts-noto-cjk-extra"),
    Spec("PaibanSansSC-Regular", "黑", NOTO / "NotoSansCJK-Regular.ttc", SC_INDEX,
         "NotoSansCJKsc-Regular", "Paiban Sans SC", "Regular", "Paiban Sans SC", "Regular",
         "fonts-noto-cjk"),
    Spec("PaibanSansSC-Bold", "粗黑", NOTO / "NotoSansCJK-Bold.ttc", SC_INDEX,
         "NotoSansCJKsc-Bold", "Paiban Sans SC", "Bold", "Paiban Sans SC", "Bold",
         "fonts-noto-cjk"),
    Spec("PaibanKai-Regular", "楷", LXGW / "LXGWWenKai-Regular.ttf", 0,
         "LXGWWenKai-Regular", "Paiban Kai", "Regular", "Paiban Kai", "Regular",
         "fonts-lxgw-wenkai"),
)

# Name IDs we replace (family, style, unique ID, full name, PS name, typographic names, WWS names,
# variations PS prefix): the source values carry Reserved Font Names ("Source" for Noto CJK via
# Adobe, "霞鹜"/"LXGW" for WenKai), which OFL §3 forbids in a Modified Version.
REPLACED_NAME_IDS = frozenset({1, 2, 3, 4, 6, 16, 17, 18, 20, 21, 22, 25})


def gb2312_chars() -> list[str]:
    """Return every character of GB 2312 (rows 0xA1–0xF7, cells 0xA1–0xFE), in code order."""
    chars = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def tongyong_chars(path: Path = TONGYONG_FILE) -> list[str]:
    """Return the 8105 characters of 通用规范汉字表 in official order."""
    chars = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            chars.append(line.split("\t")[3])
    return chars


# Ranges (inclusive) of the subset besides GB 2312 and 通用规范汉字表.
EXTRA_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0020, 0x00FF, "ASCII and Latin-1"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics (①–⑳ …)"),
    (0x25A0, 0x25FF, "Geometric Shapes"),
    (0x2600, 0x2606, "☀–★☆"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0xFE10, 0xFE19, "Vertical Forms"),
    (0xFE30, 0xFE4F, "CJK Compatibility Forms (vertical)"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)
EXTRA_SYMBOLS = "●■▲★◆□○※@№℃%‰"


def subset_codepoints() -> set[int]:
    """Return the code points every bundled face is subset to (those it has)."""
    cps = {ord(c) for c in gb2312_chars()}
    cps |= {ord(c) for c in tongyong_chars()}
    for lo, hi, _ in EXTRA_RANGES:
        cps.update(range(lo, hi + 1))
    cps |= {ord(c) for c in EXTRA_SYMBOLS}
    return cps


def _subset(spec: Spec, unicodes: set[int]):
    from fontTools import subset

    opts = subset.Options()
    opts.font_number = spec.index
    opts.layout_features = []
    opts.hinting = False
    opts.desubroutinize = True  # outlines are redrawn as quadratics anyway
    opts.name_IDs = ["*"]  # keep copyright (0), trademark, designer, licence (13/14) …
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.recalc_timestamp = False
    opts.recalc_bounds = True
    font = subset.load_font(str(spec.source), opts, lazy=False)
    got = font["name"].getDebugName(6)
    if got != spec.expect_ps:
        raise SystemExit(f"{spec.source}#{spec.index}: PS name {got!r}, expected {spec.expect_ps!r}")
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    return font


def rename(font, spec: Spec) -> None:
    """Give the face its own family/PS names; keep copyright, trademark and licence records."""
    name = font["name"]
    name.names = [r for r in name.names if r.nameID not in REPLACED_NAME_IDS]
    version = font["head"].fontRevision
    full = spec.typo_family if spec.typo_subfamily == "Regular" else \
        f"{spec.typo_family} {spec.typo_subfamily}"
    values = {
        1: spec.family,
        2: spec.subfamily,
        3: f"{version:.3f};PAIBAN;{spec.out}",
        4: full,
        6: spec.out,
        16: spec.typo_family,
        17: spec.typo_subfamily,
    }
    for nid, text in values.items():
        name.setName(text, nid, 3, 1, 0x409)
    ver = name.getName(5, 3, 1, 0x409)
    if ver is not None and "paiban subset" not in str(ver):
        name.setName(f"{ver}; paiban subset", 5, 3, 1, 0x409)
    # Mac-platform records of the replaced IDs were dropped above; drop the rest for consistency.
    name.names = [r for r in name.names if r.platformID == 3]
    name.names.sort(key=lambda r: (r.platformID, r.platEncID, r.langID, r.nameID))


def build_one(spec: Spec, out_dir: Path) -> dict:
    """Build one face; return a summary row for fonts/README.md."""
    t0 = time.perf_counter()
    unicodes = subset_codepoints()
    font = _subset(spec, unicodes)
    t1 = time.perf_counter()
    was_cff = "CFF " in font
    if was_cff:
        cff_to_glyf(font)
    fs_type = font["OS/2"].fsType  # licensing flags are left exactly as the source has them
    rename(font, spec)
    font.recalcTimestamp = False  # keep head.modified from the source: same input, same bytes
    font.recalcBBoxes = True
    out = out_dir / f"{spec.out}.ttf"
    tmp = out.with_suffix(".ttf.tmp")
    font.save(str(tmp))
    os.replace(tmp, out)
    t2 = time.perf_counter()
    data = out.read_bytes()
    return {
        "out": out.name,
        "role": spec.role,
        "source": f"{spec.source.name}" + (f" #{spec.index}" if spec.index else ""),
        "source_ps": spec.expect_ps,
        "package": spec.package,
        "glyphs": len(font.getGlyphOrder()),
        "cmap": len(font.getBestCmap()),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest()[:16],
        "fsType": fs_type,
        "converted": was_cff,
        "seconds": round(t2 - t0, 1),
        "subset_s": round(t1 - t0, 1),
    }


def verify(out_dir: Path) -> None:
    """Check coverage and that ReportLab accepts every file (raises on failure)."""
    from fontTools.ttLib import TTFont
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    need_body = {ord(c) for c in gb2312_chars()} | {ord(c) for c in tongyong_chars()}
    ps_names = set()
    for spec in SPECS:
        path = out_dir / f"{spec.out}.ttf"
        f = TTFont(str(path), lazy=True)
        cmap = f.getBestCmap()
        missing = need_body - set(cmap)
        ps = f["name"].getDebugName(6)
        assert ps == spec.out and ps not in ps_names, ps
        ps_names.add(ps)
        RLFont(spec.out, str(path))
        print(f"  {path.name}: ReportLab ok; lacks {len(missing)} of GB 2312 ∪ 通用规范汉字表"
              + (f" e.g. {''.join(chr(c) for c in sorted(missing)[:10])}" if missing else ""))
        if spec.role == "宋":
            assert not missing, "body face must cover GB 2312 and all 8105 通用规范汉字"


def main(argv: list[str] | None = None) -> int:
    """Build the faces (in parallel), verify them and print a summary table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", action="append", help="output stem(s) to build, e.g. PaibanKai-Regular")
    args = ap.parse_args(argv)
    specs = [s for s in SPECS if not args.only or s.out in args.only]
    for s in specs:
        if not s.source.exists():
            print(f"missing {s.source}: apt-get install {s.package}", file=sys.stderr)
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futs = {pool.submit(build_one, s, args.out): s for s in specs}
        for fut in as_completed(futs):
            row = fut.result()
            rows.append(row)
            print(f"built {row['out']}: {row['glyphs']} glyphs, {row['cmap']} chars, "
                  f"{row['bytes'] / 1e6:.2f} MB in {row['seconds']} s", flush=True)
    rows.sort(key=lambda r: [s.out for s in SPECS].index(r["out"][:-4]))
    print("| file | role | glyphs | chars | MB | sha256[:16] |")
    for r in rows:
        print(f"| {r['out']} | {r['role']} | {r['glyphs']} | {r['cmap']} | "
              f"{r['bytes'] / 1e6:.2f} | {r['sha256']} |")
    if not args.only:
        verify(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
