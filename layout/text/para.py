"""Paragraph analysis and line setting: from spans to per-character arrays, and from a chosen
line ``[a, b)`` to positioned glyphs.

Owns whitespace normalisation, the per-character metrics (advance, squeezable blanks, the
Han–Western gap after each character, ¼ em for letters and, by house setting, for numbers),
adjacent-mark compression (clreq §4.3, 2 em → 1.5 em), break opportunities (prohibitions §4.1
and unbreakable sequences §4.2; inside long tokens after ``/ . _ -`` or before ``?``; inside
Latin words at pyphen's hyphenation points), prefix sums that make "how wide is [a, b)?", "how
far can it shrink?" and "what can stretch in it?" O(1), and setting one line: line-end ½ em,
optional line-start bracket trim, compression by the seven clreq steps, then expansion —
hanzi gaps and word spaces first, the Han–Western gap held at ¼ em with ⅛ em of stretch of
its own, never spacing inside a Latin word or number (issue 17). All lengths are pt.

Whitespace rule [WS] (``normalize``): a run of whitespace (also across span boundaries) that
holds a line break is the source's wrapping — removed between two CJK characters (anything
that is not Western and not a space), one U+0020 elsewhere; a run within a line is the
writer's — its U+3000 are kept, otherwise it is one U+0020 even between CJK characters (names
in a dateline); whitespace at the start or end of the paragraph is removed. A space
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
    GAP_MIN_EM,
    GAP_STRETCH_EM,
    HAN_STRETCH_MAX_EM,
    HYPHEN_LEFT_MIN,
    HYPHEN_MIN_CAPS,
    HYPHEN_MIN_WORD,
    HYPHEN_RIGHT_MIN,
    INK_CENTRE,
    INK_LEFT,
    INK_RIGHT,
    LONG_TOKEN_BREAK_AFTER,
    LONG_TOKEN_BREAK_BEFORE,
    LONG_TOKEN_MARKERS,
    LONG_TOKEN_MIN_CHARS,
    LONG_TOKEN_MIN_PIECE,
    MARK_MIN_EM,
    NOT_AT_END,
    NOT_AT_START,
    PAIR_BLANK_EM,
    SOLIDI,
    TOKEN_MIN_SCALE,
    WEST_SCALE_MAX,
    WEST_SCALE_MIN,
    WORD_SPACE_MAX_EM,
    WORD_SPACE_MIN_EM,
    Kind,
    is_spaced_west,
    kind_of,
)
from .lines import Glyph, Line, ParaStyle, Span

EPS = 1e-6
"""Internal comparison slack in pt; layout results are exact well within ``units.EPS``."""

# Integer kind codes (IntEnum lookups are slow in the per-character loop).
HAN, WEST, SPACE, PAUSE, STOP, CLOSE, OPEN, DASH, ELLIPSIS, CONNECTOR, INTERPUNCT, SOLIDUS = (
    int(k) for k in Kind
)
GAPSPACE = 12
"""A U+0020 between a Han and a Western character: it *is* the Han–Western gap (§4.4)."""
IDEOSPACE = 13
"""A U+3000 (全角空格) the copy asks for: one em of white that neither shrinks nor stretches,
takes no Han–Western gap beside it, may end a line (where it is dropped, like a space) and
never starts one."""

BREAK_SPACES = (SPACE, GAPSPACE, IDEOSPACE)
"""Kinds after which a line may break and which a line end drops."""

MARKS = frozenset((PAUSE, STOP, CLOSE, OPEN))
"""Kinds that take part in adjacent-mark compression (any bracket + punctuation pair) [CLREQ §4.3]."""

NO_STRETCH_NEIGHBOUR = frozenset((SPACE, GAPSPACE, IDEOSPACE, CONNECTOR, SOLIDUS))
"""Kinds next to which 均排 adds no space: spaces have their own step; connectors and solidi
are kept tight [CLREQ §procedures_for_inter-character_space_expansion]."""

INK_NONE, INK_L, INK_R, INK_C = 0, 1, 2, 3
_WHITESPACE = re.compile(r"\s")
_LETTER_DOT = re.compile(r"[A-Za-z]\.[A-Za-z]")
_WORD = re.compile(r"([^A-Za-z]*)([A-Za-z]+)([^A-Za-z0-9]*)")
_HYPHENATORS: dict[str, object] = {}


def _hyphenator(lang: str):
    """Return the pyphen dictionary of ``lang`` with English fragment minimums, cached."""
    dic = _HYPHENATORS.get(lang)
    if dic is None:
        import pyphen  # imported on first use: most paragraphs never need a hyphen

        dic = pyphen.Pyphen(lang=lang, left=HYPHEN_LEFT_MIN, right=HYPHEN_RIGHT_MIN)
        _HYPHENATORS[lang] = dic
    return dic


_HYPHEN_POINTS: dict[tuple[str, str], tuple[int, ...]] = {}


def hyphen_points(word: str, lang: str) -> tuple[int, ...]:
    """Return where ``word`` may take a hyphen (offsets into it), by pyphen's ``lang`` patterns."""
    key = (lang, word)
    pts = _HYPHEN_POINTS.get(key)
    if pts is None:
        pts = tuple(_hyphenator(lang).positions(word))
        _HYPHEN_POINTS[key] = pts
    return pts

