"""The page: compose a page plan into a frame tree and collect the fit report.

Owns the order of page composition (furniture, masthead, then the story chains in the plan's
order), the placement of each module's frame by translation, rules between modules, empty
stretches of the type area (no silent holes), printer's marks, and the ``LayoutResult`` that
exporters read: the frozen frame tree, the plan, the modules as composed, copy-fit figures and
warnings. It trusts the plan: no input validation, no file or font discovery happens here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..frames import Group, Page
from ..plan.geometry import GridRect, Region
from ..plan.grid import Grid
from ..plan.types import PagePlan
from ..units import mm
from . import furniture as FU
from .checks import overflow_warnings
from .env import Env
from .fitreport import FitEntry
from .module import compose_chain
from .nameplate import nameplate as compose_nameplate

EMPTY_AREA_LINES = 2
"""An unassigned stretch of a column this many body lines deep is reported (no silent holes): one
blank line between stacked modules carries their rule and is not a hole."""


@dataclass(frozen=True)
class PlacedModule:
    """A module as composed: how reports name it, what it is, and its region on the grid.

    ``article`` and ``part`` say whose module it is (part 1 holds the head; 2… continue it);
    the masthead has neither."""

    label: str
    kind: str
    region: Region
    article: str = ""
    part: int = 0


@dataclass(frozen=True)
class LayoutResult:
    """What layout produced: the page's frame tree, the grid, the plan, the modules as
    composed, the fit report and warnings."""

    page: Page
    grid: Grid
    fit: tuple[FitEntry, ...]
    warnings: tuple[str, ...] = ()
    modules: tuple[PlacedModule, ...] = field(default=())
    faces: dict = field(default_factory=dict, compare=False, repr=False)  # font key -> Face
    plan: PagePlan | None = field(default=None, compare=False, repr=False)
    moves: tuple = ()
    """Edge moves page-level fit made (``arrange.EdgeMove``)."""
    heads: tuple = ()
    """Every head's rows and size per part (``compose.headline.HeadRow``), in article order."""
    auto: object = field(default=None, compare=False, repr=False)
    """What the automatic planner chose (``arrange.autolayout.AutoLayout``), when it placed articles."""

    @property
    def overset(self) -> bool:
        """True when any text did not fit."""
        return any(f.overset_lines or f.overset_chars for f in self.fit)

    def rects(self) -> tuple[tuple[str, GridRect], ...]:
        """Every band of every module as (label, rectangle), in composition order."""
        return tuple((m.label, band) for m in self.modules for band in m.region.bands)


def make_env(plan: PagePlan, issue, fontset, prepare, draft: bool = False) -> Env:
    """The composition environment of a planned page (share it to reuse its measurements)."""
    return Env(issue=issue, grid=plan.grid, fontset=fontset, fallback=plan.fallback, prepare=prepare,
               draft=draft)


