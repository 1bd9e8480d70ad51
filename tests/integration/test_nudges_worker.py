"""Nudges through a real worker on Redis (not eager mode): one inbox row however often the
planner runs for a minute or a task message arrives, and a write made while the broker is
unreachable still succeeds, its nudge arriving once the broker is back."""

import datetime as dt
import uuid

import kombu.pools
import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app as celery_app
from couples.models import Ping
from nudges.models import Notification, Nudge, NudgeSettings
from nudges.planner import planner_tick
from nudges.services import nudge_relay
from nudges.tasks import deliver_nudges
from tests.factories import UserFactory, pair
from tests.utils import client_for, today_for, wait_for

pytestmark = pytest.mark.slow


def _reachable_now(*users, checkin_time=None):
    """Quiet hours off (the worker delivers at the real clock's moment), UTC calendar."""
    for user in users:
        user.time_zone = "UTC"
        user.save()
    NudgeSettings.objects.filter(user__in=users).update(
        quiet_start=dt.time(0),
        quiet_end=dt.time(0),
        **({"checkin_time": checkin_time} if checkin_time else {}),
    )


def _settled(query, expected: int, log_path) -> None:
    assert wait_for(lambda: query.count() >= expected), log_path.read_text()[-3000:]
    # Give a duplicate every chance to land before counting.
    wait_for(lambda: False, timeout=3)
    assert query.count() == expected


def test_the_planner_run_twice_for_one_minute_gives_one_inbox_row(worker):
    _queue, log_path = worker
    now = timezone.now()
    user = UserFactory()
    _reachable_now(user, checkin_time=now.time().replace(second=0, microsecond=0))
    first = planner_tick(now)
    second = planner_tick(now)  # overlap, retry or skew: the same minute again
    assert first["planned"] == 1 and second["planned"] == 0
    _settled(Notification.objects.filter(recipient=user, kind="checkin_reminder"), 1, log_path)


def test_the_same_task_message_delivered_twice_writes_one_inbox_row(worker):
    _queue, log_path = worker
    couple, a, b = pair()
    _reachable_now(b)
    # A real ping: a relayed nudge whose subject is gone is dropped as no longer needed.
    ping = Ping.objects.create(couple=couple, sender=a, recipient=b)
    nudge = nudge_relay(recipient=b, kind="ping", subject_id=ping.pk, actor=a)
    task_id = str(uuid.uuid4())
    for _ in range(2):  # one message, redelivered (same id, same payload)
        deliver_nudges.apply_async(([str(nudge.pk)],), task_id=task_id)
    _settled(Notification.objects.filter(recipient=b, kind="ping"), 1, log_path)


@pytest.fixture
def broker_down():
    """Point this process's Celery app at a port where no broker listens, then back."""
    good = celery_app.conf.broker_url

    def switch(url):
        celery_app.conf.broker_url = url
        kombu.pools.reset()  # forget pooled connections and producers to the old address
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    switch("redis://127.0.0.1:9/0")
    try:
        yield lambda: switch(good)
    finally:
        if celery_app.conf.broker_url != good:
            switch(good)


def test_a_check_in_written_while_the_broker_is_down_succeeds_and_its_nudge_arrives_later(
    worker, broker_down
):
    _queue, log_path = worker
    _, a, b = pair()
    _reachable_now(a, b)
    today = today_for(a).isoformat()
    client_b, client_a = client_for(b), client_for(a)
    # b checked in earlier; a's check-in now opens the day's bridge, which b hears about.
    response = client_b.put(f"/api/v1/checkins/{today}", {"mood": 4}, format="json")
    assert response.status_code in (200, 201), response.content
    response = client_a.put(f"/api/v1/checkins/{today}", {"mood": 3}, format="json")
    assert response.status_code in (200, 201), response.content
    nudge = Nudge.objects.get(recipient=b, kind="checkin_bridge_ready")
    assert nudge.state == "pending"
    assert not Notification.objects.filter(recipient=b).exists()

    broker_down()  # the broker is back
    later = timezone.now() + settings.NUDGE_CLAIM_LEASE + dt.timedelta(seconds=1)
    assert planner_tick(later)["claimed"] == 1  # the lease lapsed: the next tick catches up
    _settled(Notification.objects.filter(recipient=b, kind="checkin_bridge_ready"), 1, log_path)
