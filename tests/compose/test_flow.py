"""Column flow with exact numbers: distribution, keep-with-next, balancing, the cursor, R9."""

from __future__ import annotations

from dataclasses import dataclass

from layout.compose import flow as F
from layout.compose import headline as H


@dataclass(frozen=True)
class FakeLine:
    """Just enough of text.Line for flow: character offsets."""

    start: int
    end: int

    @property
    def text(self) -> str:
        return "字" * (self.end - self.start)


def body(n: int, para: int = 0, chars: int = 13) -> list[F.Unit]:
    lines = [FakeLine(i * chars, (i + 1) * chars) for i in range(n)]
    return F.paragraph_units(lines, "body", para)


def sub() -> F.Unit:
    return F.subhead_unit([FakeLine(0, 8)], para=1)


def slots(columns: int, first: int, end: int) -> list[F.Slot]:
    return [F.Slot(x=c * 126.0, w=117.0, first=first, end=end) for c in range(columns)]


def rows(result: F.FlowResult) -> list[tuple[float, int]]:
    return [(p.x, p.line) for p in result.placed]


def test_distribute_fills_columns_in_order_and_counts_overset():
    units = body(25)
    res = F.distribute(units, slots(2, 0, 10))
    assert len(res.placed) == 20
    assert rows(res)[:3] == [(0.0, 0), (0.0, 1), (0.0, 2)]
    assert rows(res)[10] == (126.0, 0)
    assert res.cursor == 20
    assert (res.overset_lines, res.overset_chars) == (5, 5 * 13)
    assert not res.complete


def test_continuation_picks_up_at_the_cursor():
    units = body(25)
    first = F.distribute(units, slots(2, 0, 10))
    more = F.distribute(units, slots(1, 50, 60), start=first.cursor)
    assert more.complete and more.cursor == 25
    assert [p.line for p in more.placed] == [50, 51, 52, 53, 54]


def test_subhead_keeps_with_next_and_drops_top_white():
    # 8 body lines, then a subhead (white + line + white) and 5 more lines, in columns of 10.
    units = body(8) + [sub()] + body(5, para=2)
    res = F.distribute(units, slots(2, 0, 10))
    # The subhead needs 3 lines + 2 following lines = 5 > the 2 left in column 1: it moves on,
    # and at the top of column 2 its leading white is dropped.
    subhead = [p for p in res.placed if p.kind == "subhead"]
    assert [(p.x, p.line) for p in subhead] == [(126.0, 0)]
    assert res.used == {0: 8, 1: 7}
    assert res.complete


def test_subhead_never_stranded_at_column_foot():
    units = body(7) + [sub()] + body(5, para=2)
    res = F.distribute(units, slots(2, 0, 10))
    subhead = [p for p in res.placed if p.kind == "subhead"][0]
    assert subhead.line == 0 and subhead.x == 126.0


def test_balance_finds_the_lowest_common_foot():
    units = body(17)
    bottom, res = F.balance(units, slots(2, 0, 20), 0, 1, 20)
    assert bottom == 9  # 17 lines over 2 columns: 9 + 8
    assert res.complete
    assert res.used == {0: 9, 1: 8}


def test_balance_spreads_white_one_line_per_column():
    units = body(25)
    bottom, res = F.balance(units, slots(4, 0, 10), 0, 1, 10)
    assert bottom == 7
    # 25 lines in 4 columns of 7: the last three columns each give up one line (7, 6, 6, 6)
    # instead of the last column ending three lines short (7, 7, 7, 4).
    assert res.used == {0: 7, 1: 6, 2: 6, 3: 6}


def test_free_segments_runaround():
    cols = [(0.0, 117.0), (126.0, 117.0), (252.0, 117.0)]
    # A photo block over the first two columns, lines 5–14.
    segs = F.free_segments(cols, 0, 30, [(0.0, 243.0, 5, 15)])
    assert [(s.x, s.first, s.end) for s in segs] == [
        (0.0, 0, 5), (0.0, 15, 30), (126.0, 0, 5), (126.0, 15, 30), (252.0, 0, 30)]
    assert sum(s.size for s in segs) == 90 - 20


def test_sub_head_size_follows_the_xmwb_example():
    assert H.sub_head_size(42.0) == 18.0  # 初号 main head → 小二 kicker/subtitle [XMWB]
    assert H.sub_head_size(36.0) == 16.0  # 小初 → 三号
    assert H.sub_head_size(26.0) == 12.0  # 一号 → 小四
    assert H.sub_head_size(22.0) == 10.5  # 二号 → 五号



def test_counting_trials_agree_with_distribution():
    # Body lines, a subhead (kept with its next lines), a white line dropped at a column top.
    white = F.Unit(1, (), top_white=1, chars=0, para=3)
    units = body(8) + [sub()] + body(6, para=2) + [white] + body(9, para=4)
    plain = F._plain_runs(units)
    assert plain[0][:10] == [8, 7, 6, 5, 4, 3, 2, 1, 0, 6]
    assert plain[1][0] == 8 + 3 + 6 + 1 + 9 - 1 - 1  # the white units' top white not counted
    agree = 0
    for limit in range(1, 12):
        for short in (frozenset(), frozenset({2}), frozenset({1, 2})):
            for start in (0, 5, 8):
                complete = F.distribute(units, slots(3, 0, 10), start, limit, short).complete
                assert F._fits(units, slots(3, 0, 10), start, limit, short, 0, plain) == complete
                agree += complete
    assert agree == 35  # of 99 trials: both answers occur: the trials are not trivially true


def test_measuring_places_no_line_and_counts_the_same():
    units = body(8) + [sub()] + body(20, para=2)
    for limit, short in ((None, frozenset()), (7, frozenset({1})), (4, frozenset())):
        drawn = F.distribute(units, slots(3, 0, 10), 0, limit, short)
        counted = F.distribute(units, slots(3, 0, 10), 0, limit, short, lines=False)
        assert counted.placed == [] and len(drawn.placed) > 0
        assert (counted.cursor, counted.used, counted.starts, counted.overset_lines, counted.overset_chars) == (
            drawn.cursor, drawn.used, drawn.starts, drawn.overset_lines, drawn.overset_chars)
    bottom, res = F.balance(body(25), slots(4, 0, 10), 0, 1, 10, lines=False)
    assert (bottom, res.used, res.placed) == (7, {0: 7, 1: 6, 2: 6, 3: 6}, [])
