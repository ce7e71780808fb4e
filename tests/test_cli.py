"""The command line: schema, fit, fonts, and several pages rendered in parallel (editions)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_DIR = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06"


def paiban(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout.cli", *args], capture_output=True, text=True,
                          cwd=cwd, check=False)


def test_schema_is_json_schema_of_the_model(tmp_path):
    run = paiban("schema", cwd=tmp_path)
    assert run.returncode == 0
    schema = json.loads(run.stdout)
    assert schema["title"] == "Paiban issue description"
    assert {"paper", "date", "page", "articles"} <= set(schema["required"])
    assert "Article" in schema["$defs"] and "continue_in" in schema["$defs"]["Article"]["properties"]


def test_fit_exit_codes(tmp_path):
    ok = paiban("fit", str(PAGE_DIR / "page05.yaml"), cwd=tmp_path)
    assert ok.returncode == 0 and "lead" in ok.stdout and "overset" in ok.stdout
    shutil.copytree(PAGE_DIR, tmp_path / "p")
    body = tmp_path / "p" / "rescue.md"
    body.write_text(body.read_text(encoding="utf-8") * 3, encoding="utf-8")
    over = paiban("fit", str(tmp_path / "p" / "page05.yaml"), cwd=tmp_path)
    assert over.returncode == 1
    assert "overset" in over.stderr


def test_fonts_lists_roles_and_use(tmp_path):
    run = paiban("fonts", str(PAGE_DIR / "page05.yaml"), cwd=tmp_path)
    assert run.returncode == 0
    for label in ("宋", "标宋", "大标宋", "黑", "粗黑", "楷"):
        assert label in run.stdout
    assert "PaibanSerifSC" in run.stdout


def test_edition_renders_a_folder_in_parallel(tmp_path):
    for n in (1, 2):
        folder = tmp_path / "edition" / f"p{n}"
        shutil.copytree(PAGE_DIR, folder)
    out = tmp_path / "out"
    run = paiban("render", str(tmp_path / "edition"), "-o", str(out), "--jobs", "2", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert pdfs == ["edition-p1-page05.pdf", "edition-p2-page05.pdf"]
    assert "2 pages" in run.stdout and "preflight" in run.stdout
    # The same description gives the same bytes, in whichever worker it was rendered.
    assert (out / pdfs[0]).read_bytes() == (out / pdfs[1]).read_bytes()


def test_render_default_output_folder(tmp_path):
    run = paiban("render", str(PAGE_DIR / "page05.yaml"), "--no-preflight", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "output" / "zhuzhou-daily-2024-03-06-page05.pdf").stat().st_size > 100_000
