"""Model: the typed description of a newspaper page, and its loader.

Owns the pydantic schema of an issue description (paper, date, page format, page header, section
masthead, articles with headlines, bylines, body, photos and sidebars, their placement on the
page grid, font roles and sizes) and ``load_issue()``, which reads YAML safely, pulls body text
from sibling ``.txt``/``.md`` files, and turns every problem into an ``InputError`` that names
the file, the line and the field path and says how to fix it. The loader reads only regular
files under the description's folder, with capped reads (``safeio``); it names the encoding of
text that is not UTF-8 (UTF-16/32, GBK) and refuses what validation would quietly accept but is
surely a slip: true/false for a number, a plain number for the date, numbers far beyond any
length or count (never echoed back at length), a trim larger than a press sheet. This is the
only module that imports pydantic. Lengths stay as written here; ``compose.grid`` converts them.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import InputError
from .safeio import FileProblem, links_outside, name_problem, read_capped, regular_stat
from .units import HAO_SIZES, LengthError, parse_length, parse_size

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
"""Chinese weekday names, Monday first (``date.weekday()`` order)."""

MAX_DESCRIPTION_BYTES = 2_000_000
"""Largest issue description (YAML) accepted, in bytes."""

MAX_TEXT_BYTES = 2_000_000
"""Largest body text file accepted, in bytes."""

MAX_YAML_NODES = 200_000
"""Most YAML nodes (aliases expanded) a description may hold: guards against alias bombs."""

MAX_YAML_DEPTH = 40
"""Deepest YAML nesting accepted."""

Length = float | int | str
"""A length as written: a number (pt) or a string with a unit: ``mm``, ``pt``, ``字``, ``行``."""

Size = float | int | str
"""A type size: pt, or a 号 name such as ``小五``."""


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, values are immutable after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _length(value: Length, what: str) -> float:
    """Check that a length as written can be read and is finite; return its number (for signs)."""
    try:
        number = parse_length(value, em=1.0, pitch=1.0)
    except LengthError as exc:
        raise ValueError(str(exc)) from None
    if not math.isfinite(number):
        raise ValueError(f"{what} {value!r} is not a finite number")
    return number


class Format(Strict):
    """Page format: trim, type area, the column grid and the body type that defines it."""

    preset: Literal["broadsheet", "tabloid"] = Field(
        "broadsheet", description="对开 broadsheet (390×550 mm, 8×13 字) or 四开 tabloid (275×390 mm, 6×11 字)."
    )
    trim: tuple[Length, Length] | None = Field(None, description="Trimmed page width and height.")
    type_area: tuple[Length, Length] | None = Field(
        None, description="Type area (版心) width and height; the width is normally derived from the grid."
    )
    columns: int | None = Field(None, ge=1, le=20, description="Basic columns (基本栏).")
    column_chars: int | None = Field(None, ge=4, le=60, description="Body characters per basic column.")
    gutter_chars: float | None = Field(None, ge=0, le=6, description="Gutter (栏空) in body characters.")
    body_size: Size | None = Field(None, description="Body type size, pt or 号 (default 小五 = 9 pt).")
    line_gap: float | None = Field(
        None, ge=0, le=2, description="Gap between body lines in body ems (newspapers use 1/4 to 1/3)."
    )
    bleed: Length = Field("3mm", description="Bleed around the trim.")
    marks: bool = Field(True, description="Draw crop and registration marks outside the bleed.")
    slug: bool = Field(True, description="Print a slug line (paper, date, page) outside the trim.")

    @field_validator("trim", "type_area")
    @classmethod
    def _positive_sizes(cls, value: tuple[Length, Length] | None) -> tuple[Length, Length] | None:
        for v in value or ():
            if _length(v, "size") <= 0:
                raise ValueError(f"size {v!r} must be more than 0")
        return value

    @field_validator("bleed")
    @classmethod
    def _bleed_length(cls, value: Length) -> Length:
        if _length(value, "bleed") < 0:
            raise ValueError(f"bleed {value!r} must not be negative")
        return value


class Credit(Strict):
    """One editor credit of the page header, e.g. 责任编辑：齐卫国."""

    role: str = Field(description="The credit's title, e.g. 责任编辑, 美术编辑, 校对.")
    name: str = Field(description="The person's name.")


class Header(Strict):
    """The page header (版眉) above the type area."""

    show: bool | None = Field(
        None, description="Print the header; by default every page but page 1, which carries the nameplate (报头)."
    )
    credits: list[Credit] = Field(default_factory=list, description="Editor credits, in order.")


EDGE_NAME = re.compile(r"^[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\-\u4e00-\u9fff]*$")
"""A named edge (``edges: {fold: 72}``): letters, digits, ``_`` and ``-``, not starting with a digit."""

_RESERVED = {"auto", "bottom"}


def _edge_ref(value, prefix: str = "") -> str | None:
    """The edge name in ``value`` (``fold``, or ``to fold`` with ``prefix='to '``), else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if prefix:
        if not text.startswith(prefix):
            return None
        text = text[len(prefix):].strip()
    if EDGE_NAME.match(text) and text not in _RESERVED and not _LENGTHISH.match(text):
        return text
    return None


_LENGTHISH = re.compile(r"^\d")


class Place(Strict):
    """Where a block sits on a grid: start column, column span, top and height.

    Columns count from 1. ``top`` and ``height`` are body lines (行) when given as numbers, or a
    length with a unit (``"20mm"``). ``height: auto`` lets the content decide. Named edges of the
    page (``edges:``) may stand in: ``top: fold`` starts below the edge ``fold``, ``height: to fold``
    ends above it, ``col: spine`` starts right of a vertical edge and ``span: to spine`` ends left
    of it; moving the edge then moves every block on it.
    """

    col: Annotated[int, Field(ge=1)] | str = Field(
        description="First column, counting from 1 (or a vertical edge's name).")
    span: Annotated[int, Field(ge=1)] | str = Field(1, description="Number of columns spanned (or 'to EDGE').")
    top: Length = Field(0, description="Top edge: body lines (行) from the top, a length, an edge's name, "
                                       "or (photos) bottom.")
    height: Length | Literal["auto"] = Field("auto", description="Height in body lines, a length, 'to EDGE', or auto.")

    @field_validator("col")
    @classmethod
    def _col_or_edge(cls, value):
        if isinstance(value, str) and _edge_ref(value) is None:
            raise ValueError(f"col {value!r} is neither a column number nor an edge's name")
        return value

    @field_validator("span")
    @classmethod
    def _span_or_edge(cls, value):
        if isinstance(value, str) and _edge_ref(value, "to ") is None:
            raise ValueError(f"span {value!r} is neither a number of columns nor 'to EDGE'")
        return value

    @field_validator("top")
    @classmethod
    def _top_on_grid(cls, value: Length) -> Length:
        if value != "bottom" and _edge_ref(value) is None and _length(value, "top") < 0:
            raise ValueError(f"top {value!r} is negative; lines count from 0 at the top")
        return value

    @field_validator("height")
    @classmethod
    def _positive_height(cls, value: Length) -> Length:
        if value != "auto" and _edge_ref(value, "to ") is None and _length(value, "height") <= 0:
            raise ValueError(f"height {value!r} must be more than 0 (or auto)")
        return value


class EdgeSpec(Strict):
    """A named edge of the page: a horizontal one on a body line, or a vertical one after a column."""

    line: Length | None = Field(None, description="Horizontal edge: the blank line between the modules "
                                                   "above (which end above it) and below (which start under it).")
    col: int | None = Field(None, ge=1, description="Vertical edge: the gutter after this column.")
    flex: int | None = Field(None, ge=0, le=60, description="Page-level fit may move a horizontal edge by up "
                                                            "to this many lines (default: the modules' flex).")

    @model_validator(mode="after")
    def _one_kind(self) -> EdgeSpec:
        if (self.line is None) == (self.col is None):
            raise ValueError("give an edge either line (horizontal) or col (vertical)")
        if self.col is not None and self.flex is not None:
            raise ValueError("flex: only horizontal edges move; a vertical edge has none")
        return self


_ONE, _MANY = "<one rectangle>", "<rectangles>"
"""Tags of the two forms of a module's place; the loader drops them from error locations."""

