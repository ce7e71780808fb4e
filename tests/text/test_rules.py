"""One test per composition rule: classes, prohibitions, unbreakables, compression, spacing,
justification, indents, 孤字, alignment, runs and frames. Size 1 pt, so numbers read in em."""

from __future__ import annotations

import pytest

from layout.frames import TextLine
from layout.text import Line, ParaStyle, Span, compose, natural_width, set_line
from layout.text.classes import (
    CLOSING_MARKS,
    INK_LEFT,
    INK_RIGHT,
    NOT_AT_END,
    NOT_AT_START,
    OPENING_MARKS,
    Kind,
    kind_of,
)
from layout.text.para import normalize

from .fontkit import FACE, StubFace

BASIC = ParaStyle(kinsoku="basic")
NOINDENT = ParaStyle(indent=0, kinsoku="basic")


def S(text: str, size: float = 1.0, font=FACE) -> list[Span]:
    return [Span(text, font, size)]


def texts(lines) -> list[str]:
    return [l.text for l in lines]


# ---------------------------------------------------------------------------------------------
# Classes and tables
# ---------------------------------------------------------------------------------------------


def test_kinsoku_table_matches_typography_4_1():
    basic_start, basic_end = NOT_AT_START["basic"], NOT_AT_END["basic"]
    for ch in "。．，、：；！？‼⁇”’」』）〕】〗］｝》〉～–·・‧/／":
        assert ch in basic_start, ch
    for ch in "“‘「『（〔【〖［｛《〈":
        assert ch in basic_end, ch
    assert "/" not in basic_end and "/" in NOT_AT_END["gb"] and "／" in NOT_AT_END["strict"]
    assert "—" not in basic_start and "…" not in basic_start
    assert "—" in NOT_AT_START["strict"] and "…" in NOT_AT_START["strict"] and "⋯" in NOT_AT_START["strict"]
    assert NOT_AT_START["none"] == frozenset() and NOT_AT_END["none"] == frozenset()


def test_ink_halves_and_kinds():
    assert set("，。、：；！？") <= INK_LEFT and CLOSING_MARKS <= INK_LEFT
    assert OPENING_MARKS == INK_RIGHT
    assert kind_of("中") == Kind.HAN and kind_of("a") == Kind.WEST and kind_of("5") == Kind.WEST
    assert kind_of("，") == Kind.PAUSE and kind_of("。") == Kind.STOP and kind_of("《") == Kind.OPEN
    assert kind_of("”") == Kind.CLOSE and kind_of("—") == Kind.DASH and kind_of("…") == Kind.ELLIPSIS
    assert kind_of("·") == Kind.INTERPUNCT and kind_of("％") == Kind.WEST and kind_of("①") == Kind.HAN


def test_synthetic_font_metrics():
    w = FACE.widths
    assert w[ord("中")] == 1.0 and w[ord("，")] == 1.0 and w[ord("“")] == 1.0
    assert w[ord("1")] == 0.5 and w[ord("a")] == 0.5 and w[ord(" ")] == 0.25


# ---------------------------------------------------------------------------------------------
# Whitespace
# ---------------------------------------------------------------------------------------------


def test_a_line_break_between_cjk_is_removed_elsewhere_one_space():
    text, owner = normalize([Span("中国\n  人民 GDP\t\n增长\n  ", FACE, 1), Span("  了 5 %", FACE, 1)])
    assert text == "中国人民 GDP 增长了 5 %"
    assert len(owner) == len(text) and owner[-1] == 1


def test_a_space_typed_within_a_line_is_kept_between_cjk():
    # Two names in a dateline must not run together: 赵庭菲 王勇 is two people.
    text, owner = normalize([Span("（记者  林晓岚 通讯员/赵庭菲", FACE, 1), Span(" 王勇）", FACE, 2)])
    assert text == "（记者 林晓岚 通讯员/赵庭菲 王勇）"
    assert owner[text.index("王") - 1] == 1  # the space belongs to the span it was typed in


