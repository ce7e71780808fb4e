"""Images: read a photo file's header, and turn its pixels into print-ready JPEG for one box.

Owns probing a file without decoding it (``probe``: missing, folder, empty, too large, not an
image, decompression bombs, pixel size after EXIF orientation), opening images safely (corrupt
or truncated data), normalising unusual modes (CMYK incl. Adobe-inverted JPEGs, 16-bit grey,
palette, alpha, 1-bit, Lab), cropping to the rectangle layout chose (``prepare_print``),
downsampling, colour conversion for newsprint and the total ink (TAC) limit, and encoding a
deterministic JPEG that the PDF writer embeds as is. ``prepare_image`` does all of it for a box
(centre crop, resolution check), for tools and tests.

Colour policy (print.md §1.4): grey sources (or ``grayscale=True``) become K-only ``L`` images
through a tone curve read from the output profile's black channel; colour sources become
``CMYK`` through LittleCMS (Pillow ``ImageCms``, perceptual intent) from their embedded ICC
profile, or sRGB when they have none. JPEG ringing can push a few pixels above the ink limit
again, so the limit is enforced with a margin and verified on the decoded JPEG.

Pillow and numpy only (imported when pixels are touched, so a probe costs neither); no reportlab.
Per-pixel channel sums add the channel planes (``_ink_sum``): numpy's reduce over a last axis of
four is about ten times slower than three additions of whole planes.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from .errors import ImageError, logger
from .imagecache import PreparedImage

if TYPE_CHECKING:  # annotations only: numpy and ImageCms are imported where pixels are touched
    import numpy as np
    from PIL import ImageCms

DEFAULT_PROFILE = Path(__file__).parent / "data" / "icc" / "CGATS-TR002-newsprint.icc"
"""The bundled newsprint profile built from CGATS TR 002 data by ``tools/build_icc.sh``."""

JPEG_QUALITY = 88
"""JPEG quality: visually lossless at newsprint screen rulings (85–100 lpi), ~4–6 % of raw."""

INK_MARGIN = 6.0
"""Percent below the ink limit enforced before JPEG encoding; ringing adds a few percent back."""

MAX_INK_PASSES = 4
"""How many times the margin is widened if the decoded JPEG still exceeds the limit at p99.9."""

TAC_PERCENTILE = 99.9
"""The percentile of per-pixel TAC that must stay within the limit (print.md §4 ``tac.py``)."""

SHADOW_K = 0.95
"""Deepest K tint for grey images: the black limit of the bundled profile (``colprof -L95``)
and of press specs such as the Austrian IG Druckstandard Zeitung (max K 95 %)."""

GREY_TOLERANCE = 3
"""Largest channel difference (of 255) for which an RGB image counts as grey and goes K-only."""

_GREY_MODES = frozenset({"1", "L", "LA", "La", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"})
_FITS = frozenset({"cover", "contain"})


@dataclass(frozen=True)
class ImageOptions:
    """Print settings for images."""

    ink_limit: float = 240.0
    """Total area coverage limit, percent (C+M+Y+K)."""
    profile: Path | None = None
    """CMYK output profile; None means the bundled CGATS TR 002 newsprint profile."""
    warn_ppi: float = 200.0
    """Below this effective resolution a warning is returned."""
    error_ppi: float = 150.0
    """Below this effective resolution the image is refused (ImageError)."""
    target_ppi: float = 300.0
    """Resolution to downsample to when the source exceeds ``max_ppi``."""
    max_ppi: float = 450.0
    """Above this effective resolution the image is downsampled to ``target_ppi``."""
    max_pixels: int = 60_000_000
    """Decompression-bomb guard: the largest accepted pixel count."""
    max_file_bytes: int = 80_000_000
    """The largest accepted file size."""
    grayscale: bool = False
    """Force K-only output even for colour sources."""


# --------------------------------------------------------------------------- opening


_UNREADABLE = (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning,
               UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)
"""What Pillow raises for a file it cannot read (MemoryError is not here: out of memory is not
a corrupt file, and the worker reports it as its memory limit)."""


def _unreadable(path: Path, exc: BaseException, options: ImageOptions) -> ImageError:
    """The ImageError of a file Pillow could not open or decode, by what went wrong."""
    if isinstance(exc, (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning)):
        return ImageError(f"{path}: image is more than the {options.max_pixels / 1e6:.0f} Mpx allowed"
                          f" (possible decompression bomb): {exc}", hint="downsample the image before using it")
    if isinstance(exc, UnidentifiedImageError):
        return ImageError(f"{path}: not an image format that can be read", hint="save it as JPEG, PNG or TIFF")
    return ImageError(f"{path}: image is corrupt or truncated ({exc})",
                      hint="re-export or re-download the file; open it in an image editor to check it")


def _open(path: Path, options: ImageOptions) -> tuple[PILImage.Image, int]:
    """Open and fully decode ``path``, turning every failure into an ImageError; return the
    image and its EXIF orientation as the header gives it (``_orientation``)."""
    _check_file(path, options)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            im = PILImage.open(path)
            w, h = im.size
            if w * h > options.max_pixels:
                im.close()
                raise ImageError(
                    f"{path}: {w}×{h} px ({w * h / 1e6:.0f} Mpx) is more than the "
                    f"{options.max_pixels / 1e6:.0f} Mpx allowed (possible decompression bomb)",
                    hint="downsample the image before using it, or raise max_pixels",
                )
            orientation = _orientation(im)
            im.load()
    except ImageError:
        raise
    except _UNREADABLE as exc:
        raise _unreadable(path, exc, options) from exc
    return im, orientation


# --------------------------------------------------------------------------- modes


def _flatten(im: PILImage.Image) -> PILImage.Image:
    """Composite an image with alpha onto white and drop the alpha (no transparency in print)."""
    base = "L" if im.mode in ("LA", "La") else "RGB"
    rgba = im.convert("LA" if base == "L" else "RGBA")
    white = PILImage.new(rgba.mode, rgba.size, (255, 255) if base == "L" else (255, 255, 255, 255))
    return PILImage.alpha_composite(white.convert("RGBA"), rgba.convert("RGBA")).convert(base)


def _to_8bit_grey(im: PILImage.Image) -> PILImage.Image:
    """Scale a 16/32-bit integer or float grey image to 8-bit L."""
    import numpy as np

    arr = np.asarray(im)
    if arr.dtype.kind == "f":
        top = 1.0 if float(np.nanmax(arr, initial=0.0)) <= 1.0 else 255.0
        out = np.clip(arr / top * 255.0, 0, 255)
    else:
        arr = arr.astype(np.float64)
        # I;16 is 0..65535; a 32-bit "I" may hold 8-bit or 16-bit data (PNG, TIFF readers)
        top = 65535.0 if im.mode.startswith("I;16") or arr.max(initial=0) > 255 else 255.0
        out = np.clip(arr * (255.0 / top), 0, 255)
    return PILImage.fromarray(np.rint(out).astype(np.uint8), "L")


def _normalise(im: PILImage.Image, path: Path) -> tuple[PILImage.Image, bytes | None]:
    """Return the image in L, RGB, CMYK or LAB without alpha, and its ICC profile (if usable)."""
    from PIL import ImageChops

    icc = im.info.get("icc_profile") or None
    mode = im.mode
    if mode == "CMYK":
        if im.format == "JPEG" and "adobe" not in im.info:
            # Pillow assumes Adobe's inverted CMYK for every JPEG; without an APP14 Adobe marker
            # the file holds plain CMYK, so undo the inversion.
            im = ImageChops.invert(im)
        return im, icc
    if mode in ("RGB", "L", "LAB"):
        return im, icc
    if mode == "1":
        return im.convert("L"), None
    if mode.startswith("I") or mode == "F":
        return _to_8bit_grey(im), None
    if mode in ("LA", "La"):
        return _flatten(im), None
    if mode in ("RGBA", "RGBa", "RGBX"):
        return (_flatten(im) if mode != "RGBX" else im.convert("RGB")), icc
    if mode in ("P", "PA"):
        has_alpha = mode == "PA" or "transparency" in im.info
        im = _flatten(im.convert("RGBA")) if has_alpha else im.convert("RGB")
        return im, icc
    if mode in ("YCbCr", "HSV"):
        return im.convert("RGB"), None
    raise ImageError(
        f"{path}: unsupported image mode {mode}",
        hint="save it as an 8-bit RGB, greyscale or CMYK JPEG, PNG or TIFF",
    )


def _is_grey(im: PILImage.Image) -> bool:
    """Say whether an RGB image is neutral everywhere (within GREY_TOLERANCE)."""
    import numpy as np

    if im.mode != "RGB":
        return im.mode == "L"
    small = im.reduce(4) if min(im.size) >= 64 else im
    arr = np.asarray(small, dtype=np.int16)
    r, g, b = arr[..., 0], arr[..., 1], arr[..., 2]
    spread = np.maximum(np.maximum(r, g), b) - np.minimum(np.minimum(r, g), b)
    return int(spread.max(initial=0)) <= GREY_TOLERANCE


# --------------------------------------------------------------------------- geometry


def _cover_box(px: tuple[int, int], w_pt: float, h_pt: float) -> tuple[int, int, int, int]:
    """The centred crop of a px-sized image to the aspect ratio of the box (as layout's
    ``compose.photos.centre_crop``; a test keeps the two equal)."""
    W, H = px
    box_aspect = w_pt / h_pt
    if W / H > box_aspect:  # too wide: trim left and right
        cw = max(1, round(H * box_aspect))
        left = (W - cw) // 2
        return (left, 0, left + cw, H)
    ch = max(1, round(W / box_aspect))
    top = (H - ch) // 2
    return (0, top, W, top + ch)


def _ppi(px: tuple[int, int], w_pt: float, h_pt: float) -> float:
    return min(px[0] / (w_pt / 72.0), px[1] / (h_pt / 72.0))


# --------------------------------------------------------------------------- colour


@lru_cache(maxsize=8)
def _output_profile(path: str) -> ImageCms.ImageCmsProfile:
    from PIL import ImageCms

    p = Path(path)
    if not p.is_file():
        hint = "run tools/build_icc.sh" if p == DEFAULT_PROFILE else "name an existing .icc file"
        raise ImageError(f"CMYK output profile not found: {p}", hint=hint)
    try:
        prof = ImageCms.ImageCmsProfile(str(p))
    except (OSError, ImageCms.PyCMSError) as exc:
        raise ImageError(
            f"{p}: not a usable ICC profile ({exc})", hint="use a CMYK output profile"
        ) from exc
    if prof.profile.xcolor_space.strip() != "CMYK":
        raise ImageError(
            f"{p}: output profile is {prof.profile.xcolor_space.strip()}, not CMYK",
            hint="name the printer's CMYK profile, e.g. WAN-IFRAnewspaper26v5.icc",
        )
    return prof


@lru_cache(maxsize=1)
def _srgb() -> ImageCms.ImageCmsProfile:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@lru_cache(maxsize=16)
def _transform(src_icc: bytes | None, in_mode: str, out_path: str) -> ImageCms.ImageCmsTransform:
    """Build (once) a perceptual transform from the source profile to the output profile."""
    from PIL import ImageCms

    out = _output_profile(out_path)
    if in_mode == "LAB":
        src = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB", 5000))
    elif src_icc is not None:
        src = ImageCms.ImageCmsProfile(io.BytesIO(src_icc))
    else:
        src = _srgb()
    return ImageCms.buildTransform(
        src, out, in_mode, "CMYK", renderingIntent=ImageCms.Intent.PERCEPTUAL
    )


def warm(profile: Path | None = None) -> None:
    """Import what preparing a photo needs (numpy, Pillow's colour management and JPEG codec)
    and build the untagged-RGB → press CMYK transform of ``profile`` (default the bundled one):
    what an edition does before it forks its workers, so that each page's worker does not pay
    for them again (about 0.15 s a page, issue 19)."""
    import numpy  # noqa: F401
    from PIL import ImageChops, ImageCms, JpegImagePlugin  # noqa: F401

    PILImage.preinit()  # the common format plugins, which the first Image.open would import
    _transform(None, "RGB", str(profile or DEFAULT_PROFILE))


def _usable_icc(icc: bytes | None, mode: str, path: Path) -> bytes | None:
    """Return the embedded profile if it parses and matches the pixel mode, else None."""
    from PIL import ImageCms

    if not icc:
        return None
    want = {"RGB": "RGB", "CMYK": "CMYK"}.get(mode)
    try:
        space = ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile.xcolor_space.strip()
    except (OSError, ImageCms.PyCMSError):
        logger.warning("%s: embedded ICC profile is unreadable; assuming sRGB/press CMYK", path)
        return None
    if space != want:
        logger.warning(
            "%s: embedded %s profile does not match %s pixels; ignored", path, space, mode
        )
        return None
    return icc


@lru_cache(maxsize=8)
def _grey_lut(out_path: str) -> tuple[int, ...]:
    """Return a 256-entry table from source grey (sRGB tone) to DeviceGray for K-only print.

    The K axis of the output profile is measured (CMYK 0/0/0/k → CIELAB, relative colorimetric)
    and each source lightness, scaled between paper white and the deepest K (black point
    compensation), is mapped to the K tint that prints it. This is what a grey-to-K profile
    would do, derived from the same characterization data as the CMYK conversion.
    """
    import numpy as np
    from PIL import ImageCms

    out = _output_profile(out_path)
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB", 5000))
    ramp_px = np.zeros((1, 256, 4), np.uint8)
    ramp_px[0, :, 3] = np.arange(256)
    ramp = PILImage.fromarray(ramp_px, "CMYK")
    t = ImageCms.buildTransform(
        out, lab, "CMYK", "LAB", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC
    )
    measured = np.asarray(ImageCms.applyTransform(ramp, t), dtype=float)[0, :, 0]
    L_of_k = measured * 100.0 / 255.0
    k_axis = np.arange(256) / 255.0
    # keep the curve monotone (measurement noise) and stop at SHADOW_K
    L_of_k = np.minimum.accumulate(L_of_k)
    kmax = round(SHADOW_K * 255)
    L_white, L_black = L_of_k[0], L_of_k[kmax]
    g = np.arange(256) / 255.0
    lin = np.where(g <= 0.04045, g / 12.92, ((g + 0.055) / 1.055) ** 2.4)
    Lsrc = np.where(lin > 216 / 24389, 116 * np.cbrt(lin) - 16, lin * 24389 / 27)
    target = L_black + (L_white - L_black) * Lsrc / 100.0
    # np.interp needs increasing x: L falls as k rises, so interpolate on the reversed axis
    k = np.interp(target, L_of_k[: kmax + 1][::-1], k_axis[: kmax + 1][::-1])
    return tuple(int(v) for v in np.clip(np.rint(255 - k * 255), 0, 255))


def _to_srgb(im: PILImage.Image, icc: bytes | None, out_path: str, path: Path) -> PILImage.Image:
    """Convert an RGB (any profile), CMYK or Lab image to sRGB, for K-only output."""
    from PIL import ImageCms

    mode = im.mode
    src = _usable_icc(icc, mode, path) if mode in ("RGB", "CMYK") else None
    if mode == "RGB" and src is None:
        return im
    if src is not None:
        prof = ImageCms.ImageCmsProfile(io.BytesIO(src))
    elif mode == "CMYK":
        prof = _output_profile(out_path)  # untagged CMYK: assume it was made for this press
    else:
        prof = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB", 5000))
    t = ImageCms.buildTransform(
        prof, _srgb(), mode, "RGB", renderingIntent=ImageCms.Intent.PERCEPTUAL
    )
    return ImageCms.applyTransform(im, t)


def _to_press_cmyk(im: PILImage.Image, icc: bytes | None, out_path: str,
                   path: Path) -> PILImage.Image:
    """Convert an RGB, CMYK or Lab image to the output profile's CMYK (perceptual intent)."""
    from PIL import ImageCms

    if im.mode == "CMYK":
        src = _usable_icc(icc, "CMYK", path)
        if src is not None and src != Path(out_path).read_bytes():
            im = ImageCms.applyTransform(im, _transform(src, "CMYK", out_path))
        return im
    if im.mode == "LAB":
        try:
            return ImageCms.applyTransform(im, _transform(None, "LAB", out_path))
        except ImageCms.PyCMSError as exc:
            raise ImageError(
                f"{path}: cannot convert Lab image ({exc})", hint="save it as RGB or CMYK"
            ) from exc
    src = _usable_icc(icc, "RGB", path)
    return ImageCms.applyTransform(im, _transform(src, "RGB", out_path))


INK_STRIP_ROWS = 256
"""Rows processed at a time by the ink limiter (bounds its float working memory to a strip)."""


def _ink_sum(cmyk: np.ndarray) -> np.ndarray:
    """Per-pixel C+M+Y+K of an (h, w, 4) uint8 array, as uint16, by adding the four planes."""
    import numpy as np

    total = cmyk[..., 0].astype(np.uint16)
    total += cmyk[..., 1]
    total += cmyk[..., 2]
    total += cmyk[..., 3]
    return total


def _limit_ink(cmyk: np.ndarray, limit_pct: float) -> np.ndarray:
    """Scale C, M, Y down where C+M+Y+K exceeds ``limit_pct`` percent, keeping K.

    Only the pixels over the limit are converted to float, a strip at a time (the working memory
    stays bounded); the other pixels cannot change, since scaling by 1.0 and flooring gives back
    the same integers.
    """
    import numpy as np

    lim = limit_pct * 255.0 / 100.0
    over_any = _ink_sum(cmyk) > lim
    if not over_any.any():
        return cmyk
    out = cmyk.copy()
    flat_out = out.reshape(-1, 4)
    width = cmyk.shape[1]
    for r0 in range(0, cmyk.shape[0], INK_STRIP_ROWS):
        picked = np.flatnonzero(over_any[r0:r0 + INK_STRIP_ROWS]) + r0 * width
        if not picked.size:
            continue
        a = flat_out[picked].astype(np.float32)
        k = np.minimum(a[:, 3], lim)
        cmy = a[:, 0] + a[:, 1]  # the same sums, in the same order, as a reduce over C, M, Y
        cmy += a[:, 2]
        over = (cmy + k) > lim
        room = np.maximum(lim - k, 0.0)
        scale = np.where(over, room / np.maximum(cmy, 1e-6), 1.0)
        a[:, :3] *= scale[:, None]
        a[:, 3] = k
        flat_out[picked] = np.clip(np.floor(a), 0, 255).astype(np.uint8)
    return out


def _percentile_of_counts(counts: np.ndarray, q: float) -> float:
    """The q-th percentile (nearest rank) of integer values given by their histogram."""
    import numpy as np

    cumulative = np.cumsum(counts)
    rank = max(1, int(np.ceil(q / 100.0 * cumulative[-1])))
    return float(np.searchsorted(cumulative, rank))


def _percentile_of_sums(sums: np.ndarray, top: int, q: float) -> float:
    """The q-th percentile (nearest rank) of small non-negative integer sums, by histogram."""
    import numpy as np

    return _percentile_of_counts(np.bincount(sums.ravel(), minlength=top + 1), q)


TAC_STRIP_ROWS = 512
"""Rows of a decoded JPEG summed at a time by ``tac_percentile`` (bounds its working memory)."""


def tac_percentile(data: bytes, q: float = TAC_PERCENTILE) -> float:
    """Return the q-th percentile of per-pixel total ink (percent) of an encoded CMYK image."""
    import numpy as np

    with PILImage.open(io.BytesIO(data)) as im:
        if im.mode != "CMYK":
            grey = 255 - np.asarray(im.convert("L"), dtype=np.uint16)
            return _percentile_of_sums(grey, 255, q) / 2.55
        im.load()
        w, h = im.size
        counts = np.zeros(4 * 255 + 1, np.int64)
        for r0 in range(0, h, TAC_STRIP_ROWS):
            strip = np.asarray(im.crop((0, r0, w, min(h, r0 + TAC_STRIP_ROWS))))
            counts += np.bincount(_ink_sum(strip).ravel(), minlength=4 * 255 + 1)
    return _percentile_of_counts(counts, q) / 2.55


def _encode(im: PILImage.Image) -> bytes:
    """Encode as baseline JPEG, 4:4:4, without metadata: same pixels give the same bytes."""
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=True)
    return buf.getvalue()


