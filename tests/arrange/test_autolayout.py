"""Automatic page layout on small constructed pages (synthetic font, Python values): the
arrangement chosen and its cost, exactly; a fixed place kept; the placed page filled."""

from __future__ import annotations

from dataclasses import replace

from layout.arrange import fit_page
from layout.arrange.autolayout import COSTS, auto_layout, seams
from layout.compose.module import compose_chain
from layout.plan import GridRect, plan_page
from tests.arrange.test_pagefit import lines_of
from tests.plan import kit


def auto(articles, **fmt):
    """Plan a page of unplaced (and placed) articles the way ``api.layout`` does."""
    loaded = kit.issue(articles, **fmt)
    plan = kit.plan(loaded)
    env = kit.env(loaded, plan)

    def measure(chain):
        return compose_chain(env, chain, plan.grid.lines, frames=False)

    def replan(arts, alone=False):
        update = {"articles": list(arts)} | ({"masthead": None} if alone else {})
        issue = loaded.issue.model_copy(update=update)
        return plan_page(loaded.model_copy(update={"issue": issue}))

    return auto_layout(plan, loaded.issue, env, replan, measure, lambda p, **kw: fit_page(p, measure, **kw)), measure


def art(id, n_lines, **kw):
    return {"id": id, "headline": "标题" * 2, "body": kit.copy(lines_of(n_lines), para=2000), **kw}


def bands(result):
    return {c.article: c.modules[0].region.bands for c in result.plan.chains}


def test_three_articles_lead_on_top_two_below_with_staggered_tops():
    # 4 columns × 40 lines; the lead has about twice the copy of each of the others.
    result, measure = auto([art("lead", 70), art("second", 30), art("third", 26)])
    got = bands(result)
    lead = got["lead"]
    assert lead[0].col == 0 and lead[0].span == 4 and lead[0].top == 0  # the lead spans the page on top
    second, third = got["second"][0], got["third"][0]
    assert {second.col, third.col} == {0, 2} and second.span == third.span == 2
    assert second.top != third.top  # the lead's foot steps: no seam, no heads side by side
    assert len(lead) == 2 and result.plan.chains[0].modules[0].region.shape == "inverted-L"
    assert result.terms["butting"] == 0 and result.terms["seam"] == 0 == seams(result.plan)
    for chain in result.plan.chains:
        f = measure(chain).fits[0]
        assert f.overset_lines == 0 and f.empty_tail <= 1, (chain.article, f)
    assert result.cost == sum(COSTS[k] * v for k, v in result.terms.items())
    assert result.tried >= result.composed > 0
    # Exactly: the lead 4 columns wide with a 3-line stem over the third; 2 empty column-lines.
    assert result.arrangement == "lead 4 cols, 1 + 1 below"
    assert got == {"lead": (GridRect(0, 4, 0, 20), GridRect(2, 2, 20, 3)),
                   "second": (GridRect(0, 2, 21, 19),), "third": (GridRect(2, 2, 24, 16),)}
    assert (result.cost, result.terms["fill"]) == (2.0, 2.0)


def test_the_lead_is_the_first_article_unless_a_priority_says_otherwise():
    result, _m = auto([art("brief", 20), art("big", 70, priority=1), art("mid", 28)])
    lead = bands(result)["big"]
    assert lead[0].top == 0 and lead[0].span == 4


def test_a_placed_article_is_kept_and_the_rest_planned_around_it():
    fixed = art("fixed", 16, place={"col": 4, "span": 1, "top": 0, "height": 20}, flex=0)
    result, measure = auto([art("lead", 60), fixed, art("other", 30)])
    got = bands(result)
    assert got["fixed"] == (GridRect(3, 1, 0, 20),)
    for label, rects in got.items():
        if label != "fixed":
            assert not any(r.overlaps(GridRect(3, 1, 0, 20)) for r in rects), label


def test_the_plan_is_deterministic():
    a, _ = auto([art("lead", 70), art("second", 30), art("third", 26)])
    b, _ = auto([art("lead", 70), art("second", 30), art("third", 26)])
    assert (a.arrangement, a.cost, bands(a)) == (b.arrangement, b.cost, bands(b))
    assert replace(a, plan=None, articles=None) == replace(b, plan=None, articles=None)


def briefs(id, n, **kw):
    """A briefs group (简讯) with a label tag and no headline: ``n`` items of 80 字."""
    return {"id": id, "kind": "briefs", "label": "简讯",
            "items": [{"title": "标题", "text": kit.copy(79, para=2000)} for _ in range(n)], **kw}


