"""Check composed Chinese lines against clreq, independently of the composer.

Two modes, one analysis:

* ``python bench/check_lines.py PAGE.pdf [--columns 40-157,166-283] [--size 9]`` reads the
  glyphs back from a PDF with pypdfium2 (character origins, advance ("loose") boxes and ink
  boxes), keeps the body size (the most common size unless ``--size``), groups glyphs into
  lines by baseline and into columns (the most common right/left edges of lines, or the
  ``--columns`` given), and reports.
* ``python bench/check_lines.py --text FILE --measure 117 --size 9`` composes every paragraph
  of FILE (one per line) with ``layout.text.compose`` and the bundled
  ``fonts/PaibanSerifSC-Regular.ttf`` (via ``layout.fonts.load_face``), and runs the same
  analysis on the result; ``--render OUT.pdf`` also writes those lines as a multi-column PDF
  (reportlab) so the PDF mode can be run on it.

Figures: forbidden line starts/ends at the strict level; split unbreakables (numbers, ——,
……; in PDF mode letter–letter breaks are only "possible" splits, since the break space is
not in the PDF); long tokens broken after / . _ - or before ? and Latin words broken at an
inserted hyphen (allowed, counted); % of non-last lines flush with their column edge within
0.5 pt; marks protruding past the column edge; paragraph-last lines of one hanzi or one hanzi
+ punctuation (a paragraph ends at a line that is not flush right and is followed by an
indented line or the end of the column).

Spacing figures (issue 17), from the white between the advance boxes of neighbouring glyphs
(the next glyph's origin minus this glyph's origin plus its natural advance; a word space is
white because the checker drops space glyphs): justified lines (non-last) whose widest white
exceeds ½ em and 1 em; the distribution of white between a hanzi and a Latin letter or digit
(the Han–Western gap, ¼ em by style) with every gap of ½ em or more listed, marked when its
line has no other stretch (no hanzi–hanzi junction and no word space); Latin words or numbers
with white inside them (letter-spaced).

The character tables below are restated from reference/typography.md §4.1 on purpose, so a
mistake in ``layout.text.classes`` cannot hide itself.
"""

from __future__ import annotations

import argparse
import ctypes
import sys
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLUSH_TOL = 0.5
"""pt: a line is flush with its column edge when its edge is within this."""

GUTTER_EM = 0.9
"""A white of this many em between two glyphs on one baseline is taken for a column gutter."""

IDEOGRAPHIC_SPACE = "\u3000"
"""A 全角空格 the copy typed (after a run-in title): its em of white is not justification."""

TYPED_TOL_EM = 0.02
"""A read-back white this close to a whole number of em, where a space was reported, is taken
for typed U+3000 (pdfium and poppler report a U+3000 as a space)."""

NOT_START = set("。．，、：；！？‼⁇”’」』）〕】〗］｝》〉～–·・‧/／—⸺⸻…⋯,.;:!?)]}%‰℃")
"""Strict level: not at line start (typography.md §4.1 table plus Western closing marks)."""

NOT_END = set("“‘「『（〔【〖［｛《〈([{/／¥$＄￥")
"""Strict level: not at line end (typography.md §4.1 table plus Western opening marks)."""

LEFT_INK = set("，。、：；！？．”’」』）〕】〗］｝》〉")
"""SC marks whose ink sits in the left half of the em (their right half may be trimmed)."""

OPENING = set("“‘「『（〔【〖［｛《〈")

DASHES = set("—⸺⸻…⋯")
"""Pieces of 破折号/省略号: joined or scaled, so the white between two of them is not spacing."""

HALF_EM = 0.5
"""A justified line is loose when some white on it exceeds this many em (issue 17)."""

ONE_EM = 1.0
"""…and very loose beyond this."""

WIDE_GAP_EM = 0.5
"""A Han–Western gap of this many em or more is listed (the style's gap is ¼ em)."""

