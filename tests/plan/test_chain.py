"""Composing plans with the synthetic font: L-shaped regions (slots, capacity, reading order)
and chains whose measure changes (the cursor and re-breaking). Exact numbers throughout."""

from __future__ import annotations

from layout.compose.module import compose_chain
from layout.compose.page import compose_page
from layout.compose.story import Cursor, Story
from tests.plan import kit

HEAD = {"size": 10, "lines": 2}
"""A two-line head block: body lines start on line 2 of the head's columns."""


def _body(result, grid):
    """(column, line, text) of every body line of a chain, module by module, in page grid units."""
    out = []
    for module in result.modules:
        for line in module.group.placed(0.0, 0.0):
            if getattr(line, "kind", "") != "body":
                continue
            col = round((line.x - grid.area_x) / (grid.col_w + grid.gutter))
            row = round((line.y - 0.88 * grid.em - grid.area_y) / grid.pitch)
            out.append((col, row, line.text))
    return out


def _chain(articles):
    loaded = kit.issue(articles)
    plan = kit.plan(loaded)
    return plan, kit.env(loaded, plan)


def test_inverted_l_capacity_and_reading_order():
    # Wide band: columns 1–3, lines 0–9 (head over it, 2 lines); narrow band (the stem): columns
    # 1–2, lines 10–19.
    art = {"id": "a", "headline": "标题", "head": HEAD, "body": kit.copy(900, para=400),
           "place": [{"col": 1, "span": 3, "top": 0, "height": 10}, {"col": 1, "span": 2, "top": 10, "height": 10}]}
    plan, env = _chain([art])
    chain = plan.chains[0]
    assert chain.modules[0].region.shape == "inverted-L"
    result = compose_chain(env, chain)
    fit = result.fits[0]
    assert fit.capacity_lines == 3 * 8 + 2 * 10 == 44
    assert fit.used_lines == 44 and fit.overset_lines > 0
    placed = _body(result, plan.grid)
    # Columns left to right, each top to bottom: the two long columns run on into the stem.
    expected = ([(c, r) for c in range(2) for r in range(2, 20)] + [(2, r) for r in range(2, 10)])
    assert [(c, r) for c, r, _t in placed] == expected
    story = Story(env, chain.story)
    text = "".join(u.lines[0][1].text for u in story.units(100.0))
    assert "".join(t for _c, _r, t in placed) == text[:len("".join(t for _c, _r, t in placed))]


def test_l_reads_its_wide_foot_first_and_balances_the_stem():
    # Narrow top (column 4, lines 0–9) over a wide foot (columns 1–4, lines 10–19): the head sits
    # over the foot, text runs through the foot's columns, then up into the stem.
    art = {"id": "a", "headline": "标题", "head": HEAD, "body": kit.copy(380, para=400),
           "place": [{"col": 4, "span": 1, "top": 0, "height": 10}, {"col": 1, "span": 4, "top": 10, "height": 10}]}
    plan, env = _chain([art])
    result = compose_chain(env, plan.chains[0])
    fit = result.fits[0]
    assert plan.chains[0].modules[0].region.shape == "L"
    assert fit.capacity_lines == 4 * 8 + 10 == 42
    placed = _body(result, plan.grid)
    foot = [(c, r) for c in range(4) for r in range(12, 20)]
    assert [(c, r) for c, r, _t in placed][:32] == foot
    # 380 字 + 。: 8 on the indented first line, 37 full lines, then "XX。": 39 lines.
    assert [(c, r) for c, r, _t in placed][32:] == [(3, r) for r in range(7)]
    assert fit.overset_lines == 0 and fit.used_lines == 39 and fit.underset_lines == 3


def test_continuation_with_another_measure_rebreaks_from_the_cursor():
    # Main module: three grid columns split into two of 15 字 (破栏), lines 0–9 under a 2-line
    # head → 16 lines. Continuation: one basic column of 10 字. One paragraph of 300 字.
    art = {"id": "a", "headline": "标题", "head": HEAD, "body": kit.copy(300, para=400), "columns": 2,
           "place": {"col": 1, "span": 3, "top": 0, "height": 10},
           "continue_in": [{"col": 4, "span": 1, "top": 0, "height": 20}]}
    plan, env = _chain([art])
    result = compose_chain(env, plan.chains[0])
    placed = _body(result, plan.grid)
    main = [t for c, _r, t in placed if c < 3]
    cont = [t for c, _r, t in placed if c == 3]
    assert len(main) == 16 and [len(t) for t in main[:2]] == [13, 15]
    taken = sum(len(t) for t in main)
    assert taken == 13 + 15 * 15 == 238
    assert result.cursors == (Cursor(0, 238), None)
    whole = kit.copy(300, para=400)
    assert cont[0] == whole[238:248]  # no indent: the paragraph goes on
    assert "".join(main + cont) == whole
    assert [len(t) for t in cont] == [10] * 6 + [3]
    assert result.fits[0].overset_chars == 0


