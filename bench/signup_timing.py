"""Sign-up timing: an email that already has an account beside a new one, in one run.

    .venv/bin/python bench/signup_timing.py             # 30 of each, production hashing
    .venv/bin/python bench/signup_timing.py --runs 100

Issue 14 item 2: a sign-up must not tell who has an account, so both answers should take the
same time (each costs one password hash: see accounts.forms.SignupProfileForm.clean). This
posts to allauth's headless sign-up endpoint in-process (Django's test client, the whole
middleware stack), alternating a known email and a fresh one, with the production password
hasher (Argon2) rather than the test suite's fast one, and prints the median and p90 of each
and their ratio. Not a test: timings vary by machine; the suite asserts the hash count instead
(tests/accounts/test_signup_enumeration.py).

Uses the test settings with its own throwaway database (`<DATABASE_URL's name>_signup_bench`,
created and dropped here), an in-memory cache (no rate limits) and the in-memory mailbox.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("LOG_LEVEL", "ERROR")

SIGNUP = "/_allauth/app/v1/auth/signup"
PASSWORD = "a calm harbour at dusk"
PRODUCTION_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="sign-ups of each kind")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 401s are expected
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    from accounts.models import User

    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_signup_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(
            PASSWORD_HASHERS=PRODUCTION_HASHERS,
            CACHES={
                "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                "strict": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            },
            ACCOUNT_RATE_LIMITS=False,
        ):
            known_email = "known@example.com"
            User.objects.create_user(email=known_email, password=PASSWORD)
            timings: dict[str, list[float]] = {"known email": [], "new email": []}
            for run in range(-3, args.runs):  # three warm-up rounds, not counted
                for label in ("known email", "new email"):
                    email = known_email if label == "known email" else f"new{run + 3}@example.com"
                    client = Client()
                    started = time.perf_counter()
                    response = client.post(
                        SIGNUP,
                        {
                            "email": email,
                            "password": "a brand new quiet evening",
                            "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
                            "consent_sensitive_data": True,
                            "age_confirmed": True,
                        },
                        content_type="application/json",
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                    assert response.status_code == 401, response.content  # verification pending
                    if run >= 0:
                        timings[label].append(elapsed)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"sign-up, {args.runs} of each, hasher {PRODUCTION_HASHERS[0].rsplit('.', 1)[-1]}")
    print(f"{'path':<14}{'median ms':>12}{'p90 ms':>10}{'min ms':>10}")
    for label, values in timings.items():
        print(
            f"{label:<14}{statistics.median(values):>12.1f}"
            f"{_percentile(values, 0.9):>10.1f}{min(values):>10.1f}"
        )
    ratio = statistics.median(timings["new email"]) / statistics.median(timings["known email"])
    print(f"ratio new/known (medians): {ratio:.2f}")


if __name__ == "__main__":
    main()