Placement = Annotated[
    Annotated[Place, Tag(_ONE)] | Annotated[list[Place], Tag(_MANY)],
    Discriminator(lambda value: _MANY if isinstance(value, list) else _ONE),
]
"""A module's place: one rectangle, or a list of rectangles (an L-shaped module)."""


class Masthead(Strict):
    """The section masthead (刊头), e.g. 政法周刊 with its sponsors."""

    title: str = Field(description="Section title, e.g. 政法周刊.")
    sponsors: list[str] = Field(default_factory=list, description="Sponsoring bodies, one per line.")
    sponsor_label: str = Field("主办", description="Word after the sponsors.")
    place: Place = Field(description="Position on the page grid.")
    show_date: bool = Field(True, description="Repeat the date and weekday in the masthead.")
    show_credits: bool = Field(True, description="Set the editor credits in the masthead block.")


class Photo(Strict):
    """A photo with its caption and credit, placed inside its article's module."""

    file: str = Field(description="Image file, relative to the description's folder.")
    caption: str = Field("", description="Caption text (图说).")
    credit: str = Field("", description="Credit set at the end of the caption, e.g. 市公安局供图.")
    standin: bool = Field(False, description="True when the image is a stand-in for a missing original.")
    place: Place | None = Field(
        None, description="Position in the module's columns; top/height in lines or mm. Omitted when the "
                          "article has no place: the planner places the photo too.")
    span: int | None = Field(None, ge=1, le=20, description="Wanted width in columns when the planner places "
                                                          "the photo.")
    crop: tuple[float, float, float, float] | None = Field(
        None, description="The part of the image shown: left, top, right, bottom as fractions of its width "
                          "and height (0–1); trimmed further to the box's proportions around its centre.")
    focus: tuple[float, float] | None = Field(
        None, description="A point (x, y as fractions, 0–1) kept in view when the image is cropped to its box.")
    caption_font: str | None = Field(None, description="Font role of this caption; default type.caption_font.")
    caption_size: Size | None = Field(None, description="Size of this caption; default type.caption_size.")
    flex: int = Field(
        0, ge=0, le=60, description="Auto-fit: the photo may grow or shrink by up to this many lines."
    )

    @model_validator(mode="after")
    def _crop_focus(self) -> Photo:
        if self.crop is not None and self.focus is not None:
            raise ValueError("crop: give either crop or focus, not both")
        if self.crop is not None:
            x0, y0, x1, y1 = self.crop
            if not (0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1):
                raise ValueError(f"crop: {list(self.crop)} is not a rectangle inside the image; "
                                 "write [left, top, right, bottom] as fractions 0–1 with "
                                 "left < right, top < bottom")
        if self.focus is not None and not all(0 <= v <= 1 for v in self.focus):
            raise ValueError(f"focus: {list(self.focus)} lies outside the image; "
                             "write [x, y] as fractions 0–1")
        return self


class Sidebar(Strict):
    """A boxed sidebar inside an article, e.g. 记者手记."""

    label: str = Field("", description="Label set before the title, e.g. 记者手记.")
    title: str = Field("", description="Sidebar title.")
    body: str | None = Field(None, description="Sidebar text (paragraphs separated by blank lines).")
    body_file: str | None = Field(None, description="A sibling .txt/.md file holding the sidebar text.")
    place: Place | None = Field(
        None, description="Position in the module's columns; omitted when the planner places the article.")
    font: str = Field("楷", description="Font role of the sidebar text.")

    @model_validator(mode="after")
    def _one_body(self) -> Sidebar:
        if self.body is not None and self.body_file is not None:
            raise ValueError("give either body or body_file, not both")
        return self


HEAD_STYLES = ("stacked", "vertical", "reversed", "boxed")
"""Head styles (``compose.headline.STYLES``): rows over the text, 竖题, 反白 bar, ruled frame."""

BOX_RULES = ("none", "thin", "thick", "thick-thin", "double", "dotted")
"""Rule styles of a boxed article (花边): a thin or thick line, a thick line with a thin one
inside it (文武线), two thin lines, or dots."""

MAX_TINT = 30.0
"""Largest K tint (%) behind text: tinted one-colour type must stay ≥ 8 pt and readable on
newsprint [NIAD]; 30 % K keeps 100 % K body text legible."""


class BoxStyle(Strict):
    """A boxed article (围框): its rule style (花边), a K-only tint background (底纹) and inset."""

    rule: Literal["none", "thin", "thick", "thick-thin", "double", "dotted"] = Field(
        "thin", description="Rule style: none, thin, thick, thick-thin (文武线), double or dotted.")
    tint: float = Field(0.0, ge=0, le=MAX_TINT, description="Background tint in % of black (K only), 0–30.")
    inset: float = Field(1.0, ge=0.5, le=4, description="Text inset from the rule, in body characters (字).")


class Item(Strict):
    """One item of a briefs group (简讯: a bold run-in title and its text) or of an index
    (导读: a title and the page it is on)."""

    title: str = Field(description="The item's title: the bold run-in of a brief, or an index entry.")
    text: str = Field("", description="A brief's text (inline markup allowed).")
    page: int | None = Field(None, ge=1, le=999, description="Index: the page the story is on (第3版).")


class Nameplate(Strict):
    """The front page's nameplate (报头): the paper's name or logo and the issue data around it."""

    name: str | None = Field(None, description="The paper's name as set; default the issue's paper.")
    logo: str | None = Field(None, description="A vector logo (.svg or .pdf) drawn instead of setting the name.")
    font: str = Field("大标宋", description="Font role of the name when there is no logo.")
    place: Place = Field(description="Position on the page grid (normally the top left).")
    info_span: int = Field(1, ge=1, description="Columns at the right of the block that hold the issue data.")
    cn: str = Field("", description="国内统一连续出版物号, e.g. CN 43-0099.")
    post_code: str = Field("", description="邮发代号, e.g. 41-9.")
    number: int | None = Field(None, ge=1, description="Issue number (期号), printed 第N期.")
    total: int | None = Field(None, ge=1, description="Total issue number, printed 总第N期.")
    pages: int | None = Field(None, ge=1, le=200, description="Pages today, printed 今日N版.")
    lunar: bool | str = Field(True, description="农历 date: true computes it, a text gives it, false omits it.")
    weather: str = Field("", description="Weather line, e.g. 晴 18～26℃.")
    web: str = Field("", description="The paper's web address.")
    publisher: str = Field("", description="Publisher line, e.g. 青岚日报社出版.")


class Head(Strict):
    """How the headline block is set."""

    level: int | None = Field(
        None, ge=1, le=5,
        description="House head level, 1 (the lead) to 5: size and face from type.head_levels by the "
                    "head's width in columns; an explicit size or font still wins.")
    size: Size = Field("小初", description="Main head size, pt or 号.")
    font: str = Field("标宋", description="Main head font role.")
    kicker_size: Size | None = Field(None, description="Kicker (引题) size; default two steps below.")
    subtitle_size: Size | None = Field(None, description="Subtitle (副题) size; default two steps below.")
    sub_font: str = Field("黑", description="Font role of kicker and subtitle.")
    span: int | None = Field(None, ge=1, description="Columns spanned by the head; default the whole module (one column for a vertical head).")
    align: Literal["center", "start", "end"] = Field(
        "center",
        description="Alignment of head rows (a vertical head: of its main columns, top to bottom).")
    style: Literal["stacked", "vertical", "reversed", "boxed"] | None = Field(
        None,
        description="Head style: stacked rows (default), vertical (竖题), reversed (反白 bar) or boxed.")
    vertical: bool = Field(
        False, description="Set the head vertically (竖题) at the module's side (= style: vertical).")
    side: Literal["left", "right"] = Field("right", description="Side of a vertical head.")
    over: Literal["widest", "top"] = Field(
        "widest", description="In an L-shaped module: the head sits over the widest part, or over "
                              "the top part (an L whose narrow stem starts the module); text begins there.")
    rows: int | None = Field(
        None, ge=1, le=8,
        description="Rows of the main head (columns of a vertical one); default the fewest that fit. "
                    "A line break in the headline text sets the rows instead.")
    lines: int | None = Field(None, ge=1, description="Head block height in body lines; default computed (R9).")
    air: int | None = Field(
        None, ge=0, le=4,
        description="Lines of white added to the head's natural depth; default type.head_air.")
    flex: int = Field(
        0, ge=0, le=20,
        description="No longer used: a head is not padded to fill its module (spare lines are reported "
                    "as underset); kept so older descriptions load, with a warning.")

    @model_validator(mode="after")
    def _one_style(self) -> Head:
        if self.vertical and self.style not in (None, "vertical"):
            raise ValueError(f"style: a vertical head cannot also be {self.style}; "
                             "drop vertical: true or the style")
        return self

    @property
    def is_vertical(self) -> bool:
        """True for a 竖题 (``vertical: true`` or ``style: vertical``)."""
        return self.vertical or self.style == "vertical"


