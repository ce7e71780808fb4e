"""Line breaking: choose where a paragraph's lines end, then set each line.

Owns ``compose`` (a paragraph broken once per measure), ``set_line`` (one line, no breaking),
``natural_width``, the cost of a candidate line and the breakers:

* **greedy** (default) — first fit with look-back, exactly clreq's 先挤进，后推出: fill the line
  solid; if the natural end is a forbidden break, first try to squeeze the next legal unit in
  with the line's compressible space, and only if that fails push the last unit(s) down (unless
  that unit fits no line at all: then it is condensed or broken). A 孤字 last line is first
  fixed the clreq way (squeezed into the line above, or characters pulled down, §4.6). Then
  every line whose cost is above ``REPAIR_COST`` (a gap opened by more than
  ``REPAIR_FROM_EM``, a stretched Han–Western gap, a loose Latin line) or a 孤字 left over
  triggers a **total-fit repair** of a window of lines around it: least total demerits over
  those lines, which may re-break earlier lines, squeeze punctuation, hyphenate a Latin word or
  break a long token at a permitted point, and sets as many lines as greedy did unless one
  more or fewer is the only way to avoid a loose line (``COUNT_CHANGE_PENALTY``). Most
  lines of a narrow Chinese column are on the grid or have one forced decision, so the repair
  runs rarely and the breaker stays fast (``bench/bench_text.py``).
* **optimal** — the same total fit over the whole paragraph (Knuth–Plass style dynamic
  programming over legal breaks, pruned by the greedy solution's cost), which may also save
  lines.

Costs (issue 17): a stretched line's badness grows with the cube of the gap it opens
(``BADNESS_SCALE`` at ⅛ em, so ¼ em costs 800 and ½ em 6400); compressing punctuation is cheap
(``SHRINK_COST``); a hyphen or a break inside a URL costs little; a 孤字 costs
``RUNT_PENALTY`` (a line opened by about 0.46 em), so a 孤字 fix never buys a line with gaps of
½ em; stretching Han–Western gaps costs more than ½-em hanzi gaps; a line of URL pieces that
cannot be justified is left short at ``RAGGED_COST`` and more the shorter it is; a gap over
½ em is ``LOOSE_COST`` and over 1 em far more.

Only justified paragraphs are repaired: ragged ones (start, center, end) never stretch.

Both never split an unbreakable unless it cannot fit any line (then it is broken after
``/ . _ -`` or before ``?`` if a long token, condensed down to ``TOKEN_MIN_SCALE`` if that makes
it fit, else broken at the measure, and the line carries a ``note``) and never drop a character.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from .classes import (
    GAP_STRETCH_EM,
    HAN_STRETCH_MAX_EM,
    TOKEN_MIN_SCALE,
    WEST_SCALE_MAX,
    WEST_SCALE_MIN,
)
from .lines import Line, ParaStyle, Span
from .para import BREAK_SPACES, EPS, OPEN, Para

SPACE_KINDS = BREAK_SPACES

RUNT_PULL_MAX_GAP_EM = 0.5
"""孤字 fix: pulling characters down may open the line above by at most this (em) per gap."""

DEFAULT_STYLE = ParaStyle()

# Costs of a line (dimensionless, TeX-like demerits).
BADNESS_SCALE = 100.0
"""Badness of a line whose CJK gaps and word spaces are opened by ``STRETCH_UNIT_EM`` each."""
STRETCH_UNIT_EM = 0.125
"""Stretch per gap (em) at which a line's badness reaches ``BADNESS_SCALE``; badness ∝ ratio³."""
SHRINK_COST = 3.0
"""Demerits of a line compressed by all its clreq compression (∝ ratio²): 挤进 is cheap, so
compressing punctuation is preferred to opening gaps (clreq's 先挤进后推出, issue 17)."""
SCALE_COST = 300.0
"""Demerits of a line whose Western glyphs are scaled by the full ±3 % (``WEST_SCALE_MIN``/``MAX``),
the last resort of a line of URL pieces or Latin with nothing else to justify it."""
GAP_STRETCH_COST = 7000.0
"""Demerits of a line that must stretch its Han–Western gaps: more than a line whose hanzi gaps
open by ½ em (6400), up to twice this when they take their whole ⅛ em."""
LOOSE_COST = 20000.0
"""Demerits of a line with a gap wider than ½ em (a loose line), times 1 + the em beyond."""
VERY_LOOSE_COST = 100000.0
"""Extra demerits of a line with a gap of about 1 em or more (``VERY_LOOSE_EM``)."""
VERY_LOOSE_EM = 0.95
"""A gap this wide (em) counts as 1 em for ``VERY_LOOSE_COST`` (rounding must not let 1 em by)."""
RAGGED_COST = 5000.0
"""Demerits of a justified line with nothing to stretch (a piece of a long URL), left short rather
than letter-spaced; a piece short by under 4 em costs less than a loose line."""
RAGGED_COST_PER_EM = 4000.0
"""…plus this per em the line falls short: a short piece looks like a paragraph's end."""
FORCED_COST = 1000000.0
"""Demerits of a line that had to be condensed or broken inside an unbreakable."""
RUNT_PENALTY = 5000.0
"""Demerits of a 孤字 last line [CLREQ §4.6]: a line opened by about 0.46 em costs as much, so a
孤字 fix never costs a line opened by ½ em, let alone a loose one (issue 17)."""
HYPHEN_PENALTY = 150.0
"""Demerits of breaking a Latin word at a hyphen (TeX's \\hyphenpenalty)."""
DOUBLE_HYPHEN_PENALTY = 500.0
"""Extra demerits of two hyphenated lines in a row (TeX's \\doublehyphendemerits, scaled)."""
FOOT_HYPHEN_PENALTY = 1000.0
"""Extra demerits of a hyphen at the end of a line the caller marked as a column foot."""
SOFT_BREAK_PENALTY = 50.0
"""Demerits of breaking a long token (URL, e-mail, path, identifier) at a permitted point."""
COUNT_CHANGE_PENALTY = 6000.0
"""Demerits of a repaired window set in one line more or fewer than greedy set it: more than a
孤字, less than a line opened by ½ em, so the room a paragraph takes changes only to avoid such
lines."""
LINE_PENALTY = 10.0
"""Demerits per line (TeX's \\linepenalty): fewer lines are better."""
REPAIR_FROM_EM = 0.2
"""Greedy lines that open gaps by more than this (em), or cost more in other ways, are repaired."""
REPAIR_COST = BADNESS_SCALE * (REPAIR_FROM_EM / STRETCH_UNIT_EM) ** 3
"""Line cost above which the greedy breaker runs a total-fit repair around the line."""
RUNT_REPAIR_FROM_EM = 0.1
"""A line opened by more than this (em) to fix a 孤字 below it is repaired (re-breaking the
lines above spreads the cost: page 05's 全省市司法行政工作先进 went from 0.2 to ≤ 0.09 em)."""
RUNT_REPAIR_COST = BADNESS_SCALE * (RUNT_REPAIR_FROM_EM / STRETCH_UNIT_EM) ** 3
"""Line cost above which the line a 孤字 fix stretched is repaired."""
REPAIR_BEFORE = 5
"""Lines before a poor line that its repair may re-break (fewer find fewer ways out: with 3,
four more lines of ``bench/texts/tech_news.txt`` open gaps over ½ em)."""
REPAIR_AFTER = 2
"""Lines after a poor line that its repair may re-break."""
BACK_CANDIDATES = 4
"""Legal breaks before the natural end that the total fit tries for one line (push-outs)."""
FIRST_PASS_BOUND = 8000.0
"""The total fit first searches only below these demerits (no loose line, no stretched
Han–Western gap), which keeps its search small; only when that finds nothing does it search up
to greedy's cost."""
INFEASIBLE = 1e12


