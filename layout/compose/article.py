"""Article modules: headline, bylines, body columns, photos with captions and a boxed sidebar.

Owns the layout of one story inside its rectangular module: the headline block spanning N of
the module's columns (or a vertical head at its side), body text flowing through the columns
around photo and sidebar blocks, captions under their photos with the credit at the end, the
sidebar's rule frame, title and 楷体 text, auto-fit of photo heights in whole lines within the
named ``flex`` tolerance, and the copy-fit figures of the module (算稿).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace

from .. import text as T
from ..errors import InputError
from ..frames import K100, WHITE, Box, Fill, Group, TextLine
from ..model import Article, Block, parse_body
from . import flow as F
from . import headline as H
from .grid import Grid
from .photos import image_item

CAPTION_GAP_LINES = 1
"""White lines between a photo block (image + caption) and body text below or above it."""

MIN_PHOTO_LINES = 3
"""Smallest photo height in body lines (auto-fit never shrinks a photo below it)."""

DEFAULT_ASCENT = 0.88
"""Ascent of the ideographic em box in em (Noto CJK / Source Han: 880/1000), when a face is unknown."""

LOOSE_LINE_EM = 0.5
"""A justified line that opens a gap between two hanzi wider than this (em) is reported."""

HANGING_INDENT_EM = 2.0
"""Indent of the second and later lines of a ``> `` paragraph (凸排) [CLREQ §first_line_indents]."""

SIDEBAR_INSET_CHARS = 1
"""Sidebar text inset from the box on each side, in body characters."""


@dataclass
class Ctx:
    """What every article needs: the issue, grid, styles and a font lookup (read-only)."""

    issue: object
    grid: Grid
    face: object  # callable role -> Face
    path: object = None
    lines_of: object = None
    prepare: object = None  # callable (photo, field) -> photos.PhotoSource
    aspect: object = None  # callable (photo, field) -> height / width of the image
    asset: object = None  # callable (name, field) -> Path
    warnings: list = field(default_factory=list)
    fallback: dict = field(default_factory=dict)  # char -> Face drawing it instead of its role
    face_by_key: object = None  # callable key -> Face

    def ascent(self, key: str) -> float:
        """Ascent (em) of the face registered under ``key`` (ideographic em-box top: 0.88)."""
        face = self.face_by_key(key) if self.face_by_key else None
        return face.ascent if face is not None else DEFAULT_ASCENT


@dataclass(frozen=True)
class Fit:
    """Copy-fit figures of one text flow (算稿)."""

    id: str
    capacity_lines: int
    used_lines: int
    overset_lines: int
    overset_chars: int
    chars: int
    empty_tail: int
    adjustments: tuple[str, ...] = ()

    @property
    def underset_lines(self) -> int:
        """Line slots left empty in the module."""
        return max(0, self.capacity_lines - self.used_lines)


@dataclass(frozen=True)
class ArticleResult:
    """A composed article: its frame group, extent in lines and copy-fit figures."""

    group: Group
    top: int
    bottom: int
    fits: tuple[Fit, ...]
    continuations: tuple[tuple[int, int, int, int], ...] = ()  # (col0, span, top, bottom)


def _spans(ctx: Ctx, text: str, role: str, size: float) -> list[T.Span]:
    """Spans of ``text`` in ``role``; characters the role lacks go to their fallback face."""
    face = ctx.face(role)
    if not ctx.fallback or not any(ch in ctx.fallback and not face.covers(ch) for ch in text):
        return [T.Span(text, face, size)]
    spans: list[T.Span] = []
    current, buf = face, []
    for ch in text:
        want = ctx.fallback[ch] if ch in ctx.fallback and not face.covers(ch) else face
        if want is not current and buf:
            spans.append(T.Span("".join(buf), current, size))
            buf = []
        current = want
        buf.append(ch)
    if buf:
        spans.append(T.Span("".join(buf), current, size))
    return spans


def _para_style(ctx: Ctx, **kw) -> T.ParaStyle:
    tp = ctx.issue.type
    return T.ParaStyle(kinsoku=tp.kinsoku, cjk_latin_gap=tp.cjk_latin_gap,
                       trim_start_bracket=tp.trim_start_bracket, breaker=tp.breaker, **kw)


def body_units(ctx: Ctx, article: Article, blocks: list[Block], measure: float,
               body_role: str | None = None) -> list[F.Unit]:
    """Break the article's bylines, paragraphs and subheads at ``measure`` into flow units."""
    tp = ctx.issue.type
    em = ctx.grid.em
    role = body_role or tp.body_font
    units: list[F.Unit] = []
    style = _para_style(ctx)
    for i, name in enumerate(article.byline if article else ()):
        lines = T.compose(_spans(ctx, name, tp.byline_font, em), measure,
                          _para_style(ctx, indent=0, align="start"))
        units.extend(F.paragraph_units(lines, "byline", -1 - i))
    first_para = True
    sub_size = ctx.issue.size(tp.subhead_size)
    for index, block in enumerate(blocks):
        if block.kind == "para":
            spans = _spans(ctx, block.text, role, em)
            if first_para and article is not None and article.dateline:
                spans = _spans(ctx, article.dateline, tp.dateline_font, em) + spans
            first_para = False
            para_style = _para_style(ctx, indent=0, hanging=HANGING_INDENT_EM) if block.hanging else style
            lines = T.compose(spans, measure, para_style)
            for line in lines:
                if not line.last and T.widest_gap(line) > LOOSE_LINE_EM:
                    ctx.warnings.append(f"loose line in {article.id if article else 'sidebar'}: "
                                        f"{line.text!r} opens gaps of {T.widest_gap(line):.2f} em")
            units.extend(F.paragraph_units(lines, "body", index))
        else:
            units.append(subhead(ctx, block, measure, sub_size, index))
    return units


