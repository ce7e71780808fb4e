"""Chinese word segmenters for head breaking, compared; and the head engine's own speed.

Usage: python bench/bench_segment.py [--runs 5]

For every segmenter that is installed (``rjieba`` — the one Paiban uses — and, for the
comparison, ``jieba``, ``jieba3``, ``budoux`` and PyICU's dictionary word break, any of which
may be ``pip install``-ed into a scratch environment), in a fresh process each:

* **load**: import plus whatever the first segmentation has to build (jieba's dictionary);
* **per head**: microseconds to segment one head, warm;
* **installed size** of the distribution (its files, from ``importlib.metadata``);
* **quality**: on reference heads with a known bad break (newspaper.md §4.1–4.2, issue 13),
  how many boundaries the segmenter puts inside a word or number that must stay whole.

Then the head engine itself on the acceptance corpus (tests/compose/head_corpus.py, synthetic
font): heads broken per second, how many needed the segmenter, and page 05 in a fresh process:
whether the segmenter was loaded at all.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE05 = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"

# (head, boundaries that must not be broken: the text on either side of the bad break)
REFERENCE = [
    ("以政法工作现代化护航高质量发展大局", ["现代|化", "高|质量", "护航高|质量"]),
    ("马凯开出扩大内需“五剂药方”", ["内|需"]),
    ("101所高校的731名大学生来株普法", ["73|1"]),
    ("全市司法行政工作会议召开", ["司|法"]),
    ("民族地区经济发展事业兴旺", ["发|展"]),
    ("书记探望三峡移民", ["三|峡"]),
    ("全市生产总值增长百分之八点五", ["总|值"]),
    ("阿莱克斯20万欧元赔偿金到账", ["克|斯", "欧|元"]),
    ("韦德是制造悬念的艺术家", ["悬|念", "艺术|家"]),
    ("十年情注天山南北", ["天山|南北"]),
    ("西文使用比例字体时的混排处理", ["混|排"]),
    ("老街夜市焕新开放", ["夜|市"]),
    ("本周后半程或迎强降雨", ["降|雨", "本|周", "后|半"]),
    ("轨道交通三号线今日试运营", ["轨道|交通", "试|运营"]),
]

SEGMENTERS = {
    "rjieba": ("import rjieba\ncut = rjieba.cut", "rjieba"),
    "jieba": ("import jieba\njieba.setLogLevel(60)\ncut = jieba.lcut", "jieba"),
    "jieba3": ("import jieba3\n_t = jieba3.jieba3()\ncut = _t.cut_text", "jieba3"),
    "budoux": (
        "import budoux\n_p = budoux.load_default_simplified_chinese_parser()\ncut = _p.parse",
        "budoux",
    ),
    "icu": (
        "import icu\n_b = icu.BreakIterator.createWordInstance(icu.Locale('zh_CN'))\n"
        "def cut(s):\n    _b.setText(s); out, a = [], 0\n"
        "    for b in _b:\n        out.append(s[a:b]); a = b\n    return out",
        "pyicu-wheels",
    ),
}

CHILD = """
import json, sys, time
t0 = time.perf_counter()
{setup}
first = cut({first!r})
t1 = time.perf_counter()
heads = {heads!r}
runs = {runs}
t2 = time.perf_counter()
for _ in range(runs):
    for h in heads:
        cut(h)
t3 = time.perf_counter()
print(json.dumps({{"load": t1 - t0, "per_head": (t3 - t2) / (runs * len(heads)),
                   "cuts": [cut(h) for h in heads]}}))
"""


def installed_size(dist: str) -> float | None:
    """Installed size of a distribution in MiB (None when it is not installed)."""
    from importlib import metadata

    try:
        d = metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        if dist != "pyicu-wheels":
            return None
        try:
            d = metadata.distribution("PyICU")
        except metadata.PackageNotFoundError:
            return None
    total = 0
    for f in d.files or ():
        p = Path(d.locate_file(f))
        if p.is_file():
            total += p.stat().st_size
    return total / 2**20


def bad_breaks(cuts: list[list[str]]) -> int:
    """Boundaries put where a reference head must not break."""
    bad = 0
    for (head, forbidden), words in zip(REFERENCE, cuts):
        marks, pos = set(), 0
        for w in words[:-1]:
            pos += len(w)
            marks.add(pos)
        for f in forbidden:
            left, right = f.split("|")
            at = head.find(left + right)
            if at >= 0 and at + len(left) in marks:
                bad += 1
    return bad


def segmenters(runs: int) -> None:
    heads = [h for h, _ in REFERENCE]
    print(f"{'segmenter':10} {'load ms':>8} {'µs/head':>8} {'MiB':>6} {'bad breaks':>11}")
    for name, (setup, dist) in SEGMENTERS.items():
        code = CHILD.format(setup=setup, first=heads[0], heads=heads, runs=runs * 20)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{name:10} not installed")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        size = installed_size(dist)
        print(
            f"{name:10} {r['load'] * 1000:8.0f} {r['per_head'] * 1e6:8.1f} "
            f"{size if size is not None else float('nan'):6.1f} {bad_breaks(r['cuts']):>5} of "
            f"{sum(len(f) for _, f in REFERENCE)}"
        )


def engine(runs: int) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    from compose.head_corpus import CORPUS, column_width
    from text.fontkit import FACE

    from layout.compose import headline as H
    from layout.compose.spans import SpanKit
    from layout.text import display as D

    kit = SpanKit(lambda role: FACE)
    grid = H.BodyGrid(9.0, 12.0)

    def once() -> int:
        segmented = 0
        for case in CORPUS:
            extra = dict(case.extra)
            protect = extra.pop("protect", ())
            spec = H.HeadSpec(
                main=case.main,
                main_size=case.size,
                kicker=case.kicker,
                subtitle=case.subtitle,
                display=D.DisplayStyle(protect=protect),
                **extra,
            )
            H.build_head(spec, column_width(case.span), kit, grid)
        return segmented

    once()  # warm: the segmenter loaded, its per-clause cache filled
    times = []
    for _ in range(runs):
        D.segment.cache_clear()
        D.part_breaks.cache_clear()
        t = time.perf_counter()
        once()
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    print(
        f"\nhead engine: {len(CORPUS)} corpus heads in {med * 1000:.1f} ms "
        f"({len(CORPUS) / med:.0f} heads/s, segmenter cache cleared each run)"
    )
    code = (
        "import sys\nfrom layout import api\nfrom layout.text import display as D\n"
        f"api.layout(api.load_issue({str(PAGE05)!r}))\n"
        "print(D.segmenter_loaded(), 'rjieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    print(f"page 05 in a fresh process: segmenter loaded = {out.stdout.split()[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    segmenters(args.runs)
    engine(args.runs)


if __name__ == "__main__":
    main()
