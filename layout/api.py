"""API: load → layout → write → finish → preflight, and atomic output.

Owns the orchestration behind ``layout.render()`` and the CLI: building the font set of an
issue, telling layout what it needs to know of each photo file (its digest and pixel size, from
the header or the cache: no pixel decoded), running page composition, the print policy pass,
the PDF writer (which prepares the photos for print) and print finishing, naming a photo's
field when only its decoding fails, and writing files atomically (a temporary file in the
target folder, then ``os.replace``) so that a failed render never leaves a half-written or
clobbered output.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import (
    FontError,
    ImageError,
    InputError,
    OutputError,
    OversetError,
    PaibanError,
    logger,
)
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


def _role_fields(issue):
    """Every font role named in a description, with its field path."""
    tp = issue.type
    for name in ("body_font", "caption_font", "byline_font", "dateline_font", "subhead_font"):
        yield f"type.{name}", getattr(tp, name)
    for role in tp.fonts:
        yield f"type.fonts.{role}", role
    for i, a in enumerate(issue.articles):
        yield f"articles.{i}.head.font", a.head.font
        yield f"articles.{i}.head.sub_font", a.head.sub_font
        if a.sidebar is not None:
            yield f"articles.{i}.sidebar.font", a.sidebar.font


def fontset_for(loaded: LoadedIssue, allow: tuple[Path, ...] = ()):
    """Build the FontSet of an issue: bundled faces, its overrides and fallbacks (each checked now)."""
    from .fonts import FontSet, canonical_role, load_face

    tp = loaded.issue.type

    def where(field: str) -> dict:
        return {"file": loaded.path, "field": field, "line": loaded.line_of(*field.split("."))}

    for field_path, role in _role_fields(loaded.issue):
        try:
            canonical_role(role)
        except FontError as exc:
            raise InputError(exc.message, hint=exc.hint, **where(field_path)) from None
    overrides = {}
    for role, ref in tp.fonts.items():
        overrides[role] = (loaded.asset(ref.file, field=f"type.fonts.{role}.file", allow=allow), ref.index)
    fallbacks = [(loaded.asset(ref.file, field=f"type.fallbacks.{i}.file", allow=allow), ref.index)
                 for i, ref in enumerate(tp.fallbacks)]
    fontset = FontSet(overrides, fallbacks, system_fallback=tp.system_fallback)
    # Load the user's faces now, so that a broken file is reported with its field and line.
    checks = [(f"type.fonts.{role}.file", lambda role=role: fontset.face(role)) for role in overrides]
    checks += [(f"type.fallbacks.{i}.file", lambda f=f: load_face(*f)) for i, f in enumerate(fallbacks)]
    for field_path, check in checks:
        try:
            check()
        except FontError as exc:
            raise InputError(exc.message, hint=exc.hint or "use a .ttf, .otf, .ttc or .otc file",
                             **where(field_path)) from None
    return fontset


_SOURCES: dict[tuple, object] = {}
"""What this process has read of photo files, by (path, mtime, size): PhotoSource."""

SOURCE_MEMO_ENTRIES = 256
"""Photo files remembered per process (a watch loop or a long edition stays bounded)."""


def _photo_source(options: RenderOptions):
    """Return the function page composition calls to learn about a photo file.

    It resolves the file (refusing paths outside the description's folder), hashes its bytes
    and reads its pixel size from the header — from the cache when the same bytes were seen
    before, so a warm render imports neither Pillow nor numpy. No pixel is decoded: the PDF
    backend prepares photos for print (``pdf.photos``).
    """
    from . import imagecache
    from .compose.photos import PhotoSource

    def source(loaded: LoadedIssue, photo, field_path: str) -> PhotoSource:
        path = loaded.asset(photo.file, field=f"{field_path}.file", allow=options.allow)

        def located(exc: PaibanError) -> InputError:
            return InputError(exc.message, file=loaded.path, field=f"{field_path}.file",
                              line=loaded.line_of(*field_path.split("."), "file"), hint=exc.hint)

        try:
            st = path.stat()
        except OSError:
            st = None
        memo = (str(path), st.st_mtime_ns, st.st_size) if st is not None else None
        hit = _SOURCES.get(memo) if memo else None
        if hit is not None:
            return hit
        try:
            if st is None or not path.is_file() or not 0 < st.st_size <= imagecache.MAX_KEY_BYTES:
                from . import images

                images.probe(path)  # raises the precise error (missing, folder, empty, too large)
            digest = imagecache.file_digest(path)
            px = imagecache.load_probe(digest)
            if px is None:  # a file not seen before: only now pay for Pillow
                from . import images

                px = images.probe(path).px
                imagecache.store_probe(digest, px)
        except ImageError as exc:
            raise located(exc) from None
        except OSError as exc:
            raise located(ImageError(f"cannot read image {path}: {exc.strerror or exc}",
                                     hint="check the file's permissions")) from None
        hit = PhotoSource(str(path), digest, px)
        while len(_SOURCES) >= SOURCE_MEMO_ENTRIES:
            del _SOURCES[next(iter(_SOURCES))]
        _SOURCES[memo] = hit
        return hit

    return source


def _located(exc: PaibanError, loaded: LoadedIssue) -> PaibanError:
    """Name the description (and the article's line) in an error raised without a location."""
    if isinstance(exc, InputError) or str(exc).startswith(str(loaded.path)):
        return exc
    line = None
    for i, article in enumerate(loaded.issue.articles):  # e.g. "… in article lead, body …"
        if f"article {article.id}," in exc.message:
            line = loaded.line_of("articles", i, "body_file" if article.body_file else "body")
            break
    where = f"{loaded.path}:{line}" if line else str(loaded.path)
    located = type(exc)(f"{where}: {exc.message}", hint=exc.hint)
    return located


def _photo_aspect(options: RenderOptions):
    """Return the function that gives a photo's height/width ratio (for ``height: auto``)."""
    source = _photo_source(options)

    def aspect(loaded: LoadedIssue, photo, field_path: str) -> float:
        w, h = source(loaded, photo, field_path).px
        return h / w

    return aspect


def layout(loaded: LoadedIssue, options: RenderOptions | None = None):
    """Compose a loaded issue into a ``LayoutResult`` (frame tree, fit report, warnings)."""
    from .compose import compose_page

    options = options or RenderOptions()
    fontset = fontset_for(loaded, options.allow)
    try:
        return compose_page(loaded, fontset, _photo_source(options), _photo_aspect(options))
    except PaibanError as exc:
        raise _located(exc, loaded) from None


def faces_of(result) -> dict:
    """Every face a page's glyph runs use, keyed by face key."""
    from .frames import GlyphRun

    used = set()
    page = result.page
    trees = (page.root,) + ((page.marks,) if page.marks is not None else ())
    for item in (i for tree in trees for i in tree.walk()):
        runs = item.runs if hasattr(item, "runs") else ((item,) if isinstance(item, GlyphRun) else ())
        for run in runs:
            used.add(run.font)
    missing = used - set(result.faces)
    if missing:  # a frame names a face layout did not record: a bug, not a user error
        raise RuntimeError(f"faces used but not recorded by layout: {sorted(missing)}")
    return {key: result.faces[key] for key in sorted(used)}


def photo_settings(options: RenderOptions):
    """The print settings photos are prepared with (``pdf.photos``)."""
    from .pdf.photos import PhotoSettings

    return PhotoSettings(ink_limit=options.ink_limit, profile=options.profile, grayscale=options.grayscale)


def render_pdf_bytes(result, options: RenderOptions | None = None) -> bytes:
    """Write the PDF of a layout result and finish it for print (PDF/X).

    The print policy (overprint, knockout) is applied to the frame tree first; photos are
    prepared for print by the writer's backend with the options' ink limit and profile.
    """
    from .pdf import policy
    from .pdf.finish import finish_pdf
    from .pdf.writer import write_pdf

    options = options or RenderOptions()
    page = policy.apply(result.page)
    raw = write_pdf(page, faces_of(result), marks=options.marks, photos=photo_settings(options))
    return finish_pdf(raw, standard=options.pdfx, profile=options.profile,
                      output_condition=options.output_condition, title=result.page.title,
                      created=options.created)


def _photo_field(loaded: LoadedIssue, source: str) -> str | None:
    """The description field of the photo whose file is ``source`` (as the description names it)."""
    for i, article in enumerate(loaded.issue.articles):
        for j, photo in enumerate(article.photos):
            if photo.file == source:
                return f"articles.{i}.photos.{j}"
    return None


def _check_target(path: Path) -> Path:
    """Check that ``path`` names a file in an existing folder; return the folder."""
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path} is a folder", hint="give a file name such as output/page05.pdf")
    if not parent.exists():
        raise OutputError(f"output folder {parent} does not exist", hint=f"create it: mkdir -p {parent}")
    if not parent.is_dir():
        raise OutputError(f"{parent} is not a folder", hint="choose another output path")
    return parent


def _temp_beside(path: Path) -> tuple[int, str]:
    """Create a temporary file in the folder of ``path`` (where it can be renamed onto it)."""
    parent = _check_target(path)
    try:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(f"cannot write into {parent}: {exc.strerror}",
                          hint="check the folder's permissions or choose another output path") from None


def _probe_target(path: Path) -> None:
    """Check up front that a file can be created beside ``path`` (before any work or warning)."""
    fd, tmp = _temp_beside(path)
    os.close(fd)
    os.unlink(tmp)


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically: a temporary file beside it, then a rename."""
    path = Path(path)
    fd, tmp = _temp_beside(path)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # an ordinary file, not mkstemp's private 0600
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


def _refuse_non_pdf(target: Path) -> None:
    """Refuse to replace an existing non-empty file that is not a PDF (a mistyped -o)."""
    try:
        with open(target, "rb") as fh:
            head = fh.read(5)
    except OSError:  # absent, a folder or unreadable: write_atomic reports what matters
        return
    if head and head != b"%PDF-":
        raise OutputError(f"{target} exists and is not a PDF; refusing to overwrite it",
                          hint="choose another output name, or delete the file first")


def default_output(issue_path: Path, suffix: str = ".pdf") -> Path:
    """``output/<paper-dir>-<date>-<stem>.pdf`` under the current folder."""
    stem = "-".join(p for p in (issue_path.parent.parent.name, issue_path.parent.name, issue_path.stem) if p)
    return Path("output") / f"{stem}{suffix}"


def render(path: str | Path, out: str | Path | None = None, options: RenderOptions | None = None) -> RenderResult:
    """Render an issue description to a print PDF; returns paths, fit report and checks."""
    options = options or RenderOptions()
    target = Path(out) if out is not None else default_output(Path(path))
    if out is not None:  # fail before the work, not after it (write_atomic checks again)
        _probe_target(target)
    _refuse_non_pdf(target)
    loaded = load_issue(path, allow=options.allow)
    result = layout(loaded, options)
    if options.strict and result.overset:  # the error comes first and says all the overset warnings say
        worst = [f for f in result.fit if f.overset_chars or f.overset_lines]
        detail = ", ".join(f"{f.id}: {f.overset_chars} chars, {f.overset_lines} lines" for f in worst)
        others = [m for m in result.warnings if not m.startswith("overset")]
        more = f" ({len(others)} other warning(s): see them without --strict)" if others else ""
        raise OversetError(f"{loaded.path}: overset text ({detail}); nothing was written",
                           hint="shorten the text, enlarge the module, or render without --strict" + more)
    from .pdf.photos import PhotoError

    try:
        data = render_pdf_bytes(result, options)
    except PhotoError as exc:  # found only when its pixels are decoded: name the photo's field
        where = _photo_field(loaded, exc.source)
        if where is None:
            raise
        raise InputError(exc.message, file=loaded.path, field=f"{where}.file",
                         line=loaded.line_of(*where.split("."), "file"), hint=exc.hint) from None
    # Warnings after the PDF exists: an error found while writing it (a photo that turns out
    # to be truncated) comes first, as every error does.
    for message in result.warnings:
        logger.warning(message)
    report = None
    if options.preflight:
        from .pdf.preflight import preflight

        report = preflight(data, ink_limit=options.ink_limit, require_pdfx=options.pdfx != "none")
    if out is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    return RenderResult(target, result, data, list(result.warnings), report)
