"""Copy-fit figures (算稿): what each text flow holds, uses, leaves over and leaves empty.

Owns ``FitEntry``, one row of the fit report per text flow (an article's chain of modules, a
sidebar): capacity and use in line slots of its columns, the overset in lines and characters,
the underset, the deepest run of empty lines at a column foot, the characters of the copy and
the adjustments auto-fit made.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FitEntry:
    """One row of the fit report (lines are column-lines: line slots of one column)."""

    id: str
    capacity_lines: int
    used_lines: int
    overset_lines: int
    overset_chars: int
    underset_lines: int
    empty_tail: int
    chars: int
    adjustments: tuple[str, ...] = ()
    article: str = ""
    """The article whose copy this is (a sidebar's entry belongs to its article)."""

    @property
    def overset(self) -> bool:
        """True when text did not fit."""
        return bool(self.overset_lines or self.overset_chars)


def fit_entry(id: str, capacity: int, used: int, overset_lines: int, overset_chars: int, chars: int,
              tail: int, adjustments: tuple[str, ...] = (), article: str = "") -> FitEntry:
    """A fit row; the underset is what the flow's capacity leaves unused."""
    return FitEntry(id, capacity, used, overset_lines, overset_chars, max(0, capacity - used), tail, chars,
                    tuple(adjustments), article or id)
