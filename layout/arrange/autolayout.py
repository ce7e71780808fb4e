"""Automatic page layout (自动组版): articles without places get a finished page.

Owns placing the articles a description leaves without ``place``, around everything it does
place (the masthead, fixed articles). A page is searched within one family of newspaper
arrangements on the grid, the one broadsheets and tabloids use every day:

* the lead (the first article, or ``priority: 1``) at the top, spanning the most columns,
  its foot stepped once (an inverted L) so that the modules under it start on different
  lines — no full-width seam (通栏缝) and no two heads side by side (不碰题);
* beside the lead, a side strip of stacked modules (under a fixed masthead if one is there),
  or, when the lead's head spans the whole width, under its head;
* under the lead, two strips of stacked modules: one under the lead's shallow part, one
  under its deeper part and the side strip (so no gutter runs the whole height of the page).

Each candidate — the lead's span, where its foot steps, which side its strip is on, how many
modules each strip stacks, which article goes where (by priority: the higher and wider the
slot, the more important its article) — is first costed by arithmetic from each article's
measured need (lines of copy at the column measure, head depth per width, photos from their
images' proportions), then the best few are composed for real, with page-level fit moving
their edges, and the one with the least cost wins. The cost is documented in ``COSTS``; the
search is deterministic (same input, same page).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..model import Article, Head, Photo, Place
from ..plan.geometry import GridRect, Region
from ..plan.planner import MIN_PHOTO_LINES, head_plan

COSTS = {
    "fill": 1.0,        # per column-line a module is short of its copy or longer than it
    "overset": 250.0,   # extra weight on a column-line of copy with no room (never worth it)
    "hierarchy": 30.0,  # per pair of articles whose module widths invert their priority
    "lead": 200.0,      # the lead is not the widest module
    "butting": 150.0,   # per pair of neighbouring heads side by side at the same height (碰题)
    "seam": 150.0,      # a gutter or a blank line running the whole width or height (通栏缝)
    "empty": 5.0,       # per column-line of the type area no module covers (beyond one rule line)
    "foot": 40.0,       # composed: per line of white at a column foot beyond the first
    "photo": 1.5,       # composed: per line a photo grows or shrinks from its natural size
    "hint": 120.0,      # per planner hint of the description (span, zone, keep_with) not honoured
    "overlap": 1.0e6,   # composed: a photo or box over another block or out of its module (never)
    "vertical": 30.0,   # per head the planner turns into a 竖题 to keep it clear of a neighbour's
    "narrow": 30.0,     # the lead's head set one column narrower to keep it clear of a neighbour's
    "strip": 40.0,      # composed: per line a photo is cut shorter than shows half its picture
}
"""The one cost of an arrangement; its terms and weights (lower is better)."""

REAL_CANDIDATES = 8
"""Arrangements composed for real, among the cheapest by arithmetic."""

FITTED_CANDIDATES = 3
"""Of those, the cheapest as composed are given page-level fit, and the best of them wins."""

PLAN_PPI = 220.0
"""The least effective resolution the planner sizes a photo for: above the 200 ppi below which a
photo may print soft (``compose.photos.WARN_PPI``) by the margin a crop may take."""

PHOTO_CROP = 0.35
"""How far a photo may be cropped taller or shorter than its image's proportions to fill a module."""

MIN_STEM = 2
"""Columns the lead's stem (the deeper part of its stepped foot) spans at least."""

MIN_TEXT_LINES = 4
"""A module keeps at least this many lines under its head."""

CAPTION_GAP = 1
"""White line between a photo block and text (as ``compose.autofit``)."""

SIDEBAR_TOP = 0
"""Lines between a module's head and its box."""

FIT_BUTTING = 150.0
"""Page-level fit's cost of a pair of heads side by side, on its scale (an overset line 1000, a
column-line of white 1, a line of white at a foot beyond the first 8)."""

ESTIMATED_OVERSET = 0.25
"""The share of ``COSTS['overset']`` charged on overset estimated by arithmetic (a guess within
a few lines: composed, photos flex and edges move); overset as composed is charged in full."""

LOCAL_SHAPES = 4
"""Shapes of arrangement (the cheapest by arithmetic) whose articles the local search swaps."""

LOCAL_ROUNDS = 4
"""Swaps or moves the local search makes at most from one arrangement."""

BRIEF_CHARS = 500
"""Copy shorter than this is a brief: its head one level down."""

VERTICAL_DEPTH = 28
"""Lines a 竖题 the planner sets may run at most: its main head breaks into more columns rather
than run deeper (vertical heads on news pages run about 28–32 lines, typography.md §1.5)."""

MAX_VERTICAL = 2
"""竖题 the planner sets on one page at most (one or two give a page contrast; more, restlessness)."""


@dataclass(frozen=True)
class Piece:
    """An article to place, measured: its rank (0: the lead), copy in column-lines at the basic
    measure, photos' pixel sizes and its box's estimated lines."""

    index: int
    article: Article
    rank: int
    body: int
    chars: int
    photos: tuple[tuple[int, int], ...]
    box: int


@dataclass(frozen=True)
class Slot:
    """A module of an arrangement: columns [col, col + span) and lines [top, top + height)."""

    col: int
    span: int
    top: int
    height: int
    role: str = "module"
    """module; lead (a part of the lead's module); head (the band of a lead's head across the page)."""
    vertical: str = ""
    """The side (left, right) of the 竖题 the planner gives the module's head; "" for a head across it."""
    narrow: str = ""
    """The side (left, right) where the lead's head, one column narrower than its module, leaves a
    column of text from the top (a head kept off the head of a one-column strip beside it)."""


@dataclass
class Arrangement:
    """A candidate page: each piece's slot (the lead's may be two rectangles), and its cost."""

    name: str
    slots: dict[int, tuple[Slot, ...]]
    cost: float = 0.0
    terms: dict[str, float] = field(default_factory=dict)
    real: bool = False
    shape: tuple = ()
    """(lead span, lead column, side column, side width, foot step, side on the right)."""
    groups: tuple = ()
    """The pieces beside the lead, in strip A and in strip B, each from the top."""
    full_head: bool = False
    edges: tuple = ()
    """The lines the lead's foot ends on over strips A and B."""


# ---------------------------------------------------------------- measuring pieces


