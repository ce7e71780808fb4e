"""PDF writer: draw a frame tree into PDF bytes. It only reads frames; it decides nothing.

Owns the one y flip of the engine (frames are top-left, y down; PDF is bottom-left, y up), the
page boxes (MediaBox ⊇ BleedBox ⊇ TrimBox; the MediaBox encloses the marks group plus
``MARK_CLEARANCE``), one text object per line with character spacing (``Tc``) per run, ``Tz``
for horizontal scaling and a text matrix for rotated runs, overprint exactly as each item
carries it (``policy`` decides it), the registration colour as Separation /All, and
deterministic output.

ReportLab's canvas draws the page where it serves: colours, overprint graphics states, rules,
fills, frames and the page boxes. What it cannot do through its public API is written here:
the text and image operators go into the canvas with ``addLiteral``, and their resources are
added to the document with pikepdf — one CID-keyed font per face (``cidfont``: ReportLab's
TrueType fonts are simple fonts of 256 glyphs each) and each photo as a DCT image XObject
passed through as prepared (``photos``: ReportLab's ``drawImage`` decodes an image to name
it). The canvas selects its initial font in every page's preamble (``BT /F1 12 Tf 14.4 TL
ET``, an unembedded Helvetica PDF/X forbids); the page is written uncompressed by ReportLab,
that selection is removed and the content stream is compressed once, here.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections.abc import Mapping

from ..frames import (
    K100,
    REGISTRATION,
    Box,
    Fill,
    GlyphRun,
    Group,
    Image,
    Page,
    Path,
    Rule,
    TextLine,
)
from ..units import mm
from . import cidfont
from . import photos as PH

MARK_CLEARANCE = mm(4)
"""White between the printer's marks (and slug) and the edge of the MediaBox."""

CONTENT_COMPRESSION = 6
"""zlib level of the page content stream."""

_PREAMBLE_FONT = re.compile(rb"BT /F\d+ 12 Tf 14\.4 TL ET")
"""ReportLab's initial-font selection (canvas preamble) that names an unembedded font."""


def _n(v: float) -> str:
    """A number for a content stream: at most three decimals (0.001 pt), no trailing zeros."""
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def margin(page: Page, marks: bool) -> float:
    """Space around the trim in the MediaBox: the bleed, or the marks group plus clearance."""
    if marks and page.marks is not None:
        return max(page.bleed, -page.marks.x + MARK_CLEARANCE, -page.marks.y + MARK_CLEARANCE,
                   page.marks.x + page.marks.w - page.width + MARK_CLEARANCE,
                   page.marks.y + page.marks.h - page.height + MARK_CLEARANCE)
    return page.bleed


def _collect(trees) -> tuple[dict[str, set[str]], list[Image]]:
    """Characters drawn per font key, and the images in drawing order."""
    chars: dict[str, set[str]] = {}
    images: list[Image] = []
    for tree in trees:
        for item in tree.walk():
            if isinstance(item, TextLine):
                for run in item.runs:
                    chars.setdefault(run.font, set()).update(run.text)
            elif isinstance(item, GlyphRun):
                chars.setdefault(item.font, set()).update(item.text)
            elif isinstance(item, Image):
                images.append(item)
    return chars, images


def _adobe_cmyk(jpeg: bytes) -> bool:
    """True when a CMYK JPEG carries Adobe's APP14 marker (its samples are stored inverted,
    so the image needs ``/Decode [1 0 1 0 1 0 1 0]``, as ReportLab's JPEG reader sets)."""
    pos = 2
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF:
        marker = jpeg[pos + 1]
        if marker in (0xDA, 0xD9):  # start of scan: the header is over
            return False
        length = (jpeg[pos + 2] << 8) | jpeg[pos + 3]
        if marker == 0xEE and jpeg[pos + 4:pos + 9] == b"Adobe":
            return True
        pos += 2 + length
    return False


