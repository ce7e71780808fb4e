"""End to end on the flagship page: 株洲日报 2024-03-06 page 05.

Renders the page once and checks what the issues promise: trim size, every paragraph in the
PDF text in order, fonts embedded and subset, PDF/X with nested boxes, no RGB, the ink limit,
image resolution, K-only overprinting body text on the separations, byte-identical renders,
and a page whose modules are filled with nothing overset.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from layout import api
from layout.frames import Image
from layout.model import parse_body
from layout.units import mm

ROOT = Path(__file__).resolve().parent.parent
PAGE05 = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"
sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("p05") / "page05.pdf"
    result = api.render(PAGE05, out)
    return result


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_trim_is_390_by_550_mm_with_3mm_bleed(rendered):
    with pikepdf.open(rendered.path) as pdf:
        page = pdf.pages[0]
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        media = [float(v) for v in page.obj.MediaBox]
    assert (trim[2] - trim[0]) / mm(1) == pytest.approx(390, abs=0.01)
    assert (trim[3] - trim[1]) / mm(1) == pytest.approx(550, abs=0.01)
    for i in range(2):
        assert trim[i] - bleed[i] == pytest.approx(mm(3), abs=0.01)
        assert bleed[i] >= media[i]
    for i in range(2, 4):
        assert bleed[i] - trim[i] == pytest.approx(mm(3), abs=0.01)
        assert bleed[i] <= media[i]


def test_every_paragraph_is_in_the_pdf_in_order(rendered):
    pdf = pdfium.PdfDocument(rendered.path)
    text = _squash(pdf[0].get_textpage().get_text_range())
    loaded = api.load_issue(PAGE05)
    pos = 0
    checked = 0
    for article in loaded.issue.articles:
        for block in parse_body(loaded.bodies[article.id]):
            want = _squash(block.text)
            found = text.find(want, pos)
            assert found >= 0, f"{article.id}: paragraph not found after position {pos}: {want[:30]}…"
            pos = found + len(want)
            checked += 1
        for photo in article.photos:
            assert _squash(photo.caption) in text
            assert _squash(photo.credit) in text
        if article.sidebar is not None:
            for block in parse_body(loaded.sidebars[article.id]):
                assert _squash(block.text) in text
                checked += 1
    assert checked == 44
    for piece in ("株洲日报", "政法周刊", "中共株洲市委政法委员会", "责任编辑：齐卫国", "星期三"):
        assert piece in text


def test_nothing_overset_and_modules_filled(rendered):
    fit = rendered.layout.fit
    assert all(f.overset_chars == 0 and f.overset_lines == 0 for f in fit)
    # Every module is filled to within one body line at the foot of each column.
    assert all(f.empty_tail <= 1 for f in fit if "/" not in f.id), [(f.id, f.empty_tail) for f in fit]
    photos = [i for i in rendered.layout.page.root.placed() if isinstance(i, Image)]
    assert len(photos) == 3


def test_no_empty_stretch_of_the_type_area(rendered):
    """No empty stretch larger than one column × 20 mm anywhere in the type area."""
    res = rendered.layout
    g = res.grid
    occupied = [[False] * g.lines for _ in range(g.columns)]

    def mark(x0, y0, x1, y1):
        for c in range(g.columns):
            cx0, cx1 = g.col_x(c), g.col_x(c) + g.col_w
            if cx0 < x1 - 1 and cx1 > x0 + 1:
                for line in range(g.lines):
                    ly0, ly1 = g.line_top(line), g.line_bottom(line)
                    if ly0 < y1 and ly1 > y0:
                        occupied[c][line] = True

    for item in res.page.root.placed():
        if hasattr(item, "runs") and item.runs:
            top = item.y - item.size
            mark(item.x, top, item.x + item.width, item.y + 0.2 * item.size)
        elif isinstance(item, Image) or getattr(item, "kind", "") in ("headline", "masthead", "sidebar"):
            mark(item.x, item.y, item.x + item.w, item.y + item.h)
    limit = int(mm(20) // g.pitch) + 1
    for c in range(g.columns):
        run = 0
        for line in range(g.lines):
            run = 0 if occupied[c][line] else run + 1
            assert run < limit, f"column {c + 1} is empty around line {line}"


def test_fonts_embedded_and_subset(rendered):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    out = subprocess.run(["pdffonts", str(rendered.path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Helvetica" not in row
        assert re.search(r"\byes\s+yes\s+yes\b", row), row
        assert re.match(r"[A-Z]{6}\+", row), row
        assert "CID TrueType" in row and "Identity-H" in row, row
    # one font per face (issue 19): as many rows as faces the frame tree uses, no face twice
    names = [row.split()[0].split("+", 1)[1] for row in rows]
    assert sorted(names) == sorted(api.faces_of(rendered.layout)) and len(names) == 6


def test_pdf_is_no_larger_than_with_simple_font_subsets(rendered):
    assert len(rendered.pdf) <= 2682 * 1024  # page 05 with ReportLab's nine simple subsets


def test_pdfx_and_no_rgb(rendered):
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    info = subprocess.run(["pdfinfo", str(rendered.path)], capture_output=True, text=True, check=True).stdout
    assert "PDF/X-1:2003" in info
    assert rendered.preflight is not None and rendered.preflight.ok, rendered.preflight.findings
    raw = rendered.pdf
    with pikepdf.open(rendered.path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) or isinstance(obj, pikepdf.Stream):
                assert obj.get("/ColorSpace") != pikepdf.Name.DeviceRGB
                assert "/SMask" not in obj
        content = pdf.pages[0].Contents.read_bytes() if not isinstance(pdf.pages[0].Contents, pikepdf.Array) \
            else b"".join(c.read_bytes() for c in pdf.pages[0].Contents)
    assert not re.search(rb"\s(rg|RG)\s", content)
    assert raw[:8] == b"%PDF-1.4"


def test_images_resolution(rendered):
    items = [i for i in rendered.layout.page.root.placed() if isinstance(i, Image)]
    for item in items:
        assert item.ppi >= 170, (item.source, item.ppi)
    with pikepdf.open(rendered.path) as pdf:
        images = list(pdf.pages[0].Resources.XObject.values())
        # the backend prepared each photo as a CMYK or K-only JPEG of exactly the crop's pixels
        assert sorted((int(i.Width), int(i.Height)) for i in images) == sorted(i.crop_px for i in items)
        assert all(i.ColorSpace in (pikepdf.Name.DeviceCMYK, pikepdf.Name.DeviceGray) for i in images)
        assert all(i.Filter == pikepdf.Name.DCTDecode for i in images)


def test_two_renders_are_byte_identical(rendered, tmp_path):
    again = api.render(PAGE05, tmp_path / "again.pdf")
    assert again.pdf == rendered.pdf


def test_ink_limit_and_black_plate(rendered):
    import separations as S

    if S.gs_path() is None:
        pytest.skip("Ghostscript (gs) is not installed; .ci/run installs it")
    p999 = S.tac_percentile(rendered.path, 72, 99.9)
    assert p999 <= 240.0 + 0.5, p999
    dpi = 72
    plates = S.plates(rendered.path, dpi)
    bleed = rendered.layout.page.bleed
    scale = dpi / 72.0
    checked = 0
    for line in rendered.layout.page.root.lines():
        if line.kind != "body":
            continue
        x0 = int((line.x + bleed) * scale) + 1
        x1 = int((line.x + line.ink + bleed) * scale) - 1
        y0 = int((line.y - 0.8 * line.size + bleed) * scale) + 1
        y1 = int((line.y + bleed) * scale)
        if x1 <= x0 or y1 <= y0:
            continue
        for ink in ("Cyan", "Magenta", "Yellow"):
            assert plates[ink][y0:y1, x0:x1].max() == 0, (ink, line.text)
        checked += 1
        assert plates["Black"][y0:y1, x0:x1].max() > 50
    assert checked > 300
