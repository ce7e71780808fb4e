"""Head blocks: depth in whole lines (R9 + air, never padding), coordinates relative to the
block, bracket trim, the style registry (stacked, reversed, boxed, vertical), head levels from
the house table, and the head report of ``paiban validate``."""

from __future__ import annotations

import pytest
import yaml
from text.fontkit import FACE

from layout import api
from layout.compose import headline as H
from layout.compose.spans import SpanKit
from layout.errors import InputError
from layout.frames import WHITE, Box, Fill, Group, TextLine
from layout.text import display as D

KIT = SpanKit(lambda role: FACE)
GRID = H.BodyGrid(9.0, 12.0)
ASC = 0.88  # the synthetic face declares no ascent: the block uses the ideographic 0.88 em


def head(main, width=400.0, **kw):
    return H.build_head(
        H.HeadSpec(main=main, main_size=kw.pop("size", 30.0), **kw), width, KIT, GRID
    )


def describe(tmp_path, articles, **extra) -> api.LoadedIssue:
    doc = {
        "paper": "测试日报",
        "date": "2024-03-06",
        "page": 2,
        "section": "测试",
        "format": {"marks": False, "slug": False},
        "articles": articles,
        **extra,
    }
    path = tmp_path / "page.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return api.load_issue(path)


# --------------------------------------------------------------------------------------------
# Depth: natural, snapped to whole lines, plus air — never padding


def test_r9_depth_is_the_natural_depth_in_whole_lines_plus_air():
    """Main 30 pt + subtitle 21 pt on an 11.25 pt pitch [IHW-T]: 30 + 0.4 × 21 + 21 = 59.4 pt
    = 5.28 lines → 6, plus the house's 1 line of air = 7; with the textbook's 2 lines of air
    (3 with the gap between the parts) it is R9's 8 lines."""
    grid = H.BodyGrid(9.0, 11.25)
    spec = H.HeadSpec(main="政法", main_size=30.0, subtitle="综述", subtitle_size=21.0)
    block = H.build_head(spec, 400.0, KIT, grid)
    assert block.natural == pytest.approx(59.4)
    assert block.depth_lines == 7 and block.height == pytest.approx(7 * 11.25)
    wider = H.build_head(
        H.HeadSpec(main="政法", main_size=30.0, subtitle="综述", subtitle_size=21.0, air=2),
        400.0,
        KIT,
        grid,
    )
    assert wider.depth_lines == 8


def test_a_body_size_head_takes_two_lines_and_air_zero_one():
    assert head("标题", size=9.0).depth_lines == 2
    assert head("标题", size=9.0, air=0).depth_lines == 1


def test_rows_and_part_gaps_add_to_the_natural_depth():
    # Two rows of 30 pt (gap ¼ em) + kicker 18 pt (gap 0.4 × 18): 30·2 + 7.5 + 7.2 + 18 = 92.7 pt.
    block = head(
        "以政法工作现代化护航高质量发展大局", width=300.0, kicker="引题文字", kicker_size=18.0
    )
    assert block.rows("main") == ("以政法工作现代化", "护航高质量发展大局")
    assert block.natural == pytest.approx(92.7)
    assert block.depth_lines == 8 + 1


def test_an_editor_depth_wins_and_a_short_one_is_reported():
    block = head("标题", lines=6)
    assert block.depth_lines == 6 and not block.warnings
    short = head("以政法工作现代化护航高质量发展大局", width=300.0, lines=2, name="article a")
    assert short.depth_lines == 2
    assert any("article a: the head needs 6 lines, head.lines gives 2" in w for w in short.warnings)


# --------------------------------------------------------------------------------------------
# Coordinates: the block's own, top-left (0, 0)


def test_frame_is_relative_to_the_block_and_centred_rows_sit_on_their_ink():
    block = head("全市司法行政工作会议召开", width=400.0)  # 12 字 of 30 pt = 360 pt
    assert (block.frame.x, block.frame.y, block.frame.w) == (0.0, 0.0, 400.0)
    (row,) = block.frame.items
    assert row.kind == "head-main" and row.ink == pytest.approx(360.0)
    assert row.x == pytest.approx(20.0) and row.runs[0].x == pytest.approx(20.0)
    # 30 pt on a 12 pt pitch: 3 lines + 1 of air = 48 pt; centred on the em grid (gap 3 pt).
    assert block.depth_lines == 4
    top = (48.0 - 30.0 + 3.0) / 2
    assert row.y == pytest.approx(top + ASC * 30.0)
    moved = block.placed(100.0, 200.0, "a")
    assert isinstance(moved, Group) and (moved.x, moved.y, moved.id) == (100.0, 200.0, "a")
    # Frames are relative: the rows keep their place in the block and move with it on the page.
    assert moved.items == block.frame.items
    (mrow,) = (i for i in moved.placed() if isinstance(i, TextLine))
    assert mrow.runs[0].x == pytest.approx(120.0)


