"""Line breaking: choose where a paragraph's lines end, then set each line.

Owns ``compose`` (a paragraph broken once per measure), ``set_line`` (one line, no breaking),
``natural_width`` and the two breakers:

* **greedy** (default) — first fit with look-back, exactly clreq's 先挤进，后推出: fill the line
  solid; if the natural end is a forbidden break, first try to squeeze the next legal unit in
  with the line's compressible space, and only if that fails push the last unit(s) down (unless
  that unit fits no line at all: then it is broken here). The last line is then checked for
  孤字 and fixed by squeezing it into the line above, or failing that by pulling characters
  down from that line while its gaps open by ≤ ½ em (clreq §4.6).
* **optimal** — least total demerits over the whole paragraph (Knuth–Plass style dynamic
  programming over legal breaks, each line allowed its clreq shrink and a bounded stretch).

Choice, measured by ``bench/bench_text.py`` (13-字 column, 9 pt, bundled Serif SC): on the
flagship page the optimal breaker saves 4 lines of 401 and leaves as many loose lines (1);
on the mixed news text it saves 5 of 203 and has 1 loose line instead of 4 and no 孤字
instead of 1 — but it compresses more lines (67 vs 49), it does not follow clreq's
squeeze-in-first order (R2 of typography.md §6 comes out differently) and it runs at half the
speed (≈270 k vs ≈540 k characters per CPU second). On a narrow newspaper column nearly every
line is either pure hanzi on the grid or has one forced decision, so greedy is the default and
``ParaStyle(breaker="optimal")`` is there for wide measures and mixed text.

Both never split an unbreakable unless it cannot fit any line (then it is broken after
``/ . -`` if possible, else at the measure) and never drop a character.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from .lines import Line, ParaStyle, Span
from .para import EPS, Para

RUNT_PULL_MAX_GAP_EM = 0.5
"""孤字 fix: pulling characters down may open the line above by at most this (em) per gap."""

DEFAULT_STYLE = ParaStyle()

# Costs of the optimal breaker (dimensionless; a line's badness is 100·ratio³ as in TeX).
BADNESS_SCALE = 100.0
"""Badness of a line stretched by its full stretch allowance (ratio 1)."""
STRETCH_ALLOWANCE_EM = 1.0
"""Stretch per line (em) at which the optimal breaker's badness reaches ``BADNESS_SCALE``."""
SHRINK_PENALTY = 10.0
"""Extra demerits for a line that needs compression beyond its natural width (挤进 has a cost)."""
LINE_PENALTY = 10.0
"""Demerits per line (TeX's \\linepenalty): fewer lines are better."""
RUNT_PENALTY = 10000.0
"""Demerits for a last line that is a 孤字 (one hanzi or punctuation only)."""
INFEASIBLE = 1e12


def _line_modes(style: ParaStyle) -> tuple[str, str]:
    """Return the set mode of (non-last lines, last line) for a paragraph style."""
    last_map = {"start": "start", "center": "center", "end": "end", "distribute": "justify"}
    if style.align == "justify":
        return "justify", last_map[style.last_line]
    if style.align == "distribute":
        return "justify", "justify"
    return style.align, style.align


def _next_break(para: Para, a: int, avail: float, avail_next: float) -> int:
    """Return where the line starting at ``a`` ends: natural fit, else squeeze in, else push out."""
    n = para.n
    if para.width(a, n) <= avail + EPS:
        return n
    b = para.fit_end(a, avail)
    brk = para.brk
    if b > a and brk[b]:
        return b
    b1 = b + 1
    while not brk[b1]:
        b1 += 1
    if para.min_width(a, b1) <= avail + EPS:
        return b1  # 先挤进: squeeze the unit in
    bp = b
    while bp > a and not brk[bp]:
        bp -= 1
    if bp > a:
        if para.min_width(bp, b1) <= avail_next + EPS:
            return bp  # 后推出: push the unit down
        # The unit fits no line at all, so pushing it down only leaves a short line here:
        # break inside it instead, filling this line.
        return para.force_end(a, b, bp)
    return para.force_end(a, b)


def _greedy(para: Para, avail1: float, avail2: float) -> list[int]:
    """Break by first fit with look-back; return the end index of every line."""
    n = para.n
    out: list[int] = []
    a = 0
    while a < n:
        b = _next_break(para, a, avail1 if not out else avail2, avail2)
        out.append(b)
        a = b
    return out


def _is_runt(para: Para, a: int) -> bool:
    """Return True when [a, n) as a last line holds fewer than 2 hanzi/words [CLREQ §4.6]."""
    return para.units(a, para.n) < 2