LETTER_TOL_EM = 0.02
"""White above this (em) between two characters of one Latin word or number is letter-spacing."""

WORD_SPACE_SEEN_EM = 0.2
"""Latin–Latin white of at least this (em) where a space was drawn is a word space."""

MEASURE_TOL_EM = 0.01
"""Rounding slack of the spacing figures (em)."""

URL_BREAK_AFTER = set("/._-")
"""A long token (URL, e-mail, path, identifier) may break after these, no hyphen [issue 17]."""

URL_BREAK_BEFORE = set("?")
"""…and before these."""


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3FFFF or 0xF900 <= cp <= 0xFAFF


def is_west(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".,%-/:@_") or ch in "‰℃¥$"


def is_latin(ch: str) -> bool:
    """Any character of a Western token (letters, digits, ASCII punctuation, units, currency)."""
    return (ch.isascii() and not ch.isspace()) or ch in "‰℃¥$£€°′″±×"


def is_spaced_latin(ch: str) -> bool:
    """A character that takes the Han–Western gap: letter, digit, currency or unit [CLREQ §4.4]."""
    return (ch.isascii() and ch.isalnum()) or ch in "%‰℃¥$£€°"


@dataclass
class Char:
    ch: str
    x: float  # origin (PDF mode) or left edge of the set box (text mode)
    right: float  # edge of the set box (½ em for a left-ink mark at line end)
    ink_left: float
    ink_right: float
    size: float
    origin: float = 0.0  # where the glyph is drawn
    adv_right: float = 0.0  # origin + the glyph's natural advance (its unspaced right edge)
    space_before: bool = False  # a space glyph came right before it (dropped from the line)
    typed_before: int = 0  # U+3000 the copy typed right before it: one em of white each, not spacing


@dataclass
class Seg:
    """One line of one column."""

    y: float
    chars: list[Char]
    col: int = -1
    src_split: bool = False  # text mode: the break splits an unbreakable (known from the source)
    para_start: bool = False  # text mode: first line of a paragraph
    para_end: bool = False  # text mode: last line of a paragraph
    consumed_space: bool = False  # text mode: the break consumed a space
    hyphenated: bool = False  # text mode: the composer added a hyphen at the end of this line
    text: str = field(init=False)

    def __post_init__(self) -> None:
        # Spaces are not glyphs here (the PDF reader drops them); restore them for reading.
        chars = self.chars
        self.text = "".join((" " + c.ch) if c.space_before and k and (
            is_latin(c.ch) or is_latin(chars[k - 1].ch)) else c.ch for k, c in enumerate(chars))

    @property
    def left(self) -> float:
        return self.chars[0].x

    @property
    def right(self) -> float:
        return self.chars[-1].right


def _is_guzi(text: str) -> bool:
    """孤字 as issue 4 counts it: a last line of one hanzi, one hanzi plus punctuation, or
    punctuation alone — no Latin word or number on it [CLREQ §adjustments_of_orphans_and_widows]."""
    hanzi = sum(1 for ch in text if is_han(ch))
    other = any(is_west(ch) for ch in text)
    return hanzi <= 1 and not other


