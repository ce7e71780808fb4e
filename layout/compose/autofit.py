"""Auto-fit inside a module: photo heights that fill it.

Owns ``Layout`` (a main module measured on its local grid: region, text columns in tiers, the
story's units, the head block, photos, sidebar) with the geometry auto-fit varies — obstacles,
free column slots, where a photo sits for given heights — and ``auto_fit``, the search over
photo heights (within each photo's ``flex``) ranked by arithmetic before the best few are
flowed for real. Heads are never padded to fill a module: a head block is its natural depth
(R9); what is left over is underset, for page-level fit (``arrange.pagefit``) to take. Also the
collision check of blocks in a module and the words the fit report uses for what auto-fit did.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..plan.geometry import GridRect, Region
from ..plan.planner import MIN_PHOTO_LINES
from . import flow as F

CAPTION_GAP_LINES = 1
"""White lines between a photo block (image + caption) and body text below or above it."""

FIT_EVALUATIONS = 20
"""Full flows tried by auto-fit, among the candidates whose capacity best matches the copy."""

FIT_AFTER_FIRST = 3
"""Fitting candidates auto-fit compares before it stops (more slack only adds white)."""

SHORT_SEGMENT_LINES = 3
"""A column segment of fewer lines than this, cut off by a photo block (above or below it), is
a short segment: a line or two of text stranded beside a picture. Auto-fit prefers photo
heights that make none, after overset and white at the feet beyond two lines (``_key``)."""


@dataclass(frozen=True)
class Candidate:
    """One flow of the story: photo heights, and what came of it.

    ``results``/``slots`` hold one entry per module of the chain; ``bottom`` is the main
    module's last line (exclusive) as balanced.
    """

    heights: tuple[int, ...]
    bottom: int
    results: tuple[F.FlowResult, ...]
    slots: tuple[list[F.Slot], ...]
    capacity: int
    used: int
    tail: int
    overset_lines: int
    overset_chars: int
    cursors: tuple = ()

    @property
    def placed(self) -> tuple[F.FlowResult, ...]:
        """The flow result of each module."""
        return self.results


@dataclass(frozen=True)
class Layout:  # not slotted: ``end`` is cached on the instance
    """A main module measured on its local grid, with the geometry auto-fit varies."""

    region: Region
    columns: list
    units: list
    head: object
    photos: tuple
    sidebar: object
    auto: bool
    floor: int

    @cached_property
    def end(self) -> int:
        """The module's last line (exclusive) before balancing: its region's foot."""
        return self.region.bbox.end

    def photo_top(self, spec, height: int, bottom: int | None = None) -> int:
        """Where a photo starts: its given line, or (``top: bottom``) on the foot of its columns
        (in an L, the foot of the part it stands in) with its caption on the last lines."""
        if spec.top is None:
            foot = self.foot(spec.plan.col, spec.plan.span) if bottom is None else bottom
            return foot - height - len(spec.caption)
        return spec.top

    def foot(self, col: int, span: int) -> int:
        """The line below the region in columns ``col``..``col + span − 1`` (their highest foot)."""
        if len(self.region.bands) == 1:
            return self.end
        return min(max((end for _top, end in self.region.lines_in(c)), default=0) for c in range(col, col + span))

    def photo_fits(self, spec, height: int) -> bool:
        """True when the photo and its caption stay inside the module's region and clear of its head."""
        top = self.photo_top(spec, height)
        if top < 0 or top + height + len(spec.caption) > self.end:
            return False
        head = self.head
        if head is not None and top < head.floor and spec.x < head.x + head.w - 0.5 and head.x < spec.x + spec.w - 0.5:
            return False
        block = GridRect(spec.plan.col, spec.plan.span, top, height + len(spec.caption))
        return len(self.region.bands) == 1 or self.region.contains(block)

    def fitting(self, spec, heights) -> tuple[int, ...]:
        """The heights in ``heights`` for which ``photo_fits`` holds (the foot found once)."""
        end, cap = self.end, len(spec.caption)
        head = self.head
        beside = head is None or not (spec.x < head.x + head.w - 0.5 and head.x < spec.x + spec.w - 0.5)
        floor = 0 if beside else max(0, head.floor)
        if len(self.region.bands) != 1:  # an L: the block must lie in the region too
            foot = self.foot(spec.plan.col, spec.plan.span) if spec.top is None else None
            out = []
            for h in heights:
                top = spec.top if foot is None else foot - h - cap
                if top >= floor and top + h + cap <= end and self.region.contains(
                        GridRect(spec.plan.col, spec.plan.span, top, h + cap)):
                    out.append(h)
            return tuple(out)
        if spec.top is None:  # on the foot of a rectangle: the block ends at the module's end
            return tuple(h for h in heights if end - h - cap >= floor)
        if spec.top < floor:
            return ()
        return tuple(h for h in heights if spec.top + h + cap <= end)

    def photos_clear(self, heights: tuple[int, ...]) -> bool:
        """True when no two photo blocks (image and caption) of these heights overlap."""
        blocks = []
        for spec, h in zip(self.photos, heights):
            top = self.photo_top(spec, h)
            blocks.append((spec.plan.col, spec.plan.col + spec.plan.span, top, top + h + len(spec.caption)))
        return not any(a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]
                       for i, a in enumerate(blocks) for b in blocks[i + 1:])

    def photo_blocks(self, heights: tuple[int, ...]) -> list[tuple[float, float, int, int]]:
        """Each photo's block (x0, x1, line0, line1) at these heights: image, caption and the white
        lines around them that text keeps clear of."""
        out = []
        for spec, h in zip(self.photos, heights):
            p_top = self.photo_top(spec, h)
            above = CAPTION_GAP_LINES if p_top > 0 else 0
            out.append((spec.x, spec.x + spec.w, p_top - above, p_top + h + len(spec.caption) + CAPTION_GAP_LINES))
        return out

    def obstacles(self, heights: tuple[int, ...]) -> list[tuple[float, float, int, int]]:
        """Rectangles (x0, x1, line0, line1) the text must not enter."""
        out: list[tuple[float, float, int, int]] = []
        head = self.head
        if head is not None:  # a head keeps its columns (a vertical head its strip) for its own depth
            floor = head.floor
            if head.owns_strip and 0 < self.end - floor < SHORT_SEGMENT_LINES:
                floor = self.end  # a line or two under a 竖题 stays white, never stranded text
            out.append((head.x, head.x + head.w, head.top, floor))
        out += self.photo_blocks(heights)
        sb = self.sidebar
        if sb is not None:
            g = sb.group
            out.append((g.x, g.x + g.w, self._sidebar_top(), self._sidebar_top() + sb.rows))
        return out

    def _sidebar_top(self) -> int:
        return self.sidebar.top

    def slots(self, obstacles) -> tuple[list[F.Slot], int, int, int]:
        """Free slots in reading order, the index of the balanced tier's first slot, and the
        range [low, high] the foot of its columns may be balanced in."""
        slots: list[F.Slot] = []
        limit_from = 0
        for i, tier in enumerate(self.columns):
            if i == len(self.columns) - 1:
                limit_from = len(slots)
            for x, w, top, end in tier:
                slots.extend(F.free_segments([(x, w)], top, end, obstacles))
        last = self.columns[-1]
        top, end = min(t for _x, _w, t, _e in last), max(e for _x, _w, _t, e in last)
        if self.auto:
            low = max([1, min(self.floor, end)] + [o[3] for o in obstacles if o[3] <= end and o[3] != end])
            return slots, limit_from, low, end
        return slots, limit_from, top + 1, end

    def weights(self) -> list[int]:
        """Column slots a line of each photo takes from the text."""
        cols = sorted({x for tier in self.columns for x, _w, _t, _e in tier})
        width = {x: w for tier in self.columns for x, w, _t, _e in tier}

        def span_cols(x0: float, w: float) -> int:
            return sum(1 for cx in cols if cx < x0 + w - 0.5 and cx + width[cx] > x0 + 0.5)

        return [span_cols(p.x, p.w) for p in self.photos]

    def adjustments(self, best: Candidate) -> tuple[str, ...]:
        """What auto-fit changed, in the fit report's words."""
        out: list[str] = []
        for spec, h in zip(self.photos, best.heights):
            if h != spec.height:
                sign = "+" if h > spec.height else ""
                out.append(f"photo {spec.plan.source} {sign}{h - spec.height} lines (flex ±{spec.plan.flex})")
        return tuple(out)

    def collisions(self, best: Candidate, article: str, line0: int) -> list[str]:
        """Warnings for blocks placed on top of each other (lines given on the page)."""
        bottom = best.bottom if self.auto else None  # None: each photo on the foot of its columns
        region = self.region.with_end(best.bottom) if self.auto else self.region
        blocks: list[tuple[str, float, float, int, int]] = []
        head = self.head
        if head is not None:
            blocks.append(("the headline", head.x, head.x + head.w, head.top, head.floor))
        for spec, h in zip(self.photos, best.heights):
            top = self.photo_top(spec, h, bottom)
            blocks.append((f"photo {spec.plan.source}", spec.x, spec.x + spec.w, top, top + h + len(spec.caption)))
        sb = self.sidebar
        if sb is not None:
            g = sb.group
            blocks.append(("the sidebar", g.x, g.x + g.w, sb.top, sb.top + sb.rows))
        out: list[str] = []
        for spec, h in zip(self.photos, best.heights):
            top = self.photo_top(spec, h, bottom)
            block = GridRect(spec.plan.col, spec.plan.span, top, h + len(spec.caption))
            if not region.contains(block):
                out.append(f"article {article}: photo {spec.plan.source} with its caption (lines {line0 + top}–"
                           f"{line0 + block.end - 1}) runs out of its module; make it smaller or move it")
        for i, (na, ax0, ax1, at, ab) in enumerate(blocks):
            for nb, bx0, bx1, bt, bb in blocks[i + 1:]:
                if ax0 < bx1 - 0.5 and bx0 < ax1 - 0.5 and at < bb and bt < ab:
                    out.append(f"article {article}: {nb} overlaps {na} (lines {line0 + max(at, bt)}–"
                               f"{line0 + min(ab, bb) - 1}); move it or change the module")
        return out


