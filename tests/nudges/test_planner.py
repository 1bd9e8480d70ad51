"""The planner: who is due is found in each person's own local minute (DST included), a
second run for the same minute doubles nothing, missed minutes are caught up, claims are
exclusive, and the work per tick follows the number due."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection

from checkins.services import checkin_upsert
from couples.models import Agreement, Boundary
from nudges.models import Nudge, NudgeSettings, PlannerRun
from nudges.naming import notification_text
from nudges.planner import due_people_query, engagement_plan, nudges_claim_due, planner_tick
from tests.factories import UserFactory, pair
from tests.nudges.delivering import berlin, deliver_due

pytestmark = pytest.mark.django_db
UTC = dt.UTC
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def person(zone: str, checkin: dt.time):
    user = UserFactory(time_zone=zone)
    NudgeSettings.objects.filter(user=user).update(checkin_time=checkin)
    return user


def due_at(minute: dt.datetime) -> set:
    return set(due_people_query(minute).values_list("user_id", flat=True))


def test_people_are_due_at_their_own_local_check_in_minute():
    berliner = person("Europe/Berlin", dt.time(20, 0))
    new_yorker = person("America/New_York", dt.time(20, 0))
    kolkata = person("Asia/Kolkata", dt.time(0, 30))  # UTC+5:30
    # 19:00 UTC on 25 Nov: 20:00 in Berlin, 14:00 in New York, 00:30 next day in Kolkata.
    assert due_at(dt.datetime(2026, 11, 25, 19, 0, tzinfo=UTC)) == {berliner.pk, kolkata.pk}
    assert due_at(dt.datetime(2026, 11, 26, 1, 0, tzinfo=UTC)) == {new_yorker.pk}


def test_the_settings_follow_a_change_of_time_zone():
    user = person("Europe/Berlin", dt.time(20, 0))
    user.time_zone = "America/New_York"
    user.save()
    assert NudgeSettings.objects.get(user=user).time_zone == "America/New_York"
    assert due_at(dt.datetime(2026, 11, 26, 1, 0, tzinfo=UTC)) == {user.pk}


def test_a_check_in_time_skipped_by_a_dst_jump_is_due_at_the_jump():
    # New York, 8 March 2026: clocks go from 01:59 to 03:00.
    skipped = person("America/New_York", dt.time(2, 30))
    jump = dt.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT
    assert skipped.pk in due_at(jump)
    assert skipped.pk not in due_at(jump - dt.timedelta(minutes=1))


def test_a_repeated_hour_plans_one_reminder():
    # New York, 1 November 2026: 01:00-02:00 happens twice; 01:30 is reached twice.
    user = person("America/New_York", dt.time(1, 30))
    first, second = (dt.datetime(2026, 11, 1, h, 30, tzinfo=UTC) for h in (5, 6))
    assert user.pk in due_at(first) and user.pk in due_at(second)
    engagement_plan(first)
    engagement_plan(second)
    assert Nudge.objects.filter(recipient=user, kind="checkin_reminder").count() == 1


def test_a_second_planner_run_for_the_same_minute_creates_nothing_twice():
    user = person("Europe/Berlin", dt.time(20, 0))
    now = berlin(2026, 11, 25, 20, 0, 5)
    first = planner_tick(now)
    PlannerRun.objects.all().delete()  # as if the second run never saw the first finish
    second = planner_tick(now)
    assert first["planned"] == 1 and second["planned"] == 0
    assert Nudge.objects.filter(recipient=user).count() == 1


def test_minutes_a_stopped_beat_missed_are_planned_by_the_next_tick():
    user = person("Europe/Berlin", dt.time(20, 2))
    PlannerRun.objects.create(minute=berlin(2026, 11, 25, 20, 0))
    result = planner_tick(berlin(2026, 11, 25, 20, 5))
    assert result["planned"] == 1
    assert set(PlannerRun.objects.values_list("minute", flat=True)) == {
        berlin(2026, 11, 25, 20, m) for m in range(0, 6)
    }
    assert Nudge.objects.get(recipient=user).due_at == berlin(2026, 11, 25, 20, 2)


def test_no_reminder_for_someone_who_already_checked_in_today():
    user = person("Europe/Berlin", dt.time(20, 0))
    import time_machine

    with time_machine.travel(berlin(2026, 11, 25, 9, 0), tick=False):
        checkin_upsert(author=user, local_date=dt.date(2026, 11, 25), data={"passed": True})
    assert engagement_plan(berlin(2026, 11, 25, 20, 0)) == 0


def test_a_claim_is_exclusive_until_its_lease_lapses(settings):
    user = person("Europe/Berlin", dt.time(20, 0))
    now = berlin(2026, 11, 25, 20, 0)
    engagement_plan(now)
    claimed = nudges_claim_due(now, 100)
    assert claimed == [Nudge.objects.get(recipient=user).pk]
    assert nudges_claim_due(now, 100) == []
    assert (
        nudges_claim_due(now + settings.NUDGE_CLAIM_LEASE + dt.timedelta(seconds=1), 100) == claimed
    )


def test_the_tick_fans_out_batches_of_ids(settings, monkeypatch):
    settings.NUDGE_BATCH_SIZE = 2
    for _ in range(5):
        person("Europe/Berlin", dt.time(20, 0))
    sent = []
    monkeypatch.setattr(
        "nudges.tasks.deliver_nudges.apply_async", lambda args, **kw: sent.append(args[0])
    )
    result = planner_tick(berlin(2026, 11, 25, 20, 0))
    assert (result["claimed"], result["batches"]) == (5, 3)
    assert sorted(len(batch) for batch in sent) == [1, 2, 2]


@pytest.mark.parametrize("count", [2, 40])
def test_a_tick_takes_a_bounded_number_of_queries_however_many_are_due(
    count, django_assert_max_num_queries
):
    for _ in range(count):
        person("Europe/Berlin", dt.time(20, 0))
    # A fixed number per planned kind, whatever the count: learn's lesson idea reads four
    # (memberships, calm self-checks, the saved words of couples and of check-ins).
    with django_assert_max_num_queries(22):
        result = planner_tick(berlin(2026, 11, 25, 20, 0))
    assert result["claimed"] == count


def test_review_dates_revisit_dates_and_weekly_ideas_are_planned_in_local_time():
    couple, a, b = pair()
    today = dt.date(2026, 11, 25)
    agreement = Agreement.objects.create(
        couple=couple, title="Sundays", state=Agreement.State.ACTIVE, review_on=today
    )
    boundary = Boundary.objects.create(
        owner=a, kind="need", text="quiet mornings", revisit_on=today
    )
    engagement_plan(berlin(2026, 11, 25, 20, 0))
    planned = set(Nudge.objects.values_list("recipient_id", "kind", "subject_id"))
    assert (a.pk, "agreement_review_due", agreement.pk) in planned
    assert (b.pk, "agreement_review_due", agreement.pk) in planned
    assert (a.pk, "boundary_revisit", boundary.pk) in planned
    # The appreciation idea comes once a week, on each person's own weekday.
    for person_ in (a, b):
        ideas = Nudge.objects.filter(recipient=person_, kind="appreciation_idea")
        assert ideas.exists() == (today.weekday() == person_.pk.int % 7)


def test_an_appreciation_idea_names_a_gesture_in_the_partners_shared_love_language():
    from accounts.models import LoveLanguages

    _, a, b = pair()
    LoveLanguages.objects.create(
        user=b,
        receiving=[
            "acts_of_service",
            "gifts",
            "quality_time",
            "physical_touch",
            "words_of_affirmation",
        ],
    )
    day = dt.date(2026, 11, 23)
    while day.weekday() != a.pk.int % 7:
        day += dt.timedelta(days=1)
    minute = dt.datetime.combine(day, dt.time(20, 0), tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    engagement_plan(minute.astimezone(UTC))
    Nudge.objects.exclude(kind="appreciation_idea").delete()
    deliver_due(minute.astimezone(UTC))
    from nudges.models import Notification

    idea = Notification.objects.get(recipient=a, kind="appreciation_idea")
    # The partner's name is rendered when read (issue 15: no table keeps a person's name).
    body = notification_text(idea, idea.body, {})
    assert "task off their plate" in body and b.display_name in body


def test_the_due_set_query_reads_the_index_not_the_whole_table():
    for _ in range(3):
        person("Europe/Berlin", dt.time(20, 0))
    sql, params = due_people_query(berlin(2026, 11, 25, 20, 0)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny table: ask what it *can* use
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "nudge_settings_due_idx" in plan and "Seq Scan" not in plan