def _units(text: str) -> int:
    count, prev = 0, False
    for ch in text:
        w = is_west(ch)
        count += is_han(ch) or (w and not prev)
        prev = w
    return count


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def read_pdf(path: Path, body_size: float | None) -> list[list[Char]]:
    """Return, per page, the horizontal glyphs of the body size."""
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    pages = []
    doc = pdfium.PdfDocument(str(path))
    for page in doc:
        tp = page.get_textpage()
        chars = []
        x, y = ctypes.c_double(), ctypes.c_double()
        space = False
        typed = 0
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if ch == IDEOGRAPHIC_SPACE:
                typed += 1
                continue
            if raw.FPDFText_IsGenerated(tp, i):
                # pdfium sometimes replaces a drawn space by a generated one (and generates
                # spaces at wide gaps): keep it as a hint, ``junctions`` checks the width.
                space = space or ch == " "
                continue
            if not ch or ch.isspace():
                space = bool(ch)
                continue
            if ch == "\ufffe":
                ch = "-"  # pdfium reports a hyphen at a line end as U+FFFE
            if abs(raw.FPDFText_GetCharAngle(tp, i)) > 1e-3:
                continue  # rotated (vertical heads)
            size = round(raw.FPDFText_GetFontSize(tp, i), 2)
            raw.FPDFText_GetCharOrigin(tp, i, x, y)
            l, _, r, _ = tp.get_charbox(i)
            lr = tp.get_charbox(i, loose=True)[2]
            ox = x.value
            right = lr
            if ch in LEFT_INK:
                right = min(lr, ox + size / 2)
            # y grows downwards from here on: use the negated baseline. The loose box's right
            # edge is origin + advance × size (pdfium), i.e. the unspaced right edge.
            chars.append((round(-y.value, 1), Char(ch, ox, right, l, r, size, ox, lr, space, typed)))
            space = False
            typed = 0
        pages.append(chars)
    if body_size is None:
        sizes = Counter(c.size for page in pages for _, c in page)
        body_size = sizes.most_common(1)[0][0] if sizes else 9.0
    out = []
    for page in pages:
        out.append([(yy, c) for yy, c in page if abs(c.size - body_size) < 0.01])
    return out, body_size


def segments(chars: list[tuple[float, Char]], size: float, columns=None) -> list[Seg]:
    """Group glyphs into lines by baseline, split at column gutters.

    Without ``columns``, a row is split where the white between two glyphs reaches
    ``GUTTER_EM`` (a gutter is 1 字); pieces that turn out to lie in one column (a very loose
    line) are merged again by ``assign``.
    """
    by_y: dict[float, list[Char]] = {}
    for y, c in chars:
        by_y.setdefault(y, []).append(c)
    segs = []
    for y in sorted(by_y):
        row = sorted(by_y[y], key=lambda c: c.x)
        if columns:
            for ci, (l, r) in enumerate(columns):
                part = [c for c in row if l - size <= c.x < r]
                if part:
                    segs.append(Seg(y, part, ci))
            continue
        cur = [row[0]]
        for c in row[1:]:
            if c.x - cur[-1].right >= GUTTER_EM * size:
                segs.append(Seg(y, cur))
                cur = []
            cur.append(c)
        segs.append(Seg(y, cur))
    return segs


def assign(segs: list[Seg], columns: list[tuple[float, float]], size: float) -> list[Seg]:
    """Put every line into the column that contains it; merge pieces of one line in one column.

    A column reaches from its first to its last line flush with its right edge (plus a few
    lines): a line of the same size above or below it (a running head's credits) is not in it.
    """
    span: dict[int, tuple[float, float]] = {}
    for ci, (l, r) in enumerate(columns):
        ys = [s.y for s in segs
              if abs(s.right - r) <= FLUSH_TOL and l - size <= s.left <= l + 3 * size]
        if ys:
            span[ci] = (min(ys) - 3 * size, max(ys) + 3 * size)
    out: dict[tuple[float, int], Seg] = {}
    for s in segs:
        if s.col < 0:
            best = None
            for ci, (l, r) in enumerate(columns):
                lo, hi = span.get(ci, (float("-inf"), float("inf")))
                if not lo <= s.y <= hi:
                    continue
                if l - size <= s.left and s.right <= r + size:
                    # Columns can nest (a boxed sidebar inside a wider one): prefer the column
                    # whose edge the line is flush with, else whose left edge or indent it starts at.
                    fit = min(abs(s.right - r), abs(s.left - l), abs(s.left - l - 2 * size))
                    if best is None or fit < best[0]:
                        best = (fit, ci)
            s.col = -1 if best is None else best[1]
        if s.col < 0:
            continue
        k = (s.y, s.col)
        if k in out:
            merged = Seg(s.y, sorted(out[k].chars + s.chars, key=lambda c: c.x), s.col)
            out[k] = merged
        else:
            out[k] = s
    return list(out.values())


