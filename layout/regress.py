"""Regression: a canonical text snapshot of the frame tree, baselines, and comparison.

Owns ``snapshot()`` (one record per group, text line, glyph run, image, rule, fill and box,
coordinates rounded to 0.01 pt, every record prefixed with the top-level block it belongs to,
e.g. ``article:rescue``, so that any line of a unified diff names its article), approving a
baseline folder (``snapshot.txt`` + ``page.png``), and ``check()``: a structural diff first
(articles and lines changed, added, removed or moved, by line text), then a pixel comparison
with a tolerance and a diff PNG whose changed areas are boxed in red over a faded copy.
It reads frames only.
"""

from __future__ import annotations

import difflib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PaibanError
from .frames import Box, Fill, GlyphRun, Group, Image, Rule, TextLine, translate
from .frames import Path as VectorPath

SNAPSHOT_VERSION = 1
"""Bumped when the snapshot format changes (old baselines must then be approved again)."""

SNAPSHOT_FILE = "snapshot.txt"
PAGE_FILE = "page.png"
DIFF_FILE = "diff.png"

BASELINE_DPI = 40
"""Resolution of a baseline's page.png: a broadsheet page is about 614 × 866 px (≈ 0.1 s)."""

PIXEL_THRESHOLD = 16
"""A pixel counts as changed when a channel differs by more than this (0–255). The same PDF
rasterised by the same pdfium gives identical pixels; the threshold absorbs anti-aliasing
jitter between builds. At 40 dpi a body glyph is 5 px wide, so one changed character moves
about 15–30 px past this threshold (measured on page 05)."""

MAX_CHANGED_FRACTION = 0.00001
"""Pages whose changed pixels are at most this fraction count as equal: 0.001 % is about 5 px
of a broadsheet page at 40 dpi, below what a one-character edit changes."""

MAX_REPORTED = 12
"""Structural changes listed per block before ``… and N more``."""


def _n(v: float) -> str:
    s = f"{v:.2f}"
    return "0.00" if s == "-0.00" else s


def _cs(v: float) -> str:
    """Character spacing to 0.001 pt; a negative zero (rounding noise) prints as 0.000."""
    s = f"{v:.3f}"
    return "0.000" if s == "-0.000" else s


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _color(c) -> str:
    return "" if c == (0.0, 0.0, 0.0, 1.0) else " color=" + ",".join(f"{v:g}" for v in c)


def _scope(group: Group) -> str:
    return f"{group.kind}:{group.id}"


def _records(item, depth: int) -> list[str]:
    """Records of ``item`` (already in page coordinates) and of everything below it, in page
    coordinates: snapshots stay comparable however the tree nests its relative frames."""
    pad = "  " * depth
    if isinstance(item, Group):
        out = [f"{pad}group {item.kind} {_q(item.id)} x={_n(item.x)} y={_n(item.y)} w={_n(item.w)} h={_n(item.h)}"]
        for child in item.items:
            out.extend(_records(translate(child, item.x, item.y), depth + 1))
        return out
    if isinstance(item, TextLine):
        flags = (" last" if item.last else "") + (f" marks={len(item.marks)}" if item.marks else "")
        out = [(f"{pad}line {item.kind} x={_n(item.x)} y={_n(item.y)} w={_n(item.width)} ink={_n(item.ink)} "
               f"size={_n(item.size)}{flags} {_q(item.text)}")]
        for run in item.runs:
            out.append(pad + "  " + _run(run))
        return out
    if isinstance(item, GlyphRun):
        return [pad + _run(item)]
    if isinstance(item, Image):
        crop = ",".join(str(v) for v in item.crop)
        return [(f"{pad}image {_q(item.source)} x={_n(item.x)} y={_n(item.y)} w={_n(item.w)} h={_n(item.h)} "
                f"src={item.px[0]}x{item.px[1]} crop={crop} ppi={item.ppi:.0f} digest={item.digest[:12]}")]
    if isinstance(item, Rule):
        dash = f" dash={','.join(_n(v) for v in item.dash)}" if item.dash else ""
        return [(f"{pad}rule x1={_n(item.x1)} y1={_n(item.y1)} x2={_n(item.x2)} y2={_n(item.y2)} "
                f"width={_n(item.width)}{dash}{_color(item.color)}")]
    if isinstance(item, Fill):
        return [f"{pad}fill x={_n(item.x)} y={_n(item.y)} w={_n(item.w)} h={_n(item.h)}{_color(item.color)}"]
    if isinstance(item, VectorPath):
        fill = _color(item.fill) if item.fill is not None else " nofill"
        stroke = f" stroke={_n(item.width)}{_color(item.stroke)}" if item.stroke is not None else ""
        return [f"{pad}path x={_n(item.x)} y={_n(item.y)} ops={len(item.ops)}{fill}{stroke}"]
    if isinstance(item, Box):
        return [(f"{pad}box x={_n(item.x)} y={_n(item.y)} w={_n(item.w)} h={_n(item.h)} "
                f"width={_n(item.width)}{_color(item.color)}")]
    return [f"{pad}item {type(item).__name__}"]