def subhead(ctx: Ctx, block: Block, measure: float, size: float, index: int) -> F.Unit:
    """A section subhead, split at its spaces into centred rows when it does not fit one line."""
    role = ctx.issue.type.subhead_font
    words = block.text.split()
    if block.number:
        words[0] = f"{block.number} {words[0]}" if words else block.number
    full = " ".join(words)
    rows: list[str] = []
    if T.natural_width(_spans(ctx, full, role, size), T.ParaStyle(indent=0)) <= measure:
        rows = [full]
    else:
        current = ""
        for word in words:
            trial = f"{current} {word}" if current else word
            if current and T.natural_width(_spans(ctx, trial, role, size), T.ParaStyle(indent=0)) > measure:
                rows.append(current)
                current = word
            else:
                current = trial
        rows.append(current)
    lines: list[T.Line] = []
    for row in rows:
        broken = T.compose(_spans(ctx, row, role, size), measure, _para_style(ctx, indent=0, align="center"))
        for line in broken:
            lines.append(T.set_line(_spans(ctx, line.text, role, size), measure, align="center"))
    after = 1 if block.kind == "subhead" else 0
    return F.subhead_unit(lines, index, white_before=1, white_after=after)


def _caption_lines(ctx: Ctx, caption: str, credit: str, width: float) -> list[T.Line]:
    tp = ctx.issue.type
    size = ctx.issue.size(tp.caption_size)
    spans: list[T.Span] = []
    if caption:
        spans += _spans(ctx, caption, tp.caption_font, size)
    if credit:
        spans += _spans(ctx, credit, tp.byline_font, size)
    if not spans:
        return []
    return T.compose(spans, width, _para_style(ctx, indent=0))


def _line_frame(ctx: Ctx, line: T.Line, x: float, row: int, kind: str) -> TextLine:
    g = ctx.grid
    size = line.size
    asc = ctx.ascent(line.glyphs[0].font) if line.glyphs else DEFAULT_ASCENT
    # Centre a larger or smaller em box on the body line's em box so baselines stay on the grid.
    top = g.line_top(row) + (g.em - size) / 2
    return line.to_frame(x, top + asc * size, kind=kind)


