"""Benchmark: how long ``paiban check`` takes on page 05 (target: under 2 s).

Approves a baseline of page 05 into a temporary folder, then measures (median of N runs after
one warm-up):

* in process: ``regress.check()`` — load, layout, snapshot and structural compare, writer,
  rasterising at the baseline's 40 dpi and the pixel compare — with its stages timed apart;
* whole process: ``python -m layout.cli check … --baseline …`` as a user runs it (interpreter
  start, imports, font registration included).

    python bench/bench_check.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layout import api, preview, regress

PAGE05 = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _stages(baseline: Path) -> dict[str, float]:
    from PIL import Image

    out: dict[str, float] = {}
    t = time.perf_counter()
    result = api.layout(api.load_issue(PAGE05))
    out["load + layout"] = time.perf_counter() - t
    t = time.perf_counter()
    snap = regress.snapshot(result)
    regress.structural_diff((baseline / regress.SNAPSHOT_FILE).read_text(encoding="utf-8"), snap)
    out["snapshot + structural diff"] = time.perf_counter() - t
    t = time.perf_counter()
    pdf = preview.preview_pdf_bytes(result)
    out["write PDF (no marks, no finishing)"] = time.perf_counter() - t
    t = time.perf_counter()
    image = preview.rasterize(pdf, regress.BASELINE_DPI, grayscale=True)
    out[f"rasterise at {regress.BASELINE_DPI} dpi"] = time.perf_counter() - t
    t = time.perf_counter()
    regress.compare_images(Image.open(baseline / regress.PAGE_FILE), image)
    out["pixel compare"] = time.perf_counter() - t
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement (at least 5)")
    args = parser.parse_args()
    runs = max(5, args.runs)
    from rich.console import Console
    from rich.table import Table

    with tempfile.TemporaryDirectory() as tmp:
        baseline = Path(tmp) / "baseline"
        regress.approve(PAGE05, baseline)

        def in_process() -> None:
            report = regress.check(PAGE05, baseline)
            assert report.ok, report.render()

        in_process()  # warm-up: imports, font registration, photo preparation
        inproc = [_time(in_process) for _ in range(runs)]
        stage_runs = [_stages(baseline) for _ in range(runs)]

        cmd = [sys.executable, "-m", "layout.cli", "check", str(PAGE05), "--baseline", str(baseline)]

        def whole() -> None:
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, check=False)
            assert proc.returncode == 0, proc.stdout + proc.stderr

        whole()
        wholes = [_time(whole) for _ in range(runs)]

    table = Table(title=f"paiban check, page 05 (median of {runs} runs after a warm-up)")
    for col, justify in (("measurement", "left"), ("median s", "right"), ("min s", "right"), ("max s", "right")):
        table.add_column(col, justify=justify)

    def row(name: str, values: list[float]) -> None:
        table.add_row(name, f"{statistics.median(values):.3f}", f"{min(values):.3f}", f"{max(values):.3f}")

    row("in process: regress.check()", inproc)
    for stage in stage_runs[0]:
        row(f"  {stage}", [s[stage] for s in stage_runs])
    row("whole process: python -m layout.cli check", wholes)
    Console().print(table)
    worst = max(statistics.median(inproc), statistics.median(wholes))
    print(f"target < 2 s: {'met' if worst < 2.0 else 'MISSED'} (slowest median {worst:.2f} s)")


if __name__ == "__main__":
    main()
