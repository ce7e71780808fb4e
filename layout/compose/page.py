"""The page: plan every module on the grid, compose them, and collect the fit report.

Owns the order of page composition (coverage check, furniture, masthead, articles in order of
their top line so that an auto-height module stops at the module below it), overlap checks that
name both modules, rules between modules, printer's marks, and the ``LayoutResult`` that
exporters read: the frozen frame tree plus copy-fit figures and warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import FontError, InputError
from ..frames import Group, Page
from ..model import parse_body
from . import furniture as FU
from .article import ArticleResult, Ctx, Fit, compose_article
from .grid import Grid, make_grid


@dataclass(frozen=True)
class FitEntry:
    """One row of the fit report."""

    id: str
    capacity_lines: int
    used_lines: int
    overset_lines: int
    overset_chars: int
    underset_lines: int
    empty_tail: int
    chars: int
    adjustments: tuple[str, ...] = ()


@dataclass(frozen=True)
class LayoutResult:
    """What layout produced: the page's frame tree, the grid, the fit report and warnings."""

    page: Page
    grid: Grid
    fit: tuple[FitEntry, ...]
    warnings: tuple[str, ...] = ()
    modules: tuple[tuple[str, int, int, int, int], ...] = field(default=())
    faces: dict = field(default_factory=dict, compare=False, repr=False)  # font key -> Face

    @property
    def overset(self) -> bool:
        """True when any text did not fit."""
        return any(f.overset_lines or f.overset_chars for f in self.fit)


def _text_uses(loaded) -> list[tuple[str, str, str]]:
    """Every piece of text on the page with the role that draws it and where it comes from."""
    issue = loaded.issue
    tp = issue.type
    uses: list[tuple[str, str, str]] = [
        (issue.paper, "粗黑", "header, paper"),
        (issue.section, "黑", "header, section"),
        ("".join(f"{c.role}：{c.name}" for c in issue.header.credits) + "年月日星期一二三四五六日0123456789",
         "黑", "header, credits"),
    ]
    if issue.masthead is not None:
        m = issue.masthead
        uses.append((m.title, "大标宋", "masthead, title"))
        uses.append(("".join(m.sponsors) + m.sponsor_label, "黑", "masthead, sponsors"))
        uses.append(("年月日" + issue.derived_weekday + "0123456789", "宋", "masthead, date"))
        uses.append(("".join(f"{c.role}：{c.name}" for c in issue.header.credits), "楷", "masthead, credits"))
    for a in issue.articles:
        ctx = f"article {a.id}"
        uses.append((a.headline, a.head.font, f"{ctx}, headline"))
        uses.append((a.kicker + a.subtitle, a.head.sub_font, f"{ctx}, kicker/subtitle"))
        uses.append(("".join(a.byline), tp.byline_font, f"{ctx}, byline"))
        uses.append((a.dateline, tp.dateline_font, f"{ctx}, dateline"))
        blocks = parse_body(loaded.bodies.get(a.id, ""))
        uses.append(("".join(b.text for b in blocks if b.kind == "para"), tp.body_font, f"{ctx}, body"))
        uses.append(("".join(b.number + b.text for b in blocks if b.kind != "para"), tp.subhead_font,
                     f"{ctx}, subheads"))
        for p in a.photos:
            uses.append((p.caption, tp.caption_font, f"{ctx}, caption"))
            uses.append((p.credit, tp.byline_font, f"{ctx}, photo credit"))
        if a.sidebar is not None:
            sb = a.sidebar
            uses.append((sb.label, "黑", f"{ctx}, sidebar label"))
            uses.append((sb.title, "标宋", f"{ctx}, sidebar title"))
            uses.append((loaded.sidebars.get(a.id, ""), sb.font, f"{ctx}, sidebar"))
    return [u for u in uses if u[0]]


