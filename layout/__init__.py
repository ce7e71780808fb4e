"""Paiban: typeset Chinese newspaper pages from structured descriptions into print-ready PDFs.

The public API, thin orchestration over the one-way pipeline::

    issue YAML ─load_issue→ LoadedIssue ─layout→ LayoutResult (frames + fit) ─render→ PDF bytes

Heavy modules (reportlab, pikepdf, Pillow) are imported lazily so that ``paiban validate`` and
``paiban schema`` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .api import RenderResult  # noqa: F401

__all__ = ["__version__", "layout", "load_issue", "render", "render_pdf_bytes", "write_atomic"]


def __getattr__(name: str):
    if name in {"load_issue", "layout", "render", "render_pdf_bytes", "write_atomic", "RenderResult",
                "fontset_for"}:
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
