"""Print finishing: turn the writer's PDF into a PDF/X-1a:2003 or PDF/X-4 file with pikepdf.

Owns everything ReportLab cannot write (print.md §3): the OutputIntent with the embedded CMYK
output profile, the ``GTS_PDFXVersion``/``GTS_PDFXConformance`` and ``Trapped`` keys, the XMP
packet, the page-box check (TrimBox present, Trim ⊆ Bleed ⊆ Media, no ArtBox) and a
deterministic save: fixed dates, a document ID derived from the content, same input bytes →
same output bytes. No stream is decoded or re-encoded: content streams, fonts, ``/ToUnicode``
maps and images pass through as the writer compressed them (unlike a Ghostscript re-distil,
print.md §4), and the output profile is embedded compressed once per process and profile
(deflating its 168 kB was most of the finishing time).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import uuid
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from ..errors import PdfError
from .boxes import inside, read_box

DEFAULT_PROFILE = (
    Path(__file__).resolve().parent.parent / "data" / "icc" / "CGATS-TR002-newsprint.icc"
)
"""The bundled CGATS TR 002 newsprint profile (``tools/build_icc.sh``)."""

STANDARDS = {
    # standard: (Info GTS_PDFXVersion, Info GTS_PDFXConformance or None, PDF version)
    "x1a": ("PDF/X-1:2003", "PDF/X-1a:2003", "1.4"),  # ISO 15930-4
    "x4": ("PDF/X-4", None, "1.6"),  # ISO 15930-7
    "none": (None, None, ""),
}
"""The PDF/X claim strings as poppler's ``pdfPartFromString`` and mPDF spell them (print.md §3.2)."""

DEFAULT_DATE = datetime(2000, 1, 1, tzinfo=UTC)
"""Date written when none is given: the same as ReportLab's ``invariant=1``."""


_UUID_NS = uuid.UUID("9c1f4f2e-6a53-4c1d-9a55-7061696261e0")
"""Namespace for the content-derived XMP document IDs (uuid5)."""

PROFILE_KIND = "profiles"
"""Cache folder of deflated output profiles."""

PROFILE_COMPRESSION = 6
"""zlib level of the embedded output profile (compressed once per process and profile)."""

_PROFILES: dict[tuple, tuple[bytes, bytes]] = {}


def _profile(icc_path: Path) -> tuple[bytes, bytes]:
    """The raw and the deflated bytes of an output profile (memoised in the process by path,
    size and mtime, and in the cache by the profile's digest)."""
    from .. import cache

    st = os.stat(icc_path)
    memo = (str(icc_path), st.st_size, st.st_mtime_ns)
    hit = _PROFILES.get(memo)
    if hit is None:
        icc = icc_path.read_bytes()
        # the level is in the name: an entry deflated otherwise would change the output's bytes
        name = f"{hashlib.sha256(icc).hexdigest()[:32]}-z{PROFILE_COMPRESSION}.icc.zz"
        packed = cache.read(PROFILE_KIND, name)
        if packed is None or zlib.decompress(packed) != icc:
            packed = zlib.compress(icc, PROFILE_COMPRESSION)
            cache.write(PROFILE_KIND, name, packed)
        hit = (icc, packed)
        _PROFILES.clear()
        _PROFILES[memo] = hit
    return hit


XMP_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfx": "http://ns.adobe.com/pdfx/1.3/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
}
"""The XMP schemas the packet uses (prefix → namespace URI, as XMP and pikepdf name them)."""

_XPACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_XPACKET_END = '\n<?xpacket end="w"?>\n'

