import functools
from typing import Any

import structlog
from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from common.net import client_ip

logger = structlog.get_logger(__name__)


class ClientAddressMixin:
    """Counts an address the way every other limit does (`common.net.client_ip`): a client
    rotating `X-Forwarded-For` is still one client, and behind the trusted proxies each client
    is counted apart."""

    def get_ident(self, request) -> str:
        return client_ip(request)


# One request counted in its window on Redis: the count, and the seconds until the window
# closes, opening it (with its expiry) on its first request. A key found without an expiry
# (none is ever written so) is given one rather than counting for ever.
_WINDOW_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


@functools.lru_cache(maxsize=8)
def _window_script(client: Any) -> Any:
    """The script, registered with `client` (redis-py runs it by its SHA-1 and loads it
    again after a Redis restart emptied the script cache)."""
    return client.register_script(_WINDOW_SCRIPT)


def window_count(cache: Any, key: str, seconds: int) -> tuple[int, int]:
    """Count one request in `key`'s window of `seconds` (the window opens at its first
    request) and return (requests in the window so far, seconds until it closes).

    On Redis this is one command whatever the rate: a script (`_WINDOW_SCRIPT`) that
    increments, reads the expiry and sets it on the window's first request. Three pipelined
    commands cost the web process twice the CPU of one (~55 against ~37 µs, issue 17). DRF's
    own throttles keep a list of every request's time in the cache and read and rewrite all
    of it on each request: at 600 a minute, a pickled list of up to 600 floats each way.
    Other caches (the embedded `make run`) count with add and incr."""
    client_of = getattr(getattr(cache, "client", None), "get_client", None)
    if client_of is None:
        cache.add(key, 0, seconds)
        try:
            return cache.incr(key), seconds
        except ValueError:  # expired between the two calls: a new window
            cache.add(key, 1, seconds)
            return 1, seconds
    client = client_of(write=True)
    count, ttl = _window_script(client)(keys=[cache.make_and_validate_key(key)], args=[seconds])
    return int(count), max(int(ttl), 1)


class WindowThrottleMixin:
    """DRF's rate throttles, counted with `window_count` in fixed windows, failing open: a
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
            count, self._wait = window_count(self.cache, self.key, self.duration)
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
