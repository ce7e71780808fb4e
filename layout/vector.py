"""Vector art: logos and charts from SVG or PDF files, read into backend-neutral paths.

Owns reading a vector file once, at the plan stage, into a ``VectorArt``: its size in points
and its filled and stroked paths (``frames.Path``, y down, origin at the art's top-left) with
their colours in DeviceCMYK. SVG is parsed with svglib (a ReportLab drawing, walked with its
transforms); PDF with pikepdf (the first page's content stream: path construction, painting,
``cm``/``q``/``Q`` and device colours). The art stays vector in the output: the writer draws
the paths. What a logo must not carry is refused with a hint — text (outline it first),
raster images, shadings, transparency — because it would not print as drawn (print.md §4).

Colours: RGB and grey become CMYK with full grey-component replacement (K = 1 − max(R, G, B)),
so a grey or black logo is K only, and no converted colour exceeds 220 % total ink, the
newsprint recommendation [WAN-SC]; CMYK is kept as given (preflight checks it against the
limit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path as FsPath

from .errors import ImageError
from .frames import Path
from .matrix import IDENTITY, Matrix, apply, multiply

KAPPA = 4 * (math.sqrt(2) - 1) / 3
"""Control-point distance of a cubic Bézier quarter circle (radius 1)."""

MAX_PATHS = 20_000
"""Most paths a vector file may hold (a logo has tens; a huge file is refused, not drawn)."""

MAX_VECTOR_BYTES = 20_000_000
"""Largest vector file read (a logo or chart is kilobytes; a huge file is refused, not parsed)."""

VECTOR_SUFFIXES = (".svg", ".pdf")
"""File suffixes read as vector art."""

@dataclass(frozen=True, slots=True)
class VectorArt:
    """A vector file read into paths: its size (pt) and paths in its own coordinates."""

    source: str
    width: float
    height: float
    paths: tuple[Path, ...]

    def placed(
        self, x: float, y: float, w: float, h: float, align: str = "center"
    ) -> tuple[Path, ...]:
        """Return the paths scaled uniformly to fit (w, h) at (x, y): centred, or at the left
        (``align="start"``), always centred vertically."""
        s = self.scale(w, h)
        ox = x if align == "start" else x + (w - self.width * s) / 2
        oy = y + (h - self.height * s) / 2
        return tuple(scale_path(p, s, ox, oy) for p in self.paths)

    def scale(self, w: float, h: float) -> float:
        """Return the uniform scale that fits the art into (w, h)."""
        return min(w / self.width, h / self.height)


def is_vector(name: str) -> bool:
    """Return True when a file name names vector art (SVG or PDF)."""
    return FsPath(name).suffix.lower() in VECTOR_SUFFIXES


def scale_path(p: Path, s: float, dx: float, dy: float) -> Path:
    """Return the path scaled by ``s`` about its origin, then moved to (dx, dy)."""
    ops = tuple((op[0], *(v * s for v in op[1:])) for op in p.ops)
    return Path(p.x * s + dx, p.y * s + dy, ops, p.fill, p.stroke, p.width * s, p.even_odd, p.dash)


VECTOR_INK_LIMIT = 2.2
"""Most total ink (C+M+Y+K, 1 = 100 %) of a colour converted from RGB: 220 %, the ISO 12647-3:2013
recommendation for newsprint [WAN-SC], within the engine's default limit of 240 %."""


