"""Issue 17: lines without loose spacing. Where the slack goes (hanzi gaps and word spaces first,
the Han–Latin gap held at ¼ em, never inside a word), the total-fit repair of poor greedy lines
(孤字 fixes spread over earlier lines, hyphenation, long tokens broken at permitted points),
unbreakables wider than the measure, and the Han–number gap setting. Size 1 pt: numbers in em;
the synthetic font's Latin letters and digits are ½ em, its space ¼ em (``/`` is 1 em)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from layout.text import ParaStyle, Span, compose, natural_width, set_line, widest_gap
from layout.text import breaking as B
from layout.text.classes import HYPHEN_LEFT_MIN, HYPHEN_RIGHT_MIN
from layout.text.para import WEST, Para, _info

from .fontkit import FACE

NOINDENT = ParaStyle(indent=0)


def S(text: str, size: float = 1.0) -> list[Span]:
    return [Span(text, FACE, size)]


def advances(line) -> list[float]:
    return [round(g.advance, 4) for g in line.glyphs]


def spaced_inside_words(line) -> bool:
    """White added between two characters of one Latin word or number."""
    return any(_info(g.ch)[0] == WEST and _info(h.ch)[0] == WEST and g.advance > nat + 1e-9
               for g, h, nat in zip(line.glyphs, line.glyphs[1:], line.natural))


# ---------------------------------------------------------------------------------------------
# Where the slack goes
# ---------------------------------------------------------------------------------------------


def test_han_latin_gap_is_held_while_hanzi_gaps_take_the_slack():
    """8 hanzi + ¼ + GDP (1.5) + ¼ + 2 hanzi = 12 em in 12.5: the ½ em goes to the 8 hanzi gaps
    (1/16 em each); both Han–Latin gaps stay exactly ¼ em."""
    line = set_line(S("中文中文中文中文GDP中文"), 12.5, "justify")
    adv = advances(line)
    assert adv[:7] == [1.0625] * 7  # 中…中 before the gap
    assert adv[7] == pytest.approx(1.25)  # 文 + the Han–Latin gap, no stretch
    assert adv[8:11] == [0.5, 0.5, 0.75]  # G D P + gap
    assert adv[11:] == [1.0625, 1.0]
    assert line.ink == pytest.approx(12.5)


def test_han_latin_gap_takes_an_eighth_only_after_hanzi_gaps_reach_half_an_em():
    """中文GDP in 6 em (slack 2.25): the one hanzi gap takes ½ em, the Han–Latin gap ⅛ em
    (¼ → ⅜), and only then does the hanzi gap open further; the letters never move."""
    line = set_line(S("中文GDP"), 6, "justify")
    assert advances(line) == [1 + 0.5 + 1.625, 1.375, 0.5, 0.5, 0.5]
    assert line.ink == pytest.approx(6)


def test_a_line_with_only_han_latin_gaps_stretches_them_not_the_letters():
    line = set_line(S("中GDP"), 4, "justify")
    assert advances(line) == [2.5, 0.5, 0.5, 0.5]


def test_word_spaces_and_hanzi_gaps_open_alike_up_to_half_an_em():
    """中文中文 ab cd ef (7.75 em) in 8.75 em: the three CJK gaps and the two word spaces take
    the 1 em alike (0.2 em each); the Han–Latin space stays ¼ em."""
    line = set_line(S("中文中文 ab cd ef"), 8.75, "justify")
    g = line.glyphs
    assert [round(x.advance, 4) for x in g[:3]] == [1.2] * 3
    spaces = [round(x.advance, 4) for x in g if x.ch == " "]
    assert spaces == [0.25, 0.45, 0.45]
    assert not spaced_inside_words(line)


def test_nothing_to_stretch_means_short_not_letter_spaced():
    line = set_line(S("GDP"), 3, "justify")
    assert advances(line) == [0.5, 0.5, 0.5] and line.ink == pytest.approx(1.5)
    assert "nothing to stretch" in line.note


def test_western_glyphs_scale_within_three_percent_to_justify_a_line_of_latin():
    line = set_line(S("ABCDEFGHIJ"), 5.1, "justify")
    assert advances(line) == [0.51] * 10
    assert {g.scale for g in line.glyphs} == {102.0}
    assert line.ink == pytest.approx(5.1) and not line.note


# ---------------------------------------------------------------------------------------------
# Total-fit repair
# ---------------------------------------------------------------------------------------------


RUNT_TEXT = "据介绍，节日期间，市交警支队将在城区主要路口增派警力。"


def test_runt_fix_is_spread_over_earlier_lines_not_one_loose_line():
    """Greedy avoids the 孤字 "力。" by pulling 派 and 增 down, opening the line above by 0.2 em
    per gap; the repair moves one character down in each of the two lines instead."""
    para = Para(S(RUNT_TEXT), NOINDENT)
    breaks = B._greedy(para, 13, 13)
    assert B._fix_runt(para, breaks, 13, 13)
    pulled = para.set(breaks[0], breaks[1], 13, 0, "justify", False, 13)
    assert pulled.text == "队将在城区主要路口增派" and widest_gap(pulled) == pytest.approx(0.2)
    lines = compose(S(RUNT_TEXT), 13, NOINDENT)
    assert [l.text for l in lines] == ["据介绍，节日期间，市交警", "支队将在城区主要路口增派", "警力。"]
    assert [round(widest_gap(l), 3) for l in lines[:-1]] == [0.091, 0.091]


def test_a_number_pushed_down_does_not_leave_a_loose_line():
    """An unbreakable number that does not fit leaves greedy's line 公共预算支出为 with 1-em gaps;
    the repair re-breaks the two lines above it, 1/3 em each, in as many lines."""
    text = "市财政局介绍，今年全市一般公共预算支出为1,234,567,890.12元，其中民生支出占比超过七成。"
    para = Para(S(text), NOINDENT)
    breaks = B._greedy(para, 13, 13)
    greedy = para.set(breaks[0], breaks[1], 13, 0, "justify", False, 13)
    assert greedy.text == "公共预算支出为" and widest_gap(greedy) == pytest.approx(1.0)
    lines = compose(S(text), 13, NOINDENT)
    assert [l.text for l in lines][:2] == ["市财政局介绍，今年全", "市一般公共预算支出为"]
    assert len(lines) == len(breaks)
    assert [round(widest_gap(l), 3) for l in lines[:-1]] == [0.333, 0.333, 0.0]


def test_repair_keeps_the_line_count_of_greedy():
    """Copy-fit depends on line counts: page-05-like paragraphs come out in as many lines."""
    for text in [RUNT_TEXT, "公安、检察、法院三机关，分工负责、互相配合、互相制约。",
                 "本案涉案资金总额高达1280万元，目前已追回赃款460万元。"]:
        para = Para(S(text), ParaStyle())
        breaks = B._greedy(para, 11, 13)
        B._fix_runt(para, breaks, 11, 13)
        assert len(compose(S(text), 13, ParaStyle(kinsoku="basic"))) == len(breaks)


# ---------------------------------------------------------------------------------------------
# Hyphenation (pyphen, English by default)
# ---------------------------------------------------------------------------------------------

HYPHEN_TEXT = "一二三四五六七八 typesetting 九十一二三四五六七八九十。"


def test_a_latin_word_is_hyphenated_rather_than_a_line_spaced_out():
    lines = compose(S(HYPHEN_TEXT), 13, NOINDENT)
    assert [l.text for l in lines] == ["一二三四五六七八 typeset", "ting 九十一二三四五六七八", "九十。"]
    first = lines[0]
    assert first.hyphen and first.glyphs[-1].ch == "-" and first.glyphs[-1].advance == 0.5
    assert first.ink == pytest.approx(13) and widest_gap(first) == pytest.approx(0.75 / 7)
    off = compose(S(HYPHEN_TEXT), 13, ParaStyle(indent=0, latin_lang=""))
    assert off[0].text == "一二三四五六七八" and widest_gap(off[0]) == pytest.approx(5 / 7)


def test_hyphenation_points_keep_minimum_fragments_and_skip_acronyms_and_numbers():
    words = "typesetting justification exclamation NASDAQ FULLWIDTH 1234567 e-mail"
    para = Para(S(words), NOINDENT)
    text = para.text
    points = para.extra_breaks(0, para.n)
    words = {}
    for p, width in points.items():
        assert width == 0.5  # a hyphen is added (½ em in this font)
        start = text.rfind(" ", 0, p) + 1
        end = text.find(" ", p)
        word = text[start:end if end >= 0 else None]
        words.setdefault(word, []).append(p - start)
        assert p - start >= HYPHEN_LEFT_MIN and len(word) - (p - start) >= HYPHEN_RIGHT_MIN
    assert words["typesetting"] == [4, 7]  # type-set-ting
    assert "NASDAQ" not in words and "1234567" not in words and "e-mail" not in words
    assert "FULLWIDTH" in words  # capitals from 8 letters are words, not acronyms


def test_foot_line_hook_avoids_a_hyphen_at_a_column_foot():
    """A hyphen at the end of line 0 is cheap; told that line 0 ends a column, the composer
    pushes the word down instead (a line opened by 0.27 em costs less than a hyphen there)."""
    text = "一二三四五六七八九十一二三四五六 typesetting 九十一二三四五六七八九十一二三四五六七八九十。"
    plain = compose(S(text), 20, NOINDENT)
    assert plain[0].hyphen and plain[0].text.endswith("type")
    foot = compose(S(text), 20, ParaStyle(indent=0, foot_lines=frozenset({0})))
    assert not foot[0].hyphen and foot[0].text == "一二三四五六七八九十一二三四五六"
    assert not any(l.hyphen for l in foot)


# ---------------------------------------------------------------------------------------------
# Long tokens and unbreakables wider than the measure
# ---------------------------------------------------------------------------------------------


def test_long_token_break_points():
    para = Para(S("见https://www.example.com/a_b/c-d?x=1与v1.2.3和3.05%。"), NOINDENT)
    text = para.text
    soft = sorted(p for p, w in para.extra_breaks(0, para.n).items() if w == 0.0)
    assert [text[p - 1:p + 1] for p in soft] == ["/w", ".e", ".c", "/a", "_b", "/c", "-d", "d?"]
    # Never inside "https:", between the two slashes, in a version or a percentage.


def test_url_is_broken_only_at_permitted_points_without_hyphen_or_spacing():
    text = "市民可以登录统计局网站www.example.com/data_set/2024?page=2查看详细数据，也可以在工作日致电咨询。"
    lines = compose(S(text), 13, NOINDENT)
    assert "".join(l.text for l in lines) == text
    for line, nxt in pairwise(lines):
        assert not line.hyphen
        a, b = line.text[-1], nxt.text[0]
        if a.isascii() and b.isascii():
            assert a in "/._-" or b == "?", (line.text, nxt.text)
    assert not any(spaced_inside_words(l) for l in lines)
    assert all(l.ink <= 13 + 1e-9 for l in lines)


def test_token_somewhat_wider_than_the_measure_is_condensed_and_reported():
    token = "x" * 28  # 14 em in 13
    lines = compose(S("一二三" + token + "四五"), 13, NOINDENT)
    assert [l.text for l in lines] == ["一二三", token, "四五"]
    mid = lines[1]
    assert mid.ink == pytest.approx(13) and {g.scale for g in mid.glyphs} == {round(1300 / 14, 4)}
    assert "condensed to 93%" in mid.note


def test_token_far_wider_than_the_measure_is_broken_and_reported():
    lines = compose(S("x" * 40), 13, NOINDENT)
    assert [len(l.text) for l in lines] == [26, 14]
    assert "no permitted break" in lines[0].note and not lines[1].note


# ---------------------------------------------------------------------------------------------
# Han–number gap (house setting)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,quarter,tight", [
    ("在2024年", 4.5, 4.0), ("在GDP里", 4.0, 4.0), ("5G网络", 3.25, 3.0), ("¥8.6亿", 3.25, 3.0),
    ("在 2024 年", 4.5, 4.0),
])
def test_cjk_digit_gap_is_set_apart_from_letters(text, quarter, tight):
    """Numbers (a token whose first letter or digit is a digit) take ``cjk_digit_gap``; letters
    keep ``cjk_latin_gap``; a typed space beside a number becomes that gap too."""
    assert natural_width(S(text)) == pytest.approx(quarter)
    assert natural_width(S(text), ParaStyle(cjk_digit_gap=0)) == pytest.approx(tight)


def test_invalid_digit_gap_is_rejected():
    with pytest.raises(ValueError):
        ParaStyle(cjk_digit_gap=2.0)
