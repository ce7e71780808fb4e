"""Character classes of Simplified Chinese text: named, cited data and nothing else.

Owns every table the line composer consults: which marks may not start or end a line at each
clreq prohibition level, where each full-width mark sits in its em box (and so which half is
squeezable), which marks form unbreakable sequences, which characters are Western (and so get
the Han–Western gap), where long tokens may break and which Latin words are hyphenated, the
compression and expansion priorities and their limits (glyph scaling of Western text
included), and the vertical presentation forms. Sources are keyed as in ``reference/typography.md`` §7:
[CLREQ] W3C clreq, [GB] GB/T 15834—2011 §5, [JLREQ] W3C jlreq, [UAX14] Unicode line breaking,
[UCD] Unicode ``<vertical>`` decompositions.
"""

from __future__ import annotations

from enum import IntEnum

# --------------------------------------------------------------------------------------------
# Kinds: what a character is, for spacing, compression and breaking.
# --------------------------------------------------------------------------------------------


class Kind(IntEnum):
    """Composition class of one character (clreq §4.1/§4.3 classes; Western per §4.4)."""

    HAN = 0  # ideograph, kana, full-width letter/digit or symbol: one em, breakable both sides
    WEST = 1  # Western letter, digit or symbol: part of an unbreakable Western token
    SPACE = 2  # U+0020 word space (a break opportunity after it)
    PAUSE = 3  # ，、；： pause marks (compression step 5)
    STOP = 4  # 。．？！‼⁇ stop marks (compression step 7)
    CLOSE = 5  # closing quotes, brackets, book-title marks (step 4)
    OPEN = 6  # opening quotes, brackets, book-title marks (step 4)
    DASH = 7  # — ⸺ ⸻ (破折号 pieces; a lone — is the 一字线 connector)
    ELLIPSIS = 8  # … ⋯ (省略号 pieces)
    CONNECTOR = 9  # ～ – ~ 连接号 between CJK characters
    INTERPUNCT = 10  # · ・ ‧ 间隔号 (compression step 3)
    SOLIDUS = 11  # ／ full-width solidus 分隔号 (ASCII / is Western)


PAUSE_MARKS = frozenset("，、；：")
"""Pause marks 点号 other than stops: ，、；： — clreq §4.3 compression step 5 ("，、；")."""

STOP_MARKS = frozenset("。．？！‼⁇")
"""Stop marks 句末点号 — clreq §4.3 compression step 7 ("。？！", compressed last)."""

CLOSING_QUOTES = frozenset("”’」』")
"""Closing quotation marks — clreq §prohibition_rules_for_line_start_end (not at line start)."""

CLOSING_BRACKETS = frozenset("）〕】〗］｝")
"""Closing brackets — clreq §prohibition_rules_for_line_start_end (not at line start)."""

CLOSING_BOOK_TITLE = frozenset("》〉")
"""Closing book-title marks 书名号 — clreq §prohibition_rules_for_line_start_end."""

CLOSING_MARKS = CLOSING_QUOTES | CLOSING_BRACKETS | CLOSING_BOOK_TITLE
"""Every closing mark: not at line start (basic) [CLREQ]; a closing mark never starts a line [GB §5.1]."""

OPENING_MARKS = frozenset("“‘「『（〔【〖［｛《〈")
"""Opening quotes, brackets, book-title marks — not at line end (basic) [CLREQ][GB §5.1]."""

DASH_CHARS = frozenset("—⸺⸻")
"""破折号 pieces (2×U+2014, U+2E3A 2-em, U+2E3B 3-em) — one unbreakable unit [CLREQ §4.2][GB §5.1]."""

ELLIPSIS_CHARS = frozenset("…⋯")
"""省略号 pieces (2×U+2026 or 2×U+22EF) — one unbreakable 2-em unit [CLREQ §4.2]."""

CONNECTOR_MARKS = frozenset("～~–")
"""Connectors 连接号 (～, ~, – ½-字 en dash; a lone — is the 一字线) — not at line start (basic) [CLREQ]."""

INTERPUNCTS = frozenset("·・‧")
"""Interpuncts 间隔号 — not at line start (basic) [CLREQ]; compression step 3 [CLREQ §4.3]."""

SOLIDI = frozenset("/／")
"""Solidi 分隔号 — not at line start (clreq zh text, basic) and not at line end (GB-style) [CLREQ]."""

WESTERN_NOT_START = frozenset(",.;:!?)]}")
"""Western closing/infix punctuation (UAX #14 CL/IS/EX): not at line start when set beside CJK [UAX14]."""

