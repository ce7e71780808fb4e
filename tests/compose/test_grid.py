"""Grid arithmetic: spans, split columns (R8) and the body-line grid."""

from __future__ import annotations

import pytest

from layout.compose.grid import make_grid
from layout.model import Issue
from layout.units import mm


def _issue(**fmt):
    return Issue.model_validate({
        "paper": "测试报", "date": "2024-03-06", "page": 5, "format": fmt,
        "articles": [{"id": "a", "headline": "标题", "body": "正文。", "place": {"col": 1, "span": 1}}],
    })


def test_broadsheet_spans_r8():
    g = make_grid(_issue())
    assert g.columns == 8 and g.chars == 13 and g.em == 9.0
    assert g.col_w == 117.0
    assert [g.span_chars(n) for n in (1, 2, 3, 5, 8)] == [13, 27, 41, 69, 111]
    assert g.span_w(8) == pytest.approx(999.0)
    assert g.area_w / mm(1) == pytest.approx(352.425, abs=0.01)
    # Column edges land on the 9 pt grid.
    for c in range(8):
        assert (g.col_x(c) - g.area_x) % 9.0 == pytest.approx(0.0)


def test_split_columns_r8():
    g = make_grid(_issue())
    three_as_two = g.split(0.0, g.span_chars(3), 2)
    assert [w / 9 for _, w in three_as_two] == [20, 20]
    assert three_as_two[1][0] / 9 == pytest.approx(21.0)  # 20 字 + 1 字 gutter
    five_as_three = g.split(0.0, g.span_chars(5), 3)
    assert [w / 9 for _, w in five_as_three] == [22, 22, 22]
    # 3 × 22 with the remainder shared by the two gutters: 1.5 字 each.
    assert (five_as_three[1][0] - five_as_three[0][1]) / 9 == pytest.approx(1.5)
    assert (five_as_three[2][0] + five_as_three[2][1]) / 9 == pytest.approx(69)


def test_line_grid_and_trim():
    g = make_grid(_issue())
    assert g.trim_w / mm(1) == pytest.approx(390) and g.trim_h / mm(1) == pytest.approx(550)
    assert g.pitch == pytest.approx(12.0)  # 9 pt + 1/3 em gap
    assert g.lines == 115  # ⌊(490 mm − 9 pt) / 12 pt⌋ + 1 = 114 + 1
    assert g.area_h <= mm(490) + 1e-6
    assert g.line_top(1) - g.line_top(0) == pytest.approx(12.0)


def test_tabloid_preset():
    g = make_grid(_issue(preset="tabloid"))
    assert (g.columns, g.chars) == (6, 11)
    assert g.span_chars(6) == 71
    assert g.trim_w / mm(1) == pytest.approx(275)


def test_overrides():
    g = make_grid(_issue(columns=6, column_chars=12, body_size="五号", line_gap=0.25))
    assert g.em == 10.5 and g.pitch == pytest.approx(13.125)
    assert g.span_chars(6) == 77
