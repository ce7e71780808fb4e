"""Display text (标题类文字): phrase-aware breaking and row setting for heads, kickers,
subtitles, subheads, sidebar titles and caption credits.

Owns the rules of reference/newspaper.md §4.1–4.3 for text that is set solid in short rows
rather than justified in a column:

* **Clause spaces are kept.** A space between clauses (ASCII between two CJK characters, U+3000,
  NBSP, en/em and the other Unicode spaces) becomes the house clause gap (一字空 by default)
  [PUNCT-360][MWAPI][HOW234]; it is a zero-cost break, and where a row breaks there the gap
  is the break. An ASCII space next to a Latin letter or digit stays what body text makes of it
  (the Han–Western gap, or a word space). An NBSP keeps its gap too; the breaker prefers other
  clause gaps to it.
* **An editor's ``\\n`` is the only break** of a text that has one.
* **Breaks fall between words.** Words come from a Chinese word segmenter (jieba's dictionary
  through ``rjieba``, loaded lazily and only for a text that clause breaks cannot set; see
  ``SEGMENTER``); numbers with their units (2024年, 3.5万元, 百分之八点五), quoted names (“…”),
  book titles (《…》) and the house's own words are kept whole [VZ-YIHANG]. Each break between
  words has a cost (``BREAK_COSTS``, after newspaper.md §4.3); rows are balanced (the squared
  difference from the mean row, plus a small cost when the first of two rows is the shorter,
  上长下短 [HOW234]) and a multi-row text never ends in a 1- or 2-字 row.
* **When no break between words fits**, the text breaks where it must (inside the widest
  word, never against the clreq prohibitions) and a warning names the text and the break.

Measuring is the caller's: ``break_display`` takes a ``measure(pieces) -> pt`` callback, so the
same breaker serves horizontal rows (``horizontal_measure``) and vertical columns
(``vertical.column_measure``). ``set_row`` sets one horizontal row from its pieces with the
public composer (``compose``/``set_line``), the clause gaps drawn as U+3000 so that the PDF text
layer keeps them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .breaking import compose, natural_width, set_line
from .classes import NOT_AT_END, NOT_AT_START, OPENING_MARKS, Kind, kind_of
from .lines import Glyph, Line, ParaStyle, Span

# --------------------------------------------------------------------------------------------
# Spaces
# --------------------------------------------------------------------------------------------

CLAUSE_SPACES = frozenset(
    "\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u205f"
)
"""Spaces that are always a clause gap in display type: U+3000 (the full-width space newsrooms
use between clauses [MWAPI]), the en/em and other typographic spaces."""

NO_BREAK_SPACES = frozenset("\u00a0\u202f")
"""No-break spaces: a clause gap like the others, at which the breaker breaks less willingly."""

CLAUSE_GAP_CHAR = "\u3000"
"""How a clause gap is written in row texts and drawn (a blank glyph) in the PDF text layer."""

NO_BREAK_MARK = "\u00a0"
"""How a no-break clause gap is written in row texts."""


@dataclass(frozen=True)
class DisplayStyle:
    """How display text is broken and set (the type settings that matter to it)."""

    clause_gap: float = 1.0
    """Clause gap in em of the text's size: 一字空 [PUNCT-360]."""
    kinsoku: str = "strict"
    """clreq prohibition level (which characters may not start or end a row) [CLREQ §4.1]."""
    cjk_latin_gap: float = 0.25
    """Han–Latin/digit gap in em [CLREQ §4.4]."""
    trim_start_bracket: bool = True
    """A row that starts with an opening bracket or quote loses its blank ½ em, so that a head
    like “德力西杯”… centres on its ink [CLREQ §4.3 line start]."""
    protect: tuple[str, ...] = ()
    """House words never broken inside (names, places), beyond the segmenter's dictionary."""


def para_style(style: DisplayStyle, *, trim: bool) -> ParaStyle:
    """The composer's paragraph style for one solid display piece."""
    return ParaStyle(
        indent=0.0,
        align="start",
        kinsoku=style.kinsoku,
        cjk_latin_gap=style.cjk_latin_gap,
        trim_start_bracket=trim,
        avoid_runt=False,
    )


def _is_west(ch: str) -> bool:
    return kind_of(ch) == Kind.WEST


@dataclass(frozen=True)
class Clause:
    """A run of display text between two clause gaps; ``glued`` when the gap before it is a
    no-break space (breaking there costs ``COST_NO_BREAK_SPACE``)."""

    text: str
    glued: bool = False


def parse(text: str) -> tuple[tuple[Clause, ...], ...]:
    """Split display text into its explicit rows (``\\n``) and each row into clauses.

    A whitespace run is a clause gap when it holds a clause space, or when it is ASCII space
    between two characters neither of which is Western; otherwise it stays in the clause as one
    U+0020 (the composer makes it the Han–Western gap or a word space). Ends are stripped.
    """
    rows: list[tuple[Clause, ...]] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        clauses: list[Clause] = []
        buf: list[str] = []
        i, n = 0, len(raw)
        glued = False
        while i < n:
            ch = raw[i]
            if not ch.isspace():
                buf.append(ch)
                i += 1
                continue
            j = i
            while j < n and raw[j].isspace():
                j += 1
            run = raw[i:j]
            before = buf[-1] if buf else ""
            after = raw[j] if j < n else ""
            if not before or not after:
                i = j  # leading/trailing whitespace of a row, or of the text
                continue
            clause_gap = any(c in CLAUSE_SPACES or c in NO_BREAK_SPACES for c in run) or not (
                _is_west(before) or _is_west(after)
            )
            if clause_gap:
                clauses.append(Clause("".join(buf), glued))
                buf = []
                glued = all(c in NO_BREAK_SPACES for c in run)
            else:
                buf.append(" ")
            i = j
        if buf:
            clauses.append(Clause("".join(buf), glued))
        if clauses:
            rows.append(tuple(clauses))
    return tuple(rows)


