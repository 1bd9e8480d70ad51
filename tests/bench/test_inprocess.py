"""`make bench-inprocess`'s arithmetic and its requests (bench/inprocess.py): each row keeps
its best round, shares are of the same checkout's bare floor, and a request looks as
gunicorn hands it to Django behind the TLS proxy."""

import json

import pytest

from bench.inprocess import BARE, STACK, _environ, best_of, render
from tests.factories import pair
from tests.utils import access_token_for, today_for


def test_each_row_keeps_its_best_round():
    rounds = [
        {BARE: 0.00015, "GET me": 0.0007},
        {BARE: 0.00014, "GET me": 0.0009},
    ]
    assert best_of(rounds) == {BARE: 0.00014, "GET me": 0.0007}


def test_shares_are_of_each_checkouts_own_bare_floor():
    columns = {
        "base": {BARE: 0.0002, STACK: 0.0004, "GET me": 0.001},
        "this checkout": {BARE: 0.0001, STACK: 0.0002, "GET me": 0.0004},
    }
    table = render(columns, [BARE, STACK, "GET me", "GET couple"]).splitlines()
    me = next(line for line in table if line.startswith("GET me"))
    assert "1.000 ms   20.0%" in me and "0.400 ms   25.0%" in me
    stack = next(line for line in table if line.startswith(STACK))
    assert "50.0%" in stack
    couple = next(line for line in table if line.startswith("GET couple"))
    assert couple.count("—") == 2  # measured by neither


def test_a_request_is_what_gunicorn_hands_django_behind_the_proxy():
    body = json.dumps({"mood": 4}).encode()
    environ = _environ("PUT", "/api/v1/checkins/2026-11-30?x=1", body, "t0ken")
    assert (environ["PATH_INFO"], environ["QUERY_STRING"]) == ("/api/v1/checkins/2026-11-30", "x=1")
    assert environ["HTTP_X_FORWARDED_PROTO"] == "https"  # production settings redirect plain http
    assert environ["HTTP_AUTHORIZATION"] == "Bearer t0ken"
    assert environ["CONTENT_LENGTH"] == str(len(body))
    assert environ["wsgi.input"].read() == body
    anonymous = _environ("GET", "/floor", b"", None)
    assert "HTTP_AUTHORIZATION" not in anonymous and "CONTENT_TYPE" not in anonymous


def test_the_floors_run_by_settings_the_signed_in_one_with_the_token(tmp_path):
    """The stack floor and the signed-in floor share their settings (one process), the first
    called without a token and the second with it; a base commit from before the signed-in
    floor runs the other two."""
    from pathlib import Path

    from bench.inprocess import FLOORS, SIGNED_IN, SIGNED_IN_FLOOR_VIEWS, each_settings

    orders: list[tuple[str, dict]] = []

    def run(root, settings, order, env):
        orders.append((settings, order))
        return {target["name"]: 1.0 for target in order["targets"]}

    endpoints = [{"name": "GET me", "method": "GET", "path": "/api/v1/me"}]
    root = Path(__file__).resolve().parents[2]
    figures = each_settings(run, root, endpoints, "the-token", 5, {})

    assert list(figures) == [BARE, STACK, SIGNED_IN, "GET me"]
    assert [settings for settings, _order in orders] == [
        "bench.floor.settings",
        "bench.haven_floor",
        "config.settings.production",
    ]
    stack_and_signed_in = orders[1][1]
    assert [(t["name"], t["anonymous"]) for t in stack_and_signed_in["targets"]] == [
        (STACK, True),
        (SIGNED_IN, False),
    ]
    assert stack_and_signed_in["token"] == "the-token" and orders[0][1]["targets"][0]["anonymous"]
    assert [floor.label for floor in FLOORS.values()] == [BARE, STACK, SIGNED_IN]

    orders.clear()
    assert not (tmp_path / SIGNED_IN_FLOOR_VIEWS).exists()
    assert list(each_settings(run, tmp_path, endpoints, "the-token", 5, {})) == [
        BARE,
        STACK,
        "GET me",
    ]


def test_an_anonymous_target_is_called_without_the_token():
    from bench.inprocess import request_caller

    seen: list[str | None] = []

    class Answer(list):
        def close(self):
            pass

    def handler(environ, start_response):
        seen.append(environ.get("HTTP_AUTHORIZATION"))
        start_response("200 OK", [])
        return Answer([b"{}"])

    call = request_caller("the-token", handler=handler)
    call({"name": "floor", "method": "GET", "path": "/floor", "anonymous": True})
    call({"name": "GET me", "method": "GET", "path": "/api/v1/me"})

    assert seen == [None, "Bearer the-token"]


@pytest.fixture
def _test_connection_kept():
    """Django's WSGI handler closes the database connection at a request's end, which would
    end the test's transaction; its test client keeps the connection the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_test_connection_kept")
def test_each_put_edits_the_checkin_so_none_is_a_resend_that_writes_nothing():
    """The same body again changes nothing and writes nothing (checkins.services): each PUT
    a bench caller sends carries its own edit, so every one is a write."""
    from bench.api import EDIT_MARK, PUT_BODY, edit_body
    from bench.inprocess import request_caller
    from checkins.models import CheckIn

    _couple, person, _partner = pair()
    today = today_for(person)
    target = {"name": "PUT", "method": "PUT", "path": f"/api/v1/checkins/{today}", "body": PUT_BODY}
    call = request_caller(access_token_for(person))

    notes, moments = [], []
    for _ in range(3):
        assert call(target).startswith("200")
        checkin = CheckIn.objects.get(author=person, local_date=today)
        notes.append(checkin.shared_note)
        moments.append(checkin.updated_at)

    assert len(set(notes)) == 3  # three writes, each its own edit
    assert moments == sorted(moments) and len(set(moments)) == 3
    assert not any(EDIT_MARK in note for note in notes)
    assert EDIT_MARK in PUT_BODY["shared_note"]  # the template, never sent as it is
    assert edit_body("x")["shared_note"] != edit_body("y")["shared_note"]
    assert {key: value for key, value in edit_body().items() if key != "shared_note"} == {
        key: value for key, value in PUT_BODY.items() if key != "shared_note"
    }