WESTERN_NOT_END = frozenset("([{")
"""Western opening brackets (UAX #14 OP): not at line end when set beside CJK [UAX14]."""

PREFIX_SYMBOLS = frozenset("¥$＄￥€£#№")
"""Currency and number prefixes: never separated from the number that follows [JLREQ cl-19][UAX14 PR]."""

SUFFIX_SYMBOLS = frozenset("%‰‱℃℉°′″％")
"""Unit suffixes: never separated from the number before them [JLREQ cl-20][UAX14 PO]."""

# --------------------------------------------------------------------------------------------
# Where the ink sits in the em box (SC, horizontal) — which half is squeezable.
# --------------------------------------------------------------------------------------------

INK_LEFT = PAUSE_MARKS | frozenset("。．？！") | CLOSING_MARKS
"""SC marks drawn in the left half of the em: the right ½ em is blank and squeezable [CLREQ fig. punctuation-adjustment-space-hans][GB §5.1]."""

INK_RIGHT = OPENING_MARKS
"""SC opening marks drawn in the right half of the em: the left ½ em is squeezable [CLREQ fig.]."""

INK_CENTRE = frozenset("・‧·")
"""Marks centred in the em (interpuncts): both quarters squeezable, ½ em kept [CLREQ §4.3]."""

DASH_MARGIN_EM = 0.04
"""White left at each end of a joined 2-em dash (破折号), in em: the rule nearly fills its cells."""

DASH_CELL_EM = {"—": 1.0, "⸺": 2.0, "⸻": 3.0}
"""Cells of 破折号 pieces in em: a 2-em dash fills two whole ems [GB §5.1][CLREQ §4.2]. Fonts whose
em dash is narrower (Noto/Source Han SC: 0.89 em) get their ink centred in the cells, so lines
with a dash stay on the character grid."""

FULL_WIDTH_MIN_EM = 0.9
"""A mark counts as full-width (and so has a blank half to squeeze) when its advance is ≥ this many em."""

# --------------------------------------------------------------------------------------------
# Prohibition levels (行首行尾禁则), exactly as typography.md §4.1's table.
# --------------------------------------------------------------------------------------------

KINSOKU_LEVELS = ("none", "basic", "gb", "strict")
"""clreq §prohibition_rules_for_line_start_end levels; "basic" is clreq's most recommended."""

_BASIC_NOT_START = (
    PAUSE_MARKS | STOP_MARKS | CLOSING_MARKS | CONNECTOR_MARKS | INTERPUNCTS | SOLIDI
    | WESTERN_NOT_START | SUFFIX_SYMBOLS
)
_BASIC_NOT_END = OPENING_MARKS | WESTERN_NOT_END | PREFIX_SYMBOLS

NOT_AT_START: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "basic": _BASIC_NOT_START,
    "gb": _BASIC_NOT_START,
    "strict": _BASIC_NOT_START | DASH_CHARS | ELLIPSIS_CHARS,
}
"""Characters that may not start a line, per level [CLREQ §4.1]. At basic/gb a lone U+2014
(一字线 connector) may not start a line either; a 破折号 —— may, except at strict. The composer
applies that distinction, which depends on the neighbours."""

NOT_AT_END: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "basic": _BASIC_NOT_END,
    "gb": _BASIC_NOT_END | SOLIDI,
    "strict": _BASIC_NOT_END | SOLIDI,
}
"""Characters that may not end a line, per level [CLREQ §4.1]; GB-style adds the solidus."""

LONG_TOKEN_BREAK_AFTER = frozenset("/._-")
"""A long Western token (URL, e-mail address, path, identifier) may break after these, with no
hyphen added and no spacing inside [CLREQ §4.2 note][issue 17]."""

LONG_TOKEN_BREAK_BEFORE = frozenset("?")
"""…and before these (a URL's query string starts the next line) [issue 17]."""

LONG_TOKEN_MARKERS = frozenset("/_@")
"""A token holding one of these (or a ``.`` between letters) is a URL, path, e-mail address or
identifier, whose permitted break points are used; plain words are hyphenated instead."""

LONG_TOKEN_MIN_CHARS = 8
"""Tokens shorter than this are never broken inside (e-mail, km/h, R&D, U+FF01 stay whole)."""

LONG_TOKEN_MIN_PIECE = 3
"""A long token is not broken closer than this many characters to either of its ends (no "cn" or
"io" left alone on a paragraph's last line)."""

