"""Front-page furniture and styled articles on constructed pages, with the synthetic font:
boxes (rules, tint, inset), label tags, briefs, indexes, photo-only articles, own body
face and size, the nameplate's geometry and issue data. Exact numbers throughout.

The kit's grid: 4 columns of 10 字 at 10 pt, 1-字 gutters, a 12 pt line pitch, 40 lines.
"""

from __future__ import annotations

import pytest

from layout.compose.page import compose_page
from layout.errors import InputError
from layout.fonts import canonical_role
from layout.frames import K100, WHITE, Fill, Group, Rule, TextLine
from layout.plan.types import BoxPlan, LabelPlan
from tests.plan import kit
from tests.text.fontkit import FACE

HEAD = {"size": 10, "lines": 2}


class RoleFaces:
    """A font set drawing every role with the synthetic face under its own key, so tests can
    tell which role set a run."""

    def __init__(self) -> None:
        self.faces: dict[str, kit.TestFace] = {}

    def face(self, role: str):
        key = canonical_role(role)
        return self.faces.setdefault(key, kit.TestFace(f"Test-{key}", FACE.widths))


def _page(articles, **extra):
    loaded = kit.issue(articles)
    if extra:
        doc = loaded.issue.model_dump(mode="json", exclude_none=True)
        doc.update(extra)
        loaded = loaded.model_copy(update={"issue": type(loaded.issue).model_validate(doc)})
    plan = kit.plan(loaded)
    return plan, compose_page(plan, loaded.issue, RoleFaces(), None)


def _group(result, ident):
    return next(g for g in result.page.root.items if isinstance(g, Group) and g.id == ident)


def _local(group, kind=None):
    """Items of a module group in its own coordinates (optionally text lines of one kind)."""
    items = list(group.items)
    if kind is None:
        return items
    return [i for i in items if isinstance(i, TextLine) and i.kind == kind]


def _row(grid, line: TextLine) -> int:
    return round((line.y - 0.88 * line.size - (grid.em - line.size) / 2) / grid.pitch)


BOXED = {
    "id": "c",
    "label": "今日谈",
    "headline": "评论标题",
    "head": HEAD,
    "columns": 1,
    "box": {"rule": "thick-thin", "tint": 10},
    "body": kit.copy(400),
    "place": {"col": 1, "span": 2, "top": 0, "height": 20},
}


def test_boxed_article_plan():
    plan, _result = _page([BOXED])
    module = plan.chains[0].modules[0]
    assert module.box == BoxPlan("thick-thin", 0.1, 1.0)
    assert module.tag == LabelPlan("今日谈", "黑", 2)
    # The head starts under the box's padding line and the tag's two lines, inset one 字.
    assert (module.head.top, module.head.inset) == (3, 1.0)


def test_box_tint_rules_tag_and_text_positions():
    plan, result = _page([BOXED])
    g = plan.grid
    group = _group(result, "c")
    items = _local(group)
    h = g.line_bottom(19) - g.line_top(0)  # 19 × 12 + 10 = 238
    assert items[0] == Fill(0.0, 0.0, 210.0, h, (0.0, 0.0, 0.0, 0.1))
    rules = [i for i in items if isinstance(i, Rule)]
    # Thick-thin (文武线): a 1.5 pt line on the edge, a 0.5 pt line 1.5 pt inside it.
    assert [(r.width, r.x1, r.y1, r.x2, r.y2) for r in rules[:4]] == [
        (1.5, 0.75, 0.75, 209.25, 0.75),
        (1.5, 209.25, 0.75, 209.25, h - 0.75),
        (1.5, 209.25, h - 0.75, 0.75, h - 0.75),
        (1.5, 0.75, h - 0.75, 0.75, 0.75),
    ]
    assert [(r.width, r.x1, r.y1) for r in rules[4:5]] == [(0.5, 3.25, 3.25)] and len(rules) == 8
    # The tag: a black panel from 0.25 pt above line 1's em box (half the line gap less
    # clearance), white text 0.25 em inside it, at the box's inset.
    panel = items[9]
    assert panel == Fill(10.0, 11.75, 35.0, 12.25, K100)
    (tag,) = _local(group, "label")
    assert tag.text == "今日谈" and tag.runs[0].color == WHITE and tag.runs[0].x == 12.5
    assert panel.y + panel.h <= g.line_top(3) - 1.5  # clear of what follows the tag
    # Text: one column of 19 字 inside the 1-字 inset, from below the head to the line above the
    # box's foot padding.
    body = _local(group, "body")
    assert {(b.x, b.width) for b in body} == {(10.0, 190.0)}
    assert [_row(g, b) for b in body] == list(range(5, 19))
    head = [i for i in group.items if isinstance(i, Group) and i.kind == "headline"]
    assert head and all(
        10.0 - 1e-6 <= ln.x and ln.x + ln.ink <= 200.0 + 1e-6 for ln in head[0].lines()
    )