def _run(run: GlyphRun) -> str:
    extra = ""
    if run.rotate:
        extra += f" rotate={_n(run.rotate)}"
    if run.h_scale != 100.0:
        extra += f" hscale={_n(run.h_scale)}"
    return (f"run {run.font} size={_n(run.size)} x={_n(run.x)} y={_n(run.y)} cs={_cs(run.char_space)} "
            f"n={len(run.text)}{extra}{_color(run.color)}")


def snapshot(result) -> str:
    """Return the canonical, diff-friendly text dump of a layout result's frame tree."""
    page, grid = result.page, result.grid
    head = [
        f"# paiban layout snapshot v{SNAPSHOT_VERSION}",
        f"page w={_n(page.width)} h={_n(page.height)} bleed={_n(page.bleed)} title={_q(page.title)}",
        (f"grid area=({_n(grid.area_x)},{_n(grid.area_y)},{_n(grid.area_w)},{_n(grid.area_h)}) "
        f"columns={grid.columns} col_w={_n(grid.col_w)} gutter={_n(grid.gutter)} em={_n(grid.em)} "
        f"pitch={_n(grid.pitch)} lines={grid.lines}"),
    ]
    out = ["page: " + h for h in head]
    root = page.root
    scopes = {g.id: _scope(g) for g in root.items if isinstance(g, Group)}

    def scope_of(ident: str) -> str:
        return scopes.get(ident) or scopes.get(ident.split("/")[0]) or "page"

    for m in result.modules:
        bands = m.region.bands
        if len(bands) == 1:
            r = bands[0]
            out.append(f"{scope_of(m.label)}: module {m.label} col={r.col + 1} span={r.span} lines={r.top}-{r.end}")
        else:
            parts = "; ".join(f"col={r.col + 1} span={r.span} lines={r.top}-{r.end}" for r in bands)
            out.append(f"{scope_of(m.label)}: module {m.label} {m.region.shape} {parts}")
    for f in result.fit:
        out.append(f"{scope_of(f.id)}: fit {f.id} capacity={f.capacity_lines} used={f.used_lines} "
                   f"overset_lines={f.overset_lines} overset_chars={f.overset_chars} underset={f.underset_lines} "
                   f"tail={f.empty_tail} chars={f.chars}")
    out.append(f"page: group {root.kind} {_q(root.id)} x={_n(root.x)} y={_n(root.y)} w={_n(root.w)} h={_n(root.h)}")
    tops = list(root.items) + ([page.marks] if page.marks is not None else [])
    for item in tops:
        scope = _scope(item) if isinstance(item, Group) else "page"
        for rec in _records(translate(item, root.x, root.y), 0):
            out.append(f"{scope}: {rec}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- structural diff

_LINE_RE = re.compile(r"^line (?P<kind>\S+) x=(?P<x>\S+) y=(?P<y>\S+) w=(?P<w>\S+) ink=(?P<ink>\S+) "
                      r"size=(?P<size>\S+)(?P<last> last)? (?P<text>\".*\")$")


@dataclass
class _Line:
    index: int
    kind: str
    x: str
    y: str
    w: str
    ink: str
    size: str
    text: str
    runs: tuple[str, ...] = ()


@dataclass
class _Block:
    lines: list[_Line] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


def _parse(text: str) -> dict[str, _Block]:
    blocks: dict[str, _Block] = {}
    line_pad: dict[str, int] = {}
    for raw in text.splitlines():
        if raw.startswith("page: #"):
            continue
        scope, sep, rest = raw.partition(": ")
        if not sep:
            continue
        block = blocks.setdefault(scope, _Block())
        body = rest.lstrip(" ")
        pad = len(rest) - len(body)
        m = _LINE_RE.match(body)
        if m:
            block.lines.append(_Line(len(block.lines) + 1, m["kind"], m["x"], m["y"], m["w"], m["ink"], m["size"],
                                     json.loads(m["text"])))
            line_pad[scope] = pad
        elif body.startswith("run ") and block.lines and pad == line_pad.get(scope, -9) + 2:
            block.lines[-1].runs += (body,)  # a glyph run of the line above
        else:
            block.other.append(body)
            line_pad[scope] = -9
    return blocks


def _short(text: str, limit: int = 40) -> str:
    return _q(text if len(text) <= limit else text[: limit - 1] + "…")


def _scope_name(scope: str) -> str:
    kind, _, ident = scope.partition(":")
    return f"{kind} {ident}" if ident else kind


def structural_diff(old: str, new: str, *, limit: int = MAX_REPORTED) -> list[str]:
    """Describe how two snapshots differ, block by block, naming each block and line text."""
    a, b = _parse(old), _parse(new)
    report: list[str] = []
    order = list(a) + [s for s in b if s not in a]
    for scope in order:
        name = _scope_name(scope)
        if scope not in b:
            report.append(f"{name}: removed ({len(a[scope].lines)} lines)")
            continue
        if scope not in a:
            report.append(f"{name}: added ({len(b[scope].lines)} lines)")
            continue
        items = _block_changes(a[scope], b[scope])
        if not items:
            continue
        shown = items[:limit]
        report.extend(f"{name}: {s}" for s in shown)
        if len(items) > limit:
            report.append(f"{name}: … and {len(items) - limit} more change(s)")
    return report


def _block_changes(old: _Block, new: _Block) -> list[str]:
    out: list[str] = []
    ta = [ln.text for ln in old.lines]
    tb = [ln.text for ln in new.lines]
    sm = difflib.SequenceMatcher(a=ta, b=tb, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.extend(_moves(list(zip(old.lines[i1:i2], new.lines[j1:j2]))))
        elif tag == "replace":
            pairs = list(zip(old.lines[i1:i2], new.lines[j1:j2]))
            for la, lb in pairs:
                out.append(f"line {lb.index} changed: {_q(la.text)} → {_q(lb.text)}")
            for la in old.lines[i1 + len(pairs):i2]:
                out.append(f"line {la.index} removed: {_q(la.text)}")
            for lb in new.lines[j1 + len(pairs):j2]:
                out.append(f"line {lb.index} added: {_q(lb.text)}")
        elif tag == "delete":
            for la in old.lines[i1:i2]:
                out.append(f"line {la.index} removed: {_q(la.text)}")
        elif tag == "insert":
            for lb in new.lines[j1:j2]:
                out.append(f"line {lb.index} added: {_q(lb.text)}")
    if old.other != new.other:
        sm = difflib.SequenceMatcher(a=old.other, b=new.other, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                continue
            for rec in old.other[i1:i2]:
                out.append(f"- {rec}")
            for rec in new.other[j1:j2]:
                out.append(f"+ {rec}")
    return out


MIN_MOVED_RUN = 3
"""Consecutive lines shifted by the same offset are reported as one range from this many on."""


def _shift(la: _Line, lb: _Line) -> tuple[float, float] | None:
    """The (dx, dy) of a line that only moved, else None."""
    if (la.kind, la.w, la.size, la.ink) != (lb.kind, lb.w, lb.size, lb.ink):
        return None
    dx, dy = float(lb.x) - float(la.x), float(lb.y) - float(la.y)
    return (round(dx, 2), round(dy, 2)) if dx or dy else None


def _moves(pairs: list[tuple[_Line, _Line]]) -> list[str]:
    """Report lines of equal text that moved or were respaced; runs of equal shifts as ranges."""
    out: list[str] = []
    i = 0
    while i < len(pairs):
        la, lb = pairs[i]
        shift = _shift(la, lb)
        j = i + 1
        while shift is not None and j < len(pairs) and _shift(*pairs[j]) == shift:
            j += 1
        if shift is not None and j - i >= MIN_MOVED_RUN:
            dx, dy = shift
            what = ", ".join(f"{k} {v:+.2f}" for k, v in (("x", dx), ("y", dy)) if v)
            last = pairs[j - 1][1]
            out.append(f"lines {lb.index}–{last.index} moved ({what}): {_short(lb.text, 20)} … {_short(last.text, 20)}")
            i = j
            continue
        moves = [f"{k} {getattr(la, k)} → {getattr(lb, k)}" for k in ("x", "y", "w", "size")
                 if getattr(la, k) != getattr(lb, k)]
        if la.kind != lb.kind:
            moves.append(f"kind {la.kind} → {lb.kind}")
        if moves:
            out.append(f"line {lb.index} moved ({', '.join(moves)}): {_short(lb.text)}")
        elif la.runs != lb.runs or la.ink != lb.ink:
            out.append(f"line {lb.index} respaced (glyph runs differ): {_short(lb.text)}")
        i += 1
    return out


def unified_diff(old: str, new: str, *, old_name: str = "baseline/snapshot.txt",
                 new_name: str = "current/snapshot.txt", context: int = 2) -> str:
    """Return a unified diff of two snapshots (empty when equal)."""
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        old_name, new_name, n=context))


# ---------------------------------------------------------------- pixels


@dataclass(frozen=True)
class Tolerance:
    """When two page images count as equal."""

    threshold: int = PIXEL_THRESHOLD
    max_fraction: float = MAX_CHANGED_FRACTION


@dataclass
class PixelReport:
    """The pixel comparison of a baseline image with a new one."""

    size_old: tuple[int, int]
    size_new: tuple[int, int]
    changed: int
    total: int
    max_delta: int
    boxes: list[tuple[int, int, int, int]]
    tolerance: Tolerance

    @property
    def fraction(self) -> float:
        """Changed pixels as a fraction of all pixels."""
        return self.changed / self.total if self.total else 0.0

    @property
    def ok(self) -> bool:
        """True when the sizes agree and the changed fraction is within tolerance."""
        return self.size_old == self.size_new and self.fraction <= self.tolerance.max_fraction

    def summary(self) -> str:
        """One line: sizes, changed pixels, largest difference and regions."""
        if self.size_old != self.size_new:
            return (f"pixels: page size changed {self.size_old[0]}×{self.size_old[1]} → "
                    f"{self.size_new[0]}×{self.size_new[1]} px")
        verdict = "ok" if self.ok else "DIFFERENT"
        return (f"pixels: {verdict}: {self.changed} of {self.total} px changed ({self.fraction:.4%}, "
                f"limit {self.tolerance.max_fraction:.4%} at threshold {self.tolerance.threshold}), "
                f"max delta {self.max_delta}, {len(self.boxes)} region(s)")


TILE = 8
"""Changed pixels are grouped into regions on a grid of TILE × TILE px tiles."""


def compare_images(old, new, tolerance: Tolerance = Tolerance()) -> tuple[PixelReport, object]:
    """Compare two images; return the report and the changed-pixel mask (mode ``1``, or None)."""
    from PIL import ImageChops

    a, b = old.convert("RGB"), new.convert("RGB")
    if a.size != b.size:
        w, h = max(a.size[0], b.size[0]), max(a.size[1], b.size[1])
        return PixelReport(a.size, b.size, w * h, w * h, 255, [(0, 0, w, h)], tolerance), None
    diff = ImageChops.difference(a, b)
    # The largest channel difference per pixel.
    r, g, bl = diff.split()
    delta = ImageChops.lighter(ImageChops.lighter(r, g), bl)
    max_delta = delta.getextrema()[1]
    mask = delta.point(lambda v: 255 if v > tolerance.threshold else 0, mode="L")
    changed = mask.histogram()[255]
    boxes = _regions(mask) if changed else []
    return PixelReport(a.size, b.size, changed, a.size[0] * a.size[1], max_delta, boxes, tolerance), mask


def _regions(mask) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (px) of connected groups of changed tiles."""
    from PIL import Image as PILImage

    w, h = mask.size
    tw, th = -(-w // TILE), -(-h // TILE)
    tiles = mask.resize((tw, th), PILImage.Resampling.BOX, reducing_gap=None)
    data = tiles.tobytes()
    on = {(i % tw, i // tw) for i, v in enumerate(data) if v}
    boxes = []
    while on:
        stack = [on.pop()]
        x0 = x1 = stack[0][0]
        y0 = y1 = stack[0][1]
        while stack:
            x, y = stack.pop()
            x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    n = (x + dx, y + dy)
                    if n in on:
                        on.remove(n)
                        stack.append(n)
        boxes.append((x0 * TILE, y0 * TILE, min(w, (x1 + 1) * TILE), min(h, (y1 + 1) * TILE)))
    return sorted(boxes, key=lambda bx: (bx[1], bx[0]))


def diff_image(old, new, mask, boxes):
    """A diff picture: the new page faded, changed pixels in red, changed regions boxed in red."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    w, h = max(old.size[0], new.size[0]), max(old.size[1], new.size[1])
    base = PILImage.new("RGB", (w, h), "white")
    base.paste(new.convert("RGB"), (0, 0))
    faded = PILImage.blend(base, PILImage.new("RGB", (w, h), "white"), 0.7)
    if mask is not None:
        red = PILImage.new("RGB", (w, h), (230, 0, 0))
        faded.paste(red, (0, 0), mask)
    d = ImageDraw.Draw(faded)
    for x0, y0, x1, y1 in boxes:
        d.rectangle((x0 - 2, y0 - 2, x1 + 1, y1 + 1), outline=(230, 0, 0), width=2)
    return faded


# ---------------------------------------------------------------- baselines


@dataclass
class CheckReport:
    """The result of checking a page against its baseline."""

    baseline: Path
    structural: list[str]
    unified: str
    pixels: PixelReport
    diff_png: Path | None
    seconds: float = 0.0

    @property
    def snapshot_equal(self) -> bool:
        """True when the frame trees agree."""
        return not self.unified

    @property
    def ok(self) -> bool:
        """True when neither the structure nor the pixels differ beyond tolerance."""
        return self.snapshot_equal and self.pixels.ok

    def render(self, *, unified: bool = True) -> str:
        """The report as the CLI prints it: structure first, then pixels."""
        out: list[str] = []
        if self.snapshot_equal:
            out.append("structure: unchanged")
        else:
            out.append(f"structure: {len(self.structural)} change(s)")
            out.extend(f"  {s}" for s in self.structural)
            if unified:
                out.append("")
                out.append(self.unified.rstrip("\n"))
                out.append("")
        out.append(self.pixels.summary())
        if self.diff_png is not None:
            out.append(f"diff image: {self.diff_png}")
        out.append("ok: same as the baseline" if self.ok else f"DIFFERENT from the baseline in {self.baseline}")
        return "\n".join(out)


def _layout(issue, options):
    from . import api

    loaded = api.load_issue(issue, allow=options.allow if options is not None else ())
    return api.layout(loaded, options)


def _page_image(result, dpi: float):
    from .preview import render_image

    return render_image(result, dpi, grayscale=True)


def approve(issue, baseline_dir, options=None, *, dpi: float = BASELINE_DPI, result=None) -> Path:
    """Write ``snapshot.txt`` and ``page.png`` of an issue's page into ``baseline_dir`` (created)."""
    from .api import write_atomic
    from .preview import png_bytes

    result = result if result is not None else _layout(issue, options)
    folder = Path(baseline_dir)
    if folder.exists() and not folder.is_dir():
        raise PaibanError(f"{folder} is not a folder", hint="name a folder for the baseline")
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / SNAPSHOT_FILE, snapshot(result).encode("utf-8"))
    write_atomic(folder / PAGE_FILE, png_bytes(_page_image(result, dpi), dpi))
    return folder


