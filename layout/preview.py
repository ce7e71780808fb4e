"""Preview: frames and PDF → PNG, with optional diagnostic overlays.

Owns rasterising a written PDF with pypdfium2 (cropped exactly to its TrimBox, so a pixel of the
preview is ``dpi / 72`` pt of the trimmed page from its top-left corner, the frames' origin) and
drawing overlays that read a ``LayoutResult``: the column grid and type area, module and frame
rectangles labelled with their ids, the body-line grid, and overset text as a red banner at the
foot of the module it belongs to. Like every exporter it only reads frames; it decides nothing.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .frames import Group

OVERLAYS: frozenset[str] = frozenset({"grid", "frames", "baselines", "overset"})
"""Every overlay ``overlay()`` can draw."""

DEFAULT_DPI = 50
"""Preview resolution: a broadsheet page is about 770 × 1080 px, enough to judge the texture."""

GRID_COLOR = (0, 170, 220, 255)
"""Column grid and type area: thin cyan."""

MODULE_COLOR = (220, 0, 170, 255)
"""Module rectangles from the page plan: magenta."""

FRAME_COLORS: dict[str, tuple[int, int, int, int]] = {
    "article": (220, 0, 170, 150),
    "headline": (150, 60, 220, 200),
    "photo": (0, 140, 60, 200),
    "sidebar": (230, 120, 0, 200),
}
"""Outline colour of each frame-group kind drawn by the ``frames`` overlay."""

LINE_BAND = (0, 170, 220, 36)
"""Body-line grid: a faint band over every line's em box."""

OVERSET_COLOR = (230, 0, 0, 255)
"""Overset banners: red."""

MAX_PREVIEW_PIXELS = 150_000_000
"""Largest bitmap rasterised (a broadsheet with bleed at 600 dpi is 123 Mpx; beyond it, memory)."""

MM = 72.0 / 25.4
"""Points per millimetre (for messages)."""


def px(value: float, dpi: float) -> float:
    """Convert points to pixels at ``dpi``."""
    return value * dpi / 72.0


def page_px(width_pt: float, height_pt: float, dpi: float) -> tuple[int, int]:
    """Pixel size of a page (or trim) of ``width_pt`` × ``height_pt`` at ``dpi``."""
    return max(1, round(px(width_pt, dpi))), max(1, round(px(height_pt, dpi)))


def rasterize(pdf_bytes: bytes, dpi: float = DEFAULT_DPI, *, trim_only: bool = True, page: int = 0,
              grayscale: bool = False) -> Image.Image:
    """Rasterise one page of a PDF at ``dpi``; by default crop to its TrimBox (RGB or L image).

    The result of a cropped render is exactly ``round(trim × dpi / 72)`` pixels in each axis, so
    pixel (0, 0) is the trim's top-left corner whatever bleed and marks surround it.
    """
    import pypdfium2 as pdfium

    from .errors import PdfError

    try:
        doc = pdfium.PdfDocument(pdf_bytes)
    except pdfium.PdfiumError as exc:
        raise PdfError(f"cannot read the PDF to rasterise it: {exc}", hint="render the page again") from None
    try:
        if page >= len(doc):
            raise PdfError(f"the PDF has {len(doc)} page(s), no page {page + 1}", hint="choose another page")
        pg = doc[page]
        scale = dpi / 72.0
        pw, ph = pg.get_size()
        if pw * ph * scale * scale > MAX_PREVIEW_PIXELS:  # a huge trim or dpi: refuse, do not swap
            most = math.floor(72.0 * math.sqrt(MAX_PREVIEW_PIXELS / (pw * ph)))
            raise PdfError(f"a preview of {pw / MM:.0f}×{ph / MM:.0f} mm at {dpi:g} dpi would be "
                           f"{pw * ph * scale * scale / 1e6:.0f} Mpx, over the {MAX_PREVIEW_PIXELS // 1_000_000} "
                           "Mpx allowed (MAX_PREVIEW_PIXELS)", hint=f"use at most {max(1, most)} dpi")
        bitmap = pg.render(scale=scale, grayscale=grayscale)
        image = bitmap.to_pil()
        if image.mode not in ("RGB", "L"):
            image = image.convert("L" if grayscale else "RGB")
        if trim_only:
            # pdfium draws the CropBox; express the TrimBox relative to its top-left corner.
            cl, _cb, _cr, ct = pg.get_cropbox()
            tl, tb, tr, tt = pg.get_trimbox()
            left = round((tl - cl) * scale)
            top = round((ct - tt) * scale)
            w, h = page_px(tr - tl, tt - tb, dpi)
            image = image.crop((left, top, left + w, top + h))
        else:
            image = image.copy()
        pg.close()
    finally:
        doc.close()
    return image


