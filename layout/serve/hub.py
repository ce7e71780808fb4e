"""The state behind ``paiban serve``: the pages served, their renders, the watcher and the events.

Owns ``Hub``: the fixed list of page descriptions (chosen once, from the command line; the
browser only ever names a page by its index in it), the last good render of each page (layout
JSON, page image, thumbnail, screen PDF for tiles) kept while a later edit fails, the error of
a failed render (file, line, field, hint), the polling watcher that re-renders a page when its
description or a file it names changes (``watch.referenced_files``: bodies, sidebars, photos,
fonts), and the broker that pushes one event per render to every open event stream.

Rendering runs in the watcher thread, never in the event loop; readers get immutable
``Render`` snapshots swapped in under a lock, so a request never sees half a render.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import InputError, PaibanError
from . import adapter, raster

POLL_INTERVAL = 0.1
"""Seconds between checks of the watched files: stat() of a dozen files, far below 1 % CPU, and
a tenth of the one-second edit-to-browser budget of issue 20."""

KEPT_RENDERS = 2
"""Good renders whose images stay servable: the current one and the one before, so a browser
that fetched the state just before a re-render still gets the image it asked for."""

log = logging.getLogger("paiban.serve")
"""Unexpected failures of a render (bugs, not user errors) are logged here with a traceback."""


@dataclass(frozen=True)
class Render:
    """One good render of a page: what the browser reads, all immutable bytes and dicts."""

    version: int
    layout: dict
    page_png: bytes
    thumb_png: bytes
    pdf: bytes
    result: object = field(repr=False, compare=False)
    seconds: float = 0.0
    at: str = ""


@dataclass
class PageSlot:
    """A served page: its description, the files it names and its renders."""

    index: int
    path: Path
    name: str
    baseline: Path | None
    version: int = 0
    renders: list[Render] = field(default_factory=list)
    error: dict | None = None
    files: list[Path] = field(default_factory=list)
    stamps: dict = field(default_factory=dict)
    tiles: dict[int, raster.TileSource] = field(default_factory=dict)
    diffs: dict[int, dict] = field(default_factory=dict)

    @property
    def good(self) -> Render | None:
        """The latest good render, if any."""
        return self.renders[-1] if self.renders else None


def error_json(exc: BaseException) -> dict:
    """Describe an error for the page: message, file, line, field and hint (what the CLI prints)."""
    if isinstance(exc, PaibanError):
        out = {
            "kind": type(exc).__name__,
            "message": exc.message,
            "hint": exc.hint,
            "text": exc.render(),
            "file": None,
            "line": None,
            "field": None,
        }
        if isinstance(exc, InputError):
            out.update(file=exc.file, line=exc.line, field=exc.field, message=exc.bare_message)
        return out
    return {
        "kind": "InternalError",
        "message": f"{type(exc).__name__}: {exc}",
        "hint": "this is a bug in paiban; the terminal shows the traceback",
        "text": str(exc),
        "file": None,
        "line": None,
        "field": None,
    }


class Broker:
    """Fan events out from the watcher thread to every open event stream (one queue each)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[asyncio.Queue, asyncio.AbstractEventLoop] = {}
        self.closed = False

    def subscribe(self) -> asyncio.Queue:
        """A queue (bound to the running loop) that receives every later event."""
        queue: asyncio.Queue = asyncio.Queue()
        with self._lock:
            self._queues[queue] = asyncio.get_running_loop()
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        """Stop sending events to ``queue``."""
        with self._lock:
            self._queues.pop(queue, None)

    def publish(self, event: dict | None) -> None:
        """Send ``event`` to every subscriber (None ends their streams); safe from any thread."""
        with self._lock:
            targets = list(self._queues.items())
        for queue, loop in targets:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, event)
            except RuntimeError:  # that loop has closed: the stream is gone
                self.unsubscribe(queue)

    def close(self) -> None:
        """End every open stream (at shutdown)."""
        self.closed = True
        self.publish(None)