HYPHEN_MIN_WORD = 5
"""Latin words shorter than this are never hyphenated."""

HYPHEN_MIN_CAPS = 8
"""Words in capitals are hyphenated only from this length: shorter ones are acronyms (GDP, NASDAQ),
longer ones words (FULLWIDTH, IDEOGRAPHIC)."""

HYPHEN_LEFT_MIN = 2
"""Letters kept before a hyphen (TeX's \\lefthyphenmin for English)."""

HYPHEN_RIGHT_MIN = 3
"""Letters carried after a hyphen (TeX's \\righthyphenmin for English)."""

DEFAULT_LATIN_LANG = "en_US"
"""Hyphenation dictionary (pyphen) of Latin words when the paragraph does not name one: English."""

WEST_SCALE_MIN = 0.97
"""A line that cannot otherwise be justified (a URL piece, a run of Latin with nothing to
stretch or squeeze) may scale its Western glyphs horizontally down to this…"""

WEST_SCALE_MAX = 1.03
"""…or up to this (glyph scaling within ±3 %, as InDesign's justification allows): never white
inside a word or number [issue 17]. Hanzi are never scaled (they stay on the grid)."""

TOKEN_MIN_SCALE = 0.8
"""An unbreakable token wider than the measure is condensed to at least this horizontal scale
(and reported); a longer one is broken at the measure (and reported) — never drawn past it."""

# --------------------------------------------------------------------------------------------
# Compression (挤压) and expansion (拉伸) priorities and limits, in em.
# --------------------------------------------------------------------------------------------

LINE_END_MARK_EM = 0.5
"""A full-width mark at line end takes ½ em (step 1, fixed) [GB §5.1.10][CLREQ §4.3]."""

PAIR_BLANK_EM = 0.5
"""Two adjacent marks: 2 em → 1.5 em by removing the ½ em blank between them [CLREQ §4.3]."""

MARK_MIN_EM = 0.5
"""Brackets, pause and stop marks and interpuncts compress to at most ½ em [CLREQ §4.3 steps 3–5, 7]."""

WORD_SPACE_MIN_EM = 0.25
"""Western word spaces compress to ¼ em (step 2) [CLREQ §4.3]."""

WORD_SPACE_MAX_EM = 0.5
"""Western word spaces expand to ½ em (expansion step 1) [CLREQ §4.5]."""

GAP_MIN_EM = 0.125
"""Han–Western gaps compress to ⅛ em (step 6) [CLREQ §4.3]."""

GAP_MAX_EM = 0.5
"""Han–Western gaps may expand to ½ em (expansion step 2) [CLREQ §4.5]; Paiban holds them lower
(``GAP_STRETCH_EM``) and goes this far only on a line with nothing else to stretch."""

GAP_STRETCH_EM = 0.125
"""Han–Western gaps stretch by at most ⅛ em (¼ → ⅜ em) before hanzi gaps or word spaces pass
their limits: the ¼-em gap of the house style is held [issue 17][CLREQ §4.4 "up to ¼ em"]."""

HAN_STRETCH_MAX_EM = 0.5
"""均排 opens a gap between CJK characters by at most ½ em before Han–Western gaps stretch
[CLREQ §procedures_for_inter-character_space_expansion]."""


class Shrink(IntEnum):
    """Compression steps 2–7 of clreq §procedures_for_inter-character_spacing_reduction (step 1 is the fixed line-end ½ em)."""

    WORD_SPACE = 2
    INTERPUNCT = 3
    BRACKET = 4
    PAUSE = 5
    GAP = 6
    STOP = 7


KIND_SHRINK_STEP = {
    Kind.INTERPUNCT: Shrink.INTERPUNCT,
    Kind.OPEN: Shrink.BRACKET,
    Kind.CLOSE: Shrink.BRACKET,
    Kind.PAUSE: Shrink.PAUSE,
    Kind.STOP: Shrink.STOP,
}
"""Which compression step squeezes a mark's blank (clreq §4.3 order)."""

# --------------------------------------------------------------------------------------------
# Vertical text (竖排).
# --------------------------------------------------------------------------------------------