def compose_page(loaded, fontset, prepare, aspect=None) -> LayoutResult:
    """Compose the page of a loaded issue into a frame tree and a fit report."""
    from .. import fonts as FONTS

    issue = loaded.issue
    grid = make_grid(issue, file=loaded.path, lines_of=loaded.line_of)
    warnings: list[str] = []

    missing, fallbacks = FONTS.coverage(fontset, _text_uses(loaded))
    if missing:
        first = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise FontError(first.message + more,
                        hint="configure a face that has it under type.fallbacks (or type.system_fallback: "
                             "true), or replace the character")
    fallback_chars: dict[str, object] = {}
    for fb in fallbacks:
        warnings.append(fb.message)
        face = fontset.fallback_for(fb.char)
        if face is not None:
            fallback_chars[fb.char] = face

    faces_by_key: dict[str, object] = {}

    def face(role: str):
        f = fontset.face(role)
        faces_by_key[f.key] = f
        return f

    for f in fallback_chars.values():
        faces_by_key[f.key] = f

    def ascent_of(role: str) -> float:
        return face(role).ascent

    ctx = Ctx(issue=issue, grid=grid, face=face, path=loaded.path, lines_of=loaded.line_of,
              prepare=lambda photo, field: prepare(loaded, photo, field),
              aspect=(lambda photo, field: aspect(loaded, photo, field)) if aspect else None,
              warnings=warnings, face_by_key=faces_by_key.get)
    ctx.fallback = fallback_chars

    items: list = []
    # Page 1 carries the nameplate (报头), never a 版眉 [BAOMEI]; a description may say otherwise.
    if issue.header.show if issue.header.show is not None else issue.page != 1:
        items.append(FU.page_header(issue, grid, face, ascent_of))
    rects: list[tuple[str, int, int, int, int]] = []
    if issue.masthead is not None:
        m = issue.masthead
        where = ("masthead", "place")
        if m.place.col + m.place.span - 1 > grid.columns:
            raise InputError(f"columns {m.place.col}–{m.place.col + m.place.span - 1} run off the "
                             f"{grid.columns}-column grid", file=loaded.path, line=loaded.line_of(*where),
                             field="masthead.place", hint=f"use col + span − 1 ≤ {grid.columns}")
        m_top = _lines(loaded, grid, m.place.top, "masthead.place.top")
        m_rows = None if m.place.height == "auto" else _lines(loaded, grid, m.place.height, "masthead.place.height")
        group, rect, problem = FU.masthead(issue, grid, face, ascent_of, m_top, m_rows)
        if problem:
            warnings.append(problem)
        items.append(group)
        rects.append(("masthead", *rect))

    # Articles in order of their top line; an auto height stops above the next module below.
    order = sorted(range(len(issue.articles)), key=lambda i: (_top(issue.articles[i], grid, loaded, i), i))
    results: dict[int, ArticleResult] = {}
    fits: list[Fit] = []
    fixed = list(rects)
    for i, a in enumerate(issue.articles):
        if a.place.height != "auto":
            top = _top(a, grid, loaded, i)
            fixed.append((a.id, a.place.col - 1, a.place.span, top, top + _height(a, grid, loaded, i)))
    _check_overlaps(loaded, fixed)
    for i in order:
        a = issue.articles[i]
        limit = grid.lines
        if a.place.height == "auto":
            top = _top(a, grid, loaded, i)
            for name, c, s, t, b in {*fixed, *rects}:  # fixed modules and those placed so far
                if name != a.id and t > top and c < a.place.col - 1 + a.place.span and c + s > a.place.col - 1:
                    limit = min(limit, t - 1)
        res = compose_article(ctx, a, i, loaded.bodies[a.id], loaded.sidebars.get(a.id), limit)
        results[i] = res
        rects.append((a.id, a.place.col - 1, a.place.span, res.top, res.bottom))
        for n, (c0, sp, t, b) in enumerate(res.continuations, start=2):
            rects.append((f"{a.id}#{n}", c0, sp, t, b))
        fits.extend(res.fits)
    _check_overlaps(loaded, rects)
    warnings.extend(_empty_areas(grid, rects))
    for i in range(len(issue.articles)):
        items.append(results[i].group)
    items.append(Group.around("rules", "rules", grid.area_x, grid.area_y, grid.area_w, grid.area_h,
                       tuple(FU.module_rules(grid, rects))))
    marks = None
    if issue.format.marks or issue.format.slug:
        pieces = (issue.paper, issue.date.isoformat(), f"第{issue.page:02d}版", issue.section)
        slug_text = " · ".join(p for p in pieces if p) if issue.format.slug else ""
        marks = FU.marks(grid, slug_text, face, crop=issue.format.marks)

    fit_entries = tuple(
        FitEntry(f.id, f.capacity_lines, f.used_lines, f.overset_lines, f.overset_chars, f.underset_lines,
                 f.empty_tail, f.chars, f.adjustments)
        for f in fits
    )
    for f in fit_entries:
        if f.overset_lines or f.overset_chars:
            warnings.append(f"overset: article {f.id} has {f.overset_chars} characters "
                            f"({f.overset_lines} lines) that do not fit its module")
    root = Group("page", f"{issue.paper}-{issue.date.isoformat()}-{issue.page:02d}", 0.0, 0.0,
                 grid.trim_w, grid.trim_h, tuple(items))
    title = f"{issue.paper} {issue.date.isoformat()} 第{issue.page:02d}版 {issue.section}".strip()
    page = Page(grid.trim_w, grid.trim_h, root, bleed=grid.bleed, title=title,
                meta=(("paper", issue.paper), ("date", issue.date.isoformat()), ("page", f"{issue.page:02d}"),
                      ("section", issue.section)), marks=marks)
    return LayoutResult(page, grid, fit_entries, tuple(warnings), tuple(rects), dict(faces_by_key))


