"""Paragraph analysis and line setting: from spans to per-character arrays, and from a chosen
line ``[a, b)`` to positioned glyphs.

Owns whitespace normalisation, the per-character metrics (advance, squeezable blanks, the
Han–Western gap after each character), adjacent-mark compression (clreq §4.3, 2 em → 1.5 em),
break opportunities (prohibitions §4.1 and unbreakable sequences §4.2), prefix sums that make
"how wide is [a, b)?" and "how far can it shrink?" O(1), and setting one line: line-end ½ em,
optional line-start bracket trim, compression by the seven clreq steps, then expansion by
clreq's three steps. All lengths are pt.

Whitespace rule: every run of whitespace (spaces, tabs, newlines, also across span boundaries)
between two CJK characters (anything that is not Western and not a space) is removed; any other
run becomes one U+0020; whitespace at the start or end of the paragraph is removed. A space
between a Han character and a Western one becomes the Han–Western gap itself (¼ em by default)
rather than a word space. ``Line.text`` and ``Line.start``/``end`` refer to this normalised text;
a space at which a line breaks belongs to neither line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from .classes import (
    DASH_CELL_EM,
    DASH_MARGIN_EM,
    FULL_WIDTH_MIN_EM,
    GAP_MAX_EM,
    GAP_MIN_EM,
    INK_CENTRE,
    INK_LEFT,
    INK_RIGHT,
    MARK_MIN_EM,
    NOT_AT_END,
    NOT_AT_START,
    PAIR_BLANK_EM,
    SOFT_BREAK_AFTER,
    SOLIDI,
    WORD_SPACE_MAX_EM,
    WORD_SPACE_MIN_EM,
    Kind,
    is_spaced_west,
    kind_of,
)
from .lines import Glyph, Line, ParaStyle, Span

EVEN_MAX_EM = 0.5
"""均排 opens CJK gaps by at most this (em) while word spaces or Han–Western gaps can share."""

EPS = 1e-6
"""Internal comparison slack in pt; layout results are exact well within ``units.EPS``."""

# Integer kind codes (IntEnum lookups are slow in the per-character loop).
HAN, WEST, SPACE, PAUSE, STOP, CLOSE, OPEN, DASH, ELLIPSIS, CONNECTOR, INTERPUNCT, SOLIDUS = (
    int(k) for k in Kind
)
GAPSPACE = 12
"""A U+0020 between a Han and a Western character: it *is* the Han–Western gap (§4.4)."""

MARKS = frozenset((PAUSE, STOP, CLOSE, OPEN))
"""Kinds that take part in adjacent-mark compression (any bracket + punctuation pair) [CLREQ §4.3]."""

NO_STRETCH_NEIGHBOUR = frozenset((SPACE, GAPSPACE, CONNECTOR, SOLIDUS))
"""Kinds next to which 均排 adds no space: spaces have their own step; connectors and solidi
are kept tight [CLREQ §procedures_for_inter-character_space_expansion]."""

INK_NONE, INK_L, INK_R, INK_C = 0, 1, 2, 3
_WHITESPACE = re.compile(r"\s")

_INFO: dict[str, tuple[int, bool, bool, int]] = {}


def _info(ch: str) -> tuple[int, bool, bool, int]:
    """Return (kind, is_western, takes_gap, ink side) for ``ch``, cached."""
    kind = int(kind_of(ch))
    ink = INK_L if ch in INK_LEFT else INK_R if ch in INK_RIGHT else INK_C if ch in INK_CENTRE else INK_NONE
    info = (kind, kind == WEST, kind == WEST and is_spaced_west(ch), ink)
    _INFO[ch] = info
    return info


def _is_cjk(ch: str) -> bool:
    k = (_INFO.get(ch) or _info(ch))[0]
    return k != WEST and k != SPACE


def normalize(spans: Sequence[Span]) -> tuple[str, list[int]]:
    """Return the paragraph's normalised text and, per character, the index of its span."""
    texts = [s.text for s in spans]
    owner: list[int] = []
    joined = "".join(texts)
    if not _WHITESPACE.search(joined):
        for i, t in enumerate(texts):
            owner.extend([i] * len(t))
        return joined, owner
    chars: list[str] = []
    pending = -1  # span index of the first whitespace character of the current run
    for si, t in enumerate(texts):
        for ch in t:
            if ch.isspace():
                if pending < 0:
                    pending = si
                continue
            if pending >= 0:
                if chars and not (_is_cjk(chars[-1]) and _is_cjk(ch)):
                    chars.append(" ")
                    owner.append(pending)
                pending = -1
            chars.append(ch)
            owner.append(si)
    return "".join(chars), owner


