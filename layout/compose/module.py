"""Modules: one story composed through its chain of modules, each in its own coordinates.

Owns the layout of a story in its modules (a rectangle or an L, then any continuations, 续排):
the head block over the widest band, photos and the sidebar as obstacles in the module's
columns, the column slots left free, the flow of the story's units through them in reading
order (from the head's band down each column, columns left to right), balancing of the last tier
of the last module, auto-fit of photo heights (``autofit``), warnings for
blocks placed on each other, and the frame group of each module, composed on the local grid
(origin at the module's top-left corner) and placed on the page by translation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..frames import Group
from ..plan.geometry import Region
from ..plan.grid import Grid
from ..plan.types import Chain, ModulePlan
from . import blocks as B
from . import boxes as BX
from . import flow as F
from .autofit import Candidate, Layout, auto_fit, strip_lines
from .env import Env
from .fitreport import FitEntry, fit_entry
from .headline import head_rows
from .heads import HeadBlock, head_group, measure_head
from .story import Story


@dataclass(frozen=True)
class ModuleResult:
    """A composed module: its final plan (an auto height cut to its content) and its group."""

    plan: ModulePlan
    group: Group


@dataclass(frozen=True)
class ChainResult:
    """A composed story: its modules, copy-fit rows and warnings."""

    modules: tuple[ModuleResult, ...]
    fits: tuple[FitEntry, ...]
    warnings: tuple[str, ...] = ()
    cursors: tuple = ()
    """Where the copy stood after each module (a ``story.Cursor``; None once all of it is set)."""
    photo_changes: int = 0
    """Lines auto-fit added to or took from the main module's photos, all together."""
    heads: tuple = ()
    """The head's rows per part (``headline.HeadRow``), as ``paiban validate`` lists them."""
    problems: int = 0
    """Blocks placed on each other or running out of the module (each also a warning)."""
    cropped: int = 0
    """Lines the main module's photos stand shorter than shows half their picture (``strip_lines``)."""


@dataclass(frozen=True)
class PhotoSpec:
    """A photo measured for the module: its x and width (pt), top (None: on the foot), height and caption."""

    plan: object
    x: float
    w: float
    top: int | None
    height: int
    caption: tuple
    tallest: int | None = None
    """The most lines the photo may stand at the print minimum (``photos.ERROR_PPI``) for its
    pixels, or None when they are not known: auto-fit never grows it past them."""
    shortest: int | None = None
    """The fewest lines the photo stands showing ``1 − STRIP_CROP`` of its picture's height (None
    when its pixels are not known): shorter is a strip, which auto-fit makes only to avoid overset
    and which page-level fit and the planner charge (``ChainResult.cropped``)."""


def text_columns(grid: Grid, region: Region, split: int | None = None,
                 first: int | None = None) -> list[list[tuple[float, float, int, int]]]:
    """The text columns of a local region as tiers of (x, width, first line, end line).

    Text starts in the band the head sits over (``first``; default the widest) and runs down
    each column from there through the bands below it, columns left to right, so a column
    that goes on into the stem of an inverted L is one column (倒L: the long columns first,
    then the short ones beside the notch). Columns above the head's band (an L whose wide foot
    holds the head) come after, as a second tier. ``split`` sets a rectangle in that many
    equal columns (破栏).
    """
    box = region.bbox
    if split:
        band = region.bands[0]
        return [[(x, w, band.top, band.end)
                 for x, w in grid.split(grid.col_x(band.col), grid.span_chars(band.span), split)]]
    start = region.bands[region.widest if first is None else first].top
    lower, upper = [], []
    for col in range(box.col, box.right):
        for top, end in region.lines_in(col):
            if end > start:
                lower.append((grid.col_x(col), grid.col_w, max(top, start), end))
            if top < start:
                upper.append((grid.col_x(col), grid.col_w, top, min(end, start)))
    return [tier for tier in (lower, upper) if tier]


MEASURE_FLOWS = 3
"""Flows auto-fit may try when a chain is only measured (``frames=False``)."""


