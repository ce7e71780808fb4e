"""Hostile files and operator slips through the real CLI (in-process): FIFOs and device nodes,
hard links, unreadable and over-long inputs, outputs that would replace an input or another kind
of file, interrupted writes and stale temporary files, folder renders, limits per page, internal
errors and usage errors. Every case checks the exit code, the one ``error:`` line, and that the
sentinel output and every input file are untouched.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from . import corpus as C
from .clirun import assert_clean_error, invoke, snapshot

OUT = "out.pdf"
DESC = "page.yaml"
PAGE05 = (
    Path(__file__).resolve().parents[2] / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"
)

needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="creating a device node needs root (CAP_MKNOD)"
)


def _page(tmp: Path, text: str = C.BASE) -> Path:
    (tmp / DESC).write_text(text, encoding="utf-8")
    (tmp / OUT).write_bytes(C.SENTINEL)
    return tmp / DESC


def _untouched(tmp: Path, before: dict) -> None:
    assert snapshot(tmp) == before, (
        "an input or the earlier output changed, or a temporary file was left"
    )
    assert not [p.name for p in tmp.rglob(".*.tmp")], "temporary file left"


# ---------------------------------------------------------------- FIFOs and devices never hang


@pytest.mark.parametrize("which", ["description", "body", "photo", "font", "profile"])
def test_a_fifo_as_input_is_refused_without_waiting(tmp_path, which):
    text = {
        "body": C.with_body_file("story.md"),
        "photo": C.with_photo("p.jpg"),
        "font": C.BASE + "type:\n  fonts:\n    宋: {file: f.ttf}\n",
    }.get(which, C.BASE)
    _page(tmp_path, text)
    name = {
        "description": "pipe.yaml",
        "body": "story.md",
        "photo": "p.jpg",
        "font": "f.ttf",
        "profile": "cmyk.icc",
    }[which]
    os.mkfifo(tmp_path / name)
    before = snapshot(tmp_path)
    args = ["render", "pipe.yaml" if which == "description" else DESC, "-o", OUT]
    if which == "profile":
        args += ["--profile", name]
    start = time.perf_counter()
    proc = invoke(tmp_path, *args)
    assert time.perf_counter() - start < 10  # opening a FIFO for reading would block for ever
    names = {"description": "pipe.yaml", "profile": "--profile"}.get(which, DESC)
    assert_clean_error(proc, names=names, words=("FIFO (named pipe)",))
    _untouched(tmp_path, before)
    assert stat.S_ISFIFO(os.lstat(tmp_path / name).st_mode)


def test_dev_zero_as_description_is_refused(tmp_path):
    (tmp_path / OUT).write_bytes(C.SENTINEL)
    proc = invoke(tmp_path, "render", "/dev/zero", "-o", OUT)  # would read for ever
    assert_clean_error(proc, names="/dev/zero", words=("character device", "not a regular file"))
    assert (tmp_path / OUT).read_bytes() == C.SENTINEL


def test_a_fifo_as_output_is_refused_and_stays_a_fifo(tmp_path):
    _page(tmp_path)
    os.mkfifo(tmp_path / "pipe.pdf")
    proc = invoke(tmp_path, "render", DESC, "-o", "pipe.pdf")
    assert_clean_error(proc, names="pipe.pdf", words=("FIFO", "refusing to replace it"))
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe.pdf").st_mode)


@needs_root
def test_a_device_node_as_output_or_body_is_never_replaced(tmp_path):
    _page(tmp_path, C.with_body_file("dev.md"))
    os.mknod(tmp_path / "null.pdf", 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null
    os.mknod(tmp_path / "dev.md", 0o666 | stat.S_IFCHR, os.makedev(1, 5))  # a /dev/zero
    proc = invoke(tmp_path, "render", DESC, "-o", "null.pdf")
    assert_clean_error(proc, names="null.pdf", words=("character device", "refusing to replace it"))
    assert stat.S_ISCHR(os.lstat(tmp_path / "null.pdf").st_mode)
    proc = invoke(tmp_path, "render", DESC, "-o", OUT)
    assert_clean_error(proc, field="articles.0.body_file", words=("character device",))
    assert (tmp_path / OUT).read_bytes() == C.SENTINEL


# ---------------------------------------------------------------- links, permissions, names


def test_a_hard_link_to_a_file_outside_is_refused(tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text(C.BODY, encoding="utf-8")
    work = tmp_path / "issue"
    work.mkdir()
    os.link(outside, work / "story.md")
    _page(work, C.with_body_file("story.md"))
    before = snapshot(work)
    proc = invoke(work, "render", DESC, "-o", OUT)
    assert_clean_error(proc, field="articles.0.body_file", words=("hard link to a file outside",))
    _untouched(work, before)


def test_a_hard_link_inside_the_folder_is_fine(tmp_path):
    _page(tmp_path, C.with_body_file("story.md"))
    (tmp_path / "original.md").write_text(C.BODY, encoding="utf-8")
    os.link(tmp_path / "original.md", tmp_path / "story.md")
    proc = invoke(tmp_path, "render", DESC, "-o", OUT, "--no-preflight")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / OUT).read_bytes()[:5] == b"%PDF-" and (
        tmp_path / OUT
    ).read_bytes() != C.SENTINEL


@pytest.mark.parametrize("which", ["body", "photo"])
def test_an_unreadable_input_is_a_clean_error(tmp_path, monkeypatch, which):
    """EACCES on open (simulated: the tests may run as root, who reads anything)."""
    name = {"body": "story.md", "photo": "p.jpg"}[which]
    _page(tmp_path, C.with_body_file(name) if which == "body" else C.with_photo(name))
    if which == "body":
        (tmp_path / name).write_text(C.BODY, encoding="utf-8")
    else:
        C.photo(tmp_path / name, fmt="JPEG")
    before = snapshot(tmp_path)
    real_open = os.open

    def refuse(path, flags, *args, **kw):
        if Path(path).name == name:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", refuse)
    proc = invoke(tmp_path, "render", DESC, "-o", OUT)
    field = "articles.0.body_file" if which == "body" else "articles.0.photos.0.file"
    assert_clean_error(proc, field=field, words=("cannot be read", "permission denied"))
    monkeypatch.undo()
    _untouched(tmp_path, before)


def test_capped_reads_do_not_trust_st_size(tmp_path):
    """/proc files report st_size 0 and still hold bytes: the cap counts what is read."""
    from layout.safeio import FileProblem, read_capped

    assert os.stat("/proc/self/status").st_size == 0
    assert b"Name:" in read_capped("/proc/self/status", 100_000)
    with pytest.raises(FileProblem, match="over the limit of 100"):
        read_capped("/proc/self/status", 100)


def test_a_description_name_of_5000_characters_is_a_clean_error(tmp_path):
    (tmp_path / OUT).write_bytes(C.SENTINEL)
    proc = invoke(tmp_path, "render", "d" * 5000 + ".yaml", "-o", OUT)
    first = assert_clean_error(proc, names="ddd", words=("5005 bytes", "over the limit"))
    assert len(first) < 300
    assert (tmp_path / OUT).read_bytes() == C.SENTINEL


# ---------------------------------------------------------------- outputs never replace inputs


def test_preview_does_not_overwrite_its_body_file(tmp_path):
    _page(tmp_path, C.with_body_file("lead.md"))
    (tmp_path / "lead.md").write_text(C.BODY, encoding="utf-8")
    (tmp_path / "notes.md").write_text("编辑备忘", encoding="utf-8")
    before = snapshot(tmp_path)
    proc = invoke(tmp_path, "preview", DESC, "-o", "lead.md")
    assert_clean_error(
        proc, names="lead.md", words=("is an input of this command", "refusing to overwrite")
    )
    proc = invoke(tmp_path, "preview", DESC, "-o", "notes.md")
    assert_clean_error(
        proc, names="notes.md", words=("is not a PNG image", "refusing to overwrite")
    )
    _untouched(tmp_path, before)


def test_preview_does_not_overwrite_a_photo_even_a_png(tmp_path):
    _page(tmp_path, C.with_photo("photos/p.png"))
    (tmp_path / "photos").mkdir()
    C.photo(tmp_path / "photos" / "p.png", size=(1000, 700))
    before = snapshot(tmp_path)
    proc = invoke(tmp_path, "preview", DESC, "-o", "photos/p.png", "--dpi", "10")
    assert_clean_error(proc, names="photos/p.png", words=("is an input",))
    (tmp_path / "link.png").symlink_to(tmp_path / "photos" / "p.png")  # another name, the same file
    proc = invoke(tmp_path, "preview", DESC, "-o", "link.png", "--dpi", "10")
    assert_clean_error(proc, names="link.png", words=("is an input",))
    (tmp_path / "link.png").unlink()
    _untouched(tmp_path, before)


def test_render_refuses_a_png_and_its_own_photo(tmp_path):
    _page(tmp_path, C.with_photo("p.jpg"))
    C.photo(tmp_path / "p.jpg", size=(1000, 700), fmt="JPEG")
    C.photo(tmp_path / "shot.png", size=(20, 20))
    before = snapshot(tmp_path)
    assert_clean_error(
        invoke(tmp_path, "render", DESC, "-o", "shot.png"),
        names="shot.png",
        words=("is not a PDF",),
    )
    assert_clean_error(
        invoke(tmp_path, "render", DESC, "-o", "p.jpg"),
        names="p.jpg",
        words=("is an input of this command",),
    )
    _untouched(tmp_path, before)


def test_watch_refuses_outputs_that_are_inputs(tmp_path):
    _page(tmp_path, C.with_body_file("lead.md"))
    (tmp_path / "lead.md").write_text(C.BODY, encoding="utf-8")
    before = snapshot(tmp_path)
    proc = invoke(tmp_path, "watch", DESC, "-o", "lead.md")
    assert_clean_error(proc, names="lead.md", words=("is an input",))
    proc = invoke(tmp_path, "watch", DESC, "-o", OUT, "--png", DESC)
    assert_clean_error(proc, names=DESC, words=("is an input",))
    _untouched(tmp_path, before)


def test_check_does_not_write_its_diff_over_an_input(tmp_path):
    _page(tmp_path, C.with_body_file("lead.md"))
    (tmp_path / "lead.md").write_text(C.BODY, encoding="utf-8")
    assert invoke(tmp_path, "approve", DESC, "--baseline", "base", "--dpi", "10").returncode == 0
    before = snapshot(tmp_path)
    proc = invoke(tmp_path, "check", DESC, "--baseline", "base", "--diff", "lead.md")
    assert_clean_error(proc, names="lead.md", words=("is an input",))
    _untouched(tmp_path, before)


def test_approve_replaces_only_a_baseline(tmp_path):
    _page(tmp_path)
    assert invoke(tmp_path, "approve", DESC, "--baseline", "base", "--dpi", "10").returncode == 0
    again = invoke(tmp_path, "approve", DESC, "--baseline", "base", "--dpi", "10")
    assert again.returncode == 0, again.stderr  # an earlier baseline is replaced
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "snapshot.txt").write_text("版面备忘：第5版改稿记录", encoding="utf-8")
    before = snapshot(tmp_path)
    proc = invoke(tmp_path, "approve", DESC, "--baseline", "notes", "--dpi", "10")
    assert_clean_error(proc, names="snapshot.txt", words=("is not a paiban layout snapshot",))
    _untouched(tmp_path, before)


def test_watch_reports_a_bad_date_and_deep_nesting_and_keeps_watching(tmp_path, monkeypatch):
    for text, words in (
        (C.BASE.replace("2024-03-06", "2024-02-30"), "YYYY-MM-DD"),
        ("articles: " + "[" * 5000 + "]" * 5000 + "\n", "nests deeper"),
    ):
        (tmp_path / DESC).write_text(text, encoding="utf-8")
        polls = []

        def stop(seconds, polls=polls):
            polls.append(seconds)
            raise KeyboardInterrupt

        monkeypatch.setattr(time, "sleep", stop)
        proc = invoke(tmp_path, "watch", DESC, "-o", OUT, "--no-png")
        monkeypatch.undo()
        assert proc.returncode == 0 and "Traceback" not in proc.stderr + proc.stdout, proc
        errors = [ln for ln in proc.stdout.splitlines() if " error: " in ln]
        assert len(errors) == 1 and DESC in errors[0] and words in proc.stdout, proc.stdout
        assert proc.stdout.rstrip().endswith("stopped") and polls


def test_preview_of_a_huge_trim_is_a_clean_error(tmp_path):
    _page(tmp_path, C.BASE.replace("preset: tabloid", "preset: tabloid\n  trim: [1100mm, 1100mm]"))
    before = snapshot(tmp_path)
    proc = invoke(tmp_path, "preview", DESC, "-o", "p.png", "--dpi", "600")
    assert_clean_error(proc, names=None, words=("683 Mpx", "MAX_PREVIEW_PIXELS", "at most 281 dpi"))
    _untouched(tmp_path, before)


# ---------------------------------------------------------------- temporary files


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_stale_temporary_files_are_removed_by_the_next_write(tmp_path):
    _page(tmp_path)
    dead = tmp_path / f".{OUT}.{_dead_pid()}-x1y2.tmp"  # left by a killed render
    old = tmp_path / f".{OUT}.k3j4h5.tmp"  # an older version's name, an hour old
    live = tmp_path / f".{OUT}.{os.getppid()}-a1b2.tmp"  # being written by a running process
    other = tmp_path / ".other.pdf.123-a.tmp"  # another target's
    for p in (dead, old, live, other):
        p.write_bytes(b"%PDF-1.4 partial")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    proc = invoke(tmp_path, "render", DESC, "-o", OUT, "--no-preflight")
    assert proc.returncode == 0, proc.stderr
    assert not dead.exists() and not old.exists()
    assert live.exists() and other.exists()


@pytest.mark.parametrize("how, code", [("sigint", 130), ("sigterm", 143)])
def test_an_interrupt_in_the_write_window_leaves_no_temporary_file(
    tmp_path, monkeypatch, how, code
):
    from layout import safeio

    _page(tmp_path)
    before = snapshot(tmp_path)

    def interrupted(fd):
        if how == "sigint":
            raise KeyboardInterrupt
        os.kill(os.getpid(), signal.SIGTERM)  # the CLI's handler turns it into an exception here
        time.sleep(1)

    monkeypatch.setattr(safeio.os, "fsync", interrupted)
    proc = invoke(tmp_path, "render", DESC, "-o", OUT)
    assert proc.returncode == code, proc.stderr
    assert "interrupted" in proc.stderr and "Traceback" not in proc.stderr
    monkeypatch.undo()
    _untouched(tmp_path, before)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the handler was put back


# ---------------------------------------------------------------- limits per page


def test_timeout_stops_the_page_in_its_worker(tmp_path):
    _page(tmp_path)
    before = snapshot(tmp_path)
    proc = invoke(tmp_path, "render", DESC, "-o", OUT, "--timeout", "0.001")
    assert_clean_error(proc, code=4, words=("took longer than --timeout 0.001 s",))
    _untouched(tmp_path, before)


def test_max_memory_stops_the_page_in_its_worker(tmp_path):
    _page(tmp_path, C.with_photo("p.png"))
    # A PNG is decoded whole (no JPEG draft scaling): 5000 × 4000 RGB is 57 MiB of pixels alone.
    # Not smaller: the cap is the worker's address space at the fork plus 16 MiB, and a worker forked
    # from a process that has run many tests may hold freed heap that takes a 17 MiB image unseen.
    C.photo(tmp_path / "p.png", size=(5000, 4000), fmt="PNG")
    before = snapshot(tmp_path)
    proc = invoke(tmp_path, "render", DESC, "-o", OUT, "--max-memory", "16", "--timeout", "60")
    assert_clean_error(proc, code=4, words=("--max-memory 16 MiB",))
    _untouched(tmp_path, before)


@pytest.mark.parametrize(
    "args, words",
    [
        (("--timeout", "0"), "--timeout: 0 s"),
        (("--max-memory", "1"), "--max-memory: 1 MiB"),
        (("--timeout", "nan"), "--timeout: nan s"),
    ],
)
def test_bad_limits_are_named(tmp_path, args, words):
    _page(tmp_path)
    proc = invoke(tmp_path, "render", DESC, "-o", OUT, *args)
    assert_clean_error(proc, names=args[0], words=(words,))


def test_a_page_within_its_limits_renders_in_its_worker(tmp_path):
    _page(tmp_path)
    proc = invoke(tmp_path, "render", DESC, "-o", OUT, "--timeout", "120", "--max-memory", "2048")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"wrote {OUT} (") and "preflight: ok" in proc.stdout
    worker_pdf = (tmp_path / OUT).read_bytes()
    assert worker_pdf[:5] == b"%PDF-" and worker_pdf != C.SENTINEL
    here = invoke(tmp_path, "render", DESC, "-o", "here.pdf")  # the same page in this process
    assert (tmp_path / "here.pdf").read_bytes() == worker_pdf
    warnings = [ln for ln in proc.stderr.splitlines() if ln.startswith("warning: ")]
    assert (
        len(warnings) == 6 and warnings == here.stderr.splitlines()
    )  # the worker's warnings, none lost


# ---------------------------------------------------------------- the safety net


def test_an_unforeseen_exception_is_one_line_and_exit_3(tmp_path, monkeypatch):
    from layout import api

    _page(tmp_path)
    before = snapshot(tmp_path)

    def broken(*args, **kw):
        raise ZeroDivisionError("boom\nsecond line of the message")

    monkeypatch.setattr(api, "render", broken)
    proc = invoke(tmp_path, "render", DESC, "-o", OUT)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        "error: internal error: ZeroDivisionError: boom",
        "  hint: this is a bug in paiban; run with --debug for the traceback and report it",
    ]
    with pytest.raises(ZeroDivisionError):
        invoke(tmp_path, "--debug", "render", DESC, "-o", OUT)
    _untouched(tmp_path, before)


@pytest.mark.parametrize(
    "args, words",
    [
        (("render", "--bogus", DESC), "No such option"),
        (("rendr", DESC), "No such command"),
        (("render", DESC, "--ink-limit", "much"), "Invalid value for '--ink-limit'"),
        (("render",), "Missing argument"),
    ],
)
def test_usage_errors_exit_2_with_typers_message(tmp_path, args, words):
    _page(tmp_path)
    before = snapshot(tmp_path)
    proc = invoke(tmp_path, *args)
    assert proc.returncode == 2, proc
    assert words in proc.stderr and "Traceback" not in proc.stderr
    assert "Usage: paiban" in proc.stderr
    _untouched(tmp_path, before)


# ---------------------------------------------------------------- folder renders


def test_one_page_failing_unexpectedly_does_not_stop_the_edition(tmp_path, monkeypatch):
    from layout import api

    for name in ("a", "b"):
        (tmp_path / "ed" / name).mkdir(parents=True)
        (tmp_path / "ed" / name / DESC).write_text(C.BASE, encoding="utf-8")
    real = api.render

    def flaky(path, out=None, options=None):
        if Path(path).parent.name == "a":
            raise RuntimeError("a bug on page a")
        return real(path, out, options)

    monkeypatch.setattr(api, "render", flaky)
    proc = invoke(tmp_path, "render", "ed", "-o", "out", "--jobs", "1", "--no-preflight")
    assert proc.returncode == 3, proc
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    assert errors == ["error: ed/a/page.yaml: internal error: RuntimeError: a bug on page a"]
    assert "run with --debug" in proc.stderr and "Traceback" not in proc.stderr
    row = next(ln for ln in proc.stdout.splitlines() if "ed/a/page.yaml" in ln)
    assert "error: ed/a/page.yaml: internal" in row
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ed-b-page.pdf"]


def test_two_pages_writing_one_file_is_an_error_before_anything_is_written(tmp_path):
    for day in ("monday", "tuesday"):
        folder = tmp_path / "week" / day / "paper" / "2024-05-20"
        folder.mkdir(parents=True)
        (folder / "page.yaml").write_text(C.BASE, encoding="utf-8")
    proc = invoke(tmp_path, "render", "week", "-o", "out")
    first = assert_clean_error(
        proc,
        names="monday/paper/2024-05-20/page.yaml",
        words=(
            "tuesday/paper/2024-05-20/page.yaml",
            "paper-2024-05-20-page.pdf",
            "nothing was written",
        ),
    )
    assert first
    assert not (tmp_path / "out").exists()


def test_the_edition_table_has_full_paths_and_underset(tmp_path):
    deep = tmp_path / ("一个很长的版面文件夹名称" * 4) / "zhuzhou-daily" / "2024-03-06"
    for n in (1, 2):
        (deep / f"p{n}").mkdir(parents=True)
        (deep / f"p{n}" / DESC).write_text(C.BASE, encoding="utf-8")
    proc = invoke(
        tmp_path, "render", str(deep), "-o", str(tmp_path / "out"), "--jobs", "2", "--no-preflight"
    )
    assert proc.returncode == 0, proc.stderr
    header = next(ln for ln in proc.stdout.splitlines() if "underset lines" in ln)
    assert "overset chars" in header
    for n in (1, 2):
        assert str(deep / f"p{n}" / DESC) in proc.stdout  # whole, not cut with …
        assert str(tmp_path / "out" / f"2024-03-06-p{n}-page.pdf") in proc.stdout
    from layout import api

    fit = api.layout(api.load_issue(deep / "p1" / DESC)).fit
    row = next(ln for ln in proc.stdout.splitlines() if str(deep / "p1" / DESC) in ln)
    cells = [c.strip() for c in row.split("│")]
    assert cells[3:6] == ["0", str(sum(f.underset_lines for f in fit)), "ok"]
    assert sum(f.underset_lines for f in fit) > 10  # a short story in a tall module
    warnings = [ln for ln in proc.stderr.splitlines() if ln.startswith("warning: ")]
    assert len(warnings) == 12 and all(ln.startswith(f"warning: {deep}/p") for ln in warnings)
