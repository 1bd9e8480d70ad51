import functools
import threading
import time
from typing import Any

import structlog
from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from common.net import client_ip

logger = structlog.get_logger(__name__)


class ClientAddressMixin:
    """Counts an address the way every other limit does (`common.net.client_ip`): a client
    rotating `X-Forwarded-For` is still one client, and behind the trusted proxies each client
    is counted apart."""

    def get_ident(self, request) -> str:
        return client_ip(request)


# Requests counted in their window on Redis: the count, and the milliseconds until the
# window closes, opening it (with its expiry) on its first request. A key found without an
# expiry (none is ever written so) is given one rather than counting for ever.
_WINDOW_SCRIPT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


@functools.lru_cache(maxsize=8)
def _window_script(client: Any) -> Any:
    """The script, registered with `client` (redis-py runs it by its SHA-1 and loads it
    again after a Redis restart emptied the script cache)."""
    return client.register_script(_WINDOW_SCRIPT)


def _redis_client(cache: Any) -> Any:
    """The Redis client behind a django-redis cache, or None for any other cache."""
    client_of = getattr(getattr(cache, "client", None), "get_client", None)
    return client_of(write=True) if client_of is not None else None


def _reserve(
    cache: Any, client: Any, key: str, seconds: int, counts: int
) -> tuple[int, float | None]:
    """Count `counts` requests in `key`'s window of `seconds` (the window opens at its first
    request): (the window's count after them, milliseconds until it closes, or None when the
    cache cannot tell). On Redis one command whatever the rate (`_WINDOW_SCRIPT`): three
    pipelined commands cost the web process twice the CPU of one (issue 17). DRF's own
    throttles keep a list of every request's time in the cache and read and rewrite all of it
    on each request: at 600 a minute, a pickled list of up to 600 floats each way. Other
    caches (the embedded `make run`, `client` None) count with add and incr."""
    if client is None:
        cache.add(key, 0, seconds)
        try:
            return cache.incr(key, counts), None
        except ValueError:  # expired between the two calls: a new window
            cache.add(key, counts, seconds)
            return counts, None
    redis_key = cache.make_and_validate_key(key)
    count, ms_left = _window_script(client)(keys=[redis_key], args=[seconds * 1000, counts])
    return int(count), float(ms_left)


# The most counts of one window a process reserves at once (`lease_size`).
LEASE_COUNTS = 10
# A lease closes this long before its window by the process's clock: Redis keeps time in
# whole milliseconds.
LEASE_MARGIN_SECONDS = 0.01
# Windows a process keeps reserved counts for; past it, the spent and closed ones are dropped
# (and, were all still open, all of them: a dropped lease only costs its unused counts).
MAX_LEASED_WINDOWS = 10_000


