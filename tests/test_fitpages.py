"""The three copy-fit test pages of issue 14 (issues/paiban-test/): after page-level fit each has
nothing overset, at most one empty line at any module's column foot, no empty area of the type
area, and reports the edge moves it made (a 5-column lead with photo and box, a 竖题 story, a
bottom band of four modules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout import api
from layout.report import fit_rows, page_summary

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "issues" / "paiban-test" / "2025-09-18"


@pytest.mark.parametrize("name", ["page02", "page06", "page08"])
def test_test_page_is_clean_after_page_level_fit(name):
    loaded = api.load_issue(PAGES / f"{name}.yaml")
    result = api.layout(loaded)
    summary = page_summary(result)
    assert summary["overset_flows"] == 0
    assert [(f.id, f.empty_tail) for f in result.fit if f.empty_tail > 1] == []
    assert summary["empty_areas"] == 0
    assert summary["clean"]
    assert summary["edge_moves"] and all(m.startswith("edge ") for m in summary["edge_moves"])
    # The fit table shows each move in the rows of the modules it changed.
    changes = {c for row in fit_rows(result) for c in row["changes"]}
    assert set(summary["edge_moves"]) <= changes
    # Without page-level fit the same description is not clean: the moves are what fills it.
    unfitted = page_summary(api.layout(loaded, api.RenderOptions(page_fit=False)))
    assert not unfitted["clean"]


@pytest.mark.parametrize("name", ["page02", "page06", "page08"])
def test_an_editor_following_the_suggestions_needs_at_most_three_fit_runs(name):
    # bench_fitruns' rough draft (edges moved 6 lines, photos ±4 lines, flex halved) and its
    # editor, who makes every not-fitting module's first suggestion after each run.
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import bench_fitruns

    runs, applied = bench_fitruns.run(PAGES / f"{name}.yaml", 6)
    assert runs <= 3, applied


def _cells(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("columns", [80, 160])
def test_fit_table_on_a_narrow_and_a_wide_terminal(monkeypatch, tmp_path, columns):
    import shutil

    from tests.robustness.clirun import invoke

    folder = tmp_path / "p"
    shutil.copytree(PAGES, folder)
    run_md = folder / "p06-run.md"  # a paragraph too many: run is overset and gets suggestions
    run_md.write_text(run_md.read_text(encoding="utf-8") + "\n" + "赛事期间，沿线道路将分时段实行交通管制。" * 20 + "\n",
                      encoding="utf-8")
    monkeypatch.setenv("COLUMNS", str(columns))
    out = invoke(tmp_path, "fit", str(folder / "page06.yaml"))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert max(_cells(line.rstrip()) for line in lines) <= columns
    cut = [line for line in lines if "try: cut" in line]
    assert len(cut) == 1 and "字 of copy" in cut[0]
    if columns == 80:
        # The notes under the table, under each module's name; table rows are one line each.
        start = lines.index("changes, reasons, suggestions:")
        assert lines.index(cut[0]) > start and "run" in [line.strip() for line in lines[start:]]
        rows = [line for line in lines[:start] if line.startswith(("oldtown", "games", "museum", "football",
                                                                    "opera", "review", "run "))]
        assert len(rows) == 7
    else:
        assert "changes, reasons, suggestions:" not in lines
        assert any("changes, reasons," in line and "module" in line for line in lines)
