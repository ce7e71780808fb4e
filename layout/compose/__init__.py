"""Page composition: from a page plan to a frame tree and a fit report.

Owns the newspaper page model after planning: the composition environment (``env``), stories
broken per measure with a cursor (``story``), column flow (``flow``), head styles (``heads``,
``headline``), photos and sidebars (``blocks``), modules and chains of modules composed in
their own coordinates (``module``, ``autofit``), page furniture (``furniture``) and the page
as a whole (``page``). It never imports reportlab, typer or the PDF writer.
"""

from .fitreport import FitEntry
from .page import LayoutResult, PlacedModule, compose_page

__all__ = ["FitEntry", "LayoutResult", "PlacedModule", "compose_page"]
