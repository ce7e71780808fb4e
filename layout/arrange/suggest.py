"""Suggestions that were tried: remedies for a module that does not fit, each verified.

Owns, for every module that is overset or keeps more than one empty line at a column foot,
trying the remedies an editor reaches for — cut or add copy (how many 字, found by composing
shortened or lengthened copy), a photo some lines shorter or taller, the box moved to other
columns, the head one size smaller or larger, and letting page-level fit move the module's
edges further — and keeping those that make the module fit (no overset, at most one empty line
at a foot), each with the field to change and its new value. Every suggestion is the result of
composing the change, never an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Block
from ..plan.planner import HAO_STEPS
from ..plan.types import Chain, PagePlan

FILLER = "字"
"""The character lengthened copy is measured with (any hanzi sets alike)."""

MAX_PHOTO_CHANGE = 24
"""Lines a photo is tried shorter or taller, beyond its flex."""

FLEX_STEP = 8
"""Lines a module's flex is widened by when page-level fit is tried again."""

MAX_SUGGESTIONS = 4
"""Suggestions listed per module, cheapest first."""

HAO_NAMES = {42.0: "初号", 36.0: "小初", 26.0: "一号", 24.0: "小一", 22.0: "二号", 18.0: "小二",
             16.0: "三号", 15.0: "小三", 14.0: "四号", 12.0: "小四", 10.5: "五号", 9.0: "小五"}
"""号 names of the head sizes stepped through."""


@dataclass(frozen=True)
class Suggestion:
    """A remedy that was composed and works: words, the field to change and its new value.

    ``kind`` is cut | add | photo | box | head | flex; ``cost`` orders suggestions (lines of
    change, or 字 / 10 for copy); ``fit`` is (overset lines, foot lines) after the change."""

    kind: str
    text: str
    field: str
    value: object
    cost: float
    fit: tuple[int, int]

    def as_dict(self) -> dict:
        """JSON-ready form."""
        return {"kind": self.kind, "text": self.text, "field": self.field, "value": self.value,
                "fit": {"over_lines": self.fit[0], "foot_lines": self.fit[1]}}


def _ok(result) -> tuple[bool, tuple[int, int]]:
    over = sum(f.overset_lines + (1 if f.overset_chars and not f.overset_lines else 0) for f in result.fits)
    foot = result.fits[0].empty_tail
    return over == 0 and foot <= 1, (over, foot)


def suggest(plan: PagePlan, measure, refit=None) -> dict[str, list[Suggestion]]:
    """Suggestions per article for every module of ``plan`` that does not fit.

    ``measure(chain)`` composes a chain without frames; ``refit(plan)`` (optional) runs
    page-level fit again and returns its ``PageFit``."""
    out: dict[str, list[Suggestion]] = {}
    for chain in plan.chains:
        base = measure(chain)
        ok, _fit = _ok(base)
        if ok:
            continue
        f = base.fits[0]
        tried: list[Suggestion] = []
        tried += _copy(chain, measure, f)
        tried += _photos(chain, measure, f)
        tried += _box(chain, measure)
        tried += _head(chain, measure, f)
        if refit is not None:
            tried += _flex(plan, chain, refit, measure)
        if tried:
            out[chain.article] = sorted(tried, key=lambda s: s.cost)[:MAX_SUGGESTIONS]
    return out


def _still(chain: Chain) -> Chain:
    """The chain with its photos held at their heights: copy is measured against the module as
    it is (auto-fit flexing photos would make more copy fit worse, and the count jump)."""
    main = chain.modules[0]
    return Chain(chain.story, (replace(main, photos=tuple(replace(p, flex=0) for p in main.photos)),)
                 + chain.modules[1:])


def _with_copy(chain: Chain, delta: int) -> Chain:
    """The chain with ``delta`` 字 more (positive) or fewer (negative) at the end of its copy."""
    blocks = list(chain.story.blocks)
    if delta > 0:
        for i in range(len(blocks) - 1, -1, -1):
            if blocks[i].kind == "para":
                text = blocks[i].text
                stop = text[-1] if text and text[-1] in "。！？”" else ""
                body = text[:-1] if stop else text
                blocks[i] = Block(kind="para", text=body + FILLER * delta + stop, hanging=blocks[i].hanging)
                break
    else:
        cut = -delta
        while cut and blocks:
            last = blocks[-1]
            if last.kind != "para" or len(last.text) <= cut:
                cut -= len(last.text) if last.kind == "para" else 0
                blocks.pop()
                continue
            blocks[-1] = Block(kind="para", text=last.text[: len(last.text) - cut], hanging=last.hanging)
            cut = 0
    story = replace(chain.story, blocks=tuple(blocks))
    return Chain(story, chain.modules)


