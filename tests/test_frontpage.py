"""The demonstration front page (青岚晚报 2025-04-08, page 1) end to end with the bundled
fonts: every element where it was placed, in its face and size; the PDF keeps every
character in its text layer, the logo as vector paths, and passes preflight (K-only text
that overprints, a K-only tint, inks within the limit)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pikepdf
import pytest
import yaml

from layout import api
from layout.errors import InputError
from layout.frames import Fill, Group, Image, Rule, TextLine
from layout.frames import Path as VectorPath
from layout.pdf.preflight import preflight

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "issues" / "qinglan-evening" / "2025-04-08" / "page01.yaml"


@pytest.fixture(scope="module")
def front():
    result = api.layout(api.load_issue(PAGE))
    return result, api.render_pdf_bytes(result)


def _group(result, ident):
    return next(g for g in result.page.root.items if isinstance(g, Group) and g.id == ident)


def _lines(group, kind):
    return [i for i in group.placed() if isinstance(i, TextLine) and i.kind == kind]


def _face(result, role):
    from layout.fonts import FontSet

    return FontSet({}, []).face(role).key


def test_renders_clean(front):
    result, pdf = front
    assert result.warnings == ()
    assert not result.overset and all(f.overset_chars == 0 for f in result.fit)
    report = preflight(pdf, ink_limit=240.0, require_pdfx=True)
    assert report.ok, report.table_rows()


def test_nameplate_logo_stays_vector(front):
    result, pdf = front
    g = result.grid
    plate = _group(result, "nameplate")
    assert (plate.x, plate.y) == (g.col_x(0), g.line_top(0))
    paths = [i for i in plate.items if isinstance(i, VectorPath)]
    # The logo: the red seal, its knocked-out character and the four characters of the name.
    assert len(paths) == 6
    assert paths[0].fill == (0.0, 0.89, 0.855, 0.2157) and paths[1].fill == (0.0, 0.0, 0.0, 0.0)
    assert {p.fill for p in paths[2:]} == {(0.0, 0.0, 0.0, 1.0)}
    # Scaled to the width of the name area (3 of the 4 columns; the logo is 5 : 1), flush left,
    # centred in the block's depth (10 lines: 9 × 12 + 9 pt).
    depth = g.line_bottom(9) - g.line_top(0)
    seal = [op for op in paths[0].ops if op[0] in "MLC"]
    xs = [v + p.x for p in paths for op in p.ops for v in op[1::2]]
    ys = [v + paths[0].y for op in seal for v in op[2::2]]
    assert min(xs) == pytest.approx(0.0, abs=1e-6) and max(xs) <= g.span_w(3) + 1e-6
    assert max(xs) == pytest.approx(
        g.span_w(3), abs=2.0
    )  # the name's last glyph nearly reaches the edge
    assert (min(ys) + max(ys)) / 2 == pytest.approx(depth / 2, abs=0.01)
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        page = doc.pages[0]
        images = [k for k, v in page.resources.XObject.items() if v.Subtype == "/Image"]
        assert len(images) == 1  # the photo only: the logo is not rasterised
        ops = [
            (str(op), [float(x) for x in args])
            for args, op in pikepdf.parse_content_stream(page)
            if str(op) in ("k", "f", "f*")
        ]
    red = [
        i
        for i, (op, args) in enumerate(ops)
        if op == "k" and args == pytest.approx([0, 0.89, 0.855, 0.2157])
    ]
    assert red and ops[red[0] + 1][0] in ("f", "f*")


def test_nameplate_issue_data(front):
    result, _pdf = front
    info = [t.text for t in _lines(_group(result, "nameplate"), "nameplate-info")]
    assert info == [
        "国内统一连续出版物号",
        "CN 36-0088",
        "邮发代号",
        "43-27",
        "第9126期",
        "2025年4月8日",
        "星期二",
        "农历乙巳年三月十一",
        "今日16版",
        "多云转晴 14～23℃",
        "www.qlwb.example.cn",
    ]


def test_ear_is_boxed_beside_the_nameplate(front):
    result, _pdf = front
    g = result.grid
    ear = _group(result, "ear")
    assert (ear.x, ear.y) == (g.col_x(4), g.line_top(0))
    widths = sorted({r.width for r in ear.items if isinstance(r, Rule)})
    assert widths == [0.5, 1.5]  # thick-thin (文武线)
    body = _lines(ear, "body")
    assert body and all(
        b.x >= ear.x + 9.0 - 1e-6 and b.x + b.width <= ear.x + ear.w - 9.0 + 1e-6 for b in body
    )


def test_lead_bold_run_ins_and_source_line(front):
    result, _pdf = front
    lead = _group(result, "lead")
    body = _lines(lead, "body")
    assert body[0].runs[0].text == "本报讯" and body[0].runs[0].font == _face(result, "黑")
    assert body[0].runs[1].font == _face(result, "宋")
    bold = [r.text for b in body for r in b.runs if r.font == _face(result, "黑")]
    assert "".join(bold) == "本报讯力争年内集装箱吞吐量突破百万标准箱"
    dotted = [(ln, m) for ln in body for m in ln.marks]
    assert len(dotted) == 7  # 一张单子跑到底, one dot under each character
    assert all(m[1] > ln.y and m[1] < ln.y + result.grid.pitch - 0.88 * 9.0 for ln, m in dotted)
    source = body[-1]
    assert source.text == "（据市交通运输局）"
    # Flush right: the last glyph's box ends on the column's right edge.
    run = source.runs[-1]
    assert run.x + 9 * 9.0 - 0.5 * 9.0 == pytest.approx(source.x + source.width, abs=0.05)


def test_photo_news_has_a_photo_and_a_caption_and_no_story(front):
    result, _pdf = front
    g = result.grid
    news = _group(result, "photo-news")
    assert _lines(news, "body") == []
    (photo,) = [i for i in news.placed() if isinstance(i, Image)]
    # Four lines under the module's top (wherever page-level fit has moved it).
    top = next(m for m in result.modules if m.label == "photo-news").region.bbox.top
    assert (photo.x, photo.y, photo.w) == (g.col_x(4), g.line_top(top + 4), g.span_w(2))
    captions = _lines(news, "caption")
    assert {c.size for c in captions} == {7.5} and captions[0].runs[0].font == _face(result, "黑")
    assert captions[0].y > photo.y + photo.h
    text = "".join(c.text for c in captions)
    # The credit after the house gap, its own space kept as a clause gap (issue 13).
    assert text.startswith("4月7日，改造后的滨江路正式通车。") and text.endswith("去处。\u3000记者/王一帆\u3000摄")


def test_index_lists_titles_and_page_references(front):
    result, _pdf = front
    index = _group(result, "index")
    refs = _lines(index, "index-page")
    assert [r.text for r in refs] == ["第3版", "第5版", "第7版", "第12版"]
    titles = _lines(index, "index")
    assert [t.text[0] for t in titles] == ["▶"] * 4 and [t.y for t in titles] == [r.y for r in refs]
    assert any(isinstance(i, Fill) for i in index.items)  # the 导读 tag


def test_commentary_is_boxed_in_kai_on_a_k_tint(front):
    result, _pdf = front
    g = result.grid
    comment = _group(result, "comment")
    tint = comment.items[0]
    assert isinstance(tint, Fill) and tint.color == (0.0, 0.0, 0.0, 0.1)
    lines = next(m for m in result.modules if m.label == "comment").region.bbox.height
    assert (tint.w, tint.h) == (g.span_w(2), g.line_bottom(lines - 1) - g.line_top(0))
    body = _lines(comment, "body")
    assert {r.font for b in body for r in b.runs} == {_face(result, "楷")}
    # 五号 (10.5 pt) in a 21-字 (189 pt) inset column: 18 characters of 10.5 pt.
    assert {(b.size, b.width) for b in body} == {(10.5, 189.0)}
    (tag,) = _lines(comment, "label")
    assert tag.text == "今日谈" and tag.runs[0].color == (0.0, 0.0, 0.0, 0.0)


def test_briefs_items_open_with_a_mark_and_a_bold_title(front):
    result, _pdf = front
    briefs = _group(result, "briefs")
    body = _lines(briefs, "body")
    firsts = [b for b in body if b.text.startswith("■")]
    assert len(firsts) == 8
    # Each item opens with the mark and its title in 黑, then its text in 宋.
    assert all(
        b.runs[0].text.startswith("■") and b.runs[0].font == _face(result, "黑") for b in firsts
    )
    assert "".join(b.text for b in body).startswith("■首批共享电单车投放\u3000昨日起，800辆共享电单车")
    xs = sorted({b.x for b in body})
    assert len(xs) == 4  # the group flows through the module's four columns


def test_text_layer_keeps_every_character(front):
    import pypdfium2 as pdfium

    result, pdf = front
    doc = pdfium.PdfDocument(pdf)
    try:
        extracted = doc[0].get_textpage().get_text_range()
    finally:
        doc.close()
    want = Counter(ch for line in result.page.root.lines() for ch in line.text if not ch.isspace())
    got = Counter(ch for ch in extracted if not ch.isspace())
    missing = want - got
    assert not missing, missing


def _describe(tmp_path, doc_extra, files=None):
    for name, data in (files or {}).items():
        (tmp_path / name).write_bytes(data)
    doc = {
        "paper": "测试晚报",
        "date": "2025-04-08",
        "page": 1,
        "format": {"preset": "tabloid", "marks": False},
        "articles": [
            {
                "id": "a",
                "headline": "标题",
                "body": "正文。",
                "place": {"col": 1, "span": 6, "top": 12, "height": 20},
            }
        ],
        **doc_extra,
    }
    path = tmp_path / "page.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_logo_with_text_is_a_located_error(tmp_path):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text y="9">X</text></svg>'
    )
    path = _describe(
        tmp_path,
        {"nameplate": {"logo": "logo.svg", "place": {"col": 1, "span": 4, "top": 0, "height": 10}}},
        {"logo.svg": svg},
    )
    with pytest.raises(InputError) as info:
        api.layout(api.load_issue(path))
    assert info.value.field == "nameplate.logo" and "contains text" in info.value.message
    logo_line = next(
        i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "logo:" in t
    )
    assert info.value.line == logo_line and "outlines" in info.value.hint


def test_a_raster_logo_is_refused(tmp_path):
    path = _describe(
        tmp_path,
        {"nameplate": {"logo": "logo.png", "place": {"col": 1, "span": 4, "top": 0, "height": 10}}},
        {"logo.png": b"x"},
    )
    with pytest.raises(InputError) as info:
        api.layout(api.load_issue(path))
    assert info.value.field == "nameplate.logo" and "not vector art" in info.value.message


def test_a_photo_only_article_without_a_caption_is_a_located_error(tmp_path):
    (tmp_path / "p.jpg").write_bytes(
        (
            ROOT
            / "issues"
            / "qinglan-evening"
            / "2025-04-08"
            / "photos"
            / "standin-binjiang-road.jpg"
        ).read_bytes()
    )
    path = _describe(tmp_path, {})
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["articles"].append(
        {
            "id": "p",
            "headline": "图片新闻",
            "place": {"col": 1, "span": 2, "top": 40, "height": 20},
            "photos": [
                {
                    "file": "p.jpg",
                    "caption": "有说明。",
                    "place": {"col": 1, "span": 2, "top": 3, "height": 8},
                },
                {"file": "p.jpg", "place": {"col": 1, "span": 2, "top": 12, "height": 6}},
            ],
        }
    )
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    with pytest.raises(InputError) as info:
        api.load_issue(path)
    err = info.value
    assert err.field == "articles.1.photos.1.caption" and "图片新闻" in err.message
    assert lines[err.line - 1].strip() == "- file: p.jpg" and err.line > 20


def test_a_boxed_article_needs_a_fixed_height(tmp_path):
    path = _describe(tmp_path, {})
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["articles"][0]["box"] = {"rule": "dotted"}
    doc["articles"][0]["place"] = {"col": 1, "span": 2, "top": 12}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as info:
        api.layout(api.load_issue(path))
    assert info.value.field == "articles.0.place.height" and "fixed height" in info.value.message


def test_a_tint_above_the_limit_is_refused(tmp_path):
    path = _describe(tmp_path, {})
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["articles"][0]["box"] = {"tint": 40}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as info:
        api.load_issue(path)
    assert info.value.field == "articles.0.box.tint" and "30" in info.value.message


CHART = b"""<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <rect x="10" y="40" width="30" height="60" fill="#000000"/>
  <rect x="60" y="20" width="30" height="80" fill="#808080"/>
  <rect x="110" y="0" width="30" height="100" fill="#000000"/>
