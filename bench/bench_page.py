"""Benchmark: page 05 end to end and stage by stage, against the targets of issue 19.

Measures (median, min, max of ``--runs`` after one warm-up; never fewer than 5):

* in-process stages, in a process that has already rendered page 05 once: loading the
  description, fonts (from the on-disk metrics cache, as every new process does), page
  composition (photo files known) and its line composition share (all ``text.compose``/
  ``set_line``/``compose_vertical`` calls), page composition with the in-process photo memo
  empty, photo preparation uncached (``images.prepare_print`` for each photo of the page),
  the print policy pass, PDF writing with the process's memos warm / empty (font subsets and
  prepared photos from the disk cache, as every new process does) / with the font subsets
  cut again, print finishing, write + finish (what ``render_pdf_bytes`` costs), preflight,
  the atomic write and a warm ``api.render``;
* whole process: ``paiban render page05.yaml -o tmp.pdf`` with the caches warm and with a
  private, empty photo cache (new photos), each with its own peak RSS and CPU seconds
  (``os.wait4``);
* re-render: load + layout + render_pdf_bytes after one character of ``lead.md`` changed, in
  a process that has rendered the page before (the watch/API path);
* baselines in the same run, alternating with the paiban runs, so results are read as ratios:
  ``python -c "import reportlab"`` (interpreter + ReportLab import), a *ReportLab floor* (a
  fresh process that registers the same TTF faces and draws the very same glyph runs and the
  original JPEGs with ``canvas``: no composition, colour conversion, finishing or preflight)
  and, when the ``typst`` package is installed (``pip install -e '.[bench]'``), *Typst*: a
  fresh process compiling page 05's text (``bench/texts/zhuzhou_p05.txt``) set in the bundled
  body face on a broadsheet page of eight justified columns, with the title in the bold face.

    python bench/bench_page.py [--runs 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchlib import (
    PAGE05,
    ROOT,
    Stat,
    copy_page_folder,
    interleaved,
    load_average,
    paiban_cmd,
    timed,
    verdict,
)

sys.path.insert(0, str(ROOT))

TARGETS = {
    "whole_process_s": 0.30,
    "whole_process_bytecode_s": 0.30,
    "ratio_to_typst": 2.3,
    "ratio_to_typst_bytecode": 2.3,
    "peak_rss_mib": 150.0,
    "whole_process_cold_photos_s": 0.9,
    "rerender_s": 0.08,
}
"""Issue 19's acceptance figures (the Typst ratio only when Typst is installed)."""

TYPST_CHILD = r"""
import sys, typst
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]],
              ignore_system_fonts=sys.argv[4] == "bundled")
"""
"""Typst as a user runs it (the bundled fonts added to the system's), or with the bundled fonts
only (``bundled``: no font discovery, its fastest)."""


def typst_source() -> str:
    """Page 05's text as a Typst document: broadsheet, eight justified columns of 9 pt body."""
    text = (ROOT / "bench" / "texts" / "zhuzhou_p05.txt").read_text(encoding="utf-8")
    paras = [p.strip() for p in text.splitlines() if p.strip()]
    esc = [p.replace("\\", "\\\\").replace("#", "\\#").replace("*", "\\*").replace("_", "\\_")
           .replace("@", "\\@").replace("$", "\\$").replace("<", "\\<").replace("`", "\\`")
           for p in paras]
    head = (
        '#set page(width: 390mm, height: 550mm, margin: (x: 19mm, y: 24mm), columns: 8)\n'
        '#set columns(gutter: 9pt)\n'
        '#set text(font: "Paiban Serif SC", size: 9pt, lang: "zh", region: "cn")\n'
        '#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 4.05pt)\n'
        '#place(top, scope: "parent", float: true, text(font: "Paiban Serif SC", weight: 900, size: 42pt, '
        f'[{esc[0]}]))\n'
    )
    return head + "\n\n".join(esc[1:]) + "\n"


def typst_available() -> bool:
    """True when the ``typst`` Python package (the bench extra) can be imported."""
    import importlib.util

    return importlib.util.find_spec("typst") is not None

FLOOR_CHILD = r"""
import json, sys
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
spec = json.load(open(sys.argv[1], encoding="utf-8"))
for key, (path, index) in spec["fonts"].items():
    pdfmetrics.registerFont(TTFont(key, path, subfontIndex=index))
W, H = spec["size"]
c = canvas.Canvas(sys.argv[2], pagesize=(W, H), invariant=1, pageCompression=1)
for font, size, x, y, text in spec["runs"]:
    t = c.beginText(); t.setFont(font, size); t.setTextOrigin(x, H - y); t.textOut(text); c.drawText(t)
for path, x, y, w, h in spec["images"]:
    c.drawImage(path, x, H - y - h, w, h)
c.showPage(); c.save()
"""