class HeadLevel(Strict):
    """One level of the house head table: its face and its size by the head's width."""

    font: str = Field(description="Font role of the main head at this level.")
    sizes: dict[Annotated[int, Field(ge=1, le=20)], Size] = Field(
        description="Head width in columns → size: the entry with the largest width not above the "
                    "head's is used, e.g. {1: 二号, 3: 一号, 6: 初号}.")

    @field_validator("sizes")
    @classmethod
    def _some_sizes(cls, value: dict) -> dict:
        if not value:
            raise ValueError("give at least one size, e.g. {1: 二号}")
        return value

    def size_for(self, span: int) -> Size:
        """The size for a head ``span`` columns wide (the narrowest entry if it is narrower)."""
        keys = sorted(self.sizes)
        fitting = [k for k in keys if k <= span]
        return self.sizes[fitting[-1] if fitting else keys[0]]


DEFAULT_HEAD_LEVELS: dict[int, dict[str, Any]] = {
    1: {"font": "大标宋", "sizes": {1: "小二", 2: "二号", 3: "一号", 4: "小初", 6: "初号"}},
    2: {"font": "标宋", "sizes": {1: "三号", 2: "小二", 3: "二号", 4: "一号", 6: "小初"}},
    3: {"font": "粗黑", "sizes": {1: "四号", 2: "三号", 3: "小二", 4: "二号", 6: "一号"}},
    4: {"font": "黑", "sizes": {1: "小四", 2: "四号", 3: "三号", 4: "小二"}},
    5: {"font": "黑", "sizes": {1: "五号", 2: "小四", 4: "四号"}},
}
"""House head table: level 1 (the lead, 头条) is the largest and sizes step down by level and
narrow with the head, as broadsheet practice has it [IHW-3X3][XMWB][NAVY]: an 8-column 对开
lead in 初号 (≤ 24 字 a row on 6 columns [IHW-T]), secondary heads 1–2 号 steps down, one-column
heads smallest. No paper publishes its table (newspaper.md §7), so this is a default to override."""