def row_text(pieces: Sequence[str], glued: Sequence[bool] | None = None) -> str:
    """A row as text: its pieces joined by the clause-gap character (NBSP where glued)."""
    out = []
    for i, piece in enumerate(pieces):
        if i:
            out.append(NO_BREAK_MARK if glued and glued[i] else CLAUSE_GAP_CHAR)
        out.append(piece)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# The segmenter
# --------------------------------------------------------------------------------------------

SEGMENTER = "rjieba"
"""The word segmenter: jieba's dictionary and HMM in Rust (jieba-rs through ``rjieba``).

Chosen by ``bench/bench_segment.py`` over jieba, jieba3, BudouX and ICU (PyICU): on the
reference heads it gives jieba's word boundaries (the best of the five: BudouX and ICU split
现代|化, 司|法, 73|1, 克|斯; newspaper.md §4.2), it loads in ≈ 60 ms against jieba's ≈ 450 ms
(import + dictionary), segments a head in ≈ 1 µs against ≈ 20 µs, and installs in 4.7 MB (one
wheel, dictionary built in, no cache file written) against jieba's 42 MB. It is imported only
when a text needs a break inside a clause, and results are cached per clause."""

_SEGMENTER_STATE: dict[str, object] = {}


def segmenter_loaded() -> bool:
    """Return True once the segmenter has been imported in this process (for tests and benches)."""
    return "jieba" in _SEGMENTER_STATE


def _jieba():
    jieba = _SEGMENTER_STATE.get("jieba")
    if jieba is None:
        import rjieba  # lazily: ≈ 60 ms to build the dictionary, paid only when a head needs it

        jieba = _SEGMENTER_STATE["jieba"] = rjieba.Jieba()
    return jieba


@lru_cache(maxsize=4096)
def segment(clause: str) -> tuple[tuple[str, str], ...]:
    """Return the words of ``clause`` with their part-of-speech tags (jieba's tag set)."""
    return tuple((w, t) for w, t in _jieba().tag(clause, True))


@lru_cache(maxsize=1024)
def part_breaks(word: str) -> frozenset[int]:
    """Positions inside a long word between its own dictionary parts (事业｜兴旺): more of the
    segmenter's search-mode sub-words end or start there than run across it."""
    subs = [(a, b) for _w, a, b in _jieba().tokenize(word, "search", True) if b - a < len(word)]
    out = set()
    for p in range(1, len(word)):
        at = sum(1 for a, b in subs if a == p or b == p)
        across = sum(1 for a, b in subs if a < p < b)
        if at > across:
            out.add(p)
    return frozenset(out)


# --------------------------------------------------------------------------------------------
# Break costs
# --------------------------------------------------------------------------------------------

COST_CLAUSE = 0.0
"""A break at a clause gap or after a head-internal ，、：；！？ [newspaper.md §4.3 step 1]."""

COST_BEFORE_DASH = 5.0
"""A break before a 破折号 —— inside a head (the dash leads the phrase that follows it)."""

COST_AFTER_DE = 10.0
"""After 的 closing a modifier phrase: 101所高校的｜731名大学生… reads as a unit each side."""

COST_BEFORE_PREDICATE = 5.0
"""Between a subject or adverbial phrase and its verb: 以政法工作现代化｜护航… [§4.3]."""

COST_MODIFIER = 20.0
"""Between a modifier and its head noun [§4.3]."""

COST_VERB_OBJECT = 30.0
"""Between a verb and its object: 扩大｜内需 is the cited bad break [VZ-YIHANG][§4.3]."""

COST_ADVERB = 30.0
"""After an adverb, before what it modifies (或｜迎)."""

COST_AFTER_FUNCTION_WORD = 50.0
"""After a preposition or conjunction (以, 对, 在, 把, 被, 和, 及…) [§4.3]."""

COST_WORD = 15.0
"""Any other boundary between two words."""

COST_BEFORE_PARTICLE = 1000.0
"""Before 的/地/得/之/了/着/过: a row must not start with a particle [VZ-YIHANG][§4.3 ∞]."""

COST_BEFORE_POSTPOSITION = 200.0
"""Before a localizer or time word that closes the phrase before it (…时, …中, …后)."""

COST_NO_BREAK_SPACE = 40.0
"""At a no-break space: a clause gap, but one the editor asked to hold if another break will do."""

COST_INSIDE_WORD = 5000.0
"""Inside a word or a kept-whole unit (number + unit, “…”, 《…》): only when nothing else fits,
and reported."""

COST_INSIDE_NAME = 3500.0
"""Between two words of a kept-whole unit (a book title or quoted name, a number with its unit)
too wide for the row: forced and reported, but better than inside a word."""

COST_INSIDE_SUBWORD = 4000.0
"""Inside a long word but between its own parts (事业｜兴旺 of 事业兴旺): the least bad forced
break."""

COST_INSIDE_WESTERN = 8000.0
"""Inside a Latin word or a number: worse still [JLREQ unbreakable digits]."""

