"""Image cache: prepared print photos kept on disk by content, so re-renders skip the work.

Owns the key of a prepared photo (a hash of the source file's bytes, the placed size, the print
options and ``PREPARE_VERSION``), and reading and writing cache entries atomically under
the ``images`` folder of ``cache.cache_root()``.
A hit costs a file read and needs neither Pillow nor numpy; a damaged entry is ignored and
rebuilt. Nothing here decides how a photo is prepared: ``images.prepare_image`` does.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .frames import Image

MAX_KEY_BYTES = 100_000_000
"""Largest source file hashed for the cache (larger ones are refused by ``images`` anyway)."""

PREPARE_VERSION = 3
"""Bump when ``images.prepare_image`` changes its output, to retire old cache entries."""


def cache_dir() -> Path:
    """Folder of prepared photos (never inside the repository)."""
    from .cache import cache_dir as kind_dir

    return kind_dir("images")


def key(source: bytes, w: float, h: float, settings: tuple) -> str:
    """Cache key of a photo: its bytes, the placed size (to 0.001 pt) and the print settings."""
    digest = hashlib.sha256(source).hexdigest()
    text = json.dumps([PREPARE_VERSION, digest, round(w, 3), round(h, 3), [str(s) for s in settings]])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def load(name: str, w: float, h: float, source: str) -> tuple[Image, list[str]] | None:
    """Return the cached (image, warnings) for ``name``, or None."""
    base = cache_dir() / name
    try:
        meta = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
        data = base.with_suffix(".bin").read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest()[:12] != meta.get("digest"):
        return None
    image = Image(0.0, 0.0, w, h, data=data, mode=meta["mode"], px=tuple(meta["px"]), source=source,
                  digest=meta["digest"])
    return image, list(meta.get("warnings", []))


def store(name: str, image: Image, warnings: list[str]) -> None:
    """Write a cache entry atomically; a cache that cannot be written is simply skipped."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, payload in ((".bin", image.data),
                                (".json", json.dumps({"mode": image.mode, "px": list(image.px),
                                                      "digest": image.digest, "warnings": warnings}).encode())):
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, folder / f"{name}{suffix}")
    except OSError:
        pass
