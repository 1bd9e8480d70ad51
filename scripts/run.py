"""`make run`: the whole product on one machine, stopped with one Ctrl-C.

Migrates, seeds the demo couple, then supervises three processes started with this same
Python: the web server (gunicorn serving config.wsgi), a Celery worker and Celery beat.
Without DATABASE_URL / CELERY_BROKER_URL everything is embedded under HAVEN_VAR_DIR (default
var/): SQLite and kombu's filesystem broker, so nothing but Python is needed.

SIGINT or SIGTERM stops all three gracefully and exits 0; a second one stops them at once. If
any of them dies on its own, the others are stopped and the exit status is non-zero, so a
broken start is never mistaken for a running product.

Environment: HAVEN_PORT (default 8000) picks the port on 127.0.0.1; the rest is read by the
Django settings as usual.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
# Longer than gunicorn's graceful_timeout, so a clean stop is never cut short by us.
STOP_GRACE_SECONDS = 30.0
POLL_SECONDS = 0.2
# How long the banner waits for a worker to answer before it is shown with a warning.
WORKER_WAIT_SECONDS = 60.0


def say(message: str) -> None:
    print(f"[run] {message}", flush=True)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - argv is built here, never from input
            self.argv,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            # Its own process group: a terminal Ctrl-C reaches only this supervisor, which then
            # stops each child exactly once, and signalling the group also reaches the child's
            # own workers (gunicorn workers, the Celery pool).
            process_group=0,
            # preexec_fn is unsafe only with threads, and this supervisor has none.
            preexec_fn=_die_with_parent,
        )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def poll(self) -> int | None:
        assert self.process is not None
        return self.process.poll()

    def send_signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)  # a no-op once it has been reaped

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.pid, signum)


_libc: Any = None
if sys.platform == "linux":
    _libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux only: if the supervisor itself is killed (SIGKILL, a crashed terminal), the kernel
    sends the child SIGTERM, so no orphaned web server keeps holding the port."""
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Supervisor:
    def __init__(self, children: list[Child]) -> None:
        self.children = children
        self.stop_signals = 0

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop_signals += 1
        if self.stop_signals > 1:
            say(f"{signal.Signals(signum).name} again: stopping everything now")
            for child in self.children:
                child.signal_group(signal.SIGKILL)

    def run(self, env: dict[str, str], on_ready: Callable[[], bool]) -> int:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        for child in self.children:
            child.start(env)
            say(f"started {child.name} (pid {child.pid})")

        announced = False
        while not self.stop_signals:
            for child in self.children:
                code = child.poll()
                if code is not None:
                    say(f"{child.name} exited unexpectedly (status {code}); stopping the rest")
                    self.stop()
                    return code if code > 0 else 1
            if not announced and on_ready():
                announced = True
            time.sleep(POLL_SECONDS)

        say("stopping (Ctrl-C again to stop at once)")
        return 0 if self.stop() else 1

    def stop(self) -> bool:
        """SIGTERM every child (each one's graceful shutdown), wait, then SIGKILL stragglers.
        True if all of them stopped on their own with status 0."""
        running = [child for child in self.children if child.poll() is None]
        for child in running:
            # The leader only: gunicorn and Celery each stop their own workers in order
            # (a Celery pool process signalled directly would abandon its task).
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while time.monotonic() < deadline and any(c.poll() is None for c in running):
            time.sleep(POLL_SECONDS)

        # A child that had exited before we asked has been reported already, but is not clean.
        clean = len(running) == len(self.children)
        for child in running:
            if child.poll() is None:
                say(f"{child.name} did not stop within {STOP_GRACE_SECONDS:.0f}s; killing it")
                child.signal_group(signal.SIGKILL)
                assert child.process is not None
                child.process.wait()
                clean = False
            elif child.poll() != 0:
                say(f"{child.name} stopped with status {child.poll()}")
                clean = False
        for child in self.children:
            # A leader that exited cleanly should have taken its workers with it; anything left
            # in its group would hold the port or the broker, so make sure.
            child.signal_group(signal.SIGKILL)
        if clean and self.stop_signals:
            say("all stopped")
        return clean