class Article(Strict):
    """One story: headline parts, bylines, body, photos and an optional sidebar."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]+$")] = Field(
        description="A short ASCII id used in reports and snapshots, e.g. lead."
    )
    kicker: str = Field("", description="引题 above the main head.")
    kind: Literal["story", "briefs", "index"] = Field(
        "story", description="story; briefs (简讯: a label and items with bold run-in titles); or index "
                             "(导读: items with page references).")
    label: str = Field("", description="A reversed label tag over the module, e.g. 今日谈, 简讯, 导读.")
    headline: str = Field("", description="主题, the main head. A line break splits it into rows.")
    subtitle: str = Field("", description="副题 below the main head.")
    byline: list[str] = Field(default_factory=list, description="Byline lines, e.g. 株洲日报全媒体记者/周圆.")
    dateline: str = Field(
        "", description="Run-in dateline set before the first paragraph, e.g. 株洲日报（全媒体记者/周圆）."
    )
    body: str | None = Field(
        None,
        description="Body text: paragraphs separated by blank lines; '## ' starts a section subhead.",
    )
    body_file: str | None = Field(None, description="A sibling .txt/.md file holding the body text.")
    place: Placement | None = Field(
        None,
        description="The article's module on the page grid: one rectangle, or a list of two that together "
                    "form an L or an inverted L (L形/倒L形版块). Omit it and the planner places the article "
                    "(自动组版), with its photos and sidebar.")
    priority: int | None = Field(
        None, ge=1, le=99, description="For the planner: importance, 1 the lead (default: the order given).")
    min_span: int | None = Field(None, ge=1, le=20, description="For the planner: the fewest columns.")
    max_span: int | None = Field(None, ge=1, le=20, description="For the planner: the most columns.")
    zone: Literal["top", "bottom", "left", "right"] | None = Field(
        None, description="For the planner: the part of the page the article goes in.")
    keep_with: str | None = Field(None, description="For the planner: the id of an article to sit beside.")
    body_font: str | None = Field(None, description="Font role of this article's body (楷 for commentary).")
    body_size: Size | None = Field(None, description="Body size of this article, pt or 号 (at most 五号 on the "
                                                     "page's line grid).")
    editor_note: str = Field("", description="编者按: an editor's note set in 楷 before the body.")
    box: BoxStyle | None = Field(None, description="Box the article (围框) with a rule style and a tint.")
    items: list[Item] = Field(default_factory=list, description="Items of a briefs group or an index.")
    separator: Literal["■", "●", "▲", "◆", "▶", ""] = Field(
        "■", description="Mark that opens each item of a briefs group or an index.")
    columns: int | None = Field(
        None, ge=1, description="Body columns inside the module (破栏); default one per grid column."
    )
    head: Head = Field(default_factory=Head, description="Headline style.")
    photos: list[Photo] = Field(default_factory=list, description="Photos with captions.")
    sidebar: Sidebar | None = Field(None, description="A boxed sidebar.")
    continue_in: list[Place] = Field(
        default_factory=list,
        description="Continuation (续排): further modules, in order, that take the text the main module cannot hold.",
    )
    flex: int | None = Field(
        None, ge=0, le=60,
        description="Page-level fit may grow or shrink this module by up to this many lines, moving the edge "
                    "it shares with its neighbours (default 8; 0 keeps its height).")

    @property
    def places(self) -> list[Place]:
        """The module's rectangles as a list (one for a plain module, two for an L; none when the
        planner places it)."""
        if self.place is None:
            return []
        return [self.place] if isinstance(self.place, Place) else list(self.place)

    @model_validator(mode="after")
    def _one_body(self) -> Article:
        if self.body is not None and self.body_file is not None:
            raise ValueError("give either body or body_file, not both")
        if self.kind != "story":
            if self.body is not None or self.body_file is not None:
                raise ValueError(f"body: a {self.kind} article takes items, not body text")
            if not self.items:
                raise ValueError(f"items: a {self.kind} article needs at least one item")
            if self.kind == "index" and any(it.page is None for it in self.items):
                n = next(i for i, it in enumerate(self.items) if it.page is None)
                raise ValueError(f"items.{n}.page: an index item needs the page it points to")
            for n, it in enumerate(self.items):
                if self.kind == "index" and it.text:
                    raise ValueError(f"items.{n}.text: an index item has a title and a page, no text")
                if self.kind == "briefs" and it.page is not None:
                    raise ValueError(f"items.{n}.page: a brief has a title and text, no page "
                                     "(use kind: index for page references)")
        elif self.items:
            raise ValueError("items: only briefs and index articles take items")
        elif self.body is None and self.body_file is None and not self.photos:
            raise ValueError("an article needs body or body_file (or photos, for a 图片新闻)")
        elif self.body is None and self.body_file is None:
            for n, photo in enumerate(self.photos):
                if not photo.caption.strip():
                    raise ValueError(f"photos.{n}.caption: a photo-only article (图片新闻) needs a "
                                     "caption for every photo")
        if self.place is None:
            return self._unplaced()
        for n, photo in enumerate(self.photos):
            if photo.place is None:
                raise ValueError(f"photos.{n}.place: a photo in a placed article needs its place in the module "
                                 "(or drop the article's place and let the planner place both)")
        if self.sidebar is not None and self.sidebar.place is None:
            raise ValueError("sidebar.place: the sidebar of a placed article needs its place in the module")
        places = self.places
        prefix = "place" if isinstance(self.place, Place) else "place.{}"
        for n, place in enumerate(places):
            where = prefix.format(n)
            if place.top == "bottom":
                raise ValueError(f"{where}.top: 'bottom' is only for photos; give the module's first line")
            if len(places) > 1 and place.height == "auto":
                raise ValueError(f"{where}.height: the parts of an L-shaped module need heights "
                                 "in lines or mm, not auto")
        if not places:
            raise ValueError("place: the list is empty; give one rectangle, or two forming an L")
        spans = [p.span for p in places if isinstance(p.span, int)]
        widest = max(spans) if len(spans) == len(places) else None
        if self.head.span is not None and widest is not None and self.head.span > widest:
            raise ValueError(f"head.span: {self.head.span} columns is wider than the module's "
                             f"{widest}; use at most {widest}")
        return self

    def _unplaced(self) -> Article:
        """An article the planner places: its photos and sidebar are placed with it."""
        for n, photo in enumerate(self.photos):
            if photo.place is not None:
                raise ValueError(f"photos.{n}.place: the article has no place, so the planner places its "
                                 "photos too; drop the photo's place (span: N asks for a width)")
        if self.sidebar is not None and self.sidebar.place is not None:
            raise ValueError("sidebar.place: the article has no place, so the planner places its sidebar too; "
                             "drop the sidebar's place")
        if self.continue_in:
            raise ValueError("continue_in: a continued story needs its modules placed; give the article a place")
        if self.min_span and self.max_span and self.min_span > self.max_span:
            raise ValueError(f"min_span: {self.min_span} is more than max_span {self.max_span}")
        return self


class FontRef(Strict):
    """A user font for a role: TrueType, CFF OpenType (converted once) or a TTC face."""

    file: str = Field(description="Font file path, relative to the description's folder.")
    index: int = Field(0, ge=0, description="Face index inside a .ttc/.otc collection.")


class TypeSpec(Strict):
    """Type settings: font overrides per role, 号 aliases and text styles."""

    fonts: dict[str, FontRef] = Field(default_factory=dict, description="Role (宋, 标宋, 黑, 楷…) → font file.")
    fallbacks: list[FontRef] = Field(default_factory=list, description="Faces tried for missing glyphs.")
    system_fallback: bool = Field(False, description="Also look for a system Noto CJK for missing glyphs.")
    hao: dict[str, Annotated[float, Field(gt=0, le=400, allow_inf_nan=False)]] = Field(
        default_factory=dict, description="Override 号 sizes in pt, e.g. {小初: 30}.")
    body_font: str = Field("宋", description="Body text role.")
    caption_font: str = Field("黑", description="Caption role.")
    caption_size: Size = Field("六号", description="Caption size.")
    byline_font: str = Field("楷", description="Byline role.")
    dateline_font: str = Field("黑", description="Run-in dateline role.")
    bold_font: str = Field("黑", description="Role of **bold run-ins** in body text (clreq: emphasis in 黑体).")
    credit_format: str = Field(
        "{}", description="How a photo credit follows its caption, {} standing for the credit: e.g. "
                          "（{}） for a bracketed credit (house style).")

    @field_validator("credit_format")
    @classmethod
    def _one_slot(cls, value: str) -> str:
        if value.count("{}") != 1 or value.replace("{}", "").count("{") or value.replace("{}", "").count("}"):
            raise ValueError(f"{value!r} must hold {{}} exactly once, where the credit goes")
        return value
    subhead_font: str = Field("黑", description="Section subhead role.")
    subhead_size: Size = Field("五号", description="Section subhead size.")
    kinsoku: Literal["none", "basic", "gb", "strict"] = Field("strict", description="Line-breaking level (clreq).")
    cjk_latin_gap: float = Field(0.25, ge=0, le=0.5, description="Han–Latin gap in em.")
    cjk_digit_gap: float | None = Field(
        None, ge=0, le=0.5,
        description="Han–number gap in em (2024年, 5G, ¥8.6); 0 sets numbers tight, as many "
                    "mainland papers set 2024年3月6日; unset follows cjk_latin_gap.")
    trim_start_bracket: bool = Field(
        False, description="An opening bracket at a line start loses its leading ½ em (clreq §4.3)."
    )
    breaker: Literal["greedy", "optimal"] = Field(
        "greedy", description="Line breaking: first fit with look-back (squeeze in first) or least cost."
    )
    clause_gap: float = Field(
        1.0, ge=0.25, le=2.0,
        description="A space between clauses of a head, kicker, subtitle, subhead or credit, in em of its "
                    "size (一字空 = 1); display type keeps its spaces, body text drops them.")
    head_air: int = Field(1, ge=0, le=4, description="Lines of white added to every head's natural depth.")
    head_trim_bracket: bool = Field(
        True, description="A head row that starts with an opening quote or bracket loses its blank ½ em, "
                          "so the row centres on its ink.")
    head_words: list[str] = Field(
        default_factory=list, description="Words never broken inside a head (names, places), beyond the "
                                          "segmenter's dictionary.")
    head_levels: dict[Annotated[int, Field(ge=1, le=5)], HeadLevel] = Field(
        default_factory=lambda: {k: HeadLevel.model_validate(v) for k, v in DEFAULT_HEAD_LEVELS.items()},
        description="House head table for head.level 1–5: face and size by head width in columns.")
    credit_separator: str = Field(
        " ", description="Between a caption and its credit: whitespace is the clause gap, other text is "
                         "set as written (e.g. '／').")
    credit_font: str | None = Field(None, description="Role of photo credits; default the byline role.")
    date_gap: float = Field(
        0.25, ge=0, le=0.5,
        description="Gap between hanzi and digits in the page header's and masthead's date, in em "
                    "(0 sets 2024年3月6日 tight, as many mainland papers do).")


class Issue(Strict):
    """One newspaper page."""

    paper: str = Field(description="Newspaper name, e.g. 株洲日报.")
    date: _dt.date = Field(description="Issue date, YYYY-MM-DD.")
    weekday: str | None = Field(None, description="Optional weekday (星期三); must agree with the date.")
    page: int = Field(ge=1, le=999, description="Page number (版次).")
    section: str = Field("", description="Section name, e.g. 政法周刊.")
    format: Format = Field(default_factory=Format, description="Page format and grid.")
    type: TypeSpec = Field(default_factory=TypeSpec, description="Fonts and text styles.")
    header: Header = Field(default_factory=Header, description="Page header (版眉).")
    masthead: Masthead | None = Field(None, description="Section masthead (刊头).")
    edges: dict[str, Length | EdgeSpec] = Field(
        default_factory=dict, description="Named edges shared by modules: a horizontal edge on a body line "
                                          "(fold: 72) or {col: N} for the gutter after column N.")
    nameplate: Nameplate | None = Field(None, description="The front page's nameplate (报头).")
    articles: list[Article] = Field(min_length=1, description="The stories on the page.")

    @field_validator("weekday")
    @classmethod
    def _weekday_name(cls, value: str | None) -> str | None:
        if value is not None and value not in WEEKDAYS:
            raise ValueError(f"unknown weekday {value!r}; write one of {'、'.join(WEEKDAYS)}")
        return value

    @model_validator(mode="after")
    def _check(self) -> Issue:
        if self.weekday is not None and self.weekday != self.derived_weekday:
            raise ValueError(
                f"weekday: {self.date.isoformat()} is a {self.derived_weekday}, not {self.weekday}; "
                "fix the date or drop weekday (it is derived)"
            )
        for name in self.edges:
            if not EDGE_NAME.match(name) or name in _RESERVED:
                raise ValueError(f"edges.{name}: an edge's name is letters, digits, '_' or '-', not starting "
                                 "with a digit (and not auto or bottom)")
        seen: set[str] = set()
        for i, article in enumerate(self.articles):
            if article.id in seen:
                raise ValueError(f"articles.{i}.id: article id {article.id!r} is used twice; ids must be unique")
            seen.add(article.id)
        for i, article in enumerate(self.articles):
            if article.keep_with is not None and article.keep_with not in seen - {article.id}:
                raise ValueError(f"articles.{i}.keep_with: no other article has the id {article.keep_with!r}")
        self._check_head_levels()
        table = {**HAO_SIZES, **self.type.hao}
        for where, size in self._sizes():
            try:
                value = parse_size(size, table)
            except LengthError as exc:
                raise ValueError(f"{where}: {exc}") from None
            if not 3.0 <= value <= 400.0:
                raise ValueError(f"{where}: size {value:g} pt is out of range 3–400 pt")
        return self

    def _check_head_levels(self) -> None:
        """Every head level names a level of the house table (the planner applies it)."""
        for i, a in enumerate(self.articles):
            level = a.head.level
            if level is not None and level not in self.type.head_levels:
                have = ", ".join(str(k) for k in sorted(self.type.head_levels)) or "none"
                raise ValueError(f"articles.{i}.head.level: level {level} is not in "
                                 f"type.head_levels (levels: {have})")

    def _sizes(self):
        yield "type.caption_size", self.type.caption_size
        for level, entry in self.type.head_levels.items():
            for span, size in entry.sizes.items():
                yield f"type.head_levels.{level}.sizes.{span}", size
        yield "type.subhead_size", self.type.subhead_size
        if self.format.body_size is not None:
            yield "format.body_size", self.format.body_size
        for i, a in enumerate(self.articles):
            yield f"articles.{i}.head.size", a.head.size
            if a.head.kicker_size is not None:
                yield f"articles.{i}.head.kicker_size", a.head.kicker_size
            if a.head.subtitle_size is not None:
                yield f"articles.{i}.head.subtitle_size", a.head.subtitle_size
            if a.body_size is not None:
                yield f"articles.{i}.body_size", a.body_size
            for n, p in enumerate(a.photos):
                if p.caption_size is not None:
                    yield f"articles.{i}.photos.{n}.caption_size", p.caption_size

    @property
    def derived_weekday(self) -> str:
        """The weekday of ``date`` in Chinese."""
        return WEEKDAYS[self.date.weekday()]

    @property
    def hao(self) -> dict[str, float]:
        """The 号 table in force: the standard one with this issue's overrides."""
        return {**HAO_SIZES, **self.type.hao}

    def size(self, value: Size) -> float:
        """Resolve a size (pt or 号 name) with this issue's 号 table."""
        return parse_size(value, self.hao)


