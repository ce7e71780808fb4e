"""The web application of ``paiban serve``: routes, event stream and safety headers (Starlette).

Owns the HTTP surface, all of it read-only (GET and HEAD; anything else is 405):

    /                                   the single-page viewer (static/index.html)
    /static/{name}                      its script and style sheet, from a fixed list
    /api/edition                        every page served, with status and thumbnail address
    /api/pages/{n}                      page n: layout JSON, error, image addresses, zoom levels
    /api/pages/{n}/v{v}/page.png        the page image of good render v
    /api/pages/{n}/v{v}/thumb.png       its thumbnail
    /api/pages/{n}/v{v}/tiles/{dpi}/{x}/{y}.png   one zoom tile
    /api/pages/{n}/diff                 the approve/check comparison with the baseline (JSON)
    /api/pages/{n}/v{v}/diff/{which}.png          baseline, current or difference image
    /events                             server-sent events: one per render of any page

Nothing is served from the file system by a path taken from the request: pages are integers
into the list fixed at start, versions and tile coordinates are integers, static files and
diff images are names from fixed sets, so there is no path to traverse. Bound to a loopback
address, the app also refuses requests whose Host header is not loopback (a web page that
rebinds its own domain to 127.0.0.1 cannot read the preview), and every response carries a
Content-Security-Policy that allows only this origin.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager
from importlib import resources

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .hub import Hub

STATIC: dict[str, str] = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}
"""The only files the server sends from disk: the viewer's own, from the installed package."""

DIFF_IMAGES = ("baseline", "current", "difference")
"""The images of the diff view, side by side in this order."""

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
"""Host headers accepted when the server is bound to a loopback address."""

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""Content-Security-Policy of every response: only this origin's script, style and images."""

HEARTBEAT = 15.0
"""Seconds between comment lines on an idle event stream, so a closed connection is noticed."""

RETRY_MS = 500
"""How soon (ms) a browser reconnects to the event stream after losing it (SSE ``retry``)."""

IMMUTABLE = "public, max-age=31536000, immutable"
"""Cache-Control of versioned images: a new render has a new address."""


def _static(name: str) -> bytes:
    return (resources.files("layout.serve") / "static" / name).read_bytes()


class _SecurityHeaders:
    """Pure ASGI middleware adding the CSP and no-sniff headers (it does not buffer streams)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _json(data, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers={"Cache-Control": "no-store"})


def _png(data: bytes) -> Response:
    return Response(data, media_type="image/png", headers={"Cache-Control": IMMUTABLE})


def _not_found(what: str = "not found") -> JSONResponse:
    return _json({"error": what}, 404)


def create_app(hub: Hub, *, watch: bool = True, loopback: bool = True) -> Starlette:
    """The ASGI app serving ``hub``; with ``watch`` it renders and watches in the background."""

    def page_and_render(request: Request):
        slot = hub.slot(request.path_params["n"])
        if slot is None:
            return None, None
        version = request.path_params.get("version")
        return slot, (hub.render_of(slot, version) if version is not None else slot.good)

    async def index(request: Request) -> Response:
        return Response(
            _static("index.html"),
            media_type=STATIC["index.html"],
            headers={"Cache-Control": "no-store"},
        )

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)  # no icon, and no 404 in the browser's console

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return _not_found()
        return Response(
            _static(name), media_type=STATIC[name], headers={"Cache-Control": "no-store"}
        )

    async def edition(request: Request) -> Response:
        return _json(
            {
                "root": hub.root.name if hub.root is not None else None,
                "folder": hub.root is not None,
                "pages": [hub.summary(slot) for slot in hub.pages],
            }
        )

    async def page_state(request: Request) -> Response:
        slot = hub.slot(request.path_params["n"])
        return _not_found("no such page") if slot is None else _json(hub.state(slot))

    async def page_png(request: Request) -> Response:
        _slot, render = page_and_render(request)
        return _not_found("no such render") if render is None else _png(render.page_png)

    async def thumb_png(request: Request) -> Response:
        _slot, render = page_and_render(request)
        return _not_found("no such render") if render is None else _png(render.thumb_png)

    def tile(request: Request) -> Response:  # sync: pdfium work runs in the thread pool
        from . import raster

        slot, render = page_and_render(request)
        dpi = request.path_params["dpi"]
        if render is None or dpi not in raster.TILE_DPIS:
            return _not_found("no such tile")
        data = hub.tiles(slot, render).tile(dpi, request.path_params["x"], request.path_params["y"])
        return _not_found("no such tile") if data is None else _png(data)

    def diff(request: Request) -> Response:
        slot, render = page_and_render(request)
        if slot is None:
            return _not_found("no such page")
        if render is None:
            return _json(
                {"available": False, "reason": "the page has not rendered yet", "hint": None}
            )
        report = {k: v for k, v in hub.diff(slot, render).items() if k != "images"}
        if report["available"]:
            report["images"] = {
                w: f"/api/pages/{slot.index}/v{render.version}/diff/{w}.png" for w in DIFF_IMAGES
            }
        report["version"] = render.version
        return _json(report)

    def diff_png(request: Request) -> Response:
        slot, render = page_and_render(request)
        which = request.path_params["which"]
        if render is None or which not in DIFF_IMAGES:
            return _not_found()
        report = hub.diff(slot, render)
        return (
            _png(report["images"][which]) if report["available"] else _not_found(report["reason"])
        )

    async def events(request: Request) -> Response:
        queue = hub.broker.subscribe()

        async def stream():
            try:
                yield f"retry: {RETRY_MS}\n\n"
                hello = {
                    "pages": [
                        {"page": s.index, "version": s.version, "status": hub.status(s)}
                        for s in hub.pages
                    ]
                }
                yield f"event: hello\ndata: {json.dumps(hello)}\n\n"
                while not hub.broker.closed:
                    try:
                        event = await asyncio.wait_for(queue.get(), HEARTBEAT)
                    except TimeoutError:
                        yield ": ping\n\n"
                        continue
                    if event is None:
                        break
                    yield f"event: page\ndata: {json.dumps(event)}\n\n"
            finally:
                hub.broker.unsubscribe(queue)

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    @asynccontextmanager
    async def lifespan(app):
        if watch:
            hub.start()
        try:
            yield
        finally:
            hub.stop()

    get = ["GET"]  # HEAD is added by Starlette; every other method is 405: the server is read-only
    routes = [
        Route("/", index, methods=get),
        Route("/favicon.ico", favicon, methods=get),
        Route("/static/{name}", static, methods=get),
        Route("/api/edition", edition, methods=get),
        Route("/api/pages/{n:int}", page_state, methods=get),
        Route("/api/pages/{n:int}/diff", diff, methods=get),
        Route("/api/pages/{n:int}/v{version:int}/page.png", page_png, methods=get),
        Route("/api/pages/{n:int}/v{version:int}/thumb.png", thumb_png, methods=get),
        Route(
            "/api/pages/{n:int}/v{version:int}/tiles/{dpi:int}/{x:int}/{y:int}.png",
            tile,
            methods=get,
        ),
        Route("/api/pages/{n:int}/v{version:int}/diff/{which}.png", diff_png, methods=get),
        Route("/events", events, methods=get),
    ]
    middleware = [Middleware(_SecurityHeaders)]
    if loopback:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(LOOPBACK_HOSTS)))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.hub = hub
    return app
