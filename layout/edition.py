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


def _warm() -> None:
    """Import the pipeline and load the bundled faces once, before the workers fork, so each
    worker starts with them instead of paying for them itself."""
    from . import api, fonts  # noqa: F401
    from .compose import page  # noqa: F401
    from .errors import FontError
    from .pdf import finish, preflight, writer  # noqa: F401

    fontset = fonts.FontSet()
    for role in fontset.roles():
        try:
            fontset.face(role)
        except FontError:  # a missing bundled face is reported by the page that needs it
            continue


def _largest_first(paths: list[Path]) -> list[Path]:
    """Biggest descriptions first, so the last page to finish is a short one."""
    def weight(p: Path) -> int:
        try:
            return sum(f.stat().st_size for f in p.parent.iterdir() if f.is_file())
        except OSError:
            return 0

    return sorted(paths, key=lambda p: (-weight(p), str(p)))


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
            import multiprocessing

            _warm()
            context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() \
                else None
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                futures = [pool.submit(_render_one, str(p), output_for(p, folder), options_json)
                           for p in _largest_first(paths)]
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
