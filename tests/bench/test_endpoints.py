"""Which endpoints `make bench` loads: the issue's nine and the write again as many people by
default, a chosen few with --only."""

import datetime as dt

import pytest

from bench.api import ENDPOINTS, LIST_READ, PEOPLE, SINGLE_READ, WRITE, select_endpoints


def test_all_of_the_issues_endpoints_by_default_the_write_first():
    chosen = select_endpoints(None)

    assert [e.name for e in chosen] == [e.name for e in ENDPOINTS]
    assert len(chosen) == 10
    assert chosen[0].method == "PUT"  # today's check-in exists before the reads
    kinds = {e.name: e.kind for e in chosen}
    assert [n for n, k in kinds.items() if k == SINGLE_READ] == [
        "GET checkins/today",
        "GET couple",
        "GET couple/partner",
        "GET me",
    ]
    assert sum(k == LIST_READ for k in kinds.values()) == 4
    assert [n for n, k in kinds.items() if k == WRITE] == [
        "PUT checkins/{today}",
        f"PUT checkins, {PEOPLE} people",
    ]


def test_the_write_runs_as_the_demo_person_and_again_as_many_people():
    """One person's writes at once queue on that couple's row lock; many people's do not:
    the same PUT, the second time as PEOPLE people (each request the next of them)."""
    one, many = (e for e in ENDPOINTS if e.kind == WRITE)
    assert (one.people, many.people) == (1, PEOPLE) and PEOPLE > 8  # more than connections
    assert one.url_path(dt.date(2026, 11, 30)) == many.url_path(dt.date(2026, 11, 30))
    assert all(e.people == 1 for e in ENDPOINTS if e.kind != WRITE)


def test_only_keeps_the_matching_endpoints_in_the_runs_order():
    chosen = select_endpoints(["GET me", "checkins/today"])

    assert [e.name for e in chosen] == ["GET checkins/today", "GET me"]


def test_an_unknown_name_is_an_error_not_an_empty_run():
    with pytest.raises(ValueError, match="no endpoint matches GET nothing"):
        select_endpoints(["GET me", "GET nothing"])


def test_the_put_goes_to_the_demo_persons_date():
    put = select_endpoints(["PUT"])[0]

    assert put.url_path(dt.date(2026, 11, 29)) == "/api/v1/checkins/2026-11-29"
    assert select_endpoints(["page_size"])[0].url_path(dt.date(2026, 11, 29)) == (
        "/api/v1/checkins?page_size=20"
    )
