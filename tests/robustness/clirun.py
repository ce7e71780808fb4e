"""Running the real command line in this process: ``layout.cli.run`` with stdout and stderr
captured, in a given folder, and the one-error contract every failure must keep."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    """What one command line did: exit code and the two streams."""

    returncode: int
    stdout: str
    stderr: str


def invoke(cwd: Path, *args: str) -> Run:
    """Run ``paiban ARGS`` in-process (the same ``run()`` the console script calls) in ``cwd``."""
    from layout import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.run([str(a) for a in args])
    return Run(code, out.getvalue(), err.getvalue())


LONG_NUMBER = re.compile(r"\d{25,}")
"""A run of digits no message should echo (a 309-digit number written back at the user)."""


def assert_clean_error(
    proc: Run,
    *,
    code: int = 2,
    names: str | None = "page.yaml",
    words: tuple[str, ...] = (),
    line: int | None = None,
    field: str | None = None,
    hint: bool = True,
) -> str:
    """Check the one-error contract and return the first line of stderr: the exit code, one
    ``error:`` line (naming the file, line and field when given), a ``hint:``, the expected
    words, no traceback, no internal error, no number echoed at length."""
    err = proc.stderr
    assert "Traceback" not in err, err
    assert proc.returncode == code, (proc.returncode, err, proc.stdout)
    lines = err.splitlines()
    assert lines, "nothing on stderr"
    errors = [ln for ln in lines if ln.startswith("error: ")]
    assert len(errors) == 1, err
    first = errors[0]
    assert "internal error" not in first, err
    assert len(first) < 400 and not LONG_NUMBER.search(first), first
    if names:
        assert names in first, (names, err)
    if line is not None:
        assert f"{names}:{line}:" in first, (line, err)
    if field is not None:
        assert f": {field}:" in first, (field, err)
    if hint:
        assert any(ln.strip().startswith("hint: ") for ln in lines), err
    low = err.lower()
    for w in words:
        assert w.lower() in low, (w, err)
    return first


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name → bytes): inputs, sentinel, and no temp files."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(folder))] = p.read_bytes()
    return out