def infer_columns(segs: list[Seg]) -> list[tuple[float, float]]:
    """Column edges: the common right edges of lines, each with the common left edge of its lines."""
    rights = Counter(round(s.right * 2) / 2 for s in segs)
    if not rights:
        return []
    top = rights.most_common(1)[0][1]
    cands: list[tuple[float, float, int]] = []
    for r, n in sorted(rights.items()):
        if n < max(3, top * 0.1):
            continue
        if cands and abs(cands[-1][1] - r) <= FLUSH_TOL:
            continue
        lefts = Counter(round(s.left * 2) / 2 for s in segs if abs(s.right - r) <= FLUSH_TOL)
        # The column's left edge is the leftmost common start: first-line indents (2 字 in)
        # can be as common as full lines in a box of short paragraphs.
        most = lefts.most_common(1)[0][1]
        left = min(x for x, k in lefts.items() if k * 2 >= most)
        cands.append((left, r, n))
    # Short last lines repeated on a page can share a right edge; of the edges that share a
    # left edge, the column edge is the one most lines are flush with.
    cols = []
    for l, r, n in cands:
        rivals = [c for c in cands if abs(c[0] - l) <= FLUSH_TOL]
        if max(rivals, key=lambda c: c[2]) == (l, r, n):
            cols.append((l, r))
    return cols


# ---------------------------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------------------------


@dataclass
class Report:
    lines: int = 0
    columns: int = 0
    bad_start: list[str] = field(default_factory=list)
    bad_end: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)
    maybe_split: list[str] = field(default_factory=list)
    url_breaks: list[str] = field(default_factory=list)
    nonlast: int = 0
    flush: int = 0
    not_flush: list[str] = field(default_factory=list)
    protrude: list[str] = field(default_factory=list)
    paragraphs: int = 0
    runts: list[str] = field(default_factory=list)
    word_runts: list[str] = field(default_factory=list)
    hyphen_breaks: list[str] = field(default_factory=list)
    justified: int = 0
    over_half: list[str] = field(default_factory=list)
    over_one: list[str] = field(default_factory=list)
    widest: float = 0.0
    cjk_latin: list[float] = field(default_factory=list)
    cjk_latin_wide: list[str] = field(default_factory=list)
    cjk_latin_wide_alone: int = 0
    letter_spaced: list[str] = field(default_factory=list)

    def cjk_latin_median(self) -> float:
        """Median Han–Western gap in em (0 when there is none)."""
        v = sorted(self.cjk_latin)
        if not v:
            return 0.0
        k = len(v) // 2
        return v[k] if len(v) % 2 else (v[k - 1] + v[k]) / 2

    def cjk_latin_histogram(self) -> list[tuple[str, int]]:
        """Han–Western gaps counted in bins of em."""
        bins = [("<0.2", 0.0, 0.2), ("0.2-0.3", 0.2, 0.3), ("0.3-0.5", 0.3, 0.5),
                (">=0.5", 0.5, 99.0)]
        tol = MEASURE_TOL_EM
        return [(name, sum(1 for g in self.cjk_latin if lo - tol <= g < hi - tol))
                for name, lo, hi in bins]

    def print(self, title: str) -> None:
        pct = 100.0 * self.flush / self.nonlast if self.nonlast else 100.0
        print(f"== {title}")
        print(f"  lines {self.lines} in {self.columns} column(s), {self.paragraphs} paragraph ends")
        print(f"  forbidden line starts (strict): {len(self.bad_start)}  {self.bad_start[:5]}")
        print(f"  forbidden line ends (strict):   {len(self.bad_end)}  {self.bad_end[:5]}")
        print(f"  split unbreakables:             {len(self.split)}  {self.split[:5]}")
        if self.url_breaks:
            print(f"  URL broken after / (allowed):   {len(self.url_breaks)}  {self.url_breaks[:3]}")
        if self.maybe_split:
            print(f"  Latin breaks (at a space?):     {len(self.maybe_split)}  {self.maybe_split[:5]}")
        print(f"  non-last lines flush (0.5 pt):  {self.flush}/{self.nonlast} = {pct:.2f}%"
              f"  {self.not_flush[:3]}")
        print(f"  marks protruding past the edge: {len(self.protrude)}  {self.protrude[:5]}")
        print(f"  孤字 last lines:                 {len(self.runts)}  {self.runts[:5]}")
        print(f"  one-word last lines (info):     {len(self.word_runts)}  {self.word_runts[:5]}")
        if self.hyphen_breaks:
            print(f"  hyphenated Latin words:         {len(self.hyphen_breaks)}  "
                  f"{self.hyphen_breaks[:3]}")
        j = self.justified or 1
        print(f"  justified lines, white > ½ em:  {len(self.over_half)}/{self.justified}"
              f" = {100.0 * len(self.over_half) / j:.2f}%  {self.over_half[:5]}")
        print(f"  justified lines, white > 1 em:  {len(self.over_one)}  {self.over_one[:5]}"
              f"  (widest {self.widest:.3f} em)")
        hist = ", ".join(f"{name}: {n}" for name, n in self.cjk_latin_histogram())
        print(f"  Han–Western gaps:               {len(self.cjk_latin)}, median "
              f"{self.cjk_latin_median():.3f} em  [{hist}]")
        print(f"  Han–Western gaps >= ½ em:       {len(self.cjk_latin_wide)} "
              f"({self.cjk_latin_wide_alone} on lines with no other stretch)")
        for item in self.cjk_latin_wide:
            print(f"      {item}")
        print(f"  letter-spaced Latin words:      {len(self.letter_spaced)}  "
              f"{self.letter_spaced[:5]}")