def compose_page(plan: PagePlan, issue, fontset, prepare, env: Env | None = None, moves=(),
                 auto=None) -> LayoutResult:
    """Compose a planned page into a frame tree and a fit report; ``moves`` are the edge moves
    page-level fit made (reported on the modules they changed)."""
    grid = plan.grid
    env = env or make_env(plan, issue, fontset, prepare)
    noted = len(env.notes)  # notes of earlier compositions with this env are not this page's
    warnings: list[str] = list(plan.notes)
    items: list = []
    if plan.header:
        header, problem = FU.page_header(issue, grid, env.kit, _ascent(env))
        items.append(header)
        if problem:
            warnings.append(problem)
    placed: list[PlacedModule] = []
    if plan.masthead is not None:
        group, problem = FU.masthead(issue, grid, env.kit, _ascent(env), plan.masthead)
        if problem:
            warnings.append(problem)
        items.append(group)
        placed.append(PlacedModule("masthead", "masthead", Region((plan.masthead.rect,))))
    if plan.nameplate is not None:
        group, problems = compose_nameplate(env, grid, plan.nameplate, _largest_head(plan))
        items.append(group)
        warnings.extend(problems)
        placed.append(PlacedModule("nameplate", "nameplate", Region((plan.nameplate.rect,))))
    groups: dict[int, list[Group]] = {}
    heads: dict[int, tuple] = {}
    fits: list[FitEntry] = []
    for chain in plan.chains:
        result = compose_chain(env, chain, limit_lines=grid.lines)
        groups[chain.modules[0].index] = [m.group for m in result.modules]
        heads[chain.modules[0].index] = result.heads
        placed.extend(PlacedModule(m.plan.label, "article", m.plan.region, m.plan.article, m.plan.part)
                      for m in result.modules)
        fits.extend(result.fits)
        warnings.extend(result.warnings)
    for index in sorted(groups):
        items.extend(groups[index])
    rects = [(m.label, band) for m in placed for band in m.region.bands]
    warnings.extend(_empty_areas(grid, [r for _label, r in rects]))
    boxed = {m.label for m in plan.modules() if m.box is not None}  # a box's rule parts it already
    ruled = [r for r in rects if r[0] not in boxed]
    items.append(Group.around("rules", "rules", grid.area_x, grid.area_y, grid.area_w, grid.area_h,
                              tuple(FU.module_rules(grid, ruled))))
    fits = _with_moves(fits, moves)
    for f in fits:
        if f.overset:
            warnings.append(f"overset: article {f.id} has {f.overset_chars} characters "
                            f"({f.overset_lines} lines) that do not fit its module")
    page = _page(issue, grid, env, items)
    warnings.extend(overflow_warnings(page.root, grid, placed))  # photos, captions, masthead off their module
    warnings.extend(n for n in env.notes[noted:] if n not in warnings)
    return LayoutResult(page, grid, tuple(fits), tuple(warnings), tuple(placed), dict(env.faces), plan,
                        tuple(moves), tuple(r for i in sorted(heads) for r in heads[i]), auto)


def _with_moves(fits: list[FitEntry], moves) -> list[FitEntry]:
    """Fit rows with the edge moves that changed their module listed first among the changes."""
    from dataclasses import replace

    out = []
    for f in fits:
        said = tuple(m.describe() for m in moves if any(label == f.id for label, d in m.changes if d))
        out.append(replace(f, adjustments=said + f.adjustments) if said else f)
    return out


def _largest_head(plan: PagePlan) -> float:
    """The largest main-head size on the page (the nameplate must outrank it)."""
    return max((m.head.size for m in plan.modules() if m.head is not None), default=0.0)


def _ascent(env: Env):
    return lambda role: env.face(role).ascent


def _page(issue, grid: Grid, env: Env, items: list) -> Page:
    marks = None
    if issue.format.marks or issue.format.slug:
        pieces = (issue.paper, issue.date.isoformat(), f"第{issue.page:02d}版", issue.section)
        slug_text = " · ".join(p for p in pieces if p) if issue.format.slug else ""
        marks = FU.marks(grid, slug_text, env.kit, crop=issue.format.marks)
    root = Group("page", f"{issue.paper}-{issue.date.isoformat()}-{issue.page:02d}", 0.0, 0.0,
                 grid.trim_w, grid.trim_h, tuple(items))
    title = f"{issue.paper} {issue.date.isoformat()} 第{issue.page:02d}版 {issue.section}".strip()
    meta = (("paper", issue.paper), ("date", issue.date.isoformat()), ("page", f"{issue.page:02d}"),
            ("section", issue.section))
    return Page(grid.trim_w, grid.trim_h, root, bleed=grid.bleed, title=title, meta=meta, marks=marks)


def _empty_areas(grid: Grid, rects: list[GridRect]) -> list[str]:
    """Warn about stretches of the type area that no module covers."""
    found: list[str] = []
    for col in range(grid.columns):
        covered = sorted((r.top, r.end) for r in rects if r.col <= col < r.right)
        pos = 0
        for t, b in covered + [(grid.lines, grid.lines)]:
            if t - pos >= EMPTY_AREA_LINES:
                found.append(f"empty area: column {col + 1}, lines {pos}–{t - 1} belong to no module "
                             f"({(t - pos) * grid.pitch / mm(1):.0f} mm)")
            pos = max(pos, b)
    return found
