"""Property tests: the loader and the page composer fail only with PaibanError, and no body
text is lost — every non-whitespace character reaches the page in order, or is counted overset.

(a) ``load_issue`` on random YAML-ish text and on random mutations of a valid description
    (keys and values of random types, deleted fields, random unicode) raises nothing but
    ``PaibanError``; a mutated description that loads is also laid out, under the same rule.
(b) random Chinese/Latin/digit/punctuation bodies of random length in a one-article page: the
    body lines of that article carry the input's non-whitespace characters in order, unless
    the fit report says overset — then the placed text is a prefix of the input and
    ``overset_chars`` is the number of characters missing.
"""

from __future__ import annotations

import copy
import math
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, event, given, settings
from hypothesis import strategies as st

from layout import api
from layout.errors import PaibanError
from layout.model import load_issue

from . import corpus as C

EXAMPLES = int(os.environ.get("PAIBAN_FUZZ_EXAMPLES", "60"))
"""Examples per property; raise it (e.g. 2000) for a deeper local fuzzing run."""
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink)  # no slow "explain" phase
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=PHASES)

BASE = yaml.safe_load(C.BASE.replace("date: 2024-03-06", "date: '2024-03-06'"))


def _load_text(content: str | bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.yaml"
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogatepass")
        path.write_bytes(content)
        return load_issue(path)


def _expect_only_paiban_errors(fn, *args):
    try:
        return fn(*args)
    except PaibanError as exc:
        text = exc.render()
        assert text.startswith("error: ") and "\n" not in exc.message, text
        return None


# ---------------------------------------------------------------- (a) the loader

YAML_TOKENS = [
    ":", ": ", "- ", "-", "&a ", "*a", "&b ", "*b", "[", "]", "{", "}", ",", "\n", "\n  ", "\n    ", "  ",
    "\t", "!!str ", "!!int ", "!!binary ", "!!python/object ", "!foo ", "'", '"', "|", ">", "#", "?", "<<: ",
    "%YAML 1.1\n", "---\n", "...\n", "~", "null", "true", "no", ".nan", ".inf", "-.inf", "0x1F", "0o17",
    "1e400", "9" * 30, "2024-02-30", "2024-03-06", "12:30:00", "paper", "date", "page", "articles",
    "id", "headline", "body", "place", "col", "span", "top", "height", "auto", "bottom", "30mm", "5行",
    "小初", "株洲日报", "𪚥", "\ufeff", "\x85", "\u2028", "\x00", "\\", "\\x00", "\\ud800",
]

yamlish = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(YAML_TOKENS), max_size=80).map("".join),
    st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=5)), max_size=60).map("".join),
)


@SETTINGS
@given(yamlish)
def test_loader_raises_only_paiban_errors_on_yamlish_text(content):
    _expect_only_paiban_errors(_load_text, content)


@SETTINGS
@given(st.binary(max_size=400))
def test_loader_raises_only_paiban_errors_on_bytes(content):
    _expect_only_paiban_errors(_load_text, content)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-3, max_value=100),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["auto", "bottom", "30mm", "-5mm", "5行", "3字", "1e400mm", "小初", "大号", "0",
                     "2024-02-30", "2024-03-06", "broadsheet", "tabloid", "宋", "黑", "../../etc/passwd",
                     "/etc/passwd", "photos/none.jpg", "星期三", "星期八", "", " ", "𪚥"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=10)
KEYS = ["paper", "date", "weekday", "page", "section", "format", "preset", "trim", "type_area", "columns",
        "column_chars", "gutter_chars", "body_size", "line_gap", "bleed", "marks", "slug", "type", "fonts",
        "fallbacks", "hao", "header", "credits", "masthead", "title", "sponsors", "articles", "id",
        "headline", "kicker", "subtitle", "byline", "dateline", "body", "body_file", "place", "col", "span",
        "top", "height", "head", "size", "font", "photos", "file", "caption", "sidebar", "flex", "lines"]
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=10))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _get(node, path):
    for p in path:
        node = node[p]
    return node


