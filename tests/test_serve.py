"""``paiban serve``: every endpoint through Starlette's TestClient, on copies of page 05.

Renders run synchronously here (``watch=False`` and ``hub.render_all()`` / ``hub.poll_once()``),
so each test says exactly which render it looks at; the watcher thread and the event stream
are tested against a real server in ``test_serve_events.py``.
"""

from __future__ import annotations

import io
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

with warnings.catch_warnings():
    # Starlette 1.10 prefers the httpx2 fork for its test client and warns when it finds httpx;
    # httpx is the well-known one, and what the test extra installs.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from layout import api, preview, regress
from layout.errors import PaibanError
from layout.serve import bind, is_loopback, make_app, pages_of, raster
from layout.serve.app import STATIC

ROOT = Path(__file__).resolve().parent.parent
PAGE_DIR = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06"
BASE = "http://127.0.0.1"
NEW_PARAGRAPH = "市交警支队提醒广大驾驶人，雨天行车要减速慢行，保持安全车距。"
"""Copy added to rescue.md by the edit tests (30 characters, written for these tests)."""


def copy_page(dest: Path) -> Path:
    """A private copy of page 05's folder; returns its description."""
    shutil.copytree(PAGE_DIR, dest, ignore=shutil.ignore_patterns("page05-auto.yaml"))
    return dest / "page05.yaml"


def client_for(target, **kw) -> TestClient:
    app = make_app(target, watch=False, **kw)
    app.state.hub.render_all()
    return TestClient(app, base_url=BASE)


def png(response) -> Image.Image:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A client of one page 05 copy rendered once, and that copy's own layout for reference."""
    page = copy_page(tmp_path_factory.mktemp("serve") / "p")
    with client_for(page) as client:
        yield client, api.layout(api.load_issue(page)), page


# ---------------------------------------------------------------- viewer and static files


def test_index_and_static_files_are_the_packaged_viewer(served):
    client, _, _ = served
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<script src="/static/app.js">' in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    for name, media in STATIC.items():
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and r.headers["content-type"] == media
        assert r.content == (ROOT / "layout" / "serve" / "static" / name).read_bytes()


# ---------------------------------------------------------------- page state


def test_edition_lists_the_page_with_its_fit_status(served):
    client, result, _ = served
    ed = client.get("/api/edition").json()
    assert ed["folder"] is False and [p["name"] for p in ed["pages"]] == ["page05.yaml"]
    page = ed["pages"][0]
    underset = sum(f.underset_lines for f in result.fit)
    assert underset > 0 and not result.overset  # page 05 fits with a few empty line slots
    assert page["status"] == "underset" and page["summary"]["underset_lines"] == underset
    assert page["summary"]["overset_chars"] == 0 and page["summary"]["flows"] == len(result.fit)
    thumb = png(client.get(page["thumb"]))
    assert thumb.size == preview.page_px(result.page.width, result.page.height, raster.THUMB_DPI)


def test_page_state_describes_modules_fit_heads_and_photos(served):
    client, result, _ = served
    st = client.get("/api/pages/0").json()
    L = st["layout"]
    assert st["status"] == "underset" and st["error"] is None and st["good_version"] == 1
    assert [(m["id"], m["col"], m["span"]) for m in L["modules"]] == [
        ("masthead", 7, 2),
        ("lead", 1, 6),
        ("rescue", 7, 2),
        ("judicial-meeting", 1, 3),
        ("students", 4, 5),
    ]
    grid = result.grid
    for m, placed in zip(L["modules"], result.modules):
        r = placed.region.bbox
        assert (m["id"], m["top"], m["bottom"], m["shape"]) == (placed.label, r.top, r.end, placed.region.shape)
        assert m["rect"] == pytest.approx(preview.module_rect(grid, r.col, r.span, r.top, r.end), abs=0.005)
    assert [
        (
            f["id"],
            f["capacity_lines"],
            f["used_lines"],
            f["overset_chars"],
            f["underset_lines"],
            f["chars"],
        )
        for f in L["fit"]
    ] == [
        (f.id, f.capacity_lines, f.used_lines, f.overset_chars, f.underset_lines, f.chars)
        for f in result.fit
    ]
    students = next(m for m in L["modules"] if m["id"] == "students")
    assert students["fit"] == ["students", "students/sidebar"]
    lead = next(m for m in L["modules"] if m["id"] == "lead")
    head = next(
        g
        for g in result.page.root.walk()
        if getattr(g, "kind", None) == "headline" and g.id == "lead"
    )
    assert [r["text"] for r in lead["head"]["rows"]] == [line.text for line in head.lines()]
    assert lead["head"]["lines"] == round(head.h / grid.pitch)
    images = [i for i in result.page.root.walk() if type(i).__name__ == "Image"]
    photos = [p for m in L["modules"] for p in m["photos"]]
    assert [(p["file"], p["px"], p["ppi"]) for p in photos] == [
        (i.source, list(i.px), round(i.ppi)) for i in images
    ]
    assert [p["file"] for p in lead["photos"]] == [
        "photos/lead-police-camp.jpg",
        "photos/lead-circuit-court.jpg",
    ]
    set_lines = [
        ln
        for ln in result.page.root.lines()
        if ln.kind in ("body", "caption", "subhead", "sidebar")
    ]
    assert len(L["baselines"]) == len(set_lines) > 300
    assert len(L["grid"]["columns"]) == grid.columns == 8 and L["grid"]["lines"] == grid.lines
    assert {f["kind"] for f in L["frames"]} == {"headline", "photo", "sidebar"}