def test_a_briefs_group_with_a_label_and_no_head_is_placed():
    # It crashed: the planner measured a head that is not there (measure_head of no plan).
    result, measure = auto([art("lead", 60), art("second", 30), briefs("news", 3)])
    assert result.arrangement == "lead 4 cols, 1 + 1 below"
    assert bands(result) == {"lead": (GridRect(0, 4, 0, 20), GridRect(2, 2, 20, 3)),
                             "second": (GridRect(0, 2, 21, 19),), "news": (GridRect(2, 2, 24, 16),)}
    news = next(c for c in result.plan.chains if c.article == "news")
    assert news.modules[0].head is None and news.modules[0].tag.text == "简讯"
    f = measure(news).fits[0]
    assert f.overset_lines == 0 and result.terms["overset"] == 0


def test_a_labelled_lead_is_kept_rectangular():
    # A label tag needs a rectangle: the stepped arrangements are refused, and said so in notes.
    result, _m = auto([briefs("news", 3), art("lead", 60), art("second", 30)])
    assert all(len(r) == 1 for r in bands(result).values())
    assert result.notes and all("a label tag needs a rectangular module" in n for n in result.notes)


def test_zone_right_moves_an_article_to_the_right_strip():
    # Without the hint "second" goes under the lead's left part (the test above); zone: right
    # swaps it with "third", the lead's stem stepping over the left strip instead.
    result, _m = auto([art("lead", 70), art("second", 30, zone="right"), art("third", 26)])
    assert result.arrangement == "lead 4 cols, 1 + 1 below (below: third | second)"
    assert bands(result) == {"lead": (GridRect(0, 4, 0, 20), GridRect(0, 2, 20, 3)),
                             "second": (GridRect(2, 2, 21, 19),), "third": (GridRect(0, 2, 24, 16),)}
    assert result.terms["hint"] == 0 and not result.notes


def test_the_leads_max_span_filters_its_spans():
    # The lead's body is 3 columns wide, its head across the page (the head's width is not the
    # module's): without the hint it is 4 columns wide (the first test).
    result, _m = auto([art("lead", 70, max_span=3), art("second", 30), art("third", 26)])
    got = bands(result)
    assert got["lead"] == (GridRect(0, 4, 0, 4), GridRect(0, 3, 4, 23))
    assert result.terms["hint"] == 0 and not result.notes


def test_a_hint_the_page_cannot_honour_is_a_note_not_silence():
    # Under a 4-column lead no other module is 4 columns wide: min_span 4 is missed, and said.
    result, _m = auto([art("lead", 70), art("second", 30, min_span=4), art("third", 26)])
    note = "planner: article 'second': min_span 4 not honoured (the planner found room for 2 columns)"
    assert result.notes == (note,) and note in result.plan.notes
    assert result.terms["hint"] == 1 and result.cost == sum(COSTS[k] * v for k, v in result.terms.items())


def test_hint_misses_reads_zones_and_keep_with_from_the_slots():
    from layout.arrange.autolayout import Frame, Piece, Slot, hint_misses
    from layout.model import Article

    def piece(i, **kw):
        return Piece(i, Article.model_validate({"id": f"a{i}", "headline": "标题", "body": "文", **kw}),
                     i, 10, 100, (), 0)

    pieces = [piece(0), piece(1, zone="bottom", keep_with="a3"), piece(2, zone="top"), piece(3, zone="left")]
    slots = {0: (Slot(0, 4, 0, 20),), 1: (Slot(0, 2, 21, 10),), 2: (Slot(2, 2, 21, 19),),
             3: (Slot(0, 2, 32, 8),)}
    assert hint_misses(slots, pieces, Frame(4, 40, ())) == [
        "article 'a1': zone bottom not honoured (it ends above the type area's foot)",
        "article 'a2': zone top not honoured (a planned module stands above it)",
    ]  # a1 is stacked on a3 (keep_with honoured); a3 touches the left side
    slots[3] = (Slot(2, 2, 32, 8),)
    slots[2] = (Slot(0, 2, 32, 8),)
    assert hint_misses(slots, pieces, Frame(4, 40, ()))[-1] == (
        "article 'a3': zone left not honoured (it does not touch the left side)")
    slots[3] = (Slot(2, 2, 0, 8),)
    assert "article 'a1': keep_with 'a3' not honoured (their modules share no edge)" in hint_misses(
        slots, pieces, Frame(4, 40, ()))


