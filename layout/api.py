"""API: load → layout → write → finish → preflight, and atomic output.

Owns the orchestration behind ``layout.render()`` and the CLI: building the font set of an
issue, preparing its photos (cached in-process and on disk by content), running page
composition, the PDF writer and print finishing, and writing files atomically (a temporary
file in the target folder, then ``os.replace``; see ``safeio``) so that a failed render never
leaves a half-written or clobbered output, and never replaces one of its own inputs, a file of
another kind, a device node or a FIFO.
"""

from __future__ import annotations

import struct
import warnings
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

__all__ = ["RenderResult", "fontset_for", "input_files", "layout", "load_issue", "render", "render_pdf_bytes",
           "write_atomic"]


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


MAX_FONT_BYTES = 256_000_000
"""Largest user font file accepted (the biggest CJK collections, Source Han OTCs, are ~120 MB)."""


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

    def font_file(name: str, field: str) -> Path:
        path = loaded.asset(name, field=field, allow=allow)
        size = path.stat().st_size
        if size > MAX_FONT_BYTES:  # fontTools would read (and hash) all of it
            raise InputError(f"font file {name!r} is {size / 1e6:.0f} MB, over the limit of "
                             f"{MAX_FONT_BYTES / 1e6:.0f} MB (MAX_FONT_BYTES)",
                             hint="use the font itself, not a collection of everything", **where(field))
        return path

    overrides = {}
    for role, ref in tp.fonts.items():
        overrides[role] = (font_file(ref.file, f"type.fonts.{role}.file"), ref.index)
    fallbacks = [(font_file(ref.file, f"type.fallbacks.{i}.file"), ref.index)
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
            name = _photo_key(loaded, path, field_path, w, h, settings) \
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


def _photo_key(
    loaded: LoadedIssue, path: Path, field_path: str, w: float, h: float, settings
) -> str | None:
    """The image-cache key of a photo, read with a capped read (None when it is too large)."""
    from . import imagecache
    from .safeio import FileProblem, read_capped

    try:
        data = read_capped(path, imagecache.MAX_KEY_BYTES)
    except FileProblem as exc:
        if exc.message.startswith("is more than"):
            return None
        raise InputError(
            f"image {path.name!r} {exc.message}",
            file=loaded.path,
            field=f"{field_path}.file",
            line=loaded.line_of(*field_path.split("."), "file"),
            hint=exc.hint,
        ) from None
    return imagecache.key(data, w, h, settings)


def _located(exc: PaibanError, loaded: LoadedIssue) -> PaibanError:
    """Name the description (and the article's line) in an error raised without a location."""
    from .compose.heads import HeadInputError

    if isinstance(exc, HeadInputError):  # a head its style cannot show: the head's own field
        field = f"articles.{exc.index}.{exc.field}"
        return InputError(exc.message, file=loaded.path, line=loaded.line_of(*field.split(".")), field=field,
                          hint=exc.hint)
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

        from .images import ImageOptions

        where = {"file": loaded.path, "field": f"{field_path}.file",
                 "line": loaded.line_of(*field_path.split("."), "file")}
        limit = ImageOptions().max_pixels
        bomb = f"is more than the {limit / 1e6:.0f} Mpx allowed (possible decompression bomb)"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
                with PILImage.open(path) as im:  # reads the header only
                    w, h = im.size
                    # Pillow reads a whole PNG to look for its EXIF: only within the pixel limit.
                    orientation = im.getexif().get(0x0112, 1) if w * h <= limit else 1
        except PILImage.DecompressionBombError:  # the header claims far more pixels than any photo
            raise InputError(f"image {name!r} {bomb}", hint="downsample the image before using it",
                             **where) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error) as exc:
            raise InputError(f"cannot read the size of image {name!r}: {str(exc).splitlines()[0][:200]}",
                             hint="use a JPEG, PNG or TIFF file, or give the photo a height", **where) from None
        if w * h > limit:
            raise InputError(f"image {name!r}: {w}×{h} px {bomb}", hint="downsample the image before "
                             "using it", **where) from None
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
    from .arrange import fit_page
    from .compose.module import compose_chain
    from .compose.page import compose_page, make_env
    from .plan import plan_page

    options = options or RenderOptions()
    warnings: list[str] = []
    fontset = fontset_for(loaded, options.allow)
    prepare = _photo_preparer(options, warnings)
    try:
        def planned(source, fonts=None):
            return plan_page(source, fonts, image_size=_image_size(loaded), load_art=_art_loader(loaded),
                             resolve=lambda name, field: loaded.asset(name, field=field, allow=options.allow))

        plan = planned(loaded, fontset)
        env = make_env(plan, loaded.issue, fontset, lambda photo, w, h: prepare(loaded, photo, w, h))

        def measure(chain):
            return compose_chain(env, chain, plan.grid.lines, frames=False)

        def fit(p):
            return fit_page(p, measure) if options.page_fit else _unfitted(p)

        auto = None
        if plan.pending:
            from dataclasses import replace as _replace

            from .arrange.autolayout import auto_layout

            def replan(articles, alone=False):
                # ``alone``: just these articles on an empty page (the planner measuring one).
                update = {"articles": list(articles)} | ({"masthead": None, "edges": {}} if alone else {})
                issue = loaded.issue.model_copy(update=update)
                again = planned(loaded.model_copy(update={"issue": issue}))
                return _replace(again, fallback=plan.fallback, notes=plan.notes)

            auto = auto_layout(plan, loaded.issue, env, replan, measure, fit)
            plan, moves = auto.plan, auto.moves
        else:
            fitted = fit(plan)
            plan, moves = fitted.plan, fitted.moves
        result = compose_page(plan, loaded.issue, fontset, None, env=env, moves=moves, auto=auto)
    except PaibanError as exc:
        raise _located(exc, loaded) from None
    if warnings:
        from dataclasses import replace

        result = replace(result, warnings=tuple(result.warnings) + tuple(warnings))
    return result