def test_an_ideographic_space_is_kept_as_typed():
    text, _owner = normalize([Span("本报讯　 记者从市气象台获悉　　今天", FACE, 1)])
    assert text == "本报讯　记者从市气象台获悉　　今天"
    lines = compose(S("本报讯　记者"), 20, NOINDENT)
    g = lines[0].glyphs
    assert [x.ch for x in g] == list("本报讯　记者") and g[3].advance == pytest.approx(1.0)


def test_an_ideographic_space_takes_no_gap_ends_a_line_and_never_starts_one():
    (line,) = compose(S("动车　12月"), 20, NOINDENT)
    # 动 车 　 1 2 月: one em of white, no Han–Western gap between it and the digits.
    assert [round(g.advance, 3) for g in line.glyphs] == [1.0, 1.0, 1.0, 0.5, 0.75, 1.0]
    lines = compose(S("本报讯　记者从市气象台获悉"), 3, NOINDENT)
    # The break after 讯 drops the U+3000 (a line end); the next line starts with 记.
    assert [ln.text for ln in lines] == ["本报讯", "记者从", "市气象", "台获悉"]
    assert all(ln.ink == pytest.approx(3.0) for ln in lines)


def test_space_between_han_and_latin_is_the_gap():
    lines = compose(S("中国 GDP 增长"), 20, NOINDENT)
    g = lines[0].glyphs
    # 国 + space(¼ em gap) + G D P + space(gap) + 增长: no auto gap added on top.
    assert [x.ch for x in g] == list("中国 GDP 增长")
    assert g[2].advance == pytest.approx(0.25)
    assert lines[0].ink == pytest.approx(2 + 0.25 + 1.5 + 0.25 + 2)


def test_whitespace_only_paragraph_is_empty():
    assert compose(S(" \n\t "), 13) == []
    assert compose([], 13) == []


# ---------------------------------------------------------------------------------------------
# Prohibitions and 先挤进，后推出
# ---------------------------------------------------------------------------------------------


def test_squeeze_in_uses_brackets_before_pause_marks():
    """Compression step 4 (brackets) precedes step 5 (，、；)."""
    # 9 hanzi + 《》 (2 em) = 11 em; then "，" must be squeezed in: needs ½ em.
    lines = compose(S("一二三《四五六》七八九，十一二三四五六七八九十"), 13, BASIC)
    l1 = lines[0]
    assert l1.text == "一二三《四五六》七八九，"
    g = {x.ch: x for x in l1.glyphs}
    assert g["《"].advance == pytest.approx(0.75) and g["《"].dx == pytest.approx(-0.25)
    assert g["》"].advance == pytest.approx(0.75)
    assert g["，"].advance == pytest.approx(0.5)
    assert l1.ink == pytest.approx(11)


def test_push_out_takes_whole_unit():
    """When a closing mark cannot be squeezed in, the character before it goes down with it."""
    lines = compose(S("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑”寅卯"), 13, NOINDENT)
    assert texts(lines)[0] == "一二三四五六七八九十甲乙丙"
    lines = compose(S("一二三四五六七八九十甲乙丙”丁戊"), 13, NOINDENT)
    # 13 hanzi then ” : squeeze "”" in needs ½ em; nothing squeezable → 丙 goes down.
    assert texts(lines) == ["一二三四五六七八九十甲乙", "丙”丁戊"]
    assert lines[0].ink == pytest.approx(13)


def test_level_none_allows_mark_at_line_start():
    style = ParaStyle(indent=0, kinsoku="none", avoid_runt=False)
    lines = compose(S("一二三四五六七八九十甲乙丙，丁"), 13, style)
    assert texts(lines) == ["一二三四五六七八九十甲乙丙", "，丁"]


def test_gb_level_forbids_solidus_at_line_end():
    text = "一二三四五六七八九十甲乙／丙丁"
    basic = compose(S(text), 13, ParaStyle(indent=0, kinsoku="basic", avoid_runt=False))
    gb = compose(S(text), 13, ParaStyle(indent=0, kinsoku="gb", avoid_runt=False))
    assert texts(basic) == ["一二三四五六七八九十甲乙／", "丙丁"]
    assert texts(gb) == ["一二三四五六七八九十甲", "乙／丙丁"]