def _options():
    from layout.model import RenderOptions

    return RenderOptions()


def _walk(item):
    yield item
    for child in getattr(item, "items", ()) or ():
        yield from _walk(child)


def floor_spec(loaded, result) -> dict:
    """What the ReportLab floor draws: the page's faces, glyph runs and original photos."""
    from layout.api import faces_of
    from layout.frames import GlyphRun, Image, TextLine

    faces = faces_of(result)
    runs, images = [], []
    for item in _walk(result.page.root):
        if isinstance(item, TextLine):
            runs.extend((r.font, r.size, r.x, r.y, r.text) for r in item.runs)
        elif isinstance(item, GlyphRun):
            runs.append((item.font, item.size, item.x, item.y, item.text))
        elif isinstance(item, Image):
            images.append((item.path, item.x, item.y, item.w, item.h))
    return {"fonts": {k: (str(f.path), f.index) for k, f in faces.items()},
            "size": (result.page.width, result.page.height), "runs": runs, "images": images}


def _clear_photo_caches() -> None:
    """Empty the in-process photo memos and the ICC profile/transform caches (not the disk cache)."""
    from layout import api, images
    from layout.pdf import photos

    photos.clear_memo()
    api._SOURCES.clear()
    for name in ("_output_profile", "_srgb", "_transform", "_grey_lut"):
        fn = getattr(images, name, None)
        if hasattr(fn, "cache_clear"):
            fn.cache_clear()


def _clear_write_memos() -> None:
    """Forget the process's opened faces, font programs and prepared photos (a new process's
    state: everything comes from the disk cache)."""
    from layout.pdf import cidfont, photos

    cidfont.clear_memo()
    photos.clear_memo()


def _clear_subsets() -> None:
    """Forget font programs in memory and on disk, so the subsets are cut again."""
    import shutil

    from layout import cache
    from layout.pdf import cidfont

    cidfont.clear_memo()
    shutil.rmtree(cache.cache_dir(cidfont.CACHE_KIND), ignore_errors=True)


class _Accumulate:
    """Wrap module functions to add up their inclusive time (outermost calls only)."""

    def __init__(self, targets: list[tuple[object, str]]):
        self.targets = targets
        self.total = 0.0
        self.calls = 0
        self._depth = 0
        self._saved: list = []

    def __enter__(self):
        for mod, name in self.targets:
            orig = getattr(mod, name)
            self._saved.append((mod, name, orig))
            setattr(mod, name, self._wrap(orig))
        return self

    def _wrap(self, fn):
        def inner(*a, **kw):
            if self._depth:
                return fn(*a, **kw)
            self._depth += 1
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.total += time.perf_counter() - t
                self.calls += 1
                self._depth -= 1
        return inner

    def __exit__(self, *exc):
        for mod, name, orig in reversed(self._saved):
            setattr(mod, name, orig)


