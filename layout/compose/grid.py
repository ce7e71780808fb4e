"""The page grid, re-exported for composition code: it is defined by the plan stage
(``layout.plan.grid``), since every placement is validated against it there."""

from ..plan.grid import DEFAULT_LINE_GAP, PRESETS, Grid, make_grid

__all__ = ["DEFAULT_LINE_GAP", "PRESETS", "Grid", "make_grid"]
