"""Article modules on constructed pages: copy-fit counts, runaround, auto-fit, continuation,
overlaps, and headline blocks snapped to whole lines."""

from __future__ import annotations

import pytest
import yaml
from PIL import Image as PILImage

from layout import api
from layout.errors import InputError
from layout.frames import Image

HANZI = "政法工作现代化护航高质量发展大局平安株洲法治建设社会治理"


def text(chars: int, para: int = 130) -> str:
    """``chars`` hanzi in paragraphs of ``para`` characters, each ending in 。."""
    body = (HANZI * (chars // len(HANZI) + 1))[:chars]
    paras = [body[i:i + para - 1] + "。" for i in range(0, chars, para - 1)]
    return "\n\n".join(paras)


def describe(tmp_path, articles, **extra) -> api.LoadedIssue:
    doc = {"paper": "测试日报", "date": "2024-03-06", "page": 2, "section": "测试",
           "format": {"marks": False, "slug": False}, "articles": articles, **extra}
    path = tmp_path / "page.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return api.load_issue(path)


def fit_of(result, article_id):
    return next(f for f in result.fit if f.id == article_id)


def body_lines(result, article_id):
    """Body lines of every module of an article, module by module (a chain's modules in order)."""
    labels = [m.label for m in result.modules if m.article == article_id]
    groups = {g.id: g for g in result.page.root.items if getattr(g, "id", None) in labels}
    return [line for label in labels for line in groups[label].placed() if getattr(line, "kind", "") == "body"]


def test_copy_fit_counts_overset_exactly(tmp_path):
    # One column of 13 字 and 10 lines, head 3 lines (1 line of type + 2 of air): 7 body lines.
    # 130 characters in one paragraph: 11 after the 2-字 indent, then 9 × 13, then "X。" —
    # which the 孤字 rule turns into "XX。" — so 11 lines, 4 of them overset.
    loaded = describe(tmp_path, [{"id": "a", "headline": "标题", "body": text(130, 200),
                                  "head": {"size": 9, "air": 2}, "place": {"col": 1, "span": 1, "top": 0, "height": 10},
                                  "flex": 0}])  # pinned: page-level fit would grow it into the empty page
    result = api.layout(loaded)
    f = fit_of(result, "a")
    placed = "".join(line.text for line in body_lines(result, "a"))
    assert f.capacity_lines == 7 and f.used_lines == 7
    assert f.overset_lines == 4
    assert len(placed) == 11 + 6 * 13
    assert f.chars == 131 and f.overset_chars == f.chars - len(placed)
    assert result.overset


def test_underset_and_balance(tmp_path):
    # Two columns of 20 lines; 120 chars of text = 10 lines; balanced: 5 + 5 under a 3-line head.
    loaded = describe(tmp_path, [{"id": "a", "headline": "标题", "body": text(120, 200),
                                  "head": {"size": 9, "air": 2},
                                  "place": {"col": 1, "span": 2, "top": 0, "height": 20}}])
    result = api.layout(loaded)
    f = fit_of(result, "a")
    assert (f.overset_lines, f.capacity_lines, f.used_lines) == (0, 34, 10)
    assert f.underset_lines == 24
    xs = sorted({round(line.x) for line in body_lines(result, "a")})
    assert len(xs) == 2
    per_col = [sum(1 for line in body_lines(result, "a") if round(line.x) == x) for x in xs]
    assert per_col == [5, 5]


def _photo(tmp_path, name="p.jpg", size=(1600, 1200)):
    PILImage.new("RGB", size, (120, 140, 160)).save(tmp_path / name, quality=90)
    return name


def test_runaround_photo_and_caption(tmp_path):
    photo = _photo(tmp_path)
    loaded = describe(tmp_path, [{
        "id": "a", "headline": "标题", "body": text(600), "head": {"size": 9, "air": 2},
        "place": {"col": 1, "span": 3, "top": 0, "height": 40},
        "photos": [{"file": photo, "caption": "图片说明。", "credit": "记者摄",
                    "place": {"col": 1, "span": 2, "top": 3, "height": 10}}]}])
    result = api.layout(loaded)
    g = result.grid
    image = next(i for i in result.page.root.placed() if isinstance(i, Image))
    assert image.x == pytest.approx(g.col_x(0)) and image.w == pytest.approx(g.span_w(2))
    assert image.y == pytest.approx(g.line_top(3))
    assert image.h == pytest.approx(9 * g.pitch + g.em)
    caption = [line for line in result.page.root.lines() if line.kind == "caption"]
    assert caption and caption[0].text.startswith("图片说明。") and caption[0].text.endswith("记者摄")
    # Body text in the photo's columns resumes one blank line under the caption (lines 13, 14).
    lines_in_col1 = sorted(round(g.line_of(line.y - 0.88 * 9)) for line in body_lines(result, "a")
                           if abs(line.x - g.col_x(0)) < 0.5)
    assert 13 not in lines_in_col1 and 14 not in lines_in_col1 and 15 in lines_in_col1
    assert all(not (3 <= n < 15) for n in lines_in_col1)
    # The third column runs beside the photo from the head down.
    col3 = sorted(round(g.line_of(line.y - 0.88 * 9)) for line in body_lines(result, "a")
                  if abs(line.x - g.col_x(2)) < 0.5)
    assert col3[0] == 3


def test_auto_fit_grows_the_photo_and_reports_it(tmp_path):
    photo = _photo(tmp_path)
    art = {"id": "a", "headline": "标题", "body": text(300), "head": {"size": 9},
           "place": {"col": 1, "span": 2, "top": 0, "height": 40},
           "photos": [{"file": photo, "caption": "说明。", "place": {"col": 1, "span": 2, "top": 3, "height": 10},
                       "flex": 20}]}
    result = api.layout(describe(tmp_path, [art]))
    f = fit_of(result, "a")
    assert f.overset_lines == 0 and f.empty_tail <= 1
    assert any("photo p.jpg +" in a for a in f.adjustments)


def test_continuation_flows_into_a_second_module(tmp_path):
    art = {"id": "a", "headline": "标题", "body": text(400), "head": {"size": 9},
           "place": {"col": 1, "span": 1, "top": 0, "height": 10},
           "continue_in": [{"col": 3, "span": 2, "top": 0, "height": 30}]}
    result = api.layout(describe(tmp_path, [art]))
    f = fit_of(result, "a")
    assert f.overset_chars == 0
    lines = body_lines(result, "a")
    placed = "".join(line.text for line in lines)
    assert placed == text(400).replace("\n", "")
    xs = {round(line.x) for line in lines}
    g = result.grid
    assert round(g.col_x(2)) in xs and round(g.col_x(1)) not in xs


def test_overlapping_modules_are_named(tmp_path):
    arts = [{"id": "one", "headline": "标题", "body": "正文。", "place": {"col": 1, "span": 3, "top": 0, "height": 20}},
            {"id": "two", "headline": "标题", "body": "正文。", "place": {"col": 3, "span": 2, "top": 10, "height": 20}}]
    with pytest.raises(InputError) as info:
        api.layout(describe(tmp_path, arts))
    assert "'one'" in info.value.message and "'two'" in info.value.message
    assert info.value.hint


def test_module_off_the_grid(tmp_path):
    arts = [{"id": "wide", "headline": "标题", "body": "正文。", "place": {"col": 7, "span": 3, "top": 0, "height": 20}}]
    with pytest.raises(InputError) as info:
        api.layout(describe(tmp_path, arts))
    assert "8-column grid" in info.value.message
    assert info.value.field == "articles.0.place"


def test_head_block_is_whole_lines(tmp_path):
    art = {"id": "a", "headline": "以政法工作现代化护航高质量发展大局", "subtitle": "——2023年株洲政法工作综述",
           "body": text(200), "head": {"size": "小初", "subtitle_size": "小二"},
           "place": {"col": 1, "span": 6, "top": 0, "height": 30}}
    result = api.layout(describe(tmp_path, [art]))
    g = result.grid
    head = next(i for i in result.page.root.placed() if getattr(i, "kind", "") == "headline")
    # 36 + 0.4 × 18 + 18 = 61.2 pt of head on a 12 pt pitch: 6 whole lines + 1 of air (R9,
    # house air of issue 13); never padded to fill the module.
    assert head.h == pytest.approx(7 * g.pitch)
    first_body = min(line.y for line in body_lines(result, "a"))
    assert first_body == pytest.approx(g.line_top(7) + 0.88 * 9)
    rows = [line for line in head.items if line.kind == "head-main"]
    assert len(rows) == 1 and rows[0].x > g.col_x(0)  # centred over 6 columns


def test_hanging_indent_paragraph(tmp_path):
    body = "> 问：" + "政法" * 20 + "？\n\n> 答：" + "工作" * 20 + "。"
    loaded = describe(tmp_path, [{"id": "qa", "headline": "问答", "body": body, "head": {"size": 9},
                                  "place": {"col": 1, "span": 1, "top": 0, "height": 30}}])
    result = api.layout(loaded)
    lines = body_lines(result, "qa")
    g = result.grid
    first = [line for line in lines if line.text.startswith(("问", "答"))]
    assert len(first) == 2
    for line in first:  # first lines flush with the measure's left edge
        assert line.runs[0].x == pytest.approx(line.x)
    rest = [line for line in lines if line not in first]
    assert rest and all(line.runs[0].x == pytest.approx(line.x + 2 * g.em) for line in rest)


def test_unknown_font_role_names_its_field(tmp_path):
    art = {"id": "a", "headline": "标题", "body": "正文。", "head": {"font": "仿宋"},
           "place": {"col": 1, "span": 2, "top": 0, "height": 20}}
    with pytest.raises(InputError) as info:
        api.layout(describe(tmp_path, [art]))
    assert info.value.field == "articles.0.head.font"
    assert "仿宋" in info.value.message and info.value.line


def test_photo_height_auto_keeps_proportions(tmp_path):
    photo = _photo(tmp_path, size=(1600, 1200))  # 4:3
    art = {"id": "a", "headline": "标题", "body": text(300), "head": {"size": 9},
           "place": {"col": 1, "span": 3, "top": 0, "height": 60},
           "photos": [{"file": photo, "caption": "说明。", "place": {"col": 1, "span": 2, "top": 3}}]}
    result = api.layout(describe(tmp_path, [art]))
    g = result.grid
    image = next(i for i in result.page.root.placed() if isinstance(i, Image))
    lines = round((g.span_w(2) * 0.75 - g.em) / g.pitch) + 1
    assert image.h == pytest.approx((lines - 1) * g.pitch + g.em)
    assert abs(image.h / image.w - 0.75) < g.pitch / image.w


def test_head_taller_than_module_and_overlaps_are_reported(tmp_path):
    photo = _photo(tmp_path)
    art = {"id": "a", "headline": "这是一个非常非常长的主标题用于测试标题在窄栏中是否能够正确地折行显示",
           "body": text(100), "head": {"size": "小初"},
           "place": {"col": 1, "span": 1, "top": 0, "height": 20}, "flex": 0,
           "photos": [{"file": photo, "caption": "说明。", "place": {"col": 1, "span": 1, "top": 10, "height": 5}}]}
    result = api.layout(describe(tmp_path, [art]))
    assert any("headline block needs" in w and "the module has 20" in w for w in result.warnings)
    assert any("photo p.jpg overlaps the headline" in w for w in result.warnings)
    assert fit_of(result, "a").overset_chars > 0


def test_type_options_reach_the_composer(tmp_path):
    body = "“" + "政法" * 30 + "”，（" + "工作" * 30 + "）。"
    art = {"id": "a", "headline": "标题", "body": body, "head": {"size": 9},
           "place": {"col": 1, "span": 1, "top": 0, "height": 40}}
    plain = api.layout(describe(tmp_path, [art]))
    trimmed = api.layout(describe(tmp_path, [art], type={"trim_start_bracket": True, "breaker": "optimal"}))
    a = [line.text for line in body_lines(plain, "a")]
    b = [line.text for line in body_lines(trimmed, "a")]
    assert "".join(a) == "".join(b) == body
    opening = [line for line in body_lines(trimmed, "a") if line.text.startswith("（")]
    assert len(opening) == 1
    # A trimmed line-start bracket is drawn half an em left of the measure's edge; untrimmed,
    # its origin sits on the edge.
    assert opening[0].runs[0].x == pytest.approx(opening[0].x - 4.5)
    untrimmed = next(line for line in body_lines(plain, "a") if line.text.startswith("（"))
    assert untrimmed.runs[0].x == pytest.approx(untrimmed.x)


def test_loose_lines_are_reported(tmp_path):
    # Five hanzi, then a number too long to share their line (a number is never broken or
    # hyphenated): the first line is justified with gaps far wider than ½ em, and the page says so.
    body = "甲乙丙丁戊“1234567890123456789”是一个很长的数字。"
    art = {"id": "a", "headline": "标题", "body": body, "head": {"size": 9},
           "place": {"col": 1, "span": 1, "top": 0, "height": 20}}
    result = api.layout(describe(tmp_path, [art]))
    loose = [w for w in result.warnings if w.startswith("loose line in a:")]
    assert len(loose) == 1 and "甲乙丙丁戊" in loose[0]


def test_unbreakable_wider_than_the_measure_is_reported(tmp_path):
    # A 40-digit number cannot fit a 13-字 column even condensed: it is broken at the measure,
    # never drawn over the next column, and the page says so.
    body = "编号为" + "1234567890" * 4 + "的设备已经登记。"
    art = {"id": "a", "headline": "标题", "body": body, "head": {"size": 9},
           "place": {"col": 1, "span": 1, "top": 0, "height": 20}}
    result = api.layout(describe(tmp_path, [art]))
    notes = [w for w in result.warnings if w.startswith("in a: no permitted break")]
    assert len(notes) == 1


def test_page_one_has_no_running_head_by_default(tmp_path):
    art = [{"id": "a", "headline": "标题", "body": "正文。", "place": {"col": 1, "span": 2, "top": 0, "height": 10}}]
    kinds = lambda r: {getattr(i, "kind", "") for i in r.page.root.items}  # noqa: E731
    inside = api.layout(describe(tmp_path, art))
    assert "header" in kinds(inside)
    (tmp_path / "one").mkdir()
    front = api.layout(describe(tmp_path / "one", art, page=1))
    assert "header" not in kinds(front)
    (tmp_path / "forced").mkdir()
    forced = api.layout(describe(tmp_path / "forced", art, page=1, header={"show": True}))
    assert "header" in kinds(forced)
