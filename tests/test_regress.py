"""Regression: the layout snapshot, its structural diff, baselines, `paiban check`, and the page-05
goldens (tests/goldens/, rewritten by ``pytest --update-goldens``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image as PILImage
from typer.testing import CliRunner

from layout import api, regress
from layout.cli import app
from layout.compose.grid import Grid
from layout.compose.page import FitEntry, LayoutResult, PlacedModule
from layout.frames import Box, Fill, GlyphRun, Group, Page, Rule, TextLine
from layout.plan import GridRect, Region

ROOT = Path(__file__).resolve().parent.parent
PAGE05_DIR = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06"
PAGE05 = PAGE05_DIR / "page05.yaml"
GOLDENS = Path(__file__).resolve().parent / "goldens"
FAILURES = Path(__file__).resolve().parent / "_failures"
GOLDEN_SNAPSHOT = GOLDENS / "page05.snapshot.txt"
GOLDEN_PNG = GOLDENS / "page05.png"
GOLDEN_DPI = 20
GOLDEN_TOLERANCE = regress.Tolerance(threshold=48, max_fraction=0.001)
"""The small PNG golden may differ by anti-aliasing between pdfium builds, not by a moved block."""

EDIT = ("十分危险", "非分危险")
"""A one-character edit in the body of article rescue (快速路上的暖心救护)."""


# ---------------------------------------------------------------- hand-made frames


def _grid() -> Grid:
    return Grid(trim_w=300, trim_h=400, area_x=20, area_y=30, columns=3, chars=8, gutter_chars=1, em=9,
                pitch=12, lines=28, bleed=8.5)


def _result(body: tuple[str, ...] = ("第一行文字", "第二行文字"), *, y0: float = 60.0) -> LayoutResult:
    g = _grid()
    lines = tuple(TextLine(20, y0 + 12 * i, 72, 45, text, (GlyphRun(20, y0 + 12 * i, text, "F", 9.0),),
                           last=i == len(body) - 1)
                  for i, text in enumerate(body))
    head = Group.around("headline", "rescue", 20, 30, 153, 20,
                 (TextLine(20, 46, 153, 99, "快速路上的暖心救护", (GlyphRun(20, 46, "快速路上的暖心救护", "H", 11.0),),
                           kind="head-main", last=True, size=11.0),))
    art = Group.around("article", "rescue", 20, 30, 153, 100, (head, *lines, Rule(20, 140, 173, 140, 0.5),
                                                         Fill(200, 200, 40, 40), Box(30, 150, 50, 50)))
    other = Group.around("article", "lead", 182, 30, 72, 100,
                  (TextLine(182, 40, 72, 72, "另一篇", (GlyphRun(182, 40, "另一篇", "F", 9.0),)),))
    page = Page(300, 400, Group("page", "p", 0, 0, 300, 400, (art, other)), bleed=8.5, title="测试")
    fit = (FitEntry("rescue", 10, 2, 0, 0, 8, 8, 10), FitEntry("lead", 8, 1, 0, 0, 7, 7, 3))
    modules = (PlacedModule("rescue", "article", Region((GridRect(0, 2, 0, 9),))),
               PlacedModule("lead", "article", Region((GridRect(2, 1, 0, 9),))))
    return LayoutResult(page, g, fit, (), modules)


def test_snapshot_of_hand_made_frames_is_exact():
    text = regress.snapshot(_result())
    lines = text.splitlines()
    assert lines[0] == "page: # paiban layout snapshot v1"
    assert lines[1] == 'page: page w=300.00 h=400.00 bleed=8.50 title="测试"'
    assert lines[2] == ("page: grid area=(20.00,30.00,234.00,333.00) columns=3 col_w=72.00 gutter=9.00 "
                        "em=9.00 pitch=12.00 lines=28")
    assert "article:rescue: module rescue col=1 span=2 lines=0-9" in lines
    assert 'article:rescue:   line body x=20.00 y=72.00 w=72.00 ink=45.00 size=9.00 last "第二行文字"' in lines
    assert "article:rescue:     run F size=9.00 x=20.00 y=72.00 cs=0.000 n=5" in lines
    assert "article:rescue:   rule x1=20.00 y1=140.00 x2=173.00 y2=140.00 width=0.50" in lines
    assert "article:rescue:   fill x=200.00 y=200.00 w=40.00 h=40.00" in lines
    assert 'article:lead:   line body x=182.00 y=40.00 w=72.00 ink=72.00 size=9.00 "另一篇"' in lines
    assert text.endswith("\n") and text == regress.snapshot(_result())


def test_structural_diff_names_article_and_line():
    old = regress.snapshot(_result())
    new = regress.snapshot(_result(("第一行文字", "第二行改字")))
    assert regress.structural_diff(old, new) == ['article rescue: line 3 changed: "第二行文字" → "第二行改字"']
    moved = regress.snapshot(_result(y0=72.0))
    report = regress.structural_diff(old, moved)
    assert report[0] == 'article rescue: line 2 moved (y 60.00 → 72.00): "第一行文字"'
    added = regress.structural_diff(old, regress.snapshot(_result(("第一行文字", "第二行文字", "第三行"))))
    assert 'article rescue: line 4 added: "第三行"' in added
    assert regress.structural_diff(old, old) == []
    unified = regress.unified_diff(old, new)
    assert '-article:rescue:   line body x=20.00 y=72.00 w=72.00 ink=45.00 size=9.00 last "第二行文字"' in unified


def test_structural_diff_folds_equal_shifts_into_a_range():
    body = ("甲行", "乙行", "丙行", "丁行")
    report = regress.structural_diff(regress.snapshot(_result(body)), regress.snapshot(_result(body, y0=36.0)))
    assert report == ['article rescue: lines 2–5 moved (y -24.00): "甲行" … "丁行"']


def test_structural_diff_reports_removed_article():
    old = regress.snapshot(_result())
    new = "\n".join(ln for ln in old.splitlines() if not ln.startswith("article:lead:")) + "\n"
    assert regress.structural_diff(old, new) == ["article lead: removed (1 lines)"]


def test_compare_images_counts_changed_pixels_and_boxes_them():
    a = PILImage.new("L", (100, 80), 255)
    b = a.copy()
    b.paste(0, (10, 20, 14, 25))  # 4 × 5 px turned black
    b.putpixel((60, 60), 250)  # below the threshold: not a change
    report, mask = regress.compare_images(a, b)
    assert (report.changed, report.total, report.max_delta) == (20, 8000, 255)
    assert report.boxes == [(8, 16, 16, 32)]
    assert not report.ok
    assert regress.compare_images(a, b, regress.Tolerance(16, 0.01))[0].ok
    picture = regress.diff_image(a, b, mask, report.boxes)
    assert picture.getpixel((12, 22)) == (230, 0, 0)


# ---------------------------------------------------------------- page 05


@pytest.fixture(scope="module")
def page05():
    return api.layout(api.load_issue(PAGE05))


def test_page05_snapshot_is_deterministic_and_lists_the_headline(page05):
    first = regress.snapshot(page05)
    again = regress.snapshot(api.layout(api.load_issue(PAGE05)))
    assert first == again
    heads = [ln for ln in first.splitlines() if re.match(r"^article:rescue: +line head\S* .*\"快速路上的暖心救护\"$", ln)]
    assert len(heads) == 1, heads
    assert re.search(r'^article:rescue: +image "photos/traffic-rescue.jpg" ', first, re.MULTILINE)


def _fail_with_files(name: str, expected: str, actual: str) -> None:
    FAILURES.mkdir(exist_ok=True)
    (FAILURES / f"{name}.expected").write_text(expected, encoding="utf-8")
    (FAILURES / f"{name}.actual").write_text(actual, encoding="utf-8")
    diff = regress.unified_diff(expected, actual, old_name=f"goldens/{name}", new_name="actual")
    (FAILURES / f"{name}.diff").write_text(diff, encoding="utf-8")
    summary = "\n".join(regress.structural_diff(expected, actual)[:20])
    shown = diff if len(diff) < 6000 else diff[:6000] + "\n… (see tests/_failures/)"
    pytest.fail(f"{name} differs from its golden (files in tests/_failures/; "
                f"run `pytest --update-goldens` if the change is intended)\n{summary}\n\n{shown}", pytrace=False)


def test_page05_snapshot_golden(page05, update_goldens):
    actual = regress.snapshot(page05)
    if update_goldens:
        GOLDENS.mkdir(exist_ok=True)
        GOLDEN_SNAPSHOT.write_text(actual, encoding="utf-8")
        return
    if not GOLDEN_SNAPSHOT.exists():
        pytest.skip(f"no golden {GOLDEN_SNAPSHOT.name}: create it with `pytest --update-goldens`")
    expected = GOLDEN_SNAPSHOT.read_text(encoding="utf-8")
    if actual != expected:
        _fail_with_files(GOLDEN_SNAPSHOT.name, expected, actual)


def test_page05_png_golden(page05, update_goldens):
    from layout.preview import png_bytes, render_image

    image = render_image(page05, GOLDEN_DPI, grayscale=True)
    if update_goldens:
        GOLDENS.mkdir(exist_ok=True)
        GOLDEN_PNG.write_bytes(png_bytes(image, GOLDEN_DPI))
        return
    if not GOLDEN_PNG.exists():
        pytest.skip(f"no golden {GOLDEN_PNG.name}: create it with `pytest --update-goldens`")
    expected = PILImage.open(GOLDEN_PNG)
    report, mask = regress.compare_images(expected, image, GOLDEN_TOLERANCE)
    if not report.ok:
        FAILURES.mkdir(exist_ok=True)
        image.save(FAILURES / "page05.actual.png")
        expected.save(FAILURES / "page05.expected.png")
        regress.diff_image(expected, image, mask, report.boxes).save(FAILURES / "page05.diff.png")
        pytest.fail(f"page05.png differs from its golden: {report.summary()} (see tests/_failures/)", pytrace=False)


@pytest.fixture
def page05_copy(tmp_path):
    folder = tmp_path / "2024-03-06"
    shutil.copytree(PAGE05_DIR, folder)
    return folder


def test_check_unchanged_page_exits_0(page05_copy, tmp_path):
    issue = page05_copy / "page05.yaml"
    baseline = tmp_path / "baseline"
    runner = CliRunner()
    approved = runner.invoke(app, ["approve", str(issue), "--baseline", str(baseline)])
    assert approved.exit_code == 0, approved.output
    assert (baseline / "snapshot.txt").read_text(encoding="utf-8") == regress.snapshot(
        api.layout(api.load_issue(issue)))
    assert PILImage.open(baseline / "page.png").size == (round(1105.51 * 40 / 72), round(1559.06 * 40 / 72))
    result = runner.invoke(app, ["check", str(issue), "--baseline", str(baseline)])
    assert result.exit_code == 0, result.output
    assert "structure: unchanged" in result.output
    assert "pixels: ok: 0 of " in result.output
    assert not (baseline / "diff.png").exists()


def test_check_after_one_character_edit_names_rescue_and_the_line(page05_copy, tmp_path):
    issue = page05_copy / "page05.yaml"
    baseline = tmp_path / "baseline"
    regress.approve(issue, baseline)
    body = page05_copy / "rescue.md"
    text = body.read_text(encoding="utf-8")
    assert text.count(EDIT[0]) >= 1
    body.write_text(text.replace(EDIT[0], EDIT[1], 1), encoding="utf-8")

    report = regress.check(issue, baseline)
    assert not report.ok
    assert report.structural, "no structural change found"
    assert all(s.startswith("article rescue: ") for s in report.structural), report.structural
    changed = [s for s in report.structural if re.match(r'article rescue: line \d+ changed: ".*" → ".*"$', s)]
    assert changed and any("非" in s.split("→")[1] and "十" in s.split("→")[0] for s in changed), changed
    assert "-article:rescue:" in report.unified and "+article:rescue:" in report.unified
    assert report.pixels.changed > 0 and not report.pixels.ok
    diff_png = baseline / "diff.png"
    assert report.diff_png == diff_png and diff_png.exists()
    picture = PILImage.open(diff_png).convert("RGB")
    assert picture.size == PILImage.open(baseline / "page.png").size
    assert (230, 0, 0) in {c for _, c in picture.getcolors(1 << 20)}

    # The command: exit 1, the structural report before the pixel summary, the diff where asked.
    out_png = tmp_path / "diff-cli.png"
    proc = subprocess.run([sys.executable, "-m", "layout.cli", "check", str(issue), "--baseline", str(baseline),
                           "--diff", str(out_png)], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert changed[0] in proc.stdout
    assert proc.stdout.index("article rescue: line") < proc.stdout.index("pixels: DIFFERENT")
    assert out_png.exists()


def test_check_without_baseline_exits_2_with_hint(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "layout.cli", "check", str(PAGE05), "--baseline",
                           str(tmp_path / "none")], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert proc.returncode == 2
    assert "error: baseline folder" in proc.stderr and "does not exist" in proc.stderr
    assert "hint: approve one first: paiban approve" in proc.stderr