class LoadedIssue(BaseModel):
    """An issue together with where it came from and its body texts read from files."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    issue: Issue
    path: Path
    root: Path
    bodies: dict[str, str]
    sidebars: dict[str, str]
    lines: dict[tuple, int] = Field(default_factory=dict)

    def line_of(self, *loc: Any) -> int | None:
        """Return the YAML line of a field path (or of its nearest parent)."""
        return _line_for(self.lines, tuple(loc))

    def asset(self, name: str, *, field: str, allow: tuple[Path, ...] = ()) -> Path:
        """Resolve an asset path inside the description's folder (or an allowed folder)."""
        return resolve_asset(self.path, self.root, name, field=field, line=self.line_of(*field.split(".")),
                             allow=allow)


# ---------------------------------------------------------------- loading


def _line_for(lines: dict[tuple, int], loc: tuple) -> int | None:
    key = tuple(str(p) for p in loc)
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return lines.get((), None)


def _field_path(loc: tuple) -> str:
    """``articles.0.place.col``; a key with spaces, dots or control characters is quoted."""
    def part(p: object) -> str:
        s = str(p)
        return s if s and s.isprintable() and not any(c in s for c in " .:") else repr(s)

    return ".".join(part(p) for p in loc)


_HINTS = {
    "extra_forbidden": "remove it or check its spelling; `paiban schema` lists every field",
    "missing": "add this field",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD, e.g. 2024-03-06",
    "date_parsing": "write the date as YYYY-MM-DD, e.g. 2024-03-06",
    "date_from_datetime_inexact": "write the date as YYYY-MM-DD, e.g. 2024-03-06",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "float_parsing": "write a number",
    "string_type": "write text (quote it if it looks like a number or date)",
    "list_type": "write a list (one '- item' per line)",
    "dict_type": "write a mapping (key: value lines)",
    "model_type": "write a mapping (key: value lines)",
    "greater_than_equal": "use a larger value",
    "less_than_equal": "use a smaller value",
    "literal_error": "use one of the allowed values",
    "string_pattern_mismatch": "use letters, digits, '-' and '_' only",
    "too_short": "add at least one item",
    "greater_than": "use a larger value",
    "finite_number": "write a finite number",
    "int_from_float": "write a whole number",
    "float_type": "write a number",
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "value_error": "correct the value as described; `paiban schema` lists every field",
}


_PATH_PREFIX = re.compile(r"^([a-z_][A-Za-z0-9_.]*): (.*)$", re.DOTALL)
"""A field path at the start of a validator's message, e.g. ``articles.0.head.size: …``."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's safe loader (libyaml's C parser when installed, ~10× faster) without implicit
    timestamps: dates stay text so that the model parses them and an impossible date is
    reported with its line and field."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _walk_nodes(node: yaml.Node, path: tuple, lines: dict[tuple, int], state: list[int], depth: int) -> None:
    state[0] += 1
    if state[0] > MAX_YAML_NODES:
        raise InputError(
            f"the description expands to more than {MAX_YAML_NODES} YAML nodes (MAX_YAML_NODES)",
            hint="remove repeated aliases (*name); descriptions should not need anchors",
        )
    if depth > MAX_YAML_DEPTH:
        raise InputError(f"the description nests deeper than {MAX_YAML_DEPTH} levels (MAX_YAML_DEPTH)",
                         line=node.start_mark.line + 1, hint="flatten it")
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if path + (key,) in lines and isinstance(key_node, yaml.ScalarNode) and key != "<<":
                raise InputError(
                    f"key {key!r} appears twice (first on line {lines[path + (key,)]})",
                    line=key_node.start_mark.line + 1, field=_field_path(path + (key,)),
                    hint="keep one of them: YAML would silently drop the first",
                )
            lines.setdefault(path + (key,), key_node.start_mark.line + 1)
            _walk_nodes(value_node, path + (key,), lines, state, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk_nodes(item, path + (str(i),), lines, state, depth + 1)


def _yaml_error(exc: yaml.MarkedYAMLError, path: Path, what: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    problem = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
    hint = ("remove the !!tag: descriptions are plain YAML" if "tag" in problem
            else "check indentation, colons and quotes on this line")
    return InputError(f"{what}: {problem}", file=path, line=line, hint=hint)


def _encoding_problem(raw: bytes) -> tuple[str, str] | None:
    """Name the encoding of text that is not UTF-8 (UTF-16/32 by BOM or NUL pattern, GBK):
    (problem, iconv name), or None for UTF-8 and for binary data."""
    for bom, name, iconv in (
        (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)", "UTF-32"),
        (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)", "UTF-32"),
        (b"\xff\xfe", "UTF-16 (little-endian)", "UTF-16"),
        (b"\xfe\xff", "UTF-16 (big-endian)", "UTF-16"),
    ):
        if raw.startswith(bom):
            return f"is {name} text, not UTF-8", iconv
    sample = raw[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        half = len(sample) // 2
        if odd > half * UTF16_NUL_SHARE and even < half * 0.1:
            return "is UTF-16 (little-endian) text without a byte-order mark, not UTF-8", "UTF-16LE"
        if even > half * UTF16_NUL_SHARE and odd < half * 0.1:
            return "is UTF-16 (big-endian) text without a byte-order mark, not UTF-8", "UTF-16BE"
        return None
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        start = exc.start
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return f"is not UTF-8 text (byte {start})", ""
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        return f"is GBK (GB 18030) text, not UTF-8 (byte {start})", "GB18030"
    return f"is not UTF-8 text (byte {start})", ""


UTF16_NUL_SHARE = 0.3
"""Share of NUL bytes in the odd (or even) positions above which text is taken for UTF-16."""


def _save_as_utf8(iconv: str) -> str:
    """The hint for a text file in another encoding."""
    how = f"iconv -f {iconv} -t UTF-8 in > out, or " if iconv else ""
    return f"save it as UTF-8 ({how}your editor's 'save with encoding' UTF-8)"


def _decode(
    raw: bytes,
    path: Path,
    *,
    what: str,
    desc: Path | None = None,
    line: int | None = None,
    field: str | None = None,
) -> str:
    """Decode UTF-8 text (a BOM allowed); name the encoding of anything else."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    found = _encoding_problem(raw)
    if found is None and b"\x00" in raw:
        found = ("binary", "")
    if found is None:
        return raw.decode("utf-8")
    problem, iconv = found
    if desc is None:  # the description itself
        if problem == "binary":
            raise InputError(
                "is a binary file, not a YAML description", file=path, hint="name the .yaml file"
            )
        raise InputError(problem, file=path, hint=_save_as_utf8(iconv))
    if problem == "binary":
        raise InputError(
            f"{what} is a binary file, not text",
            file=desc,
            line=line,
            field=field,
            hint="name a .txt or .md file",
        )
    raise InputError(
        f"{what} {problem}", file=desc, line=line, field=field, hint=_save_as_utf8(iconv)
    )


