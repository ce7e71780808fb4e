"""The one place ``paiban serve`` reads a ``LayoutResult``: its JSON description and screen copy.

Owns ``layout_json(result)``, the browser's view of a laid-out page — grid, module rectangles,
inner frames (headline, photos, sidebar), set baselines, fit figures in lines and characters,
head rows, photos with size, crop and ppi, and warnings, each module carrying its own. Everything else in ``layout.serve`` reads only the dictionaries
built here, so when the page plan changes shape only this module changes with it.
"""

from __future__ import annotations

import re

from ..frames import Group, Image, TextLine, translate
from ..preview import module_rect
from ..units import to_mm

JSON_VERSION = 1
"""Bumped when the shape of ``layout_json`` changes (the browser code reads it)."""

ROUND = 2
"""Decimals of every coordinate in the JSON (0.01 pt, as in regression snapshots)."""

INNER_FRAMES = ("headline", "photo", "sidebar")
"""Frame-group kinds drawn by the ``frames`` overlay inside modules (as ``paiban preview``)."""

BASELINE_KINDS = ("body", "caption", "subhead", "sidebar")
"""Text-line kinds whose baselines the ``baselines`` overlay draws (the running text)."""


def _r(value: float) -> float:
    return round(float(value), ROUND)


def _rect(x: float, y: float, w: float, h: float) -> list[float]:
    return [_r(x), _r(y), _r(w), _r(h)]


def _article_of(f) -> str:
    """The article a fit entry belongs to (a sidebar's entry belongs to its article)."""
    return f.article or f.id


def _mentions(message: str, article: str, files: list[str]) -> bool:
    """True when a warning is about ``article`` (``article lead: …``) or one of its photos."""
    if re.search(rf"\barticle {re.escape(article)}(?![\w-])", message):
        return True
    return any(f and f in message for f in files)


def _fit_status(f) -> str:
    if f.overset_lines or f.overset_chars:
        return "overset"
    if f.underset_lines:
        return "underset"
    return "ok"


def _head(group: Group, pitch: float) -> dict:
    rows = [
        {"kind": line.kind.removeprefix("head-"), "text": line.text, "size": _r(line.size)}
        for line in group.lines()
    ]
    return {
        "rect": _rect(group.x, group.y, group.w, group.h),
        "lines": round(group.h / pitch),
        "rows": rows,
    }


def _photo(group: Group) -> dict | None:
    image = next((i for i in group.placed() if isinstance(i, Image)), None)
    if image is None:
        return None
    caption = "".join(line.text for line in group.lines())
    return {
        "file": image.source,
        "rect": _rect(image.x, image.y, image.w, image.h),
        "w_mm": round(to_mm(image.w), 1),
        "h_mm": round(to_mm(image.h), 1),
        "px": list(image.px),
        "ppi": round(image.ppi),
        "crop_px": list(image.crop_px),
        "fpo": image.fpo,
        "caption": caption,
    }


def layout_json(result) -> dict:
    """Describe a layout result for the browser: grid, modules, frames, fit, baselines, warnings."""
    grid, page = result.grid, result.page
    articles = {g.id: g for g in page.root.items if isinstance(g, Group)}
    fits = []
    for f in result.fit:
        fits.append(
            {
                "id": f.id,
                "module": _article_of(f),
                "capacity_lines": f.capacity_lines,
                "used_lines": f.used_lines,
                "overset_lines": f.overset_lines,
                "overset_chars": f.overset_chars,
                "underset_lines": f.underset_lines,
                "empty_tail": f.empty_tail,
                "chars": f.chars,
                "adjustments": list(f.adjustments),
                "status": _fit_status(f),
            }
        )
    frames, baselines = [], []
    owner = {m.label: m.article or m.label for m in result.modules}
    for top in page.root.items:
        if not isinstance(top, Group):
            continue
        placed = translate(top, page.root.x, page.root.y)
        for item in placed.placed():
            if isinstance(item, Group) and item.kind in INNER_FRAMES:
                frames.append({"kind": item.kind, "id": item.id, "module": owner.get(placed.id, placed.id),
                               "rect": _rect(item.x, item.y, item.w, item.h)})
            elif isinstance(item, TextLine) and item.kind in BASELINE_KINDS:
                baselines.append([_r(item.x), _r(item.y), _r(item.width)])
    modules = []
    for m in result.modules:
        name, article = m.label, m.article or m.label
        box = m.region.bbox
        col0, span, top, bottom = box.col, box.span, box.top, box.end
        group = articles.get(name)
        head, photos = None, []
        if group is not None and m.part <= 1:  # a continuation has no head or photos
            group = translate(group, page.root.x, page.root.y)
            for g in group.placed():
                if isinstance(g, Group) and g.kind == "headline" and head is None:
                    head = _head(g, grid.pitch)
                elif isinstance(g, Group) and g.kind == "photo":
                    photo = _photo(g)
                    if photo is not None:
                        photos.append(photo)
        files = [p["file"] for p in photos]
        modules.append(
            {
                "id": name,
                "article": article,
                "kind": "masthead" if m.kind == "masthead" else ("continuation" if m.part > 1 else "article"),
                "shape": m.region.shape,
                "bands": [_rect(*module_rect(grid, b.col, b.span, b.top, b.end)) for b in m.region.bands],
                "col": col0 + 1,
                "span": span,
                "top": top,
                "bottom": bottom,
                "rect": _rect(*module_rect(grid, col0, span, top, bottom)),
                "fit": [f["id"] for f in fits if f["module"] == article],
                "head": head,
                "photos": photos,
                "warnings": [
                    w
                    for w in result.warnings
                    if name != "masthead" and _mentions(w, article, files)
                ]
                or [w for w in result.warnings if name == "masthead" and w.startswith("masthead")],
            }
        )
    over = [f for f in fits if f["status"] == "overset"]
    return {
        "version": JSON_VERSION,
        "page": {
            "width": _r(page.width),
            "height": _r(page.height),
            "title": page.title,
            "meta": dict(page.meta),
        },
        "grid": {
            "area": _rect(grid.area_x, grid.area_y, grid.area_w, grid.area_h),
            "columns": [[_r(grid.col_x(c)), _r(grid.col_w)] for c in range(grid.columns)],
            "em": _r(grid.em),
            "pitch": round(grid.pitch, 4),
            "lines": grid.lines,
        },
        "modules": modules,
        "frames": frames,
        "baselines": baselines,
        "fit": fits,
        "warnings": list(result.warnings),
        "summary": {
            "flows": len(fits),
            "overset_modules": len(over),
            "overset_chars": sum(f["overset_chars"] for f in over),
            "overset_lines": sum(f["overset_lines"] for f in over),
            "underset_lines": sum(f["underset_lines"] for f in fits),
            "empty_areas": sum(1 for w in result.warnings if w.startswith("empty area")),
        },
    }


def page_images(result) -> list:
    """Every placed photo (``frames.Image``) of a result, in drawing order."""
    return [i for i in result.page.root.placed() if isinstance(i, Image)]


def any_face(result) -> dict:
    """One font face of the result, keyed by its key (what the PDF writer needs to start a page)."""
    key = next(iter(result.faces))
    return {key: result.faces[key]}