class Para:
    """A paragraph analysed for composition: normalised text, metrics, breaks and prefix sums."""

    def __init__(self, spans: Sequence[Span], style: ParaStyle) -> None:
        self.style = style
        text, owner = normalize(spans)
        self.text = text
        n = self.n = len(text)
        self.spans = spans
        first_size = spans[0].size if spans else 0.0
        self.em = first_size
        not_start = NOT_AT_START[style.kinsoku]
        not_end = NOT_AT_END[style.kinsoku]
        strict = style.kinsoku == "strict"
        lone_dash_rule = style.kinsoku in ("basic", "gb")
        gap_em = style.cjk_latin_gap

        kind = [0] * n
        west = [False] * n
        spaced = [False] * n
        adv = [0.0] * n  # advance after adjacent-mark compression
        nat = [0.0] * n  # the font's advance
        bl = [0.0] * n  # squeezable blank on the left
        br = [0.0] * n  # squeezable blank on the right
        dx0 = [0.0] * n
        gap = [0.0] * n  # Han–Western gap after character i
        size = [0.0] * n
        key = [""] * n
        brk = [False] * (n + 1)  # a line may break before character i
        elig = [False] * n  # the gap after i takes 均排 space
        sh = [0.0] * n  # how much character i (and the gap after it) can shrink
        self.kind, self.adv, self.nat, self.bl, self.br, self.dx0 = kind, adv, nat, bl, br, dx0
        self.gap, self.size, self.key, self.brk, self.elig, self.west = gap, size, key, brk, elig, west
        self.sh = sh
        brk[n] = True
        if n == 0:
            self.W = self.C = [0.0]
            self.E = [0]
            return

        info_get = _INFO.get
        # Per-character metrics, span by span.
        pos = 0
        for si, span in enumerate(spans):
            # Characters owned by this span form one contiguous block of ``text``.
            start = pos
            while pos < n and owner[pos] == si:
                pos += 1
            if pos == start:
                continue
            font = span.font
            widths = font.widths
            sz = span.size
            fkey = font.key
            half = MARK_MIN_EM * sz
            full_min = FULL_WIDTH_MIN_EM * sz
            for i in range(start, pos):
                ch = text[i]
                info = info_get(ch) or _info(ch)
                k = info[0]
                w = widths.get(ord(ch))
                if w is None:
                    w = font.advance(ch)
                w *= sz
                kind[i] = k
                nat[i] = w
                adv[i] = w
                size[i] = sz
                key[i] = fkey
                if k == WEST:
                    west[i] = True
                    spaced[i] = info[2]
                elif k == DASH:
                    cell = DASH_CELL_EM[ch] * sz
                    if w < cell:
                        # Centre the dash's ink in whole em cells; the pieces of a run join.
                        pad = cell - w
                        adv[i] = cell
                        if i + 1 < n and text[i + 1] == ch:
                            dx0[i] = pad if (i == 0 or text[i - 1] != ch or dx0[i - 1] == 0.0) else 0.0
                        else:
                            dx0[i] = 0.0 if (i and text[i - 1] == ch and dx0[i - 1] > 0.0) else pad / 2
                elif info[3] and w >= full_min:
                    ink = info[3]
                    if ink == INK_L:
                        br[i] = w - half
                    elif ink == INK_R:
                        bl[i] = w - half
                    else:
                        bl[i] = br[i] = (w - half) / 2

        self.scale = [100.0] * n
        self._join_dashes(spans, owner)

        # Pairs, gaps, spaces, break opportunities, 均排 eligibility.
        word_min = WORD_SPACE_MIN_EM
        for i in range(1, n):
            p = i - 1
            kp = kind[p]
            kq = kind[i]
            # Adjacent-mark compression: remove the blank half between two marks [CLREQ §4.3].
            if kp in MARKS and kq in MARKS:
                if br[p] > 0.0:
                    r = min(br[p], PAIR_BLANK_EM * size[p])
                    br[p] -= r
                    adv[p] -= r
                elif bl[i] > 0.0:
                    r = min(bl[i], PAIR_BLANK_EM * size[i])
                    bl[i] -= r
                    adv[i] -= r
                    dx0[i] -= r
            # Han–Western gap (¼ em), none next to punctuation or brackets [CLREQ §4.4].
            if gap_em > 0.0:
                if kp == HAN and spaced[i]:
                    gap[p] = gap_em * size[p]
                elif kq == HAN and spaced[p]:
                    gap[p] = gap_em * size[i]
            # 均排 eligibility of the gap between p and i: not inside a Western token or a
            # dash/ellipsis unit, not next to spaces, connectors or solidi [CLREQ §4.5].
            wp = west[p] and west[i]
            elig[p] = not (wp or (kp == kq and (kp == DASH or kp == ELLIPSIS))
                           or kp in NO_STRETCH_NEIGHBOUR or kq in NO_STRETCH_NEIGHBOUR)
            if kq == SPACE:
                continue  # break after a space, not before it
            ch_q = text[i]
            if kp == SPACE:
                # Break after a space, unless what follows may not start a line.
                a2 = p - 1
                brk[i] = not (ch_q in not_start or (a2 >= 0 and text[a2] in not_end))
                continue
            if wp:
                continue  # inside a Western token: word, number, URL [JLREQ][CLREQ §4.2]
            if (kp == DASH and kq == DASH) or (kp == ELLIPSIS and kq == ELLIPSIS):
                # ——, ……: one unit. A long run of dashes may split between pairs [CLREQ §4.2].
                run = 1
                j = p - 1
                while j >= 0 and kind[j] == kp:
                    run += 1
                    j -= 1
                if run % 2 == 0 and i + 1 < n and kind[i + 1] == kp:
                    brk[i] = not strict
                continue
            if ch_q in not_start or text[p] in not_end:
                continue
            if lone_dash_rule and kq == DASH and ch_q == "—" and (i + 1 >= n or kind[i + 1] != DASH):
                continue  # a lone — is the 一字线 connector: not at line start [CLREQ §4.1]
            brk[i] = True
        # Spaces between Han and Western text are the gap itself; others are word spaces.
        for i in range(n):
            k = kind[i]
            if k == SPACE:
                sz = size[i]
                prev_han = i > 0 and kind[i - 1] == HAN
                next_han = i + 1 < n and kind[i + 1] == HAN
                if gap_em > 0.0 and ((prev_han and i + 1 < n and west[i + 1])
                                     or (next_han and i > 0 and west[i - 1])):
                    kind[i] = GAPSPACE
                    adv[i] = gap_em * sz
                    sh[i] = max(0.0, adv[i] - GAP_MIN_EM * sz)
                else:
                    sh[i] = max(0.0, adv[i] - word_min * sz)
            else:
                s = bl[i] + br[i]
                g = gap[i]
                if g > 0.0:
                    s += g - min(g, GAP_MIN_EM * size[i])
                sh[i] = s
            if gap[i] > 0.0:
                elig[i] = False  # the gap has its own expansion step
        for i in range(n):
            if text[i] in SOLIDI:
                elig[i] = False
                if i:
                    elig[i - 1] = False

        self.W = [0.0, *accumulate(a + g for a, g in zip(adv, gap))]
        self.C = [0.0, *accumulate(sh)]
        self.E = [0, *accumulate(elig)]

    # ------------------------------------------------------------------------------------
    # Measuring a candidate line [a, b)
    # ------------------------------------------------------------------------------------

    def vis_end(self, a: int, b: int) -> int:
        """Return the end of what is visible of [a, b): a break space at the end is dropped."""
        if b > a and self.kind[b - 1] in (SPACE, GAPSPACE):
            return b - 1
        return b

    def width(self, a: int, b: int) -> float:
        """Natural width of [a, b) set as a line: line-end mark ½ em, no gap at the edges."""
        e = b - 1 if b > a and self.kind[b - 1] in (SPACE, GAPSPACE) else b
        if e <= a:
            return 0.0
        k = e - 1
        w = self.W[e] - self.W[a] - self.gap[k] - self.br[k]
        if self.style.trim_start_bracket and self.kind[a] == OPEN:
            w -= self.bl[a]
        return w

    def min_width(self, a: int, b: int) -> float:
        """Width of [a, b) compressed as far as clreq allows."""
        e = b - 1 if b > a and self.kind[b - 1] in (SPACE, GAPSPACE) else b
        if e <= a:
            return 0.0
        k = e - 1
        W, C = self.W, self.C
        w = W[e] - W[a] - self.gap[k] - self.br[k]
        s = C[e] - C[a] - self.sh[k]
        # The last character keeps only the shrink of its left blank (its right blank and gap went).
        s += self.bl[k]
        if self.style.trim_start_bracket and self.kind[a] == OPEN:
            w -= self.bl[a]
            s -= self.bl[a]
        return w - s

    def units(self, a: int, e: int) -> int:
        """Count hanzi plus Western tokens in [a, e) (what 孤字 counts) [CLREQ §4.6]."""
        kind = self.kind
        count = 0
        prev_west = False
        for i in range(a, e):
            k = kind[i]
            if k == HAN:
                count += 1
                prev_west = False
            elif k == WEST:
                if not prev_west:
                    count += 1
                prev_west = True
            else:
                prev_west = False
        return count

    # ------------------------------------------------------------------------------------
    # Breaking helpers
    # ------------------------------------------------------------------------------------

    def fit_end(self, a: int, avail: float) -> int:
        """Return the largest b ≥ a such that [a, b) set solid fits ``avail`` (ignoring legality)."""
        W = self.W
        n = self.n
        b = bisect_right(W, W[a] + avail + EPS, a, n + 1) - 1
        while b < n and self.width(a, b + 1) <= avail + EPS:
            b += 1
        return b

    def force_end(self, a: int, b: int, lo: int | None = None) -> int:
        """Break a run that fits no line, in (lo, b] (lo defaults to a), least harm first.

        First a place that only breaks a prohibition (clreq tolerates that as a remedy), then
        after ``/ . -`` inside a URL or word, then between two pairs of dashes, and only then
        anywhere (at the measure). Characters are never dropped [CLREQ §4.1][CLREQ §4.2].
        """
        text, kind, west, n = self.text, self.kind, self.west, self.n
        lo = a if lo is None else lo
        if b <= a:
            return a + 1
        for p in range(b, lo, -1):
            kp, kq = kind[p - 1], kind[p] if p < n else -1
            if kq in (SPACE, GAPSPACE) or (west[p - 1] and p < n and west[p]):
                continue
            if kp == kq and kp in (DASH, ELLIPSIS):
                continue
            return p
        for p in range(b, lo, -1):
            if text[p - 1] in SOFT_BREAK_AFTER and p < n and kind[p] == WEST:
                return p
        for p in range(b, lo, -1):
            if p < n and kind[p - 1] == kind[p] and kind[p] in (DASH, ELLIPSIS):
                run = 1
                while p - run - 1 >= 0 and kind[p - run - 1] == kind[p]:
                    run += 1
                if run % 2 == 0:
                    return p
        return b

    # ------------------------------------------------------------------------------------
    # Setting a line
    # ------------------------------------------------------------------------------------

    def set(self, a: int, b: int, avail: float, indent: float, mode: str, last: bool,
            measure: float) -> Line:
        """Set [a, b) in ``avail`` pt starting ``indent`` pt from the measure's left edge.

        ``mode`` is justify (flush both edges), start, center or end (solid, compressed only
        if it does not fit). Compression runs clreq's steps 2–7 in order, every instance of a
        step squeezed by the same amount; expansion runs word spaces, Han–Western gaps, then
        均排 over all remaining gaps [CLREQ §4.3][CLREQ §4.5].
        """
        e = self.vis_end(a, b)
        m = e - a
        text = self.text
        if m <= 0:
            return Line((), "", a, a, measure, indent, 0.0, last, 0.0, ())
        advs = self.adv[a:e]
        gaps = self.gap[a:e]
        dxs = self.dx0[a:e]
        k = e - 1
        gaps[-1] = 0.0
        brr = self.br[k]
        if brr > 0.0:
            advs[-1] -= brr  # line-end mark set at ½ em (step 1) [GB §5.1.10]
        if self.style.trim_start_bracket and self.kind[a] == OPEN and self.bl[a] > 0.0:
            advs[0] -= self.bl[a]
            dxs[0] -= self.bl[a]
            trimmed = True
        else:
            trimmed = False
        width = self.W[e] - self.W[a] - self.gap[k] - brr - (self.bl[a] if trimmed else 0.0)
        delta = avail - width
        if delta < -EPS:
            self._shrink(a, e, advs, gaps, dxs, -delta, trimmed)
            width = sum(advs) + sum(gaps)
            delta = avail - width
        if mode == "justify" and delta > EPS:
            self._stretch(a, e, advs, gaps, delta)
            delta = 0.0
        if mode == "center" and delta > 0:
            indent += delta / 2
        elif mode == "end" and delta > 0:
            indent += delta
        size = self.size
        key = self.key
        glyphs = []
        append = glyphs.append
        x = indent
        for j in range(m):
            i = a + j
            w = advs[j] + gaps[j]
            append(Glyph(text[i], key[i], size[i], x, w, dxs[j], self.scale[i]))
            x += w
        return Line(tuple(glyphs), text[a:e], a, e, measure, indent, x - indent, last,
                    max(size[a:e]), tuple(self.nat[a:e]))

    def _join_dashes(self, spans: Sequence[Span], owner: list[int]) -> None:
        """Draw a run of em dashes (破折号 ——) as one unbroken rule across its cells.

        The font's dash has side bearings, so two dashes set side by side show a gap. Knowing
        the ink extent (``font.ink``), each dash is scaled horizontally and placed so that the
        inks meet and the run spans its cells less ``DASH_MARGIN_EM`` at each end [GB/T 15834 §4.9].
        """
        text, n = self.text, self.n
        i = 0
        while i < n:
            if text[i] != "—":
                i += 1
                continue
            j = i
            while j < n and text[j] == "—" and owner[j] == owner[i]:
                j += 1
            font = spans[owner[i]].font
            ink = getattr(font, "ink", {}).get(0x2014)
            if j - i >= 2 and ink and ink[1] - ink[0] > 0.1:
                sz = self.size[i]
                cells = sum(self.adv[i:j])
                margin = DASH_MARGIN_EM * sz
                piece = (cells - 2 * margin) / (j - i)
                factor = piece / ((ink[1] - ink[0]) * sz)
                start = 0.0
                for k in range(i, j):
                    ink_left = margin + (k - i) * piece
                    self.dx0[k] = ink_left - ink[0] * sz * factor - start
                    self.scale[k] = round(factor * 100.0, 4)
                    start += self.adv[k]
            i = j

    def _shrink(self, a: int, e: int, advs: list[float], gaps: list[float], dxs: list[float],
                need: float, trimmed: bool) -> None:
        """Compress by clreq's steps 2–7, each step's instances squeezed equally [CLREQ §4.3]."""
        kind, bl, br, size = self.kind, self.bl, self.br, self.size
        m = e - a
        steps: dict[int, list[tuple[int, float, int]]] = {}
        for j in range(m):
            i = a + j
            k = kind[i]
            if k == SPACE:
                cap = advs[j] - WORD_SPACE_MIN_EM * size[i]
                if cap > EPS:
                    steps.setdefault(2, []).append((j, cap, 0))
            elif k == GAPSPACE:
                cap = advs[j] - GAP_MIN_EM * size[i]
                if cap > EPS:
                    steps.setdefault(6, []).append((j, cap, 0))
            elif k in MARKS or k == INTERPUNCT:
                if k == OPEN:
                    cap = 0.0 if (j == 0 and trimmed) else bl[i]
                    side = 1
                elif k == INTERPUNCT:
                    cap = bl[i] + br[i] if j < m - 1 else bl[i]
                    side = 3
                else:
                    cap = br[i] if j < m - 1 else 0.0
                    side = 0
                if cap > EPS:
                    step = 3 if k == INTERPUNCT else 4 if k in (OPEN, CLOSE) else 5 if k == PAUSE else 7
                    steps.setdefault(step, []).append((j, cap, side))
            if j < m - 1 and gaps[j] > 0.0:
                cap = gaps[j] - GAP_MIN_EM * size[i]
                if cap > EPS:
                    steps.setdefault(6, []).append((j, cap, 2))
        for step in (2, 3, 4, 5, 6, 7):
            if need <= EPS:
                break
            inst = steps.get(step)
            if not inst:
                continue
            amounts = _water_fill([c for _, c, _ in inst], need)
            for (j, _, side), r in zip(inst, amounts):
                if side == 2:
                    gaps[j] -= r
                else:
                    advs[j] -= r
                    if side == 1:
                        dxs[j] -= r
                    elif side == 3:
                        dxs[j] -= r / 2
                need -= r

    def _stretch(self, a: int, e: int, advs: list[float], gaps: list[float], need: float) -> None:
        """Expand: word spaces ≤ ½ em, Han–Western gaps ≤ ½ em, then 均排 [CLREQ §4.5]."""
        kind, size, elig = self.kind, self.size, self.elig
        m = e - a
        spaces = []
        gapi = []
        for j in range(m):
            i = a + j
            k = kind[i]
            if k == SPACE:
                spaces.append((j, WORD_SPACE_MAX_EM * size[i] - advs[j], 0))
            elif k == GAPSPACE:
                gapi.append((j, GAP_MAX_EM * size[i] - advs[j], 0))
            if j < m - 1 and gaps[j] > 0.0:
                gapi.append((j, GAP_MAX_EM * size[i] - gaps[j], 2))
        for inst in (spaces, gapi):
            if need <= EPS or not inst:
                continue
            caps = [max(0.0, c) for _, c, _ in inst]
            amounts = _water_fill(caps, need)
            for (j, _, side), r in zip(inst, amounts):
                if side == 2:
                    gaps[j] += r
                else:
                    advs[j] += r
                need -= r
        if need <= EPS:
            return
        count = self.E[e - 1] - self.E[a] if m > 1 else 0
        flex = [j for j in range(m) if kind[a + j] in (SPACE, GAPSPACE)] if count < m - 1 else []
        gap_flex = [j for j in range(m - 1) if gaps[j] > 0.0] if count < m - 1 else []
        if count:
            per = need / count
            if per <= EVEN_MAX_EM * self.em or not (flex or gap_flex):
                for j in range(m - 1):
                    if elig[a + j]:
                        gaps[j] += per
                return
            # 均排 would open the few CJK gaps wider than ½ em: share the slack equally with
            # the word spaces and Han–Western gaps instead (a Latin-heavy line).
            per = need / (count + len(flex) + len(gap_flex))
            for j in range(m - 1):
                if elig[a + j]:
                    gaps[j] += per
            for j in flex:
                advs[j] += per
            for j in gap_flex:
                gaps[j] += per
            return
        # Nothing left that clreq lets us stretch: widen spaces and gaps beyond their limit,
        # and failing that letter-space the whole line (a lone Western token).
        if flex or gap_flex:
            per = need / (len(flex) + len(gap_flex))
            for j in flex:
                advs[j] += per
            for j in gap_flex:
                gaps[j] += per
            return
        if m > 1:
            per = need / (m - 1)
            for j in range(m - 1):
                gaps[j] += per


def _water_fill(caps: list[float], need: float) -> list[float]:
    """Take ``need`` from instances with capacities ``caps``, the same amount from each (capped)."""
    total = sum(caps)
    if need >= total - EPS:
        return list(caps)
    order = sorted(caps)
    left = need
    k = len(order)
    level = 0.0
    for c in order:
        share = left / k
        if c >= share:
            level = share
            break
        left -= c
        k -= 1
    else:  # pragma: no cover - total > need guarantees a break
        level = 0.0
    return [min(c, level) for c in caps]


def widest_gap(line) -> float:
    """The largest space added between two CJK characters of a line by justification, in em of
    the line's size (0 for a solid or compressed line; the Han–Western gap is not counted)."""
    widest = 0.0
    glyphs = line.glyphs
    for g, h, nat in zip(glyphs, glyphs[1:], line.natural):
        if _info(g.ch)[0] in (WEST, SPACE) or _info(h.ch)[0] in (WEST, SPACE):
            continue
        widest = max(widest, g.advance - nat)
    return widest / line.size if line.size else 0.0