def test_a_stack_staggers_a_top_off_the_head_beside_it():
    from layout.arrange.autolayout import Slot, stack

    # Two modules of equal need share 30 lines; a head 3 lines deep stands beside at line 25,
    # where the second would start: it starts 3 lines higher instead (the first keeps its need).
    assert stack(0, 2, 10, 40, [10, 10]) == [Slot(0, 2, 10, 14), Slot(0, 2, 25, 15)]
    assert stack(0, 2, 10, 40, [10, 10], [3, 3], ((25, 3),)) == [Slot(0, 2, 10, 11), Slot(0, 2, 22, 18)]


def test_a_stack_gives_its_surplus_to_the_module_whose_photo_can_take_it():
    from layout.arrange.autolayout import Slot, stack

    # 9 spare lines: the module without a photo gets its need, the one with a photo the rest.
    # (gives: lines each can give back, and take up — a photo set across its module takes more.)
    assert stack(0, 2, 10, 40, [10, 10], gives=[(0.0, 0.0), (4.0, 8.0)]) == [Slot(0, 2, 10, 10), Slot(0, 2, 21, 19)]
    # 3 lines short: taken where a photo can give them back (4), not where it could only grow.
    assert stack(0, 2, 10, 35, [14, 14], gives=[(0.0, 9.0), (4.0, 8.0)]) == [Slot(0, 2, 10, 14), Slot(0, 2, 25, 10)]


def test_slot_seams_count_gutters_and_common_feet():
    from layout.arrange.autolayout import Frame, Slot, slot_seams

    frame = Frame(4, 40, ())
    across = {0: (Slot(0, 4, 0, 4, "head"), Slot(0, 3, 4, 20, "lead")), 1: (Slot(3, 1, 5, 35),),
              2: (Slot(0, 3, 25, 15),)}
    assert slot_seams(across, frame) == 0  # the head across the page bridges the side's gutter
    beside = {0: (Slot(0, 3, 0, 24),), 1: (Slot(3, 1, 0, 40),), 2: (Slot(0, 3, 25, 15),)}
    assert slot_seams(beside, frame) == 1  # the gutter beside the side strip runs the page's height
    flat = {0: (Slot(0, 4, 0, 20),), 1: (Slot(0, 2, 21, 19),), 2: (Slot(2, 2, 21, 19),)}
    assert slot_seams(flat, frame) == 1  # every column's module ends on line 20


def test_articles_are_planned_under_a_fixed_band_across_the_top():
    # A front page: a block over every column at the top (a nameplate; here a placed article
    # 4 columns × 8 lines). The planner failed ("no arrangement … around the placed ones"); it
    # now plans the page under the band as a page 9 lines shorter (the band and its blank line).
    band = art("band", 6, place={"col": 1, "span": 4, "top": 0, "height": 8}, flex=0)
    result, measure = auto([band, art("lead", 50), art("second", 22), art("third", 18)])
    got = bands(result)
    assert got["band"] == (GridRect(0, 4, 0, 8),)
    lead = got["lead"]
    assert lead[0].top == 9 and lead[0].span == 4  # the lead across the page, under the band
    for label, rects in got.items():
        if label != "band":
            assert all(r.top >= 9 for r in rects), (label, rects)
    for chain in result.plan.chains:
        f = measure(chain).fits[0]
        assert f.overset_lines == 0, (chain.article, f)


def test_the_band_under_blocks_across_the_top():
    from layout.arrange.autolayout import Frame, below_band, top_band

    # a nameplate over columns 1–3 (8 lines) and a 报眼 over column 4 (10 lines): the band ends
    # under the lower one's neighbour, the taller block's foot stays fixed below the band
    frame = Frame(4, 40, (GridRect(0, 3, 0, 8), GridRect(3, 1, 0, 10)), ("nameplate", "ear"))
    assert top_band(frame) == 9
    assert below_band(frame, 9) == Frame(4, 31, (GridRect(3, 1, 0, 1),), ("ear",))
    assert top_band(Frame(4, 40, (GridRect(0, 3, 0, 8),))) == 0  # column 4 free at the top


