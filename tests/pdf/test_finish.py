"""Print finishing: PDF/X claims that poppler recognises, byte-identical output, box checks."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from layout.errors import PdfError
from layout.pdf.finish import finish_pdf

ROOT = Path(__file__).resolve().parents[2]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def make_pdf(
    *, trim: bool = True, bleed_inside_trim: bool = False, art: bool = False, text: str = "Hello"
) -> bytes:
    """A one-page ReportLab PDF with 3 mm bleed and 10 mm slug, K text."""
    W, H, O = 100 * mm, 60 * mm, 13 * mm
    kw: dict = {}
    if trim:
        kw["trimBox"] = (O, O, O + W, O + H)
        b = 3 * mm if not bleed_inside_trim else -3 * mm
        kw["bleedBox"] = (O - b, O - b, O + W + b, O + H + b)
    if art:
        kw["artBox"] = (O, O, O + W, O + H)
    font = "Helvetica"
    if DEJAVU.is_file():
        pdfmetrics.registerFont(TTFont("FinSans", str(DEJAVU)))
        font = "FinSans"
        kw["initialFontName"] = font
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(W + 2 * O, H + 2 * O), invariant=1, **kw)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont(font, 12)
    c.drawString(O + 10, O + 20, text)
    c.showPage()
    c.save()
    return out.getvalue()


def pdfinfo(data: bytes, tmp_path: Path) -> str:
    exe = shutil.which("pdfinfo")
    if exe is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed; apt-get install poppler-utils")
    f = tmp_path / "out.pdf"
    f.write_bytes(data)
    return subprocess.run([exe, str(f)], capture_output=True, text=True, check=True).stdout


def test_x1a_claim_read_by_poppler(tmp_path: Path) -> None:
    info = pdfinfo(finish_pdf(make_pdf(), standard="x1a", title="Test"), tmp_path)
    assert "PDF subtype:    PDF/X-1:2003" in info
    assert "PDF version:     1.4" in info
    assert "Title:           Test" in info


def test_x4_claim_read_by_poppler(tmp_path: Path) -> None:
    info = pdfinfo(finish_pdf(make_pdf(), standard="x4"), tmp_path)
    assert "PDF subtype:    PDF/X-4" in info
    assert "PDF version:     1.6" in info


def test_same_input_same_bytes_and_content_derived_id() -> None:
    src = make_pdf()
    a, b = finish_pdf(src), finish_pdf(src)
    assert a == b
    other = finish_pdf(make_pdf(text="Hello!"))
    with pikepdf.open(io.BytesIO(a)) as pa, pikepdf.open(io.BytesIO(other)) as pb:
        assert bytes(pa.trailer.ID[0]) != bytes(pb.trailer.ID[0])
    assert finish_pdf(src, standard="none") == finish_pdf(src, standard="none")


def test_output_intent_keys_and_metadata() -> None:
    out = finish_pdf(make_pdf(), standard="x1a", created="2024-03-06T05:00:00+08:00")
    with pikepdf.open(io.BytesIO(out)) as pdf:
        oi = pdf.Root.OutputIntents[0]
        assert oi.S == pikepdf.Name.GTS_PDFX
        assert str(oi.OutputConditionIdentifier) == "CGATS TR 002"
        assert str(oi.RegistryName) == "http://www.color.org"
        prof = oi.DestOutputProfile
        assert int(prof.N) == 4 and prof.read_bytes()[16:20] == b"CMYK"
        info = pdf.docinfo
        assert str(info.GTS_PDFXVersion) == "PDF/X-1:2003"
        assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2003"
        assert info.Trapped == pikepdf.Name("/False")
        assert str(info.CreationDate) == "D:20240306050000+08'00'"
        meta = pdf.open_metadata()
        assert meta["pdfx:GTS_PDFXVersion"] == "PDF/X-1:2003"
        assert meta["xmp:CreateDate"] == "2024-03-06T05:00:00+08:00"
        assert meta["xmpMM:DocumentID"].startswith("uuid:")


def test_missing_trimbox_is_an_error() -> None:
    with pytest.raises(PdfError, match="page 1 has no TrimBox"):
        finish_pdf(make_pdf(trim=False))
    finish_pdf(make_pdf(trim=False), standard="none")  # a plain PDF needs no trim box


def test_trim_outside_bleed_is_an_error() -> None:
    with pytest.raises(PdfError, match="TrimBox .* is not inside BleedBox"):
        finish_pdf(make_pdf(bleed_inside_trim=True))


def test_artbox_removed_and_tounicode_kept() -> None:
    out = finish_pdf(make_pdf(art=True))
    with pikepdf.open(io.BytesIO(out)) as pdf:
        page = pdf.pages[0]
        assert "/ArtBox" not in page.obj and "/TrimBox" in page.obj
        if DEJAVU.is_file():
            fonts = list(page.Resources.Font.values())
            assert any("/ToUnicode" in f for f in fonts)


def test_not_a_pdf_or_bad_standard() -> None:
    with pytest.raises(PdfError, match="cannot read the PDF"):
        finish_pdf(b"not a pdf")
    with pytest.raises(PdfError, match="unknown PDF standard"):
        finish_pdf(make_pdf(), standard="x3")


def _raw_streams(data: bytes) -> dict[bytes, bytes]:
    """Every stream's still-encoded bytes, keyed by a digest of its dictionary's filter + data."""
    import hashlib

    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = {}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                raw = obj.read_raw_bytes()
                out[hashlib.sha256(raw).digest()] = raw
        return out


def test_streams_pass_through_untouched() -> None:
    """Finishing decodes and re-encodes nothing: every stream of the input is in the output
    byte for byte (fonts, ToUnicode maps, content, images), and the profile arrives deflated."""
    src = make_pdf()
    out = finish_pdf(src, standard="x1a")
    before, after = _raw_streams(src), _raw_streams(out)
    assert before and set(before) <= set(after)
    with pikepdf.open(io.BytesIO(out)) as pdf:
        prof = pdf.Root.OutputIntents[0].DestOutputProfile
        assert prof.Filter == pikepdf.Name.FlateDecode
        assert len(prof.read_raw_bytes()) < 0.8 * len(prof.read_bytes())


def test_page05_writer_output_streams_survive_finishing() -> None:
    from layout import api

    result = api.layout(api.load_issue(ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"))
    from layout.pdf import policy
    from layout.pdf.writer import write_pdf

    raw = write_pdf(policy.apply(result.page), api.faces_of(result))
    before, after = _raw_streams(raw), _raw_streams(finish_pdf(raw))
    assert len(before) >= 3 + 6 * 2 + 1  # photos, a font program and a ToUnicode per face, content
    assert set(before) <= set(after)


def _pikepdf_xmp(title: str, props: list[tuple[str, str]]) -> bytes:
    """The packet pikepdf's open_metadata writes for the same properties (the reference)."""
    pdf = pikepdf.new()
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
        for key, value in props:
            meta[key] = value
    return pdf.Root.Metadata.read_bytes()