def test_module_warnings_are_the_ones_that_name_it():
    from layout.serve.adapter import _mentions

    assert _mentions("article lead: the headline block needs 9 lines", "lead", [])
    assert not _mentions("article lead-2: head row '…' is wider", "lead", [])
    assert _mentions("/x/photos/a.jpg: effective resolution 150 ppi", "lead", ["photos/a.jpg"])
    assert not _mentions("empty area: column 3, lines 4–80", "lead", ["photos/a.jpg"])


# ---------------------------------------------------------------- images


def test_page_image_is_the_print_preview_of_the_same_frames(served):
    client, result, _ = served
    st = client.get("/api/pages/0").json()
    image = png(client.get(st["images"]["page"])).convert("RGB")
    assert st["images"]["dpi"] == raster.PAGE_DPI
    reference = preview.render_image(result, raster.PAGE_DPI).convert("RGB")
    assert image.size == reference.size
    delta = np.abs(np.asarray(image, dtype=int) - np.asarray(reference, dtype=int)).max(axis=2)
    # Text and rules are the same pixels; photos differ by their proxy's JPEG rounding only.
    assert delta.mean() < 1.0 and delta.max() <= 32


def test_tiles_are_exact_pieces_of_the_page_at_their_resolution(served):
    client, result, _ = served
    st = client.get("/api/pages/0").json()
    im = st["images"]
    dpi = im["tile_dpis"][0]
    nx, ny = im["tiles"][str(dpi)]
    full_w, full_h = preview.page_px(result.page.width, result.page.height, dpi)
    assert (nx, ny) == (-(-full_w // raster.TILE_PX), -(-full_h // raster.TILE_PX))
    hub = client.app.state.hub
    full = preview.rasterize(hub.pages[0].good.pdf, dpi).convert("RGB")
    for tx, ty in ((1, 2), (nx - 1, ny - 1)):
        url = im["tile"].format(dpi=dpi, x=tx, y=ty)
        tile = png(client.get(url)).convert("RGB")
        x0, y0 = tx * raster.TILE_PX, ty * raster.TILE_PX
        assert tile.size == (min(raster.TILE_PX, full_w - x0), min(raster.TILE_PX, full_h - y0))
        ref = full.crop((x0, y0, x0 + tile.size[0], y0 + tile.size[1]))
        assert np.abs(np.asarray(tile, dtype=int) - np.asarray(ref, dtype=int)).max() <= 2
    assert client.get(im["tile"].format(dpi=dpi, x=nx, y=0)).status_code == 404
    assert client.get(im["tile"].format(dpi=300, x=0, y=0)).status_code == 404  # not a zoom level


# ---------------------------------------------------------------- safety

TRAVERSALS = [
    "/static/../pyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%5c..%5cpyproject.toml",
    "/static/index.html%00.png",
    "/static/APP.JS",
    "/static/",
    "/static/app.js/../../../pyproject.toml",
    "/page05.yaml",
    "/rescue.md",
    "/photos/traffic-rescue.jpg",
    "/issues/zhuzhou-daily/2024-03-06/page05.yaml",
    "//etc/passwd",
    "/api/pages/0/../../../../etc/passwd",
    "/api/pages/-1",
    "/api/pages/1",
    "/api/pages/99999999999999999999",
    "/api/pages/0/v1/..%2f..%2fpage05.yaml",
    "/api/pages/0/v1/tiles/200/0/..%2f..%2f..%2fpyproject.toml",
    "/api/pages/0/v1/diff/..%2fpage05.yaml.png",
    "/api/pages/0/v1/diff/../../../../etc/passwd.png",
    "/api/pages/0/v1/page.png/../../../rescue.md",
    "/api/pages/%30/v1/../../../etc/passwd",
    "/etc/passwd",
    "/api/pages/0%2f..%2f..%2fpage05.yaml",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_no_path_reaches_a_file(served, url):
    client, _, _ = served
    r = client.get(url)
    assert r.status_code == 404, (url, r.status_code)
    for secret in ("[project]", "root:", "articles:", "株洲市", "JFIF"):
        assert secret not in r.text


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/static/app.js",
        "/api/edition",
        "/api/pages/0",
        "/api/pages/0/diff",
        "/api/pages/0/v1/page.png",
        "/api/pages/0/v1/thumb.png",
        "/events",
        "/api/pages/0/v1/tiles/200/0/0.png",
        "/api/pages/0/v1/diff/current.png",
    ],
)
def test_the_server_is_read_only(served, method, url):
    client, _, _ = served
    assert client.request(method, url).status_code == 405


def test_head_requests_are_answered(served):
    client, _, _ = served
    r = client.head("/api/pages/0/v1/page.png")
    assert r.status_code == 200 and int(r.headers["content-length"]) > 100_000 and r.content == b""


def test_a_foreign_host_header_is_refused_on_loopback(served, tmp_path):
    client, _, _ = served
    assert client.get("/api/edition", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/api/edition", headers={"host": "localhost:8000"}).status_code == 200
    app = make_app(
        copy_page(tmp_path / "p"), watch=False, loopback=False
    )  # --host 0.0.0.0: any name
    with TestClient(app, base_url="http://paiban.lan") as other:
        assert other.get("/api/edition").status_code == 200


def test_binding_defaults_to_this_machine_and_a_busy_port_is_a_user_error():
    sock = bind("127.0.0.1", 0)
    try:
        host, port = sock.getsockname()[:2]
        assert host == "127.0.0.1" and port > 0
        with pytest.raises(PaibanError) as err:
            bind("127.0.0.1", port)
        assert "--port" in err.value.hint
    finally:
        sock.close()
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert (
        not is_loopback("0.0.0.0")
        and not is_loopback("192.168.1.20")
        and not is_loopback("example.com")
    )


# ---------------------------------------------------------------- live edits


def test_a_description_that_becomes_invalid_and_valid_again(tmp_path):
    page = copy_page(tmp_path / "p")
    with client_for(page) as client:
        hub = client.app.state.hub
        good_png = client.get("/api/pages/0/v1/page.png").content
        text = page.read_text(encoding="utf-8")
        broken = text.replace("top: 0, height: 86}", "top: 0, heigth: 86}", 1)
        assert broken != text
        line = text[: text.index("top: 0, height: 86}")].count("\n") + 1
        page.write_text(broken, encoding="utf-8")
        assert hub.poll_once() == [0]
        st = client.get("/api/pages/0").json()
        assert st["status"] == "error" and st["version"] == 2 and st["good_version"] == 1
        err = st["error"]
        assert err["file"].endswith("page05.yaml") and err["line"] == line
        assert (
            err["field"] == "articles.0.place.heigth" and "heigth" in err["message"] and err["hint"]
        )
        assert st["layout"]["modules"][1]["id"] == "lead"  # the last good render stays visible
        assert client.get(st["images"]["page"]).content == good_png
        assert client.get("/api/edition").json()["pages"][0]["status"] == "error"
        assert hub.poll_once() == []  # nothing changed since: no render
        page.write_text(text, encoding="utf-8")
        assert hub.poll_once() == [0]
        st = client.get("/api/pages/0").json()
        assert st["status"] == "underset" and st["error"] is None and st["good_version"] == 3


def test_body_files_missing_restored_and_edited(tmp_path):
    page = copy_page(tmp_path / "p")
    with client_for(page) as client:
        hub = client.app.state.hub

        def state():
            return client.get("/api/pages/0").json()

        def image(version: int):
            return client.get(f"/api/pages/0/v{version}/page.png")

        first = image(1).content
        before = {f["id"]: f for f in state()["layout"]["fit"]}
        body = page.parent / "rescue.md"
        saved = body.read_bytes()
        body.unlink()
        assert hub.poll_once() == [0]
        err = state()["error"]
        assert err["field"].endswith("body_file") and err["line"] and "rescue.md" in err["message"]
        body.write_bytes(saved)
        assert hub.poll_once() == [0]
        st = state()
        assert st["error"] is None and st["good_version"] == 3
        assert image(3).content == first  # the same files again: the same pixels
        with open(body, "a", encoding="utf-8") as fh:
            fh.write("\n\n" + NEW_PARAGRAPH + "\n")
        assert hub.poll_once() == [0]
        st = state()
        after = {f["id"]: f for f in st["layout"]["fit"]}
        assert after["rescue"]["chars"] == before["rescue"]["chars"] + len(NEW_PARAGRAPH)
        assert after["rescue"]["used_lines"] > before["rescue"]["used_lines"]
        assert after["lead"] == before["lead"]
        # The two latest good renders stay servable (a browser may still be fetching the older).
        assert st["good_version"] == 4 and image(4).content != image(3).content
        assert image(1).status_code == 404


# ---------------------------------------------------------------- edition and diff


def test_a_folder_is_an_edition_of_its_pages(tmp_path):
    copy_page(tmp_path / "ed" / "a")
    bad = copy_page(tmp_path / "ed" / "b")
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("span: 6,", "span: 9,", 1), encoding="utf-8"
    )
    paths, root = pages_of(tmp_path / "ed")
    assert [p.relative_to(root).as_posix() for p in paths] == ["a/page05.yaml", "b/page05.yaml"]
    with client_for(tmp_path / "ed") as client:
        ed = client.get("/api/edition").json()
        assert ed["folder"] is True and ed["root"] == "ed"
        assert [(p["name"], p["status"]) for p in ed["pages"]] == [
            ("a/page05.yaml", "underset"),
            ("b/page05.yaml", "error"),
        ]
        assert ed["pages"][1]["thumb"] is None and "run off" in ed["pages"][1]["error"]["message"]
        st = client.get("/api/pages/1").json()
        assert st["layout"] is None and st["images"] is None and st["good_version"] is None
        png(client.get(ed["pages"][0]["thumb"]))


def test_the_diff_view_compares_with_the_approved_baseline_read_only(tmp_path):
    page = copy_page(tmp_path / "p")
    baseline = tmp_path / "baseline"
    regress.approve(page, baseline)
    before = {p.name: p.stat().st_mtime_ns for p in baseline.iterdir()}
    body = page.parent / "rescue.md"
    body.write_text(body.read_text(encoding="utf-8").replace("交警", "民警", 1), encoding="utf-8")
    with client_for(page, baseline=baseline) as client:
        d = client.get("/api/pages/0/diff").json()
        assert d["available"] is True and d["ok"] is False and d["snapshot_equal"] is False
        assert d["structural"] and all(s.startswith("article rescue:") for s in d["structural"])
        assert d["changed_px"] > 0 and "DIFFERENT" in d["pixels"]
        old = Image.open(baseline / regress.PAGE_FILE)
        images = {w: png(client.get(url)) for w, url in d["images"].items()}
        assert list(images) == ["baseline", "current", "difference"]
        assert (
            client.get(d["images"]["baseline"]).content
            == (baseline / regress.PAGE_FILE).read_bytes()
        )
        assert all(im.size == old.size for im in images.values())
        diff = np.asarray(images["difference"].convert("RGB"), dtype=int)
        assert ((diff[..., 0] > 200) & (diff[..., 1] < 60)).sum() >= d[
            "changed_px"
        ] // 2  # changes in red
        assert client.get("/api/pages/0/v1/diff/other.png").status_code == 404
    assert {
        p.name: p.stat().st_mtime_ns for p in baseline.iterdir()
    } == before  # nothing written there


def test_the_diff_view_without_a_baseline_says_how_to_get_one(served):
    client, _, _ = served
    d = client.get("/api/pages/0/diff").json()
    assert d["available"] is False and "--baseline" in d["reason"] and "paiban approve" in d["hint"]
    assert client.get("/api/pages/0/v1/diff/current.png").status_code == 404


# ---------------------------------------------------------------- command line


def test_cli_serve_binds_loopback_by_default(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    import layout.serve
    from layout.cli import app

    calls = []
    monkeypatch.setattr(layout.serve, "serve", lambda target, **kw: calls.append((target, kw)))
    page = copy_page(tmp_path / "p")
    result = CliRunner().invoke(app, ["serve", str(page)])
    assert result.exit_code == 0, result.output
    ((target, kw),) = calls
    assert (
        target == page
        and kw["host"] == "127.0.0.1"
        and kw["port"] == 8000
        and kw["baseline"] is None
    )
    result = CliRunner().invoke(app, ["serve", str(page), "--port", "0", "--host", "0.0.0.0"])
    assert calls[-1][1]["host"] == "0.0.0.0" and calls[-1][1]["port"] == 0


def test_cli_serve_reports_a_missing_target_as_a_user_error(monkeypatch, capsys, tmp_path):
    from layout.cli import main

    for target, message in (
        (tmp_path / "nothing.yaml", "file or folder not found"),
        (tmp_path, "no .yaml descriptions"),
    ):
        monkeypatch.setattr("sys.argv", ["paiban", "serve", str(target), "--port", "0"])
        with pytest.raises(SystemExit) as exit_:
            main()
        err = capsys.readouterr().err
        assert (
            exit_.value.code == 2 and message in err and "hint:" in err and "Traceback" not in err
        )
