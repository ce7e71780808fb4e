"""Editions: render many page descriptions in parallel processes with a progress bar and a
summary table (page, time, overset, preflight).

Owns the fan-out of ``paiban render`` over several descriptions or a folder: one worker
process per core by default (``--jobs``), each rendering whole pages through the public API,
so a failure in one page is reported in the table and never stops the others.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path


def _render_one(path: str, out: str | None, options_json: str) -> dict:
    from . import api
    from .errors import PaibanError
    from .model import RenderOptions

    options = RenderOptions.model_validate_json(options_json)
    start = time.perf_counter()
    try:
        result = api.render(path, out, options)
    except PaibanError as exc:
        return {"path": path, "ok": False, "code": exc.exit_code, "error": exc.message,
                "seconds": time.perf_counter() - start}
    over = sum(f.overset_chars for f in result.layout.fit)
    pf = result.preflight
    return {
        "path": path,
        "out": str(result.path),
        "ok": True,
        "code": 1 if (pf is not None and not pf.ok) else 0,
        "overset": over,
        "preflight": "ok" if pf is None or pf.ok else "errors",
        "seconds": time.perf_counter() - start,
    }


def output_for(path: Path, folder: Path | None) -> str | None:
    """Output PDF for one page of an edition: inside ``folder`` if given, else the default."""
    if folder is None:
        return None
    from .api import default_output

    return str(folder / default_output(path).name)


def render_edition(paths: list[Path], folder: Path | None, options, jobs: int, console) -> int:
    """Render ``paths`` with ``jobs`` processes; print a summary table; return the exit code."""
    from rich.progress import Progress
    from rich.table import Table

    if folder is not None:
        if folder.exists() and not folder.is_dir():
            from .errors import OutputError

            raise OutputError(f"{folder} is not a folder", hint="with several pages, -o names a folder")
        folder.mkdir(parents=True, exist_ok=True)
    else:
        Path("output").mkdir(exist_ok=True)
    options_json = options.model_dump_json()
    rows: list[dict] = []
    start = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("rendering", total=len(paths))
        if jobs <= 1:
            for p in paths:
                rows.append(_render_one(str(p), output_for(p, folder), options_json))
                progress.advance(task)
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = [pool.submit(_render_one, str(p), output_for(p, folder), options_json) for p in paths]
                for fut in as_completed(futures):
                    rows.append(fut.result())
                    progress.advance(task)
    wall = time.perf_counter() - start
    rows.sort(key=lambda r: r["path"])
    table = Table(title=f"edition: {len(rows)} pages in {wall:.2f} s ({jobs} jobs)")
    for col in ("page", "time s", "overset chars", "preflight", "result"):
        table.add_column(col)
    code = 0
    for r in rows:
        if r["ok"]:
            table.add_row(r["path"], f"{r['seconds']:.2f}", str(r["overset"]), r["preflight"], r["out"])
        else:
            table.add_row(r["path"], f"{r['seconds']:.2f}", "-", "-", f"error: {r['error']}")
        code = max(code, r["code"])
    console.print(table)
    return code