def _rows(ctx: Ctx, value, *, field: str) -> int:
    g = ctx.grid
    from ..units import LengthError, parse_length

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != int(value):
            raise InputError(f"{value} is not a whole number of lines", file=ctx.path,
                             line=ctx.lines_of(*field.split(".")), field=field, hint="use whole lines or mm")
        return int(value)
    try:
        pt = parse_length(value, em=g.em, pitch=g.pitch)
    except LengthError as exc:
        raise InputError(str(exc), file=ctx.path, line=ctx.lines_of(*field.split(".")), field=field,
                         hint="write lines as a number, or a length like 40mm") from None
    return max(0, round(pt / g.pitch))


def compose_article(ctx: Ctx, article: Article, index: int, body: str, sidebar_text: str | None,
                    bottom_limit: int) -> ArticleResult:
    """Lay out one article in its module; ``bottom_limit`` bounds an auto height."""
    g = ctx.grid
    where = f"articles.{index}"
    pl = article.place
    col0 = pl.col - 1
    if pl.col + pl.span - 1 > g.columns:
        raise InputError(
            f"columns {pl.col}–{pl.col + pl.span - 1} run off the {g.columns}-column grid",
            file=ctx.path, line=ctx.lines_of("articles", str(index), "place"), field=f"{where}.place",
            hint=f"use col + span − 1 ≤ {g.columns}")
    top = _rows(ctx, pl.top, field=f"{where}.place.top")
    auto = pl.height == "auto"
    bottom = bottom_limit if auto else top + _rows(ctx, pl.height, field=f"{where}.place.height")
    if bottom > g.lines or top >= bottom:
        raise InputError(
            f"the module (lines {top}–{bottom}) does not fit the page's {g.lines} body lines",
            file=ctx.path, line=ctx.lines_of("articles", str(index), "place"), field=f"{where}.place",
            hint=f"keep top + height ≤ {g.lines}")
    x = g.col_x(col0)
    w = g.span_w(pl.span)
    span_chars = g.span_chars(pl.span)
    n_cols = article.columns or pl.span
    try:
        columns = g.split(x, span_chars, n_cols) if article.columns else [
            (g.col_x(c), g.col_w) for c in range(col0, col0 + pl.span)]
    except ValueError as exc:
        raise InputError(str(exc), file=ctx.path, line=ctx.lines_of("articles", str(index), "columns"),
                         field=f"{where}.columns", hint="use fewer columns") from None
    measure = columns[0][1]

    items: list = []
    blocked: list[tuple[float, float, int, int]] = []

    # Headline block.
    head = article.head
    head_size = ctx.issue.size(head.size)
    sub_size = ctx.issue.size(head.subtitle_size) if head.subtitle_size else H.sub_head_size(head_size)
    kick_size = ctx.issue.size(head.kicker_size) if head.kicker_size else H.sub_head_size(head_size)
    head_span = min(head.span or (1 if head.vertical else pl.span), pl.span)
    head_group = None
    head_rect = None
    if head.vertical:
        strip_w = g.span_w(head_span)
        sx = x + w - strip_w if head.side == "right" else x
        head_group, height = H.vertical_block(_spans(ctx, article.headline.replace("\n", ""), head.font, head_size),
                                              x=sx, y=g.line_top(top), w=strip_w,
                                              ascent=ctx.face(head.font).ascent, id=article.id)
        rows = math.ceil(height / g.pitch)
        if top + rows > bottom:
            ctx.warnings.append(f"article {article.id}: the vertical head needs {rows} lines, "
                                f"more than the module's {bottom - top}")
        # A vertical head owns its strip for the module's whole height (text never runs under it);
        # an auto-height module is at least as tall as the head.
        blocked.append((sx, sx + strip_w, top, bottom))
        floor = top + rows
        head_lines = 0
    else:
        head_w = g.span_w(head_span)
        parts: list[H.HeadPart] = []
        if article.kicker:
            parts.append(H.HeadPart("kicker", H.head_rows(_spans(ctx, article.kicker, head.sub_font, kick_size),
                                                          head_w, kick_size), kick_size))
        parts.append(H.HeadPart("main", H.head_rows(_spans(ctx, article.headline, head.font, head_size),
                                                    head_w, head_size), head_size))
        if article.subtitle:
            parts.append(H.HeadPart("subtitle", H.head_rows(_spans(ctx, article.subtitle, head.sub_font, sub_size),
                                                            head_w, sub_size), sub_size))
        for part in parts:
            for row in part.rows:
                if row.ink > head_w + 0.01:
                    ctx.warnings.append(f"article {article.id}: head row {row.text!r} is wider than its "
                                        f"{head_span} column(s)")
        head_lines = head.lines or H.block_lines(parts, g.pitch)
        hx = x if head.side == "right" or head_span == pl.span else x + w - head_w
        head_rect = (hx, head_w, parts)
        floor = top + head_lines
        if not auto and top + head_lines >= bottom:
            ctx.warnings.append(f"article {article.id}: the headline block needs {head_lines} lines, "
                                f"the module has {bottom - top}: shorten the head or enlarge the module")
    head_flex = 0 if head.vertical else head.flex

    # Body units, broken once at the column measure.
    blocks = parse_body(body)
    units = body_units(ctx, article, blocks, measure)

    # Photos: fixed rectangles in the module's grid columns, heights adjustable by flex.
    photo_specs = []
    for p_index, photo in enumerate(article.photos):
        pf = f"{where}.photos.{p_index}"
        pp = photo.place
        if pp.col + pp.span - 1 > pl.span:
            raise InputError(f"photo columns {pp.col}–{pp.col + pp.span - 1} lie outside the article's "
                             f"{pl.span} columns", file=ctx.path, line=ctx.lines_of(*pf.split("."), "place"),
                             field=f"{pf}.place", hint="columns of a photo count from the module's first column")
        anchored = isinstance(pp.top, str) and pp.top.strip() == "bottom"
        p_top = -1 if anchored else top + _rows(ctx, pp.top, field=f"{pf}.place.top")
        px = g.col_x(col0 + pp.col - 1)
        pw = g.span_w(pp.span)
        if pp.height != "auto":
            p_h = _rows(ctx, pp.height, field=f"{pf}.place.height")
        elif ctx.aspect is not None:
            # Keep the photo's proportions: the image's height in whole lines at this width.
            p_h = max(MIN_PHOTO_LINES, round((pw * ctx.aspect(photo, pf) - g.em) / g.pitch) + 1)
        else:
            raise InputError("a photo without a height needs its image to measure", file=ctx.path,
                             line=ctx.lines_of(*pf.split("."), "place"), field=f"{pf}.place.height",
                             hint="give the photo a height in lines or mm")
        caption = _caption_lines(ctx, photo.caption, photo.credit, pw)
        photo_specs.append((photo, pf, px, pw, p_top, p_h, caption))

    # Sidebar: a boxed block with its own text flow.
    sidebar_spec = None
    if article.sidebar is not None:
        sb = article.sidebar
        sf = f"{where}.sidebar"
        sp = sb.place
        if sp.col + sp.span - 1 > pl.span:
            raise InputError("the sidebar lies outside the article's columns", file=ctx.path,
                             line=ctx.lines_of(*sf.split("."), "place"), field=f"{sf}.place",
                             hint="columns of a sidebar count from the module's first column")
        s_top = top + _rows(ctx, sp.top, field=f"{sf}.place.top")
        sx = g.col_x(col0 + sp.col - 1)
        sw = g.span_w(sp.span)
        s_rows = None if sp.height == "auto" else _rows(ctx, sp.height, field=f"{sf}.place.height")
        sidebar_spec = (sb, sx, sw, s_top, s_rows)

    def photo_top(spec, extra: int, height: int | None = None) -> int:
        """A photo that starts at the head's foot moves down with the head when it grows; one
        placed with ``top: bottom`` sits on the module's foot, its caption on the last lines."""
        p_top = spec[4]
        if p_top < 0:
            return bottom - (spec[5] if height is None else height) - len(spec[6])
        if extra and head_rect is not None and p_top <= top + head_lines:
            hx, head_w, _ = head_rect
            if spec[2] < hx + head_w and spec[2] + spec[3] > hx:
                return p_top + extra
        return p_top

    def obstacles(heights: tuple[int, ...], s_rows: int | None, extra: int = 0) -> list[tuple[float, float, int, int]]:
        out = list(blocked)
        if head_rect is not None:
            hx, head_w, _parts = head_rect
            out.append((hx, hx + head_w, top, top + head_lines + extra))
        for spec, h in zip(photo_specs, heights):
            _photo, _pf, px, pw, _top, _h, caption = spec
            p_top = photo_top(spec, extra, h)
            above = CAPTION_GAP_LINES if p_top > top else 0
            out.append((px, px + pw, p_top - above, p_top + h + len(caption) + CAPTION_GAP_LINES))
        if sidebar_spec is not None and s_rows is not None:
            _sb, sx, sw, s_top, _ = sidebar_spec
            out.append((sx, sx + sw, s_top, s_top + s_rows))
        return out

    # Sidebar content first: its height may be auto.
    sidebar_result = None
    s_rows_final = None
    if sidebar_spec is not None:
        sidebar_result = _compose_sidebar(ctx, article, sidebar_spec, sidebar_text or "")
        s_rows_final = sidebar_result[1]

    # Continuation (续排): the text the module cannot hold flows on through further modules;
    # the chain is one list of slots, and only its last module is balanced.
    cont_slots: list[F.Slot] = []
    extra_rects: list[tuple[int, int, int, int]] = []
    for c_index, cp in enumerate(article.continue_in):
        cf = f"{where}.continue_in.{c_index}"
        if cp.col + cp.span - 1 > g.columns or cp.height == "auto" or auto:
            raise InputError("a continued story needs fixed heights, and its modules columns on the grid",
                             file=ctx.path, line=ctx.lines_of(*cf.split(".")), field=cf,
                             hint=f"give the article and each continuation a height in lines; col + span − 1 ≤ {g.columns}")
        c_top = _rows(ctx, cp.top, field=f"{cf}.top")
        c_bottom = c_top + _rows(ctx, cp.height, field=f"{cf}.height")
        c_cols = [(g.col_x(c), g.col_w) for c in range(cp.col - 1, cp.col - 1 + cp.span)]
        if abs(c_cols[0][1] - measure) > 0.01:
            raise InputError("a continuation module must keep the body measure of its article",
                             file=ctx.path, line=ctx.lines_of(*cf.split(".")), field=cf,
                             hint="continue a story split into columns (破栏) in a module with the same split")
        cont_slots.extend(F.free_segments(c_cols, c_top, c_bottom, []))
        extra_rects.append((cp.col - 1, cp.span, c_top, c_bottom))

    n_main = 0

    def run(heights: tuple[int, ...], extra: int = 0):
        nonlocal n_main
        obs = obstacles(heights, s_rows_final, extra)
        main = F.free_segments(columns, top, bottom, obs)
        n_main = len(main) if cont_slots else 0
        slots = main + cont_slots
        if cont_slots:
            lo = min(s.first for s in cont_slots) + 1
            hi = max(s.end for s in cont_slots)
            b, res = F.balance(units, slots, 0, lo, hi, limit_from=len(main))
            capacity = sum(s.size for s in main) + sum(max(0, min(s.end, hi) - s.first) for s in cont_slots)
        elif auto:
            # The module reaches at least below its head, photos and sidebar.
            low = max([top + 1, min(floor, bottom)] + [o[3] for o in obs if o[3] <= bottom and o[3] != bottom])
            b, res = F.balance(units, slots, 0, low, bottom)
            capacity = sum(max(0, min(s.end, b) - s.first) for s in slots)
        else:
            b, res = F.balance(units, slots, 0, top + 1, bottom)
            capacity = sum(max(0, min(s.end, bottom) - s.first) for s in slots)
        used = sum(res.used.values())
        tail = _tail(res, slots, b if (auto or cont_slots) else bottom, n_main)
        return b, res, slots, capacity, used, tail

    if head_rect is not None and head_flex:
        # Extra head lines may not run into a block below the head that does not move with it.
        hx0, hx1 = head_rect[0], head_rect[0] + head_rect[1]
        head_foot = top + head_lines
        below = [spec[4] for spec in photo_specs
                 if spec[4] > head_foot and spec[2] < hx1 - 0.5 and spec[2] + spec[3] > hx0 + 0.5]
        if sidebar_spec is not None and sidebar_spec[1] < hx1 - 0.5 and sidebar_spec[1] + sidebar_spec[2] > hx0 + 0.5:
            below.append(sidebar_spec[3])
        if below:
            head_flex = max(0, min(head_flex, min(below) - head_foot - 1))
    base = tuple(spec[5] for spec in photo_specs)
    flexes = [spec[0].flex for spec in photo_specs]
    adjustments: list[str] = []
    best = _auto_fit(run, units, photo_specs, base, flexes, head_flex, head_rect, top, bottom, auto,
                     photo_top, columns)
    heights, extra, b, res, _slots, capacity, used, tail = best
    if extra:
        adjustments.append(f"head +{extra} lines (flex {head_flex})")
    if head_rect is not None:
        hx, head_w, parts = head_rect
        # The block's white is measured from the first line's em top to the last line's em bottom.
        head_group = H.place_block(parts, x=hx, y=g.line_top(top) - (g.pitch - g.em), w=head_w,
                                   h=(head_lines + extra) * g.pitch, align=head.align,
                                   ascent=ctx.ascent, id=article.id)
    items.insert(0, head_group)
    for spec, h0, h in zip(photo_specs, base, heights):
        if h != h0:
            adjustments.append(f"photo {spec[0].file} {'+' if h > h0 else ''}{h - h0} lines (flex ±{spec[0].flex})")
    if auto:
        bottom = b
    _warn_collisions(ctx, article.id, head_rect, top, head_lines + extra, photo_specs, heights,
                     lambda spec, h: photo_top(spec, extra, h), sidebar_spec, s_rows_final)

    # Body lines to frames.
    for placed in res.placed:
        items.append(_line_frame(ctx, placed.text, placed.x, placed.line, placed.kind))

    # Photos and captions.
    for spec, h in zip(photo_specs, heights):
        photo, pf, px, pw, _top0, _h0, caption = spec
        p_top = photo_top(spec, extra, h)
        y0 = g.line_top(p_top)
        ph = (h - 1) * g.pitch + g.em
        parts = [image_item(ctx, photo, pf, px, y0, pw, ph)]
        for i, line in enumerate(caption):
            parts.append(_line_frame(ctx, line, px, p_top + h + i, "caption"))
        items.append(Group.around("photo", photo.file, px, y0, pw, ph + len(caption) * g.pitch, tuple(parts)))

    fits = [Fit(article.id, capacity, used, res.overset_lines, res.overset_chars,
                sum(u.chars for u in units), tail, tuple(adjustments))]
    if sidebar_result is not None:
        group, _rows_used, fit = sidebar_result
        items.append(group)
        fits.append(fit)

    group = Group.around("article", article.id, x, g.line_top(top), w, g.line_top(bottom) - g.line_top(top), tuple(items))
    return ArticleResult(group, top, bottom, tuple(fits), tuple(extra_rects))