def _encode_cmyk(arr: np.ndarray, limit: float) -> bytes:
    """Enforce the ink limit with a margin, encode, and widen the margin until p99.9 fits."""
    data = b""
    for attempt in range(MAX_INK_PASSES):
        margin = INK_MARGIN * (attempt + 1)
        data = _encode(PILImage.fromarray(_limit_ink(arr, limit - margin), "CMYK"))
        if tac_percentile(data) <= limit:
            return data
    logger.warning("ink limit %.0f%% could not be met exactly after JPEG encoding", limit)
    return data


# --------------------------------------------------------------------------- public


@dataclass(frozen=True)
class Probe:
    """What a photo file's header says: pixel size with EXIF orientation applied."""

    px: tuple[int, int]


def _check_file(path: Path, options: ImageOptions) -> None:
    """Refuse what is not a readable, non-empty file of acceptable size (before opening it)."""
    if not path.exists():
        raise ImageError(
            f"image not found: {path}",
            hint="check the file name and folder; paths in an issue file are relative to it",
        )
    if path.is_dir():
        raise ImageError(
            f"{path} is a folder, not an image file", hint="name the image file itself"
        )
    if not path.is_file():
        raise ImageError(
            f"{path} is not a regular file", hint="name an image file (JPEG, PNG, TIFF)"
        )
    size = path.stat().st_size
    if size > options.max_file_bytes:
        raise ImageError(
            f"{path}: file is {size / 1e6:.1f} MB, more than the "
            f"{options.max_file_bytes / 1e6:.0f} MB allowed",
            hint="save a smaller version (a newspaper photo needs about 300 ppi at its printed "
            "size)",
        )
    if size == 0:
        raise ImageError(f"{path}: file is empty", hint="replace it with the real image file")


