"""API: load → layout → write → finish → preflight, and atomic output.

Owns the orchestration behind ``layout.render()`` and the CLI: building the font set of an
issue, telling layout what it needs to know of each photo file (its digest and pixel size, from
the header or the cache: no pixel decoded), planning, automatic layout and page-level fit, page
composition, the print policy pass, the PDF writer (which prepares the photos for print) and
print finishing, naming a photo's field when only its decoding fails, and writing files
atomically (a temporary file in the target folder, then ``os.replace``; see ``safeio``) so that
a failed render never leaves a half-written or clobbered output, and never replaces one of its
own inputs, a file of another kind, a device node or a FIFO.
"""

from __future__ import annotations

import os
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


_SOURCES: dict[tuple, object] = {}
"""What this process has read of photo files, by (path, mtime, size): PhotoSource."""

SOURCE_MEMO_ENTRIES = 256
"""Photo files remembered per process (a watch loop or a long edition stays bounded)."""


def _photo_source(options: RenderOptions):
    """Return the function page composition calls to learn about a photo file.

    The planner resolved the file (refusing paths outside the description's folder); this hashes its bytes
    and reads its pixel size from the header — from the cache when the same bytes were seen
    before, so a warm render imports neither Pillow nor numpy. No pixel is decoded: the PDF
    backend prepares photos for print (``pdf.photos``).
    """
    from . import imagecache
    from .compose.photos import PhotoSource

    def source(loaded: LoadedIssue, path: Path, field_path: str) -> PhotoSource:
        """What layout needs of the photo file ``path`` (resolved and allowed by the planner)."""

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
    from .compose.heads import HeadInputError

    if isinstance(exc, HeadInputError):  # a head its style cannot show: the head's own field
        field = f"articles.{exc.index}.{exc.field}"
        return InputError(exc.message, file=loaded.path, line=loaded.line_of(*field.split(".")), field=field,
                          hint=exc.hint)
    if isinstance(exc, InputError) and exc.file is None and exc.field:  # composition names the field
        return InputError(exc.bare_message, file=loaded.path, line=loaded.line_of(*exc.field.split(".")),
                          field=exc.field, hint=exc.hint)
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


def _image_size(loaded: LoadedIssue, source):
    """Return the function the planner measures images with (``height: auto``, crops)."""

    def size(path: Path, name: str, field_path: str) -> tuple[int, int]:
        return source(loaded, path, field_path).px

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


def _planner(loaded: LoadedIssue, options: RenderOptions, photo_source):
    """Return the function that plans a (possibly edited) issue the way ``layout`` does."""
    from .plan import plan_page

    def planned(source, fonts=None):
        return plan_page(source, fonts, image_size=_image_size(loaded, photo_source), load_art=_art_loader(loaded),
                         resolve=lambda name, field: loaded.asset(name, field=field, allow=options.allow))

    return planned


def layout(loaded: LoadedIssue, options: RenderOptions | None = None):
    """Compose a loaded issue into a ``LayoutResult`` (frame tree, fit report, warnings)."""
    from .arrange import fit_page
    from .compose.module import compose_chain
    from .compose.page import compose_page, make_env

    options = options or RenderOptions()
    fontset = fontset_for(loaded, options.allow)
    photo_source = _photo_source(options)
    try:
        planned = _planner(loaded, options, photo_source)
        plan = planned(loaded, fontset)
        env = make_env(plan, loaded.issue, fontset, lambda photo: photo_source(loaded, photo.path, photo.field),
                       draft=options.draft)

        def measure(chain):
            return compose_chain(env, chain, plan.grid.lines, frames=False)

        def fit(p, **kw):
            return fit_page(p, measure, **kw) if options.page_fit else _unfitted(p)

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
        return compose_page(plan, loaded.issue, fontset, None, env=env, moves=moves, auto=auto)
    except PaibanError as exc:
        raise _located(exc, loaded) from None


