"""Units: the one internal unit (PostScript points, float) and conversions at the input edge.

Owns: mm/pt conversion, the 号 (hao) size table, lengths written as ``"12mm"``, ``"9pt"``,
``"3字"`` (body ems) or ``"5行"`` (body line pitches), and the single tolerance ``EPS`` with
``fits()`` / ``approx_eq()``. Coordinates everywhere inside the engine are points with the
origin at the top-left of the trimmed page and y growing downwards; only the PDF writer flips y.
"""

from __future__ import annotations

import re

MM = 72.0 / 25.4
"""Points per millimetre (1 pt = 1/72 in)."""

EPS = 1e-3
"""The one tolerance, in points, for comparing layout lengths (typst's ``Abs::fits``)."""


def mm(value: float) -> float:
    """Convert millimetres to points."""
    return value * MM


def to_mm(points: float) -> float:
    """Convert points to millimetres."""
    return points / MM


def fits(length: float, available: float) -> bool:
    """Return True when ``length`` fits into ``available`` within ``EPS``."""
    return length <= available + EPS


def approx_eq(a: float, b: float, tol: float = EPS) -> bool:
    """Return True when two lengths are equal within ``tol`` (default ``EPS``)."""
    return abs(a - b) <= tol


HAO_SIZES: dict[str, float] = {
    # GB/T 40070—2021 / Word column of reference/typography.md §1.4, in pt. 小初 is 36 pt here;
    # the newspaper-editing textbook uses 30 pt, so the table is overridable per issue.
    "初号": 42.0,
    "小初": 36.0,
    "一号": 26.0,
    "小一": 24.0,
    "二号": 22.0,
    "小二": 18.0,
    "三号": 16.0,
    "小三": 15.0,
    "四号": 14.0,
    "小四": 12.0,
    "五号": 10.5,
    "小五": 9.0,
    "六号": 7.5,
    "小六": 6.5,
    "七号": 5.5,
    "八号": 5.0,
}
"""号 names → pt (GB/T 40070—2021, as ctex and Word use them)."""

_LENGTH_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|字|行|em|lines?)?\s*$")


class LengthError(ValueError):
    """A length string could not be read (raised at the input edge, wrapped by the model)."""


def parse_size(value: float | str, table: dict[str, float] | None = None) -> float:
    """Read a type size: a number of pt, ``"10.5pt"`` or a 号 name such as ``"小五"``."""
    if isinstance(value, bool):
        raise LengthError(f"expected a size, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    text = value.strip()
    sizes = table if table is not None else HAO_SIZES
    if text in sizes:
        return sizes[text]
    m = _LENGTH_RE.match(text)
    if m and (m.group(2) in (None, "pt")):
        return float(m.group(1))
    if m and m.group(2) == "mm":
        return mm(float(m.group(1)))
    names = "、".join(sizes)
    raise LengthError(f"unknown type size {value!r}; use pt (e.g. 9 or '10.5pt') or a 号 name ({names})")


def parse_length(value: float | str, *, em: float, pitch: float) -> float:
    """Read a length in pt: a number (pt) or ``"12mm"``, ``"3字"``/``"3em"``, ``"5行"``/``"5 lines"``.

    ``em`` is the body character size and ``pitch`` the body line pitch, both in pt.
    """
    if isinstance(value, bool):
        raise LengthError(f"expected a length, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    m = _LENGTH_RE.match(value)
    if not m:
        raise LengthError(f"cannot read length {value!r}; write e.g. 12mm, 30pt, 3字 or 5行")
    number, unit = float(m.group(1)), m.group(2)
    if unit in (None, "pt"):
        return number
    if unit == "mm":
        return mm(number)
    if unit == "cm":
        return mm(number * 10)
    if unit in ("字", "em"):
        return number * em
    return number * pitch  # 行 / line / lines
