"""Benchmark and quality report of ``layout.text.compose`` on the long texts in bench/texts.

Usage: python bench/bench_text.py [--repeat 5] [--measure 117] [--size 9]

Prints, for every text and breaker (greedy, optimal): characters per second (median of
``--repeat`` timed runs after one warm-up; every paragraph of the text composed once per run;
wall clock, and per CPU second, which stays meaningful when other jobs share the machine),
number of lines, and quality figures of the result: lines that needed compression, lines whose
CJK gaps were opened by more than ¼ em (loose), the largest added gap, and 孤字 last lines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layout.text import ParaStyle, Span, compose, widest_gap
from layout.text.para import HAN, SPACE, WEST, _info

WESTISH = (WEST, SPACE)


def _units(text: str) -> int:
    """Hanzi plus Western tokens: what 孤字 counts (one hanzi + punctuation is 1)."""
    count, prev = 0, False
    for ch in text:
        k = _info(ch)[0]
        count += k == HAN or (k == WEST and not prev)
        prev = k == WEST
    return count

TEXTS = ROOT / "bench" / "texts"
FONT = ROOT / "fonts" / "PaibanSerifSC-Regular.ttf"
LOOSE_EM = 0.25
"""A line is loose when some CJK gap is opened by more than this (em)."""


def load_font():
    """Return the bundled body face, or the tests' synthetic stub if it cannot be loaded."""
    try:
        from layout.fonts import load_face

        return load_face(FONT)
    except Exception as exc:  # noqa: BLE001 - any failure means: use the stub
        print(f"(bundled font unavailable: {exc}; using the synthetic test font)")
        sys.path.insert(0, str(ROOT / "tests"))
        from text.fontkit import FACE

        return FACE


def paragraphs(path: Path) -> list[str]:
    return [p.strip() for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]


def quality(all_lines, size: float) -> dict[str, float]:
    """Return quality figures of composed paragraphs."""
    lines = squeezed = loose = runts = 0
    worst = 0.0
    for para in all_lines:
        for line in para:
            lines += 1
            if line.last:
                if len(para) > 1 and _units(line.text) < 2:
                    runts += 1
                continue
            extra = [g.advance - n for g, n in zip(line.glyphs, line.natural)]
            if min(extra, default=0.0) < -1e-6:
                squeezed += 1
            # Spacing added between two CJK characters (not the Han–Western gap).
            gap_em = widest_gap(line)
            worst = max(worst, gap_em)
            if gap_em > LOOSE_EM + 1e-6:
                loose += 1
    return {"lines": lines, "squeezed": squeezed, "loose": loose, "worst_em": worst, "runts": runts}


def bench(paras: list[str], font, measure: float, size: float, style: ParaStyle, repeat: int):
    spans = [[Span(p, font, size)] for p in paras]
    chars = sum(len(p) for p in paras)
    result = [compose(s, measure, style) for s in spans]  # warm-up
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for s in spans:
            compose(s, measure, style)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return chars, chars / statistics.median(times), chars / statistics.median(cpu), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--measure", type=float, default=117.0)
    ap.add_argument("--size", type=float, default=9.0)
    ap.add_argument("--scale", type=int, default=10, help="repeat each text this many times")
    args = ap.parse_args()
    font = load_font()
    print(f"font {font.key}, measure {args.measure} pt, size {args.size} pt, "
          f"median of {args.repeat} runs after warm-up\n")
    header = (f"{'text':<18}{'breaker':<9}{'chars':>8}{'chars/s':>11}{'(CPU)':>10}{'lines':>7}"
              f"{'squeezed':>10}{'loose':>7}{'worst gap':>11}{'runts':>7}")
    print(header)
    print("-" * len(header))
    for path in sorted(TEXTS.glob("*.txt")):
        paras = paragraphs(path) * args.scale
        for breaker in ("greedy", "optimal"):
            style = ParaStyle(breaker=breaker)
            chars, rate, cpu_rate, result = bench(paras, font, args.measure, args.size, style,
                                                  args.repeat)
            q = quality(result[: len(result) // args.scale], args.size)
            print(f"{path.stem:<18}{breaker:<9}{chars:>8}{rate:>11,.0f}{cpu_rate:>10,.0f}{q['lines']:>7}"
                  f"{q['squeezed']:>10}{q['loose']:>7}{q['worst_em']:>10.3f}em{q['runts']:>6}")


if __name__ == "__main__":
    main()