def auto_fit(layout: Layout, run: Callable[[tuple[int, ...]], Candidate], budget: int = FIT_EVALUATIONS) -> Candidate:
    """Choose photo heights (within each photo's flex) that fill the module.

    Capacity is linear in the heights (a photo over k columns gives k line slots per line), so
    candidates are ranked by arithmetic first and only the best few are flowed for real. The
    winner has no overset, then the least white at the columns' foot, then the fewest changes.
    ``budget`` bounds the flows tried (a planner measuring many regions asks for few).
    """
    base = tuple(p.height for p in layout.photos)
    flexes = [p.plan.flex for p in layout.photos]
    first = run(base)
    if not any(flexes):
        return first
    weights = layout.weights()
    need = sum(u.n - u.top_white for u in layout.units)
    # Each photo's heights that keep it inside the module, then every combination of them.
    # … never taller than the photo's pixels print at the minimum resolution (unless the editor's
    # own height already is: that is theirs to change, and reported when it is drawn).
    allowed = [layout.fitting(spec, sorted({max(MIN_PHOTO_LINES, h0 + d) for d in range(-f, f + 1)
                                            if spec.tallest is None or h0 + d <= max(h0, spec.tallest)}))
               or (h0,)
               for spec, h0, f in zip(layout.photos, base, flexes)]
    # Capacity is first.capacity − D (D: the column-lines the photos' changes take), so the
    # slack of a combination is ``first.capacity − need − D``. One candidate per capacity (the
    # one with the fewest changes), smallest slack first: the copy's real need exceeds the
    # arithmetic one by the white that keep-with-next leaves, so trying capacities one by one
    # finds the tightest fit in a few flows.
    slack0 = first.capacity - need
    per_capacity = _per_capacity(tuple(zip(base, weights, allowed)), _clashes(layout, allowed))
    ranked = sorted(per_capacity, key=lambda t: (slack0 - t[0] < 0, abs(slack0 - t[0])))
    best = first
    best_key = _key(first, layout.auto, 0, short_segments(layout, first), strip_lines(layout, base))
    fitted = 0
    for _taken, changes, heights in ranked[:budget]:
        cand = run(heights)
        short = short_segments(layout, cand)
        key = _key(cand, layout.auto, changes, short, strip_lines(layout, heights))
        if key < best_key:
            best_key, best = key, cand
        if cand.overset_lines == 0:
            fitted += 1
            if fitted >= FIT_AFTER_FIRST or (cand.tail <= 1 and not short):
                break
    if best_key[0] > 0:
        # Auto-fit cannot make the copy fit: keep the page as designed and report the overset,
        # rather than squeezing photos for nothing.
        return first
    return best


