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
