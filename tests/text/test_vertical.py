"""Vertical headlines (竖排): glyph mapping, rotation, 纵中横 and spacing (clreq §4.7)."""

from __future__ import annotations

import pytest

from layout.text import Span, compose_vertical
from layout.text.vertical import EM_BOX_ASCENT

from .fontkit import FACE, StubFace


def col(text: str, size: float = 10.0, **kw):
    return compose_vertical([Span(text, FACE, size)], **kw)


def test_hanzi_upright_one_em_each():
    glyphs, used = col("政法周刊")
    assert used == 40.0
    assert [g.y for g in glyphs] == [pytest.approx(EM_BOX_ASCENT * 10 + 10 * i) for i in range(4)]
    assert all(g.x == 0.0 and g.rotate == 0 and g.h_scale == 100 for g in glyphs)


def test_pause_marks_use_vertical_forms_upper_right():
    glyphs, used = col("法治，平安。")
    assert [g.ch for g in glyphs] == ["法", "治", "\ufe10", "平", "安", "\ufe12"]
    assert used == pytest.approx(10 * 5.5)  # column-final 。 keeps ½ em


def test_quotes_become_corner_brackets_and_brackets_rotate_to_forms():
    glyphs, _ = col("“法”‘治’（一）《二》")
    assert "".join(g.ch for g in glyphs) == "﹃法﹄﹁治﹂︵一︶︽二︾"


def test_dash_and_ellipsis_vertical_forms():
    glyphs, used = col("一——二……")
    assert "".join(g.ch for g in glyphs) == "一︱︱二︙︙"
    assert used == 60.0


def test_fallback_rotates_brackets_and_moves_pause_marks_without_forms():
    bare = StubFace("Bare", {cp: w for cp, w in FACE.widths.items() if not 0xFE10 <= cp <= 0xFE4F})
    glyphs, _ = compose_vertical([Span("一（二），", bare, 10.0)])
    paren = [g for g in glyphs if g.ch in "（）"]
    assert all(g.rotate == 90.0 for g in paren)
    comma = glyphs[-1]
    assert comma.ch == "，" and comma.x == pytest.approx(5.0)  # moved to the right half
    assert comma.y < 4 * 10 + EM_BOX_ASCENT * 10 - 4.9  # and up


def test_latin_words_and_long_numbers_rotate_short_numbers_tcy():
    glyphs, used = col("第2024届Paiban", 10.0)
    rot = [g for g in glyphs if g.rotate == 90.0]
    assert "".join(g.ch for g in rot) == "2024Paiban"
    glyphs, used = col("第10届")
    tcy = glyphs[1:3]
    assert [g.ch for g in tcy] == ["1", "0"] and tcy[0].y == tcy[1].y
    assert used == 30.0
    glyphs, used = col("第100届")
    tcy = glyphs[1:4]
    assert tcy[0].h_scale == pytest.approx(100 * 10 / 15, abs=1e-3)
    assert tcy[2].x + 5 * tcy[2].h_scale / 100 == pytest.approx(10.0)  # exactly one em wide


def test_a_signed_short_number_is_tcy_not_rotated():
    # 最低气温-3℃ in a 竖题: "-3" sits in one em, across the column (a new user's head had it
    # rotated); a sign with three digits is a rotated run like any long number.
    glyphs, used = col("降至-3度")
    tcy = [g for g in glyphs if g.ch in "-3"]
    assert len(tcy) == 2 and all(g.rotate == 0 for g in tcy) and tcy[0].y == tcy[1].y
    assert used == 40.0  # 降 至 [-3] 度: four ems, the tcy cell one of them
    glyphs, _ = col("降至-300度")
    assert all(g.rotate == 90.0 for g in glyphs if g.ch in "-30")


def test_single_letters_and_acronyms_upright():
    glyphs, used = col("A股GDP")
    assert all(g.rotate == 0 for g in glyphs)
    assert used == 50.0


def test_height_distribute_and_center():
    glyphs, used = col("法治", height=50.0, align="distribute")
    assert used == 50.0 and glyphs[1].y - glyphs[0].y == pytest.approx(40.0)
    glyphs, used = col("法治", height=50.0, align="center")
    assert used == 50.0 and glyphs[0].y == pytest.approx(15 + EM_BOX_ASCENT * 10)
    glyphs, used = col("法治", height=10.0)
    assert used == 20.0  # too long: reported, not cut


def test_empty():
    assert compose_vertical([Span("  ", FACE, 10)]) == ([], 0.0)


def test_a_clause_gap_takes_the_house_gap_and_is_drawn_blank_for_the_text_layer():
    glyphs, used = col("两岸\u3000往来", space_em=1.0)
    assert used == 50.0 and glyphs[2].y - glyphs[1].y == pytest.approx(20.0)
    assert [g.ch for g in glyphs] == ["两", "岸", "往", "来"]  # FACE has no U+3000 glyph
    blank = StubFace("Blank", {**FACE.widths, 0x3000: 1.0})
    glyphs, used = compose_vertical([Span("两岸 往来", blank, 10.0)], space_em=1.0)
    assert [g.ch for g in glyphs] == ["两", "岸", "\u3000", "往", "来"] and used == 50.0
    _, default = col("两岸 往来")
    assert default == 45.0  # ½ em without a house gap (VERTICAL_SPACE_EM)


def test_column_measure_joins_pieces_with_the_gap():
    from layout.text.vertical import column_measure

    measure = column_measure(lambda t: [Span(t, FACE, 10.0)], 1.0)
    assert measure(("第10届",)) == 30.0  # 纵中横: the two digits take one em
    assert measure(("两岸", "往来")) == 50.0