PER_CAPACITY_MEMO = 512
"""Photo-height searches remembered per process: page-level fit and automatic layout compose a
module in many regions whose photos allow the same heights (a value key; pure arithmetic)."""


def _clashes(layout: Layout, allowed: list[tuple[int, ...]]) -> tuple:
    """For each pair of photos sharing a column, the pairs of indices into their ``allowed``
    heights whose blocks (image and caption) overlap: what ``Layout.photos_clear`` refuses."""
    photos = layout.photos
    out = []
    for i, j in itertools.combinations(range(len(photos)), 2):
        a, b = photos[i].plan, photos[j].plan
        if not (a.col < b.col + b.span and b.col < a.col + a.span):
            continue  # side by side: never on top of each other, whatever their heights
        rows_a = [_lines(layout, photos[i], h) for h in allowed[i]]
        rows_b = [_lines(layout, photos[j], h) for h in allowed[j]]
        out.append((i, j, frozenset((m, n) for m, (ta, ea) in enumerate(rows_a)
                                    for n, (tb, eb) in enumerate(rows_b) if ta < eb and tb < ea)))
    return tuple(out)


def _lines(layout: Layout, spec, height: int) -> tuple[int, int]:
    top = layout.photo_top(spec, height)
    return top, top + height + len(spec.caption)


