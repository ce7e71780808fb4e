"""Print policy: overprint and knockout, decided once over a finished frame tree.

Owns which items of a page overprint (their ink is laid over what is under them) and which
knock out (they clear the other plates under them), carried on each item's ``overprint`` field
so the PDF writer only reads it (GUIDE: print policy is a pass, not a side effect):

* text, rules and frames in K only (any tint) overprint — 单黑压印: black type on colour does
  not open a white halo when the plates misregister (print.md §1.5, press specs: "100 % K for
  small and black text");
* fills overprint only in solid 100 % K; a K tint panel knocks out, so nothing under it shows
  through;
* vector paths (logos, charts) follow the same rules for their fill and stroke;
* white (reversed) text, colours with C, M or Y, the registration colour and images knock out.
"""

from __future__ import annotations

from dataclasses import replace

from ..frames import K100, Box, Color, Fill, GlyphRun, Group, Image, Page, Path, Rule, TextLine


def k_only(color: Color) -> bool:
    """True for a colour of black ink alone (C = M = Y = 0, K > 0)."""
    c, m, y, k = color
    return c == 0.0 and m == 0.0 and y == 0.0 and k > 0.0


def overprints(item) -> bool:
    """The policy for one leaf item (a glyph run, rule, box, fill or image)."""
    if isinstance(item, (GlyphRun, Rule, Box)):
        return k_only(item.color)
    if isinstance(item, Fill):
        return item.color == K100
    if isinstance(item, Path):  # a logo or chart: as a fill and a rule of its colours
        return ((item.fill is None or item.fill == K100)
                and (item.stroke is None or k_only(item.stroke))
                and (item.fill is not None or item.stroke is not None))
    return False  # images and anything new knock out until decided otherwise


def _run(run: GlyphRun) -> GlyphRun:
    want = k_only(run.color)
    return run if run.overprint == want else replace(run, overprint=want)


def _item(item):
    if isinstance(item, Group):
        return _group(item)
    if isinstance(item, TextLine):
        runs = tuple(_run(r) for r in item.runs)
        same = all(a is b for a, b in zip(runs, item.runs))
        return item if same else replace(item, runs=runs)
    if isinstance(item, (GlyphRun, Rule, Box, Fill, Image, Path)):
        want = overprints(item)
        return item if item.overprint == want else replace(item, overprint=want)
    return item


def _group(group: Group) -> Group:
    items = tuple(_item(i) for i in group.items)
    same = all(a is b for a, b in zip(items, group.items))
    return group if same else replace(group, items=items)


def apply(page: Page) -> Page:
    """Return ``page`` with every item's ``overprint`` set by the policy (marks included)."""
    root = _group(page.root)
    marks = _group(page.marks) if page.marks is not None else None
    if root is page.root and marks is page.marks:
        return page
    return replace(page, root=root, marks=marks)
