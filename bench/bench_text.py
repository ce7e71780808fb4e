"""Benchmark and quality report of ``layout.text.compose`` on the long texts in bench/texts.

Usage: python bench/bench_text.py [--repeat 5] [--measure 117] [--size 9]

Prints, for every text and breaker (greedy — the default — and optimal): characters per
second (median of ``--repeat`` timed runs after one warm-up; every paragraph of the text
composed once per run; wall clock, and per CPU second, which stays meaningful when other jobs
share the machine), number of lines, and quality figures of the result: lines that needed
compression, lines whose CJK gaps were opened by more than ¼ em (loose), the largest added CJK
gap, 孤字 last lines (a last line of one hanzi or one Latin word), and the spacing figures of
``check_lines.py`` (issue 17): justified lines whose widest white (word spaces included) is
over ½ em and over 1 em, the median Han–Western gap, letter-spaced Latin words, hyphenated
lines and lines left short because nothing on them could stretch.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import check_lines  # bench/ is on sys.path when this runs as a script

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


def spacing(paras: list[str], all_lines, measure: float, size: float) -> check_lines.Report:
    """Run ``check_lines``'s analysis (text mode) on composed paragraphs."""
    segs = check_lines.text_segments(list(zip(paras, all_lines)), measure, size)
    return check_lines.analyse(segs, [(0.0, measure)], size, check_lines.Report(), text_mode=True)


def quality(all_lines, size: float) -> dict[str, float]:
    """Return quality figures of composed paragraphs."""
    lines = squeezed = loose = runts = hyphens = short = 0
    worst = 0.0
    for para in all_lines:
        for line in para:
            lines += 1
            hyphens += line.hyphen
            short += "nothing to stretch" in line.note
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
    return {"lines": lines, "squeezed": squeezed, "loose": loose, "worst_em": worst, "runts": runts,
            "hyphens": hyphens, "short": short}


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
    header = (f"{'text':<13}{'breaker':<8}{'chars':>7}{'chars/s':>10}{'(CPU)':>9}{'lines':>6}"
              f"{'squeezed':>9}{'loose':>6}{'worst':>8}{'runts':>6}{'>½em':>6}{'>1em':>5}"
              f"{'H–W med':>8}{'ltr-sp':>7}{'hyph':>5}{'short':>6}")
    print(header)
    print("-" * len(header))
    for path in sorted(TEXTS.glob("*.txt")):
        paras = paragraphs(path) * args.scale
        for breaker in ("greedy", "optimal"):
            style = ParaStyle(breaker=breaker)
            chars, rate, cpu_rate, result = bench(paras, font, args.measure, args.size, style,
                                                  args.repeat)
            one = result[: len(result) // args.scale]
            q = quality(one, args.size)
            r = spacing(paras[: len(one)], one, args.measure, args.size)
            print(f"{path.stem:<13}{breaker:<8}{chars:>7}{rate:>10,.0f}{cpu_rate:>9,.0f}"
                  f"{q['lines']:>6}"
                  f"{q['squeezed']:>9}{q['loose']:>6}{q['worst_em']:>6.3f}em{q['runts']:>6}"
                  f"{len(r.over_half):>6}{len(r.over_one):>5}{r.cjk_latin_median():>6.3f}em"
                  f"{len(r.letter_spaced):>7}{q['hyphens']:>5}{q['short']:>6}")


if __name__ == "__main__":
    main()
