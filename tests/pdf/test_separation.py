"""Separations: 100 % K text lands only on the Black plate and overprints the cyan under it.

Uses Ghostscript's ``tiffsep`` through ``bench.separations`` (print.md §1.5 proof).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # bench/ is a tool folder, not an installed package

from bench.separations import gs_path, plates, tac_percentile

pytestmark = pytest.mark.skipif(
    gs_path() is None, reason="Ghostscript (gs) is not installed; apt-get install ghostscript"
)


def text_over_cyan(path: Path, *, overprint: bool) -> Path:
    """A 200×100 pt page: a 100 % cyan box, big 100 % K text on it."""
    b = io.BytesIO()
    c = canvas.Canvas(
        b, pagesize=(200, 100), invariant=1, trimBox=(0, 0, 200, 100), bleedBox=(0, 0, 200, 100)
    )
    c.setFillColorCMYK(1, 0, 0, 0)
    c.rect(0, 0, 200, 100, fill=1, stroke=0)
    t = c.beginText(10, 30)
    t.setFont("Helvetica-Bold", 60)
    if overprint:
        t.setFillOverprint(True)
        t.setOverprintMask(True)
    t.setFillColorCMYK(0, 0, 0, 1)
    t.textLine("KKK")
    c.drawText(t)
    c.showPage()
    c.save()
    path.write_bytes(b.getvalue())
    return path


def test_k_text_overprints_cyan(tmp_path: Path) -> None:
    sep = plates(text_over_cyan(tmp_path / "op.pdf", overprint=True), 72)
    assert {"Cyan", "Magenta", "Yellow", "Black"} <= set(sep)
    assert sep["Cyan"].shape == (100, 200)
    glyph = sep["Black"] > 90
    assert glyph.sum() > 500  # the glyphs are there
    assert sep["Magenta"].max() == 0 and sep["Yellow"].max() == 0  # text ink only on Black
    assert sep["Cyan"][glyph].mean() > 99  # cyan kept under the glyphs
    assert sep["Cyan"].min() > 99


def test_knockout_text_removes_cyan(tmp_path: Path) -> None:
    sep = plates(text_over_cyan(tmp_path / "ko.pdf", overprint=False), 72)
    glyph = sep["Black"] > 90
    assert glyph.sum() > 500
    assert sep["Cyan"][glyph].mean() < 10  # knocked out: misregistration shows white


def test_tac_percentile(tmp_path: Path) -> None:
    pdf = text_over_cyan(tmp_path / "op.pdf", overprint=True)
    assert tac_percentile(pdf, 72, 50) == pytest.approx(100, abs=1)  # cyan paper
    assert tac_percentile(pdf, 72, 99.9) == pytest.approx(200, abs=1)  # C + K under the glyphs
    assert np.isfinite(tac_percentile(pdf, 36, 100))
