"""The planner: from a loaded issue to a ``PagePlan``, raising every placement error.

Owns every placement rule of the page and every ``InputError`` about placement, each with its
YAML field path and line: modules on the grid and inside the page's body lines, L-shaped
regions, head, photo and sidebar places inside their module, continuation chains (续排),
split columns (破栏), overlaps between modules, the lines an auto-height module may grow into,
the masthead's rectangle, photo heights from their images' proportions, and the glyph coverage
of every text the page will draw (with the fallback faces it needs). After ``plan_page``,
composition trusts its input: it reads no file, finds no font and raises no input error.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import FontError, InputError
from ..model import Article, EdgeSpec, Place, parse_body
from ..units import LengthError, parse_length
from . import front as FR
from .furniture import masthead_rows
from .geometry import GridRect, Region, RegionError
from .grid import Grid, make_grid
from .types import (
    Chain,
    HeadPlan,
    MastheadPlan,
    ModulePlan,
    PagePlan,
    PendingArticle,
    PhotoPlan,
    SidebarPlan,
    StoryPlan,
)

DEFAULT_MODULE_FLEX = 8
"""Lines page-level fit may add to or take from a module unless its article says otherwise."""

MIN_PHOTO_LINES = 3
"""Smallest photo height in body lines (auto-fit never shrinks a photo below it either)."""

HAO_STEPS = (42.0, 36.0, 26.0, 24.0, 22.0, 18.0, 16.0, 15.0, 14.0, 12.0, 10.5, 9.0)
"""号 sizes from large to small (GB/T 40070): the sizes a kicker or subtitle is chosen from."""

SUB_HEAD_RATIO = 0.45
"""Kicker and subtitle are "about two size steps below" the main head; [XMWB]'s example sets
初号 (42 pt) over 小二 (18 pt), a ratio of 0.43–0.45."""

ImageSize = Callable[[Path, str, str], tuple[int, int]]
"""``(path, file as written, field path) -> (width, height)`` in pixels, EXIF orientation applied."""


def sub_head_size(size: float) -> float:
    """Default kicker/subtitle size for a main head of ``size``: the 号 nearest 0.45 × size."""
    target = SUB_HEAD_RATIO * size
    return min(HAO_STEPS, key=lambda s: (abs(s - target), -s))


class _Where:
    """Builds located ``InputError``s for one description."""

    def __init__(self, loaded) -> None:
        self.loaded = loaded

    def error(self, message: str, field: str, hint: str) -> InputError:
        line = self.loaded.line_of(*field.split(".")) if self.loaded.line_of else None
        return InputError(message, file=self.loaded.path, line=line, field=field, hint=hint)


def plan_page(loaded, fontset=None, *, resolve: Callable[[str, str], Path] | None = None,
              image_size: ImageSize | None = None,
              load_art: FR.ArtLoader | None = None) -> PagePlan:
    """Plan the page of a loaded issue: grid, furniture, modules and chains, all validated.

    ``resolve(file, field)`` turns a file named in the description into a checked path and
    ``image_size`` measures an image (only photos with ``height: auto`` need it) and
    ``load_art`` reads vector art (a nameplate logo, a chart). With a ``fontset`` the glyph
    coverage of every text is checked here too.
    """
    issue = loaded.issue
    where = _Where(loaded)
    grid = make_grid(issue, file=loaded.path, lines_of=loaded.line_of)
    fallback, notes = _coverage(loaded, fontset) if fontset is not None else ({}, ())
    header = issue.header.show if issue.header.show is not None else issue.page != 1
    edges = _named_edges(issue, grid, where)
    ctx = _Ctx(loaded, grid, where, _Spots(grid, edges, where), resolve or (lambda name, field: loaded.root / name),
               image_size, load_art)
    masthead = _masthead(ctx)
    nameplate = FR.plan_nameplate(issue, grid, where, ctx.resolve, load_art)
    drafts = [_article(ctx, a, i) for i, a in enumerate(issue.articles) if a.place is not None]
    pending = tuple(_pending(ctx, a, i) for i, a in enumerate(issue.articles) if a.place is None)
    notes = tuple(notes) + tuple(
        f"article {a.id}: head.flex is no longer used: a head is not padded to fill its module; page-level "
        "fit moves the edges instead (the article's flex)" for a in issue.articles if a.head.flex)
    # A news photo goes out with its caption (图说); one without is said, never passed over (a
    # vector graphic or a logo may stand without one).
    notes += tuple(f"article {a.id}: photo {ph.file} has no caption (图说); give it one under photos: caption"
                   for a in issue.articles for ph in a.photos
                   if not ph.caption.strip() and not ph.credit.strip()
                   and not ph.file.lower().endswith((".svg", ".pdf")))
    fixed: list[tuple[str, str, GridRect]] = []  # (label, field, rect) of every fixed-size module
    if masthead is not None:
        fixed.append(("masthead", "masthead.place", masthead.rect))
    if nameplate is not None:
        fixed.append(("nameplate", "nameplate.place", nameplate.rect))
    for chain in drafts:
        for m in chain.modules:
            if not m.auto:
                fixed.extend((m.label, m.field, band) for band in m.region.bands)
    _check_overlaps(fixed, where)
    chains = [_grow_auto(c, fixed, drafts, grid, where) for c in drafts]
    order = sorted(range(len(chains)), key=lambda i: (chains[i].modules[0].region.bbox.top, i))
    return PagePlan(grid=grid, header=header, masthead=masthead, chains=tuple(chains[i] for i in order),
                    fixed=tuple((label, rect) for label, _f, rect in fixed), fallback=fallback,
                    notes=notes, edges=tuple(edges.values()), pending=pending, nameplate=nameplate)


def _pending(c: _Ctx, article: Article, index: int) -> PendingArticle:
    """An article the planner is to place: its copy, its hints checked against the page's columns,
    and its photos' files checked and measured."""
    columns = c.grid.columns
    for name in ("min_span", "max_span"):
        value = getattr(article, name)
        if value is not None and value > columns:
            raise c.where.error(f"{name}: {value} columns, but the page has {columns}", f"articles.{index}.{name}",
                                f"give at most {columns}, or leave it out")
    photos = []
    for k, photo in enumerate(article.photos):
        field = f"articles.{index}.photos.{k}"
        if photo.span is not None and photo.span > columns:
            raise c.where.error(f"photo span: {photo.span} columns, but the page has {columns}", f"{field}.span",
                                f"give at most {columns} (or the article's own width), or leave it out")
        path = c.resolve(photo.file, f"{field}.file")
        if c.image_size is None:
            raise c.where.error("the planner needs the photo's image to size it", f"{field}.file",
                                "give the article and its photos places, or render through the API")
        photos.append((path, c.image_size(path, photo.file, field)))
    story = _story(c, article, index)
    return PendingArticle(index=index, article=article.id, story=story, photos=tuple(photos))


