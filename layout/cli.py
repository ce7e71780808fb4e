"""CLI: the ``paiban`` command (typer). It calls the public API only.

Owns argument parsing, printing (warnings, fit tables, preflight reports), signals and exit codes:

====  ==================================================================================
0     success
1     problems found: overset or overflow under ``--strict``, preflight errors, ``fit`` with
      overset, ``check`` with differences
2     bad input or usage: one ``error:`` line naming file, line and field, and a ``hint:``
      (usage errors print typer's message)
3     internal error (a bug): one ``error: internal error: …`` line and a hint to run with
      ``--debug``, which shows the traceback
4     a page was stopped by ``--timeout`` or ``--max-memory``
130   interrupted (Ctrl-C); 143 for SIGTERM. No temporary file is left behind.
====  ==================================================================================

The safety net in ``run()`` cannot itself fail: it imports nothing that may be missing and
writes with a fallback when the terminal cannot encode a character. ``paiban render PAGE``
takes a fast path that imports neither typer nor rich unless a table or an error must be
printed; anything unusual on its command line goes to the typer app, so both give the same
results and messages. This is the only module that imports typer.
"""

import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Annotated

from .errors import PaibanError, logger

EXIT_OK, EXIT_PROBLEMS, EXIT_INPUT, EXIT_INTERNAL, EXIT_LIMIT = 0, 1, 2, 3, 4
"""Exit codes (see the module docstring)."""

EXIT_SIGNAL_BASE = 128
"""Exit code of a run stopped by a signal: 128 + the signal number (130 SIGINT, 143 SIGTERM)."""

INTERNAL_HINT = "this is a bug in paiban; run with --debug for the traceback and report it"
"""The hint after an internal error."""

PREFLIGHT_TIMEOUT = 60.0
"""Default ``--timeout`` of ``paiban preflight``, seconds (its budget stops the walk at 20 s)."""

PREFLIGHT_MAX_MIB = 1536.0
"""Default ``--max-memory`` of ``paiban preflight``, MiB: a backstop behind the preflight budget."""

GC_THRESHOLDS = (100_000, 50, 10)
"""Cyclic garbage collector thresholds of a ``paiban`` process (``gc.set_threshold``).

Python's default (700, 10, 10) runs about 125 collections while the pipeline is imported and a
page is laid out, about 30 ms of a 0.3 s render (issue 19), freeing next to nothing: the
objects are modules, schemas and frames that live until the process ends. At these thresholds a
page 05 render triggers none, with the same peak RSS; a long edition or a hostile input is still
collected (page 05 with a 1.9 MB body peaks at 303 MiB as with the default, but at 361 MiB with
a third threshold of 100: ``bench/bench_hostile.py``)."""

_STATE = {"debug": False}


# ---------------------------------------------------------------- printing that cannot fail


def _echo(text: str, err: bool = False) -> None:
    """Print one line to stdout or stderr; an encoding the terminal lacks is escaped, a closed
    pipe is ignored (``paiban fit page.yaml | head`` must not end in a traceback)."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    try:
        try:
            stream.write(text + "\n")
        except UnicodeEncodeError:
            encoding = getattr(stream, "encoding", None) or "ascii"
            stream.write(text.encode(encoding, "backslashreplace").decode(encoding) + "\n")
        stream.flush()
    except (BrokenPipeError, ValueError, OSError):  # closed or broken: nothing more can be said
        pass


class _WarningHandler(logging.Handler):
    """Prints the ``paiban`` logger: ``warning: …`` lines, errors as they come (``error: …``)."""

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        for line in (text if record.levelno >= logging.ERROR else f"warning: {text}").splitlines():
            _echo(line, err=True)


def _setup_logging() -> None:
    if not any(isinstance(h, _WarningHandler) for h in logger.handlers):
        logger.addHandler(_WarningHandler())
    logger.setLevel(logging.WARNING)
    logger.propagate = False


DEFAULT_WIDTH = 120
"""Columns tables are laid out for when the output is not a terminal and COLUMNS is not set."""

NOTES_COLUMN_WIDTH = 150
"""Terminal columns from which the fit table keeps its notes (changes, reasons, suggestions) in a
column of their own; narrower, they are printed under the table, one module after another."""


def _width() -> int:
    """The terminal's width in columns (COLUMNS first, as ``shutil`` reads it)."""
    import shutil

    return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def _console():
    from rich.console import Console

    return Console(stderr=False, highlight=False, width=_width())


def _print_rich(renderable) -> None:
    try:
        _console().print(renderable)
    except (BrokenPipeError, OSError):
        pass


# ---------------------------------------------------------------- shared command bodies


def _options(**kw):
    from .model import RenderOptions

    try:
        return RenderOptions(**kw)
    except Exception as exc:  # pydantic ValidationError: a bad option value
        err = (
            exc.errors(include_url=False)[0]
            if hasattr(exc, "errors")
            else {"loc": (), "msg": str(exc)}
        )
        name = str(err["loc"][0]) if err["loc"] else "option"
        name = {"allow": "allow-path"}.get(name, name.replace("_", "-"))
        msg = err["msg"].removeprefix("Value error, ")
        raise PaibanError(f"--{name}: {msg}", hint="see --help for the allowed values") from None


