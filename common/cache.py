"""The shared cache (Redis) as the throttles and sign-in limits use it: failing open.

django-redis, told to ignore errors, answers a failed `add` with None. allauth's rate limits
take a short lock with `cache.add` before counting and, never getting it, refuse the attempt:
during a Redis outage every sign-in would answer 429. DESIGN: throttles fail open during an
outage (logged), so here a failed `add` grants the lock; the count that follows reads an empty
history and writes nowhere. Limits that must fail closed (invite codes) use the `strict` cache,
which raises instead."""

from __future__ import annotations

from typing import Any

import structlog
from django_redis.cache import RedisCache

logger = structlog.get_logger(__name__)


class FailOpenRedisCache(RedisCache):
    def add(self, *args: Any, **kwargs: Any) -> bool:
        added = super().add(*args, **kwargs)
        if added is None:  # the Redis error was ignored (and logged by django-redis)
            logger.warning("cache_unavailable_failing_open", operation="add")
            return True
        return bool(added)
