"""A real Celery worker against the test Redis broker: tasks run, and the request id of the
code that enqueued a task reaches the task's structured logs."""

import json
import uuid

import pytest
import structlog

from common.models import IdempotencyKey
from common.tasks import purge_expired_records
from tests.factories import UserFactory
from tests.utils import wait_for


@pytest.mark.slow
def test_worker_runs_the_purge_and_logs_the_enqueuing_request_id(worker, time_machine):
    queue, log_path = worker
    user = UserFactory()
    IdempotencyKey.objects.create(
        user=user,
        key="expired",
        fingerprint="x" * 64,
        locked_at="2020-01-01T00:00:00Z",
        expires_at="2020-01-02T00:00:00Z",
    )
    request_id = f"req-{uuid.uuid4()}"
    with structlog.contextvars.bound_contextvars(request_id=request_id):
        purge_expired_records.apply_async(queue=queue)

    assert wait_for(lambda: not IdempotencyKey.objects.filter(key="expired").exists()), (
        log_path.read_text()[-3000:]
    )

    def logged_with_request_id():
        for line in log_path.read_text().splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("event") == "expired_records_purged":
                return record.get("request_id") == request_id
        return False

    assert wait_for(logged_with_request_id, timeout=10), log_path.read_text()[-3000:]


@pytest.mark.slow
def test_readyz_workers_answers_ok_while_a_worker_runs(worker, client):
    assert wait_for(lambda: client.get("/readyz/workers").status_code == 200, timeout=45)
    assert client.get("/readyz/workers").json()["checks"] == {"workers": "ok"}


def test_readyz_workers_is_503_without_a_worker(client, db):
    response = client.get("/readyz/workers")
    assert response.status_code == 503
    assert response.json()["failing"] == ["workers"]