_INFO: dict[str, tuple[int, bool, bool, int]] = {}


def _info(ch: str) -> tuple[int, bool, bool, int]:
    """Return (kind, is_western, takes_gap, ink side) for ``ch``, cached."""
    kind = IDEOSPACE if ch == IDEOGRAPHIC_SPACE else int(kind_of(ch))
    ink = INK_L if ch in INK_LEFT else INK_R if ch in INK_RIGHT else INK_C if ch in INK_CENTRE else INK_NONE
    info = (kind, kind == WEST, kind == WEST and is_spaced_west(ch), ink)
    _INFO[ch] = info
    return info


def _is_cjk(ch: str) -> bool:
    k = (_INFO.get(ch) or _info(ch))[0]
    return k != WEST and k != SPACE


IDEOGRAPHIC_SPACE = "\u3000"
"""全角空格: a blank of one em the copy asks for (after a run-in head, between names); kept as a
character on the grid, never collapsed [CLREQ §processing_of_runin_headings]."""


def normalize(spans: Sequence[Span]) -> tuple[str, list[int]]:
    """Return the paragraph's normalised text and, per character, the index of its span.

    The whitespace rule (named ``[WS]`` in the module docstring): a run of whitespace that
    holds a line break is the source's own wrapping — removed between two CJK characters, one
    U+0020 elsewhere; a run within one line is the writer's — its U+3000 are kept as they are
    typed, and otherwise it becomes one U+0020, also between CJK characters (记者 林晓岚 通讯员
    周明远: two names must not run together). Runs at the start or end are removed.
    """
    texts = [s.text for s in spans]
    owner: list[int] = []
    joined = "".join(texts)
    if not _WHITESPACE.search(joined):
        for i, t in enumerate(texts):
            owner.extend([i] * len(t))
        return joined, owner
    chars: list[str] = []
    run: list[tuple[str, int]] = []  # the current whitespace run with each character's span
    for si, t in enumerate(texts):
        for ch in t:
            if ch.isspace():
                run.append((ch, si))
                continue
            if run:
                if chars:
                    _close_run(run, chars, owner, ch)
                run = []
            chars.append(ch)
            owner.append(si)
    return "".join(chars), owner


def _close_run(run: list[tuple[str, int]], chars: list[str], owner: list[int], nxt: str) -> None:
    """Append what a whitespace run between ``chars[-1]`` and ``nxt`` becomes ([WS])."""
    if any(ch in "\n\r\v\f\u2028\u2029\x85" for ch, _si in run):
        if not (_is_cjk(chars[-1]) and _is_cjk(nxt)):
            chars.append(" ")
            owner.append(run[0][1])
        return
    ideographic = [(ch, si) for ch, si in run if ch == IDEOGRAPHIC_SPACE]
    if ideographic:
        for ch, si in ideographic:
            chars.append(ch)
            owner.append(si)
        return
    chars.append(" ")
    owner.append(run[0][1])