def _expand(paths: list[Path]) -> list[Path]:
    from .safeio import check_name

    out: list[Path] = []
    for p in paths:
        check_name(p)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*.y*ml") if q.suffix in (".yaml", ".yml"))
            if not found:
                raise PaibanError(
                    f"{p}: no .yaml descriptions in this folder",
                    hint="name a description file or a folder that holds some",
                )
            out.extend(found)
        else:
            out.append(p)
    return out


def _fit_table(result, title: str = "fit (算稿)", suggestions: dict | None = None, width: int | None = None):
    """A rich table of a page's fit report: per flow in 字 and column-lines, with changes,
    reasons and suggestions (``layout.report``) in a column of their own on a wide terminal
    (``width``: default the terminal's), under the table on a narrow one."""
    from rich.table import Table

    from .report import FIT_UNITS, fit_rows, page_summary

    wide = (width or _width()) >= NOTES_COLUMN_WIDTH
    if wide:
        table = Table(title=title)
        columns = ["module", "place", "字/line", "capacity 字 (col-lines)", "copy", "over", "short", "foot",
                   "changes, reasons, suggestions"]
    else:
        # Narrow: no rules between columns and short headers (the units line says 字 (col-lines)),
        # so that a row stays one line on an 80-column terminal.
        from rich import box

        table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1), pad_edge=False, show_edge=False)
        columns = ["module", "cols, lines", "字/line", "capacity", "copy", "over", "short", "foot"]
    for col in columns:
        table.add_column(col, justify="left" if col in ("module", "place", "cols, lines", "changes, reasons, suggestions")
                         else "right", no_wrap=col not in ("module", "changes, reasons, suggestions") and not wide)

    def both(chars, lines) -> str:
        return f"{chars} ({lines})"

    below: list[tuple[str, list[str]]] = []
    for r in fit_rows(result, suggestions):
        notes = list(r["changes"]) + [f"why: {x}" for x in r["reasons"]]
        notes += [f"try: {s['text']}" for s in r["suggestions"]]
        place = r["place"] if wide else _short_place(r["place"])
        cells = [r["id"], place, f"{r['chars_per_line']:g}",
                 both(r["capacity_chars"], r["capacity_lines"]), both(r["copy_chars"], r["copy_lines"]),
                 both(r["over_chars"], r["over_lines"]), both(r["short_chars"], r["short_lines"]),
                 str(r["foot_lines"])]
        table.add_row(*cells, *(["\n".join(notes)] if wide else []))
        if notes:
            below.append((r["id"], notes))
    p = page_summary(result)
    empty = p["empty_areas"]
    units = FIT_UNITS if wide else "capacity, copy, over, short: 字 (col-lines); " + FIT_UNITS
    table.caption = (
        f"{units}\npage: {p['flows']} text flows, {p['overset_chars']} 字 overset in {p['overset_flows']}, "
        f"{p['short_flows']} with more than one empty line at a column foot, "
        f"{empty} empty area{'s' if empty != 1 else ''} of the type area; "
        f"copy short in all: {p['short_chars']} 字 ({p['short_lines']} col-lines)"
        + (f"; {p['overflows']} block(s) drawn outside their module (see the warnings)" if p["overflows"] else "")
        + (f"; edge moves: {len(p['edge_moves'])}" if p["edge_moves"] else ""))
    if wide or not below:
        return table
    # Narrow: the notes under the table, each module's under its name, wrapped with a hanging
    # indent (a column of them would be a few characters wide and many lines deep).
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list = [table, Text("changes, reasons, suggestions:", style="bold")]
    for name, notes in below:
        parts.append(Text(name, style="bold"))
        # "why:" and "try:" in a column of their own, so that a wrapped note hangs after them.
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for note in notes:
            label, _, rest = note.partition(": ")
            if label in ("why", "try"):
                grid.add_row(f"{label}:", rest)
            else:
                grid.add_row("", note)
        parts.append(Padding(grid, (0, 0, 0, 2), expand=False))
    return Group(*parts)


def _short_place(place: str) -> str:
    """``col 1+5, lines 0–67`` as ``1+5, 0–67`` (a narrow table's cols, lines column)."""
    import re

    return re.sub(r"col (\d+\+\d+), lines (\d+–\d+)", r"\1, \2", place)


def _print_photos(result) -> None:
    """Print each photo's printed size, crop and effective resolution (when the page has photos)."""
    from rich.table import Table

    from .compose.photoreport import photo_rows

    rows = photo_rows(result.page)
    if not rows:
        return
    table = Table(title="photos (图片)")
    cells = [row.cells() for row in rows]
    names = ["module", "file", "size (mm)", "crop", "ppi", "note"]
    if not any(c[-1] for c in cells):  # no notes: the width goes to the file names
        names, cells = names[:-1], [c[:-1] for c in cells]
    for name in names:
        table.add_column(name, justify="right" if name in ("size (mm)", "ppi") else "left",
                         overflow="fold" if name == "file" else "ellipsis")
    for row in cells:
        table.add_row(*row)
    _print_rich(table)


def _print_moves(result) -> None:
    """Say that the places shown are after page-level fit, and what it moved (validate, grid)."""
    if result.moves:
        _echo(f"places above are after page-level fit, which moved {len(result.moves)} edge(s) "
              "(--no-page-fit shows them as written):")
        for move in result.moves:
            _echo(f"  {move.describe()}")


