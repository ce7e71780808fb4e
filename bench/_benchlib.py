"""Shared helpers of the bench scripts: timing statistics, child processes with their own peak
RSS, and generated copies of the flagship page.

Peak RSS of one child comes from ``os.wait4`` (the kernel's rusage of exactly that process), so
no psutil is needed and earlier children do not mask later ones (``RUSAGE_CHILDREN`` only ever
reports the largest child seen so far).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE05 = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"
MIB = 1024 * 1024


@dataclass
class Stat:
    """Median, min and max of a list of seconds (or any numbers)."""

    median: float
    min: float
    max: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Stat:
        """Summarise ``values``."""
        return cls(statistics.median(values), min(values), max(values), len(values))

    def as_dict(self) -> dict:
        """Plain dict for ``--json``."""
        return {"median": self.median, "min": self.min, "max": self.max, "n": self.n}


def timed(fn, runs: int, warmup: int = 1, setup=None) -> tuple[Stat, object]:
    """Call ``fn()`` ``warmup`` + ``runs`` times (``setup()`` untimed before each); time the runs."""
    out = None
    for _ in range(warmup):
        if setup:
            setup()
        out = fn()
    times = []
    for _ in range(runs):
        if setup:
            setup()
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return Stat.of(times), out


_SPAWNER = r"""
import os, subprocess, sys, time
t = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = p.stderr.read()
_pid, status, usage = os.wait4(p.pid, 0)
wall = time.perf_counter() - t
code = os.waitstatus_to_exitcode(status)
sys.stderr.buffer.write(err[-4000:])
print(wall, usage.ru_maxrss, code, usage.ru_utime + usage.ru_stime)
"""


def run_child(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float, float]:
    """Run ``cmd`` to completion; return (wall seconds, peak RSS in MiB, CPU seconds).

    CPU seconds (user + system, including reaped worker processes) barely change with
    background load, unlike wall time: read both on a shared machine.

    The child is started by a tiny spawner process: on Linux a child's ``ru_maxrss`` starts at
    its parent's RSS at fork (exec keeps the high-water mark), so forking from this big bench
    process would report the bench's own RSS. The spawner is ~10 MiB; wall time is taken inside
    it, around the child alone.
    """
    proc = subprocess.run([sys.executable, "-S", "-c", _SPAWNER, *map(str, cmd)], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    try:
        wall, rss_kib, code, cpu = proc.stdout.split()
    except ValueError:
        raise RuntimeError(f"spawner failed: {proc.stderr[-2000:]}") from None
    if int(code) != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({code}):\n{proc.stderr[-2000:]}")
    return float(wall), int(rss_kib) / 1024, float(cpu)


def child_stats(cmd: list[str], runs: int, warmup: int = 1, cwd: Path | None = None,
                env: dict | None = None) -> tuple[Stat, Stat, Stat]:
    """Time ``cmd`` as a whole process: (wall, peak RSS MiB, CPU s) Stats of ``runs`` after warm-up."""
    return interleaved({"cmd": cmd}, runs, warmup, cwd, env)["cmd"]


def interleaved(cmds: dict[str, list[str]], runs: int, warmup: int = 1, cwd: Path | None = None,
                env: dict | None = None, envs: dict | None = None,
                setup: dict | None = None) -> dict[str, tuple[Stat, Stat, Stat]]:
    """Like ``child_stats`` for several commands, run round-robin so that background load
    falls on all of them alike (their ratios stay meaningful on a busy machine). ``envs`` and
    ``setup`` (an untimed callable run before each run) may be given per command key."""
    envs, setup = envs or {}, setup or {}

    def one(k, cmd):
        if k in setup:
            setup[k]()
        return run_child(cmd, cwd, envs.get(k, env))

    for _ in range(warmup):
        for k, cmd in cmds.items():
            one(k, cmd)
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    rss: dict[str, list[float]] = {k: [] for k in cmds}
    cpu: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for k, cmd in cmds.items():
            w, r, c = one(k, cmd)
            walls[k].append(w)
            rss[k].append(r)
            cpu[k].append(c)
    return {k: (Stat.of(walls[k]), Stat.of(rss[k]), Stat.of(cpu[k])) for k in cmds}


def load_average() -> str:
    """The 1-minute load average and core count, printed with results for context."""
    try:
        return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    except OSError:
        return f"{os.cpu_count()} cores"


def paiban_cmd() -> list[str]:
    """The ``paiban`` console script as users run it (falls back to ``python -m layout.cli``)."""
    exe = shutil.which("paiban")
    return [exe] if exe else [sys.executable, "-m", "layout.cli"]


def copy_page_folder(dest: Path) -> Path:
    """Copy page 05's folder (description, bodies, photos) to ``dest``; return the new YAML."""
    shutil.copytree(PAGE05.parent, dest, dirs_exist_ok=True)
    return dest / PAGE05.name


def _body_files(yaml_text: str) -> list[str]:
    return re.findall(r"body_file:\s*(\S+)", yaml_text)


def _photo_files(yaml_text: str) -> list[str]:
    return re.findall(r"file:\s*(photos/\S+)", yaml_text)


def _shuffle_paragraphs(text: str, rng: random.Random) -> str:
    """Same paragraphs in another order; subheads (lines starting with #) keep their place."""
    paras = text.strip("\n").split("\n\n")
    movable = [i for i, p in enumerate(paras) if not p.lstrip().startswith("#")]
    picked = [paras[i] for i in movable]
    rng.shuffle(picked)
    for i, p in zip(movable, picked):
        paras[i] = p
    return "\n\n".join(paras) + "\n"


def generate_pages(folder: Path, n: int, seed: int = 8) -> list[Path]:
    """Write ``n`` pages with page 05's structure into ``folder``: page numbers 1..n, body
    paragraphs in another order per page, and per-page photo copies whose pixels differ by one
    value (so neither a path- nor a content-keyed photo cache can share them across pages)."""
    from PIL import Image

    src_yaml = PAGE05.read_text(encoding="utf-8")
    src = PAGE05.parent
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    bodies = {name: (src / name).read_text(encoding="utf-8") for name in _body_files(src_yaml)}
    photos = {name: Image.open(src / name).convert("RGB") for name in set(_photo_files(src_yaml))}
    out = []
    for k in range(1, n + 1):
        tag = f"p{k:03d}"
        pdir = folder / tag
        (pdir / "photos").mkdir(parents=True, exist_ok=True)
        text = re.sub(r"(?m)^page:\s*\d+", f"page: {k}", src_yaml)
        for name, body in bodies.items():
            (pdir / name).write_text(body if k == 1 else _shuffle_paragraphs(body, rng), encoding="utf-8")
        for name, im in photos.items():
            im2 = im.copy()
            im2.putpixel((0, 0), (k % 256, (k * 7) % 256, (k * 13) % 256))
            im2.save(pdir / name, quality=92)
        (pdir / f"page{k:03d}.yaml").write_text(text, encoding="utf-8")
        out.append(pdir / f"page{k:03d}.yaml")
    return out


def verdict(value: float, target: float) -> str:
    """``pass``/``FAIL`` for a measurement that must be at most ``target``."""
    return "pass" if value <= target else "FAIL"