def in_process(runs: int) -> tuple[dict, object, object]:
    """Time the in-process stages; return rows and the loaded issue + layout of page 05."""
    from layout import api, fonts, text
    from layout import images as IM
    from layout.frames import Image
    from layout.model import load_issue
    from layout.pdf import policy
    from layout.pdf.finish import finish_pdf
    from layout.pdf.preflight import preflight
    from layout.pdf.writer import write_pdf

    opts = _options()
    rows: dict[str, Stat] = {}
    t0 = time.perf_counter()
    api.render(PAGE05, Path(tempfile.gettempdir()) / "bench-page05-first.pdf", opts)
    first = time.perf_counter() - t0

    rows["load description"], loaded = timed(lambda: load_issue(PAGE05), runs)

    def fonts_cold():
        fs = api.fontset_for(loaded)
        return [fs.face(r) for r in fs.roles()]

    rows["fonts (metrics cache on disk, memo empty)"], _ = timed(fonts_cold, runs, setup=fonts.clear_caches)
    fonts_cold()

    rows["page composition (photo files known)"], result = timed(lambda: api.layout(loaded, opts), runs)
    acc = _Accumulate([(text, "compose"), (text, "set_line"), (text, "compose_vertical")])
    line_times, calls = [], 0
    for i in range(runs + 1):
        acc.total, acc.calls = 0.0, 0
        with acc:
            api.layout(loaded, opts)
        if i:
            line_times.append(acc.total)
            calls = acc.calls
    rows[f"  of which line composition ({calls} calls)"] = Stat.of(line_times)

    rows["page composition, photo memo empty (disk cache as is)"], _ = timed(
        lambda: api.layout(loaded, opts), runs, setup=_clear_photo_caches)
    photos = [it for it in _walk(result.page.root) if isinstance(it, Image)]
    image_options = IM.ImageOptions(ink_limit=opts.ink_limit, profile=opts.profile, grayscale=opts.grayscale)
    rows[f"photo preparation, uncached ({len(photos)} × images.prepare_print)"], _ = timed(
        lambda: [IM.prepare_print(Path(p.path), p.crop, p.w, p.h, options=image_options) for p in photos],
        runs, setup=_clear_photo_caches)
    faces = api.faces_of(result)
    settings = api.photo_settings(opts)
    rows["print policy pass (overprint)"], page = timed(lambda: policy.apply(result.page), runs)

    def write():
        return write_pdf(page, faces, marks=opts.marks, photos=settings)

    def finish(raw):
        return finish_pdf(raw, standard=opts.pdfx, profile=opts.profile, output_condition=opts.output_condition,
                          title=result.page.title, created=opts.created)

    rows["PDF writing (memos warm)"], raw = timed(write, runs)
    rows["PDF writing, memos empty (subsets, photos from disk)"], _ = timed(write, runs, setup=_clear_write_memos)
    rows["PDF writing, font subsets cut again"], _ = timed(write, runs, setup=_clear_subsets)
    rows["print finishing (PDF/X-1a)"], data = timed(lambda: finish(raw), runs)
    rows["write + finish (render_pdf_bytes, memos warm)"], _ = timed(
        lambda: api.render_pdf_bytes(result, opts), runs)
    rows["preflight"], _ = timed(lambda: preflight(data, ink_limit=opts.ink_limit, require_pdfx=True), runs)
    with tempfile.TemporaryDirectory() as tmp:
        rows["atomic write"], _ = timed(lambda: api.write_atomic(Path(tmp) / "p.pdf", data), runs)
    rows["api.render, warm process (all of the above, cached)"], _ = timed(
        lambda: api.render(PAGE05, Path(tempfile.gettempdir()) / "bench-page05.pdf", opts), runs)
    return {"rows": rows, "first_render_s": first, "pdf_bytes": len(data)}, loaded, result


def rerender(runs: int) -> Stat:
    """Load + layout + render_pdf_bytes after editing one character of a body file."""
    from layout import api
    from layout.model import load_issue

    opts = _options()
    with tempfile.TemporaryDirectory() as tmp:
        yaml_path = copy_page_folder(Path(tmp) / "page")
        body = yaml_path.parent / "lead.md"
        original = body.read_text(encoding="utf-8")
        pos = original.index("平安株洲")  # a hanzi inside a paragraph: the edit changes one line

        def once():
            return api.render_pdf_bytes(api.layout(load_issue(yaml_path), opts), opts)

        once()  # first render in this process (the watch loop's start)
        times = []
        for i in range(runs + 1):
            ch = "甲乙丙丁戊己庚辛壬癸"[i % 10]
            body.write_text(original[:pos] + ch + original[pos + 1:], encoding="utf-8")
            t = time.perf_counter()
            once()
            if i:  # the first edit is the warm-up
                times.append(time.perf_counter() - t)
        return Stat.of(times)