def suggestions(loaded: LoadedIssue, result, options: RenderOptions | None = None) -> dict:
    """Remedies tried for every module of a laid-out page that does not fit (``arrange.suggest``),
    by article id; each was composed and works."""
    from .arrange import fit_page
    from .arrange.suggest import suggest
    from .compose.module import compose_chain
    from .compose.page import make_env

    options = options or RenderOptions()
    plan = result.plan
    env = make_env(plan, loaded.issue, fontset_for(loaded, options.allow), None)

    def measure(chain):
        return compose_chain(env, chain, plan.grid.lines, frames=False)

    return suggest(plan, measure, lambda p: fit_page(p, measure))


PLAN_HEADER = "# written by paiban plan"
"""First line of a description ``paiban plan --write`` writes (and the only kind it replaces)."""


def planned_description(loaded: LoadedIssue, result) -> str:
    """The description with every placement the planner chose written out (``paiban plan --write``):
    the same YAML data, each unplaced article, photo and box given its ``place``."""
    import yaml

    from .model import _read_yaml

    data, _lines = _read_yaml(loaded.path)
    auto = result.auto
    if auto is not None:
        for index, article in enumerate(auto.articles):
            raw = data["articles"][index]
            if raw.get("place") is not None:
                continue
            raw["place"] = _place_data(article.place)
            for k, photo in enumerate(article.photos):
                raw["photos"][k]["place"] = _place_data(photo.place)
                raw["photos"][k].setdefault("flex", photo.flex)
            if article.sidebar is not None:
                raw["sidebar"]["place"] = _place_data(article.sidebar.place)
            if article.head.level is not None and "level" not in (raw.get("head") or {}):
                raw.setdefault("head", {})["level"] = article.head.level
    note = (f"{PLAN_HEADER}: every placement explicit ({auto.arrangement}, cost {auto.cost:.0f})\n"
            if auto is not None else f"{PLAN_HEADER}: every placement was already explicit\n")
    return note + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _place_data(place):
    """A place as plain YAML data (one rectangle, or the list of an L)."""
    if isinstance(place, list):
        return [_place_data(p) for p in place]
    return {k: v for k, v in place.model_dump().items() if k in ("col", "span", "top", "height")}


def write_planned(loaded: LoadedIssue, result, out: Path) -> Path:
    """Write the planned description to ``out``, beside the description (its files resolve there)."""
    from . import safeio

    out = Path(out)
    if out.resolve().parent != Path(loaded.path).resolve().parent:
        raise OutputError(f"{out} is not in the description's folder {Path(loaded.path).parent}",
                          hint="write it beside the description, so its body files and photos are found")
    text = planned_description(loaded, result).encode("utf-8")
    return safeio.write_atomic(out, text, kind="plan", inputs=input_files(loaded))


def _unfitted(plan):
    """Page-level fit turned off: the plan as it is, no edge moved."""
    from .arrange import PageFit

    return PageFit(plan, (), ())


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


def _output_error(exc: PaibanError) -> OutputError:
    return OutputError(exc.message, hint=exc.hint)


