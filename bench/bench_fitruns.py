"""Benchmark of copy-fit guidance (issue 14): how many `paiban fit` runs an editor following the
suggestions needs to go from a rough description to a clean page.

For each test page (default: the three under issues/paiban-test/), a rough first draft is made
from it the way editors' first drafts are rough: every named edge moved by --shift lines
(alternately up and down), every photo's height changed by ±4 lines and its flex halved. Then an
editor is simulated: run fit; if the page is clean (no overset, no module with more than one
empty line at a column foot, no empty area) stop; otherwise apply, for every module that does
not fit, the first suggestion fit lists (cut or add 字 at the end of its copy, an item added to
a list of items, a photo's height, the box's column, the head's size, a module's flex or height)
and run fit again. Prints the runs per page
and the suggestions applied; exit 1 if a page needs more than --goal runs (3).

    python bench/bench_fitruns.py [--shift 6] [--goal 3] [PAGE.yaml ...]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = sorted((ROOT / "issues/paiban-test").rglob("page*.yaml"))
MAX_RUNS = 8
"""Runs after which the simulated editor gives up."""


def valid(target: Path, data: dict) -> bool:
    """True when the description plans (a rough draft still has to be a description)."""
    from layout import api
    from layout.errors import PaibanError

    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        loaded = api.load_issue(target)
        api.layout(loaded, api.RenderOptions(page_fit=False))
    except PaibanError:
        return False
    return True


def rough(data: dict, shift: int, target: Path) -> dict:
    """A rough first draft of a description: named edges moved (as far as ``shift`` lines while
    the description stays valid), photos resized, flex halved."""
    import copy

    for n, name in enumerate(sorted(data.get("edges", {}))):
        for delta in range(shift, 0, -1):
            trial = copy.deepcopy(data)
            value = trial["edges"][name]
            step = delta if n % 2 == 0 else -delta
            if isinstance(value, (int, float)):
                trial["edges"][name] = value + step
            elif isinstance(value, dict) and isinstance(value.get("line"), (int, float)):
                value["line"] += step
            if valid(target, trial):
                data = trial
                break
    for a in data["articles"]:
        for k, photo in enumerate(a.get("photos", [])):
            place = photo.get("place") or {}
            if isinstance(place.get("height"), int):
                place["height"] = max(4, place["height"] + (4 if k % 2 == 0 else -4))
            if photo.get("flex"):
                photo["flex"] = photo["flex"] // 2
    return data


def set_field(data: dict, field: str, value) -> None:
    """Set ``articles.2.photos.0.place.height`` (a dotted path) in YAML data."""
    keys = field.split(".")
    node = data
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def edit_copy(folder: Path, data: dict, field: str, delta: int, kind: str = "add", at: str = "") -> None:
    """Cut (negative) or add 字 at the end of an article's copy (or of the paragraph ending in
    ``at``), in its body file or inline; or (``kind`` item) add an item to a list of items: a
    title of 8 字 and ``delta`` 字 of text."""
    index = int(field.split(".")[1])
    article = data["articles"][index]
    edit = _item if kind == "item" else (lambda text, n: _inserted(text, at, n)) if at else _edited
    if article.get("body_file"):
        path = folder / article["body_file"]
        text = path.read_text(encoding="utf-8").rstrip()
        path.write_text(edit(text, delta) + "\n", encoding="utf-8")
    else:
        article["body"] = edit(article["body"].rstrip(), delta)


def _inserted(text: str, at: str, n: int) -> str:
    """``n`` 字 after the paragraph text ``at`` (before its closing stop)."""
    spot = text.index(at) + len(at)
    return text[:spot] + "补" * n + text[spot:]


def _item(text: str, size: int) -> str:
    import re

    marks = re.findall(r"^(#{2,3}) ", text, flags=re.MULTILINE)
    return f"{text}\n\n{marks[-1] if marks else '###'} {'补' * 8}\n\n{'补' * size}。"


def _edited(text: str, delta: int) -> str:
    if delta < 0:
        stop = text[-1] if text and text[-1] in "。！？”" else ""
        body = text[:-1] if stop else text
        return body[: max(1, len(body) + delta)] + stop
    return text[:-1] + "补" * delta + text[-1]


def run(page: Path, shift: int) -> tuple[int, list[str]]:
    """Runs of `paiban fit` (in process) a simulated editor needs for a rough copy of ``page``."""
    from layout import api
    from layout.report import page_summary

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / page.parent.name
        shutil.copytree(page.parent, folder)
        target = folder / page.name
        data = rough(yaml.safe_load(target.read_text(encoding="utf-8")), shift, target)
        applied: list[str] = []
        for runs in range(1, MAX_RUNS + 1):
            target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            loaded = api.load_issue(target)
            result = api.layout(loaded)
            if page_summary(result)["clean"]:
                return runs, applied
            tips = api.suggestions(loaded, result)
            if not tips:
                left = [f"{f.id} over {f.overset_lines} foot {f.empty_tail}" for f in result.fit
                        if f.overset or f.empty_tail > 1]
                left += [w for w in result.warnings if w.startswith("empty area")]
                applied.append(f"(no suggestion left for: {'; '.join(left)})")
                return MAX_RUNS + 1, applied
            for article, suggestions in tips.items():
                s = suggestions[0]
                applied.append(f"run {runs}: {article}: {s.text}")
                if s.kind in ("cut", "add", "item"):
                    edit_copy(folder, data, s.field, s.value, s.kind, s.at)
                    for at, n in s.more:
                        edit_copy(folder, data, s.field, n, "add", at)
                else:
                    set_field(data, s.field, s.value)
                if s.copy:
                    edit_copy(folder, data, f"articles.{s.field.split('.')[1]}.body", s.copy)
        return MAX_RUNS + 1, applied


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--shift", type=int, default=6, help="lines the rough draft moves each named edge")
    ap.add_argument("--goal", type=int, default=3)
    args = ap.parse_args(argv)
    worst = 0
    for page in args.pages:
        runs, applied = run(page, args.shift)
        worst = max(worst, runs)
        shown = "gave up" if runs > MAX_RUNS else f"{runs} fit run{'s' if runs > 1 else ''}"
        print(f"{page.relative_to(ROOT) if page.is_relative_to(ROOT) else page}: {shown}")
        for line in applied:
            print(f"  {line}")
    print(f"worst: {worst} runs (goal {args.goal})")
    return 0 if worst <= args.goal else 1


if __name__ == "__main__":
    sys.exit(main())