def _grid_table(facts: dict):
    """A rich table of the grid facts (``layout.report.grid_facts``)."""
    from rich.table import Table

    head = Table(title="grid", show_header=False)
    head.add_column("fact")
    head.add_column("value")
    head.add_row("trim", f"{facts['trim_mm'][0]} × {facts['trim_mm'][1]} mm")
    head.add_row("type area", f"{facts['type_area_mm'][0]} × {facts['type_area_mm'][1]} mm")
    head.add_row("columns", f"{facts['columns']} of {facts['column_chars']} 字 ({facts['column_width_mm']} mm), "
                            f"gutter {facts['gutter_chars']:g} 字 ({facts['gutter_mm']} mm)")
    head.add_row("body lines", f"{facts['lines']} on the page, {facts['mm_per_line']} mm per line "
                               f"({facts['body_size_pt']:g} pt type)")
    modules = Table(title="modules")
    for col in ("module", "place", "shape", "size", "capacity"):
        modules.add_column(col, justify="right" if col == "capacity" else "left")
    for m in facts["modules"]:
        cap = "" if m["capacity_chars"] is None else f"{m['capacity_chars']} 字"
        modules.add_row(m["id"], m["place"], m["shape"], f"{m['width_mm']} × {m['height_mm']} mm ({m['lines']} lines)",
                        cap)
    return head, modules


def _limits(timeout: float | None, max_memory: float | None) -> None:
    """Check ``--timeout`` and ``--max-memory`` (the same message on both command-line paths)."""
    import math

    if timeout is not None and not (math.isfinite(timeout) and 0 < timeout <= 86_400):
        raise PaibanError(
            f"--timeout: {timeout:g} s is not a usable time limit",
            hint="give seconds per page, more than 0, e.g. --timeout 60",
        )
    if max_memory is not None and not (math.isfinite(max_memory) and 16 <= max_memory <= 1_048_576):
        raise PaibanError(
            f"--max-memory: {max_memory:g} MiB is not a usable memory limit",
            hint="give MiB per page, at least 16, e.g. --max-memory 1024",
        )


def render_command(
    issues: list[Path],
    output: Path | None = None,
    *,
    pdfx: str | None = None,
    profile: Path | None = None,
    ink_limit: float = 240.0,
    grayscale: bool = False,
    marks: bool = True,
    strict: bool = False,
    allow_path: tuple[Path, ...] = (),
    jobs: int = 0,
    preflight: bool = True,
    timeout: float | None = None,
    max_memory: float | None = None,
    draft: bool = False,
    page_fit: bool = True,
) -> int:
    """Run ``paiban render``; return its exit code (both command-line paths end here)."""
    _limits(timeout, max_memory)
    options = _options(
        pdfx=pdfx or ("none" if draft else "x1a"),
        draft=draft,
        profile=profile,
        ink_limit=ink_limit,
        grayscale=grayscale,
        marks=marks,
        strict=strict,
        allow=tuple(allow_path),
        preflight=preflight,
        page_fit=page_fit,
    )
    paths = _expand(issues)
    from . import edition

    if len(paths) > 1:
        return edition.render_edition(
            paths,
            output,
            options,
            jobs or os.cpu_count() or 1,
            _console(),
            timeout=timeout,
            max_mib=max_memory,
        )
    out = str(output) if output is not None else None
    if timeout or max_memory:  # enforced in a worker process that can be stopped
        from .api import default_output

        edition._warm()
        target = Path(out) if out is not None else default_output(paths[0])
        if out is None:
            target.parent.mkdir(parents=True, exist_ok=True)
        outcome = edition.render_isolated(
            [(paths[0], out, target)], options, 1, timeout=timeout, max_mib=max_memory
        )[0]
        edition.replay_warnings(outcome)
        if not outcome.ok:
            raise outcome.error_exception()
    else:
        from . import api

        start = time.perf_counter()
        result = api.render(paths[0], out, options)
        outcome = edition.outcome_of(result, str(paths[0]), time.perf_counter() - start)
    _echo(f"wrote {outcome.out} ({outcome.size / 1024:.0f} KiB, {outcome.seconds:.2f} s)")
    if outcome.overset_chars or any(f.overset_lines for f in outcome.fit):
        _print_rich(_fit_table(outcome))
    if outcome.preflight is not None:
        if not outcome.preflight.ok:
            from .pdf.preflight import render_report

            _print_rich(render_report(outcome.preflight))
            return EXIT_PROBLEMS
        _echo("preflight: ok")
    elif draft:
        _echo("draft proof: not for print (no PDF/X, no preflight)")
    return EXIT_OK


def _preflight_file(pdf: Path, ink_limit: float, pdfx: bool):
    """Preflight one file (run in a worker by ``paiban preflight``)."""
    from .pdf.preflight import preflight

    return preflight(pdf, ink_limit=ink_limit, require_pdfx=pdfx)


def _require_issue(issue: Path) -> None:
    from .safeio import FileProblem, regular_stat

    try:
        regular_stat(issue)
    except FileProblem as exc:
        if exc.message == "file not found":
            raise PaibanError(
                f"{issue}: file not found", hint="name an issue description (.yaml)"
            ) from None
        if exc.message.startswith("is a folder"):
            raise PaibanError(
                f"{issue}: is a folder", hint="name one issue description (.yaml)"
            ) from None
        raise PaibanError(f"{str(issue)[:200]}: {exc.message}", hint=exc.hint) from None


