"""Page-level fit: move the edges modules share, by whole lines, so that the modules fill.

Owns finding the horizontal edges of a planned page (a boundary where modules above end and
modules below start, over the same columns — named in the description or found in the
geometry), how far each may move (every module on it within its ``flex``, heads kept clear),
and choosing the moves: each module's fit is measured as a function of its height alone
(composition is translation-invariant, so a module measured once per height serves every
combination), then the moves with the least cost are chosen — overset first, then white at
the column feet, then photo lines changed by auto-fit (dearer than a moved edge line, so edges
move before photos flex), then the lines moved. Heads are never padded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..plan.geometry import GridRect, Region
from ..plan.types import Chain, ModulePlan, PagePlan

OVERSET_COST = 1000.0
"""Cost of one overset line: nothing is worth text that does not fit."""

FOOT_COST = 8.0
"""Cost of each line of white at a column foot beyond the first."""

SLACK_COST = 1.0
"""Cost of one empty line slot (column-line) in a module."""

MOVE_COST = 0.25
"""Cost of moving an edge by one line (moves that gain nothing are not made)."""

HOLE_COST = 5.0
"""Cost of one column-line of the type area that no module covers (an empty area)."""

PROBLEM_COST = 1.0e7
"""Cost of a block over another or out of its module (a photo pushed out by a move): no amount
of overset elsewhere buys it, so a move that makes one is never chosen."""

PHOTO_COST = 1.5
"""Cost of one line of photo height auto-fit changes: edges move before photos flex."""

STRIP_COST = 8.0
"""Per line a photo stands shorter than shows half its picture (a strip, ``ChainResult.cropped``):
as dear as a line of white at a column foot beyond the first."""

MIN_TEXT_LINES = 2
"""A module keeps at least this many lines below its head (a move never squeezes it out)."""

MAX_ROUNDS = 4
"""Rounds of coordinate descent over the edges (each round tries every edge once)."""


@dataclass(frozen=True, slots=True)
class Edge:
    """A movable horizontal edge: modules ``above`` end at ``end`` (exclusive), modules ``below``
    start at ``start`` (``end`` or ``end + 1`` with the blank rule line between)."""

    name: str
    end: int
    start: int
    above: tuple[str, ...]
    below: tuple[str, ...]
    low: int
    high: int
    named: bool = False

    @property
    def line(self) -> int:
        """The edge's line as an editor writes it: the blank line between the modules."""
        return self.end


@dataclass(frozen=True, slots=True)
class EdgeMove:
    """An edge moved by ``delta`` lines (positive: down) under the modules ``under`` (all the
    modules below it, or some of them when the edge steps), and what it did to each module."""

    edge: Edge
    delta: int
    changes: tuple[tuple[str, int], ...]
    under: tuple[str, ...] = ()

    def describe(self) -> str:
        """The fit report's words: ``edge fold 86 → 88: lead +2 lines, sifa −2 lines``."""
        parts = ", ".join(f"{label} {'+' if d > 0 else '−'}{abs(d)} lines" for label, d in self.changes if d)
        name = self.edge.name if self.edge.named else "at line"
        where = "" if set(self.under) == set(self.edge.below) else f" over {', '.join(self.under)}"
        return f"edge {name} {self.edge.line} → {self.edge.line + self.delta}{where}: {parts}"


@dataclass(frozen=True)
class PageFit:
    """The plan after page-level fit, the moves made, and the edges that were considered."""

    plan: PagePlan
    moves: tuple[EdgeMove, ...]
    edges: tuple[Edge, ...]


def _movable(m: ModulePlan | None) -> bool:
    """Only a story's first module with a fixed height and some flex moves (not continuations,
    auto heights or the masthead)."""
    return m is not None and m.part == 1 and not m.auto and m.flex > 0