def line_cost(para: Para, a: int, b: int, avail: float, hyphen: float = 0.0) -> float:
    """Return the demerits of [a, b) set justified in ``avail`` pt, plus a ``hyphen`` pt wide.

    Mirrors ``Para._stretch``: CJK gaps and word spaces share the slack up to ½ em, then the
    Han–Western gaps take up to ⅛ em, then everything opens past its limit.
    """
    # Inlined Para.vis_end/width (this runs for every candidate line of the total fit).
    kind = para.kind
    e = b - 1 if b > a and kind[b - 1] in SPACE_KINDS else b
    if e <= a:
        return 0.0
    k = e - 1
    w = para.W[e] - para.W[a] - para.gap[k] - para.br[k] + hyphen
    if para.trim and kind[a] == OPEN:
        w -= para.bl[a]
    slack = avail - w
    if slack < -EPS:
        cap = w - hyphen - para.min_width(a, b)
        need = -slack
        if need <= cap + EPS:
            r = need / cap
            return SHRINK_COST * r * r
        ww = (para._fx or para.flex())[3]
        west = ww[e] - ww[a]
        over = need - cap
        if west > EPS and over <= (1.0 - WEST_SCALE_MIN) * west + EPS:
            return SHRINK_COST + SCALE_COST * over / ((1.0 - WEST_SCALE_MIN) * west)
        return INFEASIBLE
    if slack <= EPS:
        return 0.0
    em = para.em
    sp, sc, gp, ww = para._fx or para.flex()
    n_han = para.E[k] - para.E[a]
    n_sp = sp[e] - sp[a]
    cap_sp = sc[e] - sc[a]
    n1 = n_han + n_sp
    cap1 = n_han * HAN_STRETCH_MAX_EM * em + cap_sp
    if n1 and slack <= cap1 + EPS:
        x = slack / n1
        if n_sp and n_han and x * n_sp > cap_sp:
            x = (slack - cap_sp) / n_han  # word spaces reached ½ em first
        r = x / (STRETCH_UNIT_EM * em)
        return BADNESS_SCALE * r * r * r
    n_gap = gp[k] - gp[a]
    rest = slack - cap1
    cap_gap = n_gap * GAP_STRETCH_EM * em
    if n_gap and rest <= cap_gap + EPS:
        return GAP_STRETCH_COST * (1.0 + rest / cap_gap)
    rest -= cap_gap
    flex = n1 or n_gap
    if not flex:
        west = ww[e] - ww[a]
        if west > EPS and slack <= (WEST_SCALE_MAX - 1.0) * west + EPS:
            return SCALE_COST * slack / ((WEST_SCALE_MAX - 1.0) * west)
        return RAGGED_COST + RAGGED_COST_PER_EM * slack / em
    over = rest / flex / em  # em beyond the limit, per gap
    limit = HAN_STRETCH_MAX_EM if n1 else GAP_STRETCH_EM + 0.25
    cost = LOOSE_COST * (1.0 + over)
    if limit + over > VERY_LOOSE_EM:
        cost += VERY_LOOSE_COST
    return cost


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
        unit = para.min_width(bp, b1)
        if unit <= avail_next + EPS:
            return bp  # 后推出: push the unit down
        soft = _has_soft(para, bp, b1)
        if unit * TOKEN_MIN_SCALE <= avail_next + EPS and not soft:
            return bp  # an unbreakable too wide for any line: down, to be condensed on its own
        if soft and not _has_soft(para, bp, b + 1):
            return bp  # a long token whose first permitted break is further on: start it below
        # The unit fits no line at all, so pushing it down only leaves a short line here:
        # break inside it instead (at a permitted point if it has one), filling this line.
        return para.force_end(a, b, bp)
    if para.min_width(a, b1) * TOKEN_MIN_SCALE <= avail + EPS and not _has_soft(para, a, b1):
        return b1  # condensed (``Para.set(condense=True)``) and reported
    return para.force_end(a, b)