def _fix_runt(para: Para, breaks: list[int], avail1: float, avail2: float) -> None:
    """Fix a 孤字 last line: squeeze it into the line above, else pull characters down [CLREQ §4.6]."""
    if len(breaks) < 2:
        return
    n = para.n
    a_last = breaks[-2]
    if not _is_runt(para, a_last):
        return
    a_pen = breaks[-3] if len(breaks) >= 3 else 0
    avail_pen = avail1 if len(breaks) == 2 else avail2
    if para.min_width(a_pen, n) <= avail_pen + EPS:
        breaks.pop(-2)
        return
    brk = para.brk
    limit = RUNT_PULL_MAX_GAP_EM * para.em
    cand = a_last - 1
    while cand > a_pen:
        if brk[cand]:
            if para.width(cand, n) > avail2 + EPS:
                return
            e = para.vis_end(a_pen, cand)
            gaps = para.E[e - 1] - para.E[a_pen] if e - 1 > a_pen else 0
            if avail_pen - para.width(a_pen, cand) > limit * gaps + EPS:
                return
            if not _is_runt(para, cand):
                breaks[-2] = cand
                return
        cand -= 1


def _optimal(para: Para, avail1: float, avail2: float, avoid_runt: bool) -> list[int]:
    """Break with least total demerits over the paragraph (Knuth–Plass over legal breaks)."""
    n = para.n
    brk = para.brk
    stretch_unit = STRETCH_ALLOWANCE_EM * para.em
    best = {0: (0.0, -1, 0)}  # break position -> (demerits, previous break, lines so far)
    heap = [0]
    seen = {0}
    while heap:
        a = heapq.heappop(heap)  # every line ends after it starts, so index order is a DP order
        if a == n:
            continue
        base, _, lines = best[a]
        avail = avail1 if lines == 0 else avail2
        b0 = para.fit_end(a, avail)
        # Candidates: the legal breaks around the natural fit (push out up to a few units, squeeze in).
        cands: list[int] = []
        if para.width(a, n) <= avail + EPS:
            cands.append(n)
        else:
            j = b0 if b0 > a else a + 1
            back = 0
            while j > a and back < 4:
                if brk[j]:
                    cands.append(j)
                    back += 1
                j -= 1
            j = b0 + 1
            while j <= n:
                if brk[j]:
                    if para.min_width(a, j) <= avail + EPS:
                        cands.append(j)
                    break
                j += 1
            if not cands:
                cands.append(para.force_end(a, b0))
        for b in cands:
            if b == n:
                d = 0.0
                if avoid_runt and lines >= 1 and _is_runt(para, a):
                    d += RUNT_PENALTY
            else:
                w = para.width(a, b)
                slack = avail - w
                if slack >= -EPS:
                    r = slack / stretch_unit
                    d = BADNESS_SCALE * r * r * r
                else:
                    d = SHRINK_PENALTY + BADNESS_SCALE * (-slack / max(w - para.min_width(a, b), EPS)) ** 3
            total = base + LINE_PENALTY + d
            prev = best.get(b)
            if prev is None or total < prev[0] - EPS:
                best[b] = (total, a, lines + 1)
            if b not in seen:
                seen.add(b)
                heapq.heappush(heap, b)
    out = []
    b = n
    while b > 0:
        out.append(b)
        b = best[b][1]
    out.reverse()
    return out


def compose(spans: Sequence[Span], measure: float, style: ParaStyle = DEFAULT_STYLE) -> list[Line]:
    """Break a paragraph into lines of ``measure`` pt and set each line to clreq."""
    para = Para(spans, style)
    if para.n == 0:
        return []
    em = para.em
    ind1 = style.indent * em
    ind2 = style.hanging * em
    avail1 = max(measure - ind1, em)
    avail2 = max(measure - ind2, em)
    if style.breaker == "optimal":
        breaks = _optimal(para, avail1, avail2, style.avoid_runt)
    else:
        breaks = _greedy(para, avail1, avail2)
        if style.avoid_runt:
            _fix_runt(para, breaks, avail1, avail2)
    mode, last_mode = _line_modes(style)
    lines = []
    a = 0
    last_i = len(breaks) - 1
    for idx, b in enumerate(breaks):
        first = idx == 0
        lines.append(para.set(a, b, avail1 if first else avail2, ind1 if first else ind2,
                              last_mode if idx == last_i else mode, idx == last_i, measure))
        a = b
    return lines


def natural_width(spans: Sequence[Span], style: ParaStyle = DEFAULT_STYLE) -> float:
    """Return the width of the text set solid on one line (indent excluded, line-end mark ½ em)."""
    para = Para(spans, style)
    return para.width(0, para.n)


def set_line(spans: Sequence[Span], measure: float, align: str = "start") -> Line:
    """Set the text as one line of ``measure`` pt without breaking; compress if too long.

    A line still too long after compression comes back with ``ink > measure``; the caller
    decides (shrink the size, cut the text).
    """
    style = ParaStyle(indent=0.0, align=align if align != "justify" else "justify")
    para = Para(spans, style)
    mode = "justify" if align in ("justify", "distribute") else align
    return para.set(0, para.n, measure, 0.0, mode, True, measure)
