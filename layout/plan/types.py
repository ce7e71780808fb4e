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
    inset: float = 0.0
    """Body ems the head's measure keeps clear on each side (inside a box)."""


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
    caption_font: str = "黑"
    caption_size: float = 7.5
    """The caption size in pt (default 六号, 7.5 pt); the planner sets the page's or the photo's own."""
    art: object = None
    """A vector graphic (``vector.VectorArt``) drawn instead of a raster image (charts)."""
    px: tuple[int, int] | None = None
    """The image's pixel size (EXIF orientation applied), when measured."""
    crop: tuple[float, float, float, float] | None = None
    """The part of the image the editor chose (fractions), or None: the whole image."""
    focus: tuple[float, float] | None = None
    """A point (fractions) kept in view by the crop to the box."""


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
class BoxPlan:
    """A boxed module (围框): rule style (花边), K tint (0..1, 底纹) and text inset in body ems.

    The rule runs along the module's edges; its first and last lines are the box's padding."""

    rule: str
    tint: float
    inset: float


@dataclass(frozen=True, slots=True)
class LabelPlan:
    """A reversed label tag (e.g. 今日谈, 简讯, 导读) on the module's first text line(s)."""

    text: str
    font: str
    rows: int
    """Body lines the tag takes, its white below included (the head or text starts after)."""


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
    box: BoxPlan | None = None
    tag: LabelPlan | None = None
    """A reversed label tag over the module (今日谈, 简讯, 导读)."""

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
    body_font: str | None = None
    body_size: float | None = None


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


@dataclass(frozen=True, slots=True)
class NameplatePlan:
    """The front page's nameplate (报头): its rectangle, the name or vector logo, and the
    issue data lines (CN, 邮发代号, 期号, date, 农历, weather, web) set in ``info_span``
    columns at its right."""

    rect: GridRect
    name: str
    font: str
    art: object
    """The logo (``vector.VectorArt``), or None: the name is set in ``font``."""
    info_span: int
    info: tuple[tuple[str, ...], ...]
    """Issue-data rows; the pieces of a row are set one em apart."""


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
    nameplate: NameplatePlan | None = None

    def modules(self) -> tuple[ModulePlan, ...]:
        """Every module of the page, chain by chain."""
        return tuple(m for c in self.chains for m in c.modules)
