"""Every hole counted (issue 14): white inside a module is its underset, white outside every
module is an empty area; capacity in 字 is column-lines at the measure. Synthetic font."""

from __future__ import annotations

from layout.compose.page import compose_page
from layout.frames import Group
from tests.arrange.test_pagefit import HEAD, lines_of
from tests.plan import kit


def page(arts, **fmt):
    loaded = kit.issue(arts, **fmt)
    plan = kit.plan(loaded)
    return compose_page(plan, loaded.issue, kit.OneFace(), kit.blank_photo)


def art(id, place, n_lines, **kw):
    return {"id": id, "headline": "标题", "head": HEAD, "body": kit.copy(lines_of(n_lines), para=2000),
            "place": place, "flex": 0, **kw}


def test_capacity_and_short_in_characters():
    result = page([art("a", {"col": 1, "span": 2, "top": 0, "height": 12}, 14)])
    (f,) = result.fit
    assert (f.capacity_lines, f.chars_per_line, f.capacity_chars) == (20, 10.0, 200)
    assert (f.used_lines, f.underset_lines, f.short_chars, f.empty_tail) == (14, 6, 60, 3)


def test_the_strip_under_a_short_vertical_head_is_capacity():
    # A one-column vertical head over a 20-line module: text runs on under it, so the strip
    # below the head is part of the module's capacity, and white there is its underset.
    a = art("a", {"col": 1, "span": 2, "top": 0, "height": 20}, 10)
    a["head"] = {"size": 10, "vertical": True, "span": 1, "air": 0}
    result = page([a])
    (f,) = result.fit
    head = next(i for i in result.page.root.placed() if isinstance(i, Group) and i.kind == "headline")
    depth = round(head.h / 12.0)
    assert 0 < depth < 20
    assert f.capacity_lines == 2 * 20 - depth
    assert f.underset_lines == f.capacity_lines - f.used_lines > 0


def test_white_around_a_photo_and_a_box_is_counted_in_the_module():
    photo = {"file": "p.jpg", "place": {"col": 1, "span": 1, "top": "bottom", "height": 6}}
    box = {"label": "链接", "body": "短。", "place": {"col": 2, "span": 1, "top": 2, "height": 6}}
    result = page([art("a", {"col": 1, "span": 2, "top": 0, "height": 20}, 8, photos=[photo], sidebar=box)])
    main = next(f for f in result.fit if f.id == "a")
    # Column 1: 18 lines under the head, less the photo (6) and its white line above: 11 lines.
    # Column 2: 18 lines less the box's 6: 12 lines. The copy takes 8; the rest is underset.
    assert main.capacity_lines == 11 + 12
    assert main.underset_lines == 23 - 8
    # Nothing inside the module is an empty area of the page; the page below and beside it is.
    holes = [w.split(" belong")[0] for w in result.warnings if w.startswith("empty area")]
    assert holes == ["empty area: column 1, lines 20–39", "empty area: column 2, lines 20–39",
                     "empty area: column 3, lines 0–39", "empty area: column 4, lines 0–39"]


def test_white_between_modules_is_an_empty_area_beyond_the_rule_line():
    ok = page([art("a", {"col": 1, "span": 4, "top": 0, "height": 19}, 8),
               art("b", {"col": 1, "span": 4, "top": 20, "height": 20}, 8)])
    assert not [w for w in ok.warnings if w.startswith("empty area")]  # one blank line: the rule
    gap = page([art("a", {"col": 1, "span": 4, "top": 0, "height": 18}, 8),
                art("b", {"col": 1, "span": 4, "top": 20, "height": 20}, 8)])
    holes = [w for w in gap.warnings if w.startswith("empty area")]
    assert holes == [f"empty area: column {c}, lines 18–19 belong to no module (8 mm)" for c in range(1, 5)]


def test_the_columns_beside_a_vertical_head_are_capacity_from_the_module_top():
    # A vertical head in the right-hand column of a 3-column module: the two columns beside it
    # hold text from the module's first line, the strip under it from the head's foot; white in
    # any of them is the module's underset, and nothing of the module is an empty area.
    a = art("a", {"col": 1, "span": 3, "top": 0, "height": 20}, 12)
    a["head"] = {"size": 10, "vertical": True, "side": "right", "span": 1, "air": 0}
    result = page([a, art("b", {"col": 4, "span": 1, "top": 0, "height": 40}, 30),
                   art("c", {"col": 1, "span": 3, "top": 21, "height": 19}, 40)])
    f = next(f for f in result.fit if f.id == "a")
    head = next(i for i in result.page.root.placed() if isinstance(i, Group) and i.kind == "headline")
    depth = round(head.h / 12.0)
    assert 0 < depth < 20
    assert f.capacity_lines == 2 * 20 + (20 - depth)
    assert f.underset_lines == f.capacity_lines - f.used_lines == f.capacity_lines - 12
    assert not [w for w in result.warnings if w.startswith("empty area")]


def test_a_block_drawn_outside_its_module_makes_the_page_not_clean():
    # A 40 pt head (4 lines) in a 3-line module is drawn below the module's foot: the overflow
    # warning was printed, but fit's page summary still called the page clean.
    from layout.report import page_summary

    a = art("a", {"col": 1, "span": 2, "top": 0, "height": 3}, 1)
    a["head"] = {"size": 40, "air": 0}
    summary = page_summary(page([a]))
    assert summary["overflows"] >= 1 and not summary["clean"]
    assert page_summary(page([art("a", {"col": 1, "span": 2, "top": 0, "height": 12}, 14)]))["overflows"] == 0


def test_a_line_or_two_under_a_vertical_head_stays_white():
    # Under a 竖题 the strip takes text from the head's foot down; where only one or two lines are
    # left there, a line of text stood alone under the head (a new user's page). They stay white
    # now, part of the module's white; from three lines on they take text.
    def module(height):
        a = art("a", {"col": 1, "span": 2, "top": 0, "height": height}, 40)
        a["head"] = {"size": 10, "vertical": True, "span": 1, "air": 0}
        a["headline"] = "标题" * 4
        return page([a])

    tall = module(30)
    head = next(i for i in tall.page.root.placed() if isinstance(i, Group) and i.kind == "headline")
    depth = round(head.h / 12.0)
    assert tall.fit[0].capacity_lines == 2 * 30 - depth
    for extra, under in ((1, 0), (2, 0), (3, 3)):
        (f,) = module(depth + extra).fit
        assert f.capacity_lines == depth + extra + under, (extra, f)
