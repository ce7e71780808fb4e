"""Editions and isolated renders: many pages, each on its own, with limits per page.

Owns the fan-out of ``paiban render`` over several descriptions or a folder, and the worker
processes that enforce ``--timeout`` and ``--max-memory``:

* output names are decided for every page first; two pages that would write one file are an
  error before anything is written;
* each page is isolated: a ``PaibanError``, an unforeseen exception, a worker that crashes, runs
  out of its memory or over its time is one row of the summary table, and the other pages are
  rendered all the same;
* a worker is a forked process per page (after the pipeline is imported and the bundled faces
  loaded, so a fork costs milliseconds); the parent waits on its pipe with the page's deadline
  and kills it when the deadline passes; its address space is capped with ``RLIMIT_AS`` at the
  idle worker's size plus ``--max-memory``; warnings it logs are sent back and printed by the
  parent, in order;
* the summary table names every page and output in full (nothing is ellipsised), with overset
  and underset figures and the preflight verdict.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError, PaibanError, logger

EXIT_INTERNAL = 3
"""Exit code of an unforeseen exception (a bug): one line and a hint to run with --debug."""

EXIT_LIMIT = 4
"""Exit code of a page stopped by ``--timeout`` or ``--max-memory``."""

KILL_GRACE_SECONDS = 2.0
"""How long a worker that was killed may take to disappear before it is reaped anyway."""

MIB = 1024 * 1024


@dataclass
class PageOutcome:
    """What rendering one page produced, whether in this process or in a worker."""

    path: str
    out: str | None = None
    code: int = 0
    error: str | None = None
    hint: str | None = None
    seconds: float = 0.0
    size: int = 0
    fit: tuple = ()
    warnings: tuple[str, ...] = ()
    preflight: object = None
    logged: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when a PDF was written."""
        return self.error is None

    @property
    def overset_chars(self) -> int:
        """Characters that did not fit, over all text flows of the page."""
        return sum(f.overset_chars for f in self.fit)

    @property
    def underset_lines(self) -> int:
        """Lines left empty at the ends of text flows."""
        return sum(f.underset_lines for f in self.fit)

    def error_exception(self) -> PaibanError:
        """The error of a failed page as a ``PaibanError`` with its exit code."""
        exc = PaibanError(self.error or "failed", hint=self.hint)
        exc.exit_code = self.code or 2
        return exc


def outcome_of(result, path: str, seconds: float) -> PageOutcome:
    """Summarise an ``api.RenderResult`` of the description ``path``."""
    pf = result.preflight
    return PageOutcome(
        path=path,
        out=str(result.path),
        code=1 if (pf is not None and not pf.ok) else 0,
        seconds=seconds,
        size=len(result.pdf),
        fit=tuple(result.layout.fit),
        warnings=tuple(result.layout.warnings),
        preflight=pf,
    )


def render_page(path: str, out: str | None, options, *, capture: bool = False) -> PageOutcome:
    """Render one page in this process; every failure becomes the outcome's error.

    With ``capture`` the warnings are kept in ``logged`` instead of printed (an edition prints
    them with the page's name).
    """
    from . import api

    start = time.perf_counter()
    collect = _Collect() if capture else None
    saved = (list(logger.handlers), logger.propagate)
    if collect is not None:
        logger.handlers, logger.propagate = [collect], False
    try:
        result = api.render(path, out, options)
        outcome = outcome_of(result, path, time.perf_counter() - start)
    except PaibanError as exc:
        outcome = PageOutcome(
            path, out, exc.exit_code, exc.message, exc.hint, time.perf_counter() - start
        )
    except MemoryError:
        outcome = PageOutcome(
            path,
            out,
            EXIT_LIMIT,
            f"{path}: out of memory while rendering",
            "give the machine more memory, or make the page smaller",
            time.perf_counter() - start,
        )
    except Exception as exc:  # noqa: BLE001 - one page's bug must not stop the edition
        outcome = PageOutcome(
            path,
            out,
            EXIT_INTERNAL,
            f"{path}: internal error: {internal_text(exc)}",
            INTERNAL_HINT,
            time.perf_counter() - start,
        )
    finally:
        if collect is not None:
            logger.handlers, logger.propagate = saved
    if collect is not None:
        outcome.logged = collect.records
    return outcome


