"""Preflight: a planted-defect PDF is caught check by check; a clean PDF/X-1a passes."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from layout.errors import PdfError
from layout.images import ImageOptions, prepare_image
from layout.pdf.finish import finish_pdf
from layout.pdf.preflight import PreflightReport, preflight, render_report

ROOT = Path(__file__).resolve().parents[2]
W, H = 120 * mm, 90 * mm
BLEED, SLUG = 3 * mm, 10 * mm


def _ttf() -> Path | None:
    cands = [
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        *sorted((ROOT / "fonts").glob("*.ttf")),
    ]
    return next((p for p in cands if p.is_file()), None)


def _messages(report: PreflightReport, check: str, severity: str = "error") -> list[str]:
    return [f.message for f in report.findings if f.check == check and f.severity == severity]


def build_bad() -> bytes:
    """RGB fill, 400 % CMYK box, RGBA PNG (→ SMask), default unembedded Helvetica preamble."""
    b = io.BytesIO()
    c = canvas.Canvas(b, pagesize=(W, H), invariant=1)
    c.setFillColorRGB(0.9, 0.1, 0.1)
    c.rect(10, 10, 50, 50, fill=1, stroke=0)
    c.setFillColorCMYK(1, 1, 1, 1)
    c.rect(70, 10, 50, 50, fill=1, stroke=0)
    rgba = np.zeros((200, 300, 4), np.uint8)
    rgba[..., 0] = 200
    rgba[..., 3] = 128
    png = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(png, "PNG")
    png.seek(0)
    # 300 px over 150 pt = 144 ppi: below the 150 ppi minimum too
    c.drawImage(ImageReader(png), 130, 10, width=150, height=100, mask="auto")
    c.showPage()
    c.save()
    return b.getvalue()


def test_bad_pdf_reports_each_planted_defect() -> None:
    report = preflight(build_bad())
    assert report.ok is False
    colour = _messages(report, "colour")
    assert any("RGB colour rg [0.9 0.1 0.1]" in m for m in colour), colour
    assert any("image" in m and "DeviceRGB" in m for m in colour), colour
    ink = _messages(report, "ink")
    assert ink == ["vector colour k [1 1 1 1] has total ink 400% > 240%"]
    assert any("soft mask" in m for m in _messages(report, "transparency")), report.findings
    fonts = _messages(report, "fonts")
    assert fonts == ["font Helvetica (a standard-14 font) is not embedded"]
    ppi = _messages(report, "images")
    assert any("144 ppi is below 150 ppi" in m for m in ppi), ppi
    assert any("no GTS_PDFXVersion" in m for m in _messages(report, "pdfx"))
    assert any("no TrimBox" in m for m in _messages(report, "boxes"))
    assert all(f.page == 1 for f in report.findings if f.check in ("colour", "ink", "fonts"))


def test_ink_limit_is_a_parameter() -> None:
    b = io.BytesIO()
    c = canvas.Canvas(b, pagesize=(W, H), invariant=1)
    c.setFillColorCMYK(0.6, 0.6, 0.6, 0.5)  # 230 %
    c.rect(10, 10, 50, 50, fill=1, stroke=0)
    c.showPage()
    c.save()
    assert _messages(preflight(b.getvalue(), require_pdfx=False), "ink") == []
    assert _messages(preflight(b.getvalue(), ink_limit=220, require_pdfx=False), "ink") == [
        "vector colour k [0.6 0.6 0.6 0.5] has total ink 230% > 220%"
    ]


def test_forms_inline_images_alpha_and_knockout_text_are_walked() -> None:
    b = io.BytesIO()
    c = canvas.Canvas(b, pagesize=(W, H), invariant=1)
    c.beginForm("logo")
    c.setFillColorRGB(0, 0.5, 1)
    c.rect(0, 0, 20, 20, fill=1, stroke=0)
    c.endForm()
    c.doForm("logo")
    c.drawInlineImage(Image.new("RGB", (60, 40), (10, 200, 30)), 100, 100, width=20, height=14)
    c.setFillAlpha(0.5)
    c.rect(150, 10, 20, 20, fill=1, stroke=0)
    c.setFillAlpha(1)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont("Helvetica", 12)
    c.drawString(20, 200, "knockout")
    c.showPage()
    c.save()
    report = preflight(b.getvalue(), require_pdfx=False)
    colour = _messages(report, "colour")
    assert any("RGB colour rg [0 0.5 1]" in m for m in colour), colour
    assert any("inline image" in m and "DeviceRGB" in m for m in colour), colour
    # no PDF/X claim and require_pdfx=False: transparency is a warning, not an error
    assert _messages(report, "transparency", "warning") == [
        "ExtGState /gRLs0 sets ca 0.5 (opacity below 1)"
    ]
    assert any(
        "100% K text do not overprint" in m for m in _messages(report, "overprint", "warning")
    )
    assert preflight(b.getvalue()).by_check("transparency")[0].severity == "error"


def build_good(tmp_path: Path, *, overprint: bool = True) -> bytes:
    ttf = _ttf()
    if ttf is None:
        pytest.skip("no TrueType font found (DejaVuSans.ttf or fonts/*.ttf)")
    pdfmetrics.registerFont(TTFont("PfSans", str(ttf)))
    photo = tmp_path / "photo.png"
    rng = np.random.default_rng(7)
    Image.fromarray((rng.random((400, 600, 3)) * 255).astype(np.uint8)).save(photo)
    img, warns = prepare_image(photo, 144, 96, options=ImageOptions())  # 300 ppi
    assert warns == [] and img.mode == "CMYK"
    jpg = tmp_path / "photo.jpg"
    jpg.write_bytes(img.data)

    O = BLEED + SLUG
    b = io.BytesIO()
    c = canvas.Canvas(
        b,
        pagesize=(W + 2 * O, H + 2 * O),
        invariant=1,
        initialFontName="PfSans",
        trimBox=(O, O, O + W, O + H),
        bleedBox=(O - BLEED, O - BLEED, O + W + BLEED, O + H + BLEED),
    )
    c.translate(O, O)
    c.setFillColorCMYK(1, 0, 0, 0)
    c.rect(-BLEED, -BLEED, 80, 60, fill=1, stroke=0)
    c.drawImage(str(jpg), 150, 20, width=img.w, height=img.h)
    t = c.beginText(20, 200)
    t.setFont("PfSans", 11)
    if overprint:
        t.setFillOverprint(True)
        t.setOverprintMask(True)
    t.setFillColorCMYK(0, 0, 0, 1)
    t.textLine("Newsprint K-only text")
    c.drawText(t)
    c.showPage()
    c.save()
    return b.getvalue()


def test_good_pdf_x1a_passes(tmp_path: Path) -> None:
    pdf = finish_pdf(build_good(tmp_path), standard="x1a", title="good")
    report = preflight(pdf)
    errors = [f for f in report.findings if f.severity != "info"]
    assert errors == [], errors
    assert report.ok
    infos = [f.message for f in report.by_check("images")]
    assert len(infos) == 1 and "DeviceCMYK" in infos[0] and "300 ppi" in infos[0], infos
    assert any("embedded" in f.message for f in report.by_check("fonts"))
    assert any("claims PDF/X-1:2003 / PDF/X-1a:2003" in f.message for f in report.by_check("pdfx"))


def test_knockout_black_text_is_a_warning(tmp_path: Path) -> None:
    report = preflight(finish_pdf(build_good(tmp_path, overprint=False)))
    assert report.ok  # a warning, not an error
    assert len(_messages(report, "overprint", "warning")) == 1


def test_unreadable_input_is_a_pdf_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match="not a PDF"):
        preflight(b"hello, this is not a PDF")
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage garbage")
    with pytest.raises(PdfError, match="cannot be read as a PDF"):
        preflight(bad)
    with pytest.raises(PdfError, match="not found"):
        preflight(tmp_path / "missing.pdf")


def test_render_report_lists_errors() -> None:
    report = preflight(build_bad())
    table = render_report(report)
    assert table.row_count == report.count("error") + report.count("warning")
    assert "FAILED" in str(table.title)
    rows = report.table_rows()
    assert rows[0][0] == "error" and rows[-1][0] == "info"


def test_tiling_pattern_and_shading_contents_are_checked() -> None:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    tile = pikepdf.Stream(
        pdf,
        b"0 1 0 rg 0 0 5 5 re f",
        Type=pikepdf.Name.Pattern,
        PatternType=1,
        PaintType=1,
        TilingType=1,
        BBox=[0, 0, 10, 10],
        XStep=10,
        YStep=10,
        Resources=pikepdf.Dictionary(),
    )
    shading = pikepdf.Dictionary(
        ShadingType=2,
        ColorSpace=pikepdf.Name.DeviceRGB,
        Coords=[0, 0, 100, 0],
        Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0, 0], C1=[0, 0, 1], N=1),
    )
    page.obj.Resources = pikepdf.Dictionary(
        Pattern=pikepdf.Dictionary(P1=pdf.make_indirect(tile)),
        Shading=pikepdf.Dictionary(Sh1=shading),
    )
    page.obj.Contents = pdf.make_stream(
        b"/Pattern cs /P1 scn 0 0 100 100 re f q 0 0 50 50 re W n /Sh1 sh Q"
    )
    buf = io.BytesIO()
    pdf.save(buf)
    colour = _messages(preflight(buf.getvalue(), require_pdfx=False), "colour")
    assert any(m == "RGB colour rg [0 1 0] in DeviceRGB" for m in colour), colour
    assert any("shading /Sh1 uses RGB colour space DeviceRGB" in m for m in colour), colour
