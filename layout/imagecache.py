"""Image cache: prepared print photos and photo-file probes, kept on disk by content.

Owns the type of a prepared photo (``PreparedImage``: the JPEG the PDF writer embeds as is),
the digest of a photo file's bytes, the key of a prepared photo (that digest, the crop in source
pixels, the placed size, the print settings and ``PREPARE_VERSION``), and reading and writing
entries through ``cache`` (atomic, least-recently-used pruning, plain data only: a header of
JSON and the JPEG bytes, checked against the SHA-256 the header records). What a file's header
says (its pixel size) is kept by the file's digest, so layout needs neither Pillow nor numpy
when it has seen the file before. Nothing here decides how a photo is prepared: ``images``
does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import cache

KIND = "images"
"""Cache folder of prepared photos and probes."""

MAX_KEY_BYTES = 100_000_000
"""Largest source file hashed for the cache (larger ones are refused by ``images`` anyway)."""

PREPARE_VERSION = 4
"""Bump when ``images.prepare_print`` changes its output, to retire old cache entries."""

_MAGIC = b"PBIM"
"""First bytes of a prepared-photo entry."""


@dataclass(frozen=True)
class PreparedImage:
    """A photo prepared for print: the encoded JPEG, its colour mode (``L`` or ``CMYK``), its
    pixel size and a short digest of the bytes; x, y, w, h place it as ``images.prepare_image``
    fitted it in its box (0, 0 and the box for ``prepare_print``)."""

    data: bytes = field(repr=False)
    mode: str
    px: tuple[int, int]
    digest: str
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    source: str = ""

    @property
    def ppi(self) -> float:
        """Effective resolution of the encoded pixels in the box (the smaller axis)."""
        return min(self.px[0] / (self.w / 72.0), self.px[1] / (self.h / 72.0))


def cache_dir() -> Path:
    """Folder of prepared photos (never inside the repository)."""
    return cache.cache_dir(KIND)


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def key(digest: str, crop: tuple[int, int, int, int], w: float, h: float, settings: tuple) -> str:
    """Cache key of a prepared photo: source digest, crop, placed size (to 0.001 pt), settings."""
    text = json.dumps([PREPARE_VERSION, digest, list(crop), round(w, 3), round(h, 3),
                       [str(s) for s in settings]])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def load(name: str) -> PreparedImage | None:
    """The cached prepared photo ``name``, or None (absent or damaged)."""
    entry = cache.read(KIND, name + ".pim")
    if entry is None or entry[:4] != _MAGIC:
        return None
    try:
        size = int.from_bytes(entry[4:8], "big")
        meta = json.loads(entry[8:8 + size])
        data = entry[8 + size:]
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            return None
        return PreparedImage(data, str(meta["mode"]), (int(meta["px"][0]), int(meta["px"][1])),
                             meta["sha256"][:12])
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def store(name: str, image: PreparedImage) -> None:
    """Write a prepared photo (a cache that cannot be written is simply skipped)."""
    meta = json.dumps({"mode": image.mode, "px": list(image.px),
                       "sha256": hashlib.sha256(image.data).hexdigest()}).encode()
    cache.write(KIND, name + ".pim", _MAGIC + len(meta).to_bytes(4, "big") + meta + image.data)


def load_probe(digest: str) -> tuple[int, int] | None:
    """The pixel size recorded for the photo file with ``digest``, or None."""
    entry = cache.read(KIND, f"src-{digest[:32]}.json")
    try:
        meta = json.loads(entry) if entry else None
        if not meta or meta.get("v") != PREPARE_VERSION or meta.get("sha256") != digest:
            return None
        w, h = (int(v) for v in meta["px"])
        return (w, h) if w > 0 and h > 0 else None
    except (ValueError, KeyError, TypeError):
        return None


def store_probe(digest: str, px: tuple[int, int]) -> None:
    """Record the pixel size of the photo file with ``digest``."""
    cache.write(KIND, f"src-{digest[:32]}.json",
                json.dumps({"v": PREPARE_VERSION, "sha256": digest, "px": list(px)}).encode())