def _has_soft(para: Para, a: int, b: int) -> bool:
    """Return True when [a, b) holds a long token's permitted break point (no hyphen)."""
    return any(p > a and p < b and w == 0.0 for p, w in para.extra_breaks(a, b).items())


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


def _fix_runt(para: Para, breaks: list[int], avail1: float, avail2: float) -> bool:
    """Fix a 孤字 last line: squeeze it into the line above, else pull characters down [CLREQ §4.6].

    Return True when characters were pulled down (the line above now stretches).
    """
    if len(breaks) < 2:
        return False
    n = para.n
    a_last = breaks[-2]
    if not _is_runt(para, a_last):
        return False
    a_pen = breaks[-3] if len(breaks) >= 3 else 0
    avail_pen = avail1 if len(breaks) == 2 else avail2
    if para.min_width(a_pen, n) <= avail_pen + EPS:
        breaks.pop(-2)
        return False
    brk = para.brk
    limit = RUNT_PULL_MAX_GAP_EM * para.em
    cand = a_last - 1
    while cand > a_pen:
        if brk[cand]:
            if para.width(cand, n) > avail2 + EPS:
                return False
            e = para.vis_end(a_pen, cand)
            gaps = para.E[e - 1] - para.E[a_pen] if e - 1 > a_pen else 0
            if avail_pen - para.width(a_pen, cand) > limit * gaps + EPS:
                return False
            if not _is_runt(para, cand):
                breaks[-2] = cand
                return True
        cand -= 1
    return False


