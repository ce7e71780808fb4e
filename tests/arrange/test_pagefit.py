"""Page-level fit on constructed pages (synthetic font, Python values): the edges found, the
moves chosen — exactly — a stepped edge turning a module into an L, named edges and flex."""

from __future__ import annotations

from layout.arrange import find_edges, fit_page
from layout.compose.module import compose_chain
from layout.plan import GridRect
from tests.plan import kit

HEAD = {"size": 10, "lines": 2}


def lines_of(n: int) -> int:
    """Hanzi that one paragraph needs to fill ``n`` lines of 10 字 (first line indented 2 字)."""
    return 8 + 10 * (n - 1) - 1  # … and the closing 。 ends the last line


def art(id, place, n_lines, **kw):
    return {"id": id, "headline": "标题", "head": HEAD, "body": kit.copy(lines_of(n_lines), para=2000),
            "place": place, **kw}


def fitted(arts, **extra):
    loaded = kit.issue(arts, **extra.pop("fmt", {}))
    if extra:
        loaded = kit.issue(arts) if not extra else _with(loaded, **extra)
    plan = kit.plan(loaded)
    env = kit.env(loaded, plan)
    result = fit_page(plan, lambda chain: compose_chain(env, chain, plan.grid.lines, frames=False))
    return plan, result, env


def _with(loaded, **fields):
    from layout.model import Issue, LoadedIssue

    doc = loaded.issue.model_dump(mode="json", exclude_unset=True) | fields
    return LoadedIssue(issue=Issue.model_validate(doc), path=loaded.path, root=loaded.root,
                       bodies=loaded.bodies, sidebars={})


def regions(plan):
    return {c.article: c.modules[0].region.bands for c in plan.chains}


def test_edge_between_stacked_modules_is_found():
    plan = kit.plan(kit.issue([art("a", {"col": 1, "span": 2, "top": 0, "height": 20}, 10),
                               art("b", {"col": 1, "span": 2, "top": 21, "height": 19}, 10)]))
    (edge,) = find_edges(plan)
    assert (edge.name, edge.end, edge.start, edge.above, edge.below) == ("line 20", 20, 21, ("a",), ("b",))
    assert (edge.low, edge.high) == (-8, 8)  # both modules' default flex


def test_the_edge_moves_exactly_as_far_as_the_copy_needs():
    # a: 44 lines of copy in 2 columns under a 2-line head → 24 lines deep (its edge 20 → 24);
    # b below: 26 lines → 15 lines deep, which is what is left once the edge has moved.
    plan, result, env = fitted([art("a", {"col": 1, "span": 2, "top": 0, "height": 20}, 44),
                                art("b", {"col": 1, "span": 2, "top": 21, "height": 19}, 26)])
    assert [(m.edge.end, m.delta, m.changes) for m in result.moves] == [(20, 4, (("a", 4), ("b", -4)))]
    assert result.moves[0].describe() == "edge at line 20 → 24: a +4 lines, b −4 lines"
    assert regions(result.plan) == {"a": (GridRect(0, 2, 0, 24),), "b": (GridRect(0, 2, 25, 15),)}
    for chain in result.plan.chains:
        f = compose_chain(env, chain, 40, frames=False).fits[0]
        assert (f.overset_lines, f.underset_lines) == (0, 0)


def test_an_edge_steps_and_the_module_above_becomes_an_inverted_l():
    # a spans four columns over b (columns 1–2) and c (3–4); b needs 4 lines less, c 2 less, so
    # a grows 4 lines over b and 2 over c: an inverted L with a 2-line stem over columns 1–2.
    plan, result, env = fitted([art("a", {"col": 1, "span": 4, "top": 0, "height": 20}, 84),
                                art("b", {"col": 1, "span": 2, "top": 21, "height": 19}, 26),
                                art("c", {"col": 3, "span": 2, "top": 21, "height": 19}, 30)])
    got = regions(result.plan)
    assert got["a"] == (GridRect(0, 4, 0, 22), GridRect(0, 2, 22, 2))
    assert got["b"] == (GridRect(0, 2, 25, 15),) and got["c"] == (GridRect(2, 2, 23, 17),)
    assert sorted((m.delta, m.under) for m in result.moves) == [(2, ("c",)), (4, ("b",))]
    assert "over c" in next(m for m in result.moves if m.delta == 2).describe()
    for chain in result.plan.chains:
        f = compose_chain(env, chain, 40, frames=False).fits[0]
        assert (f.overset_lines, f.underset_lines) == (0, 0), chain.article


def test_a_named_edge_is_reported_by_name_and_its_flex_bounds_the_move():
    arts = [art("a", {"col": 1, "span": 2, "top": 0, "height": "to fold"}, 44),
            art("b", {"col": 1, "span": 2, "top": "fold", "height": 19}, 26)]
    plan, result, _env = fitted(arts, edges={"fold": 20})
    assert result.moves[0].describe() == "edge fold 20 → 24: a +4 lines, b −4 lines"
    plan, result, _env = fitted(arts, edges={"fold": {"line": 20, "flex": 2}})
    assert [m.delta for m in result.moves] == [2]  # as far as the edge may go: a stays overset


