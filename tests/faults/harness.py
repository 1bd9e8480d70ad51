"""Real processes for the fault tests, each test its own: a PostgreSQL cluster (initdb into a
temporary folder, on a spare port), a redis-server, the web app under gunicorn and a Celery
worker, all on loopback. Never the shared PostgreSQL (5432) or Redis (6379) the suite and
developers use. Everything started here is stopped and its folder removed by `Stack.close`.

As root, PostgreSQL refuses to run: the cluster is made and run as the `postgres` user
(`runuser`); as anyone else, as that user."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

POSTGRES_PORTS = range(5541, 5550)
REDIS_PORTS = range(6391, 6400)
APP_PORTS = range(8141, 8150)
ROOT = os.geteuid() == 0


@dataclass(frozen=True)
class Ports:
    """Where a stack's processes may listen: suites that run beside each other (the fault
    tests, the scale-out test) take ranges of their own."""

    postgres: range = POSTGRES_PORTS
    redis: range = REDIS_PORTS
    app: range = APP_PORTS


FAULT_PORTS = Ports()


def postgres_bin() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    raise RuntimeError("PostgreSQL's server binaries (initdb, pg_ctl) are not installed.")


# Ports a stack of this process holds, each with a lock file locked for as long as it is held:
# a port is spare only when no stack of any test worker holds it, not merely when nothing
# listens on it. (A PostgreSQL the restart test stops for a second leaves its port silent, and
# another worker's stack once took it in that second: the restart could not bind again.)
_HELD_PORTS: dict[int, Any] = {}


def spare_port(candidates: range) -> int:
    """The first port of `candidates` that no stack holds and nothing listens on, held until
    `release_port` (parallel test workers each find their own)."""
    for port in candidates:
        if port in _HELD_PORTS:
            continue
        lock = Path(tempfile.gettempdir(), f"haven-test-port-{port}.lock").open("w")  # noqa: SIM115 - held open: the lock lives as long as the file
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                lock.close()
                continue
        _HELD_PORTS[port] = lock
        return port
    raise RuntimeError(f"No spare port in {candidates.start}-{candidates.stop - 1}.")


def release_port(port: int | None) -> None:
    lock = _HELD_PORTS.pop(port, None) if port is not None else None
    if lock is not None:
        lock.close()  # closing the file releases its lock


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if ROOT else command


def _run(command: list[str], check: bool = True) -> subprocess.CompletedProcess:
    out = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    if check and out.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {out.stdout[-2000:]} {out.stderr[-2000:]}")
    return out


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")


@dataclass
class Postgres:
    folder: Path
    port: int = field(default_factory=lambda: spare_port(POSTGRES_PORTS))

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/haven_fault"

    def init(self, template: Path | None = None) -> None:
        """A new cluster, or a copy of `template` (a stopped, migrated cluster's data folder:
        copying it is much faster than migrating again)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if ROOT:
            shutil.chown(self.folder, "postgres", "postgres")
        if template is not None:
            _run(_as_postgres(["cp", "-a", str(template), str(self.data)]))
            self.start()
            return
        _run(
            _as_postgres(
                [
                    str(postgres_bin() / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            ),
        )
        self.start()
        _run(
            [
                str(postgres_bin() / "createdb"),
                *("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "haven_fault"),
            ]
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c max_connections=60"
        )
        _run(
            _as_postgres(
                [
                    str(postgres_bin() / "pg_ctl"),
                    *("-D", str(self.data), "-o", options, "-l", str(self.folder / "postgres.log")),
                    *("-w", "-t", "30", "start"),
                ]
            )
        )

    def stop(self, mode: str = "fast") -> None:
        _run(
            _as_postgres(
                [
                    str(postgres_bin() / "pg_ctl"),
                    *("-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop"),
                ]
            ),
            check=False,
        )

    def connect(self) -> Any:
        """A connection of the test's own (autocommit), e.g. to watch progress cheaply."""
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="haven_fault", autocommit=True
        )

    def query(self, sql: str, *params: Any) -> list[tuple]:
        with self.connect() as conn:
            return list(conn.execute(sql, params).fetchall())


@dataclass
class Redis:
    folder: Path
    port: int = field(default_factory=lambda: spare_port(REDIS_PORTS))
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                *("--bind", "127.0.0.1", "--port", str(self.port), "--save", ""),
                *("--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(lambda: _connects(self.port), 15, f"redis-server on {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


def _connects(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Stack:
    """One test's PostgreSQL, Redis, web app and workers, and the folder they live in."""

    def __init__(self, name: str, ports: Ports = FAULT_PORTS) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=f"haven-fault-{name}-"))
        self.folder.chmod(0o755)  # the postgres user must reach its cluster inside
        self.ports = ports
        self.postgres = Postgres(self.folder / "pg", port=spare_port(ports.postgres))
        self.redis = Redis(self.folder / "redis", port=spare_port(ports.redis))
        self.processes: list[subprocess.Popen] = []
        self.app_port = 0  # the first web process: where `request` goes unless told
        self.web_ports: list[int] = []  # every web process's, released at `close`
        self.logs: list[Path] = []
        # Settings a test gives every process it starts from now on.
        self.env_extra: dict[str, str] = {}

    # --- environment shared by every process of the stack ---

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": self.postgres.url,
            "TEST_REDIS_URL": self.redis.url,
            "PYTEST_XDIST_WORKER": "gw0",  # Redis database 1 of this stack's own server
            "JWT_ACCESS_TOKEN_SECONDS": "3600",
            # A nudge whose hand-over failed is handed over again by the next planner tick.
            "NUDGE_CLAIM_LEASE_SECONDS": "2",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            **self.env_extra,
            **extra,
        }

    def start_databases(self, template: Path | None = None) -> None:
        """PostgreSQL (migrated: a copy of `template`, or migrated here) and Redis."""
        self.postgres.init(template)
        self.redis.start()
        if template is None:
            self.migrate()

    def migrate(self) -> None:
        self.django(
            "from django.core.management import call_command\ncall_command('migrate', verbosity=0)"
        )

    def django(self, code: str, timeout: float = 120) -> Any:
        """Run `code` in a Django process against this stack; returns the JSON it prints
        last (`print(json.dumps(...))`), or None."""
        script = "import json, django\ndjango.setup()\n" + code
        out = subprocess.run(
            [sys.executable, "-c", script],
            cwd=settings.BASE_DIR,
            env=self.env(LOG_LEVEL="WARNING"),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-4000:])
        lines = [line for line in out.stdout.splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else None

    def _spawn(self, name: str, command: list[str], **env: str) -> subprocess.Popen:
        log = self.folder / f"{name}.log"
        self.logs.append(log)
        with open(log, "a") as handle:
            process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=self.env(**env),
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def start_app(
        self, workers: int = 2, threads: int = 4, timeout: int = 30, name: str = "gunicorn"
    ) -> int:
        """A gunicorn web process on a spare port; returns the port. A stack may run
        several (each its own `name`), as web servers behind one load balancer would."""
        port = spare_port(self.ports.app)
        self.web_ports.append(port)
        self.app_port = self.app_port or port
        self._spawn(
            name,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                str(timeout),
            ],
        )
        _wait(lambda: self._healthy(port), 30, f"gunicorn answering /healthz on {port}")
        return port

    def _healthy(self, port: int) -> bool:
        try:
            return self.request("GET", "/healthz", port=port)[0] == 200
        except OSError:
            return False

    def start_worker(self, name: str = "worker", pool: str = "prefork") -> subprocess.Popen:
        return self._spawn(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-P",
                pool,
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"{name}@%h",
            ],
        )

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 15,
        port: int | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        """(status, headers, JSON body or None), from the web process on `port` (the first
        one started unless told). Raises OSError when no answer came."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{port or self.app_port}{path}", data=data, method=method
        )
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw, answer_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, answer_headers = error.code, error.read(), error.headers
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
        return status, dict(answer_headers.items()), parsed

    def tail(self, name: str, size: int = 3000) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""

    def log_lines(self, name: str) -> list[dict]:
        records = []
        path = self.folder / f"{name}.log"
        if not path.exists():
            return records
        for line in path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict):
                    records.append(record)
        return records

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.redis.stop()
        self.postgres.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
        for port in {self.postgres.port, self.redis.port, *self.web_ports}:
            release_port(port)


def format_table(
    title: str,
    injected: str,
    rows: dict[str, Any],
    heading: str = "fault",
    action: str = "injected",
) -> str:
    """What a fault test injected (or a load test drove) and what it counted."""
    width = max(len(name) for name in rows)
    lines = [f"== {heading}: {title}", f"   {action}: {injected}"]
    lines += [f"   {name.ljust(width)}  {value}" for name, value in rows.items()]
    return "\n".join(lines)