def _check_outputs(
    issue: Path, targets: list[tuple[Path, str | None]], profile: Path | None = None
) -> None:
    """Refuse outputs that would replace an input of ``issue``, a device or another kind of file."""
    from .api import _check_target
    from .model import referenced_files

    inputs = referenced_files(issue) + ([profile] if profile is not None else [])
    for target, kind in targets:
        if target.exists() or target.is_symlink():
            _check_target(target, kind, inputs)


# ---------------------------------------------------------------- the fast path


_FAST_FLAGS = {
    "--grayscale": ("grayscale", True),
    "--no-grayscale": ("grayscale", False),
    "--marks": ("marks", True),
    "--no-marks": ("marks", False),
    "--strict": ("strict", True),
    "--no-strict": ("strict", False),
    "--preflight": ("preflight", True),
    "--no-preflight": ("preflight", False),
    "--draft": ("draft", True),
    "--page-fit": ("page_fit", True),
    "--no-page-fit": ("page_fit", False),
}
"""Boolean options of ``render`` the fast path understands."""

_FAST_VALUES = {
    "-o": ("output", Path),
    "--output": ("output", Path),
    "--pdfx": ("pdfx", str),
    "--profile": ("profile", Path),
    "--ink-limit": ("ink_limit", float),
    "--allow-path": ("allow_path", Path),
    "--jobs": ("jobs", int),
    "-j": ("jobs", int),
    "--timeout": ("timeout", float),
    "--max-memory": ("max_memory", float),
}
"""Options of ``render`` with a value the fast path understands (name, type)."""


def _fast_render(argv: list[str]) -> int | None:
    """``paiban [--debug] render PAGE [options]`` without typer; None for anything unusual."""
    args = list(argv)
    if args[:1] == ["--debug"]:
        args = args[1:]
    if not args or args[0] != "render":
        return None
    kw: dict = {}
    allow: list[Path] = []
    paths: list[str] = []
    i = 1
    while i < len(args):
        arg = args[i]
        name, value = (arg.split("=", 1) + [None])[:2] if arg.startswith("--") else (arg, None)
        if name in _FAST_FLAGS and value is None:
            key, flag = _FAST_FLAGS[name]
            kw[key] = flag
        elif name in _FAST_VALUES:
            if value is None:
                if i + 1 >= len(args):
                    return None
                i += 1
                value = args[i]
            key, kind = _FAST_VALUES[name]
            if not value or (kind is not str and value.startswith("-") and kind is Path):
                return None
            try:
                converted = kind(value)
            except ValueError:
                return None  # typer says what is wrong with it
            if key == "allow_path":
                allow.append(converted)
            else:
                kw[key] = converted
        elif arg.startswith("-") or not arg:
            return None  # --help, --, an unknown option: typer handles it
        else:
            paths.append(arg)
        i += 1
    if len(paths) != 1:
        return None
    return render_command([Path(paths[0])], allow_path=tuple(allow), **kw)


# ---------------------------------------------------------------- the typer app


