"""Issue 18, item 5: `lesson_idea`, Haven's own small nudge towards today's lesson: inbox only
(no push, no email), ranked below the check-in reminder under the daily cap, backing off,
turned off by an opt-out, held while the person takes space; and item 3's share, relayed to
the partner like an appreciation, naming the lesson and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from couples.services.conversations import conversation_request
from couples.services.couples import space_start
from couples.services.messages import appreciation_create
from learn import rules
from learn.models import LessonOffer
from learn.nudging import IDEA_KIND
from nudges.kinds import kind_named
from nudges.models import Delivery, Notification, Nudge, NudgeSettings
from nudges.naming import notification_text
from nudges.planner import engagement_plan
from tests.learn.today import learning_couple, offered
from tests.nudges.delivering import deliver_due

pytestmark = pytest.mark.usefixtures("lessons")


def _due_now(*people) -> dt.datetime:
    """Make these people due at the current minute (their check-in time, Berlin)."""
    minute = timezone.now().replace(second=0, microsecond=0)
    local = minute.astimezone(dt.timezone(dt.timedelta(hours=1))).time()
    NudgeSettings.objects.filter(user__in=people).update(checkin_time=local)
    return minute


def _unsettled(person) -> None:
    conversation_request(
        requester=person,
        topic="Sundays",
        depth="light",
        urgency="no_rush",
        proposed_times=[timezone.now() + dt.timedelta(days=1)],
        calm_score=1,
    )


def _ideas(person) -> list[Nudge]:
    return list(Nudge.objects.filter(recipient=person, kind=IDEA_KIND))


def test_the_kind_is_engagement_below_the_check_in_reminder_backing_off_and_inbox_only():
    idea = kind_named(IDEA_KIND)
    assert idea.is_engagement and idea.backs_off and idea.inbox_only and idea.same_day_only
    assert idea.priority > kind_named("checkin_reminder").priority
    assert not idea.allowed_while_space and not idea.passes_space_hold


def test_the_planner_offers_todays_lesson_to_those_it_fits_and_no_one_else(time_machine):
    people = learning_couple(time_machine)
    _unsettled(people.a)
    minute = _due_now(people.a, people.b)
    engagement_plan(minute)
    [idea] = _ideas(people.a)
    assert _ideas(people.b) == []
    offer = LessonOffer.objects.get(pk=idea.subject_id)
    assert offer.user_id == people.a.pk and offer.reason == "low_calm"
    # The app shows the same lesson the nudge was about.
    assert offered(people.client_a) == (rules.CALM_FIRST, "low_calm")
    # A second run for the same minute doubles nothing.
    engagement_plan(minute)
    assert len(_ideas(people.a)) == 1


def test_a_lesson_idea_reaches_the_inbox_and_never_push_or_email(time_machine):
    people = learning_couple(time_machine)
    NudgeSettings.objects.filter(user=people.a).update(channels=["push", "email"], daily_cap=3)
    _unsettled(people.a)
    engagement_plan(_due_now(people.a))
    deliver_due(timezone.now())
    [idea] = _ideas(people.a)
    assert idea.state == Nudge.State.SENT, idea.reason
    notification = Notification.objects.get(nudge=idea)
    assert "calm" not in f"{notification.title} {notification.body}".lower()  # discreet
    assert not Delivery.objects.filter(nudge=idea).exists()
    # An appreciation to the same person does go out by email: the channel works.
    appreciation_create(author=people.b, text="Thank you for the soup.")
    deliver_due(timezone.now())
    assert Delivery.objects.filter(nudge__recipient=people.a, nudge__kind="appreciation").exists()


def test_under_a_cap_of_one_the_check_in_reminder_keeps_the_days_slot(time_machine):
    people = learning_couple(time_machine)
    _unsettled(people.a)
    engagement_plan(_due_now(people.a))
    deliver_due(timezone.now())
    kinds = set(Notification.objects.filter(recipient=people.a).values_list("kind", flat=True))
    assert kinds == {"checkin_reminder"}
    [idea] = _ideas(people.a)
    assert (idea.state, idea.reason) == (Nudge.State.DROPPED, "daily_cap")


def test_an_opt_out_drops_it(time_machine):
    people = learning_couple(time_machine)
    NudgeSettings.objects.filter(user=people.a).update(opted_out_kinds=[IDEA_KIND], daily_cap=3)
    _unsettled(people.a)
    engagement_plan(_due_now(people.a))
    deliver_due(timezone.now())
    assert not Notification.objects.filter(recipient=people.a, kind=IDEA_KIND).exists()


def test_it_waits_while_the_person_takes_space(time_machine):
    people = learning_couple(time_machine)
    NudgeSettings.objects.filter(user=people.a).update(daily_cap=3)
    _unsettled(people.a)
    space_start(user=people.a, ends_at=timezone.now() + dt.timedelta(hours=2), check_back_at=None)
    engagement_plan(_due_now(people.a))
    deliver_due(timezone.now())
    assert not Notification.objects.filter(recipient=people.a, kind=IDEA_KIND).exists()


def test_reading_the_lesson_first_drops_the_idea(time_machine):
    people = learning_couple(time_machine)
    NudgeSettings.objects.filter(user=people.a).update(daily_cap=3)
    _unsettled(people.a)
    engagement_plan(_due_now(people.a))
    assert people.client_a.post(f"/api/v1/lessons/{rules.CALM_FIRST}/complete").status_code == 200
    deliver_due(timezone.now())
    assert not Notification.objects.filter(recipient=people.a, kind=IDEA_KIND).exists()


def test_a_share_reaches_the_partner_naming_the_lesson_and_nothing_else(time_machine):
    people = learning_couple(time_machine)
    planted = "PLANTED-reflection-share-7781"
    people.client_a.put(
        f"/api/v1/lessons/{rules.NOT_ABOUT_YOU}/reflection", {"text": planted}, format="json"
    )
    shared = people.client_a.post(f"/api/v1/lessons/{rules.NOT_ABOUT_YOU}/share")
    assert shared.status_code == 200, shared.content
    deliver_due(timezone.now())
    [note] = Notification.objects.filter(recipient=people.b, kind="lesson_shared")
    # An inbox row keeps the actor's place and names them when read (nudges.naming).
    title, body = (notification_text(note, text, {}) for text in (note.title, note.body))
    words = f"{title} {body}"
    assert people.a.display_name in words and "When distance is not about you" in words
    assert planted not in words
    assert not Notification.objects.filter(recipient=people.a, kind="lesson_shared").exists()


def test_reading_a_lesson_is_an_answer_the_back_off_starts_over(time_machine):
    people = learning_couple(time_machine)
    NudgeSettings.objects.filter(user=people.a).update(checkin_reminders_ignored=4)
    assert people.client_a.post(f"/api/v1/lessons/{rules.CALM_FIRST}/complete").status_code == 200
    assert NudgeSettings.objects.get(user=people.a).checkin_reminders_ignored == 0


def test_a_share_reaches_a_spanish_partner_in_spanish(time_machine):
    people = learning_couple(time_machine)
    people.b.locale = "es"
    people.b.save(update_fields=["locale"])
    shared = people.client_a.post(f"/api/v1/lessons/{rules.NOT_ABOUT_YOU}/share")
    assert shared.status_code == 200, shared.content
    deliver_due(timezone.now())
    [note] = Notification.objects.filter(recipient=people.b, kind="lesson_shared")
    title, body = (notification_text(note, text, {}) for text in (note.title, note.body))
    assert title == f"Algo que leyó {people.a.display_name}"
    assert body == (
        f"{people.a.display_name} leyó hoy una lección corta: "
        "«Cuando la distancia no tiene que ver contigo»."
    )