COST_ROW = 100.0
"""Each row: fewer rows win unless the breaks they need are bad."""

BALANCE_WEIGHT = 2.0
"""Cost per em² of a row's difference from the mean row (blocktimize [TEB-8])."""

COST_SHORT_FIRST = 10.0
"""A two-row text whose first row is the shorter (上长下短 [HOW234][BOOK0755])."""

COST_RUNT = 2000.0
"""A multi-row text whose last row holds fewer than ``RUNT_EM`` em (1 or 2 字)."""

COST_SHORT_ROW = 100.0
"""A row other than the last narrower than ``RUNT_EM``: 书记｜探望三峡移民, 全市生产总值｜增长｜…"""

RUNT_EM = 3.0
"""A last row narrower than this (em) is a runt: "never a 1- or 2-字 last row"."""

FORCED = 3000.0
"""A break costing at least this much is forced: inside a word or unit, or at a no-break space."""

MAX_EXTRA_ROWS = 2
"""Row counts tried beyond the fewest that fit (more rows to avoid bad breaks)."""

MAX_ROWS = 16
"""Most rows a display text is broken into."""

PARTICLES = frozenset("的地得之了着过们")
"""Structural and aspect particles: never at a row start [VZ-YIHANG]."""

POSTPOSITIONS = frozenset(
    ["时", "时候", "中", "后", "前", "以来", "期间", "之际", "之后", "之前", "以后", "以前", "上", "下", "里", "内", "外", "间", "方面"]
)
"""Localizers and time words that end the phrase before them: never at a row start."""

FUNCTION_WORDS = frozenset(
    ["以", "对", "在", "把", "被", "向", "从", "为", "将", "与", "和", "及", "同", "跟", "给", "由", "据", "按", "让", "使", "自", "于", "关于", "对于", "随着", "通过", "围绕", "面向", "经过", "根据", "按照", "依照", "依据", "针对", "并", "且", "或", "而", "及其", "以及"]
)
"""Prepositions and conjunctions: a break after them leaves a dangling function word [§4.3]."""

CLAUSE_MARKS = frozenset("，、：；！？,;:!?")
"""Head-internal punctuation after which a break is free [PUNCT-360]."""

CN_DIGITS = frozenset("〇零一二三四五六七八九十百千万亿两兩")
"""Chinese numerals."""

NUM_PREFIXES = ("百分之", "千分之", "万分之", "第", "约")
"""Words that open a number and stay with it: 百分之八点五, 第10届."""

MULTIPLIERS = frozenset("十百千万亿")
"""Numeral multipliers that follow a number: 20万, 3.5亿."""

UNIT_CHARS = frozenset(
    "年月日号时分秒天周岁个名位人所家座条项次件起届批台辆架艘套种类倍成元角块米吨斤亩度层栋户"
    "例场轮期版章节篇本部张头只棵片颗根支双对份册页列票笔处间幅首步剂克升瓦"
)
"""Measure words and one-character units that follow a number [VZ-YIHANG: 20万｜欧元 split]."""

UNIT_WORDS = frozenset(
    ["分钟", "小时", "公里", "千米", "厘米", "毫米", "平方米", "平方公里", "公顷", "千克", "公斤", "毫升", "万元", "亿元", "美元", "欧元", "英镑", "日元", "港元", "人民币", "人次", "万人次", "周年", "周岁", "个月", "摄氏度", "千瓦", "兆瓦", "千瓦时", "立方米", "标准箱", "百分点"]
)
"""Units of more than one character."""

_ARABIC = re.compile(r"^[0-9０-９][0-9０-９.,，．%％‰]*$")
_SYMBOL_PREFIX = frozenset("¥$＄￥€£#№")


def _numeric(word: str) -> bool:
    """A number: Arabic digits (with . , %), or Chinese numerals, optionally after a prefix."""
    for p in NUM_PREFIXES:
        if word.startswith(p) and len(word) > len(p):
            word = word[len(p) :]
            break
    if word in NUM_PREFIXES:
        return True
    if _ARABIC.match(word):
        return True
    if word[0] in _SYMBOL_PREFIX and len(word) > 1 and _ARABIC.match(word[1:]):
        return True
    return all(c in CN_DIGITS or c == "点" for c in word) and word[0] != "点"


def _unit(word: str) -> bool:
    """A unit or measure word, or a numeral + unit word (万元, 万人次, 四年, 十二名)."""
    if word in UNIT_WORDS or (len(word) == 1 and word in UNIT_CHARS) or word in ("%", "％", "‰"):
        return True
    k = 0
    while k < len(word) and word[k] in CN_DIGITS:
        k += 1
    rest = word[k:]
    return k > 0 and bool(rest) and (rest in UNIT_WORDS or all(c in UNIT_CHARS for c in rest))


