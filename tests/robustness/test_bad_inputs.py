"""Bad input through the real CLI: one clear error, the right exit code, nothing clobbered.

Each case writes a broken description (from the templates in ``corpus``) into a fresh folder,
puts a sentinel PDF where the output goes, runs ``paiban render desc -o out`` there in-process
(``layout.cli.run``, what the console script calls) and checks: the exit code (2 for bad
input), that stderr has exactly one ``error: …`` line naming the file (and line and field where
there is one), that a ``hint:`` follows, that the expected words are there, that no traceback
and no long number is shown, and that the sentinel and every input file are byte-for-byte
unchanged with no temporary file left. Renders that must succeed (unusual image modes, a
fallback font, overset text) are checked too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import corpus as C
from .clirun import Run, assert_clean_error, invoke, snapshot

OUT = "out.pdf"
DESC = "page.yaml"


def cli(tmp: Path, *args: str) -> Run:
    """Run ``paiban ARGS`` in ``tmp`` (in-process)."""
    return invoke(tmp, *args)


def render(tmp: Path, desc: str = DESC, *extra: str, out: str = OUT) -> Run:
    """Render ``desc`` to ``out`` in ``tmp``."""
    return cli(tmp, "render", desc, "-o", out, *extra)


# ---------------------------------------------------------------- the corpus


@dataclass
class Case:
    """A broken input: a builder that writes it into a folder and what the error must say."""

    id: str
    build: Callable[[Path], list[str] | None]
    words: tuple[str, ...]
    line: int | None = None
    field: str | None = None
    code: int = 2
    names: str | None = DESC


def desc(
    content: str | bytes, files: dict[str, Callable[[Path], object]] | None = None
) -> Callable[[Path], None]:
    """A builder writing ``content`` as page.yaml and ``files`` (name → writer) beside it."""

    def build(tmp: Path) -> None:
        path = tmp / DESC
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        for name, make in (files or {}).items():
            make(tmp / name)

    return build


def text(content: str | bytes) -> Callable[[Path], None]:
    """A file writer for ``desc(files=…)``: ``content`` as bytes (text as UTF-8)."""

    def make(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    return make


B = C.BASE
SONG = "".join(sorted(set(C.BODY) - set(" \n")))
"""Every character the body (role 宋) of the base page draws: a damaged font must cover them."""
PLACE = C.line_of(B, "place:")
BODY_LINE = C.line_of(B, "body: |")


def sub(old: str, new: str, base: str = B) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


def second(place: str) -> str:
    return B + C.SECOND.format(place=place)


CASES = [
    # --- the file itself
    Case("empty", desc(b""), ("empty",)),
    Case("only-comments", desc("# nothing here yet\n\n"), ("empty",)),
    Case("binary", desc(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"), ("binary",)),
    Case(
        "not-utf8",
        desc("paper: 株洲日报\n".encode("gb18030")),
        ("utf-8", "GBK (GB 18030)", "iconv -f GB18030"),
    ),
    Case(
        "utf16-le-bom",
        desc(B.encode("utf-16")),
        ("UTF-16 (little-endian)", "not UTF-8", "iconv -f UTF-16"),
    ),
    Case("utf16-be-bom", desc(b"\xfe\xff" + B.encode("utf-16-be")), ("UTF-16 (big-endian)",)),
    Case(
        "utf16-no-bom",
        desc(B.encode("utf-16-le")),
        ("UTF-16 (little-endian) text without a byte-order mark",),
    ),
    Case("utf32-bom", desc(B.encode("utf-32")), ("UTF-32",)),
    Case("syntax-unclosed", desc("paper: [株洲日报\ndate: 2024-03-06\n"), ("yaml syntax error",)),
    Case(
        "syntax-tab",
        desc(sub("page: 5\n", "page: 5\n\tsection: x\n")),
        ("yaml syntax error", "tab"),
        line=4,
    ),
    Case("syntax-bad-indent", desc(sub("    headline:", "   headline:")), ("yaml syntax error",)),
    Case("two-documents", desc(B + "---\npaper: x\n"), ("another document",)),
    Case(
        "python-tag", desc("paper: !!python/object/apply:os.system [echo hi]\n"), ("tag",), line=1
    ),
    Case("unhashable-key", desc("? [a, b]\n: 1\n"), ("unhashable",), line=1),
    Case("huge-integer", desc(sub("page: 5", "page: " + "9" * 5000)), ("cannot be read",)),
    Case("alias-bomb", desc(C.alias_bomb()), ("200000", "yaml nodes", "MAX_YAML_NODES")),
    Case("deep-nesting", desc(C.deep(60)), ("nests deeper than 40", "MAX_YAML_DEPTH")),
    Case("very-deep-nesting", desc(C.deep(20_000)), ("nests deeper than 40",)),
    Case(
        "top-level-list",
        desc("- paper: 株洲日报\n- page: 5\n"),
        ("top level must be a mapping", "list"),
        line=1,
    ),
    Case("top-level-scalar", desc("株洲日报\n"), ("top level must be a mapping", "str"), line=1),
    Case(
        "duplicate-key",
        desc(B + "page: 6\n"),
        ("appears twice", "line 3"),
        line=C.line_of(B, "headline") + 6,
        field="page",
    ),
    Case(
        "too-large",
        desc(B + "#" + "x" * 2_000_001 + "\n"),
        ("over the limit of 2000000", "MAX_DESCRIPTION_BYTES"),
    ),
    # --- schema: unknown keys, wrong types, missing fields
    Case(
        "unknown-top-key",
        desc(B + "colour: red\n"),
        ("unknown field 'colour'", "paiban schema"),
        line=C.line_of(B, "headline") + 6,
        field="colour",
    ),
    # A key that looks like a union member's name to the location filter ("[", found by the
    # property test) crashed the message with an IndexError.
    Case(
        "unknown-top-key-bracket",
        desc(B + '"[": null\n'),
        ("unknown field '['",),
        field="[",
    ),
    Case(
        "unknown-nested-key",
        desc(sub("height: 30}", "height: 30, widht: 3}")),
        ("unknown field 'widht'",),
        line=PLACE,
        field="articles.0.place.widht",
    ),
    Case(
        "page-not-a-number",
        desc(sub("page: 5", "page: five")),
        ("whole number",),
        line=3,
        field="page",
    ),
    Case(
        "page-fraction", desc(sub("page: 5", "page: 5.5")), ("whole number",), line=3, field="page"
    ),
    # --- booleans given for numbers, numbers far too large (never echoed at length)
    Case(
        "page-true",
        desc(sub("page: 5", "page: true")),
        ("true is not a number",),
        line=3,
        field="page",
    ),
    Case(
        "top-false",
        desc(sub("top: 0", "top: false")),
        ("false is not a number",),
        line=PLACE,
        field="articles.0.place.top",
    ),
    Case(
        "span-yes",
        desc(sub("span: 3", "span: yes")),
        ("true is not a number",),
        line=PLACE,
        field="articles.0.place.span",
    ),
    Case(
        "huge-col",
        desc(sub("col: 1,", "col: " + "9" * 400 + ",")),
        ("400-digit number", "far too large"),
        line=PLACE,
        field="articles.0.place.col",
    ),
    Case(
        "huge-page-float",
        desc(sub("page: 5", "page: 1.0e+308")),
        ("1e+308", "far too large"),
        line=3,
        field="page",
    ),
    Case(
        "huge-height-float",
        desc(sub("height: 30", "height: 1.0e+300")),
        ("far too large",),
        line=PLACE,
        field="articles.0.place.height",
    ),
    Case(
        "huge-height-text",
        desc(sub("height: 30", "height: " + "9" * 300 + "mm")),
        ("300-digit number",),
        line=PLACE,
        field="articles.0.place.height",
    ),
    Case(
        "huge-trim",
        desc(sub("preset: tabloid", "preset: tabloid\n  trim: [100000mm, 390mm]")),
        ("larger than any press sheet", "MAX_TRIM_MM"),
        field="format.trim.0",
        line=7,
    ),
    Case(
        "articles-not-a-list",
        desc(B[: B.index("articles:")] + "articles: 一篇\n"),
        ("list",),
        line=C.line_of(B, "articles:"),
        field="articles",
    ),
    Case(
        "col-is-a-list",
        desc(sub("col: 1,", "col: [1],")),
        ("whole number",),
        line=PLACE,
        field="articles.0.place.col",
    ),
    Case(
        "headline-is-a-mapping",
        desc(sub("headline: 全市司法行政工作会议召开", "headline: {a: 1}")),
        ("string",),
        line=C.line_of(B, "headline"),
        field="articles.0.headline",
    ),
    Case(
        "missing-articles", desc(B[: B.index("articles:")]), ("add this field",), field="articles"
    ),
    Case(
        "no-articles",
        desc(B[: B.index("articles:")] + "articles: []\n"),
        ("at least 1",),
        field="articles",
    ),
    Case(
        "missing-body",
        desc(B[: B.index("    body: |")] + B[B.index("    place:") :]),
        ("body or body_file",),
        field="articles.0",
    ),
    Case(
        "empty-body",
        desc(B[: B.index("    body: |")] + "    body: '  '\n" + B[B.index("    place:") :]),
        ("body is empty",),
        field="articles.0.body",
    ),
    Case(
        "bad-article-id",
        desc(sub("id: lead", "id: 头条")),
        ("letters, digits",),
        field="articles.0.id",
    ),
    Case(
        "duplicate-article-id",
        desc(second("{col: 4, span: 3, top: 0, height: 30}").replace("id: second", "id: lead")),
        ("used twice",),
        field="articles.1.id",
        line=C.line_of(second("x"), "id: second"),
    ),
    Case(
        "unknown-preset",
        desc(sub("preset: tabloid", "preset: berliner")),
        ("tabloid",),
        field="format.preset",
        line=6,
    ),
    # --- dates
    Case(
        "impossible-date",
        desc(sub("2024-03-06", "2024-02-30")),
        ("date", "YYYY-MM-DD"),
        line=2,
        field="date",
    ),
    Case("month-13", desc(sub("2024-03-06", "2024-13-01")), ("YYYY-MM-DD",), line=2, field="date"),
    Case(
        "date-as-number",
        desc(sub("2024-03-06", "20240306")),
        ("is a number, not a date", "2024-03-06"),
        line=2,
        field="date",
    ),
    Case(
        "date-as-float",
        desc(sub("2024-03-06", "2024.0306")),
        ("is a number, not a date", "YYYY-MM-DD"),
        line=2,
        field="date",
    ),
    Case(
        "weekday-disagrees",
        desc(sub("page: 5", "weekday: 星期一\npage: 5")),
        ("星期三", "not 星期一"),
        line=3,
        field="weekday",
    ),
    # --- sizes
    Case(
        "zero-height",
        desc(sub("height: 30", "height: 0")),
        ("more than 0",),
        line=PLACE,
        field="articles.0.place.height",
    ),
    Case(
        "negative-height",
        desc(sub("height: 30", "height: -3")),
        ("more than 0",),
        line=PLACE,
        field="articles.0.place.height",
    ),
    Case(
        "nan-height",
        desc(sub("height: 30", "height: .nan")),
        ("not a finite number",),
        line=PLACE,
        field="articles.0.place.height",
    ),
    Case(
        "infinite-top",
        desc(sub("top: 0", "top: .inf")),
        ("not a finite number",),
        line=PLACE,
        field="articles.0.place.top",
    ),
    Case(
        "negative-top",
        desc(sub("top: 0", "top: -5mm")),
        ("negative",),
        line=PLACE,
        field="articles.0.place.top",
    ),
    Case(
        "unknown-unit",
        desc(sub("height: 30", "height: 30furlongs")),
        ("cannot read length",),
        line=PLACE,
        field="articles.0.place.height",
    ),
    Case(
        "zero-span",
        desc(sub("span: 3", "span: 0")),
        ("greater than or equal to 1",),
        line=PLACE,
        field="articles.0.place.span",
    ),
    Case(
        "zero-head-size",
        desc(B + "    head: {size: 0}\n"),
        ("out of range 3–400",),
        line=C.line_of(B, "place:") + 1,
        field="articles.0.head.size",
    ),
    Case(
        "negative-head-size",
        desc(B + "    head: {size: -12}\n"),
        ("out of range",),
        field="articles.0.head.size",
    ),
    Case(
        "unknown-hao-size",
        desc(B + "    head: {size: 大号}\n"),
        ("unknown type size", "小初"),
        field="articles.0.head.size",
    ),
    Case(
        "zero-body-size",
        desc(sub("preset: tabloid", "preset: tabloid\n  body_size: 0")),
        ("out of range",),
        field="format.body_size",
        line=7,
    ),
    Case(
        "negative-hao-override",
        desc(B + "type:\n  hao: {小初: -5}\n"),
        ("greater than 0",),
        field="type.hao.小初",
    ),
    Case(
        "zero-trim",
        desc(sub("preset: tabloid", "preset: tabloid\n  trim: [0, 0]")),
        ("more than 0",),
        field="format.trim",
        line=7,
    ),
    Case(
        "negative-bleed",
        desc(sub("preset: tabloid", "preset: tabloid\n  bleed: -3mm")),
        ("negative",),
        field="format.bleed",
        line=7,
    ),
    Case(
        "page-smaller-than-grid",
        desc(sub("preset: tabloid", "preset: tabloid\n  trim: [20mm, 20mm]")),
        ("larger than the page",),
        field="format",
    ),
    Case(
        "zero-columns",
        desc(sub("preset: tabloid", "preset: tabloid\n  columns: 0")),
        ("greater than or equal to 1",),
        field="format.columns",
        line=7,
    ),
    # --- placement on the grid
    Case(
        "off-grid-right",
        desc(sub("col: 1", "col: 9")),
        ("run off the 6-column grid",),
        line=PLACE,
        field="articles.0.place",
    ),
    Case(
        "span-off-grid",
        desc(sub("col: 1", "col: 5")),
        ("columns 5–7", "6-column"),
        line=PLACE,
        field="articles.0.place",
    ),
    Case(
        "off-grid-bottom",
        desc(sub("top: 0", "top: 70")),
        ("80 body lines",),
        line=PLACE,
        field="articles.0.place",
    ),
    Case(
        "overlap",
        desc(second("{col: 2, span: 3, top: 10, height: 10}")),
        ("module 'lead'", "module 'second'", "overlaps"),
        field="articles.1.place",
    ),
    Case(
        "overlap-auto-height",
        desc(second("{col: 3, span: 2, top: 5}")),
        ("module 'lead'", "module 'second'", "overlaps"),
        field="articles.1.place",
    ),
    Case(
        "head-wider-than-module",
        desc(B + "    head: {span: 5}\n"),
        ("wider than the module's 3",),
        field="articles.0.head.span",
    ),
    Case(
        "article-top-bottom",
        desc(sub("top: 0", "top: bottom")),
        ("only for photos",),
        field="articles.0.place.top",
    ),
    Case(
        "photo-off-module",
        desc(
            C.with_photo("p.jpg").replace("{col: 1, span: 2, top: 3", "{col: 3, span: 2, top: 3"),
            files={"p.jpg": C.photo},
        ),
        ("outside the article's 3 columns",),
        field="articles.0.photos.0.place",
    ),
    # --- images
    Case(
        "photo-missing",
        desc(C.with_photo("photos/nope.jpg")),
        ("not found", "nope.jpg"),
        line=C.line_of(C.with_photo("x"), "- file:"),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-is-a-folder",
        desc(C.with_photo("photos"), files={"photos/keep": text("")}),
        ("folder",),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-corrupt",
        desc(
            C.with_photo("p.jpg"), files={"p.jpg": text(b"\xff\xd8\xff\xe0 not really a jpeg" * 10)}
        ),
        ("image",),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-not-an-image",
        desc(C.with_photo("p.jpg"), files={"p.jpg": text("就是一段文字")}),
        ("not an image format",),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-empty",
        desc(C.with_photo("p.jpg"), files={"p.jpg": text(b"")}),
        ("empty",),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-truncated",
        desc(C.with_photo("p.jpg"), files={"p.jpg": C.truncated_jpeg}),
        ("corrupt or truncated",),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-decompression-bomb",
        desc(C.with_photo("bomb.png"), files={"bomb.png": C.png_bomb}),
        ("60 Mpx allowed", "decompression bomb"),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-bomb-auto-height",
        desc(
            C.with_photo("bomb.png").replace("top: 3, height: 10", "top: 3"),
            files={"bomb.png": C.png_bomb},
        ),
        ("60 Mpx allowed", "decompression bomb"),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-over-limit-auto-height",
        desc(
            C.with_photo("big.png").replace("top: 3, height: 10", "top: 3"),
            files={"big.png": lambda p: C.png_bomb(p, 8000, 8000)},
        ),
        ("8000×8000", "60 Mpx allowed"),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-long-name",
        desc(C.with_photo("p" * 5000 + ".jpg")),
        ("5004 bytes", "over the limit of 4096"),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-over-pixel-limit",
        desc(C.with_photo("big.png"), files={"big.png": lambda p: C.png_bomb(p, 8000, 8000)}),
        ("8000×8000", "60 Mpx allowed"),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-too-small",
        desc(C.with_photo("p.png"), files={"p.png": lambda p: C.photo(p, size=(40, 30))}),
        ("below the 150 ppi minimum",),
        field="articles.0.photos.0.file",
    ),
    # --- fonts and glyphs
    Case(
        "font-override-missing",
        desc(B + "type:\n  fonts:\n    宋: {file: fonts/none.ttf}\n"),
        ("not found", "none.ttf"),
        field="type.fonts.宋.file",
        line=C.line_of(B, "place:") + 3,
    ),
    Case(
        "font-override-corrupt",
        desc(
            B + "type:\n  fonts:\n    宋: {file: bad.ttf}\n",
            files={"bad.ttf": text(b"\x00\x01\x00\x00" + b"garbage" * 30)},
        ),
        ("bad.ttf",),
        field="type.fonts.宋.file",
        line=C.line_of(B, "place:") + 3,
    ),
    Case(
        "font-override-not-a-font",
        desc(
            B + "type:\n  fonts:\n    黑: {file: bad.ttf}\n", files={"bad.ttf": text("这不是字体")}
        ),
        ("not a truetype/opentype font",),
        field="type.fonts.黑.file",
    ),
    Case(
        "font-unknown-role",
        desc(
            B + "type:\n  fonts:\n    隶书: {file: f.ttf}\n",
            files={"f.ttf": lambda p: C.tiny_font(p, "会")},
        ),
        ("unknown font role '隶书'", "宋"),
        field="type.fonts.隶书",
    ),
    Case(
        "font-fallback-corrupt",
        desc(B + "type:\n  fallbacks: [{file: fb.ttf}]\n", files={"fb.ttf": text("not a font")}),
        ("fb.ttf",),
        field="type.fallbacks.0.file",
    ),
    Case(
        "missing-glyph",
        desc(sub("会议召开。", f"会议召开{C.RARE}。")),
        (C.RARE, "U+2A6A5", "article lead", "body", "type.fallbacks"),
        line=BODY_LINE,
    ),
    Case(
        "missing-glyph-in-headline",
        desc(sub("headline: 全市", f"headline: {C.RARE}全市")),
        ("U+2A6A5", "article lead, headline"),
        line=C.BASE.splitlines().index("    headline: 全市司法行政工作会议召开") + 1,  # not the body's
    ),
    # Unassigned under Python 3.11's Unicode 14 tables (Cn), but a person's name: never dropped.
    Case(
        "missing-glyph-unicode-15",
        desc(sub("会议召开。", f"会议召开，市民{C.NEW_CJK[0]}先生和{C.NEW_CJK[1]}女士。")),
        (C.NEW_CJK[0], "U+31350", "no glyph", "(and 1 more)"),
        line=BODY_LINE,
    ),
    Case(
        "missing-glyph-private-use",
        desc(sub("会议召开。", "会议召开\ue000。")),
        ("U+E000", "no glyph"),
    ),
    Case(
        "font-hhea-no-metrics",
        desc(
            B + "type:\n  fonts:\n    宋: {file: f.ttf}\n",
            files={"f.ttf": lambda p: C.damaged_font(p, "hhea0", SONG)},
        ),
        ("f.ttf is damaged", "0 horizontal metrics"),
    ),
    Case(
        "font-hhea-too-many-metrics",
        desc(
            B + "type:\n  fonts:\n    宋: {file: f.ttf}\n",
            files={"f.ttf": lambda p: C.damaged_font(p, "hhea-big", SONG)},
        ),
        ("f.ttf is damaged", "65520 horizontal metrics"),
    ),
    Case(
        "font-random-glyf",
        desc(
            B + "type:\n  fonts:\n    宋: {file: f.ttf}\n",
            files={"f.ttf": lambda p: C.damaged_font(p, "glyf", SONG)},
        ),
        ("f.ttf", "damaged"),
    ),
    Case(
        "font-blank-glyphs",
        desc(
            B + "type:\n  fonts:\n    宋: {file: f.ttf}\n",
            files={"f.ttf": lambda p: C.damaged_font(p, "blank", SONG)},
        ),
        ("f.ttf is damaged", "is empty (would print nothing)"),
    ),
    # --- text files
    Case(
        "body-file-missing",
        desc(C.with_body_file("story.md")),
        ("not found", "story.md"),
        field="articles.0.body_file",
        line=C.line_of(C.with_body_file("x"), "body_file"),
    ),
    Case(
        "body-file-not-utf8",
        desc(C.with_body_file("story.md"), files={"story.md": text(C.BODY.encode("gb18030"))}),
        ("not utf-8", "GBK (GB 18030)", "story.md"),
        field="articles.0.body_file",
    ),
    Case(
        "body-file-utf16",
        desc(C.with_body_file("story.md"), files={"story.md": text(C.BODY.encode("utf-16"))}),
        ("story.md", "UTF-16 (little-endian)"),
        field="articles.0.body_file",
    ),
    Case(
        "body-file-binary",
        desc(C.with_body_file("story.md"), files={"story.md": text(b"\x00\x01\x02" * 50)}),
        ("binary",),
        field="articles.0.body_file",
    ),
    Case(
        "body-file-nul-name",
        desc(C.with_body_file('"story\\0.md"')),
        ("NUL character", "story\\0.md"),
        field="articles.0.body_file",
    ),
    Case(
        "body-file-long-name",
        desc(C.with_body_file("s" * 5000 + ".md")),
        ("5003 bytes", "over the limit of 4096"),
        field="articles.0.body_file",
    ),
    Case(
        "body-file-long-component",
        desc(C.with_body_file("s" * 300 + ".md")),
        ("303 bytes", "255"),
        field="articles.0.body_file",
    ),
    Case(
        "body-file-is-a-folder",
        desc(C.with_body_file("story"), files={"story/x": text("x")}),
        ("folder",),
        field="articles.0.body_file",
    ),
    Case(
        "body-file-too-long",
        desc(C.with_body_file("story.md"), files={"story.md": text("字" * 700_000)}),
        ("over the limit of 2000000", "MAX_TEXT_BYTES"),
        field="articles.0.body_file",
    ),
    Case(
        "body-both",
        desc(sub("    place:", "    body_file: story.md\n    place:")),
        ("not both",),
        field="articles.0",
    ),
    # --- paths outside the description's folder
    Case(
        "body-file-dotdot",
        desc(C.with_body_file("../../etc/passwd")),
        ("outside", "--allow-path"),
        field="articles.0.body_file",
    ),
    Case(
        "body-file-absolute",
        desc(C.with_body_file("/etc/passwd")),
        ("outside", "--allow-path"),
        field="articles.0.body_file",
    ),
    Case(
        "photo-dotdot",
        desc(C.with_photo("../secret.jpg")),
        ("outside", "--allow-path"),
        field="articles.0.photos.0.file",
    ),
    Case(
        "photo-absolute",
        desc(C.with_photo("/etc/hostname")),
        ("outside",),
        field="articles.0.photos.0.file",
    ),
    Case(
        "font-absolute",
        desc(B + "type:\n  fallbacks: [{file: /usr/share/fonts/x.ttf}]\n"),
        ("outside",),
        field="type.fallbacks.0.file",
    ),
    Case(
        "field-misspelt",
        desc(B.replace("    body: |", "    body_flie: x.md\n    body: |")),
        ("unknown field 'body_flie'", "did you mean 'body_file'?"),
        field="articles.0.body_flie",
    ),
    Case(
        "min-span-past-the-page",
        desc(B + "  - id: second\n    headline: 第二篇稿件\n    body: 正文。\n    min_span: 9\n"),
        ("min_span: 9 columns, but the page has 6",),
        field="articles.1.min_span",
    ),
    Case(
        "photo-span-past-the-page",
        desc(B + "  - id: second\n    headline: 第二篇稿件\n    body: 正文。\n    photos:\n"
             "      - {file: p.jpg, caption: 图说。, span: 12}\n", {"p.jpg": C.photo}),
        ("photo span: 12 columns, but the page has 6",),
        field="articles.1.photos.0.span",
    ),
    Case(
        "sidebar-dotdot",
        desc(
            B + "    sidebar: {title: 手记, body_file: ../x.md, place: {col: 1, span: 2, top: 5}}\n"
        ),
        ("outside",),
        field="articles.0.sidebar.body_file",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    case.build(tmp_path)
    (tmp_path / OUT).write_bytes(C.SENTINEL)
    before = snapshot(tmp_path)
    proc = render(tmp_path)
    assert_clean_error(
        proc, code=case.code, names=case.names, words=case.words, line=case.line, field=case.field
    )
    assert snapshot(tmp_path) == before, (
        "an input or the earlier output changed, or a temporary file was left"
    )


# ---------------------------------------------------------------- paths: description and output


def _valid(tmp: Path) -> Path:
    (tmp / DESC).write_text(C.BASE, encoding="utf-8")
    return tmp / DESC


def test_description_does_not_exist(tmp_path):
    (tmp_path / OUT).write_bytes(C.SENTINEL)
    proc = render(tmp_path, "nope.yaml")
    assert_clean_error(proc, names="nope.yaml", words=("not found",))
    assert (tmp_path / OUT).read_bytes() == C.SENTINEL


def test_description_is_an_empty_folder(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / OUT).write_bytes(C.SENTINEL)
    proc = render(tmp_path, "folder")
    assert_clean_error(proc, names="folder", words=("no .yaml descriptions",))
    assert (tmp_path / OUT).read_bytes() == C.SENTINEL


def test_description_is_a_folder_in_the_api(tmp_path):
    from layout.errors import InputError
    from layout.model import load_issue

    with pytest.raises(InputError, match="is a folder"):
        load_issue(tmp_path)


@pytest.mark.parametrize(
    "where, words",
    [
        ("missing/out.pdf", ("does not exist", "mkdir -p")),
        ("afile/out.pdf", ("not a folder",)),
        ("/proc/paiban-test/out.pdf", ("/proc",)),
        ("/proc/out.pdf", ("cannot write",)),
        ("existing-folder", ("is a folder",)),
    ],
)
def test_output_cannot_be_written(tmp_path, where, words):
    _valid(tmp_path)
    (tmp_path / "afile").write_text("a file, not a folder")
    (tmp_path / "existing-folder").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    proc = render(tmp_path, DESC, out=where)
    first = assert_clean_error(proc, names=where.split("/")[0] or "/proc", words=words)
    assert first
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing created, no temp file
    assert (tmp_path / "afile").read_text() == "a file, not a folder"


def test_output_over_the_description_is_refused(tmp_path):
    desc_path = _valid(tmp_path)
    before = desc_path.read_bytes()
    proc = render(tmp_path, DESC, out=DESC)
    assert_clean_error(
        proc, names=DESC, words=("is an input of this command", "refusing to overwrite")
    )
    assert desc_path.read_bytes() == before


def test_write_failure_leaves_the_old_file(tmp_path, monkeypatch):
    """A write that fails half-way (disk full, rename refused) keeps the old bytes, no temp file."""
    from layout import api, safeio
    from layout.errors import OutputError

    out = tmp_path / OUT
    out.write_bytes(C.SENTINEL)

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safeio.os, "replace", refuse)
    with pytest.raises(OutputError, match="No space left"):
        api.write_atomic(out, b"%PDF-1.7 new")
    assert out.read_bytes() == C.SENTINEL
    assert [p.name for p in tmp_path.iterdir()] == [OUT]


@pytest.mark.parametrize(
    "args, words",
    [
        (("--profile", "nope.icc"), ("--profile", "nope.icc")),
        (("--profile", DESC), ("--profile", "not a cmyk icc profile")),
        (("--ink-limit", "50"), ("--ink-limit", "100")),
        (("--pdfx", "x9"), ("--pdfx", "x1a")),
    ],
)
def test_bad_options_are_named(tmp_path, args, words):
    _valid(tmp_path)
    (tmp_path / OUT).write_bytes(C.SENTINEL)
    proc = render(tmp_path, DESC, *args)
    assert_clean_error(proc, names=args[0], words=words)
    assert (tmp_path / OUT).read_bytes() == C.SENTINEL


def test_debug_raises_the_error_itself(tmp_path):
    """With --debug the error is not caught (the console script then prints its traceback)."""
    from layout.errors import InputError

    (tmp_path / DESC).write_text("- not a mapping\n", encoding="utf-8")
    with pytest.raises(InputError, match="top level must be a mapping"):
        cli(tmp_path, "--debug", "render", DESC, "-o", OUT)


# ---------------------------------------------------------------- allowed paths


def test_allow_path_lets_assets_come_from_elsewhere(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "story.md").write_text(C.BODY, encoding="utf-8")
    C.photo(shared / "p.jpg", fmt="JPEG")
    work = tmp_path / "issue"
    work.mkdir()
    (work / DESC).write_text(
        C.with_photo("../shared/p.jpg", C.with_body_file("../shared/story.md")), encoding="utf-8"
    )
    (work / OUT).write_bytes(C.SENTINEL)
    refused = render(work)
    assert_clean_error(refused, words=("outside", "--allow-path"), field="articles.0.body_file")
    assert (work / OUT).read_bytes() == C.SENTINEL
    proc = render(work, DESC, "--allow-path", str(shared))
    assert proc.returncode == 0, proc.stderr
    assert (work / OUT).read_bytes().startswith(b"%PDF-") and (
        work / OUT
    ).read_bytes() != C.SENTINEL


def test_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(C.BODY, encoding="utf-8")
    work = tmp_path / "issue"
    work.mkdir()
    (work / "story.md").symlink_to(outside)
    (work / DESC).write_text(C.with_body_file("story.md"), encoding="utf-8")
    (work / OUT).write_bytes(C.SENTINEL)
    assert_clean_error(render(work), words=("outside",), field="articles.0.body_file")
    assert (work / OUT).read_bytes() == C.SENTINEL


# ---------------------------------------------------------------- inputs that must render


def test_unusual_image_modes_render(tmp_path):
    """CMYK JPEG, 16-bit grey, palette with transparency, RGBA, LA, 1-bit and float TIFF: one page."""
    photos = tmp_path / "photos"
    photos.mkdir()
    modes = [
        ("cmyk.jpg", "CMYK", "JPEG"),
        ("grey16.png", "I;16", "PNG"),
        ("palette.png", "P+alpha", "PNG"),
        ("rgba.png", "RGBA", "PNG"),
        ("la.png", "LA", "PNG"),
        ("bw.png", "1", "PNG"),
        ("float.tif", "F", "TIFF"),
    ]
    articles = []
    for i, (name, mode, fmt) in enumerate(modes):
        C.photo(photos / name, mode, fmt=fmt if mode != "P+alpha" else None)
        col, top = 1 + (i % 3) * 2, (i // 3) * 25
        articles.append(
            f"  - id: a{i}\n    headline: 图片{i}\n    body: 正文正文正文。\n"
            f"    place: {{col: {col}, span: 2, top: {top}, height: 24}}\n"
            + C.PHOTO.format(file=f"photos/{name}")
        )
    (tmp_path / DESC).write_text(
        C.BASE[: C.BASE.index("  - id: lead")] + "".join(articles), encoding="utf-8"
    )
    (tmp_path / OUT).write_bytes(C.SENTINEL)
    proc = render(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "error" not in proc.stderr.lower(), proc.stderr
    assert "preflight: ok" in proc.stdout
    import pikepdf

    with pikepdf.open(tmp_path / OUT) as pdf:
        images = list(pdf.pages[0].get_images())
    assert len(images) == len(modes)


@pytest.mark.parametrize("chars", [C.RARE, C.NEW_CJK], ids=["ext-b", "unicode-15"])
def test_missing_glyph_renders_with_a_configured_fallback(tmp_path, chars):
    """With a face that has them, even characters newer than Python's Unicode tables print."""
    C.tiny_font(tmp_path / "rare.ttf", chars)
    (tmp_path / DESC).write_text(
        sub("会议召开。", f"会议召开{chars}。") + "type:\n  fallbacks: [{file: rare.ttf}]\n",
        encoding="utf-8",
    )
    (tmp_path / OUT).write_bytes(C.SENTINEL)
    proc = render(tmp_path)
    assert proc.returncode == 0, proc.stderr
    warning = [ln for ln in proc.stderr.splitlines() if ln.startswith("warning:")]
    for ch in chars:
        code = f"U+{ord(ch):04X}"
        assert any(ch in ln and code in ln and "fallback RobustFallback" in ln for ln in warning), proc.stderr
    from layout import api

    result = api.layout(api.load_issue(tmp_path / DESC))
    body = "".join(line.text for line in result.page.root.lines() if line.kind == "body")
    assert f"会议召开{chars}。" in body  # drawn in the body, in place
    assert (tmp_path / OUT).read_bytes()[:5] == b"%PDF-"