def _read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    problem = name_problem(path)
    if problem:
        raise InputError(
            problem, file=_short_path(path), hint="name the description with a plain, short path"
        )
    try:
        raw = read_capped(path, MAX_DESCRIPTION_BYTES)
    except FileProblem as exc:
        msg, hint = exc.message, exc.hint
        if msg.startswith("is a folder"):
            msg, hint = "is a folder, not a description file", "name the .yaml file inside it"
        elif msg.startswith("is more than"):
            msg = (
                f"description is more than {MAX_DESCRIPTION_BYTES} bytes, over the limit of "
                f"{MAX_DESCRIPTION_BYTES} (MAX_DESCRIPTION_BYTES)"
            )
            hint = "move body text into sibling .txt/.md files"
        raise InputError(msg, file=path, hint=hint) from None
    text = _decode(raw, path, what="description")
    too_deep = InputError(
        f"the description nests deeper than {MAX_YAML_DEPTH} levels (MAX_YAML_DEPTH)",
        file=path,
        hint="flatten it",
    )
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml's own depth limit, reached first
            raise too_deep from None
        raise _yaml_error(exc, path, "YAML syntax error") from None
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow
        raise InputError(
            f"character U+{exc.character:04X} is not allowed in YAML",
            file=path,
            line=text.count("\n", 0, exc.position) + 1,
            hint="delete the control character (or quote it as an escape such as \\t)",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            f"YAML error: {_first_line(exc)}", file=path, hint="check the YAML syntax"
        ) from None
    except RecursionError:  # PyYAML composes recursively; far deeper than MAX_YAML_DEPTH anyway
        raise too_deep from None
    if node is None:
        raise InputError(
            "the description is empty",
            file=path,
            hint="start from issues/zhuzhou-daily/2024-03-06/page05.yaml",
        )
    lines: dict[tuple, int] = {}
    try:
        _walk_nodes(node, (), lines, [0], 0)
    except InputError as exc:  # raised without the file name, which is only known here
        raise InputError(
            exc.bare_message, file=path, line=exc.line, field=exc.field, hint=exc.hint
        ) from None
    except RecursionError:
        raise too_deep from None
    try:
        data = _Loader(text).get_single_data()
    except yaml.MarkedYAMLError as exc:  # e.g. an unknown !!tag or an unhashable key
        raise _yaml_error(exc, path, "YAML error") from None
    except yaml.YAMLError as exc:
        raise InputError(
            f"YAML error: {_first_line(exc)}", file=path, hint="check the YAML syntax"
        ) from None
    except RecursionError:
        raise too_deep from None
    except (ValueError, TypeError, IndexError, KeyError, OverflowError) as exc:
        # PyYAML's constructors fail this way on e.g. a 5000-digit integer or an empty '!!int'
        raise InputError(
            f"a value cannot be read: {_first_line(exc) or type(exc).__name__}",
            file=path,
            hint="check numbers and !!tags; write values as plain text, numbers or dates",
        ) from None
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise InputError(
            f"the top level must be a mapping of fields, not a {kind}",
            file=path,
            line=1,
            hint="start with 'paper: …', 'date: …', 'page: …', 'articles: …'",
        )
    return data, lines


def _near_field(key: str) -> str | None:
    """The field name of the description's models closest to a mistyped ``key`` (``body_flie`` →
    ``body_file``), or None when none is close."""
    import difflib

    names = sorted({name for cls in _models(Strict) for name in cls.model_fields})
    found = difflib.get_close_matches(key, names, n=1, cutoff=0.75) if len(key) <= 60 else []
    return found[0] if found else None


def _models(base: type) -> list[type]:
    """Every subclass of ``base``, however deep."""
    out = []
    for cls in base.__subclasses__():
        out += [cls, *_models(cls)]
    return out