_XML_ILLEGAL = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold; they are dropped from metadata values (as pikepdf does)."""


def _xml_text(value: str) -> str:
    """Character data as libxml2 writes it (``&``, ``<``, ``>`` and CR escaped)."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def xmp_packet(title: str, props: list[tuple[str, str]]) -> bytes:
    """The XMP packet of a finished PDF: ``dc:title`` and simple properties (``prefix:Name``,
    value) in one ``rdf:Description``.

    Written as text, byte for byte what pikepdf's ``open_metadata`` serialises for the same
    properties (tests compare them), without its XMP parser and lxml (with the save below, the
    first finishing in a process takes 7 ms instead of 12–15, issue 19)."""
    title = _XML_ILLEGAL.sub("", title)
    dc = XMP_NAMESPACES["dc"]
    rdf_li = (f'<rdf:li xml:lang="x-default">{_xml_text(title)}</rdf:li>' if title
              else '<rdf:li xml:lang="x-default"/>')
    parts = [f'<dc:title xmlns:dc="{dc}"><rdf:Alt>{rdf_li}</rdf:Alt></dc:title>']
    for key, value in props:
        prefix, name = key.split(":")
        text = _xml_text(_XML_ILLEGAL.sub("", value))
        parts.append(f'<{key} xmlns:{prefix}="{XMP_NAMESPACES[prefix]}">{text}</{prefix}:{name}>')
    body = "".join(parts)
    xml = ('<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="pikepdf">\n'
           ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
           f' <rdf:Description rdf:about="">{body}</rdf:Description></rdf:RDF>\n'
           '</x:xmpmeta>\n')
    return (_XPACKET_BEGIN + xml + _XPACKET_END).encode("utf-8")


def _parse_date(created: str | None) -> datetime:
    if not created:
        return DEFAULT_DATE
    try:
        dt = datetime.fromisoformat(created)
    except ValueError as exc:
        raise PdfError(
            f"cannot read the date {created!r}",
            hint="use ISO 8601, e.g. 2024-03-06 or 2024-03-06T05:00:00+08:00",
        ) from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _pdf_date(dt: datetime) -> str:
    off = dt.utcoffset() or datetime.min.replace(tzinfo=UTC).utcoffset()
    minutes = int(off.total_seconds() // 60) if off else 0
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    return dt.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hh:02d}'{mm:02d}'"


def _box(page: pikepdf.Page, key: str) -> tuple[float, float, float, float] | None:
    obj = page.obj.get(key)
    if obj is None and key == "/MediaBox":
        obj = page.mediabox  # inherited from the page tree
    return read_box(obj)


def check_boxes(pdf: pikepdf.Pdf, *, require_trim: bool = True) -> None:
    """Raise PdfError unless every page has a TrimBox and Trim ⊆ Bleed ⊆ Media."""
    for n, page in enumerate(pdf.pages, 1):
        media = _box(page, "/MediaBox")
        trim = _box(page, "/TrimBox")
        bleed = _box(page, "/BleedBox") or media
        if trim is None:
            if require_trim:
                raise PdfError(
                    f"page {n} has no TrimBox; PDF/X needs the finished page size",
                    hint="set trimBox= (and bleedBox=) on the ReportLab canvas",
                )
            continue
        if not inside(bleed, media):
            raise PdfError(
                f"page {n}: BleedBox {bleed} is not inside MediaBox {media}",
                hint="make the page (MediaBox) at least trim + 2 × bleed",
            )
        if not inside(trim, bleed):
            raise PdfError(
                f"page {n}: TrimBox {trim} is not inside BleedBox {bleed}",
                hint="the bleed box must enclose the trim box",
            )