def _last_cost(para: Para, a: int, avail: float, line_index: int, avoid_runt: bool) -> float:
    """Return the demerits of [a, n) as the paragraph's last line (set solid: only a 孤字 and
    compression cost) [CLREQ §4.6]."""
    n = para.n
    c = 0.0
    w = para.width(a, n)
    if w > avail + EPS:
        cap = w - para.min_width(a, n)
        need = w - avail
        if need > cap + EPS:
            return INFEASIBLE
        c = SHRINK_COST * (need / cap) ** 2
    if avoid_runt and line_index >= 1 and _is_runt(para, a):
        c += RUNT_PENALTY
    return c


def _candidates(para: Para, a: int, avail: float, t: int, extra: dict[int, float],
                bound: float) -> list[tuple[int, float, float]]:
    """Return (end, hyphen width, cost) of the lines worth trying from ``a`` that end by ``t``.

    The legal breaks (and long-token/hyphen breaks) at and before the natural fit, up to
    ``BACK_CANDIDATES`` of them or until a line costs more than ``bound``; the first one or two
    after it that compression can squeeze in; ``t`` itself when the line reaches it. A line
    ending at the paragraph's end gets cost 0 here: the caller costs it as a last line.
    """
    brk = para.brk
    get = extra.get
    cost = line_cost
    out: list[tuple[int, float, float]] = []
    last = t == para.n
    b0 = para.fit_end(a, avail)
    if b0 >= t:
        c = 0.0 if last else cost(para, a, t, avail)
        if c < bound:
            out.append((t, 0.0, c))
        j = t - 1
    else:
        j = b0
        # Forward: squeeze in (先挤进) the next legal break or two.
        k = b0 + 1
        tried = 0
        while k <= t and tried < 2:
            hw = get(k)
            if hw is not None or brk[k] or k == t:
                hw = hw or 0.0
                c = cost(para, a, k, avail, hw)
                if c >= INFEASIBLE:
                    break
                if last and k == t:
                    c = 0.0
                if c < bound:
                    out.append((k, hw, c))
                tried += 1
            k += 1
    back = 0
    while j > a and back < BACK_CANDIDATES:
        hw = get(j)
        if hw is not None or brk[j]:
            if hw is None:
                c = cost(para, a, j, avail)
                if c >= bound:
                    break  # lines only get looser further back
                out.append((j, 0.0, c))
            else:
                c = cost(para, a, j, avail, hw)
                if c < bound:
                    out.append((j, hw, c))
            back += 1
        j -= 1
    return out


