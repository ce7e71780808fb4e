"""Photos in the frame tree: the crop and the resolution check happen where a photo is placed.

``image_item`` is driven with Python values (a stub environment whose ``prepare`` returns what
the API would read from a file's header), so no file is opened and no pixel decoded; the API
test at the end shows the error located in a real description.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from layout.compose.photos import ERROR_PPI, WARN_PPI, PhotoSource, image_item
from layout.errors import InputError
from layout.plan.photos import crop_box


@dataclass
class Photo:
    """The fields of a ``PhotoPlan`` that ``image_item`` reads."""

    source: str = "photos/a.jpg"
    field: str = "articles.0.photos.1"
    standin: bool = False
    crop: tuple | None = None
    focus: tuple | None = None


@dataclass
class StubEnv:
    source: PhotoSource
    draft: bool = False
    notes: list = field(default_factory=list)
    asked: list = field(default_factory=list)

    def prepare(self, photo):
        self.asked.append(photo.source)
        return self.source


SOURCE = PhotoSource("/abs/photos/a.jpg", "ab" * 32, (2700, 1800))


def test_cover_crop_resolution_and_reference():
    env = StubEnv(SOURCE)
    item = image_item(env, Photo(standin=True), 53.26, 235.03, 369.0, 381.0)
    assert env.asked == ["photos/a.jpg"]
    assert (item.x, item.y, item.w, item.h) == (53.26, 235.03, 369.0, 381.0)
    assert item.crop == (478, 0, 2221, 1800) and item.crop_px == (1743, 1800)
    assert (item.source, item.path, item.digest, item.px, item.standin) == (
        "photos/a.jpg", "/abs/photos/a.jpg", "ab" * 32, (2700, 1800), True)
    assert round(item.ppi) == 340 and not item.overprint and not item.fpo
    assert env.notes == []


def test_the_editors_crop_and_focus_are_kept_at_the_box_proportions():
    env = StubEnv(SOURCE)
    # The right half of the image, in a square box: the square is centred on the half.
    item = image_item(env, Photo(crop=(0.5, 0.0, 1.0, 1.0)), 0, 0, 200.0, 200.0)
    assert item.crop == (1350, 225, 2700, 1575)
    # A focus near the left edge pulls a square crop of the whole image to the left edge.
    item = image_item(env, Photo(focus=(0.1, 0.5)), 0, 0, 200.0, 200.0)
    assert item.crop == (0, 0, 1800, 1800)


def test_low_resolution_warns_with_the_placed_size():
    env = StubEnv(PhotoSource("/abs/p.jpg", "cd" * 32, (600, 400)))
    item = image_item(env, Photo(), 0, 0, 240.0, 160.0)  # 180 ppi
    assert round(item.ppi) == 180 < WARN_PPI
    assert env.notes == [("/abs/p.jpg: effective resolution 180 ppi at 84.7×56.4 mm is below "
                          "200 ppi; it may print soft")]


def test_too_low_resolution_is_an_error_naming_the_field():
    env = StubEnv(PhotoSource("/abs/p.jpg", "cd" * 32, (600, 400)))
    with pytest.raises(InputError) as err:
        image_item(env, Photo(), 0, 0, 360.0, 240.0)  # 120 ppi
    e = err.value
    assert e.field == "articles.0.photos.1.file"
    assert f"below the {ERROR_PPI:.0f} ppi minimum" in e.message and "120 ppi" in e.message
    assert "(600×400 px used)" in e.message and e.hint and "mm wide" in e.hint


def test_a_draft_marks_a_too_small_photo_fpo_instead():
    env = StubEnv(PhotoSource("/abs/p.jpg", "cd" * 32, (600, 400)), draft=True)
    item = image_item(env, Photo(), 0, 0, 360.0, 240.0)
    assert item.fpo and round(item.ppi) == 120
    assert len(env.notes) == 1 and "marked FPO" in env.notes[0]


@pytest.mark.parametrize(("px", "box", "crop"), [
    ((2700, 1800), (243.0, 405.0), (810, 0, 1890, 1800)),
    ((2250, 1650), (243.0, 405.0), (630, 0, 1620, 1650)),
    ((1000, 1000), (100.0, 50.0), (0, 250, 1000, 750)),
    ((1000, 1000), (50.0, 100.0), (250, 0, 750, 1000)),
])
def test_centre_crop_keeps_the_box_proportions(px, box, crop):
    got = crop_box(px, *box)
    assert got == crop
    w, h = got[2] - got[0], got[3] - got[1]
    assert abs(w / h - box[0] / box[1]) < 1 / min(w, h)
