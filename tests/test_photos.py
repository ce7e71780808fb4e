"""Photo crops and draft proofs: the crop decision (crop rectangle, focus point, centre), the
pixels it cuts, the photo report of validate and fit (size in mm, crop, effective ppi), and
draft mode (low-resolution photos accepted with a warning and a visible FPO mark; no PDF/X)."""

from __future__ import annotations

import pytest
import yaml
from PIL import Image as PILImage
from typer.testing import CliRunner

from layout import api
from layout.cli import app
from layout.compose.photoreport import photo_rows
from layout.errors import InputError, OutputError
from layout.frames import Group, Image, Rule, TextLine
from layout.model import RenderOptions
from layout.plan.photos import crop_box, effective_ppi


def test_centre_crop_trims_the_long_side():
    assert crop_box((2700, 1800), 369.0, 477.0) == (654, 0, 2046, 1800)
    assert crop_box((1000, 2000), 100.0, 100.0) == (0, 500, 1000, 1500)


def test_focus_keeps_a_point_in_view_inside_the_image():
    # Box 1:1 on a 3:1 image: a 1000-px-wide window, centred on the focus where it can be.
    assert crop_box((3000, 1000), 50.0, 50.0, focus=(0.5, 0.5)) == (1000, 0, 2000, 1000)
    assert crop_box((3000, 1000), 50.0, 50.0, focus=(0.8, 0.5)) == (1900, 0, 2900, 1000)
    assert crop_box((3000, 1000), 50.0, 50.0, focus=(0.99, 0.1)) == (2000, 0, 3000, 1000)


def test_crop_rectangle_then_the_box_proportions():
    # The chosen part (the right half) is 1500 × 1000; a 1:1 box keeps its centre square.
    assert crop_box((3000, 1000), 50.0, 50.0, crop=(0.5, 0.0, 1.0, 1.0)) == (1750, 0, 2750, 1000)
    assert effective_ppi((1750, 0, 2750, 1000), 72.0 * 5, 72.0 * 5) == 200.0


def _page(tmp_path, photo: dict, size=(3000, 1000), color=(90, 120, 150)):
    PILImage.new("RGB", size, color).save(tmp_path / "p.jpg", quality=90)
    doc = {
        "paper": "测试日报",
        "date": "2024-03-06",
        "page": 2,
        "format": {"marks": False, "slug": False},
        "articles": [
            {
                "id": "a",
                "headline": "标题",
                "body": "正文。" * 40,
                "place": {"col": 1, "span": 3, "top": 0, "height": 40},
                "photos": [{"file": "p.jpg", "caption": "说明。", **photo}],
            }
        ],
    }
    path = tmp_path / "page.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_crop_and_focus_reach_the_frame_and_the_pixels(tmp_path):
    # 1200 × 400 px: about 250 ppi in a one-column box, so the preparer does not downsample.
    path = _page(
        tmp_path,
        {"focus": [0.9, 0.5], "place": {"col": 1, "span": 1, "top": 3, "height": 10}},
        size=(1200, 400),
    )
    result = api.layout(api.load_issue(path))
    (image,) = [i for i in result.page.root.placed() if isinstance(i, Image)]
    g = result.grid
    h = 9 * g.pitch + g.em
    want = crop_box((1200, 400), g.span_w(1), h, focus=(0.9, 0.5))
    assert image.crop == want and want[2] == 1200  # pushed against the right edge
    assert image.px == (1200, 400) and image.crop_px == (want[2] - want[0], want[3] - want[1])
    from layout.pdf.photos import PhotoSettings, prepare

    (prepared,) = prepare([image], PhotoSettings()).values()
    assert prepared.px == image.crop_px  # the print backend cut exactly these pixels


def test_crop_and_focus_are_exclusive_and_checked(tmp_path):
    for photo, words in (
        ({"crop": [0, 0, 1, 1], "focus": [0.5, 0.5]}, "either crop or focus"),
        ({"crop": [0.5, 0, 0.2, 1]}, "not a rectangle"),
        ({"focus": [1.5, 0.5]}, "outside the image"),
    ):
        path = _page(tmp_path, {**photo, "place": {"col": 1, "span": 1, "top": 3, "height": 10}})
        with pytest.raises(InputError) as info:
            api.load_issue(path)
        assert words in info.value.message and info.value.field.startswith("articles.0.photos.0.")


