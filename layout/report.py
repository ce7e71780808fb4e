"""Reports an editor reads: the copy-fit report (算稿) and the grid facts of a page.

Owns the one description of a page's fit that the CLI table, ``paiban fit --json`` and the
browser preview all print: per text flow its place on the grid (page lines and columns), its
measure in 字, capacity, copy, over and short both in 字 and in column-lines (line slots of one
column), the white at the deepest column foot, what auto-fit and page-level fit changed, the
reasons for white it could not fill and the suggestions that were tried (``arrange.suggest``);
and the grid facts — trim, type area, columns, column width in mm and 字, gutter, lines per
page, mm per line, and every module's size in mm and capacity in 字. It reads a layout result
(or a worker's summary of one: its fit entries and warnings) only; it decides nothing.
"""

from __future__ import annotations

from .units import to_mm

FIT_UNITS = ("字 = body characters at the module's measure; col-lines = line slots of one column; "
             "foot = empty lines at the deepest column foot")
"""The units line printed with every fit table."""


def _place(result, fit) -> str:
    """Where a flow sits on the page: ``col 1+6, lines 0–86`` for each band of each of its
    modules (a chain lists its continuations after ``then``); a sidebar sits in its article."""
    if fit.id != fit.article:
        return f"in {fit.article}"
    parts = [m.region.label() for m in getattr(result, "modules", ()) if m.article == fit.article]
    return " then ".join(parts)


def fit_rows(result, suggestions: dict | None = None) -> list[dict]:
    """One dictionary per text flow of a layout result, in the fit report's terms."""
    rows = []
    for f in result.fit:
        cpl = f.chars_per_line
        rows.append({
            "id": f.id,
            "article": f.article,
            "place": _place(result, f),
            "chars_per_line": round(cpl, 2),
            "capacity_chars": f.capacity_chars,
            "copy_chars": f.chars,
            "over_chars": f.overset_chars,
            "short_chars": f.short_chars,
            "capacity_lines": f.capacity_lines,
            "copy_lines": f.copy_lines,
            "over_lines": f.overset_lines,
            "short_lines": f.underset_lines,
            "foot_lines": f.empty_tail,
            "status": "overset" if f.overset else ("short" if f.empty_tail > 1 else "ok"),
            "changes": list(f.adjustments),
            "reasons": list(f.reasons),
            "suggestions": [s.as_dict() for s in (suggestions or {}).get(f.id, ())],
        })
    return rows


def page_summary(result) -> dict:
    """The page's totals: flows, overset, short modules, empty areas, blocks drawn over what lies
    beside them (overflow warnings: a page with one is not clean), edge moves."""
    over = [f for f in result.fit if f.overset]
    empty = [w for w in result.warnings if w.startswith("empty area")]
    drawn_over = [w for w in result.warnings if w.startswith("overflow:")]
    return {
        "flows": len(result.fit),
        "overset_flows": len(over),
        "overset_chars": sum(f.overset_chars for f in over),
        "short_flows": sum(1 for f in result.fit if f.empty_tail > 1),
        "short_chars": sum(f.short_chars for f in result.fit),
        "short_lines": sum(f.underset_lines for f in result.fit),
        "empty_areas": len(empty),
        "edge_moves": [m.describe() for m in getattr(result, "moves", ())],
        "overflows": len(drawn_over),
        "clean": not over and not empty and not drawn_over and all(f.empty_tail <= 1 for f in result.fit),
    }


def fit_json(result, suggestions: dict | None = None) -> dict:
    """The whole fit report as JSON-ready data (``paiban fit --json``)."""
    return {"units": FIT_UNITS, "grid": grid_facts(result), "flows": fit_rows(result, suggestions),
            "page": page_summary(result), "warnings": list(result.warnings)}


def grid_facts(result) -> dict:
    """The page grid in an editor's numbers, and every module's size in mm and capacity in 字."""
    g = result.grid
    fits = {f.id: f for f in result.fit}
    modules = []
    for m in result.modules:
        box = m.region.bbox
        f = fits.get(m.label)
        modules.append({
            "id": m.label,
            "place": m.region.label(),
            "shape": m.region.shape,
            "width_mm": round(to_mm(g.span_w(box.span)), 1),
            "height_mm": round(to_mm(box.height * g.pitch - (g.pitch - g.em)), 1),
            "lines": box.height,
            "capacity_chars": f.capacity_chars if f is not None else None,
        })
    return {
        "trim_mm": [round(to_mm(g.trim_w), 1), round(to_mm(g.trim_h), 1)],
        "type_area_mm": [round(to_mm(g.area_w), 1), round(to_mm(g.area_h), 1)],
        "columns": g.columns,
        "column_width_mm": round(to_mm(g.col_w), 2),
        "column_chars": g.chars,
        "gutter_mm": round(to_mm(g.gutter), 2),
        "gutter_chars": g.gutter_chars,
        "body_size_pt": g.em,
        "lines": g.lines,
        "mm_per_line": round(to_mm(g.pitch), 3),
        "modules": modules,
    }