def finish_pdf(
    data: bytes,
    *,
    standard: str = "x1a",
    profile: Path | None = None,
    output_condition: str = "CGATS TR 002",
    title: str = "",
    created: str | None = None,
) -> bytes:
    """Return ``data`` finished as PDF/X (``x1a``, ``x4``) or as a plain deterministic PDF."""
    if standard not in STANDARDS:
        raise PdfError(f"unknown PDF standard {standard!r}", hint="use one of: x1a, x4, none")
    version, conformance, pdf_version = STANDARDS[standard]
    when = _parse_date(created)
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise PdfError(
            "the PDF is encrypted", hint="PDF/X forbids encryption; write it without"
        ) from exc
    except (pikepdf.PdfError, ValueError) as exc:
        raise PdfError(
            f"cannot read the PDF to finish ({exc})", hint="the writer produced a broken file"
        ) from exc

    with pdf:
        if pdf.is_encrypted:
            raise PdfError(
                "the PDF is encrypted", hint="PDF/X forbids encryption; write it without"
            )
        check_boxes(pdf, require_trim=version is not None)
        for page in pdf.pages:
            if "/ArtBox" in page.obj:  # PDF/X-1a:2003 and X-4: TrimBox or ArtBox, not both
                del page.obj["/ArtBox"]

        content_id = hashlib.sha256(data).hexdigest()
        doc_uuid = f"uuid:{uuid.uuid5(_UUID_NS, content_id)}"
        inst_uuid = f"uuid:{uuid.uuid5(_UUID_NS, content_id + standard + when.isoformat() + title)}"

        if version is not None:
            icc_path = Path(profile) if profile else DEFAULT_PROFILE
            try:
                icc, packed = _profile(icc_path)
            except OSError as exc:
                hint = (
                    "run tools/build_icc.sh"
                    if icc_path == DEFAULT_PROFILE
                    else "name an existing .icc file"
                )
                raise PdfError(
                    f"cannot read output profile {icc_path} ({exc.strerror})", hint=hint
                ) from exc
            if len(icc) < 128 or icc[16:20] != b"CMYK":
                raise PdfError(
                    f"{icc_path} is not a CMYK ICC profile",
                    hint="name the printer's CMYK output profile, e.g. WAN-IFRAnewspaper26v5.icc",
                )
            prof = pikepdf.Stream(pdf, packed)
            prof.Filter = Name.FlateDecode
            prof.N = 4
            intent = Dictionary(
                Type=Name.OutputIntent,
                S=Name.GTS_PDFX,
                OutputConditionIdentifier=String(output_condition),
                OutputCondition=String(output_condition),
                RegistryName=String("http://www.color.org"),
                Info=String(output_condition),
                DestOutputProfile=pdf.make_indirect(prof),
            )
            pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])
        elif "/OutputIntents" in pdf.Root:
            del pdf.Root["/OutputIntents"]

        info = pdf.docinfo
        for key in ("/GTS_PDFXVersion", "/GTS_PDFXConformance"):
            if key in info:
                del info[key]
        doc_title = title or str(info.get("/Title", "")) or "Untitled"
        info.Title = String(doc_title)
        info.CreationDate = String(_pdf_date(when))
        info.ModDate = String(_pdf_date(when))
        info.Trapped = Name("/False")  # NB: Name.False_ would write /False_ (print.md §3.2)
        if version:
            info.GTS_PDFXVersion = String(version)
        if conformance:
            info.GTS_PDFXConformance = String(conformance)

        iso = when.isoformat()
        props = [("xmp:CreateDate", iso), ("xmp:ModifyDate", iso), ("xmp:MetadataDate", iso),
                 ("pdf:Trapped", "False")]
        producer = str(info.get("/Producer", ""))
        if producer:
            props.append(("pdf:Producer", producer))
        creator = str(info.get("/Creator", ""))
        if creator:
            props.append(("xmp:CreatorTool", creator))
        props += [("xmpMM:DocumentID", doc_uuid), ("xmpMM:InstanceID", inst_uuid),
                  ("xmpMM:VersionID", "1"), ("xmpMM:RenditionClass", "default")]
        if standard == "x1a":
            props += [("pdfx:GTS_PDFXVersion", version), ("pdfx:GTS_PDFXConformance", conformance)]
        elif standard == "x4":
            props.append(("pdfxid:GTS_PDFXVersion", version))
        meta = pikepdf.Stream(pdf, xmp_packet(doc_title, props))
        meta[Name.Type] = Name.Metadata
        meta[Name.Subtype] = Name.XML
        pdf.Root.Metadata = meta

        # ReportLab's invariant mode writes the same /ID for every document; drop it so that
        # qpdf derives both halves from the content (deterministic_id)
        if "/ID" in pdf.trailer:
            del pdf.trailer["/ID"]
        out = io.BytesIO()
        pdf.save(
            out,
            force_version=pdf_version,
            # every stream is already as compact as it will be: pass them through as they are
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            # object streams arrived in PDF 1.5; X-1a:2003 is PDF 1.4
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            deterministic_id=True,
            # the packet above has no pdf:PDFVersion to update: without this pikepdf would parse
            # it again (its XMP parser and lxml, ≈ 4 ms of a fresh process) to find none
            fix_metadata_version=False,
        )
    return out.getvalue()