def compose_chain(env: Env, chain: Chain, limit_lines: int | None = None, *, frames: bool = True) -> ChainResult:
    """Compose a story through its modules; ``limit_lines`` bounds an auto sidebar (page lines).

    With ``frames=False`` only the fit is measured (the modules' groups are None, auto-fit
    tries at most ``MEASURE_FLOWS`` photo heights): what a planner trying regions asks for."""
    main = chain.modules[0]
    g = env.grid.local()
    warnings: list[str] = []
    region = main.region.local()
    columns = text_columns(g, region, main.columns, main.first_band)
    columns = BX.inner_columns(g, main, columns, chain.story.body_size)  # box, tag, own body size
    measure = columns[0][0][1]
    story = env.memo(("story", chain.story), lambda: Story(env, chain.story))
    units = story.units(measure)
    layout = _measure(env, g, main, region, columns, units, warnings, limit_lines)
    conts = [_continuation(g, m) for m in chain.modules[1:]]
    best = auto_fit(layout, lambda heights: _run(layout, story, conts, heights, lines=frames),
                    **({} if frames else {"budget": MEASURE_FLOWS}))
    clashes = layout.collisions(best, main.article, main.region.bbox.top)
    clashes += _head_out(g, region, layout.head, main.article)
    warnings.extend(clashes)
    group = _main_group(env, g, main, layout, best) if frames else None
    results = [ModuleResult(_final_plan(main, layout, best), group)]
    for module, placed in zip(chain.modules[1:], best.placed[1:]):
        results.append(ModuleResult(module, _text_group(env, g, module, placed) if frames else None))
    fits = [fit_entry(chain.article, best.capacity, best.used, best.overset_lines, best.overset_chars,
                      sum(u.chars for u in units), best.tail, layout.adjustments(best),
                      chars_per_line=measure / g.em, reasons=tuple(_reasons(g, layout, best)),
                      held=_held_paragraphs(layout, best) if best.tail > 1 and not best.overset_lines else ())]
    if layout.sidebar is not None:
        fits.append(layout.sidebar.fit)
        warnings.extend(layout.sidebar.warnings)
    warnings.extend(story.warnings)
    changes = sum(abs(h - p.height) for h, p in zip(best.heights, main.photos))
    heads = tuple(head_rows(layout.head.block, main.article)) if layout.head is not None else ()
    return ChainResult(tuple(results), tuple(fits), tuple(warnings), best.cursors, changes, heads, len(clashes),
                       strip_lines(layout, best.heights))


def _head_out(g: Grid, region: Region, head, article: str) -> list[str]:
    """A head drawn below its module's foot in its columns (a 竖题 whose module a move made too
    short for it, by as little as a millimetre): a problem, as blocks over each other are, so
    page-level fit, the planner and the suggestions never choose it (the page's overflow check
    reports it when it is drawn)."""
    if head is None:
        return []
    box = region.bbox
    cols = [c for c in range(box.col, box.right)
            if g.col_x(c) < head.x + head.w - 0.5 and head.x < g.col_x(c) + g.col_w - 0.5]
    ends = [max((end for _top, end in region.lines_in(c)), default=0) for c in cols]
    if not ends:
        return []
    foot = g.line_bottom(min(ends) - 1)
    below = head.gy + head.block.height - foot
    if below <= 0.5:
        return []
    return [f"article {article}: its head reaches {below * 25.4 / 72:.0f} mm below the module; "
            "make the module deeper or the head smaller"]


def _kept(unit) -> str:
    """How the reasons name a unit kept with its first lines: a subhead, or a brief's run-in title
    (a paragraph kept whole at its start), quoted as an editor would, clause gaps as spaces."""
    text = (unit.lines[0][1].text if unit.lines else "").replace("\u3000", " ").strip()
    if len(text) > 16:
        text = text[:15] + "…"
    subhead = any(str(kind).startswith("subhead") for _off, _line, kind in unit.lines)
    return f"the subhead “{text}”" if subhead else f"the paragraph “{text}”"


STRIP_CROP = 0.5
"""A photo auto-fit sets showing less than ``1 − STRIP_CROP`` of its picture's height is a strip."""


def _px(env: Env, photo) -> tuple[int, int] | None:
    """The photo's pixel size, or None when it is not known here."""
    px = photo.px
    if px is None and env.prepare is not None and not env.draft:
        try:
            px = env.prepare(photo).px
        except Exception:  # noqa: BLE001 - an unreadable photo is reported where it is drawn
            return None
    return px or None