def _baseline_dpi(image) -> float:
    text = image.info.get("paiban-dpi")
    if text:
        return float(text)
    dpi = image.info.get("dpi")
    return float(round(dpi[0])) if dpi else float(BASELINE_DPI)


def check(issue, baseline_dir, *, tolerance: Tolerance = Tolerance(), dpi: float | None = None,
          diff_out=None, options=None, result=None) -> CheckReport:
    """Lay out an issue again and compare it with its baseline: structure first, then pixels.

    ``dpi`` must match the baseline image's resolution (the default). A diff PNG is written (to ``diff_out``
    or ``<baseline>/diff.png``) when the pixels differ; a stale one is removed when they agree.
    """
    from PIL import Image as PILImage

    from .api import write_atomic
    from .preview import png_bytes

    start = time.perf_counter()
    folder = Path(baseline_dir)
    snap_path, png_path = folder / SNAPSHOT_FILE, folder / PAGE_FILE
    hint = f"approve one first: paiban approve {issue} --baseline {folder}"
    if not folder.is_dir():
        raise PaibanError(f"baseline folder {folder} does not exist", hint=hint)
    for p in (snap_path, png_path):
        if not p.is_file():
            raise PaibanError(f"the baseline has no {p.name} ({p})", hint=hint)
    try:
        old_snap = snap_path.read_text(encoding="utf-8")
        old_img = PILImage.open(png_path)
        old_img.load()
    except (OSError, UnicodeDecodeError) as exc:
        raise PaibanError(f"cannot read the baseline in {folder}: {exc}", hint=hint) from None
    approved_dpi = _baseline_dpi(old_img)
    if dpi is None:
        dpi = approved_dpi
    elif abs(dpi - approved_dpi) > 1e-6:
        raise PaibanError(f"the baseline in {folder} was approved at {approved_dpi:g} dpi, not {dpi:g}",
                          hint=f"check at {approved_dpi:g} dpi, or approve again with --dpi {dpi:g}")
    result = result if result is not None else _layout(issue, options)
    new_snap = snapshot(result)
    unified = ""
    structural: list[str] = []
    if new_snap != old_snap:
        unified = unified_diff(old_snap, new_snap, old_name=f"{folder}/{SNAPSHOT_FILE}",
                               new_name=f"{issue} (now)")
        structural = structural_diff(old_snap, new_snap)
    new_img = _page_image(result, dpi)
    pixels, mask = compare_images(old_img, new_img, tolerance)
    target = Path(diff_out) if diff_out is not None else folder / DIFF_FILE
    written = None
    if pixels.changed:
        write_atomic(target, png_bytes(diff_image(old_img, new_img, mask, pixels.boxes), dpi))
        written = target
    elif diff_out is None and target.exists():
        target.unlink()  # a diff from an earlier failing check would mislead
    return CheckReport(folder, structural, unified, pixels, written, time.perf_counter() - start)
