"""Refresh the small pictures the README shows: page 05 (placed by hand and by the planner) and
the demonstration front page.

Renders each page with the public API, rasterises the trimmed page at 50 dpi with pypdfium2 and
stores it as a 128-colour PNG (about a third of the size of a full-colour one). Run it after any
change to layout: ``python tools/update_readme_png.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from layout import api
from layout.preview import rasterize

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml": ROOT / "docs" / "page05.png",
    ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05-auto.yaml": ROOT / "docs" / "page05-auto.png",
    ROOT / "issues" / "qinglan-evening" / "2025-04-08" / "page01.yaml": ROOT
    / "docs"
    / "page01-qinglan.png",
}
"""Description → README picture."""
DPI = 50


def main() -> None:
    """Render the pages and write the README pictures."""
    for page, out in PAGES.items():
        result = api.layout(api.load_issue(page))
        image = rasterize(api.render_pdf_bytes(result), DPI)
        small = image.convert("RGB").quantize(
            colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        out.parent.mkdir(exist_ok=True)
        small.save(out, optimize=True)
        print(
            f"{out.relative_to(ROOT)}: {small.width}×{small.height}, "
            f"{out.stat().st_size / 1000:.0f} kB"
        )


if __name__ == "__main__":
    main()
