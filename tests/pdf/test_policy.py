"""Print policy: overprint and knockout decided once on the frame tree; the writer only reads it.

Decisions per item kind are asserted directly; the separations (Ghostscript ``tiffsep``) show
that a K-only glyph run the policy marked keeps the cyan under it, and that the same page
without the pass (every item still ``overprint=False``) knocks it out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from layout.fonts import load_face
from layout.frames import (
    K100,
    REGISTRATION,
    WHITE,
    Box,
    Fill,
    GlyphRun,
    Group,
    Image,
    Page,
    Rule,
    TextLine,
)
from layout.pdf import policy
from layout.pdf.writer import write_pdf

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.separations import gs_path, plates

CYAN = (1.0, 0.0, 0.0, 0.0)
GREY = (0.0, 0.0, 0.0, 0.4)


def _run(color=K100, **kw) -> GlyphRun:
    return GlyphRun(0, 0, "字", "F", 9.0, color=color, **kw)


def test_decisions_per_item():
    assert policy.overprints(_run(K100)) and policy.overprints(_run(GREY))
    assert not policy.overprints(_run(WHITE)) and not policy.overprints(_run(CYAN))
    assert not policy.overprints(_run(REGISTRATION))
    assert policy.overprints(Rule(0, 0, 1, 1)) and policy.overprints(Rule(0, 0, 1, 1, color=GREY))
    assert not policy.overprints(Rule(0, 0, 1, 1, color=REGISTRATION))
    assert policy.overprints(Box(0, 0, 1, 1)) and not policy.overprints(Box(0, 0, 1, 1, color=CYAN))
    assert policy.overprints(Fill(0, 0, 1, 1, K100))
    assert not policy.overprints(Fill(0, 0, 1, 1, GREY))  # a tint panel knocks out
    image = Image(0, 0, 10, 10, "a.jpg", "/a.jpg", "0" * 64, (10, 10), (0, 0, 10, 10))
    assert not policy.overprints(image)


def test_the_pass_sets_fields_and_keeps_what_does_not_change():
    white = TextLine(0, 10, 50, 50, "反白", (_run(WHITE),), kind="head")
    black = TextLine(0, 20, 50, 50, "字", (_run(K100), _run(CYAN)))
    fill = Fill(0, 0, 5, 5, GREY)  # stays False: the very same object comes back
    root = Group("page", "p", 0, 0, 100, 100, (Group("module", "m", 5, 5, 50, 50, (white, black, fill)),))
    marks = Group("marks", "marks", -20, -20, 140, 140, (Rule(0, 0, 1, 1, color=REGISTRATION),))
    page = Page(100, 100, root, marks=marks)
    out = policy.apply(page)
    w, b, f = out.root.items[0].items
    assert w is white and f is fill and out.marks is marks
    assert [r.overprint for r in b.runs] == [True, False]
    assert (b.x, b.y, b.text) == (black.x, black.y, black.text)  # nothing else touched
    assert policy.apply(out) is out  # idempotent


def _cyan_page(face) -> Page:
    text = TextLine(20, 80, 160, 160, "黑字", (GlyphRun(20, 80, "黑字", face.key, 60.0),))
    return Page(200, 100, Group("page", "p", 0, 0, 200, 100, (Fill(0, 0, 200, 100, CYAN), text)))


@pytest.mark.skipif(gs_path() is None, reason="Ghostscript (gs) is not installed")
def test_writer_reads_the_field_on_the_separations(tmp_path):
    face = load_face(ROOT / "fonts" / "PaibanSansSC-Bold.ttf")
    page = _cyan_page(face)
    results = {}
    for name, tree in (("policy", policy.apply(page)), ("raw", page)):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(write_pdf(tree, {face.key: face}, marks=False))
        results[name] = plates(pdf, 72)
    for sep in results.values():
        assert sep["Magenta"].max() == 0 and sep["Yellow"].max() == 0
    glyph = results["policy"]["Black"] > 90
    assert glyph.sum() > 500
    assert results["policy"]["Cyan"][glyph].mean() > 99  # overprinted: the cyan stays under black
    glyph_raw = results["raw"]["Black"] > 90
    assert results["raw"]["Cyan"][glyph_raw].mean() < 10  # no pass, no overprint: knocked out