def _copy(chain: Chain, measure, f) -> list[Suggestion]:
    """Cut (overset) or add (white at the foot) copy: the fewest 字 that make it fit."""
    field = f"articles.{chain.modules[0].index}.body"
    chain = _still(chain)
    if f.overset_lines or f.overset_chars:
        # Less copy first stops running over, then leaves white: the fewest 字 at which nothing
        # runs over is found by bisection, then checked to fit.
        def fits(n: int) -> bool:
            return _ok(measure(_with_copy(chain, -n)))[1][0] == 0

        lo, hi = 1, max(1, f.chars - 1)
        if not fits(hi):
            return []
        while lo < hi:
            mid = (lo + hi) // 2
            if fits(mid):
                hi = mid
            else:
                lo = mid + 1
        ok, fit = _ok(measure(_with_copy(chain, -lo)))
        return [Suggestion("cut", f"cut {lo} 字 of copy", field, -lo, lo / 10, fit)] if ok else []
    # More copy first fills the feet, then runs over: the fewest 字 at which the feet are
    # filled (or the copy runs over) is found by bisection, then checked to fit.
    def filled(n: int) -> bool:
        over, foot = _ok(measure(_with_copy(chain, n)))[1]
        return over > 0 or foot <= 1

    lo, hi = 1, max(2, 3 * f.short_chars)
    if not filled(hi):
        return []
    while lo < hi:
        mid = (lo + hi) // 2
        if filled(mid):
            hi = mid
        else:
            lo = mid + 1
    ok, fit = _ok(measure(_with_copy(chain, lo)))
    return [Suggestion("add", f"add about {lo} 字 of copy", field, lo, lo / 10, fit)] if ok else []


def _photos(chain: Chain, measure, f) -> list[Suggestion]:
    """A photo shorter (overset) or taller (white), beyond its flex, by the fewest lines that fit."""
    main = chain.modules[0]
    out: list[Suggestion] = []
    sign = -1 if (f.overset_lines or f.overset_chars) else 1
    for k, photo in enumerate(main.photos):
        for d in range(1, MAX_PHOTO_CHANGE + 1):
            h = photo.height + sign * d
            if h < 3:
                break
            photos = tuple(replace(p, height=h, flex=0) if i == k else p for i, p in enumerate(main.photos))
            ok, fit = _ok(measure(Chain(chain.story, (replace(main, photos=photos),) + chain.modules[1:])))
            if ok:
                word = "shorter" if sign < 0 else "taller"
                out.append(Suggestion("photo", f"photo {photo.source} {d} lines {word} (height {h})",
                                      f"{photo.field}.place.height", h, d, fit))
                break
    return out


def _box(chain: Chain, measure) -> list[Suggestion]:
    """The sidebar moved to other columns of the module."""
    main = chain.modules[0]
    sb = main.sidebar
    if sb is None:
        return []
    out: list[Suggestion] = []
    for col in range(main.region.bbox.span - sb.span + 1):
        if col == sb.col:
            continue
        trial = replace(main, sidebar=replace(sb, col=col))
        ok, fit = _ok(measure(Chain(chain.story, (trial,) + chain.modules[1:])))
        if ok:
            out.append(Suggestion("box", f"move the box to col {col + 1}",
                                  f"articles.{main.index}.sidebar.place.col", col + 1, abs(col - sb.col), fit))
    return out[:1]


def _head(chain: Chain, measure, f) -> list[Suggestion]:
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
    trial = replace(main, head=replace(head, size=size))
    ok, fit = _ok(measure(Chain(chain.story, (trial,) + chain.modules[1:])))
    if not ok:
        return []
    word = "smaller" if j > i else "larger"
    return [Suggestion("head", f"head one size {word} ({HAO_NAMES.get(size, size)}, {size:g} pt)",
                       f"articles.{main.index}.head.size", HAO_NAMES.get(size, size), 2, fit)]


def _flex(plan: PagePlan, chain: Chain, refit, measure) -> list[Suggestion]:
    """Page-level fit run again with this module allowed to move its edges further."""
    main = chain.modules[0]
    if main.auto:
        return []
    flex = main.flex + FLEX_STEP
    chains = tuple(Chain(c.story, (replace(c.modules[0], flex=flex),) + c.modules[1:]) if c is chain else c
                   for c in plan.chains)
    fitted = refit(replace(plan, chains=chains))
    new = {c.article: c for c in fitted.plan.chains}
    ok, fit = _ok(measure(new[chain.article]))
    if not ok:
        return []
    for old in plan.chains:  # no module that fitted may stop fitting
        if old.article != chain.article and _ok(measure(old))[0] and not _ok(measure(new[old.article]))[0]:
            return []
    moves = "; ".join(m.describe() for m in fitted.moves) or "no edge move"
    return [Suggestion("flex", f"let page-level fit move its edges up to {flex} lines ({moves})",
                       f"articles.{main.index}.flex", flex, FLEX_STEP, fit)]
