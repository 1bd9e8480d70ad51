"""Delivery semantics (docs/delivery-semantics.md): the inbox exactly once; push and email at
most once per (nudge, channel[, phone]), through a row claimed before sending and marked
after. Retries, duplicates, races and crashes each send once or not at all, never twice."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
import redis
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from nudges.channels.push import RecordingPushBackend
from nudges.channels.sending import deliveries_redispatch, deliveries_send, retry_delay
from nudges.inbox import nudges_deliver
from nudges.models import Delivery, Notification, NudgeSettings
from nudges.services import device_register
from nudges.tasks import send_deliveries
from tests.factories import pair
from tests.nudges.delivering import NOON, deliver, delivery_ids, ping_delivered
from tests.nudges.fake_fcm import fcm_error
from tests.utils import race

pytestmark = pytest.mark.usefixtures("at_noon")


@pytest.fixture
def broker():
    """The real Redis broker of this test worker, its default queue emptied before and after."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("celery")
    yield client
    client.delete("celery")


def queued_ids(broker, task: str = "nudges.tasks.send_deliveries") -> list[list[str]]:
    batches = []
    for raw in broker.lrange("celery", 0, -1):
        message = json.loads(raw)
        if message["headers"]["task"] == task:
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            batches.append(args[0])
    return batches


@pytest.fixture
def couple_with_phone(db):
    _, a, b = pair()
    device_register(user=b, token="b-phone", platform="ios")
    return a, b


def test_the_inbox_is_written_once_and_copies_recorded_once_however_often_delivery_runs(
    couple_with_phone,
):
    a, _b = couple_with_phone
    nudge = ping_delivered(a)
    assert nudges_deliver([nudge.pk], now=timezone.now()) == {}
    assert Notification.objects.filter(nudge=nudge).count() == 1
    assert sorted(Delivery.objects.filter(nudge=nudge).values_list("channel", flat=True)) == [
        "email",
        "push",
    ]


def test_a_task_delivered_twice_sends_once(couple_with_phone):
    a, _b = couple_with_phone
    nudge = ping_delivered(a)
    ids = [str(pk) for pk in delivery_ids(nudge)]

    first = send_deliveries(ids)
    second = send_deliveries(ids)

    assert first == {"sent": 2} and second == {}
    assert [m["token"] for m in RecordingPushBackend.outbox] == ["b-phone"]
    assert len(mail.outbox) == 1
    rows = Delivery.objects.filter(nudge=nudge)
    assert {(r.state, r.attempts) for r in rows} == {("sent", 1)}


def test_a_delivery_retried_after_a_transient_error_sends_once(fcm, couple_with_phone):
    a, _b = couple_with_phone
    fcm.script["b-phone"] = [fcm_error(503, "UNAVAILABLE", "UNAVAILABLE")]
    nudge = ping_delivered(a)
    [pk] = delivery_ids(nudge, "push")

    assert deliveries_send([pk]) == {"retrying": 1}
    row = Delivery.objects.get(pk=pk)
    assert deliveries_send([pk]) == {}  # not due yet: waits in the database, not the broker

    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        later = timezone.now()
        assert deliveries_send([pk], now=later) == {"sent": 1}
        assert deliveries_send([pk], now=later) == {}
        send_deliveries([str(pk)])

    assert len(fcm.requests) == 2  # the refused attempt and the one that went
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == ("sent", 2, "")


def test_transient_errors_give_up_after_the_last_attempt(fcm, couple_with_phone, settings):
    settings.NUDGE_DELIVERY_MAX_ATTEMPTS = 2
    a, _b = couple_with_phone
    fcm.script["b-phone"] = [fcm_error(500, "INTERNAL", "INTERNAL")] * 2
    nudge = ping_delivered(a)
    [pk] = delivery_ids(nudge, "push")
    deliveries_send([pk])
    row = Delivery.objects.get(pk=pk)
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        assert deliveries_send([pk], now=timezone.now()) == {"failed": 1}
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == ("failed", 2, "fcm_internal")


def test_back_off_grows_with_jitter_and_honours_retry_after(settings):
    settings.NUDGE_DELIVERY_RETRY_BASE = dt.timedelta(seconds=30)
    settings.NUDGE_DELIVERY_RETRY_MAX = dt.timedelta(hours=1)
    for attempts, most in ((1, 30), (2, 60), (3, 120), (12, 3600)):
        for _ in range(20):
            delay = retry_delay(attempts).total_seconds()
            assert most / 2 <= delay <= most
    assert retry_delay(1, retry_after=600).total_seconds() >= 600
    assert retry_delay(1, retry_after=10**6).total_seconds() <= 3600


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_given_the_same_copies_send_each_once():
    with time_machine.travel(NOON, tick=True):
        _, a, b = pair()
        device_register(user=b, token="b-phone", platform="android")
        nudge = ping_delivered(a)
        ids = delivery_ids(nudge)
        results = race(lambda: deliveries_send(ids), lambda: deliveries_send(ids))
    assert sum(sum(result.values()) for result in results) == 2
    assert len(RecordingPushBackend.outbox) == 1
    assert len(mail.outbox) == 1


