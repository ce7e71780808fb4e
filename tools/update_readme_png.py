"""Refresh docs/page05.png, the small picture of page 05 that the README shows.

Renders the page with the public API, rasterises the trimmed page at 50 dpi with pypdfium2 and
stores it as a 128-colour PNG (about a third of the size of a full-colour one). Run it after any
change to layout: ``python tools/update_readme_png.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from layout import api
from layout.preview import rasterize

ROOT = Path(__file__).resolve().parent.parent
PAGE05 = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"
OUT = ROOT / "docs" / "page05.png"
DPI = 50


def main() -> None:
    """Render page 05 and write the README picture."""
    result = api.layout(api.load_issue(PAGE05))
    image = rasterize(api.render_pdf_bytes(result), DPI)
    small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    OUT.parent.mkdir(exist_ok=True)
    small.save(OUT, optimize=True)
    print(f"{OUT.relative_to(ROOT)}: {small.width}×{small.height}, {OUT.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main()
