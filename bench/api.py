"""`make bench`: Haven's API under load beside three floors, in one run, on this machine.

    make bench                                         # 10,000 couples, 10 s per endpoint
    .venv/bin/python bench/api.py --couples 1000 --duration 3
    .venv/bin/python bench/api.py --reseed             # seed again even if the database has N
    .venv/bin/python bench/api.py --profile            # instead: pyinstrument and EXPLAIN

What it does, loopback only, every process its own and stopped at the end (Ctrl-C too):
1. seeds N couples (bench/seed.py; BENCH_COUPLES or --couples) into its own database,
   reusing one already seeded with N, then vacuums and analyzes it (`bench.seed.settle`);
2. starts three gunicorns with config/gunicorn.py (gthread, 2 workers x 4 threads): Haven
   with production settings, the Haven-stack floor (bench/haven_floor.py), which also serves
   the signed-in floor (a DRF view with the API's defaults and no work of its own,
   bench/haven_floor_views.py), and the bare floor (bench/floor/), plus a Celery worker;
   secrets are throwaway ones made here;
3. signs the demo person in through allauth's app login (a real access token), checks that
   every endpoint answers 2xx, then per endpoint warms up and runs wrk (8 connections,
   2 threads, --duration seconds) with bench/wrk.lua setting the token and the PUT's body
   (each PUT an edit of the day's check-in: `EDIT_MARK`);
   the floors run before and after the endpoints, and count as the mean of the two;
4. counts SQL statements per request in-process (Django's test client, same token, same
   database) and prints one table: req/s, p50, p99, queries, the share of each floor (the
   signed-in floor's as "% s-in": how much of the row is the endpoint's own work), and the
   issue's goal for each row; then the peak RSS of a web worker and of the Celery worker.
   The same goes to var/bench/last.json.

Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/haven_bench, created
when missing); Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379/13); ports 8151-8153.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "var" / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
WRK = os.environ.get("HAVEN_WRK", "/usr/bin/wrk")
WRK_SCRIPT = ROOT / "bench" / "wrk.lua"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haven_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
HOST = "127.0.0.1"
PORTS = {"haven": 8151, "haven_floor": 8152, "bare_floor": 8153}
BARE_FLOOR, STACK_FLOOR, SIGNED_IN_FLOOR = "bare_floor", "haven_floor", "signed_in_floor"


@dataclass(frozen=True)
class Floor:
    """A view a run compares the endpoints with: its row, the gunicorn serving it (`PORTS`),
    its Django settings, its path, and whether it is called with the demo person's token."""

    label: str
    server: str
    settings: str
    path: str
    signed_in: bool = False


# The floors of every run, `make bench`'s and in-process (bench/inprocess.py). The signed-in
# floor is a DRF view with the API's defaults and no work of its own
# (bench/haven_floor_views.py), served beside the Haven-stack floor: what the sign-in and DRF
# cost every endpoint, so that what is left of a row is the endpoint's own work.
FLOORS = {
    BARE_FLOOR: Floor("bare Django floor", "bare_floor", "bench.floor.settings", "/floor"),
    STACK_FLOOR: Floor(
        "Haven-stack floor", "haven_floor", "bench.haven_floor", "/api/v1/_bench/floor"
    ),
    SIGNED_IN_FLOOR: Floor(
        "signed-in floor",
        "haven_floor",
        "bench.haven_floor",
        "/api/v1/_bench/signed-in",
        signed_in=True,
    ),
}
CONNECTIONS = 8
THREADS = 2
LOGIN = "/_allauth/app/v1/auth/login"
# Every PUT the bench sends edits the day's check-in: its shared note carries a mark of its own
# (EDIT_MARK, filled in per request by `edit_body`, bench/wrk.lua and the in-process callers).
# Sending the same check-in again changes nothing and writes nothing (checkins.services), so a
# fixed body measured a resend, not a write (it did from issue 17's first round to its twelfth).
EDIT_MARK = "{edit}"
PUT_BODY = {
    "mood": 4,
    "energy": 3,
    "dial": 1,
    "capacity": "light",
    "shared_note": f"A steady day (edit {EDIT_MARK}).",
}
_EDITS = itertools.count(1)