def test_no_module_rule_beside_a_box():
    other = {
        "id": "d",
        "headline": "旁边",
        "head": HEAD,
        "body": kit.copy(300),
        "place": {"col": 3, "span": 2, "top": 0, "height": 20},
    }
    _plan, result = _page([BOXED, other])
    rules = _group(result, "rules").items
    assert rules == ()


def test_rule_styles():
    from layout.compose.boxes import rule_lines

    assert rule_lines("thin") == ((0.5, 0.25, None),)
    assert rule_lines("double") == ((0.5, 0.25, None), (0.5, 2.25, None))
    assert rule_lines("dotted") == ((1.0, 0.5, (1.0, 2.0)),)
    assert rule_lines("none") == ()


def test_own_body_face_and_size_keep_whole_characters():
    art = {
        "id": "k",
        "headline": "标题",
        "head": HEAD,
        "body_font": "楷",
        "body_size": 11,
        "body": kit.copy(200),
        "place": {"col": 1, "span": 1, "top": 0, "height": 20},
    }
    plan, result = _page([art])
    body = _local(_group(result, "k"), "body")
    # 100 pt column at 11 pt: 9 characters (99 pt), centred.
    assert {(b.x, b.width, b.size) for b in body} == {(0.5, 99.0, 11.0)}
    assert {r.font for b in body for r in b.runs} == {"Test-kai"}
    assert plan.chains[0].story.body_size == 11.0


def test_body_size_too_large_for_the_line_grid():
    art = {
        "id": "k",
        "headline": "标题",
        "body_size": 13,
        "body": "文字。",
        "place": {"col": 1, "span": 1, "top": 0, "height": 20},
    }
    with pytest.raises(InputError) as info:
        _page([art])
    assert info.value.field == "articles.0.body_size" and "too large" in info.value.message


def test_briefs_group_items_run_in_bold_through_the_columns():
    items = [
        {"title": "甲乙丙", "text": "丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"} for _ in range(6)
    ]
    art = {
        "id": "b",
        "kind": "briefs",
        "label": "简讯",
        "items": items,
        "place": {"col": 1, "span": 2, "top": 0, "height": 8},
    }
    plan, result = _page([art])
    module = plan.chains[0].modules[0]
    assert module.head is None and module.tag.rows == 2
    first = plan.chains[0].story.blocks[0]
    assert first.runs == (
        ("黑", "■"),
        ("bold", "甲乙丙\u3000"),  # a run-in title is followed by one 字 of white
        ("", "丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"),
    )
    g = plan.grid
    body = _local(_group(result, "b"), "body")
    # Each item: 1 + 3 + 1 + 19 = 24 characters after a 2-字 indent → 8 + 10 + 6, 3 lines; six items
    # are 18 lines, two columns of 6 (lines 2–7, under the tag) hold 12 of them.
    assert [(b.x, _row(g, b)) for b in body] == [(0.0, r) for r in range(2, 8)] + [
        (110.0, r) for r in range(2, 8)
    ]
    line = body[0]
    assert line.text == "■甲乙丙\u3000丁戊己" and [(r.font, r.text) for r in line.runs] == [
        ("Test-hei", "■甲乙丙\u3000"),
        ("Test-song", "丁戊己"),
    ]
    assert result.fit[0].overset_lines == 6