# ---------------------------------------------------------------- lengths


def _lines(value, grid: Grid, field: str, where: _Where) -> int:
    """A top or height in whole body lines: numbers are lines, lengths are rounded to lines."""
    try:
        lines = float(value) if isinstance(value, (int, float)) else \
            parse_length(value, em=grid.em, pitch=grid.pitch) / grid.pitch
    except LengthError as exc:
        lines, message = math.nan, str(exc)
    else:
        message = f"{value!r} is not a usable number of lines"
    if not math.isfinite(lines) or lines < 0:
        raise where.error(message, field, "write whole body lines (e.g. 20) or a length such as 40mm")
    return round(lines)


def _rows(value, grid: Grid, field: str, where: _Where) -> int:
    """Lines inside a module: whole numbers of lines, or a length rounded to lines."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != int(value):
            raise where.error(f"{value} is not a whole number of lines", field, "use whole lines or mm")
        return int(value)
    try:
        pt = parse_length(value, em=grid.em, pitch=grid.pitch)
    except LengthError as exc:
        raise where.error(str(exc), field, "write lines as a number, or a length like 40mm") from None
    return max(0, round(pt / grid.pitch))


# ---------------------------------------------------------------- named edges


@dataclass(frozen=True, slots=True)
class NamedEdge:
    """A named edge: horizontal on body line ``at`` (the blank line between the modules above and
    below) or vertical after column ``at`` (1-based: the gutter after that column)."""

    name: str
    horizontal: bool
    at: int
    flex: int | None


@dataclass(frozen=True, slots=True)
class Spot:
    """A place resolved to grid units: 0-based column, span, top line (None: on the module's foot)
    and height in lines (None: auto), relative to the origin it was resolved against."""

    col: int
    span: int
    top: int | None
    height: int | None


FOOT_EDGE = "foot"
"""The built-in horizontal edge at the page's foot: ``height: to foot`` runs a module to the last line."""


def _named_edges(issue, grid: Grid, where: _Where) -> dict[str, NamedEdge]:
    edges: dict[str, NamedEdge] = {FOOT_EDGE: NamedEdge(FOOT_EDGE, True, grid.lines, 0)}
    for name, spec in issue.edges.items():
        field = f"edges.{name}"
        if isinstance(spec, EdgeSpec) and spec.col is not None:
            if spec.col >= grid.columns:
                raise where.error(f"a vertical edge after column {spec.col} does not lie between two of the "
                                  f"{grid.columns} columns", f"{field}.col", f"use 1–{grid.columns - 1}")
            edges[name] = NamedEdge(name, False, spec.col, None)
            continue
        value = spec.line if isinstance(spec, EdgeSpec) else spec
        line = _lines(value, grid, f"{field}.line" if isinstance(spec, EdgeSpec) else field, where)
        if not 0 < line < grid.lines - 1:
            raise where.error(f"edge line {line} is not inside the page's {grid.lines} body lines", field,
                              f"use 1–{grid.lines - 2}")
        edges[name] = NamedEdge(name, True, line, spec.flex if isinstance(spec, EdgeSpec) else None)
    return edges


class _Spots:
    """Resolves ``Place`` values (numbers, lengths or named edges) to grid units."""

    def __init__(self, grid: Grid, edges: dict[str, NamedEdge], where: _Where) -> None:
        self.grid, self.edges, self.where = grid, edges, where

    def _edge(self, name: str, horizontal: bool, field: str) -> NamedEdge:
        edge = self.edges.get(name)
        kind = "horizontal" if horizontal else "vertical"
        if edge is None:
            known = ", ".join(sorted(self.edges)) or "none are defined"
            raise self.where.error(f"no edge named {name!r}", field, f"name one under edges: ({known})")
        if edge.horizontal != horizontal:
            raise self.where.error(f"edge {name!r} is not a {kind} edge", field,
                                   "use a horizontal edge (a line) for top/height and a vertical one "
                                   "({col: N}) for col/span")
        return edge

    def resolve(self, place, field: str, origin: tuple[int, int] = (0, 0)) -> Spot:
        """Resolve ``place`` written relative to ``origin`` (column, line: 0, 0 for the page)."""
        from ..model import _edge_ref

        g, where = self.grid, self.where
        ocol, otop = origin
        if isinstance(place.col, str):
            col = self._edge(place.col, False, f"{field}.col").at - ocol
        else:
            col = place.col - 1
        if isinstance(place.span, str):
            span = self._edge(_edge_ref(place.span, "to "), False, f"{field}.span").at - (ocol + col)
            if span < 1:
                raise where.error(f"the edge lies left of the first column ({place.span!r})", f"{field}.span",
                                  "start the block left of the edge")
        else:
            span = place.span
        top: int | None
        if isinstance(place.top, str) and place.top.strip() == "bottom":
            top = None
        elif (name := _edge_ref(place.top)) is not None:
            top = self._edge(name, True, f"{field}.top").at + 1 - otop
            if top < 0:
                raise where.error(f"edge {name!r} lies above the block's module", f"{field}.top",
                                  "use an edge inside the module")
        else:
            top = _rows(place.top, g, f"{field}.top", where)
        height: int | None
        if place.height == "auto":
            height = None
        elif (name := _edge_ref(place.height, "to ")) is not None:
            height = self._edge(name, True, f"{field}.height").at - otop - (top or 0)
            if height < 1:
                raise where.error(f"edge {name!r} does not lie below the block's top", f"{field}.height",
                                  "use an edge below the top, or a height in lines")
        else:
            height = _rows(place.height, g, f"{field}.height", where)
        return Spot(col, span, top, height)


# ---------------------------------------------------------------- furniture


@dataclass(frozen=True)
class _Ctx:
    """What planning one page reads: the description, grid, places resolver, files and images."""

    loaded: object
    grid: Grid
    where: _Where
    spots: _Spots
    resolve: Callable[[str, str], Path]
    image_size: ImageSize | None
    load_art: object = None


def _masthead(c: _Ctx) -> MastheadPlan | None:
    issue, grid = c.loaded.issue, c.grid
    m = issue.masthead
    if m is None:
        return None
    spot = c.spots.resolve(m.place, "masthead.place")
    _on_grid(c, spot, "masthead.place")
    if spot.top is None:
        raise c.where.error("'bottom' is only for photos", "masthead.place.top", "give the masthead's first line")
    needed = masthead_rows(issue, grid)
    rows = needed if spot.height is None else spot.height
    return MastheadPlan(GridRect(spot.col, spot.span, spot.top, rows), needed)


def _on_grid(c: _Ctx, spot: Spot, field: str) -> None:
    if spot.col < 0 or spot.col + spot.span > c.grid.columns:
        raise c.where.error(f"columns {spot.col + 1}–{spot.col + spot.span} run off the {c.grid.columns}-column "
                            "grid", field, f"use col + span − 1 ≤ {c.grid.columns}")


# ---------------------------------------------------------------- articles


def _region(c: _Ctx, article: Article, index: int) -> tuple[Region, bool]:
    """The article's main region on the grid and whether its height is automatic."""
    grid = c.grid
    base = f"articles.{index}.place"
    single = isinstance(article.place, Place)
    rects: list[GridRect] = []
    auto = False
    for n, pl in enumerate(article.places):
        field = base if single else f"{base}.{n}"
        spot = c.spots.resolve(pl, field)
        _on_grid(c, spot, field)
        if spot.top is None:
            raise c.where.error("'bottom' is only for photos; give the module's first line", f"{field}.top",
                                "write the first body line of the module")
        if spot.height is None:
            auto, bottom = True, grid.lines
        else:
            bottom = spot.top + spot.height
        if bottom > grid.lines or spot.top >= bottom:
            raise c.where.error(f"the module (lines {spot.top}–{bottom}) does not fit the page's {grid.lines} "
                                "body lines", field, f"keep top + height ≤ {grid.lines}")
        rects.append(GridRect(spot.col, spot.span, spot.top, bottom - spot.top))
    try:
        return Region.of(rects), auto
    except RegionError as exc:
        field = base if single else f"{base}.{exc.index}"
        raise c.where.error(f"the module's rectangles do not form a region: {exc}", field,
                            "give one rectangle, or two that share an edge and form an L or an inverted L "
                            "(e.g. [{col: 1, span: 5, top: 0, height: 40}, {col: 1, span: 3, top: 40, "
                            "height: 30}])") from None


def _head_band(article: Article, region: Region) -> int:
    """The band the head sits over: the widest, or the top one when the head says so."""
    return 0 if article.head.over == "top" else region.widest


def head_plan(article: Article, region: Region, issue) -> HeadPlan | None:
    """The head plan an article would have in ``region`` (what the automatic planner measures)."""
    return _head(article, 0, region, issue)


def _head(article: Article, index: int, region: Region, issue, offset: int = 0,
          inset: float = 0.0) -> HeadPlan | None:
    """The head's plan: its columns over its band, and its size and face — from the house table
    of head levels by the head's width in columns, unless the description names them; ``offset``
    lines below the band's top (a box's padding, a label tag) and ``inset`` body ems in from each
    side (a box). None for an article without a headline (a photo news item may have none)."""
    if not article.headline:
        return None
    head = article.head
    band = region.bands[_head_band(article, region)]
    box = region.bbox
    span = min(head.span or (1 if head.is_vertical else band.span), band.span)
    size_given, font = head.size, head.font
    if head.level is not None:
        level = issue.type.head_levels[head.level]
        if "size" not in head.model_fields_set:
            size_given = level.size_for(span)
        if "font" not in head.model_fields_set:
            font = level.font
    size = issue.size(size_given)
    sub = sub_head_size(size)
    return HeadPlan(
        main=article.headline, kicker=article.kicker, subtitle=article.subtitle, size=size,
        kicker_size=issue.size(head.kicker_size) if head.kicker_size else sub,
        subtitle_size=issue.size(head.subtitle_size) if head.subtitle_size else sub,
        font=font, sub_font=head.sub_font, col=band.col - box.col, span=span,
        top=band.top - box.top + offset, align=head.align, vertical=head.is_vertical, side=head.side,
        lines=head.lines, style=head.style or ("vertical" if head.is_vertical else "stacked"), rows=head.rows,
        air=head.air if head.air is not None else issue.type.head_air, inset=inset)


def _inside(c: _Ctx, spot: Spot, box: GridRect, what: str, field: str) -> None:
    if spot.col < 0 or spot.col + spot.span > box.span:
        raise c.where.error(f"{what} columns {spot.col + 1}–{spot.col + spot.span} lie outside the article's "
                            f"{box.span} columns", field, f"columns of a {what} count from the module's first column")


def _photos(c: _Ctx, article: Article, index: int, region: Region, auto: bool) -> tuple[PhotoPlan, ...]:
    grid = c.grid
    box = region.bbox
    out: list[PhotoPlan] = []
    for p_index, photo in enumerate(article.photos):
        pf = f"articles.{index}.photos.{p_index}"
        spot = c.spots.resolve(photo.place, f"{pf}.place", (box.col, box.top))
        _inside(c, spot, box, "photo", f"{pf}.place")
        path = c.resolve(photo.file, f"{pf}.file")
        art = None
        if path.suffix.lower() in (".svg", ".pdf") and c.load_art is not None:
            art = c.load_art(path, photo.file, f"{pf}.file")  # a vector chart or graphic
        px = None
        if art is None and c.image_size is not None:
            try:
                px = c.image_size(path, photo.file, pf)
            except InputError:
                if spot.height is None:
                    raise
                # The size is needed for the crop only: the preparer reports what is wrong with it.
        if spot.height is not None:
            height = spot.height
        elif art is not None or px is not None:
            w_px, h_px = (art.width, art.height) if art is not None else px
            # Keep the photo's proportions: the image's height in whole lines at this width.
            height = max(MIN_PHOTO_LINES, round((grid.span_w(spot.span) * h_px / w_px - grid.em) / grid.pitch) + 1)
        else:
            raise c.where.error("a photo without a height needs its image to measure", f"{pf}.place.height",
                                "give the photo a height in lines or mm")
        if not auto and len(region.bands) > 1:
            # A photo on the foot stands on the foot of its own columns (in an L, its part's).
            foot = min(max(end for _t, end in region.lines_in(c) or [(0, box.end)])
                       for c in range(box.col + spot.col, box.col + spot.col + spot.span))
            p_top = box.top + spot.top if spot.top is not None else foot - height
            rect = GridRect(box.col + spot.col, spot.span, p_top, height)
            if not region.contains(rect):
                raise c.where.error(f"the photo ({rect.label()}) lies outside the L-shaped module "
                                    f"({region.label()})", f"{pf}.place", "place it inside one part of the module")
        cap_font, cap_size = FR.caption_style(photo, c.loaded.issue)
        out.append(PhotoPlan(index=p_index, source=photo.file, path=path, col=spot.col, span=spot.span,
                             top=spot.top, height=height, flex=photo.flex, caption=photo.caption,
                             credit=photo.credit, standin=photo.standin, field=pf,
                             caption_font=cap_font, caption_size=cap_size, art=art, px=px,
                             crop=photo.crop, focus=photo.focus))
    return tuple(out)


def _sidebar(c: _Ctx, article: Article, index: int, region: Region) -> SidebarPlan | None:
    sb = article.sidebar
    if sb is None:
        return None
    sf = f"articles.{index}.sidebar"
    box = region.bbox
    spot = c.spots.resolve(sb.place, f"{sf}.place", (box.col, box.top))
    _inside(c, spot, box, "sidebar", f"{sf}.place")
    if spot.top is None:
        raise c.where.error("'bottom' is only for photos", f"{sf}.place.top", "give the sidebar's first line")
    if len(region.bands) > 1:
        rect = GridRect(box.col + spot.col, spot.span, box.top + spot.top, spot.height or 1)
        if not region.contains(rect):
            raise c.where.error(f"the sidebar ({rect.label()}) lies outside the L-shaped module ({region.label()})",
                                f"{sf}.place", "place it inside one part of the module")
    text = c.loaded.sidebars.get(article.id, "")
    return SidebarPlan(col=spot.col, span=spot.span, top=spot.top, rows=spot.height, label=sb.label,
                       title=sb.title, blocks=tuple(parse_body(text)), font=sb.font)


def _continuations(c: _Ctx, article: Article, index: int, auto: bool) -> list[ModulePlan]:
    grid = c.grid
    out: list[ModulePlan] = []
    for c_index, cp in enumerate(article.continue_in):
        cf = f"articles.{index}.continue_in.{c_index}"
        spot = c.spots.resolve(cp, cf)
        if spot.col + spot.span > grid.columns or spot.height is None or spot.top is None or auto:
            raise c.where.error("a continued story needs fixed heights, and its modules columns on the grid", cf,
                                f"give the article and each continuation a height in lines; col + span − 1 ≤ "
                                f"{grid.columns}")
        if spot.top + spot.height > grid.lines or spot.height < 1:
            raise c.where.error(f"the continuation (lines {spot.top}–{spot.top + spot.height}) does not fit the "
                                f"page's {grid.lines} body lines", cf, f"keep top + height ≤ {grid.lines}")
        region = Region((GridRect(spot.col, spot.span, spot.top, spot.height),))
        out.append(ModulePlan(article=article.id, index=index, part=c_index + 2, region=region, field=cf,
                              flex=_flex(article)))
    return out


def _flex(article: Article) -> int:
    """Lines page-level fit may add to or take from the article's modules."""
    return DEFAULT_MODULE_FLEX if article.flex is None else article.flex


def _story(c: _Ctx, article: Article, index: int) -> StoryPlan:
    """An article's copy: an editor's note, its body (or briefs, or index items), its own face and size."""
    blocks = FR.story_blocks(article, c.loaded.bodies.get(article.id, ""))
    size = FR.body_size(article, index, c.loaded.issue, c.grid, c.where)
    return StoryPlan(article=article.id, bylines=tuple(article.byline), dateline=article.dateline,
                     blocks=blocks, body_font=article.body_font, body_size=size)


def _article(c: _Ctx, article: Article, index: int) -> Chain:
    grid, loaded = c.grid, c.loaded
    region, auto = _region(c, article, index)
    box = FR.plan_box(article, index, region, auto, c.where)
    label = FR.plan_label(article, index, region, c.where)
    offset = (1 if box is not None else 0) + (label.rows if label is not None else 0)
    if article.columns and len(region.bands) > 1:
        raise c.where.error("split columns (破栏) are for rectangular modules", f"articles.{index}.columns",
                            "drop columns, or make the module one rectangle")
    if article.columns:
        band = region.bands[0]
        try:
            grid.split(grid.col_x(band.col), grid.span_chars(band.span), article.columns)
        except ValueError as exc:
            raise c.where.error(str(exc), f"articles.{index}.columns", "use fewer columns") from None
    inset = box.inset if box is not None else 0.0
    head = _head(article, index, region, loaded.issue, offset, inset)
    main = ModulePlan(
        article=article.id, index=index, part=1, region=region, auto=auto, head=head,
        photos=_photos(c, article, index, region, auto),
        sidebar=_sidebar(c, article, index, region), columns=article.columns,
        field=f"articles.{index}.place", first_band=_head_band(article, region), flex=0 if auto else _flex(article),
        box=box, tag=label)
    FR.check_box_contents(article, index, main, c.where)
    return Chain(_story(c, article, index), (main, *_continuations(c, article, index, auto)))


# ---------------------------------------------------------------- page rules


def _check_overlaps(fixed: list[tuple[str, str, GridRect]], where: _Where) -> None:
    for i, (na, _fa, a) in enumerate(fixed):
        for nb, fb, b in fixed[i + 1:]:
            if na != nb and a.overlaps(b):
                raise where.error(
                    f"module {na!r} (columns {a.col + 1}–{a.right}, lines {a.top}–{a.end}) overlaps module "
                    f"{nb!r} (columns {b.col + 1}–{b.right}, lines {b.top}–{b.end})", fb,
                    "move one of them or make it smaller; leave one blank line between stacked modules")


def _grow_auto(chain: Chain, fixed, drafts: list[Chain], grid: Grid, where: _Where) -> Chain:
    """An auto-height module may grow down to the line above the next module in its columns."""
    main = chain.modules[0]
    if not main.auto:
        return chain
    band = main.region.bands[0]
    first = GridRect(band.col, band.span, band.top, 1)
    others = [(label, rect) for label, _f, rect in fixed]
    others += [(c.modules[0].label, c.modules[0].region.bands[0]) for c in drafts
               if c is not chain and c.modules[0].auto]
    limit = grid.lines
    for label, rect in others:
        if rect.overlaps(first):
            raise where.error(f"module {main.label!r} (columns {band.col + 1}–{band.right}, from line {band.top}, "
                              f"height auto) overlaps module {label!r} (columns {rect.col + 1}–{rect.right}, "
                              f"lines {rect.top}–{rect.end})", main.field,
                              "move its top below the other module, or give it another column")
        if rect.top > band.top and rect.col < band.right and band.col < rect.right:
            limit = min(limit, rect.top - 1)
    region = Region((GridRect(band.col, band.span, band.top, max(1, limit - band.top)),))

    return Chain(chain.story, (replace(main, region=region),) + chain.modules[1:])


# ---------------------------------------------------------------- glyph coverage


def text_uses(loaded) -> list[tuple[str, str, str]]:
    """Every piece of text on the page with the role that draws it and where it comes from."""
    return [(text, role, where) for text, role, where, _field in located_uses(loaded)]


def located_uses(loaded) -> list[tuple[str, str, str, str]]:
    """``text_uses`` with each piece's field path in the description (what a missing glyph's
    error names, with its line)."""
    issue = loaded.issue
    tp = issue.type
    uses: list[tuple[str, str, str, str]] = [
        (issue.paper, "粗黑", "header, paper", "paper"),
        (issue.section, "黑", "header, section", "section"),
        ("".join(f"{c.role}：{c.name}" for c in issue.header.credits) + "年月日星期一二三四五六日0123456789",
         "黑", "header, credits", "header.credits"),
    ]
    if issue.masthead is not None:
        m = issue.masthead
        uses.append((m.title, "大标宋", "masthead, title", "masthead.title"))
        uses.append(("".join(m.sponsors) + m.sponsor_label, "黑", "masthead, sponsors", "masthead.sponsors"))
        uses.append(("年月日" + issue.derived_weekday + "0123456789", "宋", "masthead, date", "date"))
        uses.append(("".join(f"{c.role}：{c.name}" for c in issue.header.credits), "楷", "masthead, credits",
                     "header.credits"))
    if issue.nameplate is not None:
        n = issue.nameplate
        if not n.logo:
            uses.append((n.name or issue.paper, n.font, "nameplate, name", "nameplate.name"))
        info = "".join(p for row in FR.nameplate_info(issue) for p in row)
        uses.append((info, "黑", "nameplate, issue data", "nameplate"))
    for i, a in enumerate(issue.articles):
        ctx, at = f"article {a.id}", f"articles.{i}"
        body = f"{at}.body_file" if a.body_file else f"{at}.body"
        uses.append((a.headline, head_font(issue, a), f"{ctx}, headline", f"{at}.headline"))
        uses.append((a.kicker + a.subtitle, a.head.sub_font, f"{ctx}, kicker/subtitle",
                     f"{at}.kicker" if a.kicker else f"{at}.subtitle"))
        uses.append(("".join(a.byline), tp.byline_font, f"{ctx}, byline", f"{at}.byline"))
        uses.append((a.dateline, tp.dateline_font, f"{ctx}, dateline", f"{at}.dateline"))
        blocks = FR.story_blocks(a, loaded.bodies.get(a.id, ""))
        uses.extend(u + (body,) for u in FR.block_uses(blocks, a.body_font or tp.body_font, tp, ctx))
        uses.append((a.label, "黑", f"{ctx}, label", f"{at}.label"))
        for k, p in enumerate(a.photos):
            uses.append((p.caption, p.caption_font or tp.caption_font, f"{ctx}, caption", f"{at}.photos.{k}.caption"))
            uses.append((tp.credit_format.format(p.credit) if p.credit else "", tp.credit_font or tp.byline_font,
                         f"{ctx}, photo credit", f"{at}.photos.{k}.credit"))
        if a.sidebar is not None:
            sb = a.sidebar
            uses.append((sb.label, "黑", f"{ctx}, sidebar label", f"{at}.sidebar.label"))
            uses.append((sb.title, "标宋", f"{ctx}, sidebar title", f"{at}.sidebar.title"))
            uses.append((loaded.sidebars.get(a.id, ""), sb.font, f"{ctx}, sidebar", f"{at}.sidebar"))
    return [u for u in uses if u[0]]


def head_font(issue, article) -> str:
    """The font role of an article's main head (its level's face unless it names one)."""
    head = article.head
    if head.level is not None and "font" not in head.model_fields_set:
        return issue.type.head_levels[head.level].font
    return head.font


def _coverage(loaded, fontset) -> tuple[dict, tuple[str, ...]]:
    """Check every character against its role's face; return the fallback face per character."""
    from .. import fonts as FONTS

    uses = located_uses(loaded)
    missing, fallbacks = FONTS.coverage(fontset, [u[:3] for u in uses])
    if missing:
        first = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        # The field the character is in, and its line (the first text of that context that has it).
        field = next(f for text, _r, where, f in uses if where == first.context and first.char in text)
        line = loaded.line_of(*field.split("."))
        raise FontError(f"{loaded.path}:{line}: {first.message}{more}" if line else f"{loaded.path}: {first.message}{more}",
                        hint="configure a face that has it under type.fallbacks (or type.system_fallback: "
                             "true), or replace the character")
    chars: dict[str, object] = {}
    for fb in fallbacks:
        face = fontset.fallback_for(fb.char)
        if face is not None:
            chars[fb.char] = face
    return chars, tuple(fb.message for fb in fallbacks)