def test_a_leading_quote_is_trimmed_so_the_head_centres_on_its_ink():
    # “德力西杯”新闻摄影比赛揭晓: 14 cells, the opening quote's blank ½ em trimmed: 13.5 em.
    block = head("“德力西杯”新闻摄影比赛揭晓", width=500.0, size=20.0)
    (row,) = block.frame.items
    assert row.ink == pytest.approx(270.0)
    assert row.x == pytest.approx((500.0 - 270.0) / 2)
    assert row.runs[0].x == pytest.approx(row.x - 10.0)  # the quote's blank half hangs outside
    untrimmed = H.build_head(
        H.HeadSpec(
            main="“德力西杯”新闻摄影比赛揭晓",
            main_size=20.0,
            display=D.DisplayStyle(trim_start_bracket=False),
        ),
        500.0,
        KIT,
        GRID,
    )
    assert untrimmed.frame.items[0].ink == pytest.approx(280.0)


def test_start_and_end_alignment():
    left = head("标题文字", width=300.0, align="start").frame.items[0]
    right = head("标题文字", width=300.0, align="end").frame.items[0]
    assert left.x == 0.0 and right.x == pytest.approx(300.0 - 120.0)


# --------------------------------------------------------------------------------------------
# Styles


def test_the_registry_has_the_four_styles_and_refuses_others():
    assert set(H.STYLES) >= {"stacked", "vertical", "reversed", "boxed"}
    with pytest.raises(H.HeadError) as info:
        head("标题", style="wavy")
    assert info.value.field == "head.style" and "boxed" in info.value.hint


def test_reversed_bar_knocks_the_main_head_out_of_black():
    block = head("全市生产总值增长", width=300.0, size=26.0, style="reversed", subtitle="副题文字")
    bar = next(i for i in block.frame.items if isinstance(i, Fill))
    main = [i for i in block.frame.items if getattr(i, "kind", "") == "head-main"]
    sub = [i for i in block.frame.items if getattr(i, "kind", "") == "head-subtitle"]
    assert (bar.x, bar.w) == (0.0, 300.0)
    assert bar.h == pytest.approx(26.0 + 2 * H.BAR_PAD_EM * 26.0)
    assert all(r.color == WHITE for line in main for r in line.runs)
    assert all(r.color != WHITE for line in sub for r in line.runs)
    for line in main:  # the row's em box inside the bar
        assert bar.y < line.y - ASC * 26.0 and line.y + 0.12 * 26.0 < bar.y + bar.h
    assert sub[0].y - ASC * sub[0].size > bar.y + bar.h
    small = head("标题", size=9.0, style="reversed")
    assert any("reversed type of 9 pt" in w for w in small.warnings)


def test_boxed_head_is_framed_with_its_rows_inset():
    block = head("“小院议事”议出幸福新生活", width=243.0, size=26.0, style="boxed")
    assert block.rows() == ("“小院议事”", "议出幸福新生活")
    box = next(i for i in block.frame.items if isinstance(i, Box))
    assert box.x == pytest.approx(H.BOX_RULE / 2) and box.w == pytest.approx(243.0 - H.BOX_RULE)
    inset = H.BOX_INSET_EM * 9.0 + H.BOX_RULE
    for line in block.frame.lines():
        assert line.x >= inset - 1e-6 and line.x + line.ink <= 243.0 - inset + 1e-6
        assert box.y < line.y - ASC * 26.0 and line.y < box.y + box.h
    # The frame fills the block's lines but the line of air under it, from the first line's em
    # top (the 3 pt above it are the white of the rule between modules).
    assert box.y == pytest.approx(3.0 + H.BOX_RULE / 2)
    assert box.h == pytest.approx((block.depth_lines - 1) * 12.0 - 3.0 - H.BOX_RULE)


# --------------------------------------------------------------------------------------------
# Vertical heads (竖题)


def vhead(main, width=200.0, **kw):
    kw.setdefault("size", 30.0)
    return head(main, width=width, style="vertical", **kw)


