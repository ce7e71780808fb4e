"""Arranging the page: decisions that need composed text to be made.

Owns the steps between planning and final composition that try candidates by composing them:
page-level fit (``pagefit``: moving the edges modules share so that they fill). It imports the
plan stage and composition and is imported by the API only.
"""

from .pagefit import Edge, EdgeMove, PageFit, find_edges, fit_page

__all__ = ["Edge", "EdgeMove", "PageFit", "find_edges", "fit_page"]
