"""Nudge planner and delivery benchmark, on the real models and a real worker.

    make bench-nudges            # 1,000,000 and 100,000 people, 2,000 due in the minute
    .venv/bin/python bench/nudges_planner.py --people 1000000 100000 --due 2000 --deliver 20000

For each population it loads people (COPY into the real tables) spread over real time zones
the way people are (most in a dozen zones), with exactly `--due` of them due in the measured
minute, and times the planner's tick (plan + claim + fan-out) three times. It prints the
EXPLAIN ANALYZE of the due-set query, then starts one Celery worker (solo pool) and measures
inbox delivery in nudges/s beside the same worker's rate for a no-op task, in the same run.
Uses its own database (haven_bench) and Redis db 14; loopback only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = os.environ.get("BENCH_DATABASE", "haven_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.local",
    "DATABASE_URL": f"{PG}/{DB}",
    "REDIS_URL": REDIS,
    "CELERY_BROKER_URL": REDIS,
    "DJANGO_DEBUG": "false",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

# Where people are: a dozen zones hold most of them, the rest spread over every other zone.
BIG_ZONES = {
    "America/New_York": 14,
    "America/Chicago": 8,
    "America/Los_Angeles": 9,
    "America/Sao_Paulo": 6,
    "America/Mexico_City": 5,
    "Europe/London": 7,
    "Europe/Berlin": 9,
    "Europe/Paris": 6,
    "Asia/Kolkata": 10,
    "Asia/Tokyo": 5,
    "Asia/Shanghai": 4,
    "Australia/Sydney": 3,
}
BIG_SHARE = 0.86
MINUTE = dt.datetime(2026, 11, 25, 19, 0, tzinfo=dt.UTC)  # the measured minute


def _create_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        check=True,
        env={**os.environ, **ENV},
    )


def _zones(rng: random.Random, count: int) -> list[str]:
    others = sorted(zoneinfo.available_timezones() - set(BIG_ZONES))
    big = list(BIG_ZONES)
    weights = list(BIG_ZONES.values())
    return [
        rng.choices(big, weights)[0] if rng.random() < BIG_SHARE else rng.choice(others)
        for _ in range(count)
    ]


def _load_people(count: int, due: int, seed: int = 7) -> None:
    """COPY `count` people and their nudge settings; exactly `due` are due at MINUTE."""
    from django.db import connection

    rng = random.Random(seed)  # noqa: S311 - reproducible bench data, not a secret
    zones = _zones(rng, count)
    due_rows = set(rng.sample(range(count), due))
    local_at_minute = {z: MINUTE.astimezone(zoneinfo.ZoneInfo(z)).time() for z in set(zones)}
    users, prefs = io.StringIO(), io.StringIO()
    joined = "2026-01-01 00:00:00+00"
    for i, zone in enumerate(zones):
        pk = uuid.UUID(int=rng.getrandbits(128), version=4)
        users.write(
            f"{pk}\t!\tf\tbench{i}@example.com\tP{i}\t{zone}\ten\tf\tt\t{joined}\t{joined}\n"
        )
        due_time = local_at_minute[zone].replace(second=0)
        if i in due_rows:
            at = due_time
        else:  # any other minute of the day
            minute = rng.randrange(1439)
            at = dt.time(minute // 60, minute % 60)
            if at >= due_time:
                at = (dt.datetime.combine(dt.date(2000, 1, 1), at) + dt.timedelta(minutes=1)).time()
        prefs.write(
            f'{pk}\t{zone}\t{at:%H:%M}\t00:00\t00:00\t["push", "email"]\t[]\t1\t5\t'
            f'["coach_note"]\tt\tf\t0\t{joined}\n'
        )
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE accounts_user CASCADE")
        cursor.execute("TRUNCATE nudges_plannerrun")
        raw = cursor.cursor
        with raw.copy(
            "COPY accounts_user (id, password, is_superuser, email, display_name, time_zone,"
            " locale, is_staff, is_active, date_joined, updated_at) FROM STDIN"
        ) as copy:
            copy.write(users.getvalue())
        with raw.copy(
            "COPY nudges_nudgesettings (user_id, time_zone, checkin_time, quiet_start, quiet_end,"
            " channels, opted_out_kinds, daily_cap, weekly_cap, space_allowed_kinds, discreet,"
            " quiet_exit, checkin_reminders_ignored, updated_at) FROM STDIN"
        ) as copy:
            copy.write(prefs.getvalue())
        cursor.execute("ANALYZE")


def _flush_broker() -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def _time_ticks(runs: int = 3) -> list[float]:
    from django.db import connection

    from nudges.models import Nudge, PlannerRun
    from nudges.planner import planner_tick

    times = []
    for _ in range(runs):
        Nudge.objects.all().delete()
        PlannerRun.objects.all().delete()
        _flush_broker()
        connection.close()  # each tick starts as a fresh task would
        start = time.perf_counter()
        result = planner_tick(MINUTE + dt.timedelta(seconds=5))
        times.append(time.perf_counter() - start)
    print(f"    last tick: {result}")
    return times


def _explain() -> str:
    from django.db import connection

    from nudges.planner import due_people_query

    sql, params = due_people_query(MINUTE).values("user_id", "time_zone").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _start_worker(log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "bench.noop_app",
            "worker",
            "-P",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env={**os.environ, **ENV},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _drained() -> bool:
    import redis

    client = redis.Redis.from_url(REDIS)
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


def _wait(predicate, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the worker did not finish in time")
        time.sleep(0.05)


def _delivery_rates(count: int) -> tuple[float, float]:
    """(no-op tasks/s, nudges delivered/s) through one solo worker, in the same run."""
    from django.utils import timezone

    from accounts.models import User
    from bench.noop_app import noop
    from nudges.models import Nudge
    from nudges.planner import nudges_claim_due
    from nudges.publish import publish
    from nudges.tasks import deliver_nudges

    log = ROOT / "var" / "bench-worker.log"
    log.parent.mkdir(exist_ok=True)
    worker = _start_worker(log)
    try:
        noop.delay()
        _wait(_drained, 60)  # the worker is up and idle
        start = time.perf_counter()
        for _ in range(count):
            noop.apply_async()
        _wait(_drained)
        noop_rate = count / (time.perf_counter() - start)

        Nudge.objects.all().delete()
        now = timezone.now()
        people = list(User.objects.values_list("pk", flat=True)[:count])
        Nudge.objects.bulk_create(
            [
                Nudge(
                    recipient_id=pk,
                    kind="ping",
                    nudge_class="relayed",
                    subject_id=uuid.uuid4(),
                    local_date=now.date(),
                    due_at=now,
                )
                for pk in people
            ],
            batch_size=5000,
        )
        start = time.perf_counter()
        ids = nudges_claim_due(timezone.now(), count)
        size = 500
        for i in range(0, len(ids), size):
            publish(deliver_nudges, ids[i : i + size], on_commit=False)
        _wait(lambda: not Nudge.objects.filter(state="pending").exists())
        nudge_rate = len(ids) / (time.perf_counter() - start)
        sent = Nudge.objects.filter(state="sent").count()
        print(f"    delivered {sent} of {len(ids)} nudges (inbox rows written once each)")
        return noop_rate, nudge_rate
    finally:
        worker.terminate()
        worker.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1_000_000, 100_000])
    parser.add_argument("--due", type=int, default=2000)
    parser.add_argument("--deliver", type=int, default=20_000)
    args = parser.parse_args()

    _create_database()
    import django

    django.setup()
    ticks: dict[int, list[float]] = {}
    for people in args.people:
        print(f"== {people:,} people, {args.due:,} due at {MINUTE:%Y-%m-%d %H:%M} UTC")
        started = time.perf_counter()
        _load_people(people, args.due)
        print(f"    loaded in {time.perf_counter() - started:.1f} s")
        ticks[people] = _time_ticks()
        print(f"    tick times (s): {', '.join(f'{t:.3f}' for t in ticks[people])}")
        print("    EXPLAIN ANALYZE of the due-set query:")
        print("\n".join(f"      {line}" for line in _explain().splitlines()))
    noop_rate, nudge_rate = _delivery_rates(args.deliver)

    print("\n| measure | value |\n|---|---|")
    for people, times in ticks.items():
        print(
            f"| planner tick, {people:,} people, {args.due:,} due (median of 3) | "
            f"{statistics.median(times) * 1000:.0f} ms |"
        )
    if len(ticks) == 2:
        (big, big_t), (small, small_t) = sorted(ticks.items(), reverse=True)
        ratio = statistics.median(big_t) / statistics.median(small_t)
        print(f"| tick ratio {big:,} / {small:,} (goal < 2) | {ratio:.2f} |")
    print(f"| no-op Celery task, one worker | {noop_rate:,.0f} tasks/s |")
    print(f"| inbox delivery, one worker, batches of 500 | {nudge_rate:,.0f} nudges/s |")
    print(f"| delivery / no-op (goal > 1) | {nudge_rate / noop_rate:.1f}x |")


if __name__ == "__main__":
    main()