def junctions(s: Seg) -> list[tuple[str, float, int]]:
    """Classify the white between neighbouring glyphs of a line: (class, em, left glyph's index).

    Classes: ``word`` (a word space between Latin characters), ``inword`` (two characters of one
    Latin token), ``cjk_latin`` (a hanzi beside a Latin letter, digit or unit: the Han–Western
    gap), ``cjk`` (two CJK characters: hanzi or CJK punctuation), ``other``. Pieces of one
    破折号 or 省略号 are skipped.
    """
    out = []
    chars = s.chars
    for k in range(len(chars) - 1):
        c, d = chars[k], chars[k + 1]
        if c.ch in DASHES and d.ch in DASHES:
            continue
        em = c.size or 1.0
        white = (d.origin - c.adv_right) / em - d.typed_before  # a typed U+3000 is copy
        lc, ld = is_latin(c.ch), is_latin(d.ch)
        typed = d.typed_before > 0
        if d.space_before and not (lc and ld) and white > 1 - TYPED_TOL_EM:
            # PDF readers (pdfium, poppler) turn a drawn U+3000 into a generated space; its
            # white is a whole number of em, where justification spreads fractions.
            whole = round(white)
            if abs(white - whole) < TYPED_TOL_EM:
                white -= whole
                typed = True
        if typed:  # white the copy asked for: neither a Han–Western gap nor justification
            out.append(("typed", white, k))
            continue
        if lc and ld:
            # A word space is at least ¼ em even when compressed [CLREQ §4.3 step 2]; less white
            # than WORD_SPACE_SEEN_EM is letter-spacing even where the PDF reader guessed a space.
            cls = "word" if d.space_before and white >= WORD_SPACE_SEEN_EM else "inword"
        elif (is_han(c.ch) and is_spaced_latin(d.ch)) or (is_spaced_latin(c.ch) and is_han(d.ch)):
            cls = "cjk_latin"
        elif not lc and not ld:
            cls = "cjk"
        else:
            cls = "other"
        out.append((cls, white, k))
    return out


