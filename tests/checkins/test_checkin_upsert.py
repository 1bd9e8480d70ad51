"""`checkin_upsert` writes all or nothing: the check-in, the reminder back-off, the partner's
sync and the "bridge is ready" nudge. A failure half-way leaves the database as it was, and
nothing is handed to a worker."""

import threading
import time

import pytest
from django.db import connection

from checkins import services
from checkins.models import CheckIn
from checkins.services import checkin_dates_open, checkin_unsend, checkin_upsert
from common.models import Tombstone
from nudges.models import Nudge, NudgeSettings
from tests.factories import UserFactory, pair


class WriteFailed(Exception):
    pass


def _fail(*args, **kwargs):
    raise WriteFailed


def _ignored_reminders(user, count):
    NudgeSettings.objects.update_or_create(user=user, defaults={"checkin_reminders_ignored": count})


def _reminders_ignored(user):
    return NudgeSettings.objects.get(user=user).checkin_reminders_ignored


def test_a_failure_at_the_third_write_leaves_no_checkin_and_the_back_off_as_it_was(
    couple, monkeypatch
):
    _ignored_reminders(couple.a, 2)
    _yesterday, today = checkin_dates_open(couple.a)
    # The partner has checked in: the writes are the row, the back-off reset and the
    # "bridge is ready" nudge (a new check-in has no tombstone to clear).
    checkin_upsert(author=couple.b, local_date=today, data={"mood": 4})
    monkeypatch.setattr(services, "nudge_relay", _fail)
    with pytest.raises(WriteFailed):
        checkin_upsert(author=couple.a, local_date=today, data={"mood": 3, "shared_note": "hi"})
    assert not CheckIn.objects.filter(author=couple.a).exists()
    assert _reminders_ignored(couple.a) == 2


def test_a_failure_half_way_through_a_replace_keeps_the_earlier_unsent_checkin(couple, monkeypatch):
    _yesterday, today = checkin_dates_open(couple.a)
    # The partner checked in that day, so the unsent check-in had been revealed to them.
    checkin_upsert(author=couple.b, local_date=today, data={"mood": 3})
    first = checkin_upsert(author=couple.a, local_date=today, data={"mood": 1})
    checkin_unsend(checkin=first, user=couple.a)
    _ignored_reminders(couple.a, 2)
    # A replace keeps an unsent check-in unsent, so it no longer clears the partner's
    # tombstone: fail at the write after the row's (the reminder back-off) instead.
    monkeypatch.setattr(services, "nudges_back_off_reset", _fail)
    with pytest.raises(WriteFailed):
        checkin_upsert(author=couple.a, local_date=today, data={"mood": 5})
    kept = CheckIn.objects.get(author=couple.a)
    assert (kept.mood, kept.is_shared) == (1, False)
    assert _reminders_ignored(couple.a) == 2
    # The partner's phone is still told to keep it dropped.
    assert Tombstone.objects.filter(
        viewer=couple.b, kind=CheckIn.SYNC_KIND, object_id=first.pk
    ).exists()


def test_a_failure_after_the_bridge_nudge_leaves_no_nudge_and_hands_nothing_to_a_worker(
    couple, monkeypatch, django_capture_on_commit_callbacks
):
    _yesterday, today = checkin_dates_open(couple.a)
    checkin_upsert(author=couple.b, local_date=today, data={"mood": 4})
    real_nudge_relay = services.nudge_relay

    def relay_then_fail(**kwargs):
        real_nudge_relay(**kwargs)
        assert Nudge.objects.filter(recipient=couple.b, kind="checkin_bridge_ready").exists()
        raise WriteFailed

    monkeypatch.setattr(services, "nudge_relay", relay_then_fail)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(WriteFailed):
        checkin_upsert(author=couple.a, local_date=today, data={"mood": 3})
    assert callbacks == []
    assert not Nudge.objects.filter(kind="checkin_bridge_ready").exists()
    assert not CheckIn.objects.filter(author=couple.a).exists()


def test_the_bridge_nudge_is_handed_to_a_worker_only_on_commit(
    couple, django_capture_on_commit_callbacks
):
    _yesterday, today = checkin_dates_open(couple.a)
    checkin_upsert(author=couple.b, local_date=today, data={"mood": 4})
    with django_capture_on_commit_callbacks() as callbacks:
        checkin_upsert(author=couple.a, local_date=today, data={"mood": 3})
    assert len(callbacks) == 1
    assert Nudge.objects.filter(recipient=couple.b, kind="checkin_bridge_ready").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_partners_checking_in_at_the_same_moment_hear_about_the_bridge_exactly_once(
    monkeypatch,
):
    _couple, a, b = pair(UserFactory(), UserFactory())
    _yesterday, today = checkin_dates_open(a)
    real_tell = services._tell_partner_the_bridge_is_ready

    def tell_then_linger(*args, **kwargs):
        # Holds each write open after it has looked for the partner's check-in: two
        # uncommitted check-ins would each miss the other here, two committed ones would
        # each find the other.
        real_tell(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(services, "_tell_partner_the_bridge_is_ready", tell_then_linger)
    barrier = threading.Barrier(2)
    errors = []

    def check_in(person, mood):
        try:
            barrier.wait()
            checkin_upsert(author=person, local_date=today, data={"mood": mood})
        except Exception as error:  # reported below, with the thread's own failure
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=check_in, args=args) for args in ((a, 2), (b, 4))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert CheckIn.objects.filter(author__in=[a, b], local_date=today).count() == 2
    assert Nudge.objects.filter(kind="checkin_bridge_ready").count() == 1