def test_the_lead_goes_under_a_fixed_block_over_part_of_the_top():
    # A nameplate over columns 1–3 (8 lines) and column 4 free from the top: the lead stands
    # under the nameplate and a strip of one column beside it runs from line 0 (the planner
    # found no arrangement: it always put the lead at line 0).
    plate = art("plate", 5, place={"col": 1, "span": 3, "top": 0, "height": 8}, flex=0)
    result, measure = auto([plate, art("lead", 40), art("side", 16), art("second", 20), art("third", 16)])
    got = bands(result)
    lead = got["lead"]
    assert lead[0].top == 9 and (lead[0].col, lead[0].span) == (0, 3)
    assert any(r.top == 0 and r.col == 3 for label, rects in got.items() if label != "plate" for r in rects)
    for label, rects in got.items():
        if label != "plate":
            assert not any(r.overlaps(GridRect(0, 3, 0, 8)) for r in rects), label


def test_an_unplaced_article_in_split_columns_is_planned():
    # A boxed commentary set in one column across its module (columns: 1) had to be placed by
    # hand ("split columns need a placed module"); the planner now places it like any other.
    box = art("comment", 14, columns=1, box={"rule": "thin"})
    result, measure = auto([art("lead", 50), art("second", 22), box])
    comment = next(c for c in result.plan.chains if c.article == "comment")
    region = comment.modules[0].region
    assert len(region.bands) == 1 and region.bbox.span >= 2
    f = measure(comment).fits[0]  # one column across the module: its measure spans the gutters
    assert f.chars_per_line == region.bbox.span * 10 + (region.bbox.span - 1) * 1 - 2  # box insets
    for chain in result.plan.chains:
        assert measure(chain).fits[0].overset_lines == 0, chain.article


