"""Vector art: SVG and PDF logos read into paths (coordinates, colours, fill rules), what a
logo may not hold, and colour conversion within the ink limit."""

from __future__ import annotations

import io

import pytest

from layout.errors import ImageError
from layout.vector import load_art, rgb_to_cmyk

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">
  <rect x="0" y="0" width="10" height="20" fill="#ff0000"/>
  <g transform="translate(20 5)">
    <path d="M0 0 L10 0 L10 10 Z" fill="#808080" fill-rule="evenodd"/></g>
  <line x1="0" y1="19" x2="40" y2="19" stroke="#000000" stroke-width="2"/>
</svg>
"""


def test_rgb_to_cmyk_full_grey_replacement():
    assert rgb_to_cmyk(1, 0, 0) == (0.0, 1.0, 1.0, 0.0)
    assert rgb_to_cmyk(0.5, 0.5, 0.5) == (0.0, 0.0, 0.0, 0.5)
    assert rgb_to_cmyk(0, 0, 0) == (0.0, 0.0, 0.0, 1.0)
    # Dark blue would need 275 %: its K stays, C and M are scaled to the 220 % limit.
    assert rgb_to_cmyk(0, 0, 0.25) == (0.7250, 0.7250, 0.0, 0.75)
    worst = max(
        sum(rgb_to_cmyk(r / 4, g / 4, b / 4)) for r in range(5) for g in range(5) for b in range(5)
    )
    assert worst <= 2.2 + 1e-3


def test_svg_paths_are_in_points_y_down(tmp_path):
    path = tmp_path / "logo.svg"
    path.write_text(SVG, encoding="utf-8")
    art = load_art(path, "logo.svg")
    # svglib reads CSS px: 1 px = 0.75 pt.
    assert (art.width, art.height) == (30.0, 15.0)
    rect, tri, line = art.paths
    assert rect.fill == (0.0, 1.0, 1.0, 0.0) and rect.stroke is None
    assert rect.ops == (
        ("M", 0.0, 0.0),
        ("L", 7.5, 0.0),
        ("L", 7.5, 15.0),
        ("L", 0.0, 15.0),
        ("Z",),
    )
    assert tri.even_odd and tri.fill == (0.0, 0.0, 0.0, round(1 - 128 / 255, 4))
    assert rgb_to_cmyk(0.784, 0.086, 0.114) == (0.0, 0.8903, 0.8546, 0.216)
    assert [op[1:] for op in tri.ops[:3]] == [(15.0, 3.75), (22.5, 3.75), (22.5, 11.25)]
    assert line.fill is None and line.stroke == (0.0, 0.0, 0.0, 1.0) and line.width == 1.5
    assert line.ops == (("M", 0.0, 14.25), ("L", 30.0, 14.25))


def test_placed_scales_uniformly_and_aligns(tmp_path):
    path = tmp_path / "logo.svg"
    path.write_text(SVG, encoding="utf-8")
    art = load_art(path, "logo.svg")
    rect = art.placed(100.0, 200.0, 60.0, 60.0, align="start")[0]
    # Scale 2 (60 / 30); vertically centred: (60 − 30) / 2 = 15.
    assert (rect.x, rect.y) == (100.0, 215.0)
    assert rect.ops[2] == ("L", 15.0, 30.0)
    assert art.placed(100.0, 200.0, 60.0, 60.0)[0].x == 100.0  # the width fits exactly: no margin


@pytest.mark.parametrize(
    "body, words",
    [
        ('<text x="0" y="10">报</text>', "contains text"),
        ('<rect width="5" height="5" fill="#000" fill-opacity="0.5"/>', "transparency"),
    ],
)
def test_svg_that_would_not_print_as_drawn_is_refused(tmp_path, body, words):
    path = tmp_path / "bad.svg"
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{body}</svg>',
        encoding="utf-8",
    )
    with pytest.raises(ImageError) as info:
        load_art(path, "bad.svg")
    assert words in info.value.message and info.value.hint


def _pdf(draw) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(100, 50), invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_logo_paths_and_colours(tmp_path):
    def draw(c):
        c.setFillColorRGB(0, 0, 1)
        c.rect(10, 10, 20, 30, stroke=0, fill=1)
        c.setFillColorCMYK(0, 0.9, 0.85, 0.2)
        c.translate(50, 0)
        p = c.beginPath()
        p.moveTo(0, 0)
        p.curveTo(10, 20, 20, 20, 30, 0)
        p.close()
        c.drawPath(p, stroke=0, fill=1)

    path = tmp_path / "logo.pdf"
    path.write_bytes(_pdf(draw))
    art = load_art(path, "logo.pdf")
    assert (art.width, art.height) == (100.0, 50.0)
    box, curve = art.paths
    assert box.fill == (1.0, 1.0, 0.0, 0.0)
    # y flips: the rectangle from y 10–40 (up) runs from 40 to 10 down from the top.
    assert box.ops[:3] == (("M", 10.0, 40.0), ("L", 30.0, 40.0), ("L", 30.0, 10.0))
    assert curve.fill == (0.0, 0.9, 0.85, 0.2)
    assert curve.ops[1] == ("C", 60.0, 30.0, 70.0, 30.0, 80.0, 50.0)


def test_pdf_logo_with_text_is_refused(tmp_path):
    path = tmp_path / "logo.pdf"
    path.write_bytes(_pdf(lambda c: c.drawString(10, 10, "LOGO")))
    with pytest.raises(ImageError) as info:
        load_art(path, "logo.pdf")
    assert "contains text" in info.value.message and "outlines" in info.value.hint


def test_broken_and_oversized_files_are_refused(tmp_path, monkeypatch):
    import layout.vector as V

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(ImageError) as info:
        load_art(broken, "broken.pdf")
    assert "cannot read PDF" in info.value.message
    big = tmp_path / "big.svg"
    big.write_text(SVG, encoding="utf-8")
    monkeypatch.setattr(V, "MAX_VECTOR_BYTES", 100)
    with pytest.raises(ImageError) as info:
        load_art(big, "big.svg")
    assert "over the limit" in info.value.message