@st.composite
def mutated(draw):
    """A valid description with 1–4 random edits: set, delete, add or rename a field."""
    doc = copy.deepcopy(BASE)
    doc["articles"][0]["photos"] = [{"file": "p.jpg", "place": {"col": 1, "span": 2, "top": 3, "height": 10}}]
    doc["masthead"] = {"title": "政法周刊", "place": {"col": 5, "span": 2}}
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(doc))
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["set", "delete", "add", "rename", "type"]))
        if not path:
            if op == "set":
                doc = draw(values)
            continue
        parent = _get(doc, path[:-1])
        key = path[-1]
        if op in ("set", "type"):
            parent[key] = draw(values)
        elif op == "delete":
            del parent[key]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(keys)] = draw(values)
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(keys)] = parent.pop(key)
        if not isinstance(doc, (dict, list)):
            break
    return doc


def _dump(doc) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _load_and_layout(content: str):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        C.photo(folder / "p.jpg", fmt="JPEG")
        path = folder / "page.yaml"
        path.write_text(content, encoding="utf-8")
        loaded = load_issue(path)
        return api.layout(loaded)


@SETTINGS
@given(mutated())
def test_loader_raises_only_paiban_errors_on_mutated_descriptions(doc):
    _expect_only_paiban_errors(_load_text, _dump(doc))