class Para:
    """A paragraph analysed for composition: normalised text, metrics, breaks and prefix sums."""

    def __init__(self, spans: Sequence[Span], style: ParaStyle) -> None:
        self.style = style
        self.trim = style.trim_start_bracket
        text, owner = normalize(spans)
        self.text = text
        n = self.n = len(text)
        self.spans = spans
        self.owner = owner
        self._fx: tuple | None = None
        self._tok: dict[int, dict[int, float]] = {}
        first_size = spans[0].size if spans else 0.0
        self.em = first_size
        not_start = NOT_AT_START[style.kinsoku]
        not_end = NOT_AT_END[style.kinsoku]
        strict = style.kinsoku == "strict"
        lone_dash_rule = style.kinsoku in ("basic", "gb")
        gap_em = style.cjk_latin_gap
        digit_em = gap_em if style.cjk_digit_gap is None else style.cjk_digit_gap
        split_gap = digit_em != gap_em
        any_gap = gap_em > 0.0 or digit_em > 0.0

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
            self.has_west = False
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
            # Han–Western gap (¼ em), none next to punctuation or brackets [CLREQ §4.4];
            # numbers may have a gap of their own (house setting, issue 17).
            if any_gap:
                if kp == HAN and spaced[i]:
                    g = digit_em if split_gap and self._numeric(i) else gap_em
                    gap[p] = g * size[p]
                elif kq == HAN and spaced[p]:
                    g = digit_em if split_gap and self._numeric(p) else gap_em
                    gap[p] = g * size[i]
            # 均排 eligibility of the gap between p and i: not inside a Western token or a
            # dash/ellipsis unit, not next to spaces, connectors or solidi [CLREQ §4.5].
            wp = west[p] and west[i]
            elig[p] = not (wp or (kp == kq and (kp == DASH or kp == ELLIPSIS))
                           or kp in NO_STRETCH_NEIGHBOUR or kq in NO_STRETCH_NEIGHBOUR)
            if kq == SPACE or kq == IDEOSPACE:
                continue  # break after a space, not before it
            ch_q = text[i]
            if kp == SPACE or kp == IDEOSPACE:
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
                to_west = prev_han and i + 1 < n and west[i + 1]
                if any_gap and (to_west or (next_han and i > 0 and west[i - 1])):
                    kind[i] = GAPSPACE
                    side = i + 1 if to_west else i - 1
                    adv[i] = (digit_em if split_gap and self._numeric(side) else gap_em) * sz
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
        self.has_west = any(west)

    def _numeric(self, i: int) -> bool:
        """Return True when the Western token around character ``i`` is a number (its first
        letter or digit is a digit: 2024, 5G, ¥8.6, 3‰), which takes the Han–number gap."""
        text, kind = self.text, self.kind
        a = i
        while a > 0 and kind[a - 1] == WEST:
            a -= 1
        n = self.n
        while a < n and kind[a] == WEST:
            ch = text[a]
            if ch.isalnum():
                return ch.isdigit()
            a += 1
        return False

    def flex(self) -> tuple[list[int], list[float], list[int], list[float]]:
        """Prefix sums of what can stretch (built on first use): word spaces, their stretch
        up to ½ em, Han–Western gaps (the ¼-em gaps and the spaces that are such gaps), and
        the advance of Western characters (what glyph scaling can work on)."""
        if self._fx is None:
            kind, adv, size, gap = self.kind, self.adv, self.size, self.gap
            n = self.n
            sp = [0] * n
            cap = [0.0] * n
            gp = [0] * n
            ww = [0.0] * n
            for i in range(n):
                k = kind[i]
                if k == SPACE:
                    sp[i] = 1
                    cap[i] = max(0.0, WORD_SPACE_MAX_EM * size[i] - adv[i])
                elif k == WEST:
                    ww[i] = adv[i]
                    if gap[i] > 0.0:
                        gp[i] = 1
                elif k == GAPSPACE or gap[i] > 0.0:
                    gp[i] = 1
            self._fx = ([0, *accumulate(sp)], [0.0, *accumulate(cap)], [0, *accumulate(gp)],
                        [0.0, *accumulate(ww)])
        return self._fx

    def hyphen_width(self, k: int) -> float:
        """Advance (pt) of a hyphen set after character ``k``, in that character's font and size."""
        font = self.spans[self.owner[k]].font
        w = font.widths.get(0x2D)
        if w is None:
            w = font.advance("-")
        return w * self.size[k]

    def extra_breaks(self, lo: int, hi: int) -> dict[int, float]:
        """Return the break opportunities inside the Western tokens overlapping [lo, hi):
        position → width of the hyphen that breaking there adds (0.0: a long token's permitted
        break, after ``/ . _ -`` or before ``?``; > 0: a hyphenation point of a Latin word)."""
        kind, n = self.kind, self.n
        out: dict[int, float] = {}
        i = min(lo, n - 1) if n else 0
        while i > 0 and kind[i - 1] == WEST:
            i -= 1
        while i < hi and i < n:
            if kind[i] != WEST:
                i += 1
                continue
            j = i + 1
            while j < n and kind[j] == WEST:
                j += 1
            got = self._tok.get(i)
            if got is None:
                got = self._tok[i] = self._token_breaks(i, j)
            out.update(got)
            i = j
        return out

    def _token_breaks(self, i: int, j: int) -> dict[int, float]:
        """Break opportunities inside the Western token [i, j) (see ``extra_breaks``)."""
        text = self.text
        tok = text[i:j]
        res: dict[int, float] = {}
        if j - i < HYPHEN_MIN_WORD:
            return res
        after, before = LONG_TOKEN_BREAK_AFTER, LONG_TOKEN_BREAK_BEFORE
        has_letter = any(ch.isalpha() for ch in tok)
        if j - i >= LONG_TOKEN_MIN_CHARS and has_letter and (
                any(ch in LONG_TOKEN_MARKERS for ch in tok) or _LETTER_DOT.search(tok)
                or "-" in tok.strip("-")):
            # URL, e-mail address, path, identifier or hyphenated compound: break at the
            # permitted points only, no hyphen added, never inside a number [issue 17].
            piece = LONG_TOKEN_MIN_PIECE
            for p in range(i + piece, j - piece + 1):
                c0, c1 = text[p - 1], text[p]
                if c0 in after and c1 not in after and c1 not in before:
                    if c0 == "." and text[p - 2].isdigit() and c1.isdigit():
                        continue  # 3.05, v1.2: a number
                    res[p] = 0.0
                elif c1 in before and c0 not in after:
                    res[p] = 0.0
            return res
        lang = self.style.latin_lang
        if not lang:
            return res
        m = _WORD.fullmatch(tok)
        if m is None:
            return res
        word = m.group(2)
        if len(word) < (HYPHEN_MIN_CAPS if word.isupper() else HYPHEN_MIN_WORD):
            return res  # short words and acronyms are never hyphenated
        off = i + len(m.group(1))
        for pos in hyphen_points(word, lang):
            res[off + pos] = self.hyphen_width(off + pos - 1)
        return res

    # ------------------------------------------------------------------------------------
    # Measuring a candidate line [a, b)
    # ------------------------------------------------------------------------------------

    def vis_end(self, a: int, b: int) -> int:
        """Return the end of what is visible of [a, b): a break space at the end is dropped."""
        if b > a and self.kind[b - 1] in BREAK_SPACES:
            return b - 1
        return b

    def width(self, a: int, b: int) -> float:
        """Natural width of [a, b) set as a line: line-end mark ½ em, no gap at the edges."""
        e = b - 1 if b > a and self.kind[b - 1] in BREAK_SPACES else b
        if e <= a:
            return 0.0
        k = e - 1
        w = self.W[e] - self.W[a] - self.gap[k] - self.br[k]
        if self.style.trim_start_bracket and self.kind[a] == OPEN:
            w -= self.bl[a]
        return w

    def min_width(self, a: int, b: int) -> float:
        """Width of [a, b) compressed as far as clreq allows."""
        e = b - 1 if b > a and self.kind[b - 1] in BREAK_SPACES else b
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
        kind, west, n = self.kind, self.west, self.n
        lo = a if lo is None else lo
        if b <= a:
            return a + 1
        for p in range(b, lo, -1):
            kp, kq = kind[p - 1], kind[p] if p < n else -1
            if kq in BREAK_SPACES or (west[p - 1] and p < n and west[p]):
                continue
            if kp == kq and kp in (DASH, ELLIPSIS):
                continue
            return p
        soft = self.extra_breaks(lo, b)
        for p in range(b, lo, -1):
            if soft.get(p) == 0.0:
                return p  # a long token's permitted break point
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
            measure: float, hyphen: bool = False, condense: bool = False, note: str = "") -> Line:
        """Set [a, b) in ``avail`` pt starting ``indent`` pt from the measure's left edge.

        ``mode`` is justify (flush both edges), start, center or end (solid, compressed only
        if it does not fit). Compression runs clreq's steps 2–7 in order, every instance of a
        step squeezed by the same amount [CLREQ §4.3]; expansion is ``_stretch``'s. ``hyphen``
        adds a hyphen after the last character (a Latin word broken at a hyphenation point);
        ``condense`` lets a line still too wide after compression condense its Western
        characters (an unbreakable token wider than the measure) down to ``TOKEN_MIN_SCALE``.
        """
        e = self.vis_end(a, b)
        m = e - a
        text = self.text
        if m <= 0:
            return Line((), "", a, a, measure, indent, 0.0, last, 0.0, ())
        advs = self.adv[a:e]
        gaps = self.gap[a:e]
        dxs = self.dx0[a:e]
        scales = self.scale[a:e]
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
        hw = self.hyphen_width(k) if hyphen else 0.0
        width = self.W[e] - self.W[a] - self.gap[k] - brr - (self.bl[a] if trimmed else 0.0) + hw
        delta = avail - width
        if delta < -EPS:
            self._shrink(a, e, advs, gaps, dxs, -delta, trimmed)
            width = sum(advs) + sum(gaps) + hw
            delta = avail - width
            if delta < -EPS and condense:
                note = self._condense(a, e, advs, scales, -delta) or note
                width = sum(advs) + sum(gaps) + hw
                delta = avail - width
        if mode == "justify" and delta > EPS:
            if self._stretch(a, e, advs, gaps, delta):
                delta = 0.0
            else:
                # Nothing to stretch: scale the Western glyphs up a little if that fills the
                # line (never letter-spacing), else leave it short and say so.
                idx = self._west_of(a, e)
                total = sum(advs[j] for j in idx)
                if total > EPS and (total + delta) / total <= WEST_SCALE_MAX + EPS:
                    self._scale(idx, advs, scales, (total + delta) / total)
                    delta = 0.0
                else:
                    note = note or (f"{text[a:e]!r} has nothing to stretch (a piece of a long "
                                    "token): set short, not letter-spaced")
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
            append(Glyph(text[i], key[i], size[i], x, w, dxs[j], scales[j]))
            x += w
        natural = self.nat[a:e]
        if hyphen:
            # A glyph only: ``Line.text`` stays the paragraph's text, so character counts
            # (copy-fit, overset) and searches see the word whole.
            append(Glyph("-", key[k], size[k], x, hw))
            x += hw
            natural.append(hw)
        return Line(tuple(glyphs), text[a:e], a, e, measure, indent, x - indent, last,
                    max(size[a:e]), tuple(natural), hyphen, note)

    def _condense(self, a: int, e: int, advs: list[float], scales: list[float],
                  need: float) -> str:
        """Condense the Western characters of [a, e) horizontally by ``need`` pt; return the
        note to report. Down to ``WEST_SCALE_MIN`` this is glyph scaling, part of justifying
        the line; beyond, an unbreakable token wider than the measure is condensed down to
        ``TOKEN_MIN_SCALE`` and reported (issue 17: never drawn past the measure)."""
        idx = self._west_of(a, e)
        total = sum(advs[j] for j in idx)
        if total <= EPS:
            return ""
        factor = max(TOKEN_MIN_SCALE, (total - need) / total)
        self._scale(idx, advs, scales, factor)
        if factor >= WEST_SCALE_MIN - EPS:
            return ""
        token = "".join(self.text[a + j] for j in idx)
        return f"unbreakable {token!r} is wider than the measure: condensed to {factor:.0%}"

    def _west_of(self, a: int, e: int) -> list[int]:
        """Offsets (from ``a``) of the Western characters of [a, e)."""
        kind = self.kind
        return [j for j in range(e - a) if kind[a + j] == WEST]

    @staticmethod
    def _scale(idx: list[int], advs: list[float], scales: list[float], factor: float) -> None:
        """Scale the glyphs ``idx`` horizontally by ``factor`` (advance and drawn width)."""
        for j in idx:
            advs[j] *= factor
            scales[j] = round(scales[j] * factor, 4)

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

    def _stretch(self, a: int, e: int, advs: list[float], gaps: list[float], need: float) -> bool:
        """Expand [a, e) by ``need`` pt; return False when nothing on the line may stretch.

        Order (issue 17, refining clreq §procedures_for_inter-character_space_expansion):
        1. gaps between CJK characters (均排) and Latin word spaces, the same amount each, a
           CJK gap up to ``HAN_STRETCH_MAX_EM`` and a word space up to ``WORD_SPACE_MAX_EM``;
        2. Han–Western gaps, by at most ``GAP_STRETCH_EM`` (¼ → ⅜ em), so the ¼-em gap holds;
        3. CJK gaps and word spaces past their limits, the same amount each;
        4. only when a line has neither: the Han–Western gaps past their limit.
        Never inside a Latin word or number: a line with none of these is left short.
        """
        kind, size, elig = self.kind, self.size, self.elig
        m = e - a
        han = [j for j in range(m - 1) if elig[a + j]]
        spaces = [j for j in range(m) if kind[a + j] == SPACE]
        hcap = HAN_STRETCH_MAX_EM * self.em
        if han and not spaces:
            per = need / len(han)
            if per <= hcap + EPS:  # the common case: a line of hanzi
                for j in han:
                    gaps[j] += per
                return True
        flex = [(j, hcap, 2) for j in han]
        flex.extend((j, max(0.0, WORD_SPACE_MAX_EM * size[a + j] - advs[j]), 0) for j in spaces)
        need = self._fill(flex, advs, gaps, need)
        if need <= EPS:
            return True
        latin = [(j, GAP_STRETCH_EM * size[a + j], 0) for j in range(m) if kind[a + j] == GAPSPACE]
        latin.extend((j, GAP_STRETCH_EM * size[a + j], 2) for j in range(m - 1) if gaps[j] > 0.0
                     and not elig[a + j])
        need = self._fill(latin, advs, gaps, need)
        if need <= EPS:
            return True
        rest = flex or latin
        if not rest:
            return False
        per = need / len(rest)
        for j, _, side in rest:
            if side == 2:
                gaps[j] += per
            else:
                advs[j] += per
        return True

    @staticmethod
    def _fill(inst: list[tuple[int, float, int]], advs: list[float], gaps: list[float],
              need: float) -> float:
        """Give ``need`` to instances (index, cap, side) in equal amounts up to their caps;
        side 2 widens the gap after the glyph, 0 the glyph itself. Return what is left."""
        if need <= EPS or not inst:
            return need
        amounts = _water_fill([c for _, c, _ in inst], need)
        for (j, _, side), r in zip(inst, amounts):
            if side == 2:
                gaps[j] += r
            else:
                advs[j] += r
            need -= r
        return need


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
    info = _INFO.get
    for g, h, nat in zip(glyphs, glyphs[1:], line.natural):
        if (info(g.ch) or _info(g.ch))[0] in (WEST, SPACE) or (info(h.ch) or _info(h.ch))[0] in (WEST, SPACE):
            continue
        widest = max(widest, g.advance - nat)
    return widest / line.size if line.size else 0.0