class Measures:
    """What the arithmetic needs per piece: head depth per width, photo and caption depths."""

    def __init__(self, env, plan, issue, pieces: list[Piece], exact=None) -> None:
        self.env, self.plan, self.issue = env, plan, issue
        self.exact = exact
        self.grid = plan.grid
        self._heads: dict[tuple[int, int], int] = {}
        self._needs: dict[tuple[int, int], int] = {}
        self._sizes: dict[tuple[int, int, int], tuple[list[int], int]] = {}
        self._widest: dict[tuple[int, int], int] = {}
        self._vertical: dict[tuple[int, int], tuple[Head, int] | None] = {}
        self._fills: dict[tuple[int, int, int], tuple[int, int, float]] = {}
        self._lead_cells: dict[tuple[int, int, int], int] = {}
        self.pieces = pieces
        self.by_index = {p.index: p for p in pieces}
        """The pieces by their article's index (asked for by every arrangement costed)."""

    def head(self, piece: Piece, span: int) -> int:
        """Lines the piece's head takes over ``span`` columns, with what stands over it: a box's
        top padding and a label tag (a briefs group may have a label and no head at all)."""
        key = (piece.index, span)
        if key not in self._heads:
            from ..compose.heads import measure_head
            from ..plan.front import LABEL_ROWS

            g = self.grid.local()
            art = leveled(piece, self.issue, span)
            over = (1 if art.box is not None else 0) + (LABEL_ROWS if art.label else 0)
            plan = head_plan(art, Region((GridRect(0, span, 0, 200),)), self.issue)
            lines = 0
            if plan is not None:
                lines = measure_head(self.env, g, plan, 0.0, g.span_w(span), span, 200, art.id, piece.index).lines
            self._heads[key] = over + lines
        return self._heads[key]

    def photo_lines(self, px: tuple[int, int], span: int) -> int:
        """A photo's height in lines at ``span`` columns, keeping its proportions."""
        g = self.grid
        w, h = px
        return max(MIN_PHOTO_LINES, round((g.span_w(span) * h / w - g.em) / g.pitch) + 1)

    def caption_lines(self, photo: Photo, span: int) -> int:
        """About how many lines a caption and credit take at ``span`` columns."""
        text = len(photo.caption) + len(photo.credit) + (1 if photo.credit else 0)
        if not text:
            return 0
        size = self.issue.size(self.issue.type.caption_size)
        per = max(1, math.floor(self.grid.span_w(span) / size))
        return math.ceil(text / per)

    def photo_span(self, piece: Piece, k: int, span: int) -> int:
        """The photo's width: its ``span`` hint, else about half a wide module, else the module;
        never wider than its pixels print at ``PLAN_PPI`` (a photo the planner made too large
        for its original stopped the render)."""
        hint = piece.article.photos[k].span
        if hint:
            wanted = max(1, min(hint, span))
        elif span >= 5:
            wanted = max(2, span // 2)
        else:
            wanted = min(span, 2)
        return min(wanted, self.widest(piece.photos[k]))

    def widest(self, px: tuple[int, int]) -> int:
        """The most columns a photo of ``px`` pixels may span at ``PLAN_PPI`` (at least one)."""
        if px not in self._widest:  # asked for every photo of every arrangement costed
            room = px[0] / PLAN_PPI * 72.0
            self._widest[px] = max([1] + [s for s in range(1, self.grid.columns + 1) if self.grid.span_w(s) <= room])
        return self._widest[px]

    def tallest(self, px: tuple[int, int]) -> int:
        """The most lines a photo of ``px`` pixels may stand at ``PLAN_PPI``."""
        g = self.grid
        return max(MIN_PHOTO_LINES, math.floor(g.block_lines(px[1] / PLAN_PPI * 72.0)))

    def need(self, piece: Piece, span: int) -> int:
        """Lines of module height the piece needs at ``span`` columns (copy, head, photos, box)."""
        key = (piece.index, span)
        if key not in self._needs:
            guess = self._need(piece, span)
            # Composed when it can be: the module as it would be set, its height found by balancing.
            self._needs[key] = self.exact(self, piece, span, guess) if self.exact is not None else guess
        return self._needs[key]

    def _need(self, piece: Piece, span: int) -> int:
        cells = piece.body
        for k, px in enumerate(piece.photos):
            ps = self.photo_span(piece, k, span)
            cells += ps * (self.photo_lines(px, ps) + self.caption_lines(piece.article.photos[k], ps)
                           + 2 * CAPTION_GAP)
        if piece.box:
            cells += box_span(span) * (piece.box + 1)
        return self.head(piece, span) + math.ceil(cells / span)

    def vertical(self, piece: Piece, span: int) -> tuple[Head, int] | None:
        """The 竖题 the planner may give the piece in a module ``span`` columns wide — a head one
        column wide at the module's side, at the size its level gives the module's width (smaller
        if that does not fit the column), its main head in as many columns as keep it within
        ``VERTICAL_DEPTH`` lines — and its depth in lines; None when the piece keeps its head
        across the module (``may_turn``) or no size fits."""
        key = (piece.index, span)
        if key not in self._vertical:
            self._vertical[key] = self._turned(piece, span) if span >= 2 and may_turn(piece) else None
        return self._vertical[key]

    def _turned(self, piece: Piece, span: int) -> tuple[Head, int] | None:
        from ..compose.heads import HeadInputError, measure_head

        art = leveled(piece, self.issue, span)
        given = art.head.model_dump(exclude_unset=True)
        level = self.issue.type.head_levels.get(art.head.level) if art.head.level is not None else None
        if level is not None and "size" not in art.head.model_fields_set:
            sizes = [level.size_for(s) for s in (span, span - 1, 1)]
        else:
            sizes = [art.head.size]
        g = self.grid.local()
        for size in dict.fromkeys(sizes):
            head = Head.model_validate(given | {"style": "vertical", "size": size})
            plan = head_plan(art.model_copy(update={"head": head}), Region((GridRect(0, span, 0, 200),)), self.issue)
            try:
                block = measure_head(self.env, g, plan, 0.0, g.span_w(span), span, VERTICAL_DEPTH, art.id,
                                     piece.index)
            except HeadInputError:  # its columns do not fit one column at this size
                continue
            if block.lines > VERTICAL_DEPTH or block.block.warnings:
                continue
            rows = next(len(part.rows) for part in block.block.parts if part.kind == "main")
            return Head.model_validate(given | {"style": "vertical", "size": size, "rows": rows}), block.lines
        return None

    def vertical_need(self, piece: Piece, span: int) -> int | None:
        """Lines of module height the piece needs at ``span`` columns with its 竖题 (``vertical``):
        its copy, photos and box as composed, and the head's strip of one column beside them."""
        turned = self.vertical(piece, span)
        if turned is None:
            return None
        depth = turned[1]
        cells = (self.need(piece, span) - self.head(piece, span)) * span + depth
        return max(depth + 1, math.ceil(cells / span))

    def fill(self, piece: Piece, span: int, slack: int) -> tuple[int, int, float]:
        """The photo, fill and overset terms (``_fill``) of a module with ``slack`` column-lines."""
        key = (piece.index, span, slack)
        if key not in self._fills:  # asked for every module of every arrangement costed
            heights, left = self.photo_sizes(piece, span, slack)
            natural = [self.photo_lines(px, self.photo_span(piece, k, span)) for k, px in enumerate(piece.photos)]
            self._fills[key] = (sum(abs(h - h0) for h, h0 in zip(heights, natural)), abs(left),
                                ESTIMATED_OVERSET * -left if left < 0 else 0.0)
        return self._fills[key]

    def photo_sizes(self, piece: Piece, span: int, slack: int) -> tuple[list[int], int]:
        """Photo heights (lines) that take up ``slack`` column-lines of the module (positive: room to
        spare, negative: copy without room) within the crop a photo stands (``PHOTO_CROP``), and the
        slack they leave. Photos are the editor's first means of filling a module."""
        key = (piece.index, span, slack)
        if key not in self._sizes:
            self._sizes[key] = self._photo_sizes(piece, span, slack)
        return self._sizes[key]

    def _photo_sizes(self, piece: Piece, span: int, slack: int) -> tuple[list[int], int]:
        spans = [self.photo_span(piece, k, span) for k in range(len(piece.photos))]
        natural = [self.photo_lines(px, ps) for px, ps in zip(piece.photos, spans)]
        heights = list(natural)
        left = slack
        for k, (ps, h0) in enumerate(zip(spans, natural)):
            lo, hi = max(MIN_PHOTO_LINES, math.floor(h0 * (1 - PHOTO_CROP))), math.ceil(h0 * (1 + PHOTO_CROP))
            hi = max(lo, min(hi, self.tallest(piece.photos[k])))
            share = left // max(1, ps * (len(spans) - k))  # lines this photo takes of what is left
            h = max(lo, min(hi, h0 + share))
            heights[k] = h
            left -= (h - h0) * ps
        return heights, left


def _head_free(art: Article, keys: set[str]) -> bool:
    """True when a story's head (not a briefs list's or an index's) in a module without a label or
    box leaves the head fields ``keys`` to the planner."""
    return (bool(art.headline) and art.kind == "story" and not art.label and art.box is None
            and not (keys & art.head.model_fields_set))


def may_turn(piece: Piece) -> bool:
    """True when the planner may set the piece's head as a 竖题: not the lead's, in a module
    without a sidebar, its style, span and rows left to the planner (``_head_free``)."""
    return (piece.rank > 0 and piece.article.sidebar is None
            and _head_free(piece.article, {"style", "vertical", "span", "rows"}))


def may_narrow(piece: Piece) -> bool:
    """True when the planner may set the lead's head one column narrower than its module: its
    span and style left to the planner (``_head_free``)."""
    return piece.rank == 0 and _head_free(piece.article, {"style", "vertical", "span"})


def box_span(span: int) -> int:
    """The width of a box (sidebar) in a module of ``span`` columns."""
    return 2 if span >= 4 else 1


def leveled(piece: Piece, issue, span: int) -> Article:
    """The article with a head level by its rank, when the description sets no size or level."""
    head = piece.article.head
    if head.level is not None or "size" in head.model_fields_set:
        return piece.article
    level = 1 if piece.rank == 0 else 2 if piece.rank <= 2 else 3
    if piece.rank and piece.chars < BRIEF_CHARS:
        level = 4
    update: dict = {"level": level}
    return piece.article.model_copy(update={"head": Head.model_validate(head.model_dump(exclude_unset=True)
                                                                        | update)})


def measure_pieces(env, plan, issue) -> list[Piece]:
    """Every pending article of the plan, measured, in priority order."""
    from ..compose.story import Story

    pieces = []
    pending = sorted(plan.pending, key=lambda p: (issue.articles[p.index].priority or 100, p.index))
    for rank, p in enumerate(pending):
        art = issue.articles[p.index]
        units = Story(env, p.story).units(plan.grid.col_w)
        body = sum(u.n for u in units)
        chars = sum(u.chars for u in units)
        box = 0
        if art.sidebar is not None:
            text = len(art.sidebar.body or "") + len(art.sidebar.title) + 40
            box = 3 + math.ceil(text / max(1, plan.grid.chars - 2))
        pieces.append(Piece(p.index, art, rank, body, chars, tuple(px for _path, px in p.photos), box))
    return pieces


# ---------------------------------------------------------------- arrangements


@dataclass(frozen=True)
class Frame:
    """The free type area the arrangements fill: columns, lines, and the fixed rectangles."""

    columns: int
    lines: int
    fixed: tuple[GridRect, ...]
    labels: tuple[str, ...] = ()
    """The fixed rectangles' module labels (article ids, ``masthead``), in order."""

    def free_top(self, col: int, span: int) -> int:
        """The first line under the fixed rectangles at the top of these columns (0 if none);
        -1 when a fixed rectangle there covers only some of them (a strip cannot start under it)."""
        top = 0
        for r in sorted(self.fixed, key=lambda r: r.top):
            if r.col < col + span and col < r.right and r.top <= top + 1:
                if r.col > col or r.right < col + span:
                    return -1
                top = max(top, r.end + 1)
        return top

    def clear(self, rect: GridRect) -> bool:
        """True when no fixed rectangle overlaps ``rect``."""
        return not any(r.overlaps(rect) for r in self.fixed)


def stack(col: int, span: int, top: int, end: int, needs: list[int], heads: list[int] | None = None,
          avoid: tuple[tuple[int, int], ...] = (), gives: list[tuple[float, float]] | None = None) -> list[Slot] | None:
    """Modules stacked in columns [col, col + span) from ``top`` to ``end`` (exclusive), one blank
    line between them, heights shared in proportion to their needs; None when they do not fit.

    ``avoid``: the heads (first line, depth) of the modules beside the strip. A module here whose
    head (``heads``: depths) would stand beside one of them at the same height (碰题), or end on
    their line (a seam), starts a few lines higher or lower instead (``STAGGER`` at most), where
    the copy is least short of room."""
    n = len(needs)
    room = end - top - (n - 1)
    if n == 0:
        return []
    least = MIN_TEXT_LINES + 2
    if room < n * least:
        return None
    total = sum(needs) or n
    if gives and any(g or w for g, w in gives):
        heights = _elastic(room, needs, gives, least)
    else:
        heights = [max(least, round(room * x / total)) for x in needs]
    heights[-1] = room - sum(heights[:-1])
    if heights[-1] < least:
        return None
    if avoid and heads:
        heights = _staggered(top, heights, needs, heads, avoid)
    out, y = [], top
    for h in heights:
        out.append(Slot(col, span, y, h))
        y += h + 1
    return out


def _elastic(room: int, needs: list[int], gives: list[tuple[float, float]], least: int) -> list[int]:
    """Heights that give each module its need and pass the strip's surplus (or take its
    shortfall) to the modules whose photos can grow or shrink (``gives``: lines each can give
    back and take up that way), the rest in proportion to the needs: white goes where a photo
    fills it, not to a column foot."""
    diff = room - sum(needs)
    gives = [w if diff > 0 else g for g, w in gives]
    capacity = sum(gives)
    share = max(-capacity, min(capacity, diff))
    heights = [x + (share * g / capacity if capacity else 0.0) for x, g in zip(needs, gives)]
    rest = diff - share
    total = sum(needs) or len(needs)
    heights = [h + rest * x / total for h, x in zip(heights, needs)]
    return [max(least, round(h)) for h in heights]


def gives(m, pieces, span: int) -> list[tuple[float, float]]:
    """Lines of module height each piece's photos can give back and take up at ``span`` columns:
    their crop (``PHOTO_CROP``) over the module's width; to take up, for a module's first photo
    the description gives no width, what it takes set across the module, if more (the composed
    variant with photos resized widens it into the room: a trial's page filled once its photo
    spanned its four columns, where the stack had given the room to a module without one)."""
    out = []
    for p in pieces:
        give = take = 0.0
        for k, px in enumerate(p.photos):
            ps = m.photo_span(p, k, span)
            crop = ps * round(m.photo_lines(px, ps) * PHOTO_CROP) / span
            give += crop
            wide = min(span, m.widest(px))
            if k == 0 and p.rank and not p.article.photos[0].span and wide > ps:
                crop = max(crop, (wide * m.photo_lines(px, wide) - ps * m.photo_lines(px, ps)) / span)
            take += crop
        out.append((give, take))
    return out


STAGGER = 6
"""Lines a module's top in a stack may move to keep its head clear of the heads beside it."""


def _staggered(top: int, heights: list[int], needs: list[int], heads: list[int],
               avoid: tuple[tuple[int, int], ...]) -> list[int]:
    """The stack's heights with each top after the first moved off the heads beside it."""
    heights = list(heights)
    least = MIN_TEXT_LINES + 2

    def clashes(t: int, depth: int) -> bool:
        return any(t < a + d and a < t + depth for a, d in avoid)

    y = top
    for k in range(len(heights) - 1):
        y_next = y + heights[k] + 1
        if clashes(y_next, heads[k + 1]):
            options = []
            for d in range(-STAGGER, STAGGER + 1):
                h, h2 = heights[k] + d, heights[k + 1] - d
                if d and h >= least and h2 >= least and not clashes(y_next + d, heads[k + 1]):
                    short = max(0, needs[k] - h) + max(0, needs[k + 1] - h2)
                    options.append((short, abs(d), d))
            if options:
                d = min(options)[2]
                heights[k] += d
                heights[k + 1] -= d
        y += heights[k] + 1
    return heights


def arrangements(frame: Frame, pieces: list[Piece], m: Measures):
    """Every candidate arrangement of the family, with its arithmetic cost (a generator)."""
    C = frame.columns
    lead, rest = pieces[0], pieces[1:]
    spans = range(C, max(2, math.ceil(C / 2)) - 1, -1)
    # The lead's span hints filter its spans (when any span of the family is left; else the cost
    # charges the miss and the plan's notes say it).
    hinted = [S for S in spans if (lead.article.min_span or 0) <= S <= (lead.article.max_span or C)]
    found = 0
    for a in _arrangements(frame, m, lead, rest, hinted or list(spans)):
        found += 1
        yield a
    if hinted and not found:
        # No arrangement of the family gives the lead the span it is hinted (eight articles
        # under a lead across the whole page): the other spans, the miss charged and said.
        yield from _arrangements(frame, m, lead, rest, [S for S in spans if S not in hinted])


def _arrangements(frame: Frame, m: Measures, lead: Piece, rest: list[Piece], spans: list[int]):
    """The arrangements of ``arrangements`` with the lead over each of ``spans`` columns."""
    C = frame.columns
    for S in spans:
        side_w = C - S
        # With nothing fixed on the page, the side strip on the left is the mirror image of the
        # one on the right (the same cost): only the right is tried.
        for right in ((True, False) if side_w and frame.fixed else (True,)):
            lead_col = 0 if right else side_w
            side_col = S if right else 0
            for side_n in range(min(3, len(rest)) + 1) if side_w else (0,):
                if side_w and side_n == 0 and frame.free_top(side_col, side_w) <= 0:
                    continue  # an empty strip beside the lead, unless placed modules fill it
                below = len(rest) - side_n
                for split in _splits(S, below):
                    for na in range(min(3, below) + 1):
                        nb = below - na
                        # No strip under the lead's outer part: its stem runs down to the page foot.
                        if (split == 0 and na) or nb > 3 or nb < 1 or na > 3:
                            continue
                        groups = (tuple(rest[:side_n]), tuple(rest[side_n:side_n + na]),
                                  tuple(rest[side_n + na:]))
                        yield from _candidates(frame, m, lead, groups, (S, lead_col, side_col, side_w, split, right))
            # The side strip running down to the page's foot, one stack under the lead beside it.
            for side_n in range(1, min(TALL_STACK, len(rest)) + 1) if side_w else ():
                below = len(rest) - side_n
                if 1 <= below <= TALL_STACK:
                    groups = (tuple(rest[:side_n]), (), tuple(rest[side_n:]))
                    yield from _candidates(frame, m, lead, groups, (S, lead_col, side_col, side_w, TALL, right))


def _splits(S: int, below: int) -> range:
    """Where the lead's foot steps (columns of the shallow part from the lead's outer edge)."""
    if below <= 1:
        return range(1)
    return range(S)


def stack_order(group) -> tuple[Piece, ...]:
    """A stack's pieces from the top: by rank (the more important higher), except that a piece
    with ``zone: top`` goes first and one with ``zone: bottom`` last."""
    return tuple(sorted(group, key=lambda p: ({"top": 0, "bottom": 2}.get(p.article.zone, 1), p.rank)))


def _candidates(frame, m, lead, groups, shape, swapped=False, heads=(False, True), edges=None):
    """The arrangements of one shape (the lead's span and columns, the side strip's columns, where
    the lead's foot steps, which side) with these pieces beside the lead and in strips A and B;
    ``heads``: with the lead's head over its columns, across the page, or both; ``edges``: the
    lead's foot lines as given (else found by line search)."""
    C, L = frame.columns, frame.lines
    S, lead_col, side_col, side_w, split, right = shape
    if split == TALL:
        yield from _tall(frame, m, lead, groups, shape, swapped, heads, edges)
        return
    side, strip_a, strip_b = (stack_order(g) for g in groups)
    side_n, na, nb = len(side), len(strip_a), len(strip_b)
    # Columns: strip A under the lead's outer part, strip B under the rest of the lead and the side.
    if right:
        a_col, a_span = lead_col, split
        b_col, b_span = lead_col + split, C - split
    else:
        a_col, a_span = C - split, split
        b_col, b_span = 0, C - split
    if (split and a_span < 2) or b_span < 2:
        return
    need_a = [m.need(p, a_span) for p in strip_a]
    need_b = [m.need(p, b_span) for p in strip_b]
    for full_head in (heads if side_w else (False,)):
        side_top = frame.free_top(side_col, side_w) if side_w else 0
        if side_top < 0:
            return  # a placed block covers part of the side strip's top: this strip cannot be
        lead_head = m.head(lead, C if full_head else S)
        if full_head:
            if side_top > 0:
                continue  # a fixed block sits where the head would run
            side_top = lead_head + 1
        e_b = L - 1 - (sum(need_b) + nb - 1)
        e_a = L - 1 - (sum(need_a) + na - 1) if na else (L if split else e_b)
        if edges is not None:
            e_a, e_b = edges
            e_a = e_a if na else (L if split else e_b)
        seen: dict[tuple, tuple] = {}  # the line searches probe some feet more than once

        def est(ea: int, eb: int, turned=None, side_top=side_top, full_head=full_head, seen=seen):
            key = (ea, eb, tuple(sorted(turned.items())) if turned else ())
            if key not in seen:
                seen[key] = _estimate(frame, m, lead, S, lead_col, side_col, side_w, side, strip_a, strip_b, a_col,
                                      a_span, b_col, b_span, ea, eb, side_top, full_head, right, turned)
            return seen[key]

        def search(e_a: int, e_b: int, turned=None):
            for _round in range(EDGE_ROUNDS if edges is None else 0):
                e_b = _best_edge(lambda e: est(e_a if na else e, e, turned)[0], e_b, L)
                if na:
                    e_a = _best_edge(lambda e: est(e, e_b, turned)[0], e_a, L)
                    # Both feet together (the step kept): what one edge alone cannot reach.
                    d = _best_edge(lambda e: est(e_a + e - L // 2, e_b + e - L // 2, turned)[0], L // 2, L) - L // 2
                    e_a, e_b = e_a + d, e_b + d
            return (e_a, e_b), est(e_a, e_b, turned)

        start = (e_a, e_b)
        (e_a, e_b), (cost, terms, slots) = _retried(
            search(*start), lambda turned, start=start: search(*start, turned),
            lambda feet, turned: est(*feet, turned)[0], m, frame, full_head)
        if slots is None:
            continue
        name = (f"lead {S} cols{' (head across the page)' if full_head else ''}, {side_n} beside it on the "
                f"{'right' if right else 'left'}, {na} + {nb} below" if side_w else f"lead {S} cols, {na} + {nb} below")
        if swapped:
            name += _groups_name(side, [strip_a, strip_b])
        name += _turned_name(slots, m)
        yield Arrangement(name, slots, cost, terms, shape=shape, groups=(side, strip_a, strip_b),
                          full_head=full_head, edges=(e_a, e_b))


RETRY_MARGIN = 0.0
"""An arrangement is costed again with 竖题 (its feet searched anew) only when, at the feet it
has, the turned heads cost less than this more than it does (0: only when they already cost less)."""

EDGE_ROUNDS = 1
"""Rounds of line search over the lead's feet (each foot, then both together) per arrangement."""

TALL = -1
"""The foot-step value of a shape whose side strip runs down to the page's foot."""

TALL_STACK = 4
"""Modules a stack of that shape holds at most (beside the lead, and under it)."""


def _tall(frame, m, lead, groups, shape, swapped, heads, edges):
    """The arrangements of a tall side strip: the lead over S columns (its head over them, or
    across the page with the strip under it), the side strip from the lead's top (or from under a
    fixed block, or from under the head) to the page's foot, and one stack under the lead; the
    tops of the two stacks staggered (no heads side by side, no seam across the page)."""
    C, L = frame.columns, frame.lines
    S, lead_col, side_col, side_w, _split, right = shape
    side, _none, below = (stack_order(g) for g in groups)
    if not side or not below:
        return
    need_b = [m.need(p, S) for p in below]
    # The lead's head runs across the page: over its columns alone, the gutter beside the strip
    # would run the page's whole height (a seam), and the strip's first head would butt it.
    for full_head in (h for h in heads if h):
        side_top = frame.free_top(side_col, side_w)
        if side_top < 0 or (full_head and side_top > 0):
            continue
        if full_head:
            side_top = m.head(lead, C) + 1
        e0 = L - 1 - (sum(need_b) + len(below) - 1) if edges is None else edges[1]

        def search(turned=None, side_top=side_top, full_head=full_head):
            e = e0
            if edges is None:
                e = _best_edge(lambda x: _tall_estimate(frame, m, lead, shape, side, below, x, side_top, full_head,
                                                        turned)[0], e, L)
            return e, _tall_estimate(frame, m, lead, shape, side, below, e, side_top, full_head, turned)

        e, (cost, terms, slots) = _retried(
            search(), search,
            lambda e, turned, side_top=side_top, full_head=full_head: _tall_estimate(
                frame, m, lead, shape, side, below, e, side_top, full_head, turned)[0], m, frame, full_head)
        if slots is None:
            continue
        name = (f"lead {S} cols{' (head across the page)' if full_head else ''}, {len(side)} beside it on the "
                f"{'right' if right else 'left'} to the foot, {len(below)} below")
        if swapped:
            name += _groups_name(side, [below])
        name += _turned_name(slots, m)
        yield Arrangement(name, slots, cost, terms, shape=shape, groups=(side, (), below), full_head=full_head,
                          edges=(e, e))


def _tall_estimate(frame, m, lead, shape, side, below, e, side_top, full_head, turned=None):
    """The arithmetic cost of a tall side strip's arrangement with the lead's foot at ``e``."""
    C, L = frame.columns, frame.lines
    S, lead_col, side_col, side_w, _split, _right = shape
    inf = (float("inf"), {}, None)
    terms = {k: 0.0 for k in COSTS}
    if full_head:
        head = m.head(lead, C)
        rects = [Slot(0, C, 0, head, "head"), Slot(lead_col, S, head, e - head, "lead")]
    else:
        lead_top = frame.free_top(lead_col, S)  # under a fixed block over the lead's columns
        if lead_top < 0:
            return inf
        rects = [Slot(lead_col, S, lead_top, e - lead_top, "lead")]
    for r in rects:
        if r.height < 1 or not frame.clear(GridRect(r.col, r.span, r.top, r.height)):
            return inf
    slots: dict[int, tuple[Slot, ...]] = {lead.index: tuple(rects)}
    cells = sum(r.span * r.height for r in rects)
    _fill(terms, m, lead, S, cells - lead_cells(m, lead, S, C if full_head else S))
    heads_b = [m.head(p, S) for p in below]
    heads_s = [m.head(p, side_w) for p in side]
    s_side = stack(side_col, side_w, side_top, L, [_need_of(m, turned, p, side_w) for p in side], heads_s,
                   ((e + 1, heads_b[0]),), gives(m, side, side_w))
    if s_side is None:
        return inf
    s_below = stack(lead_col, S, e + 1, L, [_need_of(m, turned, p, S) for p in below], heads_b,
                    tuple((slot.top, h) for slot, h in zip(s_side, heads_s)), gives(m, below, S))
    if s_below is None:
        return inf
    for pieces, group in ((side, s_side), (below, s_below)):
        for p, slot in zip(pieces, group):
            if not frame.clear(GridRect(slot.col, slot.span, slot.top, slot.height)):
                return inf
            slots[p.index] = (slot,)
            _fill(terms, m, p, slot.span, (slot.height - _need_of(m, turned, p, slot.span)) * slot.span)
    _mark_turned(terms, slots, turned, m)
    _page_terms(terms, slots, m, e, e, True, side_top, full_head, frame)
    terms["seam"] += slot_seams(slots, frame)
    return sum(COSTS[k] * v for k, v in terms.items()), terms, slots


def _groups_name(side, below) -> str:
    """Which articles an arrangement puts where: ``(beside: a,b; below: c | d,e)``, each strip from
    the top, the strips below from the lead's outer side."""
    def ids(group) -> str:
        return ",".join(p.article.id for p in group)

    parts = ([f"beside: {ids(side)}"] if side else []) + [f"below: {' | '.join(ids(g) for g in below if g)}"]
    return " (" + "; ".join(parts) + ")"


def _turned_name(slots: dict[int, tuple[Slot, ...]], m: Measures) -> str:
    """What an arrangement's name says of the heads the planner set as 竖题."""
    ids = [p.article.id for p in m.pieces if p.index in slots and slots[p.index][0].vertical]
    narrowed = [slots[p.index][0] for p in m.pieces if p.index in slots and slots[p.index][0].narrow]
    return ((f" (竖题: {', '.join(ids)})" if ids else "")
            + "".join(f" (the lead's head over {s.span - 1} cols)" for s in narrowed))


def slot_seams(slots: dict[int, tuple[Slot, ...]], frame: Frame) -> int:
    """Seams (as ``seams`` counts them on a plan) of slots and the fixed rectangles: gutters no
    rectangle bridges, and lines every column's rectangles end on."""
    rects = [s for ss in slots.values() for s in ss] + [Slot(r.col, r.span, r.top, r.height) for r in frame.fixed]
    count = sum(1 for col in range(1, frame.columns) if not any(r.col < col < r.col + r.span for r in rects))
    # A module's foot in a column is where its last rectangle there ends (an L's parts join).
    modules = list(slots.values()) + [(Slot(r.col, r.span, r.top, r.height),) for r in frame.fixed]
    feet = [{max(r.top + r.height for r in ss if r.col <= c < r.col + r.span)
             for ss in modules if any(r.col <= c < r.col + r.span for r in ss)} for c in range(frame.columns)]
    common = set.intersection(*feet) if feet else set()
    return count + sum(1 for line in common if 1 <= line < frame.lines - 1)


def _best_edge(cost, start: int, L: int) -> int:
    """The line near ``start`` (within ±12) with the least cost, by the line search page-level fit
    uses (the cost of an edge's line is close to convex)."""
    from .pagefit import _line_search

    lo, hi = max(MIN_TEXT_LINES * 2, start - 12), min(L - MIN_TEXT_LINES * 2, start + 12)
    if lo > hi:
        return start
    start = max(lo, min(hi, start))
    seen: dict[int, float] = {}

    def c(e: int) -> tuple[float, int]:
        if e not in seen:
            seen[e] = cost(e)
        return seen[e], abs(e - start)

    return start + _line_search(range(lo - start, hi - start + 1), lambda d: c(start + d)[0], 0)


def _estimate(frame, m, lead, S, lead_col, side_col, side_w, side, strip_a, strip_b, a_col, a_span, b_col,
              b_span, e_a, e_b, side_top, full_head, right, turned=None):
    """The arithmetic cost of one arrangement with the lead's foot at ``e_a`` (over strip A) and
    ``e_b`` (over strip B), and its slots; (inf, {}, None) when it cannot be made."""
    C, L = frame.columns, frame.lines
    inf = (float("inf"), {}, None)
    slots: dict[int, tuple[Slot, ...]] = {}
    terms = {k: 0.0 for k in COSTS}
    # The lead: one rectangle, or its foot stepped (a band over S columns, a stem below it).
    stepped = a_span > 0  # the lead's foot steps (over strip A, or its stem runs to the page foot)
    top_end = min(e_a, e_b) if stepped else e_b
    lead_top = 0 if full_head else frame.free_top(lead_col, S)  # under a fixed block over its columns
    if lead_top < 0:
        return inf
    lead_rects = [Slot(lead_col, S, lead_top, top_end - lead_top, "lead")]
    if stepped and e_a != e_b:
        # The stem: the lead's part over whichever strip starts lower.
        if e_a > e_b:
            deep_col, deep_span = a_col, a_span
        else:
            deep_col, deep_span = (lead_col + a_span if right else lead_col), S - a_span
        if deep_span < MIN_STEM:
            return inf  # a stem one column wide: a chimney of the lead's text readers lose
        lead_rects.append(Slot(deep_col, deep_span, top_end, abs(e_a - e_b), "lead"))
    if full_head:
        head = m.head(lead, C)
        lead_rects = [Slot(0, C, 0, head, "head"), Slot(lead_col, S, head, top_end - head, "lead")] + lead_rects[1:]
        if len(lead_rects) > 2:
            return inf  # a head across the page and a stepped foot make three parts
    for r in lead_rects:
        if r.height < 1 or not frame.clear(GridRect(r.col, r.span, r.top, r.height)):
            return inf
    slots[lead.index] = tuple(lead_rects)
    cells = sum(r.span * r.height for r in lead_rects)
    _fill(terms, m, lead, S, cells - lead_cells(m, lead, S, C if full_head else S))
    # The side strip, the strips below.
    groups = []
    if side_w and not side:  # what the placed modules beside the lead leave is a hole
        terms["empty"] += max(0, e_b - side_top - 1) * side_w
    if side:
        s = stack(side_col, side_w, side_top, e_b, [_need_of(m, turned, p, side_w) for p in side], gives=gives(m, side, side_w))
        if s is None:
            return inf
        groups.append((side, s))
    # Strips A and B stand side by side: A's modules keep their heads clear of B's first head, and
    # B's of all of A's (staggered tops: no 碰题, no seam across the page).
    beside: tuple[tuple[int, int], ...] = ()
    if strip_a:
        heads_a = [m.head(p, a_span) for p in strip_a]
        s = stack(a_col, a_span, e_a + 1, L, [_need_of(m, turned, p, a_span) for p in strip_a], heads_a,
                  ((e_b + 1, m.head(strip_b[0], b_span)),) if strip_b else (), gives(m, strip_a, a_span))
        if s is None:
            return inf
        groups.append((strip_a, s))
        beside = tuple((slot.top, h) for slot, h in zip(s, heads_a))
    s = stack(b_col, b_span, e_b + 1, L, [_need_of(m, turned, p, b_span) for p in strip_b],
              [m.head(p, b_span) for p in strip_b], beside, gives(m, strip_b, b_span))
    if s is None:
        return inf
    groups.append((strip_b, s))
    for pieces, group in groups:
        for p, slot in zip(pieces, group):
            if not frame.clear(GridRect(slot.col, slot.span, slot.top, slot.height)):
                return inf
            slots[p.index] = (slot,)
            _fill(terms, m, p, slot.span, (slot.height - _need_of(m, turned, p, slot.span)) * slot.span)
    _mark_turned(terms, slots, turned, m)
    _page_terms(terms, slots, m, e_a if stepped else e_b, e_b, stepped and e_a != e_b, side_top, full_head, frame)
    cost = sum(COSTS[k] * v for k, v in terms.items())
    return cost, terms, slots


def _need_of(m: Measures, turned: dict[int, str] | None, piece: Piece, span: int) -> int:
    """The piece's need at ``span`` columns, with its 竖题 when ``turned`` (index: side) has it."""
    if turned and piece.index in turned:
        need = m.vertical_need(piece, span)
        if need is not None:
            return need
    return m.need(piece, span)


def _mark_turned(terms: dict, slots: dict[int, tuple[Slot, ...]], turned: dict[int, str] | None,
                 m: Measures) -> None:
    """Give the slots of pieces costed with a 竖题 (``turned``: index: side) their head's side."""
    pieces = m.by_index
    for i, side in (turned or {}).items():
        if i in slots and len(slots[i]) == 1 and m.vertical(pieces[i], slots[i][0].span) is not None:
            slots[i] = (replace(slots[i][0], vertical=side),)
            terms["vertical"] += 1


def _retried(first, search, probe, m: Measures, frame: Frame, full_head: bool):
    """An arrangement's (feet, estimate) after costing it again with 竖题 from the start: heads
    that butt, or were turned after the stacks were made (the stacks then give those modules the
    lines a 竖题 needs). ``search(turned)`` finds the feet anew, ``probe(feet, turned)`` costs the
    turned heads at the feet found: a turn no cheaper there is not worth a line search."""
    feet, (cost, terms, slots) = first
    for turned in _retries(slots, terms, m, frame, full_head):
        if probe(feet, turned) >= cost + RETRY_MARGIN:
            continue
        again_feet, again = search(turned)
        if again[2] is not None and (again[0], len(_turns(again[2]))) < (cost, len(_turns(slots))):
            feet, (cost, terms, slots) = again_feet, again
    return feet, (cost, terms, slots)


def _retries(slots, terms, m: Measures, frame: Frame, full_head: bool) -> list[dict[int, str]]:
    """The 竖题 to cost an arrangement again with, from the start: those its estimate turned, and
    for heads it leaves butting, each one that could be turned (``_turn_options``)."""
    if slots is None:
        return []
    out = [_turns(slots)] if _turns(slots) else []
    if terms.get("butting"):
        out += [o for o in _turn_options(slots, m, frame, full_head) if o not in out]
    return out


def _turns(slots: dict[int, tuple[Slot, ...]]) -> dict[int, str]:
    """The 竖题 of an arrangement's slots (index: side)."""
    return {i: ss[0].vertical for i, ss in sorted(slots.items()) if ss[0].vertical}


def _fill(terms: dict, m: Measures, piece: Piece, span: int, slack: int) -> None:
    """Charge a module's slack (column-lines; negative: copy with no room) that its photos, sized
    to fill, leave, and the lines those photos change by."""
    photo, fill, overset = m.fill(piece, span, slack)
    terms["photo"] += photo
    terms["fill"] += fill
    terms["overset"] += overset


def _page_terms(terms, slots, m, e_a, e_b, stepped, side_top, full_head, frame) -> None:
    """Hierarchy, butting and seams of an arrangement."""
    pieces = m.by_index
    widths = {i: max(s.span for s in ss) for i, ss in slots.items()}
    ranked = sorted(slots, key=lambda i: pieces[i].rank)
    lead = ranked[0]
    if any(widths[i] > widths[lead] for i in ranked[1:]):
        terms["lead"] += 1
    for a_i, a in enumerate(ranked[1:], start=1):
        for b in ranked[a_i + 1:]:
            if widths[b] > widths[a]:
                terms["hierarchy"] += 1
    # 碰题: modules side by side whose heads overlap; a head that butts may be turned into a 竖题
    # at its module's far side where that costs less than the butting.
    terms["butting"] += _turn_heads(terms, slots, m, pieces, lead, full_head, frame)
    if not stepped:  # the lead and its side strip end on one line: a seam across the page
        terms["seam"] += 1
    terms["hint"] += len(hint_misses(slots, m.pieces, frame))


def _head_rect(slot: Slot, depth: int) -> tuple[int, int, int, int]:
    """Where a module's head stands: (column, span, first line, depth); a 竖题 in the module's
    outer column on its side."""
    if slot.vertical:
        return (slot.col + slot.span - 1 if slot.vertical == "right" else slot.col, 1, slot.top, depth)
    if slot.narrow:
        return (slot.col if slot.narrow == "right" else slot.col + 1, slot.span - 1, slot.top, depth)
    return (slot.col, slot.span, slot.top, depth)


def butting_pairs(heads: dict[int, tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    """Pairs of heads ((column, span, first line, depth) by module) side by side at the same
    height (碰题), in a stable order."""
    keys = sorted(heads)
    out = []
    for x, i in enumerate(keys):
        ca, sa, ta, ha = heads[i]
        for j in keys[x + 1:]:
            cb, sb, tb, hb = heads[j]
            if (ca + sa == cb or cb + sb == ca) and ta < tb + hb and tb < ta + ha:
                out.append((i, j))
    return out


def _heads_of(slots, m: Measures, pieces: dict, lead: int, full_head: bool, frame: Frame) -> dict:
    """Where each module's head stands ((column, span, first line, depth) by piece index), 竖题
    (the planner's and the description's) at their module's side."""
    def rect(i: int) -> tuple[int, int, int, int]:
        head, slot = pieces[i].article.head, slots[i][0]
        if slot.vertical:
            return _head_rect(slot, m.vertical(pieces[i], slot.span)[1])
        if slot.narrow:
            return _head_rect(slot, m.head(pieces[i], slot.span - 1))
        depth = m.head(pieces[i], frame.columns if (i == lead and full_head) else slot.span)
        if head.is_vertical:  # the description's own 竖题
            slot = replace(slot, vertical=head.side)
        return _head_rect(slot, depth)

    return {i: rect(i) for i in slots}


def _turn_options(slots, m: Measures, frame: Frame, full_head: bool) -> list[dict[int, str]]:
    """For an arrangement whose heads still butt: each head of a butting pair that could be a 竖题
    (never the lead's), turned alone (index: side away from the other head), to be costed from the
    start; at most ``MAX_VERTICAL`` options."""
    pieces = m.by_index
    lead = min(slots, key=lambda i: pieces[i].rank)
    heads = _heads_of(slots, m, pieces, lead, full_head, frame)
    out: list[dict[int, str]] = []
    for i, j in butting_pairs(heads):
        for k, other in sorted(((i, j), (j, i)), key=lambda t: -pieces[t[0]].rank):
            slot = slots[k][0]
            if k == lead or len(slots[k]) > 1 or slot.vertical or m.vertical(pieces[k], slot.span) is None:
                continue
            option = {**_turns(slots), k: "right" if heads[other][0] < slot.col else "left"}
            if option not in out:
                out.append(option)
            break
    return out[:MAX_VERTICAL]


def _turn_heads(terms, slots, m: Measures, pieces: dict, lead: int, full_head: bool, frame: Frame) -> int:
    """Heads side by side (碰题) in the slots, after turning up to ``MAX_VERTICAL`` of them into
    竖题 where that costs less than the butting: the module of the lower-ranked article of a pair
    (never the lead's) takes a one-column vertical head on its side away from the other head,
    charged its fill at the depth a 竖题 needs and ``COSTS['vertical']``. Turned slots are marked
    in ``slots`` (``Slot.vertical``); the count of pairs left is returned."""
    heads = _heads_of(slots, m, pieces, lead, full_head, frame)
    pairs = butting_pairs(heads)
    turned = len(_turns(slots))
    for i, j in list(pairs):
        if turned >= MAX_VERTICAL or (i, j) not in pairs:
            continue
        for k, other in sorted(((i, j), (j, i)), key=lambda t: -pieces[t[0]].rank):
            slot = slots[k][0]
            need = m.need(pieces[k], slot.span)
            v_need = m.vertical_need(pieces[k], slot.span) if k != lead and len(slots[k]) == 1 else None
            if v_need is None or slot.vertical:
                continue
            side = "right" if heads[other][0] < slot.col else "left"
            new = replace(slot, vertical=side)
            trial = dict(heads)
            trial[k] = _head_rect(new, m.vertical(pieces[k], slot.span)[1])
            left = butting_pairs(trial)
            if _take_variant(terms, m, pieces[k], slot.span, (slot.height - need) * slot.span,
                             (slot.height - v_need) * slot.span, "vertical", len(pairs) - len(left)):
                slots[k] = (new,)
                heads, pairs = trial, left
                turned += 1
                break
    # A pair the lead's head is in that no 竖题 cured (the strip beside it one column wide): the
    # lead's head set one column narrower, that column of the lead's text running up beside it.
    first = slots[lead][0]
    if (not full_head and first.role == "lead" and first.span >= 4 and not first.narrow
            and may_narrow(pieces[lead]) and any(lead in pair for pair in pairs)):
        other = next(j if i == lead else i for i, j in pairs if lead in (i, j))
        new = replace(first, narrow="right" if heads[other][0] > first.col else "left")
        trial = dict(heads)
        trial[lead] = _head_rect(new, m.head(pieces[lead], first.span - 1))
        left = butting_pairs(trial)
        span = max(r.span for r in slots[lead])
        cells = sum(r.span * r.height for r in slots[lead])
        if _take_variant(terms, m, pieces[lead], span, cells - lead_cells(m, pieces[lead], span, first.span),
                         cells - lead_cells(m, pieces[lead], span, first.span - 1), "narrow", len(pairs) - len(left)):
            slots[lead] = (new,) + slots[lead][1:]
            pairs = left
    return len(pairs)


def _take_variant(terms: dict, m: Measures, piece: Piece, span: int, slack: int, slack_after: int, kind: str,
                  cleared: int) -> bool:
    """Charge a head variant (``kind``: vertical, narrow) to ``terms`` and say True when it costs
    less than the ``cleared`` pairs of butting heads it cures: the module's fill at the slack it
    leaves (``slack_after`` column-lines, against ``slack``) and ``COSTS[kind]``."""
    before, after = {t: 0.0 for t in COSTS}, {t: 0.0 for t in COSTS}
    _fill(before, m, piece, span, slack)
    _fill(after, m, piece, span, slack_after)
    change = sum(COSTS[t] * (after[t] - before[t]) for t in COSTS)
    if change + COSTS[kind] >= COSTS["butting"] * cleared:
        return False
    for t in COSTS:
        terms[t] += after[t] - before[t]
    terms[kind] += 1
    return True


def hint_misses(slots: dict[int, tuple[Slot, ...]], pieces: list[Piece], frame: Frame) -> list[str]:
    """The planner hints of the pieces (``min_span``, ``max_span``, ``zone``, ``keep_with``) that
    these slots do not honour, each said in a sentence for the editor.

    ``zone: top`` is honoured when no other planned module stands above the article's (a fixed
    masthead may); ``bottom`` when it reaches the type area's foot; ``left``/``right`` when it
    touches that side. ``keep_with`` is honoured when the two modules share an edge: side by
    side with lines in common, or one stacked on the other with columns in common."""
    out: list[str] = []
    if not any(_hinted(p.article) for p in pieces):
        return out
    where = {p.index: slots[p.index] for p in pieces if p.index in slots}
    ids = {p.article.id: where.get(p.index, ()) for p in pieces}
    for label, rect in zip(frame.labels, frame.fixed):
        ids.setdefault(label, ())
        ids[label] += (Slot(rect.col, rect.span, rect.top, rect.height),)
    for p in pieces:
        art, rects = p.article, where.get(p.index)
        if not rects:
            continue
        # A head across the page is the head's width, not the module's (its body is narrower).
        span = max(r.span for r in rects if r.role != "head")
        name = f"article {art.id!r}"
        if art.min_span and span < art.min_span:
            out.append(f"{name}: min_span {art.min_span} not honoured (the planner found room for {span} columns)")
        if art.max_span and span > art.max_span:
            out.append(f"{name}: max_span {art.max_span} not honoured (the planner gave it {span} columns)")
        zone = art.zone
        if zone == "top":
            first = min(rects, key=lambda r: r.top)
            if any(o.top + o.height <= first.top and o.col < first.col + first.span and first.col < o.col + o.span
                   for i, ss in where.items() if i != p.index for o in ss):
                out.append(f"{name}: zone top not honoured (a planned module stands above it)")
        elif zone == "bottom" and max(r.top + r.height for r in rects) < frame.lines:
            out.append(f"{name}: zone bottom not honoured (it ends above the type area's foot)")
        elif zone == "left" and min(r.col for r in rects) > 0:
            out.append(f"{name}: zone left not honoured (it does not touch the left side)")
        elif zone == "right" and max(r.col + r.span for r in rects) < frame.columns:
            out.append(f"{name}: zone right not honoured (it does not touch the right side)")
        if art.keep_with and not _share_edge(rects, ids.get(art.keep_with, ())):
            out.append(f"{name}: keep_with {art.keep_with!r} not honoured (their modules share no edge)")
        for photo in art.photos:
            if photo.span and photo.span > span:
                out.append(f"{name}: photo {photo.file} span {photo.span} not honoured (its module is {span} "
                           f"columns wide; the photo is set across them)")
    return out


def _hinted(art: Article) -> bool:
    return bool(art.min_span or art.max_span or art.zone or art.keep_with or any(p.span for p in art.photos))


def _share_edge(a: tuple[Slot, ...], b: tuple[Slot, ...]) -> bool:
    """True when a rectangle of ``a`` and one of ``b`` touch side by side or stacked."""
    for r in a:
        for o in b:
            lines = r.top < o.top + o.height and o.top < r.top + r.height
            cols = r.col < o.col + o.span and o.col < r.col + r.span
            if lines and (r.col + r.span == o.col or o.col + o.span == r.col):
                return True
            if cols and (abs(o.top - (r.top + r.height)) <= 1 or abs(r.top - (o.top + o.height)) <= 1):
                return True
    return False


# ---------------------------------------------------------------- from slots to places


def placed_articles(issue, pieces: list[Piece], arrangement: Arrangement, m: Measures,
                    widen: bool = False) -> list[Article]:
    """The description's articles with every pending one given its place, its photos' and box's;
    ``widen``: photos set wider where a module has room their crop cannot fill (``_widened``)."""
    out = list(issue.articles)
    for p in pieces:
        slots = arrangement.slots[p.index]
        # The module's width is its body's: a lead's head across the page is wider than the
        # columns its photos and copy stand in.
        span = max(s.span for s in slots if s.role != "head")
        art = leveled(p, issue, span)
        turned = m.vertical(p, span) if slots[0].vertical else None
        if turned is not None:  # a 竖题 on the module's side (``_turn_heads``)
            art = art.model_copy(update={"head": Head.model_validate(
                turned[0].model_dump(exclude_unset=True) | {"side": slots[0].vertical})})
        if slots[0].narrow:  # the lead's head a column narrower (``_turn_heads``)
            art = art.model_copy(update={"head": Head.model_validate(
                art.head.model_dump(exclude_unset=True) | {"span": slots[0].span - 1, "side": slots[0].narrow})})
        rects = [Place(col=s.col + 1, span=s.span, top=s.top, height=s.height) for s in slots]
        box = min(s.col for s in slots)
        top = slots[0].top
        head = m.head(p, slots[0].span - (1 if slots[0].narrow else 0))
        # Photos go in the module's largest part (the lead's body under a head across the page),
        # sized so that the module fills (what auto-fit then fine-tunes by their flex).
        wide = max(slots, key=lambda s: (s.span * s.height, -s.top))
        cells = sum(s.span * s.height for s in slots)
        sized, left = m.photo_sizes(p, span, cells - m.need(p, span) * span if len(slots) == 1 else
                                    cells - lead_cells(m, p, span, slots[0].span))
        if widen:
            spans = _widened(p, m, span, wide.span, sized, left)
        else:
            spans = [m.photo_span(p, k, span) for k in range(len(p.photos))]
        photos = []
        for k, photo in enumerate(art.photos):
            ps = spans[k]
            lines = sized[k]
            # The first photo on the module's right, the next on its left, and so on (the first on
            # the left when a 竖题 stands on the right).
            # (and on the left when the module's box stands on the right).
            boxed_right = art.sidebar is not None and len(slots) == 1 and span > box_span(span)
            right = (k % 2 == 0) != ("right" in (slots[0].vertical, slots[0].narrow) or boxed_right)
            col = (wide.col - box) + (wide.span - ps + 1 if right else 1)
            if p.rank == 0 and k == 0:
                start = max(head, wide.top - top)
                room = wide.top - top + wide.height - start - m.caption_lines(photo, ps) - 2
                place = Place(col=col, span=ps, top=start, height=max(MIN_PHOTO_LINES, min(lines, room)))
            else:
                cols = range(col - 1 + box, col - 1 + box + ps)
                foot = min(max(s.top + s.height for s in slots if s.col <= c < s.col + s.span) for c in cols) - top
                room = foot - head - m.caption_lines(photo, ps) - 2
                place = Place(col=col, span=ps, top="bottom", height=max(MIN_PHOTO_LINES, min(lines, room)))
            photos.append(photo.model_copy(update={"place": place, "flex": photo.flex or 6}))
        sidebar = art.sidebar
        if sidebar is not None:
            # A box in a rectangle stands in its last columns under the head, so that the story
            # starts under its head and the box (a 链接, background) is read after it; in an L, in
            # the first columns of its lower part's width.
            width = box_span(slots[-1].span if len(slots) > 1 else span)
            col = span - width + 1 if len(slots) == 1 and span > width else 1
            sidebar = sidebar.model_copy(update={"place": Place(col=col, span=width, top=head + SIDEBAR_TOP,
                                                                height="auto")})
        out[p.index] = art.model_copy(update={"place": rects[0] if len(rects) == 1 else rects,
                                               "photos": photos, "sidebar": sidebar})
    return out


MIN_PHOTO_SPAN = 2
"""A photo is made no narrower than this to make room for copy."""


def _widened(piece: Piece, m: Measures, span: int, room_span: int, sized: list[int], left: int) -> list[int]:
    """The photos' widths: as ``Measures.photo_span``, and where the module has more room than
    its photos' crop can fill (``left`` column-lines), a photo the editor gave no width is set
    wider (up to the module's part it stands in; ``sized`` takes its new height) so that the
    room goes to the picture, not to white at a column foot; where it has less (``left`` < 0),
    narrower, down to ``MIN_PHOTO_SPAN`` columns, so that the copy fits."""
    spans = [m.photo_span(piece, k, span) for k in range(len(piece.photos))]
    for k, px in enumerate(piece.photos):
        photo = piece.article.photos[k]
        if left < 0 and not photo.span and spans[k] > MIN_PHOTO_SPAN:
            # Short of room: the photo narrower (down to two columns), as little as covers it.
            base = spans[k] * (sized[k] + m.caption_lines(photo, spans[k]))
            for w in range(spans[k] - 1, MIN_PHOTO_SPAN - 1, -1):
                saved = base - w * (m.photo_lines(px, w) + m.caption_lines(photo, w))
                spans[k], sized[k] = w, m.photo_lines(px, w)
                if saved >= -left:
                    break
            left += saved
            continue
        if left <= 0 or photo.span:
            continue
        base = spans[k] * (sized[k] + m.caption_lines(photo, spans[k]))
        best = None
        for w in range(spans[k] + 1, min(room_span, m.widest(px)) + 1):
            others = sum(spans) - spans[k] + w
            if piece.rank and others > room_span:
                break  # photos side by side at the module's foot must fit its width
            extra = w * (m.photo_lines(px, w) + m.caption_lines(photo, w)) - base
            if extra <= left:
                best = (w, extra)
        if best is not None:
            w, extra = best
            spans[k], sized[k] = w, m.photo_lines(px, w)
            left -= extra
    return spans


def lead_cells(m: Measures, piece: Piece, span: int, head_span: int) -> int:
    """Column-lines a module ``span`` columns wide needs, its head over ``head_span`` columns (the
    lead's, or across the page): copy, head, photos with captions, box."""
    key = (piece.index, span, head_span)
    if key not in m._lead_cells:
        m._lead_cells[key] = _lead_cells(m, piece, span, head_span)
    return m._lead_cells[key]


def _lead_cells(m: Measures, piece: Piece, span: int, head_span: int) -> int:
    need = piece.body + m.head(piece, head_span) * head_span
    for k, px in enumerate(piece.photos):
        ps = m.photo_span(piece, k, span)
        need += ps * (m.photo_lines(px, ps) + m.caption_lines(piece.article.photos[k], ps) + 2 * CAPTION_GAP)
    return need + (box_span(span) * (piece.box + 1) if piece.box else 0)



def _alone(piece: Piece, issue, span: int, m: Measures) -> Article:
    """The piece as one auto-height module of ``span`` columns at the page's top-left, its photos
    under its head at their natural size and its box beside them (for measuring its need)."""
    art = leveled(piece, issue, span)
    head = m.head(piece, span)
    photos = []
    top = head
    for k, photo in enumerate(art.photos):
        ps = m.photo_span(piece, k, span)
        lines = m.photo_lines(piece.photos[k], ps)
        photos.append(photo.model_copy(update={"place": Place(col=span - ps + 1, span=ps, top=top, height=lines),
                                               "flex": 0}))
        top += lines + m.caption_lines(photo, ps) + 2 * CAPTION_GAP
    sidebar = art.sidebar
    if sidebar is not None:
        sidebar = sidebar.model_copy(update={"place": Place(col=1, span=box_span(span), top=head + SIDEBAR_TOP,
                                                            height="auto")})
    return art.model_copy(update={"place": Place(col=1, span=span, top=0, height="auto"), "photos": photos,
                                  "sidebar": sidebar})


def frame_of(plan) -> Frame:
    """The type area the pending articles are placed in, around what the plan places."""
    return Frame(plan.grid.columns, plan.grid.lines, tuple(rect for _label, rect in plan.fixed),
                 tuple(label for label, _rect in plan.fixed))


def top_band(frame: Frame) -> int:
    """The first line under fixed blocks that run across the whole top of the page (a nameplate
    over every column, a nameplate beside a placed 报眼), with the blank line under them; 0 if
    some column is free at the top."""
    return max(0, min(frame.free_top(c, 1) for c in range(frame.columns)))


def below_band(frame: Frame, band: int) -> Frame:
    """The frame of the type area under a top band: lines counted from the band's foot, the
    fixed blocks that reach lower cut at it, those inside it left out."""
    fixed, labels = [], []
    for rect, label in zip(frame.fixed, frame.labels or ("",) * len(frame.fixed)):
        top, end = max(rect.top, band) - band, rect.end - band
        if end > 0:
            fixed.append(GridRect(rect.col, rect.span, top, end - top))
            labels.append(label)
    return Frame(frame.columns, frame.lines - band, tuple(fixed), tuple(labels))


def _lowered(a: Arrangement, band: int) -> Arrangement:
    """An arrangement found under a top band, in page lines."""
    if not band:
        return a
    slots = {k: tuple(replace(s, top=s.top + band) for s in ss) for k, ss in a.slots.items()}
    return replace(a, slots=slots, edges=tuple(e + band for e in a.edges))


def arithmetic_candidates(env, plan, issue, exact=None) -> tuple[list[Piece], Measures, list[Arrangement], int]:
    """The pieces, their measures, the cheapest arrangements by arithmetic and how many were tried.

    ``exact(measures, piece, span, guess)`` composes a piece at a width: the lines it needs. Fixed
    blocks across the whole top of the page (a front page's nameplate) make a band the
    arrangements are searched under, as on a page that many lines shorter."""
    pieces = measure_pieces(env, plan, issue)
    m = Measures(env, plan, issue, pieces, exact)
    band = top_band(frame_of(plan))
    frame = below_band(frame_of(plan), band) if band else frame_of(plan)
    tried = 0
    best: list[Arrangement] = []
    kinds: dict[tuple, Arrangement] = {}
    for a in arrangements(frame, pieces, m):
        tried += 1
        kind = (a.shape[4] == TALL, a.full_head)
        if kind not in kinds or (a.cost, a.name) < (kinds[kind].cost, kinds[kind].name):
            kinds[kind] = a
        best.append(a)
        best.sort(key=lambda x: (x.cost, x.name))
        del best[REAL_CANDIDATES * 3:]
    # Local search: the cheapest arrangements of a few shapes, their articles swapped and moved
    # between the strips while that lowers the cost (the rank order is only where the search starts).
    shapes: list[Arrangement] = []
    for a in best:
        if a.shape not in [s.shape for s in shapes]:
            shapes.append(a)
    for a in shapes[:LOCAL_SHAPES]:
        better, n = _improve(frame, m, pieces[0], a)
        tried += n
        if better is not a:
            best.append(better)
    best.sort(key=lambda x: (x.cost, x.name))
    # The cheapest of each kind of shape (a side strip beside the lead or down to the foot, the
    # lead's head over its columns or across the page) is composed too, improved by swaps: the
    # arithmetic misjudges whole kinds (photos flex and edges move once composed).
    extra = []
    for kind in sorted(kinds):
        a = kinds[kind]
        if not any((b.shape[4] == TALL, b.full_head) == kind for b in best[:REAL_CANDIDATES - len(kinds)]):
            better, n = _improve(frame, m, pieces[0], a)
            tried += n
            extra.append(better)
    best = best[:REAL_CANDIDATES - len(extra)] + extra + best[REAL_CANDIDATES - len(extra):]
    del best[REAL_CANDIDATES * 3:]
    return pieces, m, [_lowered(a, band) for a in best], tried


def _improve(frame: Frame, m: Measures, lead: Piece, start: Arrangement) -> tuple[Arrangement, int]:
    """The arrangement of ``start``'s shape reached by swapping two articles between its strips, or
    moving one to another strip, while the cost falls (steepest descent); and how many were costed."""
    cur, tried = start, 0
    for _round in range(LOCAL_ROUNDS):
        # Neighbours are costed with the lead's foot where it is; the best one then has its
        # edges found again by line search.
        found = None
        for groups in _neighbours(frame, cur):
            for a in _candidates(frame, m, lead, groups, cur.shape, True, (cur.full_head,), cur.edges):
                tried += 1
                if found is None or (a.cost, a.name) < (found.cost, found.name):
                    found = a
        if found is None:
            break
        again = next(_candidates(frame, m, lead, found.groups, cur.shape, True, (cur.full_head,)), found)
        if again.cost < found.cost:
            found = again
        if found.cost >= cur.cost:
            break
        cur = found
    return cur, tried


def _neighbours(frame: Frame, a: Arrangement):
    """The groupings one swap or one move away from ``a``'s (strips of at most three modules,
    strip B never empty, no strip A where the lead's stem runs to the foot)."""
    S, lead_col, side_col, side_w, split, right = a.shape
    groups = [list(g) for g in a.groups]
    flat = [(g, k) for g in range(3) for k in range(len(groups[g]))]
    for x, (gi, i) in enumerate(flat):
        for gj, j in flat[x + 1:]:
            if gi != gj:
                new = [list(g) for g in groups]
                new[gi][i], new[gj][j] = groups[gj][j], groups[gi][i]
                yield tuple(tuple(g) for g in new)
    cap = TALL_STACK if split == TALL else 3
    for gi, i in flat:
        for gj in range(3):
            if gj == gi or len(groups[gj]) >= cap or (gj == 0 and not side_w) or (gj == 1 and split <= 0):
                continue
            new = [list(g) for g in groups]
            new[gj].append(new[gi].pop(i))
            if not new[2] or (not new[0] and side_w and (split == TALL or frame.free_top(side_col, side_w) <= 0)):
                continue
            yield tuple(tuple(g) for g in new)


@dataclass(frozen=True)
class AutoLayout:
    """What the planner chose: the plan (after page-level fit), its edge moves, the articles with
    their places (what ``paiban plan --write`` writes), the arrangement, its cost terms, and how
    many arrangements were costed by arithmetic and composed for real."""

    plan: object
    moves: tuple
    articles: tuple
    arrangement: str
    cost: float
    terms: dict
    tried: int
    composed: int
    notes: tuple[str, ...] = ()
    candidates: tuple[tuple[str, float, float], ...] = ()
    """Each arrangement composed: its name, arithmetic cost and composed cost."""


def auto_layout(plan, issue, env, replan, measure, fit) -> AutoLayout:
    """Place the plan's pending articles: the cheapest arrangement of the family, composed.

    ``replan(articles)`` plans the page again with these articles; ``measure(chain)`` composes a
    chain without frames; ``fit(plan)`` runs page-level fit."""
    def exact(m: Measures, piece: Piece, span: int, guess: int) -> int:
        """The piece composed alone in an auto-height module ``span`` columns wide, photos at their
        natural size under its head: the lines it needs (the guess if it cannot be planned)."""
        art = _alone(piece, issue, span, m)
        try:
            single = replan([art], alone=True)
        except Exception:  # noqa: BLE001 - a width the piece cannot take: keep the arithmetic
            return guess
        result = measure(single.chains[0])
        return result.modules[0].plan.region.bbox.height + (1 if result.fits[0].overset_lines else 0) * guess

    pieces, m, cands, tried = arithmetic_candidates(env, plan, issue, exact)
    if not cands:
        from ..errors import InputError

        raise InputError("the planner found no arrangement of the unplaced articles around the placed ones",
                         hint="give some articles places, or move the placed ones to a side or the top")
    notes: list[str] = []
    seen: list[tuple[str, float, float]] = []
    composed: list[tuple] = []
    for plain in cands[:REAL_CANDIDATES]:  # composed as planned, and with photos widened
        variants = [(plain, placed_articles(issue, pieces, plain, m))]
        wider = placed_articles(issue, pieces, plain, m, widen=True)
        if wider != variants[0][1]:
            variants.append((replace(plain, name=plain.name + " (photos resized)"), wider))
        for cand, articles in variants:
            try:
                trial = replan(articles)
            except Exception as exc:  # noqa: BLE001 - a candidate the planner refuses is skipped, and said
                notes.append(f"arrangement {cand.name!r} was refused: {exc}")
                continue
            cost, _terms = _real_cost(trial, cand, measure, m)
            composed.append((cost, cand.name, cand, trial, articles))
    composed.sort(key=lambda c: (c[0], c[1]))
    best = None
    # Page-level fit for the cheapest as composed, and for the cheapest with the lead's head
    # across the page (no head beside the lead's) when none of those has it: fit moves lines
    # between neighbours, which can cure the overset such a page starts with.
    fitted_set = composed[:FITTED_CANDIDATES]
    if not any(c[2].full_head for c in fitted_set):
        fitted_set += [c for c in composed if c[2].full_head][:1]
    for _cost, _name, cand, trial, articles in fitted_set:  # then page-level fit
        fitted = fit(trial, page_cost=butting_cost)
        cost, terms = _real_cost(fitted.plan, cand, measure, m)
        seen.append((cand.name, cand.cost, cost))
        if best is None or (cost, cand.name) < (best[0], best[1].name):
            best = (cost, cand, terms, fitted, articles)
    if best is None:
        from ..errors import InputError

        raise InputError("no arrangement of the unplaced articles could be planned: " + "; ".join(notes),
                         hint="give some articles places")
    cost, cand, terms, fitted, articles = best
    # A hint the chosen page does not honour is said, never dropped: in the plan's notes, which the
    # fit report and every command's warnings show.
    misses = tuple(f"planner: {n}" for n in hint_misses(cand.slots, pieces, frame_of(plan)))
    final = replace(fitted.plan, notes=tuple(fitted.plan.notes) + misses) if misses else fitted.plan
    return AutoLayout(final, fitted.moves, tuple(_fitted_places(articles, fitted.plan, pieces)), cand.name, cost,
                      terms, tried, len(composed), tuple(notes) + misses, tuple(seen))


def _fitted_places(articles: list[Article], plan, pieces: list[Piece]) -> list[Article]:
    """The planned articles with the places page-level fit left their modules in (an edge moved,
    a foot stepped into an L): what ``plan --write`` writes, so that the written description
    renders the page the planner showed."""
    regions = {c.article: c.modules[0].region for c in plan.chains}
    out = list(articles)
    for p in pieces:
        art = out[p.index]
        region = regions.get(art.id)
        if region is None:
            continue
        rects = [Place(col=b.col + 1, span=b.span, top=b.top, height=b.height) for b in region.bands]
        out[p.index] = art.model_copy(update={"place": rects[0] if len(rects) == 1 else rects})
    return out


def _real_cost(plan, cand: Arrangement, measure, m: Measures) -> tuple[float, dict]:
    """The cost of a composed arrangement: its fill, feet and photo changes measured, its
    hierarchy as planned, its butting heads and seams read from the modules' final places."""
    terms = {k: 0.0 for k in COSTS}
    for k in ("hierarchy", "lead", "hint", "vertical", "narrow"):  # as planned: page-level fit moves no module's columns
        terms[k] = cand.terms.get(k, 0.0)
    depths: dict[str, int] = {}
    for chain in plan.chains:
        result = measure(chain)
        if result.heads:
            depths[chain.article] = result.heads[0].lines or 0
        f = result.fits[0]
        # A flow short of less than a line is still overset (as page-level fit counts it).
        over = sum(g.overset_lines + (1 if g.overset_chars and not g.overset_lines else 0) for g in result.fits)
        terms["overlap"] += result.problems
        terms["overset"] += over
        terms["fill"] += f.underset_lines + over
        terms["foot"] += max(0, f.empty_tail - 1)
        terms["photo"] += result.photo_changes
        terms["strip"] += result.cropped
    terms["butting"] = butting(plan, depths)
    terms["seam"] = seams(plan)
    terms["empty"] = empty_cells(plan)
    return sum(COSTS[k] * v for k, v in terms.items()), terms


def butting_cost(mains: dict, depths: dict) -> float:
    """Page-level fit's cost of a page's heads side by side (碰题), on every page: dearer than
    white in the columns (so edges move apart where the copy lets them), cheaper than overset;
    ``mains``: every main module by label, ``depths``: head depths measured so far."""
    return FIT_BUTTING * butting_modules([(m.article, m) for m in mains.values()], depths)


def new_butting_cost(plan):
    """Page-level fit's cost on a page the description places (``fit_page``'s default): heads
    side by side that a move sets level and the page as written does not have, at
    ``FIT_BUTTING`` a pair — fit never makes a 碰题, and leaves alone the ones the editor set
    (a written plan from ``paiban plan --write`` is fitted as the planner fitted it)."""
    first = [(c.modules[0].article, c.modules[0]) for c in plan.chains]
    had_at: dict[tuple, set] = {}  # the pairs as written, by the head depths measured so far

    def cost(mains: dict, depths: dict) -> float:
        key = tuple(depths.get(a) for a, _m in first)
        if key not in had_at:
            had_at[key] = set(butting_labels(first, depths))
        now = butting_labels([(m.article, m) for m in mains.values()], depths)
        return FIT_BUTTING * sum(1 for pair in now if pair not in had_at[key])

    return cost


def butting(plan, depths: dict[str, int] | None = None) -> int:
    """Pairs of modules side by side whose heads stand at the same height (碰题); ``depths`` gives
    each head's depth in lines as composed (else its planned lines, else 4)."""
    return butting_modules([(c.article, c.modules[0]) for c in plan.chains], depths)


def butting_modules(mains, depths: dict[str, int] | None = None) -> int:
    """Pairs of main modules ((article, module plan) pairs) side by side whose heads stand at the
    same height (碰题); ``depths`` as for ``butting``."""
    return len(butting_labels(mains, depths))


def butting_labels(mains, depths: dict[str, int] | None = None) -> list[tuple[str, str]]:
    """The pairs of articles ``butting_modules`` counts."""
    heads: dict[str, tuple[int, int, int, int]] = {}
    for article, main in mains:
        if main.head is None:
            continue
        head = main.head
        box = main.region.bbox
        band = main.region.bands[0 if main.first_band is None else main.first_band]
        col = box.col + head.col  # the head band's first column
        if head.span < band.span and (head.style == "vertical") == (head.side == "right"):
            col += band.span - head.span  # a 竖题 on the right; a narrow head across with its text on the left
        depth = (depths or {}).get(article) or head.lines or 4
        heads[article] = (col, head.span, box.top + head.top, depth)
    return butting_pairs(heads)


def empty_cells(plan) -> int:
    """Column-lines of the type area no module covers, beyond the one blank line between stacked
    modules that carries their rule (the holes ``compose.page`` reports as empty areas)."""
    g = plan.grid
    regions = [m.region for c in plan.chains for m in c.modules] + [Region((r,)) for _l, r in plan.fixed]
    count = 0
    for c in range(g.columns):
        spans = sorted(s for r in regions for s in r.lines_in(c))
        pos = 0
        for top, end in spans + [(g.lines, g.lines)]:
            if top - pos >= 2:
                count += top - pos
            pos = max(pos, end)
    return count


def seams(plan) -> int:
    """Gutters running the whole height and blank lines running the whole width of the type area."""
    g = plan.grid
    regions = [m.region for c in plan.chains for m in c.modules]
    regions += [Region((rect,)) for label, rect in plan.fixed if label == "masthead"]
    rects = [band for r in regions for band in r.bands]
    count = 0
    for col in range(1, g.columns):  # a vertical gutter no module bridges
        if not any(r.col < col < r.right for r in rects):
            count += 1
    feet = [{end for r in regions for _top, end in r.lines_in(c)} for c in range(g.columns)]
    for line in range(1, g.lines - 1):  # a line every column's modules end just above
        if all(line in f for f in feet):
            count += 1
    return count


__all__ = [
    "COSTS",
    "Arrangement",
    "AutoLayout",
    "Measures",
    "Piece",
    "arithmetic_candidates",
    "auto_layout",
    "butting",
    "empty_cells",
    "placed_articles",
    "seams",
]
