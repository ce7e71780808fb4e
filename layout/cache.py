"""Cache: where Paiban keeps work it can redo, how large it may grow, and how it is pruned.

``$PAIBAN_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/paiban``, else ``~/.cache/paiban``; each
kind of entry has its own subfolder: ``images`` (prepared print photos and what a photo file's
header says), ``fontsubsets`` (embedded font programs), ``profiles`` (deflated output
profiles) and the font cache of ``fonts``
(converted CFF faces and metrics; directly in ``$PAIBAN_CACHE_DIR`` when that is set).

Entries are plain data — JPEG, TrueType, JSON — written atomically and read back as data:
nothing here is unpickled or executed, so a file someone else put in the folder can at worst
spoil one output, never run code. Every read marks its entry used (mtime), and when the cache
grows past ``max_bytes()`` (``$PAIBAN_CACHE_MAX_MB``, default ``DEFAULT_MAX_MB``) the entries
used least recently are removed until it is back under ``PRUNE_TO`` of the bound. Entries used
in the last ``GRACE_SECONDS`` are never removed, so a render does not lose what it just read.
``paiban cache`` shows the folder and its size; ``paiban cache --clear`` empties it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_MB = 512
"""Size bound of the whole cache in MiB when ``$PAIBAN_CACHE_MAX_MB`` is not set."""

PRUNE_TO = 0.8
"""Pruning stops when the cache is below this fraction of the bound (so it does not prune
again on the next write)."""

GRACE_SECONDS = 600.0
"""Entries used more recently than this are never pruned (a render in progress needs them)."""

KINDS = ("images", "fontsubsets", "profiles")
"""Subfolders whose entries this module writes."""

OBSOLETE = ("reportlab",)
"""Subfolders of earlier versions (ReportLab's pickled faces), removed on the first write."""

OBSOLETE_FONT_FILES = ("metrics/*.marshal",)
"""Files of earlier versions in the font cache (marshalled metrics), removed on the first write."""

MIB = 1024 * 1024

_STATE = {"total": None, "obsolete_checked": False}


def cache_root() -> Path:
    """The folder all caches live under."""
    env = os.environ.get("PAIBAN_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "paiban"


def cache_dir(kind: str) -> Path:
    """The subfolder for one kind of cache entry, e.g. ``images``."""
    return cache_root() / kind


def fonts_dir() -> Path:
    """The font cache of ``fonts`` (converted faces, metrics): ``$PAIBAN_CACHE_DIR`` itself when
    that is set (where earlier versions put it), else the ``fonts`` subfolder."""
    env = os.environ.get("PAIBAN_CACHE_DIR")
    return Path(env).expanduser() if env else cache_root() / "fonts"


def max_bytes() -> int:
    """The size bound of the cache in bytes (``$PAIBAN_CACHE_MAX_MB``, else ``DEFAULT_MAX_MB``)."""
    try:
        mb = float(os.environ.get("PAIBAN_CACHE_MAX_MB", DEFAULT_MAX_MB))
    except ValueError:
        mb = DEFAULT_MAX_MB
    return max(0, int(mb * MIB))


def _font_places() -> list[Path]:
    """Where ``fonts`` keeps its cache: its folder, or its files when it shares the root."""
    fdir, root = fonts_dir(), cache_root()
    if fdir == root:  # $PAIBAN_CACHE_DIR: converted faces and metrics sit in the root itself
        return [fdir / "metrics", *sorted(fdir.glob("*.ttf"))]
    return [fdir]


def touch(path: Path) -> None:
    """Mark a cache file as used now, when it lies in the cache (no-op elsewhere)."""
    try:
        Path(path).relative_to(cache_root())
        os.utime(path)
    except (ValueError, OSError):
        pass


def _places() -> list[Path]:
    """Every file or folder the cache consists of (never anything else in the root)."""
    root = cache_root()
    return [root / k for k in (*KINDS, *OBSOLETE)] + _font_places()


def _files(places: list[Path]):
    """(path, size, mtime) of every regular file under ``places``."""
    for place in places:
        if place.is_file():
            st = place.stat()
            yield place, st.st_size, st.st_mtime
            continue
        if not place.is_dir():
            continue
        for dirpath, _dirs, names in os.walk(place):
            for name in names:
                p = Path(dirpath) / name
                try:
                    st = p.lstat()
                except OSError:
                    continue
                yield p, st.st_size, st.st_mtime


def read(kind: str, name: str) -> bytes | None:
    """The bytes of entry ``name`` of ``kind``, marked as used now; None if absent."""
    path = cache_dir(kind) / name
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        os.utime(path)
    except OSError:
        pass
    return data


def atomic_write(dest: Path, write) -> None:
    """Write ``dest`` through ``write(fh)`` on a temporary file beside it, then ``os.replace``
    (a reader never sees a torn entry; the temporary file goes if anything fails)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write(kind: str, name: str, data: bytes) -> None:
    """Store ``data`` as entry ``name`` of ``kind`` atomically; prune when over the bound.

    A cache that cannot be written only costs speed, so failures are ignored.
    """
    try:
        atomic_write(cache_dir(kind) / name, lambda fh: fh.write(data))
    except OSError:
        return
    if not _STATE["obsolete_checked"]:
        _STATE["obsolete_checked"] = True
        for old in OBSOLETE:
            shutil.rmtree(cache_root() / old, ignore_errors=True)
        for pattern in OBSOLETE_FONT_FILES:
            for stale in fonts_dir().glob(pattern):
                try:
                    stale.unlink()
                except OSError:
                    pass
    if _STATE["total"] is None:
        _STATE["total"] = sum(size for _p, size, _m in _files(_places()))
    else:
        _STATE["total"] += len(data)
    if _STATE["total"] > max_bytes():
        prune()


def prune(limit: int | None = None) -> tuple[int, int]:
    """Remove least-recently-used entries until the cache is under ``PRUNE_TO`` × ``limit``
    (default ``max_bytes()``); return (files removed, bytes freed)."""
    limit = max_bytes() if limit is None else limit
    files = sorted(_files(_places()), key=lambda f: f[2])
    total = sum(size for _p, size, _m in files)
    removed = freed = 0
    if total > limit:
        target = int(limit * PRUNE_TO)
        young = time.time() - GRACE_SECONDS
        for path, size, mtime in files:
            if total <= target:
                break
            if mtime > young:
                continue
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            removed += 1
            freed += size
    _STATE["total"] = total
    return removed, freed


@dataclass(frozen=True)
class Usage:
    """What ``paiban cache`` shows: the folder, the bound and the size of each part."""

    root: Path
    limit: int
    parts: tuple[tuple[str, int, int], ...]
    """(name, bytes, files) per kind."""

    @property
    def total(self) -> int:
        """Bytes in the whole cache."""
        return sum(b for _n, b, _f in self.parts)


def usage() -> Usage:
    """Measure the cache: bytes and files per kind."""
    parts = []
    for kind in (*KINDS, *OBSOLETE):
        files = list(_files([cache_dir(kind)]))
        parts.append((kind, sum(s for _p, s, _m in files), len(files)))
    files = list(_files(_font_places()))
    parts.append(("fonts", sum(s for _p, s, _m in files), len(files)))
    return Usage(cache_root(), max_bytes(), tuple(parts))


def clear() -> tuple[int, int]:
    """Remove every cache entry (only Paiban's own folders and files); return (files, bytes)."""
    files = list(_files(_places()))
    for place in _places():
        if place.is_dir():
            shutil.rmtree(place, ignore_errors=True)
        elif place.is_file():
            try:
                place.unlink()
            except OSError:
                pass
    _STATE["total"] = None
    return len(files), sum(s for _p, s, _m in files)