def test_lone_em_dash_connector_not_at_line_start():
    """A single — is the 一字线 connector: not at line start even at basic."""
    lines = compose(S("一二三四五六七八九十甲乙丙—丁戊己"), 13, NOINDENT)
    assert texts(lines) == ["一二三四五六七八九十甲乙", "丙—丁戊己"]


def test_strict_ellipsis_not_at_line_start():
    text = "一二三四五六七八九十甲乙丙……丁戊"
    basic = compose(S(text), 13, ParaStyle(indent=0, kinsoku="basic"))
    strict = compose(S(text), 13, ParaStyle(indent=0, kinsoku="strict"))
    assert texts(basic) == ["一二三四五六七八九十甲乙丙", "……丁戊"]
    assert texts(strict) == ["一二三四五六七八九十甲乙", "丙……丁戊"]


def test_long_dash_runs_may_split_between_pairs():
    lines = compose(S("一二三四五六七八九十甲————乙丙"), 13, ParaStyle(indent=0, kinsoku="basic"))
    assert texts(lines) == ["一二三四五六七八九十甲——", "——乙丙"]


# ---------------------------------------------------------------------------------------------
# Unbreakables
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["1,280.5", "¥1,280", "$35", "98.6%", "5‰", "36℃", "120km", "GDP", "e-mail"])
def test_number_and_word_tokens_never_split(token):
    for lead in range(6, 14):
        text = "一" * lead + token + "二" * 10
        lines = compose(S(text), 13, NOINDENT)
        assert any(token in l.text for l in lines), (lead, texts(lines))
        assert "".join(texts(lines)) == text


def test_prefix_and_suffix_glue_across_full_width_forms():
    lines = compose(S("一" * 12 + "￥500元"), 13, NOINDENT)
    assert texts(lines) == ["一" * 12, "￥500元"]


def test_url_longer_than_measure_breaks_after_slash():
    url = "https://www.example.com/a/very/long/path/index.html"
    lines = compose(S("请访问" + url + "查询。"), 13, NOINDENT)
    assert "".join(texts(lines)) == "请访问" + url + "查询。"
    for l in lines[:-1]:
        assert l.ink <= 13 + 1e-9
    # Every forced break inside the URL falls after / . - where possible.
    for l in lines[:-1]:
        if l.text[-1].isascii() and lines[lines.index(l) + 1].text[0].isascii():
            assert l.text[-1] in "/.-", texts(lines)


def test_overlong_unbreakable_is_forced_and_keeps_every_character():
    token = "x" * 40
    lines = compose(S(token), 13, NOINDENT)
    assert "".join(texts(lines)) == token
    assert all(l.ink <= 13 + 1e-9 for l in lines)
    assert [len(l.text) for l in lines] == [26, 14]


def test_overlong_chain_of_marks_is_forced():
    text = "。" * 40
    lines = compose(S(text), 13, NOINDENT)
    assert "".join(texts(lines)) == text


def test_tokens_are_not_stretched_inside():
    lines = compose(S("我们GDP增长了5.2%以上，这是一个很好的成绩啊啊啊啊"), 13, NOINDENT)
    l1 = lines[0]
    g = l1.glyphs
    text = l1.text
    i = text.index("GDP")
    assert [round(x.advance, 9) for x in g[i:i + 2]] == [0.5, 0.5]


# ---------------------------------------------------------------------------------------------
# Punctuation width adjustment
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pair,first,second", [
    ("。”", 0.5, 1.0), ("”。", 0.5, 1.0), ("：“", 0.5, 1.0), ("“《", 1.0, 0.5), ("）》", 0.5, 1.0),
    ("”“", 0.5, 1.0), ("，“", 0.5, 1.0), ("》，", 0.5, 1.0),
])
def test_adjacent_marks_take_one_and_a_half_em(pair, first, second):
    line = set_line(S("中" + pair + "文"), 20)
    g = line.glyphs
    assert g[1].advance == pytest.approx(first) and g[2].advance == pytest.approx(second)


def test_open_open_pair_squeezes_the_second_left_half():
    line = set_line(S("中“《文》”"), 20)
    g = line.glyphs
    assert g[2].ch == "《" and g[2].dx == pytest.approx(-0.5)
    assert line.ink == pytest.approx(1 + 1 + 0.5 + 1 + 0.5 + 0.5)