def _token_at(s: Seg, k: int) -> str:
    """The Latin token of line ``s`` around glyph ``k`` (for reports)."""
    a = b = k
    while a > 0 and is_latin(s.chars[a - 1].ch) and not s.chars[a].space_before:
        a -= 1
    while b + 1 < len(s.chars) and is_latin(s.chars[b + 1].ch) and not s.chars[b + 1].space_before:
        b += 1
    return "".join(c.ch for c in s.chars[a:b + 1])


def spacing(s: Seg, justified: bool, report: Report) -> None:
    """Add the spacing figures of one line to ``report``."""
    js = junctions(s)
    if not js:
        return
    tol = MEASURE_TOL_EM
    spaced_tokens = []
    for cls, white, k in js:
        if cls == "cjk_latin":
            report.cjk_latin.append(white)
        elif cls == "inword" and white > LETTER_TOL_EM:
            tok = _token_at(s, k)
            if tok not in spaced_tokens:
                spaced_tokens.append(tok)
    report.letter_spaced.extend(f"{t} in {s.text}" for t in spaced_tokens)
    alone = not any(cls in ("cjk", "word") for cls, _, _ in js)
    for cls, white, k in js:
        if cls == "cjk_latin" and white >= WIDE_GAP_EM - tol:
            mark = " (no other stretch)" if alone else ""
            pair = f"{s.chars[k].ch}|{s.chars[k + 1].ch}"
            report.cjk_latin_wide.append(f"{white:.2f} em {pair} in {s.text}{mark}")
            report.cjk_latin_wide_alone += alone
    if justified:
        report.justified += 1
        widest = max(white for cls, white, _ in js if cls != "inword")  if any(
            cls != "inword" for cls, _, _ in js) else 0.0
        report.widest = max(report.widest, widest)
        if widest > HALF_EM + tol:
            report.over_half.append(f"{s.text} ({widest:.2f} em)")
        if widest > ONE_EM + tol:
            report.over_one.append(f"{s.text} ({widest:.2f} em)")


