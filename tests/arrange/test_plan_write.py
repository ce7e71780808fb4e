"""``paiban plan --write``: the description with every placement explicit, written as the editor
wrote it (comments, order, indentation kept), that renders the page the planner chose."""

from __future__ import annotations

import shutil
from pathlib import Path

from layout import api
from tests.robustness.clirun import invoke

PAGE_DIR = Path(__file__).resolve().parents[2] / "issues" / "zhuzhou-daily" / "2024-03-06"


def regions(result) -> dict[str, str]:
    return {m.label: m.region.label() for m in result.modules}


def test_plan_write_keeps_the_text_and_renders_the_planned_page(tmp_path):
    shutil.copytree(PAGE_DIR, tmp_path / "p")
    src = tmp_path / "p" / "page05-auto.yaml"
    run = invoke(tmp_path / "p", "plan", "page05-auto.yaml", "--write", "planned.yaml")
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip().endswith("wrote planned.yaml")
    written = (tmp_path / "p" / "planned.yaml").read_text(encoding="utf-8")
    original = src.read_text(encoding="utf-8").splitlines()
    out = written.splitlines()
    assert out[0].startswith("# written by paiban plan: every placement explicit (")
    # Every line the editor wrote is there, in order (comments, blank lines, flow mappings):
    # the planner only adds lines.
    it = iter(out)
    assert all(any(line == o for o in it) for line in original)
    added = [ln.strip() for ln in out[1:] if ln not in original]
    assert added and all(ln.startswith(("place:", "- {col:")) for ln in added), added
    # It renders the page the planner chose, with no planning left to do.
    planned = api.layout(api.load_issue(src))
    again = api.layout(api.load_issue(tmp_path / "p" / "planned.yaml"))
    assert planned.auto is not None and again.auto is None
    assert regions(again) == regions(planned)
    # Planning the written description again writes it unchanged but for its first line.
    run = invoke(tmp_path / "p", "plan", "planned.yaml", "--write", "planned2.yaml")
    assert run.returncode == 0 and "every article has a place" in run.stdout
    twice = (tmp_path / "p" / "planned2.yaml").read_text(encoding="utf-8").splitlines()
    assert twice[0] == "# written by paiban plan: every placement was already explicit"
    assert twice[1:] == out[1:]


def test_plan_prints_terms_that_add_up_to_the_cost(tmp_path):
    import re

    run = invoke(PAGE_DIR, "plan", "page05-auto.yaml", "--no-page-fit")
    assert run.returncode == 0, run.stderr
    line = next(ln for ln in run.stdout.splitlines() if ln.startswith("arrangement: "))
    cost = float(re.search(r"; cost ([0-9.]+) \(", line).group(1))
    terms = re.findall(r"(\w+) ([0-9.]+)×([0-9.]+)", line.split("; cost", 1)[1])
    assert terms and abs(sum(float(n) * float(w) for _k, n, w in terms) - cost) < 0.05, line


def test_plan_write_says_a_vertical_head_the_planner_chose(tmp_path):
    # paiban-auto page01: the planner turns the side strip's first head into a 竖题 (it would
    # stand beside the lead's); the written description says so, and renders the same heads.
    shutil.copytree(PAGE_DIR.parents[1] / "paiban-auto" / "2025-10-09", tmp_path / "p")
    planned = api.layout(api.load_issue(tmp_path / "p" / "page01.yaml"))
    turned = [a.id for a in planned.auto.articles if a.head.is_vertical]
    assert turned and "竖题" in planned.auto.arrangement
    run = invoke(tmp_path / "p", "plan", "page01.yaml", "--write", "planned.yaml")
    assert run.returncode == 0, run.stderr
    again = api.layout(api.load_issue(tmp_path / "p" / "planned.yaml"))
    assert again.auto is None and regions(again) == regions(planned)
    heads = {c.article: c.modules[0].head for c in again.plan.chains if c.modules[0].head}
    assert [a for a, h in heads.items() if h.style == "vertical"] == turned
    first = {c.article: c.modules[0].head for c in planned.plan.chains if c.modules[0].head}
    assert all(heads[a] == first[a] for a in turned)


def test_plan_write_says_a_narrowed_lead_head(tmp_path):
    # paiban-auto page04: the strip beside the lead is one column wide (no 竖题 fits it), so the
    # lead's head is set over 4 of its 5 columns; the written description says so.
    shutil.copytree(PAGE_DIR.parents[1] / "paiban-auto" / "2025-10-09", tmp_path / "p")
    planned = api.layout(api.load_issue(tmp_path / "p" / "page04.yaml"))
    assert "(the lead's head over 4 cols)" in planned.auto.arrangement
    lead = planned.plan.chains[0].modules[0]
    assert (lead.head.span, lead.head.side, lead.region.bands[0].span) == (4, "right", 5)
    run = invoke(tmp_path / "p", "plan", "page04.yaml", "--write", "planned.yaml")
    assert run.returncode == 0, run.stderr
    again = api.layout(api.load_issue(tmp_path / "p" / "planned.yaml"))
    assert again.auto is None and regions(again) == regions(planned)
    assert again.plan.chains[0].modules[0].head == lead.head