def manage(*args: str, env: dict[str, str], capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if capture else None,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        if capture and result.stdout:
            print(result.stdout, end="")
        raise SystemExit(f"[run] manage.py {' '.join(args)} failed (status {result.returncode})")
    return result.stdout or ""


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def web_answers(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=3) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def worker_answers() -> bool:
    """A Celery worker replies to a ping sent through the broker, so tasks enqueued by the web
    process will be run (this checks the embedded broker end to end, not just a process)."""
    from config.celery import app

    try:
        return bool(app.control.ping(timeout=1, limit=1))
    except Exception:  # any transport error just means "not yet"
        return False


def prepare_storage() -> str:
    """Create the folders the embedded mode writes to, and describe where data lives.

    Reads the settings module rather than repeating its paths here, so HAVEN_VAR_DIR and any
    later change to the layout are honoured. kombu's filesystem transport creates none of its
    folders itself, and the worker fails on the first poll without them."""
    sys.path.insert(0, str(BASE_DIR))
    from django.conf import settings

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        where_db = f"SQLite at {database['NAME']}"
    else:
        vendor = database["ENGINE"].rsplit(".", 1)[-1]
        where_db = f"{vendor} at {database.get('HOST') or 'localhost'}"

    broker_url: str = settings.CELERY_BROKER_URL
    if broker_url.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        folders = {options[key] for key in ("data_folder_in", "data_folder_out", "control_folder")}
        if options.get("store_processed"):
            folders.add(options["processed_folder"])
        for folder in folders:
            Path(folder).mkdir(parents=True, exist_ok=True)
        where_broker = f"filesystem broker at {Path(options['data_folder_in']).parent}"
    else:
        where_broker = f"broker at {broker_url.split('://', 1)[0]}://…"
    return f"{where_db}; {where_broker}"


def banner(base_url: str, storage: str, demo: str) -> str:
    return "\n".join(
        [
            "",
            "=" * 72,
            "Haven is running. Ctrl-C stops everything.",
            f"  API          {base_url}/api/v1/  (e.g. {base_url}/api/v1/me)",
            f"  Swagger docs {base_url}/api/docs/",
            f"  Admin        {base_url}/admin/  (create a staff login with "
            "`.venv/bin/python manage.py createsuperuser`)",
            f"  Sign in      POST {base_url}/_allauth/app/v1/auth/login "
            '{"email": ..., "password": ...}',
            f"  Data         {storage}",
            "",
            *demo.rstrip().splitlines(),
            "=" * 72,
            "",
        ]
    )


def main() -> int:
    os.chdir(BASE_DIR)
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # Logs of three processes share one terminal; unbuffered, they appear when they happen.
    env.setdefault("PYTHONUNBUFFERED", "1")
    os.environ.update(env)
    port = int(env.get("HAVEN_PORT", "8000"))
    base_url = f"http://{HOST}:{port}"

    if not port_is_free(port):
        say(f"port {port} on {HOST} is in use; stop what holds it or set HAVEN_PORT")
        return 1

    storage = prepare_storage()
    say(f"data: {storage}")
    say("compiling the message catalogues")
    manage("compilemessages", "--verbosity", "0", env=env)
    say("applying migrations")
    manage("migrate", "--noinput", env=env)
    say("seeding the demo couple")
    demo = manage("seed_demo", env=env, capture=True)
    demo += manage("pair_demo_couple", env=env, capture=True)
    demo += manage("seed_demo_coach", env=env, capture=True)
    print(demo, end="", flush=True)

    celery = [PYTHON, "-m", "celery", "-A", "config"]
    supervisor = Supervisor(
        [
            Child(
                "web",
                [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.py", "-b", f"{HOST}:{port}"],
            ),
            Child("worker", [*celery, "worker", "--loglevel", "INFO", "--concurrency", "1"]),
            Child("beat", [*celery, "beat", "--loglevel", "INFO"]),
        ]
    )

    started = time.monotonic()

    def announce() -> bool:
        # Printed once everything answers, so it comes after the start-up logs rather than
        # scrolling away under them.
        if not web_answers(base_url):
            return False
        worker_ok = worker_answers()
        if not worker_ok and time.monotonic() - started < WORKER_WAIT_SECONDS:
            return False
        print(banner(base_url, storage, demo), flush=True)
        if not worker_ok:
            say("warning: no Celery worker answers yet, so background tasks will wait; see its log")
        return True

    return supervisor.run(env, announce)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # Ctrl-C during migrate/seed, before any long-running process exists.
        sys.exit(130)
