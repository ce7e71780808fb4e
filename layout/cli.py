"""CLI: the ``paiban`` command (typer). It calls the public API only.

Owns argument parsing, printing (warnings, fit tables, preflight reports) and exit codes:
0 success, 1 problems found (overset under ``--strict``, preflight errors, ``fit`` with overset,
``check`` with differences), 2 bad input or usage. A ``PaibanError`` is printed as one
``error:`` line plus a ``hint:``; tracebacks appear only with ``--debug``. This is the only
module that imports typer.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from .errors import PaibanError, logger

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Paiban (排版): typeset Chinese newspaper pages into print-ready PDFs.",
)

_STATE = {"debug": False}

EXIT_OK, EXIT_PROBLEMS, EXIT_INPUT = 0, 1, 2


class _WarningHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"warning: {record.getMessage()}", err=True)


def _setup_logging() -> None:
    if not any(isinstance(h, _WarningHandler) for h in logger.handlers):
        logger.addHandler(_WarningHandler())
    logger.setLevel(logging.WARNING)
    logger.propagate = False


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False) -> None:
    _STATE["debug"] = debug
    _setup_logging()


def _options(**kw):
    from .model import RenderOptions

    try:
        return RenderOptions(**kw)
    except Exception as exc:  # pydantic ValidationError: a bad option value
        err = exc.errors(include_url=False)[0] if hasattr(exc, "errors") else {"loc": (), "msg": str(exc)}
        name = str(err["loc"][0]) if err["loc"] else "option"
        name = {"allow": "allow-path"}.get(name, name.replace("_", "-"))
        msg = err["msg"].removeprefix("Value error, ")
        raise PaibanError(f"--{name}: {msg}", hint="see --help for the allowed values") from None


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(q for q in p.rglob("*.y*ml") if q.suffix in (".yaml", ".yml"))
            if not found:
                raise PaibanError(f"{p}: no .yaml descriptions in this folder",
                                  hint="name a description file or a folder that holds some")
            out.extend(found)
        else:
            out.append(p)
    return out


def _fit_table(result, title: str = "fit (算稿)"):
    from rich.table import Table

    table = Table(title=title)
    for col in ("module", "capacity", "used", "overset lines", "overset chars", "underset", "tail", "auto-fit"):
        table.add_column(col, justify="right" if col not in ("module", "auto-fit") else "left")
    for f in result.fit:
        table.add_row(f.id, str(f.capacity_lines), str(f.used_lines), str(f.overset_lines),
                      str(f.overset_chars), str(f.underset_lines), str(f.empty_tail), "; ".join(f.adjustments))
    over = [f for f in result.fit if f.overset_chars or f.overset_lines]
    empty = sum(1 for w in result.warnings if w.startswith("empty area"))
    table.caption = (f"page: {len(result.fit)} text flows, "
                     f"{sum(f.overset_chars for f in over)} characters overset in {len(over)}, "
                     f"{sum(f.underset_lines for f in result.fit)} lines underset, "
                     f"{empty} empty area{'s' if empty != 1 else ''} of the type area")
    return table


def _console():
    from rich.console import Console

    return Console(stderr=False, highlight=False, width=max(100, int(os.environ.get("COLUMNS", "120"))))


@app.command()
def render(
    issues: Annotated[list[Path], typer.Argument(help="Issue descriptions (.yaml) or folders of them.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output PDF (one issue) or folder.")] = None,
    pdfx: Annotated[str, typer.Option(help="x1a (PDF/X-1a:2003), x4 (PDF/X-4) or none.")] = "x1a",
    profile: Annotated[Path | None, typer.Option(help="CMYK output profile (.icc).")] = None,
    ink_limit: Annotated[float, typer.Option(help="Total ink limit for images, %.")] = 240.0,
    grayscale: Annotated[bool, typer.Option(help="Convert photos to black only.")] = False,
    marks: Annotated[bool, typer.Option(help="Crop marks and slug outside the bleed.")] = True,
    strict: Annotated[bool, typer.Option(help="Fail with exit 1 when text is overset.")] = False,
    allow_path: Annotated[list[Path], typer.Option("--allow-path", help="Extra folder assets may come from.")] = [],
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Parallel processes for several pages.")] = 0,
    preflight: Annotated[bool, typer.Option(help="Preflight the written PDF.")] = True,
) -> None:
    """Render issue descriptions to print-ready PDFs (default into output/)."""
    options = _options(pdfx=pdfx, profile=profile, ink_limit=ink_limit, grayscale=grayscale, marks=marks,
                       strict=strict, allow=tuple(allow_path), preflight=preflight)
    paths = _expand(issues)
    if len(paths) > 1:
        from .edition import render_edition

        code = render_edition(paths, output, options, jobs or os.cpu_count() or 1, _console())
        raise typer.Exit(code)
    from . import api

    start = time.perf_counter()
    result = api.render(paths[0], output, options)
    elapsed = time.perf_counter() - start
    console = _console()
    over = [f for f in result.layout.fit if f.overset_chars or f.overset_lines]
    console.print(f"wrote {result.path} ({len(result.pdf) / 1024:.0f} KiB, {elapsed:.2f} s)")
    if over:
        console.print(_fit_table(result.layout))
    code = EXIT_OK
    if result.preflight is not None:
        from .pdf.preflight import render_report

        if not result.preflight.ok:
            console.print(render_report(result.preflight))
            code = EXIT_PROBLEMS
        else:
            console.print("preflight: ok")
    raise typer.Exit(code)


@app.command()
def validate(issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")]) -> None:
    """Check a description (schema, files, fonts, placement) without rendering."""
    from . import api

    loaded = api.load_issue(issue)
    result = api.layout(loaded)
    for message in result.warnings:
        logger.warning(message)
    typer.echo(f"{issue}: ok ({len(loaded.issue.articles)} articles)")


@app.command()
def schema() -> None:
    """Print the JSON Schema of issue descriptions."""
    import json

    from .model import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@app.command()
def fit(issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")]) -> None:
    """Print the copy-fit table (算稿) of every module; exit 1 on any overset."""
    from . import api

    loaded = api.load_issue(issue)
    result = api.layout(loaded)
    for message in result.warnings:
        if not message.startswith("overset"):
            logger.warning(message)
    _console().print(_fit_table(result))
    if result.overset:
        typer.echo("overset: text does not fit (see the table)", err=True)
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
def fonts(issue: Annotated[Path | None, typer.Argument(help="Issue description (.yaml).")] = None) -> None:
    """List font roles, files and glyph counts; with an issue, the characters each role uses."""
    from rich.table import Table

    from . import fonts as F

    uses = None
    if issue is not None:
        from . import api
        from .compose.page import _text_uses

        loaded = api.load_issue(issue)
        fontset = api.fontset_for(loaded)
        uses = _text_uses(loaded)
    else:
        fontset = F.FontSet()
    rows = F.describe(fontset, uses)
    table = Table(title="font roles" + (f" of {issue}" if issue else ""))
    columns = ["role", "file", "key", "glyphs"] + (["chars used", "missing", "from fallback"] if uses else [])
    for name in columns:
        table.add_column(name, justify="right" if name in ("glyphs", "chars used") else "left")
    missing = False
    for row in rows:
        file = Path(str(row.get("file", ""))).name + (f" #{row['index']}" if row.get("index") else "")
        if row.get("error"):
            file += f" (error: {row['error']})"
        cells = [f"{row['label']} ({row['role']})", file, str(row.get("key", "")), str(row.get("glyphs", ""))]
        if uses:
            cells += [str(row.get("used", "")), str(row.get("missing", "")), str(row.get("fallback", ""))]
            missing = missing or bool(row.get("missing"))
        table.add_row(*cells)
    _console().print(table)
    if missing:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command(name="preflight")
def preflight_cmd(
    pdf: Annotated[Path, typer.Argument(help="Any PDF file.")],
    ink_limit: Annotated[float, typer.Option(help="Total ink limit, %.")] = 240.0,
    pdfx: Annotated[bool, typer.Option(help="Require PDF/X keys and an OutputIntent.")] = True,
) -> None:
    """Check a PDF for print: fonts, colour, transparency, overprint, ink, resolution, boxes, PDF/X."""
    from .pdf.preflight import preflight, render_report

    if not pdf.exists():
        raise PaibanError(f"{pdf}: file not found", hint="check the path")
    if pdf.is_dir():
        raise PaibanError(f"{pdf}: is a folder", hint="name a PDF file")
    report = preflight(pdf, ink_limit=ink_limit, require_pdfx=pdfx)
    _console().print(render_report(report))
    raise typer.Exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


# ---------------------------------------------------------------- preview, regression, watch


def _overlays(text: str | None) -> tuple[str, ...]:
    from .preview import parse_overlays

    try:
        return parse_overlays(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _require_issue(issue: Path) -> None:
    if not issue.exists():
        raise PaibanError(f"{issue}: file not found", hint="name an issue description (.yaml)")
    if issue.is_dir():
        raise PaibanError(f"{issue}: is a folder", hint="name one issue description (.yaml)")


@app.command()
def preview(
    issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output PNG (default output/<name>.png).")] = None,
    dpi: Annotated[float, typer.Option(help="Resolution in pixels per inch.", min=5, max=600)] = 50,
    overlay: Annotated[str | None, typer.Option(
        "--overlay", help="Comma-separated overlays: grid, frames, baselines, overset (or all).")] = None,
    allow_path: Annotated[list[Path], typer.Option("--allow-path", help="Extra folder assets may come from.")] = [],
) -> None:
    """Render a page to a PNG preview, optionally with grid, frame, baseline and overset overlays."""
    from . import preview as PV

    _require_issue(issue)
    kinds = _overlays(overlay)
    options = _options(allow=tuple(allow_path), preflight=False)
    start = time.perf_counter()
    result = PV.preview(issue, output, dpi=dpi, overlays=kinds, options=options)
    for message in result.layout.warnings:
        logger.warning(message)
    w, h = result.image.size
    typer.echo(f"wrote {result.path} ({w}×{h} px at {dpi:g} dpi, {time.perf_counter() - start:.2f} s)")
    if result.layout.overset:  # what does not fit, as `paiban fit` shows it
        _console().print(_fit_table(result.layout))


@app.command()
def approve(
    issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
    baseline: Annotated[Path, typer.Option("--baseline", help="Baseline folder (created).")],
    dpi: Annotated[float, typer.Option(help="Resolution of the baseline page.png.", min=5, max=300)] = 40,
) -> None:
    """Accept the current layout as the baseline: write snapshot.txt and page.png into a folder."""
    from . import regress

    _require_issue(issue)
    folder = regress.approve(issue, baseline, _options(preflight=False), dpi=dpi)
    typer.echo(f"approved {issue}: {folder / regress.SNAPSHOT_FILE}, {folder / regress.PAGE_FILE}")


@app.command()
def check(
    issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
    baseline: Annotated[Path, typer.Option("--baseline", help="Baseline folder written by `paiban approve`.")],
    tolerance: Annotated[float | None, typer.Option(
        help="Largest fraction of changed pixels still counted equal [default: 0.00001 = 0.001 %].",
        min=0, max=1)] = None,
    threshold: Annotated[int | None, typer.Option(
        help="Per-pixel difference (0–255) above which a pixel counts as changed [default: 16].",
        min=0, max=255)] = None,
    dpi: Annotated[float | None, typer.Option(help="Resolution; must be the baseline's (the default).", min=5, max=300)] = None,
    diff: Annotated[Path | None, typer.Option("--diff", help="Where to write the diff PNG.")] = None,
    unified: Annotated[bool, typer.Option(help="Print the unified diff of the snapshots too.")] = True,
) -> None:
    """Compare a page with its baseline: structure (articles, lines), then pixels; exit 1 if different."""
    from . import regress

    _require_issue(issue)
    tol = regress.Tolerance(regress.PIXEL_THRESHOLD if threshold is None else threshold,
                            regress.MAX_CHANGED_FRACTION if tolerance is None else tolerance)
    report = regress.check(issue, baseline, tolerance=tol, dpi=dpi,
                           diff_out=diff, options=_options(preflight=False))
    typer.echo(report.render(unified=unified))
    typer.echo(f"checked in {report.seconds:.2f} s")
    raise typer.Exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


@app.command()
def watch(
    issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output PDF (default output/<name>.pdf).")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Preview PNG (default beside the PDF).")] = None,
    no_png: Annotated[bool, typer.Option("--no-png", help="Write the PDF only.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between checks for changes.", min=0.05, max=60)] = 0.5,
    dpi: Annotated[float, typer.Option(help="Preview resolution.", min=5, max=600)] = 50,
) -> None:
    """Re-render the PDF and PNG whenever the description or a file it names changes (Ctrl-C stops)."""
    from . import api
    from .watch import watch as run_watch

    _require_issue(issue)
    pdf = output if output is not None else api.default_output(issue)
    if output is None:
        pdf.parent.mkdir(parents=True, exist_ok=True)
    out_png = None if no_png else (png if png is not None else pdf.with_suffix(".png"))
    typer.echo(f"watching {issue} and the files it names (every {interval:g} s); Ctrl-C stops")
    try:
        run_watch(issue, pdf, out_png, interval=interval, dpi=dpi, options=_options(preflight=False),
                  echo=lambda line: typer.echo(line))
    except KeyboardInterrupt:
        typer.echo("stopped")
    raise typer.Exit(EXIT_OK)


# ---------------------------------------------------------------- cache


@app.command(name="cache")
def cache_cmd(
    clear: Annotated[bool, typer.Option("--clear", help="Remove every cache entry.")] = False,
) -> None:
    """Show where the cache is and how big it is (and its bound); --clear empties it."""
    from . import cache

    mib = 1024 * 1024
    if clear:
        files, size = cache.clear()
        typer.echo(f"cleared {cache.cache_root()}: {files} files, {size / mib:.1f} MiB")
        raise typer.Exit(EXIT_OK)
    usage = cache.usage()
    typer.echo(f"cache: {usage.root}")
    for name, size, files in usage.parts:
        if files:
            typer.echo(f"  {name:<12} {size / mib:8.1f} MiB {files:7d} files")
    typer.echo(f"  {'total':<12} {usage.total / mib:8.1f} MiB of {usage.limit / mib:.0f} MiB "
               "(PAIBAN_CACHE_MAX_MB); entries used least recently are removed beyond it")
    raise typer.Exit(EXIT_OK)


def main() -> None:
    """Entry point of the ``paiban`` command."""
    debug = "--debug" in sys.argv
    try:
        # With standalone_mode=False click *returns* the code of a typer.Exit instead of exiting.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except PaibanError as exc:
        if debug:
            raise
        typer.echo(exc.render(), err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.BadParameter, typer.Abort) as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # click usage errors and anything unforeseen
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(EXIT_INPUT if exc.exit_code == 2 else exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(130)
        if debug:
            raise
        typer.echo(f"error: internal error: {type(exc).__name__}: {exc}", err=True)
        typer.echo("  hint: run again with --debug for a traceback and report it", err=True)
        sys.exit(3)


if __name__ == "__main__":  # pragma: no cover
    main()
