"""The cache: plain data only, bounded with least-recently-used pruning, shown and cleared.

Every test runs against a private ``PAIBAN_CACHE_DIR``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from layout import cache, imagecache
from layout.cli import app
from layout.imagecache import PreparedImage

MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(root))
    monkeypatch.delenv("PAIBAN_CACHE_MAX_MB", raising=False)
    monkeypatch.setitem(cache._STATE, "total", None)
    monkeypatch.setitem(cache._STATE, "obsolete_checked", False)
    return root


def _age(path: Path, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_write_read_marks_used(private_cache):
    cache.write("images", "a.bin", b"abc")
    path = private_cache / "images" / "a.bin"
    _age(path, 3600)
    assert cache.read("images", "a.bin") == b"abc"
    assert time.time() - path.stat().st_mtime < 60  # a read is a use
    assert cache.read("images", "missing") is None
    assert not list((private_cache / "images").glob(".tmp-*"))


def test_pruning_removes_least_recently_used_first(private_cache, monkeypatch):
    monkeypatch.setenv("PAIBAN_CACHE_MAX_MB", "1")
    for i in range(5):
        cache.write("fontsubsets", f"{i}.zz", b"x" * 300_000)
    folder = private_cache / "fontsubsets"
    for i in range(5):
        _age(folder / f"{i}.zz", 7200 - i * 600)  # 0 is the oldest
    cache.read("fontsubsets", "1.zz")  # used now: kept however old it was
    removed, freed = cache.prune()
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["1.zz", "4.zz"] and (removed, freed) == (3, 900_000)
    assert sum(p.stat().st_size for p in folder.iterdir()) <= 0.8 * MIB


def test_recent_entries_are_never_pruned(private_cache, monkeypatch):
    monkeypatch.setenv("PAIBAN_CACHE_MAX_MB", "0.5")
    for i in range(3):
        cache.write("images", f"{i}.pim", b"x" * 300_000)  # over the bound on the second write
    assert len(list((private_cache / "images").iterdir())) == 3  # all used in the last minutes


def test_writing_prunes_when_over_the_bound(private_cache, monkeypatch):
    monkeypatch.setenv("PAIBAN_CACHE_MAX_MB", "1")
    folder = private_cache / "images"
    cache.write("images", "old.pim", b"x" * 700_000)
    _age(folder / "old.pim", 3600)
    cache.write("images", "new.pim", b"y" * 700_000)  # 1.4 MB > 1 MiB: the old entry goes
    assert sorted(p.name for p in folder.iterdir()) == ["new.pim"]


def test_clear_and_usage_touch_only_the_caches_own_files(private_cache):
    cache.write("images", "a.pim", b"1234")
    (private_cache / "metrics").mkdir(parents=True)
    (private_cache / "metrics" / "m.json").write_bytes(b"12")  # fonts share the root here
    (private_cache / "Face-0-abc.ttf").write_bytes(b"123")
    (private_cache / "notes.txt").write_text("mine")  # not the cache's: stays
    parts = {name: (size, files) for name, size, files in cache.usage().parts}
    assert parts["images"] == (4, 1) and parts["fonts"] == (5, 2)
    assert cache.usage().total == 9
    assert cache.clear() == (3, 9)
    assert sorted(p.name for p in private_cache.iterdir()) == ["notes.txt"]


def test_obsolete_pickled_faces_are_removed(private_cache):
    old = private_cache / "reportlab"
    old.mkdir(parents=True)
    (old / "face.pickle").write_bytes(b"\x80\x05.")
    (private_cache / "metrics").mkdir()
    (private_cache / "metrics" / "abc.marshal").write_bytes(b"{")
    (private_cache / "metrics" / "abc.metrics").write_bytes(b"PBFM")
    cache.write("images", "a.pim", b"1")
    assert not old.exists()
    assert [p.name for p in (private_cache / "metrics").iterdir()] == ["abc.metrics"]


def test_prepared_photo_entries_are_checked_against_their_digest(private_cache):
    image = PreparedImage(b"\xff\xd8jpeg bytes\xff\xd9", "CMYK", (30, 20), "")
    imagecache.store("k", image)
    hit = imagecache.load("k")
    assert hit is not None and (hit.data, hit.mode, hit.px) == (image.data, "CMYK", (30, 20))
    path = private_cache / "images" / "k.pim"
    path.write_bytes(path.read_bytes()[:-3] + b"bad")  # damaged or planted data
    assert imagecache.load("k") is None
    path.write_bytes(b"not an entry")
    assert imagecache.load("k") is None


def test_probe_entries_name_their_digest(private_cache):
    digest = "ab" * 32
    imagecache.store_probe(digest, (2700, 1800))
    assert imagecache.load_probe(digest) == (2700, 1800)
    assert imagecache.load_probe("cd" * 32) is None


def test_nothing_in_the_package_unpickles():
    import ast

    root = Path(__file__).resolve().parent.parent / "layout"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] in ("pickle", "shelve", "dill") for n in names), path


def test_paiban_cache_shows_and_clears(private_cache):
    cache.write("fontsubsets", "a.zz", b"x" * 2048)
    runner = CliRunner()
    shown = runner.invoke(app, ["cache"])
    assert shown.exit_code == 0, shown.output
    assert str(private_cache) in shown.output and "fontsubsets" in shown.output
    assert "of 512 MiB" in shown.output
    cleared = runner.invoke(app, ["cache", "--clear"])
    assert cleared.exit_code == 0 and "1 files" in cleared.output
    assert not (private_cache / "fontsubsets").exists()


def test_output_does_not_depend_on_what_the_cache_holds(private_cache):
    """Same bytes with an empty cache, with a warm one, and with the memos of this process
    forgotten (everything read back from disk)."""
    from layout import api
    from layout.pdf import cidfont, finish, photos

    page05 = Path(__file__).resolve().parent.parent / "issues" / "zhuzhou-daily" / "2024-03-06" / "page05.yaml"

    def render() -> bytes:
        cidfont.clear_memo()
        photos.clear_memo()
        api._SOURCES.clear()
        finish._PROFILES.clear()
        return api.render_pdf_bytes(api.layout(api.load_issue(page05)))

    cold = render()
    assert (private_cache / "fontsubsets").is_dir() and (private_cache / "images").is_dir()
    assert render() == cold