@settings(max_examples=max(1, EXAMPLES * 2 // 3), deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=PHASES)
@given(mutated())
def test_layout_of_mutated_descriptions_raises_only_paiban_errors(doc):
    result = _expect_only_paiban_errors(_load_and_layout, _dump(doc))
    event("laid out" if result is not None else "clear error")


def _place(draw, cols: int = 8, lines: int = 100, photo: bool = False) -> dict:
    col = draw(st.integers(1, cols))
    place = {"col": col, "span": draw(st.integers(1, cols - col + 1)),
             "top": draw(st.one_of(st.integers(0, lines), st.sampled_from(["10mm", "2行", "0"])
                                   | (st.just("bottom") if photo else st.just(0))))}
    place["height"] = draw(st.one_of(st.just("auto"), st.integers(1, lines), st.sampled_from(["40mm", "6行", "3字"])))
    return place


@st.composite
def plausible(draw):
    """A description that is valid as far as types go, with random sizes and placements."""
    doc = copy.deepcopy(BASE)
    fmt = doc["format"]
    fmt["preset"] = draw(st.sampled_from(["broadsheet", "tabloid"]))
    for key, strat in [("columns", st.integers(1, 10)), ("column_chars", st.integers(4, 20)),
                       ("gutter_chars", st.floats(0, 3)), ("body_size", st.sampled_from(["小五", "五号", 8, 10.5])),
                       ("line_gap", st.floats(0, 1)), ("marks", st.booleans()), ("slug", st.booleans())]:
        if draw(st.integers(0, 3)) == 0:
            fmt[key] = draw(strat)
    n = draw(st.integers(1, 3))
    arts = []
    for i in range(n):
        a = {"id": f"a{i}", "headline": draw(st.text(alphabet=HANZI + LATIN + "\n", min_size=1, max_size=30)),
             "body": draw(bodies()), "place": _place(draw, 6)}
        if draw(st.booleans()):
            a["head"] = {"size": draw(st.sampled_from(["初号", "小初", "一号", "五号", "七号", 12, 60])),
                         "vertical": draw(st.booleans()), "flex": draw(st.integers(0, 5)),
                         "align": draw(st.sampled_from(["center", "start", "end"]))}
        if draw(st.booleans()):
            a["columns"] = draw(st.integers(1, 6))
        for key in ("kicker", "subtitle", "dateline"):
            if draw(st.booleans()):
                a[key] = draw(st.text(alphabet=HANZI + PUNCT, min_size=1, max_size=20))
        if draw(st.booleans()):
            a["photos"] = [{"file": "p.jpg", "caption": draw(st.text(alphabet=HANZI, max_size=30)),
                            "place": _place(draw, 3, 30, photo=True), "flex": draw(st.integers(0, 5))}]
        if draw(st.booleans()):
            a["sidebar"] = {"title": "手记", "body": draw(bodies()), "place": _place(draw, 3, 30)}
        if draw(st.booleans()):
            a["byline"] = [draw(st.text(alphabet=HANZI + "/", min_size=1, max_size=12))]
        arts.append(a)
    doc["articles"] = arts
    if draw(st.booleans()):
        doc["masthead"] = {"title": "政法周刊", "sponsors": ["株洲日报社"], "place": _place(draw)}
    return doc


@settings(max_examples=max(1, EXAMPLES * 2 // 3), deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=PHASES)
@given(plausible())
def test_layout_of_plausible_descriptions_raises_only_paiban_errors(doc):
    result = _expect_only_paiban_errors(_load_and_layout, _dump(doc))
    event("laid out" if result is not None else "clear error")


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_loader_raises_only_paiban_errors_on_random_unicode_values(value):
    doc = copy.deepcopy(BASE)
    doc["paper"] = value
    doc["articles"][0]["headline"] = value
    doc["articles"][0]["id"] = value
    _expect_only_paiban_errors(_load_text, _dump(doc))


# ---------------------------------------------------------------- (b) the composer

HANZI = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你"
         "对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天"
         "株洲日报政法周刊司法行政工作会议召开全市总结部署重点任务坚持党绝对领导")
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
PUNCT = "，。、；：？！“”‘’（）《》—…·%-.,;:!?()/@"

words = st.one_of(
    st.text(alphabet=HANZI, min_size=1, max_size=30),
    st.text(alphabet=LATIN, min_size=1, max_size=14),
    st.text(alphabet=DIGITS, min_size=1, max_size=8),
    st.text(alphabet=PUNCT, min_size=1, max_size=3),
    st.text(alphabet=HANZI + LATIN + DIGITS + PUNCT, min_size=1, max_size=40),
)
separators = st.sampled_from(["", "", "", " ", " ", "\n", "\n\n", "\u3000"])


@st.composite
def bodies(draw):
    n = draw(st.sampled_from([1, 5, 20, 60]))
    parts = draw(st.lists(st.tuples(words, separators), min_size=n, max_size=2 * n))
    return "".join(w + s for w, s in parts)


def _nonws(text: str) -> str:
    return re.sub(r"\s", "", text)


def _body_text(result, article_id: str) -> str:
    from layout.frames import Group

    for item in result.page.root.placed():
        if isinstance(item, Group) and item.kind == "article" and item.id == article_id:
            return "".join(line.text for line in item.lines() if line.kind == "body")
    raise AssertionError(f"no article group {article_id!r}")


def _layout_body(body: str):
    doc = copy.deepcopy(BASE)
    doc["articles"][0]["body"] = body
    doc["articles"][0]["place"] = {"col": 1, "span": 2, "top": 0, "height": 16}  # ~250 characters
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.yaml"
        path.write_text(_dump(doc), encoding="utf-8")
        loaded = load_issue(path)
        return loaded, api.layout(loaded)


def _placed(body: str):
    """Lay out ``body``; return (input, placed text, fit entry) without whitespace, or None."""
    try:
        loaded, result = _layout_body(body)
    except PaibanError:
        return None  # e.g. an empty body: a clear error is the right answer
    fit = next(f for f in result.fit if f.id == "lead")
    return _nonws(loaded.bodies["lead"]), _nonws(_body_text(result, "lead")), fit


@SETTINGS
@given(bodies())
def test_no_body_character_is_lost(body):
    out = _placed(body)
    assume(out is not None)
    want, got, fit = out
    overset = bool(fit.overset_chars or fit.overset_lines)
    event("overset" if overset else "fits")
    if overset:
        assert want.startswith(got), (want[:80], got[:80])
        assert len(got) < len(want), "overset reported, yet every character was placed"
        assert fit.overset_chars == len(want) - len(got) > 0, (fit, len(want), len(got))
    else:
        assert got == want


@pytest.mark.parametrize("size", [0, 1, 2, 3, 5, 50])
def test_tiny_modules_never_crash(size):
    """Module heights at and below what a headline needs: overset or a clear error, not a crash."""
    doc = copy.deepcopy(BASE)
    doc["articles"][0]["place"]["height"] = max(size, 1)
    doc["articles"][0]["place"]["span"] = 1 if size < 5 else 3
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.yaml"
        path.write_text(_dump(doc), encoding="utf-8")
        result = _expect_only_paiban_errors(lambda: api.layout(load_issue(path)))
    if result is not None:
        fit = next(f for f in result.fit if f.id == "lead")
        placed = _nonws(_body_text(result, "lead"))
        missing = len(_nonws(C.BODY)) - len(placed)
        assert fit.overset_chars == missing
        assert not math.isnan(fit.capacity_lines)
