"""Front-page and styled-article planning: the nameplate, boxes, label tags, briefs and indexes.

Owns the plan-stage decisions of issue 16, each validated with its YAML field path: the
nameplate (报头) rectangle, its name or vector logo (read once here through the loader the
API supplies) and its issue-data lines — 国内统一连续出版物号, 邮发代号, 期号, the date with
weekday and the 农历 date (computed with lunar-python, or given), weather, web address —
[8NET][XINB2B][ZJBT]; a boxed article's rule style and K-only tint (围框, 花边, 底纹); the
reversed label tag of a module (今日谈, 简讯, 导读); the blocks of a briefs group (简讯: one
paragraph per item, a mark, a bold run-in title and its text [BOOK0755]), of an index (导读:
title and page reference [WENMI-DAODU]) and of an editor's note (编者按); and an article's own
body face and size.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..markup import BOLD, DOTS, inline_runs
from ..model import Block, parse_body
from .geometry import GridRect
from .grid import Grid
from .types import BoxPlan, LabelPlan, NameplatePlan

LABEL_ROWS = 2
"""Body lines a label tag takes: the tag on the first, white on the second (so the reversed
panel never touches the head or text below it)."""

MAX_BODY_SIZE_RATIO = 1.2
"""An article's own body size may be at most this × the page's body size: lines stay on the
page's line grid (the line pitch is the page's), so a larger size would crowd the lines."""

EDITOR_NOTE_LABEL = "编者按"
"""The label that opens an editor's note."""

LUNAR_PREFIX = "农历"
"""Prefix of the lunar date in the nameplate."""

ArtLoader = Callable[[Path, str, str], object]
"""``(path, file as written, field path) -> vector.VectorArt``; raises a located InputError."""


def lunar_date(day) -> str:
    """Return the 农历 date of a Gregorian date, e.g. 2024-05-20 → 甲辰年四月十三 (lunar-python)."""
    from lunar_python import Solar

    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    return f"{lunar.getYearInGanZhi()}年{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"


def nameplate_info(issue) -> tuple[tuple[str, ...], ...]:
    """Return the nameplate's issue-data rows, in the order they are set; each row holds pieces
    set one em apart (whitespace between hanzi does not survive composition)."""
    n = issue.nameplate
    d = issue.date
    rows: list[tuple[str, ...]] = []
    if n.cn:
        rows += [("国内统一连续出版物号",), (n.cn,)]
    if n.post_code:
        rows.append(("邮发代号", n.post_code))
    numbers = tuple(
        t
        for t in ((f"第{n.number}期" if n.number else ""), (f"总第{n.total}期" if n.total else ""))
        if t
    )
    if numbers:
        rows.append(numbers)
    rows.append((f"{d.year}年{d.month}月{d.day}日", issue.derived_weekday))
    if n.lunar is True:
        rows.append((LUNAR_PREFIX + lunar_date(d),))
    elif isinstance(n.lunar, str) and n.lunar.strip():
        lunar = n.lunar.strip()
        rows.append((lunar if lunar.startswith(LUNAR_PREFIX) else LUNAR_PREFIX + lunar,))
    if n.pages:
        rows.append((f"今日{n.pages}版",))
    for extra in (n.weather, n.web, n.publisher):
        if extra:
            rows.append((extra,))
    return tuple(rows)


def plan_nameplate(
    issue, grid: Grid, where, resolve, load_art: ArtLoader | None
) -> NameplatePlan | None:
    """Plan the nameplate: its rectangle on the grid, name or logo, issue-data lines."""
    n = issue.nameplate
    if n is None:
        return None
    field = "nameplate.place"
    pl = n.place
    if pl.col + pl.span - 1 > grid.columns:
        raise where.error(
            f"columns {pl.col}–{pl.col + pl.span - 1} run off the {grid.columns}-column grid",
            field,
            f"use col + span − 1 ≤ {grid.columns}",
        )
    if pl.height == "auto" or isinstance(pl.top, str) and not _is_number(pl.top):
        raise where.error(
            "the nameplate needs a top and a height in lines or mm",
            f"{field}.height",
            "e.g. place: {col: 1, span: 5, top: 0, height: 12}",
        )
    from .planner import _rows

    top = _rows(pl.top, grid, f"{field}.top", where)
    height = _rows(pl.height, grid, f"{field}.height", where)
    if top + height > grid.lines or height < 3:
        raise where.error(
            f"the nameplate (lines {top}–{top + height}) does not fit the page",
            f"{field}.height",
            f"give it at least 3 lines and keep top + height ≤ {grid.lines}",
        )
    if n.info_span >= pl.span:
        raise where.error(
            f"info_span {n.info_span} leaves no column for the name (span {pl.span})",
            "nameplate.info_span",
            "use a smaller info_span or a wider place",
        )
    art = None
    if n.logo:
        path = resolve(n.logo, "nameplate.logo")
        if path.suffix.lower() not in (".svg", ".pdf"):
            raise where.error(
                f"logo {n.logo!r} is not vector art",
                "nameplate.logo",
                "give an .svg or .pdf file (a raster logo would not stay sharp)",
            )
        if load_art is None:
            raise where.error(
                "a logo needs the vector loader", "nameplate.logo", "plan through layout.api"
            )
        art = load_art(path, n.logo, "nameplate.logo")
    name = n.name or issue.paper
    return NameplatePlan(
        GridRect(pl.col - 1, pl.span, top, height),
        name,
        n.font,
        art,
        n.info_span,
        nameplate_info(issue),
    )


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def plan_box(article, index: int, region, auto: bool, where) -> BoxPlan | None:
    """Plan a boxed article's rule, tint (0..1 of K) and inset; boxes are fixed-size rectangles."""
    box = article.box
    if box is None:
        return None
    if auto:
        raise where.error(
            "a boxed article (围框) needs a fixed height",
            f"articles.{index}.place.height",
            "give the height in lines or mm: boxes are fixed shapes placed first [IHW-3X3]",
        )
    if len(region.bands) > 1:
        raise where.error(
            "a boxed article (围框) must be one rectangle",
            f"articles.{index}.box",
            "give place one rectangle, or drop box",
        )
    if region.bbox.height < 4:
        raise where.error(
            "a boxed article needs at least 4 lines",
            f"articles.{index}.place.height",
            "make the module taller",
        )
    return BoxPlan(box.rule, round(box.tint / 100.0, 4), box.inset)