def find_edges(plan: PagePlan) -> list[Edge]:
    """The horizontal edges of the page that page-level fit may move."""
    modules: dict[str, ModulePlan | None] = {m.label: m for m in plan.modules()}
    bottoms = {label: m.region.bands[-1] for label, m in modules.items()}
    tops = {label: m.region.bands[0] for label, m in modules.items()}
    for label, rect in plan.fixed:  # the masthead: it blocks an edge but never moves
        if label not in modules:
            modules[label] = None
            bottoms[label] = tops[label] = rect
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    def union(a, b):
        parent[find(a)] = find(b)

    for a, low in bottoms.items():
        for b, high in tops.items():
            if a != b and high.top - low.end in (0, 1) and low.col < high.right and high.col < low.right:
                union((a, "bottom"), (b, "top"))
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    names = {e.at: e.name for e in plan.edges if e.horizontal}
    edges: list[Edge] = []
    for nodes in groups.values():
        above = sorted(label for label, side in nodes if side == "bottom")
        below = sorted(label for label, side in nodes if side == "top")
        edge = _edge(plan, modules, above, below, names)
        if edge is not None:
            edges.append(edge)
    edges += _open_feet(plan, modules, bottoms, tops, {x for e in edges for x in e.above})
    return sorted(edges, key=lambda e: (e.end, e.above))


def _open_feet(plan: PagePlan, modules, bottoms, tops, taken: set[str]) -> list[Edge]:
    """A module with nothing under it down to the page's foot leaves a hole there: its foot is an
    edge with no module below, that may move down into the hole (never up, opening more)."""
    lines = plan.grid.lines
    out: list[Edge] = []
    for label, m in modules.items():
        if label in taken or not _movable(m):
            continue
        band = bottoms[label]
        if band.end >= lines - 1:
            continue
        hole = GridRect(band.col, band.span, band.end, lines - band.end)
        if any(other != label and (r.overlaps(hole)) for other, r in list(tops.items()) + list(bottoms.items())):
            continue
        if any(b.overlaps(hole) for x, mm in modules.items() if mm is not None and x != label
               for b in mm.region.bands):
            continue
        high = min(m.flex, lines - band.end)
        out.append(Edge(f"line {band.end}", band.end, lines, (label,), (), 0, high, False))
    return out


def _edge(plan: PagePlan, modules, above, below, names) -> Edge | None:
    """The edge between these modules with its range of moves, or None if it cannot move."""
    if not above or not below or not all(_movable(modules[x]) for x in above + below):
        return None
    ends = {modules[x].region.bands[-1].end for x in above}
    starts = {modules[x].region.bands[0].top for x in below}
    if len(ends) != 1 or len(starts) != 1:
        return None
    end, start = ends.pop(), starts.pop()
    cols_above = {c for x in above for c in range(modules[x].region.bands[-1].col, modules[x].region.bands[-1].right)}
    cols_below = {c for x in below for c in range(modules[x].region.bands[0].col, modules[x].region.bands[0].right)}
    if cols_above != cols_below:  # moving it would open a hole or run into another module
        return None
    low = -min(modules[x].flex for x in above + below)
    high = -low
    for x in above:  # the last band keeps a few text lines
        band = modules[x].region.bands[-1]
        low = max(low, -(band.height - MIN_TEXT_LINES - _head_depth(modules[x], band)))
    for x in below:
        band = modules[x].region.bands[0]
        high = min(high, band.height - MIN_TEXT_LINES - _head_depth(modules[x], band))
    named = [e for e in plan.edges if e.horizontal and e.at == end]
    if named and named[0].flex is not None:
        low, high = max(low, -named[0].flex), min(high, named[0].flex)
    if low > high:
        return None
    name = names.get(end, f"line {end}")
    return Edge(name, end, start, tuple(above), tuple(below), min(0, low), max(0, high), end in names)


def _cols(plan: PagePlan, edge: Edge) -> set[int]:
    """The columns of the modules above an edge."""
    modules = {m.label: m for m in plan.modules()}
    return {c for x in edge.above for c in range(modules[x].region.bands[-1].col, modules[x].region.bands[-1].right)}


