"""The worked cases R1–R10 of reference/typography.md §6 on a 13-字 column.

Shared assumptions of §6: 13-em measure, 2-字 indent, clreq basic prohibitions, no hanging
punctuation, line-end mark ½ em, adjacent marks 2 → 1.5 em, no line-start bracket trim,
digits ½ em, Han–digit gap ¼ em. Size 1 pt makes every number below read in em.
"""

from __future__ import annotations

import pytest

from layout.text import ParaStyle, Span, compose, compose_vertical

from .fontkit import FACE

BREAKER = "greedy"

BASIC = ParaStyle(kinsoku="basic", breaker=BREAKER)
STRICT = ParaStyle(kinsoku="strict", breaker=BREAKER)


def lines_of(text: str, style: ParaStyle = BASIC, measure: float = 13.0, size: float = 1.0):
    return compose([Span(text, FACE, size)], measure * size, style)


def advances(line) -> list[float]:
    return [round(g.advance, 6) for g in line.glyphs]


def assert_flush(lines, measure: float = 13.0) -> None:
    for line in lines[:-1]:
        assert line.indent + line.ink == pytest.approx(measure, abs=0.01)


def test_r1_line_start_prohibition_pushes_out():
    """R1: "，" may not start L2 and L1 has no squeezable space (11 + ½ > 11): "庭" goes down."""
    lines = lines_of("市中级人民法院昨日开庭，审理了一起电信网络诈骗案，涉案的十二名被告人均当庭认罪。")
    assert [l.text for l in lines] == [
        "市中级人民法院昨日开", "庭，审理了一起电信网络诈骗", "案，涉案的十二名被告人均当", "庭认罪。"]
    assert lines[0].indent == 2.0
    assert advances(lines[0]) == [round(1 + 1 / 9, 6)] * 9 + [1.0]  # +1/9 em per gap
    assert advances(lines[1]) == [1.0] * 13  # on the grid, nothing added
    assert lines[3].last and lines[3].ink == pytest.approx(3.5)  # last line solid, 。 ½ em
    assert_flush(lines)


def test_r2_r6_squeeze_in_then_orphan():
    """R2 + R6: L1 squeezes "，" in (each 、 −¼ em, equal treatment; line-end ， ½ em); the
    orphan "约。" cannot be squeezed into L2 (needs 1.5 em, two 、 yield 1 em), so "制" comes down."""
    lines = lines_of("公安、检察、法院三机关，分工负责、互相配合、互相制约。")
    assert [l.text for l in lines] == ["公安、检察、法院三机关，", "分工负责、互相配合、互相", "制约。"]
    g = lines[0].glyphs
    assert [round(x.advance, 6) for x in g if x.ch == "、"] == [0.75, 0.75]
    assert g[-1].ch == "，" and g[-1].advance == pytest.approx(0.5)
    assert lines[0].ink == pytest.approx(11.0)
    # L2: 12 em in 13: +1/11 em on each of the 11 gaps, including those beside 、.
    assert advances(lines[1]) == [round(1 + 1 / 11, 6)] * 11 + [1.0]
    assert_flush(lines)


def test_r3_opening_mark_not_at_line_end():
    """R3: "《" may not end L1; squeezing "《中" in needs 12 − ½ > 11, so "《" goes down."""
    lines = lines_of("审判长当庭逐条宣读了《中华人民共和国刑法》第二百六十六条。")
    assert [l.text for l in lines] == ["审判长当庭逐条宣读了", "《中华人民共和国刑法》第二", "百六十六条。"]
    assert advances(lines[0]) == [round(1 + 1 / 9, 6)] * 9 + [1.0]
    assert advances(lines[1]) == [1.0] * 13
    assert_flush(lines)


def test_r4_two_em_dash_basic():
    """R4 (basic): —— is one unit; at basic it may start a line."""
    lines = lines_of("被告人辩称自己不知情——但证据显示他全程参与了资金转移。")
    assert [l.text for l in lines] == ["被告人辩称自己不知情", "——但证据显示他全程参与了", "资金转移。"]
    assert advances(lines[1]) == [1.0] * 13
    assert_flush(lines)


