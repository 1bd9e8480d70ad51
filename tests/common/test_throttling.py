"""The request budgets (common.throttling): counted in fixed windows in the shared cache, one
Redis round trip and one integer per window whatever the rate, failing open. A budget of more
than a request a second is counted in leases: a process reserves a few counts of the window
at once and hands them out to its next requests."""

import logging
import threading
import time

import pytest
from django.core.cache import cache

from common.throttling import (
    AnonThrottle,
    CountLeases,
    UserThrottle,
    count_request,
    forget_leases,
    lease_size,
)
from tests.factories import UserFactory
from tests.utils import client_for

pytestmark = pytest.mark.django_db


def window_count(cache, key: str, seconds: int) -> tuple[int, float]:
    """One request counted exactly (a budget too small for a lease): the window's count so
    far and the seconds until it closes."""
    return count_request(cache, key, budget=1, seconds=seconds, leases=CountLeases())


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


# --- leases: a few counts reserved at once -------------------------------------------------


def test_a_lease_is_a_sixtieth_of_the_budget_between_one_and_ten():
    assert [lease_size(n) for n in (1, 3, 59, 60, 120, 599, 600, 10**8)] == [
        1,
        1,
        1,
        1,
        2,
        9,
        10,
        10,
    ]


def _evalsha_calls(monkeypatch) -> list[str]:
    client = cache.client.get_client(write=True)
    sent: list[str] = []
    execute = client.execute_command
    monkeypatch.setattr(
        client, "execute_command", lambda *a, **kw: sent.append(a[0]) or execute(*a, **kw)
    )
    return sent


def test_a_burst_of_calls_asks_redis_once_a_lease(monkeypatch):
    """600 a minute (the default budget): a screen's burst of calls is counted by one
    Redis command for every ten of them, and Redis holds every count reserved."""
    assert UserThrottle().num_requests == 600
    person = UserFactory()
    client = client_for(person)
    client.get("/api/v1/me")  # Redis knows the script
    cache.clear()
    forget_leases()
    sent = _evalsha_calls(monkeypatch)

    statuses = {client.get("/api/v1/me").status_code for _ in range(25)}

    assert statuses == {200}
    assert sent == ["EVALSHA"] * 3
    assert cache.get(f"throttle_user_{person.pk}") == 30


def test_no_window_admits_more_than_its_budget_however_many_processes_count_it():
    """Three processes (three lease stores) taking turns on one person's window: every
    admitted request has a count of its own in Redis, none beyond the budget, and the budget
    refuses at most 3 x 9 requests early."""
    processes = [CountLeases(), CountLeases(), CountLeases()]
    counts = [
        count_request(cache, "throttle_test_shared", budget=600, seconds=60, leases=leases)[0]
        for _ in range(300)
        for leases in processes
    ]

    admitted = [count for count in counts if count <= 600]
    assert len(admitted) == len(set(admitted))
    assert 600 - 3 * 9 <= len(admitted) <= 600
    assert max(counts) <= cache.get("throttle_test_shared")


def test_a_refusal_from_a_lease_says_when_the_window_closes():
    leases = CountLeases()
    answers = [
        count_request(cache, "throttle_test_refused", budget=120, seconds=60, leases=leases)
        for _ in range(121)
    ]

    count, seconds_left = answers[-1]
    assert [c for c, _ in answers] == list(range(1, 122))
    assert count > 120
    assert 59 < seconds_left <= 60


def test_a_lease_ends_with_its_window():
    leases = CountLeases()
    key = "throttle_test_lease_window"
    first = [count_request(cache, key, budget=600, seconds=1, leases=leases) for _ in range(3)]
    assert [count for count, _ in first] == [1, 2, 3]
    assert all(0 < seconds_left <= 1 for _, seconds_left in first)
    assert cache.get(key) == 10  # a lease of ten, three handed out
    time.sleep(1.1)

    count, _seconds_left = count_request(cache, key, budget=600, seconds=1, leases=leases)

    assert count == 1
    assert cache.get(key) == 10  # a new window, a new lease


def test_a_lease_closes_no_later_than_the_window_redis_keeps(monkeypatch):
    """The lease's end is the moment the command was sent plus the expiry Redis read (which
    Redis counts from when it ran the command, after it was sent): never after the key's own
    expiry, however long the answer took to come back."""
    import common.throttling as throttling

    reserve = throttling._reserve

    def slow_reply(*args):
        answer = reserve(*args)
        time.sleep(0.3)
        return answer

    monkeypatch.setattr(throttling, "_reserve", slow_reply)
    leases = CountLeases()
    key = "throttle_test_lease_end"

    before_sending = time.monotonic()
    count_request(cache, key, budget=600, seconds=1, leases=leases)
    _count, lease_left = leases.take(key)
    lease_closes = time.monotonic() + lease_left

    assert lease_closes <= before_sending + 1.0  # not a second after the reply came back


def test_threads_of_one_process_never_share_a_count():
    leases = CountLeases()
    counts: list[int] = []

    def requests():
        for _ in range(200):
            counts.append(
                count_request(
                    cache, "throttle_test_threads", budget=10**6, seconds=60, leases=leases
                )[0]
            )

    threads = [threading.Thread(target=requests) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(counts) == len(set(counts)) == 1600
    assert max(counts) <= cache.get("throttle_test_threads")


def test_a_lease_is_spent_through_a_redis_outage_then_the_budget_fails_open(monkeypatch, caplog):
    """Redis goes down after a lease of ten was reserved: its nine other counts are handed
    out as before, then every request is let through uncounted, each one logged."""
    import common.throttling as throttling

    client = client_for(UserFactory())
    assert client.get("/api/v1/me").status_code == 200  # a lease of ten: nine left

    def redis_down(*args):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(throttling, "_reserve", redis_down)
    caplog.set_level(logging.WARNING, logger="common.throttling")

    statuses = [client.get("/api/v1/me").status_code for _ in range(12)]

    assert statuses == [200] * 12
    outages = [r for r in caplog.records if r.name == "common.throttling"]
    assert [r.msg["event"] for r in outages] == ["throttle_cache_unavailable_failing_open"] * 3


def test_the_embedded_cache_is_counted_a_request_at_a_time(settings):
    """A cache that cannot tell its window's end holds no lease: counted exactly."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    from django.core.cache import cache as local

    leases = CountLeases()
    counts = [
        count_request(local, "throttle_test_embedded", budget=600, seconds=60, leases=leases)[0]
        for _ in range(3)
    ]

    assert counts == [1, 2, 3]
    assert local.get("throttle_test_embedded") == 3


def test_the_leases_kept_are_bounded():
    leases = CountLeases(max_windows=3)
    now = time.monotonic()
    leases.hold("closed", 2, 10, now - 1)
    for key in ("a", "b"):
        leases.hold(key, 2, 10, now + 60)

    leases.hold("c", 2, 10, now + 60)  # the closed one makes room
    assert [leases.take(key)[0] for key in ("a", "b", "c")] == [2, 2, 2]
    assert leases.take("closed") is None

    leases.hold("d", 2, 10, now + 60)  # all open: all dropped for the new one
    assert [leases.take(key) for key in ("a", "b", "c")] == [None, None, None]
    assert leases.take("d")[0] == 2