def edit_body(mark: object = None, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """`body` (PUT_BODY unless given) with `mark` (by default the process's next number) in
    place of each text's EDIT_MARK."""
    text = str(next(_EDITS) if mark is None else mark)
    return {
        name: value.replace(EDIT_MARK, text) if isinstance(value, str) else value
        for name, value in (PUT_BODY if body is None else body).items()
    }


# The goals, as shares of the bare floor (same run) and statements per request.
SINGLE_READ, LIST_READ, WRITE = "single", "list", "write"
GOAL_SHARE = {SINGLE_READ: 50.0, LIST_READ: 30.0, WRITE: 20.0}
GOAL_QUERIES = {SINGLE_READ: 4, LIST_READ: 4, WRITE: 8}
GOAL_STACK_SHARE = 80.0  # the Haven-stack floor, as a share of the bare one
GOAL_P99_FACTOR = 3.0  # an endpoint's p99 against the bare floor's


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # under /api/v1/; "{today}" is the demo person's date
    kind: str
    people: int = 1  # more: each request as the next of that many people (`people_tokens`)

    def url_path(self, today: dt.date) -> str:
        return "/api/v1/" + self.path.format(today=today.isoformat())


PEOPLE = 24  # the second PUT row's writers, each in their own couple
PROFILED = {"GET checkins/today", "GET checkins?page_size=20", "GET couple", "GET me"}

# The PUT first: the demo person's check-in today exists before the reads (the home screen
# then shows both check-ins revealed and the bridge, its fullest state).
ENDPOINTS = (
    Endpoint("PUT checkins/{today}", "PUT", "checkins/{today}", WRITE),
    # The same write as many people at once, as real load is: one person's eight writes at
    # once (the row above) queue on that couple's row lock by design.
    Endpoint(f"PUT checkins, {PEOPLE} people", "PUT", "checkins/{today}", WRITE, PEOPLE),
    Endpoint("GET checkins/today", "GET", "checkins/today", SINGLE_READ),
    Endpoint("GET checkins?page_size=20", "GET", "checkins?page_size=20", LIST_READ),
    Endpoint("GET couple", "GET", "couple", SINGLE_READ),
    Endpoint("GET couple/partner", "GET", "couple/partner", SINGLE_READ),
    Endpoint("GET notifications", "GET", "notifications", LIST_READ),
    Endpoint("GET boundaries", "GET", "boundaries", LIST_READ),
    Endpoint("GET agreements", "GET", "agreements", LIST_READ),
    Endpoint("GET me", "GET", "me", SINGLE_READ),
)


def select_endpoints(wanted: list[str] | None) -> tuple[Endpoint, ...]:
    """The endpoints to load: all, or those whose name contains one of `wanted` (e.g. "me",
    "checkins/today"), in the run's order. An unknown name is an error, not an empty run."""
    if not wanted:
        return ENDPOINTS
    unknown = [w for w in wanted if not any(w in e.name for e in ENDPOINTS)]
    if unknown:
        names = ", ".join(e.name for e in ENDPOINTS)
        raise ValueError(f"no endpoint matches {', '.join(unknown)} (endpoints: {names})")
    return tuple(e for e in ENDPOINTS if any(w in e.name for w in wanted))


# --- wrk's output and the table: pure, tested in tests/bench/ -----------------------------------


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


_SUMMARY = re.compile(r"^BENCH_SUMMARY (\{.*\})\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s*(\d+)")


def parse_wrk(output: str) -> LoadResult:
    """wrk's output with bench/wrk.lua's summary line (microseconds, counts). wrk counts a
    status of 400 or more as an error; its own "Non-2xx or 3xx" line, when present, counts
    redirects too, and the larger of the two wins (a redirect is no answer here either)."""
    found = _SUMMARY.search(output)
    if not found:
        raise ValueError("no BENCH_SUMMARY line in wrk's output (is bench/wrk.lua in use?)")
    data = json.loads(found.group(1))
    non_2xx = int(data["status_errors"])
    if listed := _NON_2XX.search(output):
        non_2xx = max(non_2xx, int(listed.group(1)))
    return LoadResult(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        non_2xx=non_2xx,
        socket_errors=int(data["socket_errors"]),
    )


@dataclass
class Row:
    name: str
    kind: str  # SINGLE_READ, LIST_READ, WRITE, or "floor"
    rps: float
    p50_ms: float
    p99_ms: float
    queries: int | None
    non_2xx: int = 0
    share_bare: float = 0.0
    share_stack: float = 0.0
    share_signed_in: float | None = None
    goals: dict[str, bool] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return all(self.goals.values())


def floor_row(label: str, before: LoadResult, after: LoadResult) -> Row:
    """A floor measured before and after the endpoints: their mean, so that a machine getting
    busier or quieter during the run moves the floor with the rows it is compared to."""
    return Row(
        label,
        "floor",
        rps=(before.rps + after.rps) / 2,
        p50_ms=(before.p50_ms + after.p50_ms) / 2,
        p99_ms=(before.p99_ms + after.p99_ms) / 2,
        queries=1,
        non_2xx=before.non_2xx + after.non_2xx,
    )


def drift(before: LoadResult, after: LoadResult) -> float:
    """How far a floor moved during the run, in percent of the first figure."""
    return 100.0 * (after.rps - before.rps) / before.rps if before.rps else 0.0


def share(rps: float, floor_rps: float) -> float:
    return 100.0 * rps / floor_rps if floor_rps else 0.0


def judge(rows: list[Row], bare: Row, stack: Row, signed_in: Row | None = None) -> None:
    """Fill each row's shares of the floors and its goals (met or not) from the issue. The
    signed-in floor has no goal of its own: it says how much of each row is the endpoint's."""
    floors = [floor for floor in (bare, stack, signed_in) if floor is not None]
    for row in [*floors, *rows]:
        row.share_bare = share(row.rps, bare.rps)
        row.share_stack = share(row.rps, stack.rps)
        if signed_in is not None:
            row.share_signed_in = share(row.rps, signed_in.rps)
    stack.goals = {f"≥{GOAL_STACK_SHARE:.0f}% of bare": stack.share_bare >= GOAL_STACK_SHARE}
    for row in rows:
        row.goals = {
            f"≥{GOAL_SHARE[row.kind]:.0f}% of bare": row.share_bare >= GOAL_SHARE[row.kind],
            f"p99 ≤{GOAL_P99_FACTOR:g}x floor": row.p99_ms <= GOAL_P99_FACTOR * bare.p99_ms,
            f"≤{GOAL_QUERIES[row.kind]} queries": row.queries is not None
            and row.queries <= GOAL_QUERIES[row.kind],
            "all 2xx": row.non_2xx == 0,
        }


def render_table(rows: list[Row], bare: Row, stack: Row, signed_in: Row | None = None) -> str:
    header = (
        f"{'endpoint':<28}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'queries':>8}"
        f"{'% bare':>8}{'% stack':>8}{'% s-in' if signed_in is not None else '':>8}  goals"
    )
    lines = [header, "-" * len(header)]
    floors = [floor for floor in (bare, stack, signed_in) if floor is not None]
    for row in [*floors, *rows]:
        queries = "—" if row.queries is None else str(row.queries)
        goals = (
            "(floor)"
            if not row.goals
            else ", ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in row.goals.items())
        )
        if row.non_2xx:
            goals += f"  [{row.non_2xx} non-2xx]"
        signed_in_share = (
            f"{row.share_signed_in:>7.1f}%" if row.share_signed_in is not None else " " * 8
        )
        lines.append(
            f"{row.name:<28}{row.rps:>8.0f}{row.p50_ms:>8.2f}{row.p99_ms:>8.2f}{queries:>8}"
            f"{row.share_bare:>7.1f}%{row.share_stack:>7.1f}%{signed_in_share}  {goals}"
        )
    met = sum(row.met for row in [stack, *rows])
    lines.append(
        f"goals met: {met} of {len(rows) + 1} rows; Haven-stack floor = "
        f"{stack.share_bare:.1f}% of bare"
        + (
            f"; signed-in floor = {signed_in.share_bare:.1f}% of bare (the most a signed-in "
            "endpoint can reach here)"
            if signed_in is not None
            else ""
        )
        + f"; p99 limit {GOAL_P99_FACTOR:g} x {bare.p99_ms:.2f} ms = "
        f"{GOAL_P99_FACTOR * bare.p99_ms:.2f} ms"
    )
    return "\n".join(lines)


def peak_rss_mib(pid: int) -> float | None:
    """A process's peak resident set (VmHWM), in MiB; None once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+)\s+kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


# --- the machine's CPU per request, and whose it was (/proc) --------------------------------------


def proc_stat_ticks(text: str) -> tuple[str, int]:
    """A process's name and the CPU ticks it has used (user + system, all its threads), from
    its /proc/<pid>/stat line (the name may hold spaces and parentheses)."""
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return name, int(fields[11]) + int(fields[12])


def machine_busy_ticks(text: str) -> int:
    """The ticks all cores have been busy (neither idle nor waiting on I/O), from /proc/stat."""
    values = [int(value) for value in text.split("\n", 1)[0].split()[1:9]]
    return sum(values) - values[3] - values[4]


def cpu_sample(proc: Path = Path("/proc")) -> tuple[dict[int, tuple[str, int]], int]:
    """Every process's (name, ticks), and the machine's busy ticks, now."""
    processes = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError):
                processes[int(entry.name)] = proc_stat_ticks((entry / "stat").read_text())
    return processes, machine_busy_ticks((proc / "stat").read_text())


CPU_GROUPS = ("machine", "web", "PostgreSQL", "Redis")


def cpu_per_request(
    before: tuple[dict[int, tuple[str, int]], int],
    after: tuple[dict[int, tuple[str, int]], int],
    *,
    web: set[int],
    requests: int,
    tick_us: float,
) -> dict[str, float]:
    """µs of CPU per request between two `cpu_sample`s: the whole machine's, and the web
    processes' (`web`, the pids of the gunicorn serving the row), PostgreSQL's and Redis's
    own. The rest of the machine (the load generator, the kernel, a process that ended
    between the samples) is in "machine" alone."""
    spent = dict.fromkeys(CPU_GROUPS, 0.0)
    spent["machine"] = after[1] - before[1]
    for pid, (name, ticks) in after[0].items():
        used = ticks - before[0].get(pid, (name, 0))[1]
        if used <= 0:
            continue
        if pid in web:
            spent["web"] += used
        elif name.startswith("postgres"):
            spent["PostgreSQL"] += used
        elif name.startswith("redis"):
            spent["Redis"] += used
    return {group: ticks * tick_us / max(requests, 1) for group, ticks in spent.items()}


def render_cpu(rows: dict[str, dict[str, float]]) -> str:
    """One line a row: the machine's CPU per request and the part of it each side used."""
    header = f"{'machine CPU per request, µs':30s}" + "".join(f"{g:>12s}" for g in CPU_GROUPS)
    lines = [header, "-" * len(header)]
    for name, spent in rows.items():
        lines.append(f"{name:30s}" + "".join(f"{spent[g]:12.0f}" for g in CPU_GROUPS))
    return "\n".join(lines)


# --- the environment every process of the run shares ---------------------------------------------


def bench_environment() -> dict[str, str]:
    """Production settings on loopback with throwaway secrets (as `make check-deploy` makes
    them). The field-encryption key is kept under var/bench/ with the seeded rows it
    encrypted; a new key means a new seed (see `main`)."""
    from cryptography.fernet import Fernet

    OUT.mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "static").mkdir(exist_ok=True)  # production serves collected files from here
    key_file = OUT / "field-encryption-key"
    if not key_file.exists():
        key_file.write_text(Fernet.generate_key().decode())
        key_file.chmod(0o600)
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_KEYS": key_file.read_text().strip(),
        "DJANGO_ALLOWED_HOSTS": HOST,
        # wrk connects straight to gunicorn: no proxy in front, the peer address is the client.
        "TRUSTED_PROXY_COUNT": "0",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        # The load is one person: the per-person throttle still counts every request in
        # Redis, it just never refuses this one. And a token that outlives the run.
        "THROTTLE_USER": "100000000/min",
        # The second PUT row signs in PEOPLE people from this one address at the start.
        "RATE_LIMIT_LOGIN": "1000/m/ip",
        "JWT_ACCESS_TOKEN_SECONDS": "3600",
    }