def suggestions(loaded: LoadedIssue, result, options: RenderOptions | None = None) -> dict:
    """Remedies tried for every module of a laid-out page that does not fit (``arrange.suggest``),
    by article id; each was composed and works."""
    from .arrange import fit_page
    from .arrange.suggest import suggest
    from .compose.module import compose_chain
    from .compose.page import make_env

    options = options or RenderOptions()
    plan = result.plan
    fontset = fontset_for(loaded, options.allow)
    env = make_env(plan, loaded.issue, fontset, None)
    measured: dict = {}

    def measure(chain):
        # Every remedy is verified by page-level fit over the whole page: the modules it does
        # not change are measured once for all of them. A story is keyed by identity (a remedy
        # that changes copy makes a new one; hashing the copy each time would cost more than
        # composing), and held in the value so that its id is not reused.
        key = (id(chain.story), chain.modules)
        if key not in measured:
            measured[key] = (chain.story, compose_chain(env, chain, plan.grid.lines, frames=False))
        return measured[key][1]

    # Remedies are applied to the page as described (before page-level fit) and fitted again,
    # as the next `paiban fit` after the edit will; a planned page (auto layout) is its plan.
    base = plan
    if result.auto is None:
        try:
            base = _planner(loaded, options, _photo_source(options))(loaded, fontset)
        except PaibanError:
            base = plan
    refit = (lambda p: fit_page(p, measure)) if options.page_fit else _unfitted
    return suggest(plan, measure, refit, base=base)


PLAN_HEADER = "# written by paiban plan"
"""First line of a description ``paiban plan --write`` writes (and the only kind it replaces)."""


def planned_description(loaded: LoadedIssue, result) -> str:
    """The description with every placement the planner chose written out (``paiban plan --write``):
    the same YAML, comments, key order and layout kept (a round trip through ``ruamel.yaml``),
    each unplaced article, photo and box given its ``place`` in flow style."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    source = Path(loaded.path).read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    while lines and lines[0].startswith(PLAN_HEADER):  # written by us before: one header, ours
        lines.pop(0)
    text = "".join(lines)
    mapping, offset = _indents(text)
    rt = YAML()  # round trip: comments and order kept; the text was validated by load_issue
    rt.width = 4096
    rt.preserve_quotes = True
    rt.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    data = rt.load(text)

    def flow(place):
        if isinstance(place, list):
            return [flow(p) for p in place]
        out = CommentedMap((k, v) for k, v in _place_data(place).items())
        out.fa.set_flow_style()
        return out

    auto = result.auto
    if auto is not None:
        for index, article in enumerate(auto.articles):
            raw = data["articles"][index]
            if raw.get("place") is not None:
                continue
            for k, photo in enumerate(article.photos):
                _append(raw["photos"][k], "place", flow(photo.place))
                if "flex" not in raw["photos"][k]:
                    _append(raw["photos"][k], "flex", photo.flex)
            if article.sidebar is not None:
                _append(raw["sidebar"], "place", flow(article.sidebar.place))
            given = raw.get("head") or {}
            keys: tuple[str, ...] = ()
            if article.head.level is not None and article.headline and "level" not in given:
                keys += ("level",)  # no head for a headless brief list
            if article.head.is_vertical and not given.get("style"):
                # A 竖题 the planner chose (to keep the head clear of its neighbour's): said in full.
                keys += ("style", "side", "size", "rows")
            elif article.head.span and not given.get("span"):
                # The lead's head a column narrower than its module (kept off a neighbour's head).
                keys += ("span", "side")
            if keys and raw.get("head") is None:
                _append(raw, "head", CommentedMap())
            for key in keys:
                raw["head"][key] = getattr(article.head, key)
            _append(raw, "place", flow(article.place))
    note = (f"{PLAN_HEADER}: every placement explicit ({auto.arrangement}, cost {auto.cost:.0f})\n"
            if auto is not None else f"{PLAN_HEADER}: every placement was already explicit\n")
    buf = io.StringIO()
    rt.dump(data, buf)
    return note + buf.getvalue()


def _append(mapping, key, value) -> None:
    """Add ``key`` at the end of a round-trip mapping, moving the comment or blank lines that
    followed its last value (ruamel keeps them on the deepest last node) after the new key."""
    from ruamel.yaml.comments import CommentedSeq

    trailing = _take_trailing(mapping)
    if isinstance(value, list) and not isinstance(value, CommentedSeq):
        value = CommentedSeq(value)
    mapping[key] = value
    if trailing is None:
        return
    if isinstance(value, CommentedSeq) and value:  # after the block list, not after the key
        value.ca.items[len(value) - 1] = [trailing, None]
    else:
        mapping.ca.items[key] = [None, None, trailing, None]


def _take_trailing(node):
    """Remove and return the comment after the last value inside ``node``, or None."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap) and node:
        last = list(node.keys())[-1]
        entry = node.ca.items.get(last)
        if entry is not None and len(entry) > 2 and entry[2] is not None:
            token, entry[2] = entry[2], None
            return token
        return _take_trailing(node[last])
    if isinstance(node, CommentedSeq) and node:
        last = len(node) - 1
        entry = node.ca.items.get(last)
        if entry is not None and entry[0] is not None:
            token, entry[0] = entry[0], None
            return token
        return _take_trailing(node[last])
    return None


