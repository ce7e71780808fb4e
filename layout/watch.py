"""Watch: re-render a page whenever its description or any file it references changes.

Owns the list of files a page depends on (the YAML, body and sidebar files, photos, font
overrides and fallbacks), polling their modification times (no extra dependency; a file that
appears or disappears counts as a change), and the render step that writes the PDF and preview
PNG and reports one line per render. A bad description (or an unforeseen error) does not stop
the loop: the error is printed and the next change is awaited. Outputs are never written over
the page's inputs, whatever the description names next. The layout caches (faces, prepared
photos) are keyed by file mtime, so an unchanged photo is not prepared again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import PaibanError

DEFAULT_INTERVAL = 0.5
"""Seconds between polls of the watched files."""

Stamp = tuple[int, int] | None
"""(mtime_ns, size) of a file, or None when it does not exist."""


def referenced_files(issue_path: str | Path) -> list[Path]:
    """The description and every file it names (bodies, sidebars, photos, logo, fonts), as paths.

    Reads the YAML without validating it (``model.referenced_files``), so that a half-edited
    description still yields the files it names; one that cannot be read yields just itself.
    """
    from .model import referenced_files as files_of

    return files_of(issue_path)


def stamps(paths) -> dict[Path, Stamp]:
    """Modification stamps of ``paths``; None for a missing file."""
    out: dict[Path, Stamp] = {}
    for p in paths:
        try:
            st = p.stat()
            out[p] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[p] = None
    return out


@dataclass
class Step:
    """One render of the watch loop."""

    ok: bool
    message: str
    overset_chars: int = 0
    overset_modules: int = 0
    seconds: float = 0.0


def render_once(
    issue_path: str | Path, pdf_out: Path, png_out: Path | None, *, options=None, dpi: float = 50
) -> Step:
    """Render the PDF (and PNG) once; return a one-line summary instead of raising on bad input."""
    from . import api
    from .preview import png_bytes, render_image

    start = time.perf_counter()
    stamp = datetime.now().strftime("%H:%M:%S")
    try:
        loaded = api.load_issue(issue_path, allow=options.allow if options is not None else ())
        inputs = api.input_files(
            loaded, options
        )  # never written over, whatever the description now says
        result = api.layout(loaded, options)
        api.write_atomic(pdf_out, api.render_pdf_bytes(result, options), kind="pdf", inputs=inputs)
        if png_out is not None:
            api.write_atomic(
                png_out,
                png_bytes(render_image(result, dpi, options=options), dpi),
                kind="png",
                inputs=inputs,
            )
    except PaibanError as exc:
        return Step(False, f"{stamp} {exc.render()}", seconds=time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - a bug on one edit must not end the watch
        from .edition import internal_text

        return Step(
            False,
            f"{stamp} error: internal error: {internal_text(exc)}\n  hint: this is a bug in "
            "paiban; run `paiban --debug render` on the page for the traceback and report it",
            seconds=time.perf_counter() - start,
        )
    over = [f for f in result.fit if f.overset_chars or f.overset_lines]
    chars = sum(f.overset_chars for f in over)
    elapsed = time.perf_counter() - start
    wrote = str(pdf_out) + (f" + {png_out}" if png_out is not None else "")
    detail = (
        "overset 0"
        if not over
        else f"overset {chars} chars in {len(over)} module(s): " + ", ".join(f.id for f in over)
    )
    return Step(
        True, f"{stamp} rendered {wrote} in {elapsed:.2f} s, {detail}", chars, len(over), elapsed
    )


def watch(
    issue_path: str | Path,
    pdf_out: Path,
    png_out: Path | None = None,
    *,
    interval: float = DEFAULT_INTERVAL,
    dpi: float = 50,
    options=None,
    max_renders: int | None = None,
    echo: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
    max_polls: int | None = None,
) -> int:
    """Render now and after every change of the page's files; return the number of renders.

    Stops after ``max_renders`` renders or ``max_polls`` polls when given (for tests); otherwise
    runs until interrupted (KeyboardInterrupt propagates to the caller).
    """
    renders = 0
    files = referenced_files(issue_path)
    seen = stamps(files)
    polls = 0
    while True:
        step = render_once(issue_path, pdf_out, png_out, options=options, dpi=dpi)
        echo(step.message)
        renders += 1
        # The description may now name other files: watch those too.
        files = referenced_files(issue_path)
        seen = stamps(files) if not seen or set(seen) != set(files) else seen
        if max_renders is not None and renders >= max_renders:
            return renders
        while True:
            if max_polls is not None and polls >= max_polls:
                return renders
            sleep(interval)
            polls += 1
            now = stamps(files)
            if now != seen:
                seen = now
                # Re-read the list in case the description changed which files it names.
                files = referenced_files(issue_path)
                seen = stamps(files)
                break