def test_line_end_mark_takes_half_em():
    line = set_line(S("中文。"), 20)
    assert line.glyphs[-1].advance == pytest.approx(0.5) and line.ink == pytest.approx(2.5)
    assert natural_width(S("中文。")) == pytest.approx(2.5)


def test_line_start_bracket_trim_is_optional():
    text = "一二三四五六七八九十甲乙丙《丁戊》"
    off = compose(S(text), 13, NOINDENT)
    on = compose(S(text), 13, ParaStyle(indent=0, kinsoku="basic", trim_start_bracket=True))
    assert off[1].glyphs[0].dx == 0 and off[1].glyphs[0].advance == 1.0
    assert on[1].glyphs[0].dx == pytest.approx(-0.5) and on[1].glyphs[0].advance == pytest.approx(0.5)


def test_compression_priority_steps_are_ordered():
    """Brackets (4) before pause marks (5) before Han–Latin gaps (6) before stops (7)."""
    base = "中（文）中，文A中。"
    nat = natural_width(S(base))
    # Natural: 中（文）中，文 = 7 + gap¼ + A ½ + gap¼ + 中 + 。(½ end) = ...
    for need, expect in [(0.5, {"（": 0.75, "）": 0.75, "，": 1.0}),
                         (1.0, {"（": 0.5, "）": 0.5, "，": 1.0}),
                         (1.25, {"（": 0.5, "）": 0.5, "，": 0.75})]:
        line = set_line(S(base), nat - need)
        got = {g.ch: round(g.advance, 6) for g in line.glyphs if g.ch in expect}
        assert got == expect, need
        assert line.ink == pytest.approx(nat - need)
    line = set_line(S(base), nat - 1.75)  # all of step 5, then ⅛ from each of the two gaps
    g = {x.ch: x for x in line.glyphs}
    assert g["，"].advance == pytest.approx(0.5)
    assert line.glyphs[6].advance == pytest.approx(1.125) and line.glyphs[7].advance == pytest.approx(0.625)
    assert line.ink == pytest.approx(nat - 1.75)


def test_too_long_single_line_reports_overflow():
    line = set_line(S("一二三四五六七八九十"), 5)
    assert line.ink > 5 and line.text == "一二三四五六七八九十"


# ---------------------------------------------------------------------------------------------
# Han–Western spacing
# ---------------------------------------------------------------------------------------------


def test_gap_quarter_em_between_han_and_latin_none_at_edges_or_punctuation():
    line = set_line(S("在2024年，GDP（约5%）增长"), 40)
    g = line.glyphs
    adv = [round(x.advance, 6) for x in g]
    chars = [x.ch for x in g]
    assert adv[chars.index("在")] == 1.25  # Han→digit
    assert adv[chars.index("4")] == 0.75  # digit→Han
    assert adv[chars.index("，")] == 1.0  # no gap after a CJK comma
    assert adv[chars.index("P")] == 0.5  # no gap before an opening bracket
    assert adv[chars.index("（")] == 1.0  # no gap after it
    assert adv[chars.index("%")] == 0.5  # none before the closing bracket


def test_gap_can_be_disabled_and_is_configurable():
    assert natural_width(S("在2024年"), ParaStyle(cjk_latin_gap=0)) == pytest.approx(4)
    assert natural_width(S("在2024年"), ParaStyle(cjk_latin_gap=0.125)) == pytest.approx(4.25)
    assert natural_width(S("在2024年")) == pytest.approx(4.5)


def test_no_gap_at_line_start_or_end():
    lines = compose(S("一二三四五六七八九十甲乙丙2024年以来"), 13, NOINDENT)
    assert texts(lines) == ["一二三四五六七八九十甲乙丙", "2024年以来"]
    assert lines[0].glyphs[-1].advance == 1.0 and lines[1].glyphs[0].x == 0


# ---------------------------------------------------------------------------------------------
# Justification
# ---------------------------------------------------------------------------------------------