def _indents(text: str) -> tuple[int, int]:
    """How a description indents (so ``plan --write`` writes it the same way): the spaces of a
    nested mapping's keys under a top-level key, and of a sequence's dashes (2 and 2 if unsure)."""
    import re

    mapping = offset = None
    prev_top = False
    for line in text.splitlines():
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        lead = len(line) - len(line.lstrip(" "))
        if prev_top and lead:
            if body.startswith("- "):
                offset = lead if offset is None else offset
            elif mapping is None and re.match(r"[^\s:#][^:]*:(\s|$)", body):
                mapping = lead
        prev_top = lead == 0 and body.endswith(":")
        if mapping is not None and offset is not None:
            break
    return mapping or 2, 2 if offset is None else offset


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
    check_draft(options)
    page = policy.apply(result.page)
    raw = write_pdf(page, faces_of(result), marks=options.marks, photos=photo_settings(options))
    return finish_pdf(raw, standard=options.pdfx, profile=options.profile,
                      output_condition=options.output_condition, title=result.page.title,
                      created=options.created)


def _output_error(exc: PaibanError) -> OutputError:
    return OutputError(exc.message, hint=exc.hint)


def _photo_field(result, source: str) -> str | None:
    """The description field of the photo whose file is ``source`` (as the description names it)."""
    plan = result.plan
    for module in plan.modules() if plan is not None else ():
        for photo in module.photos:
            if photo.source == source:
                return photo.field
    return None


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
    """``output/<paper-dir>-<date>-<stem>.pdf`` under the current folder: the two folders above
    the description, as they are on disk (``../mypage/p1.yaml`` gives ``<parent>-mypage-p1``,
    never a hidden ``..-mypage-p1``)."""
    where = Path(os.path.abspath(issue_path))  # lexical: ``..`` resolved, symlinks kept
    parts = (where.parent.parent.name, where.parent.name, where.stem)
    stem = "-".join(p.lstrip(".") for p in parts if p.lstrip("."))
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
    from .pdf.photos import PhotoError

    try:
        data = render_pdf_bytes(result, options)
    except PhotoError as exc:  # found only when its pixels are decoded: name the photo's field
        where = _photo_field(result, exc.source)
        if where is None:
            raise
        raise InputError(exc.message, file=loaded.path, field=f"{where}.file",
                         line=loaded.line_of(*where.split("."), "file"), hint=exc.hint) from None
    # Warnings after the PDF exists: an error found while writing it (a photo that turns out
    # to be truncated) comes first, as every error does.
    for message in result.warnings:
        logger.warning(message)
    report = None
    if options.preflight and not options.draft:  # a draft is a proof: its FPO photos would fail
        from .pdf.preflight import preflight

        report = preflight(data, ink_limit=options.ink_limit, require_pdfx=options.pdfx != "none")
    if out is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data, kind="pdf", inputs=inputs)
    return RenderResult(target, result, data, list(result.warnings), report)
