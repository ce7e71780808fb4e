"""Benchmark: does the time per page stay flat with the number of pages, and do editions scale
over cores?

* In-process scaling: 1, 10, 50 (and with ``--hundred`` 100) generated pages with page 05's
  structure (page numbers 1..N, paragraphs in another order, per-page photo copies with other
  pixels) rendered one after another with ``api.render`` in one fresh process that first
  rendered page 05 once (imports, fonts and ReportLab registration paid before the clock
  starts). Prints seconds per page (median of ``--repeats`` processes for 1 and 10 pages, one
  process for 100), the per-page median of the first and last tenth (drift) and the peak RSS
  of the process (growth = memory kept per page). Each process gets a private photo disk
  cache, emptied before it starts (``--photos cold``, every page prepares its photos as a new
  edition does) or filled beforehand (``--photos warm``, the re-render of known pages).
* Editions: 16 generated pages in one folder, ``paiban render DIR -o OUT --jobs 1`` against
  ``--jobs 2`` as whole processes, run alternately, median of ``--repeats``; the target is
  jobs-2 wall ≤ 0.6 × jobs-1 wall.

    python bench/bench_scale.py [--repeats 3] [--hundred] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _benchlib import (
    PAGE05,
    ROOT,
    Stat,
    generate_pages,
    interleaved,
    load_average,
    paiban_cmd,
    run_child,
    verdict,
)

EDITION_TARGET = 0.55
"""Issue 19: a 16-page edition on two jobs takes at most 0.55 of its time on one."""

RSS_TARGET_MIB = 200.0
"""Issue 19: peak RSS of 50 pages with new photos rendered in one process."""

DRIFT_TARGET = 1.10
"""Time per page is flat when the last tenth of pages is at most this × the first tenth."""

RSS_PAGES = 50
"""The page count the RSS and drift targets are read at."""

CHILD = r"""
import json, logging, sys, time
from pathlib import Path
from layout import api
from layout.model import RenderOptions
logging.getLogger("paiban").setLevel(logging.ERROR)
opts = RenderOptions()
out = Path(sys.argv[1]); pages = sys.argv[3:]
api.render(sys.argv[2], out / "warmup.pdf", opts)
times, cpu = [], []
for i, p in enumerate(pages):
    t, c = time.perf_counter(), time.process_time()
    api.render(p, out / f"{i:03d}.pdf", opts)
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
(out / "times.json").write_text(json.dumps({"wall": times, "cpu": cpu}))
"""


def _cache_env(tmp: Path, name: str, warm: bool) -> tuple[dict, object]:
    """Environment with a private PAIBAN_CACHE_DIR (font metrics copied in) and a setup that
    empties its prepared-photo cache before each run unless ``warm``.

    Without this the user's photo disk cache decides the result: pages rendered by an earlier
    run hit it, new ones do not, and time per page seems to drift with the page count."""
    from layout import fonts

    cache = tmp / f"cache-{name}"
    cache.mkdir(parents=True, exist_ok=True)
    metrics = fonts.cache_dir() / "metrics"  # a private PAIBAN_CACHE_DIR keeps metrics in its root
    if metrics.is_dir() and not (cache / "metrics").exists():
        shutil.copytree(metrics, cache / "metrics")

    def setup():
        if not warm:
            shutil.rmtree(cache / "images", ignore_errors=True)

    return dict(os.environ, PAIBAN_CACHE_DIR=str(cache)), setup


def scaling(pages: list[Path], counts: list[int], repeats: int, tmp: Path, warm: bool) -> dict:
    """Per-page seconds and peak RSS for each page count."""
    env, setup = _cache_env(tmp, "scale", warm)
    if warm:  # fill the photo cache once
        run_child([sys.executable, str(tmp / "scale_child.py"), str(tmp), str(PAGE05), *map(str, pages)],
                  cwd=ROOT, env=env)
    script = tmp / "scale_child.py"
    res = {}
    for n in counts:
        reps = repeats if n <= 10 else 1
        per_page, rss, firsts, lasts, walls = [], [], [], [], []
        cpu_firsts, cpu_lasts = [], []
        for r in range(reps):
            out = tmp / f"out-{n}-{r}"
            out.mkdir()
            setup()
            wall, mib, _cpu = run_child([sys.executable, str(script), str(out), str(PAGE05), *map(str, pages[:n])],
                                        cwd=ROOT, env=env)
            record = json.loads((out / "times.json").read_text())
            times, cpu = record["wall"], record["cpu"]
            tenth = max(1, n // 10)
            per_page.append(sum(times) / n)
            firsts.append(statistics.median(times[:tenth]))
            lasts.append(statistics.median(times[-tenth:]))
            cpu_firsts.append(statistics.median(cpu[:tenth]))
            cpu_lasts.append(statistics.median(cpu[-tenth:]))
            rss.append(mib)
            walls.append(wall)
        res[n] = {"per_page": Stat.of(per_page), "first_tenth": statistics.median(firsts),
                  "last_tenth": statistics.median(lasts), "rss_mib": max(rss), "process_wall": Stat.of(walls),
                  "cpu_first_tenth": statistics.median(cpu_firsts),
                  "cpu_last_tenth": statistics.median(cpu_lasts)}
    return res


def edition(tmp: Path, repeats: int, warm: bool) -> dict:
    """16 pages, --jobs 1 against --jobs 2, alternating, whole processes."""
    folder = tmp / "edition"
    generate_pages(folder, 16, seed=16)
    env, setup = _cache_env(tmp, "edition", warm)
    cmds = {f"jobs{j}": [*paiban_cmd(), "render", str(folder), "-o", str(tmp / f"ed-out{j}"), "--jobs", str(j)]
            for j in (1, 2)}
    res = interleaved(cmds, repeats, warmup=1, cwd=tmp, env=env, setup={k: setup for k in cmds})
    return {k: v[0] for k, v in res.items()} | {f"{k}_cpu": v[2] for k, v in res.items()}


def main() -> None:
    """Run and print the scaling and edition tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3, help="processes per measurement (min 3)")
    ap.add_argument("--hundred", action="store_true", help="also render 100 pages (about 40 s more)")
    ap.add_argument("--no-edition", action="store_true", help="skip the --jobs 1/2 edition run")
    ap.add_argument("--photos", choices=("cold", "warm"), default="cold",
                    help="photo disk cache empty before every process (new pages; default) or filled")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args()
    warm = args.photos == "warm"
    reps = max(3, args.repeats)
    counts = [1, 10, RSS_PAGES] + ([100] if args.hundred else [])

    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        pages = generate_pages(tmp / "pages", max(counts))
        (tmp / "scale_child.py").write_text(CHILD, encoding="utf-8")
        sc = scaling(pages, counts, reps, tmp, warm)
        ed = None if args.no_edition else edition(tmp, reps, warm)

    if args.json:
        print(json.dumps({
            "load": load_average(),
            "photos": args.photos,
            "scaling": {str(n): {"per_page": v["per_page"].as_dict(), "first_tenth_s": v["first_tenth"],
                                 "last_tenth_s": v["last_tenth"], "peak_rss_mib": v["rss_mib"],
                                 "process_wall": v["process_wall"].as_dict()} for n, v in sc.items()},
            "targets": {"peak_rss_mib": {"pages": RSS_PAGES, "value": sc[RSS_PAGES]["rss_mib"],
                                         "target": RSS_TARGET_MIB},
                        "drift": {"value": sc[RSS_PAGES]["last_tenth"] / sc[RSS_PAGES]["first_tenth"],
                                  "cpu": sc[RSS_PAGES]["cpu_last_tenth"] / sc[RSS_PAGES]["cpu_first_tenth"],
                                  "target": DRIFT_TARGET}},
            "edition": None if ed is None else {
                **{k: v.as_dict() for k, v in ed.items()},
                "ratio": ed["jobs2"].median / ed["jobs1"].median, "target": EDITION_TARGET,
                "pass": ed["jobs2"].median / ed["jobs1"].median <= EDITION_TARGET},
        }, indent=2))
        return

    base = sc[1]["per_page"].median
    print(f"scaling, in-process api.render after a warm-up page; photo disk cache {args.photos} "
          f"({load_average()})\n")
    print(f"{'pages':>5} {'s/page (median)':>16} {'vs 1 page':>10} {'first 10%':>10} {'last 10%':>9} "
          f"{'peak RSS':>9} {'processes':>9}")
    for n, v in sc.items():
        print(f"{n:>5} {v['per_page'].median:16.3f} {v['per_page'].median / base:9.2f}× {v['first_tenth']:10.3f} "
              f"{v['last_tenth']:9.3f} {v['rss_mib']:6.0f}MiB {v['per_page'].n:>9}")
    big = sc[RSS_PAGES]
    drift = big["last_tenth"] / big["first_tenth"]
    cpu_drift = big["cpu_last_tenth"] / big["cpu_first_tenth"]
    print(f"\n{RSS_PAGES} pages in one process: peak RSS {big['rss_mib']:.0f} MiB (target ≤ {RSS_TARGET_MIB:.0f}) "
          f"{verdict(big['rss_mib'], RSS_TARGET_MIB)}; last/first tenth wall {drift:.2f}, CPU {cpu_drift:.2f} "
          f"(target ≤ {DRIFT_TARGET}: CPU {verdict(cpu_drift, DRIFT_TARGET)}; wall varies with the machine's load)")
    if ed is not None:
        ratio = ed["jobs2"].median / ed["jobs1"].median
        print(f"\nedition: 16 pages, paiban render DIR (whole process), median of {ed['jobs1'].n}")
        for k in ("jobs1", "jobs2"):
            v, c = ed[k], ed[f"{k}_cpu"]
            print(f"  --jobs {k[4:]}: wall {v.median:6.2f} s  (min {v.min:.2f}, max {v.max:.2f}); "
                  f"CPU {c.median:6.2f} s")
        best = ed["jobs2_cpu"].median / 2 / ed["jobs1"].median
        print(f"  (jobs-2 CPU / 2 / jobs-1 wall = {best:.2f}: the ratio two idle cores would give)")
        print(f"  jobs 2 / jobs 1 = {ratio:.2f}  (target ≤ {EDITION_TARGET})  {verdict(ratio, EDITION_TARGET)}")


if __name__ == "__main__":
    main()
