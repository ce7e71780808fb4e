"""Preflight: check any PDF (ours or anyone's) for newspaper print with pikepdf.

Owns a walker over every page's content streams and resources, Form XObjects, tiling patterns
and Type 3 glyph procedures included, that keeps the graphics state (CTM, colour spaces and
colours, overprint, text render mode) and reports ``Finding``\\ s: unembedded fonts, RGB colour
(operators, colour spaces, images, inline images, shadings), transparency, 100 % K text that
knocks out instead of overprinting, vector CMYK colour above the total-ink limit, image
colour space and effective resolution from the CTM at the ``Do``, page boxes and their
nesting, and the PDF/X keys. No open-source PDF/X validator exists (print.md §4); this is the
~100-line ``check_print.py`` grown into a tool, to be combined with Ghostscript TAC renders
(``bench/separations.py``).
"""

from __future__ import annotations

import io
import math
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Name

from ..errors import PdfError
from ..matrix import IDENTITY, Matrix, multiply
from .boxes import inside, read_box

SEVERITIES = ("error", "warning", "info")


MAX_DEPTH = 24
"""Deepest nesting of Form XObjects / patterns followed (guards against reference loops)."""

MIB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    """What one preflight may spend; beyond it the file is reported "too complex to check".

    A PDF from outside (an advertisement) can hold a flate bomb or millions of operators; the
    walker must answer in bounded time and memory (issue 18). Page 05 needs 0.1 MiB of content
    and 31,000 tokens: the defaults leave two orders of magnitude for real pages.
    """

    decoded_bytes: int = 64 * MIB
    """Content streams (pages, forms, patterns, glyph procedures) decoded, all together."""
    tokens: int = 3_000_000
    """Tokens of those streams (counted from their separators, an upper estimate), all together;
    parsing keeps about 300 bytes per token, so this bounds the walker's memory near 1 GiB."""
    seconds: float = 20.0
    """Wall time of the walk."""


DEFAULT_BUDGET = Budget()
"""The budget of ``preflight()`` unless another is given."""

WALKED_OPERATORS = "q Q cm cs CS sc scn SC SCN g G rg RG k K gs Tf Tr Tj TJ ' \" sh Do BI ID EI"
"""The operators the walker reads; the parser drops all others (paths cost no memory)."""

_FILTER_EXPANSION = {
    "/ASCIIHexDecode": 1,
    "/AHx": 1,
    "/ASCII85Decode": 1,
    "/A85": 1,
    "/RunLengthDecode": 128,
    "/RL": 128,
    "/LZWDecode": 4096,
    "/LZW": 4096,
}
"""Largest expansion of filters decoded by pikepdf (Flate is decoded here, with a cap)."""

FLATE_EXPANSION = 1032
"""Largest expansion of one Flate pass (zlib's limit), also assumed for filters not listed."""

TIME_CHECK_EVERY = 4096
"""Instructions walked between two looks at the clock."""


BROKEN = (
    pikepdf.PdfError,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    RecursionError,
    NotImplementedError,
    RuntimeError,
)
"""What pikepdf raises on a damaged or hostile object graph; caught once around the walk."""


class TooComplex(Exception):
    """The file needs more than the budget to check (reported as a finding, not raised)."""


def _filters(stream) -> list[str]:
    f = stream.get("/Filter")
    if f is None:
        return []
    return [str(x) for x in f] if isinstance(f, pikepdf.Array) else [str(f)]


def decode_bounded(stream, limit: int) -> bytes:
    """Decode a stream's data, raising ``TooComplex`` rather than producing more than ``limit``
    bytes: Flate is inflated here with a cap, other filters only when their worst expansion fits."""
    filters = _filters(stream)
    if not filters:
        data = stream.read_raw_bytes()
    elif filters in (["/FlateDecode"], ["/Fl"]) and stream.get("/DecodeParms") is None:
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(stream.read_raw_bytes(), limit + 1)
        except zlib.error:  # damaged: let pikepdf decode what it can and say why
            data = stream.read_bytes()
    else:
        worst = 1
        for name in filters:
            worst *= _FILTER_EXPANSION.get(name, FLATE_EXPANSION)
        if len(stream.read_raw_bytes()) * worst > limit:
            raise TooComplex(
                f"a stream with filters {' '.join(filters)} could decode to more than "
                f"{limit // MIB} MiB"
            )
        data = stream.read_bytes()
    if len(data) > limit:
        raise TooComplex(f"its content decodes to more than {limit // MIB} MiB")
    return data


def _token_estimate(data: bytes) -> int:
    """An upper estimate of the tokens in content-stream bytes, from their separators."""
    return sum(data.count(c) for c in (b" ", b"\n", b"\r", b"\t", b"[", b"(", b"/", b"<")) + 1


STANDARD_14 = frozenset(
    {
        "Courier",
        "Courier-Bold",
        "Courier-Oblique",
        "Courier-BoldOblique",
        "Helvetica",
        "Helvetica-Bold",
        "Helvetica-Oblique",
        "Helvetica-BoldOblique",
        "Times-Roman",
        "Times-Bold",
        "Times-Italic",
        "Times-BoldItalic",
        "Symbol",
        "ZapfDingbats",
    }
)
"""The base-14 fonts a viewer may substitute; PDF/X requires them embedded all the same."""