def _check_target(path: Path, kind: str | None = None, inputs=()) -> Path:
    """Check that ``path`` may be written (see ``safeio.check_output``); return its folder."""
    from .safeio import FileProblem, check_output

    try:
        return check_output(path, kind, inputs)
    except FileProblem as exc:
        raise _output_error(exc) from None


def _probe_target(path: Path, kind: str | None = None, inputs=()) -> None:
    """Check up front that ``path`` may be written and a file created beside it (before any work)."""
    from .safeio import FileProblem, probe_output

    try:
        probe_output(path, kind, inputs)
    except FileProblem as exc:
        raise _output_error(exc) from None


def write_atomic(path: str | Path, data: bytes, *, kind: str | None = None, inputs=()) -> Path:
    """Write ``data`` to ``path`` atomically: a temporary file beside it, then a rename.

    Refuses to replace a folder, device node, FIFO, any of ``inputs`` or a file of another kind
    than ``data`` (a PNG over a body text); see ``safeio.write_atomic``.
    """
    from .safeio import FileProblem
    from .safeio import write_atomic as _write

    try:
        return _write(path, data, kind=kind, inputs=inputs)
    except FileProblem as exc:
        raise _output_error(exc) from None


def input_files(loaded: LoadedIssue, options: RenderOptions | None = None) -> list[Path]:
    """Every file a render reads: the description, bodies, sidebars, photos, fonts, the profile."""
    issue = loaded.issue
    names: list[str] = []
    for a in issue.articles:
        names += [n for n in (a.body_file, a.sidebar.body_file if a.sidebar else None) if n]
        names += [p.file for p in a.photos]
    names += [ref.file for ref in issue.type.fonts.values()] + [
        ref.file for ref in issue.type.fallbacks
    ]
    files = [Path(loaded.path)] + [
        Path(n) if Path(n).is_absolute() else loaded.root / n for n in names
    ]
    if options is not None and options.profile is not None:
        files.append(Path(options.profile))
    return list(dict.fromkeys(files))


def default_output(issue_path: Path, suffix: str = ".pdf") -> Path:
    """``output/<paper-dir>-<date>-<stem>.pdf`` under the current folder."""
    stem = "-".join(p for p in (issue_path.parent.parent.name, issue_path.parent.name, issue_path.stem) if p)
    return Path("output") / f"{stem}{suffix}"


def render(path: str | Path, out: str | Path | None = None, options: RenderOptions | None = None) -> RenderResult:
    """Render an issue description to a print PDF; returns paths, fit report and checks."""
    options = options or RenderOptions()
    check_draft(options)
    target = Path(out) if out is not None else default_output(Path(path))
    early = [Path(path)] + ([Path(options.profile)] if options.profile is not None else [])
    if out is not None:  # fail before the work, not after it (write_atomic checks again)
        _probe_target(target, None, early)
    loaded = load_issue(path, allow=options.allow)
    inputs = input_files(loaded, options)
    if target.exists() or target.is_symlink():  # -o naming a body, photo or font, or not a PDF
        _check_target(target, "pdf", inputs)
    result = layout(loaded, options)
    if options.strict and result.overset:  # the error comes first and says all the overset warnings say
        worst = [f for f in result.fit if f.overset_chars or f.overset_lines]
        detail = ", ".join(f"{f.id}: {f.overset_chars} chars, {f.overset_lines} lines" for f in worst)
        others = [m for m in result.warnings if not m.startswith("overset")]
        more = f" ({len(others)} other warning(s): see them without --strict)" if others else ""
        raise OversetError(f"{loaded.path}: overset text ({detail}); nothing was written",
                           hint="shorten the text, enlarge the module, or render without --strict" + more)
    overflow = [m for m in result.warnings if m.startswith("overflow")]
    if options.strict and overflow:  # drawn over a neighbour or off the page: a problem like overset
        more = f" (and {len(overflow) - 1} more)" if len(overflow) > 1 else ""
        raise OversetError(f"{loaded.path}: {overflow[0]}{more}; nothing was written",
                           hint="make the element smaller or its module larger, or render without --strict")
    for message in result.warnings:
        logger.warning(message)
    data = render_pdf_bytes(result, options)
    report = None
    if options.preflight and not options.draft:  # a draft is a proof: its FPO photos would fail
        from .pdf.preflight import preflight

        report = preflight(data, ink_limit=options.ink_limit, require_pdfx=options.pdfx != "none")
    if out is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data, kind="pdf", inputs=inputs)
    return RenderResult(target, result, data, list(result.warnings), report)