def whole_process(runs: int, spec: dict) -> dict:
    """Whole-process paiban render, its RSS, and the two baselines."""
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        (t / "floor.py").write_text(FLOOR_CHILD, encoding="utf-8")
        # Photo disk cache empty, font metrics cache kept: the first render of new photos.
        cold = t / "cache-cold"
        warm_fonts = _font_cache_dir()

        def empty_photo_cache():
            import shutil

            shutil.rmtree(cold, ignore_errors=True)
            cold.mkdir()
            if warm_fonts is not None and (warm_fonts / "metrics").is_dir():
                # with PAIBAN_CACHE_DIR set, fonts keep their metrics in the root (cache.fonts_dir)
                shutil.copytree(warm_fonts / "metrics", cold / "metrics")

        cmd = [*paiban_cmd(), "render", str(PAGE05), "-o", str(t / "p.pdf")]
        # As after an install: bytecode compiled once and read back (in a private prefix, so
        # nothing is written into the repository), whatever PYTHONDONTWRITEBYTECODE says here.
        bytecode_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        bytecode_env["PYTHONPYCACHEPREFIX"] = str(t / "pycache")
        cmds = {
            "paiban": cmd,
            "paiban_bytecode": cmd,
            "paiban_cold_photos": cmd,
            "import_reportlab": [sys.executable, "-c", "import reportlab.pdfgen.canvas"],
            "floor": [sys.executable, str(t / "floor.py"), str(t / "spec.json"), str(t / "f.pdf")],
        }
        if typst_available():
            (t / "p05.typ").write_text(typst_source(), encoding="utf-8")
            (t / "typst_child.py").write_text(TYPST_CHILD, encoding="utf-8")
            for name, fonts in (("typst", "system"), ("typst_bundled", "bundled")):
                cmds[name] = [sys.executable, str(t / "typst_child.py"), str(t / "p05.typ"), str(t / "t.pdf"),
                              str(ROOT / "fonts"), fonts]
        envs = {"paiban_cold_photos": dict(os.environ, PAIBAN_CACHE_DIR=str(cold)), "paiban_bytecode": bytecode_env}
        out.update(interleaved(cmds, runs, cwd=t, envs=envs, setup={"paiban_cold_photos": empty_photo_cache}))
        out["floor_pdf_bytes"] = (t / "f.pdf").stat().st_size
        out["paiban_pdf_bytes"] = (t / "p.pdf").stat().st_size
    return out


def _font_cache_dir() -> Path | None:
    from layout import fonts

    try:
        return fonts.cache_dir()
    except Exception:  # noqa: BLE001 - only an optimisation of the cold-cache run
        return None


