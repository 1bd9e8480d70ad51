"""`make bench-inprocess`'s arithmetic and its requests (bench/inprocess.py): each row keeps
its best round, shares are of the same checkout's bare floor, and a request looks as
gunicorn hands it to Django behind the TLS proxy."""

import json

from bench.inprocess import BARE, STACK, _environ, best_of, render


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