def _first_line(exc: BaseException, limit: int = 200) -> str:
    """The first line of an exception's text, shortened (messages stay one line)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text if len(text) <= limit else text[:limit] + "…"


def _short_path(path: Path | str, limit: int = 80) -> str:
    """A file name for a message: a NUL shown as \\0, a 5,000-character name shortened."""
    text = str(path).replace("\x00", "\\0")
    return text if len(text) <= limit else f"{text[: limit // 2]}…{text[-limit // 4 :]}"


def resolve_asset(
    desc: Path, root: Path, name: str, *, field: str, line: int | None, allow: tuple[Path, ...] = ()
) -> Path:
    """Resolve a file named in a description; it must be a regular file under the description's
    folder or ``allow``, and not a hard link to a file elsewhere."""

    def refuse(message: str, hint: str) -> InputError:
        return InputError(message, file=desc, line=line, field=field, hint=hint)

    problem = name_problem(name)
    if problem:
        raise refuse(f"'{_short_path(name)}': {problem}", "use a short, plain file name")
    candidate = Path(name)
    try:
        full = (candidate if candidate.is_absolute() else root / candidate).resolve()
        bases = (root.resolve(),) + tuple(p.resolve() for p in allow)
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a name the system refuses
        raise refuse(
            f"'{_short_path(name)}' cannot be resolved: {_first_line(exc)}", "check the path"
        ) from None
    if not any(full == b or b in full.parents for b in bases):
        raise refuse(
            f"{name!r} lies outside the description's folder",
            "move the file next to the description, or allow its folder with --allow-path DIR",
        )
    try:
        st = regular_stat(full)
    except FileProblem as exc:
        if exc.message == "file not found":
            raise refuse(f"file {name!r} not found", f"looked for {full}") from None
        if exc.message.startswith("is a folder"):
            raise refuse(f"{name!r} is a folder, not a file", "name a file inside it") from None
        raise refuse(f"{name!r} {exc.message}", exc.hint or "name an ordinary file") from None
    try:  # readable now, so that a later read does not fail half-way through the work
        os.close(
            os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        )
    except OSError as exc:
        raise refuse(
            f"{name!r} cannot be read: {exc.strerror}", "check the file's permissions"
        ) from None
    if links_outside(full, st, bases):
        raise refuse(
            f"{name!r} is a hard link to a file outside the description's folder",
            "copy the file into the folder instead of linking it",
        )
    return full


def _read_text(
    desc: Path, root: Path, name: str, field: str, lines: dict, allow: tuple[Path, ...]
) -> str:
    loc = tuple(field.split("."))
    line = _line_for(lines, loc)
    path = resolve_asset(desc, root, name, field=field, line=line, allow=allow)
    try:
        raw = read_capped(path, MAX_TEXT_BYTES)
    except FileProblem as exc:
        if exc.message.startswith("is more than"):
            raise InputError(
                f"text file {name!r} is more than {MAX_TEXT_BYTES} bytes, over the limit of "
                f"{MAX_TEXT_BYTES} (MAX_TEXT_BYTES)",
                file=desc,
                line=line,
                field=field,
                hint="split the story",
            ) from None
        raise InputError(
            f"text file {name!r} {exc.message}", file=desc, line=line, field=field, hint=exc.hint
        ) from None
    return _decode(raw, path, what=f"text file {name!r}", desc=desc, line=line, field=field)


MAX_NUMBER = 1_000_000
"""Largest magnitude of any number in a description (no length, size or count comes near it)."""

MAX_TRIM_MM = 1200.0
"""Largest trimmed page side accepted, in mm (a full press sheet, 全张, is 787 × 1092 mm)."""

_LENGTH_KEYS = frozenset(
    {
        "top",
        "height",
        "trim",
        "type_area",
        "bleed",
        "size",
        "kicker_size",
        "subtitle_size",
        "body_size",
        "caption_size",
        "subhead_size",
    }
)
"""Fields whose text values are lengths or sizes with a unit (checked for absurd magnitudes)."""

_NUMBER_TEXT = re.compile(r"^\s*[+-]?(\d+(?:\.\d*)?|\.\d+)")


def _describe_number(value: float) -> str:
    """A number for a message: never a 309-digit echo."""
    if isinstance(value, int) and abs(value) >= 10**12:
        return f"a {len(str(abs(value)))}-digit number"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _check_raw(data: Any, path: Path, lines: dict, loc: tuple = ()) -> None:
    """Refuse what validation would accept but is surely a slip: numbers beyond ``MAX_NUMBER``
    (also in lengths written with a unit) and a plain number as the date."""
    if isinstance(data, dict):
        if (
            not loc
            and isinstance(data.get("date"), (int, float))
            and not isinstance(data.get("date"), bool)
        ):
            value = data["date"]
            digits = str(value) if isinstance(value, int) else ""
            example = (
                f"{digits[:4]}-{digits[4:6]}-{digits[6:]}" if len(digits) == 8 else "2024-05-20"
            )
            raise InputError(
                f"{_describe_number(value)} is a number, not a date",
                file=path,
                line=_line_for(lines, ("date",)),
                field="date",
                hint=f"write the date as YYYY-MM-DD, e.g. {example}",
            )
        for key, value in data.items():
            _check_raw(value, path, lines, loc + (str(key),))
        return
    if isinstance(data, list):
        for i, value in enumerate(data):
            _check_raw(value, path, lines, loc + (str(i),))
        return
    number = None
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        number = data
    elif isinstance(data, str) and any(part in _LENGTH_KEYS for part in loc[-2:]):
        m = _NUMBER_TEXT.match(data)
        if m:
            number = float(m.group(1)) if len(m.group(1)) < 400 else math.inf
            if len(m.group(1).split(".")[0]) >= 13:
                number = int(m.group(1).split(".")[0])
    if number is None or (
        isinstance(number, float) and not math.isfinite(number) and isinstance(data, float)
    ):
        return  # .nan / .inf are reported by the schema ("not a finite number")
    if abs(number) > MAX_NUMBER:
        raise InputError(
            f"{_describe_number(number)} is far too large (more than {MAX_NUMBER:,})",
            file=path,
            line=_line_for(lines, loc),
            field=_field_path(loc) or None,
            hint="check the value: lengths are lines or mm, sizes pt or 号",
        )


def _check_types(raw: Any, value: Any, path: Path, lines: dict, loc: tuple = ()) -> None:
    """Refuse true/false where validation turned it into a number (``page: true`` is not page 1)."""
    if isinstance(raw, bool):
        if not isinstance(value, bool):
            raise InputError(
                f"{str(raw).lower()} is not a number",
                file=path,
                line=_line_for(lines, loc),
                field=_field_path(loc) or None,
                hint="write a number here",
            )
        return
    if isinstance(raw, dict):
        for key, item in raw.items():
            if isinstance(value, BaseModel):
                if key in type(value).model_fields:
                    _check_types(item, getattr(value, key), path, lines, loc + (str(key),))
            elif isinstance(value, dict) and key in value:
                _check_types(item, value[key], path, lines, loc + (str(key),))
    elif isinstance(raw, list) and isinstance(value, (list, tuple)):
        for i, (item, val) in enumerate(zip(raw, value)):
            _check_types(item, val, path, lines, loc + (str(i),))


def _check_trim(issue: Issue, path: Path, lines: dict) -> None:
    """A trim beyond any press sheet is a slip (100 m would render a 100 m page)."""
    from .units import to_mm

    if issue.format.trim is None:
        return
    em = (
        issue.size(issue.format.body_size)
        if issue.format.body_size is not None
        else HAO_SIZES["小五"]
    )
    for i, v in enumerate(issue.format.trim):
        side = to_mm(parse_length(v, em=em, pitch=2 * em))
        if side > MAX_TRIM_MM:
            raise InputError(
                f"a trim of {side:,.0f} mm is larger than any press sheet (MAX_TRIM_MM "
                f"= {MAX_TRIM_MM:g} mm)",
                file=path,
                line=_line_for(lines, ("format", "trim")),
                field=f"format.trim.{i}",
                hint="write the trimmed page size, e.g. [390mm, 550mm]",
            )


_MEMBER_TAG = re.compile(r"^(constrained-)?(int|str|float|bool)$|[\[\]]|^function-")
"""Names pydantic gives the members of a union in error locations (``col.constrained-int``)."""


def _user_loc(loc) -> tuple[str, ...]:
    """An error location as the description's field path: union tags and member names dropped."""
    return tuple(str(p) for p in loc if p not in (_ONE, _MANY) and not (isinstance(p, str) and _MEMBER_TAG.search(p)))


def _check_markup(text: str, desc: Path, root: Path, body_file: str | None, base: str, key: str,
                  lines: dict) -> None:
    """Parse body markup now, so unknown markup is reported with its file and line (the body
    file's own line, or the description's line of the text)."""
    from .markup import MarkupError

    try:
        parse_body(text)
    except MarkupError as exc:
        if body_file is not None:
            file, line, field = (root / body_file), exc.line, f"{base}.{key}_file"
        else:
            at = _line_for(lines, tuple(base.split(".")) + (key,))
            # A block scalar (``body: |``) starts on the line after its key.
            file, field = desc, f"{base}.{key}"
            line = (at + exc.line) if at is not None and "\n" in text.strip() else at
        raise InputError(exc.message, file=file, line=line, field=field, hint=exc.hint) from None


