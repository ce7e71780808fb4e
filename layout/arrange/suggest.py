"""Suggestions that were tried: remedies for a module that does not fit, each verified.

Owns, for every module that is overset or keeps more than one empty line at a column foot,
and every module over white of the type area, trying the remedies an editor reaches for — cut
or add copy at its end (how many 字, found by composing shortened or lengthened copy), one more
item for a list of items, copy added to the paragraph above white a kept subhead leaves at a
column's foot, a photo some lines shorter or taller (keeping most of the image), the box moved
to other columns, the head one size smaller or larger, letting page-level fit move the
module's edges further, letting a neighbour over a shared edge give or take more lines, the
module's height down to the page's foot (with the copy that fills it) — and keeping those that
make the module fit (no overset, at most one empty line at a foot), each with the field to
change and its new value.

Every suggestion is the result of composing the change, never an estimate, and it is verified
as the editor will see it: the change is made to the page as described (before page-level
fit), page-level fit runs again and the whole page is composed; a remedy counts when the module
then fits and no module that fitted stops fitting. Remedies that make more of the page fit come
first, then the cheapest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Block
from ..plan.planner import HAO_STEPS
from ..plan.types import Chain, PagePlan
from .pagefit import find_edges

FILLER = "字"
"""The character lengthened copy is measured with (any hanzi sets alike)."""

MAX_PHOTO_CHANGE = 24
"""Lines a photo is tried shorter or taller, beyond its flex."""

FLEX_STEP = 8
"""Lines a module's flex is widened by when page-level fit is tried again."""

MAX_SUGGESTIONS = 4
"""Suggestions listed per module: those that make most of the page fit, then the cheapest."""

VERIFY_STEPS = 4
"""Amounts tried beyond the one found on the module alone (a line of 字, or a photo line, more
each time) before a remedy is given up: page-level fit may move the module's edges again."""

ITEM_KINDS = ("subhead", "subhead2")
"""Block kinds an item of a list of items (简讯) starts with: its title."""

ITEM_TITLE = 8
"""字 in the title of an item a suggestion adds."""

MIN_ITEMS = 3
"""Titles that make copy a list of items (a story with one or two subheads is not)."""

ITEM_MAX_CHARS = 200
"""The most 字 of text an item of a list has on average (a brief); sections under subheads with
more are a story, never offered one more item."""

HAO_NAMES = {42.0: "初号", 36.0: "小初", 26.0: "一号", 24.0: "小一", 22.0: "二号", 18.0: "小二",
             16.0: "三号", 15.0: "小三", 14.0: "四号", 12.0: "小四", 10.5: "五号", 9.0: "小五"}
"""号 names of the head sizes stepped through."""


@dataclass(frozen=True)
class Suggestion:
    """A remedy that was composed and works: words, the field to change and its new value.

    ``kind`` is cut | add | item | photo | box | head | flex | height; ``cost`` orders suggestions (lines of
    change, or 字 / 10 for copy); ``fit`` is (overset lines, foot lines) after the change;
    ``also`` the other modules it makes fit."""

    kind: str
    text: str
    field: str
    value: object
    cost: float
    fit: tuple[int, int]
    also: tuple[str, ...] = ()
    left: int = 0
    """Modules of the page that still do not fit, and empty areas, once it is made (the order's
    first key)."""
    at: str = ""
    """Where copy is added when not at the end: the last characters of the paragraph (before
    its closing stop) whose end takes it."""

    more: tuple[tuple[str, int], ...] = ()
    """Copy added besides ``value`` at the end: (``at`` of a paragraph, 字) for each."""
    copy: int = 0
    """字 added at the end of the copy besides the change of ``field`` (a module made deeper)."""

    def as_dict(self) -> dict:
        """JSON-ready form."""
        return {"kind": self.kind, "text": self.text, "field": self.field, "value": self.value,
                "fit": {"over_lines": self.fit[0], "foot_lines": self.fit[1]}, "also_fits": list(self.also),
                **({"at": self.at} if self.at else {}),
                **({"more": [{"at": a, "add": n} for a, n in self.more]} if self.more else {}),
                **({"add": self.copy} if self.copy else {})}


