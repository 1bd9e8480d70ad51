"""`make run` end to end: scripts/run.py in embedded mode (SQLite + filesystem broker in a
temporary folder, never the developer's var/), the demo couple signing in, the README's curl
walk-through, and one Ctrl-C stopping every process it started.

The server is started once for the module; the tests run in file order, and the last one stops
it. These spawn real processes with the local settings, so they need no test database.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from accounts.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD, DEMO_PEOPLE

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 90.0
# run.py gives its children 30 s to stop gracefully before killing them.
STOP_TIMEOUT = 45.0


@dataclass
class RunningProduct:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    var_dir: Path
    env: dict[str, str]

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log().splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(
    method: str, url: str, body: dict[str, Any] | None = None, token: str | None = None
) -> tuple[int, dict[str, Any]]:
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        # allauth answers a pending flow with 401 and a JSON body; the body is the point.
        return error.code, json.loads(error.read() or b"{}")


def _living_processes() -> dict[int, int]:
    """pid -> parent pid of every process that is not a zombie (ps reads the same on Linux and
    macOS). Zombies are ignored: in a container whose init does not reap, they linger harmlessly."""
    table = subprocess.run(
        ["ps", "-A", "-o", "pid=,ppid=,stat="], capture_output=True, text=True, check=True
    ).stdout
    living: dict[int, int] = {}
    for line in table.splitlines():
        pid, parent, stat = line.split(None, 2)
        if not stat.startswith("Z"):
            living[int(pid)] = int(parent)
    return living


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, parent in _living_processes().items():
        children.setdefault(parent, []).append(pid)
    found: set[int] = set()
    pending = [root]
    while pending:
        for pid in children.get(pending.pop(), []):
            if pid not in found:
                found.add(pid)
                pending.append(pid)
    return found


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProduct]:
    workdir = tmp_path_factory.mktemp("make-run")
    port = _free_port()
    env = dict(os.environ)
    # Embedded mode, whatever the developer's shell or CI exports.
    for name in (
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "REDIS_URL",
        "EMAIL_BACKEND",
        "HAVEN_DEMO_PASSWORD",
        "DJANGO_DEBUG",
    ):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        HAVEN_VAR_DIR=str(workdir / "var"),
        HAVEN_PORT=str(port),
        PYTHONUNBUFFERED="1",
    )
    log_path = workdir / "run.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, str(REPO / "scripts" / "run.py")],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            # Not in pytest's process group: a Ctrl-C on pytest reaches run.py only through
            # the teardown below, the way a terminal's Ctrl-C reaches `make run`.
            start_new_session=True,
        )
    running = RunningProduct(process, f"http://127.0.0.1:{port}", log_path, workdir / "var", env)
    try:
        _wait_until_ready(running)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                for pid in _descendants(process.pid) | {process.pid}:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                process.wait()


def _wait_until_ready(running: RunningProduct) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            pytest.fail(
                f"run.py exited with {running.process.returncode} before it was ready:\n"
                + running.log_tail()
            )
        try:
            status, _ = _request("GET", f"{running.base_url}/readyz")
        except (urllib.error.URLError, OSError, ValueError):
            status = 0
        if status == 200:
            return
        time.sleep(0.5)
    pytest.fail(f"/readyz did not answer 200 within {READY_TIMEOUT:.0f}s:\n" + running.log_tail())


def test_demo_person_signs_in_and_reads_their_profile(product: RunningProduct) -> None:
    sam = DEMO_PEOPLE[0]
    status, body = _request(
        "POST",
        f"{product.base_url}/_allauth/app/v1/auth/login",
        {"email": sam.email, "password": DEFAULT_DEMO_PASSWORD},
    )
    assert status == 200, body
    access_token = body["meta"]["access_token"]

    status, me = _request("GET", f"{product.base_url}/api/v1/me", token=access_token)

    assert status == 200, me
    assert me["email"] == sam.email
    assert me["time_zone"] == sam.time_zone

    # The demo people come paired (pair_demo_couple), so there is a couple to explore.
    status, couple = _request("GET", f"{product.base_url}/api/v1/couple", token=access_token)
    assert status == 200, couple
    assert couple["partner"]["display_name"] == DEMO_PEOPLE[1].display_name

    # The admin's and Swagger UI's static files are served (WhiteNoise).
    with urllib.request.urlopen(
        f"{product.base_url}/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css"
    ) as response:
        assert response.status == 200


def test_banner_waits_for_a_worker_that_answers_through_the_embedded_broker(
    product: RunningProduct,
) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while "Haven is running" not in product.log() and time.monotonic() < deadline:
        time.sleep(0.5)

    log = product.log()
    assert "Haven is running" in log, product.log_tail()
    assert "no Celery worker answers" not in log
    assert f"{product.base_url}/api/docs/" in log
    assert DEFAULT_DEMO_PASSWORD in log


def test_embedded_data_lives_in_haven_var_dir(product: RunningProduct) -> None:
    assert (product.var_dir / "haven.sqlite3").is_file()
    assert (product.var_dir / "broker" / "queue").is_dir()
    # The worker and beat bind their queues through the control folder on start.
    assert any((product.var_dir / "broker" / "control").iterdir())


def _seed_demo(product: RunningProduct, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=REPO,
        env={**product.env, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_seed_demo_run_again_changes_nothing_and_still_prints_sign_in(
    product: RunningProduct,
) -> None:
    result = _seed_demo(product)

    assert result.returncode == 0, result.stderr
    assert "Demo person" not in result.stdout  # nothing created or reset
    for person in DEMO_PEOPLE:
        assert person.email in result.stdout
    assert DEFAULT_DEMO_PASSWORD in result.stdout


def test_seed_demo_refuses_without_debug(product: RunningProduct) -> None:
    result = _seed_demo(product, DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "--force" in result.stderr


def test_readme_walkthrough_runs_against_make_run(product: RunningProduct) -> None:
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "walkthrough.sh"), product.base_url, str(product.log_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Walk-through complete" in result.stdout


def test_one_ctrl_c_stops_every_process_and_exits_0(product: RunningProduct) -> None:
    started = _descendants(product.process.pid)
    direct = {pid for pid, parent in _living_processes().items() if parent == product.process.pid}
    # web (gunicorn, with its workers below it), the Celery worker (with its pool) and beat
    assert len(direct) == 3, product.log_tail()

    product.process.send_signal(signal.SIGINT)
    try:
        code = product.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"run.py still running {STOP_TIMEOUT:.0f}s after SIGINT:\n{product.log_tail()}")

    assert code == 0, product.log_tail()
    assert started & _living_processes().keys() == set(), product.log_tail()
