"""The command line: schema, fit, fonts, editions, and the real ``paiban`` entry point.

Most tests call the CLI in-process (``layout.cli.run``, what the console script calls); a few
smoke tests run the installed ``paiban`` script as a subprocess: usage errors without a
traceback, the render fast path without typer or rich, ``--debug``, and SIGTERM.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from tests.robustness import corpus as C
from tests.robustness.clirun import invoke

ROOT = Path(__file__).resolve().parent.parent
PAGE_DIR = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06"


def paiban(*args: str, cwd: Path):
    return invoke(cwd, *args)


def test_schema_is_json_schema_of_the_model(tmp_path):
    run = paiban("schema", cwd=tmp_path)
    assert run.returncode == 0
    schema = json.loads(run.stdout)
    assert schema["title"] == "Paiban issue description"
    assert {"paper", "date", "page", "articles"} <= set(schema["required"])
    assert (
        "Article" in schema["$defs"] and "continue_in" in schema["$defs"]["Article"]["properties"]
    )


def test_fit_exit_codes(tmp_path):
    ok = paiban("fit", str(PAGE_DIR / "page05.yaml"), cwd=tmp_path)
    assert ok.returncode == 0 and "lead" in ok.stdout and "overset" in ok.stdout
    # The page's total shortfall, the sum of the short column (col-lines and 字).
    import json
    import re

    page = json.loads(paiban("fit", str(PAGE_DIR / "page05.yaml"), "--json", "--no-suggest", cwd=tmp_path).stdout)
    total = re.search(r"copy short in all: (\d+) 字 \((\d+) col-lines\)", " ".join(ok.stdout.split()))
    assert total and [int(x) for x in total.groups()] == [sum(f["short_chars"] for f in page["flows"]),
                                                         sum(f["short_lines"] for f in page["flows"])]
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
        shutil.copytree(PAGE_DIR, folder, ignore=shutil.ignore_patterns("page05-auto.yaml"))
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


def test_default_output_of_a_description_above_the_folder_is_not_hidden(tmp_path):
    """``paiban render ../mypage/p1.yaml`` names its output after the folders on disk, never a
    hidden ``..-mypage-p1.pdf`` (a new user's render looked lost)."""
    from layout.api import default_output

    work = tmp_path / "desk" / "work"
    work.mkdir(parents=True)
    (tmp_path / "desk" / "mypage").mkdir()
    here = Path.cwd()
    try:
        os.chdir(work)
        assert default_output(Path("../mypage/p1.yaml")) == Path("output/desk-mypage-p1.pdf")
        assert default_output(Path("p1.yaml"), ".png") == Path("output/desk-work-p1.png")
    finally:
        os.chdir(here)
    assert default_output(PAGE_DIR / "page05.yaml").name == "zhuzhou-daily-2024-03-06-page05.pdf"


def test_no_page_fit_keeps_every_place_as_written(tmp_path):
    """``--no-page-fit`` (render, fit, validate, grid, preview): page 05's lead stays the 86 lines
    its description gives it; with page-level fit it becomes an L (5 lines deeper, 8 over the
    judicial-meeting module)."""
    page = str(PAGE_DIR / "page05.yaml")
    fitted = json.loads(paiban("fit", page, "--json", "--no-suggest", cwd=tmp_path).stdout)
    kept = json.loads(
        paiban("fit", page, "--json", "--no-suggest", "--no-page-fit", cwd=tmp_path).stdout
    )
    lead = {m["id"]: m for m in kept["flows"]}["lead"]
    assert lead["place"] == "col 1+6, lines 0–86"
    fitted_lead = {m["id"]: m for m in fitted["flows"]}["lead"]
    assert fitted_lead["place"] == "col 1+6, lines 0–91; col 1+3, lines 91–94"
    assert kept["page"]["edge_moves"] == [] and len(fitted["page"]["edge_moves"]) == 2
    grid = paiban("grid", page, "--no-page-fit", cwd=tmp_path)
    assert grid.returncode == 0 and "lines 0–86" in grid.stdout and "page-level fit" not in grid.stdout
    fitted_grid = paiban("grid", page, cwd=tmp_path).stdout  # says the places are after page fit
    assert "after page-level fit, which moved 2 edge(s)" in fitted_grid
    assert "  edge at line 86 → 94 over judicial-meeting: lead +8 lines, judicial-meeting −8 lines" in fitted_grid
    run = paiban("render", page, "-o", "a.pdf", "--no-page-fit", "--no-preflight", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "a.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    "args",
    [
        ["render", "{page}", "-o", "a.pdf"],
        [
            "render",
            "{page}",
            "--output=a.pdf",
            "--no-marks",
            "--pdfx",
            "x4",
            "--ink-limit",
            "260",
            "-j",
            "1",
        ],
        ["--debug", "render", "{page}", "-o", "a.pdf", "--no-preflight", "--strict", "--grayscale"],
        [
            "render",
            "{page}",
            "-o",
            "a.pdf",
            "--allow-path",
            ".",
            "--allow-path",
            "..",
            "--preflight",
        ],
    ],
)
def test_the_fast_path_and_the_typer_app_agree(tmp_path, monkeypatch, args):
    """The same command line through the fast path and through typer: same code, output, bytes."""
    from layout import cli

    (tmp_path / "page.yaml").write_text(C.BASE, encoding="utf-8")
    args = [a.replace("{page}", "page.yaml") for a in args]
    fast = invoke(tmp_path, *args)
    first = (tmp_path / "a.pdf").read_bytes()
    (tmp_path / "a.pdf").unlink()
    monkeypatch.setattr(cli, "_fast_render", lambda argv: None)
    slow = invoke(tmp_path, *args)
    assert (fast.returncode, fast.stderr) == (slow.returncode, slow.stderr)
    assert [ln.split(" (")[0] for ln in fast.stdout.splitlines()] == [
        ln.split(" (")[0] for ln in slow.stdout.splitlines()
    ]
    assert first == (tmp_path / "a.pdf").read_bytes()


def test_the_fast_path_leaves_anything_unusual_to_typer():
    from layout.cli import _fast_render

    for argv in (
        ["render", "--help"],
        ["render", "a.yaml", "b.yaml"],
        ["render", "a.yaml", "--bogus"],
        ["render", "a.yaml", "-o"],
        ["render", "a.yaml", "--jobs", "two"],
        ["render", "a.yaml", "--"],
        ["render", "a.yaml", "-j2"],
        ["render", ""],
        ["fit", "a.yaml"],
        ["render", "a.yaml", "--ink-limit="],
    ):
        assert _fast_render(argv) is None, argv


# ---------------------------------------------------------------- dependencies match the imports


DISTRIBUTIONS = {"PIL": "pillow", "yaml": "pyyaml", "fontTools": "fonttools", "ruamel": "ruamel.yaml"}
"""Import names whose distribution is named otherwise."""


def test_every_third_party_import_is_a_declared_dependency():
    """``import click`` in the safety net, with typer 0.2x no longer installing click, turned
    every usage error into a traceback: every module the package imports must be declared."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower().replace("_", "-")
        for d in project["dependencies"]
    }
    stdlib = set(sys.stdlib_module_names)
    missing = set()
    for path in (ROOT / "layout").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                else []
            )
            for name in names:
                top = name.split(".")[0]
                if top in stdlib or top == "layout":
                    continue
                if DISTRIBUTIONS.get(top, top).lower().replace("_", "-") not in declared:
                    missing.add(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, sorted(missing)


# ---------------------------------------------------------------- the real entry point (subprocess)


def _script() -> list[str]:
    exe = Path(sys.executable).parent / "paiban"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "layout.cli"]


def _run(cwd: Path, *args: str, python_flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="120")
    cmd = _script()
    if python_flags:
        cmd = (
            [sys.executable, *python_flags, *cmd[-1:]]
            if len(cmd) == 1
            else [sys.executable, *python_flags, "-m", "layout.cli"]
        )
    return subprocess.run(
        [*cmd, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    "args, words",
    [
        (("render", "--bogus", "page.yaml"), "No such option: --bogus"),
        (("rendr", "page.yaml"), "No such command 'rendr'"),
    ],
)
def test_the_paiban_script_reports_usage_errors_without_a_traceback(tmp_path, args, words):
    (tmp_path / "page.yaml").write_text(C.BASE, encoding="utf-8")
    (tmp_path / "out.pdf").write_bytes(C.SENTINEL)
    proc = _run(tmp_path, *args)
    assert proc.returncode == 2, proc
    assert words in proc.stderr and "Usage: paiban" in proc.stderr
    assert "Traceback" not in proc.stderr and "ModuleNotFoundError" not in proc.stderr
    assert (tmp_path / "out.pdf").read_bytes() == C.SENTINEL


def test_the_paiban_script_renders_without_typer_or_rich(tmp_path):
    """The render fast path imports neither typer nor rich, and ends without teardown (os._exit)
    only after the PDF is complete."""
    (tmp_path / "page.yaml").write_text(C.BASE, encoding="utf-8")
    proc = _run(tmp_path, "render", "page.yaml", "-o", "out.pdf", python_flags=("-X", "importtime"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("wrote out.pdf (") and proc.stdout.rstrip().endswith(
        "preflight: ok"
    )
    imported = {
        ln.rsplit("|", 1)[-1].strip().split(".")[0] for ln in proc.stderr.splitlines() if "|" in ln
    }
    assert "layout" in imported and "pikepdf" in imported
    assert not imported & {"typer", "rich", "click"}, imported & {"typer", "rich", "click"}
    data = (tmp_path / "out.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def test_the_paiban_script_shows_the_traceback_with_debug(tmp_path):
    (tmp_path / "page.yaml").write_text("- not a mapping\n", encoding="utf-8")
    proc = _run(tmp_path, "--debug", "render", "page.yaml", "-o", "out.pdf")
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr and "InputError" in proc.stderr


def test_sigterm_stops_a_render_with_exit_143_and_no_temporary_file(tmp_path):
    (tmp_path / "page.yaml").write_text(
        C.BASE.replace("推进法治株洲建设。", "推进法治株洲建设。" * 60_000), encoding="utf-8"
    )
    (tmp_path / "out.pdf").write_bytes(C.SENTINEL)
    proc = subprocess.Popen(
        [*_script(), "render", "page.yaml", "-o", "out.pdf"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "error: interrupted (SIGTERM)" in err and "Traceback" not in err
    assert (tmp_path / "out.pdf").read_bytes() == C.SENTINEL
    assert not list(tmp_path.glob(".*.tmp"))
