"""Heads and display text on whole pages: per-run font fallback in every text the page draws,
caption credits, the header date's gap, balanced subheads, and a segmenter loaded only when a
head needs it (page 05 never does)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from PIL import Image as PILImage
from test_fonts import build_tiny_font

from layout import api

ROOT = Path(__file__).resolve().parents[2]
PAGE05 = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"


@pytest.fixture(autouse=True)
def _keep_reportlab_config():
    """The PDF writer sets ReportLab's process-wide ``rl_config`` (useA85, invariant); put it back
    so later tests that draw with ReportLab directly see its defaults."""
    from reportlab import rl_config

    saved = (rl_config.useA85, rl_config.invariant)
    yield
    rl_config.useA85, rl_config.invariant = saved


RARE = "龘"  # U+9F98: in no bundled face (a BMP character: see test_fonts for Ext. B coverage)


def write(tmp_path, articles, **extra) -> Path:
    doc = {
        "paper": "测试日报",
        "date": "2024-03-06",
        "page": 2,
        "section": "测试",
        "format": {"marks": False, "slug": False},
        "articles": articles,
        **extra,
    }
    path = tmp_path / "page.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_fallback_glyphs_reach_the_text_layer_in_every_text_the_page_draws(tmp_path):
    build_tiny_font(tmp_path / "rare.ttf", "TinyRare-Regular", {RARE: 1000})
    PILImage.new("RGB", (1200, 900), (120, 140, 160)).save(tmp_path / "p.jpg", quality=90)
    r = RARE
    art = {
        "id": "a",
        "kicker": f"引题{r}",
        "headline": f"标题{r}测试",
        "subtitle": f"副题{r}",
        "byline": [f"记者/{r}一"],
        "dateline": f"本报{r}讯",
        "head": {"size": 26},
        "body": f"正文{r}第一段。\n\n## 小标题{r}\n\n正文第二段。",
        "place": {"col": 1, "span": 4, "top": 0, "height": 60},
        "photos": [
            {
                "file": "p.jpg",
                "caption": f"图说{r}。",
                "credit": f"{r}摄",
                "place": {"col": 1, "span": 2, "top": 20, "height": 12},
            }
        ],
        "sidebar": {
            "label": f"手记{r}",
            "title": f"边栏{r}标题",
            "body": f"边栏{r}正文。",
            "place": {"col": 3, "span": 2, "top": 20, "height": "auto"},
        },
    }
    path = write(
        tmp_path,
        [art],
        paper=f"{r}城日报",
        section=f"政法{r}",
        header={"credits": [{"role": "责任编辑", "name": f"{r}编"}]},
        masthead={
            "title": f"法{r}周刊",
            "sponsors": [f"{r}委员会"],
            "show_credits": False,
            "place": {"col": 7, "span": 2, "top": 0},
        },
        type={"fallbacks": [{"file": "rare.ttf"}]},
    )
    result = api.render(path, tmp_path / "out.pdf")
    text = pdfium.PdfDocument(result.path)[0].get_textpage().get_text_range()
    # paper, section, credit, masthead title and sponsor; kicker, head, subtitle; byline,
    # dateline, body, subhead; caption, credit; sidebar label, title and text.
    assert text.count(RARE) == 17
    for piece in (
        f"{r}城日报",
        f"政法{r}",
        f"{r}编",
        f"{r}委员会",
        f"引题{r}",
        f"标题{r}测试",
        f"副题{r}",
        f"图说{r}。",
        f"{r}摄",
        f"手记{r}",
        f"边栏{r}标题",
    ):
        assert piece in re.sub(r"\s", "", text), piece
    # Each is drawn in the fallback face, not as the role's empty box.
    runs = [
        run for line in result.layout.page.root.lines() for run in line.runs if RARE in run.text
    ]
    assert len(runs) == 17 and all(run.font.startswith("TinyRare") for run in runs)


def test_caption_credit_runs_on_after_the_house_gap_in_its_own_role(tmp_path):
    PILImage.new("RGB", (1200, 900), (120, 140, 160)).save(tmp_path / "p.jpg", quality=90)
    photos = [
        {
            "file": "p.jpg",
            "caption": "市民在公园植树。",
            "credit": "新华社发",
            "place": {"col": 1, "span": 2, "top": 6, "height": 12},
        },
        {
            "file": "p.jpg",
            "caption": "市民在公园里参加义务植树活动，现场气氛热烈，大家干劲十足。",
            "credit": "本报记者 陈思远 摄",
            "place": {"col": 1, "span": 1, "top": 30, "height": 8},
        },
    ]
    art = {
        "id": "a",
        "headline": "标题",
        "body": "正文。",
        "head": {"size": 18},
        "photos": photos,
        "place": {"col": 1, "span": 2, "top": 0, "height": 50},
    }
    layout = api.layout(api.load_issue(write(tmp_path, [art], type={"credit_font": "黑"})))
    faces = layout.faces
    captions = [line for line in layout.page.root.lines() if line.kind == "caption"]
    first = captions[0]
    assert first.text == "市民在公园植树。\u3000新华社发"
    credit_runs = [r for r in first.runs if "新华社发" in r.text]
    assert credit_runs and faces[credit_runs[0].font].key.startswith("PaibanSansSC")  # 黑, not 楷
    # One em of gap after the caption's last mark (set ½ em wide at the end of the caption).
    glyphs = _glyph_boxes(first, faces)
    period = next(g for g in glyphs if g[0] == "。")
    xin = next(g for g in glyphs if g[0] == "新")
    assert xin[1] - period[1] == pytest.approx(0.5 * 7.5 + 7.5, abs=0.01)
    # A credit that does not fit the last line goes on a line of its own, flush right.
    second = [line for line in captions if line.y > first.y + 50]
    last = second[-1]
    assert last.text == "本报记者\u3000陈思远\u3000摄"
    grid = layout.grid
    assert last.x + last.ink == pytest.approx(grid.col_x(0) + grid.col_w, abs=0.01)


def _glyph_boxes(line, faces):
    """(char, x) of every glyph of a text line, from its runs (origin + advance + Tc)."""
    out = []
    for run in line.runs:
        x = run.x
        for ch in run.text:
            out.append((ch, x))
            x += faces[run.font].advance(ch) * run.size * run.h_scale / 100.0 + run.char_space
    return out


def test_header_date_gap_is_a_house_setting(tmp_path):
    art = [
        {
            "id": "a",
            "headline": "标题",
            "body": "正文。",
            "place": {"col": 1, "span": 2, "top": 0, "height": 10},
        }
    ]

    def date_ink(extra):
        layout = api.layout(api.load_issue(write(tmp_path, art, **extra)))
        date = next(line for line in layout.page.root.lines() if line.kind == "header-info")
        assert date.text == "2024年3月6日"
        return date.ink

    # Five Han–digit boundaries (2024|年|3|月|6|日), each ¼ em of 9 pt by default, none at 0.
    assert date_ink({}) - date_ink({"type": {"date_gap": 0}}) == pytest.approx(
        5 * 0.25 * 9.0, abs=0.01
    )


def test_subheads_break_between_words_in_balanced_rows(tmp_path):
    body = (
        "正文第一段。\n\n## 西文使用比例字体时的混排处理\n\n## 一 客流预计逐步攀升\n\n正文第二段。"
    )
    art = {
        "id": "a",
        "headline": "标题",
        "body": body,
        "place": {"col": 1, "span": 1, "top": 0, "height": 40},
    }
    layout = api.layout(api.load_issue(write(tmp_path, [art])))
    subs = [line.text for line in layout.page.root.lines() if line.kind == "subhead"]
    assert subs == ["西文使用比例", "字体时的混排处理", "一\u3000客流预计逐步攀升"]


def test_page05_loads_no_segmenter_and_its_brief_is_not_padded():
    """Whole-process: page 05's heads fit or break at clause spaces, so the segmenter (≈ 60 ms)
    is never imported; the brief's head block is its natural depth plus one line."""
    code = (
        "import sys; from layout import api; from layout.text import display as D\n"
        f"res = api.layout(api.load_issue({str(PAGE05)!r}))\n"
        "g = res.grid\n"
        "h = next(i for i in res.page.root.placed() if getattr(i, 'kind', '') == 'headline' "
        "and i.id == 'judicial-meeting')\n"
        "print(D.segmenter_loaded(), 'rjieba' in sys.modules, round(h.h / g.pitch))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    # 一号 (26 pt) on a 12 pt pitch: 3 lines + 1 of air; it used to take 3 + 7 padded lines.
    assert out.stdout.split() == ["False", "False", "4"]