def _warn_collisions(ctx: Ctx, article_id: str, head_rect, top: int, head_lines: int, photo_specs,
                     heights, photo_top, sidebar_spec, s_rows) -> None:
    """Report blocks placed on top of each other inside a module: head, photos, sidebar."""
    blocks: list[tuple[str, float, float, int, int]] = []
    if head_rect is not None:
        blocks.append(("the headline", head_rect[0], head_rect[0] + head_rect[1], top, top + head_lines))
    for spec, h in zip(photo_specs, heights):
        p_top = photo_top(spec, h)
        blocks.append((f"photo {spec[0].file}", spec[2], spec[2] + spec[3], p_top, p_top + h + len(spec[6])))
    if sidebar_spec is not None and s_rows is not None:
        _sb, sx, sw, s_top, _ = sidebar_spec
        blocks.append(("the sidebar", sx, sx + sw, s_top, s_top + s_rows))
    for i, (na, ax0, ax1, at, ab) in enumerate(blocks):
        for nb, bx0, bx1, bt, bb in blocks[i + 1:]:
            if ax0 < bx1 - 0.5 and bx0 < ax1 - 0.5 and at < bb and bt < ab:
                ctx.warnings.append(f"article {article_id}: {nb} overlaps {na} (lines {max(at, bt)}–"
                                    f"{min(ab, bb) - 1}); move it or change the module")