def internal_text(exc: BaseException, limit: int = 200) -> str:
    """``Type: first line of the message``, shortened: an unforeseen error as one line."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    if len(first) > limit:
        first = first[:limit] + "…"
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def output_for(path: Path, folder: Path | None) -> str | None:
    """Output PDF for one page of an edition: inside ``folder`` if given, else the default."""
    if folder is None:
        return None
    from .api import default_output

    return str(folder / default_output(path).name)


def plan_outputs(paths: list[Path], folder: Path | None) -> list[tuple[Path, str | None, Path]]:
    """(description, -o value, resolved target) per page; refuse two pages writing one file."""
    from .api import default_output

    seen: dict[Path, Path] = {}
    unique: dict[Path, Path] = {}
    for p in paths:  # the same description named twice is rendered once
        try:
            unique.setdefault(p.resolve(), p)
        except (OSError, RuntimeError, ValueError):
            unique.setdefault(p, p)
    plan = []
    for p in unique.values():
        out = output_for(p, folder)
        target = Path(out) if out is not None else default_output(p)
        try:
            key = target.resolve()
        except (OSError, RuntimeError, ValueError):
            key = target.absolute()
        if key in seen:
            raise OutputError(
                f"{seen[key]} and {p} would both be written to {target}; nothing was written",
                hint="render them separately with -o, or rename one of their folders",
            )
        seen[key] = p
        plan.append((p, out, target))
    return plan


def _warm() -> None:
    """Import the pipeline and load the bundled faces once, before the workers fork, so each
    worker starts with them instead of paying for them itself."""
    from . import api, arrange, fonts  # noqa: F401
    from .compose import page  # noqa: F401
    from .errors import FontError
    from .pdf import finish, preflight, writer  # noqa: F401

    writer.warm()  # ReportLab, numpy, Pillow's colour management, the press CMYK transform
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


# ---------------------------------------------------------------- worker processes


class _Collect(logging.Handler):
    """Keeps a worker's warnings to send them to the parent (which prints them)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def _vm_size() -> int:
    """This process's address-space size in bytes (Linux), or 0 when unknown."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _limit_memory(max_mib: float) -> None:
    """Cap this (worker) process's address space at its present size plus ``max_mib`` MiB."""
    import resource

    limit = _vm_size() + int(max_mib * MIB)
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker(conn, path: str, out: str | None, options, max_mib: float | None) -> None:
    """Body of a worker process: render one page, send the outcome, exit without teardown."""
    try:
        logger.setLevel(logging.WARNING)
        if max_mib:
            _limit_memory(max_mib)
        outcome = render_page(path, out, options, capture=True)
        if outcome.code == EXIT_LIMIT and max_mib:
            outcome.error = f"{path}: needs more than --max-memory {max_mib:g} MiB; stopped"
            outcome.hint = "raise --max-memory, or make the page smaller"
        conn.send(outcome)
    except BaseException:  # noqa: BLE001 - nothing may escape a worker; the parent reports it
        pass
    finally:
        try:
            conn.close()
        finally:
            os._exit(0)


@dataclass
class _Running:
    path: Path
    out: str | None
    target: Path
    process: object
    conn: object
    started: float
    deadline: float | None


def _context():
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _finish_dead(
    run: _Running, timeout: float | None, max_mib: float | None, timed_out: bool
) -> PageOutcome:
    """The outcome of a worker that sent nothing: killed for its time, or died."""
    from .safeio import remove_stale_temps

    proc = run.process
    if proc.is_alive():
        proc.kill()
    proc.join(KILL_GRACE_SECONDS)
    remove_stale_temps(run.target)  # a worker killed while writing leaves its temporary file
    seconds = time.perf_counter() - run.started
    if timed_out:
        return PageOutcome(
            str(run.path),
            run.out,
            EXIT_LIMIT,
            f"{run.path}: rendering took longer than --timeout {timeout:g} s; stopped",
            "raise --timeout, or make the page simpler",
            seconds,
        )
    code = proc.exitcode
    how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    hint = "this is a bug in paiban; run the page alone with --debug and report it"
    message = f"{run.path}: the worker rendering this page stopped unexpectedly ({how})"
    if max_mib:
        message += f"; it may have needed more than --max-memory {max_mib:g} MiB"
        hint = "raise --max-memory, or report the page if it is small"
    return PageOutcome(
        str(run.path), run.out, EXIT_LIMIT if max_mib else EXIT_INTERNAL, message, hint, seconds
    )