def test_flex_zero_pins_a_module_and_its_edge():
    plan, result, _env = fitted([art("a", {"col": 1, "span": 2, "top": 0, "height": 20}, 44, flex=0),
                                 art("b", {"col": 1, "span": 2, "top": 21, "height": 19}, 26)])
    assert result.moves == () and result.edges == ()


def test_an_edge_that_would_open_a_hole_does_not_move():
    # b below covers only column 1 of a's two: moving the edge would uncover column 2.
    plan = kit.plan(kit.issue([art("a", {"col": 1, "span": 2, "top": 0, "height": 20}, 44),
                               art("b", {"col": 1, "span": 1, "top": 21, "height": 19}, 10)]))
    assert find_edges(plan) == []


def test_an_edge_never_squeezes_a_module_below_its_fixed_photo():
    # a above is far overset (60 lines of copy in 2 × 18): every line b gives helps it, and b's
    # two lines of copy fit anywhere, but b holds a fixed photo in column 1 (top 2, 12 lines, a
    # caption line) that must stay inside b. A new user's page had page-level fit push a photo
    # and its caption over the module below (issue 14).
    def page(height):
        photo = {"file": "x.jpg", "caption": "说明。", "flex": 0,
                 "place": {"col": 1, "span": 1, "top": 2, "height": height}}
        return fitted([art("a", {"col": 1, "span": 2, "top": 0, "height": 20}, 60),
                       art("b", {"col": 1, "span": 2, "top": 21, "height": 19}, 2, photos=[photo])])

    plan, result, env = page(12)
    b = next(c for c in result.plan.chains if c.article == "b")
    measured = compose_chain(env, b, 40, frames=False)
    assert measured.problems == 0, measured.warnings
    # b needs 2 + 12 + 1 = 15 lines for its photo and caption: 4 of its 19 lines can go, not the
    # 8 its flex allows.
    assert [(m.delta, m.changes) for m in result.moves] == [(4, (("a", 4), ("b", -4)))]
    assert regions(result.plan)["b"] == (GridRect(0, 2, 25, 15),)
    _plan, taller, _env = page(16)  # 2 + 16 + 1 = 19: no line to spare
    assert taller.moves == ()


def test_white_in_a_wide_measure_counts_as_wide():
    # a is set in one column across two (破栏, 21 字 a line) over b in two columns; both are
    # short of copy. Counted in column-lines, a's wide lines looked cheap and the edge moved down
    # 8 lines, growing a's white (a new user's boxed commentary grew five empty lines). Counted in
    # grid columns, a's white at its one foot weighs double, and the edge moves up instead: a
    # closes on its copy, b's white is spread over two feet.
    plan, result, _env = fitted([art("a", {"col": 1, "span": 2, "top": 0, "height": 20}, 8, columns=1),
                                 art("b", {"col": 1, "span": 2, "top": 21, "height": 19}, 10)])
    assert [(m.delta, m.changes) for m in result.moves] == [(-8, (("a", -8), ("b", 8)))]
    # where a has more copy than lines, it still takes b's white
    plan, result, env = fitted([art("a", {"col": 1, "span": 2, "top": 0, "height": 20}, 44, columns=1),
                                art("b", {"col": 1, "span": 2, "top": 21, "height": 19}, 10)])
    assert [m.delta for m in result.moves] == [4]
    for chain in result.plan.chains:
        assert compose_chain(env, chain, 40, frames=False).fits[0].overset_lines == 0


def test_a_module_between_two_edges_slides_to_pass_lines_down():
    # a is two lines short, b full, c has room. Moving the edges one at a time stops at one line
    # each (a still a line short); b sliding down (both its edges together) passes both lines.
    plan, result, env = fitted([art("a", {"col": 1, "span": 2, "top": 0, "height": 12}, 24),
                                art("b", {"col": 1, "span": 2, "top": 13, "height": 14}, 24),
                                art("c", {"col": 1, "span": 2, "top": 28, "height": 12}, 16)])
    assert [(m.edge.end, m.delta, m.changes) for m in result.moves] == [
        (12, 2, (("a", 2), ("b", -2))), (27, 2, (("b", 2), ("c", -2)))]
    assert regions(result.plan) == {"a": (GridRect(0, 2, 0, 14),), "b": (GridRect(0, 2, 15, 14),),
                                    "c": (GridRect(0, 2, 30, 10),)}
    for chain in result.plan.chains:
        assert compose_chain(env, chain, plan.grid.lines, frames=False).fits[0].overset_lines == 0


def test_a_head_below_its_module_is_a_problem():
    # A 40 pt head is 4 lines deep (12 pt pitch): a module of 3 lines draws it 4 mm below its foot.
    # Measured, that is a problem like blocks over each other (page-level fit, the planner and the
    # suggestions never choose it): a new user's head "reaches 1 mm below its module" after a
    # move, and fit called the page clean.
    for height, problems in ((4, 0), (3, 1)):
        a = art("b", {"col": 1, "span": 2, "top": 21, "height": height}, 1)
        a["head"] = {"size": 40, "air": 0}
        loaded = kit.issue([a])
        plan = kit.plan(loaded)
        got = compose_chain(kit.env(loaded, plan), plan.chains[0], 40, frames=False)
        assert got.problems == problems, (height, got.warnings)
    assert got.warnings[-1] == ("article b: its head reaches 4 mm below the module; make the module "
                                "deeper or the head smaller")