def check_box_contents(article, index: int, module, where) -> None:
    """Check that a boxed article holds only text and a head (photos and sidebars sit outside)."""
    if module.box is None:
        return
    if article.photos:
        raise where.error(
            "a boxed article takes no photos",
            f"articles.{index}.photos",
            "place the photo as its own article beside the box, or drop box",
        )
    if article.sidebar is not None:
        raise where.error(
            "a boxed article takes no sidebar",
            f"articles.{index}.sidebar",
            "drop the sidebar or the box",
        )
    if article.columns and len(module.region.bands) > 1:
        raise where.error(
            "split columns need a rectangle", f"articles.{index}.columns", "drop columns"
        )


def plan_label(article, index: int, region, where) -> LabelPlan | None:
    """Plan a module's reversed label tag (今日谈, 简讯, 导读); it sits at a rectangle's top left."""
    if not article.label:
        return None
    if len(region.bands) > 1:
        raise where.error("a label tag needs a rectangular module", f"articles.{index}.label",
                          "give place one rectangle, or set the label as the kicker")
    return LabelPlan(article.label, "黑", LABEL_ROWS)


def body_size(article, index: int, issue, grid: Grid, where) -> float | None:
    """Return an article's own body size (pt), checked against the page's line grid."""
    if article.body_size is None:
        return None
    size = issue.size(article.body_size)
    if size > grid.em * MAX_BODY_SIZE_RATIO + 1e-6:
        raise where.error(
            f"body size {size:g} pt is too large for the page's {grid.pitch:g} pt line pitch",
            f"articles.{index}.body_size",
            f"use at most {grid.em * MAX_BODY_SIZE_RATIO:g} pt (e.g. 五号), "
            "or change format.body_size",
        )
    return size


RUN_IN_GAP = "\u3000"
"""White after a brief's bold run-in title: one 字 (clreq: a run-in head is followed by a 1 字
space)."""


def story_blocks(article, text: str) -> tuple[Block, ...]:
    """Return an article's blocks: an editor's note first, then its body, briefs or index items."""
    blocks: list[Block] = []
    if article.editor_note:
        runs = inline_runs(article.editor_note)
        blocks.append(
            Block(
                kind="note", text="".join(t for _s, t in runs), number=EDITOR_NOTE_LABEL, runs=runs
            )
        )
    if article.kind == "briefs":
        for item in article.items:
            runs: tuple = (("黑", article.separator),) if article.separator else ()
            body = parse_body(item.text)
            # A run-in title is followed by a one-字 space before its text [CLREQ
            # §processing_of_runin_headings]; the whitespace rule keeps a U+3000 as typed.
            runs += ((BOLD, item.title + RUN_IN_GAP if body else item.title),)
            first = body[0].runs if body else ()
            blocks.append(
                Block(
                    kind="para",
                    text="".join(t for _s, t in runs + first),
                    runs=runs + first,
                    keep_first=True,
                )
            )
            blocks.extend(body[1:])
    elif article.kind == "index":
        for item in article.items:
            runs = ((("黑", article.separator),) if article.separator else ()) + (("", item.title),)
            blocks.append(
                Block(
                    kind="index",
                    text="".join(t for _s, t in runs),
                    runs=runs,
                    number=f"第{item.page}版",
                )
            )
    else:
        blocks.extend(parse_body(text))
    return tuple(blocks)


def block_uses(blocks, body_role: str, tp, ctx: str) -> list[tuple[str, str, str]]:
    """Return (text, role, where) of every run of a story's blocks, for the glyph-coverage check."""
    uses: list[tuple[str, str, str]] = []
    for b in blocks:
        if b.kind in ("subhead", "subhead2"):
            uses.append((b.number + b.text, tp.subhead_font, f"{ctx}, subheads"))
            continue
        base = "楷" if b.kind == "note" else ("黑" if b.kind == "index" else body_role)
        if b.number:
            uses.append((b.number, "黑", f"{ctx}, {b.kind}"))
        for style, text in b.runs or (("", b.text),):
            role = tp.bold_font if style == BOLD else (base if style in ("", DOTS) else style)
            uses.append((text, role, f"{ctx}, body"))
    return uses


def caption_style(photo, issue) -> tuple[str, float]:
    """Return a photo's caption face and size: its own, else the page's."""
    tp = issue.type
    font = photo.caption_font or tp.caption_font
    size = issue.size(photo.caption_size if photo.caption_size is not None else tp.caption_size)
    return font, size
