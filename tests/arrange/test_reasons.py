"""Reasons in words for white a module keeps (issue 14): balancing when the copy is short, a
subhead kept with its text at a column foot. Synthetic font, Python values."""

from __future__ import annotations

from layout.compose.page import compose_page
from tests.arrange.test_pagefit import HEAD, lines_of
from tests.plan import kit


def fit_of(body, height=12, span=2):
    a = {"id": "a", "headline": "标题", "head": HEAD, "body": body, "flex": 0,
         "place": {"col": 1, "span": span, "top": 0, "height": height}}
    loaded = kit.issue([a])
    result = compose_page(kit.plan(loaded), loaded.issue, kit.OneFace(), kit.blank_photo)
    return result.fit[0]


def test_short_copy_is_balanced_and_says_so():
    # 2 columns of 10 lines under the head; 14 lines of copy balance as 7 + 7, 3 lines above
    # the module's foot.
    f = fit_of(kit.copy(lines_of(14), para=2000))
    assert (f.underset_lines, f.empty_tail) == (6, 3)
    assert f.reasons == (("balanced: the copy is 6 column-lines short, so every column ends about 3 lines "
                          "above the module's foot"), "no photo to flex: the copy is short of the module")


def test_a_subhead_kept_with_its_text_leaves_a_column_foot_white():
    # 7 lines of copy, then a subhead (one line) kept with the first lines of its text: it
    # cannot start in the 3 lines left in column 1, which stay white while column 2 is full.
    body = kit.copy(lines_of(7), para=2000) + "\n\n### 小标题\n\n" + kit.copy(lines_of(9), para=2000)
    f = fit_of(body)
    assert f.reasons[0] == "the subhead “小标题” is kept with its text: 3 lines at the foot of column 1 stay white"
    assert (f.used_lines, f.empty_tail, f.overset_lines) == (17, 3, 0)
    assert not any(r.startswith("balanced") for r in f.reasons)  # column 2 reaches the foot


def test_a_kept_run_in_title_is_named_as_the_paragraph_it_starts():
    # A brief's run-in title is kept with its text like a subhead: the reason named it "the
    # subhead '■城区新增停车泊位\u3000今'" (a raw escape, and not a subhead).
    from types import SimpleNamespace

    from layout.compose.module import _kept

    line = SimpleNamespace(text="■城区新增停车泊位\u3000今年")
    unit = SimpleNamespace(lines=((0, line, "body"),))
    assert _kept(unit) == "the paragraph “■城区新增停车泊位 今年”"
    long = SimpleNamespace(lines=((0, SimpleNamespace(text="一二三四五六七八九十一二三四五六七"), "subhead"),))
    assert _kept(long) == "the subhead “一二三四五六七八九十一二三四五…”"
