"""`make bench-instructions` (bench/instructions.py): the counted requests are exactly the
ones between the two dumps of each endpoint, dumps are read in the order callgrind wrote
them, and the table's shares and changes are of the right columns."""

import logging
import os

import pytest

from bench import instructions
from bench.inprocess import BARE, SIGNED_IN, STACK


def test_each_endpoint_counts_its_requests_alone_between_two_dumps(db, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="haven.request")
    requests_at_each_dump: list[int] = []

    def dump() -> None:  # callgrind dumps its counters where sched_yield is called
        requests_at_each_dump.append(sum(1 for r in caplog.records if r.name == "haven.request"))

    monkeypatch.setattr(os, "sched_yield", dump)
    targets = [
        {"name": "health", "method": "GET", "path": "/healthz"},
        {"name": "health again", "method": "GET", "path": "/healthz"},
    ]

    instructions.count_requests(targets, requests=3, token=None)

    warm = instructions.WARM_UP
    assert requests_at_each_dump == [warm, warm + 3, 2 * warm + 3, 2 * warm + 6]


def test_an_endpoint_that_does_not_answer_2xx_stops_the_count(db, monkeypatch):
    monkeypatch.setattr(os, "sched_yield", lambda: None)
    target = {"name": "nowhere", "method": "GET", "path": "/api/v1/no-such-thing"}

    with pytest.raises(SystemExit, match="nowhere: 404"):
        instructions.count_requests([target], requests=1, token=None)


def test_dumps_are_read_in_the_order_they_were_written(tmp_path):
    for number, total in ((1, 500), (2, 7), (10, 9), (9, 8), (3, 6)):
        (tmp_path / f"callgrind.out.{number}").write_text(
            f"events: Ir\nsummary: 1\ntotals: {total}\n"
        )
    (tmp_path / "callgrind.out").write_text("events: Ir\ntotals: 12345\n")  # the exit's dump

    assert instructions._dump_totals(tmp_path) == [500, 7, 6, 8, 9]


def test_shares_are_of_each_checkouts_bare_floor_and_the_change_is_from_the_base():
    columns = {
        "base": {BARE: 400_000.0, STACK: 800_000.0, "GET me": 2_000_000.0},
        "this checkout": {BARE: 400_000.0, STACK: 800_000.0, "GET me": 1_500_000.0},
    }
    lines = instructions.render(columns, [BARE, STACK, "GET me"]).splitlines()

    me = next(line for line in lines if line.startswith("GET me"))
    assert "2.000 M instr   20.0%" in me and "1.500 M instr   26.7%" in me
    assert me.endswith("-25.0%")
    assert next(line for line in lines if line.startswith(STACK)).endswith("+0.0%")


def test_a_floor_the_base_commit_lacks_is_a_dash_with_no_change():
    columns = {
        "base": {BARE: 400_000.0, STACK: 800_000.0, "GET me": 2_000_000.0},
        "this checkout": {BARE: 400_000.0, STACK: 800_000.0, SIGNED_IN: 1_600_000.0},
    }
    columns["this checkout"]["GET me"] = 1_800_000.0
    lines = instructions.render(columns, [BARE, STACK, SIGNED_IN, "GET me"]).splitlines()

    signed_in = next(line for line in lines if line.startswith(SIGNED_IN))
    assert "—" in signed_in and "1.600 M instr   25.0%" in signed_in
    assert signed_in.count("%") == 1  # its share; no change against a row the base lacks
    assert next(line for line in lines if line.startswith("GET me")).endswith("-10.0%")