def _build_app():
    """Create the typer app (imported only when the fast path does not apply)."""
    import typer

    PageFit = Annotated[
        bool,
        typer.Option(
            "--page-fit/--no-page-fit",
            help="Move the edges modules share so that they fill (page-level fit); "
            "--no-page-fit keeps every module edge as written (photos still flex within their "
            "flex; flex: 0 keeps a height).",
        ),
    ]

    app = typer.Typer(
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        help="Paiban (排版): typeset Chinese newspaper pages into print-ready PDFs.",
    )

    @app.callback()
    def _main(
        debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    ) -> None:
        _STATE["debug"] = debug
        _setup_logging()

    @app.command()
    def render(
        issues: Annotated[
            list[Path], typer.Argument(help="Issue descriptions (.yaml) or folders of them.")
        ],
        output: Annotated[
            Path | None, typer.Option("-o", "--output", help="Output PDF (one issue) or folder.")
        ] = None,
        pdfx: Annotated[
            str | None, typer.Option(help="x1a (PDF/X-1a:2003), x4 (PDF/X-4) or none (default x1a; none "
                                          "with --draft).")
        ] = None,
        profile: Annotated[Path | None, typer.Option(help="CMYK output profile (.icc).")] = None,
        ink_limit: Annotated[float, typer.Option(help="Total ink limit for images, %.")] = 240.0,
        grayscale: Annotated[bool, typer.Option(help="Convert photos to black only.")] = False,
        marks: Annotated[bool, typer.Option(help="Crop marks and slug outside the bleed.")] = True,
        strict: Annotated[
            bool, typer.Option(help="Fail with exit 1 when text is overset or anything overflows.")
        ] = False,
        allow_path: Annotated[
            list[Path], typer.Option("--allow-path", help="Extra folder assets may come from.")
        ] = [],
        jobs: Annotated[
            int, typer.Option("--jobs", "-j", help="Parallel processes for several pages.")
        ] = 0,
        preflight: Annotated[bool, typer.Option(help="Preflight the written PDF.")] = True,
        timeout: Annotated[
            float | None,
            typer.Option(
                help="Stop a page after this many seconds (exit 4); it renders in a worker."
            ),
        ] = None,
        max_memory: Annotated[
            float | None,
            typer.Option(
                help="Memory a page may use, MiB (exit 4 beyond it); it renders in a worker."
            ),
        ] = None,
        draft: Annotated[
            bool, typer.Option("--draft", help="Draft proof: low-resolution photos marked FPO (no PDF/X).")
        ] = False,
        page_fit: PageFit = True,
    ) -> None:
        """Render issue descriptions to print-ready PDFs (default into output/)."""
        raise SystemExit(
            render_command(
                issues,
                output,
                pdfx=pdfx,
                profile=profile,
                ink_limit=ink_limit,
                grayscale=grayscale,
                marks=marks,
                strict=strict,
                allow_path=tuple(allow_path),
                jobs=jobs,
                preflight=preflight,
                timeout=timeout,
                max_memory=max_memory,
                draft=draft,
                page_fit=page_fit,
            )
        )

    @app.command()
    def validate(
        issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
        page_fit: PageFit = True,
    ) -> None:
        """Check a description (schema, files, fonts, placement) without rendering."""
        from . import api

        loaded = api.load_issue(issue)
        result = api.layout(loaded, _options(page_fit=page_fit))
        for message in result.warnings:
            logger.warning(message)
        from .report import grid_facts

        for table in _grid_table(grid_facts(result)):
            _print_rich(table)
        _print_moves(result)
        _print_photos(result)
        # Every head's rows and size, so an editor sees the breaks without rendering (issue 13).
        from rich.table import Table

        heads = Table(title="heads (标题)")
        for col in ("article", "part", "size", "font", "rows", "lines"):
            heads.add_column(col, justify="right" if col in ("size", "lines") else "left")
        for r in result.heads:
            heads.add_row(r.id, r.part, f"{r.size:g} pt", r.font, " ／ ".join(r.rows),
                          "" if r.lines is None else str(r.lines))
        _print_rich(heads)
        _echo(f"{issue}: ok ({len(loaded.issue.articles)} articles)")

    @app.command()
    def schema() -> None:
        """Print the JSON Schema of issue descriptions."""
        import json

        from .model import json_schema

        _echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))

    @app.command()
    def fit(
        issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
        json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON (for tools).")] = False,
        suggest: Annotated[bool, typer.Option(help="Try remedies for modules that do not fit and list "
                                                   "those that work.")] = True,
        page_fit: PageFit = True,
    ) -> None:
        """Print the copy-fit table (算稿) of every module in 字 and lines; exit 1 on any overset."""
        import json

        from . import api
        from .report import fit_json

        loaded = api.load_issue(issue)
        options = _options(page_fit=page_fit)
        result = api.layout(loaded, options)
        tips = api.suggestions(loaded, result, options) if suggest else {}
        if json_out:
            _echo(json.dumps(fit_json(result, tips), ensure_ascii=False, indent=2))
        else:
            for message in result.warnings:
                if not message.startswith("overset"):
                    logger.warning(message)
            _print_rich(_fit_table(result, suggestions=tips))
            _print_photos(result)
        if result.overset:
            if not json_out:
                _echo("overset: text does not fit (see the table)", err=True)
            raise SystemExit(EXIT_PROBLEMS)

    @app.command()
    def plan(
        issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
        write: Annotated[Path | None, typer.Option("--write", help="Write the description with every "
                                                   "placement explicit to this file (beside the description).")] = None,
        page_fit: PageFit = True,
    ) -> None:
        """Place the articles that have no place (自动组版) and print the arrangement and its cost."""
        from rich.table import Table

        from . import api

        loaded = api.load_issue(issue)
        result = api.layout(loaded, _options(page_fit=page_fit))
        for message in result.warnings:
            logger.warning(message)
        auto = result.auto
        if auto is None:
            _echo(f"{issue}: every article has a place; nothing to plan")
        else:
            from .arrange.autolayout import COSTS

            # Each term as count × weight, so that they add up to the cost.
            terms = ", ".join(f"{k} {v:g}×{COSTS.get(k, 1):g}" for k, v in auto.terms.items() if v)
            _echo(f"arrangement: {auto.arrangement}; cost {auto.cost:.1f} ({terms or 'nothing'})")
            _echo(f"tried {auto.tried} arrangements by arithmetic, composed {auto.composed}")
            table = Table(title="placements")
            for col in ("article", "place", "shape", "head", "photos"):
                table.add_column(col)
            depth = {r.id: r.lines for r in result.heads if r.lines is not None}
            size = {r.id: r.size for r in result.heads if r.part == "main"}
            from .compose.photoreport import photo_rows
            from .units import mm

            # (article, file) → lines as set, after auto-fit's flex
            set_lines = {(row.article, row.source): round(result.grid.block_lines(mm(row.height_mm)))
                         for row in photo_rows(result.page)}

            def shown(article_id, p) -> str:
                lines = set_lines.get((article_id, p.file), p.place.height)
                flexed = f" (set {lines} after flex)" if lines != p.place.height else ""
                return f"{p.file}: col {p.place.col}+{p.place.span}, {p.place.height} lines{flexed}"

            for m in result.modules:
                if m.kind != "article":
                    continue
                article = next(a for a in loaded.issue.articles if a.id == m.article)
                planned = next(a for a in auto.articles if a.id == m.article)
                photos = "; ".join(shown(m.article, p) for p in planned.photos) if article.place is None else "(as given)"
                head = (f"{size[m.article]:g} pt, {depth[m.article]} lines"
                        if m.article in size and m.article in depth else "")
                table.add_row(m.label, m.region.label(), m.region.shape, head, photos)
            _print_rich(table)
            for move in result.moves:
                _echo(move.describe())
        if write is not None:
            path = api.write_planned(loaded, result, write)
            _echo(f"wrote {path}")

    @app.command()
    def grid(
        issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
        page_fit: PageFit = True,
    ) -> None:
        """Print the page grid (trim, type area, columns in mm and 字, lines, mm per line) and every
        module's size in mm and capacity in 字."""
        from . import api
        from .report import grid_facts

        result = api.layout(api.load_issue(issue), _options(page_fit=page_fit))
        for table in _grid_table(grid_facts(result)):
            _print_rich(table)
        _print_moves(result)

    @app.command()
    def fonts(
        issue: Annotated[Path | None, typer.Argument(help="Issue description (.yaml).")] = None,
    ) -> None:
        """List font roles, files and glyph counts; with an issue, the characters each role uses."""
        from rich.table import Table

        from . import fonts as F

        uses = None
        if issue is not None:
            from . import api
            from .plan.planner import text_uses

            loaded = api.load_issue(issue)
            fontset = api.fontset_for(loaded)
            uses = text_uses(loaded)
        else:
            fontset = F.FontSet()
        rows = F.describe(fontset, uses)
        table = Table(title="font roles" + (f" of {issue}" if issue else ""))
        columns = ["role", "file", "key", "glyphs"] + (
            ["chars used", "missing", "from fallback"] if uses else []
        )
        for name in columns:
            table.add_column(name, justify="right" if name in ("glyphs", "chars used") else "left")
        missing = False
        for row in rows:
            file = Path(str(row.get("file", ""))).name + (
                f" #{row['index']}" if row.get("index") else ""
            )
            if row.get("error"):
                file += f" (error: {row['error']})"
            cells = [
                f"{row['label']} ({row['role']})",
                file,
                str(row.get("key", "")),
                str(row.get("glyphs", "")),
            ]
            if uses:
                cells += [
                    str(row.get("used", "")),
                    str(row.get("missing", "")),
                    str(row.get("fallback", "")),
                ]
                missing = missing or bool(row.get("missing"))
            table.add_row(*cells)
        _print_rich(table)
        if missing:
            raise SystemExit(EXIT_PROBLEMS)

    @app.command(name="preflight")
    def preflight_cmd(
        pdf: Annotated[Path, typer.Argument(help="Any PDF file.")],
        ink_limit: Annotated[float, typer.Option(help="Total ink limit, %.")] = 240.0,
        pdfx: Annotated[bool, typer.Option(help="Require PDF/X keys and an OutputIntent.")] = True,
        timeout: Annotated[
            float, typer.Option(help="Stop after this many seconds (exit 4).")
        ] = PREFLIGHT_TIMEOUT,
        max_memory: Annotated[
            float, typer.Option(help="Memory the check may use, MiB (exit 4 beyond it).")
        ] = PREFLIGHT_MAX_MIB,
    ) -> None:
        """Check a PDF for print: fonts, colour, transparency, overprint, ink, resolution, boxes, PDF/X.

        The PDF may come from anyone: the check runs in a worker process with a time and memory
        limit, and a file beyond its budget is reported "too complex to check".
        """
        from .edition import run_limited
        from .pdf.preflight import render_report

        _limits(timeout, max_memory)
        report = run_limited(
            _preflight_file,
            (pdf, ink_limit, pdfx),
            what=str(pdf)[:200],
            timeout=timeout,
            max_mib=max_memory,
        )
        _print_rich(render_report(report))
        raise SystemExit(EXIT_OK if report.ok else EXIT_PROBLEMS)

    def _overlays(text: str | None) -> tuple[str, ...]:
        from .preview import parse_overlays

        try:
            return parse_overlays(text)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    @app.command()
    def preview(
        issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
        output: Annotated[
            Path | None,
            typer.Option("-o", "--output", help="Output PNG (default output/<name>.png)."),
        ] = None,
        dpi: Annotated[
            float, typer.Option(help="Resolution in pixels per inch.", min=5, max=600)
        ] = 50,
        overlay: Annotated[
            str | None,
            typer.Option(
                "--overlay",
                help="Comma-separated overlays: grid, frames, baselines, overset (or all).",
            ),
        ] = None,
        allow_path: Annotated[
            list[Path], typer.Option("--allow-path", help="Extra folder assets may come from.")
        ] = [],
        draft: Annotated[
            bool, typer.Option("--draft", help="Accept low-resolution photos, marked FPO.")
        ] = False,
        page_fit: PageFit = True,
    ) -> None:
        """Render a page to a PNG preview, optionally with grid, frame, baseline and overset overlays."""
        from . import api
        from . import preview as PV

        _require_issue(issue)
        kinds = _overlays(overlay)
        options = _options(allow=tuple(allow_path), preflight=False, draft=draft,
                           pdfx="none" if draft else "x1a", page_fit=page_fit)
        _check_outputs(
            issue, [(output if output is not None else api.default_output(issue, ".png"), "png")]
        )
        start = time.perf_counter()
        result = PV.preview(issue, output, dpi=dpi, overlays=kinds, options=options)
        for message in result.layout.warnings:
            logger.warning(message)
        w, h = result.image.size
        _echo(
            f"wrote {result.path} ({w}×{h} px at {dpi:g} dpi, {time.perf_counter() - start:.2f} s)"
        )
        if result.layout.overset:  # what does not fit, as `paiban fit` shows it
            _print_rich(_fit_table(result.layout))

    @app.command()
    def approve(
        issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
        baseline: Annotated[Path, typer.Option("--baseline", help="Baseline folder (created).")],
        dpi: Annotated[
            float, typer.Option(help="Resolution of the baseline page.png.", min=5, max=300)
        ] = 40,
    ) -> None:
        """Accept the current layout as the baseline: write snapshot.txt and page.png into a folder."""
        from . import regress

        _require_issue(issue)
        _check_outputs(
            issue, [(baseline / regress.SNAPSHOT_FILE, "snapshot"), (baseline / regress.PAGE_FILE, "png")]
        )
        folder = regress.approve(issue, baseline, _options(preflight=False), dpi=dpi)
        _echo(f"approved {issue}: {folder / regress.SNAPSHOT_FILE}, {folder / regress.PAGE_FILE}")

    @app.command()
    def check(
        issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
        baseline: Annotated[
            Path, typer.Option("--baseline", help="Baseline folder written by `paiban approve`.")
        ],
        tolerance: Annotated[
            float | None,
            typer.Option(
                help="Largest fraction of changed pixels still counted equal [default: 0.00001 = 0.001 %].",
                min=0,
                max=1,
            ),
        ] = None,
        threshold: Annotated[
            int | None,
            typer.Option(
                help="Per-pixel difference (0–255) above which a pixel counts as changed [default: 16].",
                min=0,
                max=255,
            ),
        ] = None,
        dpi: Annotated[
            float | None,
            typer.Option(help="Resolution; must be the baseline's (the default).", min=5, max=300),
        ] = None,
        diff: Annotated[
            Path | None, typer.Option("--diff", help="Where to write the diff PNG.")
        ] = None,
        unified: Annotated[
            bool, typer.Option(help="Print the unified diff of the snapshots too.")
        ] = True,
    ) -> None:
        """Compare a page with its baseline: structure (articles, lines), then pixels; exit 1 if different."""
        from . import regress

        _require_issue(issue)
        _check_outputs(issue, [(diff if diff is not None else baseline / regress.DIFF_FILE, "png")])
        tol = regress.Tolerance(
            regress.PIXEL_THRESHOLD if threshold is None else threshold,
            regress.MAX_CHANGED_FRACTION if tolerance is None else tolerance,
        )
        report = regress.check(
            issue,
            baseline,
            tolerance=tol,
            dpi=dpi,
            diff_out=diff,
            options=_options(preflight=False),
        )
        _echo(report.render(unified=unified))
        _echo(f"checked in {report.seconds:.2f} s")
        raise SystemExit(EXIT_OK if report.ok else EXIT_PROBLEMS)

    @app.command()
    def watch(
        issue: Annotated[Path, typer.Argument(help="Issue description (.yaml).")],
        output: Annotated[
            Path | None,
            typer.Option("-o", "--output", help="Output PDF (default output/<name>.pdf)."),
        ] = None,
        png: Annotated[
            Path | None, typer.Option("--png", help="Preview PNG (default beside the PDF).")
        ] = None,
        no_png: Annotated[bool, typer.Option("--no-png", help="Write the PDF only.")] = False,
        interval: Annotated[
            float, typer.Option(help="Seconds between checks for changes.", min=0.05, max=60)
        ] = 0.5,
        dpi: Annotated[float, typer.Option(help="Preview resolution.", min=5, max=600)] = 50,
    ) -> None:
        """Re-render the PDF and PNG whenever the description or a file it names changes (Ctrl-C stops)."""
        from . import api
        from .watch import watch as run_watch

        _require_issue(issue)
        pdf = output if output is not None else api.default_output(issue)
        out_png = None if no_png else (png if png is not None else pdf.with_suffix(".png"))
        _check_outputs(issue, [(pdf, "pdf")] + ([(out_png, "png")] if out_png is not None else []))
        if output is None:
            pdf.parent.mkdir(parents=True, exist_ok=True)
        _echo(f"watching {issue} and the files it names (every {interval:g} s); Ctrl-C stops")
        try:
            run_watch(
                issue,
                pdf,
                out_png,
                interval=interval,
                dpi=dpi,
                options=_options(preflight=False),
                echo=_echo,
                sleep=lambda seconds: time.sleep(seconds),
            )
        except (KeyboardInterrupt, Interrupted):
            _echo("stopped")
        raise SystemExit(EXIT_OK)

    @app.command()
    def serve(
        target: Annotated[Path, typer.Argument(help="Issue description (.yaml) or a folder of them.")],
        port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).", min=0, max=65535)] = 8000,
        host: Annotated[str, typer.Option(help="Address to listen on; other than 127.0.0.1 exposes the pages.")]
        = "127.0.0.1",
        baseline: Annotated[Path | None, typer.Option(
            "--baseline", help="Baseline folder for the diff view (for a folder: one sub-folder per page).")] = None,
        allow_path: Annotated[list[Path], typer.Option("--allow-path", help="Extra folder assets may come from.")] = [],
    ) -> None:
        """Preview pages live in the browser: overlays, fit table, errors, diff; re-renders on save."""
        from .serve import serve as run_serve

        try:
            run_serve(target, host=host, port=port, baseline=baseline,
                      options=_options(allow=tuple(allow_path), preflight=False), echo=_echo)
        except (KeyboardInterrupt, Interrupted):
            _echo("stopped")
        raise SystemExit(EXIT_OK)

    @app.command(name="cache")
    def cache_cmd(
        clear: Annotated[bool, typer.Option("--clear", help="Remove every cache entry.")] = False,
    ) -> None:
        """Show where the cache is and how big it is (and its bound); --clear empties it."""
        from . import cache

        mib = 1024 * 1024
        if clear:
            files, size = cache.clear()
            _echo(f"cleared {cache.cache_root()}: {files} files, {size / mib:.1f} MiB")
            raise SystemExit(EXIT_OK)
        usage = cache.usage()
        _echo(f"cache: {usage.root}")
        for name, size, files in usage.parts:
            if files:
                _echo(f"  {name:<12} {size / mib:8.1f} MiB {files:7d} files")
        _echo(f"  {'total':<12} {usage.total / mib:8.1f} MiB of {usage.limit / mib:.0f} MiB "
              "(PAIBAN_CACHE_MAX_MB); entries used least recently are removed beyond it")
        raise SystemExit(EXIT_OK)

    return app


