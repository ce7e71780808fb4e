"""Print photos: the PDF backend prepares the photos a frame tree refers to.

Owns turning ``frames.Image`` references (source digest, crop, box) into the JPEG the writer
embeds: looked up in this process's memo, then in the disk cache (``imagecache``, by content +
crop + size + settings), and only on a miss decoded, converted for newsprint, ink-limited and
encoded by ``images.prepare_print`` — the one place Pillow and numpy are imported for a render.
Layout never does this work (GUIDE: print policy is a pass after layout), so a preview or a
second backend does not inherit newsprint CMYK pixels. Photos are prepared one at a time on
the calling thread (each holds some 90 MB of pixels and codec buffers for a moment), and free
heap memory is handed back to the system after a page's misses (``_release_memory``), so a long
edition in one process stays near one photo's peak (measured: 184 MiB after 50 pages).

Measured and left out: converting a photo in bands on two threads saves ~60 ms a page on an
idle machine but holds 25 MB more, lifts 50 pages to 228 MiB and gives a ``--jobs 1`` edition
the second core its ratio to ``--jobs 2`` is measured against; fixing glibc's mmap threshold
keeps 50 pages at 170 MiB but costs ~100 ms a page in page faults.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import imagecache
from ..errors import ImageError
from ..frames import Image
from ..imagecache import PreparedImage

MEMO_BYTES = 16 * 1024 * 1024
"""Prepared JPEG bytes kept in memory per process (a few pages' worth: a watch loop re-renders
one page; an edition in one process stays bounded)."""

_LIBC: list = []

_MEMO: OrderedDict[str, PreparedImage] = OrderedDict()
_PROFILE_DIGESTS: dict[tuple, str] = {}


class PhotoError(ImageError):
    """A photo could not be prepared for print; ``source`` names it as the description does."""

    def __init__(self, message: str, *, source: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.source = source


@dataclass(frozen=True)
class PhotoSettings:
    """Print settings that change prepared pixels (part of every cache key)."""

    ink_limit: float = 240.0
    """Total area coverage limit, percent (C+M+Y+K)."""
    profile: Path | None = None
    """CMYK output profile; None is the bundled CGATS TR 002 newsprint profile."""
    grayscale: bool = False
    """Every photo K-only."""

    def tag(self) -> tuple:
        """The settings as they enter a cache key (the profile by the digest of its bytes)."""
        profile = ""
        if self.profile is not None:
            p = Path(self.profile)
            try:
                st = p.stat()
            except OSError:
                profile = str(p)  # missing: prepare_print reports it
            else:
                memo = (str(p.resolve()), st.st_size, st.st_mtime_ns)
                if memo not in _PROFILE_DIGESTS:
                    _PROFILE_DIGESTS[memo] = hashlib.sha256(p.read_bytes()).hexdigest()
                profile = _PROFILE_DIGESTS[memo]
        return (self.ink_limit, profile, self.grayscale)


def photo_key(item: Image, settings: PhotoSettings) -> str:
    """The cache key of ``item`` prepared with ``settings``."""
    return imagecache.key(item.digest, item.crop, item.w, item.h, settings.tag())


def _remember(name: str, image: PreparedImage) -> None:
    _MEMO[name] = image
    _MEMO.move_to_end(name)
    total = sum(len(v.data) for v in _MEMO.values())
    while total > MEMO_BYTES and len(_MEMO) > 1:
        _k, old = _MEMO.popitem(last=False)
        total -= len(old.data)


def _prepare_one(item: Image, settings: PhotoSettings) -> PreparedImage:
    from .. import images as IM

    try:
        if imagecache.file_digest(Path(item.path)) != item.digest:
            raise PhotoError(f"{item.path} changed after the page was laid out", source=item.source,
                             hint="lay the page out again (render once more)")
        options = IM.ImageOptions(ink_limit=settings.ink_limit, profile=settings.profile,
                                  grayscale=settings.grayscale)
        return IM.prepare_print(Path(item.path), item.crop, item.w, item.h, options=options)
    except PhotoError:
        raise
    except ImageError as exc:
        raise PhotoError(exc.message, source=item.source, hint=exc.hint) from None
    except OSError as exc:
        raise PhotoError(f"cannot read image {item.path}: {exc.strerror or exc}",
                         source=item.source,
                         hint="check that the file is still there and readable") from None


def prepare(items: Iterable[Image], settings: PhotoSettings) -> dict[str, PreparedImage]:
    """Prepare every photo of ``items``; return them by ``photo_key``."""
    out: dict[str, PreparedImage] = {}
    misses: dict[str, Image] = {}
    for item in items:
        name = photo_key(item, settings)
        if name in out or name in misses:
            continue
        hit = _MEMO.get(name)
        if hit is None:
            hit = imagecache.load(name)
        if hit is None:
            misses[name] = item
            continue
        _remember(name, hit)
        out[name] = hit
    for name, item in misses.items():
        image = _prepare_one(item, settings)
        imagecache.store(name, image)
        _remember(name, image)
        out[name] = image
    if misses:
        _release_memory()
    return out


def _libc():
    """glibc through ctypes, or None on other C libraries (then memory is left as it is)."""
    if not _LIBC:
        import ctypes
        import ctypes.util

        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.malloc_trim.argtypes = [ctypes.c_size_t]
        except (OSError, AttributeError):
            libc = None
        _LIBC.append(libc)
    return _LIBC[0]


def _release_memory() -> None:
    """After a page's photos: give free heap pages back to the system (``malloc_trim``)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def clear_memo() -> None:
    """Forget the prepared photos held by this process (the disk cache stays)."""
    _MEMO.clear()
