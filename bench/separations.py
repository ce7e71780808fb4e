"""Separations: render a PDF page to ink plates with Ghostscript and measure them.

Owns two measurements used by tests and by the bench on the flagship page (print.md §4):
``plates`` renders one page with the ``tiffsep`` device (one 8-bit plate per ink, spot
colours included; overprint is honoured natively) and returns the ink coverage per plate;
``tac_percentile`` renders with ``tiff32nc`` and ``-dOverprint=/simulate`` and returns a
percentile of the per-pixel total area coverage (C+M+Y+K). Both use ``-dUseBleedBox`` so that
registration marks in the slug (400 %) stay out of the measurement.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

GS_TIMEOUT = 300
"""Seconds a Ghostscript render may take (a broadsheet at 150 dpi takes a few)."""


def gs_path() -> str | None:
    """Return the Ghostscript executable, or None if it is not installed."""
    return shutil.which("gs")


def _run_gs(args: list[str]) -> None:
    gs = gs_path()
    if gs is None:
        raise RuntimeError("Ghostscript (gs) is not installed; apt-get install ghostscript")
    proc = subprocess.run(
        [gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", *args],
        capture_output=True,
        text=True,
        timeout=GS_TIMEOUT,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"Ghostscript failed ({proc.returncode}): {proc.stderr.strip()[:500]}")


def plates(
    pdf_path: str | Path, dpi: float = 72, *, page: int = 1, use_bleed_box: bool = True
) -> dict[str, np.ndarray]:
    """Return {plate name: ink coverage in percent (float32 array, 0 = no ink)} for one page.

    Plate names are Ghostscript's: ``Cyan``, ``Magenta``, ``Yellow``, ``Black`` and the names
    of any spot colours (``All`` registration colour is folded into the process plates).
    """
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="paiban-sep-") as tmp:
        out = Path(tmp) / "sep.tif"
        args = [
            "-sDEVICE=tiffsep",
            f"-r{dpi:g}",
            f"-dFirstPage={page}",
            f"-dLastPage={page}",
            f"-sOutputFile={out}",
        ]
        if use_bleed_box:
            args.append("-dUseBleedBox")
        _run_gs([*args, str(pdf_path)])
        result: dict[str, np.ndarray] = {}
        for f in sorted(Path(tmp).glob("sep(*).tif")):
            name = re.fullmatch(r"sep\((.*)\)\.tif", f.name).group(1)  # type: ignore[union-attr]
            with Image.open(f) as im:
                # tiffsep plates are 8-bit grey with 255 = no ink
                arr = np.asarray(im.convert("L"), dtype=np.float32)
            result[name] = (255.0 - arr) * (100.0 / 255.0)
        if not result:
            raise RuntimeError(f"Ghostscript wrote no plates for {pdf_path}")
        return result


def tac_map(
    pdf_path: str | Path, dpi: float = 72, *, page: int = 1, use_bleed_box: bool = True
) -> np.ndarray:
    """Return the per-pixel total area coverage in percent (C+M+Y+K) of one page."""
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="paiban-tac-") as tmp:
        out = Path(tmp) / "page.tif"
        args = [
            "-sDEVICE=tiff32nc",
            f"-r{dpi:g}",
            f"-dFirstPage={page}",
            f"-dLastPage={page}",
            "-dOverprint=/simulate",
            f"-sOutputFile={out}",
        ]
        if use_bleed_box:
            args.append("-dUseBleedBox")
        _run_gs([*args, str(pdf_path)])
        with Image.open(out) as im:
            if im.mode != "CMYK":
                raise RuntimeError(f"unexpected tiff32nc mode {im.mode}")
            arr = np.asarray(im, dtype=np.float32)
    return arr.sum(axis=2) * (100.0 / 255.0)


def tac_percentile(
    pdf_path: str | Path, dpi: float = 72, q: float = 99.9, *, page: int = 1
) -> float:
    """Return the q-th percentile of per-pixel total ink (percent) over the page's BleedBox."""
    return float(np.percentile(tac_map(pdf_path, dpi, page=page), q))


if __name__ == "__main__":  # python bench/separations.py page.pdf [dpi]
    import sys

    path = sys.argv[1]
    res = float(sys.argv[2]) if len(sys.argv) > 2 else 72
    tac = tac_map(path, res)
    print(
        f"{path}: max TAC {tac.max():.0f}%  p99.9 {np.percentile(tac, 99.9):.0f}%  "
        f"p99 {np.percentile(tac, 99):.0f}%  pixels > 240%: {(tac > 240.5).sum()}"
    )
    for name, plate in plates(path, res).items():
        print(f"  {name:>12}: mean ink {plate.mean():5.2f}%  max {plate.max():5.1f}%")
