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
from pathlib import Path

from ..errors import FontError, InputError
from ..model import Article, Place, parse_body
from ..units import LengthError, parse_length
from . import front as FR
from .furniture import masthead_rows
from .geometry import GridRect, Region, RegionError
from .grid import Grid, make_grid
from .types import Chain, HeadPlan, MastheadPlan, ModulePlan, PagePlan, PhotoPlan, SidebarPlan, StoryPlan

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
    masthead = _masthead(issue, grid, where)
    resolve = resolve or (lambda name, field: loaded.root / name)
    nameplate = FR.plan_nameplate(issue, grid, where, resolve, load_art)
    drafts = [_article(a, i, grid, loaded, where, resolve, image_size, load_art)
              for i, a in enumerate(issue.articles)]
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
                    notes=notes, nameplate=nameplate)


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


# ---------------------------------------------------------------- furniture


def _masthead(issue, grid: Grid, where: _Where) -> MastheadPlan | None:
    m = issue.masthead
    if m is None:
        return None
    if m.place.col + m.place.span - 1 > grid.columns:
        raise where.error(f"columns {m.place.col}–{m.place.col + m.place.span - 1} run off the "
                          f"{grid.columns}-column grid", "masthead.place", f"use col + span − 1 ≤ {grid.columns}")
    top = _lines(m.place.top, grid, "masthead.place.top", where)
    needed = masthead_rows(issue, grid)
    rows = needed if m.place.height == "auto" else _lines(m.place.height, grid, "masthead.place.height", where)
    return MastheadPlan(GridRect(m.place.col - 1, m.place.span, top, rows), needed)


# ---------------------------------------------------------------- articles


def _region(article: Article, index: int, grid: Grid, where: _Where) -> tuple[Region, bool]:
    """The article's main region on the grid and whether its height is automatic."""
    base = f"articles.{index}.place"
    single = isinstance(article.place, Place)
    rects: list[GridRect] = []
    auto = False
    for n, pl in enumerate(article.places):
        field = base if single else f"{base}.{n}"
        if pl.col + pl.span - 1 > grid.columns:
            raise where.error(f"columns {pl.col}–{pl.col + pl.span - 1} run off the {grid.columns}-column grid",
                              field, f"use col + span − 1 ≤ {grid.columns}")
        top = _rows(pl.top, grid, f"{field}.top", where)
        if pl.height == "auto":
            auto, bottom = True, grid.lines
        else:
            bottom = top + _rows(pl.height, grid, f"{field}.height", where)
        if bottom > grid.lines or top >= bottom:
            raise where.error(f"the module (lines {top}–{bottom}) does not fit the page's {grid.lines} body lines",
                              field, f"keep top + height ≤ {grid.lines}")
        rects.append(GridRect(pl.col - 1, pl.span, top, bottom - top))
    try:
        return Region.of(rects), auto
    except RegionError as exc:
        field = base if single else f"{base}.{exc.index}"
        raise where.error(f"the module's rectangles do not form a region: {exc}", field,
                          "give one rectangle, or two that share an edge and form an L or an inverted L "
                          "(e.g. [{col: 1, span: 5, top: 0, height: 40}, {col: 1, span: 3, top: 40, height: 30}])"
                          ) from None


def _head_band(article: Article, region: Region) -> int:
    """The band the head sits over: the widest, or the top one when the head says so."""
    return 0 if article.head.over == "top" else region.widest


def _head(article: Article, index: int, region: Region, issue, offset: int = 0,
          inset: float = 0.0) -> HeadPlan | None:
    """The head plan; ``offset`` lines below the band's top (a box's padding, a label tag) and
    ``inset`` body ems in from each side (a box)."""
    if not article.headline:
        return None
    head = article.head
    band = region.bands[_head_band(article, region)]
    box = region.bbox
    size = issue.size(head.size)
    sub = sub_head_size(size)
    span = min(head.span or (1 if head.vertical else band.span), band.span)
    return HeadPlan(
        main=article.headline, kicker=article.kicker, subtitle=article.subtitle, size=size,
        kicker_size=issue.size(head.kicker_size) if head.kicker_size else sub,
        subtitle_size=issue.size(head.subtitle_size) if head.subtitle_size else sub,
        font=head.font, sub_font=head.sub_font, col=band.col - box.col, span=span,
        top=band.top - box.top + offset, align=head.align, vertical=head.vertical, side=head.side,
        lines=head.lines, flex=0 if head.vertical else head.flex, inset=inset)


