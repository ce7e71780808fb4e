"""Images: every source mode ends as an L or CMYK JPEG, within the ink limit, deterministically."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layout.errors import ImageError
from layout.images import ImageOptions, prepare_image, tac_percentile

OPTS = ImageOptions()


def noisy_rgb(w: int = 600, h: int = 400, seed: int = 1) -> np.ndarray:
    """Saturated random colour with dark and deep-blue blocks: the hardest case for TAC."""
    rng = np.random.default_rng(seed)
    a = (rng.random((h, w, 3)) * 255).astype(np.uint8)
    a[: h // 2, : w // 2] = (0, 0, 0)
    a[h // 2 :, w // 2 :] = (20, 30, 120)
    return a


def decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


@pytest.fixture
def rgb(tmp_path: Path) -> Image.Image:
    return Image.fromarray(noisy_rgb(), "RGB")


@pytest.mark.parametrize(
    ("mode", "suffix", "expect"),
    [
        ("RGB", ".jpg", "CMYK"),
        ("CMYK", ".jpg", "CMYK"),
        ("P", ".png", "CMYK"),
        ("RGBA", ".png", "CMYK"),
        ("LA", ".png", "L"),
        ("1", ".png", "L"),
        ("L", ".png", "L"),
        ("I;16", ".png", "L"),
        ("LAB", ".tif", "CMYK"),
    ],
)
def test_modes_come_out_as_l_or_cmyk_jpeg(
    tmp_path: Path, rgb: Image.Image, mode: str, suffix: str, expect: str
) -> None:
    src = tmp_path / f"src{suffix}"
    if mode == "I;16":
        Image.fromarray((np.arange(400 * 600).reshape(400, 600) % 65536).astype(np.uint16)).save(
            src
        )
    else:
        rgb.convert(mode).save(src)
    assert Image.open(src).mode == mode
    img, warns = prepare_image(src, 144, 96, options=OPTS)  # 600 px over 2 in = 300 ppi
    assert warns == []
    out = decode(img.data)
    assert out.format == "JPEG" and out.mode == expect == img.mode
    assert img.px == out.size == (600, 400)
    assert img.digest == __import__("hashlib").sha256(img.data).hexdigest()[:12]
    if expect == "CMYK":
        assert tac_percentile(img.data, 99.9) <= OPTS.ink_limit


def test_rgba_is_flattened_on_white(tmp_path: Path) -> None:
    a = np.zeros((400, 600, 4), np.uint8)  # fully transparent black
    src = tmp_path / "alpha.png"
    Image.fromarray(a, "RGBA").save(src)
    img, _ = prepare_image(src, 144, 96, options=OPTS)
    arr = np.asarray(decode(img.data))
    assert img.mode == "L" and arr.min() >= 250  # white paper, no ink


@pytest.mark.parametrize("limit", [240.0, 200.0])
def test_total_ink_within_limit_after_jpeg(tmp_path: Path, rgb: Image.Image, limit: float) -> None:
    src = tmp_path / "rgb.png"
    rgb.save(src)
    img, _ = prepare_image(src, 144, 96, options=ImageOptions(ink_limit=limit))
    arr = np.asarray(decode(img.data), dtype=np.float64)
    tac = arr.sum(axis=2) / 2.55
    assert np.percentile(tac, 99.9) <= limit
    assert tac.max() > limit - 40  # the dark block really is at the limit, not far below


def test_cmyk_jpeg_values_survive_with_and_without_adobe_marker(tmp_path: Path) -> None:
    patch = Image.new("CMYK", (600, 400), (51, 0, 0, 128))  # C 20 %, K 50 %
    src = tmp_path / "adobe.jpg"
    patch.save(src, quality=95)
    raw = src.read_bytes()
    i = raw.index(b"\xff\xee")  # strip the APP14 Adobe segment: plain (non-inverted) CMYK
    seg_len = struct.unpack(">H", raw[i + 2 : i + 4])[0]
    stripped = raw[:i] + raw[i + 2 + seg_len :]
    plain = tmp_path / "plain.jpg"
    # the stripped file must hold plain CMYK, so invert the scan data by re-encoding inverted
    Image.frombytes("CMYK", patch.size, bytes(255 - b for b in patch.tobytes())).save(
        plain, quality=95
    )
    p2 = plain.read_bytes()
    j = p2.index(b"\xff\xee")
    plain.write_bytes(p2[:j] + p2[j + 2 + struct.unpack(">H", p2[j + 2 : j + 4])[0] :])
    assert b"Adobe" not in plain.read_bytes() and len(stripped) < len(raw)
    for f in (src, plain):
        img, _ = prepare_image(f, 144, 96, options=OPTS)
        c, m, y, k = (float(v) / 2.55 for v in np.asarray(decode(img.data)).reshape(-1, 4).mean(0))
        assert abs(c - 20) < 1.5 and abs(k - 50) < 1.5 and m < 1 and y < 1, (f.name, c, m, y, k)


def test_grey_rgb_and_grayscale_option_give_l(tmp_path: Path, rgb: Image.Image) -> None:
    grey = tmp_path / "grey.jpg"
    rgb.convert("L").convert("RGB").save(grey, quality=95)
    img, _ = prepare_image(grey, 144, 96, options=OPTS)
    assert img.mode == "L"
    colour = tmp_path / "colour.png"
    rgb.save(colour)
    img, _ = prepare_image(colour, 144, 96, options=ImageOptions(grayscale=True))
    assert img.mode == "L"


def test_grey_tone_curve_keeps_paper_white_and_limits_shadows(tmp_path: Path) -> None:
    ramp = np.tile(np.linspace(0, 255, 600).astype(np.uint8), (400, 1))
    src = tmp_path / "ramp.png"
    Image.fromarray(ramp, "L").save(src)
    arr = np.asarray(decode(prepare_image(src, 144, 96, options=OPTS)[0].data), dtype=float)
    assert arr[:, -5:].mean() > 250  # white stays paper white
    assert 5 < arr[:, :5].mean() < 25  # deepest shadow ~95 % K, not 100 %
    mid = 255 - arr[:, 300].mean()  # sRGB 50 % grey, K tint compensated for dot gain
    assert 50 < mid < 140


def test_exif_orientation_applied(tmp_path: Path, rgb: Image.Image) -> None:
    src = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise for display
    rgb.save(src, exif=exif.tobytes())
    img, _ = prepare_image(src, 96, 144, options=OPTS, fit="contain")
    assert img.px == (400, 600)
    assert (img.w, img.h) == pytest.approx((96, 144))


def test_cover_crops_and_contain_centres(tmp_path: Path, rgb: Image.Image) -> None:
    src = tmp_path / "rgb.png"
    rgb.save(src)
    cover, _ = prepare_image(src, 96, 96, options=OPTS)
    assert cover.px == (400, 400) and (cover.x, cover.y, cover.w, cover.h) == (0, 0, 96, 96)
    contain, _ = prepare_image(src, 96, 96, options=OPTS)
    contain, _ = prepare_image(src, 96, 96, options=OPTS, fit="contain")
    assert contain.px == (600, 400)
    assert (contain.x, contain.y, contain.w, contain.h) == pytest.approx((0, 16, 96, 64))


def test_ppi_warning_and_error(tmp_path: Path, rgb: Image.Image) -> None:
    src = tmp_path / "rgb.png"
    rgb.save(src)
    _, warns = prepare_image(src, 240, 160, options=OPTS)  # 600 px over 240 pt = 180 ppi
    assert len(warns) == 1
    assert "180 ppi" in warns[0] and "84.7×56.4 mm" in warns[0] and str(src) in warns[0]
    with pytest.raises(ImageError) as err:
        prepare_image(src, 360, 240, options=OPTS)  # 120 ppi
    assert "120 ppi" in str(err.value) and "127.0×84.7 mm" in str(err.value)
    assert str(src) in str(err.value) and "150 ppi minimum" in str(err.value)
    assert err.value.hint and "mm wide" in err.value.hint


def test_far_too_sharp_is_downsampled(tmp_path: Path) -> None:
    src = tmp_path / "big.jpg"
    Image.fromarray(noisy_rgb(3000, 2000)).save(src)
    img, _ = prepare_image(src, 100, 100 * 2 / 3, options=OPTS)
    assert img.px == (417, 278)
    assert img.ppi == pytest.approx(300, abs=1)


def _png_header(w: int, h: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    body = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat = zlib.compress(b"\x00" * 64)
    body += (
        struct.pack(">I", len(idat))
        + b"IDAT"
        + idat
        + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + body
        + struct.pack(">I", 0)
        + b"IEND"
        + struct.pack(">I", zlib.crc32(b"IEND"))
    )


@pytest.mark.parametrize("dims", [(100_000, 100_000), (10_000, 7_000)])
def test_decompression_bomb_is_refused(tmp_path: Path, dims: tuple[int, int]) -> None:
    src = tmp_path / "bomb.png"
    src.write_bytes(_png_header(*dims))
    assert src.stat().st_size < 200
    with pytest.raises(ImageError) as err:
        prepare_image(src, 100, 100, options=OPTS)
    assert str(src) in str(err.value)
    assert "too large" in str(err.value) or "decompression bomb" in str(err.value)


def test_file_size_limit(tmp_path: Path, rgb: Image.Image) -> None:
    src = tmp_path / "rgb.png"
    rgb.save(src)
    with pytest.raises(ImageError, match="MB allowed"):
        prepare_image(src, 144, 96, options=ImageOptions(max_file_bytes=1000))


def test_corrupt_missing_folder_and_unsupported(tmp_path: Path, rgb: Image.Image) -> None:
    good = tmp_path / "good.jpg"
    rgb.save(good)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ImageError, match="corrupt or truncated"):
        prepare_image(cut, 144, 96, options=OPTS)
    text = tmp_path / "notes.jpg"
    text.write_text("not an image")
    with pytest.raises(ImageError, match="not an image format") as err:
        prepare_image(text, 144, 96, options=OPTS)
    assert err.value.hint == "save it as JPEG, PNG or TIFF"
    with pytest.raises(ImageError, match="image not found"):
        prepare_image(tmp_path / "nope.jpg", 144, 96, options=OPTS)
    with pytest.raises(ImageError, match="is a folder"):
        prepare_image(tmp_path, 144, 96, options=OPTS)


def test_deterministic_bytes(tmp_path: Path, rgb: Image.Image) -> None:
    src = tmp_path / "rgb.jpg"
    rgb.save(src)
    a, _ = prepare_image(src, 144, 96, options=OPTS)
    b, _ = prepare_image(src, 144, 96, options=OPTS)
    assert a.data == b.data and a.digest == b.digest
    assert b"Exif" not in a.data[:200]


# ---------------------------------------------------------------- probe, crop, vectorised sums


def _reference_limit_ink(cmyk: np.ndarray, limit_pct: float) -> np.ndarray:
    """The ink limiter written plainly over every pixel (what ``_limit_ink`` must equal)."""
    lim = limit_pct * 255.0 / 100.0
    a = cmyk.astype(np.float32)
    k = np.minimum(a[..., 3], lim)
    cmy = a[..., :3].sum(axis=2)
    over = (cmy + k) > lim
    scale = np.where(over, np.maximum(lim - k, 0.0) / np.maximum(cmy, 1e-6), 1.0)
    a[..., :3] *= scale[..., None]
    a[..., 3] = k
    return np.clip(np.floor(a), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("limit", [300.0, 240.0, 120.0, 60.0])
def test_ink_limit_equals_the_per_pixel_formula(limit: float) -> None:
    from layout.images import INK_STRIP_ROWS, _ink_sum, _limit_ink

    rng = np.random.default_rng(int(limit))
    cmyk = (rng.random((INK_STRIP_ROWS * 2 + 37, 211, 4)) ** 0.5 * 255).astype(np.uint8)
    assert np.array_equal(_ink_sum(cmyk), cmyk.sum(axis=2, dtype=np.uint16))
    assert np.array_equal(_limit_ink(cmyk, limit), _reference_limit_ink(cmyk, limit))


def test_layout_crop_and_the_images_crop_agree() -> None:
    from layout.images import _cover_box
    from layout.plan.photos import crop_box as centre_crop

    for px in ((2700, 1800), (1800, 2700), (1000, 1000), (3, 1000), (1000, 3)):
        for box in ((369, 381), (243, 405), (100, 50), (10, 1000)):
            assert centre_crop(px, *box) == _cover_box(px, *box), (px, box)
    assert centre_crop((2700, 1800), 369, 381) == (478, 0, 2221, 1800)  # page 05's first photo


def test_layout_thresholds_are_the_images_defaults() -> None:
    from layout.compose.photos import ERROR_PPI, WARN_PPI

    assert (OPTS.warn_ppi, OPTS.error_ppi) == (WARN_PPI, ERROR_PPI)


def test_probe_reads_size_and_orientation_without_decoding(tmp_path: Path, rgb: Image.Image) -> None:
    from layout.images import probe

    src = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6
    rgb.save(src, exif=exif.tobytes())
    assert probe(src).px == (400, 600)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    assert probe(cut).px == (400, 600)  # the header is whole: only decoding finds the damage
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header(10_000, 7_000))
    with pytest.raises(ImageError, match="60 Mpx allowed"):
        probe(bomb)


def test_prepare_print_cuts_the_crop_layout_chose(tmp_path: Path) -> None:
    from layout.images import prepare_print

    a = np.zeros((400, 600, 3), np.uint8)
    a[:, 300:] = 255  # left half black, right half white
    src = tmp_path / "half.png"
    Image.fromarray(a).save(src)
    left = prepare_print(src, (0, 0, 300, 400), 72, 96, options=OPTS)
    right = prepare_print(src, (300, 0, 600, 400), 72, 96, options=OPTS)
    assert left.px == right.px == (300, 400) and left.mode == right.mode == "L"
    assert np.asarray(decode(left.data)).mean() < 30 and np.asarray(decode(right.data)).mean() > 250
    with pytest.raises(ImageError, match="outside the image"):
        prepare_print(src, (0, 0, 601, 400), 72, 96, options=OPTS)


def test_prepared_photos_come_from_memory_then_disk(tmp_path: Path, monkeypatch) -> None:
    from layout.frames import Image as Frame
    from layout.imagecache import file_digest
    from layout.pdf import photos as PH

    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "p.png"
    Image.fromarray(noisy_rgb(600, 400, 5)).save(src)
    item = Frame(0, 0, 144, 96, src.name, str(src), file_digest(src), (600, 400), (0, 0, 600, 400))
    settings = PH.PhotoSettings()
    PH.clear_memo()
    first = PH.prepare([item, item], settings)  # the same photo twice: prepared once
    assert len(first) == 1
    data = next(iter(first.values())).data
    PH.clear_memo()
    again = PH.prepare([item], settings)
    assert next(iter(again.values())).data == data  # from the disk cache
    other = PH.prepare([item], PH.PhotoSettings(ink_limit=200.0))
    assert PH.photo_key(item, PH.PhotoSettings(ink_limit=200.0)) in other  # settings are in the key


def test_a_photo_changed_after_layout_is_refused(tmp_path: Path, monkeypatch) -> None:
    from layout.frames import Image as Frame
    from layout.imagecache import file_digest
    from layout.pdf import photos as PH

    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "p.png"
    Image.fromarray(noisy_rgb(600, 400, 1)).save(src)
    item = Frame(0, 0, 144, 96, "p.png", str(src), file_digest(src), (600, 400), (0, 0, 600, 400))
    Image.fromarray(noisy_rgb(600, 400, 2)).save(src)
    PH.clear_memo()
    with pytest.raises(PH.PhotoError, match="changed after the page was laid out") as err:
        PH.prepare([item], PH.PhotoSettings())
    assert err.value.source == "p.png"