def _number_runs(words: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """Word index ranges [a, b) that form one number with its units (kept whole)."""
    runs = []
    i, n = 0, len(words)
    while i < n:
        w = words[i][0]
        if not (_numeric(w) or (_unit(w) and w[0] in CN_DIGITS)):
            i += 1
            continue
        j = i + 1
        last = w
        while j < n:
            nxt, tag = words[j]
            if _numeric(last) or last[-1] in MULTIPLIERS or last in NUM_PREFIXES:
                if _numeric(nxt) or nxt in MULTIPLIERS or _unit(nxt) or tag in ("m", "q"):
                    last = nxt
                    j += 1
                    continue
            elif last[-1] in "年月" and _numeric(nxt):
                last = nxt  # a date runs on: 2024年3月5日
                j += 1
                continue
            elif last[-1] == "个" and _unit(last) and _unit(nxt) and nxt[0] not in CN_DIGITS:
                last = nxt  # a number, its classifier and the unit it counts: 三个｜月, 两个｜小时
                j += 1
                continue
            break
        if j - i > 1:
            runs.append((i, j))
        i = j
    return runs


PAIRS = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "《": "》",
    "〈": "〉",
    "（": "）",
    "(": ")",
    "【": "】",
    "〔": "〕",
    "〖": "〗",
}
"""Opening → closing mark of the spans kept whole: quoted names, book titles, brackets."""


def _protected_spans(text: str, protect: Sequence[str]) -> list[tuple[int, int]]:
    """Character ranges [a, b) kept whole: matched quotes and book titles, and house words."""
    out = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((PAIRS[ch], i))
        elif stack and ch == stack[-1][0]:
            _, a = stack.pop()
            out.append((a, i + 1))
    for word in protect:
        if not word:
            continue
        start = text.find(word)
        while start >= 0:
            out.append((start, start + len(word)))
            start = text.find(word, start + 1)
    return out


def _pair_cost(left: tuple[str, str], right: tuple[str, str]) -> float:
    """Cost of a break between two words (newspaper.md §4.3, tags of jieba's tag set)."""
    lw, lt = left
    rw, rt = right
    if rw[0] in PARTICLES and (rt.startswith("u") or rw in PARTICLES):
        return COST_BEFORE_PARTICLE
    if rw in POSTPOSITIONS:
        return COST_BEFORE_POSTPOSITION
    if lw == "的":
        return COST_AFTER_DE
    if lw in FUNCTION_WORDS or lt in ("p", "c"):
        return COST_AFTER_FUNCTION_WORD
    if lt == "d":
        return COST_ADVERB
    if rt == "t":
        return COST_BEFORE_PREDICATE  # a time word opens the next phrase: …开放｜首周客流…
    if lt == "v" and rt[:1] in ("n", "m", "r", "s", "a") and rt != "vn":
        return COST_VERB_OBJECT
    if rt == "v" or (rt[:1] == "v" and rt not in ("vn",)):
        return COST_BEFORE_PREDICATE
    if rt[:1] == "n" and lt[:1] in ("n", "a", "v", "m", "b"):
        return COST_MODIFIER
    return COST_WORD


def clause_costs(text: str, style: DisplayStyle, *, words: bool) -> list[float | None]:
    """Cost of a break before each character of a clause (index 0 unused): None where clreq
    forbids it, ``COST_INSIDE_*`` inside a word or kept-whole unit, else the word-pair cost.

    With ``words=False`` the segmenter is not asked: only the free breaks after head-internal
    punctuation and before a dash are offered (the rest count as inside a word).
    """
    n = len(text)
    not_start = NOT_AT_START[style.kinsoku]
    not_end = NOT_AT_END[style.kinsoku]
    costs: list[float | None] = [None] * (n + 1)
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        if b in not_start or a in not_end or b == " ":
            continue  # prohibited; and a row never starts with the space it broke at
        if _is_west(a) and _is_west(b):
            costs[i] = COST_INSIDE_WESTERN
        elif a in CLAUSE_MARKS:
            costs[i] = COST_CLAUSE
        elif b in "—⸺" and a not in "—⸺":
            costs[i] = COST_BEFORE_DASH
        else:
            costs[i] = COST_INSIDE_WORD
    if not words or n < 2:
        return costs
    tagged = segment(text)
    bounds = []
    pos = 0
    for w, _t in tagged:
        pos += len(w)
        bounds.append(pos)
    starts = [0] + bounds[:-1]
    for k in range(1, len(tagged)):
        i = bounds[k - 1]
        if costs[i] is None or costs[i] != COST_INSIDE_WORD:
            continue  # prohibited, free, or inside a Western token
        costs[i] = _pair_cost(tagged[k - 1], tagged[k])
    for a, b in _number_runs(tagged):
        for k in range(a + 1, b):
            i = starts[k]
            if costs[i] is not None:
                costs[i] = max(costs[i], COST_INSIDE_NAME)
    for a, b in _protected_spans(text, style.protect):
        for i in range(a + 1, b):
            if costs[i] is not None and costs[i] < COST_INSIDE_NAME:
                costs[i] = COST_INSIDE_NAME
    return costs


# --------------------------------------------------------------------------------------------
# Breaking
# --------------------------------------------------------------------------------------------

Measure = Callable[[tuple[str, ...]], float]
"""Width (pt) of a row made of these pieces, joined by clause gaps, set solid."""


@dataclass(frozen=True)
class Break:
    """One chosen break: the text on either side and what it cost."""

    before: str
    after: str
    cost: float

    @property
    def forced(self) -> bool:
        """True when the break is inside a word, unit or name."""
        return self.cost >= FORCED


@dataclass(frozen=True)
class Broken:
    """Display text broken into rows: each row its pieces (clauses or parts of clauses)."""

    rows: tuple[tuple[str, ...], ...]
    glued: tuple[tuple[bool, ...], ...]
    breaks: tuple[Break, ...] = ()
    warnings: tuple[str, ...] = ()
    segmented: bool = False
    """True when the segmenter was asked (the text could not be set by clause breaks alone)."""

    @property
    def texts(self) -> tuple[str, ...]:
        """Each row as text, clause gaps written as U+3000 (NBSP where no-break)."""
        return tuple(row_text(r, g) for r, g in zip(self.rows, self.glued))

    @property
    def cost(self) -> float:
        """Sum of the break costs."""
        return sum(b.cost for b in self.breaks)


