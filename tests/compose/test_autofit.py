"""Auto-fit's search over photo heights: one candidate per capacity, the fewest changes first."""

from __future__ import annotations

import itertools

from layout.compose import autofit as A


def brute(photos, clashes=()):
    """Every combination ranked by (column-lines taken, changes), first in product order kept."""
    best = {}
    for combo in itertools.product(*(range(len(hs)) for _h0, _k, hs in photos)):
        if any((combo[i], combo[j]) in bad for i, j, bad in clashes):
            continue
        heights = tuple(hs[c] for (_h0, _k, hs), c in zip(photos, combo))
        taken = sum((h - h0) * k for h, (h0, k, _hs) in zip(heights, photos))
        changed = sum(abs(h - h0) for h, (h0, _k, _hs) in zip(heights, photos))
        best.setdefault(taken, []).append((changed, heights))
    return {t: min(c, key=lambda x: x[0]) for t, c in best.items()}


def test_one_candidate_per_capacity_with_the_fewest_changes():
    # Two photos over 3 columns each, 10 lines ±2, and one over 2 columns, 8 lines ±1.
    photos = ((10, 3, (8, 9, 10, 11, 12)), (10, 3, (8, 9, 10, 11, 12)), (8, 2, (7, 8, 9)))
    got = {t: (c, h) for t, c, h in A._per_capacity(photos, ())}
    assert got == brute(photos)
    # Taking 3 column-lines: one photo a line taller (1 change), the smaller first in product order.
    assert got[3] == (1, (10, 11, 8))
    assert got[0] == (0, (10, 10, 8))
    assert len(got) == len(set(3 * a + 3 * b + 2 * c for a in range(-2, 3) for b in range(-2, 3)
                               for c in range(-1, 2)))


def test_clashing_heights_are_never_candidates():
    photos = ((10, 2, (9, 10, 11)), (6, 2, (5, 6, 7)))
    clash = frozenset({(2, 2), (2, 1), (1, 2)})  # the taller ones would overlap
    got = {t: (c, h) for t, c, h in A._per_capacity(photos, ((0, 1, clash),))}
    assert got == brute(photos, ((0, 1, clash),))
    assert (11, 7) not in [h for _c, h in got.values()]
    assert 4 not in got  # both a line taller (+2 +2 column-lines) is the only way to take 4


def _layout(end, head_floor, photos, region=None):
    from types import SimpleNamespace as NS

    from layout.plan.geometry import GridRect, Region

    specs = tuple(NS(plan=NS(col=c, span=s, flex=4, source=f"p{i}"), x=c * 10.0, w=s * 10.0, top=top,
                     height=h, caption=("说明",) * cap) for i, (c, s, top, h, cap) in enumerate(photos))
    head = NS(x=0.0, w=30.0, top=0, floor=head_floor) if head_floor is not None else None
    region = region or Region((GridRect(0, 6, 0, end),))
    return A.Layout(region=region, columns=[[(0.0, 10.0, 0, end)]], units=[],
                    head=head, photos=specs, sidebar=None, auto=False, floor=1)


def test_fitting_heights_are_those_photo_fits_accepts():
    heights = list(range(3, 40))
    for end in (20, 30, 45):
        for floor in (None, 4, 9):
            layout = _layout(end, floor, [(0, 2, None, 10, 1), (3, 3, None, 10, 2), (1, 2, 6, 8, 1),
                                          (4, 2, 2, 8, 0), (2, 1, 12, 5, 1)])
            for spec in layout.photos:
                assert layout.fitting(spec, heights) == tuple(h for h in heights if layout.photo_fits(spec, h))
    layout = _layout(30, 9, [(0, 2, None, 10, 1), (1, 2, 6, 8, 1)])
    # On the foot under a head down to line 9: image and one caption line end at line 30.
    assert layout.fitting(layout.photos[0], heights) == tuple(range(3, 21))
    assert layout.fitting(layout.photos[1], heights) == ()  # starts at line 6, inside the head


def test_fitting_heights_in_an_l_are_those_photo_fits_accepts():
    from layout.plan.geometry import GridRect, Region

    heights = list(range(3, 40))
    # An L: six columns down to line 20, then the first three columns on to line 34.
    region = Region.of([GridRect(0, 6, 0, 20), GridRect(0, 3, 20, 14)])
    layout = _layout(34, 4, [(0, 2, None, 10, 1), (3, 3, None, 8, 1), (1, 3, 6, 8, 1), (2, 2, 12, 5, 0)],
                     region)
    got = [layout.fitting(spec, heights) for spec in layout.photos]
    assert got == [tuple(h for h in heights if layout.photo_fits(spec, h)) for spec in layout.photos]
    assert got[0] == tuple(range(3, 34 - 1 - 4 + 1))  # on the foot at line 34, below the head
    assert got[1] == tuple(range(3, 20 - 1 + 1))  # columns 4–6 end at line 20
    assert got[2] == tuple(range(3, 14))  # columns 2–4 from line 6: the caption ends by line 20
    assert got[3] == tuple(range(3, 9))  # columns 3–4 from line 12, no caption