def _lines(loaded, grid: Grid, value, field: str) -> int:
    """A top or height in whole body lines: numbers are lines, lengths are rounded to lines."""
    import math

    from ..units import LengthError, parse_length

    try:
        lines = float(value) if isinstance(value, (int, float)) else \
            parse_length(value, em=grid.em, pitch=grid.pitch) / grid.pitch
    except LengthError as exc:
        lines = math.nan
        message = str(exc)
    else:
        message = f"{value!r} is not a usable number of lines"
    if not math.isfinite(lines) or lines < 0:
        raise InputError(message, file=loaded.path, line=loaded.line_of(*field.split(".")), field=field,
                         hint="write whole body lines (e.g. 20) or a length such as 40mm")
    return round(lines)


def _top(article, grid: Grid, loaded=None, index: int = 0) -> int:
    return _lines(loaded, grid, article.place.top, f"articles.{index}.place.top")


def _height(article, grid: Grid, loaded=None, index: int = 0) -> int:
    return _lines(loaded, grid, article.place.height, f"articles.{index}.place.height")


EMPTY_AREA_MM = 20.0
"""An unassigned stretch of one column taller than this is reported (no silent holes)."""


def _empty_areas(grid: Grid, rects) -> list[str]:
    """Warn about stretches of the type area that no module covers."""
    from ..units import mm

    limit = mm(EMPTY_AREA_MM) / grid.pitch
    found: list[str] = []
    for col in range(grid.columns):
        covered = sorted((t, b) for _, c, s, t, b in rects if c <= col < c + s)
        pos = 0
        for t, b in covered + [(grid.lines, grid.lines)]:
            # A blank line between stacked modules carries the rule: not a hole.
            if t - pos > max(1.0, limit):
                found.append(f"empty area: column {col + 1}, lines {pos}–{t - 1} belong to no module "
                             f"({(t - pos) * grid.pitch / mm(1):.0f} mm)")
            pos = max(pos, b)
    return found


def _place_field(loaded, name: str) -> str:
    """Field path of a module's placement: the masthead, an article, or a continuation."""
    if name == "masthead":
        return "masthead.place"
    base, _, more = name.partition("#")
    for i, a in enumerate(loaded.issue.articles):
        if a.id == base:
            return f"articles.{i}.continue_in.{int(more) - 2}" if more else f"articles.{i}.place"
    return "articles"


def _check_overlaps(loaded, rects) -> None:
    for i, (na, ac, asp, at, ab) in enumerate(rects):
        for nb, bc, bsp, bt, bb in rects[i + 1:]:
            if ac < bc + bsp and bc < ac + asp and at < bb and bt < ab:
                field = _place_field(loaded, nb)
                raise InputError(
                    f"module {na!r} (columns {ac + 1}–{ac + asp}, lines {at}–{ab}) overlaps module {nb!r} "
                    f"(columns {bc + 1}–{bc + bsp}, lines {bt}–{bb})",
                    file=loaded.path, field=field,
                    line=loaded.line_of(*field.split(".")),
                    hint="move one of them or make it smaller; leave one blank line between stacked modules",
                )
