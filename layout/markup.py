"""Inline markup of body text: bold run-ins, role spans, emphasis dots, line breaks, escapes.

Owns the grammar of what may appear inside a paragraph of a body file (README, "Body markup")
and its parse into runs — ``(style, text)`` pairs, where the style is ``""`` for body text,
``"bold"`` for a bold run-in (``**本报讯**``), a font role name for a span set in that role
(``{楷:…}``) or ``"着重"`` for emphasis dots (``{着重:…}``) — plus the markers that end a line
inside a paragraph (a ``\\`` at the end of a line) and that set a paragraph flush right
(``>> ``, a source line such as （据新华社乌鲁木齐1月2日电）). Anything that looks like markup
the engine does not know (single ``*``, ``__``, backticks, HTML tags, links, ``####``,
``- `` list items, an unknown role) raises ``MarkupError`` with the line it is on: it is
never printed literally.
"""

from __future__ import annotations

import re

RIGHT_PREFIX = ">>"
"""A paragraph that starts with ``>>`` is set flush right (a source line, 据新华社…电)."""

HANGING_PREFIX = ">"
"""A paragraph that starts with ``>`` is set with a hanging indent (凸排)."""

LINE_BREAK = "\\"
"""A backslash at the end of a line breaks the line there without ending the paragraph."""

ESCAPABLE = frozenset("\\*{}<>`_#[]~-+")
"""Characters a backslash makes literal (``\\*`` prints one asterisk)."""

BOLD = "bold"
"""Style of a ``**…**`` run: a bold run-in (clreq: emphasis in 黑体) [CLREQ §hei]."""

DOTS = "着重"
"""Style of a ``{着重:…}`` run: emphasis dots (着重号) under each hanzi, in the body face
[CLREQ §handling_interlinear_punctuation]."""

_UNKNOWN: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"^#{4,}\s"),
        "heading level 4 or deeper",
        "use '## ' for a section subhead or '### ' for 插题",
    ),
    (re.compile(r"__"), "'__' (Markdown emphasis)", "write bold run-ins as **…**"),
    (re.compile(r"~~"), "'~~' (strike-through)", "newspapers do not strike text; delete it"),
    (re.compile(r"`"), "a backtick (code)", "remove it, or write \\` for a literal backtick"),
    (
        re.compile(r"</?[A-Za-z][^>]*>"),
        "an HTML tag",
        "remove the tag; see the markup table in README",
    ),
    (re.compile(r"\]\("), "a Markdown link", "write the address as text"),
    (
        re.compile(r"^\s*[-+]\s"),
        "a Markdown list item ('- ' or '+ ' at a line's start)",
        "write each item as its own paragraph (a blank line between), or \\- for a literal dash",
    ),
)
"""Markup from Markdown and HTML the engine does not know, with what it is and what to do."""


