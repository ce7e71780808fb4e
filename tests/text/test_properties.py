"""Property-based tests over random mixes of hanzi, punctuation (——, ……, “”《》（）), Latin words
and numbers: at the strict level no forbidden line start/end, no split unbreakable, every
character kept in order, every non-last line flush, no line wider than its measure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.text import ParaStyle, Span, compose
from layout.text.classes import (
    LONG_TOKEN_BREAK_AFTER,
    LONG_TOKEN_BREAK_BEFORE,
    NOT_AT_END,
    NOT_AT_START,
)
from layout.text.para import WEST, _info

from .fontkit import FACE

HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
PAUSE = "，。、；：？！"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGH"



def chars(alphabet: str, lo: int, hi: int):
    # Lists of sampled characters: hypothesis's shrinker trips over st.text with different
    # alphabets inside one_of ("… is not in list").
    return st.lists(st.sampled_from(alphabet), min_size=lo, max_size=hi).map("".join)


word = chars(HANZI, 1, 5)
latin = chars(LATIN, 1, 8).map(lambda w: f" {w} ")
number = st.builds(
    lambda digits, frac, suffix, prefix: f"{prefix}{digits}{frac}{suffix}元",
    chars("0123456789", 1, 6),
    st.sampled_from(["", ".5", ",280", ".25"]),
    st.sampled_from(["", "%", "km", "℃", "‰"]),
    st.sampled_from(["", "", "$", "¥"]),
)
punct = st.sampled_from(list(PAUSE))
dash = st.builds(lambda w, d: w + d, word, st.sampled_from(["——", "……"]))
"""A dash or ellipsis follows words: runs like ，————，—— cannot break anywhere at strict, and
a run longer than the line is force-broken (tested in test_rules)."""


@st.composite
def phrase(draw):
    part = draw(st.one_of(word, word, word, latin, number, dash))
    wrap = draw(st.sampled_from(["", "", "", "“”", "《》", "（）"]))
    if wrap:
        part = wrap[0] + part.strip() + wrap[1]
    if draw(st.booleans()):
        part += draw(punct)
    return part


paragraph = st.lists(phrase(), min_size=1, max_size=40).map("".join)


def _nonspace(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


def _letter_spaced(line) -> bool:
    """Any white added between two characters of one Latin word or number (issue 17: never)."""
    for g, h, nat in zip(line.glyphs, line.glyphs[1:], line.natural):
        if _info(g.ch)[0] == WEST and _info(h.ch)[0] == WEST and g.advance > nat + 1e-9:
            return True
    return False


def check(text: str, measure: float, style: ParaStyle) -> None:
    size = 9.0
    lines = compose([Span(text, FACE, size)], measure, style)
    # Every input character reaches the output, in order (an inserted hyphen is not input).
    assert _nonspace("".join(l.text for l in lines)) == _nonspace(text)
    not_start, not_end = NOT_AT_START["strict"], NOT_AT_END["strict"]
    for i, line in enumerate(lines):
        assert line.text
        assert line.indent + line.ink <= measure + 0.01, (line.text, line.ink)
        if not line.last:
            # Flush, unless nothing on the line can stretch (an unbreakable piece alone, never
            # letter-spaced), and then the line says so.
            assert abs(line.indent + line.ink - measure) <= 0.01 or line.note, (line.text, line.ink)
        assert not _letter_spaced(line), line.text
        # Glyph boxes are contiguous and match the text.
        assert "".join(g.ch for g in line.glyphs) == line.text + ("-" if line.hyphen else "")
        for g, h in zip(line.glyphs, line.glyphs[1:]):
            assert abs(g.x + g.advance - h.x) < 1e-9
        if i + 1 < len(lines):
            nxt = lines[i + 1]
            assert nxt.text[0] not in not_start, (line.text, nxt.text)
            assert line.text[-1] not in not_end, (line.text, nxt.text)
            # No split unbreakable: Western token, 破折号, 省略号.
            if line.end == nxt.start and not line.hyphen:
                a, b = line.text[-1], nxt.text[0]
                permitted = a in LONG_TOKEN_BREAK_AFTER or b in LONG_TOKEN_BREAK_BEFORE
                inside = _info(a)[0] == WEST and _info(b)[0] == WEST
                assert permitted or not inside, (line.text, nxt.text)
                assert not (a == b and a in "—…"), (line.text, nxt.text)
            if line.hyphen:
                assert line.text[-1].isalpha() and nxt.text[0].isalpha() and line.end == nxt.start
    # Runs reproduce the glyph origins.
    for line in lines[:3]:
        pos = []
        for run in line.runs(0.0, 0.0):
            x = run.x
            for ch in run.text:
                pos.append(x)
                x += FACE.advance(ch) * run.size + run.char_space
        assert pos == pytest.approx([g.x + g.dx for g in line.glyphs], abs=0.001)


@settings(max_examples=200, deadline=None)
@given(paragraph, st.sampled_from([13, 11, 20, 27]))
def test_greedy_properties(text, em):
    check(text, em * 9.0, ParaStyle(kinsoku="strict"))


@settings(max_examples=100, deadline=None)
@given(paragraph, st.sampled_from([13, 20]))
def test_optimal_properties(text, em):
    check(text, em * 9.0, ParaStyle(kinsoku="strict", breaker="optimal"))


@settings(max_examples=100, deadline=None)
@given(paragraph, st.sampled_from([13, 20]), st.sampled_from(["start", "center", "end", "distribute"]))
def test_alignment_properties(text, em, align):
    measure = em * 9.0
    lines = compose([Span(text, FACE, 9.0)], measure, ParaStyle(kinsoku="strict", align=align, hanging=1))
    for line in lines:
        assert line.indent + line.ink <= measure + 0.01
        if align == "distribute" and len(line.glyphs) > 1 and not line.note:
            assert abs(line.indent + line.ink - measure) <= 0.01
        assert not _letter_spaced(line), line.text
