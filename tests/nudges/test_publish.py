"""Handing ids to a worker: after the commit that asked for it, and never turning a committed
write into an error when the broker is down (a beat task hands the ids over later)."""

import uuid

import pytest
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

from nudges import publish as publishing
from nudges.publish import publish
from nudges.tasks import deliver_nudges, send_deliveries

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    calls: list[tuple] = []
    for task in (deliver_nudges, send_deliveries):
        monkeypatch.setattr(
            task, "apply_async", lambda args, task=task, **kw: calls.append((task.name, args, kw))
        )
    return calls


@pytest.fixture
def broker_down(monkeypatch):
    said: list[tuple] = []

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:9. Connection refused.")

    for task in (deliver_nudges, send_deliveries):
        monkeypatch.setattr(task, "apply_async", refuse)
    monkeypatch.setattr(publishing.logger, "warning", lambda event, **kw: said.append((event, kw)))
    return said


def test_publishing_waits_for_the_commit(sent, django_capture_on_commit_callbacks):
    ids = [uuid.uuid4(), uuid.uuid4()]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(send_deliveries, ids)
    assert sent == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert sent == [
        (
            "nudges.tasks.send_deliveries",
            ([str(pk) for pk in ids],),
            {"retry": True, "retry_policy": settings.NUDGE_PUBLISH_RETRY_POLICY},
        )
    ]


def test_a_beat_task_publishes_at_once(sent):
    pk = uuid.uuid4()
    publish(deliver_nudges, [pk], on_commit=False)
    assert [(name, args) for name, args, _ in sent] == [
        ("nudges.tasks.deliver_nudges", ([str(pk)],))
    ]


@pytest.mark.parametrize("task", [deliver_nudges, send_deliveries])
def test_the_broker_down_never_fails_the_write_that_asked(
    task, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        publish(task, [uuid.uuid4()])
    publish(task, [uuid.uuid4(), uuid.uuid4()], on_commit=False)
    assert [(event, kw["task"], kw["count"]) for event, kw in broker_down] == [
        ("nudge_enqueue_failed", task.name, 1),
        ("nudge_enqueue_failed", task.name, 2),
    ]
