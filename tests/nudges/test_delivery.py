"""Delivering nudges into the inbox: relayed nudges wait out quiet time and space, a chosen
moment is kept, the inbox row exists once however often delivery runs, copy is Haven's own
words in the recipient's language, and nothing anyone typed is in a nudge."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import translation

from checkins.services import checkin_upsert
from couples.services.conversations import conversation_request, conversation_respond
from couples.services.couples import couple_end, space_start
from couples.services.messages import appreciation_create, ping_send
from nudges.inbox import nudge_copy, nudges_deliver
from nudges.kinds import RELAYED, NudgeKind
from nudges.models import Notification, Nudge
from nudges.naming import notification_text
from nudges.services import nudge_relay
from tests.factories import UserFactory, pair
from tests.nudges.delivering import berlin, deliver_due, settings_of

pytestmark = pytest.mark.django_db


def test_a_ping_in_quiet_hours_waits_until_they_end_then_arrives_once():
    _, a, b = pair()
    with time_machine.travel(berlin(2027, 5, 4, 23, 0), tick=False):
        ping = ping_send(sender=a)
    nudge = Nudge.objects.get(recipient=b, kind="ping", subject_id=ping.pk)
    outcome = deliver_due(berlin(2027, 5, 4, 23, 0))
    nudge.refresh_from_db()
    assert outcome["deferred"] == 1 and nudge.reason == "quiet_time"
    assert nudge.due_at == berlin(2027, 5, 5, 8, 0)
    assert not Notification.objects.filter(recipient=b).exists()
    deliver_due(berlin(2027, 5, 5, 8, 0))
    deliver_due(berlin(2027, 5, 5, 8, 1))
    nudges_deliver([nudge.pk], now=berlin(2027, 5, 5, 8, 2))  # a duplicated task
    assert Notification.objects.filter(recipient=b, kind="ping").count() == 1


def test_two_pings_are_two_notifications():
    _, a, b = pair()
    with time_machine.travel(berlin(2027, 5, 4, 12, 0), tick=False):
        ping_send(sender=a)
        ping_send(sender=a)
    deliver_due(berlin(2027, 5, 4, 12, 0))
    assert Notification.objects.filter(recipient=b, kind="ping").count() == 2


def test_relaying_one_subject_twice_is_one_nudge():
    user = UserFactory()
    subject = uuid.uuid4()
    first = nudge_relay(recipient=user, kind="ping", subject_id=subject)
    again = nudge_relay(recipient=user, kind="ping", subject_id=subject)
    assert first.pk == again.pk and Nudge.objects.count() == 1


def test_a_partner_taking_space_gets_pings_after_the_space_ends():
    _, a, b = pair()
    with time_machine.travel(berlin(2027, 5, 4, 12, 0), tick=False):
        space_start(user=b, ends_at=berlin(2027, 5, 4, 18, 0), check_back_at=None)
        ping_send(sender=a)
    deliver_due(berlin(2027, 5, 4, 12, 0))
    nudge = Nudge.objects.get(recipient=b, kind="ping")
    assert (nudge.state, nudge.reason, nudge.due_at) == (
        "pending",
        "taking_space",
        berlin(2027, 5, 4, 18, 0),
    )
    deliver_due(berlin(2027, 5, 4, 18, 0))
    assert Notification.objects.filter(recipient=b, kind="ping").exists()


def test_a_conversation_reminder_at_the_chosen_time_is_not_moved_by_quiet_hours():
    _, a, b = pair()
    chosen = berlin(2027, 5, 4, 22, 30)  # inside the default quiet hours
    with time_machine.travel(berlin(2027, 5, 4, 12, 0), tick=False):
        # A real scheduled request: a reminder about one that no longer exists is dropped.
        asked = conversation_request(
            requester=a,
            topic="Plans",
            depth="light",
            urgency="today",
            proposed_times=[chosen],
            calm_score=4,
        )
        conversation_respond(request=asked, user=b, action="pick", time=chosen)
    deliver_due(berlin(2027, 5, 4, 12, 0))  # the request and the answer, at noon
    assert deliver_due(berlin(2027, 5, 4, 22, 0)) == {}  # not yet due
    assert deliver_due(chosen)["sent"] == 2  # both of them, at the time they chose


def test_a_space_check_back_reaches_the_person_taking_space_and_not_after_they_return():
    _, _a, b = pair()
    with time_machine.travel(berlin(2027, 5, 4, 12, 0), tick=False):
        space = space_start(user=b, ends_at=None, check_back_at=berlin(2027, 5, 4, 15, 0))
    deliver_due(berlin(2027, 5, 4, 15, 0))
    assert Notification.objects.filter(
        recipient=b, kind="space_check_back", subject_id=space.pk
    ).exists()

    with time_machine.travel(berlin(2027, 5, 5, 12, 0), tick=False):
        second = space_start(user=b, ends_at=None, check_back_at=berlin(2027, 5, 5, 15, 0))
        from couples.services.couples import space_end

        space_end(user=b)
    deliver_due(berlin(2027, 5, 5, 15, 0))
    assert not Notification.objects.filter(subject_id=second.pk, kind="space_check_back").exists()
    assert Nudge.objects.get(subject_id=second.pk, kind="space_check_back").state == "cancelled"


def test_ending_the_couple_cancels_what_was_pending_between_them_but_tells_the_partner():
    _, a, b = pair()
    with time_machine.travel(berlin(2027, 5, 4, 23, 0), tick=False):
        ping_send(sender=a)  # deferred by b's quiet hours
        couple_end(user=a)
    deliver_due(berlin(2027, 5, 5, 9, 0))
    assert Nudge.objects.get(recipient=b, kind="ping").state == "cancelled"
    assert list(Notification.objects.filter(recipient=b).values_list("kind", flat=True)) == [
        "couple_ended"
    ]


def test_copy_names_what_happened_never_what_was_written():
    _, a, b = pair()
    secret = "PLANTED-private-words-7f3a"
    with time_machine.travel(berlin(2027, 5, 4, 12, 0), tick=False):
        appreciation_create(author=a, text=f"{secret} appreciation", love_language="")
        checkin_upsert(
            author=a,
            local_date=dt.date(2027, 5, 4),
            data={
                "mood": 3,
                "shared_note": f"{secret} shared",
                "private_note": f"{secret} private",
            },
        )
        checkin_upsert(author=b, local_date=dt.date(2027, 5, 4), data={"mood": 4})
    deliver_due(berlin(2027, 5, 4, 12, 0))
    notifications = list(Notification.objects.filter(recipient__in=[a, b]))
    assert {n.kind for n in notifications} == {"appreciation", "checkin_bridge_ready"}
    for notification in notifications:
        assert secret not in notification.title + notification.body
    appreciation = next(n for n in notifications if n.kind == "appreciation")
    # The name is rendered when read (issue 15: no table keeps a person's name).
    assert a.display_name not in appreciation.body
    assert a.display_name in notification_text(appreciation, appreciation.body, {})


def test_copy_is_rendered_in_the_recipients_language():
    """Whatever language the worker runs in, the words are made under the recipient's."""
    user = UserFactory(locale="es")
    nudge = nudge_relay(recipient=user, kind="ping", subject_id=uuid.uuid4())
    nudge = Nudge.objects.select_related("recipient", "actor").get(pk=nudge.pk)
    probe = NudgeKind(name="probe", nudge_class=RELAYED, title="%(language)s", body="")
    with translation.override("en"):
        title, _body = nudge_copy(nudge, probe, {"language": _CurrentLanguage()})
    assert title == "es"


