"""Benchmark: from saving a one-character edit of page 05 to the browser showing the new page.

Serves a temporary copy of page 05 with ``paiban serve``'s own server (in this process, in a
thread, watching at its default interval), opens it in headless Chromium, then N times (after
one warm-up) changes one character of ``lead.md`` — the largest story, so the costliest
re-composition — and measures, per edit:

* **browser update**: from just before the file is written to the moment the page in the
  browser has loaded *and decoded* the new page image (``window.paibanUpdate.at``, set by the
  viewer; browser and bench share the machine's clock). Target: median ≤ 1 s (issue 20).
* **server render**: the re-render alone (load, layout, screen PDF, page image, thumbnail), as
  the server reports it;
* without a browser (or with ``--no-browser``): **event + image**, from the write to a
  ``page`` event on ``/events`` and the new page image fetched by an HTTP client.

It also times rasterising page 05 at the viewer's resolution from the print preview PDF (CMYK
photos) and from the screen PDF (RGB proxies), the measurement behind ``layout/serve/raster.py``.

    python bench/bench_serve.py [--runs 7] [--no-browser] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _benchlib import PAGE05, Stat, copy_page_folder, load_average, timed, verdict

TARGET_S = 1.0
"""Issue 20: the browser updates within about a second of saving."""

EDIT = ("的", "地")
"""The one character swapped back and forth in lead.md (same length: only the text changes)."""

TIMEOUT_S = 20.0
"""Seconds to wait for one update before giving up."""


def _edit(body: Path, n: int) -> float:
    """Swap the first EDIT character of ``body`` (alternately there and back); return the time."""
    old, new = EDIT if n % 2 == 0 else EDIT[::-1]
    text = body.read_text(encoding="utf-8")
    assert old in text, f"{body} has no {old!r}"
    changed = text.replace(old, new, 1)
    t0 = time.time()
    body.write_text(changed, encoding="utf-8")
    return t0


def _browser_runs(url: str, hub, body: Path, runs: int) -> dict:
    from browser import chromium

    driver = chromium(1400, 900)
    try:
        driver.get(url)
        deadline = time.monotonic() + TIMEOUT_S
        while not driver.execute_script("return Number(document.body.dataset.goodVersion) >= 1"):
            if time.monotonic() > deadline:
                raise RuntimeError("the page did not load")
            time.sleep(0.02)
        latencies, renders = [], []
        for n in range(runs + 1):
            before = driver.execute_script("return window.paibanUpdate.good")
            t0 = _edit(body, n)
            deadline = time.monotonic() + TIMEOUT_S
            while True:
                update = driver.execute_script("return window.paibanUpdate")
                if update["good"] > before:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("the browser did not update")
                time.sleep(0.005)
            if n:  # the first edit warms the layout caches of the changed story
                latencies.append(update["at"] / 1000.0 - t0)
                renders.append(hub.pages[0].good.seconds)
        return {"browser update": Stat.of(latencies), "server render": Stat.of(renders)}
    finally:
        driver.quit()


def _sse_runs(url: str, hub, body: Path, runs: int) -> dict:
    import httpx

    latencies, renders = [], []
    with (
        httpx.Client(base_url=url, timeout=TIMEOUT_S) as client,
        client.stream("GET", "/events") as response,
    ):
        lines = response.iter_lines()
        for n in range(runs + 1):
            t0 = _edit(body, n)
            for line in lines:
                if line.startswith("data: ") and '"version"' in line and '"pages"' not in line:
                    break
            state = client.get("/api/pages/0").json()
            client.get(state["images"]["page"]).raise_for_status()
            if n:
                latencies.append(time.time() - t0)
                renders.append(hub.pages[0].good.seconds)
    return {"event + image": Stat.of(latencies), "server render": Stat.of(renders)}


def _raster_costs(runs: int) -> dict:
    from layout import api, preview
    from layout.serve import raster

    result = api.layout(api.load_issue(PAGE05))
    print_pdf = preview.preview_pdf_bytes(result)
    screen = raster.screen_pdf(result)
    dpi = raster.PAGE_DPI
    return {
        f"rasterise at {dpi} dpi, print preview PDF (CMYK photos)": timed(
            lambda: preview.rasterize(print_pdf, dpi), runs
        )[0],
        f"rasterise at {dpi} dpi, screen PDF (RGB proxies)": timed(
            lambda: preview.rasterize(screen, dpi), runs
        )[0],
        "screen PDF, proxies cached": timed(lambda: raster.screen_pdf(result), runs)[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--no-browser", action="store_true", help="measure with an HTTP client only"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from browser import missing

    from layout.serve import hub as HUB
    from layout.serve import in_thread, make_app

    reason = None if not args.no_browser else "--no-browser"
    reason = reason or missing()
    out: dict = {"load": load_average(), "poll_interval_s": HUB.POLL_INTERVAL}
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        page = copy_page_folder(Path(tmp) / "p")
        app = make_app(page)
        with in_thread(app) as url:
            hub = app.state.hub
            deadline = time.monotonic() + TIMEOUT_S
            while hub.pages[0].good is None and time.monotonic() < deadline:
                time.sleep(0.02)
            body = page.parent / "lead.md"
            stats = (
                _sse_runs(url, hub, body, args.runs)
                if reason
                else _browser_runs(url, hub, body, args.runs)
            )
    stats.update(_raster_costs(args.runs))
    key = "event + image" if reason else "browser update"
    median = stats[key].median
    out.update(
        {k: v.as_dict() for k, v in stats.items()},
        measured=key,
        target_s=TARGET_S,
        verdict=verdict(median, TARGET_S),
        browser=reason or "headless chromium",
    )
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(
            f"paiban serve, one-character edit of page 05's lead.md, {args.runs} runs "
            f"(poll every {HUB.POLL_INTERVAL:g} s; {out['browser']}; {out['load']})"
        )
        for name, st in stats.items():
            mark = f"   target ≤ {TARGET_S:g} s: {out['verdict']}" if name == key else ""
            print(
                f"  {name:<58} {st.median * 1000:7.0f} ms  "
                f"({st.min * 1000:.0f}–{st.max * 1000:.0f}){mark}"
            )
        if reason:
            print(f"  (no browser: {reason})")
    return 0 if out["verdict"] == "pass" else 1


if __name__ == "__main__":
    sys.exit(main())