class MarkupError(ValueError):
    """Body markup the engine does not know; ``line`` counts from 1 in the text given."""

    def __init__(self, message: str, line: int, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


def _roles() -> dict[str, str]:
    from .fonts import ROLE_ALIASES

    return ROLE_ALIASES


def inline_runs(text: str, line: int = 1) -> tuple[tuple[str, str], ...]:
    """Parse one paragraph's inline markup into ``(style, text)`` runs.

    ``line`` is the number of the paragraph's first line (for errors); newlines inside
    ``text`` count lines. Runs of the same style are merged; empty runs are dropped.
    """
    for number, row in enumerate(text.split("\n"), start=line):
        for pattern, what, hint in _UNKNOWN:
            if pattern.search(_unescaped(row)):
                raise MarkupError(f"unknown markup: {what}", number, hint)
    runs: list[tuple[str, str]] = []
    buf: list[str] = []
    style = ""
    opened = line
    i, n, row = 0, len(text), line

    def push(new_style: str) -> None:
        nonlocal style
        if buf:
            runs.append((style, "".join(buf)))
            buf.clear()
        style = new_style

    while i < n:
        ch = text[i]
        if ch == "\n":
            row += 1
            buf.append(ch)
            i += 1
        elif ch == "\\":
            nxt = text[i + 1] if i + 1 < n else ""
            if nxt in ESCAPABLE and nxt:
                buf.append(nxt)
                i += 2
            else:
                raise MarkupError(
                    "unknown markup: a backslash before " + (repr(nxt) if nxt else "the end"),
                    row,
                    "a backslash ends a line only at the end of a line; write \\\\ "
                    "for a literal backslash",
                )
        elif text.startswith("**", i):
            if style == BOLD:
                push("")
            elif style:
                raise MarkupError(
                    "unknown markup: ** inside a {…} span",
                    row,
                    "close the span before the bold run-in",
                )
            else:
                push(BOLD)
                opened = row
            i += 2
        elif ch == "*":
            raise MarkupError(
                "unknown markup: a single '*' (italic is not used in Chinese text)",
                row,
                "write bold run-ins as **…**, a 楷 span as {楷:…}, or \\* for an asterisk",
            )
        elif ch == "{":
            close = text.find("}", i)
            colon = text.find(":", i, close if close >= 0 else n)
            colon2 = text.find("：", i, close if close >= 0 else n)
            colon = min(c for c in (colon, colon2) if c >= 0) if max(colon, colon2) >= 0 else -1
            if close < 0 or colon < 0:
                raise MarkupError(
                    "unknown markup: '{' opens no {role:text} span",
                    row,
                    "write {楷:text} (any font role), or \\{ for a brace",
                )
            role = text[i + 1 : colon].strip()
            if role not in _roles() and role != DOTS:
                raise MarkupError(
                    f"unknown markup: font role {role!r} in {{{role}:…}}",
                    row,
                    "use one of 宋, 标宋, 大标宋, 黑, 粗黑, 楷, or 着重 for emphasis dots",
                )
            if style:
                raise MarkupError(
                    "unknown markup: a {…} span inside another span",
                    row,
                    "close the bold run-in before the span",
                )
            inner = text[colon + 1 : close]
            if any(c in inner for c in "*{\\"):
                raise MarkupError(
                    "unknown markup: markup inside a {…} span",
                    row,
                    "spans do not nest; split the span",
                )
            push(role)
            buf.append(inner)
            push("")
            row += inner.count("\n")
            i = close + 1
        elif ch == "}":
            raise MarkupError("unknown markup: '}' closes no span", row, "write \\} for a brace")
        else:
            buf.append(ch)
            i += 1
    if style == BOLD:
        raise MarkupError(
            "unknown markup: '**' is not closed", opened, "close the bold run-in with **"
        )
    push("")
    merged: list[tuple[str, str]] = []
    for s, t in runs:
        if merged and merged[-1][0] == s:
            merged[-1] = (s, merged[-1][1] + t)
        elif t:
            merged.append((s, t))
    return tuple(merged)


def _unescaped(row: str) -> str:
    """The row with escaped characters removed (so ``\\``` is not a backtick)."""
    return re.sub(r"\\.", "", row)


def split_breaks(lines: list[str]) -> list[list[str]]:
    """Split a paragraph's lines at explicit line breaks (a trailing backslash).

    Returns the pieces, each a list of lines; the backslash is removed. A doubled backslash
    at a line's end is a literal backslash, not a break.
    """
    pieces: list[list[str]] = [[]]
    for i, row in enumerate(lines):
        trailing = len(row) - len(row.rstrip("\\"))
        if trailing % 2 == 1 and i < len(lines) - 1:
            pieces[-1].append(row[:-1].rstrip())
            pieces.append([])
        elif trailing % 2 == 1:
            pieces[-1].append(row[:-1].rstrip())  # a break at the paragraph's end changes nothing
        else:
            pieces[-1].append(row)
    return [p for p in pieces if any(r.strip() for r in p)]
