"""Preview: rasterising to the TrimBox, overlays, `paiban preview`, and the watch loop."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image as PILImage
from typer.testing import CliRunner

from layout import preview
from layout.cli import app
from layout.compose.grid import Grid
from layout.compose.page import FitEntry, LayoutResult, PlacedModule
from layout.frames import Group, Page
from layout.plan import GridRect, Region
from layout.watch import referenced_files, render_once, watch

ROOT = Path(__file__).resolve().parent.parent
PAGE05_DIR = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06"
PAGE05 = PAGE05_DIR / "page05.yaml"
RED = preview.OVERSET_COLOR[:3]


def _pdf_with_trimbox() -> bytes:
    """A 200 × 100 pt trim inside a 260 × 160 pt MediaBox; a 10 pt black square at the trim's top-left."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(260, 160), trimBox=(30, 30, 230, 130), invariant=1)
    c.setFillColorRGB(0, 0, 0)
    c.rect(30, 120, 10, 10, stroke=0, fill=1)  # trim top-left corner, PDF y up
    c.rect(0, 0, 30, 160, stroke=0, fill=1)  # marks area left of the trim: must be cut away
    c.showPage()
    c.save()
    return buf.getvalue()


def test_rasterize_crops_to_the_trimbox():
    image = preview.rasterize(_pdf_with_trimbox(), 72)
    assert image.size == (200, 100)
    assert image.convert("L").getpixel((5, 5)) < 10  # the square, now at the image's top-left
    assert image.convert("L").getpixel((15, 5)) > 245
    assert image.convert("L").getpixel((0, 50)) > 245  # the black band outside the trim is gone
    assert preview.rasterize(_pdf_with_trimbox(), 144).size == (400, 200)
    assert preview.rasterize(_pdf_with_trimbox(), 72, trim_only=False).size == (260, 160)


def _result(overset: bool) -> LayoutResult:
    g = Grid(trim_w=300, trim_h=400, area_x=20, area_y=30, columns=3, chars=8, gutter_chars=1, em=9, pitch=12,
             lines=28, bleed=0)
    art = Group("article", "rescue", g.col_x(0), g.line_top(0), g.span_w(2), g.line_bottom(8) - g.line_top(0))
    page = Page(300, 400, Group("page", "p", 0, 0, 300, 400, (art,)))
    fit = (FitEntry("rescue", 9, 12 if overset else 9, 3 if overset else 0, 40 if overset else 0, 0, 0, 120),)
    return LayoutResult(page, g, fit, (), (PlacedModule("rescue", "article", Region((GridRect(0, 2, 0, 9),))),))


def _red_pixels(image, box=None) -> int:
    region = image.crop(box) if box else image
    return sum(n for n, c in region.getcolors(1 << 20) if c == RED)


def test_overlay_marks_overset_in_red_at_the_module_foot():
    white = PILImage.new("RGB", (300, 400), "white")
    over = preview.overlay(white, _result(True), 72, {"overset"})
    assert over.size == (300, 400)
    # The module spans x 20–173 pt and lines 0–8 (y 30–135 pt); the banner is at its foot.
    assert _red_pixels(over, (25, 125, 170, 134)) > 300
    assert _red_pixels(over, (180, 0, 300, 400)) == 0  # nothing beyond the module
    assert _red_pixels(preview.overlay(white, _result(False), 72, {"overset"})) == 0
    assert preview.overset_label(_result(True).fit[0]) == "overset 40 chars / 3 lines"


def test_overlay_grid_is_cyan_at_the_column_edges_and_frames_magenta():
    white = PILImage.new("RGB", (300, 400), "white")
    grid = preview.overlay(white, _result(False), 72, {"grid"})
    assert grid.getpixel((20, 200)) == preview.GRID_COLOR[:3]  # left edge of column 1
    assert grid.getpixel((92, 200)) == preview.GRID_COLOR[:3]  # right edge of column 1 (20 + 72)
    assert grid.getpixel((60, 200)) == (255, 255, 255)
    frames = preview.overlay(white, _result(False), 72, {"frames"})
    assert frames.getpixel((100, 30)) == preview.MODULE_COLOR[:3]  # module top edge
    with pytest.raises(ValueError):
        preview.overlay(white, _result(False), 72, {"gird"})


def test_parse_overlays():
    assert preview.parse_overlays("grid, overset") == ("grid", "overset")
    assert set(preview.parse_overlays("all")) == preview.OVERLAYS
    assert preview.parse_overlays(None) == ()
    with pytest.raises(ValueError, match="unknown overlay 'gird'"):
        preview.parse_overlays("gird")