def _head_depth(module: ModulePlan, band: GridRect) -> int:
    """Lines a head is known to take in ``band`` before composition (explicit head lines)."""
    head = module.head
    if head is None or head.lines is None or band.top - module.region.bbox.top != head.top:
        return 0
    return head.lines


def moved(module: ModulePlan, top: int, bottom: int) -> ModulePlan:
    """The module with its first band starting ``top`` lines lower and its last ending ``bottom`` lower."""
    bands = list(module.region.bands)
    first, last = bands[0], bands[-1]
    if len(bands) == 1:
        bands[0] = GridRect(first.col, first.span, first.top + top, first.height - top + bottom)
    else:
        bands[0] = GridRect(first.col, first.span, first.top + top, first.height - top)
        bands[-1] = GridRect(last.col, last.span, last.top, last.height + bottom)
    return replace(module, region=Region(tuple(bands)))


def stepped(module: ModulePlan, top: int, feet: dict[int, int]) -> ModulePlan | None:
    """The module with its top ``top`` lines lower and the foot of each of its last band's
    columns moved by ``feet[col]``: a rectangle whose feet move by two amounts, split at one
    column, becomes an L (the deeper side its stem). None when no region can be made."""
    moves = [feet[c] for c in range(module.region.bands[-1].col, module.region.bands[-1].right)]
    if len(set(moves)) == 1:
        return moved(module, top, moves[0])
    if len(module.region.bands) != 1 or sum(1 for a, b in zip(moves, moves[1:]) if a != b) != 1:
        return None
    band = module.region.bands[0]
    split = next(i for i in range(1, len(moves)) if moves[i] != moves[0])
    shallow, deep = sorted((moves[0], moves[-1]))
    wide = GridRect(band.col, band.span, band.top + top, band.height - top + shallow)
    cols = (band.col, split) if moves[0] == deep else (band.col + split, band.span - split)
    narrow = GridRect(cols[0], cols[1], wide.end, deep - shallow)
    try:
        return replace(module, region=Region.of([wide, narrow]))
    except ValueError:
        return None


def fit_page(plan: PagePlan, measure, page_cost=None) -> PageFit:
    """Choose edge moves that make the modules fill; ``measure(chain)`` composes a chain
    (without frames) and returns its ``ChainResult`` (photos flexed by auto-fit, at a cost).
    ``page_cost(modules, depths)`` adds a cost of the page as reshaped (every main module by label;
    the head depths measured so far): the automatic planner's heads side by side
    (``autolayout.butting_cost``); by default, heads a move sets level that were not
    (``autolayout.new_butting_cost``).

    Each module below an edge has its own move; where the modules below one module move by
    different amounts, that module's foot steps and it becomes an L (one step at most)."""
    edges = find_edges(plan)
    if not edges:
        return PageFit(plan, (), ())
    if page_cost is None:  # no move sets two heads level that the page as written does not
        from .autolayout import new_butting_cost

        page_cost = new_butting_cost(plan)
    chains = {c.modules[0].label: c for c in plan.chains}
    # A named edge moves whole (every module on it); an edge found in the geometry may step; an
    # edge over a hole at the page's foot has one move (no module below it).
    variables = [(i, x) for i, e in enumerate(edges) for x in (e.below[:1] if e.named else e.below or (None,))]
    costs: dict[tuple, float] = {}
    depths: dict[str, int] = {}
    mains = {c.modules[0].label: c.modules[0] for c in plan.chains}

    def cost(module: ModulePlan) -> float:
        key = (module.label, module.region.local(), module.region.bbox.top)
        if key not in costs:
            chain = chains[module.label]
            result = measure(Chain(chain.story, (module,) + chain.modules[1:]))
            f = result.fits[0]
            if result.heads and result.heads[0].lines:
                depths[module.label] = result.heads[0].lines
            over = sum(g.overset_lines + (1 if g.overset_chars and not g.overset_lines else 0) for g in result.fits)
            # White is counted in grid column-lines: a line of a wide measure (a box set in one
            # column over two) is as much white as a line in each of the grid columns it spans.
            wide = max(1, round(f.chars_per_line / plan.grid.chars)) if f.chars_per_line else 1
            costs[key] = (PROBLEM_COST * result.problems + OVERSET_COST * over
                          + SLACK_COST * f.underset_lines * wide
                          + FOOT_COST * max(0, f.empty_tail - 1) * wide + PHOTO_COST * result.photo_changes
                          + STRIP_COST * result.cropped)
        return costs[key]

    def total(values: tuple[int, ...]) -> float:
        moves = dict(zip(variables, values))
        shaped = _reshape(plan, edges, moves)
        if shaped is None:
            return float("inf")
        holes = sum(max(0, e.start - e.end - moves[(i, None)]) * len(_cols(plan, e))
                    for i, e in enumerate(edges) if not e.below)
        extra = 0.0
        if page_cost is not None:
            extra = page_cost({k: shaped.get(k, m) for k, m in mains.items()}, depths)
        return (sum(cost(m) for m in shaped.values()) + MOVE_COST * sum(abs(v) for v in values)
                + HOLE_COST * holes + extra)

    ranges = [range(edges[i].low, edges[i].high + 1) for i, _x in variables]
    # A module between two edges slides (its top and its foot move together): the lines one
    # neighbour above gives pass through it to one below, which no single edge's move can do.
    slides = [{k1: 1, k2: 1} for k1, (i, x) in enumerate(variables) if x is not None
              for k2, (j, _y) in enumerate(variables) if j != i and x in edges[j].above]
    values = _descend(ranges, total, groups=[[k for k, (i, _x) in enumerate(variables) if i == e]
                                            for e in range(len(edges))], slides=slides)
    return _apply(plan, edges, dict(zip(variables, values)))