def _ok(result) -> tuple[bool, tuple[int, int]]:
    over = sum(f.overset_lines + (1 if f.overset_chars and not f.overset_lines else 0) for f in result.fits)
    foot = result.fits[0].empty_tail
    return over == 0 and foot <= 1 and not result.problems, (over, foot)


class _Page:
    """The page as described, and what page-level fit and composition make of it when changed."""

    def __init__(self, base: PagePlan, measure, refit) -> None:
        self.base, self.measure, self.refit = base, measure, refit
        self.before, moves, self.holes, self.fitted = self.state(base)
        self.moves = {m.describe() for m in moves}

    def state(self, plan: PagePlan):
        """Each article's fit once ``plan`` is fitted, the edge moves made, the empty areas of
        the type area left, and the fitted plan."""
        fitted = self.refit(plan) if self.refit is not None else None
        final = fitted.plan if fitted is not None else plan
        results = {c.article: self.measure(c) for c in final.chains}
        return ({a: _ok(r) for a, r in results.items()}, (fitted.moves if fitted is not None else ()),
                _holes(final, results), final)

    def verify(self, article: str, change, hole: bool = False) -> tuple | None:
        """``(fit, also, left, moves)`` when ``change(base)`` makes ``article`` fit (``hole``: and
        leaves fewer empty areas), keeps every module that fitted fitting and opens no empty
        area; None otherwise."""
        after, moves, holes, _final = self.state(change(self.base))
        ok, fit = after[article]
        if not ok or any(self.before[a][0] and not after[a][0] for a in after if a in self.before):
            return None
        if holes > self.holes or (hole and holes >= self.holes):
            return None
        also = tuple(a for a in after if a != article and a in self.before and not self.before[a][0] and after[a][0])
        return fit, also, sum(1 for v in after.values() if not v[0]) + holes, moves


def suggest(plan: PagePlan, measure, refit=None, base: PagePlan | None = None) -> dict[str, list[Suggestion]]:
    """Suggestions per article for every module of ``plan`` that does not fit.

    ``plan`` is the page as composed; ``base`` the page as described, before page-level fit
    (default ``plan``); ``measure(chain)`` composes a chain without frames; ``refit(plan)``
    (optional) runs page-level fit and returns its ``PageFit``. Each remedy is made to ``base``
    and verified over the whole page after ``refit``."""
    page = _Page(base if base is not None else plan, measure, refit)
    out: dict[str, list[Suggestion]] = {}
    for chain in plan.chains:
        if page.before.get(chain.article, (True,))[0] and _ok(measure(chain))[0]:
            continue
        f = measure(chain).fits[0]
        tried: list[Suggestion] = []
        tried += _copy(chain, measure, f, page)
        tried += _photos(chain, measure, f, page)
        tried += _box(chain, page)
        tried += _head(chain, f, page)
        if refit is not None:
            tried += _flex(chain, page)
        if tried:
            out[chain.article] = sorted(tried, key=lambda s: (s.left, s.cost))[:MAX_SUGGESTIONS]
    if page.holes:
        for chain in _over_holes(page.fitted, measure):
            tried = _fill_hole(chain, page) + out.get(chain.article, [])
            seen: set = set()
            tried = [s for s in sorted(tried, key=lambda s: (s.left, s.cost))
                     if (s.field, repr(s.value)) not in seen and not seen.add((s.field, repr(s.value)))]
            if tried:
                out[chain.article] = tried[:MAX_SUGGESTIONS]
    return out


def _rects(plan: PagePlan, results: dict) -> list:
    """The grid rectangles the page's modules cover (auto heights as composed) and its fixed blocks."""
    labels = {m.label for c in plan.chains for m in c.modules}
    rects = [band for r in results.values() for m in r.modules for band in m.plan.region.bands]
    return rects + [rect for label, rect in plan.fixed if label not in labels]


