"""API: load → layout → write → finish → preflight, and atomic output.

Owns the orchestration behind ``layout.render()`` and the CLI: building the font set of an
issue, preparing its photos (cached in-process and on disk by content), running page
composition, the PDF writer and print finishing, and writing files atomically (a temporary
file in the target folder, then ``os.replace``) so that a failed render never leaves a
half-written or clobbered output.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ImageError, InputError, OutputError, OversetError, logger
from .model import LoadedIssue, RenderOptions, load_issue

__all__ = ["RenderResult", "fontset_for", "layout", "load_issue", "render", "render_pdf_bytes", "write_atomic"]


@dataclass
class RenderResult:
    """What a render produced: the output path, the layout (frames + fit) and the checks."""

    path: Path | None
    layout: object
    pdf: bytes = b""
    warnings: list[str] = field(default_factory=list)
    preflight: object = None


def fontset_for(loaded: LoadedIssue):
    """Build the FontSet of an issue: bundled faces, its overrides and fallbacks."""
    from .fonts import FontSet

    tp = loaded.issue.type
    overrides = {}
    for i, (role, ref) in enumerate(tp.fonts.items()):
        overrides[role] = (loaded.asset(ref.file, field=f"type.fonts.{role}.file"), ref.index)
    fallbacks = [(loaded.asset(ref.file, field=f"type.fallbacks.{i}.file"), ref.index)
                 for i, ref in enumerate(tp.fallbacks)]
    try:
        return FontSet(overrides, fallbacks, system_fallback=tp.system_fallback)
    except KeyError as exc:  # unknown role name in overrides
        raise InputError(f"unknown font role {exc.args[0]!r}", file=loaded.path, field="type.fonts",
                         line=loaded.line_of("type", "fonts"),
                         hint="use 宋, 标宋, 大标宋, 黑, 粗黑 or 楷") from None


_IMAGE_CACHE: dict[tuple, object] = {}


def _image_cache_dir() -> Path:
    base = os.environ.get("PAIBAN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "paiban")
    return Path(base) / "images"


def _photo_preparer(options: RenderOptions, warnings: list[str]):
    from dataclasses import replace

    from . import images as IM

    image_options = IM.ImageOptions(ink_limit=options.ink_limit, profile=options.profile,
                                    grayscale=options.grayscale)

    def prepare(loaded: LoadedIssue, photo, field_path: str, w: float, h: float):
        path = loaded.asset(photo.file, field=f"{field_path}.file", allow=options.allow)
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size, round(w, 3), round(h, 3), image_options)
        if key in _IMAGE_CACHE:
            image, notes = _IMAGE_CACHE[key]
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
            tag = hashlib.sha256(repr((digest, round(w, 3), round(h, 3), image_options)).encode()).hexdigest()[:24]
            cache = _image_cache_dir() / f"{tag}.bin"
            image = None
            notes: list[str] = []
            try:
                image = IM.prepare_image(path, w, h, options=image_options)
            except ImageError as exc:
                raise InputError(exc.message, file=loaded.path, field=f"{field_path}.file",
                                 line=loaded.line_of(*field_path.split("."), "file"), hint=exc.hint) from None
            image, notes = image
            _ = cache  # on-disk caching is done by images.prepare_image when it offers it
            _IMAGE_CACHE[key] = (image, list(notes))
        for note in notes:
            if note not in warnings:
                warnings.append(note)
        if photo.standin:
            pass
        return replace(image, source=photo.file)

    return prepare


def layout(loaded: LoadedIssue, options: RenderOptions | None = None):
    """Compose a loaded issue into a ``LayoutResult`` (frame tree, fit report, warnings)."""
    from .compose import compose_page

    options = options or RenderOptions()
    warnings: list[str] = []
    fontset = fontset_for(loaded)
    result = compose_page(loaded, fontset, _photo_preparer(options, warnings))
    if warnings:
        from dataclasses import replace

        result = replace(result, warnings=tuple(result.warnings) + tuple(warnings))
    return result


def faces_of(result) -> dict:
    """Every face a page's glyph runs use, keyed by face key."""
    from .frames import GlyphRun

    used = set()
    for item in result.page.root.walk():
        runs = item.runs if hasattr(item, "runs") else ((item,) if isinstance(item, GlyphRun) else ())
        for run in runs:
            used.add(run.font)
    missing = used - set(result.faces)
    if missing:  # a frame names a face layout did not record: a bug, not a user error
        raise RuntimeError(f"faces used but not recorded by layout: {sorted(missing)}")
    return {key: result.faces[key] for key in sorted(used)}


def render_pdf_bytes(result, options: RenderOptions | None = None) -> bytes:
    """Write the PDF of a layout result and finish it for print (PDF/X)."""
    from .pdf.finish import finish_pdf
    from .pdf.writer import write_pdf

    options = options or RenderOptions()
    raw = write_pdf(result.page, faces_of(result), marks=options.marks)
    return finish_pdf(raw, standard=options.pdfx, profile=options.profile,
                      output_condition=options.output_condition, title=result.page.title,
                      created=options.created)


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically: a temporary file beside it, then a rename."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path} is a folder", hint="give a file name such as output/page05.pdf")
    if not parent.exists():
        raise OutputError(f"output folder {parent} does not exist", hint=f"create it: mkdir -p {parent}")
    if not parent.is_dir():
        raise OutputError(f"{parent} is not a folder", hint="choose another output path")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(f"cannot write into {parent}: {exc.strerror}",
                          hint="check the folder's permissions or choose another output path") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"cannot write {path}: {exc.strerror}", hint="check permissions and free space") from None
    return path


def default_output(issue_path: Path, suffix: str = ".pdf") -> Path:
    """``output/<paper-dir>-<date>-<stem>.pdf`` under the current folder."""
    stem = "-".join(p for p in (issue_path.parent.parent.name, issue_path.parent.name, issue_path.stem) if p)
    return Path("output") / f"{stem}{suffix}"


def render(path: str | Path, out: str | Path | None = None, options: RenderOptions | None = None) -> RenderResult:
    """Render an issue description to a print PDF; returns paths, fit report and checks."""
    options = options or RenderOptions()
    loaded = load_issue(path, allow=options.allow)
    result = layout(loaded, options)
    for message in result.warnings:
        logger.warning(message)
    if options.strict and result.overset:
        worst = [f for f in result.fit if f.overset_chars or f.overset_lines]
        detail = ", ".join(f"{f.id}: {f.overset_chars} chars" for f in worst)
        raise OversetError(f"overset text ({detail}); nothing was written",
                           hint="shorten the text, enlarge the module, or render without --strict")
    data = render_pdf_bytes(result, options)
    report = None
    if options.preflight:
        from .pdf.preflight import preflight

        report = preflight(data, ink_limit=options.ink_limit, require_pdfx=options.pdfx != "none")
    target = Path(out) if out is not None else default_output(Path(path))
    if out is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    return RenderResult(target, result, data, list(result.warnings), report)