def rgb_to_cmyk(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """Convert device RGB (0..1) to CMYK with full grey-component replacement (greys: K only).

    K = 1 − max(R, G, B) and C, M, Y = (1 − R, G, B − K) / (1 − K); a colour whose total ink
    would exceed ``VECTOR_INK_LIMIT`` keeps its K and has C, M, Y scaled down to the limit."""
    k = 1.0 - max(r, g, b)
    if k >= 1.0 - 1e-9:
        return (0.0, 0.0, 0.0, 1.0)
    cmy = [(1.0 - v - k) / (1.0 - k) for v in (r, g, b)]
    total = sum(cmy) + k
    if total > VECTOR_INK_LIMIT:
        f = (VECTOR_INK_LIMIT - k) / sum(cmy)
        cmy = [v * f for v in cmy]
    return tuple(round(v, 4) + 0.0 for v in (*cmy, k))  # type: ignore[return-value]


def load_art(path: FsPath, name: str) -> VectorArt:
    """Read an SVG or PDF file into a ``VectorArt``; raise ``ImageError`` with a hint."""
    size = path.stat().st_size
    if size > MAX_VECTOR_BYTES:
        raise ImageError(
            f"vector file {name!r} is {size} bytes, over the limit of {MAX_VECTOR_BYTES} "
            "(MAX_VECTOR_BYTES)",
            hint="simplify the artwork or export it again",
        )
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return _load_svg(path, name)
    if suffix == ".pdf":
        return _load_pdf(path, name)
    raise ImageError(f"{name!r} is not vector art", hint="use an .svg or .pdf file")


# ---------------------------------------------------------------- helpers


def _scale_of(m: Matrix) -> float:
    """The mean linear scale of a matrix (for stroke widths)."""
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


class _Builder:
    """Collects paths in y-up art coordinates and flips them into a ``VectorArt``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.paths: list[
            tuple[list[tuple], tuple | None, tuple | None, float, bool, tuple | None]
        ] = []

    def add(self, ops, fill, stroke, width: float, even_odd: bool, dash=None) -> None:
        if not ops or (fill is None and stroke is None):
            return
        if len(self.paths) >= MAX_PATHS:
            raise ImageError(
                f"vector file {self.name!r} holds more than {MAX_PATHS} paths (MAX_PATHS)",
                hint="simplify the artwork",
            )
        self.paths.append((ops, fill, stroke, width, even_odd, dash))

    def art(self, x0: float, y0: float, w: float, h: float) -> VectorArt:
        """Make the art, flipping y (art is y-up from (x0, y0); frames are y-down from the top)."""
        if w <= 0 or h <= 0:
            raise ImageError(
                f"vector file {self.name!r} has no size",
                hint="give the artwork a page or viewBox size",
            )
        if not self.paths:
            raise ImageError(
                f"vector file {self.name!r} draws nothing",
                hint="check that it has filled or stroked paths",
            )
        top = y0 + h
        out: list[Path] = []
        for ops, fill, stroke, width, even_odd, dash in self.paths:
            flipped = []
            for op in ops:
                pts = op[1:]
                flipped.append(
                    (op[0], *(v - x0 if i % 2 == 0 else top - v for i, v in enumerate(pts)))
                )
            out.append(Path(0.0, 0.0, tuple(flipped), fill, stroke, width, even_odd, dash))
        return VectorArt(self.name, w, h, tuple(out))


# ---------------------------------------------------------------- SVG (svglib)


def _rl_color(color) -> tuple[float, float, float, float] | None:
    if color is None:
        return None
    if hasattr(color, "cyan"):
        return (float(color.cyan), float(color.magenta), float(color.yellow), float(color.black))
    return rgb_to_cmyk(float(color.red), float(color.green), float(color.blue))


def _load_svg(path: FsPath, name: str) -> VectorArt:
    from reportlab.graphics import shapes as S
    from svglib.svglib import svg2rlg

    try:  # svglib raises lxml, ValueError and others for a broken file
        drawing = svg2rlg(str(path))
    except Exception as exc:  # noqa: BLE001
        raise ImageError(
            f"cannot read SVG {name!r}: {exc}", hint="check that the file is valid SVG"
        ) from None
    if drawing is None:
        raise ImageError(f"cannot read SVG {name!r}", hint="check that the file is valid SVG")
    out = _Builder(name)

    def walk(node, m: Matrix) -> None:
        if isinstance(node, S.Group):
            t = tuple(float(v) for v in getattr(node, "transform", IDENTITY))
            mm = multiply(t, m)  # type: ignore[arg-type]
            for child in node.contents:
                walk(child, mm)
            return
        if isinstance(node, S.String):
            raise ImageError(
                f"SVG {name!r} contains text ({node.text!r})",
                hint="convert the text to outlines (paths) in the drawing program",
            )
        if isinstance(node, S.Image):
            raise ImageError(
                f"SVG {name!r} contains a raster image",
                hint="a logo must be vector only; trace or remove the image",
            )
        for attr in ("fillOpacity", "strokeOpacity"):
            if getattr(node, attr, None) not in (None, 1, 1.0):
                raise ImageError(
                    f"SVG {name!r} uses transparency ({attr})",
                    hint="PDF/X-1a has no transparency; use solid colours",
                )
        fill = _rl_color(getattr(node, "fillColor", None))
        stroke = _rl_color(getattr(node, "strokeColor", None))
        width = float(getattr(node, "strokeWidth", 1) or 0) * _scale_of(m)
        if stroke is not None and width <= 0:
            stroke = None
        dash = getattr(node, "strokeDashArray", None)
        dash = tuple(float(v) * _scale_of(m) for v in dash) if dash else None
        even_odd = getattr(node, "fillMode", S.FILL_NON_ZERO) == S.FILL_EVEN_ODD
        ops = _svg_ops(node, S)
        if isinstance(node, (S.Line, S.PolyLine)):
            fill = None
        if ops is None:
            return
        out.add([_transform(op, m) for op in ops], fill, stroke, width, even_odd, dash)

    walk(drawing, IDENTITY)
    return out.art(0.0, 0.0, float(drawing.width), float(drawing.height))


def _transform(op: tuple, m: Matrix) -> tuple:
    pts = op[1:]
    res: list[float] = []
    for i in range(0, len(pts), 2):
        res.extend(apply(m, pts[i], pts[i + 1]))
    return (op[0], *res)


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> list[tuple]:
    kx, ky = rx * KAPPA, ry * KAPPA
    return [
        ("M", cx + rx, cy),
        ("C", cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry),
        ("C", cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy),
        ("C", cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry),
        ("C", cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy),
        ("Z",),
    ]


def _svg_ops(node, S) -> list[tuple] | None:
    """Path operations of one svglib shape (y-up drawing coordinates)."""
    if isinstance(node, S.Path):
        pts, ops, out, k = node.points, node.operators, [], 0
        for op in ops:
            if op == S._MOVETO:
                out.append(("M", pts[k], pts[k + 1]))
                k += 2
            elif op == S._LINETO:
                out.append(("L", pts[k], pts[k + 1]))
                k += 2
            elif op == S._CURVETO:
                out.append(("C", *pts[k : k + 6]))
                k += 6
            elif op == S._CLOSEPATH:
                out.append(("Z",))
        return out
    if isinstance(node, S.Rect):
        x, y, w, h = float(node.x), float(node.y), float(node.width), float(node.height)
        rx = min(float(node.rx or 0), w / 2)
        ry = min(float(node.ry or 0) or rx, h / 2)
        if rx <= 0 or ry <= 0:
            return [("M", x, y), ("L", x + w, y), ("L", x + w, y + h), ("L", x, y + h), ("Z",)]
        kx, ky = rx * (1 - KAPPA), ry * (1 - KAPPA)
        return [
            ("M", x + rx, y),
            ("L", x + w - rx, y),
            ("C", x + w - kx, y, x + w, y + ky, x + w, y + ry),
            ("L", x + w, y + h - ry),
            ("C", x + w, y + h - ky, x + w - kx, y + h, x + w - rx, y + h),
            ("L", x + rx, y + h),
            ("C", x + kx, y + h, x, y + h - ky, x, y + h - ry),
            ("L", x, y + ry),
            ("C", x, y + ky, x + kx, y, x + rx, y),
            ("Z",),
        ]
    if isinstance(node, S.Circle):
        return _ellipse(float(node.cx), float(node.cy), float(node.r), float(node.r))
    if isinstance(node, S.Ellipse):
        return _ellipse(float(node.cx), float(node.cy), float(node.rx), float(node.ry))
    if isinstance(node, (S.Polygon, S.PolyLine)):
        pts = node.points
        out = [("M" if i == 0 else "L", pts[i], pts[i + 1]) for i in range(0, len(pts) - 1, 2)]
        return out + ([("Z",)] if isinstance(node, S.Polygon) else [])
    if isinstance(node, S.Line):
        return [("M", node.x1, node.y1), ("L", node.x2, node.y2)]
    return None


# ---------------------------------------------------------------- PDF (pikepdf)


_PAINT = {
    "f": (True, False, False),
    "F": (True, False, False),
    "f*": (True, False, True),
    "S": (False, True, False),
    "s": (False, True, False),
    "B": (True, True, False),
    "B*": (True, True, True),
    "b": (True, True, False),
    "b*": (True, True, True),
}
"""PDF painting operators → (fill, stroke, even-odd)."""

_REFUSED = {
    "Tj": ("text", "convert the text to outlines"),
    "TJ": ("text", "convert the text to outlines"),
    "'": ("text", "convert the text to outlines"),
    '"': ("text", "convert the text to outlines"),
    "Do": ("an image or form XObject", "flatten the artwork to paths"),
    "sh": ("a shading", "replace the gradient with solid colours"),
    "BI": ("an inline image", "a logo must be vector only"),
}
"""PDF operators a logo may not use, with what they are and what to do."""


def _load_pdf(path: FsPath, name: str) -> VectorArt:
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except Exception as exc:  # noqa: BLE001 - pikepdf raises PdfError and others for a broken file
        raise ImageError(
            f"cannot read PDF {name!r}: {exc}", hint="check that the file is a PDF"
        ) from None
    with pdf:
        if len(pdf.pages) < 1:
            raise ImageError(f"PDF {name!r} has no page", hint="export the logo as a one-page PDF")
        page = pdf.pages[0]
        box = [float(v) for v in (page.obj.get("/CropBox") or page.mediabox)]
        out = _Builder(name)
        m: Matrix = IDENTITY
        stack: list[tuple] = []
        fill_c, stroke_c, width = (0.0, 0.0, 0.0, 1.0), (0.0, 0.0, 0.0, 1.0), 1.0
        fill_cs = stroke_cs = "/DeviceGray"
        ops: list[tuple] = []
        cur = (0.0, 0.0)
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            v = _numbers(operands)
            if op in _REFUSED:
                what, hint = _REFUSED[op]
                raise ImageError(f"PDF {name!r} contains {what}", hint=hint)
            if op == "q":
                stack.append((m, fill_c, stroke_c, width, fill_cs, stroke_cs))
            elif op == "Q" and stack:
                m, fill_c, stroke_c, width, fill_cs, stroke_cs = stack.pop()
            elif op == "cm" and len(v) == 6:
                m = multiply(tuple(v), m)  # type: ignore[arg-type]
            elif op == "w" and v:
                width = v[0]
            elif op == "gs":
                _check_gs(page, operands, name)
            elif op in ("g", "G", "rg", "RG", "k", "K", "sc", "scn", "SC", "SCN", "cs", "CS"):
                if op in ("cs", "CS"):
                    cs = str(operands[0])
                    if cs not in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK"):
                        raise ImageError(
                            f"PDF {name!r} uses colour space {cs}",
                            hint="use device grey, RGB or CMYK colours (no spot colours)",
                        )
                    if op == "cs":
                        fill_cs = cs
                    else:
                        stroke_cs = cs
                    continue
                space = {
                    "g": "/DeviceGray",
                    "G": "/DeviceGray",
                    "rg": "/DeviceRGB",
                    "RG": "/DeviceRGB",
                    "k": "/DeviceCMYK",
                    "K": "/DeviceCMYK",
                }.get(op)
                space = space or (fill_cs if op in ("sc", "scn") else stroke_cs)
                color = _pdf_color(space, v)
                if op in ("g", "rg", "k", "sc", "scn"):
                    fill_c = color
                else:
                    stroke_c = color
            elif op == "m" and len(v) == 2:
                cur = (v[0], v[1])
                ops.append(("M", *apply(m, *cur)))
            elif op == "l" and len(v) == 2:
                cur = (v[0], v[1])
                ops.append(("L", *apply(m, *cur)))
            elif op in ("c", "v", "y"):
                if op == "c" and len(v) == 6:
                    pts = v
                elif op == "v" and len(v) == 4:
                    pts = [*cur, *v]
                elif op == "y" and len(v) == 4:
                    pts = [*v, v[2], v[3]]
                else:
                    continue
                cur = (pts[4], pts[5])
                ops.append(
                    (
                        "C",
                        *apply(m, pts[0], pts[1]),
                        *apply(m, pts[2], pts[3]),
                        *apply(m, pts[4], pts[5]),
                    )
                )
            elif op == "h":
                ops.append(("Z",))
            elif op == "re" and len(v) == 4:
                x, y, w, h = v
                ops += [
                    ("M", *apply(m, x, y)),
                    ("L", *apply(m, x + w, y)),
                    ("L", *apply(m, x + w, y + h)),
                    ("L", *apply(m, x, y + h)),
                    ("Z",),
                ]
            elif op in _PAINT:
                do_fill, do_stroke, even_odd = _PAINT[op]
                if op in ("s", "b", "b*"):
                    ops.append(("Z",))
                out.add(
                    ops,
                    fill_c if do_fill else None,
                    stroke_c if do_stroke else None,
                    width * _scale_of(m),
                    even_odd,
                )
                ops = []
            elif op == "n":  # end of a clipping path: clipping is not kept (a logo's art box)
                ops = []
        return out.art(box[0], box[1], box[2] - box[0], box[3] - box[1])


def _numbers(operands) -> list[float]:
    """The numeric operands of a content-stream operator (names and strings skipped)."""
    out: list[float] = []
    for x in operands:
        try:
            out.append(float(x))
        except (TypeError, ValueError):
            continue
    return out


def _pdf_color(space: str, v: list[float]) -> tuple[float, float, float, float]:
    if space == "/DeviceCMYK" and len(v) >= 4:
        return (v[0], v[1], v[2], v[3])
    if space == "/DeviceRGB" and len(v) >= 3:
        return rgb_to_cmyk(v[0], v[1], v[2])
    g = v[0] if v else 0.0
    return (0.0, 0.0, 0.0, round(1.0 - g, 4))


def _check_gs(page, operands, name: str) -> None:
    """Refuse an ExtGState with transparency (a soft mask or constant alpha below 1)."""
    try:
        gs = page.resources.ExtGState[operands[0]]
    except (AttributeError, KeyError, IndexError, TypeError):
        return
    for key in ("/ca", "/CA"):
        if key in gs and float(gs[key]) < 1.0:
            raise ImageError(
                f"PDF {name!r} uses transparency ({key[1:]} {float(gs[key]):g})",
                hint="PDF/X-1a has no transparency; use solid colours",
            )
    if "/SMask" in gs and str(gs.SMask) != "/None":
        raise ImageError(
            f"PDF {name!r} uses a soft mask", hint="PDF/X-1a has no transparency; flatten it"
        )