@dataclass
class _Stream:
    """The clauses of one explicit row, flattened: its characters and the cost of a break
    before each."""

    clauses: tuple[Clause, ...]
    text: str = ""
    starts: list[int] = field(default_factory=list)
    costs: list[float | None] = field(default_factory=list)

    def build(self, style: DisplayStyle, words: bool) -> None:
        texts, costs, starts = [], [None], []
        pos = 0
        for k, clause in enumerate(self.clauses):
            starts.append(pos)
            if k:
                costs[-1] = COST_NO_BREAK_SPACE if clause.glued else COST_CLAUSE
            inner = clause_costs(clause.text, style, words=words)
            costs.extend(inner[1 : len(clause.text)])
            costs.append(None)
            texts.append(clause.text)
            pos += len(clause.text)
        costs[-1] = None
        self.text = "".join(texts)
        self.starts = starts
        self.costs = costs

    def pieces(self, a: int, b: int) -> tuple[tuple[str, ...], tuple[bool, ...]]:
        """The pieces of characters [a, b): one per clause they touch."""
        out, glued = [], []
        for k, s in enumerate(self.starts):
            e = s + len(self.clauses[k].text)
            lo, hi = max(a, s), min(b, e)
            piece = self.text[lo:hi].strip(" ") if lo < hi else ""
            if piece:
                glued.append(bool(out) and lo == s and self.clauses[k].glued)
                out.append(piece)
        return tuple(out), tuple(glued)


def break_display(
    text: str,
    width: float | None,
    measure: Measure,
    size: float,
    style: DisplayStyle = DisplayStyle(),
    *,
    rows: int | None = None,
    name: str = "",
) -> Broken:
    """Break display ``text`` into rows no wider than ``width`` pt (None: no limit).

    ``measure`` gives a row's width from its pieces; ``size`` is the text's em (balance and the
    runt rule count in em); ``rows`` asks for exactly that many rows (an editor's choice) when
    the text has no explicit ``\\n``. ``name`` names the text in warnings.
    """
    parsed = parse(text)
    if not parsed:
        return Broken((), ())
    if len(parsed) > 1 or width is None and rows is None:
        # The editor's \n are the only breaks; or there is no measure to break at.
        out, glued, warnings = [], [], []
        least = getattr(measure, "minimum", measure)
        for clauses in parsed:
            pieces = tuple(c.text for c in clauses)
            out.append(pieces)
            glued.append(tuple(bool(i) and c.glued for i, c in enumerate(clauses)))
            if width is not None and least(pieces) > width + 1e-3:
                warnings.append(
                    f"{name}: row {row_text(pieces)!r} is wider than its "
                    f"{width / size:.1f} 字 and was set as the editor broke it"
                )
        return Broken(tuple(out), tuple(glued), warnings=tuple(warnings))
    stream = _Stream(parsed[0])
    stream.build(style, words=False)
    if width is None:
        width = float("inf")
    total = measure(tuple(c.text for c in parsed[0]))
    row_width = _RowWidths(stream, measure, width)
    if rows is None and row_width.fits(0, len(stream.text)):
        pieces, glued = stream.pieces(0, len(stream.text))
        return Broken((pieces,), (glued,))

    gaps = style.clause_gap * size * (len(parsed[0]) - 1)
    fewest = max(1, math.ceil((total - gaps) / width - 1e-9)) if width != float("inf") else 1
    first = _solve(stream, width, row_width, size, total, rows, free_only=True)
    if first is not None and not first.runt and (rows is not None or first.k <= fewest):
        # The clause gaps alone set the text in the fewest rows: the editor's spaces are the
        # intended breaks, and the segmenter is not needed.
        return _result(stream, first.cuts, name, row_width, segmented=False, width=width, size=size)
    stream.build(style, words=True)
    _widen_forced(stream, width, row_width)
    best = _solve(stream, width, row_width, size, total, rows, free_only=False)
    note = ()
    if best is None and rows is not None:
        # The editor's row count cannot be met (too few breaks, or rows too wide): say so and
        # set the fewest rows that fit instead.
        note = (f"{name}: cannot be set in {rows} rows; set in the rows that fit",)
        best = _solve(stream, width, row_width, size, total, None, free_only=False)
    cuts = (
        best.cuts
        if best is not None
        else [i for i in range(1, len(stream.text)) if stream.costs[i] is not None]
    )
    result = _result(stream, cuts, name, row_width, segmented=True, width=width, size=size)
    if note:
        result = replace(result, warnings=note + result.warnings)
    return result


class _RowWidths:
    """Natural widths of candidate rows [a, b) of a stream (memoised), and whether they fit:
    set solid, or compressed by clreq's steps when the measure can squeeze (``minimum``)."""

    def __init__(self, stream: _Stream, measure: Measure, width: float) -> None:
        self.stream, self.measure, self.width = stream, measure, width
        self.least = getattr(measure, "minimum", None)
        self.memo: dict[tuple[int, int], float] = {}
        self.fit_memo: dict[tuple[int, int], bool] = {}

    def __call__(self, a: int, b: int) -> float:
        w = self.memo.get((a, b))
        if w is None:
            w = self.memo[(a, b)] = self.measure(self.stream.pieces(a, b)[0])
        return w

    def fits(self, a: int, b: int) -> bool:
        ok = self.fit_memo.get((a, b))
        if ok is None:
            w = self(a, b)
            ok = w <= self.width + 1e-3
            if (
                not ok
                and self.least is not None
                and w <= self.width + SQUEEZE_TRY_EM * self.measure.size
            ):
                ok = self.least(self.stream.pieces(a, b)[0]) <= self.width + 1e-3
            self.fit_memo[(a, b)] = ok
        return ok


