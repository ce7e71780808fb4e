"""Fuzzing the two doors hostile input comes through: the description loader and preflight.

(a) Random YAML structures — scalars of every type, nested lists and mappings, keys of the
    schema and random ones — as whole documents and grafted onto a valid page at a random
    field, are loaded (and, when they load, laid out): the only exception allowed is a
    ``PaibanError`` with a one-line message.
(b) A small but complete PDF (colour operators, a form, an image, an ICC-based colour space,
    text) mutated — bytes flipped, cut, PDF tokens spliced in, pieces repeated — is
    preflighted: it yields a report or a ``PdfError``, nothing else.

Both assert a memory bound: the process's peak RSS may not grow by more than ``MEMORY_BOUND``
over the whole run (a peak only grows, so one example beyond it fails the test).
"""

from __future__ import annotations

import io
import os
import resource
import tempfile
import zlib
from pathlib import Path

import pikepdf
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from layout import api
from layout.errors import PaibanError, PdfError
from layout.model import load_issue
from layout.pdf.preflight import PreflightReport, preflight

from . import corpus as C

EXAMPLES = int(os.environ.get("PAIBAN_FUZZ_EXAMPLES", "60"))
"""Examples per property; raise it (e.g. 2000) for a deeper local run."""

MEMORY_BOUND = 512 * 1024 * 1024
"""Largest growth of the process's peak RSS over a fuzz run, bytes."""

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
)


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@pytest.fixture(scope="module")
def memory_bound():
    """Fail the module if its examples raised the process's peak RSS beyond ``MEMORY_BOUND``."""
    start = _peak_rss()
    yield
    grown = _peak_rss() - start
    assert grown < MEMORY_BOUND, f"peak RSS grew by {grown / 2**20:.0f} MiB during the fuzz run"


# ---------------------------------------------------------------- (a) the loader

SCHEMA_KEYS = [
    "paper",
    "date",
    "page",
    "section",
    "format",
    "preset",
    "trim",
    "type_area",
    "columns",
    "body_size",
    "type",
    "fonts",
    "fallbacks",
    "hao",
    "header",
    "credits",
    "masthead",
    "title",
    "articles",
    "id",
    "headline",
    "body",
    "body_file",
    "place",
    "col",
    "span",
    "top",
    "height",
    "photos",
    "file",
    "caption",
    "sidebar",
    "head",
    "size",
    "continue_in",
    "<<",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "auto",
            "bottom",
            "30mm",
            "5行",
            "3字",
            "1e400mm",
            "9" * 320 + "mm",
            "小初",
            "2024-02-30",
            "20240520",
            "../x.md",
            "/etc/passwd",
            "a\x00b",
            "x" * 5000,
            "株洲日报",
            "\U00031350",
        ]
    ),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6),
        st.dictionaries(
            st.one_of(st.sampled_from(SCHEMA_KEYS), st.text(max_size=8)), children, max_size=6
        ),
    ),
    max_leaves=40,
)

BASE = yaml.safe_load(C.BASE.replace("date: 2024-03-06", "date: '2024-03-06'"))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


@st.composite
def grafted(draw):
    """The valid page with one field (or a new one) replaced by a random structure."""
    import copy

    doc = copy.deepcopy(BASE)
    paths = [p for p in _paths(doc) if p]
    path = draw(st.sampled_from(paths))
    node = doc
    for part in path[:-1]:
        node = node[part]
    value = draw(structures)
    if isinstance(node, dict) and draw(st.booleans()):
        node[draw(st.sampled_from(SCHEMA_KEYS))] = value
    else:
        node[path[-1]] = value
    return doc


def _dump(doc) -> bytes:
    try:
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode(
            "utf-8", "surrogatepass"
        )
    except (yaml.YAMLError, UnicodeEncodeError, RecursionError):
        return repr(doc).encode("utf-8", "surrogatepass")


