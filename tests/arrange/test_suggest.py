"""Suggestions on constructed pages (synthetic font, Python values): each remedy offered was
composed, and the numbers are the smallest that work — one less does not."""

from __future__ import annotations

from dataclasses import replace

from layout.arrange import fit_page
from layout.arrange.suggest import FILLER, _ok, _with_copy, _with_item, suggest
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


def described(arts, edits):
    """The page fitted again after ``edits`` ({article: 字 added (+) or cut (−)}) were made to
    the described copy as an editor makes them: at its end, before the closing 。."""
    arts = [dict(a) for a in arts]
    for a in arts:
        delta = edits.get(a["id"], 0)
        body, stop = a["body"][:-1], a["body"][-1]
        a["body"] = (body + FILLER * delta if delta >= 0 else body[:delta]) + stop
    plan, measure = setup(arts)
    fitted = fit_page(plan, measure).plan
    return {c.article: _ok(measure(c))[1] for c in fitted.chains}


def neighbours(fa=2):
    # a (2 columns, flex 2) is short of its module; b below it runs over: page-level fit takes
    # the 2 lines a may give (edge 20 → 18) and both still do not fit.
    return [one("a", n_lines=24, height=20, flex=fa),
            {**one("b", n_lines=40, height=19, flex=8), "place": {"col": 1, "span": 2, "top": 21, "height": 19}}]


def test_added_copy_made_at_the_end_of_the_description_fills_the_module():
    arts = neighbours()
    plan, measure = setup(arts)
    fitted = fit_page(plan, measure)
    assert [m.describe() for m in fitted.moves] == ["edge at line 20 → 18: a −2 lines, b +2 lines"]
    tips = suggest(fitted.plan, measure, lambda p: fit_page(p, measure), base=plan)
    add = kinds(tips)["add"]
    assert (add.text, add.value, add.fit) == ("add 51 字 at the end of the copy", 51, (0, 1))
    # Made in the description and fitted again, as the next `paiban fit` does: a fills; one 字
    # fewer leaves its feet white (the number is the least that works).
    assert described(arts, {"a": 51})["a"] == (0, 1)
    assert described(arts, {"a": 50})["a"][1] > 1
    cut = kinds(tips, "b")["cut"]
    assert cut.value == -20 and described(arts, {"b": -20})["b"] == (0, 0)
    assert described(arts, {"b": -19})["b"][0] > 0


def test_a_neighbour_over_the_shared_edge_gives_its_lines():
    # b cannot fit while a's flex holds the edge at 18; a allowed 10 lines gives b four more.
    arts = neighbours()
    plan, measure = setup(arts)
    fitted = fit_page(plan, measure)
    tips = suggest(fitted.plan, measure, lambda p: fit_page(p, measure), base=plan)
    (flex,) = [s for s in tips["b"] if s.kind == "flex"]
    assert (flex.field, flex.value, flex.fit) == ("articles.0.flex", 10, (0, 1))
    assert flex.text == ("let a give or take up to 10 lines over the shared edge "
                         "(edge at line 20 → 16: a −4 lines, b +4 lines)")
    again = setup([{**arts[0], "flex": 10}, arts[1]])
    refitted = fit_page(again[0], again[1]).plan
    assert _ok(again[1](refitted.chains[1]))[0]


def test_every_module_that_does_not_fit_gets_a_suggestion_that_works():
    arts = neighbours()
    plan, measure = setup(arts)
    fitted = fit_page(plan, measure)
    unfit = [c.article for c in fitted.plan.chains if not _ok(measure(c))[0]]
    tips = suggest(fitted.plan, measure, lambda p: fit_page(p, measure), base=plan)
    assert unfit == ["a", "b"] and sorted(tips) == unfit
    for article in unfit:
        for s in tips[article]:
            if s.kind in ("add", "cut"):
                assert _ok_fit(described(arts, {article: s.value})[article])


def _ok_fit(fit):
    return fit[0] == 0 and fit[1] <= 1