def test_r4_two_em_dash_strict():
    """R4 (strict): —— may not start a line, so "情" goes down with it; L1 spreads 2 em as ¼ em
    over its 8 gaps."""
    lines = lines_of("被告人辩称自己不知情——但证据显示他全程参与了资金转移。", STRICT)
    assert [l.text for l in lines] == ["被告人辩称自己不知", "情——但证据显示他全程参与", "了资金转移。"]
    assert advances(lines[0]) == [1.25] * 8 + [1.0]
    assert_flush(lines)


def test_r5_digits_unbreakable_and_gap():
    """R5: "1280" is unbreakable; no gap at line start or before "，"; L2 (12.25 em) stretches by
    0.75 em.

    Deliberate change from typography.md §6 R5 ("Han–digit gap first, ≤ ½ em"): issue 17 holds
    the Han–Western gap at ¼ em and stretches the hanzi gaps first, so the 9 CJK gaps of
    万元，目前已追回赃款 take 0.75/9 em each and the gap after "1280" stays ¼ em.

    typography.md says "460" would need 14 em with a maximum squeeze of 0.625 em. We count the
    squeezable space as 0.75 em (，½, and two Han–digit gaps ¼→⅛ each); either way it does not
    fit (14 − 13 = 1 em is needed), so the lines are as stated."""
    lines = lines_of("本案涉案资金总额高达1280万元，目前已追回赃款460万元。")
    assert [l.text for l in lines] == ["本案涉案资金总额高达", "1280万元，目前已追回赃款", "460万元。"]
    l2 = lines[1]
    assert l2.indent == 0.0 and l2.glyphs[0].x == 0.0  # no gap before 1280 at line start
    adv = {i: round(g.advance, 6) for i, g in enumerate(l2.glyphs)}
    assert [adv[0], adv[1], adv[2]] == [0.5, 0.5, 0.5]  # no spacing inside the number
    assert adv[3] == pytest.approx(0.5 + 0.25)  # "0" + the Han–digit gap, held at ¼ em
    per = 0.75 / 9
    assert adv[4] == pytest.approx(1 + per)  # 万
    assert adv[5] == pytest.approx(1 + per)  # 元: no Han gap before "，", only 均排
    assert l2.glyphs[6].ch == "，" and adv[6] == pytest.approx(1 + per)
    assert l2.glyphs[-1].advance == pytest.approx(1.0)
    last = lines[2]
    assert advances(last) == [0.5, 0.5, 0.75, 1.0, 1.0, 0.5]  # 460 + ¼ gap, 。 at line end
    assert_flush(lines)


def test_r7_consecutive_punctuation():
    """R7: "：“" and "。”" take 1.5 em each, so "随" still fits L1 (exactly 11 em)."""
    lines = lines_of("被告人答：“不认罪。”随后又当庭翻供，称自己是受他人指使的。")
    assert [l.text for l in lines] == ["被告人答：“不认罪。”随", "后又当庭翻供，称自己是受他", "人指使的。"]
    g = {x.ch: x for x in lines[0].glyphs}
    assert g["："].advance == pytest.approx(0.5) and g["“"].advance == pytest.approx(1.0)
    assert g["。"].advance == pytest.approx(0.5) and g["”"].advance == pytest.approx(1.0)
    assert lines[0].ink == pytest.approx(11.0)
    assert advances(lines[0]) == [1, 1, 1, 1, 0.5, 1, 1, 1, 1, 0.5, 1, 1]


