"""Plan-stage test kit: issues and page plans from Python values, composed with the synthetic
font (tests/text/fontkit.py) — no YAML on disk and no real fonts."""

from __future__ import annotations

from pathlib import Path

from layout.compose.env import Env
from layout.model import Issue, LoadedIssue
from layout.plan import plan_page
from tests.text.fontkit import FACE, StubFace

HAN = "政法工作现代化护航高质量发展大局平安株洲法治建设社会治理"


class TestFace(StubFace):
    """The synthetic face with what composition asks of a face besides widths."""

    ascent = 0.88

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.widths


FONT = TestFace(FACE.key, FACE.widths)


class OneFace:
    """A font set that draws every role with the synthetic face."""

    def face(self, role: str):
        return FONT


def copy(chars: int, para: int = 200) -> str:
    """``chars`` hanzi in paragraphs of at most ``para`` characters, each ending in 。."""
    body = (HAN * (chars // len(HAN) + 1))[:chars]
    return "\n\n".join(body[i:i + para - 1] + "。" for i in range(0, chars, para - 1))


def issue(articles: list[dict], **fmt) -> LoadedIssue:
    """A loaded issue on a small grid: 4 columns of 10 字 at 10 pt, 1-字 gutters, 12 pt line
    pitch, 40 lines (a type area 478 pt deep); ``fmt`` overrides the format."""
    doc = {"paper": "测试报", "date": "2024-03-06", "page": 2,
           "format": {"trim": ["220mm", "200mm"], "type_area": ["160mm", "478pt"], "columns": 4, "column_chars": 10, "body_size": 10,
                      "line_gap": 0.2, "marks": False, "slug": False, **fmt},
           "articles": articles}
    model = Issue.model_validate(doc)
    bodies = {a["id"]: a.get("body", "") for a in articles}
    return LoadedIssue(issue=model, path=Path("page.yaml"), root=Path("."), bodies=bodies, sidebars={})


def plan(loaded: LoadedIssue):
    """Plan a loaded issue without fonts or files."""
    return plan_page(loaded)


def blank_photo(photo):
    """A stand-in for what the API reads of a photo file: a 6000 × 6000 px source (no file is
    read), over 300 ppi in any box on a broadsheet page."""
    from layout.compose.photos import PhotoSource

    return PhotoSource(str(photo.path), "0" * 64, (6000, 6000))


def env(loaded: LoadedIssue, page_plan) -> Env:
    """The composition environment of a plan, drawing with the synthetic face."""
    return Env(issue=loaded.issue, grid=page_plan.grid, fontset=OneFace(), fallback={}, prepare=None)
