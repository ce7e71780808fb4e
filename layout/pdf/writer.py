"""PDF writer: draw a frame tree with ReportLab. It only reads frames; it decides nothing.

Owns the one y flip of the engine (frames are top-left, y down; PDF is bottom-left, y up), the
page boxes (MediaBox ⊇ BleedBox ⊇ TrimBox, marks outside the bleed), font registration under
each face's unique key, one text object per line with character spacing (``Tc``) per run, 100 %
K text and rules that overprint (单黑压印), knocked-out white text that does not, the
registration colour as Separation /All, and deterministic output (``invariant``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from ..frames import (
    K100,
    REGISTRATION,
    WHITE,
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

_REGISTERED: dict[str, str] = {}


def _parsed_face(path: str, index: int):
    """ReportLab's parse of a TrueType file, cached on disk (parsing a 9,500-glyph CJK face
    takes ~80 ms; unpickling it ~14 ms)."""
    import hashlib
    import os
    import pickle
    import tempfile

    import reportlab
    from reportlab.pdfbase.ttfonts import TTFontFace

    from ..cache import cache_dir

    st = os.stat(path)
    tag = hashlib.sha256(repr((os.path.realpath(path), st.st_size, st.st_mtime_ns, index,
                               reportlab.Version)).encode()).hexdigest()[:24]
    cache = cache_dir("reportlab") / f"{tag}.pickle"
    face = None
    try:
        with open(cache, "rb") as fh:
            state = pickle.load(fh)
        face = TTFontFace.__new__(TTFontFace)
        face.__dict__.update(state)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        face = TTFontFace(path, 0, index)
        state = {k: v for k, v in face.__dict__.items() if k != "_pdfScale"}
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
        except OSError:
            pass
    # The one attribute that cannot be pickled: ReportLab's scale to its 1000-unit em.
    upm = face.unitsPerEm
    face._pdfScale = (lambda x: x) if upm == 1000 else (lambda x, m=1000.0 / upm: x * m)
    return face


def _register(face) -> None:
    from reportlab.pdfbase import pdfmetrics, ttfonts

    if _REGISTERED.get(face.key) == str(face.path):
        return
    parsed = _parsed_face(str(face.path), face.index)
    # ReportLab merges fonts whose PostScript names agree (print.md §2.1): name every face by its
    # unique key so two user fonts with the same internal name never share glyphs.
    parsed.name = ttfonts.TTFNameBytes(face.key.encode("ascii", "replace"))
    original = ttfonts.TTFontFace
    ttfonts.TTFontFace = lambda *args, **kw: parsed  # hand TTFont the cached parse
    try:
        font = ttfonts.TTFont(face.key, str(face.path), subfontIndex=face.index)
    finally:
        ttfonts.TTFontFace = original
    pdfmetrics.registerFont(font)
    _REGISTERED[face.key] = str(face.path)


def _draw_jpeg(c, item: Image, x: float, y: float) -> None:
    """Place a prepared JPEG as an image XObject, passed through as is (DCTDecode).

    ReportLab's ``drawImage`` would decode the whole image to RGB only to name it; the frame
    already carries a content digest, so the XObject is named by that and built directly.
    """
    from reportlab.pdfbase import pdfdoc

    name = f"paiban-{item.digest}"
    reg = c._doc.getXObjectName(name)
    if not c._doc.idToObject.get(reg):
        xobj = pdfdoc.PDFImageXObject(name)
        if not xobj.loadImageFromJPEG(io.BytesIO(item.data)):
            raise ValueError(f"prepared image {item.source} is not a JPEG")
        c._setXObjects(xobj)
        c._doc.Reference(xobj, reg)
        c._doc.addForm(name, xobj)
    c._currentPageHasImages = 1
    c.saveState()
    c.translate(x, y)
    c.scale(item.w, item.h)
    c._code.append(f"/{reg} Do")
    c.restoreState()
    c._formsinuse.append(name)


def margin(page: Page, marks: bool) -> float:
    """Space around the trim in the MediaBox: bleed plus room for marks and the slug."""
    from ..compose.furniture import MARK_LENGTH, MARK_OFFSET
    from ..units import mm

    return page.bleed + (MARK_OFFSET + MARK_LENGTH + mm(4) if marks else 0.0)


def write_pdf(page: Page, faces: Mapping[str, object], *, marks: bool = True) -> bytes:
    """Draw ``page`` into PDF bytes; ``faces`` maps every font key used to its Face."""
    from reportlab import rl_config
    from reportlab.lib.colors import CMYKColor, CMYKColorSep
    from reportlab.pdfgen import canvas

    rl_config.useA85 = 0
    rl_config.invariant = 1
    for face in faces.values():
        _register(face)
    first_font = next(iter(faces.values())).key
    off = margin(page, marks)
    W, H = page.width, page.height
    buf = io.BytesIO()
    trim = (off, off, off + W, off + H)
    b = page.bleed
    bleed = (off - b, off - b, off + W + b, off + H + b)
    c = canvas.Canvas(buf, pagesize=(W + 2 * off, H + 2 * off), invariant=1, initialFontName=first_font,
                      initialFontSize=9, pdfVersion=(1, 4), trimBox=trim, bleedBox=bleed, pageCompression=1)
    c.setTitle(page.title)
    c.setCreator("paiban")
    c.setProducer("paiban (ReportLab)")
    reg = CMYKColorSep(1, 1, 1, 1, spotName="All")
    colors: dict = {}

    def color(value):
        if value == REGISTRATION:
            return reg
        if value not in colors:
            colors[value] = CMYKColor(*value)
        return colors[value]

    # Frames are relative: (dx, dy) is the page position of the current group's origin. Offsets
    # are added to coordinates (not a ``cm`` operator) so the content stream stays the same.
    def X(x: float, dx: float = 0.0) -> float:
        return off + dx + x

    def Y(y: float, dy: float = 0.0) -> float:  # the one y flip of the engine
        return off + H - (dy + y)

    state = {"op": None}

    def overprint(on: bool) -> None:
        if state["op"] != on:
            c.setFillOverprint(on)
            c.setStrokeOverprint(on)
            c.setOverprintMask(1 if on else 0)
            state["op"] = on

    def draw_run(t, run: GlyphRun, dx: float, dy: float) -> None:
        t.setFont(run.font, run.size)
        t.setCharSpace(run.char_space)
        if run.h_scale != 100.0:
            t.setHorizScale(run.h_scale)
        t.setTextOrigin(X(run.x, dx), Y(run.y, dy))
        t.textOut(run.text)
        if run.h_scale != 100.0:
            t.setHorizScale(100)

    def draw_line(line: TextLine, dx: float, dy: float) -> None:
        if line.marks:  # emphasis dots (着重号), black like the text, overprinting
            overprint(True)
            c.setFillColor(color(K100))
            for mx, my, r in line.marks:
                c.circle(X(mx, dx), Y(my, dy), r, stroke=0, fill=1)
        plain = [r for r in line.runs if r.rotate == 0.0]
        for fill in sorted({r.color for r in plain}):
            overprint(fill != WHITE)
            c.setFillColor(color(fill))
            t = c.beginText()
            for run in plain:
                if run.color == fill:
                    draw_run(t, run, dx, dy)
            c.drawText(t)
        for run in line.runs:
            if run.rotate != 0.0:
                overprint(run.color != WHITE)
                c.setFillColor(color(run.color))
                c.saveState()
                c.translate(X(run.x, dx), Y(run.y, dy))
                c.rotate(-run.rotate)
                t = c.beginText()
                t.setFont(run.font, run.size)
                t.setCharSpace(run.char_space)
                t.setTextOrigin(0, 0)
                t.textOut(run.text)
                c.drawText(t)
                c.restoreState()
                state["op"] = None

    def draw(item, dx: float, dy: float) -> None:
        if isinstance(item, TextLine):
            draw_line(item, dx, dy)
        elif isinstance(item, Group):
            for child in item.items:
                draw(child, dx + item.x, dy + item.y)
        elif isinstance(item, Rule):
            overprint(item.color != WHITE)
            c.setStrokeColor(color(item.color))
            c.setLineWidth(item.width)
            c.setDash(list(item.dash) if item.dash else [])
            c.line(X(item.x1, dx), Y(item.y1, dy), X(item.x2, dx), Y(item.y2, dy))
        elif isinstance(item, Fill):
            overprint(item.color != WHITE)
            c.setFillColor(color(item.color))
            c.rect(X(item.x, dx), Y(item.y + item.h, dy), item.w, item.h, stroke=0, fill=1)
        elif isinstance(item, Box):
            overprint(item.color != WHITE)
            c.setStrokeColor(color(item.color))
            c.setLineWidth(item.width)
            c.setDash([])
            c.rect(X(item.x, dx), Y(item.y + item.h, dy), item.w, item.h, stroke=1, fill=0)
        elif isinstance(item, Image):
            overprint(False)
            _draw_jpeg(c, item, X(item.x, dx), Y(item.y + item.h, dy))
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
        if item.fill is not None:
            overprint(item.fill != WHITE)
            c.setFillColor(color(item.fill))
        if item.stroke is not None:
            overprint(item.stroke != WHITE)
            c.setStrokeColor(color(item.stroke))
            c.setLineWidth(item.width)
            c.setDash(list(item.dash) if item.dash else [])
        c.drawPath(p, stroke=int(item.stroke is not None), fill=int(item.fill is not None),
                   fillMode=0 if item.even_odd else 1)

    draw(page.root, 0.0, 0.0)
    if marks and page.marks is not None:
        draw(page.marks, 0.0, 0.0)
    c.showPage()
    c.save()
    return buf.getvalue()