# ---------------------------------------------------------------- overlays

_FONTS: dict[int, ImageFont.ImageFont] = {}


def _font(size_px: float):
    size = max(8, round(size_px))
    if size not in _FONTS:
        try:
            _FONTS[size] = ImageFont.load_default(size=size)
        except TypeError:  # Pillow without FreeType: a fixed bitmap font
            _FONTS[size] = ImageFont.load_default()
    return _FONTS[size]


def module_rect(grid, col0: int, span: int, top: int, bottom: int) -> tuple[float, float, float, float]:
    """Rectangle (x, y, w, h) in pt of a module on the grid; ``bottom`` is exclusive (lines top..bottom-1)."""
    x = grid.col_x(col0)
    y = grid.line_top(top)
    y1 = grid.line_bottom(bottom - 1) if bottom > top else y + grid.em
    return x, y, grid.span_w(span), y1 - y


def _frame_groups(root: Group, kinds) -> list[Group]:
    return [g for g in root.placed() if isinstance(g, Group) and g.kind in kinds]


def _overset_rect(result, fit_id: str):
    """Where the overset banner of a fit entry goes: its module or frame group, else the page foot."""
    grid = result.grid

    def bbox(module):
        r = module.region.bbox
        return module_rect(grid, r.col, r.span, r.top, r.end)

    for m in result.modules:
        if m.label == fit_id:
            return bbox(m)
    for g in _frame_groups(result.page.root, ("article", "sidebar", "photo")):
        if g.id == fit_id:
            return g.x, g.y, g.w, g.h
    base = fit_id.split("/")[0]
    for m in result.modules:
        if m.label == base:
            return bbox(m)
    return grid.area_x, grid.area_y, grid.area_w, grid.area_h


def overset_label(entry) -> str:
    """The text of an overset banner, e.g. ``overset 123 chars / 9 lines``."""
    return f"overset {entry.overset_chars} chars / {entry.overset_lines} lines"


def overlay(image: Image.Image, result, dpi: float, kinds=OVERLAYS) -> Image.Image:
    """Draw diagnostic overlays of ``result`` over a trimmed page image rendered at ``dpi``."""
    kinds = set(kinds)
    unknown = kinds - OVERLAYS
    if unknown:
        raise ValueError(f"unknown overlay(s): {', '.join(sorted(unknown))}")
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    grid = result.grid

    def P(v: float) -> float:
        return px(v, dpi)

    def rect(x, y, w, h, color, width=1):
        d.rectangle((P(x), P(y), P(x + w) - 1, P(y + h) - 1), outline=color, width=width)

    label_font = _font(max(9.0, P(9.0)))

    def label(x, y, w, text, color):
        # Top-right inside the rectangle: headlines start top-left, so a label there hides least.
        width = d.textlength(text, font=label_font)
        tx, ty = max(P(x) + 2, P(x + w) - width - 3), P(y) + 2
        box = d.textbbox((tx, ty), text, font=label_font)
        d.rectangle((box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1), fill=(255, 255, 255, 150))
        d.text((tx, ty), text, fill=color, font=label_font)

    if "baselines" in kinds:
        for i in range(grid.lines):
            top = grid.line_top(i)
            d.rectangle((P(grid.area_x), P(top), P(grid.area_x + grid.area_w) - 1, P(top + grid.em) - 1),
                        fill=LINE_BAND)
    if "grid" in kinds:
        rect(grid.area_x, grid.area_y, grid.area_w, grid.area_h, GRID_COLOR)
        y0, y1 = P(grid.area_y), P(grid.area_y + grid.area_h) - 1
        for c in range(grid.columns):
            for x in (grid.col_x(c), grid.col_x(c) + grid.col_w):
                d.line((P(x), y0, P(x), y1), fill=GRID_COLOR, width=1)
    if "frames" in kinds:
        for g in _frame_groups(result.page.root, ("headline", "photo", "sidebar")):
            rect(g.x, g.y, g.w, g.h, FRAME_COLORS[g.kind])
        for g in _frame_groups(result.page.root, ("article",)):
            rect(g.x, g.y, g.w, g.h, FRAME_COLORS["article"])
        for m in result.modules:
            for n, band in enumerate(m.region.bands):
                x, y, w, h = module_rect(grid, band.col, band.span, band.top, band.end)
                rect(x, y, w, h, MODULE_COLOR, width=2)
                if n == 0:
                    shape = "" if len(m.region.bands) == 1 else f" ({m.region.shape})"
                    label(x, y, w, f"{m.label}{shape}  {m.region.label()}".replace("–", "-"), MODULE_COLOR)
    if "overset" in kinds:
        for entry in result.fit:
            if not (entry.overset_chars or entry.overset_lines):
                continue
            x, y, w, h = _overset_rect(result, entry.id)
            text = f"{entry.id}: {overset_label(entry)}"
            bh = max(P(12.0), label_font.size + 4 if hasattr(label_font, "size") else 12)
            x0, x1, y1 = P(x), P(x + w) - 1, P(y + h) - 1
            d.rectangle((x0, y1 - bh, x1, y1), fill=OVERSET_COLOR)
            d.rectangle((x0, P(y), x1, y1), outline=OVERSET_COLOR, width=2)
            d.text((x0 + 3, y1 - bh + 2), text, fill=(255, 255, 255, 255), font=label_font)
    return Image.alpha_composite(base, layer).convert("RGB")