def warm() -> None:
    """Import ReportLab's canvas and prepare what photos need (``images.warm``), once, in a
    process about to fork page workers (``edition``); a page's own render imports them lazily."""
    from reportlab.lib import colors  # noqa: F401
    from reportlab.pdfgen import canvas  # noqa: F401

    from .. import images
    from . import policy  # noqa: F401

    images.warm()


def write_pdf(page: Page, faces: Mapping[str, object], *, marks: bool = True,
              photos: PH.PhotoSettings | None = None, screen=None) -> bytes:
    """Draw ``page`` into PDF bytes; ``faces`` maps every font key used to its Face and
    ``photos`` gives the print settings its photos are prepared with.

    ``screen``, when given, turns each prepared photo into the one embedded instead
    (``screen(item, prepared) -> PreparedImage``: the live preview's RGB screen proxies).
    """
    from reportlab.lib.colors import CMYKColor, CMYKColorSep
    from reportlab.pdfgen import canvas

    trees = [page.root] + ([page.marks] if marks and page.marks is not None else [])
    chars, image_items = _collect(trees)
    fonts = cidfont.embed(faces, chars)
    font_names = {key: f"F{i}" for i, key in enumerate(sorted(fonts), start=1)}
    codes = {key: font.codes for key, font in fonts.items()}
    settings = photos or PH.PhotoSettings()
    prepared = PH.prepare(image_items, settings)
    if screen is not None:
        swapped = {}
        for item in image_items:
            key = PH.photo_key(item, settings)
            if key not in swapped:
                swapped[key] = screen(item, prepared[key])
        prepared = swapped
    image_names: dict[str, str] = {}
    for item in image_items:
        image_names.setdefault(PH.photo_key(item, settings), f"Im{len(image_names) + 1}")

    off = margin(page, marks)
    W, H = page.width, page.height
    buf = io.BytesIO()
    trim = (off, off, off + W, off + H)
    b = page.bleed
    bleed = (off - b, off - b, off + W + b, off + H + b)
    c = canvas.Canvas(buf, pagesize=(W + 2 * off, H + 2 * off), invariant=1, pdfVersion=(1, 4),
                      trimBox=trim, bleedBox=bleed, pageCompression=0)
    c.setTitle(page.title)
    c.setCreator("paiban")
    c.setProducer("paiban (ReportLab, pikepdf)")
    reg = CMYKColorSep(1, 1, 1, 1, spotName="All")
    colors: dict = {}

    def color(value):
        if value == REGISTRATION:
            return reg
        if value not in colors:
            colors[value] = CMYKColor(*value)
        return colors[value]

    # Graphics state as last set: nothing here saves or restores it (images draw inside q … Q),
    # so an unchanged colour, width or dash is not written again.
    state = {"op": None, "font": None, "tc": 0.0, "fill": None, "stroke": None, "width": None,
             "dash": None}

    def overprint(on: bool) -> None:
        if state["op"] != on:
            c.setFillOverprint(on)
            c.setStrokeOverprint(on)
            c.setOverprintMask(1 if on else 0)
            state["op"] = on

    def fill_color(value) -> None:
        if state["fill"] != value:
            c.setFillColor(color(value))
            state["fill"] = value

    def stroke(value, width: float, dash) -> None:
        if state["stroke"] != value:
            c.setStrokeColor(color(value))
            state["stroke"] = value
        if state["width"] != width:
            c.setLineWidth(width)
            state["width"] = width
        dash = tuple(dash) if dash else ()
        if state["dash"] != dash:
            c.setDash(list(dash))
            state["dash"] = dash

    def text_state(out: list[str], run: GlyphRun) -> None:
        """Tf and Tc when they change: text state outlives BT/ET (PDF 32000-1 §9.3.1)."""
        font = (run.font, run.size)
        if state["font"] != font:
            out.append(f"/{font_names[run.font]} {_n(run.size)} Tf")
            state["font"] = font
        if state["tc"] != run.char_space:
            out.append(f"{_n(run.char_space)} Tc")
            state["tc"] = run.char_space

    def shown(run: GlyphRun) -> str:
        table = codes[run.font]
        return "<" + "".join([table[ch] for ch in run.text]) + "> Tj"

    # Frames are relative: (dx, dy) is the page position of the current group's origin.
    def draw_line(line: TextLine, dx: float, dy: float) -> None:
        ox, oy = off + dx, off + H - dy  # the one y flip of the engine
        if line.marks:  # emphasis dots (着重号): black like the text, overprinting like it
            overprint(True)
            fill_color(K100)
            for mx, my, r in line.marks:
                c.circle(X(mx, dx), Y(my, dy), r, stroke=0, fill=1)
        plain = [r for r in line.runs if r.rotate == 0.0]
        for fill, op in sorted({(r.color, r.overprint) for r in plain}):
            overprint(op)
            fill_color(fill)
            out = ["BT"]
            for run in plain:
                if run.color != fill or run.overprint != op:
                    continue
                text_state(out, run)
                scaled = run.h_scale != 100.0
                if scaled:
                    out.append(f"{_n(run.h_scale)} Tz")
                out.append(f"1 0 0 1 {_n(ox + run.x)} {_n(oy - run.y)} Tm {shown(run)}")
                if scaled:
                    out.append("100 Tz")
            out.append("ET")
            c.addLiteral(" ".join(out))
        for run in line.runs:
            if run.rotate == 0.0:
                continue
            overprint(run.overprint)
            fill_color(run.color)
            # Clockwise on the page (y down) is clockwise in PDF too once y is flipped.
            a = math.radians(run.rotate)
            cos, sin = math.cos(a), math.sin(a)
            out = ["BT"]
            text_state(out, run)
            if run.h_scale != 100.0:
                out.append(f"{_n(run.h_scale)} Tz")
            out.append(f"{_n(cos)} {_n(-sin)} {_n(sin)} {_n(cos)} {_n(ox + run.x)} "
                       f"{_n(oy - run.y)} Tm {shown(run)}")
            if run.h_scale != 100.0:
                out.append("100 Tz")
            out.append("ET")
            c.addLiteral(" ".join(out))

    def X(x: float, dx: float) -> float:
        return off + dx + x

    def Y(y: float, dy: float) -> float:  # the one y flip of the engine
        return off + H - (dy + y)

    def draw(item, dx: float, dy: float) -> None:
        if isinstance(item, TextLine):
            draw_line(item, dx, dy)
        elif isinstance(item, Group):
            for child in item.items:
                draw(child, dx + item.x, dy + item.y)
        elif isinstance(item, Rule):
            overprint(item.overprint)
            stroke(item.color, item.width, item.dash)
            c.line(X(item.x1, dx), Y(item.y1, dy), X(item.x2, dx), Y(item.y2, dy))
        elif isinstance(item, Fill):
            overprint(item.overprint)
            fill_color(item.color)
            c.rect(X(item.x, dx), Y(item.y + item.h, dy), item.w, item.h, stroke=0, fill=1)
        elif isinstance(item, Box):
            overprint(item.overprint)
            stroke(item.color, item.width, None)
            c.rect(X(item.x, dx), Y(item.y + item.h, dy), item.w, item.h, stroke=1, fill=0)
        elif isinstance(item, Image):
            overprint(item.overprint)
            name = image_names[PH.photo_key(item, settings)]
            c.addLiteral(f"q {_n(item.w)} 0 0 {_n(item.h)} {_n(X(item.x, dx))} "
                         f"{_n(Y(item.y + item.h, dy))} cm /{name} Do Q")
        elif isinstance(item, GlyphRun):
            draw_line(TextLine(item.x, item.y, 0, 0, item.text, (item,)), dx, dy)
        elif isinstance(item, Path):
            draw_path(item, dx + item.x, dy + item.y)

    def draw_path(item: Path, dx: float, dy: float) -> None:
        """A vector path (logo, chart): fill and/or stroke in its CMYK colours."""
        p = c.beginPath()
        for op in item.ops:
            if op[0] == "M":
                p.moveTo(X(op[1], dx), Y(op[2], dy))
            elif op[0] == "L":
                p.lineTo(X(op[1], dx), Y(op[2], dy))
            elif op[0] == "C":
                p.curveTo(X(op[1], dx), Y(op[2], dy), X(op[3], dx), Y(op[4], dy),
                          X(op[5], dx), Y(op[6], dy))
            elif op[0] == "Z":
                p.close()
        overprint(item.overprint)
        if item.fill is not None:
            fill_color(item.fill)
        if item.stroke is not None:
            stroke(item.stroke, item.width, item.dash)
        c.drawPath(p, stroke=int(item.stroke is not None), fill=int(item.fill is not None),
                   fillMode=0 if item.even_odd else 1)

    for tree in trees:
        draw(tree, 0.0, 0.0)
    c.showPage()
    c.save()
    return _attach(buf.getvalue(), fonts, font_names, prepared, image_names)


