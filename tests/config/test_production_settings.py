"""Production refuses to start without real secrets and hosts."""

import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

from config.settings.base import _dev_field_encryption_key as DEV_KEY

GOOD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "api.haven.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "TRUSTED_PROXY_COUNT": "1",
    "PATH": "/usr/bin:/bin",
}


def _load(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_production_starts_with_real_settings():
    result = _load(GOOD)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": "*"}, "DJANGO_ALLOWED_HOSTS"),
        ({"REDIS_URL": None}, "REDIS_URL"),
        # Which address every limit counts depends on it: a deployment must say.
        ({"TRUSTED_PROXY_COUNT": None}, "TRUSTED_PROXY_COUNT"),
        ({"CELERY_BROKER_URL": None}, "CELERY_BROKER_URL"),
        ({"FIELD_ENCRYPTION_KEYS": None}, "FIELD_ENCRYPTION_KEYS"),
        ({"FIELD_ENCRYPTION_KEYS": f"{Fernet.generate_key().decode()},{DEV_KEY}"}, "dev key"),
        ({"FIELD_ENCRYPTION_KEYS": "not-a-key"}, "FIELD_ENCRYPTION_KEYS"),
    ],
)
def test_production_refuses_to_start_without(change, complaint):
    env = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    result = _load(env)
    assert result.returncode != 0
    assert complaint in result.stderr


def _production_setting(expression: str, **change: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**GOOD, **change},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_production_checks_database_health_only_when_asked():
    """A health check is a round trip before every request's first query (issue 17)."""
    health = "settings.DATABASES['default']['CONN_HEALTH_CHECKS']"
    assert _production_setting(health) == "False"
    assert _production_setting(health, DATABASE_HEALTH_CHECKS="true") == "True"


def test_production_prepares_statements_unless_a_pooler_cannot_keep_them():
    """Values bound on the server and repeated statements prepared once per connection
    (issue 17: planning was most of the database's time on the hot reads); off for a pooler
    in transaction mode that does not track prepared statements."""
    options = "sorted(settings.DATABASES['default']['OPTIONS'].items())"
    assert _production_setting(options) == str(
        [("prepare_threshold", 1), ("server_side_binding", True)]
    )
    assert _production_setting(options, DATABASE_PREPARED_STATEMENTS="false") == "[]"


def test_production_logs_each_request_once_from_the_outermost_middleware():
    assert _production_setting("settings.MIDDLEWARE[0]") == "common.middleware.RequestLogMiddleware"
    assert (
        _production_setting(
            "'django_structlog.middlewares.RequestMiddleware' in settings.MIDDLEWARE"
        )
        == "False"
    )