def _total_fit(para: Para, s: int, t: int, line0: int, max_lines: int, avail1: float,
               avail2: float, style: ParaStyle, bound: float,
               target: int | None = None) -> tuple[list[int], set[int], float] | None:
    """Return the least-demerit breaks of [s, t) (ending exactly at ``t``), its hyphenated
    breaks and its demerits, or None when nothing beats ``bound``.

    Lines are numbered from ``line0`` (the first line of the paragraph has the indent and the
    foot-line hook counts whole-paragraph indices); at most ``max_lines`` lines. With a
    ``target``, only ``target`` ± 1 lines, each line more or fewer than it costing
    ``COUNT_CHANGE_PENALTY``. States are (position, lines so far), so line counts are exact.
    """
    n = para.n
    brk = para.brk
    extra = para.extra_breaks(s, t) if para.has_west else {}
    extra.pop(t, None)
    feet = style.foot_lines
    avoid_runt = style.avoid_runt
    # (position, lines so far) -> (demerits, previous state, the line ending here is hyphenated)
    best: dict[tuple[int, int], tuple[float, tuple[int, int] | None, bool]] = {}
    best[(s, 0)] = (0.0, None, False)
    heap = [(s, 0)]
    push, pop = heapq.heappush, heapq.heappop
    memo: dict[tuple[int, bool], list[tuple[int, float, float]]] = {}
    cap = min(bound, INFEASIBLE)
    done = None
    while heap:
        state = pop(heap)
        a, k = state
        base, _, hyph_prev = best[state]
        if a == t:
            total = base
            if target is not None:
                if abs(k - target) > 1:
                    continue
                total += COUNT_CHANGE_PENALTY * abs(k - target)
            if done is None or total < done[0] - EPS:
                done = (total, state)
            continue
        if k >= max_lines:
            continue
        idx = line0 + k
        first = idx == 0
        avail = avail1 if first else avail2
        room = bound - base - LINE_PENALTY
        if room <= 0:
            continue
        cands = memo.get((a, first))
        if cands is None:
            # The lines worth trying from ``a`` depend on ``a`` and the measure only, not on the
            # number of lines so far: computed once for every state at ``a``.
            cands = memo[(a, first)] = _candidates(para, a, avail, t, extra, cap)
        found = False
        k1 = k + 1
        for b, hw, c in cands:
            if c >= room:
                continue
            found = True
            if b == n:
                c = _last_cost(para, a, avail, idx, avoid_runt)
            if hw:
                c += HYPHEN_PENALTY
                if hyph_prev:
                    c += DOUBLE_HYPHEN_PENALTY
                if idx in feet:
                    c += FOOT_HYPHEN_PENALTY
            elif not brk[b]:
                c += SOFT_BREAK_PENALTY  # inside a long token, at a permitted point
            total = base + c + LINE_PENALTY
            if total >= bound:
                continue
            key = (b, k1)
            prev = best.get(key)
            if prev is None:
                best[key] = (total, state, hw > 0.0)
                push(heap, key)
            elif total < prev[0] - EPS:
                best[key] = (total, state, hw > 0.0)
        if not found:
            # Nothing affordable from here: greedy's own decision (a forced or condensed line,
            # say) is still a way on, so the window can at worst be set as greedy set it.
            b = _next_break(para, a, avail, avail2)
            if b <= t:
                if b == n:
                    c = _last_cost(para, a, avail, idx, avoid_runt)
                elif not brk[b] or line_cost(para, a, b, avail) >= INFEASIBLE:
                    c = FORCED_COST
                else:
                    c = line_cost(para, a, b, avail)
                _relax(best, heap, state, b, k1, base + c + LINE_PENALTY, bound, False)
    if done is None:
        return None
    ends: list[int] = []
    hyph: set[int] = set()
    state = done[1]
    while state is not None and state[0] != s:
        _, prev, hy = best[state]
        ends.append(state[0])
        if hy:
            hyph.add(state[0])
        state = prev
    ends.reverse()
    return ends, hyph, done[0]