def test_a_copy_cut_off_mid_send_is_never_sent_again(couple_with_phone, monkeypatch, broker):
    a, _b = couple_with_phone
    nudge = ping_delivered(a)
    [pk] = delivery_ids(nudge, "push")

    def killed(self, message):
        raise SystemExit("the worker was killed")  # not an error the channel can catch

    monkeypatch.setattr(RecordingPushBackend, "transmit", killed)
    with pytest.raises(SystemExit):
        deliveries_send([pk])
    monkeypatch.undo()
    row = Delivery.objects.get(pk=pk)
    assert row.state == "sending" and row.claimed_at is not None

    # The task redelivered (acks late), the beat's sweep: nothing sends it again.
    assert send_deliveries([str(pk)]) == {}
    assert deliveries_redispatch()["redispatched"] == 0
    assert queued_ids(broker) == []
    # Past the sending timeout it is marked for the operator, and still never resent.
    later = timezone.now() + settings.NUDGE_DELIVERY_SENDING_TIMEOUT + dt.timedelta(seconds=1)
    assert deliveries_redispatch(now=later)["interrupted"] == 1
    row.refresh_from_db()
    assert (row.state, row.last_error) == ("failed", "interrupted")
    assert deliveries_send([pk], now=later) == {}
    assert RecordingPushBackend.outbox == []


def test_copies_are_handed_to_a_worker_when_the_inbox_commits(
    couple_with_phone, django_capture_on_commit_callbacks, broker
):
    a, _b = couple_with_phone
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        nudge = ping_delivered(a)
    ids = {str(pk) for pk in delivery_ids(nudge)}
    assert queued_ids(broker) == []  # nothing before commit
    for callback in callbacks:
        callback()
    handed = [set(batch) for batch in queued_ids(broker) if set(batch) & ids]
    # One task per channel, each with that channel's copies.
    push_ids = {str(pk) for pk in delivery_ids(nudge, "push")}
    assert len(handed) == 2 and push_ids in handed and set().union(*handed) == ids


def test_the_beat_re_dispatches_due_copies_only(couple_with_phone, broker):
    a, _b = couple_with_phone
    nudge = ping_delivered(a)
    push_pk, email_pk = delivery_ids(nudge, "push")[0], delivery_ids(nudge, "email")[0]
    now = timezone.now()

    # Just recorded: its own dispatch is on its way, the beat leaves it alone.
    assert deliveries_redispatch(now=now)["redispatched"] == 0
    # A first dispatch lost with the broker: picked up once the grace has passed.
    later = now + dt.timedelta(minutes=2)
    Delivery.objects.filter(pk=email_pk).update(attempts=1, next_attempt_at=later)  # a retry
    assert deliveries_redispatch(now=later)["redispatched"] == 2
    assert {pk for batch in queued_ids(broker) for pk in batch} == {str(push_pk), str(email_pk)}
    # Sent rows are never handed over again.
    deliveries_send([push_pk, email_pk], now=later)
    broker.delete("celery")
    assert deliveries_redispatch(now=later + dt.timedelta(minutes=5))["redispatched"] == 0


def test_turning_a_kind_off_before_the_copy_goes_skips_it(couple_with_phone):
    a, b = couple_with_phone
    nudge = ping_delivered(a)
    NudgeSettings.objects.filter(user=b).update(opted_out_kinds=["ping"])
    assert deliveries_send(delivery_ids(nudge)) == {"skipped": 2}
    assert RecordingPushBackend.outbox == [] and mail.outbox == []
    assert set(Delivery.objects.values_list("last_error", flat=True)) == {"opted_out"}


def test_a_copy_too_late_to_be_kind_is_skipped(couple_with_phone):
    a, _b = couple_with_phone
    nudge = ping_delivered(a)
    later = timezone.now() + settings.NUDGE_DELIVERY_MAX_AGE + dt.timedelta(minutes=1)
    assert deliveries_send(delivery_ids(nudge), now=later) == {"skipped": 2}
    assert RecordingPushBackend.outbox == [] and mail.outbox == []


def test_a_channel_switched_off_skips_its_waiting_copies(couple_with_phone, settings):
    from nudges import channels

    a, _b = couple_with_phone
    nudge = ping_delivered(a)
    settings.NUDGE_CHANNELS = {"email": "nudges.channels.email.EmailChannel"}
    channels.backends.cache_clear()
    try:
        assert deliveries_send(delivery_ids(nudge)) == {"skipped": 1, "sent": 1}
    finally:
        channels.backends.cache_clear()
    row = Delivery.objects.get(nudge=nudge, channel="push")
    assert (row.state, row.last_error) == ("skipped", "channel_off")


def test_nothing_a_person_wrote_reaches_any_channel(couple_with_phone):
    from couples.services.messages import appreciation_create

    a, b = couple_with_phone
    planted = "PLANTED-words-only-for-the-inbox-owner-9e2"
    for discreet in (True, False):
        NudgeSettings.objects.filter(user=b).update(discreet=discreet)
        appreciation = appreciation_create(author=a, text=planted)
        from nudges.models import Nudge

        nudge = deliver(Nudge.objects.get(subject_id=appreciation.pk))
        deliveries_send(delivery_ids(nudge))
    payloads = json.dumps(RecordingPushBackend.outbox) + "".join(
        m.message().as_string() for m in mail.outbox
    )
    assert len(RecordingPushBackend.outbox) == 2 and len(mail.outbox) == 2
    assert planted not in payloads
    assert planted not in "".join(Notification.objects.values_list("body", flat=True))
