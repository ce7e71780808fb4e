"""Affine matrices in PDF's convention, shared by the vector-art reader and preflight.

Owns ``Matrix`` (a, b, c, d, e, f as in PDF 32000-1 §8.3.3: a point is the row vector
``[x y 1]`` times the matrix), ``IDENTITY``, ``multiply`` and ``apply``.
"""

from __future__ import annotations

Matrix = tuple[float, float, float, float, float, float]
"""An affine transform (a, b, c, d, e, f)."""

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
"""The transform that changes nothing."""


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """Return m × n: the transform that applies ``m`` first, then ``n``."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """Return the point (x, y) transformed by ``m``."""
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f