def page_name(path: Path, root: Path | None) -> str:
    """A page's name in the browser: its path inside the folder served, else its file name."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.name


class Hub:
    """The pages of one ``paiban serve`` run, their renders, watcher and event broker."""

    def __init__(
        self,
        paths: list[Path],
        *,
        root: Path | None = None,
        options=None,
        baseline: Path | None = None,
        interval: float = POLL_INTERVAL,
        echo: Callable[[str], None] | None = None,
    ) -> None:
        from ..model import RenderOptions

        self.options = options or RenderOptions(preflight=False)
        self.interval = interval
        self.root = root
        self.echo = echo or (lambda message: None)
        self.broker = Broker()
        self._lock = threading.RLock()
        self._render_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.pages: list[PageSlot] = []
        for i, p in enumerate(paths):
            base = None
            if baseline is not None:
                # One page: the folder itself; a folder of pages: one baseline folder per page.
                base = (
                    baseline
                    if root is None
                    else baseline / Path(page_name(p, root)).with_suffix("")
                )
            self.pages.append(PageSlot(i, Path(p), page_name(Path(p), root), base))

    # ------------------------------------------------------------ rendering

    def render(self, index: int) -> PageSlot:
        """Lay out page ``index`` again; keep the last good render if this one fails."""
        from .. import api
        from ..watch import referenced_files, stamps

        slot = self.pages[index]
        with self._render_lock:
            # The files to watch are read from the description at each render only: a poll then
            # costs a few stat() calls (0.07 ms for page 05) instead of a YAML parse (6 ms).
            slot.files = referenced_files(slot.path)
            slot.stamps = stamps(slot.files)
            start = time.perf_counter()
            good = error = None
            try:
                loaded = api.load_issue(slot.path, allow=self.options.allow)
                result = api.layout(loaded, self.options)
                pdf = raster.screen_pdf(result)
                good = (
                    result,
                    adapter.layout_json(result),
                    pdf,
                    raster.page_png(pdf, raster.PAGE_DPI),
                    raster.page_png(pdf, raster.THUMB_DPI),
                )
            except PaibanError as exc:
                error = error_json(exc)
            except (
                Exception
            ) as exc:  # a bug must not stop the server: show it, keep the last render
                log.exception("rendering %s failed", slot.path)
                error = error_json(exc)
            seconds = time.perf_counter() - start
            stamp = datetime.now().strftime("%H:%M:%S")
            with self._lock:
                slot.version += 1
                slot.error = error
                if good is not None:
                    result, layout, pdf, png, thumb = good
                    slot.renders = (
                        slot.renders
                        + [Render(slot.version, layout, png, thumb, pdf, result, seconds, stamp)]
                    )[-KEPT_RENDERS:]
                    kept = {r.version for r in slot.renders}
                    for v in [v for v in slot.tiles if v not in kept]:
                        slot.tiles.pop(v).close()
                    slot.diffs = {v: d for v, d in slot.diffs.items() if v in kept}
            if error is None:
                s = layout["summary"]
                self.echo(
                    f"{stamp} {slot.name}: rendered in {seconds:.2f} s, "
                    f"overset {s['overset_chars']} "
                    f"chars in {s['overset_modules']} module(s)"
                )
            else:
                self.echo(f"{stamp} {slot.name}: {error['text']}")
        self.broker.publish({"page": index, "version": slot.version, "status": self.status(slot)})
        return slot

    def render_all(self) -> None:
        """Render every page once (at start)."""
        for slot in self.pages:
            if self._stop.is_set():
                return
            self.render(slot.index)

    def poll_once(self) -> list[int]:
        """Re-render every page whose files changed since its last render; return their indexes."""
        from ..watch import stamps

        changed = []
        for slot in self.pages:
            if stamps(slot.files or [slot.path]) != slot.stamps:
                self.render(slot.index)
                changed.append(slot.index)
        return changed

    def _run(self) -> None:
        self.render_all()
        while not self._stop.wait(self.interval):
            try:
                self.poll_once()
            except Exception:  # keep watching whatever one poll ran into
                log.exception("watching failed")

    def start(self) -> None:
        """Render every page, then watch their files, in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="paiban-serve-watch", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """Stop the watcher, end the event streams and release pdfium documents."""
        self._stop.set()
        self.broker.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        with self._lock:
            for slot in self.pages:
                for source in slot.tiles.values():
                    source.close()
                slot.tiles.clear()

    # ------------------------------------------------------------ reading

    def slot(self, index: int) -> PageSlot | None:
        """Page ``index``, or None when there is no such page."""
        return self.pages[index] if 0 <= index < len(self.pages) else None

    def status(self, slot: PageSlot) -> str:
        """``pending``, ``error``, ``overset``, ``underset`` or ``ok``: what the edition shows."""
        with self._lock:
            if slot.error is not None:
                return "error"
            good = slot.good
        if good is None:
            return "pending"
        s = good.layout["summary"]
        return "overset" if s["overset_modules"] else ("underset" if s["underset_lines"] else "ok")

    def render_of(self, slot: PageSlot, version: int) -> Render | None:
        """The kept good render ``version`` of a page, or None."""
        with self._lock:
            return next((r for r in slot.renders if r.version == version), None)

    def tiles(self, slot: PageSlot, render: Render) -> raster.TileSource:
        """The tile source of a kept render (opened on first use)."""
        with self._lock:
            source = slot.tiles.get(render.version)
            if source is None:
                source = slot.tiles[render.version] = raster.TileSource(render.pdf)
            return source

    def summary(self, slot: PageSlot) -> dict:
        """The page as the edition view lists it."""
        with self._lock:
            good, error, version = slot.good, slot.error, slot.version
        out = {
            "index": slot.index,
            "name": slot.name,
            "version": version,
            "status": self.status(slot),
            "error": error,
            "title": None,
            "summary": None,
            "thumb": None,
            "baseline": slot.baseline is not None,
        }
        if good is not None:
            out.update(
                title=good.layout["page"]["title"],
                summary=good.layout["summary"],
                thumb=f"/api/pages/{slot.index}/v{good.version}/thumb.png",
            )
        return out

    def state(self, slot: PageSlot) -> dict:
        """Everything the page view needs: layout, error, image addresses and zoom levels."""
        out = self.summary(slot)
        with self._lock:
            good = slot.good
        out["layout"] = good.layout if good is not None else None
        out["good_version"] = good.version if good is not None else None
        out["rendered"] = (
            {"seconds": round(good.seconds, 3), "at": good.at} if good is not None else None
        )
        if good is not None:
            base = f"/api/pages/{slot.index}/v{good.version}"
            page = good.layout["page"]
            out["images"] = {
                "page": f"{base}/page.png",
                "dpi": raster.PAGE_DPI,
                "tile": f"{base}/tiles/{{dpi}}/{{x}}/{{y}}.png",
                "tile_dpis": list(raster.TILE_DPIS),
                "tile_px": raster.TILE_PX,
                "tiles": {
                    str(d): raster.tile_count(page["width"], page["height"], d)
                    for d in raster.TILE_DPIS
                },
            }
        else:
            out["images"] = None
        return out

    def diff(self, slot: PageSlot, render: Render) -> dict:
        """Compare a render with the page's approved baseline (``regress.check``), read-only."""
        with self._lock:
            cached = slot.diffs.get(render.version)
        if cached is not None:
            return cached
        out = _diff(slot, render, self.options)
        with self._lock:
            slot.diffs[render.version] = out
        return out


