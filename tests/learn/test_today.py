"""Issue 18, item 2: `learn/today` offers at most one lesson a day, from the person's own
signals or what is already shared with them, never the partner's private data; the same
lesson not twice within 14 days; one put aside not for 60; nothing fits, nothing. Every
signal from real objects written through the services, read through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from checkins.models import CheckIn
from couples.services.agreements import agreement_counter, agreement_propose
from couples.services.coaching import coach_note_write
from couples.services.conversations import conversation_request
from couples.services.couples import space_start
from couples.services.messages import appreciation_create
from learn import rules
from learn.models import LessonOffer
from tests.factories import CheckInFactory
from tests.learn.today import days_later, learning_couple, offered
from tests.utils import today_for

pytestmark = pytest.mark.usefixtures("lessons")

BLAME = "You never listen to me and you always leave the dishes."
NEEDS = {"my_need": "Rest after work.", "your_need_as_i_understand": "Time together."}


def _ask(person, calm_score: int, **choice):
    return conversation_request(
        requester=person,
        topic="Sundays",
        depth="light",
        urgency="no_rush",
        proposed_times=[timezone.now() + dt.timedelta(days=1)],
        calm_score=calm_score,
        **choice,
    )


def test_nothing_fits_nothing_is_offered(time_machine):
    people = learning_couple(time_machine)
    assert offered(people.client_a) == (None, None)
    body = people.client_a.get("/api/v1/learn/today").json()
    assert body == {"lesson": None, "reason": None, "why": None}
    assert not LessonOffer.objects.exists()


def test_the_partner_taking_space_offers_distance_is_not_about_you(time_machine):
    people = learning_couple(time_machine)
    space_start(user=people.b, ends_at=timezone.now() + dt.timedelta(hours=3), check_back_at=None)
    body = people.client_a.get("/api/v1/learn/today").json()
    assert body["lesson"]["slug"] == rules.NOT_ABOUT_YOU
    assert body["reason"] == "partner_space"
    assert body["why"] and "avoid" not in body["why"].lower()
    assert body["lesson"]["body"] and body["lesson"]["try_today"]
    # The one taking space is not told anything about it by a lesson.
    assert offered(people.client_b) == (None, None)


def test_a_low_calm_score_of_my_own_offers_calm_first(time_machine):
    people = learning_couple(time_machine)
    _ask(people.a, calm_score=2)
    assert offered(people.client_a) == (rules.CALM_FIRST, "low_calm")
    # The calm score is the requester's alone: it offers the partner nothing.
    assert offered(people.client_b) == (None, None)


def test_a_calm_score_of_three_offers_nothing(time_machine):
    people = learning_couple(time_machine)
    _ask(people.a, calm_score=3)
    assert offered(people.client_a) == (None, None)


def test_three_saved_writes_with_tone_hints_this_week_offer_i_instead_of_you(time_machine):
    people = learning_couple(time_machine)
    appreciation_create(author=people.a, text=BLAME)
    appreciation_create(author=people.a, text="Thanks for the tea. You always know.")
    assert offered(people.client_a) == (None, None)  # two: not yet (and now offered nothing today)
    days_later(time_machine, people, 1)
    CheckInFactory(author=people.a, private_note="You never ask how my day was.")
    assert offered(people.client_a) == (rules.I_NOT_YOU, "tone_hints")


def test_tone_checks_are_never_counted_only_saved_writes(time_machine):
    people = learning_couple(time_machine)
    for _ in range(5):
        checked = people.client_a.post("/api/v1/tone/check", {"text": BLAME}, format="json")
        assert checked.status_code == 200
    assert offered(people.client_a) == (None, None)


def test_writes_older_than_a_week_are_not_counted(time_machine):
    people = learning_couple(time_machine)
    for _ in range(3):
        appreciation_create(author=people.a, text=BLAME)
    days_later(time_machine, people, 8)
    assert offered(people.client_a) == (None, None)


def test_the_partners_words_are_never_counted_for_me(time_machine):
    people = learning_couple(time_machine)
    for _ in range(3):
        appreciation_create(author=people.b, text=BLAME)
    CheckInFactory(author=people.b, private_note=BLAME, shared_note=BLAME)
    assert offered(people.client_a) == (None, None)
    assert offered(people.client_b) == (rules.I_NOT_YOU, "tone_hints")


def test_an_agreement_countered_twice_offers_compromise_to_both(time_machine):
    people = learning_couple(time_machine)
    agreement = agreement_propose(author=people.a, title="Sundays", terms="Walk at ten.", **NEEDS)
    agreement = agreement_counter(
        agreement=agreement, author=people.b, based_on=1, terms="Walk at eleven.", **NEEDS
    )
    assert offered(people.client_a) == (None, None)
    days_later(time_machine, people, 1)
    agreement_counter(
        agreement=agreement, author=people.a, based_on=2, terms="Walk at half ten.", **NEEDS
    )
    assert offered(people.client_a) == (rules.MEET_IN_THE_MIDDLE, "countered")
    assert offered(people.client_b) == (rules.MEET_IN_THE_MIDDLE, "countered")


def _dials(people, days: int, *, a: int, b: int, b_shared: bool = True) -> None:
    today = today_for(people.a)
    for back in range(days):
        day = today - dt.timedelta(days=back)
        CheckInFactory(author=people.a, local_date=day, dial=a)
        CheckInFactory(author=people.b, local_date=day, dial=b, is_shared=b_shared)


def test_dials_apart_three_days_running_offer_accept_differences(time_machine):
    people = learning_couple(time_machine)
    _dials(people, 3, a=2, b=-1)
    assert offered(people.client_a) == (rules.ACCEPT_DIFFERENCES, "dials_apart")


def test_two_days_apart_or_the_same_side_offer_nothing(time_machine):
    people = learning_couple(time_machine)
    _dials(people, 2, a=2, b=-2)
    assert offered(people.client_a) == (None, None)
    other = learning_couple(time_machine)
    _dials(other, 3, a=2, b=1)
    assert offered(other.client_a) == (None, None)


def test_an_unsent_check_in_of_the_partner_is_never_read(time_machine):
    people = learning_couple(time_machine)
    _dials(people, 3, a=2, b=-2, b_shared=False)
    assert CheckIn.objects.filter(author=people.b, is_shared=False).count() == 3
    assert offered(people.client_a) == (None, None)


def test_a_lesson_a_coach_attached_is_each_partners_lesson_of_the_day(time_machine, coach_for):
    people = learning_couple(time_machine)
    coach = coach_for(people)
    space_start(user=people.b, ends_at=timezone.now() + dt.timedelta(hours=3), check_back_at=None)
    coach_note_write(coach=coach, couple=people.couple, text="A thought.", lesson="outside-help")
    assert offered(people.client_a) == ("outside-help", "coach_note")
    assert offered(people.client_b) == ("outside-help", "coach_note")


def test_a_coach_note_a_week_old_no_longer_offers_its_lesson(time_machine, coach_for):
    people = learning_couple(time_machine)
    coach_note_write(
        coach=coach_for(people), couple=people.couple, text="A thought.", lesson="go-slowly"
    )
    days_later(time_machine, people, 8)
    assert offered(people.client_a) == (None, None)


def test_at_most_one_a_day_and_it_stays_for_the_day(time_machine):
    people = learning_couple(time_machine)
    _ask(people.a, calm_score=1)
    space_start(user=people.b, ends_at=timezone.now() + dt.timedelta(hours=3), check_back_at=None)
    assert offered(people.client_a) == (rules.CALM_FIRST, "low_calm")
    days_later(time_machine, people, 0.2)  # later that day: the space signal alone is left
    assert offered(people.client_a) == (rules.CALM_FIRST, "low_calm")
    assert LessonOffer.objects.filter(user=people.a).count() == 1


def test_the_same_lesson_is_not_offered_again_within_14_days(time_machine):
    people = learning_couple(time_machine)
    _ask(people.a, calm_score=1)
    assert offered(people.client_a) == (rules.CALM_FIRST, "low_calm")
    for step in (1, 12):  # the next day, and 13 days after the first offer
        days_later(time_machine, people, step)
        _ask(people.a, calm_score=1)
        assert offered(people.client_a) == (None, None)
    days_later(time_machine, people, 1)  # 14 days after the first offer
    _ask(people.a, calm_score=1)
    assert offered(people.client_a) == (rules.CALM_FIRST, "low_calm")


def test_a_lesson_put_aside_is_gone_for_today_and_60_days(time_machine):
    people = learning_couple(time_machine)
    space_start(user=people.b, ends_at=timezone.now() + dt.timedelta(hours=3), check_back_at=None)
    assert offered(people.client_a)[0] == rules.NOT_ABOUT_YOU
    put_aside = people.client_a.post(f"/api/v1/lessons/{rules.NOT_ABOUT_YOU}/dismiss")
    assert put_aside.status_code == 200
    assert offered(people.client_a) == (None, None)
    days_later(time_machine, people, 20)
    space_start(user=people.b, ends_at=timezone.now() + dt.timedelta(hours=2), check_back_at=None)
    assert offered(people.client_a) == (None, None)
    days_later(time_machine, people, 41)
    space_start(user=people.b, ends_at=timezone.now() + dt.timedelta(hours=2), check_back_at=None)
    assert offered(people.client_a) == (rules.NOT_ABOUT_YOU, "partner_space")


def test_a_retired_lesson_is_not_offered(time_machine):
    from learn.models import Lesson

    people = learning_couple(time_machine)
    Lesson.objects.filter(slug=rules.CALM_FIRST).update(is_active=False)
    _ask(people.a, calm_score=1)
    assert offered(people.client_a) == (None, None)


def _leave_quietly(people) -> None:
    """The couple ends for `a` now and for `b` in six hours (leaving safely, issue 16)."""
    ended = people.client_a.post("/api/v1/couple/end", {"delay_hours": 6}, format="json")
    assert ended.status_code == 200, ended.content


def test_during_a_delayed_end_the_partners_space_offers_the_leaver_nothing(time_machine):
    """For the one leaving, the couple reads as ended from the moment they ask, and nothing
    of the partner's reaches them: not even as the reason for a lesson."""
    people = learning_couple(time_machine)
    space_start(user=people.b, ends_at=timezone.now() + dt.timedelta(hours=3), check_back_at=None)
    _leave_quietly(people)
    assert offered(people.client_a) == (None, None)


def test_during_a_delayed_end_the_couples_signals_reach_only_the_partner(time_machine, coach_for):
    people = learning_couple(time_machine)
    coach = coach_for(people)
    agreement = agreement_propose(author=people.a, title="Sundays", terms="Walk at ten.", **NEEDS)
    agreement = agreement_counter(
        agreement=agreement, author=people.b, based_on=1, terms="Walk at eleven.", **NEEDS
    )
    agreement_counter(
        agreement=agreement, author=people.a, based_on=2, terms="Walk at half ten.", **NEEDS
    )
    coach_note_write(coach=coach, couple=people.couple, text="A thought.", lesson="outside-help")
    _leave_quietly(people)
    assert offered(people.client_a) == (None, None)
    # The partner sees the couple exactly as it was: their lesson is the coach's pick.
    assert offered(people.client_b) == ("outside-help", "coach_note")