# ---------------------------------------------------------------- high level


def preview_pdf_bytes(result, options=None, screen=None) -> bytes:
    """PDF bytes to rasterise for a preview: the writer's page without marks (no print finishing).

    Finishing (OutputIntent, XMP) changes no pixel, so previews and regression checks skip it.
    Photos are prepared for print with the options' settings (what the press gets), unless
    ``screen`` swaps them (``pdf.writer.write_pdf``).
    """
    from .api import faces_of, photo_settings
    from .pdf.writer import write_pdf

    photos = photo_settings(options) if options is not None else None
    return write_pdf(result.page, faces_of(result), marks=False, photos=photos, screen=screen)


def png_bytes(image: Image.Image, dpi: float) -> bytes:
    """Encode an image as PNG, deterministically, recording ``dpi``."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("paiban-dpi", f"{dpi:g}")
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(dpi, dpi), pnginfo=info, optimize=False)
    return buf.getvalue()


def render_image(result, dpi: float = DEFAULT_DPI, overlays=(), *, options=None,
                 grayscale: bool = False) -> Image.Image:
    """Rasterise a layout result at ``dpi`` (trimmed) and draw the requested overlays."""
    image = rasterize(preview_pdf_bytes(result, options), dpi, grayscale=grayscale and not overlays)
    if overlays:
        image = overlay(image, result, dpi, overlays)
    return image


@dataclass
class PreviewResult:
    """What ``preview()`` produced: the PNG path, the layout and the image."""

    path: Path
    layout: object
    image: Image.Image


def parse_overlays(text: str | None) -> tuple[str, ...]:
    """Parse ``grid,frames`` (or ``all``/``none``) into overlay names; raise ValueError on a typo."""
    if not text:
        return ()
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if names == ["none"]:
        return ()
    if "all" in names:
        return tuple(sorted(OVERLAYS))
    bad = [n for n in names if n not in OVERLAYS]
    if bad:
        raise ValueError(f"unknown overlay {bad[0]!r}; use {', '.join(sorted(OVERLAYS))} or all")
    return tuple(dict.fromkeys(names))


def preview(issue_path: str | Path, out_png: str | Path | None = None, dpi: float = DEFAULT_DPI,
            overlays=(), options=None) -> PreviewResult:
    """Lay out an issue and write its preview PNG (default ``output/<name>.png``) atomically."""
    from . import api

    if not (0 < dpi <= 600) or math.isnan(dpi):
        from .errors import PaibanError

        raise PaibanError(f"preview resolution {dpi:g} dpi is out of range", hint="use 20–300 dpi")
    loaded = api.load_issue(issue_path, allow=options.allow if options is not None else ())
    result = api.layout(loaded, options)
    image = render_image(result, dpi, overlays, options=options)
    if out_png is None:
        target = api.default_output(Path(issue_path), ".png")
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        target = Path(out_png)
    api.write_atomic(target, png_bytes(image, dpi))
    return PreviewResult(target, result, image)
