"""``paiban serve`` as a real server in this process: the watcher, the event stream, raw requests.

The server runs in a thread (``layout.serve.in_thread``) on a free loopback port and watches
a copy of page 05; a save of a body file must reach an open event stream as a ``page`` event
with the new version, and raw HTTP requests that no client would normalise must not escape.
"""

from __future__ import annotations

import json
import shutil
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from layout.serve import in_thread, make_app

ROOT = Path(__file__).resolve().parent.parent
PAGE_DIR = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06"
NEW_PARAGRAPH = "市交警支队提醒广大驾驶人，雨天行车要减速慢行，保持安全车距。"
"""Copy appended to rescue.md (written for these tests)."""

WAIT = 10.0
"""Seconds a test waits for a render or an event before failing."""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("events")
    shutil.copytree(PAGE_DIR, tmp_path / "p")
    app = make_app(tmp_path / "p" / "page05.yaml", interval=0.05)
    with in_thread(app) as url:
        hub = app.state.hub
        deadline = time.monotonic() + WAIT
        while hub.pages[0].good is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert hub.pages[0].good is not None, "the first render did not finish"
        yield url, tmp_path / "p"


def events(response):
    """Parse a server-sent event stream into (event, data) pairs."""
    name, data = None, []
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data.append(line[6:])
        elif line == "" and name:
            yield name, json.loads("\n".join(data))
            name, data = None, []


def test_a_saved_body_file_reaches_the_event_stream(server):
    url, folder = server
    with httpx.Client(base_url=url, timeout=WAIT) as client:
        with client.stream("GET", "/events") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            stream = events(response)
            name, hello = next(stream)
            assert name == "hello" and [p["page"] for p in hello["pages"]] == [0]
            version = hello["pages"][0]["version"]
            before = {
                f["id"]: f["chars"] for f in client.get("/api/pages/0").json()["layout"]["fit"]
            }
            with open(folder / "rescue.md", "a", encoding="utf-8") as fh:
                fh.write("\n\n" + NEW_PARAGRAPH + "\n")
            saved = time.monotonic()
            name, event = next(stream)
            elapsed = time.monotonic() - saved
        assert name == "page" and event == {"page": 0, "version": version + 1, "status": "underset"}
        assert elapsed < WAIT
        st = client.get("/api/pages/0").json()
        after = {f["id"]: f["chars"] for f in st["layout"]["fit"]}
        assert st["good_version"] == version + 1 and after == {
            **before,
            "rescue": before["rescue"] + len(NEW_PARAGRAPH),
        }
        assert client.get(st["images"]["page"]).status_code == 200


def raw_get(url: str, target: str) -> bytes:
    """Send ``GET target`` exactly as written (no client-side normalisation); return the reply."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=WAIT) as sock:
        sock.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return reply


@pytest.mark.parametrize(
    "target",
    [
        "/static/../../pyproject.toml",
        "/static/../../../../../../etc/passwd",
        "/api/pages/0/../../rescue.md",
        "/../page05.yaml",
        "/static/..\\..\\pyproject.toml",
        "/api/pages/0/v1/tiles/200/0/../../../../../../etc/passwd",
    ],
)
def test_raw_traversal_requests_are_not_found(server, target):
    url, _ = server
    reply = raw_get(url, target)
    status = reply.split(b"\r\n", 1)[0]
    assert status.split()[1] in (b"400", b"404"), status
    assert b"[project]" not in reply and b"root:" not in reply and "株洲".encode() not in reply
