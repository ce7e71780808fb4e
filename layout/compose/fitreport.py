"""Copy-fit figures (算稿): what each text flow holds, uses, leaves over and leaves empty.

Owns ``FitEntry``, one row of the fit report per text flow (an article's chain of modules, a
sidebar): capacity and use in column-lines (line slots of one column), the overset in lines
and characters, the underset, the deepest run of empty lines at a column foot, the characters
of the copy, the measure in 字 that turns column-lines into characters (an editor counts in 字:
"this module holds 1,950 字, you have 1,890"), the changes auto-fit and page-level fit made,
and the reasons, in words, for white a module could not fill.
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
    chars_per_line: float = 0.0
    """The measure in body characters (字): one column-line holds this many."""
    reasons: tuple[str, ...] = ()
    """Why the module is over- and underset at once, or keeps white auto-fit could not take."""
    held: tuple[tuple[int, int, int], ...] = ()
    """White held above a column's foot because what follows could not start there: (column
    from 1, white lines, block index of the paragraph that ends above it)."""

    @property
    def capacity_chars(self) -> int:
        """What the module holds in 字: its column-lines at the measure."""
        return round(self.capacity_lines * self.chars_per_line)

    @property
    def short_chars(self) -> int:
        """About how many more 字 the module takes: its empty column-lines at the measure."""
        return round(self.underset_lines * self.chars_per_line)

    @property
    def copy_lines(self) -> int:
        """Column-lines the copy needs: what is set plus what is overset."""
        return self.used_lines + self.overset_lines

    @property
    def overset(self) -> bool:
        """True when text did not fit."""
        return bool(self.overset_lines or self.overset_chars)


def fit_entry(id: str, capacity: int, used: int, overset_lines: int, overset_chars: int, chars: int,
              tail: int, adjustments: tuple[str, ...] = (), article: str = "", chars_per_line: float = 0.0,
              reasons: tuple[str, ...] = (), held: tuple = ()) -> FitEntry:
    """A fit row; the underset is what the flow's capacity leaves unused."""
    return FitEntry(id, capacity, used, overset_lines, overset_chars, max(0, capacity - used), tail, chars,
                    tuple(adjustments), article or id, chars_per_line, tuple(reasons), tuple(held))
