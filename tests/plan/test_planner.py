"""The planner from Python values: regions, auto heights, and every placement error located."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from layout.errors import InputError
from layout.plan import GridRect
from tests.plan import kit

L_PLACE = [{"col": 1, "span": 4, "top": 0, "height": 10}, {"col": 1, "span": 2, "top": 10, "height": 20}]


def art(id="a", place=None, **kw):
    return {"id": id, "headline": "标题", "body": kit.copy(100), "head": {"size": 10},
            "place": place or {"col": 1, "span": 2, "top": 0, "height": 10}, **kw}


def fails(articles, field, words):
    with pytest.raises(InputError) as info:
        kit.plan(kit.issue(articles))
    assert info.value.field == field, info.value
    assert words in info.value.message, info.value
    return info.value


def test_plan_holds_regions_heads_and_chain_order():
    plan = kit.plan(kit.issue([art("low", {"col": 1, "span": 4, "top": 31, "height": 9}),
                               art("top", L_PLACE), art("side", {"col": 3, "span": 2, "top": 11, "height": 19})]))
    assert [c.article for c in plan.chains] == ["top", "side", "low"]  # by top line, then order given
    top = plan.chains[0].modules[0]
    assert top.region.bands == (GridRect(0, 4, 0, 10), GridRect(0, 2, 10, 20))
    assert (top.head.col, top.head.span, top.head.top) == (0, 4, 0)
    assert top.origin == (0, 0)


def test_head_of_an_l_sits_over_its_wide_foot():
    plan = kit.plan(kit.issue([art("a", [{"col": 4, "span": 1, "top": 0, "height": 10},
                                         {"col": 1, "span": 4, "top": 10, "height": 10}])]))
    head = plan.chains[0].modules[0].head
    assert (head.col, head.span, head.top) == (0, 4, 10)


def test_auto_height_stops_above_the_next_module():
    plan = kit.plan(kit.issue([art("a", {"col": 1, "span": 2, "top": 0}),
                               art("b", {"col": 2, "span": 2, "top": 25, "height": 10})]))
    a = next(c for c in plan.chains if c.article == "a").modules[0]
    assert a.auto and a.region.bands == (GridRect(0, 2, 0, 24),)


def test_rectangles_that_make_no_l_name_their_field():
    e = fails([art("a", [{"col": 1, "span": 4, "top": 0, "height": 10}, {"col": 2, "span": 2, "top": 10, "height": 5}])],
              "articles.0.place.1", "T, not an L")
    assert "inverted L" in e.hint


def test_modules_that_overlap_name_both():
    fails([art("a", L_PLACE), art("b", {"col": 2, "span": 2, "top": 12, "height": 5})],
          "articles.1.place", "module 'a' (columns 1–2, lines 10–30) overlaps module 'b'")


def test_photo_in_the_notch_of_an_l_is_refused():
    photo = {"file": "p.jpg", "place": {"col": 3, "span": 2, "top": 12, "height": 6}}
    fails([art("a", L_PLACE, photos=[photo])], "articles.0.photos.0.place", "outside the L-shaped module")


def test_split_columns_need_a_rectangle():
    fails([art("a", L_PLACE, columns=3)], "articles.0.columns", "rectangular modules")


def test_l_parts_need_fixed_heights_and_the_page():
    with pytest.raises(ValidationError, match=r"place\.1\.height: the parts of an L-shaped module need heights"):
        kit.issue([art("a", [{"col": 1, "span": 4, "top": 0, "height": 10}, {"col": 1, "span": 2, "top": 10}])])
    fails([art("a", [{"col": 1, "span": 4, "top": 0, "height": 10}, {"col": 1, "span": 2, "top": 10, "height": 31}])],
          "articles.0.place.1", "does not fit the page's 40 body lines")
    fails([art("a", {"col": 3, "span": 3, "top": 0, "height": 10})], "articles.0.place", "run off the 4-column grid")
