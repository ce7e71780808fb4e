"""Cache locations: where Paiban keeps work it can redo (converted fonts' metrics, ReportLab's
parse of each font, prepared photos) — never inside the repository.

``$PAIBAN_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/paiban``, else ``~/.cache/paiban``; each
kind of entry has its own subfolder.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """The folder all caches live under."""
    env = os.environ.get("PAIBAN_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "paiban"


def cache_dir(kind: str) -> Path:
    """The subfolder for one kind of cache entry, e.g. ``images`` or ``reportlab``."""
    return cache_root() / kind