VERTICAL_FORMS: dict[str, str] = {
    "，": "\ufe10", ",": "\ufe10", "、": "\ufe11", "。": "\ufe12", "：": "\ufe13", ":": "\ufe13",
    "；": "\ufe14", ";": "\ufe14", "！": "\ufe15", "!": "\ufe15", "？": "\ufe16", "?": "\ufe16",
    "〖": "\ufe17", "〗": "\ufe18", "…": "\ufe19", "⋯": "\ufe19", "‥": "\ufe30",
    "—": "\ufe31", "–": "\ufe32", "（": "\ufe35", "(": "\ufe35", "）": "\ufe36", ")": "\ufe36",
    "｛": "\ufe37", "{": "\ufe37", "｝": "\ufe38", "}": "\ufe38", "〔": "\ufe39", "〕": "\ufe3a",
    "【": "\ufe3b", "】": "\ufe3c", "《": "\ufe3d", "》": "\ufe3e", "〈": "\ufe3f", "〉": "\ufe40",
    "「": "\ufe41", "」": "\ufe42", "『": "\ufe43", "』": "\ufe44", "［": "\ufe47", "］": "\ufe48",
    "[": "\ufe47", "]": "\ufe48",
    # Mainland vertical text turns quotes into corner brackets: “”→『』, ‘’→「」 [CLREQ §4.7].
    "“": "\ufe43", "”": "\ufe44", "‘": "\ufe41", "’": "\ufe42",
}
"""Horizontal mark → vertical presentation form [UCD <vertical> FE10–FE19, FE30–FE48][CLREQ §4.7]."""

VERTICAL_ROTATE = DASH_CHARS | ELLIPSIS_CHARS | OPENING_MARKS | CLOSING_MARKS | CONNECTOR_MARKS
"""Marks drawn rotated 90° clockwise in vertical text when no vertical form exists [CLREQ §4.7]."""

VERTICAL_UPRIGHT_RIGHT = PAUSE_MARKS | frozenset("。．？！")
"""SC pause/stop marks stay upright in vertical text, ink in the upper-right of the em [CLREQ §4.7]."""

TCY_MAX_DIGITS = 3
"""2–3 digits are set horizontally within the column (纵中横), ≤ 1 em wide [CLREQ §4.7]."""


def is_han(cp: int) -> bool:
    """Return True for ideographs, kana, hangul and full-width forms set on the 1-em grid."""
    return (
        0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3FFFF
        or 0xF900 <= cp <= 0xFAFF or 0x3040 <= cp <= 0x30FF or 0xAC00 <= cp <= 0xD7AF
        or 0x3005 <= cp <= 0x3007 or 0x3021 <= cp <= 0x3029 or 0x2E80 <= cp <= 0x2FDF
        or 0x31C0 <= cp <= 0x31EF or 0x3190 <= cp <= 0x319F or 0x3200 <= cp <= 0x33FF
        or 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A
    )


def kind_of(ch: str) -> Kind:
    """Classify one (non-whitespace or U+0020) character for composition."""
    if ch == " ":
        return Kind.SPACE
    if ch in PAUSE_MARKS:
        return Kind.PAUSE
    if ch in STOP_MARKS:
        return Kind.STOP
    if ch in CLOSING_MARKS:
        return Kind.CLOSE
    if ch in OPENING_MARKS:
        return Kind.OPEN
    if ch in DASH_CHARS:
        return Kind.DASH
    if ch in ELLIPSIS_CHARS:
        return Kind.ELLIPSIS
    if ch in INTERPUNCTS:
        return Kind.INTERPUNCT
    if ch == "／":
        return Kind.SOLIDUS
    if ch in ("～", "–"):
        return Kind.CONNECTOR
    cp = ord(ch)
    if is_han(cp):
        return Kind.HAN
    if ch in PREFIX_SYMBOLS or ch in SUFFIX_SYMBOLS:
        # Full-width ￥＄％ and ℃ are still glued to their number like the half-width ones.
        return Kind.WEST
    if (cp < 0x2000 or 0x2070 <= cp <= 0x209F or 0x2100 <= cp <= 0x214F or 0x2200 <= cp <= 0x22FF
            or 0xFF61 <= cp <= 0xFFDC):
        # Latin, Greek, Cyrillic, ASCII/Latin-1 punctuation and symbols, letterlike symbols,
        # mathematical operators (∶ ≥ ± stay with their numbers: 7.8∶42.3, ≥18).
        return Kind.WEST
    # Everything else (★ ① ※ □ arrows, CJK symbols): a full-width symbol on the grid.
    return Kind.HAN


def is_spaced_west(ch: str) -> bool:
    """Return True for Western characters that take the Han–Western gap (letters, digits, ¥ %) [CLREQ §4.4]."""
    return ch.isalnum() or ch in PREFIX_SYMBOLS or ch in SUFFIX_SYMBOLS
