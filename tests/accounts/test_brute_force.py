"""Guessing passwords: allauth's limits, counted in the shared Redis cache (how failures are
counted, and the right password never refused: test_sign_in_limits.py)."""

import json
import os
import subprocess
import sys

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tests.utils import APP, login, test_database_url

WRONG = {"password": "not the right one 1"}


def _attempt(email: str, password: str, ip: str = "203.0.113.7"):
    return APIClient().post(
        f"{APP}/auth/login", {"email": email, "password": password}, format="json", REMOTE_ADDR=ip
    )


def test_a_flood_from_one_address_gets_429_with_retry_after(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [_attempt(f"p{n}@example.com", WRONG["password"]).status_code for n in range(4)]
    assert statuses[:3] == [400, 400, 400]
    flooded = _attempt("p9@example.com", WRONG["password"])
    assert flooded.status_code == 429
    assert int(flooded["Retry-After"]) > 0


# serialized_rollback: the flush after a transactional test would drop migration-seeded rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rate_limit_counts_are_shared_between_two_app_processes(settings):
    """Two app processes see the same counters: they live in Redis, not process memory."""
    user = UserFactory()
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        assert _attempt("someone@example.com", WRONG["password"]).status_code == 400

    script = f"""
import django, json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
django.setup()
from django.conf import settings
settings.ACCOUNT_RATE_LIMITS = {{**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}}
from django.test import Client
r = Client().post("{APP}/auth/login", json.dumps({{"email": "{user.email}",
    "password": "{PASSWORD}"}}), content_type="application/json",
    REMOTE_ADDR="203.0.113.7")
print(json.dumps({{"status": r.status_code}}))
"""
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": test_database_url(),
        # The same Redis as this process: the counters are what is being shared.
        "TEST_REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379"),
        "PYTEST_XDIST_WORKER": os.environ.get("PYTEST_XDIST_WORKER", "gw0"),
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    status = json.loads(out.stdout.strip().splitlines()[-1])["status"]
    # The other process refuses even a correct password: the address used up its budget here.
    assert status == 429
    # And this process still can sign in from another address.
    login(APIClient(), user.email, PASSWORD, REMOTE_ADDR="192.0.2.1")