def test_the_planner_sizes_photos_for_their_pixels():
    # 4 columns of 10 字 at 10 pt with 1-字 gutters: one column 100 pt, two 210, three 320. An
    # original of 400 × 300 px prints at 220 ppi (PLAN_PPI) at most 131 × 98 pt: one column wide
    # (the planner had made a new user's photo too large for its original and the render
    # stopped; then a trial's planned photo printed at 162 ppi, "may print soft"). 900 px: 294 pt,
    # two columns.
    from layout.arrange.autolayout import PLAN_PPI, Measures

    loaded = kit.issue([art("a", 10)])
    plan = kit.plan(loaded)
    m = Measures(None, plan, loaded.issue, [])
    assert PLAN_PPI == 220.0
    assert m.widest((400, 300)) == 1 and m.widest((900, 300)) == 2 and m.widest((9000, 300)) == 4
    g = plan.grid
    assert m.tallest((400, 300)) == int((300 / 220 * 72 + g.pitch - g.em) // g.pitch)


def _turn_page(b_head=None, lead_head=None):
    """6 columns × 40 lines: the lead held to 4 columns, so a strip of 2 stands beside it whose
    first head would stand beside the lead's at the top."""
    b = art("b", 32) | ({"head": b_head} if b_head else {})
    lead = art("lead", 80, max_span=4) | ({"head": lead_head} if lead_head else {})
    arts = [lead, b, art("c", 30), art("d", 16), art("e", 20)]
    return auto(arts, columns=6, type_area=["240mm", "478pt"], trim=["300mm", "200mm"])


def _depths(result, measure):
    return {c.article: measure(c).heads[0].lines for c in result.plan.chains}


def test_a_head_beside_the_leads_is_turned_into_a_vertical_head():
    from layout.arrange.autolayout import butting

    result, measure = _turn_page()
    # Exactly: the strip's first head is a 竖题 on the strip's outer side, so it does not stand
    # beside the lead's; it costs COSTS['vertical'] (30) instead of COSTS['butting'] (150).
    assert result.arrangement == "lead 4 cols, 1 beside it on the right, 1 + 2 below (竖题: b)"
    assert {k: v for k, v in result.terms.items() if v} == {"fill": 4.0, "hierarchy": 3.0, "vertical": 1.0}
    assert result.cost == 124.0  # 4 + 3 × 30 + 30
    chains = {c.article: c for c in result.plan.chains}
    head = chains["b"].modules[0].head
    assert (head.style, head.side, head.rows) == ("vertical", "right", 1)
    assert bands(result)["b"] == (GridRect(4, 2, 0, 19),)
    assert butting(result.plan, _depths(result, measure)) == 0
    for chain in result.plan.chains:
        f = measure(chain).fits[0]
        assert f.overset_lines == 0 and f.empty_tail <= 1, (chain.article, f)
    # What ``plan --write`` writes carries the 竖题.
    b = next(a for a in result.articles if a.id == "b")
    assert b.head.is_vertical and b.head.side == "right"


def test_a_head_style_the_description_gives_is_never_turned():
    from layout.arrange.autolayout import butting

    result, measure = _turn_page({"style": "stacked"})
    # The strip's head keeps the style given; the lead's head is set one column narrower instead
    # (its fourth column of text runs up beside it), at COSTS['narrow'] and 4 more column-lines.
    assert all(c.modules[0].head.style == "stacked" for c in result.plan.chains)
    assert result.arrangement == "lead 4 cols, 1 beside it on the right, 1 + 2 below (the lead's head over 3 cols)"
    assert {k: v for k, v in result.terms.items() if v} == {"fill": 8.0, "hierarchy": 3.0, "narrow": 1.0}
    assert result.cost == 128.0  # 8 + 3 × 30 + 30
    lead = result.plan.chains[0].modules[0]
    assert (lead.head.span, lead.head.side, lead.region.bands[0].span) == (3, "right", 4)
    assert butting(result.plan, _depths(result, measure)) == 0
    # With the lead's head given its span too, neither is changed: the heads butt, charged.
    result, measure = _turn_page({"style": "stacked"}, lead_head={"level": 1, "span": 4})
    assert result.terms["vertical"] == result.terms["narrow"] == 0 and result.terms["butting"] == 1
    assert butting(result.plan, _depths(result, measure)) == 1


def test_butting_pairs_read_a_vertical_head_at_its_side():
    from layout.arrange.autolayout import Slot, _head_rect, butting_pairs

    lead = _head_rect(Slot(0, 4, 0, 20), 4)
    far = _head_rect(Slot(4, 2, 0, 19, vertical="right"), 12)
    near = _head_rect(Slot(4, 2, 0, 19, vertical="left"), 12)
    across = _head_rect(Slot(4, 2, 0, 19), 3)
    assert far == (5, 1, 0, 12) and near == (4, 1, 0, 12)
    assert butting_pairs({0: lead, 1: far}) == []
    assert butting_pairs({0: lead, 1: near}) == [(0, 1)]
    assert butting_pairs({0: lead, 1: across}) == [(0, 1)]
    # Side by side but at different heights: no butting.
    assert butting_pairs({0: lead, 1: _head_rect(Slot(4, 2, 4, 19), 3)}) == []


def test_a_narrowed_lead_head_leaves_a_column_between_it_and_the_strip():
    from layout.arrange.autolayout import Slot, _head_rect, butting_pairs

    lead = Slot(0, 5, 0, 40, "lead")
    strip = _head_rect(Slot(5, 1, 0, 60), 4)
    assert butting_pairs({0: _head_rect(lead, 6), 1: strip}) == [(0, 1)]
    narrowed = _head_rect(replace(lead, narrow="right"), 8)
    assert narrowed == (0, 4, 0, 8)  # over columns 1–4; column 5 of the lead's text runs up beside it
    assert butting_pairs({0: narrowed, 1: strip}) == []
    assert _head_rect(replace(lead, narrow="left"), 8) == (1, 4, 0, 8)


def test_a_lead_span_no_arrangement_gives_is_a_note_not_a_failure():
    # A trial's lead with min_span 8 on an 8-column page and eight more articles stopped with
    # "the planner found no arrangement … around the placed ones" (nothing was placed): no
    # arrangement of the family puts eight modules under a lead across the page. The planner now
    # plans the other spans, charges the hint and says it.
    from layout.arrange.autolayout import COSTS

    arts = [art("lead", 40, min_span=4)] + [art(f"a{i}", 6) for i in range(8)]
    result, _m = auto(arts)
    assert result.notes == ("planner: article 'lead': min_span 4 not honoured (the planner found room for 3 columns)",)
    assert result.arrangement.startswith("lead 3 cols") and result.terms["hint"] == 1
    assert result.cost == sum(COSTS[k] * v for k, v in result.terms.items())


def test_a_photo_span_wider_than_its_module_is_said(tmp_path):
    import shutil
    from pathlib import Path

    from tests.robustness.clirun import invoke

    src = Path(__file__).resolve().parents[2] / "issues" / "paiban-auto" / "2025-10-09"
    shutil.copytree(src, tmp_path / "p")
    page = tmp_path / "p" / "page07.yaml"
    text = page.read_text(encoding="utf-8")
    i = text.index("flex: 6")
    page.write_text(text[:i] + "span: 7\n        " + text[i:], encoding="utf-8")
    run = invoke(tmp_path / "p", "plan", "page07.yaml")
    assert run.returncode == 0, run.stderr
    assert "photo photos/p5-tea-garden.jpg span 7 not honoured (its module is" in run.stderr
