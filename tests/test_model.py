"""The issue model and loader: page 05 loads, its text matches the source page, and bad
descriptions give one clear message with file, line and field path (exit 2, no traceback)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from layout.errors import InputError
from layout.model import load_issue, parse_body

ROOT = Path(__file__).resolve().parent.parent
PAGE05 = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"
SEED = ROOT / "tests" / "data" / "seed-zhuzhou-2024-03-06-p05.txt"


def _all_text(loaded) -> str:
    issue = loaded.issue
    parts = [issue.paper, issue.section, issue.derived_weekday, f"{issue.date.month}月{issue.date.day}日"]
    parts += [f"{c.role}：{c.name}" for c in issue.header.credits]
    if issue.masthead:
        parts += [issue.masthead.title, *issue.masthead.sponsors, issue.masthead.sponsor_label]
    for a in issue.articles:
        parts += [a.kicker, a.headline, a.subtitle, *a.byline, a.dateline]
        for b in parse_body(loaded.bodies[a.id]):
            parts.append(b.number + b.text)
        for p in a.photos:
            parts += [p.caption, p.credit]
        if a.sidebar:
            parts += [a.sidebar.label, a.sidebar.title, loaded.sidebars[a.id]]
    return "".join(parts)


def test_page05_loads_with_derived_weekday():
    loaded = load_issue(PAGE05)
    assert loaded.issue.derived_weekday == "星期三"
    assert [a.id for a in loaded.issue.articles] == ["lead", "rescue", "judicial-meeting", "students"]
    subheads = [b for b in parse_body(loaded.bodies["lead"]) if b.kind == "subhead"]
    assert [b.number for b in subheads] == ["1", "2", "3"]


def test_page05_carries_the_source_text():
    """At least 99 % of the source page's characters (as a multiset) are in the description."""
    source = Counter(re.sub(r"\s", "", SEED.read_text(encoding="utf-8")))
    # "05" is the page number, written as the number 5 in the description.
    ours = Counter(re.sub(r"\s", "", _all_text(load_issue(PAGE05)))) + Counter("05")
    kept = sum(min(n, ours[ch]) for ch, n in source.items())
    assert kept / sum(source.values()) >= 0.99, kept / sum(source.values())


def test_column_break_artefacts_are_joined():
    loaded = load_issue(PAGE05)
    body = "".join(loaded.bodies.values()) + "".join(loaded.sidebars.values())
    for joined in ("专业化水平", "是实施", "锻炼他们的社会实践能力", "化矛盾主责"):
        assert joined in body


def test_parse_body_blocks():
    blocks = parse_body("第一段\n续行。\n\n## 2 小标题 两半\n\n### 插题\n\n末段。")
    assert [(b.kind, b.number, b.text) for b in blocks] == [
        ("para", "", "第一段\n续行。"), ("subhead", "2", "小标题 两半"), ("subhead2", "", "插题"),
        ("para", "", "末段。")]


MINIMAL = """paper: 测试报
date: 2024-03-06
page: 5
articles:
  - id: a
    headline: 标题
    body: 正文。
    place: {col: 1, span: 2}
"""


@pytest.mark.parametrize("edit, line, field, words", [
    (("page: 5", "page: five"), 3, "page", "integer"),
    (("    body: 正文。", "    body: 正文。\n    colour: red"), 8, "articles.0.colour", "unknown field"),
    (("date: 2024-03-06", "date: 2024-02-30"), 2, "date", "date"),
    (("date: 2024-03-06", "date: 2024-03-06\nweekday: 星期一"), None, None, "星期三"),
    (("{col: 1, span: 2}", "{col: 0, span: 2}"), 8, "articles.0.place.col", "greater"),
])
def test_errors_name_file_line_field(tmp_path, edit, line, field, words):
    p = tmp_path / "bad.yaml"
    p.write_text(MINIMAL.replace(*edit), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_issue(p)
    err = info.value
    assert err.file == str(p)
    if line is not None:
        assert err.line == line
    if field is not None:
        assert err.field == field
    assert words in err.message
    assert err.hint


@pytest.mark.parametrize("text, words", [
    ("paper: [x\n", "YAML syntax error"),
    ("", "empty"),
    ("- a\n- b\n", "top level must be a mapping"),
    ("a: &a [1,2]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
     "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n", "YAML nodes"),
])
def test_bad_yaml(tmp_path, text, words):
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_issue(p)
    assert words in info.value.message


@pytest.mark.parametrize("edit, expect", [
    (("page: 5", "page: five"), ":3: page:"),
    (("    body: 正文。", "    body: 正文。\n    colour: red"), ":8: articles.0.colour: unknown field 'colour'"),
    (("date: 2024-03-06", "date: [2024"), ":3: YAML syntax error"),
])
def test_cli_one_line_error_exit_2(tmp_path, edit, expect):
    p = tmp_path / "bad.yaml"
    p.write_text(MINIMAL.replace(*edit), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "layout.cli", "validate", str(p)], capture_output=True,
                         text=True, cwd=tmp_path)
    assert run.returncode == 2
    first = run.stderr.splitlines()[0]
    assert first.startswith("error: ") and str(p) in first and expect in first, run.stderr
    assert "Traceback" not in run.stderr