def _attach(data: bytes, fonts, font_names, prepared, image_names) -> bytes:
    """Add the fonts and images the content refers to, drop the preamble's font selection,
    compress the content stream; return the finished-for-writing PDF."""
    import pikepdf
    from pikepdf import Dictionary, Name

    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        content = page.obj.Contents
        raw = content.read_raw_bytes()
        if "/Filter" in content:
            raise RuntimeError("ReportLab compressed the page although pageCompression=0")
        raw, n = _PREAMBLE_FONT.subn(b"", raw, count=1)
        resources = page.obj.Resources
        if n == 0 and "/Font" in resources and len(resources.Font):
            raise RuntimeError("ReportLab's initial font selection not found in the page preamble")
        content.write(zlib.compress(raw, CONTENT_COMPRESSION), filter=Name.FlateDecode)
        resources.Font = Dictionary({f"/{font_names[key]}": cidfont.font_objects(pdf, font)
                                     for key, font in sorted(fonts.items())})
        xobjects = {}
        for key, name in image_names.items():
            xobjects[f"/{name}"] = _image_stream(pdf, prepared[key])
        if xobjects:
            resources.XObject = Dictionary(xobjects)
        elif "/XObject" in resources:
            del resources["/XObject"]
        if "/ProcSet" in resources:  # obsolete since PDF 1.4 (§14.2); ReportLab still writes it
            del resources["/ProcSet"]
        out = io.BytesIO()
        pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable, static_id=True)
    return out.getvalue()