class _CurrentLanguage:
    def __str__(self) -> str:
        return translation.get_language()


def test_a_reminder_is_dropped_if_the_person_checked_in_before_it_was_delivered():
    user = UserFactory()
    from nudges.planner import engagement_plan

    minute = berlin(2027, 5, 4, 20, 0)
    assert engagement_plan(minute) >= 1
    with time_machine.travel(berlin(2027, 5, 4, 19, 59, 30), tick=False):
        checkin_upsert(author=user, local_date=dt.date(2027, 5, 4), data={"passed": True})
    deliver_due(minute)
    nudge = Nudge.objects.get(recipient=user, kind="checkin_reminder")
    assert (nudge.state, nudge.reason) == ("dropped", "no_longer_needed")


def test_ignored_reminders_are_counted_and_a_check_in_starts_over():
    user = UserFactory()
    from nudges.planner import engagement_plan

    for day in (4, 5, 6):
        engagement_plan(berlin(2027, 5, day, 20, 0))
        deliver_due(berlin(2027, 5, day, 20, 0))
    row = settings_of(user)
    assert (row.checkin_reminders_ignored, row.last_checkin_reminder_on) == (3, dt.date(2027, 5, 6))
    engagement_plan(berlin(2027, 5, 7, 20, 0))
    deliver_due(berlin(2027, 5, 7, 20, 0))
    assert Nudge.objects.get(recipient=user, local_date=dt.date(2027, 5, 7)).reason == "backing_off"
    with time_machine.travel(berlin(2027, 5, 8, 9, 0), tick=False):
        checkin_upsert(author=user, local_date=dt.date(2027, 5, 8), data={"mood": 3})
    assert settings_of(user).checkin_reminders_ignored == 0


def test_delivery_of_a_batch_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    people = [pair() for _ in range(6)]
    with time_machine.travel(berlin(2027, 5, 4, 12, 0), tick=False):
        for _, a, _b in people:
            ping_send(sender=a)
            appreciation_create(author=a, text="thanks", love_language="")
    ids = list(Nudge.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(16):
        outcome = nudges_deliver(ids, now=berlin(2027, 5, 4, 12, 0))
    assert outcome["sent"] == 12