def test_same_measure_chain_keeps_its_lines():
    art = {"id": "a", "headline": "标题", "head": HEAD, "body": kit.copy(300, para=400),
           "place": {"col": 1, "span": 1, "top": 0, "height": 10},
           "continue_in": [{"col": 3, "span": 2, "top": 0, "height": 20}]}
    plan, env = _chain([art])
    result = compose_chain(env, plan.chains[0])
    placed = _body(result, plan.grid)
    assert result.cursors[0] == Cursor(0, 8 + 7 * 10)
    assert "".join(t for _c, _r, t in placed) == kit.copy(300, para=400)
    # The continuation is balanced: 300 − 78 = 222 字 + 。 is 23 lines over two columns, 12 + 11.
    assert [sum(1 for c, _r, _t in placed if c == k) for k in (2, 3)] == [12, 11]


def test_page_of_plans_reports_l_regions():
    arts = [{"id": "a", "headline": "标题", "head": HEAD, "body": kit.copy(400, para=200),
             "place": [{"col": 1, "span": 4, "top": 0, "height": 10}, {"col": 1, "span": 2, "top": 10, "height": 20}]},
            {"id": "b", "headline": "另一篇", "head": HEAD, "body": kit.copy(200),
             "place": {"col": 3, "span": 2, "top": 11, "height": 19}}]
    loaded = kit.issue(arts)
    plan = kit.plan(loaded)
    result = compose_page(plan, loaded.issue, kit.OneFace(), None)
    a = next(m for m in result.modules if m.label == "a")
    assert a.region.label() == "col 1+4, lines 0–10; col 1+2, lines 10–30"
    assert [f.capacity_lines for f in result.fit] == [4 * 8 + 2 * 20, 2 * 17]
    # No rule between the two bands of one module; one rule in the gutter between a's stem and b.
    from layout.frames import Rule
    rules = [i for i in result.page.root.placed() if isinstance(i, Rule)]
    g = plan.grid
    gutter_x = g.col_x(2) - g.gutter / 2
    vertical = [r for r in rules if abs(r.x1 - r.x2) < 1e-6]
    assert [round(r.x1, 2) for r in vertical] == [round(gutter_x, 2)]
    assert round(vertical[0].y1, 2) == round(g.line_top(11), 2)


def test_head_over_the_top_band_starts_the_text_there():
    # An L whose narrow stem starts the module: columns 1–2, lines 0–9, then the wide foot
    # (columns 1–4, lines 10–19). With head.over: top the head and the text begin in the stem.
    art = {"id": "a", "headline": "标题", "head": {**HEAD, "over": "top"}, "body": kit.copy(380, para=400),
           "place": [{"col": 1, "span": 2, "top": 0, "height": 10}, {"col": 1, "span": 4, "top": 10, "height": 10}]}
    plan, env = _chain([art])
    result = compose_chain(env, plan.chains[0])
    placed = [(c, r) for c, r, _t in _body(result, plan.grid)]
    # The stem's columns run on down into the foot, then the foot's other columns; 39 lines
    # balance at line 16 (2 × 14 + 6 + 5: the last column one line short, not the first four).
    assert placed == ([(c, r) for c in range(2) for r in range(2, 16)]
                      + [(2, r) for r in range(10, 16)] + [(3, r) for r in range(10, 15)])
    assert result.fits[0].capacity_lines == 2 * 8 + 4 * 10


def test_demo_page_l_modules_fit_exactly():
    """issues/paiban-demo/2024-05-20/page04.yaml: an inverted-L lead and an L at the foot. Each
    capacity equals the column-lines of its region less what the head, photos and captions
    (with their white line) take, counted here from the frames."""
    from pathlib import Path

    from layout import api
    from layout.frames import Group

    path = Path(__file__).resolve().parents[2] / "issues/paiban-demo/2024-05-20/page04.yaml"
    result = api.layout(api.load_issue(path))
    g = result.grid
    fit = {f.id: f for f in result.fit}
    shapes = {m.label: m.region.shape for m in result.modules}
    assert shapes["greenway"] == "inverted-L" and shapes["dining"] == "L"
    for label in ("greenway", "dining"):
        module = next(m for m in result.modules if m.label == label)
        region, box = module.region, module.region.bbox
        group = next(i for i in result.page.root.placed() if isinstance(i, Group) and i.id == label
                     and i.kind == "article")
        blocked: dict[int, set[int]] = {c: set() for c in range(box.col, box.right)}
        for child in group.items:
            if not isinstance(child, Group) or child.kind not in ("headline", "photo"):
                continue
            col0 = round((group.x + child.x - g.area_x) / (g.col_w + g.gutter))
            cols = range(col0, col0 + round((child.w + g.gutter) / (g.col_w + g.gutter)))
            top = round((group.y + child.y - g.area_y) / g.pitch)
            if child.kind == "headline":  # the block starts ⅓ line above its first line's em box
                top = round((group.y + child.y + g.pitch - g.em - g.area_y) / g.pitch)
                lines = range(top, top + round(child.h / g.pitch))
            else:  # image and caption lines, one white line below, one above unless at the top
                n = round((child.h - g.em) / g.pitch) + 1
                lines = range(top - (1 if top > box.top else 0), top + n + 1)
            for c in cols:
                blocked[c].update(lines)
        free = sum(1 for c in blocked for a, b in region.lines_in(c) for line in range(a, b)
                   if line not in blocked[c])
        assert fit[label].capacity_lines == free, label
    assert fit["greenway"].capacity_lines == 150