def test_photo_rows_report_size_crop_and_ppi(tmp_path):
    path = _page(
        tmp_path, {"crop": [0.5, 0, 1, 1], "place": {"col": 1, "span": 2, "top": 3, "height": 10}}
    )
    result = api.layout(api.load_issue(path))
    (row,) = photo_rows(result.page)
    g = result.grid
    w, h = g.span_w(2), 9 * g.pitch + g.em
    rect = crop_box((3000, 1000), w, h, crop=(0.5, 0, 1, 1))
    assert (row.article, row.source, row.crop) == ("a", "p.jpg", rect)
    assert row.width_mm == pytest.approx(w / 72 * 25.4) and row.height_mm == pytest.approx(
        h / 72 * 25.4
    )
    assert row.ppi == pytest.approx(effective_ppi(rect, w, h))
    cells = row.cells()
    assert cells[2] == f"{w / 72 * 25.4:.1f}×{h / 72 * 25.4:.1f}" and cells[4] == f"{row.ppi:.0f}"


def test_validate_and_fit_print_the_photo_table(tmp_path):
    path = _page(tmp_path, {"place": {"col": 1, "span": 1, "top": 3, "height": 10}})
    runner = CliRunner()
    for command in ("validate", "fit"):
        run = runner.invoke(app, [command, str(path)], env={"COLUMNS": "160"})
        assert run.exit_code == 0, run.output
        assert "photos" in run.output and "p.jpg" in run.output and "px" in run.output


def _lowres(tmp_path):
    return _page(
        tmp_path, {"place": {"col": 1, "span": 3, "top": 3, "height": 20}}, size=(300, 200)
    )


def test_a_low_resolution_photo_is_refused_outside_draft_mode(tmp_path):
    with pytest.raises(InputError) as info:
        api.layout(api.load_issue(_lowres(tmp_path)))
    assert "ppi minimum" in info.value.message


def test_draft_accepts_it_with_a_warning_and_a_visible_fpo_mark(tmp_path):
    result = api.layout(api.load_issue(_lowres(tmp_path)), RenderOptions(draft=True, pdfx="none"))
    assert any(w.startswith("draft: photo p.jpg is") and "FPO" in w for w in result.warnings)
    photo = next(g for g in result.page.root.placed() if isinstance(g, Group) and g.kind == "photo")
    (image,) = [i for i in photo.items if isinstance(i, Image)]
    assert image.fpo
    diagonals = [r for r in photo.items if isinstance(r, Rule)]
    assert [(r.x1, r.y1, r.x2, r.y2) for r in diagonals] == [
        (image.x, image.y, image.x + image.w, image.y + image.h),
        (image.x, image.y + image.h, image.x + image.w, image.y),
    ]
    (tag,) = [i for i in photo.items if isinstance(i, TextLine) and i.kind == "fpo"]
    assert tag.text == "FPO"
    assert photo_rows(result.page)[0].note == "FPO"


def test_draft_refuses_pdfx(tmp_path):
    path = _lowres(tmp_path)
    with pytest.raises(OutputError) as info:
        api.render(path, tmp_path / "x.pdf", RenderOptions(draft=True))
    assert "PDF/X" in info.value.message and "--pdfx none" in info.value.hint
    assert not (tmp_path / "x.pdf").exists()


def test_cli_draft_render_and_preview(tmp_path):
    path = _lowres(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(app, ["render", str(path), "-o", str(tmp_path / "d.pdf"), "--draft"])
    assert ok.exit_code == 0, ok.output
    assert "draft proof" in ok.output
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF") and b"GTS_PDFX" not in (
        tmp_path / "d.pdf"
    ).read_bytes()
    refused = runner.invoke(
        app, ["render", str(path), "-o", str(tmp_path / "e.pdf"), "--draft", "--pdfx", "x1a"]
    )
    assert refused.exit_code != 0 and not (tmp_path / "e.pdf").exists()
    shown = runner.invoke(
        app, ["preview", str(path), "-o", str(tmp_path / "d.png"), "--dpi", "20", "--draft"]
    )
    assert shown.exit_code == 0, shown.output
    assert (tmp_path / "d.png").exists()
