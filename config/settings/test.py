"""The test suite: real PostgreSQL and Redis (127.0.0.1 by default), fast hashing."""

import os

from .base import *  # noqa: F403
from .base import env, postgresql_tuned

# As in production: health checks and prepared statements as `base.postgresql_tuned` says.
DATABASES = {
    "default": postgresql_tuned(
        env.dj_db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/haven")
    )
}
# Each xdist worker gets its own Redis database (and pytest-django its own PostgreSQL database),
# so rate-limit counters never leak between parallel workers.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_worker_index = int(_worker[2:]) if _worker.startswith("gw") else 0
_redis_base = env.str("TEST_REDIS_URL", "redis://127.0.0.1:6379")
REDIS_URL = f"{_redis_base}/{1 + _worker_index % 15}"
CACHES = {
    "default": {
        # Fails open while Redis is down, as in production (common/cache.py).
        "BACKEND": "common.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "haven-test",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}
CACHES["strict"] = {
    **CACHES["default"],
    "BACKEND": "django_redis.cache.RedisCache",
    "OPTIONS": {**CACHES["default"]["OPTIONS"], "IGNORE_EXCEPTIONS": False},
}
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOG_FORMAT = env.str("LOG_FORMAT", "console")
LOGGING["handlers"]["default"]["formatter"] = LOG_FORMAT
LOGGING["root"]["level"] = env.str("LOG_LEVEL", "WARNING")
# Push records instead of sending (tests that need firebase-admin itself switch it on).
NUDGE_CHANNELS = {
    "push": "nudges.channels.push.RecordingPushBackend",
    "email": "nudges.channels.email.EmailChannel",
}
PUBLIC_BASE_URL = "http://testserver"