def _tallest(env: Env, g: Grid, photo) -> int | None:
    """The most lines ``photo`` may stand before its pixels print below ``WARN_PPI`` (a box
    filled by the image: its height alone bounds the resolution once the box is taller than the
    image's shape), or None when its pixels are not known here: auto-fit never grows a photo to
    where it would print soft."""
    from .photos import WARN_PPI

    px = _px(env, photo)
    if px is None:
        return None
    return max(1, math.floor(g.block_lines(px[1] / WARN_PPI * 72.0)))


def _shortest(env: Env, g: Grid, photo) -> int | None:
    """The fewest lines ``photo`` stands at its width showing ``1 − STRIP_CROP`` of its picture's
    height (``PhotoSpec.shortest``), or None when its pixels are not known here."""
    px = _px(env, photo)
    if px is None:
        return None
    shown = g.span_w(photo.span) * px[1] / px[0] * (1 - STRIP_CROP)
    return max(1, math.ceil(g.block_lines(shown) - 1e-9))


def _measure(env: Env, g: Grid, main: ModulePlan, region: Region, columns, units, warnings, limit_lines) -> Layout:
    """Measure the head, photos and sidebar of the main module on its local grid."""
    box = region.bbox
    head_band = region.bands[region.widest if main.first_band is None else main.first_band]
    head: HeadBlock | None = None
    floor = 1
    if main.head is not None:
        depth = box.end - main.head.top
        # Only a vertical head depends on the module's depth (``measure_head``): other heads are
        # measured once per band, however many heights page-level fit tries.
        key_depth = depth if main.head.style == "vertical" else None
        head = env.memo(("head", main.head, head_band.col, head_band.span, key_depth, main.article),
                        lambda: measure_head(env, g, main.head, g.col_x(head_band.col), g.span_w(head_band.span),
                                             head_band.span, depth, main.article, main.index))
        warnings.extend(head.block.warnings)
        floor = head.floor
        if head.owns_strip and head.floor > box.end:
            warnings.append(f"article {main.article}: the vertical head needs {head.lines} lines, "
                            f"more than the module's {box.height}")
        elif not head.owns_strip and not main.auto and head.floor >= box.end:
            warnings.append(f"article {main.article}: the headline block needs {head.lines} lines, "
                            f"the module has {box.height}: shorten the head or enlarge the module")
    photos = tuple(PhotoSpec(p, g.col_x(p.col), g.span_w(p.span), p.top, p.height,
                             env.memo(("caption", p), lambda p=p: B.caption_lines(env, p, g.span_w(p.span))),
                             env.memo(("tallest", p), lambda p=p: _tallest(env, g, p)),
                             env.memo(("shortest", p), lambda p=p: _shortest(env, g, p)))
                   for p in main.photos)
    sidebar = None
    if main.sidebar is not None:
        limit = box.end  # an auto-height box ends at its module's foot at the latest
        sidebar = env.memo(("sidebar", main.sidebar, main.article, limit),
                           lambda: B.sidebar(env, g, main.sidebar, main.article, limit))
    return Layout(region=region, columns=columns, units=units, head=head,
                  photos=photos, sidebar=sidebar, auto=main.auto, floor=floor)


