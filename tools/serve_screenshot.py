"""Refresh docs/serve.png, the README's picture of ``paiban serve`` in the browser.

Serves page 05 with the real server (in this process), opens it in headless Chromium
(``bench/browser.py``), turns the grid overlay on, selects the ``students`` module and zooms
in a little so the page, the overlays, the fit table and the module panel are all in view;
then stores the window as a 256-colour PNG. Run it after changing the viewer:
``python tools/serve_screenshot.py``.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import chromium, missing  # noqa: E402
from layout.serve import in_thread, make_app  # noqa: E402

PAGE05 = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"
OUT = ROOT / "docs" / "serve.png"
WINDOW = (1500, 950)
"""Browser window in CSS px (device scale 1)."""

SETUP = """
document.getElementById("toggle-grid").checked || document.getElementById("toggle-grid").click();
document.querySelector('#hits rect[data-module="students"]').dispatchEvent(new MouseEvent("click"));
"""
"""What the screenshot shows beyond the defaults: the column grid, one module selected."""


def main() -> int:
    """Take the screenshot; return 1 when no browser is available."""
    reason = missing()
    if reason:
        print(f"cannot take the screenshot: {reason}", file=sys.stderr)
        return 1
    app = make_app(PAGE05)
    driver = chromium(*WINDOW)
    try:
        with in_thread(app) as url:
            driver.get(url)
            deadline = time.monotonic() + 30
            ready = ("return Number(document.body.dataset.goodVersion) >= 1 && "
                     "document.getElementById('live').classList.contains('on')")
            while not driver.execute_script(ready):
                if time.monotonic() > deadline:
                    raise RuntimeError("the page did not load")
                time.sleep(0.05)
            driver.execute_script("localStorage.clear()")
            driver.execute_script(SETUP)
            time.sleep(0.5)
            shot = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
    finally:
        driver.quit()
    small = shot.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    OUT.parent.mkdir(exist_ok=True)
    small.save(OUT, optimize=True)
    print(f"{OUT.relative_to(ROOT)}: {small.width}×{small.height}, {OUT.stat().st_size / 1000:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
