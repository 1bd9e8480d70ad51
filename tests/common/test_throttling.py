"""The request budgets (common.throttling): counted in fixed windows in the shared cache, one
Redis round trip and one integer per window whatever the rate, failing open."""

import time

import pytest
from django.core.cache import cache

from common.throttling import AnonThrottle, UserThrottle, window_count
from tests.factories import UserFactory
from tests.utils import client_for

pytestmark = pytest.mark.django_db


def test_the_budget_refuses_past_its_rate_with_the_windows_remaining_seconds(monkeypatch):
    monkeypatch.setattr(UserThrottle, "rate", "3/min", raising=False)
    client = client_for(UserFactory())

    statuses = [client.get("/api/v1/me").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/me")
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60


def test_each_person_has_their_own_budget(monkeypatch):
    monkeypatch.setattr(UserThrottle, "rate", "1/min", raising=False)
    first, second = client_for(UserFactory()), client_for(UserFactory())

    assert [first.get("/api/v1/me").status_code for _ in range(2)] == [200, 429]
    assert second.get("/api/v1/me").status_code == 200


def test_a_window_holds_one_integer_however_many_requests_it_counted():
    """DRF's own throttle rewrote a list of every request's time on each request; a window
    here is one counter in Redis, so a busy person costs what a quiet one does."""
    key = "throttle_test_one_integer"
    cache.delete(key)

    counts = [window_count(cache, key, 60)[0] for _ in range(50)]

    assert counts == list(range(1, 51))
    assert cache.get(key) == 50
    raw = cache.client.get_client().get(cache.make_and_validate_key(key))
    assert raw == b"50"


def test_a_new_window_opens_when_the_last_one_closes():
    key = "throttle_test_new_window"
    cache.delete(key)
    assert window_count(cache, key, 1)[0] == 1
    assert window_count(cache, key, 1)[0] == 2
    time.sleep(1.2)

    count, seconds_left = window_count(cache, key, 1)

    assert count == 1
    assert seconds_left == 1


def test_the_window_does_not_grow_with_refused_requests():
    """Requests refused inside a window never push its end further away."""
    key = "throttle_test_fixed_end"
    cache.delete(key)
    window_count(cache, key, 60)
    cache.client.get_client().expire(cache.make_and_validate_key(key), 5)

    _count, seconds_left = window_count(cache, key, 60)

    assert seconds_left <= 5


def test_other_caches_count_the_same_way(settings):
    """The embedded `make run` has no Redis: the same counting with add and incr."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    from django.core.cache import cache as local

    assert [window_count(local, "k", 60)[0] for _ in range(3)] == [1, 2, 3]


def test_the_anonymous_budget_counts_by_address(monkeypatch):
    monkeypatch.setattr(AnonThrottle, "get_rate", lambda self: "1/min")
    from rest_framework.test import APIClient

    client = APIClient()
    first = client.post("/api/v1/unsubscribe/not-a-token", REMOTE_ADDR="192.0.2.44").status_code
    second = client.post("/api/v1/unsubscribe/not-a-token", REMOTE_ADDR="192.0.2.44").status_code
    other = client.post("/api/v1/unsubscribe/not-a-token", REMOTE_ADDR="192.0.2.45").status_code

    assert (first, second, other) == (400, 429, 400)


def test_the_counters_replies_are_parsed_by_hiredis():
    """Every API call's throttle reply is read by hiredis's C parser (requirements.txt),
    which redis-py picks by itself when it is installed."""
    from redis._parsers import _HiredisParser

    key = "throttle_test_parser"
    cache.delete(key)
    assert window_count(cache, key, 60)[0] == 1
    pool = cache.client.get_client(write=True).connection_pool
    connection = pool.get_connection()
    try:
        assert isinstance(connection._parser, _HiredisParser)
    finally:
        pool.release(connection)


def test_a_count_is_one_command_to_redis(monkeypatch):
    """The window is counted by one script call (an increment, the expiry read, and set on
    the window's first request), not by a pipeline of three commands."""
    key = "throttle_test_one_command"
    cache.delete(key)
    window_count(cache, "throttle_test_loads_the_script", 60)  # Redis knows the script
    client = cache.client.get_client(write=True)
    sent: list[str] = []
    execute = client.execute_command
    monkeypatch.setattr(
        client, "execute_command", lambda *a, **kw: sent.append(a[0]) or execute(*a, **kw)
    )

    assert window_count(cache, key, 60) == (1, 60)
    assert window_count(cache, key, 60)[0] == 2

    assert sent == ["EVALSHA", "EVALSHA"]


def test_a_window_found_without_an_expiry_is_given_one():
    key = "throttle_test_no_expiry"
    redis_key = cache.make_and_validate_key(key)
    client = cache.client.get_client(write=True)
    client.set(redis_key, 7)  # as if written by hand, or by an older release

    count, seconds_left = window_count(cache, key, 60)

    assert count == 8
    assert seconds_left == 60
    assert 0 < client.ttl(redis_key) <= 60


def test_counting_goes_on_after_redis_forgot_the_script():
    """A restarted Redis has no scripts loaded: redis-py loads it again and the count goes on."""
    key = "throttle_test_script_flush"
    cache.delete(key)
    assert window_count(cache, key, 60)[0] == 1
    cache.client.get_client(write=True).script_flush()

    assert window_count(cache, key, 60)[0] == 2