def _widen_forced(stream: _Stream, width: float, row_width) -> None:
    """Keep breaks inside words only where a word alone is wider than the row: elsewhere a
    break between words always fits, so breaking a word there is never needed."""
    costs = stream.costs
    n = len(stream.text)
    cheap = [0] + [i for i in range(1, n) if costs[i] is not None and costs[i] < FORCED] + [n]
    for a, b in zip(cheap, cheap[1:]):
        if b - a > 1 and not row_width.fits(a, b):
            # Too wide alone: its forced breaks stay available, the word's own parts first.
            word = stream.text[a:b]
            if all(kind_of(ch) == Kind.HAN for ch in word):
                for p in part_breaks(word):
                    if costs[a + p] == COST_INSIDE_WORD:
                        costs[a + p] = COST_INSIDE_SUBWORD
            continue
        for i in range(a + 1, b):
            if costs[i] is not None and costs[i] >= FORCED:
                costs[i] = None


@dataclass(frozen=True)
class _Solution:
    cuts: list[int]
    k: int
    cost: float
    runt: bool


def _solve(
    stream: _Stream,
    width: float,
    row_width,
    size: float,
    total: float,
    rows: int | None,
    *,
    free_only: bool,
) -> _Solution | None:
    """Least-cost breaks of the stream into rows (None when no row count fits)."""
    n = len(stream.text)
    costs = stream.costs
    if free_only:
        cands = [i for i in range(1, n) if costs[i] == COST_CLAUSE]
    else:
        cands = [i for i in range(1, n) if costs[i] is not None]
    points = [0] + cands + [n]
    k_min = 1 if width == float("inf") else max(1, math.ceil(total / width - 1e-9) - 1)
    options = [rows] if rows else range(k_min, min(k_min + MAX_EXTRA_ROWS + 1, MAX_ROWS) + 1)
    best: _Solution | None = None
    for k in options:
        if k > len(points) - 1:
            break
        found = (
            _two_rows(points, width, row_width, costs, total / 2, size)
            if k == 2
            else _dp(points, k, width, row_width, costs, total / k, size)
        )
        if found is None:
            continue
        cost, cuts = found
        cost += COST_ROW * k
        last = row_width(cuts[-1] if cuts else 0, n)
        runt = k > 1 and last < RUNT_EM * size - 1e-3
        if best is None or cost < best.cost - 1e-9:
            best = _Solution(cuts, k, cost, runt)
    return best


def _two_rows(points: list[int], width: float, row_width, costs, target: float, em: float):
    """Two rows, every cut tried: the 上长下短 cost depends on both rows, so no DP here."""
    n = points[-1]
    best = None
    for p in points[1:-1]:
        if not (row_width.fits(0, p) and row_width.fits(p, n)):
            continue
        a, b = row_width(0, p), row_width(p, n)
        c = costs[p] + BALANCE_WEIGHT * (((a - target) / em) ** 2 + ((b - target) / em) ** 2)
        if a < b - 1e-3:
            c += COST_SHORT_FIRST
        if a < RUNT_EM * em - 1e-3:
            c += COST_SHORT_ROW
        if b < RUNT_EM * em - 1e-3:
            c += COST_RUNT
        if best is None or c < best[0] - 1e-9:
            best = (c, [p])
    return best


def _dp(points: list[int], k: int, width: float, row_width, costs, target: float, em: float):
    """Exactly ``k`` rows over the break points: return (cost, cuts) or None."""
    m = len(points)
    inf = float("inf")
    # best[r][j]: least cost of r rows ending at points[j]
    best = [[inf] * m for _ in range(k + 1)]
    back = [[-1] * m for _ in range(k + 1)]
    best[0][0] = 0.0
    n = points[-1]
    for r in range(1, k + 1):
        for j in range(1, m):
            if r == k and j != m - 1:
                continue
            pj = points[j]
            for i in range(j - 1, -1, -1):
                if best[r - 1][i] == inf:
                    continue
                pi = points[i]
                if not row_width.fits(pi, pj):
                    break  # rows only grow as they start earlier
                w = row_width(pi, pj)
                dev = (w - target) / em
                c = best[r - 1][i] + BALANCE_WEIGHT * dev * dev
                if pi:
                    c += costs[pi]
                if k > 1 and w < RUNT_EM * em - 1e-3:
                    c += COST_RUNT if pj == n else COST_SHORT_ROW
                if c < best[r][j]:
                    best[r][j] = c
                    back[r][j] = i
    if best[k][m - 1] == inf:
        return None
    cuts = []
    j = m - 1
    for r in range(k, 0, -1):
        i = back[r][j]
        if i > 0:
            cuts.append(points[i])
        j = i
    cuts.reverse()
    return best[k][m - 1], cuts


