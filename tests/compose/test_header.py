"""The page header (版眉): the paper's name, the date and credits and the page number never run
into each other; what cannot be made to fit is said."""

from __future__ import annotations

from pathlib import Path

from layout import api
from layout.frames import Group, TextLine


def _page(tmp_path: Path, credits: int, page: int = 10) -> Path:
    names = ["蒋若溪", "唐雪", "邹一帆", "何静", "唐雪梅", "邹帆", "李一鸣", "王小丫", "赵大川"]
    roles = ["责任编辑", "美术编辑", "校对", "版式设计", "图片编辑", "值班编辑", "通讯员", "实习生", "审读"]
    creds = "\n".join(f"    - {{role: {r}, name: {n}}}" for r, n in list(zip(roles, names))[:credits])
    (tmp_path / "p.yaml").write_text(
        f"paper: 澜江日报\ndate: 2025-10-09\npage: {page}\nsection: 教育\nformat: {{preset: tabloid}}\n"
        f"header:\n  credits:\n{creds}\narticles:\n  - id: a\n    headline: 标题\n    body: 正文。\n"
        f"    place: {{col: 1, span: 6, top: 0, height: 80}}\n", encoding="utf-8")
    return tmp_path / "p.yaml"


def _lines(result, kind: str) -> list[TextLine]:
    out = []

    def walk(group: Group) -> None:
        for item in group.items:
            if isinstance(item, Group):
                walk(item)
            elif isinstance(item, TextLine) and item.kind == kind:
                out.append(item)

    walk(result.page.root)
    return out


def test_three_credits_on_a_tabloid_leave_the_name_clear(tmp_path):
    # A held-out tabloid page with three credits printed the centred 澜江日报 over its date.
    result = api.layout(api.load_issue(_page(tmp_path, 3)))
    name = _lines(result, "header-paper")[0]
    info = _lines(result, "header-info")
    assert len(info) == 5  # date, weekday, three credits
    left, right = min(i.x for i in info), max(i.x + i.ink for i in info)
    assert name.x + name.ink < left or right < name.x  # beside, not over
    assert not [w for w in result.warnings if w.startswith("page header")]


def test_credits_that_cannot_fit_are_said(tmp_path):
    result = api.layout(api.load_issue(_page(tmp_path, 9)))
    said = [w for w in result.warnings if w.startswith("page header")]
    assert said and "shorten the credits" in said[0]