def django_setup() -> None:
    import django

    if "BENCH_SECRET_KEY" not in os.environ:  # one secret for this process and its servers
        os.environ["BENCH_SECRET_KEY"] = secrets.token_urlsafe(64)
    os.environ.update(bench_environment())
    django.setup()


def prepare(couples: int, *, reseed: bool = False) -> tuple[Any, dt.date, str]:
    """The run's database, ready, and the demo person signed in: (the seed's summary, the
    demo pair's today, an access token). Migrated; `couples` seeded, reusing a database
    already seeded with that many unless `reseed` or this checkout's field-encryption key is
    new (rows another key encrypted cannot be read); the demo partner checked in today."""
    new_key = not (OUT / "field-encryption-key").exists()
    ensure_database()
    django_setup()
    from django.core.management import call_command

    from bench.seed import (
        DEMO_EMAILS,
        DEMO_PASSWORD,
        demo_partner_checks_in_today,
        seed,
        settle,
    )

    call_command("migrate", verbosity=0)
    summary = seed(couples, reseed=reseed or new_key, skip_fk_checks=True)
    today = dt.datetime.now(dt.UTC).date()  # the demo pair lives in UTC
    demo_partner_checks_in_today(today)
    settle()
    return summary, today, sign_in(DEMO_EMAILS[0], DEMO_PASSWORD)