def _result(
    stream: _Stream,
    cuts: list[int],
    name: str,
    row_width,
    *,
    segmented: bool,
    width: float,
    size: float,
) -> Broken:
    """Rows, breaks and warnings of the chosen cuts."""
    n = len(stream.text)
    bounds = [0, *cuts, n]
    rows, glued, breaks, warnings = [], [], [], []
    for a, b in zip(bounds, bounds[1:]):
        pieces, g = stream.pieces(a, b)
        rows.append(pieces)
        glued.append(g)
    for c, (left, right) in zip(cuts, zip(rows, rows[1:])):
        brk = Break(row_text(left), row_text(right), stream.costs[c])
        breaks.append(brk)
        if brk.forced:
            fits = width / size if width != float("inf") else 0.0
            warnings.append(
                f"{name}: no break between words fits {fits:.1f} 字; broke "
                f"{brk.before}｜{brk.after}"
            )
    if len(rows) > 1:
        for (a, b), row in zip(zip(bounds, bounds[1:]), rows):
            if row_width(a, b) < RUNT_EM * size - 1e-3:
                which = "last row" if b == n else "row"
                warnings.append(
                    f"{name}: the {which} {row_text(row)!r} is shorter than "
                    f"{RUNT_EM:.0f} 字 and no other break fits; shorten or reword the "
                    "head, or give it a smaller size or more columns"
                )
    return Broken(tuple(rows), tuple(glued), tuple(breaks), tuple(warnings), segmented)


# --------------------------------------------------------------------------------------------
# Horizontal rows
# --------------------------------------------------------------------------------------------

SpansOf = Callable[[str], list[Span]]
"""Text → spans in the text's role and size, with fallback runs (``compose.spans.SpanKit``)."""

SOLID_SLACK = 1.0
"""Measure slack (pt) when a piece is set solid through the composer: more than rounding."""


SQUEEZE_TRY_EM = 1.0
"""A row up to this much (em) wider than its measure is tried compressed (标点挤压) before it is
refused: a head may take its punctuation squeeze like any line [CLREQ §4.3]."""


class HorizontalMeasure:
    """Width of a horizontal row of pieces: each piece solid, clause gaps between; and its
    ``minimum`` — every piece compressed as far as clreq allows (``set_line`` at zero width)."""

    def __init__(self, spans_of: SpansOf, style: DisplayStyle, size: float) -> None:
        self.spans_of, self.style, self.size = spans_of, style, size
        self.gap = style.clause_gap * size
        self.cache: dict[tuple[str, ...], float] = {}
        self.least: dict[tuple[str, ...], float] = {}

    def __call__(self, pieces: tuple[str, ...]) -> float:
        w = self.cache.get(pieces)
        if w is None:
            trim = self.style.trim_start_bracket
            w = sum(
                natural_width(self.spans_of(p), para_style(self.style, trim=i == 0 and trim))
                for i, p in enumerate(pieces)
            ) + self.gap * (len(pieces) - 1)
            self.cache[pieces] = w
        return w

    def minimum(self, pieces: tuple[str, ...]) -> float:
        """The row compressed as far as it goes (never below its natural width minus its blanks)."""
        w = self.least.get(pieces)
        if w is None:
            w = sum(
                min(set_line(self.spans_of(p), 0.0).ink, self((p,))) for p in pieces
            ) + self.gap * (len(pieces) - 1)
            self.least[pieces] = w = min(w, self(pieces))
        return w


def horizontal_measure(spans_of: SpansOf, style: DisplayStyle, size: float) -> HorizontalMeasure:
    """Return the measure of horizontal rows of display text (see ``HorizontalMeasure``)."""
    return HorizontalMeasure(spans_of, style, size)


def _gap_glyph(font, size: float, x: float, advance: float) -> tuple[Glyph, float] | None:
    """A blank glyph for a clause gap, so the text layer keeps it: U+3000, else U+0020."""
    for ch in (CLAUSE_GAP_CHAR, " "):
        covers = getattr(font, "covers", None)
        has = covers(ch) if covers is not None else ord(ch) in font.widths
        if has:
            return Glyph(ch, font.key, size, x, advance), font.advance(ch) * size
    return None


def _solid(spans: list[Span], style: DisplayStyle, trim: bool) -> Line:
    """One piece set solid on one line through the composer (its prohibitions and spacing)."""
    ps = para_style(style, trim=trim)
    nat = natural_width(spans, ps)
    lines = compose(spans, nat + SOLID_SLACK, ps)
    if len(lines) == 1:
        return lines[0]
    return set_line(spans, nat + SOLID_SLACK)  # pragma: no cover - one line always fits its width