def _reshape(plan: PagePlan, edges: list[Edge], values: dict) -> dict[str, ModulePlan] | None:
    """Every module an edge touches, reshaped by the moves ``values`` ((edge, module below) →
    lines); None when a move makes a module that cannot be (a foot with two steps, or a part
    that leaves too few lines or moves more than the module's flex)."""
    modules = {c.modules[0].label: c.modules[0] for c in plan.chains}
    tops: dict[str, int] = {}
    feet: dict[str, dict[int, int]] = {}
    values = dict(values)
    for i, e in enumerate(edges):
        if e.named:  # one move for every module on a named edge
            for x in e.below[1:]:
                values[(i, x)] = values[(i, e.below[0])]
        for x in e.below:
            tops[x] = values[(i, x)]
        for a in e.above:
            band = modules[a].region.bands[-1]
            foot = feet.setdefault(a, {})
            if not e.below:  # over a hole: the whole foot moves
                for col in range(band.col, band.right):
                    foot[col] = values[(i, None)]
            for x in e.below:
                b = modules[x].region.bands[0]
                for col in range(max(band.col, b.col), min(band.right, b.right)):
                    foot[col] = values[(i, x)]
    out: dict[str, ModulePlan] = {}
    for label in set(tops) | set(feet):
        m = modules[label]
        last = m.region.bands[-1]
        foot = feet.get(label) or {c: 0 for c in range(last.col, last.right)}
        new = stepped(m, tops.get(label, 0), foot)
        if new is None or not _keeps(m, new):
            return None
        out[label] = new
    return out


def _keeps(old: ModulePlan, new: ModulePlan) -> bool:
    """True when no part of the module changed by more than its flex or lost its text lines."""
    if abs(new.region.cells - old.region.cells) > old.flex * old.region.bbox.span:
        return False
    if abs(new.region.bbox.height - old.region.bbox.height) > old.flex:
        return False
    head = _head_depth(new, new.region.bands[0])
    return all(b.height >= MIN_TEXT_LINES + (head if n == 0 else 0) for n, b in enumerate(new.region.bands))