def _image_stream(pdf, image):
    """The image XObject of a prepared JPEG, passed through as is (DCTDecode)."""
    import pikepdf
    from pikepdf import Name

    stream = pikepdf.Stream(pdf, image.data)
    stream.Type = Name.XObject
    stream.Subtype = Name.Image
    stream.Width, stream.Height = image.px
    stream.BitsPerComponent = 8
    stream.Filter = Name.DCTDecode
    if image.mode == "CMYK":
        stream.ColorSpace = Name.DeviceCMYK
        if _adobe_cmyk(image.data):
            stream.Decode = pikepdf.Array([1, 0, 1, 0, 1, 0, 1, 0])
    elif image.mode == "RGB":  # a screen proxy (never in a print PDF)
        stream.ColorSpace = Name.DeviceRGB
    else:
        stream.ColorSpace = Name.DeviceGray
    return pdf.make_indirect(stream)


def image_pdf(image) -> bytes:
    """A PDF of one prepared photo alone, one point per pixel (what a screen proxy rasterises)."""
    import pikepdf
    from pikepdf import Dictionary

    w, h = image.px
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(w, h))
        page.obj.Resources = Dictionary(XObject=Dictionary(Im1=_image_stream(pdf, image)))
        page.obj.Contents = pdf.make_stream(f"q {w} 0 0 {h} 0 0 cm /Im1 Do Q".encode())
        page.obj.TrimBox = pikepdf.Array([0, 0, w, h])
        out = io.BytesIO()
        pdf.save(out, static_id=True)
    return out.getvalue()
