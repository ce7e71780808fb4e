"""Flow: body text broken once per measure, then distributed line by line into column slots.

Owns the flow units (a body line, a byline line, a subhead block with its white), the column
slots of a module (column segments left free by heads, photos and sidebars), the distribution
of units into slots with keep-with-next for subheads (never stranded at a column foot),
balancing of the columns at the module's end, and the cursor that says where a story stopped
(continuation, 续排) — overflow is data, not an exception (typst ``flow``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import text as T

KEEP_AFTER_SUBHEAD = 2
"""Body lines that must follow a subhead in the same column (keep-with-next)."""


@dataclass(frozen=True)
class Unit:
    """A piece of flow that occupies ``n`` whole line slots of one column.

    ``lines`` holds (slot offset, line, size, kind) — the text lines and on which of the unit's
    slots each sits. ``top_white`` slots at the top are dropped when the unit starts a column.
    ``keep`` asks that this many further line slots follow in the same column.
    """

    n: int
    lines: tuple[tuple[int, T.Line, str], ...]
    top_white: int = 0
    keep: int = 0
    chars: int = 0
    para: int = -1


@dataclass(frozen=True)
class Slot:
    """A free column segment: x, measure, and the page lines [first, end) it offers."""

    x: float
    w: float
    first: int
    end: int

    @property
    def size(self) -> int:
        """Number of line slots."""
        return self.end - self.first


@dataclass(frozen=True)
class Placed:
    """A text line placed on page line ``line`` at column x."""

    x: float
    line: int
    text: T.Line
    kind: str


@dataclass
class FlowResult:
    """Where each unit went, how much did not fit, and the cursor where the story stopped."""

    placed: list[Placed] = field(default_factory=list)
    cursor: int = 0
    overset_lines: int = 0
    overset_chars: int = 0
    used: dict[int, int] = field(default_factory=dict)  # slot index -> lines used
    starts: dict[int, int] = field(default_factory=dict)  # slot index -> first unit set in it

    @property
    def complete(self) -> bool:
        """True when every unit was placed."""
        return self.overset_lines == 0


def ink_chars(line: T.Line) -> int:
    """Characters a line sets, spaces not counted (what 算稿 counts)."""
    return sum(1 for ch in line.text if not ch.isspace())


def paragraph_units(lines: list[T.Line], kind: str, para: int) -> list[Unit]:
    """One unit per line of a paragraph."""
    return [Unit(1, ((0, line, kind),), chars=ink_chars(line), para=para) for line in lines]


def subhead_unit(lines: list[T.Line], para: int, white_before: int = 1, white_after: int = 1) -> Unit:
    """A subhead block: white lines before and after, never left at a column foot."""
    n = white_before + len(lines) + white_after
    placed = tuple((white_before + i, line, "subhead") for i, line in enumerate(lines))
    chars = sum(ink_chars(line) for line in lines)
    return Unit(n, placed, top_white=white_before, keep=KEEP_AFTER_SUBHEAD, chars=chars, para=para)


def distribute(units: list[Unit], slots: list[Slot], start: int = 0, limit: int | None = None,
               short: frozenset[int] = frozenset(), limit_from: int = 0, *,
               lines: bool = True) -> FlowResult:
    """Fill ``slots`` in order with ``units[start:]``.

    Lines below ``limit`` are not used in the slots from index ``limit_from`` on (the last
    module of a chain), and the slots whose index is in ``short`` stop one line above it.
    With ``lines=False`` nothing is placed (``placed`` stays empty), only counted: a module
    that is measured, not drawn.
    """
    result = FlowResult()
    i = start
    n_units = len(units)
    for s_index, slot in enumerate(slots):
        if limit is None or s_index < limit_from:
            end = slot.end
        else:
            end = min(slot.end, limit - (1 if s_index in short else 0))
        pos = slot.first
        result.starts[s_index] = i
        while i < n_units and pos < end:
            unit = units[i]
            skip = unit.top_white if pos == slot.first else 0
            need = unit.n - skip
            if unit.keep:
                # keep-with-next: the subhead and the first lines after it share a column.
                need_total = need + min(unit.keep, _following_lines(units, i + 1, unit.keep))
                if pos + need_total > end:
                    if pos == slot.first and need_total > end - slot.first:
                        pass  # a column too short for the block at all: place it anyway
                    else:
                        break
            if pos + need > end:
                break
            for offset, line, kind in unit.lines if lines else ():
                row = pos + offset - skip
                if row < pos:
                    continue
                result.placed.append(Placed(slot.x, row, line, kind))
            pos += need
            i += 1
        result.used[s_index] = pos - slot.first
    result.cursor = i
    for unit in units[i:]:
        result.overset_lines += unit.n - unit.top_white
        result.overset_chars += unit.chars
    return result


def _following_lines(units: list[Unit], j: int, want: int) -> int:
    got = 0
    while j < len(units) and got < want:
        got += units[j].n
        j += 1
    return got


def _plain_runs(units: list[Unit]) -> tuple[list[int], list[int]]:
    """For each index, how many plain units (one line, no white, no keep) start a run there,
    and the lines ``units[i:]`` still need (top white not counted): what ``_fits`` reads."""
    n = len(units)
    runs, left = [0] * (n + 1), [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        u = units[i]
        runs[i] = runs[i + 1] + 1 if u.n == 1 and not u.top_white and not u.keep else 0
        left[i] = left[i + 1] + u.n - u.top_white
    return runs, left


def _fits(units: list[Unit], slots: list[Slot], start: int, limit: int, short: frozenset[int],
          limit_from: int, plain: tuple[list[int], list[int]]) -> bool:
    """``distribute(units, slots, start, limit, short, limit_from).complete`` without placing a
    line: a run of plain units goes into a slot at once (balancing tries a dozen feet)."""
    runs, left = plain
    i = start
    n_units = len(units)
    for s_index, slot in enumerate(slots):
        if s_index < limit_from:
            end = slot.end
        else:
            end = min(slot.end, limit - (1 if s_index in short else 0))
        pos = slot.first
        while i < n_units and pos < end:
            run = runs[i]
            if run:  # each needs one line and nothing after it: as many as the slot holds
                take = min(run, end - pos)
                pos += take
                i += take
                continue
            unit = units[i]
            skip = unit.top_white if pos == slot.first else 0
            need = unit.n - skip
            if unit.keep:  # as in ``distribute``
                need_total = need + min(unit.keep, _following_lines(units, i + 1, unit.keep))
                if pos + need_total > end and not (pos == slot.first and need_total > end - slot.first):
                    break
            if pos + need > end:
                break
            pos += need
            i += 1
    return left[i] == 0


def balance(units: list[Unit], slots: list[Slot], start: int, low: int, high: int,
            limit_from: int = 0, *, lines: bool = True) -> tuple[int, FlowResult]:
    """Find the smallest bottom line in [low, high] at which all units still fit (balanced end).

    Columns then end together at that line instead of the last column running short. Only the
    slots from ``limit_from`` on (the last module of a continuation chain) are balanced.
    Returns (bottom, result); when nothing fits even at ``high`` the result carries the overset.
    ``lines=False``: the result is counted only (see ``distribute``).
    """
    # The trials only count (no lines placed); the result is distributed once, at the end.
    plain = _plain_runs(units)
    if not _fits(units, slots, start, high, frozenset(), limit_from, plain):
        return high, distribute(units, slots, start, high, limit_from=limit_from, lines=lines)
    lo, hi = low, high
    while lo < hi:
        mid = (lo + hi) // 2
        if _fits(units, slots, start, mid, frozenset(), limit_from, plain):
            hi = mid
        else:
            lo = mid + 1
    # Even the foot: the last columns that reach the bottom line may stop one line higher, as
    # long as everything still fits — white is spread as single lines over the last columns
    # instead of gathering at the foot of the very last one (7, 6, 6, 6 rather than 7, 7, 7, 4).
    foot = [i for i, s in enumerate(slots) if i >= limit_from and s.end >= hi and s.first < hi - 1]
    lo_k, hi_k = 0, len(foot)
    while lo_k < hi_k:
        k = (lo_k + hi_k + 1) // 2
        if _fits(units, slots, start, hi, frozenset(foot[len(foot) - k:]), limit_from, plain):
            lo_k = k
        else:
            hi_k = k - 1
    if lo_k:
        shorter = frozenset(foot[len(foot) - lo_k:])
        return hi, distribute(units, slots, start, hi, shorter, limit_from, lines=lines)
    return hi, distribute(units, slots, start, hi, limit_from=limit_from, lines=lines)


def free_segments(columns: list[tuple[float, float]], first: int, end: int,
                  blocked: list[tuple[float, float, int, int]]) -> list[Slot]:
    """Column segments of the lines [first, end) not covered by ``blocked`` rectangles.

    ``blocked`` holds (x0, x1, line0, line1) in pt and page lines; a segment is blocked when
    the rectangle overlaps the column horizontally.
    """
    slots: list[Slot] = []
    for x, w in columns:
        taken = sorted((b[2], b[3]) for b in blocked if b[0] < x + w - 0.5 and b[1] > x + 0.5)
        pos = first
        for a, b in taken:
            a, b = max(a, first), min(b, end)
            if a > pos:
                slots.append(Slot(x, w, pos, a))
            pos = max(pos, b)
        if pos < end:
            slots.append(Slot(x, w, pos, end))
    return slots