EXIF_ORIENTATION = 0x0112
"""EXIF tag of the orientation; values 5–8 mean the pixels are stored turned by 90°."""

_TRANSPOSE = {2: PILImage.Transpose.FLIP_LEFT_RIGHT, 3: PILImage.Transpose.ROTATE_180,
              4: PILImage.Transpose.FLIP_TOP_BOTTOM, 5: PILImage.Transpose.TRANSPOSE,
              6: PILImage.Transpose.ROTATE_270, 7: PILImage.Transpose.TRANSVERSE,
              8: PILImage.Transpose.ROTATE_90}
"""EXIF orientation → the turn that shows the image upright (``ImageOps.exif_transpose``)."""


def _orientation(im: PILImage.Image) -> int:
    """The EXIF orientation (1–8) known from the file's header, without decoding pixels.

    Only EXIF read with the header counts (JPEG/TIFF/WebP, a PNG eXIf chunk before the image
    data): Pillow finds a later eXIf chunk only by decoding the whole image. ``probe`` and
    ``prepare_print`` both use this, so layout's crop and the prepared pixels agree.
    """
    if im.format not in ("JPEG", "MPO", "TIFF", "WEBP") and "exif" not in im.info:
        return 1
    try:
        value = int(im.getexif().get(EXIF_ORIENTATION, 1))
    except (ValueError, TypeError, SyntaxError, OSError):
        return 1
    return value if value in _TRANSPOSE else 1


