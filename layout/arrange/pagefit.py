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

PHOTO_COST = 1.5
"""Cost of one line of photo height auto-fit changes: edges move before photos flex."""

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
    """An edge moved by ``delta`` lines (positive: down), and what it did to each module."""

    edge: Edge
    delta: int
    changes: tuple[tuple[str, int], ...]

    def describe(self) -> str:
        """The fit report's words: ``edge fold 86 → 88: lead +2 lines, sifa −2 lines``."""
        parts = ", ".join(f"{label} {'+' if d > 0 else '−'}{abs(d)} lines" for label, d in self.changes if d)
        name = self.edge.name if self.edge.named else "at line"
        return f"edge {name} {self.edge.line} → {self.edge.line + self.delta}: {parts}"


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
    return sorted(edges, key=lambda e: (e.end, e.above))


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


def fit_page(plan: PagePlan, measure) -> PageFit:
    """Choose edge moves that make the modules fill; ``measure(chain)`` composes a chain
    (without frames) and returns its ``ChainResult`` (photos flexed by auto-fit, at a cost)."""
    edges = find_edges(plan)
    if not edges:
        return PageFit(plan, (), ())
    chains = {c.modules[0].label: c for c in plan.chains}
    labels = sorted({x for e in edges for x in e.above + e.below})
    costs: dict[tuple[str, int, int], float] = {}

    def cost(label: str, top: int, bottom: int) -> float:
        key = (label, top, bottom)
        if key not in costs:
            chain = chains[label]
            trial = Chain(chain.story, (moved(chain.modules[0], top, bottom),) + chain.modules[1:])
            result = measure(trial)
            f = result.fits[0]
            over = sum(g.overset_lines + (1 if g.overset_chars and not g.overset_lines else 0) for g in result.fits)
            costs[key] = (OVERSET_COST * over + SLACK_COST * f.underset_lines
                          + FOOT_COST * max(0, f.empty_tail - 1) + PHOTO_COST * result.photo_changes)
        return costs[key]

    def total(deltas: tuple[int, ...]) -> float:
        tops = {x: 0 for x in labels}
        bottoms = {x: 0 for x in labels}
        for e, d in zip(edges, deltas):
            for x in e.above:
                bottoms[x] += d
            for x in e.below:
                tops[x] += d
        return sum(cost(x, tops[x], bottoms[x]) for x in labels) + MOVE_COST * sum(abs(d) for d in deltas)

    ranges = [range(e.low, e.high + 1) for e in edges]
    return _apply(plan, edges, _descend(ranges, total))


def _descend(ranges, total) -> tuple[int, ...]:
    """Coordinate descent over the edges: each edge in turn gets the move that lowers the total
    cost most (a line search: the cost of one edge's move is close to convex — too high, then
    filled, then too low), until no edge's move changes."""
    best = [0] * len(ranges)
    for _round in range(MAX_ROUNDS):
        changed = False
        for i, r in enumerate(ranges):
            def at(d: int, i=i) -> float:
                return total(tuple(best[:i] + [d] + best[i + 1:]))

            d = _line_search(r, at, best[i])
            if d != best[i]:
                best[i], changed = d, True
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


def _apply(plan: PagePlan, edges: list[Edge], deltas: tuple[int, ...]) -> PageFit:
    tops: dict[str, int] = {}
    bottoms: dict[str, int] = {}
    moves: list[EdgeMove] = []
    for e, d in zip(edges, deltas):
        for x in e.above:
            bottoms[x] = bottoms.get(x, 0) + d
        for x in e.below:
            tops[x] = tops.get(x, 0) + d
        if d:
            moves.append(EdgeMove(e, d, tuple((x, d) for x in e.above) + tuple((x, -d) for x in e.below)))
    chains = []
    for chain in plan.chains:
        main = chain.modules[0]
        t, b = tops.get(main.label, 0), bottoms.get(main.label, 0)
        chains.append(chain if not (t or b) else Chain(chain.story, (moved(main, t, b),) + chain.modules[1:]))
    fixed = tuple((label, rect) for label, rect in plan.fixed if label not in tops and label not in bottoms)
    fixed += tuple((m.label, band) for c in chains for m in c.modules[:1]
                   if m.label in tops or m.label in bottoms for band in m.region.bands)
    return PageFit(replace(plan, chains=tuple(chains), fixed=fixed), tuple(moves), tuple(edges))
