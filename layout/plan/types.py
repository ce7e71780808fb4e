"""Plan values: what the page will hold and where, before any line is composed.

Owns the frozen plan types that ``plan_page`` produces and composition consumes: the headline,
photo and sidebar plans of a module (their places relative to the module's top-left corner, in
grid units), the module plan (a region on the page grid plus what it holds), the chain of
modules one story runs through (续排), the masthead plan and the page plan. Positions are grid
columns (0-based) and body lines; only composition turns them into points. Nothing here reads
files or fonts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Block
from .geometry import GridRect, Region


@dataclass(frozen=True, slots=True)
class HeadPlan:
    """A headline block: its parts, sizes (pt), faces, and where it sits in the module.

    ``col``/``span`` are module-relative columns of the head's measure and ``top`` the module
    line it starts on (the widest band's first line). ``lines`` is an explicit block height in
    body lines (None: computed, R9).
    """

    main: str
    kicker: str
    subtitle: str
    size: float
    kicker_size: float
    subtitle_size: float
    font: str
    sub_font: str
    col: int
    span: int
    top: int
    align: str
    vertical: bool
    side: str
    lines: int | None
    style: str = "stacked"
    """A head style of ``compose.headline.STYLES``: stacked, vertical, reversed, boxed."""
    rows: int | None = None
    """Rows of the main head (columns of a vertical one) when the editor asks for a number."""
    air: int = 1
    """Whole body lines of white added to the head's natural depth."""


@dataclass(frozen=True, slots=True)
class PhotoPlan:
    """A photo in a module: grid place relative to the module, caption, and its image.

    ``top`` is a module line, or None when the photo sits on the module's foot (``top: bottom``).
    ``px`` is the image's pixel size when it was measured (for ``height: auto``).
    """

    index: int
    source: str
    path: Path
    col: int
    span: int
    top: int | None
    height: int
    flex: int
    caption: str
    credit: str
    standin: bool
    field: str


@dataclass(frozen=True, slots=True)
class SidebarPlan:
    """A boxed sidebar in a module: place relative to the module, label, title, text, face."""

    col: int
    span: int
    top: int
    rows: int | None
    label: str
    title: str
    blocks: tuple[Block, ...]
    font: str


@dataclass(frozen=True, slots=True)
class ModulePlan:
    """One module on the page: the region it may fill and what it holds.

    ``region`` is in page grid units; ``auto`` says its last band ends where its content does
    (the region then reaches down to the line above the next module). ``part`` numbers the
    modules of a story (1 is the module with the head; 2… are continuations, 续排).
    """

    article: str
    index: int
    part: int
    region: Region
    auto: bool = False
    head: HeadPlan | None = None
    photos: tuple[PhotoPlan, ...] = ()
    sidebar: SidebarPlan | None = None
    columns: int | None = None
    field: str = ""
    first_band: int | None = None
    """The band text starts in (where the head sits); None: the widest."""
    flex: int = 0
    """Lines page-level fit may add to or take from the module by moving its edges."""

    @property
    def label(self) -> str:
        """How reports name the module: the article id, with the part after ``#`` from 2 on."""
        return self.article if self.part == 1 else f"{self.article}#{self.part}"

    @property
    def origin(self) -> tuple[int, int]:
        """The module's top-left corner on the grid: (column, line)."""
        box = self.region.bbox
        return box.col, box.top


@dataclass(frozen=True, slots=True)
class StoryPlan:
    """The copy of one article: bylines, run-in dateline and body blocks, in reading order."""

    article: str
    bylines: tuple[str, ...]
    dateline: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Chain:
    """One story through one or more modules, in order (the first holds the head)."""

    story: StoryPlan
    modules: tuple[ModulePlan, ...]

    @property
    def article(self) -> str:
        """The article id."""
        return self.story.article


@dataclass(frozen=True, slots=True)
class PendingArticle:
    """An article the description leaves to the planner: its copy and its photos' files with
    their pixel sizes (width, height)."""

    index: int
    article: str
    story: StoryPlan
    photos: tuple[tuple[Path, tuple[int, int]], ...] = ()


@dataclass(frozen=True, slots=True)
class MastheadPlan:
    """The section masthead (刊头): its rectangle and how many lines its content needs."""

    rect: GridRect
    needed: int


@dataclass(frozen=True)
class PagePlan:
    """The whole page before composition: grid, furniture, and the story chains in the order
    they are composed (by their first module's top line)."""

    grid: object
    header: bool
    masthead: MastheadPlan | None
    chains: tuple[Chain, ...]
    fixed: tuple[tuple[str, GridRect], ...] = ()
    fallback: dict = field(default_factory=dict, compare=False)
    """Characters their role's face lacks → the fallback face that draws them."""
    notes: tuple[str, ...] = ()
    """Warnings found while planning (glyphs drawn from a fallback face)."""
    edges: tuple = ()
    """The description's named edges (``planner.NamedEdge``), for reports."""
    pending: tuple = ()
    """Articles without a place, for the automatic planner (``PendingArticle``)."""

    def modules(self) -> tuple[ModulePlan, ...]:
        """Every module of the page, chain by chain."""
        return tuple(m for c in self.chains for m in c.modules)
