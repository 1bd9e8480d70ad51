"""`make bench-sections` (bench/sections.py): each dump is given to the section between the
two marks it was taken at, and a real request is marked through every middleware layer, its
signals, DRF's phases and its log line, each section entered and left in order."""

from __future__ import annotations

import os

import pytest

from bench import sections
from bench.sections import BEGIN, END, START
from tests.utils import access_token_for


def test_each_dump_is_the_section_between_its_two_marks():
    labels = [
        BEGIN + "GET me",
        START, "enter a", "leave a", END,
        START, "enter a", "leave a", END,
        BEGIN + "GET couple",
        START, "enter a", END,
    ]  # fmt: skip
    totals = [999, 10, 20, 30, 40, 12, 22, 32, 42, 999, 1, 2, 3]

    table = sections.sections(labels, totals, requests=2)

    assert table == {
        "GET me": {
            f"{START} → enter a": 21.0,
            "enter a → leave a": 31.0,
            f"leave a → {END}": 41.0,
        },
        "GET couple": {f"{START} → enter a": 1.0, f"enter a → {END}": 1.5},
    }
    rendered = sections.render(table)
    assert "GET me: 0.000 M" in rendered and "enter a → leave a" in rendered


def test_marks_and_dumps_that_do_not_pair_up_stop_the_run():
    with pytest.raises(SystemExit, match="3 marks but 2 callgrind dumps"):
        sections.sections([BEGIN + "x", START, END], [1, 2], requests=1)


def test_mark_options_are_taken_apart_from_the_others():
    argv = ["sections.py", "--only", "GET me", "--mark", "a:b", "--mark=c:D.e", "--requests", "3"]
    kept, marks = sections._marks_apart(argv)
    assert kept == ["sections.py", "--only", "GET me", "--requests", "3"]
    assert marks == ["a:b", "c:D.e"]


# Django's own handler (as `make bench-sections` runs it) closes a test's transaction; the
# rows the migrations wrote are put back after it, as in the other transactional tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_is_marked_through_its_whole_path(user, monkeypatch):
    dumps: list[int] = []
    monkeypatch.setattr(os, "sched_yield", lambda: dumps.append(1))
    target = {"name": "GET me", "method": "GET", "path": "/api/v1/me"}

    labels = sections.count_sections(
        [target],
        requests=2,
        token=access_token_for(user),
        extra=["accounts.authentication:validate_access_token"],
        patch=monkeypatch.setattr,
    )

    assert labels[0] == BEGIN + "GET me" and len(dumps) == len(labels)
    one = labels[1 : labels.index(END) + 1]
    assert labels[1:] == one * 2  # every request marked alike
    for expected in (
        "enter middleware RequestLogMiddleware",
        "enter middleware LocaleMiddleware",
        "enter middleware XFrameOptionsMiddleware",
        "enter request_started",
        "enter request_finished",
        "enter APIView.perform_content_negotiation",
        "enter APIView.perform_authentication",
        "enter validate_access_token",
        "enter APIView.check_throttles",
        "enter SimpleTemplateResponse.render",
        "enter request log line",
    ):
        assert expected in one, expected
    # Entered and left in order, as nested calls are.
    open_sections: list[str] = []
    for label in one[1:-1]:
        kind, name = label.split(" ", 1)
        if kind == "enter":
            open_sections.append(name)
        else:
            assert open_sections.pop() == name, label
    assert open_sections == []