@pytest.mark.parametrize("cols,zi", [(1, 13), (2, 27), (3, 41), (5, 69), (8, 111), (1, 20), (1, 22)])
def test_r8_text_side_of_the_grid(cols, zi):
    """R8 (text side): on every span and split width of the 8×13 grid a pure-hanzi line fills
    the measure exactly and every glyph lands on the 9 pt character grid. The span arithmetic
    itself (n×13 + n−1 gutters, 三破二, 五破三) belongs to ``layout.compose.grid``."""
    text = "中华人民共和国" * 40
    lines = compose([Span(text, FACE, 9.0)], zi * 9.0, ParaStyle(indent=2))
    for line in lines[:-1]:
        assert line.ink + line.indent == pytest.approx(zi * 9.0, abs=1e-9)
        for g in line.glyphs:
            assert g.x / 9.0 == pytest.approx(round(g.x / 9.0), abs=1e-9)
            assert g.advance == 9.0


def test_r10_vertical_headline():
    """R10: “法治”护航 2024年 第10届 — quotes become ﹃﹄, 2024 rotated 90° clockwise, 10 set
    horizontally within one em (纵中横), hanzi upright."""
    glyphs, used = compose_vertical([Span("“法治”护航 2024年 第10届", FACE, 10.0)])
    chars = [g.ch for g in glyphs]
    assert chars == ["﹃", "法", "治", "﹄", "护", "航", "2", "0", "2", "4", "年", "第", "1", "0", "届"]
    by = {g.ch: g for g in glyphs if g.ch in "法治﹃﹄"}
    assert by["法"].rotate == 0 and by["﹃"].rotate == 0
    rotated = [g for g in glyphs if g.ch in "24" and g.rotate == 90.0]
    assert len(rotated) == 3  # 2, 2, 4 of "2024"
    tcy = glyphs[12:14]
    assert [g.h_scale for g in tcy] == [100.0, 100.0]  # two ½-em digits already fit one em
    assert tcy[0].y == tcy[1].y  # side by side on one baseline
    assert tcy[1].x - tcy[0].x == pytest.approx(5.0)
    assert tcy[0].x == pytest.approx(0.0) and tcy[1].x + 5.0 == pytest.approx(10.0)
    # Cells: ﹃ 法 治 ﹄ 护 航 (6 em) + ¼ gap + 2024 (2 em) + ¼ gap + 年 + ½ space + 第 + 10 + 届.
    assert used == pytest.approx(10 * (6 + 0.25 + 2 + 0.25 + 1 + 0.5 + 1 + 1 + 1))


R_TEXTS = {
    "R1": ("市中级人民法院昨日开庭，审理了一起电信网络诈骗案，涉案的十二名被告人均当庭认罪。", "basic"),
    "R3": ("审判长当庭逐条宣读了《中华人民共和国刑法》第二百六十六条。", "basic"),
    "R4": ("被告人辩称自己不知情——但证据显示他全程参与了资金转移。", "basic"),
    "R4s": ("被告人辩称自己不知情——但证据显示他全程参与了资金转移。", "strict"),
    "R5": ("本案涉案资金总额高达1280万元，目前已追回赃款460万元。", "basic"),
    "R7": ("被告人答：“不认罪。”随后又当庭翻供，称自己是受他人指使的。", "basic"),
}


@pytest.mark.parametrize("case", sorted(R_TEXTS))
def test_optimal_breaker_agrees_on_r1_r3_r4_r5_r7(case):
    text, level = R_TEXTS[case]
    greedy = lines_of(text, ParaStyle(kinsoku=level))
    optimal = lines_of(text, ParaStyle(kinsoku=level, breaker="optimal"))
    assert [l.text for l in optimal] == [l.text for l in greedy]


def test_optimal_breaker_agrees_on_r2():
    """With compression cheap (``SHRINK_COST``) the total fit follows clreq's 先挤进 on R2 too:
    squeezing "，" into L1 and stretching L2 by 1/11 em per gap costs less than pushing "关，"
    down (L1 opened by 1/9 em per gap)."""
    lines = lines_of("公安、检察、法院三机关，分工负责、互相配合、互相制约。",
                     ParaStyle(kinsoku="basic", breaker="optimal"))
    assert [l.text for l in lines] == ["公安、检察、法院三机关，", "分工负责、互相配合、互相", "制约。"]