_APP = []


def __getattr__(name: str):
    if name == "app":  # built on first use: the render fast path never imports typer
        if not _APP:
            _APP.append(_build_app())
        return _APP[0]
    raise AttributeError(name)


# ---------------------------------------------------------------- the safety net


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived (a BaseException that click's own handlers do not catch)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, _frame) -> None:
    raise Interrupted(signum)


def _install_signals() -> dict:
    """Turn SIGINT/SIGTERM into ``Interrupted``, so temporary files are removed on the way out."""
    saved = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            saved[sig] = signal.signal(sig, _on_signal)
        except (ValueError, OSError):  # not the main thread
            pass
    return saved


def _internal(exc: BaseException) -> int:
    from .edition import internal_text

    _echo(f"error: internal error: {internal_text(exc)}", err=True)
    _echo(f"  hint: {INTERNAL_HINT}", err=True)
    return EXIT_INTERNAL


def _exit_code(value) -> int:
    if value is None:
        return EXIT_OK
    if isinstance(value, int):
        return value
    _echo(str(value), err=True)
    return EXIT_PROBLEMS


def run(argv: list[str] | None = None) -> int:
    """Run the ``paiban`` command line; return the exit code instead of exiting.

    Never raises (but with ``--debug`` an error's traceback is shown by re-raising it).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    saved = _install_signals()
    try:
        _setup_logging()
        code = _fast_render(argv)
        if code is None:
            _STATE["debug"] = debug
            __getattr__("app")(args=argv, prog_name="paiban", standalone_mode=True)
            code = EXIT_OK
        return code
    except SystemExit as exc:  # typer's own exits (usage errors print their message first)
        return _exit_code(exc.code)
    except PaibanError as exc:
        if debug:
            raise
        for line in exc.render().splitlines():
            _echo(line, err=True)
        return exc.exit_code
    except Interrupted as exc:
        name = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}.get(
            exc.signum, f"signal {exc.signum}"
        )
        _echo(f"error: interrupted ({name}); no partial file was left", err=True)
        return EXIT_SIGNAL_BASE + exc.signum
    except KeyboardInterrupt:
        _echo("error: interrupted (Ctrl-C); no partial file was left", err=True)
        return EXIT_SIGNAL_BASE + signal.SIGINT
    except MemoryError:
        _echo("error: out of memory", err=True)
        _echo(
            "  hint: render the page alone, or limit it with --max-memory to see which page it is",
            err=True,
        )
        return EXIT_LIMIT
    except BaseException as exc:  # the safety net: anything unforeseen is one line
        if debug:
            raise
        try:
            return _internal(exc)
        except BaseException:  # noqa: BLE001 - even printing failed
            return EXIT_INTERNAL
    finally:
        try:
            from .safeio import remove_live_temps

            remove_live_temps()
            for sig, handler in saved.items():
                signal.signal(sig, handler)
        except BaseException:  # noqa: BLE001 - the net must not tear
            pass


def main() -> None:
    """Entry point of the ``paiban`` command.

    On success the process ends with ``os._exit`` once stdout and stderr are flushed: the output
    files are already complete and renamed into place, so the interpreter's teardown (about
    80 ms of freeing objects, issue 19) would only cost time. The garbage collector runs at
    ``GC_THRESHOLDS`` in this process (not in ``run()``, which tests and servers call in theirs).
    """
    import gc

    gc.set_threshold(*GC_THRESHOLDS)
    code = run()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`paiban fit … | head`): say nothing more
        code = code or EXIT_PROBLEMS
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
    if code == EXIT_OK:
        os._exit(0)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
