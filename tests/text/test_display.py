"""Display text: spaces become clause gaps, an editor's line break is the only break, breaks
fall between words (numbers, names and titles whole), rows balance, forced breaks and short rows
are reported, rows are set with their gaps drawn, and caption credits run on (issue 13)."""

from __future__ import annotations

import pytest

from layout.text import Span
from layout.text import display as D

from .fontkit import FACE, StubFace

G, NB = "\u3000", "\u00a0"


def spans_of(size=10.0, face=FACE):
    return lambda t: [Span(t, face, size)]


def rows(text, chars, size=10.0, **kw):
    result = D.display_rows(text, spans_of(size), chars * size, size, name="t", **kw)
    return result.texts, result.warnings


# --------------------------------------------------------------------------------------------
# Spaces


def test_parse_makes_clause_gaps_of_display_spaces_and_keeps_latin_spaces():
    parse = D.parse
    assert parse("十年情注天山南北　爱洒各族人民") == (
        (D.Clause("十年情注天山南北"), D.Clause("爱洒各族人民")),
    )
    assert parse("听民声 解民忧") == parse("听民声\u2003解民忧") == parse("听民声  \t解民忧")
    assert parse("守住青山\u00a0留住乡愁")[0][1].glued
    assert parse("AI 助手 进社区") == ((D.Clause("AI 助手"), D.Clause("进社区")),)
    assert parse("iPhone 15 发布") == ((D.Clause("iPhone 15 发布"),),)
    assert parse("  两端  ") == ((D.Clause("两端"),),)
    assert parse("第一行\n第二行") == ((D.Clause("第一行"),), (D.Clause("第二行"),))


def test_a_clause_space_is_never_removed_inside_a_row():
    assert rows("十年情注天山南北 爱洒各族人民", 20) == ((f"十年情注天山南北{G}爱洒各族人民",), ())
    line = D.set_row(("十年", "南北"), spans_of(), 100.0, 10.0)
    assert [g.ch for g in line.glyphs] == [
        "十",
        "年",
        " ",
        "南",
        "北",
    ]  # FACE has no U+3000: a space…
    assert line.glyphs[3].x == pytest.approx(30.0) and line.ink == pytest.approx(50.0)  # …1 em wide
    with_blank = StubFace("Blank", {**FACE.widths, 0x3000: 1.0})
    drawn = D.set_row(("十年", "南北"), spans_of(face=with_blank), 100.0, 10.0)
    assert drawn.text == f"十年{G}南北" and drawn.glyphs[2].advance == pytest.approx(10.0)
    half = D.set_row(("十年", "南北"), spans_of(), 100.0, 10.0, D.DisplayStyle(clause_gap=0.5))
    assert half.ink == pytest.approx(45.0)


def test_breaks_go_to_clause_gaps_first_and_a_no_break_space_holds():
    assert rows("十年情注天山南北　爱洒各族人民", 10) == (("十年情注天山南北", "爱洒各族人民"), ())
    assert rows("守住绿水青山\u00a0留住美丽乡愁", 13)[0] == (f"守住绿水青山{NB}留住美丽乡愁",)
    # A no-break space is a clause gap the breaker likes less; it still beats a poor word break.
    assert rows("守住绿水青山\u00a0留住美丽乡愁", 10) == (("守住绿水青山", "留住美丽乡愁"), ())
    assert rows("守住绿水青山\u00a0留住美丽乡愁　共建家园", 13)[0] == (
        f"守住绿水青山{NB}留住美丽乡愁",
        "共建家园",
    )


# --------------------------------------------------------------------------------------------
# Breaking between words


@pytest.mark.parametrize(
    "text, chars, want",
    [
        # The reference's worked example and the bad breaks [newspaper.md §4.3][VZ-YIHANG].
        ("以政法工作现代化护航高质量发展大局", 12, ("以政法工作现代化", "护航高质量发展大局")),
        ("民族地区经济发展事业兴旺", 5, ("民族地区", "经济发展", "事业兴旺")),
        ("书记探望三峡移民", 5, ("书记探望", "三峡移民")),
        ("全市生产总值增长百分之八点五", 8, ("全市生产总值", "增长百分之八点五")),
        ("阿莱克斯20万欧元赔偿金到账", 8, ("阿莱克斯", "20万欧元", "赔偿金到账")),
        ("马凯开出扩大内需“五剂药方”", 8, ("马凯开出扩大内需", "“五剂药方”")),
        ("西文使用比例字体时的混排处理", 11, ("西文使用比例", "字体时的混排处理")),
    ],
)
def test_breaks_fall_between_words(text, chars, want):
    assert rows(text, chars) == (want, ())


def test_number_runs_and_protected_spans():
    tagged = (("2024", "m"), ("年", "m"), ("3", "m"), ("月", "m"), ("全市", "n"))
    assert D._number_runs(tagged) == [(0, 4)]
    assert D._number_runs((("百分之八点", "m"), ("五", "m"), ("增长", "v"))) == [(0, 2)]
    assert D._number_runs((("3.5", "m"), ("万元", "m"))) == [(0, 2)]
    assert D._number_runs((("第", "m"), ("10", "m"), ("届", "d"), ("中国", "ns"))) == [(0, 3)]
    assert D._number_runs((("十分", "m"), ("重要", "a"))) == []
    assert D._protected_spans("话剧《湘江北去》首演“好评”", ()) == [(2, 8), (10, 14)]
    assert D._protected_spans("株洲日报株洲", ("株洲",)) == [(0, 2), (4, 6)]