def test_vertical_head_sets_kicker_main_rows_and_subtitle_right_to_left():
    block = vhead(
        "台胞参访团\n走进闽南古厝",
        kicker="两岸往来",
        subtitle="福建两地接待台胞",
        kicker_size=14.0,
        subtitle_size=14.0,
    )
    cols = list(block.frame.lines())
    assert [c.kind for c in cols] == [
        "head-kicker-vertical",
        "head-main-vertical",
        "head-main-vertical",
        "head-subtitle-vertical",
    ]
    assert [c.text for c in cols] == ["两岸往来", "台胞参访团", "走进闽南古厝", "福建两地接待台胞"]
    xs = [c.x for c in cols]
    assert xs == sorted(xs, reverse=True)  # reading order runs right to left
    # Width: 14 + 0.4·14 + 30 + ¼·30 + 30 + 0.4·14 + 14 = 106.7 pt, exactly the columns.
    assert block.width == pytest.approx(106.7) and block.frame.w == pytest.approx(106.7)
    assert cols[0].x == pytest.approx(106.7 - 14.0) and cols[-1].x == pytest.approx(0.0)
    # The kicker is top-aligned with the main head, the subtitle bottom-aligned with it.
    main_top = min(c.y for c in cols[1:3])
    assert cols[0].y == pytest.approx(main_top)
    main_bottom = max(c.y + sum(1 for _ in c.runs) * 30.0 for c in cols[1:3])
    assert cols[3].y + 8 * 14.0 == pytest.approx(main_bottom)
    # Depth: the first em top on the first body line's em top (gap 3 pt), 6 × 30 pt, + air.
    assert block.natural == pytest.approx(3.0 + 180.0)
    assert block.depth_lines == 16 + 1
    assert {p.kind: p.rows for p in block.parts}["main"] == ("台胞参访团", "走进闽南古厝")


def test_vertical_head_breaks_into_columns_at_its_depth_and_on_request():
    long = vhead("老街夜市焕新开放首周客流突破五万人次", max_depth=300.0)
    assert long.rows() == ("老街夜市焕新开放", "首周客流突破五万人次")
    asked = vhead("老街夜市焕新开放首周客流突破五万人次", rows=2)
    assert asked.rows() == long.rows()
    assert vhead("老街夜市焕新开放首周客流突破五万人次").rows() == (
        "老街夜市焕新开放首周客流突破五万人次",
    )


def test_vertical_digits_two_upright_side_by_side_four_rotated():
    block = vhead("第10届龙舟赛", size=20.0)
    runs = [r for line in block.frame.lines() for r in line.runs]
    one, zero = runs[1], runs[2]
    assert (one.text, zero.text) == ("1", "0") and one.y == zero.y and one.rotate == 0.0
    year = vhead("2024年春运", size=20.0)
    rot = [r for line in year.frame.lines() for r in line.runs if r.rotate == 90.0]
    assert "".join(r.text for r in rot) == "2024"


def test_a_vertical_head_wider_than_its_strip_is_an_input_error():
    with pytest.raises(H.HeadError) as info:
        vhead("台胞参访团\n走进闽南古厝\n与侨乡", width=80.0, name="article cross")
    assert info.value.field == "head.span"
    assert "article cross" in info.value.message and "3 columns need" in info.value.message


def test_vertical_head_in_a_module_keeps_kicker_and_subtitle_and_text_runs_under_it(tmp_path):
    art = {
        "id": "v",
        "kicker": "两岸往来",
        "headline": "台胞参访团走进闽南古厝",
        "subtitle": "福建两地热情接待台胞",
        "body": "本报讯" + "两岸青年交流活动持续升温。" * 85,
        "head": {"size": 22, "vertical": True, "span": 1},
        "place": {"col": 1, "span": 3, "top": 0, "height": 40},
    }
    result = api.layout(describe(tmp_path, [art]))
    g = result.grid
    heads = [i for i in result.page.root.placed() if getattr(i, "kind", "") == "headline"]
    texts = [line.text for line in heads[0].lines()]
    assert texts == ["两岸往来", "台胞参访团走进闽南古厝", "福建两地热情接待台胞"]
    # The head owns its strip (column 3) for its own depth; body lines run on below it.
    depth = round(heads[0].h / g.pitch)
    col3 = sorted(
        round(g.line_of(line.y - 0.88 * 9))
        for line in result.page.root.lines()
        if line.kind == "body" and abs(line.x - g.col_x(2)) < 0.5
    )
    assert col3 and col3[0] == depth
    assert heads[0].x > g.col_x(2) and heads[0].x + heads[0].w < g.col_x(2) + g.col_w


# --------------------------------------------------------------------------------------------
# From the model: head levels, styles, the report