def test_index_items_with_page_references_flush_right():
    art = {
        "id": "i",
        "kind": "index",
        "label": "导读",
        "separator": "▶",
        "items": [{"title": "全市经济运行稳中向好", "page": 3}, {"title": "一", "page": 12}],
        "place": {"col": 1, "span": 2, "top": 0, "height": 8},
        "columns": 1,
    }
    plan, result = _page([art])
    group = _group(result, "i")
    titles = _local(group, "index")
    refs = _local(group, "index-page")
    assert [t.text for t in titles] == ["▶全市经济运行稳中向好", "▶一"]
    assert [r.text for r in refs] == ["第3版", "第12版"]
    g = plan.grid
    assert [_row(g, r) for r in refs] == [_row(g, t) for t in titles] == [2, 3]
    # Flush right on the 210 pt column: 第 and 版 one em, digits ½ em, ¼ em Han–digit gaps
    # (第3版 = 30 pt, 第12版 = 35 pt).
    assert [(r.x, r.width) for r in refs] == [(0.0, 210.0)] * 2
    assert [r.runs[0].x for r in refs] == [180.0, 175.0]
    # Titles are set ragged (▶ + the title, one em each), in a measure that leaves the
    # reference and one em free.
    assert [t.ink for t in titles] == [110.0, 20.0]


def test_photo_only_article_needs_captions():
    art = {
        "id": "p",
        "headline": "图片新闻",
        "photos": [{"file": "x.jpg", "place": {"col": 1, "span": 2, "top": 3, "height": 10}}],
        "place": {"col": 1, "span": 2, "top": 0, "height": 20},
    }
    with pytest.raises(Exception) as info:
        kit.issue([art])
    assert "photos.0.caption" in str(info.value) and "图片新闻" in str(info.value)


def test_editor_note_opens_the_story_with_a_white_line_after_it():
    art = {
        "id": "n",
        "headline": "标题",
        "head": HEAD,
        "editor_note": "编者按的内容在这里写完。",
        "body": "正文第一段。",
        "place": {"col": 1, "span": 1, "top": 0, "height": 20},
    }
    plan, result = _page([art])
    g = plan.grid
    group = _group(result, "n")
    notes = _local(group, "note")
    body = _local(group, "body")
    assert "".join(n.text for n in notes) == "编者按：编者按的内容在这里写完。"
    assert notes[0].runs[0].font == "Test-hei" and notes[0].runs[1].font == "Test-kai"
    assert [_row(g, n) for n in notes] == [2, 3] and _row(g, body[0]) == 5


NAMEPLATE = {
    "name": "测试晚报",
    "place": {"col": 1, "span": 3, "top": 0, "height": 10},
    "cn": "CN 11-0001",
    "post_code": "1-1",
    "number": 88,
    "pages": 8,
    "lunar": "甲辰年正月初一",
    "web": "example.cn",
}


