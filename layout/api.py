"""API: load → layout → write → finish → preflight, and atomic output.

Owns the orchestration behind ``layout.render()`` and the CLI: building the font set of an
issue, preparing its photos (cached in-process and on disk by content), running page
composition, the PDF writer and print finishing, and writing files atomically (a temporary
file in the target folder, then ``os.replace``) so that a failed render never leaves a
half-written or clobbered output.
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
        if a.body_font is not None:
            yield f"articles.{i}.body_font", a.body_font
        for n, p in enumerate(a.photos):
            if p.caption_font is not None:
                yield f"articles.{i}.photos.{n}.caption_font", p.caption_font
    if issue.nameplate is not None:
        yield "nameplate.font", issue.nameplate.font
    yield "type.bold_font", tp.bold_font


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


DRAFT_FPO_PPI = 150.0
"""Below this effective resolution a draft photo is marked FPO (the print minimum,
``images.ImageOptions.error_ppi``)."""

_IMAGE_CACHE: dict[tuple, object] = {}
"""Prepared photos of this process (insertion-ordered; the oldest are dropped first)."""

IMAGE_MEMO_ENTRIES = 24
"""Prepared photos kept in memory per process (a watch loop or a long edition stays bounded)."""


def _photo_preparer(options: RenderOptions, warnings: list[str]):
    """Return the function page composition calls to get a print-ready photo.

    Prepared photos are looked up in memory, then on disk by content (``imagecache``); only a
    miss imports Pillow/numpy and runs the ICC conversion.
    """
    from dataclasses import replace

    from . import imagecache

    profile = options.profile
    profile_tag = ""
    if profile is not None and Path(profile).is_file():
        st = Path(profile).stat()
        profile_tag = f"{Path(profile).resolve()}:{st.st_size}:{st.st_mtime_ns}"
    base_settings = (options.ink_limit, profile_tag, options.grayscale, options.draft)

    def prepare(loaded: LoadedIssue, photo, w: float, h: float):
        """Prepare the photo of a ``PhotoPlan`` (its path checked by the planner) for a w × h box."""
        path, field_path = photo.path, photo.field
        crop = getattr(photo, "crop_px", None)
        settings = base_settings + ((tuple(crop),) if crop is not None else ())
        st = path.stat()
        memo = (str(path), st.st_mtime_ns, st.st_size, round(w, 3), round(h, 3), settings)
        if memo not in _IMAGE_CACHE:
            # Files too large to hash cheaply go straight to prepare_image, which refuses them.
            name = imagecache.key(path.read_bytes(), w, h, settings) \
                if st.st_size <= imagecache.MAX_KEY_BYTES else None
            hit = imagecache.load(name, w, h, str(path)) if name else None
            if hit is None:  # a miss: only now pay for Pillow, numpy and the ICC transform
                from . import images as IM

                # Drafts take low-resolution photos and mark them FPO.
                min_ppi = 0.0 if options.draft else IM.ImageOptions.error_ppi
                image_options = IM.ImageOptions(ink_limit=options.ink_limit, profile=profile,
                                                grayscale=options.grayscale, error_ppi=min_ppi)
                try:
                    image, notes = IM.prepare_image(path, w, h, options=image_options, crop=crop)
                except ImageError as exc:
                    raise InputError(exc.message, file=loaded.path, field=f"{field_path}.file",
                                     line=loaded.line_of(*field_path.split("."), "file"), hint=exc.hint) from None
                if name:
                    imagecache.store(name, image, list(notes))
                hit = (image, list(notes))
            while len(_IMAGE_CACHE) >= IMAGE_MEMO_ENTRIES:
                del _IMAGE_CACHE[next(iter(_IMAGE_CACHE))]
            _IMAGE_CACHE[memo] = hit
        image, notes = _IMAGE_CACHE[memo]
        for note in notes:
            if note not in warnings:
                warnings.append(note)
        image = replace(image, source=photo.source)
        if options.draft and image.ppi < DRAFT_FPO_PPI:
            # Draft proofs accept what print would refuse, marked for position only.
            note = (f"draft: photo {photo.source} is {image.ppi:.0f} ppi, below the "
                    f"{DRAFT_FPO_PPI:.0f} ppi print minimum; it is marked FPO (for position only) "
                    "and this PDF is a proof")
            if note not in warnings:
                warnings.append(note)
            image = replace(image, fpo=True)
        return image

    return prepare


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


def _image_size(loaded: LoadedIssue):
    """Return the function the planner measures images with (for ``height: auto``)."""

    def size(path: Path, name: str, field_path: str) -> tuple[int, int]:
        from PIL import Image as PILImage
        from PIL import UnidentifiedImageError

        try:
            with PILImage.open(path) as im:  # reads the header only
                w, h = im.size
                orientation = im.getexif().get(0x0112, 1)
        except (UnidentifiedImageError, OSError, ValueError,
                PILImage.DecompressionBombError) as exc:
            raise InputError(f"cannot read the size of image {name!r}: {exc}", file=loaded.path,
                             field=f"{field_path}.file", line=loaded.line_of(*field_path.split("."), "file"),
                             hint="use a JPEG, PNG or TIFF file, or give the photo a height") from None
        if orientation in (5, 6, 7, 8):  # EXIF: stored rotated by 90°
            w, h = h, w
        if w <= 0 or h <= 0:
            raise InputError(f"image {name!r} has no pixels", file=loaded.path,
                             field=f"{field_path}.file", line=loaded.line_of(*field_path.split("."), "file"),
                             hint="use another file")
        return w, h

    return size


def _art_loader(loaded: LoadedIssue):
    """Return the function the planner reads vector art (logos, charts) with."""

    def load(path: Path, name: str, field_path: str):
        from .vector import load_art

        try:
            return load_art(path, name)
        except ImageError as exc:
            raise InputError(exc.message, file=loaded.path, field=field_path,
                             line=loaded.line_of(*field_path.split(".")), hint=exc.hint) from None

    return load


def layout(loaded: LoadedIssue, options: RenderOptions | None = None):
    """Compose a loaded issue into a ``LayoutResult`` (frame tree, fit report, warnings)."""
    from .compose import compose_page
    from .plan import plan_page

    options = options or RenderOptions()
    warnings: list[str] = []
    fontset = fontset_for(loaded, options.allow)
    prepare = _photo_preparer(options, warnings)
    try:
        plan = plan_page(loaded, fontset, image_size=_image_size(loaded),
                         load_art=_art_loader(loaded),
                         resolve=lambda name, field: loaded.asset(name, field=field, allow=options.allow))
        result = compose_page(plan, loaded.issue, fontset, lambda photo, w, h: prepare(loaded, photo, w, h))
    except PaibanError as exc:
        raise _located(exc, loaded) from None
    if warnings:
        from dataclasses import replace

        result = replace(result, warnings=tuple(result.warnings) + tuple(warnings))
    return result


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


def check_draft(options: RenderOptions) -> None:
    """Refuse PDF/X output in draft mode: a draft may hold FPO photos and is a proof only."""
    if options.draft and options.pdfx != "none":
        raise OutputError(f"a draft cannot be written as PDF/X ({options.pdfx}): its photos may be "
                          "low-resolution placeholders",
                          hint="render the draft with --pdfx none, or drop --draft")


def render_pdf_bytes(result, options: RenderOptions | None = None) -> bytes:
    """Write the PDF of a layout result and finish it for print (PDF/X)."""
    from .pdf.finish import finish_pdf
    from .pdf.writer import write_pdf

    options = options or RenderOptions()
    check_draft(options)
    raw = write_pdf(result.page, faces_of(result), marks=options.marks)
    return finish_pdf(raw, standard=options.pdfx, profile=options.profile,
                      output_condition=options.output_condition, title=result.page.title,
                      created=options.created)


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
    check_draft(options)
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
    for message in result.warnings:
        logger.warning(message)
    data = render_pdf_bytes(result, options)
    report = None
    if options.preflight and not options.draft:  # a draft is a proof: its FPO photos would fail
        from .pdf.preflight import preflight

        report = preflight(data, ink_limit=options.ink_limit, require_pdfx=options.pdfx != "none")
    if out is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    return RenderResult(target, result, data, list(result.warnings), report)
