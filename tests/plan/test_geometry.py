"""Regions on the grid: rectangles, L and inverted L, their canonical bands and what is refused."""

from __future__ import annotations

import pytest

from layout.plan import GridRect, Region, RegionError


def test_one_rectangle_is_a_region():
    r = Region.of([GridRect(1, 3, 5, 20)])
    assert r.shape == "rect" and r.cells == 60 and r.bbox == GridRect(1, 3, 5, 20)
    assert r.local() == Region((GridRect(0, 3, 0, 20),))
    assert r.lines_in(2) == [(5, 25)] and r.lines_in(4) == []


def test_inverted_l_from_stacked_rectangles():
    # The example: five columns for 40 lines, then the first three for 30 more.
    r = Region.of([GridRect(0, 5, 0, 40), GridRect(0, 3, 40, 30)])
    assert r.shape == "inverted-L"
    assert r.bands == (GridRect(0, 5, 0, 40), GridRect(0, 3, 40, 30))
    assert r.cells == 5 * 40 + 3 * 30
    assert r.bbox == GridRect(0, 5, 0, 70)
    assert r.widest == 0 and r.reading_order() == r.bands
    assert r.lines_in(0) == [(0, 70)] and r.lines_in(4) == [(0, 40)]


def test_l_from_stacked_rectangles_reads_the_wide_band_first():
    r = Region.of([GridRect(3, 2, 0, 20), GridRect(0, 5, 20, 30)])  # narrow on top, right-aligned
    assert r.shape == "L"
    assert r.widest == 1
    assert r.reading_order() == (GridRect(0, 5, 20, 30), GridRect(3, 2, 0, 20))


def test_side_by_side_rectangles_become_bands():
    # A tall left part beside a short right part sharing the top line: an inverted L.
    r = Region.of([GridRect(0, 2, 10, 50), GridRect(2, 3, 10, 20)])
    assert r.bands == (GridRect(0, 5, 10, 20), GridRect(0, 2, 30, 30))
    assert r.shape == "inverted-L" and r.cells == 2 * 50 + 3 * 20
    # Sharing the bottom line: an L.
    r = Region.of([GridRect(0, 2, 0, 50), GridRect(2, 3, 30, 20)])
    assert r.bands == (GridRect(0, 2, 0, 30), GridRect(0, 5, 30, 20))
    assert r.shape == "L"


@pytest.mark.parametrize(("rects", "index", "words"), [
    ([GridRect(0, 5, 0, 40), GridRect(0, 3, 41, 30)], 1, "do not touch"),
    ([GridRect(0, 5, 0, 40), GridRect(0, 3, 30, 30)], 1, "overlap"),
    ([GridRect(0, 5, 0, 40), GridRect(1, 3, 40, 30)], 1, "T, not an L"),
    ([GridRect(0, 3, 0, 40), GridRect(2, 3, 40, 30)], 1, "offset"),
    ([GridRect(0, 3, 0, 40), GridRect(0, 3, 40, 30)], 1, "one rectangle"),
    ([GridRect(0, 2, 0, 40), GridRect(2, 2, 10, 20)], 1, "T, not an L"),
    ([GridRect(0, 5, 0, 40), GridRect(0, 3, 40, 30), GridRect(0, 1, 70, 5)], 2, "L of two"),
    ([GridRect(0, 0, 0, 40)], 0, "at least one column"),
])
def test_rectangles_that_make_no_l_are_refused(rects, index, words):
    with pytest.raises(RegionError) as info:
        Region.of(rects)
    assert words in str(info.value) and info.value.index == index


def test_containment_across_bands_and_moves():
    r = Region.of([GridRect(0, 5, 0, 40), GridRect(0, 3, 40, 30)])
    assert r.contains(GridRect(0, 3, 30, 20))  # a photo straddling both bands in the stem
    assert not r.contains(GridRect(3, 2, 35, 10))  # runs into the notch of the L
    moved = r.moved(2, 5)
    assert moved.bands == (GridRect(2, 5, 5, 40), GridRect(2, 3, 45, 30))
    assert moved.local() == r
    assert r.with_end(60).bands[-1] == GridRect(0, 3, 40, 20)
    assert r.overlaps(GridRect(4, 1, 39, 2)) and not r.overlaps(GridRect(4, 1, 40, 2))
