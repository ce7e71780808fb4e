"""Photos in the frame tree: the crop and the resolution check happen where a photo is placed.

``image_item`` is driven with Python values (a stub context whose ``prepare`` returns what the
API would read from a file's header), so no file is opened and no pixel decoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from layout.compose.photos import ERROR_PPI, WARN_PPI, PhotoSource, centre_crop, image_item
from layout.errors import InputError


@dataclass
class Photo:
    file: str = "photos/a.jpg"
    standin: bool = False


@dataclass
class StubCtx:
    source: PhotoSource
    warnings: list = field(default_factory=list)
    path: str = "page.yaml"
    asked: list = field(default_factory=list)

    def prepare(self, photo, field_path):
        self.asked.append((photo.file, field_path))
        return self.source

    def lines_of(self, *path):
        return 17 if path == ("articles", "0", "photos", "1", "file") else None


SOURCE = PhotoSource("/abs/photos/a.jpg", "ab" * 32, (2700, 1800))


def test_cover_crop_resolution_and_reference():
    ctx = StubCtx(SOURCE)
    item = image_item(ctx, Photo(standin=True), "articles.0.photos.1", 53.26, 235.03, 369.0, 381.0)
    assert ctx.asked == [("photos/a.jpg", "articles.0.photos.1")]
    assert (item.x, item.y, item.w, item.h) == (53.26, 235.03, 369.0, 381.0)
    assert item.crop == (478, 0, 2221, 1800) and item.crop_px == (1743, 1800)
    assert (item.source, item.path, item.digest, item.px, item.standin) == (
        "photos/a.jpg", "/abs/photos/a.jpg", "ab" * 32, (2700, 1800), True)
    assert round(item.ppi) == 340 and not item.overprint
    assert ctx.warnings == []


def test_low_resolution_warns_with_the_placed_size():
    ctx = StubCtx(PhotoSource("/abs/p.jpg", "cd" * 32, (600, 400)))
    item = image_item(ctx, Photo(), "articles.0.photos.1", 0, 0, 240.0, 160.0)  # 180 ppi
    assert round(item.ppi) == 180 < WARN_PPI
    assert ctx.warnings == [("/abs/p.jpg: effective resolution 180 ppi at 84.7×56.4 mm is below "
                             "200 ppi; it may print soft")]
    image_item(ctx, Photo(), "articles.0.photos.1", 0, 0, 240.0, 160.0)
    assert len(ctx.warnings) == 1  # the same note once


def test_too_low_resolution_is_an_error_naming_the_field():
    ctx = StubCtx(PhotoSource("/abs/p.jpg", "cd" * 32, (600, 400)))
    with pytest.raises(InputError) as err:
        image_item(ctx, Photo(), "articles.0.photos.1", 0, 0, 360.0, 240.0)  # 120 ppi
    e = err.value
    assert (e.file, e.line, e.field) == ("page.yaml", 17, "articles.0.photos.1.file")
    assert f"below the {ERROR_PPI:.0f} ppi minimum" in e.message and "120 ppi" in e.message
    assert "(600×400 px used)" in e.message and e.hint and "mm wide" in e.hint


@pytest.mark.parametrize(("px", "box", "crop"), [
    ((2700, 1800), (243.0, 405.0), (810, 0, 1890, 1800)),
    ((2250, 1650), (243.0, 405.0), (630, 0, 1620, 1650)),  # page 05's rescue photo
    ((1000, 1000), (100.0, 50.0), (0, 250, 1000, 750)),
    ((1000, 1000), (50.0, 100.0), (250, 0, 750, 1000)),
])
def test_centre_crop_keeps_the_box_proportions(px, box, crop):
    got = centre_crop(px, *box)
    assert got == crop
    w, h = got[2] - got[0], got[3] - got[1]
    assert abs(w / h - box[0] / box[1]) < 1 / min(w, h)