def _photo_module(chars: int):
    """A 3-column, 30-line module: head 2 lines, ``chars`` 字 of copy, a photo over columns 1–2
    from line 3, 18 lines ±10, caption 1 line; its plan and composition environment."""
    from tests.plan import kit

    photo = {"file": "x.jpg", "caption": "说明。", "flex": 10,
             "place": {"col": 1, "span": 2, "top": 3, "height": 18}}
    a = {"id": "a", "headline": "标题", "head": {"size": 10, "lines": 2}, "body": kit.copy(chars, para=2000),
         "place": {"col": 1, "span": 3, "top": 0, "height": 30}, "photos": [photo]}
    loaded = kit.issue([a])
    plan = kit.plan(loaded)
    return plan, kit.env(loaded, plan)


def test_auto_fit_leaves_no_line_or_two_stranded_under_a_photo():
    # 310 字 fill the module exactly with the photo 5 lines taller, which leaves a 2-line segment
    # of text under the photo's caption (a new user's page had such lines above and below
    # photos). One line taller is too many, so the photo grows 4 lines: a 3-line segment under
    # it and one line of white at the foot instead.
    from layout.compose.module import compose_chain

    plan, env = _photo_module(310)
    f = compose_chain(env, plan.chains[0], plan.grid.lines, frames=False).fits[0]
    assert (f.overset_lines, f.empty_tail, f.adjustments) == (0, 1, ("photo x.jpg +4 lines (flex ±10)",))


def test_auto_fit_never_grows_a_photo_past_its_print_resolution():
    # The same module, its photo an original of 800 px in height: at 200 ppi (below which a photo
    # may print soft, WARN_PPI) it may stand 4 in = 288 pt, 24 lines (24 × 12 pt less the 3 pt
    # under the last line's em = 285 pt). Auto-fit grew a new user's photo past its pixels and
    # the render stopped ("130 ppi … below the 150 ppi minimum"), then a trial's planned photo
    # to 162 ppi ("may print soft"); the photo now stops at 24 lines.
    from dataclasses import replace as _replace

    from layout.compose.module import compose_chain
    from layout.compose.photos import WARN_PPI, PhotoSource

    assert WARN_PPI == 200.0
    plan, env = _photo_module(250)
    free = compose_chain(env, plan.chains[0], plan.grid.lines, frames=False).fits[0]
    assert free.adjustments == ("photo x.jpg +7 lines (flex ±10)",)  # 25 lines: enough pixels
    small = _replace(env, prepare=lambda p: PhotoSource(str(p.path), "0" * 64, (2000, 800)), cache={})
    f = compose_chain(small, plan.chains[0], plan.grid.lines, frames=False).fits[0]
    assert f.adjustments == ("photo x.jpg +6 lines (flex ±10)",) and f.overset_lines == 0


def test_a_photo_is_cut_to_a_strip_only_to_avoid_overset_and_that_is_counted():
    # The same module, its photo a square original: at 2 columns (210 pt) it shows half its
    # picture's height at 105 pt, 9 lines (9 × 12 pt less 2 pt = 106 pt). Shorter is a strip:
    # auto-fit takes the photo down to 8 lines only when the copy would be overset at 9, and the
    # line is counted (ChainResult.cropped), which page-level fit and the planner charge. A new
    # user's planned page had a 3:2 photo cut to a 7:1 strip to make room for copy.
    from dataclasses import replace as _replace

    from layout.compose.module import compose_chain
    from layout.compose.photos import PhotoSource

    plan, env = _photo_module(590)
    square = _replace(env, prepare=lambda p: PhotoSource(str(p.path), "0" * 64, (1000, 1000)), cache={})
    r = compose_chain(square, plan.chains[0], plan.grid.lines, frames=False)
    assert r.fits[0].adjustments == ("photo x.jpg -9 lines (flex ±10)",) and r.cropped == 0
    plan, env = _photo_module(600)
    square = _replace(env, prepare=lambda p: PhotoSource(str(p.path), "0" * 64, (1000, 1000)), cache={})
    r = compose_chain(square, plan.chains[0], plan.grid.lines, frames=False)
    assert r.fits[0].adjustments == ("photo x.jpg -10 lines (flex ±10)",) and r.cropped == 1
    assert r.fits[0].overset_lines == 0
    # Pixels not known: nothing is counted.
    assert compose_chain(env, plan.chains[0], plan.grid.lines, frames=False).cropped == 0
    # Auto-fit's order: overset, then strips, then white at the feet beyond one line.
    def cand(tail: int):
        c = A.Candidate.__new__(A.Candidate)
        for k, v in {"overset_lines": 0, "tail": tail, "capacity": 0, "used": 0}.items():
            object.__setattr__(c, k, v)
        return c

    assert A._key(cand(0), True, 0, 0, 1) > A._key(cand(3), True, 0, 0, 0)
