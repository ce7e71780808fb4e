"""The headline corpus (issue 13 acceptance): exact rows, no word broken where a break between
words fits, no character dropped, no clause space removed — and every character in the PDF text
layer, checked on one render of the whole corpus with the bundled faces."""

from __future__ import annotations

import re
import unicodedata

import pypdfium2 as pdfium
import pytest
from text.fontkit import FACE

from layout.compose import headline as H
from layout.compose.spans import SpanKit
from layout.frames import GlyphRun, Group, Page
from layout.text import display as D
from layout.text.classes import VERTICAL_FORMS

from .head_corpus import CORPUS, Case, column_width

KIT = SpanKit(lambda role: FACE)


@pytest.fixture(autouse=True)
def _keep_reportlab_config():
    """The PDF writer sets ReportLab's process-wide ``rl_config`` (useA85, invariant); put it back
    so later tests that draw with ReportLab directly see its defaults."""
    from reportlab import rl_config

    saved = (rl_config.useA85, rl_config.invariant)
    yield
    rl_config.useA85, rl_config.invariant = saved


GRID = H.BodyGrid(9.0, 12.0)


def spec(case: Case, **kw) -> H.HeadSpec:
    extra = dict(case.extra)
    protect = extra.pop("protect", ())
    return H.HeadSpec(
        main=case.main,
        main_size=case.size,
        kicker=case.kicker,
        subtitle=case.subtitle,
        display=D.DisplayStyle(protect=protect),
        name=case.id,
        **extra,
        **kw,
    )


def build(case: Case, kit: SpanKit = KIT) -> H.HeadBlock:
    return H.build_head(spec(case), column_width(case.span), kit, GRID)


def test_the_corpus_has_the_promised_breadth():
    assert len(CORPUS) >= 60
    groups = {c.id[0] for c in CORPUS}
    assert groups == set("ksnqlvg")
    assert {c.span for c in CORPUS} == {1, 2, 3, 4, 5, 6}
    vertical = [c for c in CORPUS if c.extra.get("style") == "vertical"]
    assert {len(c.rows["main"]) for c in vertical} == {1, 2, 3}
    assert any(c.kicker and c.subtitle for c in vertical)


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_rows(case: Case):
    block = build(case)
    assert {p.kind: p.rows for p in block.parts} == case.rows
    forced = [w for w in block.warnings if "no break between words fits" in w]
    short = [w for w in block.warnings if "shorter than 3 字" in w]
    assert bool(forced) == case.forced, block.warnings
    assert bool(short) == case.short, block.warnings
    for kind, rows in case.rows.items():
        text = {"kicker": case.kicker, "main": case.main, "subtitle": case.subtitle}[kind]
        _check_kept(text, rows)


G, NB = "\u3000", "\u00a0"


def _check_kept(text: str, rows: tuple[str, ...]) -> None:
    """No character dropped or added, and every clause space kept: inside a row as the gap,
    or as the row break itself — never silently closed up."""
    # An ASCII space beside Latin text is no clause gap: it stays as the Han–Latin gap.
    clauses = [c.text.replace(" ", "") for row in D.parse(text) for c in row]
    flat = "".join(clauses)
    pieces = [re.split(f"[{G}{NB}]", row.replace(" ", "")) for row in rows]
    assert "".join(p for row in pieces for p in row) == flat == re.sub(r"\s", "", text)
    clause_ends, pos = set(), 0
    for c in clauses[:-1]:
        pos += len(c)
        clause_ends.add(pos)
    gaps, breaks, pos = set(), set(), 0
    for r, row in enumerate(pieces):
        for i, piece in enumerate(row):
            pos += len(piece)
            if i < len(row) - 1:
                gaps.add(pos)
        if r < len(pieces) - 1:
            breaks.add(pos)
    assert gaps <= clause_ends, (rows, text)  # a gap only where the editor put a space
    assert clause_ends <= gaps | breaks, (rows, text)  # every space kept or taken by a break


