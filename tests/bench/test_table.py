"""The table `make bench` prints: shares of the two floors and the issue's goals per row."""

import pytest

from bench.api import LIST_READ, SINGLE_READ, WRITE, Row, judge, render_table, share


def _floors():
    bare = Row("bare Django floor", "floor", rps=2000.0, p50_ms=2.0, p99_ms=5.0, queries=1)
    stack = Row("Haven-stack floor", "floor", rps=1700.0, p50_ms=2.5, p99_ms=6.0, queries=1)
    return bare, stack


def test_share_is_a_percentage_of_the_floor_and_zero_without_one():
    assert share(500.0, 2000.0) == pytest.approx(25.0)
    assert share(500.0, 0.0) == 0.0


def test_shares_are_of_the_bare_and_of_the_stack_floor():
    bare, stack = _floors()
    me = Row("GET me", SINGLE_READ, rps=1020.0, p50_ms=4.0, p99_ms=9.0, queries=2)

    judge([me], bare, stack)

    assert me.share_bare == pytest.approx(51.0)
    assert me.share_stack == pytest.approx(60.0)
    assert stack.share_bare == pytest.approx(85.0)
    assert bare.share_bare == pytest.approx(100.0)


def test_each_kind_of_endpoint_has_its_own_share_and_query_goal():
    bare, stack = _floors()
    single = Row("GET couple", SINGLE_READ, rps=990.0, p50_ms=4.0, p99_ms=9.0, queries=4)
    listing = Row("GET boundaries", LIST_READ, rps=600.0, p50_ms=6.0, p99_ms=14.0, queries=4)
    write = Row("PUT checkins/{today}", WRITE, rps=400.0, p50_ms=9.0, p99_ms=15.0, queries=9)

    judge([single, listing, write], bare, stack)

    assert single.goals["≥50% of bare"] is False  # 49.5%
    assert listing.goals["≥30% of bare"] is True  # exactly 30%
    assert write.goals["≥20% of bare"] is True
    assert write.goals["≤8 queries"] is False
    assert listing.goals["≤4 queries"] is True
    assert [single.met, listing.met, write.met] == [False, True, False]


def test_p99_goal_is_three_times_the_bare_floors_p99():
    bare, stack = _floors()
    at_limit = Row("GET me", SINGLE_READ, rps=1500.0, p50_ms=3.0, p99_ms=15.0, queries=2)
    over = Row("GET couple", SINGLE_READ, rps=1500.0, p50_ms=3.0, p99_ms=15.1, queries=2)

    judge([at_limit, over], bare, stack)

    assert at_limit.goals["p99 ≤3x floor"] is True
    assert over.goals["p99 ≤3x floor"] is False


def test_a_row_with_failed_answers_or_an_unknown_query_count_misses_its_goals():
    bare, stack = _floors()
    failing = Row("GET me", SINGLE_READ, rps=1500.0, p50_ms=3.0, p99_ms=5.0, queries=None)
    failing.non_2xx = 3

    judge([failing], bare, stack)

    assert failing.goals["all 2xx"] is False
    assert failing.goals["≤4 queries"] is False


def test_the_stack_floor_goal_is_80_percent_of_the_bare_one():
    bare, stack = _floors()
    judge([], bare, stack)
    assert stack.goals == {"≥80% of bare": True}

    stack.rps = 1500.0
    judge([], bare, stack)
    assert stack.goals == {"≥80% of bare": False}


def test_table_lists_floors_first_then_each_endpoint_with_its_verdicts():
    bare, stack = _floors()
    me = Row("GET me", SINGLE_READ, rps=1020.0, p50_ms=4.0, p99_ms=9.0, queries=2)
    put = Row("PUT checkins/{today}", WRITE, rps=100.0, p50_ms=40.0, p99_ms=90.0, queries=None)
    put.non_2xx = 5
    judge([me, put], bare, stack)

    lines = render_table([me, put], bare, stack).splitlines()

    assert lines[0].split()[:4] == ["endpoint", "req/s", "p50", "ms"]
    assert lines[2].startswith("bare Django floor") and "(floor)" in lines[2]
    assert lines[3].startswith("Haven-stack floor") and "85.0%" in lines[3]
    assert lines[4].startswith("GET me") and "51.0%" in lines[4] and "NOT met" not in lines[4]
    assert lines[5].startswith("PUT checkins/{today}") and "—" in lines[5]
    assert "[5 non-2xx]" in lines[5] and "≥20% of bare NOT met" in lines[5]
    assert lines[6].startswith("goals met: 2 of 3 rows")
    assert "3 x 5.00 ms = 15.00 ms" in lines[6]


def test_a_floor_is_the_mean_of_its_runs_before_and_after_the_endpoints():
    from bench.api import LoadResult, drift, floor_row

    before = LoadResult(
        requests=20000, seconds=10.0, p50_ms=2.0, p99_ms=6.0, non_2xx=0, socket_errors=0
    )
    after = LoadResult(
        requests=15000, seconds=10.0, p50_ms=3.0, p99_ms=10.0, non_2xx=2, socket_errors=0
    )

    row = floor_row("bare Django floor", before, after)

    assert row.rps == pytest.approx(1750.0)
    assert row.p50_ms == pytest.approx(2.5)
    assert row.p99_ms == pytest.approx(8.0)
    assert row.non_2xx == 2
    assert row.queries == 1
    assert drift(before, after) == pytest.approx(-25.0)


def test_the_signed_in_floor_is_a_third_share_and_has_no_goal_of_its_own():
    """What a row costs beyond a signed-in call that does nothing is the endpoint's own work."""
    bare, stack = _floors()
    signed_in = Row("signed-in floor", "floor", rps=1200.0, p50_ms=3.0, p99_ms=7.0, queries=1)
    me = Row("GET me", SINGLE_READ, rps=1020.0, p50_ms=4.0, p99_ms=9.0, queries=1)

    judge([me], bare, stack, signed_in)

    assert signed_in.share_bare == pytest.approx(60.0)
    assert me.share_signed_in == pytest.approx(85.0)
    assert bare.share_signed_in == pytest.approx(2000 / 12)
    assert signed_in.goals == {}
    lines = render_table([me], bare, stack, signed_in).splitlines()
    assert lines[0].split()[:10] == [
        "endpoint", "req/s", "p50", "ms", "p99", "ms", "queries", "%", "bare", "%"
    ]  # fmt: skip
    assert "% s-in" in lines[0]
    assert lines[4].startswith("signed-in floor") and "(floor)" in lines[4]
    assert "60.0%" in lines[4] and "100.0%" in lines[4]
    assert lines[5].startswith("GET me") and "85.0%" in lines[5]
    assert lines[6].startswith("goals met: 2 of 2 rows")  # the stack floor and GET me only
    assert "signed-in floor = 60.0% of bare" in lines[6]


def test_without_a_signed_in_floor_the_table_has_no_such_column():
    bare, stack = _floors()
    me = Row("GET me", SINGLE_READ, rps=1020.0, p50_ms=4.0, p99_ms=9.0, queries=1)

    judge([me], bare, stack)

    assert me.share_signed_in is None
    lines = render_table([me], bare, stack).splitlines()
    assert "s-in" not in lines[0] and "signed-in" not in lines[-1]