RGB_FAMILIES = frozenset({"DeviceRGB", "CalRGB", "Lab", "ICCBased-RGB", "ICCBased-Lab"})
"""Colour spaces that are not for a CMYK press (PDF/X-1a allows DeviceCMYK, Gray, spot only)."""

_ABBREV_CS = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/I": "/Indexed"}
_TEXT_SHOW = frozenset({"Tj", "TJ", "'", '"'})


@dataclass(frozen=True)
class Finding:
    """One preflight result."""

    severity: str
    """``error`` (will not print right), ``warning`` (check it), ``info`` (inventory)."""
    check: str
    """Which check produced it: fonts, colour, ink, transparency, overprint, images, boxes, pdfx."""
    page: int | None
    """1-based page number, or None for document-level findings."""
    message: str


@dataclass(frozen=True)
class PreflightReport:
    """All findings for one PDF."""

    path: str
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings and infos allowed)."""
        return not any(f.severity == "error" for f in self.findings)

    def count(self, severity: str) -> int:
        """Return how many findings have this severity."""
        return sum(1 for f in self.findings if f.severity == severity)

    def by_check(self, check: str) -> list[Finding]:
        """Return the findings of one check."""
        return [f for f in self.findings if f.check == check]

    def table_rows(self) -> list[tuple[str, str, str, str]]:
        """Return (severity, check, page, message) rows, errors first."""
        order = {s: i for i, s in enumerate(SEVERITIES)}
        rows = sorted(self.findings, key=lambda f: (order.get(f.severity, 9), f.page or 0, f.check))
        return [
            (f.severity, f.check, "" if f.page is None else str(f.page), f.message) for f in rows
        ]


# --------------------------------------------------------------------------- helpers


def _matrix(obj) -> Matrix:
    try:
        vals = tuple(float(v) for v in obj)
        return vals if len(vals) == 6 else IDENTITY  # type: ignore[return-value]
    except (TypeError, ValueError):
        return IDENTITY


def _num(v, default: float = 0.0) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


def _is_dict(obj) -> bool:
    """True for a dictionary or a stream (whose dictionary pikepdf exposes directly)."""
    return isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream))


def _name(obj) -> str:
    return str(obj) if isinstance(obj, Name) else ""


def _fmt_box(b) -> str:
    return "[" + " ".join(f"{v:.2f}" for v in b) + "]"


@dataclass(frozen=True)
class ColorSpace:
    """A resolved colour space: family, component count, and spot names if any."""

    family: str
    n: int
    spots: tuple[str, ...] = ()
    base: ColorSpace | None = None

    @property
    def is_rgb(self) -> bool:
        """True if this space (or the base of an Indexed/Pattern space) is RGB-like."""
        return self.family in RGB_FAMILIES or (self.base is not None and self.base.is_rgb)

    @property
    def label(self) -> str:
        if self.spots:
            return f"{self.family}({', '.join(self.spots)})"
        if self.base is not None:
            return f"{self.family}/{self.base.label}"
        return self.family


DEVICE_GRAY = ColorSpace("DeviceGray", 1)
DEVICE_RGB = ColorSpace("DeviceRGB", 3)
DEVICE_CMYK = ColorSpace("DeviceCMYK", 4)

DEVICE_COLOR_OPS = {
    "g": (DEVICE_GRAY, True), "G": (DEVICE_GRAY, False),
    "rg": (DEVICE_RGB, True), "RG": (DEVICE_RGB, False),
    "k": (DEVICE_CMYK, True), "K": (DEVICE_CMYK, False),
}
"""Content-stream operators that set a device colour: (colour space, True for fill)."""
UNKNOWN = ColorSpace("unknown", 0)


def _icc_head(stream) -> bytes:
    """The first bytes of an ICC profile stream, without decoding all of it (a bomb stays shut)."""
    if not isinstance(stream, pikepdf.Stream):
        return b""
    if _filters(stream) in (["/FlateDecode"], ["/Fl"]):
        try:
            return zlib.decompressobj().decompress(stream.read_raw_bytes(), 128)
        except zlib.error:
            return b""
    return decode_bounded(stream, 16 * MIB)[:128]


def _resolve_cs(obj, resources, depth: int = 0) -> ColorSpace:
    """Resolve a colour space object or resource name to a ColorSpace."""
    if depth > 8 or obj is None:
        return UNKNOWN
    if isinstance(obj, Name):
        key = _ABBREV_CS.get(str(obj), str(obj))
        if key == "/DeviceGray":
            return DEVICE_GRAY
        if key == "/DeviceRGB":
            return DEVICE_RGB
        if key == "/DeviceCMYK":
            return DEVICE_CMYK
        if key == "/Pattern":
            return ColorSpace("Pattern", 1)
        try:
            named = resources.ColorSpace[key] if resources is not None else None
        except (AttributeError, KeyError, TypeError):
            named = None
        if named is None:
            return ColorSpace(f"missing {key}", 0)
        return (
            _resolve_cs(named, None, depth + 1)
            if not isinstance(named, Name)
            else _resolve_cs(named, resources, depth + 1)
        )
    if isinstance(obj, pikepdf.Array) and len(obj) > 0:
        kind = _name(obj[0])
        if kind in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/G", "/RGB", "/CMYK"):
            return _resolve_cs(obj[0], resources, depth + 1)
        if kind == "/ICCBased":
            n = int(_num(obj[1].get("/N"), 0)) if len(obj) > 1 else 0
            fam = {1: "ICCBased-Gray", 3: "ICCBased-RGB", 4: "ICCBased-CMYK"}.get(n, "ICCBased")
            try:
                if n == 3 and _icc_head(obj[1])[16:20] == b"Lab ":
                    fam = "ICCBased-Lab"
            except (pikepdf.PdfError, AttributeError, TooComplex):
                pass
            return ColorSpace(fam, n)
        if kind == "/CalRGB":
            return ColorSpace("CalRGB", 3)
        if kind == "/CalGray":
            return ColorSpace("CalGray", 1)
        if kind == "/Lab":
            return ColorSpace("Lab", 3)
        if kind in ("/Indexed", "/I"):
            base = _resolve_cs(obj[1], resources, depth + 1) if len(obj) > 1 else UNKNOWN
            return ColorSpace("Indexed", 1, base=base)
        if kind == "/Pattern":
            base = _resolve_cs(obj[1], resources, depth + 1) if len(obj) > 1 else None
            return ColorSpace("Pattern", 1 + (base.n if base else 0), base=base)
        if kind == "/Separation":
            name = str(obj[1])[1:] if len(obj) > 1 else "?"
            alt = _resolve_cs(obj[2], resources, depth + 1) if len(obj) > 2 else UNKNOWN
            return ColorSpace("Separation", 1, spots=(name,), base=alt)
        if kind == "/DeviceN":
            names = tuple(str(v)[1:] for v in obj[1]) if len(obj) > 1 else ()
            alt = _resolve_cs(obj[2], resources, depth + 1) if len(obj) > 2 else UNKNOWN
            return ColorSpace("DeviceN", len(names), spots=names, base=alt)
    return UNKNOWN


_PROCESS = {"Cyan", "Magenta", "Yellow", "Black"}


def _tac(cs: ColorSpace, values: list[float]) -> float | None:
    """Return the total ink in percent of a colour in a CMYK-like space, or None."""
    if cs.family in ("DeviceCMYK", "ICCBased-CMYK") and len(values) >= 4:
        return 100.0 * sum(values[:4])
    if cs.family == "DeviceN" and cs.spots and "All" not in cs.spots:
        return 100.0 * sum(values[: len(cs.spots)])
    return None


def _is_k100(cs: ColorSpace, values: list[float]) -> bool:
    """True for 100 % black only: DeviceCMYK 0/0/0/1 or a Black separation at tint 1."""
    if cs.family in ("DeviceCMYK", "ICCBased-CMYK") and len(values) >= 4:
        c, m, y, k = values[:4]
        return c <= 0.001 and m <= 0.001 and y <= 0.001 and k >= 0.999
    if cs.family == "Separation" and cs.spots == ("Black",) and values:
        return values[0] >= 0.999
    return False


# --------------------------------------------------------------------------- walker


@dataclass
class _GState:
    ctm: Matrix = IDENTITY
    fill_cs: ColorSpace = DEVICE_GRAY
    stroke_cs: ColorSpace = DEVICE_GRAY
    fill: list[float] = field(default_factory=lambda: [0.0])
    stroke: list[float] = field(default_factory=lambda: [0.0])
    op_fill: bool = False
    op_stroke: bool = False
    opm: int = 0
    render_mode: int = 0

    def copy(self) -> _GState:
        return _GState(
            self.ctm,
            self.fill_cs,
            self.stroke_cs,
            list(self.fill),
            list(self.stroke),
            self.op_fill,
            self.op_stroke,
            self.opm,
            self.render_mode,
        )


class _Checker:
    """Walks one document and collects findings."""

    def __init__(
        self,
        pdf: pikepdf.Pdf,
        *,
        ink_limit: float,
        min_ppi: float,
        warn_ppi: float,
        transparency_severity: str,
        strict_x1a: bool,
        budget: Budget = DEFAULT_BUDGET,
    ) -> None:
        self.pdf = pdf
        self.budget = budget
        self.decoded = 0
        self.tokens = 0
        self.deadline = time.monotonic() + budget.seconds
        self.ink_limit = ink_limit
        self.min_ppi = min_ppi
        self.warn_ppi = warn_ppi
        self.tr_sev = transparency_severity
        self.x1a = strict_x1a
        self.findings: list[Finding] = []
        self._seen: set[tuple] = set()
        self._fonts_done: set[tuple] = set()
        self._forms_static: set[tuple] = set()
        self.page = 0

    # ---- reporting
    def add(
        self,
        severity: str,
        check: str,
        message: str,
        *,
        page: int | None | bool = True,
        key: object = None,
    ) -> None:
        pg = self.page if page is True else (None if page is False else page)
        dedupe = (severity, check, pg, key if key is not None else message)
        if dedupe in self._seen:
            return
        self._seen.add(dedupe)
        self.findings.append(Finding(severity, check, pg, message))

    # ---- colour
    def check_cs(self, cs: ColorSpace, where: str) -> None:
        if cs.is_rgb:
            self.add(
                "error",
                "colour",
                f"{where} uses RGB colour space {cs.label}",
                key=("cs", cs.label, where),
            )
        elif self.x1a and cs.family.startswith("ICCBased"):
            self.add(
                "error",
                "colour",
                f"{where} uses {cs.family}; PDF/X-1a allows only device CMYK, grey and spot colour",
                key=("icc", cs.family, where),
            )
        for spot in cs.spots:
            if spot not in _PROCESS and spot not in ("All", "None"):
                self.add(
                    "warning",
                    "colour",
                    f"spot colour '{spot}' prints on its own plate;"
                    " use it only if the printer agreed",
                    key=("spot", spot),
                )

    def check_color(self, cs: ColorSpace, values: list[float], op: str) -> None:
        if cs.is_rgb:
            vals = " ".join(f"{v:g}" for v in values)
            self.add(
                "error",
                "colour",
                f"RGB colour {op} [{vals}] in {cs.label}",
                key=("rgb", op, tuple(values)),
            )
            return
        tac = _tac(cs, values)
        if tac is not None and tac > self.ink_limit + 0.5:
            vals = " ".join(f"{v:g}" for v in values)
            self.add(
                "error",
                "ink",
                f"vector colour {op} [{vals}] has total ink {tac:.0f}% > {self.ink_limit:.0f}%",
                key=("tac", tuple(values)),
            )

    # ---- fonts
    def check_font(self, font, name: str) -> None:
        if not isinstance(font, pikepdf.Dictionary):
            self.add(
                "error", "fonts", f"font resource {name} is missing", key=("fontmissing", name)
            )
            return
        ident = font.objgen if font.is_indirect else (id(font),)
        if ident in self._fonts_done:
            return
        self._fonts_done.add(ident)
        subtype = _name(font.get("/Subtype"))
        base = str(font.get("/BaseFont", name))[1:] if "/BaseFont" in font else name
        if subtype == "/Type3":
            procs_res = font.get("/Resources")
            procs = font.get("/CharProcs")
            for _, proc in procs.items() if isinstance(procs, pikepdf.Dictionary) else []:
                self.walk_stream(proc, procs_res, _GState(), 1, f"Type3 glyph of {base}")
            return
        desc_font = font
        if subtype == "/Type0":
            try:
                desc_font = font.DescendantFonts[0]
            except (AttributeError, IndexError, KeyError):
                self.add("error", "fonts", f"font {base}: Type0 without descendant font")
                return
        fd = desc_font.get("/FontDescriptor")
        embedded = fd is not None and any(
            k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        if not embedded:
            std = " (a standard-14 font)" if base.split("+")[-1] in STANDARD_14 else ""
            self.add("error", "fonts", f"font {base}{std} is not embedded", key=("font", base))
        else:
            self.add(
                "info",
                "fonts",
                f"font {base} ({subtype[1:]}) embedded",
                key=("fontok", base),
                page=False,
            )

    # ---- ExtGState
    def apply_gs(self, gs: _GState, egs, name: str) -> None:
        if not isinstance(egs, pikepdf.Dictionary):
            return
        if "/OP" in egs:
            gs.op_stroke = bool(egs.OP)
            gs.op_fill = bool(egs.OP)
        if "/op" in egs:
            gs.op_fill = bool(egs.op)
        if "/OPM" in egs:
            gs.opm = int(_num(egs.OPM))
        smask = egs.get("/SMask")
        if smask is not None and _name(smask) != "/None":
            self.add(
                self.tr_sev,
                "transparency",
                f"ExtGState {name} has a soft mask (SMask)",
                key=("smask-gs", name),
            )
        for key in ("/CA", "/ca"):
            if key in egs and _num(egs[key], 1.0) < 1.0:
                self.add(
                    self.tr_sev,
                    "transparency",
                    f"ExtGState {name} sets {key[1:]} {_num(egs[key]):g} (opacity below 1)",
                    key=("alpha", name, key),
                )
        bm = egs.get("/BM")
        if bm is not None:
            modes = [str(v) for v in bm] if isinstance(bm, pikepdf.Array) else [str(bm)]
            if not all(m in ("/Normal", "/Compatible") for m in modes):
                self.add(
                    self.tr_sev,
                    "transparency",
                    f"ExtGState {name} uses blend mode {', '.join(m[1:] for m in modes)}",
                    key=("bm", name),
                )

    # ---- images
    def check_image(self, img, ctm: Matrix, resources, label: str, *, inline: bool = False) -> None:
        try:
            w = int(_num(img.get("/Width", img.get("/W"))))
            h = int(_num(img.get("/Height", img.get("/H"))))
        except AttributeError:
            return
        is_mask = bool(img.get("/ImageMask", img.get("/IM", False)))
        bpc = int(_num(img.get("/BitsPerComponent", img.get("/BPC", 1 if is_mask else 8)), 8))
        cs_obj = img.get("/ColorSpace", img.get("/CS"))
        filters = img.get("/Filter", img.get("/F"))
        flist = (
            [str(f) for f in filters]
            if isinstance(filters, pikepdf.Array)
            else [str(filters)]
            if filters is not None
            else []
        )
        enc = "+".join(f[1:].replace("Decode", "") for f in flist) or "raw"
        where = f"{'inline image' if inline else 'image'} {label}"
        if is_mask:
            cs = ColorSpace("stencil", 1)
        else:
            cs = _resolve_cs(cs_obj, resources) if cs_obj is not None else UNKNOWN
            if cs_obj is None and "/JPXDecode" not in flist:
                self.add("error", "images", f"{where} has no colour space")
            self.check_cs(cs, where)
        if "/JPXDecode" in flist and self.x1a:
            self.add("error", "images", f"{where} is JPEG 2000, not allowed in PDF/X-1a (PDF 1.4)")
        if bpc == 16 and self.x1a:
            self.add("error", "images", f"{where} has 16 bits per component (PDF 1.4 allows 8)")
        smask = img.get("/SMask")
        if (smask is not None and _name(smask) != "/None") or _num(img.get("/SMaskInData"), 0) > 0:
            self.add(self.tr_sev, "transparency", f"{where} has a soft mask (alpha transparency)")
        # effective resolution: the unit square of image space mapped by the CTM
        a, b, c, d, _, _ = ctm
        wpt, hpt = math.hypot(a, b), math.hypot(c, d)
        if wpt <= 1e-6 or hpt <= 1e-6:
            return
        ppi = min(w / (wpt / 72.0), h / (hpt / 72.0))
        size = f"{w}×{h} px, {cs.label}, {bpc} bit, {enc}, at {wpt / 72 * 25.4:.1f}×{hpt / 72 * 25.4:.1f} mm"
        self.add(
            "info", "images", f"{where}: {size}, {ppi:.0f} ppi", key=("img", label, round(ppi))
        )
        if is_mask or bpc == 1:
            return  # line art: 1-bit rules differ (≥ 600 ppi) and are not checked here
        if ppi < self.min_ppi:
            self.add(
                "error",
                "images",
                f"{where}: effective resolution {ppi:.0f} ppi is below"
                f" {self.min_ppi:.0f} ppi ({size})",
                key=("ppi", label),
            )
        elif ppi < self.warn_ppi:
            self.add(
                "warning",
                "images",
                f"{where}: effective resolution {ppi:.0f} ppi is below"
                f" {self.warn_ppi:.0f} ppi ({size})",
                key=("ppi", label),
            )

    # ---- patterns and shadings
    def check_shading(self, sh, resources, name: str) -> None:
        if _is_dict(sh):
            cs = _resolve_cs(sh.get("/ColorSpace"), resources)
            self.check_cs(cs, f"shading {name}")

    def check_patterns(self, resources, gs: _GState, depth: int) -> None:
        pats = resources.get("/Pattern") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(pats, pikepdf.Dictionary):
            return
        for name, pat in pats.items():
            if not _is_dict(pat):
                continue
            ident = ("pat", pat.objgen) if pat.is_indirect else None
            if ident is not None and ident in self._forms_static:
                continue
            if ident is not None:
                self._forms_static.add(ident)
            ptype = int(_num(pat.get("/PatternType"), 0))
            if ptype == 1 and isinstance(pat, pikepdf.Stream):
                sub = gs.copy()
                sub.ctm = multiply(_matrix(pat.get("/Matrix", IDENTITY)), IDENTITY)
                self.walk_stream(pat, pat.get("/Resources"), sub, depth + 1, f"pattern {name}")
            elif ptype == 2:
                self.check_shading(pat.get("/Shading"), resources, f"pattern {name}")
                egs = pat.get("/ExtGState")
                if egs is not None:
                    self.apply_gs(_GState(), egs, f"of pattern {name}")

    # ---- the content walker
    def walk_stream(self, stream, resources, gs: _GState, depth: int, label: str) -> None:
        if depth > MAX_DEPTH:
            self.add(
                "warning", "structure", f"{label}: nesting deeper than {MAX_DEPTH}; not followed"
            )
            return
        try:
            ops = self.parse(stream, label)
        except (pikepdf.PdfError, TypeError, ValueError) as exc:
            self.add("error", "structure", f"{label}: content stream cannot be parsed ({exc})")
            return
        if isinstance(resources, pikepdf.Dictionary):
            self.check_patterns(resources, gs, depth)
        self.walk_ops(ops, resources, gs, depth, label)

    def check_time(self, label: str) -> None:
        """Raise ``TooComplex`` once the walk has taken longer than the budget."""
        if time.monotonic() > self.deadline:
            raise TooComplex(f"{label}: checking took longer than {self.budget.seconds:g} s")

    def parse(self, stream, label: str):
        """Decode a content stream within the budget and parse the operators the walker reads."""
        self.check_time(label)
        if isinstance(stream, pikepdf.Page):
            contents = stream.obj.get("/Contents")
            parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        else:
            parts = [stream]
        chunks = []
        for part in parts:
            if not isinstance(part, pikepdf.Stream):
                continue
            try:
                data = decode_bounded(part, self.budget.decoded_bytes - self.decoded)
            except TooComplex as exc:
                raise TooComplex(f"{label}: {exc} (the budget for all content is "
                                 f"{self.budget.decoded_bytes // MIB} MiB)") from None
            self.decoded += len(data)
            self.tokens += _token_estimate(data)
            if self.tokens > self.budget.tokens:
                raise TooComplex(f"{label}: the content holds more than {self.budget.tokens:,} tokens "
                                 "(operators and operands)")
            chunks.append(data)
        data = b"\n".join(chunks)
        if not data.strip():
            return []
        return pikepdf.parse_content_stream(pikepdf.Stream(self.pdf, data), WALKED_OPERATORS)

    def _lookup(self, resources, category: str, name) -> object | None:
        try:
            return resources[category][name]
        except (KeyError, TypeError, AttributeError, IndexError):
            return None

    def walk_ops(self, ops, resources, gs: _GState, depth: int, label: str) -> None:
        stack: list[_GState] = []
        k100_knockouts = 0
        for count, instr in enumerate(ops):
            if count % TIME_CHECK_EVERY == TIME_CHECK_EVERY - 1:
                self.check_time(label)
            op = str(instr.operator)
            args = instr.operands
            if op == "q":
                stack.append(gs.copy())
            elif op == "Q":
                if stack:
                    gs = stack.pop()
            elif op == "cm" and len(args) == 6:
                gs.ctm = multiply(_matrix(args), gs.ctm)
            elif op in ("cs", "CS") and args:
                cs = _resolve_cs(args[0], resources)
                self.check_cs(cs, f"{label} ({op} {args[0]})")
                init = [1.0] * cs.n if cs.family in ("Separation", "DeviceN") else [0.0] * cs.n
                if cs.family == "DeviceCMYK":
                    init = [0.0, 0.0, 0.0, 1.0]
                if op == "cs":
                    gs.fill_cs, gs.fill = cs, init
                else:
                    gs.stroke_cs, gs.stroke = cs, init
            elif op in ("sc", "scn", "SC", "SCN"):
                vals = [_num(a) for a in args if not isinstance(a, Name)]
                cs = gs.fill_cs if op in ("sc", "scn") else gs.stroke_cs
                if op in ("sc", "scn"):
                    gs.fill = vals
                else:
                    gs.stroke = vals
                if cs.family == "Pattern" and args and isinstance(args[-1], Name):
                    pat = self._lookup(resources, "/Pattern", args[-1])
                    if _is_dict(pat) and int(_num(pat.get("/PatternType"))) == 2:
                        self.check_shading(pat.get("/Shading"), resources, f"pattern {args[-1]}")
                    if cs.base is not None and vals:
                        self.check_color(cs.base, vals, op)
                else:
                    self.check_color(cs, vals, op)
            elif op in DEVICE_COLOR_OPS:
                cs, is_fill = DEVICE_COLOR_OPS[op]
                vals = [_num(a) for a in args]
                if is_fill:
                    gs.fill_cs, gs.fill = cs, vals
                else:
                    gs.stroke_cs, gs.stroke = cs, vals
                if cs is not DEVICE_GRAY:  # grey is always allowed and inks only K
                    self.check_color(cs, vals, op)
            elif op == "gs" and args:
                self.apply_gs(gs, self._lookup(resources, "/ExtGState", args[0]), str(args[0]))
            elif op == "Tf" and args:
                font = self._lookup(resources, "/Font", args[0])
                self.check_font(font, str(args[0]))
            elif op == "Tr" and args:
                gs.render_mode = int(_num(args[0]))
            elif op in _TEXT_SHOW:
                # with OPM 0, the zero C/M/Y of DeviceCMYK 0/0/0/1 knock out even with op true
                paints = gs.render_mode in (0, 2, 4, 6) and _is_k100(gs.fill_cs, gs.fill)
                knocks_out = not gs.op_fill or (gs.fill_cs.family == "DeviceCMYK" and gs.opm != 1)
                if paints and knocks_out:
                    k100_knockouts += 1
            elif op == "sh" and args:
                self.check_shading(
                    self._lookup(resources, "/Shading", args[0]), resources, str(args[0])
                )
            elif op == "Do" and args:
                xobj = self._lookup(resources, "/XObject", args[0])
                self.do_xobject(xobj, str(args[0]), resources, gs, depth)
            elif op == "INLINE IMAGE":
                iimg = args[0] if args else None
                obj = getattr(iimg, "obj", None)
                if isinstance(obj, pikepdf.Dictionary):
                    self.check_image(obj, gs.ctm, resources, f"in {label}", inline=True)
        if k100_knockouts:
            self.add(
                "warning",
                "overprint",
                f"{label}: {k100_knockouts} run(s) of 100% K text do not overprint (set /op true"
                " and /OPM 1); they knock out the colour underneath and show misregistration",
                key=("k100", label),
            )

    def do_xobject(self, xobj, name: str, resources, gs: _GState, depth: int) -> None:
        if not isinstance(xobj, pikepdf.Stream):
            self.add("error", "structure", f"XObject {name} is missing", key=("xmissing", name))
            return
        sub = _name(xobj.get("/Subtype"))
        if sub == "/Image":
            self.check_image(xobj, gs.ctm, resources, name)
        elif sub == "/Form":
            group = xobj.get("/Group")
            if isinstance(group, pikepdf.Dictionary) and _name(group.get("/S")) == "/Transparency":
                self.add(
                    self.tr_sev,
                    "transparency",
                    f"form {name} is a transparency group",
                    key=("tgroup", name),
                )
            inner = gs.copy()
            inner.ctm = multiply(_matrix(xobj.get("/Matrix", IDENTITY)), gs.ctm)
            res = xobj.get("/Resources", resources)  # absent: inherit (PDF 1.1 compatibility)
            self.walk_stream(xobj, res, inner, depth + 1, f"form {name}")
        elif sub == "/PS":
            self.add("error", "structure", f"PostScript XObject {name} is not allowed in PDF/X")


def _open(path_or_bytes) -> tuple[pikepdf.Pdf, str]:
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        src, label = io.BytesIO(bytes(path_or_bytes)), "<bytes>"
        if not bytes(path_or_bytes[:1024]).lstrip().startswith(b"%PDF") and b"%PDF" not in bytes(
            path_or_bytes[:1024]
        ):
            raise PdfError("the data is not a PDF (no %PDF header)", hint="pass a PDF file")
    else:
        from ..safeio import FileProblem, regular_stat

        p = Path(path_or_bytes)
        label = str(p)
        try:
            regular_stat(p)  # a FIFO would block, /dev/zero never ends
        except FileProblem as exc:
            raise PdfError(f"{label[:200]}: {exc.message}", hint=exc.hint or "name a PDF file") from None
        try:
            with p.open("rb") as fh:
                head = fh.read(1024)
        except OSError as exc:
            raise PdfError(f"{label}: cannot read it: {exc.strerror}", hint="check its permissions") from None
        if b"%PDF" not in head:
            raise PdfError(f"{p} is not a PDF (no %PDF header)", hint="pass a PDF file")
        src = p
    try:
        return pikepdf.open(src), label
    except pikepdf.PasswordError as exc:
        raise PdfError(
            f"{label} is encrypted with a password", hint="PDF/X forbids encryption"
        ) from exc
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise PdfError(
            f"{label} cannot be read as a PDF ({exc})", hint="the file is damaged or not a PDF"
        ) from exc


def _report_damage(pdf: pikepdf.Pdf, ck: _Checker) -> None:
    """Report the repairs qpdf made to read a damaged file (a truncated PDF is not a good PDF)."""
    try:
        warnings = [str(w) for w in pdf.get_warnings()]
    except (AttributeError, pikepdf.PdfError):
        return
    if warnings:
        first = "; ".join(w.split(": ", 1)[-1] for w in warnings[:3])
        more = f" (and {len(warnings) - 3} more)" if len(warnings) > 3 else ""
        ck.add(
            "error",
            "damage",
            f"the file is damaged and had to be repaired to be read: {first}{more}",
            page=False,
            key="damage",
        )


def preflight(
    path_or_bytes: str | Path | bytes,
    *,
    ink_limit: float = 240.0,
    min_ppi: float = 150.0,
    warn_ppi: float = 200.0,
    require_pdfx: bool = True,
    budget: Budget = DEFAULT_BUDGET,
) -> PreflightReport:
    """Check a PDF for newspaper print and return every finding (within ``budget``)."""
    pdf, label = _open(path_or_bytes)
    with pdf:
        return _preflight(
            pdf,
            label,
            ink_limit=ink_limit,
            min_ppi=min_ppi,
            warn_ppi=warn_ppi,
            require_pdfx=require_pdfx,
            budget=budget,
        )


def _preflight(
    pdf: pikepdf.Pdf,
    label: str,
    *,
    ink_limit: float,
    min_ppi: float,
    warn_ppi: float,
    require_pdfx: bool,
    budget: Budget = DEFAULT_BUDGET,
) -> PreflightReport:
    try:
        info = pdf.docinfo
    except (pikepdf.PdfError, ValueError, TypeError):
        info = None
    version = str(info.get("/GTS_PDFXVersion", "")) if info is not None else ""
    is_x4 = version.startswith(("PDF/X-4", "PDF/X-5"))
    strict_x1a = version.startswith("PDF/X-1") or (not version and require_pdfx)
    tr_sev = "warning" if (is_x4 or (not version and not require_pdfx)) else "error"
    ck = _Checker(
        pdf,
        ink_limit=ink_limit,
        min_ppi=min_ppi,
        warn_ppi=warn_ppi,
        transparency_severity=tr_sev,
        strict_x1a=strict_x1a and not is_x4,
        budget=budget,
    )

    # ---- document level: PDF/X keys
    ck.page = None
    sev = "error" if require_pdfx else "info"
    if version:
        ck.add(
            "info",
            "pdfx",
            f"claims {version}"
            + (f" / {info.get('/GTS_PDFXConformance')}" if "/GTS_PDFXConformance" in info else ""),
            page=False,
        )
        if version.startswith("PDF/X-1") and "/GTS_PDFXConformance" not in info:
            ck.add("error", "pdfx", "GTS_PDFXConformance missing (PDF/X-1a needs it)", page=False)
        if version.startswith("PDF/X-1") and pdf.pdf_version > "1.4":
            ck.add(
                "error",
                "pdfx",
                f"PDF version {pdf.pdf_version} is above 1.4 for {version}",
                page=False,
            )
    else:
        ck.add(
            sev, "pdfx", "no GTS_PDFXVersion in the document info (not a PDF/X file)", page=False
        )
    intents = pdf.Root.get("/OutputIntents")
    pdfx_intent = None
    if isinstance(intents, pikepdf.Array):
        for oi in intents:
            if isinstance(oi, pikepdf.Dictionary) and _name(oi.get("/S")) == "/GTS_PDFX":
                pdfx_intent = oi
    if pdfx_intent is None:
        ck.add(sev, "pdfx", "no OutputIntent with /S /GTS_PDFX", page=False)
    else:
        ident = str(pdfx_intent.get("/OutputConditionIdentifier", ""))
        prof = pdfx_intent.get("/DestOutputProfile")
        if not isinstance(prof, pikepdf.Stream):
            ck.add(
                sev, "pdfx", f"OutputIntent {ident!r} has no embedded DestOutputProfile", page=False
            )
        else:
            n = int(_num(prof.get("/N"), 0))
            if n != 4:
                ck.add(
                    "error",
                    "pdfx",
                    f"OutputIntent profile has {n} components, not 4 (CMYK)",
                    page=False,
                )
            else:
                ck.add(
                    "info",
                    "pdfx",
                    f"output intent {ident!r} with embedded CMYK profile",
                    page=False,
                )
    trapped = info.get("/Trapped") if info is not None else None
    trapped_s = str(trapped) if trapped is not None else ""
    if trapped_s not in ("/True", "/False", "True", "False"):
        ck.add(
            sev,
            "pdfx",
            f"Trapped is {trapped_s or 'missing'}; PDF/X needs True or False",
            page=False,
        )
    if require_pdfx and "/ID" not in pdf.trailer:
        ck.add("error", "pdfx", "trailer has no /ID", page=False)
    if pdf.is_encrypted:
        ck.add("error", "pdfx", "the file is encrypted", page=False)

    # ---- pages
    try:
        for n, page in enumerate(pdf.pages, 1):
            ck.page = n
            media = read_box(page.mediabox)
            if media is None:
                ck.add("error", "boxes", "page has no MediaBox")
                continue
            trim = read_box(page.obj.get("/TrimBox"))
            art = read_box(page.obj.get("/ArtBox"))
            bleed = read_box(page.obj.get("/BleedBox")) or read_box(page.obj.get("/CropBox")) or media
            if trim is None and art is None:
                ck.add("error" if require_pdfx else "warning", "boxes", "page has no TrimBox")
            if trim is not None and art is not None:
                ck.add("warning", "boxes", "page has both TrimBox and ArtBox; PDF/X wants one")
            if not inside(bleed, media):
                ck.add(
                    "error",
                    "boxes",
                    f"BleedBox {_fmt_box(bleed)} is not inside MediaBox {_fmt_box(media)}",
                )
            if trim is not None and not inside(trim, bleed):
                ck.add(
                    "error",
                    "boxes",
                    f"TrimBox {_fmt_box(trim)} is not inside BleedBox {_fmt_box(bleed)}",
                )
            if trim is not None:
                ck.add(
                    "info",
                    "boxes",
                    f"trim {(trim[2] - trim[0]) / 72 * 25.4:.1f}×"
                    f"{(trim[3] - trim[1]) / 72 * 25.4:.1f} mm, bleed "
                    f"{(trim[0] - bleed[0]) / 72 * 25.4:.1f} mm",
                )
            group = page.obj.get("/Group")
            if isinstance(group, pikepdf.Dictionary) and _name(group.get("/S")) == "/Transparency":
                ck.add(
                    "warning" if tr_sev == "error" else "info",
                    "transparency",
                    "page has a transparency group attribute",
                )
            resources = page.obj.get("/Resources")
            if resources is None:
                resources = page.resources  # inherited from the page tree
            ck.walk_stream(page, resources, _GState(), 0, f"page {n}")
            # annotations that print inside the page are part of the output
            for annot in page.obj.get("/Annots", []) or []:
                if not isinstance(annot, pikepdf.Dictionary):
                    continue
                sub = _name(annot.get("/Subtype"))
                printing = int(_num(annot.get("/F"), 0)) & 4
                if sub not in ("/Link", "/Popup") and printing:
                    ck.add(
                        "warning",
                        "structure",
                        f"printing {sub[1:]} annotation on the page;"
                        " PDF/X allows annotations only outside the BleedBox",
                        key=("annot", sub),
                    )
    except TooComplex as exc:  # report what was found, and that the rest was not checked
        ck.add("error", "budget", f"too complex to check: {exc}; the rest of the file was not checked",
               page=ck.page, key="budget")
    except BROKEN as exc:  # a broken object graph (a damaged or hostile file), not a crash
        ck.add("error", "structure", f"the file cannot be checked further: {type(exc).__name__}: "
               f"{str(exc)[:200]}; the rest of the file was not checked", page=ck.page, key="broken")
    _report_damage(pdf, ck)

    return PreflightReport(label, tuple(ck.findings))



def render_report(report: PreflightReport, *, show_info: bool = False):
    """Return a rich Table of the findings (infos only when ``show_info``)."""
    from rich.table import Table

    style = {"error": "bold red", "warning": "yellow", "info": "dim"}
    verdict = "[green]OK[/green]" if report.ok else "[bold red]FAILED[/bold red]"
    table = Table(
        title=f"Preflight {report.path}: {verdict} — {report.count('error')} errors, "
        f"{report.count('warning')} warnings",
        show_lines=False,
    )
    table.add_column("severity")
    table.add_column("check")
    table.add_column("page", justify="right")
    table.add_column("message", overflow="fold")
    for sev, check, page, message in report.table_rows():
        if sev == "info" and not show_info:
            continue
        table.add_row(f"[{style.get(sev, '')}]{sev}[/]", check, page, message)
    return table