def test_forced_breaks_only_where_a_word_is_wider_than_the_row():
    """0 breaks inside a word wherever the width allows one between words."""
    for case in CORPUS:
        block = build(case)
        width = column_width(case.span)
        for kind in ("kicker", "main", "subtitle"):
            text = {"kicker": case.kicker, "main": case.main, "subtitle": case.subtitle}[kind]
            if not text or case.extra.get("style") == "vertical":
                continue
            size = spec(case).size_of(kind)
            measure = D.horizontal_measure(
                lambda t, size=size: KIT(t, "标宋", size), D.DisplayStyle(), size
            )
            broken = D.break_display(
                text,
                width,
                measure,
                size,
                D.DisplayStyle(
                    **({"protect": case.extra["protect"]} if "protect" in case.extra else {})
                ),
            )
            for brk in broken.breaks:
                if brk.forced:
                    # The unit it broke (a name, title or word) is wider than the row.
                    unit = re.search(r"[《“][^》”]*[》”]", brk.before + brk.after).group(0)
                    assert measure((unit,)) > width, (case.id, unit)
        assert block.width <= width + 1e-6


def test_one_render_of_the_corpus_keeps_every_character_in_the_text_layer(tmp_path):
    """All heads set with the bundled faces on one page, written to PDF, read back."""
    from layout.fonts import FontSet
    from layout.pdf.writer import write_pdf

    fontset = FontSet()
    faces: dict[str, object] = {}

    def face(role: str):
        f = fontset.face(role)
        faces[f.key] = f
        return f

    kit = SpanKit(face)
    items, y, widest = [], 20.0, 0.0
    order: list[tuple[Case, H.HeadBlock]] = []
    for case in CORPUS:
        block = build(case, kit)
        items.append(block.placed(20.0, y, case.id))
        order.append((case, block))
        y += block.height + 24.0
        widest = max(widest, block.width)
    page = Page(widest + 40.0, y, Group("page", "corpus", 0, 0, widest + 40.0, y, tuple(items)))
    pdf = write_pdf(page, faces, marks=False)
    (tmp_path / "corpus.pdf").write_bytes(pdf)
    doc = pdfium.PdfDocument(pdf)
    textpage = doc[0].get_textpage()
    text = textpage.get_text_range()
    gap_total = 0
    for (case, block), group in zip(order, items):
        # Read back the text inside the head's own rectangle (PDF y up).
        got = textpage.get_text_bounded(
            group.x - 1,
            page.height - group.y - group.h - 1,
            group.x + group.w + 1,
            page.height - group.y + 1,
        )
        want = "".join(re.sub(r"\s", "", row) for part in block.parts for row in part.rows)
        # A clause gap inside a row is drawn as a blank U+3000 and read back as a space.
        gaps = sum(row.count(G) + row.count(NB) for part in block.parts for row in part.rows)
        assert sum(1 for ch in got if ch in (G, " ")) >= gaps, case.id
        gap_total += gaps
        got = re.sub(r"\s", "", got)
        if block.style == "vertical":
            # Marks are drawn as their vertical presentation forms (﹃﹄︱…), which the text
            # layer carries and NFKC maps back ([UCD] <vertical>); pdfium reads the rotated
            # glyphs (Latin, long numbers) after the upright ones.
            want = unicodedata.normalize("NFKC", "".join(VERTICAL_FORMS.get(c, c) for c in want))
            assert sorted(unicodedata.normalize("NFKC", got)) == sorted(want), case.id
        else:
            assert got == want, case.id
    drawn = sum(
        run.text.count(G)
        for item in items
        for line in item.lines()
        for run in line.runs
        if isinstance(run, GlyphRun)
    )
    assert gap_total >= 8 and drawn == gap_total
    assert len(re.sub(r"\s", "", text)) == sum(
        len(re.sub(r"\s", "", row)) for _c, b in order for p in b.parts for row in p.rows
    )
