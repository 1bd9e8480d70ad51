"""How long `GET me/export` takes, and how many queries it runs, for a week and for a year
of daily use (the tests pin only the number of queries: no timed tests).

    .venv/bin/python bench/export_timing.py             # 7 and 365 days, 5 runs each
    .venv/bin/python bench/export_timing.py --days 30 365 730 --runs 10

A person and their partner are made with the test factories: a check-in a day (with a
private note, encrypted), a boundary and an agreement a month, an appreciation, a ping and a
notification a week. The export is asked for in-process (Django's test client, the whole
middleware stack). Uses the test settings with its own throwaway database
(`<DATABASE_URL's name>_export_bench`, created and dropped here) and an in-memory cache.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, nargs="+", default=[7, 365])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_export_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(
            CACHES={
                "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                "strict": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            },
            EXPORTS_PER_DAY=10_000,
        ):
            from tests.accounts.data_rights.test_export import _a_life_of
            from tests.factories import pair
            from tests.utils import client_for

            print(f"{'days':>6} {'queries':>8} {'bytes':>10} {'median ms':>10} {'max ms':>8}")
            for days in args.days:
                _couple, person, partner = pair()
                _a_life_of(person, partner, days)
                timings, size, queries = [], 0, 0
                for _ in range(args.runs):
                    client = client_for(person)
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get("/api/v1/me/export")
                        timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, response.content
                    size, queries = len(response.content), len(captured)
                print(
                    f"{days:>6} {queries:>8} {size:>10} "
                    f"{statistics.median(timings):>10.1f} {max(timings):>8.1f}"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
