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


SAMPLES = PAGE_DIR.parents[1] / "paiban-auto" / "2025-10-09"


def _planned_with(tmp_path, kind: str):
    """The first sample page the planner sets with a head variant (``kind`` in its arrangement's
    name), copied with its files, and its planned result; the samples must have one."""
    shutil.copytree(SAMPLES, tmp_path / "p")
    for page in sorted((tmp_path / "p").glob("page0*.yaml")):
        if ".manual" in page.name:
            continue
        planned = api.layout(api.load_issue(page))
        if kind in planned.auto.arrangement:
            return page, planned
    raise AssertionError(f"no sample page is planned with {kind!r}")


def test_plan_write_says_a_vertical_head_the_planner_chose(tmp_path):
    # A sample page where the planner turns a head into a 竖题 (it would stand beside its
    # neighbour's): the written description says so, and renders the same heads.
    page, planned = _planned_with(tmp_path, "竖题")
    turned = [a.id for a in planned.auto.articles if a.head.is_vertical]
    assert turned
    run = invoke(tmp_path / "p", "plan", page.name, "--write", "planned.yaml")
    assert run.returncode == 0, run.stderr
    again = api.layout(api.load_issue(tmp_path / "p" / "planned.yaml"))
    assert again.auto is None and regions(again) == regions(planned)
    heads = {c.article: c.modules[0].head for c in again.plan.chains if c.modules[0].head}
    assert [a for a, h in heads.items() if h.style == "vertical"] == turned
    first = {c.article: c.modules[0].head for c in planned.plan.chains if c.modules[0].head}
    assert all(heads[a] == first[a] for a in turned)


def test_plan_write_says_a_narrowed_lead_head(tmp_path):
    # A sample page where the lead's head is set a column narrower than its module (kept off
    # the head beside it); the written description says so and renders the same head.
    page, planned = _planned_with(tmp_path, "(the lead's head over")
    lead = planned.plan.chains[0].modules[0]
    assert lead.head.span == max(b.span for b in lead.region.bands) - 1 >= 3
    run = invoke(tmp_path / "p", "plan", page.name, "--write", "planned.yaml")
    assert run.returncode == 0, run.stderr
    again = api.layout(api.load_issue(tmp_path / "p" / "planned.yaml"))
    assert again.auto is None and regions(again) == regions(planned)
    assert again.plan.chains[0].modules[0].head == lead.head


def test_plan_write_renders_the_page_the_planner_showed(tmp_path):
    # The written places are those page-level fit left (not the arithmetic's), and fit on the
    # written page charges heads a move would set level as the planner's did: a trial's written
    # page07/page09 rendered with an edge a line off and a photo 8 mm taller than the plan showed.
    from layout.compose.photoreport import photo_rows

    shutil.copytree(SAMPLES, tmp_path / "p")
    for name in ("page07.yaml", "page09.yaml"):
        planned = api.layout(api.load_issue(tmp_path / "p" / name))
        run = invoke(tmp_path / "p", "plan", name, "--write", "planned.yaml")
        assert run.returncode == 0, run.stderr
        again = api.layout(api.load_issue(tmp_path / "p" / "planned.yaml"))
        assert again.auto is None and regions(again) == regions(planned), name
        sizes = [(r.source, round(r.width_mm, 1), round(r.height_mm, 1)) for r in photo_rows(planned.page)]
        assert [(r.source, round(r.width_mm, 1), round(r.height_mm, 1)) for r in photo_rows(again.page)] == sizes