def _reasons(g: Grid, layout: Layout, best) -> list[str]:
    """Why a module keeps white it could have filled, in the editor's words."""
    out: list[str] = []
    res, slots = best.results[-1], best.slots[-1]
    units = layout.units if len(best.results) == 1 else None
    col_of = {x: n + 1 for n, x in enumerate(sorted({s.x for s in slots}))}
    if best.overset_lines and units is not None:
        for i, slot in enumerate(slots[:-1]):
            white = slot.size - res.used.get(i, 0)
            nxt = res.starts.get(i + 1)
            if white <= 0 or nxt is None or nxt >= len(units) or nxt == res.starts.get(i):
                continue
            unit = units[nxt]
            where = f"{white} line{'s' if white > 1 else ''} at the foot of column {col_of[slot.x]} stay white"
            if unit.keep:
                out.append(f"{_kept(unit)} is kept with its text: {where}")
            elif unit.n - unit.top_white > white:
                out.append(f"a block of {unit.n - unit.top_white} lines does not fit: {where}")
    if best.tail > 1 and not best.overset_lines and units is not None:
        # White left above a column's foot because what comes next could not start there (a
        # subhead kept with its first lines, a block that does not split): more copy at the end
        # does not fill it.
        for col, white, nxt in _held(layout, best):
            unit = units[nxt]
            where = f"{white} lines at the foot of column {col} stay white"
            if unit.keep:
                out.append(f"{_kept(unit)} is kept with its text: {where}")
            else:
                out.append(f"a block of {unit.n - unit.top_white} lines does not fit: {where}")
        high = max((s.end for s in slots), default=best.bottom)
        if not layout.auto and best.bottom < high:
            gap = high - best.bottom
            out.append(f"balanced: the copy is {best.capacity - best.used} column-lines short, so every column "
                       f"ends about {gap} line{'s' if gap > 1 else ''} above the module's foot")
    short = [s for s in slots if 0 < s.size < 3]
    if short and (best.overset_lines or best.tail > 1):
        out.append(f"{len(short)} column segment(s) of 1–2 lines beside a photo, box or head hold little text")
    if best.tail > 1 and not best.overset_lines:
        for spec, h in zip(layout.photos, best.heights):
            if spec.plan.flex and h >= spec.height + spec.plan.flex:
                out.append(f"photo {spec.plan.source} is at its largest ({h} lines, flex ±{spec.plan.flex})")
            elif not spec.plan.flex:
                out.append(f"photo {spec.plan.source} has no flex to grow into the white")
        if not layout.photos:
            out.append("no photo to flex: the copy is short of the module")
    if best.overset_lines:
        for spec, h in zip(layout.photos, best.heights):
            if h <= max(3, spec.height - spec.plan.flex):
                out.append(f"photo {spec.plan.source} is at its smallest ({h} lines, flex ±{spec.plan.flex})")
    return out


def _held(layout: Layout, best) -> list[tuple[int, int, int]]:
    """White held above a column's foot (more than one line) because the unit that comes next
    could not start there — a subhead kept with its text, a block that does not split — as
    (column from 1, white lines, index of that next unit); a story in one module only."""
    if len(best.results) != 1:
        return []
    res, slots, units = best.results[-1], best.slots[-1], layout.units
    col_of = {x: n + 1 for n, x in enumerate(sorted({s.x for s in slots}))}
    out = []
    for i, slot in enumerate(slots[:-1]):
        nxt = res.starts.get(i + 1)
        white = min(slot.end, best.bottom) - slot.first - res.used.get(i, 0)
        if white <= 1 or nxt is None or nxt >= len(units) or nxt == res.starts.get(i):
            continue
        unit = units[nxt]
        if unit.keep or unit.n - unit.top_white > white:
            out.append((col_of[slot.x], white, nxt))
    return out


def _held_paragraphs(layout: Layout, best) -> tuple[tuple[int, int, int], ...]:
    """``_held`` as (column, white lines, block index of the paragraph that ends above the
    white) where a paragraph of the copy ends there: lengthening it fills the white."""
    out = []
    for col, white, nxt in _held(layout, best):
        before = layout.units[nxt - 1] if nxt > 0 else None
        if before is not None and before.para >= 0 and before.para != layout.units[nxt].para:
            out.append((col, white, before.para))
    return tuple(out)


def _continuation(g: Grid, module: ModulePlan) -> tuple[list[F.Slot], float]:
    """The free column slots of a continuation module (basic columns, no obstacles) and its measure."""
    slots: list[F.Slot] = []
    for tier in text_columns(g, module.region.local()):
        for x, w, top, end in tier:
            slots.extend(F.free_segments([(x, w)], top, end, []))
    return slots, g.col_w


def _run(layout: Layout, story: Story, conts: list[tuple[list[F.Slot], float]],
         heights: tuple[int, ...], lines: bool = True) -> Candidate:
    """Flow the story with these photo heights; measure the result (``lines=False``: only
    measure, no line placed)."""
    obstacles = layout.obstacles(heights)
    main_slots, limit_from, low, high = layout.slots(obstacles)
    units = layout.units
    if not conts:
        bottom, res = F.balance(units, main_slots, 0, low, high, limit_from=limit_from, lines=lines)
        if layout.auto:
            capacity = sum(max(0, min(s.end, bottom) - s.first) for s in main_slots)
            tail = _tail(res, main_slots, bottom, 0)
        else:
            capacity = sum(s.size for s in main_slots)
            tail = _tail(res, main_slots, high, limit_from)
        return Candidate(heights, bottom, (res,), (main_slots,), capacity, sum(res.used.values()),
                         tail, res.overset_lines, res.overset_chars, (story.cursor_at(units, res.cursor),))
    return _run_chain(layout, story, conts, heights, main_slots, high, lines)