def _relax(best: dict, heap: list, state: tuple[int, int], b: int, k: int, total: float,
           bound: float, hyph: bool) -> None:
    """Record the way to (b, k) from ``state`` at ``total`` demerits if it is the best so far."""
    if total >= bound:
        return
    key = (b, k)
    prev = best.get(key)
    if prev is None:
        best[key] = (total, state, hyph)
        heapq.heappush(heap, key)
    elif total < prev[0] - EPS:
        best[key] = (total, state, hyph)


def _breaks_cost(para: Para, starts_ends: list[tuple[int, int, int]], avail1: float,
                 avail2: float, style: ParaStyle, hyph: set[int]) -> list[float]:
    """Return the demerits of each line (index, start, end) of a chosen set of breaks."""
    n = para.n
    out = []
    for idx, a, b in starts_ends:
        avail = avail1 if idx == 0 else avail2
        if b == n:
            out.append(_last_cost(para, a, avail, idx, style.avoid_runt))
            continue
        hw = para.hyphen_width(b - 1) if b in hyph else 0.0
        c = line_cost(para, a, b, avail, hw)
        if c >= INFEASIBLE or (not para.brk[b] and not hw
                               and para.extra_breaks(b, b + 1).get(b) != 0.0):
            c = FORCED_COST  # condensed, or broken inside an unbreakable
        if hw:
            c += HYPHEN_PENALTY + (FOOT_HYPHEN_PENALTY if idx in style.foot_lines else 0.0)
        elif not para.brk[b] and c < FORCED_COST:
            c += SOFT_BREAK_PENALTY
        out.append(c)
    return out


def _poor_lines(para: Para, breaks: list[int], avail1: float, avail2: float,
                style: ParaStyle, pulled: bool = False) -> list[int]:
    """Return the indices of greedy lines worth repairing: costing more than ``REPAIR_COST``,
    broken inside an unbreakable or condensed, or a 孤字 last line; after a 孤字 fix that
    pulled characters down (``pulled``), the line above the last if it opens gaps by more
    than ``RUNT_REPAIR_FROM_EM`` — a 孤字 fix must not cost a loose line (issue 17)."""
    n, brk, E, em = para.n, para.brk, para.E, para.em
    quick = REPAIR_FROM_EM * em
    bad = []
    a = 0
    last = len(breaks) - 1
    for i, b in enumerate(breaks):
        avail = avail1 if i == 0 else avail2
        if pulled and i == last - 1:
            if line_cost(para, a, b, avail) > RUNT_REPAIR_COST:
                bad.append(i)
            a = b
            continue
        if b == n:
            if style.avoid_runt and i >= 1 and _is_runt(para, a):
                bad.append(i)
        elif not brk[b]:
            bad.append(i)
        else:
            slack = avail - para.width(a, b)
            if slack > EPS:
                # Cheap test first: no gap opens by more than ``REPAIR_FROM_EM`` if the CJK
                # gaps alone could take the slack that way.
                e = para.vis_end(a, b)
                if (slack > (E[e - 1] - E[a]) * quick + EPS
                        and line_cost(para, a, b, avail) > REPAIR_COST):
                    bad.append(i)
            elif slack < -EPS and para.min_width(a, b) > avail + EPS:
                bad.append(i)  # condensed
        a = b
    return bad


