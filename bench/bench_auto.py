"""Benchmark of automatic page layout (issue 15): per page, plan and render time and the page's figures.

For every page description with articles left to the planner (default: page 05 without places and
the pages under issues/paiban-auto/), prints: the whole-process time of `paiban render` pinned to
one core (median of --runs), the in-process time to plan (load, plan, search, page-level fit,
compose) and to write the PDF, then overset (字 and flows), underset (column-lines and the deepest
column foot), empty areas, heads side by side (碰题), seams (通栏缝), the arrangement, its cost and
how many arrangements were costed and composed. Exit 1 if a page exceeds 2 s or is overset.

    python bench/bench_auto.py [--runs 5] [PAGE.yaml ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "issues/zhuzhou-daily/2024-03-06/page05-auto.yaml",
           *sorted(p for p in (ROOT / "issues/paiban-auto").rglob("page*.yaml") if ".manual" not in p.name)]
LIMIT_S = 2.0
"""Plan and render on one core within this (issue 15)."""


def whole_process(page: Path, runs: int) -> float:
    """Median wall time of `paiban render PAGE` in a fresh process, on one core when possible."""
    exe = Path(sys.executable).with_name("paiban")
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(pin + [str(exe), "render", str(page), "-o", os.path.join(tmp, "p.pdf")],
                           check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(page: Path) -> dict:
    """Plan and write times in this process, and the page's figures."""
    from layout import api
    from layout.arrange.autolayout import butting, empty_cells, seams

    loaded = api.load_issue(page)
    start = time.perf_counter()
    result = api.layout(loaded)
    planned = time.perf_counter() - start
    start = time.perf_counter()
    api.render_pdf_bytes(result)
    written = time.perf_counter() - start
    auto = result.auto
    depths = {r.id: r.lines for r in result.heads if r.lines is not None}
    return {
        "plan_s": planned, "write_s": written,
        "overset_chars": sum(f.overset_chars for f in result.fit),
        "overset_flows": sum(1 for f in result.fit if f.overset),
        "underset_lines": sum(f.underset_lines for f in result.fit),
        "worst_foot": max((f.empty_tail for f in result.fit), default=0),
        "empty_cells": empty_cells(result.plan),
        "butting": butting(result.plan, depths),
        "seams": seams(result.plan),
        "arrangement": auto.arrangement if auto else "(all placed)",
        "cost": auto.cost if auto else 0.0,
        "tried": auto.tried if auto else 0, "composed": auto.composed if auto else 0,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    print(f"load: {os.getloadavg()[0]:.2f} (1-minute average, {os.cpu_count()} cores)")
    bad = 0
    for page in args.pages:
        wall = whole_process(page, args.runs)
        f = in_process(page)
        ok = wall <= LIMIT_S and not f["overset_flows"]
        bad += not ok
        print(f"\n{page.relative_to(ROOT) if page.is_relative_to(ROOT) else page}  {'ok' if ok else 'OVER'}")
        print(f"  paiban render (one core, median of {args.runs}): {wall:.2f} s   "
              f"in process: plan {f['plan_s']:.2f} s, write {f['write_s']:.2f} s")
        print(f"  overset {f['overset_chars']} 字 in {f['overset_flows']} flows; underset {f['underset_lines']} "
              f"column-lines, deepest foot {f['worst_foot']} lines; empty {f['empty_cells']} column-lines; "
              f"heads side by side {f['butting']}; seams {f['seams']}")
        print(f"  {f['arrangement']}; cost {f['cost']:.1f}; {f['tried']} arrangements costed, {f['composed']} composed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
