"""Body markup: inline runs, line breaks, source lines, escapes, and unknown markup reported
with its file and line (never printed literally)."""

from __future__ import annotations

import pytest
import yaml

from layout import api
from layout.errors import InputError
from layout.markup import MarkupError, inline_runs
from layout.model import parse_body


def test_bold_run_in_and_role_span_become_runs():
    runs = inline_runs("**本报讯** 昨日，{楷:市民}说：“好。”")
    assert runs == (("bold", "本报讯"), ("", " 昨日，"), ("楷", "市民"), ("", "说：“好。”"))


def test_emphasis_dots_span():
    assert inline_runs("这是{着重:重点}。") == (("", "这是"), ("着重", "重点"), ("", "。"))


def test_a_dash_inside_a_line_or_escaped_is_text():
    assert [b.text for b in parse_body("甲 - 乙\n\n\\- 不是列表")] == ["甲 - 乙", "- 不是列表"]


def test_full_width_colon_and_escapes():
    assert inline_runs("{黑：要点}") == (("黑", "要点"),)
    assert inline_runs(r"5\*3 \{x\} a\\b") == (("", "5*3 {x} a\\b"),)


def test_line_break_splits_a_paragraph_without_indent():
    blocks = parse_body("第一行\\\n第二行\n接着写。\n\n下一段。")
    assert [(b.text, b.cont, b.line) for b in blocks] == [
        ("第一行", False, 1),
        ("第二行\n接着写。", True, 2),
        ("下一段。", False, 5),
    ]


def test_source_line_and_hanging_indent():
    blocks = parse_body("正文。\n\n>> （据市交通运输局）\n\n> 问：几点开始？")
    assert [(b.text, b.align, b.hanging) for b in blocks] == [
        ("正文。", "justify", False),
        ("（据市交通运输局）", "end", False),
        ("问：几点开始？", "justify", True),
    ]


def test_subhead_with_bold_markup_keeps_plain_text():
    (block,) = parse_body("## 一 **运输**成本下降")
    assert (block.kind, block.number, block.text) == ("subhead", "一", "运输成本下降")


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("第一段。\n\n第二段 *斜体*。", 3, "single '*'"),
        ("**没有关上", 1, "not closed"),
        ("甲\n乙{红:字}", 2, "font role '红'"),
        ("a\\q", 1, "backslash before 'q'"),
        ("<b>粗</b>", 1, "HTML tag"),
        ("#### 四级", 1, "heading level 4"),
        ("代码`x`", 1, "backtick"),
        ("见[这里](http://x)", 1, "link"),
        ("__强调__", 1, "'__'"),
        ("多了}", 1, "closes no span"),
        ("{楷 没有冒号}", 1, "opens no"),
        ("要点如下：\n- 列表项一\n- 列表项二", 2, "list item"),
        ("第一段。\n\n+ 加号列表", 3, "list item"),
    ],
)
def test_unknown_markup_names_its_line(text, line, words):
    with pytest.raises(MarkupError) as info:
        parse_body(text)
    assert info.value.line == line
    assert words in info.value.message
    assert info.value.hint


def _describe(tmp_path, article, files=None):
    for name, text in (files or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    doc = {
        "paper": "测试日报",
        "date": "2024-03-06",
        "page": 2,
        "format": {"marks": False, "slug": False},
        "articles": [article],
    }
    path = tmp_path / "page.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_unknown_markup_in_a_body_file_is_located_in_that_file(tmp_path):
    path = _describe(
        tmp_path,
        {
            "id": "a",
            "headline": "标题",
            "body_file": "a.md",
            "place": {"col": 1, "span": 2, "top": 0, "height": 20},
        },
        {"a.md": "第一段。\n\n第二段。\n第三行有 *星号*。\n"},
    )
    with pytest.raises(InputError) as info:
        api.load_issue(path)
    err = info.value
    assert err.file == str(tmp_path / "a.md") and err.line == 4
    assert err.field == "articles.0.body_file" and "single '*'" in err.message
    assert str(err).startswith(f"{tmp_path / 'a.md'}:4:")


def test_unknown_markup_in_an_inline_body_is_located_in_the_description(tmp_path):
    path = _describe(
        tmp_path,
        {
            "id": "a",
            "headline": "标题",
            "body": "第一段。\n\n第二段`代码`。\n",
            "place": {"col": 1, "span": 2, "top": 0, "height": 20},
        },
    )
    text = path.read_text(encoding="utf-8").splitlines()
    body_line = next(i for i, t in enumerate(text, 1) if t.strip().startswith("body:"))
    with pytest.raises(InputError) as info:
        api.load_issue(path)
    assert info.value.file == str(path) and info.value.field == "articles.0.body"
    assert info.value.line == body_line + 3 and "backtick" in info.value.message


def test_unknown_markup_in_a_brief_item_is_located(tmp_path):
    path = _describe(
        tmp_path,
        {
            "id": "b",
            "kind": "briefs",
            "label": "简讯",
            "items": [{"title": "一", "text": "好"}, {"title": "二", "text": "<i>坏</i>"}],
            "place": {"col": 1, "span": 2, "top": 0, "height": 20},
        },
    )
    with pytest.raises(InputError) as info:
        api.load_issue(path)
    assert info.value.field == "articles.0.items.1.text" and "HTML tag" in info.value.message