def _photos(article: Article, index: int, region: Region, auto: bool, grid: Grid, where: _Where,
            resolve, image_size, issue, load_art=None) -> tuple[PhotoPlan, ...]:
    box = region.bbox
    out: list[PhotoPlan] = []
    for p_index, photo in enumerate(article.photos):
        pf = f"articles.{index}.photos.{p_index}"
        pp = photo.place
        if pp.col + pp.span - 1 > box.span:
            raise where.error(f"photo columns {pp.col}–{pp.col + pp.span - 1} lie outside the article's "
                              f"{box.span} columns", f"{pf}.place",
                              "columns of a photo count from the module's first column")
        anchored = isinstance(pp.top, str) and pp.top.strip() == "bottom"
        top = None if anchored else _rows(pp.top, grid, f"{pf}.place.top", where)
        path = resolve(photo.file, f"{pf}.file")
        width_pt = grid.span_w(pp.span)
        art = None
        if path.suffix.lower() in (".svg", ".pdf") and load_art is not None:
            art = load_art(path, photo.file, f"{pf}.file")  # a vector chart or graphic
        px = None
        if art is None and image_size is not None:
            try:
                px = image_size(path, photo.file, pf)
            except InputError:
                if pp.height == "auto":
                    raise
                # The size is needed for the crop only: the preparer reports what is wrong with it.
        if pp.height != "auto":
            height = _rows(pp.height, grid, f"{pf}.place.height", where)
        elif art is not None or px is not None:
            w_px, h_px = (art.width, art.height) if art is not None else px
            # Keep the photo's proportions: the image's height in whole lines at this width.
            height = max(MIN_PHOTO_LINES, round((width_pt * h_px / w_px - grid.em) / grid.pitch) + 1)
        else:
            raise where.error("a photo without a height needs its image to measure", f"{pf}.place.height",
                              "give the photo a height in lines or mm")
        if not auto and len(region.bands) > 1:
            p_top = box.top + top if top is not None else box.end - height
            rect = GridRect(box.col + pp.col - 1, pp.span, p_top, height)
            if not region.contains(rect):
                raise where.error(f"the photo ({rect.label()}) lies outside the L-shaped module "
                                  f"({region.label()})", f"{pf}.place",
                                  "place it inside one part of the module")
        cap_font, cap_size = FR.caption_style(photo, issue)
        out.append(PhotoPlan(index=p_index, source=photo.file, path=path, col=pp.col - 1, span=pp.span,
                             top=top, height=height, flex=photo.flex, caption=photo.caption,
                             credit=photo.credit, standin=photo.standin, field=pf,
                             caption_font=cap_font, caption_size=cap_size, art=art, px=px,
                             crop=photo.crop, focus=photo.focus))
    return tuple(out)


def _sidebar(article: Article, index: int, region: Region, grid: Grid, loaded, where: _Where):
    sb = article.sidebar
    if sb is None:
        return None
    sf = f"articles.{index}.sidebar"
    sp = sb.place
    box = region.bbox
    if sp.col + sp.span - 1 > box.span:
        raise where.error("the sidebar lies outside the article's columns", f"{sf}.place",
                          "columns of a sidebar count from the module's first column")
    top = _rows(sp.top, grid, f"{sf}.place.top", where)
    rows = None if sp.height == "auto" else _rows(sp.height, grid, f"{sf}.place.height", where)
    if len(region.bands) > 1:
        rect = GridRect(box.col + sp.col - 1, sp.span, box.top + top, rows or 1)
        if not region.contains(rect):
            raise where.error(f"the sidebar ({rect.label()}) lies outside the L-shaped module ({region.label()})",
                              f"{sf}.place", "place it inside one part of the module")
    text = loaded.sidebars.get(article.id, "")
    return SidebarPlan(col=sp.col - 1, span=sp.span, top=top, rows=rows, label=sb.label, title=sb.title,
                       blocks=tuple(parse_body(text)), font=sb.font)


def _continuations(article: Article, index: int, auto: bool, grid: Grid, where: _Where) -> list[ModulePlan]:
    out: list[ModulePlan] = []
    for c_index, cp in enumerate(article.continue_in):
        cf = f"articles.{index}.continue_in.{c_index}"
        if cp.col + cp.span - 1 > grid.columns or cp.height == "auto" or auto:
            raise where.error("a continued story needs fixed heights, and its modules columns on the grid", cf,
                              f"give the article and each continuation a height in lines; col + span − 1 ≤ "
                              f"{grid.columns}")
        top = _rows(cp.top, grid, f"{cf}.top", where)
        height = _rows(cp.height, grid, f"{cf}.height", where)
        if top + height > grid.lines or height < 1:
            raise where.error(f"the continuation (lines {top}–{top + height}) does not fit the page's "
                              f"{grid.lines} body lines", cf, f"keep top + height ≤ {grid.lines}")
        region = Region((GridRect(cp.col - 1, cp.span, top, height),))
        out.append(ModulePlan(article=article.id, index=index, part=c_index + 2, region=region, field=cf))
    return out