def analyse(segs: list[Seg], columns: list[tuple[float, float]], size: float, report: Report,
            text_mode: bool = False) -> Report:
    report.columns += len(columns)
    segs = assign(segs, columns, size)
    steps = Counter()
    for ci in range(len(columns)):
        ys = sorted(s.y for s in segs if s.col == ci)
        steps.update(round(b - a, 1) for a, b in pairwise(ys))
    pitch = steps.most_common(1)[0][0] if steps else size * 1.25
    for ci, (L, R) in enumerate(columns):
        col = [s for s in segs if s.col == ci]
        col.sort(key=lambda s: s.y)
        report.lines += len(col)
        para_start = True
        url_before = False
        for k, s in enumerate(col):
            nxt = col[k + 1] if k + 1 < len(col) else None
            flush = abs(s.right - R) <= FLUSH_TOL
            indented_next = nxt is not None and nxt.left > L + 0.5 * size
            # A wider step than the line pitch means a subhead, photo or rule came between.
            broken = nxt is not None and not text_mode and nxt.y - s.y > 1.5 * pitch
            para_end = not flush and (nxt is None or indented_next or broken)
            if text_mode:
                para_start, para_end = s.para_start, s.para_end
            elif k == 0:
                para_start = s.left > L + 0.5 * size
            # A paragraph may begin with any mark (——2023年…); only breaks are checked. A long
            # token broken before "?" starts its line with it (allowed, counted as a URL break).
            query = url_before and s.text[0] in URL_BREAK_BEFORE
            if s.text[0] in NOT_START and not para_start and not query:
                report.bad_start.append(s.text)
            url = (nxt is not None and not para_end and len(s.text) > 1 and is_latin(s.text[-2])
                   and is_latin(nxt.text[0])
                   and (s.text[-1] in URL_BREAK_AFTER or nxt.text[0] in URL_BREAK_BEFORE))
            hyphen = (url and s.text[-1] == "-" and (s.hyphenated or not text_mode)
                      and s.text[-2].isalpha() and nxt.text[0].isalpha())
            if nxt is not None and not para_end and s.text[-1] in NOT_END:
                if url:
                    report.url_breaks.append(f"{s.text}|{nxt.text}")
                else:
                    report.bad_end.append(s.text)
            elif url and hyphen:
                report.hyphen_breaks.append(f"{s.text}|{nxt.text}")
            elif url:
                report.url_breaks.append(f"{s.text}|{nxt.text}")
            url_before = url
            para_start = para_end
            if nxt is not None and not para_end:
                a, b = s.text[-1], nxt.text[0]
                if text_mode:
                    if s.src_split and (url or s.hyphenated):
                        pass  # a long token broken after / . _ - or before ?, or a hyphenated word
                    elif s.src_split:
                        report.split.append(f"{s.text}|{nxt.text}")
                elif (a.isdigit() and b.isdigit()) or (a == b and a in "—…⋯"):
                    report.split.append(f"{s.text}|{nxt.text}")
                elif is_latin(a) and is_latin(b) and not url:
                    report.maybe_split.append(f"{s.text}|{nxt.text}")
            if para_end:
                report.paragraphs += 1
                prev = col[k - 1] if k else None
                follows_full_line = prev is not None and abs(prev.right - R) <= FLUSH_TOL
                if follows_full_line and s.left <= L + 0.5 * size and _units(s.text) < 2:
                    if _is_guzi(s.text):
                        report.runts.append(f"{prev.text}|{s.text}")
                    else:  # one Latin word or number: a runt, but not a 孤字
                        report.word_runts.append(f"{prev.text}|{s.text}")
            else:
                report.nonlast += 1
                if flush:
                    report.flush += 1
                else:
                    report.not_flush.append(s.text)
            spacing(s, not para_end, report)
            for c in s.chars:
                if c.ink_right > R + FLUSH_TOL or c.ink_left < L - FLUSH_TOL:
                    report.protrude.append(f"{c.ch} in {s.text}")
    return report


# ---------------------------------------------------------------------------------------------
# Text mode
# ---------------------------------------------------------------------------------------------


def load_body_font():
    from layout.fonts import load_face

    return load_face(ROOT / "fonts" / "PaibanSerifSC-Regular.ttf")


def compose_file(path: Path, font, measure: float, size: float):
    from layout.text import ParaStyle, Span, compose

    paras = [p.strip() for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]
    return [(p, compose([Span(p, font, size)], measure, ParaStyle())) for p in paras]


def text_segments(composed, measure: float, size: float) -> list[Seg]:
    """Turn composed lines into segments of one column (x from the measure's left edge)."""
    from layout.text import Span
    from layout.text.para import WEST, _info, normalize

    segs = []
    y = 0.0
    for raw, lines in composed:
        text = normalize([Span(raw, None, 0.0)])[0]
        for k, line in enumerate(lines):
            y += 1.0
            chars = []
            space = False
            typed = 0
            for g, nat in zip(line.glyphs, line.natural):
                if g.ch == IDEOGRAPHIC_SPACE:
                    typed += 1
                    continue
                if g.ch.isspace():
                    space = True  # dropped like the PDF reader drops it: its box is white
                    continue
                o = g.x + g.dx
                right = g.x + g.advance
                ink_l, ink_r = o, o + nat * g.scale / 100.0  # scaled glyphs draw narrower
                if g.ch in LEFT_INK:
                    ink_r = o + g.size / 2
                if g.ch in OPENING:
                    ink_l = o + g.size / 2
                drawn = nat * g.scale / 100.0
                chars.append(Char(g.ch, g.x, right, ink_l, ink_r, g.size, o, o + drawn, space, typed))
                space = False
                typed = 0
            s = Seg(y, chars, 0)
            s.para_start, s.para_end = k == 0, k == len(lines) - 1
            s.hyphenated = bool(getattr(line, "hyphen", False))
            if k + 1 < len(lines):
                nxt = lines[k + 1]
                s.consumed_space = nxt.start > line.end
                a, b = text[line.end - 1], text[nxt.start] if nxt.start < len(text) else ""
                s.src_split = (not s.consumed_space and b != "" and (
                    (_info(a)[0] == WEST and _info(b)[0] == WEST) or (a == b and a in "—…⋯")))
            segs.append(s)
    return segs


