"""A real Celery worker process against the test Redis broker, for tests whose behaviour
depends on the broker (redelivery, outages)."""

import os
import signal
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from tests.utils import test_database_url


@pytest.fixture
def worker(tmp_path, django_db_serialized_rollback, transactional_db):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": test_database_url(),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    log_path = tmp_path / "worker.log"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-P",
                "solo",
                "-Q",
                f"{queue},celery",  # celery: the default queue that /readyz/workers checks
                "--loglevel",
                "INFO",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR,
        )
    try:
        yield queue, log_path
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