def test_pure_han_lines_land_on_the_grid():
    lines = compose(S("中" * 60, 9.0), 117, ParaStyle())
    for l in lines:
        for g in l.glyphs:
            assert g.advance == 9.0 and (g.x / 9.0) == int(g.x / 9.0)
    assert [len(l.text) for l in lines] == [11, 13, 13, 13, 10]


def test_stretch_cjk_gaps_and_word_spaces_first_han_latin_gap_held():
    """Hanzi gaps and word spaces take the slack in equal amounts (a word space up to ½ em, a
    hanzi gap up to ½ em); the Han–Latin gap stays ¼ em; nothing inside the Latin words."""
    line = compose(S("中文中文中文中文 ab cd abcdefgh"), 13, NOINDENT)[0]
    assert line.text == "中文中文中文中文 ab cd"  # 10.5 em; the 4-em word does not fit
    g = line.glyphs
    spaces = [x for x in g if x.ch == " "]
    assert [round(x.advance, 6) for x in spaces] == [0.25, 0.5]  # the gap held, the space to ½ em
    per = (13 - 10.5 - 0.25) / 7  # the word space reached its ½ em first
    assert [round(x.advance, 6) for x in g[:8]] == [round(1 + per, 6)] * 7 + [1.0]
    assert [x.advance for x in g if x.ch in "abcd"] == [0.5] * 4
    assert line.ink == pytest.approx(13)


def test_past_their_limits_cjk_gaps_and_spaces_open_alike_never_letters():
    """With nothing else left (no hyphenation here), a Latin-heavy line opens its one CJK gap and
    its word spaces by the same amount past their limits, after the Han–Latin gap took its ⅛ em."""
    style = ParaStyle(indent=0, kinsoku="basic", latin_lang="")
    line = compose(S("中文 ab cd ef abcdefghijklmnop"), 13, style)[0]
    assert line.text == "中文 ab cd ef"
    g = line.glyphs
    gap, sp1, sp2 = (x for x in g if x.ch == " ")
    assert gap.advance == pytest.approx(0.375)  # ¼ + ⅛ em, no more
    extra = g[0].advance - 1.0  # the one CJK gap, 中|文: as white as each word space
    assert sp1.advance == pytest.approx(extra) and sp2.advance == pytest.approx(extra)
    assert extra == pytest.approx(0.5 + (13 - 5.75 - 0.5 - 0.5 - 0.125) / 3)
    assert all(x.advance == 0.5 for x in g if x.ch.isascii() and x.ch.isalpha())
    assert line.ink == pytest.approx(13)


def test_last_line_solid_and_alternatives():
    text = "一二三四五六七八九十甲乙丙丁戊己"
    for last, indent in [("start", 0), ("center", 5), ("end", 10)]:
        lines = compose(S(text), 13, ParaStyle(indent=0, last_line=last, avoid_runt=False))
        assert lines[-1].indent == pytest.approx(indent) and lines[-1].last
    lines = compose(S(text), 13, ParaStyle(indent=0, last_line="distribute"))
    assert lines[-1].ink == pytest.approx(13)


@pytest.mark.parametrize("align,indent", [("start", 0), ("center", 4), ("end", 8)])
def test_ragged_alignments(align, indent):
    lines = compose(S("一二三四五六七八九十甲乙丙丁戊己庚辛"), 13, ParaStyle(indent=0, align=align))
    assert lines[0].ink == pytest.approx(13) and lines[0].indent == 0
    assert lines[1].text == "丁戊己庚辛" and lines[1].indent == pytest.approx(indent)


def test_distribute_sets_every_line_flush():
    lines = compose(S("一二三四五六七八九十甲乙丙丁戊"), 13, ParaStyle(indent=0, align="distribute"))
    assert all(l.ink == pytest.approx(13) for l in lines)
    line = set_line(S("标题"), 6, align="distribute")
    assert line.glyphs[1].x == pytest.approx(5) and line.ink == pytest.approx(6)


def test_ragged_start_does_not_stretch():
    lines = compose(S("一二三四五六七八九十甲乙丙，丁戊"), 13, ParaStyle(indent=0, align="start"))
    assert lines[0].ink == pytest.approx(12)


# ---------------------------------------------------------------------------------------------
# Indents and 孤字
# ---------------------------------------------------------------------------------------------


