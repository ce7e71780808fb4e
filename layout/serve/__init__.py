"""``paiban serve``: a live preview of a page, or of every page in a folder, in the browser.

Owns choosing the pages to serve (one description, or every ``.yaml`` under a folder, fixed at
start), binding the listening socket (127.0.0.1 unless told otherwise) and running the server.
The pieces: ``hub`` (renders, watcher, events), ``raster`` (page image, thumbnails, tiles),
``adapter`` (the one reader of ``LayoutResult``), ``app`` (routes), ``static/`` (the viewer).

Why Starlette + uvicorn rather than the standard library: the viewer needs a long-lived event
stream per browser tab next to ordinary requests, and image rendering off the event loop.
``http.server`` would need a hand-written threaded SSE loop, Host checking, routing and HEAD
handling, and it has no in-process test client; Starlette gives typed path converters (so no
request string ever becomes a path), ``StreamingResponse`` for server-sent events, a thread
pool for the pdfium work, ``TrustedHostMiddleware`` and an httpx ``TestClient``, and uvicorn
is its well-kept ASGI server. Both are small, pure-Python installs, imported only by this
command.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import PaibanError

DEFAULT_HOST = "127.0.0.1"
"""Where the server listens unless ``--host`` says otherwise: this machine only."""

DEFAULT_PORT = 8000
"""The port tried first (``--port 0`` picks a free one)."""

SHUTDOWN_GRACE = 1.0
"""Seconds uvicorn waits for open requests at Ctrl-C before cancelling them."""

START_TIMEOUT = 10.0
"""Seconds ``in_thread`` waits for the server to accept connections."""


def pages_of(target: str | Path) -> tuple[list[Path], Path | None]:
    """The descriptions to serve and the folder they came from (None for a single file)."""
    path = Path(target)
    if not path.exists():
        raise PaibanError(
            f"{path}: file or folder not found",
            hint="name an issue description (.yaml) or a folder of them",
        )
    if path.is_dir():
        found = sorted(
            q for q in path.rglob("*.y*ml") if q.suffix in (".yaml", ".yml") and q.is_file()
        )
        if not found:
            raise PaibanError(
                f"{path}: no .yaml descriptions in this folder",
                hint="name a description file or a folder that holds some",
            )
        return found, path
    return [path], None


def is_loopback(host: str) -> bool:
    """True when ``host`` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """Open the listening socket (before any rendering, so a busy port fails at once)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise PaibanError(
            f"--host {host}: cannot resolve it ({exc.strerror})",
            hint="use an address such as 127.0.0.1 or 0.0.0.0",
        ) from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise PaibanError(
            f"cannot listen on {host}:{port}: {exc.strerror}",
            hint="choose another port with --port N (or --port 0 for any free one)",
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The address to open in a browser for a bound socket."""
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"


def make_app(
    target: str | Path,
    *,
    options=None,
    baseline: str | Path | None = None,
    watch: bool = True,
    loopback: bool = True,
    interval: float | None = None,
    echo: Callable[[str], None] | None = None,
):
    """Build the hub of ``target`` (a description or folder) and the ASGI app serving it."""
    from .app import create_app
    from .hub import POLL_INTERVAL, Hub

    paths, root = pages_of(target)
    if baseline is not None and not Path(baseline).is_dir():
        raise PaibanError(
            f"--baseline {baseline}: no such folder",
            hint=f"approve one first: paiban approve {paths[0]} --baseline {baseline}",
        )
    hub = Hub(
        paths,
        root=root,
        options=options,
        baseline=Path(baseline) if baseline is not None else None,
        interval=POLL_INTERVAL if interval is None else interval,
        echo=echo,
    )
    return create_app(hub, watch=watch, loopback=loopback)


def serve(
    target: str | Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    options=None,
    baseline: str | Path | None = None,
    echo: Callable[[str], None] = print,
) -> None:
    """Serve a live preview of ``target`` until interrupted (Ctrl-C)."""
    import uvicorn

    app = make_app(
        target, options=options, baseline=baseline, loopback=is_loopback(host), echo=echo
    )
    sock = bind(host, port)
    hub = app.state.hub

    class _Server(uvicorn.Server):
        def handle_exit(
            self, sig, frame
        ):  # end the event streams first, or shutdown waits for them
            hub.broker.close()
            super().handle_exit(sig, frame)

    config = _config(app)
    pages = f"{len(hub.pages)} pages" if len(hub.pages) > 1 else hub.pages[0].name
    echo(f"serving {pages} at {url_of(sock)} (Ctrl-C stops)")
    if not is_loopback(host):
        echo(
            f"warning: listening on {host}: anyone who can reach this machine can read these pages"
        )
    try:
        _Server(config).run(sockets=[sock])
    finally:
        sock.close()


def _config(app):
    import uvicorn

    return uvicorn.Config(
        app, log_level="warning", lifespan="on", timeout_graceful_shutdown=SHUTDOWN_GRACE
    )


@contextmanager
def in_thread(app, host: str = DEFAULT_HOST, port: int = 0) -> Iterator[str]:
    """Run ``app`` in a background thread of this process while the block runs; yield its URL.

    For tests, benchmarks and screenshots: the same server as ``serve()``, without signals.
    """
    import uvicorn

    sock = bind(host, port)
    server = uvicorn.Server(_config(app))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="paiban-serve", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        if not server.started:
            raise RuntimeError("the preview server did not start")
        yield url_of(sock)
    finally:
        app.state.hub.broker.close()  # open event streams end now, not after the grace period
        server.should_exit = True
        thread.join(START_TIMEOUT)
        sock.close()
