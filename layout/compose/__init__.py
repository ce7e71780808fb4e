"""Page composition: from an issue description to a frame tree and a fit report.

Owns the newspaper page model: the grid (``grid``), headline blocks (``headline``), body blocks
and their flow through column slots around photos and sidebars (``flow``), article modules
(``article``), page furniture (``furniture``) and the page as a whole (``page``). It never
imports reportlab, typer or the PDF writer.
"""

from .page import FitEntry, LayoutResult, compose_page

__all__ = ["FitEntry", "LayoutResult", "compose_page"]