def _diff(slot: PageSlot, render: Render, options) -> dict:
    """The structural and pixel comparison with the baseline, its three images as PNG bytes."""
    import io
    import tempfile

    from PIL import Image as PILImage

    from .. import regress
    from ..preview import png_bytes

    if slot.baseline is None:
        return {
            "available": False,
            "reason": "no baseline: start the server with --baseline DIR",
            "hint": f"approve one first: paiban approve {slot.path} --baseline DIR",
        }
    with tempfile.TemporaryDirectory(prefix="paiban-serve-") as tmp:
        diff_path = Path(tmp) / regress.DIFF_FILE
        try:
            with raster.PDFIUM_LOCK:
                report = regress.check(
                    slot.path,
                    slot.baseline,
                    diff_out=diff_path,
                    options=options,
                    result=render.result,
                )
            baseline_png = (slot.baseline / regress.PAGE_FILE).read_bytes()
            with PILImage.open(io.BytesIO(baseline_png)) as old:
                dpi = regress._baseline_dpi(old)
                with raster.PDFIUM_LOCK:
                    current = regress._page_image(render.result, dpi)
                diff_png = (
                    diff_path.read_bytes()
                    if report.diff_png is not None
                    else png_bytes(regress.diff_image(old, current, None, []), dpi)
                )  # nothing changed: no red
        except PaibanError as exc:
            return {"available": False, "reason": exc.message, "hint": exc.hint}
        except OSError as exc:
            return {"available": False, "reason": f"cannot read the baseline: {exc}", "hint": None}
    return {
        "available": True,
        "ok": report.ok,
        "snapshot_equal": report.snapshot_equal,
        "structural": report.structural,
        "pixels": report.pixels.summary(),
        "dpi": dpi,
        "changed_px": report.pixels.changed,
        "images": {
            "baseline": baseline_png,
            "current": png_bytes(current, dpi),
            "difference": diff_png,
        },
        "seconds": round(report.seconds, 3),
    }