def ensure_database() -> None:
    import psycopg

    base, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# --- processes ------------------------------------------------------------------------------------


class Processes:
    """Every process the run starts, each in its own group, stopped on exit whatever happens."""

    def __init__(self) -> None:
        self.started: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (OUT / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own argv
            argv,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started[name] = process
        return process

    def stop_all(self) -> None:
        for process in self.started.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.started.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _gunicorn(processes: Processes, name: str, settings: str, app: str) -> None:
    processes.start(
        name,
        [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.py", app],
        {"DJANGO_SETTINGS_MODULE": settings, "GUNICORN_BIND": f"{HOST}:{PORTS[name]}"},
    )


def request(
    port: int, method: str, path: str, token: str | None = None, body: dict | None = None
) -> tuple[int, bytes]:
    headers = {"X-Forwarded-Proto": "https", "Host": HOST}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(
        f"http://{HOST}:{port}{path}", data=data, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_ready(processes: Processes, name: str, path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if processes.started[name].poll() is not None:
            raise SystemExit(f"{name} exited at start; see var/bench/{name}.log")
        with contextlib.suppress(OSError):
            status, _ = request(PORTS[name], "GET", path)
            if status == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"{name} did not answer 200 on {path} within {timeout:.0f} s")


def run_wrk(
    port: int,
    method: str,
    path: str,
    seconds: float,
    token: str = "",
    body=None,
    tokens: Sequence[str] = (),
):
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_TOKEN": token,
        "BENCH_TOKENS": ",".join(tokens),
        "BENCH_BODY": json.dumps(body) if body is not None else "",
    }
    argv = [
        WRK,
        "-c",
        str(CONNECTIONS),
        "-t",
        str(THREADS),
        "-d",
        f"{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        f"http://{HOST}:{port}{path}",
    ]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return parse_wrk(done.stdout)


# --- in-process: the token, query counts, the profile ---------------------------------------------


def sign_in(email: str, password: str) -> str:
    """An access token the way the app gets one: allauth's headless app login."""
    from django.test import Client

    response = Client(HTTP_HOST=HOST).post(
        LOGIN, {"email": email, "password": password}, content_type="application/json", secure=True
    )
    if response.status_code != 200:
        raise SystemExit(f"demo sign-in failed: {response.status_code} {response.content[:300]!r}")
    return response.json()["meta"]["access_token"]


def people_tokens(count: int, today: dt.date, password: str, skip: Sequence[str]) -> list[str]:
    """Access tokens of `count` seeded people (not `skip`'s), each in a couple and able to
    check in for `today` in their own time zone, signed in as the app signs in."""
    from accounts.models import User
    from checkins.services import checkin_dates_open
    from couples.selectors import couple_and_partner_of

    tokens = []
    candidates = (
        User.objects.filter(email__startswith="bench", email__endswith="-a@example.com")
        .exclude(email__in=skip)
        .order_by("email")
    )
    for person in candidates[: count * 10]:
        if today in checkin_dates_open(person) and couple_and_partner_of(person) is not None:
            tokens.append(sign_in(person.email, password))
        if len(tokens) == count:
            return tokens
    raise SystemExit(f"only {len(tokens)} seeded people can check in for {today}; {count} asked")


def _in_process(token: str, endpoint: Endpoint, today: dt.date, client=None):
    from django.test import Client

    client = client or Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {token}")
    path = endpoint.url_path(today)
    if endpoint.method == "PUT":
        response = client.put(path, edit_body(), content_type="application/json", secure=True)
    else:
        response = client.get(path, secure=True)
    if response.status_code >= 300:
        raise SystemExit(f"in-process {endpoint.name}: {response.status_code}")
    return response.status_code, response


def count_queries(token: str, today: dt.date) -> dict[str, int]:
    """SQL statements per request, in-process: one warm-up request, then the counted one."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {token}")
    counts = {}
    for endpoint in ENDPOINTS:
        for _warm_then_counted in range(2):
            with CaptureQueriesContext(connection) as captured:
                _in_process(token, endpoint, today, client)
        counts[endpoint.name] = len(captured.captured_queries)
    return counts


def profile(token: str, today: dt.date, requests_each: int = 50) -> None:
    """pyinstrument over in-process requests of the hottest endpoints (the functions that
    take the most time of their own, then the top of the call tree), and EXPLAIN (ANALYZE,
    BUFFERS) of every SELECT one GET checkins/today and one GET checkins issue."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {token}")
    for endpoint in ENDPOINTS:
        if endpoint.name not in PROFILED:
            continue
        path = endpoint.url_path(today)
        client.get(path, secure=True)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(requests_each):
            client.get(path, secure=True)
        profiler.stop()
        print(f"\n=== profile: {endpoint.name}, {requests_each} requests in-process ===")
        flat = profiler.output_text(unicode=True, flat=True, time="percent_of_total")
        print("\n".join(line for line in flat.splitlines()[:28] if line.strip()))
        tree = profiler.output_text(unicode=True, time="percent_of_total")
        print("\n".join(tree.splitlines()[:40]))
    for name in ("GET checkins/today", "GET checkins?page_size=20"):
        endpoint = next(e for e in ENDPOINTS if e.name == name)
        with CaptureQueriesContext(connection) as captured:
            client.get(endpoint.url_path(today), secure=True)
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(line for (line,) in cursor.fetchall())
            short = sql if len(sql) <= 200 else sql[:200] + "…"
            print(f"\n=== EXPLAIN, {name}: {short}\n{plan}")


# --- the run ----------------------------------------------------------------------------------


def _commit() -> str:
    """The code measured: HEAD, marked when the work tree has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}+changes" if dirty else head


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--couples", type=int, default=int(os.environ.get("BENCH_COUPLES", "10000"))
    )
    parser.add_argument(
        "--duration", type=float, default=float(os.environ.get("BENCH_DURATION", "10"))
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before each")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="no load: pyinstrument and EXPLAIN in-process"
    )
    parser.add_argument("--profile-requests", type=int, default=50, help="per profiled endpoint")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help='load only the endpoints whose name contains NAME (repeatable), e.g. --only "GET me"',
    )
    args = parser.parse_args()
    try:
        chosen = select_endpoints(args.only)
    except ValueError as error:
        parser.error(str(error))
    if not args.profile and not Path(WRK).exists():
        raise SystemExit(
            f"wrk not found at {WRK}: run make bench, which installs it, or apt-get install wrk"
        )

    started = time.monotonic()
    summary, today, token = prepare(args.couples, reseed=args.reseed)
    from bench.seed import DEMO_EMAILS, DEMO_PASSWORD

    people = max((e.people for e in chosen), default=1)
    many = people_tokens(people, today, DEMO_PASSWORD, DEMO_EMAILS) if people > 1 else []
    if args.profile:  # in-process only: no server, no load
        _in_process(token, ENDPOINTS[0], today)  # today's check-in first, as under load
        profile(token, today, args.profile_requests)
        return

    processes = Processes()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        _gunicorn(processes, "haven", "config.settings.production", "config.wsgi:application")
        stack, bare = FLOORS[STACK_FLOOR], FLOORS[BARE_FLOOR]
        _gunicorn(processes, stack.server, stack.settings, "config.wsgi:application")
        _gunicorn(processes, bare.server, bare.settings, "bench.floor.wsgi:application")
        celery = processes.start(
            "celery",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "WARNING",
                "--concurrency",
                "1",
            ],
            {},
        )
        _wait_ready(processes, "haven", "/healthz")
        for floor in (stack, bare):
            _wait_ready(processes, floor.server, floor.path)

        failures = []
        for endpoint in ENDPOINTS:
            for bearer in [token] if endpoint.people == 1 else many:
                status, body = request(
                    PORTS["haven"],
                    endpoint.method,
                    endpoint.url_path(today),
                    bearer,
                    edit_body() if endpoint.method == "PUT" else None,
                )
                if not 200 <= status < 300:
                    failures.append(f"{endpoint.name}: {status} {body[:200]!r}")
        signed_in = FLOORS[SIGNED_IN_FLOOR]
        status, body = request(PORTS[signed_in.server], "GET", signed_in.path, token)
        if status != 200:
            failures.append(f"the signed-in floor: {status} {body[:200]!r}")
        if failures:
            raise SystemExit("endpoints not answering 2xx:\n  " + "\n  ".join(failures))
        print(
            f"all {len(ENDPOINTS)} endpoints answer 2xx; load: wrk -c {CONNECTIONS} "
            f"-t {THREADS} -d {args.duration:g}s each"
        )

        tick_us = 1e6 / os.sysconf("SC_CLK_TCK")
        cpu: dict[str, dict[str, float]] = {}
        server_of_port = {port: name for name, port in PORTS.items()}

        def load(name: str, port: int, method: str, path: str, bearer="", body=None, tokens=()):
            if args.warmup > 0:
                run_wrk(port, method, path, args.warmup, bearer, body, tokens)
            server = processes.started[server_of_port[port]].pid
            web = {server, *children_of(server)}
            before = cpu_sample()
            result = run_wrk(port, method, path, args.duration, bearer, body, tokens)
            cpu[name] = cpu_per_request(
                before, cpu_sample(), web=web, requests=result.requests, tick_us=tick_us
            )
            print(
                f"  {name:<28}{result.rps:>8.0f} req/s  p50 {result.p50_ms:.2f} ms"
                f"  p99 {result.p99_ms:.2f} ms"
                + (f"  {result.non_2xx} non-2xx" if result.non_2xx else "")
            )
            return result

        floor_labels = {name: floor.label for name, floor in FLOORS.items()}

        def load_floor(name: str, label: str) -> LoadResult:
            floor = FLOORS[name]
            return load(
                label, PORTS[floor.server], "GET", floor.path, token if floor.signed_in else ""
            )

        before = {name: load_floor(name, label) for name, label in floor_labels.items()}
        loaded = {}
        for endpoint in chosen:
            put_body = PUT_BODY if endpoint.method == "PUT" else None  # wrk.lua marks each
            path = endpoint.url_path(today)
            loaded[endpoint.name] = load(
                endpoint.name,
                PORTS["haven"],
                endpoint.method,
                path,
                token,
                put_body,
                many[: endpoint.people] if endpoint.people > 1 else (),
            )

        after = {name: load_floor(name, f"{label} (again)") for name, label in floor_labels.items()}
        floors = {
            name: floor_row(label, before[name], after[name])
            for name, label in floor_labels.items()
        }
        queries = count_queries(token, today)
        rows = [
            Row(e.name, e.kind, r.rps, r.p50_ms, r.p99_ms, queries[e.name], r.non_2xx)
            for e in chosen
            for r in [loaded[e.name]]
        ]
        # Reads first in the table, the write last, as the issue lists them.
        rows.sort(key=lambda row: row.kind == WRITE)
        judge(rows, floors[BARE_FLOOR], floors[STACK_FLOOR], floors[SIGNED_IN_FLOOR])

        # The workers alive now: one gunicorn replaced (GUNICORN_MAX_REQUESTS) peaked afresh.
        web_workers = children_of(processes.started["haven"].pid)
        web_rss = max((peak_rss_mib(pid) or 0.0) for pid in web_workers) if web_workers else None
        celery_rss = max(
            (peak_rss_mib(pid) or 0.0) for pid in [celery.pid, *children_of(celery.pid)]
        )
        load_average = os.getloadavg()
        report_commit = _commit()
        print()
        print(
            f"Haven API at {report_commit}, {args.couples:,} couples, wrk -c {CONNECTIONS} "
            f"-t {THREADS} -d {args.duration:g}s per row, gunicorn gthread 2x4, load average "
            f"{load_average[0]:.2f} {load_average[1]:.2f} {load_average[2]:.2f}"
        )
        print(render_table(rows, floors[BARE_FLOOR], floors[STACK_FLOOR], floors[SIGNED_IN_FLOOR]))
        print(
            "floors before → after the endpoints (each row above is their mean): "
            + "; ".join(
                f"{floor_labels[name]} {before[name].rps:.0f} → {after[name].rps:.0f} req/s "
                f"({drift(before[name], after[name]):+.0f}%)"
                for name in floor_labels
            )
            + " — a large move means a busy machine: run again"
        )
        print(
            f"peak RSS: web worker {web_rss or 0:.0f} MiB (largest of {len(web_workers)}), "
            f"Celery worker {celery_rss:.0f} MiB"
        )
        print()
        print(render_cpu(cpu))
        print(
            "(from /proc around each measured run: web = the row's gunicorn and its workers; "
            "the rest of the machine is the load generator, the kernel and the Celery worker)"
        )
        report = {
            "when": dt.datetime.now(dt.UTC).isoformat(),
            "commit": report_commit,
            "couples": args.couples,
            "seed": {
                "reused": summary.reused,
                "seconds": round(summary.seconds, 1),
                "rows": summary.rows,
            },
            "duration_s": args.duration,
            "connections": CONNECTIONS,
            "threads": THREADS,
            "load_average": load_average,
            "floors": {k: asdict(v) for k, v in floors.items()},
            "floors_before": {k: asdict(v) | {"rps": v.rps} for k, v in before.items()},
            "floors_after": {k: asdict(v) | {"rps": v.rps} for k, v in after.items()},
            "endpoints": [asdict(row) for row in rows],
            "peak_rss_mib": {"web_worker": web_rss, "celery_worker": celery_rss},
            "cpu_us_per_request": cpu,
            "seconds": round(time.monotonic() - started, 1),
        }
        (OUT / "last.json").write_text(json.dumps(report, indent=2, default=str))
        print(f"written to var/bench/last.json; {report['seconds']:.0f} s in all")
    finally:
        processes.stop_all()


if __name__ == "__main__":
    main()