def _load_and_layout(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.yaml"
        path.write_bytes(content)
        try:
            api.layout(load_issue(path))
        except PaibanError as exc:
            assert exc.message and "\n" not in exc.message, exc.message
            assert len(exc.message) < 1000 and not C_LONG_DIGITS(exc.message), exc.message


def C_LONG_DIGITS(text: str) -> bool:
    """True when a message echoes a number of 25 digits or more."""
    import re

    return re.search(r"\d{25,}", text) is not None


@SETTINGS
@given(structures)
def test_loader_on_random_yaml_documents(memory_bound, doc):
    _load_and_layout(_dump(doc))


@SETTINGS
@given(grafted())
def test_loader_on_a_page_with_a_random_structure_grafted_in(memory_bound, doc):
    _load_and_layout(_dump(doc))


# ---------------------------------------------------------------- (b) preflight


def _seed_pdf() -> bytes:
    """A small PDF exercising the walker: colours, ink, a form, an image, an ICC space, text."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(200, 200))
    icc = pikepdf.Stream(pdf, zlib.compress(b"\x00" * 16 + b"RGB " + b"\x00" * 108))
    icc.Filter, icc.N = pikepdf.Name.FlateDecode, 3
    form = pikepdf.Stream(pdf, b"q 0 0 0 1 k 0 0 5 5 re f Q")
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 5, 5]
    image = pikepdf.Stream(pdf, bytes(range(48)))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 4, 4, 8
    image.ColorSpace = pikepdf.Name.DeviceRGB
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    page.obj.Resources = pikepdf.Dictionary(
        XObject=pikepdf.Dictionary(Fm0=pdf.make_indirect(form), Im0=pdf.make_indirect(image)),
        ColorSpace=pikepdf.Dictionary(
            CS0=pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_indirect(icc)])
        ),
        Font=pikepdf.Dictionary(F1=font),
        ExtGState=pikepdf.Dictionary(GS0=pikepdf.Dictionary(op=True, OPM=1, ca=0.5)),
    )
    content = (
        b"q /GS0 gs 1 0 0 RG 0.9 0.9 0.9 0.9 k 10 10 50 50 re f /CS0 cs 1 0 0 sc 0 0 9 9 re f "
        b"/Fm0 Do q 20 0 0 20 50 50 cm /Im0 Do Q BT /F1 12 Tf 0 0 0 1 k (news) Tj ET Q"
    )
    page.obj.Contents = pdf.make_indirect(pikepdf.Stream(pdf, zlib.compress(content)))
    page.obj.Contents.Filter = pikepdf.Name.FlateDecode
    page.obj.TrimBox = [5, 5, 195, 195]
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return buf.getvalue()


SEED = _seed_pdf()

TOKENS = [
    b"<<",
    b">>",
    b"[",
    b"]",
    b"/Length 999999999",
    b"/Filter /FlateDecode",
    b"stream\n",
    b"endstream",
    b"1 0 R",
    b"9999 0 R",
    b"obj",
    b"endobj",
    b"/Type /Page",
    b"/Kids [3 0 R 3 0 R]",
    b"q " * 50,
    b"Q",
    b"/XObject << /Fm0 6 0 R >>",
    b"xref\n0 1\n",
    b"trailer",
    b"%%EOF",
    b"\x00" * 8,
    b"(",
    b")",
    b"\\",
]


@st.composite
def mutated_pdfs(draw):
    """The seed PDF with a few random mutations."""
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "delete"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip":
            data[pos] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[pos:]
        elif kind == "insert":
            data[pos:pos] = draw(st.sampled_from(TOKENS))
        elif kind == "repeat":
            end = min(len(data), pos + draw(st.integers(1, 200)))
            data[pos:pos] = bytes(data[pos:end]) * draw(st.integers(1, 20))
        else:
            del data[pos : pos + draw(st.integers(1, 50))]
        if not data:
            data = bytearray(b"%PDF-1.4\n")
    return bytes(data)


def test_the_seed_pdf_exercises_the_walker():
    report = preflight(SEED, require_pdfx=False)
    checks = {f.check for f in report.findings}
    assert {"colour", "ink", "transparency", "images", "fonts"} <= checks, report.findings


@SETTINGS
@given(mutated_pdfs())
def test_preflight_on_mutated_pdfs(memory_bound, data):
    try:
        report = preflight(data, require_pdfx=False)
    except PdfError as exc:
        assert exc.message and "\n" not in exc.message
        return
    assert isinstance(report, PreflightReport)
    for f in report.findings:
        assert f.severity in ("error", "warning", "info") and f.message