def _repair(para: Para, breaks: list[int], avail1: float, avail2: float,
            style: ParaStyle, pulled: bool = False) -> tuple[list[int], set[int]]:
    """Re-break windows of lines around the poor greedy lines by total fit."""
    bad = _poor_lines(para, breaks, avail1, avail2, style, pulled)
    if not bad:
        return breaks, set()
    return _repair_windows(para, breaks, set(), bad, REPAIR_BEFORE, REPAIR_AFTER, avail1, avail2,
                           style)


def _repair_windows(para: Para, breaks: list[int], hyph: set[int], bad: list[int], before: int,
                    after: int, avail1: float, avail2: float,
                    style: ParaStyle) -> tuple[list[int], set[int]]:
    """Re-break the lines from ``before`` lines above to ``after`` lines below each poor line."""
    lines = len(breaks)
    windows: list[list[int]] = []
    for i in bad:
        lo, hi = max(0, i - before), min(lines - 1, i + after)
        if windows and lo <= windows[-1][1] + 1:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    out = list(breaks)
    hyph = set(hyph)
    for lo, hi in reversed(windows):  # from the end, so earlier indices stay valid
        s = out[lo - 1] if lo else 0
        t = out[hi]
        count = hi - lo + 1
        spans = list(zip(range(lo, hi + 1), [s, *out[lo:hi]], out[lo:hi + 1]))
        bound = sum(_breaks_cost(para, spans, avail1, avail2, style, hyph)) + LINE_PENALTY * count
        # As many lines as greedy set, unless one more or fewer removes a loose or unjustifiable
        # line: the repair redistributes, it rarely changes the room a paragraph takes.
        got = _bounded_fit(para, s, t, lo, count + 1, avail1, avail2, style, bound, target=count)
        if got is None:
            continue
        ends, h, _ = got
        hyph -= set(out[lo:hi + 1])
        out[lo:hi + 1] = ends
        hyph |= h
    return out, hyph


def _bounded_fit(para: Para, s: int, t: int, line0: int, max_lines: int, avail1: float,
                 avail2: float, style: ParaStyle, bound: float, target: int | None = None):
    """``_total_fit`` that must beat ``bound``, first looking only among solutions without a
    loose line (a small search), then, if there is none, among all."""
    first = min(bound, FIRST_PASS_BOUND + LINE_PENALTY * max_lines)
    got = _total_fit(para, s, t, line0, max_lines, avail1, avail2, style, first - EPS, target)
    if got is None and first < bound:
        got = _total_fit(para, s, t, line0, max_lines, avail1, avail2, style, bound - EPS, target)
    return got


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
    breaks = _greedy(para, avail1, avail2)
    pulled = style.avoid_runt and _fix_runt(para, breaks, avail1, avail2)
    hyph: set[int] = set()
    if style.breaker == "optimal":
        spans_ = list(zip(range(len(breaks)), [0, *breaks[:-1]], breaks))
        bound = (sum(_breaks_cost(para, spans_, avail1, avail2, style, set()))
                 + LINE_PENALTY * len(breaks))
        got = _bounded_fit(para, 0, para.n, 0, len(breaks), avail1, avail2, style, bound)
        if got is not None:
            breaks, hyph, _ = got
    elif style.align in ("justify", "distribute"):
        breaks, hyph = _repair(para, breaks, avail1, avail2, style, pulled)
    mode, last_mode = _line_modes(style)
    lines = []
    a = 0
    last_i = len(breaks) - 1
    brk = para.brk
    n = para.n
    for idx, b in enumerate(breaks):
        first = idx == 0
        avail = avail1 if first else avail2
        hyphen = b in hyph
        note = ""
        if b < n and not brk[b] and not hyphen and para.extra_breaks(b, b + 1).get(b) != 0.0:
            note = f"no permitted break: line broken inside {para.text[max(a, b - 8):b + 8]!r}"
        lines.append(para.set(a, b, avail, ind1 if first else ind2,
                              last_mode if idx == last_i else mode, idx == last_i, measure,
                              hyphen=hyphen, condense=True, note=note))
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
