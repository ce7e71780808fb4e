"""Rasters of ``paiban serve``: the page image, thumbnails and zoom tiles, from the page's PDF.

Owns the *screen PDF* — the preview PDF (``preview.preview_pdf_bytes``: the writer's page,
without marks or finishing) of the page's own frame tree with each CMYK photo swapped for a
*screen proxy* — and rasterising it: one page image at ``PAGE_DPI``, a thumbnail at
``THUMB_DPI`` (both through ``preview.rasterize``), and square tiles at the zoom levels of
``TILE_DPIS``, cropped to the trim exactly as ``preview.rasterize`` crops.

Why proxies (InDesign's "typical display" does the same): pdfium converts a print-ready
CMYK JPEG to RGB pixel by pixel every time a new document is drawn. Page 05 at 100 dpi takes
0.31 s to rasterise with its three CMYK photos and 0.06 s with RGB ones (``bench/bench_serve.py``),
and every edit is a new document; that is a quarter of the one-second edit-to-browser budget.
A proxy is the photo as prepared for print rasterised once by pdfium itself (the print JPEG
alone on a page, ``pdf.writer.image_pdf``, through ``preview.rasterize`` at its native size, so
its colours are pdfium's), kept as an RGB JPEG, cached by the print JPEG's digest and handed to
the writer in place of the print JPEG (``write_pdf(screen=…)``). Text and rules are the real frames at
every zoom level; the page image differs from ``paiban preview``'s only by the proxies' JPEG
rounding (``tests/test_serve.py`` bounds it).

pdfium is not thread-safe, so every call into it holds ``PDFIUM_LOCK``.
"""

from __future__ import annotations

import io
import math
import threading
from collections import OrderedDict

from ..preview import page_px, preview_pdf_bytes, rasterize

PDFIUM_LOCK = threading.Lock()
"""Held around every pdfium call (pypdfium2 documents that pdfium is not thread-safe)."""

PAGE_DPI = 100
"""Resolution of the page image the browser shows until it zooms in: a broadsheet page is
1535 × 2165 px, sharp up to about 100 % zoom on an ordinary screen; rendered in about 0.06 s."""

THUMB_DPI = 14
"""Resolution of the edition view's thumbnails (a broadsheet page is about 215 × 300 px)."""

TILE_DPIS = (200, 400, 600)
"""Zoom levels of the tiles the browser asks for once the page image is too coarse; 600 dpi is
the largest resolution ``paiban preview`` accepts."""

TILE_PX = 512
"""Edge of a square tile in pixels (tiles on the right and bottom edges are smaller)."""

PROXY_QUALITY = 92
"""JPEG quality of screen proxies: no visible loss at screen sizes, a third of PNG's bytes."""

PROXY_ENTRIES = 64
"""Screen proxies kept in memory (by content digest; the oldest are dropped first)."""

PNG_LEVEL = 1
"""zlib level of served PNGs: level 1 encodes a 100-dpi page in 0.1 s instead of 0.7 s (level
6) for 5 % more bytes, over a local connection."""

_PROXIES: OrderedDict[str, object] = OrderedDict()
"""Screen proxies of this process: digest of the print JPEG → ``imagecache.PreparedImage``."""


def _proxy(prepared):
    """The screen proxy of one placed photo prepared for print (grey photos are drawn as they are)."""
    if prepared.mode != "CMYK":
        return prepared
    key = prepared.digest
    hit = _PROXIES.get(key)
    if hit is None:
        from ..imagecache import PreparedImage
        from ..pdf.writer import image_pdf

        # The print JPEG alone, rasterised at one pdfium pixel per print pixel (its colours
        # are pdfium's).
        with PDFIUM_LOCK:
            pixels = rasterize(image_pdf(prepared), 72.0)
        buf = io.BytesIO()
        pixels.convert("RGB").save(buf, format="JPEG", quality=PROXY_QUALITY)
        data = buf.getvalue()
        hit = PreparedImage(data, "RGB", pixels.size, prepared.digest, w=prepared.w, h=prepared.h,
                            source=prepared.source)
        while len(_PROXIES) >= PROXY_ENTRIES:
            _PROXIES.popitem(last=False)
        _PROXIES[key] = hit
    _PROXIES.move_to_end(key)
    return hit


def screen_pdf(result) -> bytes:
    """The preview PDF of ``result`` with screen proxies for its CMYK photos."""
    return preview_pdf_bytes(result, screen=lambda _item, prepared: _proxy(prepared))


def page_png(pdf: bytes, dpi: float) -> bytes:
    """Rasterise the trimmed page of a PDF at ``dpi`` into PNG bytes."""
    with PDFIUM_LOCK:
        image = rasterize(pdf, dpi)
    return _png(image, dpi)


def _png(image, dpi: float) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(dpi, dpi), compress_level=PNG_LEVEL)
    return buf.getvalue()


def tile_count(width_pt: float, height_pt: float, dpi: float) -> tuple[int, int]:
    """How many tiles across and down the trimmed page has at ``dpi``."""
    w, h = page_px(width_pt, height_pt, dpi)
    return math.ceil(w / TILE_PX), math.ceil(h / TILE_PX)


class TileSource:
    """An open screen PDF that renders tiles of its trimmed page (one document per version)."""

    def __init__(self, pdf: bytes) -> None:
        self._pdf = pdf
        self._doc = None
        self._page = None

    def _open(self):
        import pypdfium2 as pdfium

        if self._page is None:
            self._doc = pdfium.PdfDocument(self._pdf)
            self._page = self._doc[0]
        return self._page

    def tile(self, dpi: float, tx: int, ty: int) -> bytes | None:
        """PNG of tile (tx, ty) at ``dpi``: pixels from (tx, ty)·TILE_PX of the trim; or None."""
        with PDFIUM_LOCK:
            page = self._open()
            cl, cb, cr, ct = page.get_cropbox()
            tl, tb, tr, tt = page.get_trimbox()
            scale = dpi / 72.0
            full_w, full_h = page_px(tr - tl, tt - tb, dpi)
            x0, y0 = tx * TILE_PX, ty * TILE_PX
            if tx < 0 or ty < 0 or x0 >= full_w or y0 >= full_h:
                return None
            w, h = min(TILE_PX, full_w - x0), min(TILE_PX, full_h - y0)
            # The same origin as preview.rasterize: the trim's corner rounded to whole pixels.
            left = round((tl - cl) * scale) + x0
            top = round((ct - tt) * scale) + y0
            src_w, src_h = math.ceil((cr - cl) * scale), math.ceil((ct - cb) * scale)
            # pypdfium2 rounds each crop up (ceil of crop × scale): ask for a hair less than the
            # whole pixel so the bitmap is exactly w × h and starts at (left, top).
            crop = [
                max(0.0, (v - 1e-6) / scale) for v in (left, src_h - top - h, src_w - left - w, top)
            ]
            bitmap = page.render(scale=scale, crop=tuple(crop))
            image = bitmap.to_pil()
        if image.size != (w, h):  # a pdfium rounding we did not foresee: never a misplaced tile
            from PIL import Image

            canvas = Image.new("RGB", (w, h), "white")
            canvas.paste(image.convert("RGB"), (0, 0))
            image = canvas
        return _png(image.convert("RGB"), dpi)

    def close(self) -> None:
        """Release the pdfium document."""
        with PDFIUM_LOCK:
            if self._page is not None:
                self._page.close()
                self._doc.close()
            self._page = self._doc = None