def render_pdf(composed, font, out: Path, measure: float, size: float, columns: int = 4,
               font_file=None) -> list:
    """Write the composed lines as a multi-column PDF with reportlab; return the column edges."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont(font.key, font_file or str(font.path)))
    pitch = size * 1.25
    margin = 36.0
    rows = 60
    width = margin * 2 + columns * measure + (columns - 1) * size
    height = margin * 2 + rows * pitch
    c = canvas.Canvas(str(out), pagesize=(width, height))
    edges = [(margin + i * (measure + size), margin + i * (measure + size) + measure) for i in range(columns)]
    col = row = 0
    for _, lines in composed:
        for line in lines:
            if row == rows:
                row, col = 0, col + 1
                if col == columns:
                    c.showPage()
                    col = 0
            baseline = margin + (row + 1) * pitch
            for run in line.runs(edges[col][0], baseline):
                c.setFont(run.font, run.size)
                c.drawString(run.x, height - run.y, run.text, charSpace=run.char_space)
            row += 1
    c.save()
    return edges


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Check Chinese line composition against clreq.")
    ap.add_argument("pdf", nargs="?", type=Path)
    ap.add_argument("--columns", help="column edges in pt: x0-x1,x0-x1,… (PDF mode)")
    ap.add_argument("--size", type=float, help="body size in pt (PDF mode: default most common)")
    ap.add_argument("--text", type=Path, action="append", help="compose this file (repeatable)")
    ap.add_argument("--measure", type=float, default=117.0)
    ap.add_argument("--render", type=Path, help="text mode: also write the lines as a PDF")
    args = ap.parse_args(argv)
    if args.text:
        try:
            font = load_body_font()
        except Exception as exc:  # noqa: BLE001 - any failure to load means: skip
            print(f"skipped: cannot load fonts/PaibanSerifSC-Regular.ttf ({exc})")
            return 0
        size = args.size or 9.0
        for path in args.text:
            composed = compose_file(path, font, args.measure, size)
            segs = text_segments(composed, args.measure, size)
            rep = analyse(segs, [(0.0, args.measure)], size, Report(), text_mode=True)
            rep.print(f"{path.name}: compose, measure {args.measure} pt, size {size} pt")
            if args.render:
                out = args.render if len(args.text) == 1 else args.render.with_name(
                    f"{args.render.stem}-{path.stem}{args.render.suffix}")
                edges = render_pdf(composed, font, out, args.measure, size)
                print(f"  wrote {out} (columns {', '.join(f'{a:g}-{b:g}' for a, b in edges)})")
    if args.pdf:
        pages, size = read_pdf(args.pdf, args.size)
        columns = None
        if args.columns:
            columns = [tuple(float(v) for v in part.split("-")) for part in args.columns.split(",")]
        rep = Report()
        for chars in pages:
            segs = segments(chars, size, columns)
            cols = columns or infer_columns(segs)
            analyse(segs, cols, size, rep)
        rep.print(f"{args.pdf.name}: {len(pages)} page(s), body size {size} pt")
    if not args.text and not args.pdf:
        ap.print_usage()
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