def _holes(plan: PagePlan, results: dict) -> int:
    """Empty areas of the type area (as the page reports them)."""
    from ..compose.page import _empty_areas

    return len(_empty_areas(plan.grid, _rects(plan, results)))


def _over_holes(plan: PagePlan, measure) -> list[Chain]:
    """The chains whose main module has white of the type area right under its foot."""
    results = {c.article: measure(c) for c in plan.chains}
    rects = _rects(plan, results)
    out = []
    for chain in plan.chains:
        last = results[chain.article].modules[0].plan.region.bands[-1]
        if last.end >= plan.grid.lines:
            continue
        below = [last.end + 1] if last.end + 1 < plan.grid.lines else []
        if any(not any(r.col <= col < r.right and r.top <= line < r.end for r in rects)
               for col in range(last.col, last.right) for line in below):
            out.append(chain)
    return out


def _fill_hole(chain: Chain, page: _Page) -> list[Suggestion]:
    """Remedies for white of the type area under a module: the module reaching further down
    (its height to the page's foot, or a wider flex for page-level fit), or a neighbour over
    one of its edges allowed to give or take more lines."""
    base = {c.article: c.modules[0] for c in page.base.chains}
    main = base.get(chain.article)
    if main is None or main.auto:
        return []
    out: list[Suggestion] = []
    lines = page.base.grid.lines
    if len(main.region.bands) == 1:
        band = main.region.bands[0]
        height = lines - band.top

        def deeper(m, height=height):
            from ..plan.geometry import GridRect, Region

            b = m.region.bands[0]
            return replace(m, region=Region((GridRect(b.col, b.span, b.top, height),)))

        change = _main_changed(chain.article, deeper)
        text = f"height {height} lines: down to the page's foot"
        field, cost = f"articles.{main.index}.place.height", abs(height - band.height)
        verified = page.verify(chain.article, change, hole=True)
        out += _made("height", text, field, height, cost, verified)
        if verified is None:
            out += _and_copy(chain.article, page, change, "height", text, field, height, cost)
    out += _flex(chain, page, hole=True)
    return out


def _and_copy(article: str, page: _Page, change, kind: str, text: str, field: str, value, cost: float):
    """A change that fills a hole but leaves its module short, with the fewest 字 added at the
    end of the copy that then make it fit (verified together on the page)."""
    _after, _moves, holes, final = page.state(change(page.base))
    if holes >= page.holes:
        return []
    chain = next(c for c in final.chains if c.article == article)
    f = page.measure(chain).fits[0]
    if f.overset or f.empty_tail <= 1:
        return []
    held = _still(chain)

    def filled(n: int) -> bool:
        over, foot = _ok(page.measure(_with_copy(held, n)))[1]
        return over > 0 or foot <= 1

    n = _least(filled, 1, max(2, 3 * f.short_chars))
    step = max(1, round(f.chars_per_line))
    for k in range(VERIFY_STEPS + 1 if n is not None else 0):
        add = n + k * step

        def both(plan: PagePlan, add=add) -> PagePlan:
            return _copy_changed(article, add)(change(plan))

        verified = page.verify(article, both, hole=True)
        if verified is not None:
            return [replace(s, copy=add) for s in _made(kind, f"{text}, and add {add} 字 at the end of the copy",
                                                        field, value, cost + add / 10, verified)]
    return []


def _main_changed(article: str, fn):
    """A change of the page: ``fn(module)`` for the main module of ``article``."""
    def change(plan: PagePlan) -> PagePlan:
        return replace(plan, chains=tuple(Chain(c.story, (fn(c.modules[0]),) + c.modules[1:]) if c.article == article
                                          else c for c in plan.chains))
    return change


def _copy_changed(article: str, delta: int):
    """A change of the page: ``delta`` 字 more or fewer at the end of ``article``'s copy."""
    def change(plan: PagePlan) -> PagePlan:
        return replace(plan, chains=tuple(_with_copy(c, delta) if c.article == article else c for c in plan.chains))
    return change