def test_head_level_takes_size_and_face_from_the_house_table_by_width(tmp_path):
    arts = [
        {
            "id": "lead",
            "headline": "标题",
            "body": "正文。",
            "head": {"level": 1},
            "place": {"col": 1, "span": 6, "top": 0, "height": 20},
        },
        {
            "id": "two",
            "headline": "标题",
            "body": "正文。",
            "head": {"level": 2},
            "place": {"col": 7, "span": 2, "top": 0, "height": 20},
        },
        {
            "id": "own",
            "headline": "标题",
            "body": "正文。",
            "head": {"level": 2, "size": "小初"},
            "place": {"col": 1, "span": 3, "top": 21, "height": 20},
        },
        {
            "id": "brief",
            "headline": "标题",
            "body": "正文。",
            "head": {"level": 5},
            "place": {"col": 4, "span": 1, "top": 21, "height": 20},
        },
    ]
    from layout.plan import plan_page

    def heads(loaded):  # the planner applies the house table, knowing each head's width
        return {c.article: (c.modules[0].head.size, c.modules[0].head.font) for c in plan_page(loaded).chains}

    assert heads(describe(tmp_path, arts)) == {
        "lead": (42.0, "大标宋"),  # 初号
        "two": (18.0, "标宋"),  # 小二
        "own": (36.0, "标宋"),  # 小初, named
        "brief": (10.5, "黑"),  # 五号
    }
    custom = describe(tmp_path, arts[:1], type={"head_levels": {1: {"font": "粗黑", "sizes": {1: 30}}}})
    assert heads(custom) == {"lead": (30.0, "粗黑")}
    with pytest.raises(InputError) as info:
        describe(tmp_path, arts[:1], type={"head_levels": {2: {"font": "黑", "sizes": {1: 12}}}})
    assert (
        info.value.field == "articles.0.head.level"
        and "level 1 is not in type.head_levels" in info.value.message
    )


def test_spec_for_reads_the_type_settings(tmp_path):
    art = {
        "id": "a",
        "kicker": "引题",
        "headline": "主题",
        "subtitle": "副题",
        "body": "正文。",
        "head": {"size": "一号", "style": "boxed", "rows": 2, "air": 0},
        "place": {"col": 1, "span": 3, "top": 0, "height": 20},
    }
    issue = describe(
        tmp_path, [art], type={"clause_gap": 0.5, "head_words": ["株洲"], "head_air": 2}
    ).issue
    spec = H.spec_for(issue, issue.articles[0])
    assert (spec.main_size, spec.style, spec.rows, spec.air, spec.name) == (
        26.0,
        "boxed",
        2,
        0,
        "article a",
    )
    assert spec.display.clause_gap == 0.5 and spec.display.protect == ("株洲",)
    assert spec.display.trim_start_bracket
    assert spec.size_of("kicker") == H.sub_head_size(26.0) == 12.0


def test_a_vertical_head_with_another_style_is_refused(tmp_path):
    art = {
        "id": "a",
        "headline": "主题",
        "body": "正文。",
        "head": {"vertical": True, "style": "boxed"},
        "place": {"col": 1, "span": 3, "top": 0, "height": 20},
    }
    with pytest.raises(InputError) as info:
        describe(tmp_path, [art])
    assert "vertical head cannot also be boxed" in info.value.message


def test_head_report_lists_every_part_with_rows_size_and_lines(tmp_path):
    arts = [
        {
            "id": "lead",
            "kicker": "关注高考",
            "headline": "考点周边实行交通管制",
            "body": "正文。",
            "head": {"size": 22},
            "place": {"col": 1, "span": 2, "top": 0, "height": 20},
        },
        {
            "id": "v",
            "headline": "本周后半程或迎强降雨",
            "body": "正文。",
            "head": {"size": 18, "vertical": True},
            "place": {"col": 3, "span": 2, "top": 0, "height": 30},
        },
    ]
    loaded = describe(tmp_path, arts)
    report = api.layout(loaded).heads  # the heads as composed, what `paiban validate` lists
    rows = [(r.id, r.part, r.size, r.rows, r.lines) for r in report]
    assert rows == [
        ("lead", "kicker", 10.5, ("关注高考",), 5),
        ("lead", "main", 22.0, ("考点周边实行交通管制",), None),
        ("v", "main", 18.0, ("本周后半程或迎强降雨",), 17),
    ]


def test_validate_prints_the_head_table(tmp_path):
    from typer.testing import CliRunner

    from layout.cli import app

    arts = [
        {
            "id": "lead",
            "headline": "十年情注天山南北 爱洒各族人民",
            "body": "正文。",
            "head": {"size": 26},
            "place": {"col": 1, "span": 2, "top": 0, "height": 20},
        }
    ]
    loaded = describe(tmp_path, arts)
    out = CliRunner().invoke(app, ["validate", str(loaded.path)], env={"COLUMNS": "140"})
    assert out.exit_code == 0, out.output
    assert (
        "heads" in out.output
        and "十年情注天山南北 ／ 爱洒各族人民" in out.output
        and "26 pt" in out.output
    )