def test_first_line_indent_and_hanging_indent():
    lines = compose(S("问：" + "一二三四五六七八九十" * 3), 13, ParaStyle(indent=0, hanging=2))
    assert lines[0].indent == 0 and all(l.indent == 2 for l in lines[1:])
    assert all(l.indent + l.ink == pytest.approx(13) for l in lines[:-1])
    lines = compose(S("一" * 30, 9.0), 117, ParaStyle())
    assert lines[0].indent == 18.0 and lines[0].glyphs[0].x == 18.0


def test_runt_is_fixed_by_pulling_a_character_down():
    text = "一二三四五六七八九十甲乙丙丁。"  # 14 + 。: last line would be "丁。"
    lines = compose(S(text), 13, NOINDENT)
    assert texts(lines) == ["一二三四五六七八九十甲乙", "丙丁。"]
    assert lines[0].ink == pytest.approx(13)
    off = compose(S(text), 13, ParaStyle(indent=0, avoid_runt=False))
    assert texts(off) == ["一二三四五六七八九十甲乙丙", "丁。"]


def test_runt_is_fixed_by_squeezing_into_the_line_above_first():
    lines = compose(S("一二、三四、五六七八九十甲乙。"), 13, NOINDENT)
    # 13 em then "乙。": squeezing it in needs 1.5 em, the two 、 give 1 → pull "甲" down.
    assert texts(lines) == ["一二、三四、五六七八九十", "甲乙。"]
    lines = compose(S("一二、三四、五六七八九十甲。"), 13, NOINDENT)
    # "。" may not start a line and is squeezed in (½ em at line end, the 、 give ¼ em each).
    assert texts(lines) == ["一二、三四、五六七八九十甲。"]
    lines = compose(S("一二、三四、五六七八九十。"), 13, NOINDENT)
    # 12 + 。 fits as line-end ½ em: no runt at all.
    assert texts(lines) == ["一二、三四、五六七八九十。"]
    lines = compose(S("一二、三四、五六七八九十甲"), 13, NOINDENT)
    # "甲" alone: squeezed in with the two 、 (1 em available, 1 needed).
    assert texts(lines) == ["一二、三四、五六七八九十甲"]
    assert lines[0].ink == pytest.approx(13)


def test_punctuation_only_last_line_is_fixed():
    style = ParaStyle(indent=0, kinsoku="none")
    lines = compose(S("一二三四五六七八九十甲乙丙。"), 13, style)
    # "。" alone, then "丙。" (one hanzi + punctuation) are both 孤字: two characters come down.
    assert texts(lines) == ["一二三四五六七八九十甲", "乙丙。"]


def test_runt_counts_latin_token_as_one_unit():
    lines = compose(S("一二三四五六七八九十甲乙丙 GDP。"), 13, NOINDENT)
    assert texts(lines)[-1] != "GDP。"


# ---------------------------------------------------------------------------------------------
# Mixed sizes and fonts
# ---------------------------------------------------------------------------------------------


def test_mixed_spans_keep_fonts_and_sizes():
    other = StubFace("Other", dict(FACE.widths))
    spans = [Span("本报讯（记者", FACE, 9.0), Span("张三", other, 9.0), Span("）今日", FACE, 9.0)]
    lines = compose(spans, 117, ParaStyle())
    g = lines[0].glyphs
    assert [x.font for x in g] == ["PaibanTest"] * 6 + ["Other"] * 2 + ["PaibanTest"] * 3
    assert lines[0].size == 9.0


def test_indent_is_in_first_span_em():
    lines = compose([Span("一二三", FACE, 10.0), Span("四五", FACE, 9.0)], 100, ParaStyle())
    assert lines[0].indent == 20.0
    assert lines[0].size == 10.0


# ---------------------------------------------------------------------------------------------
# Runs and frames
# ---------------------------------------------------------------------------------------------


def _replay(line: Line, x0: float) -> list[float]:
    """Where a PDF viewer puts each glyph origin from the runs (advance + Tc per glyph)."""
    out = []
    for run in line.runs(x0, 100.0):
        x = run.x
        for ch in run.text:
            out.append(x)
            x += FACE.advance(ch) * run.size + run.char_space
    return out