def _made(kind: str, text: str, field: str, value, cost: float, verified) -> list[Suggestion]:
    """The suggestion a verified remedy makes (none when it was not verified)."""
    if verified is None:
        return []
    fit, also, left, _moves = verified
    if also:
        text += f" (then {', '.join(also)} fit{'s' if len(also) == 1 else ''} too)"
    return [Suggestion(kind, text, field, value, cost, fit, also, left)]


def _still(chain: Chain) -> Chain:
    """The chain with its photos held at their heights: copy is measured against the module as
    it is (auto-fit flexing photos would make more copy fit worse, and the count jump)."""
    main = chain.modules[0]
    return Chain(chain.story, (replace(main, photos=tuple(replace(p, flex=0) for p in main.photos)),)
                 + chain.modules[1:])


STOPS = "。！？”"
"""Characters a paragraph's copy ends with that stay at its end when copy is cut or added."""


def _with_copy(chain: Chain, delta: int) -> Chain:
    """The chain with ``delta`` 字 more (positive) or fewer (negative) at the end of its copy,
    before the last paragraph's closing stop (an editor cuts words and keeps the stop: a stop at
    a line end is set half width, so dropping it could change the lines)."""
    blocks = list(chain.story.blocks)
    if delta > 0:
        for i in range(len(blocks) - 1, -1, -1):
            if blocks[i].kind == "para":
                blocks[i] = _edited(blocks[i], delta)
                break
    else:
        cut = -delta
        while cut and blocks:
            last = blocks[-1]
            if last.kind != "para" or len(last.text) <= cut + 1:
                cut -= len(last.text) if last.kind == "para" else 0
                blocks.pop()
                continue
            blocks[-1] = _edited(last, -cut)
            cut = 0
    return Chain(replace(chain.story, blocks=tuple(blocks)), chain.modules)


def _edited(block: Block, delta: int) -> Block:
    """A paragraph with ``delta`` 字 added (filler) or cut before its closing stop; its inline
    runs (a bold run-in title, a span in another role) and flags are kept."""
    runs = [list(r) for r in (block.runs or (("", block.text),))]
    stop = runs[-1][1][-1] if runs[-1][1] and runs[-1][1][-1] in STOPS else ""
    if stop:
        runs[-1][1] = runs[-1][1][:-1]
    if delta > 0:
        runs[-1][1] += FILLER * delta
    else:
        cut = -delta
        while cut and runs:
            take = min(cut, len(runs[-1][1]))
            runs[-1][1] = runs[-1][1][: len(runs[-1][1]) - take]
            cut -= take
            if not runs[-1][1] and len(runs) > 1:
                runs.pop()
    runs[-1][1] += stop
    text = "".join(r[1] for r in runs)
    return block.model_copy(update={"text": text, "runs": tuple((s, x) for s, x in runs) if block.runs else ()})


def _with_item(chain: Chain, n: int) -> Chain:
    """The chain with one more item at the end of a list of items (简讯): a title of
    ``ITEM_TITLE`` 字 as the items' titles are set, and a paragraph of ``n`` 字 and a stop."""
    blocks = list(chain.story.blocks)
    title = next(b for b in reversed(blocks) if b.kind in ITEM_KINDS)
    blocks.append(title.model_copy(update={"text": FILLER * ITEM_TITLE, "number": "", "line": 0}))
    para = next(b for b in reversed(blocks) if b.kind == "para")
    blocks.append(para.model_copy(update={"text": FILLER * n + "。", "runs": (), "cont": False, "line": 0}))
    return Chain(replace(chain.story, blocks=tuple(blocks)), chain.modules)