def set_row(
    pieces: Sequence[str],
    spans_of: SpansOf,
    width: float,
    size: float,
    style: DisplayStyle = DisplayStyle(),
    align: str = "start",
) -> Line:
    """Set one display row of ``pieces`` in a measure of ``width`` pt, clause gaps between.

    The row is solid (never justified); ``align`` (start, center, end) places it in the measure.
    A row wider than the measure has its pieces compressed by clreq's steps (``set_line``); what
    still does not fit comes back with ``ink > width`` for the caller to report.
    """
    gap = style.clause_gap * size
    spans_list = [spans_of(p) for p in pieces]
    parts = [
        _solid(spans, style, trim=i == 0 and style.trim_start_bracket)
        for i, spans in enumerate(spans_list)
    ]
    excess = sum(p.ink for p in parts) + gap * (len(parts) - 1) - width
    if excess > 1e-3:
        # Too wide solid: squeeze each piece by clreq's compression steps, in proportion to
        # what it can give (the clause gaps are never squeezed) [CLREQ §4.3].
        least = [min(set_line(spans, 0.0).ink, p.ink) for spans, p in zip(spans_list, parts)]
        give = [p.ink - m for p, m in zip(parts, least)]
        if sum(give) > 1e-6:
            share = min(1.0, excess / sum(give))
            parts = [
                set_line(spans, p.ink - g * share) if g > 1e-6 else p
                for spans, p, g in zip(spans_list, parts, give)
            ]
    glyphs: list[Glyph] = []
    natural: list[float] = []
    x = 0.0
    for i, line in enumerate(parts):
        if i:
            made = _gap_glyph(spans_list[i - 1][-1].font, size, x, gap)
            if made is not None:
                glyphs.append(made[0])
                natural.append(made[1])
            x += gap
        for g, nat in zip(line.glyphs, line.natural):
            glyphs.append(
                Glyph(g.ch, g.font, g.size, g.x - line.indent + x, g.advance, g.dx, g.scale)
            )
            natural.append(nat)
        x += line.ink
    ink = x
    offset = 0.0
    if align == "center":
        offset = max(0.0, (width - ink) / 2)
    elif align == "end":
        offset = max(0.0, width - ink)
    if offset:
        glyphs = [
            Glyph(g.ch, g.font, g.size, g.x + offset, g.advance, g.dx, g.scale) for g in glyphs
        ]
    text = "".join(g.ch for g in glyphs)
    sizes = [g.size for g in glyphs]
    return Line(
        tuple(glyphs),
        text,
        0,
        len(text),
        width,
        offset,
        ink,
        True,
        max(sizes) if sizes else size,
        tuple(natural),
    )


@dataclass(frozen=True)
class DisplayRows:
    """Display text broken and set: the rows as text, as set lines, and what was reported."""

    texts: tuple[str, ...]
    lines: tuple[Line, ...]
    broken: Broken

    @property
    def warnings(self) -> tuple[str, ...]:
        """Forced breaks, runts, rows wider than the measure."""
        return self.broken.warnings


def display_rows(
    text: str,
    spans_of: SpansOf,
    width: float,
    size: float,
    style: DisplayStyle = DisplayStyle(),
    *,
    align: str = "start",
    rows: int | None = None,
    name: str = "",
) -> DisplayRows:
    """Break display text at ``width`` pt and set each row (the horizontal entry point)."""
    measure = horizontal_measure(spans_of, style, size)
    broken = break_display(text, width, measure, size, style, rows=rows, name=name)
    lines = tuple(set_row(r, spans_of, width, size, style, align) for r in broken.rows)
    warnings = list(broken.warnings)
    for line in lines:
        if line.ink > width + 0.01:
            warnings.append(
                f"{name}: row {line.text!r} is {line.ink / size:.1f} 字 wide, more than "
                f"the {width / size:.1f} 字 it has"
            )
    if warnings != list(broken.warnings):
        broken = Broken(
            broken.rows,
            broken.glued,
            broken.breaks,
            tuple(dict.fromkeys(warnings)),
            broken.segmented,
        )
    return DisplayRows(broken.texts, lines, broken)


def starts_with_opening(text: str) -> bool:
    """Return True when a display text starts with an opening bracket or quote."""
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in OPENING_MARKS


# --------------------------------------------------------------------------------------------
# Caption credits
# --------------------------------------------------------------------------------------------


def _shifted(line: Line, dx: float) -> list[Glyph]:
    return [Glyph(g.ch, g.font, g.size, g.x + dx, g.advance, g.dx, g.scale) for g in line.glyphs]


def caption_with_credit(
    caption: list[Span],
    credit_spans_of: SpansOf,
    credit: str,
    width: float,
    size: float,
    style: DisplayStyle,
    para: ParaStyle,
    separator: str | None = " ",
) -> list[Line]:
    """A caption paragraph with its credit run on after it (图说 + 署名 [IHW-CAP]).

    The caption is composed like body text; the credit is display text (its spaces are clause
    gaps) set in its own role after ``separator`` — a whitespace separator is the clause gap,
    anything else is set as written, None sets it right after the caption (a bracketed credit
    brings its own white) — on the caption's last line when it fits there, else on a line of
    its own, flush with the caption's end edge.
    """
    lines = compose(caption, width, para) if caption else []
    sep = separator if separator and separator.strip() else ""
    gap = 0.0 if sep or separator is None else style.clause_gap * size
    text = f"{sep}{credit}" if sep else credit
    rows = display_rows(text, credit_spans_of, width, size, style, align="end")
    if not rows.lines:
        return lines
    first = rows.lines[0]
    if lines:
        last = lines[-1]
        end = last.indent + last.ink
        if len(rows.lines) == 1 and end + gap + first.ink <= width + 1e-3:
            glyphs = list(last.glyphs)
            natural = list(last.natural)
            if gap:
                made = _gap_glyph(caption[-1].font, size, end, gap)
                if made is not None:
                    glyphs.append(made[0])
                    natural.append(made[1])
            glyphs += _shifted(first, end + gap - first.indent)
            natural += list(first.natural)
            joined = "".join(g.ch for g in glyphs)
            merged = Line(
                tuple(glyphs),
                joined,
                last.start,
                last.end,
                width,
                last.indent,
                end + gap + first.ink - last.indent,
                True,
                max(last.size, first.size),
                tuple(natural),
            )
            return [*lines[:-1], merged]
    return [*lines, *rows.lines]