def test_preview_of_page05_has_the_trim_size_in_pixels(tmp_path):
    out = tmp_path / "p05.png"
    result = preview.preview(PAGE05, out, dpi=20)
    image = PILImage.open(out)
    trim = result.layout.page
    assert image.size == (round(trim.width * 20 / 72), round(trim.height * 20 / 72)) == (307, 433)
    assert image.info.get("paiban-dpi") == "20"
    # The masthead is a black panel at the top right: ink there, paper in the page margin.
    gray = image.convert("L")
    assert gray.getpixel((5, 5)) > 245
    assert gray.crop((260, 25, 300, 60)).getextrema()[0] < 40


def test_overset_page_shows_a_red_banner_in_its_module(tmp_path):
    folder = tmp_path / "2024-03-06"
    shutil.copytree(PAGE05_DIR, folder)
    body = folder / "rescue.md"
    body.write_text(body.read_text(encoding="utf-8") * 4, encoding="utf-8")
    result = preview.preview(folder / "page05.yaml", tmp_path / "over.png", dpi=30, overlays=("overset",))
    entry = next(f for f in result.layout.fit if f.id == "rescue")
    assert entry.overset_chars > 0
    r = next(m for m in result.layout.modules if m.label == "rescue").region.bbox
    x, y, w, h = preview.module_rect(result.layout.grid, r.col, r.span, r.top, r.end)
    box = tuple(round(v * 30 / 72) for v in (x, y, x + w, y + h))
    assert _red_pixels(result.image, box) > 200
    clean = preview.preview(PAGE05, tmp_path / "clean.png", dpi=30, overlays=("overset",))
    assert _red_pixels(clean.image) == 0


def test_cli_preview_writes_png_and_rejects_bad_overlay(tmp_path):
    runner = CliRunner()
    out = tmp_path / "p.png"
    ok = runner.invoke(app, ["preview", str(PAGE05), "-o", str(out), "--dpi", "10", "--overlay", "grid,frames"])
    assert ok.exit_code == 0, ok.output
    assert PILImage.open(out).size == (154, 217)
    bad = runner.invoke(app, ["preview", str(PAGE05), "-o", str(out), "--overlay", "gird"])
    assert bad.exit_code == 2


# ---------------------------------------------------------------- watch


def test_referenced_files_lists_bodies_sidebars_and_photos():
    names = {p.name for p in referenced_files(PAGE05)}
    assert {"page05.yaml", "lead.md", "rescue.md", "students-notebook.md", "traffic-rescue.jpg",
            "lead-circuit-court.jpg"} <= names
    assert len(names) == 9


def test_watch_renders_again_after_a_change_and_survives_bad_input(tmp_path):
    folder = tmp_path / "2024-03-06"
    shutil.copytree(PAGE05_DIR, folder)
    issue = folder / "page05.yaml"
    pdf, png = tmp_path / "out.pdf", tmp_path / "out.png"
    good_yaml = issue.read_text(encoding="utf-8")
    lines: list[str] = []
    edits = iter([
        lambda: None,  # first poll: nothing changed
        lambda: issue.write_text(good_yaml.replace("paper: 株洲日报", "paper: [unclosed"), encoding="utf-8"),
        lambda: issue.write_text(good_yaml, encoding="utf-8"),
    ])

    def sleep(_seconds: float) -> None:  # each poll applies the next edit (sizes differ, so stamps do)
        next(edits, lambda: None)()

    renders = watch(issue, pdf, png, interval=0, dpi=10, max_renders=3, echo=lines.append, sleep=sleep)
    assert renders == 3
    assert len(lines) == 3
    assert "rendered" in lines[0] and "overset 0" in lines[0]
    assert "error:" in lines[1] and "page05.yaml" in lines[1]
    assert "rendered" in lines[2]
    assert pdf.read_bytes().startswith(b"%PDF") and PILImage.open(png).size == (154, 217)


def test_render_once_reports_an_error_instead_of_raising(tmp_path):
    step = render_once(tmp_path / "missing.yaml", tmp_path / "x.pdf", None)
    assert not step.ok and "error:" in step.message and not (tmp_path / "x.pdf").exists()


def test_watch_stops_after_max_polls_without_changes(tmp_path):
    folder = tmp_path / "2024-03-06"  # a copy: the shared issue folder may be edited meanwhile
    shutil.copytree(PAGE05_DIR, folder)
    pdf = tmp_path / "out.pdf"
    lines: list[str] = []
    polls: list[float] = []
    assert watch(folder / "page05.yaml", pdf, None, interval=0.25, max_polls=3, echo=lines.append,
                 sleep=polls.append) == 1
    assert len(lines) == 1 and pdf.read_bytes().startswith(b"%PDF")
    assert polls == [0.25, 0.25, 0.25]
