"""A person's nudge settings row: written at sign-up (the planner's index), read everywhere
without ever being written by a reader (a missing row reads as unsaved defaults), and
written by the first change."""

import datetime as dt

import pytest

from accounts.models import LoveLanguages, Preferences, User
from accounts.selectors import love_languages_of, preferences_of
from nudges.kinds import space_allowed_by_default
from nudges.models import Delivery, Notification, Nudge, NudgeSettings
from nudges.planner import due_people_query
from nudges.selectors import nudge_settings_of
from nudges.services import (
    device_register,
    nudge_kind_unsubscribe,
    nudge_relay,
    nudge_schedule,
    unsubscribe_token,
)
from tests.factories import UserFactory, pair
from tests.nudges.delivering import berlin, deliver_due, subject_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rowless(db) -> User:
    """Someone without a settings row (as people from before the table existed were)."""
    user = UserFactory()
    NudgeSettings.objects.filter(user=user).delete()
    return User.objects.get(pk=user.pk)


def test_signing_up_writes_the_row_the_planner_finds_people_by():
    user = UserFactory()
    assert NudgeSettings.objects.filter(user=user).exists()
    due = due_people_query(berlin(2027, 5, 4, 20, 0)).values_list("user_id", flat=True)
    assert user.pk in set(due)  # the default 20:00 reminder time, never changed


def test_reading_someone_without_a_row_gives_defaults_and_writes_nothing(
    rowless, django_assert_num_queries
):
    with django_assert_num_queries(1):
        row = nudge_settings_of(user=rowless)
    assert row._state.adding and row.user_id == rowless.pk
    assert (row.time_zone, row.checkin_time, row.daily_cap) == (
        rowless.time_zone,
        dt.time(20, 0),
        1,
    )
    assert row.space_allowed_kinds == space_allowed_by_default()
    assert not NudgeSettings.objects.filter(user=rowless).exists()


def test_a_row_loaded_with_the_person_costs_no_query(rowless, django_assert_num_queries):
    person = User.objects.select_related("nudge_settings").get(pk=rowless.pk)
    with django_assert_num_queries(0):
        assert nudge_settings_of(user=person)._state.adding


def test_the_settings_endpoint_reads_without_writing_and_the_first_change_writes(auth_client, user):
    NudgeSettings.objects.filter(user=user).delete()
    body = auth_client.get("/api/v1/me/nudge-settings").json()
    assert (body["checkin_time"], body["time_zone"]) == ("20:00", user.time_zone)
    assert not NudgeSettings.objects.filter(user=user).exists()
    response = auth_client.patch("/api/v1/me/nudge-settings", {"daily_cap": 0}, format="json")
    assert response.status_code == 200, response.content
    assert NudgeSettings.objects.get(user=user).daily_cap == 0


def test_the_profile_selectors_read_without_writing(rowless):
    assert love_languages_of(user=rowless)._state.adding
    assert preferences_of(user=rowless)._state.adding
    assert not LoveLanguages.objects.filter(user=rowless).exists()
    assert not Preferences.objects.filter(user=rowless).exists()


def test_delivering_to_someone_without_a_row_writes_no_row(rowless):
    now = berlin(2027, 5, 4, 12, 0)
    device_register(user=rowless, token="rowless-phone", platform="ios")
    pair(rowless)
    nudge_relay(recipient=rowless, kind="ping", subject_id=subject_for(rowless), due_at=now)
    assert deliver_due(now)["sent"] == 1
    assert Notification.objects.filter(recipient=rowless).exists()
    # The copies follow the defaults: both channels.
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"push", "email"}
    assert not NudgeSettings.objects.filter(user=rowless).exists()


def test_a_kind_that_backs_off_writes_a_missing_row_with_its_count(rowless):
    nudge_schedule(
        recipient=rowless,
        kind="checkin_reminder",
        subject_id=rowless.pk,
        due_at=berlin(2027, 5, 4, 20, 0),
    )
    assert deliver_due(berlin(2027, 5, 4, 20, 0))["sent"] == 1
    row = NudgeSettings.objects.get(user=rowless)
    assert (row.checkin_reminders_ignored, row.last_checkin_reminder_on) == (1, dt.date(2027, 5, 4))
    assert (row.time_zone, row.space_allowed_kinds) == (
        rowless.time_zone,
        space_allowed_by_default(),
    )
    assert Nudge.objects.get(recipient=rowless).state == "sent"


def test_unsubscribing_is_a_first_change_too(rowless):
    nudge_kind_unsubscribe(token=unsubscribe_token(user_id=rowless.pk, kind="ping"))
    assert NudgeSettings.objects.get(user=rowless).opted_out_kinds == ["ping"]


def test_unsubscribing_after_leaving_haven_changes_nothing():
    user = UserFactory()
    user_id, token = user.pk, unsubscribe_token(user_id=user.pk, kind="ping")
    user.delete()
    assert nudge_kind_unsubscribe(token=token) == "ping"
    assert not NudgeSettings.objects.filter(user_id=user_id).exists()