LONG = "会议要求，全市司法行政系统要坚持党的绝对领导。" * 400


def test_overset_is_reported_never_cut_silently(tmp_path):
    (tmp_path / DESC).write_text(sub("推进法治株洲建设。", LONG), encoding="utf-8")
    (tmp_path / OUT).write_bytes(C.SENTINEL)
    proc = render(tmp_path)
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"overset: article lead has (\d+) characters \((\d+) lines\)", proc.stderr)
    assert m, proc.stderr
    assert int(m.group(1)) > 5000
    assert (tmp_path / OUT).read_bytes() != C.SENTINEL

    (tmp_path / OUT).write_bytes(C.SENTINEL)
    strict = render(tmp_path, DESC, "--strict")
    first = assert_clean_error(
        strict, code=1, words=("overset", f"lead: {m.group(1)} chars", "nothing was written")
    )
    assert first
    assert (tmp_path / OUT).read_bytes() == C.SENTINEL


def test_limits_are_named_in_the_code():
    """The limits the errors quote are the ones the loader and image reader enforce."""
    from layout import images, model

    assert model.MAX_DESCRIPTION_BYTES == 2_000_000
    assert model.MAX_TEXT_BYTES == 2_000_000
    assert model.MAX_YAML_NODES == 200_000
    assert model.MAX_YAML_DEPTH == 40
    assert images.ImageOptions().max_pixels == 60_000_000


