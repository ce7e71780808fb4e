"""Suggestions on constructed pages (synthetic font, Python values): each remedy offered was
composed, and the numbers are the smallest that work — one less does not."""

from __future__ import annotations

from dataclasses import replace

from layout.arrange import fit_page
from layout.arrange.suggest import _ok, _with_copy, suggest
from layout.compose.module import compose_chain
from layout.plan.types import Chain
from tests.arrange.test_pagefit import HEAD, lines_of
from tests.plan import kit


def setup(arts):
    loaded = kit.issue(arts)
    plan = kit.plan(loaded)
    env = kit.env(loaded, plan)

    def measure(chain):
        return compose_chain(env, chain, plan.grid.lines, frames=False)

    return plan, measure


def one(id="a", n_lines=30, height=12, span=2, **kw):
    return {"id": id, "headline": "标题", "head": HEAD, "body": kit.copy(lines_of(n_lines), para=2000),
            "place": {"col": 1, "span": span, "top": 0, "height": height}, "flex": 0, **kw}


def kinds(tips, article="a"):
    return {s.kind: s for s in tips.get(article, [])}


def test_cut_is_the_fewest_characters_that_fit():
    # 2 columns × 10 lines under the head hold 20 lines; the copy needs 22.
    plan, measure = setup([one(n_lines=22)])
    cut = kinds(suggest(plan, measure))["cut"]
    chain = plan.chains[0]
    assert cut.field == "articles.0.body" and cut.value == -20 and cut.text == "cut 20 字 of copy"
    assert _ok(measure(_with_copy(chain, cut.value)))[0]
    assert _ok(measure(_with_copy(chain, cut.value + 1)))[1][0] > 0  # 19 字 less still runs over


def test_add_is_the_fewest_characters_that_fill_the_feet():
    # 20 lines of room, 14 of copy: the balanced columns end 3 lines short.
    plan, measure = setup([one(n_lines=14)])
    add = kinds(suggest(plan, measure))["add"]
    chain = plan.chains[0]
    assert _ok(measure(_with_copy(chain, add.value)))[0]
    assert not _ok(measure(_with_copy(chain, add.value - 1)))[0]
    assert add.value == 31 and add.fit == (0, 1)  # 3 lines more: 17 lines balance as 9 + 8


def test_a_photo_shorter_or_taller_is_verified_by_composing_it():
    photo = {"file": "p.jpg", "place": {"col": 1, "span": 2, "top": 2, "height": 6}}
    plan, measure = setup([one(n_lines=18, height=16, photos=[photo])])
    tip = kinds(suggest(plan, measure))["photo"]
    assert tip.field == "articles.0.photos.0.place.height"
    chain = plan.chains[0]
    main = chain.modules[0]
    trial = replace(main, photos=(replace(main.photos[0], height=tip.value, flex=0),))
    assert _ok(measure(Chain(chain.story, (trial,))))[0]
    assert tip.text == f"photo p.jpg {6 - tip.value} lines shorter (height {tip.value})"


def test_head_one_size_smaller_when_it_is_what_makes_room():
    # 一号 (26 pt) takes 3 lines; 小一 (24 pt) 2 lines on this 12-pt grid: one line more per column
    # for a copy that is 2 lines over in 2 columns.
    art = one(n_lines=22, height=13)
    art["head"] = {"size": 26, "air": 0}
    plan, measure = setup([art])
    tips = kinds(suggest(plan, measure))
    head = tips["head"]
    assert head.field == "articles.0.head.size" and head.value == "小一"
    assert head.text == "head one size smaller (小一, 24 pt)" and head.fit[0] == 0
    assert tips["cut"].value == -20


def test_wider_flex_lets_page_level_fit_take_the_lines_from_a_neighbour():
    arts = [one("a", n_lines=44, height=20, flex=2),
            {**one("b", n_lines=26, height=19, flex=8), "place": {"col": 1, "span": 2, "top": 21, "height": 19}}]
    plan, measure = setup(arts)
    fitted = fit_page(plan, measure).plan  # moves the edge by 2, as far as a's flex lets it
    tips = suggest(fitted, measure, lambda p: fit_page(p, measure), base=plan)
    # Verified on the page as described: a's flex 10 lets the edge go 20 → 24 (a needs 24 lines);
    # b's wider flex alone does not help, a's flex of 2 still holds the edge.
    (flex,) = [s for s in tips["a"] if s.kind == "flex"]
    assert flex.field == "articles.0.flex" and flex.value == 10
    assert "edge at line 20 → 24" in flex.text and flex.fit == (0, 0)