def probe(path: Path, options: ImageOptions | None = None) -> Probe:
    """Read the header of the photo at ``path`` (no pixels decoded); raise ImageError if unusable.

    Checks what can be checked without decoding: the file exists and is not empty or too large,
    Pillow recognises the format, and the pixel count is within ``max_pixels`` (bombs).
    """
    options = options or ImageOptions()
    path = Path(path)
    _check_file(path, options)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as im:
                w, h = im.size
                if w * h <= options.max_pixels:
                    orientation = _orientation(im)
    except _UNREADABLE as exc:
        raise _unreadable(path, exc, options) from exc
    if w * h > options.max_pixels:
        raise ImageError(
            f"{path}: {w}×{h} px ({w * h / 1e6:.0f} Mpx) is more than the "
            f"{options.max_pixels / 1e6:.0f} Mpx allowed (possible decompression bomb)",
            hint="downsample the image before using it, or raise max_pixels",
        )
    if w <= 0 or h <= 0:
        raise ImageError(f"{path}: image has no pixels", hint="use another file")
    if orientation in (5, 6, 7, 8):
        w, h = h, w
    return Probe((w, h))


def prepare_print(path: Path, crop: tuple[int, int, int, int], w_pt: float, h_pt: float, *,
                  options: ImageOptions) -> PreparedImage:
    """Decode the photo at ``path``, cut ``crop`` (source pixels, EXIF orientation applied), and
    return it prepared for a w_pt × h_pt box: downsampled above ``max_ppi``, converted for
    newsprint, ink-limited and encoded as deterministic JPEG."""
    path = Path(path)
    if not (w_pt > 0 and h_pt > 0 and math.isfinite(w_pt) and math.isfinite(h_pt)):
        raise ImageError(
            f"{path}: box size {w_pt}×{h_pt} pt is not positive", hint="check the layout"
        )
    out_path = str(options.profile or DEFAULT_PROFILE)
    _output_profile(out_path)  # fail early on a bad profile

    # One decoded copy at a time: every step below drops the image it came from (a photo's
    # pixels, its conversion and the JPEG codec's buffers are what bounds a process's memory).
    source, orientation = _open(path, options)
    try:
        return _prepare_decoded(source, orientation, path, crop, w_pt, h_pt, out_path, options)
    finally:
        source.close()  # the file (TIFF keeps it open) and the pixels, if nothing else holds them