def load_issue(path: str | Path, *, allow: tuple[Path, ...] = ()) -> LoadedIssue:
    """Load and validate an issue description; raise ``InputError`` naming file, line and field."""
    path = Path(path)
    data, lines = _read_yaml(path)
    _check_raw(data, path, lines)
    try:
        issue = Issue.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt key first: it explains the fields then missing ("artciles:" → "articles:
        # Field required" said nothing of the typo).
        errors = sorted(errors, key=lambda e: e["type"] != "extra_forbidden")
        err = errors[0]
        loc = _user_loc(err["loc"])
        if err["type"] == "extra_forbidden":  # the last part is the user's own key, whatever it looks like
            loc = _user_loc(err["loc"][:-1]) + (str(err["loc"][-1]),)
        msg = err["msg"]
        msg = msg.removeprefix("Value error, ")
        kind = err["type"]
        m = _PATH_PREFIX.match(msg)
        if m:  # a model validator names the field at fault: "place.top: …"
            loc, msg = loc + tuple(m.group(1).split(".")), m.group(2)
        hint = _HINTS.get(kind, "see `paiban schema` for the expected shape")
        if kind == "extra_forbidden":
            msg = f"unknown field {_short_path(loc[-1], 60)!r}"
            near = _near_field(str(loc[-1]))
            if near:
                hint = f"did you mean {near!r}? Otherwise remove it; `paiban schema` lists every field"
        msg = _first_line(msg, 300)
        more = len({_user_loc(e["loc"]) for e in errors}) - 1
        if more:
            msg += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise InputError(msg, file=path, line=_line_for(lines, loc), field=_field_path(loc) or None,
                         hint=hint) from None
    _check_types(data, issue, path, lines)
    _check_trim(issue, path, lines)
    root = path.parent
    bodies: dict[str, str] = {}
    sidebars: dict[str, str] = {}
    for i, article in enumerate(issue.articles):
        if article.body_file is not None:
            bodies[article.id] = _read_text(
                path, root, article.body_file, f"articles.{i}.body_file", lines, allow
            )
        else:
            bodies[article.id] = article.body or ""
        photo_only = article.body is None and article.body_file is None
        if not bodies[article.id].strip() and not photo_only:
            raise InputError("the body is empty", file=path, line=_line_for(lines, ("articles", str(i))),
                             field=f"articles.{i}.body", hint="give the article some text")
        base = f"articles.{i}"
        _check_markup(bodies[article.id], path, root, article.body_file, base, "body", lines)
        if article.sidebar is not None:
            sb = article.sidebar
            if sb.body_file is not None:
                sidebars[article.id] = _read_text(
                    path, root, sb.body_file, f"articles.{i}.sidebar.body_file", lines, allow
                )
            else:
                sidebars[article.id] = sb.body or ""
            _check_markup(sidebars[article.id], path, root, sb.body_file, f"{base}.sidebar", "body",
                          lines)
        _check_markup(article.editor_note, path, root, None, base, "editor_note", lines)
        for n, item in enumerate(article.items):
            _check_markup(item.text, path, root, None, f"{base}.items.{n}", "text", lines)
    return LoadedIssue(issue=issue, path=path, root=root, bodies=bodies, sidebars=sidebars, lines=lines)


def referenced_files(issue_path: str | Path) -> list[Path]:
    """The description and every file it names (bodies, sidebars, photos, fonts), as paths.

    Reads the YAML without validating it, so that a half-edited description still yields the
    files it names; a description that cannot be read yields just itself.
    """
    path = Path(issue_path)
    files = [path]
    try:
        data, _ = _read_yaml(path)
    except InputError:
        return files
    names: list[str] = []

    def add(value) -> None:
        if isinstance(value, str) and value.strip() and name_problem(value) is None:
            names.append(value)

    articles = data.get("articles")
    for article in articles if isinstance(articles, list) else []:
        if not isinstance(article, dict):
            continue
        add(article.get("body_file"))
        sidebar = article.get("sidebar")
        if isinstance(sidebar, dict):
            add(sidebar.get("body_file"))
        photos = article.get("photos")
        for photo in photos if isinstance(photos, list) else []:
            if isinstance(photo, dict):
                add(photo.get("file"))
    nameplate = data.get("nameplate")
    if isinstance(nameplate, dict):
        add(nameplate.get("logo"))
    type_ = data.get("type")
    if isinstance(type_, dict):
        fonts = type_.get("fonts")
        if isinstance(fonts, dict):
            for ref in fonts.values():
                add(ref.get("file") if isinstance(ref, dict) else ref)
        fallbacks = type_.get("fallbacks")
        for ref in fallbacks if isinstance(fallbacks, list) else []:
            add(ref.get("file") if isinstance(ref, dict) else ref)
    root = path.parent
    for name in names:
        try:
            p = Path(name).expanduser()
        except RuntimeError:  # "~user" of an unknown user
            p = Path(name)
        files.append(p if p.is_absolute() else root / p)
    return list(dict.fromkeys(files))


def json_schema() -> dict:
    """Return the JSON Schema of an issue description (for editor completion)."""
    schema = Issue.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Paiban issue description"
    return schema


# ---------------------------------------------------------------- body markup

_SUBHEAD_RE = re.compile(r"^(#{2,3})\s+(.*)$")

Run = tuple[str, str]
"""An inline run of a paragraph: (style, text); style ``""`` body, ``"bold"`` or a font role."""


class Block(BaseModel):
    """One block of body text: a paragraph or a section subhead.

    ``runs`` holds the paragraph's inline runs (``markup``); ``text`` is their plain text.
    ``note`` is an editor's note (编者按) and ``index`` an index entry (导读) whose ``number``
    holds its page reference (第3版); the planner makes both.
    ``cont`` marks the piece of a paragraph after an explicit line break (no first-line
    indent); ``align`` is ``end`` for a flush-right source line. ``line`` is where the block
    starts in its text (from 1).
    """

    model_config = ConfigDict(frozen=True)

    kind: Literal["para", "subhead", "subhead2", "note", "index"]
    text: str
    number: str = ""
    hanging: bool = False
    runs: tuple[Run, ...] = ()
    cont: bool = False
    align: Literal["justify", "end"] = "justify"
    line: int = 0
    keep_first: bool = False
    """Keep the paragraph's first line with its second (a brief's run-in title is not left alone
    at a column's foot)."""


def parse_body(text: str) -> list[Block]:
    """Split body markup into paragraphs and subheads; raise ``MarkupError`` for unknown markup.

    Paragraphs are separated by blank lines; lines inside a paragraph are joined (whitespace
    between hanzi disappears in composition). ``## 1 标题`` is a numbered section subhead,
    ``### 标题`` a smaller one (插题). A paragraph that starts with ``> `` is set with a hanging
    indent (凸排: Q&A, articles of a regulation), one that starts with ``>> `` flush right (a
    source line). Inside a paragraph ``**…**`` is a bold run-in, ``{楷:…}`` a span in another
    role and a backslash at a line's end a line break (``markup``).
    """
    from .markup import RIGHT_PREFIX, inline_runs, split_breaks

    blocks: list[Block] = []
    buf: list[str] = []
    first = [0]

    def flush() -> None:
        if not buf:
            return
        rows = list(buf)
        buf.clear()
        joined = "\n".join(rows).strip()
        align, hanging = "justify", False
        if joined.startswith(RIGHT_PREFIX):
            align = "end"
            rows[0] = rows[0].lstrip()[len(RIGHT_PREFIX):]
        elif joined.startswith(">"):
            hanging = True
            rows[0] = rows[0].lstrip()[1:]
        line = first[0]
        for n, piece in enumerate(split_breaks(rows)):
            runs = inline_runs("\n".join(piece).strip(), line)
            plain = "".join(t for _s, t in runs)
            if plain.strip():
                blocks.append(Block(kind="para", text=plain, hanging=hanging, runs=runs, cont=n > 0,
                                    align=align, line=line))
            line += len(piece)

    rows = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(rows, start=1):
        line = raw.strip()
        m = _SUBHEAD_RE.match(line)
        if m:
            flush()
            title = m.group(2).strip()
            inline_runs(title, number)  # unknown markup in a subhead is an error too
            num = ""
            nm = re.match(r"^(\d{1,2}|[一二三四五六七八九十]+、?)\s+(.*)$", title)
            if nm:
                num, title = nm.group(1), nm.group(2)
            title = "".join(t for _s, t in inline_runs(title, number))
            blocks.append(Block(kind="subhead" if len(m.group(1)) == 2 else "subhead2", text=title,
                                number=num, line=number))
        elif not line:
            flush()
        else:
            if not buf:
                first[0] = number
            buf.append(line)
    flush()
    return blocks


# ---------------------------------------------------------------- render options


class RenderOptions(Strict):
    """How a page is rendered and finished for print; shared by the API and the CLI."""

    pdfx: Literal["x1a", "x4", "none"] = Field("x1a", description="PDF/X-1a:2003, PDF/X-4 or plain PDF.")
    profile: Path | None = Field(None, description="CMYK output profile (.icc); default the bundled newsprint one.")
    output_condition: str = Field("CGATS TR 002", description="OutputIntent identifier of the profile.")
    ink_limit: float = Field(240.0, ge=100, le=400, description="Total ink limit for images, in %.")
    grayscale: bool = Field(False, description="Convert every photo to black only (K plate).")
    marks: bool = Field(True, description="Crop and registration marks and the slug outside the bleed.")
    strict: bool = Field(False, description="Fail (exit 1) when any text is overset.")
    page_fit: bool = Field(True, description="Move the edges modules share (within their flex) so that they fill.")
    preflight: bool = Field(True, description="Check the written PDF with the preflight rules.")
    allow: tuple[Path, ...] = Field((), description="Extra folders assets may be read from.")
    created: str | None = Field(None, description="Creation date written into the PDF (default fixed).")
    draft: bool = Field(False, description="Draft proof: accept low-resolution photos with a warning and a "
                                           "visible FPO mark; PDF/X output is refused and no preflight runs.")

    @field_validator("profile")
    @classmethod
    def _cmyk_profile(cls, value: Path | None) -> Path | None:
        if value is None:
            return value
        try:
            regular_stat(value)  # a FIFO or device would block or never end
            with open(value, "rb") as fh:
                head = fh.read(128)
        except FileProblem as exc:
            raise ValueError(f"{value}: {exc.message}") from None
        except OSError as exc:
            raise ValueError(f"cannot read {value}: {exc.strerror}") from None
        if len(head) < 128 or head[16:20] != b"CMYK":  # ICC header: data colour space at byte 16
            raise ValueError(f"{value} is not a CMYK ICC profile")
        return value