def lease_size(num_requests: int) -> int:
    """How many counts a process reserves in one call to Redis for a budget of
    `num_requests` a window: a sixtieth of the budget, at most LEASE_COUNTS, at least one (a
    small budget is counted one request at a time, exactly). A process never holds more than
    this unused, so with P processes serving one person the budget can refuse at most
    P x (size - 1) requests early, and never admits one past it."""
    return max(1, min(LEASE_COUNTS, num_requests // 60))


class CountLeases:
    """Counts of a window that this process reserved on Redis ahead of its requests and has
    not handed out yet, by window key: (next count, last count reserved, when the window
    closes by this process's clock). Each count is handed out once; the lease ends when its
    counts are spent or its window closes, whichever comes first. Shared by the process's
    threads (gunicorn's gthread), under one lock held for a dictionary look-up."""

    def __init__(self, max_windows: int = MAX_LEASED_WINDOWS) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, tuple[int, int, float]] = {}
        self._max_windows = max_windows

    def take(self, key: str) -> tuple[int, float] | None:
        """The next reserved count of `key`'s window and the seconds until the window closes,
        or None when this process holds none."""
        now = time.monotonic()
        with self._lock:
            held = self._held.pop(key, None)
            if held is None:
                return None
            count, last, closes = held
            if now >= closes:
                return None
            if count < last:
                self._held[key] = (count + 1, last, closes)
        return count, closes - now

    def hold(self, key: str, first: int, last: int, closes: float) -> None:
        """Keep counts first..last of `key`'s window, which closes at `closes` (monotonic),
        in place of any this process held for it."""
        if first > last:
            return
        with self._lock:
            if key not in self._held and len(self._held) >= self._max_windows:
                now = time.monotonic()
                self._held = {k: v for k, v in self._held.items() if v[2] > now}
                if len(self._held) >= self._max_windows:
                    self._held.clear()
            self._held[key] = (first, last, closes)

    def clear(self) -> None:
        with self._lock:
            self._held.clear()


_LEASES = CountLeases()


def forget_leases() -> None:
    """Drop every count this process holds (tests empty the cache between them)."""
    _LEASES.clear()


@receiver(setting_changed)
def _forget_leases_on_new_settings(*, setting: str, **kwargs: Any) -> None:
    if setting in ("CACHES", "REST_FRAMEWORK"):
        forget_leases()


def count_request(
    cache: Any, key: str, *, budget: int, seconds: int, leases: CountLeases = _LEASES
) -> tuple[int, float]:
    """Count one request in `key`'s window: (its count in the window, seconds until the
    window closes). A budget of 120 or more a window is counted in leases: one call
    to Redis reserves `lease_size(budget)` counts, this request takes the first and the
    process's next requests in the same window take the rest without a round trip (a
    phone's screen is several calls in a burst: one Redis command, not one each). Every
    admitted request still has a count of its own in the window that Redis keeps, so no
    window admits more than its budget, however many processes serve it.

    A lease ends a little before its window: it closes at the moment the command was sent
    plus the expiry Redis read (which Redis counts from when it ran the command, after it was
    sent), less LEASE_MARGIN_SECONDS: never after Redis's own. A cache that cannot tell
    its expiry (the embedded `make run`'s) is counted a request at a time."""
    taken = leases.take(key)
    if taken is not None:
        return taken
    client = _redis_client(cache)
    size = lease_size(budget) if client is not None else 1
    sent = time.monotonic()
    last, ms_left = _reserve(cache, client, key, seconds, size)
    if ms_left is None:
        return last, float(seconds)
    first = last - size + 1
    leases.hold(key, first + 1, last, sent + ms_left / 1000 - LEASE_MARGIN_SECONDS)
    return first, ms_left / 1000


class WindowThrottleMixin:
    """DRF's rate throttles, counted with `count_request` in fixed windows, failing open: a
    Redis outage never locks anyone out of their own data (DESIGN), it is logged."""

    cache: Any
    duration: int
    key: str | None
    num_requests: int
    rate: str | None
    scope: str | None

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)  # type: ignore[attr-defined]
        if self.key is None:
            return True
        try:
            count, self._wait = count_request(
                self.cache, self.key, budget=self.num_requests, seconds=self.duration
            )
        except Exception as exc:  # the cache is down: count nothing, refuse no one
            logger.warning(
                "throttle_cache_unavailable_failing_open", scope=self.scope, error=str(exc)
            )
            return True
        return count <= self.num_requests

    def wait(self) -> float:
        return float(self._wait)


class UserThrottle(WindowThrottleMixin, ClientAddressMixin, UserRateThrottle):
    """Per-person request budget, counted in the shared cache (Redis). Fails open: an
    outage never locks people out."""


class AnonThrottle(WindowThrottleMixin, ClientAddressMixin, AnonRateThrottle):
    """Per-address budget for the few endpoints open without a token."""


class FailClosedThrottle(ClientAddressMixin, SimpleRateThrottle):
    """For guessing-sensitive endpoints: counted in the `strict` cache, which raises on a
    Redis outage, and then refuses with 503 rather than letting guesses through uncounted."""

    setting_name = ""

    @property
    def cache(self):  # type: ignore[override]
        return caches["strict"]

    def get_rate(self) -> str:
        return getattr(settings, self.setting_name)

    def allow_request(self, request, view) -> bool:
        # Imported here: common.errors imports DRF's views, which load these throttles.
        from common.errors import ServiceUnavailable

        try:
            return super().allow_request(request, view)
        except Exception as exc:  # django-redis raises its own wrapper of the Redis error
            logger.warning("throttle_cache_unavailable", scope=self.scope, error=str(exc))
            raise ServiceUnavailable() from exc


class InviteCodeUserThrottle(FailClosedThrottle):
    scope = "invite_code_user"
    setting_name = "THROTTLE_INVITE_CODE_USER"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class InviteCodeIPThrottle(FailClosedThrottle):
    scope = "invite_code_ip"
    setting_name = "THROTTLE_INVITE_CODE_IP"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