def test_white_under_a_module_at_the_page_foot_gets_a_remedy():
    # b (flex 2) ends 7 lines above the page's foot: page-level fit grows it 2 lines into the
    # white, which leaves an empty area of the type area; its copy needs the whole depth.
    arts = [one("a", n_lines=72, height=20, span=4, flex=0),
            {**one("b", n_lines=68, height=12, flex=2), "place": {"col": 1, "span": 4, "top": 21, "height": 12}}]
    plan, measure = setup(arts)
    fitted = fit_page(plan, measure)
    assert [m.describe() for m in fitted.moves] == ["edge at line 33 → 35: b +2 lines"]
    tips = suggest(fitted.plan, measure, lambda p: fit_page(p, measure), base=plan)
    first = tips["b"][0]
    assert (first.kind, first.field, first.value, first.left) == ("height", "articles.1.place.height", 19, 0)
    assert first.text == "height 19 lines: down to the page's foot"
    assert len({(s.field, s.value) for s in tips["b"]}) == len(tips["b"])  # each remedy once
    again = setup([arts[0], {**arts[1], "place": {"col": 1, "span": 4, "top": 21, "height": 19}}])
    refitted = fit_page(again[0], again[1]).plan
    assert _ok(again[1](refitted.chains[1]))[0]
    assert refitted.chains[1].modules[0].region.bbox.end == 40  # no white left under b


def test_a_list_of_items_gets_one_more_item():
    # Four items (a title and 3 lines of text) in 2 columns of 13 lines under the head: 18 of
    # 26 lines, 4 white at a foot; one more item fills the columns.
    item = "### 标题甲乙\n\n" + kit.copy(lines_of(3), para=2000)
    art = one(n_lines=1, height=15)
    art["body"] = "\n\n".join([item] * 4)
    plan, measure = setup([art])
    tips = [s for s in suggest(plan, measure)["a"] if s.kind in ("item", "add")]
    assert [s.kind for s in tips] == ["item", "add"]  # an item is cheaper than 51 字 more at the end
    new = tips[0]
    assert new.field == "articles.0.body" and new.fit[1] <= 1 and new.value == 28
    assert new.text == f"add an item at the end: a title of 8 字 and {new.value} 字 of text"
    chain = plan.chains[0]
    assert _ok(measure(_with_item(chain, new.value)))[0]
    assert not _ok(measure(_with_item(chain, new.value - 1)))[0]
    blocks = _with_item(chain, new.value).story.blocks
    assert [b.kind for b in blocks[-2:]] == ["subhead2", "para"] and blocks[-2].text == FILLER * 8


def test_white_held_by_a_subhead_is_filled_where_it_is():
    # 7 lines, a subhead kept with its text, 9 lines: 3 lines stay white at column 1's foot, and
    # copy added at the end of the copy cannot fill them; the first paragraph 11 字 longer does.
    art = one(height=12)
    text = kit.copy(lines_of(7), para=2000)
    art["body"] = text[:-2] + "甲。" + "\n\n### 小标题\n\n" + kit.copy(lines_of(9), para=2000)
    plan, measure = setup([art])
    (f,) = measure(plan.chains[0]).fits[:1]
    assert f.held == ((1, 3, 0),)
    (inside,) = [s for s in suggest(plan, measure)["a"] if s.at]
    first = plan.chains[0].story.blocks[0].text
    assert inside.at == first[:-1][-12:] and inside.at.endswith("甲") and inside.value == 11
    assert inside.text.startswith(f"add 11 字 at the end of the paragraph ending “…{inside.at}” (at the foot of column 1")
    from layout.arrange.suggest import _with_copy_at

    assert _ok(measure(_with_copy_at(plan.chains[0], 0, 11)))[0]
    assert not _ok(measure(_with_copy_at(plan.chains[0], 0, 10)))[0]


def test_copy_at_the_end_and_in_the_paragraph_above_held_white():
    # Four different items of a title and 4 lines in 2 columns of 14 lines: balanced 3 lines
    # short, and copy added at the end soon leaves column 1's foot white (the next title is kept
    # with its text); 30 字 at the end and 11 in the paragraph above that white fill the module.
    items = []
    for k in range(4):
        text = kit.copy(lines_of(4), para=2000)
        items.append(f"### 标题{'甲乙丙丁'[k]}\n\n" + text[:-2] + "甲乙丙丁"[k] + "。")
    art = one(height=16)
    art["body"] = "\n\n".join(items)
    plan, measure = setup([art])
    (tip,) = [s for s in suggest(plan, measure)["a"] if s.kind == "add"]
    chain = plan.chains[0]
    second = chain.story.blocks[3].text  # the second item's text ends column 1
    assert (tip.kind, tip.value, tip.more) == ("add", 30, ((second[:-1][-12:], 11),))
    assert tip.text.startswith("add 30 字 at the end of the copy and 11 字 at the end of the paragraph ending")
    from layout.arrange.suggest import _with_copy_at

    assert _ok(measure(_with_copy_at(_with_copy(chain, 30), 3, 11)))[0]
    assert not _ok(measure(_with_copy(chain, 41)))[0]  # all of it at the end does not


