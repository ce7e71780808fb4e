"""The plan stage: every page decision before composition, as typed, immutable values.

Owns the page grid (``grid``), rectangles and regions on it (``geometry``: plain modules, L and
inverted L), the plans of modules, heads, photos, sidebars, story chains and the page
(``types``), the masthead's geometry (``furniture``) and ``plan_page`` (``planner``), which
holds every placement rule and raises every placement ``InputError`` with its YAML path.
Composition reads a ``PagePlan`` and trusts it.
"""

from .geometry import GridRect, Region, RegionError
from .grid import Grid, make_grid
from .planner import plan_page
from .types import (
    Chain,
    HeadPlan,
    MastheadPlan,
    ModulePlan,
    PagePlan,
    PhotoPlan,
    SidebarPlan,
    StoryPlan,
)

__all__ = [
    "Chain", "Grid", "GridRect", "HeadPlan", "MastheadPlan", "ModulePlan", "PagePlan", "PhotoPlan",
    "Region", "RegionError", "SidebarPlan", "StoryPlan", "make_grid", "plan_page",
]