FIT_EVALUATIONS = 20
"""Full flows tried by auto-fit, among the candidates whose capacity best matches the copy."""

FIT_AFTER_FIRST = 3
"""Fitting candidates auto-fit compares before it stops (more slack only adds white)."""


def _auto_fit(run, units, photo_specs, base, flexes, head_flex, head_rect, top, bottom, auto, photo_top,
              columns):
    """Choose photo heights and extra head lines (within their flex) that fill the module.

    Capacity is linear in the adjustments (a photo over k columns gives k line slots per line,
    a head over k columns the same), so candidates are ranked by arithmetic first and only the
    best few are flowed for real. The winner has no overset, then the least white at the
    columns' foot, then the fewest changes.
    """
    def span_cols(x0: float, w: float) -> int:
        return sum(1 for cx, cw in columns if cx < x0 + w - 0.5 and cx + cw > x0 + 0.5)

    weights = [span_cols(spec[2], spec[3]) for spec in photo_specs]
    head_weight = span_cols(head_rect[0], head_rect[1]) if head_rect is not None else 0
    need = sum(u.n - u.top_white for u in units)
    b0, res0, slots0, cap0, used0, tail0 = run(base, 0)
    if (not flexes or not any(flexes)) and not head_flex:
        return (base, 0, b0, res0, slots0, cap0, used0, tail0)
    ranges = [range(-f, f + 1) for f in flexes] + [range(head_flex + 1)]
    scored = []
    for trial in itertools.product(*ranges):
        deltas, extra = trial[:-1], trial[-1]
        heights = tuple(max(MIN_PHOTO_LINES, h + d) for h, d in zip(base, deltas))
        if any(photo_top(spec, extra, h) + h + len(spec[6]) > bottom or photo_top(spec, extra, h) < top
               for spec, h in zip(photo_specs, heights)):
            continue
        cap = cap0 - sum((h - h0) * k for h, h0, k in zip(heights, base, weights)) - extra * head_weight
        slack = cap - need
        scored.append((slack < 0, abs(slack), sum(abs(d) for d in deltas) + extra, heights, extra))
    scored.sort(key=lambda t: t[:3])
    # One candidate per capacity (the one with the fewest changes), smallest slack first: the
    # copy's real need exceeds the arithmetic one by the white that keep-with-next leaves, so
    # trying capacities one by one finds the tightest fit in a few flows.
    by_capacity: dict[int, tuple] = {}
    for cand in scored:
        by_capacity.setdefault(cand[1] if not cand[0] else -cand[1], cand)
    best = (base, 0, b0, res0, slots0, cap0, used0, tail0)
    best_key = (res0.overset_lines, tail0, (cap0 - used0) if not auto else 0, 0)
    fitted = 0
    for _neg, _slack, changes, heights, extra in list(by_capacity.values())[:FIT_EVALUATIONS]:
        b, res, slots, capacity, used, tail = run(heights, extra)
        key = (res.overset_lines, tail, (capacity - used) if not auto else 0, changes)
        if key < best_key:
            best_key, best = key, (heights, extra, b, res, slots, capacity, used, tail)
        if res.overset_lines == 0:
            fitted += 1
            if fitted >= FIT_AFTER_FIRST or tail <= 1:
                break
    if best_key[0] > 0:
        # Auto-fit cannot make the copy fit: keep the page as designed and report the overset,
        # rather than squeezing photos for nothing.
        return (base, 0, b0, res0, slots0, cap0, used0, tail0)
    return best


