"""The 2-em dash (破折号 ——) is drawn as one unbroken rule across its two cells."""

from __future__ import annotations

import pytest

from layout import text as T
from layout.fonts import FontSet
from layout.text.classes import DASH_MARGIN_EM


@pytest.fixture(scope="module")
def song():
    return FontSet().face("宋")


def test_dashes_meet_and_fill_their_cells(song):
    size = 10.0
    line = T.set_line([T.Span("甲——乙", song, size)], 40.0)
    dashes = [g for g in line.glyphs if g.ch == "—"]
    assert len(dashes) == 2
    left, right = song.ink[0x2014]
    ink = []
    for g in dashes:
        origin = g.x + g.dx
        ink.append((origin + left * size * g.scale / 100, origin + right * size * g.scale / 100))
    # The first dash's ink ends where the second's begins: no gap between them.
    assert ink[0][1] == pytest.approx(ink[1][0], abs=0.01)
    # Together they span both cells less the margin at each end.
    cells = dashes[0].x, dashes[1].x + dashes[1].advance
    assert ink[0][0] == pytest.approx(cells[0] + DASH_MARGIN_EM * size, abs=0.01)
    assert ink[1][1] == pytest.approx(cells[1] - DASH_MARGIN_EM * size, abs=0.01)
    # Each scaled dash is drawn as its own run with that scale.
    runs = line.runs(0.0, 10.0)
    assert [r.h_scale for r in runs if "—" in r.text] == [dashes[0].scale, dashes[1].scale]
    assert dashes[0].scale > 100.0


def test_a_lone_dash_is_left_alone(song):
    line = T.set_line([T.Span("甲—乙", song, 10.0)], 40.0)
    dash = next(g for g in line.glyphs if g.ch == "—")
    assert dash.scale == 100.0