def test_house_words_are_kept_whole():
    assert rows("居民人均可支配收入达3.5万元", 9.35)[0] == ("居民人均可支配", "收入达3.5万元")
    protected = D.display_rows(
        "居民人均可支配收入达3.5万元",
        spans_of(),
        93.5,
        10.0,
        D.DisplayStyle(protect=("可支配收入",)),
    )
    assert protected.texts == ("居民人均可支配收入", "达3.5万元")


def test_an_editors_line_break_is_the_only_break():
    assert rows("全市春季植树活动启动\n三万市民义务植树", 30) == (
        ("全市春季植树活动启动", "三万市民义务植树"),
        (),
    )
    texts, warnings = rows("全市春季植树活动启动\n三万市民", 6)
    assert texts == ("全市春季植树活动启动", "三万市民")
    assert any("'全市春季植树活动启动' is wider than its 6.0 字" in w for w in warnings)


def test_rows_asks_for_a_number_of_rows():
    assert rows("以政法工作现代化护航高质量发展大局", 30, rows=2)[0] == (
        "以政法工作现代化",
        "护航高质量发展大局",
    )
    assert len(rows("以政法工作现代化护航高质量发展大局", 30, rows=3)[0]) == 3


def test_a_head_too_narrow_breaks_where_it_must_and_says_so():
    texts, warnings = rows("《关于加强未成年人保护工作的意见》出台", 14.2)
    assert texts == ("《关于加强未成年人保护", "工作的意见》出台")
    assert warnings == (
        "t: no break between words fits 14.2 字; broke 《关于加强未成年人保护｜工作的意见》出台",
    )


def test_no_one_or_two_character_last_row_and_short_rows_are_reported():
    texts, warnings = rows("十二名被告人当庭认罪悔罪", 9)
    assert texts == ("十二名被告人", "当庭认罪悔罪")
    assert all(len(t) >= 3 for t in texts) and not warnings
    texts, warnings = rows("首周客流突破5万人次", 5.3)
    assert texts == ("首周客流", "突破", "5万人次")
    assert warnings == (
        "t: the row '突破' is shorter than 3 字 and no other break fits; shorten or reword "
        "the head, or give it a smaller size or more columns",
    )


def test_a_row_may_take_its_punctuation_squeeze():
    # 11.25 em solid in 11.14: the quotes' blanks give way, one row [CLREQ §4.3].
    text = "3 践行新时代“枫桥经验”"
    r = D.display_rows(text, spans_of(10.5), 117.0, 10.5)
    assert r.texts == (text,) and r.lines[0].ink <= 117.0 + 1e-6


def test_the_segmenter_is_asked_only_when_clause_gaps_cannot_set_the_text():
    measure = D.horizontal_measure(spans_of(), D.DisplayStyle(), 10.0)
    clause_only = D.break_display("政策暖心　企业安心　群众放心", 90.0, measure, 10.0)
    assert not clause_only.segmented and clause_only.texts == (f"政策暖心{G}企业安心", "群众放心")
    segmented = D.break_display("以政法工作现代化护航高质量发展大局", 120.0, measure, 10.0)
    assert segmented.segmented
    fits = D.break_display("短标题", 120.0, measure, 10.0)
    assert not fits.segmented and fits.breaks == ()


# --------------------------------------------------------------------------------------------
# Rows set, credits


def test_set_row_aligns_in_its_measure_and_trims_a_leading_quote():
    line = D.set_row(("“德力西杯”新闻摄影比赛揭晓",), spans_of(20.0), 500.0, 20.0, align="center")
    assert line.ink == pytest.approx(270.0) and line.indent == pytest.approx(115.0)
    assert line.glyphs[0].x == pytest.approx(115.0) and line.glyphs[0].dx == pytest.approx(-10.0)
    end = D.set_row(("标题",), spans_of(), 100.0, 10.0, align="end")
    assert end.glyphs[0].x == pytest.approx(80.0)


def test_an_over_wide_row_is_squeezed_by_clreq_steps():
    line = D.set_row(("我市出台“十四五”规划",), spans_of(), 105.0, 10.0)
    assert 100.0 < line.ink <= 105.0 + 1e-6  # 11 em solid; the quotes' blanks give 0.5 em each


def test_caption_credit_runs_on_after_the_gap_or_takes_its_own_line():
    style = D.DisplayStyle()
    para = D.para_style(style, trim=False)
    caption = [Span("市民在公园植树。", FACE, 10.0)]
    lines = D.caption_with_credit(caption, spans_of(), "新华社发", 200.0, 10.0, style, para)
    assert [line.text for line in lines] == ["市民在公园植树。 新华社发"]  # the gap: FACE's space
    xin = next(g for g in lines[0].glyphs if g.ch == "新")
    assert xin.x == pytest.approx(75.0 + 10.0)  # 。 set ½ em at the caption's end, then 1 em
    slash = D.caption_with_credit(caption, spans_of(), "新华社发", 200.0, 10.0, style, para, "／")
    assert slash[0].text == "市民在公园植树。／新华社发"
    own = D.caption_with_credit(caption, spans_of(), "新华社发", 110.0, 10.0, style, para)
    assert [line.text for line in own] == ["市民在公园植树。", "新华社发"]
    assert own[1].indent + own[1].ink == pytest.approx(110.0)  # flush with the end edge


def test_a_row_count_that_cannot_be_met_is_reported_not_obeyed_blindly():
    assert rows("标题", 30, rows=3) == (("标题",), ("t: cannot be set in 3 rows; set in the rows that fit",))
    assert rows("以政法工作现代化", 30, rows=9)[0] == ("以政法工作现代化",)
