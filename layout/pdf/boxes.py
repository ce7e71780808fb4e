"""Page boxes: reading a PDF box array and testing that one box lies inside another.

Shared by print finishing (which refuses badly nested boxes) and preflight (which reports them):
MediaBox ⊇ BleedBox ⊇ TrimBox, within ``BOX_TOLERANCE``.
"""

from __future__ import annotations

Box = tuple[float, float, float, float]

BOX_TOLERANCE = 0.01
"""Points by which a box may stick out of the box that should contain it (rounding in writers)."""


def read_box(obj) -> Box | None:
    """A box array as (x0, y0, x1, y1) with x0 ≤ x1 and y0 ≤ y1, or None if absent or malformed."""
    if obj is None:
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in obj)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def inside(inner: Box, outer: Box) -> bool:
    """True when ``inner`` lies within ``outer`` (to ``BOX_TOLERANCE``)."""
    t = BOX_TOLERANCE
    return (inner[0] >= outer[0] - t and inner[1] >= outer[1] - t
            and inner[2] <= outer[2] + t and inner[3] <= outer[3] + t)