def render_isolated(
    plan: list[tuple[Path, str | None, Path]],
    options,
    jobs: int,
    *,
    timeout: float | None = None,
    max_mib: float | None = None,
    on_done=None,
) -> list[PageOutcome]:
    """Render each page of ``plan`` in its own worker process, ``jobs`` at a time, with limits."""
    from multiprocessing.connection import wait

    ctx = _context()
    pending = list(plan)
    running: list[_Running] = []
    outcomes: list[PageOutcome] = []

    def start(item) -> None:
        path, out, target = item
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_worker, args=(send, str(path), out, options, max_mib), daemon=True
        )
        proc.start()
        send.close()
        now = time.perf_counter()
        running.append(
            _Running(path, out, target, proc, receive, now, now + timeout if timeout else None)
        )

    def done(run: _Running, outcome: PageOutcome) -> None:
        running.remove(run)
        run.conn.close()
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)

    try:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                start(pending.pop(0))
            deadlines = [r.deadline for r in running if r.deadline is not None]
            wait_for = max(0.0, min(deadlines) - time.perf_counter()) if deadlines else None
            ready = wait(
                [r.conn for r in running] + [r.process.sentinel for r in running], wait_for
            )
            now = time.perf_counter()
            for run in running[:]:  # done() removes from it
                if run.conn in ready or run.process.sentinel in ready:
                    try:
                        outcome = run.conn.recv() if run.conn.poll() else None
                    except (EOFError, OSError, MemoryError, Exception):  # noqa: BLE001 - a torn message
                        outcome = None
                    if outcome is None:
                        done(run, _finish_dead(run, timeout, max_mib, False))
                    else:
                        run.process.join(KILL_GRACE_SECONDS)
                        if run.process.is_alive():
                            run.process.kill()
                        done(run, outcome)
                elif run.deadline is not None and now >= run.deadline:
                    done(run, _finish_dead(run, timeout, max_mib, True))
    finally:  # an interrupt: stop every worker and remove what they were writing
        from .safeio import remove_stale_temps

        for run in running:
            if run.process.is_alive():
                run.process.kill()
            run.process.join(KILL_GRACE_SECONDS)
            remove_stale_temps(run.target)
    return outcomes


def replay_warnings(outcome: PageOutcome, prefix: str = "") -> None:
    """Print the warnings a worker logged, through this process's logger."""
    for level, message in outcome.logged:
        logger.log(level, prefix + message)


# ---------------------------------------------------------------- editions