def _tail(res: F.FlowResult, slots: list[F.Slot], bottom: int, limit_from: int = 0) -> int:
    """Largest run of empty lines at the foot of a column (how far the module is from filled).

    ``bottom`` bounds the slots from ``limit_from`` on (the last module of a chain)."""
    last_per_col: dict[float, tuple[int, int]] = {}
    for i, slot in enumerate(slots):
        if i >= limit_from and slot.first >= bottom:
            continue
        last_per_col[slot.x] = (i, min(slot.end, bottom) if i >= limit_from else slot.end)
    tail = 0
    for i, end in last_per_col.values():
        used = res.used.get(i, 0)
        tail = max(tail, end - (slots[i].first + used))
    return tail


def _compose_sidebar(ctx: Ctx, article: Article, spec, text: str):
    """Set a boxed sidebar: label tag, title, 楷体 text inset one character inside a rule frame."""
    g = ctx.grid
    sb, sx, sw, s_top, s_rows = spec
    em = g.em
    inner_chars = math.floor(sw / em + 1e-6) - 2 * SIDEBAR_INSET_CHARS
    measure = inner_chars * em
    ix = sx + (sw - measure) / 2
    items: list = []
    # Title block: the label as a reversed tag, the title in bold Song, on whole lines.
    title_size = ctx.issue.size("小四")
    rows = 1  # top padding line (the box edge runs through it)
    head_lines: list[tuple[int, TextLine]] = []
    if sb.label:
        lab = T.set_line(_spans(ctx, sb.label, "黑", em), measure)
        row = s_top + rows
        frame = _line_frame(ctx, lab, ix + 0.25 * em, row, "sidebar-label")
        frame = replace(frame, runs=tuple(replace(r, color=WHITE) for r in frame.runs))
        items.append(Fill(ix, g.line_top(row) - 0.2 * em, lab.ink + 0.5 * em, 1.4 * em, K100))
        items.append(frame)
        rows += 1
    if sb.title:
        for line in T.compose(_spans(ctx, sb.title, "标宋", title_size), measure,
                              _para_style(ctx, indent=0, align="start")):
            row = s_top + rows
            head_lines.append((row, _line_frame(ctx, line, ix, row, "sidebar-title")))
            rows += 1
        rows += 0
    items.extend(frame for _, frame in head_lines)
    units = body_units(ctx, None, parse_body(text), measure, body_role=sb.font)
    first = s_top + rows
    limit_end = (s_top + s_rows - 1) if s_rows is not None else g.lines - 1
    slot = F.Slot(ix, measure, first, limit_end)
    res = F.distribute(units, [slot])
    used = res.used.get(0, 0)
    for placed in res.placed:
        items.append(_line_frame(ctx, placed.text, placed.x, placed.line, "sidebar"))
    total_rows = s_rows if s_rows is not None else rows + used + 1
    y0 = g.line_top(s_top) + em / 2
    y1 = g.line_top(s_top + total_rows - 1) + em / 2
    box = Box(sx, y0, sw, y1 - y0, width=0.75)
    capacity = limit_end - first if s_rows is not None else used
    fit = Fit(f"{article.id}/sidebar", capacity, used, res.overset_lines, res.overset_chars,
              sum(u.chars for u in units), capacity - used)
    group = Group.around("sidebar", f"{article.id}/sidebar", sx, y0, sw, y1 - y0, (box, *items))
    return group, total_rows, fit