def test_nameplate_geometry_name_and_issue_data():
    art = {
        "id": "a",
        "headline": "标题",
        "head": HEAD,
        "body": kit.copy(100),
        "place": {"col": 1, "span": 4, "top": 11, "height": 20},
    }
    plan, result = _page([art], nameplate=NAMEPLATE, page=1)
    g = plan.grid
    assert (
        plan.nameplate.rect.col,
        plan.nameplate.rect.span,
        plan.nameplate.rect.top,
        plan.nameplate.rect.height,
    ) == (0, 3, 0, 10)
    group = _group(result, "nameplate")
    assert (group.x, group.y) == (g.col_x(0), g.line_top(0))
    (name,) = [i for i in group.items if isinstance(i, TextLine) and i.kind == "nameplate-name"]
    # Name area: 2 columns (210 pt), 118 pt deep; 4 characters at min(0.8 × 118, 210 / 4) pt.
    assert name.text == "测试晚报" and name.size == pytest.approx(52.5)
    assert name.runs[0].font == "Test-dabiaosong"
    info = [i for i in group.items if isinstance(i, TextLine) and i.kind == "nameplate-info"]
    assert [i.text for i in info] == [
        "国内统一连续出版物号",
        "CN 11-0001",
        "邮发代号",
        "1-1",
        "第88期",
        "2024年3月6日",
        "星期三",
        "农历甲辰年正月初一",
        "今日8版",
        "example.cn",
    ]
    # Pieces of a row sit one em apart; rows step down by the line pitch (10 rows fit 118 pt).
    assert info[3].x == pytest.approx(info[2].x + 4 * 10 + 10)
    assert info[5].y - info[4].y == pytest.approx(12.0)
    rule = next(i for i in group.items if isinstance(i, Rule))
    assert rule.x1 == rule.x2 == pytest.approx(g.col_x(2) - g.gutter / 2 - group.x)


def test_nameplate_overlapping_an_article_is_an_error():
    art = {
        "id": "a",
        "headline": "标题",
        "body": kit.copy(100),
        "place": {"col": 2, "span": 2, "top": 5, "height": 20},
    }
    with pytest.raises(InputError) as info:
        _page([art], nameplate=NAMEPLATE, page=1)
    assert "nameplate" in info.value.message and "overlaps" in info.value.message


def test_head_larger_than_the_name_is_reported():
    art = {
        "id": "a",
        "headline": "标",
        "head": {"size": 60},
        "body": kit.copy(100),
        "place": {"col": 1, "span": 4, "top": 11, "height": 20},
    }
    _plan, result = _page([art], nameplate=NAMEPLATE, page=1)
    assert any("larger than the paper's name" in w for w in result.warnings)


def test_lunar_date_is_computed():
    from datetime import date

    from layout.plan.front import lunar_date

    assert lunar_date(date(2025, 4, 8)) == "乙巳年三月十一"
    assert lunar_date(date(2023, 4, 1)) == "癸卯年闰二月十一"
    assert lunar_date(date(2025, 1, 29)) == "乙巳年正月初一"


def test_a_brief_title_is_not_left_alone_at_a_column_foot():
    three = {"title": "甲乙丙", "text": "丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"}  # 3 lines
    two = {"title": "甲乙丙", "text": "丁戊己庚辛壬癸子丑寅"}  # 1 + 3 + 10 = 14 characters: 2 lines
    art = {
        "id": "b",
        "kind": "briefs",
        "label": "简讯",
        "items": [three, two, two],
        "place": {"col": 1, "span": 2, "top": 0, "height": 8},
    }
    plan, result = _page([art])
    g = plan.grid
    body = _local(_group(result, "b"), "body")
    starts = [(b.x, _row(g, b)) for b in body if b.text.startswith("■")]
    # Seven lines balance to columns ending on line 5 (lines 2–5 and 2–4): the second item would
    # start on line 5, its column's last, so its title line moves to the next column with its text.
    assert starts == [(0.0, 2), (110.0, 2), (110.0, 4)]
    assert [_row(g, b) for b in body if b.x == 0.0] == [2, 3, 4]


def test_emphasis_dots_under_each_hanzi_not_punctuation():
    art = {"id": "d", "headline": "标题", "head": HEAD, "body": "这是{着重:重要的，事}情。",
           "place": {"col": 1, "span": 1, "top": 0, "height": 10}}
    plan, result = _page([art])
    g = plan.grid
    (line,) = _local(_group(result, "d"), "body")
    assert line.text == "这是重要的，事情。"
    # Indent 2 em (20 pt); 重要的 at 40–70 pt, the comma squeezed to ½ em, 事 at 75 pt: dots
    # centred under each hanzi, in the middle of the line gap below the em box (line 2: 24 + 10
    # + 1 pt), 0.15 em across.
    assert line.marks == ((45.0, 35.0, 0.75), (55.0, 35.0, 0.75), (65.0, 35.0, 0.75),
                          (80.0, 35.0, 0.75))
    assert line.marks[0][1] < g.line_top(3)
    assert {r.font for r in line.runs} == {"Test-song"}