def main() -> None:
    """Run everything and print (or dump as JSON) the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs per measurement (min 5)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args()
    n = max(5, args.runs)

    import logging

    logging.getLogger("paiban").setLevel(logging.ERROR)  # low-ppi notes of the stand-in photos
    stages, loaded, result = in_process(n)
    re_stat = rerender(n)
    spec = floor_spec(loaded, result)
    wp = whole_process(n, spec)
    (pw, prss, pc), (bw, brss, bc), (fw, frss, fc) = wp["paiban"], wp["import_reportlab"], wp["floor"]
    (cw, crss, cc) = wp["paiban_cold_photos"]
    (yw, yrss, yc) = wp["paiban_bytecode"]
    typst = wp.get("typst")
    typst_bundled = wp.get("typst_bundled")

    summary = {
        "whole_process_s": pw.median,
        "whole_process_bytecode_s": yw.median,
        "peak_rss_mib": prss.max,
        "peak_rss_cold_photos_mib": crss.max,
        "whole_process_cold_photos_s": cw.median,
        "rerender_s": re_stat.median,
        "ratio_to_import_reportlab": pw.median / bw.median,
        "ratio_to_reportlab_floor": pw.median / fw.median,
        "cpu_ratio_to_reportlab_floor": pc.median / fc.median,
        "whole_process_cpu_s": pc.median,
        "rerender_ratio_to_reportlab_floor": re_stat.median / fw.median,
        "pdf_kib": wp["paiban_pdf_bytes"] / 1024,
    }
    if typst is not None:
        summary["ratio_to_typst"] = pw.median / typst[0].median
        summary["ratio_to_typst_bytecode"] = yw.median / typst[0].median
        summary["cpu_ratio_to_typst"] = pc.median / typst[2].median
        summary["ratio_to_typst_bundled_fonts"] = pw.median / typst_bundled[0].median
    targets = {k: v for k, v in TARGETS.items() if k in summary}
    if args.json:
        whole = {"paiban": pw.as_dict(), "paiban_rss_mib": prss.as_dict(), "paiban_cpu_s": pc.as_dict(),
                 "import_reportlab": bw.as_dict(), "import_reportlab_rss_mib": brss.as_dict(),
                 "import_reportlab_cpu_s": bc.as_dict(),
                 "reportlab_floor": fw.as_dict(), "reportlab_floor_rss_mib": frss.as_dict(),
                 "reportlab_floor_cpu_s": fc.as_dict(),
                 "paiban_bytecode": yw.as_dict(), "paiban_bytecode_cpu_s": yc.as_dict(),
                 "paiban_cold_photos": cw.as_dict(), "paiban_cold_photos_rss_mib": crss.as_dict(),
                 "paiban_cold_photos_cpu_s": cc.as_dict()}
        if typst is not None:
            whole |= {"typst": typst[0].as_dict(), "typst_rss_mib": typst[1].as_dict(),
                      "typst_cpu_s": typst[2].as_dict(), "typst_bundled_fonts": typst_bundled[0].as_dict()}
        print(json.dumps({
            "runs": n,
            "load": load_average(),
            "stages": {k: v.as_dict() for k, v in stages["rows"].items()},
            "first_render_in_process_s": stages["first_render_s"],
            "rerender": re_stat.as_dict(),
            "whole_process": whole,
            "summary": summary,
            "targets": {k: {"target": v, "value": summary[k], "pass": summary[k] <= v} for k, v in targets.items()},
        }, indent=2, ensure_ascii=False))
        return

    w = 54
    print(f"page 05 — {n} runs after 1 warm-up; {load_average()} at the end\n")
    print(f"{'in-process stage':<{w}} {'median':>9} {'min':>9} {'max':>9}")
    for name, st in stages["rows"].items():
        print(f"{name:<{w}} {st.median * 1e3:8.1f}ms {st.min * 1e3:8.1f}ms {st.max * 1e3:8.1f}ms")
    print(f"{'(first api.render in this process, modules imported)':<{w}} {stages['first_render_s'] * 1e3:8.1f}ms")
    print()
    print(f"{'whole process / baseline (wall)':<{w}} {'median':>9} {'min':>9} {'max':>9} {'peak RSS':>10} {'CPU med':>9}")
    lines = [("paiban render page05 -o tmp.pdf (caches warm)", (pw, prss, pc)),
             ("same, bytecode cached (as after an install)", (yw, yrss, yc)),
             ("paiban render, photo disk cache empty", (cw, crss, cc)),
             ('baseline: python -c "import reportlab.pdfgen.canvas"', (bw, brss, bc)),
             ("baseline: ReportLab floor (same faces, runs, JPEGs)", (fw, frss, fc))]
    if typst is not None:
        lines.append(("baseline: Typst, page 05's text in 8 columns", typst))
        lines.append(("baseline: Typst, bundled fonts only (no discovery)", typst_bundled))
    for name, (st, r, c) in lines:
        print(f"{name:<{w}} {st.median * 1e3:8.0f}ms {st.min * 1e3:8.0f}ms {st.max * 1e3:8.0f}ms {r.max:7.0f}MiB "
              f"{c.median * 1e3:7.0f}ms")
    print(f"{'re-render after a 1-char edit (load+layout+pdf)':<{w}} {re_stat.median * 1e3:8.0f}ms "
          f"{re_stat.min * 1e3:8.0f}ms {re_stat.max * 1e3:8.0f}ms")
    print()
    typst_part = (f", paiban / Typst = {summary['ratio_to_typst']:.2f}× (CPU {summary['cpu_ratio_to_typst']:.2f}×; "
                  f"{summary['ratio_to_typst_bundled_fonts']:.2f}× its bundled-fonts run)"
                  if typst is not None else " (Typst not installed: pip install -e '.[bench]')")
    print(f"ratios: paiban / import reportlab = {summary['ratio_to_import_reportlab']:.2f}×, "
          f"paiban / ReportLab floor = {summary['ratio_to_reportlab_floor']:.2f}× (CPU "
          f"{summary['cpu_ratio_to_reportlab_floor']:.2f}×){typst_part}; PDF {summary['pdf_kib']:.0f} KiB")
    print()
    print(f"{'target':<{w}} {'measured':>10} {'target':>9}  result")
    labels = {"whole_process_s": ("whole-process paiban render, caches warm (median)", "s"),
              "whole_process_bytecode_s": ("  same, bytecode cached (median)", "s"),
              "ratio_to_typst": ("paiban / Typst, whole process (median)", "×"),
              "ratio_to_typst_bytecode": ("  same, bytecode cached", "×"),
              "peak_rss_mib": ("peak RSS, caches warm (max over runs)", "M"),
              "whole_process_cold_photos_s": ("whole process, new photos (median)", "s"),
              "rerender_s": ("in-process re-render after an edit (median)", "s")}
    for key, tgt in targets.items():
        label, unit = labels[key]
        v = summary[key]
        print(f"{label:<{w}} {v:9.3f}{unit} {tgt:8.3f}{unit}  {verdict(v, tgt)}")


if __name__ == "__main__":
    main()