def _prepare_decoded(im: PILImage.Image, orientation: int, path: Path, crop, w_pt: float,
                     h_pt: float, out_path: str, options: ImageOptions) -> PreparedImage:
    """``prepare_print`` from the decoded image on: orient, normalise, crop, convert, encode."""
    fmt, info = im.format, dict(im.info)
    turn = _TRANSPOSE.get(orientation)
    if turn is not None:
        im = im.transpose(turn)
    im.format, im.info = fmt, info
    im, icc = _normalise(im, path)
    left, top, right, bottom = crop
    if not (0 <= left < right <= im.size[0] and 0 <= top < bottom <= im.size[1]):
        raise ImageError(
            f"{path}: crop {crop} lies outside the image's {im.size[0]}×{im.size[1]} px",
            hint="the file changed since the page was laid out; lay it out again")
    if crop != (0, 0, *im.size):
        im = im.crop(crop)

    ppi = _ppi(im.size, w_pt, h_pt)
    if ppi > options.max_ppi:
        f = options.target_ppi / ppi
        size = (max(1, round(im.size[0] * f)), max(1, round(im.size[1] * f)))
        im = im.resize(size, PILImage.Resampling.LANCZOS, reducing_gap=3.0)

    grey = options.grayscale or im.mode == "L" or _is_grey(im)
    if grey:
        if im.mode != "L":
            im = _to_srgb(im, icc, out_path, path).convert("L")
        im = im.point(list(_grey_lut(out_path)))
        data = _encode(im)
        mode = "L"
    else:
        import numpy as np

        im = _to_press_cmyk(im, icc, out_path, path)
        px = im.size
        arr = np.asarray(im)
        del im
        data = _encode_cmyk(arr, options.ink_limit)
        del arr
        return PreparedImage(data, "CMYK", px, hashlib.sha256(data).hexdigest()[:12],
                             w=float(w_pt), h=float(h_pt), source=str(path))
    px = im.size
    del im  # the decoded pixels go now, not when the caller is done with the JPEG
    return PreparedImage(data, mode, px, hashlib.sha256(data).hexdigest()[:12], w=float(w_pt),
                         h=float(h_pt), source=str(path))