def test_a_photo_is_not_suggested_at_a_height_that_crops_most_of_it_away():
    from layout.arrange.suggest import _crops_too_much

    photo = {"file": "p.jpg", "place": {"col": 1, "span": 2, "top": 2, "height": 12}}
    plan, _measure = setup([one(n_lines=10, height=30, photos=[photo])])
    p = replace(plan.chains[0].modules[0].photos[0], px=(1600, 1100))
    # A 2-column box is 210 pt wide; a 1600 × 1100 image keeps half of its height in a box
    # 72.2 pt deep (6 lines of 12 pt are less) and half of its width in one 288.8 pt deep.
    assert plan.grid.span_w(2) == 210
    assert [h for h in range(3, 40) if not _crops_too_much(plan.grid, p, h)] == list(range(7, 25))


def test_a_module_made_deeper_into_white_gets_the_copy_that_fills_it():
    # As above, but b's copy fills 15 of the 17 lines its columns have once it reaches the foot:
    # down to the foot alone leaves it short, so the remedy adds the copy that fills it.
    arts = [one("a", n_lines=72, height=20, span=4, flex=0),
            {**one("b", n_lines=60, height=12, flex=2), "place": {"col": 1, "span": 4, "top": 21, "height": 12}}]
    plan, measure = setup(arts)
    fitted = fit_page(plan, measure)
    tips = suggest(fitted.plan, measure, lambda p: fit_page(p, measure), base=plan)
    deeper = next(s for s in tips["b"] if s.kind == "height")
    assert (deeper.field, deeper.value, deeper.left) == ("articles.1.place.height", 19, 0)
    assert deeper.text == f"height 19 lines: down to the page's foot, and add {deeper.copy} 字 at the end of the copy"
    body = arts[1]["body"]
    again = setup([arts[0], {**arts[1], "body": body[:-1] + FILLER * deeper.copy + body[-1],
                             "place": {"col": 1, "span": 4, "top": 21, "height": 19}}])
    refitted = fit_page(again[0], again[1]).plan
    assert _ok(again[1](refitted.chains[1]))[0]
    # 8 column-lines are missing; the balanced columns may each end one line short, so about 4
    # lines of 10 字 fill it (the amount is what composing found).
    assert deeper.copy == 31


def test_a_photo_only_item_is_not_told_to_add_copy():
    # A 图片新闻 (a head, a photo, a caption, no body) in a module taller than they are: copy
    # added "at the end of the copy" was offered (a new user's photo news was told to add 40 字);
    # the remedies are the photo's height and the module's, never copy it does not have.
    photo = {"file": "p.jpg", "caption": "说明。", "place": {"col": 1, "span": 2, "top": 2, "height": 8}}
    art = one(n_lines=1, height=16, photos=[photo]) | {"body": ""}
    plan, measure = setup([art])
    f = measure(plan.chains[0]).fits[0]
    assert f.chars == 0 and not _ok(measure(plan.chains[0]))[0]
    tips = kinds(suggest(plan, measure))
    assert "add" not in tips and "photo" in tips


def test_a_story_in_sections_is_not_offered_one_more_item():
    # Three sections under subheads, each a paragraph of about 250 字 (longer than a brief's
    # ITEM_MAX_CHARS): a story, not a list. A new user's lead was offered "add an item at the
    # end: a title of 8 字 and 1363 字 of text".
    section = "### 标题甲乙\n\n" + kit.copy(250, para=2000)
    art = one(n_lines=1, height=30, span=4)
    art["body"] = "\n\n".join([section] * 3)
    plan, measure = setup([art])
    tips = kinds(suggest(plan, measure))
    assert "item" not in tips and "add" in tips