def test_runs_reproduce_positions_exactly():
    for text in ["市中级人民法院昨日开庭，审理了一起电信网络诈骗案，涉案的十二名被告人均当庭认罪。",
                 "被告人答：“不认罪。”随后又当庭翻供，称自己是受他人指使的。",
                 "本案涉案资金总额高达1280万元，目前已追回赃款460万元。"]:
        for line in compose(S(text, 9.0), 117, ParaStyle(trim_start_bracket=True)):
            expect = [50.0 + g.x + g.dx for g in line.glyphs]
            got = _replay(line, 50.0)
            assert got == pytest.approx(expect, abs=0.001)


def test_runs_group_uniform_spacing():
    line = compose(S("市中级人民法院昨日开庭，审理", 9.0), 117, ParaStyle())[0]
    runs = line.runs(0, 0)
    assert len(runs) == 1  # ten glyphs with +1 pt Tc (Tc after the last one is harmless)
    assert runs[0].char_space == pytest.approx(1.0) and runs[0].text == "市中级人民法院昨日开"
    assert runs[0].x == pytest.approx(18.0)


def test_to_frame():
    line = compose(S("一二三四五六七八九十甲乙丙丁戊", 9.0), 117, ParaStyle())[0]
    frame = line.to_frame(10.0, 20.0, kind="body")
    assert isinstance(frame, TextLine)
    assert frame.x == 10.0 and frame.y == 20.0 and frame.width == 117
    assert frame.ink == pytest.approx(117) and frame.text == line.text
    assert frame.runs[0].x == pytest.approx(28.0) and frame.runs[0].y == 20.0


def test_invalid_style_is_rejected():
    with pytest.raises(ValueError):
        ParaStyle(align="left")
    with pytest.raises(ValueError):
        ParaStyle(kinsoku="loose")


# ---------------------------------------------------------------------------------------------
# Fonts whose 破折号 is narrower than an em, operators in numbers, bylines
# ---------------------------------------------------------------------------------------------


def test_narrow_em_dash_is_centred_in_two_em_cells():
    """Noto/Source Han SC give U+2014 0.89 em: —— still takes exactly 2 em, ink centred."""
    narrow = StubFace("Narrow", {**FACE.widths, ord("—"): 0.89})
    lines = compose(S("一二三四五六七八九十甲——乙丙丁戊己庚辛壬癸子丑", font=narrow), 13, NOINDENT)
    assert texts(lines)[0] == "一二三四五六七八九十甲——"
    g = lines[0].glyphs
    assert [x.advance for x in g[-2:]] == [1.0, 1.0]
    assert g[-2].dx == pytest.approx(0.11) and g[-1].dx == 0.0  # ink 0.11 → 1.89: centred, joined
    assert lines[0].ink == pytest.approx(13)
    line = set_line(S("甲—乙", font=narrow), 10)  # a lone 一字线: centred in one em
    assert line.glyphs[1].dx == pytest.approx(0.055) and line.glyphs[1].advance == 1.0


def test_ratio_and_comparison_signs_stay_with_their_numbers():
    lines = compose(S("三次产业结构由上年的7.9∶42.3∶49.8调整为7.8∶42.3∶49.9"), 13, NOINDENT)
    joined = "|".join(texts(lines))
    assert "7.9∶42.3∶49.8" in joined and "7.8∶42.3∶49.9" in joined
    assert kind_of("≥") == Kind.WEST and kind_of("∶") == Kind.WEST


def test_runt_pull_may_open_the_line_above_by_half_an_em_per_gap():
    """株洲日报全媒体记者/周圆 in 11 em: "记者/周" is one unit (a solidus neither starts nor ends
    a line at strict), so fixing the orphan "圆" moves three characters down and opens the 7
    gaps of the first line by 3/7 em — within the ½ em per gap clreq's 均排 fix allows."""
    lines = compose(S("株洲日报全媒体记者/周圆"), 13, ParaStyle())
    assert texts(lines) == ["株洲日报全媒体记", "者/周圆"]
    assert lines[0].glyphs[0].advance == pytest.approx(1 + 3 / 7)
