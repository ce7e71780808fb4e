"""Benchmark: how long loading the six font roles takes, and what the bundled fonts weigh.

Measures (median of N runs after a warm-up):

* cold process, metrics cache filled: a fresh ``python -c`` that imports ``layout.fonts`` and
  loads every role (what each ``paiban`` command pays);
* cold process, empty cache: the first run on a machine (reads cmap/hmtx/OS/2/BASE with fontTools);
* in process: reloading from the on-disk metrics cache after ``clear_caches()``, and the memo hit;
* embedding (issue 19): page 05's characters per face, the CID font subsets cut from the faces
  (``pdf.sfnt``), the same read back from the cache, the subset sizes, and for comparison
  ``fontTools.subset`` on the body face (import and subsetting).

    python bench/bench_fonts.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layout import fonts

CHILD = (
    "import time; t0 = time.perf_counter()\n"
    "from layout.fonts import FontSet\n"
    "t1 = time.perf_counter()\n"
    "fs = FontSet(); [fs.face(r) for r in fs.roles()]\n"
    "t2 = time.perf_counter()\n"
    "print(t1 - t0, t2 - t1)\n"
)


def _child(cache: str) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PAIBAN_CACHE_DIR=cache)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split()
    wall = time.perf_counter() - t
    return float(out[0]) + float(out[1]), wall


def main() -> None:
    """Run the measurements and print a table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    n = max(5, ap.parse_args().runs)
    rows: list[tuple[str, float, str]] = []

    with tempfile.TemporaryDirectory() as tmp:
        warm_cache = str(Path(tmp) / "warm")
        _child(warm_cache)  # warm-up: fills the metrics cache and the OS file cache
        warm = [_child(warm_cache) for _ in range(n)]
        cold = [_child(str(Path(tmp) / f"empty{i}")) for i in range(n)]
        rows.append(("cold process, cache filled: import + load 6 roles",
                     statistics.median(w[0] for w in warm) * 1e3, "ms"))
        rows.append(("cold process, cache filled: whole interpreter wall",
                     statistics.median(w[1] for w in warm) * 1e3, "ms"))
        rows.append(("cold process, empty cache: import + load 6 roles",
                     statistics.median(c[0] for c in cold) * 1e3, "ms"))

        os.environ["PAIBAN_CACHE_DIR"] = warm_cache
        times, memo = [], []
        for _ in range(n):
            fonts.clear_caches()
            t = time.perf_counter()
            fs = fonts.FontSet()
            faces = [fs.face(r) for r in fs.roles()]
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            fs2 = fonts.FontSet()
            [fs2.face(r) for r in fs2.roles()]
            memo.append(time.perf_counter() - t)
        rows.append(("in process, from metrics cache (clear_caches)",
                     statistics.median(times) * 1e3, "ms"))
        rows.append(("in process, memo hit (new FontSet)", statistics.median(memo) * 1e3, "ms"))

    emb = embedding(n)
    rows += emb["rows"]

    d = fonts.font_dir()
    size = sum(f.stat().st_size for f in d.iterdir() if f.is_file())
    width = max(len(r[0]) for r in rows) + 2
    print(f"font loading, median of {n} runs (python {sys.version.split()[0]})")
    for label, value, unit in rows:
        print(f"  {label:<{width}}{value:8.1f} {unit}")
    print(f"\nbundled fonts in {d}: {size / 1e6:.1f} MB")
    print(f"  {'role':<12}{'key':<24}{'glyphs':>8}{'chars':>8}{'MB':>7}")
    for role, face in zip(fonts.ROLES, faces):
        print(f"  {fonts.ROLE_LABELS[role] + ' ' + role:<12}{face.key:<24}{face.glyph_count:>8}"
              f"{len(face.widths):>8}{face.path.stat().st_size / 1e6:>7.2f}")
    print("\npage 05's embedded subsets (one CID font per face)")
    print(f"  {'face':<26}{'chars':>7}{'program kB':>12}{'deflated kB':>13}")
    for key, (chars, raw, packed) in sorted(emb["sizes"].items()):
        print(f"  {key:<26}{chars:>7}{raw / 1e3:>12.1f}{packed / 1e3:>13.1f}")


def embedding(n: int) -> dict:
    """Time cutting page 05's font subsets (ours and fontTools'); return rows and sizes."""
    import shutil
    import zlib

    from layout import api, cache
    from layout.frames import GlyphRun, TextLine
    from layout.pdf import cidfont
    from layout.pdf.sfnt import TrueTypeFace

    page05 = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"
    result = api.layout(api.load_issue(page05))
    faces = api.faces_of(result)
    chars: dict[str, set[str]] = {}
    for item in result.page.root.walk():
        runs = item.runs if isinstance(item, TextLine) else (item,) if isinstance(item, GlyphRun) else ()
        for run in runs:
            chars.setdefault(run.font, set()).update(run.text)
    plans = cidfont.embed(faces, chars)

    def cut():
        cidfont.clear_memo()
        return {k: TrueTypeFace(str(f.path), f.index).subset(p.gids) for k, (f, p) in
                ((k, (faces[k], plans[k])) for k in plans)}

    def from_cache():
        cidfont.clear_memo()
        return [p.program() for p in plans.values()]

    t = [0.0] * n
    for i in range(n):
        s = time.perf_counter()
        programs = cut()
        t[i] = time.perf_counter() - s
    rows = [("page 05: cut 6 CID subsets (pdf.sfnt)", statistics.median(t) * 1e3, "ms")]
    shutil.rmtree(cache.cache_dir(cidfont.CACHE_KIND), ignore_errors=True)
    from_cache()  # fills the cache
    t = []
    for _ in range(n):
        s = time.perf_counter()
        from_cache()
        t.append(time.perf_counter() - s)
    rows.append(("page 05: 6 subsets from the cache (memo empty)", statistics.median(t) * 1e3, "ms"))
    try:
        s = time.perf_counter()
        from fontTools import subset as ft_subset
        from fontTools.ttLib import TTFont
        imp = time.perf_counter() - s
        body = next(k for k in plans if "SerifSC-Regular" in k)
        gids = plans[body].gids
        t = []
        for _ in range(n):
            s = time.perf_counter()
            font = TTFont(str(faces[body].path), lazy=True, recalcBBoxes=False)
            opts = ft_subset.Options()
            opts.layout_features, opts.hinting, opts.notdef_outline = [], True, True
            opts.recalc_timestamp, opts.recalc_bounds, opts.glyph_names = False, False, False
            opts.prune_unicode_ranges = opts.prune_codepage_ranges = False
            opts.drop_tables += ["cmap", "GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "name"]
            sub = ft_subset.Subsetter(opts)
            sub.populate(gids=gids)
            sub.subset(font)
            font.save(__import__("io").BytesIO())
            t.append(time.perf_counter() - s)
        rows.append(("fontTools.subset import (for comparison)", imp * 1e3, "ms"))
        rows.append((f"fontTools.subset, body face ({len(gids)} glyphs)", statistics.median(t) * 1e3, "ms"))
    except ImportError:
        pass
    sizes = {k: (len(plans[k].chars), len(v), len(zlib.compress(v, cidfont.FONT_COMPRESSION)))
             for k, v in programs.items()}
    return {"rows": rows, "sizes": sizes}


if __name__ == "__main__":
    main()