def _descend(ranges, total, groups=(), slides=()) -> tuple[int, ...]:
    """Coordinate descent along directions: each edge moved whole, each module below an edge
    moved alone (a step in the edge), each pair of neighbours under one edge moved apart (the
    lines one takes, the other gives), and ``slides`` (moves of several variables together), by
    line search, until no direction lowers the cost."""
    directions: list[dict[int, int]] = []
    for members in groups:
        if members:
            directions.append({k: 1 for k in members})
    directions += [{k: 1} for k in range(len(ranges))]
    for members in groups:
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                directions.append({a: 1, b: -1})
    directions += [dict(d) for d in slides]
    best = [0] * len(ranges)
    for _round in range(MAX_ROUNDS):
        changed = False
        for direction in directions:
            base = list(best)
            lo = max((ranges[k].start - base[k]) if c > 0 else (base[k] - (ranges[k].stop - 1))
                     for k, c in direction.items())
            hi = min((ranges[k].stop - 1 - base[k]) if c > 0 else (base[k] - ranges[k].start)
                     for k, c in direction.items())
            if lo > hi:
                continue

            def at(d: int, direction=direction, base=base) -> float:
                trial = list(base)
                for k, c in direction.items():
                    trial[k] = base[k] + c * d
                return total(tuple(trial))

            d = _line_search(range(lo, hi + 1), at, 0)
            if d:
                for k, c in direction.items():
                    best[k] = base[k] + c * d
                changed = True
        if not changed:
            break
    return tuple(best)


def _line_search(r: range, cost, start: int) -> int:
    """The integer in ``r`` near ``start`` where ``cost`` is least, probing by doubling steps and
    then every value between the last two probes (ties go to the smaller move)."""
    lo, hi = r.start, r.stop - 1
    seen: dict[int, float] = {}

    def c(d: int) -> tuple[float, int]:
        if d not in seen:
            seen[d] = cost(d)
        return seen[d], abs(d)

    best = start
    for sign in (1, -1):
        step, prev = 1, start
        while True:
            d = start + sign * step
            if d < lo or d > hi:
                d = max(lo, min(hi, d))
                if d == prev:
                    break
            if c(d) < c(best):
                best = d
            elif c(d) > c(prev) and step > 1:
                break
            if d in (lo, hi):
                break
            prev, step = d, step * 2
    for d in range(max(lo, best - 3), min(hi, best + 3) + 1):  # settle among the neighbours
        if c(d) < c(best):
            best = d
    return best


def _apply(plan: PagePlan, edges: list[Edge], values: dict) -> PageFit:
    values = dict(values)
    for i, e in enumerate(edges):
        if e.named:
            for x in e.below[1:]:
                values[(i, x)] = values[(i, e.below[0])]
    shaped = _reshape(plan, edges, values) or {}
    modules = {c.modules[0].label: c.modules[0] for c in plan.chains}
    moves: list[EdgeMove] = []
    for i, e in enumerate(edges):
        if not e.below and values.get((i, None)):
            d = values[(i, None)]
            moves.append(EdgeMove(e, d, tuple((a, d) for a in e.above), ()))
        for delta in sorted({values[(i, x)] for x in e.below} - {0}):
            under = tuple(x for x in e.below if values[(i, x)] == delta)
            cols = {c for x in under for c in range(modules[x].region.bands[0].col, modules[x].region.bands[0].right)}
            over = tuple(a for a in e.above if any(modules[a].region.bands[-1].col <= c < modules[a].region.bands[-1].right
                                                   for c in cols))
            moves.append(EdgeMove(e, delta, tuple((a, delta) for a in over) + tuple((x, -delta) for x in under),
                                  under))
    chains = []
    for chain in plan.chains:
        main = chain.modules[0]
        new = shaped.get(main.label)
        chains.append(chain if new is None or new == main else Chain(chain.story, (new,) + chain.modules[1:]))
    fixed = tuple((label, rect) for label, rect in plan.fixed if label not in shaped)
    fixed += tuple((m.label, band) for m in shaped.values() for band in m.region.bands)
    return PageFit(replace(plan, chains=tuple(chains), fixed=fixed), tuple(moves), tuple(edges))