def prepare_image(
    path: Path, w_pt: float, h_pt: float, *, options: ImageOptions, fit: str = "cover"
) -> tuple[PreparedImage, list[str]]:
    """Prepare the photo at ``path`` for a w_pt × h_pt box; return the image and warnings.

    ``cover`` crops the centre to the box (the result fills the box, x = y = 0), as layout's
    ``compose.photos.centre_crop`` does. ``contain`` fits the whole image inside the box; the
    result is smaller along one axis and its x/y are the offsets that centre it in the box.
    Resolution warnings are returned, not logged; below ``error_ppi`` an ImageError is raised.
    """
    path = Path(path)
    if fit not in _FITS:
        raise ImageError(f"unknown fit {fit!r} for {path}", hint="use 'cover' or 'contain'")
    if not (w_pt > 0 and h_pt > 0 and math.isfinite(w_pt) and math.isfinite(h_pt)):
        raise ImageError(
            f"{path}: box size {w_pt}×{h_pt} pt is not positive", hint="check the layout"
        )
    W, H = probe(path, options).px
    x = y = 0.0
    w_box, h_box = float(w_pt), float(h_pt)
    if fit == "cover":
        crop = _cover_box((W, H), w_box, h_box)
    else:
        s = min(w_box / W, h_box / H)
        w_pt, h_pt = W * s, H * s
        x, y = (w_box - w_pt) / 2, (h_box - h_pt) / 2
        crop = (0, 0, W, H)
    used = (crop[2] - crop[0], crop[3] - crop[1])
    ppi = _ppi(used, w_pt, h_pt)
    placed = f"{w_pt / 72 * 25.4:.1f}×{h_pt / 72 * 25.4:.1f} mm"
    warnings_out: list[str] = []
    if ppi < options.error_ppi:
        need_w = used[0] / options.error_ppi * 25.4
        raise ImageError(
            f"{path}: effective resolution {ppi:.0f} ppi at {placed} ({used[0]}×{used[1]} px"
            f" used) is below the {options.error_ppi:.0f} ppi minimum",
            hint=f"use a larger original, or place it at most {need_w:.0f} mm wide",
        )
    if ppi < options.warn_ppi:
        warnings_out.append(
            f"{path}: effective resolution {ppi:.0f} ppi at {placed} is below "
            f"{options.warn_ppi:.0f} ppi; it may print soft"
        )
    image = prepare_print(path, crop, w_pt, h_pt, options=options)
    return replace(image, x=x, y=y), warnings_out