def _article(article: Article, index: int, grid: Grid, loaded, where: _Where, resolve, image_size,
             load_art=None) -> Chain:
    region, auto = _region(article, index, grid, where)
    box = FR.plan_box(article, index, region, auto, where)
    label = FR.plan_label(article, index, region, where)
    offset = (1 if box is not None else 0) + (label.rows if label is not None else 0)
    if article.columns and len(region.bands) > 1:
        raise where.error("split columns (破栏) are for rectangular modules", f"articles.{index}.columns",
                          "drop columns, or make the module one rectangle")
    if article.columns:
        band = region.bands[0]
        try:
            grid.split(grid.col_x(band.col), grid.span_chars(band.span), article.columns)
        except ValueError as exc:
            raise where.error(str(exc), f"articles.{index}.columns", "use fewer columns") from None
    inset = box.inset if box is not None else 0.0
    head = _head(article, index, region, loaded.issue, offset, inset)
    main = ModulePlan(
        article=article.id, index=index, part=1, region=region, auto=auto, head=head,
        photos=_photos(article, index, region, auto, grid, where, resolve, image_size, loaded.issue,
                       load_art),
        sidebar=_sidebar(article, index, region, grid, loaded, where), columns=article.columns,
        field=f"articles.{index}.place", first_band=_head_band(article, region), box=box, tag=label)
    FR.check_box_contents(article, index, main, where)
    blocks = FR.story_blocks(article, loaded.bodies.get(article.id, ""))
    size = FR.body_size(article, index, loaded.issue, grid, where)
    story = StoryPlan(article=article.id, bylines=tuple(article.byline), dateline=article.dateline,
                      blocks=blocks, body_font=article.body_font, body_size=size)
    return Chain(story, (main, *_continuations(article, index, auto, grid, where)))


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
    from dataclasses import replace

    return Chain(chain.story, (replace(main, region=region),) + chain.modules[1:])


# ---------------------------------------------------------------- glyph coverage


def text_uses(loaded) -> list[tuple[str, str, str]]:
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
    if issue.nameplate is not None:
        n = issue.nameplate
        if not n.logo:
            uses.append((n.name or issue.paper, n.font, "nameplate, name"))
        info = "".join(p for row in FR.nameplate_info(issue) for p in row)
        uses.append((info, "黑", "nameplate, issue data"))
    for a in issue.articles:
        ctx = f"article {a.id}"
        uses.append((a.headline, a.head.font, f"{ctx}, headline"))
        uses.append((a.kicker + a.subtitle, a.head.sub_font, f"{ctx}, kicker/subtitle"))
        uses.append(("".join(a.byline), tp.byline_font, f"{ctx}, byline"))
        uses.append((a.dateline, tp.dateline_font, f"{ctx}, dateline"))
        blocks = FR.story_blocks(a, loaded.bodies.get(a.id, ""))
        uses.extend(FR.block_uses(blocks, a.body_font or tp.body_font, tp, ctx))
        uses.append((a.label, "黑", f"{ctx}, label"))
        for p in a.photos:
            uses.append((p.caption, p.caption_font or tp.caption_font, f"{ctx}, caption"))
            uses.append((tp.credit_format.format(p.credit) if p.credit else "", tp.byline_font,
                         f"{ctx}, photo credit"))
        if a.sidebar is not None:
            sb = a.sidebar
            uses.append((sb.label, "黑", f"{ctx}, sidebar label"))
            uses.append((sb.title, "标宋", f"{ctx}, sidebar title"))
            uses.append((loaded.sidebars.get(a.id, ""), sb.font, f"{ctx}, sidebar"))
    return [u for u in uses if u[0]]


def _coverage(loaded, fontset) -> tuple[dict, tuple[str, ...]]:
    """Check every character against its role's face; return the fallback face per character."""
    from .. import fonts as FONTS

    missing, fallbacks = FONTS.coverage(fontset, text_uses(loaded))
    if missing:
        first = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise FontError(first.message + more,
                        hint="configure a face that has it under type.fallbacks (or type.system_fallback: "
                             "true), or replace the character")
    chars: dict[str, object] = {}
    for fb in fallbacks:
        face = fontset.fallback_for(fb.char)
        if face is not None:
            chars[fb.char] = face
    return chars, tuple(fb.message for fb in fallbacks)