</svg>"""


def test_a_standalone_vector_chart_anywhere_on_the_grid(tmp_path):
    path = _describe(tmp_path, {}, {"chart.svg": CHART})
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["articles"].append(
        {
            "id": "chart",
            "place": {"col": 4, "span": 3, "top": 40, "height": 14},
            "photos": [
                {
                    "file": "chart.svg",
                    "caption": "一季度各区外贸进出口额（亿元）。",
                    "credit": "制图/本报",
                    "place": {"col": 1, "span": 3, "top": 0},
                }
            ],
        }
    )
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = api.layout(api.load_issue(path))
    g = result.grid
    chart = _group(result, "chart")
    assert all(
        not isinstance(i, Group) or i.kind != "headline" for i in chart.items
    )  # no head: no headline
    photo = next(i for i in chart.placed() if isinstance(i, Group) and i.kind == "photo")
    bars = [i for i in photo.items if isinstance(i, VectorPath)]
    assert len(bars) == 3 and not [i for i in photo.items if isinstance(i, Image)]
    # 2 : 1 art in a 3-column box: height auto keeps its proportions in whole lines (13: a little
    # shallower than the art), so the art is scaled to the box's depth and centred across it.
    w = g.span_w(3)
    lines = round((w * 0.5 - g.em) / g.pitch) + 1
    h = (lines - 1) * g.pitch + g.em
    s = min(w / 200, h / 100)
    ox = (w - 200 * s) / 2  # the bars are in the photo group's own coordinates
    xs = [op[1] + b.x for b in bars for op in b.ops if op[0] in "ML"]
    assert (lines, s) == (13, h / 100)
    assert min(xs) == pytest.approx(ox + 10 * s) and max(xs) == pytest.approx(ox + 140 * s)
    assert bars[1].fill == (0.0, 0.0, 0.0, round(1 - 128 / 255, 4))
    captions = _lines(chart, "caption")
    assert len(captions) == 1 and photo.h == pytest.approx(
        h + g.pitch
    )  # the image and its caption line
    assert "".join(c.text for c in captions) == "一季度各区外贸进出口额（亿元）。\u3000制图/本报"
    pdf = api.render_pdf_bytes(result)
    assert preflight(pdf, ink_limit=240.0, require_pdfx=True).ok


def test_watch_follows_the_logo_and_the_body_files():
    from layout.watch import referenced_files

    names = {p.name for p in referenced_files(PAGE)}
    assert {"page01.yaml", "logo.svg", "lead.md", "comment.md", "market.md",
            "standin-binjiang-road.jpg"} <= names