@pytest.mark.parametrize("title", ["株洲日报 2024-03-06 第05版 政法周刊", "A & B <c> \"d\" 'e'",
                                   "tab\tnew\nline\rcr", "bad\x00\x07\x1bchars\ufffe", "\x01", "𠀀 emoji 📰"])
def test_xmp_packet_is_what_pikepdf_writes(title: str) -> None:
    from layout.pdf.finish import xmp_packet

    for props in ([("xmp:CreateDate", "2000-01-01T00:00:00+00:00"), ("pdf:Trapped", "False"),
                   ("pdf:Producer", title), ("xmpMM:DocumentID", "uuid:x"),
                   ("pdfx:GTS_PDFXVersion", "PDF/X-1:2003"), ("pdfx:GTS_PDFXConformance", "PDF/X-1a:2003")],
                  [("xmp:CreatorTool", "paiban"), ("pdfxid:GTS_PDFXVersion", "PDF/X-4")], []):
        assert xmp_packet(title, props) == _pikepdf_xmp(title, props)


def test_finished_metadata_for_each_standard() -> None:
    for standard, keys in (("x1a", {"pdfx:GTS_PDFXVersion", "pdfx:GTS_PDFXConformance"}),
                           ("x4", {"pdfxid:GTS_PDFXVersion"}), ("none", set())):
        out = finish_pdf(make_pdf(), standard=standard, title="标题 & <副题>")
        with pikepdf.open(io.BytesIO(out)) as pdf:
            meta = pdf.open_metadata()
            assert meta["dc:title"] == "标题 & <副题>"
            assert {k for k in meta if "GTS_PDFX" in k} == {
                k.replace("pdfx:", "{http://ns.adobe.com/pdfx/1.3/}").replace(
                    "pdfxid:", "{http://www.npes.org/pdfx/ns/id/}") for k in keys}
            assert pdf.Root.Metadata.Subtype == "/XML" and pdf.Root.Metadata.Type == "/Metadata"