def render_edition(
    paths: list[Path],
    folder: Path | None,
    options,
    jobs: int,
    console,
    *,
    timeout: float | None = None,
    max_mib: float | None = None,
) -> int:
    """Render ``paths`` with ``jobs`` processes; print a summary table; return the exit code."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    if folder is not None and folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is not a folder", hint="with several pages, -o names a folder")
    plan = plan_outputs(paths, folder)  # before anything is created or written
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    elif any(out is None for _, out, _ in plan):
        Path("output").mkdir(exist_ok=True)
    outcomes: list[PageOutcome] = []
    start = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("rendering", total=len(plan))

        def finished(outcome: PageOutcome) -> None:
            replay_warnings(outcome, f"{outcome.path}: ")
            progress.advance(task)

        if jobs <= 1 and not timeout and not max_mib:
            for p, out, _ in plan:
                outcome = render_page(str(p), out, options, capture=True)
                outcomes.append(outcome)
                finished(outcome)
        else:
            _warm()
            rank = {p: i for i, p in enumerate(_largest_first([p for p, _, _ in plan]))}
            by_size = sorted(plan, key=lambda item: rank[item[0]])
            outcomes = render_isolated(
                by_size, options, jobs, timeout=timeout, max_mib=max_mib, on_done=finished
            )
    wall = time.perf_counter() - start
    outcomes.sort(key=lambda o: o.path)
    table = Table(title=f"edition: {len(outcomes)} pages in {wall:.2f} s ({jobs} jobs)")
    columns = ("page", "time s", "overset chars", "underset lines", "preflight", "result")
    rows = []
    code = 0
    for o in outcomes:
        if o.ok:
            pf = "ok" if o.preflight is None or o.preflight.ok else "errors"
            rows.append(
                (
                    o.path,
                    f"{o.seconds:.2f}",
                    str(o.overset_chars),
                    str(o.underset_lines),
                    pf,
                    o.out or "",
                )
            )
        else:
            text = f"error: {o.error}"  # in full below the table
            rows.append(
                (
                    o.path,
                    f"{o.seconds:.2f}",
                    "-",
                    "-",
                    "-",
                    text if len(text) <= 100 else text[:99] + "…",
                )
            )
        code = max(code, o.code)
    for col in columns:
        numeric = col in ("time s", "overset chars", "underset lines")
        # Paths are never cut or folded: a page's name must be readable and copyable whole.
        table.add_column(
            col, justify="right" if numeric else "left", no_wrap=True, overflow="fold"
        )
    for row in rows:
        table.add_row(*row)
    widths = [
        max([cell_len(col)] + [cell_len(row[i]) for row in rows]) for i, col in enumerate(columns)
    ]
    wide = sum(widths) + 3 * len(columns) + 1
    if wide > console.width:  # a wider table than the terminal: it wraps, but no path is cut
        console = Console(file=console.file, width=wide, highlight=False)
    console.print(table)
    for o in outcomes:  # each failure in full below the table, as a single render prints it
        if not o.ok:
            logger.error(o.error_exception().render())
    return code


# ---------------------------------------------------------------- one limited call


def _call_worker(conn, fn, args, max_mib: float | None) -> None:
    """Body of a worker for ``run_limited``: call ``fn(*args)`` and send what happened."""
    try:
        if max_mib:
            _limit_memory(max_mib)
        try:
            message = ("ok", fn(*args))
        except PaibanError as exc:
            message = ("error", exc.message, exc.hint, exc.exit_code)
        except MemoryError:
            message = ("memory",)
        except Exception as exc:  # noqa: BLE001 - reported by the parent as an internal error
            message = ("internal", internal_text(exc))
        conn.send(message)
    except BaseException:  # noqa: BLE001 - nothing may escape a worker
        pass
    finally:
        try:
            conn.close()
        finally:
            os._exit(0)


def run_limited(
    fn, args: tuple, *, what: str, timeout: float | None = None, max_mib: float | None = None
):
    """Call ``fn(*args)`` in a worker process under a time and memory limit; return its value.

    A ``PaibanError`` in the worker is raised here again; running out of time or memory raises
    one with exit code ``EXIT_LIMIT``; a crash, one with ``EXIT_INTERNAL``.
    """
    from multiprocessing.connection import wait

    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_call_worker, args=(send, fn, args, max_mib), daemon=True)
    proc.start()
    send.close()
    try:
        ready = wait([receive, proc.sentinel], timeout)
        message = None
        if ready:
            try:
                message = receive.recv() if receive.poll() else None
            except (EOFError, OSError):
                message = None
        elif proc.is_alive():
            proc.kill()
            raise _limit_error(
                f"{what}: took longer than {timeout:g} s; stopped",
                "raise --timeout, or check the file with another tool",
            )
    finally:
        if proc.is_alive():
            proc.join(KILL_GRACE_SECONDS)
        if proc.is_alive():
            proc.kill()
        proc.join(KILL_GRACE_SECONDS)
        receive.close()
    if message is None or message[0] == "memory":
        code = proc.exitcode
        if max_mib:
            raise _limit_error(
                f"{what}: needs more than {max_mib:g} MiB of memory; stopped",
                "raise --max-memory, or check the file with another tool",
            )
        raise _limit_error(
            f"{what}: the worker stopped unexpectedly (exit code {code})",
            INTERNAL_HINT,
            EXIT_INTERNAL,
        )
    if message[0] == "ok":
        return message[1]
    if message[0] == "error":
        exc = PaibanError(message[1], hint=message[2])
        exc.exit_code = message[3]
        raise exc
    raise _limit_error(f"{what}: internal error: {message[1]}", INTERNAL_HINT, EXIT_INTERNAL)


INTERNAL_HINT = "this is a bug in paiban; run with --debug for the traceback and report it"
"""The hint after an internal error."""


def _limit_error(message: str, hint: str, code: int = EXIT_LIMIT) -> PaibanError:
    exc = PaibanError(message, hint=hint)
    exc.exit_code = code
    return exc