def _items(chain: Chain) -> bool:
    """True when the copy is a list of items: at least ``MIN_ITEMS`` titles of one kind, each
    followed by text."""
    blocks = chain.story.blocks
    titles = [i for i, b in enumerate(blocks) if b.kind in ITEM_KINDS]
    if not (len(titles) >= MIN_ITEMS and len({blocks[i].kind for i in titles}) == 1
            and all(i + 1 < len(blocks) and blocks[i + 1].kind == "para" for i in titles)):
        return False
    # Items are short (a brief's few sentences); a story in sections under subheads is not a list.
    ends = titles[1:] + [len(blocks)]
    sizes = [sum(len(b.text) for b in blocks[i + 1:j]) for i, j in zip(titles, ends)]
    return sum(sizes) / len(sizes) <= ITEM_MAX_CHARS


def _least(test, lo: int, hi: int) -> int | None:
    """The least n in [lo, hi] with ``test(n)`` (``test`` monotone), or None."""
    if not test(hi):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if test(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _copy(chain: Chain, measure, f, page: _Page) -> list[Suggestion]:
    """Cut (overset) or add (white at the foot) copy at its end: the fewest 字 that make it fit.

    The amount is found on the module as composed (bisection), then verified on the page:
    made at the end of the copy, fitted and composed again; when page-level fit then moves
    the module's edges, a line of 字 more is tried, a few times."""
    field = f"articles.{chain.modules[0].index}.body"
    held = _still(chain)
    step = max(1, round(f.chars_per_line))
    if f.overset_lines or f.overset_chars:
        # Less copy first stops running over, then leaves white.
        n = _least(lambda n: _ok(measure(_with_copy(held, -n)))[1][0] == 0, 1, max(1, f.chars - 1))
        if n is None:
            return []
        for k in range(VERIFY_STEPS + 1):
            cut = min(f.chars - 1, n + k * step)
            verified = page.verify(chain.article, _copy_changed(chain.article, -cut))
            if verified is not None:
                return _made("cut", f"cut {cut} 字 of copy", field, -cut, cut / 10, verified)
        return []
    # More copy first fills the feet, then runs over.

    def filled(n: int) -> bool:
        over, foot = _ok(measure(_with_copy(held, n)))[1]
        return over > 0 or foot <= 1

    out: list[Suggestion] = []
    n = _least(filled, 1, max(2, 3 * f.short_chars))
    for k in range(VERIFY_STEPS + 1 if n is not None else 0):
        add = n + k * step
        verified = page.verify(chain.article, _copy_changed(chain.article, add))
        if verified is not None:
            out += _made("add", f"add {add} 字 at the end of the copy", field, add, add / 10, verified)
            break
    for col, white, block in f.held:
        out += _inside(chain, measure, page, field, step, col, white, block)
    if not out:
        # More copy at the end fills the feet until what follows a column's foot cannot start
        # there: the most that still sets, then the paragraph above that white lengthened.
        end, fit = 0, None
        for m in range(step, 3 * f.short_chars + 1, step):
            g = measure(_with_copy(held, m)).fits[0]
            if g.overset:
                break
            end, fit = m, g
        for col, white, block in (fit.held if fit is not None else ()):
            out += _inside(chain, measure, page, field, step, col, white, block, end)
    if _items(chain):
        out += _item(chain, measure, f, page, field, step)
    return out


AT_CHARS = 12
"""Characters that name the paragraph copy is added to (its last ones, before the stop)."""


def _with_copy_at(chain: Chain, block: int, n: int) -> Chain:
    """The chain with ``n`` 字 more at the end of paragraph ``block``."""
    blocks = list(chain.story.blocks)
    blocks[block] = _edited(blocks[block], n)
    return Chain(replace(chain.story, blocks=tuple(blocks)), chain.modules)


def _inside(chain: Chain, measure, page: _Page, field: str, step: int, col: int, white: int,
            block: int, end: int = 0) -> list[Suggestion]:
    """Copy added to the paragraph that ends above white held at a column's foot (what follows
    it could not start there), with ``end`` 字 more at the end of the copy: the fewest 字 that
    make the module fit, verified on the page."""
    blocks = chain.story.blocks
    if not 0 <= block < len(blocks) or blocks[block].kind != "para":
        return []
    text = blocks[block].text
    body = text[:-1] if text and text[-1] in STOPS else text
    copy = "\n".join(b.text for b in blocks)
    size = AT_CHARS  # as many characters as name the paragraph's end once in the copy
    while size < min(len(body), 3 * AT_CHARS) and copy.count(body[-size:]) > 1:
        size += AT_CHARS
    at = body[-size:]
    if end:
        chain = _with_copy(chain, end)
    held = _still(chain)
    # Filling the white moves what follows on, and balancing may end the columns anew: the least
    # amount that fits is searched up to the white and a few lines more.
    limit = (white + VERIFY_STEPS) * step
    n = next((n for n in range(1, limit + 1) if _ok(measure(_with_copy_at(held, block, n)))[0]), None)
    for k in range(VERIFY_STEPS + 1 if n is not None else 0):
        size = n + k * step

        def change(plan: PagePlan, size=size) -> PagePlan:
            return replace(plan, chains=tuple(_with_copy_at(_with_copy(c, end) if end else c, block, size)
                                              if c.article == chain.article else c for c in plan.chains))

        verified = page.verify(chain.article, change)
        if verified is None:
            continue
        where = (f"{size} 字 at the end of the paragraph ending “…{at}” (at the foot of column {col}, "
                 f"where {white} lines stay white)")
        if end:
            out = _made("add", f"add {end} 字 at the end of the copy and {where}", field, end,
                        (end + size) / 10 + 0.5, verified)
            return [replace(s, more=((at, size),)) for s in out]
        out = _made("add", f"add {where}", field, size, size / 10 + 0.5, verified)
        return [replace(s, at=at) for s in out]
    return []


def _item(chain: Chain, measure, f, page: _Page, field: str, step: int) -> list[Suggestion]:
    """One more item at the end of a list of items (简讯): the fewest 字 of text under a title
    of ``ITEM_TITLE`` 字 that fill the feet."""
    held = _still(chain)

    def filled(n: int) -> bool:
        over, foot = _ok(measure(_with_item(held, n)))[1]
        return over > 0 or foot <= 1

    n = _least(filled, 1, max(2, 3 * f.short_chars))
    for k in range(VERIFY_STEPS + 1 if n is not None else 0):
        size = n + k * step

        def change(plan: PagePlan, size=size) -> PagePlan:
            return replace(plan, chains=tuple(_with_item(c, size) if c.article == chain.article else c
                                              for c in plan.chains))

        verified = page.verify(chain.article, change)
        if verified is not None:
            return _made("item", f"add an item at the end: a title of {ITEM_TITLE} 字 and {size} 字 of text",
                         field, size, (size + ITEM_TITLE) / 10, verified)
    return []


MIN_PHOTO_SHARE = 0.5
"""A photo is not suggested at a height whose box would crop away more than half of the image's
height (a wide strip) or width (a tall one): that is another picture, not a resize."""


def _crops_too_much(grid, photo, height: int) -> bool:
    """True when a box ``height`` lines deep keeps less than ``MIN_PHOTO_SHARE`` of the image."""
    if photo.px is None or photo.art is not None or height <= 0:
        return False
    box = grid.span_w(photo.span) / (height * grid.pitch)
    image = photo.px[0] / photo.px[1]
    return min(box, image) / max(box, image) < MIN_PHOTO_SHARE


def _photos(chain: Chain, measure, f, page: _Page) -> list[Suggestion]:
    """A photo shorter (overset) or taller (white), beyond its flex, by the fewest lines that fit
    (and no more than keeps most of the image in its box)."""
    main = chain.modules[0]
    out: list[Suggestion] = []
    sign = -1 if (f.overset_lines or f.overset_chars) else 1
    for k, photo in enumerate(main.photos):
        found = None
        for d in range(1, MAX_PHOTO_CHANGE + 1):
            h = photo.height + sign * d
            if h < 3 or _crops_too_much(page.base.grid, photo, h):
                break
            photos = tuple(replace(p, height=h, flex=0) if i == k else p for i, p in enumerate(main.photos))
            if _ok(measure(Chain(chain.story, (replace(main, photos=photos),) + chain.modules[1:])))[0]:
                found = d
                break
        if found is None:
            continue
        for d in range(found, min(MAX_PHOTO_CHANGE, found + VERIFY_STEPS) + 1):
            h = photo.height + sign * d
            if h < 3 or _crops_too_much(page.base.grid, photo, h):
                break

            def resized(m, k=k, h=h):
                return replace(m, photos=tuple(replace(p, height=h) if i == k else p for i, p in enumerate(m.photos)))

            verified = page.verify(chain.article, _main_changed(chain.article, resized))
            if verified is not None:
                word = "shorter" if sign < 0 else "taller"
                out += _made("photo", f"photo {photo.source} {d} lines {word} (height {h})",
                             f"{photo.field}.place.height", h, d, verified)
                break
    return out


def _box(chain: Chain, page: _Page) -> list[Suggestion]:
    """The sidebar moved to other columns of the module."""
    main = chain.modules[0]
    sb = main.sidebar
    if sb is None:
        return []
    for col in sorted(range(main.region.bbox.span - sb.span + 1), key=lambda c: (abs(c - sb.col), c)):
        if col == sb.col:
            continue
        verified = page.verify(chain.article, _main_changed(chain.article,
                                                            lambda m, col=col: replace(m, sidebar=replace(m.sidebar, col=col))))
        if verified is not None:
            return _made("box", f"move the box to col {col + 1}", f"articles.{main.index}.sidebar.place.col",
                         col + 1, abs(col - sb.col), verified)
    return []


def _head(chain: Chain, f, page: _Page) -> list[Suggestion]:
    """The head one 号 smaller (overset) or larger (white)."""
    main = chain.modules[0]
    head = main.head
    if head is None or head.size not in HAO_STEPS:
        return []
    i = HAO_STEPS.index(head.size)
    j = i + 1 if (f.overset_lines or f.overset_chars) else i - 1
    if not 0 <= j < len(HAO_STEPS):
        return []
    size = HAO_STEPS[j]
    verified = page.verify(chain.article, _main_changed(chain.article, lambda m: replace(m, head=replace(m.head, size=size))))
    word = "smaller" if j > i else "larger"
    return _made("head", f"head one size {word} ({HAO_NAMES.get(size, size)}, {size:g} pt)",
                 f"articles.{main.index}.head.size", HAO_NAMES.get(size, size), 2, verified)


def _flex(chain: Chain, page: _Page, hole: bool = False) -> list[Suggestion]:
    """Page-level fit run again with this module, or a neighbour over one of its edges, allowed
    to move its edges further: the neighbour gives the module lines, or takes those it cannot
    fill (the module shorter)."""
    modules = {c.article: c.modules[0] for c in page.base.chains}
    own = modules.get(chain.article)
    if own is None:
        return []
    targets = [chain.article]
    for edge in find_edges(page.base):
        side = set(edge.above) | set(edge.below)
        if own.label in side:
            targets += sorted(m.article for m in modules.values() if m.label in side and m.article not in targets)
    out: list[Suggestion] = []
    for article in targets:
        main = modules[article]
        if main.auto:
            continue
        flex = main.flex + FLEX_STEP
        verified = page.verify(chain.article, _main_changed(article, lambda m, flex=flex: replace(m, flex=flex)), hole)
        if verified is None:
            continue
        # The edge moves that change (those page-level fit makes now are in the table already).
        moves = "; ".join(d for d in (m.describe() for m in verified[3]) if d not in page.moves) or "no other edge move"
        if article == chain.article:
            text = f"let page-level fit move its edges up to {flex} lines ({moves})"
        else:
            text = f"let {article} give or take up to {flex} lines over the shared edge ({moves})"
        out += _made("flex", text, f"articles.{main.index}.flex", flex, FLEX_STEP, verified)
    return out