def test_emphasis_dots_move_with_their_module():
    art = {"id": "d", "headline": "标题", "head": HEAD, "body": "{着重:重要}",
           "place": {"col": 2, "span": 1, "top": 5, "height": 10}}
    plan, result = _page([art])
    g = plan.grid
    (line,) = [ln for ln in result.page.root.lines() if ln.kind == "body"]
    assert [round(m[0] - g.col_x(1), 6) for m in line.marks] == [25.0, 35.0]
    assert {round(m[1] - g.line_top(7), 6) for m in line.marks} == {11.0}


@pytest.mark.parametrize("article, field, words", [
    ({"kind": "index", "items": [{"title": "甲", "page": 2, "text": "乙"}]}, "items.0.text", "no text"),
    ({"kind": "briefs", "items": [{"title": "甲", "page": 2}]}, "items.0.page", "no page"),
    ({"kind": "index", "items": [{"title": "甲"}]}, "items.0.page", "needs the page"),
    ({"kind": "briefs", "items": [{"title": "甲"}], "body": "正文"}, "body", "takes items"),
])
def test_items_that_would_be_dropped_are_errors(article, field, words):
    doc = {"id": "x", "place": {"col": 1, "span": 2, "top": 0, "height": 10}, **article}
    with pytest.raises(Exception) as info:
        kit.issue([doc])
    assert f"articles.0.{field}" in str(info.value) or field in str(info.value)
    assert words in str(info.value)


def test_a_label_on_an_l_shaped_module_is_an_error():
    art = {"id": "l", "label": "简讯", "headline": "标题", "body": kit.copy(100),
           "place": [{"col": 2, "span": 1, "top": 0, "height": 10}, {"col": 1, "span": 2, "top": 10, "height": 10}]}
    with pytest.raises(InputError) as info:
        _page([art])
    assert info.value.field == "articles.0.label" and "rectangular" in info.value.message


def test_credit_format_follows_house_style():
    from pathlib import Path

    from layout.compose.blocks import caption_lines
    from layout.compose.env import Env
    from layout.model import Issue
    from layout.plan.types import PhotoPlan

    art = {"id": "p", "headline": "标题", "body": "正文。", "place": {"col": 1, "span": 2, "top": 0, "height": 20}}
    loaded = kit.issue([art])
    doc = loaded.issue.model_dump(mode="json", exclude_none=True)
    doc["type"]["credit_format"] = "（{}）"
    issue = Issue.model_validate(doc)
    plan = kit.plan(loaded)
    env = Env(issue=issue, grid=plan.grid, fontset=RoleFaces())
    photo = PhotoPlan(index=0, source="p.jpg", path=Path("p.jpg"), col=0, span=2, top=0, height=5, flex=0,
                      caption="市民在江边散步。", credit="记者/王一 摄", standin=False, field="x",
                      caption_font="黑", caption_size=8.0)
    lines = caption_lines(env, photo, 210.0)
    # The bracketed credit needs no separator; its own space is kept (display text, issue 13).
    assert "".join(ln.text for ln in lines) == "市民在江边散步。（记者/王一 摄）"
    assert lines[-1].glyphs[-1].font == "Test-kai"  # the credit in the byline role
    assert {g.size for ln in lines for g in ln.glyphs} == {8.0}
    doc["type"]["credit_format"] = "{credit}"
    with pytest.raises(Exception) as info:
        Issue.model_validate(doc)
    assert "exactly once" in str(info.value)
