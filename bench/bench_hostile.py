"""Hostile-input benchmark (issue 18): the worst cases a newsroom server must survive, timed as
whole processes with their peak memory (workers included), each against 30 s and 1 GiB.

Cases:

* the largest legitimate page: page 05 with its lead body grown to 1.9 MB (just under
  ``MAX_TEXT_BYTES``), rendered by ``paiban render`` (most of the text is overset);
* a ~180 KB PDF holding 4 million path operators, checked by ``paiban preflight``;
* a 1.9 MB flate bomb (a content stream inflating to ~1.9 GB), checked by ``paiban preflight``;
* the same two PDFs through ``preflight()`` in one plain process, without the CLI's worker and
  its memory cap, to show that the preflight budget alone bounds them.

Run::

    .venv/bin/python bench/bench_hostile.py            # 3 runs per case
    .venv/bin/python bench/bench_hostile.py --runs 1 --json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._benchlib import _SPAWNER, ROOT, Stat, copy_page_folder, load_average, paiban_cmd
from tests.robustness import corpus as C

LIMIT_SECONDS = 30.0
"""Longest any case may take (issue 18)."""

LIMIT_MIB = 1024.0
"""Most memory any case may use, MiB (issue 18)."""

BODY_BYTES = 1_900_000
"""Size of the grown lead body: the largest legitimate body text."""

OPERATORS = 4_000_000
"""Path operators in the operator-heavy PDF."""

BOMB_COMPRESSED = 1_900_000
"""Approximate size of the flate bomb's compressed content (it inflates ~1000×)."""


def measure(cmd: list[str], cwd: Path, ok_codes: tuple[int, ...]) -> tuple[float, float, int]:
    """Run ``cmd`` through the bench spawner: (wall s, peak RSS MiB with its workers, exit code)."""
    proc = subprocess.run(
        [sys.executable, "-S", "-c", _SPAWNER, *cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    wall, rss_kib, code, _cpu = proc.stdout.split()
    if int(code) not in ok_codes:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{proc.stderr[-2000:]}")
    return float(wall), int(rss_kib) / 1024, int(code)


def build(folder: Path) -> dict[str, tuple[list[str], tuple[int, ...]]]:
    """Write the inputs into ``folder``; return case → (command, accepted exit codes)."""
    page = copy_page_folder(folder / "page")
    lead = page.parent / "lead.md"
    text = lead.read_text(encoding="utf-8")
    grown = (text * (BODY_BYTES // len(text.encode("utf-8")) + 1)).encode("utf-8")[:BODY_BYTES]
    lead.write_bytes(grown.decode("utf-8", "ignore").encode("utf-8"))
    ops = C.pdf_with_content(folder / "ops.pdf", C.path_operators(OPERATORS))
    bomb = C.pdf_with_content(
        folder / "bomb.pdf", C.flate_bomb(BOMB_COMPRESSED * 1024), precompressed=True
    )
    print(
        f"inputs: lead body {lead.stat().st_size / 1e6:.2f} MB; "
        f"ops.pdf {ops.stat().st_size / 1e3:.0f} KB "
        f"({OPERATORS:,} operators); bomb.pdf {bomb.stat().st_size / 1e6:.2f} MB "
        f"(inflates to {BOMB_COMPRESSED * 1024 / 1e9:.1f} GB)"
    )
    cli = paiban_cmd()
    inline = (
        "import sys; from layout.pdf.preflight import preflight; "
        "r = preflight(sys.argv[1], require_pdfx=False); "
        "print(sum(f.check == 'budget' for f in r.findings))"
    )
    return {
        "render: page 05 with a 1.9 MB body": (
            [*cli, "render", str(page), "-o", str(folder / "big.pdf")],
            (0,),
        ),
        "paiban preflight: 4M path operators": ([*cli, "preflight", str(ops)], (1,)),
        "paiban preflight: 1.9 MB flate bomb": ([*cli, "preflight", str(bomb)], (1,)),
        "preflight() in-process: 4M path operators": (
            [sys.executable, "-c", inline, str(ops)],
            (0,),
        ),
        "preflight() in-process: 1.9 MB flate bomb": (
            [sys.executable, "-c", inline, str(bomb)],
            (0,),
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    print(load_average())
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        cases = build(Path(tmp))
        for name, (cmd, ok) in cases.items():
            walls, peaks = [], []
            for _ in range(args.runs):
                wall, peak, _code = measure(cmd, ROOT, ok)
                walls.append(wall)
                peaks.append(peak)
            results[name] = (Stat.of(walls), max(peaks))
    failed = False
    print(f"{'case':45} {'median s':>9} {'max s':>7} {'peak MiB':>9}  verdict")
    for name, (wall, peak) in results.items():
        ok = wall.max <= LIMIT_SECONDS and peak <= LIMIT_MIB
        failed |= not ok
        print(
            f"{name:45} {wall.median:9.2f} {wall.max:7.2f} {peak:9.0f}  {'ok' if ok else 'OVER'}"
            f" (≤ {LIMIT_SECONDS:g} s, ≤ {LIMIT_MIB:g} MiB)"
        )
    if args.json:
        print(
            json.dumps(
                {k: {"seconds": w.as_dict(), "peak_mib": p} for k, (w, p) in results.items()},
                indent=2,
            )
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