def _run_chain(layout: Layout, story: Story, conts, heights, main_slots, high, lines: bool = True) -> Candidate:
    """Flow a story through its main module and continuations; only the last is balanced.

    When a continuation has another measure, the story is broken anew from the cursor."""
    units, measure = layout.units, layout.columns[0][0][1]
    results = [F.distribute(units, main_slots, lines=lines)]
    tails = [_tail(results[0], main_slots, 10 ** 9, 0)]
    cursors = [story.cursor_at(units, results[0].cursor)]
    index = results[0].cursor
    for k, (slots, width) in enumerate(conts):
        if abs(width - measure) > 0.01:
            cursor = story.cursor_at(units, index)
            units = story.units_from(width, cursor) if cursor is not None else []
            index, measure = 0, width
        if k < len(conts) - 1:
            res = F.distribute(units, slots, index, lines=lines)
            tails.append(_tail(res, slots, 10 ** 9, 0))
        else:
            lo, hi = min(s.first for s in slots) + 1, max(s.end for s in slots)
            bottom, res = F.balance(units, slots, index, lo, hi, lines=lines)
            tails.append(_tail(res, slots, bottom, 0))
        results.append(res)
        cursors.append(story.cursor_at(units, res.cursor))
        index = res.cursor
    all_slots = (main_slots, *(slots for slots, _w in conts))
    capacity = sum(s.size for slots in all_slots for s in slots)
    used = sum(sum(r.used.values()) for r in results)
    return Candidate(heights, high, tuple(results), all_slots, capacity, used, max(tails),
                     res.overset_lines, res.overset_chars, tuple(cursors))


def _tail(res: F.FlowResult, slots: list[F.Slot], bottom: int, limit_from: int = 0) -> int:
    """Largest run of empty lines at the foot of a column (how far the module is from filled).

    ``bottom`` bounds the slots from ``limit_from`` on (the balanced band)."""
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


def _final_plan(main: ModulePlan, layout: Layout, best: Candidate) -> ModulePlan:
    """The main module's plan as composed: an auto height ends where its content does."""
    if not main.auto:
        return main
    return replace(main, region=main.region.with_end(main.region.bbox.top + best.bottom))


def _main_group(env: Env, g: Grid, main: ModulePlan, layout: Layout, best: Candidate) -> Group:
    """The main module's group: box and tag, head, body lines, photos with captions, sidebar."""
    items: list = BX.box_items(g, main) + BX.tag_items(env, g, main)
    if layout.head is not None:
        items.append(head_group(layout.head, main.article))
    for placed in best.results[0].placed:
        items.append(env.line_frame(g, placed.text, placed.x, placed.line, placed.kind))
    bottom = best.bottom if layout.auto else layout.region.bbox.end
    for spec, h in zip(layout.photos, best.heights):
        top = layout.photo_top(spec, h, best.bottom if layout.auto else None)
        items.append(B.photo_group(env, g, spec.plan, spec.x, top, h, spec.caption))
    if layout.sidebar is not None:
        items.append(layout.sidebar.group)
    box = layout.region.bbox
    x0, y0 = env.grid.origin(main.region.bbox.col, main.region.bbox.top)
    return Group("article", main.article, x0, y0, g.span_w(box.span), g.line_top(bottom), tuple(items))


def _text_group(env: Env, g: Grid, module: ModulePlan, results) -> Group:
    """A continuation module's group: its body lines only."""
    box = module.region.bbox
    items = tuple(env.line_frame(g, p.text, p.x, p.line, p.kind) for p in results.placed)
    x0, y0 = env.grid.origin(box.col, box.top)
    return Group("article", module.label, x0, y0, g.span_w(box.span), g.line_top(box.height), items)