@lru_cache(maxsize=PER_CAPACITY_MEMO)
def _per_capacity(photos: tuple, clashes: tuple) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    """Every column-line total D the photos' height changes can take from the text, with the
    heights that take it in the fewest changed lines (the first in ``itertools.product`` order
    on a tie), as (D, changes, heights); ``photos`` holds (height, weight, allowed heights).

    The same choice as ranking every combination by (slack, changes) and keeping the first per
    capacity, in a few operations per combination."""
    deltas = [[(h - h0) * k for h in hs] for h0, k, hs in photos]
    changes = [[abs(h - h0) for h in hs] for h0, _k, hs in photos]
    best: dict[int, tuple[int, tuple[int, ...]]] = {}
    for combo in itertools.product(*(range(len(hs)) for _h0, _k, hs in photos)):
        if clashes and any((combo[i], combo[j]) in bad for i, j, bad in clashes):
            continue
        taken = sum(d[c] for d, c in zip(deltas, combo))
        changed = sum(n[c] for n, c in zip(changes, combo))
        held = best.get(taken)
        if held is None or changed < held[0]:
            best[taken] = (changed, combo)
    return tuple((taken, changed, tuple(hs[c] for (_h0, _k, hs), c in zip(photos, combo)))
                 for taken, (changed, combo) in best.items())


def short_segments(layout: Layout, cand: Candidate) -> int:
    """Column segments of the main module under ``SHORT_SEGMENT_LINES`` lines that a photo block
    of these heights cuts off (the segment ends where the block starts or starts where it ends)."""
    blocks = layout.photo_blocks(cand.heights)
    if not blocks or not cand.slots:
        return 0
    return sum(1 for s in cand.slots[0] if 0 < s.size < SHORT_SEGMENT_LINES
               and any(x0 < s.x + s.w - 0.5 and s.x < x1 - 0.5 and (t == s.end or e == s.first)
                       for x0, x1, t, e in blocks))


def strip_lines(layout: Layout, heights) -> int:
    """Lines the photos at ``heights`` stand shorter than their ``PhotoSpec.shortest`` — strips
    cut from their pictures — below the height the plan gave them (an editor's own short height is
    theirs)."""
    return sum(max(0, min(spec.shortest, spec.height) - h)
               for spec, h in zip(layout.photos, heights) if spec.shortest is not None)


def _key(cand: Candidate, auto: bool, changes: int, short: int = 0, strips: int = 0) -> tuple[int, ...]:
    """Overset first, then photos cut to strips (``strip_lines``), white at the feet beyond
    two lines, short segments beside photos (a line or two stranded between photos is worse than a
    second line of white at a foot; a trial's lead had one), white beyond one line, then the white
    at the feet, the slack (a fixed-height module) and the lines changed."""
    return (cand.overset_lines, strips, max(0, cand.tail - 2), short, max(0, cand.tail - 1), cand.tail,
            (cand.capacity - cand.used) if not auto else 0, changes)