def test_masthead_top_in_mm_and_off_grid(tmp_path):
    """The masthead's place is read like an article's: lengths become lines, the grid is checked."""
    from layout import api
    from layout.errors import InputError

    base = (
        "paper: 测试报\ndate: 2024-03-06\npage: 2\nformat: {preset: tabloid}\n"
        "masthead:\n  title: 政法周刊\n  place: {col: 4, span: 2, top: 20mm}\n"
        "articles:\n  - {id: a, headline: 标题, body: 正文。, place: {col: 1, span: 2, top: 0, height: 20}}\n"
    )
    path = tmp_path / "m.yaml"
    path.write_text(base, encoding="utf-8")
    result = api.layout(api.load_issue(path))
    masthead = result.modules[0]
    r = masthead.region.bbox
    assert (masthead.label, r.col, r.span, r.top) == ("masthead", 3, 2, 5)  # 20 mm / 12 pt ≈ 4.7 → line 5
    path.write_text(base.replace("col: 4, span: 2", "col: 6, span: 2"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        api.layout(api.load_issue(path))
    assert info.value.field == "masthead.place" and info.value.line == 7
    assert "6-column grid" in info.value.message


def test_a_message_echoes_a_long_name_or_number_cut_short():
    # The property test grafted a 5,000-character edge name and a 300-digit column into a page:
    # the planner's message ("no edge named '…'") echoed all of it.
    from layout.errors import InputError, echoed

    name = "x" * 5000
    err = InputError(f"no edge named {name!r}", file="page.yaml", line=17, field="articles.0.place.col",
                     hint=f"name one under edges: ({name})")
    assert len(err.message) < 200 and len(err.hint) < 200 and "x" * 60 in err.message
    assert echoed("col '" + "9" * 300 + "'") == "col '99999999…9999'"
    assert echoed("a short name 'fold' and 2024") == "a short name 'fold' and 2024"


def test_a_photo_without_a_caption_is_said(tmp_path):
    # A trial's photo without a caption went out without a word.
    (tmp_path / DESC).write_text(C.with_photo("p.jpg").replace("        caption: 图说文字。\n", ""), encoding="utf-8")
    C.photo(tmp_path / "p.jpg")
    proc = render(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "photo p.jpg has no caption (图说)" in proc.stderr
    (tmp_path / DESC).write_text(C.with_photo("p.jpg"), encoding="utf-8")
    assert "no caption" not in render(tmp_path).stderr
