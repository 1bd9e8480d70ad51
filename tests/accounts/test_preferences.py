"""me/preferences: alone-time windows, connection activities, response pace, the reassurance a
person likes to hear, and an optional attachment style that stays private unless shared."""

import json
from datetime import datetime

import pytest

from accounts.models import Preferences
from accounts.selectors import alone_time_windows_of, profile_shared_with_partner
from accounts.services import preferences_set
from common.errors import ApplicationError
from tests.factories import UserFactory

URL = "/api/v1/me/preferences"


def window(weekday: int, start: str, end: str) -> dict:
    return {"weekday": weekday, "start": start, "end": end}


def half_hours(per_day: int) -> list[dict]:
    """`per_day` non-overlapping half-hour windows on each of the seven days."""
    return [
        window(day, f"{hour:02d}:00", f"{hour:02d}:30")
        for day in range(7)
        for hour in range(1, per_day + 1)
    ]


def _errors(response) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.content
    assert response.json()["type"] == "validation_error"
    return [(e["attr"], e["code"]) for e in response.json()["errors"]]


def test_reading_before_any_save_returns_defaults_and_writes_nothing(auth_client, user):
    response = auth_client.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "alone_time_windows": [],
        "connection_activities": [],
        "connection_activities_other": "",
        "response_pace": None,
        "reassurance": "",
        "shared_with_partner": True,
        "attachment_style": None,
        "attachment_style_shared": False,
        "updated_at": None,
    }
    assert not Preferences.objects.filter(user=user).exists()


def test_put_then_get_round_trips_and_windows_are_stored_sorted(auth_client, user):
    body = {
        "alone_time_windows": [window(2, "18:00", "19:30"), window(0, "07:00", "08:00")],
        "connection_activities": ["side_by_side_quiet_time", "walk_together"],
        "connection_activities_other": "Reading in the same room",
        "response_pace": "a_few_days",
        "reassurance": "I'm not going anywhere; take the time you need.",
        "shared_with_partner": True,
        "attachment_style": "avoidant",
        "attachment_style_shared": False,
    }
    saved = auth_client.put(URL, body, format="json")
    assert saved.status_code == 200, saved.content
    expected = {
        **body,
        "alone_time_windows": [window(0, "07:00", "08:00"), window(2, "18:00", "19:30")],
    }
    read = auth_client.get(URL).json()
    assert {k: v for k, v in read.items() if k != "updated_at"} == expected
    assert Preferences.objects.get(user=user).alone_time_windows == expected["alone_time_windows"]


def test_put_replaces_everything_and_what_is_left_out_goes_back_to_its_default(auth_client):
    auth_client.put(
        URL,
        {"reassurance": "Text me goodnight", "attachment_style": "anxious"},
        format="json",
    )
    replaced = auth_client.put(URL, {"response_pace": "same_day"}, format="json").json()
    assert replaced["response_pace"] == "same_day"
    assert replaced["reassurance"] == ""
    assert replaced["attachment_style"] is None


def test_patch_changes_only_the_fields_sent(auth_client):
    auth_client.put(
        URL,
        {"alone_time_windows": [window(5, "09:00", "11:00")], "reassurance": "Text me goodnight"},
        format="json",
    )
    patched = auth_client.patch(URL, {"response_pace": "when_i_say_ready"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["alone_time_windows"] == [window(5, "09:00", "11:00")]
    assert patched.json()["reassurance"] == "Text me goodnight"
    assert patched.json()["response_pace"] == "when_i_say_ready"


def test_a_window_of_zero_length_names_its_end(auth_client):
    windows = [window(0, "08:00", "09:00"), window(0, "10:00", "10:00")]
    response = auth_client.put(URL, {"alone_time_windows": windows}, format="json")
    assert _errors(response) == [("alone_time_windows.1.end", "empty_window")]


def test_a_window_ending_before_it_starts_is_refused_and_midnight_takes_two_windows(
    auth_client,
):
    crossing = auth_client.put(
        URL, {"alone_time_windows": [window(4, "22:00", "02:00")]}, format="json"
    )
    assert _errors(crossing) == [("alone_time_windows.0.end", "window_crosses_midnight")]
    split = [window(4, "22:00", "24:00"), window(5, "00:00", "02:00")]
    response = auth_client.put(URL, {"alone_time_windows": split}, format="json")
    assert response.status_code == 200
    assert response.json()["alone_time_windows"] == split


def test_windows_overlapping_on_the_same_weekday_name_the_later_start(auth_client):
    windows = [
        window(0, "08:00", "12:00"),
        window(1, "09:00", "10:00"),
        window(0, "11:00", "13:00"),
    ]
    response = auth_client.put(URL, {"alone_time_windows": windows}, format="json")
    assert _errors(response) == [("alone_time_windows.2.start", "window_overlap")]


def test_windows_that_only_touch_or_fall_on_other_days_are_fine(auth_client):
    windows = [
        window(0, "08:00", "10:00"),
        window(0, "10:00", "12:00"),
        window(1, "08:00", "12:00"),
    ]
    response = auth_client.put(URL, {"alone_time_windows": windows}, format="json")
    assert response.status_code == 200, response.content


def test_malformed_window_times_and_weekdays_name_the_part(auth_client):
    response = auth_client.put(
        URL, {"alone_time_windows": [window(7, "7:30", "25:00")]}, format="json"
    )
    assert _errors(response) == [
        ("alone_time_windows.0.weekday", "max_value"),
        ("alone_time_windows.0.start", "invalid"),
        ("alone_time_windows.0.end", "invalid"),
    ]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_window_missing_a_part_names_it_on_a_patch_too(auth_client, method):
    """Found by schemathesis: a PATCH let a window without its start reach the rules (500)."""
    half = {"alone_time_windows": [{"weekday": 0, "end": "00:00"}, {"start": "09:00"}]}
    response = getattr(auth_client, method)(URL, half, format="json")
    assert sorted(_errors(response)) == [
        ("alone_time_windows.0.start", "required"),
        ("alone_time_windows.1.end", "required"),
        ("alone_time_windows.1.weekday", "required"),
    ]


def test_more_than_21_windows_are_refused(auth_client):
    response = auth_client.put(URL, {"alone_time_windows": half_hours(4)[:22]}, format="json")
    assert _errors(response) == [("alone_time_windows", "max_length")]
    response = auth_client.put(URL, {"alone_time_windows": half_hours(3)}, format="json")
    assert response.status_code == 200


def test_an_unknown_activity_code_names_its_position(auth_client):
    response = auth_client.patch(
        URL, {"connection_activities": ["cook_together", "skydiving"]}, format="json"
    )
    assert _errors(response) == [("connection_activities.1", "invalid_choice")]


def test_an_activity_chosen_twice_is_refused(auth_client):
    response = auth_client.patch(
        URL, {"connection_activities": ["texting", "cuddle", "texting"]}, format="json"
    )
    assert _errors(response) == [("connection_activities.2", "duplicate_activity")]


def test_over_long_free_text_names_the_field(auth_client):
    response = auth_client.patch(
        URL,
        {"connection_activities_other": "y" * 201, "reassurance": "x" * 281},
        format="json",
    )
    assert _errors(response) == [
        ("connection_activities_other", "max_length"),
        ("reassurance", "max_length"),
    ]
    ok = auth_client.patch(
        URL, {"connection_activities_other": "y" * 200, "reassurance": "x" * 280}, format="json"
    )
    assert ok.status_code == 200


def test_unknown_response_pace_and_attachment_style_are_refused(auth_client):
    response = auth_client.patch(
        URL, {"response_pace": "never", "attachment_style": "clingy"}, format="json"
    )
    assert _errors(response) == [
        ("response_pace", "invalid_choice"),
        ("attachment_style", "invalid_choice"),
    ]


def test_the_service_refuses_overlapping_windows_even_without_the_api(user):
    """Callers other than the API (seed data, the shell) meet the same rules."""
    windows = [window(3, "08:00", "10:00"), window(3, "09:00", "11:00")]
    with pytest.raises(ApplicationError) as refused:
        preferences_set(user=user, data={"alone_time_windows": windows})
    assert (refused.value.code, refused.value.attr) == (
        "window_overlap",
        "alone_time_windows.1.start",
    )
    assert not Preferences.objects.filter(user=user).exists()


def test_attachment_style_is_private_by_default_and_the_partner_cannot_tell_it_exists(
    auth_client, user
):
    auth_client.put(
        URL, {"attachment_style": "fearful_avoidant", "reassurance": "I'll be back"}, format="json"
    )
    shared = profile_shared_with_partner(user=user)
    assert shared["attachment_style"] is None
    assert "avoidant" not in json.dumps(shared)
    assert "attachment_style" not in shared["preferences"]
    # Exactly what a partner sees of someone who never chose a style.
    other = UserFactory()
    preferences_set(user=other, data={"reassurance": "I'll be back"})
    assert shared == profile_shared_with_partner(user=other)


def test_a_shared_attachment_style_reaches_the_partner(auth_client, user):
    auth_client.put(URL, {"attachment_style": "avoidant"}, format="json")
    auth_client.patch(URL, {"attachment_style_shared": True}, format="json")
    assert profile_shared_with_partner(user=user)["attachment_style"] == "avoidant"
    # Sharing it again stops as soon as the owner says so.
    auth_client.patch(URL, {"attachment_style_shared": False}, format="json")
    assert "avoidant" not in json.dumps(profile_shared_with_partner(user=user))


def test_turning_sharing_off_hides_the_preferences_from_the_partner(auth_client, user):
    auth_client.put(
        URL,
        {
            "alone_time_windows": [window(6, "06:00", "09:00")],
            "reassurance": "Say you'll still be here",
        },
        format="json",
    )
    assert profile_shared_with_partner(user=user)["preferences"] == {
        "alone_time_windows": [window(6, "06:00", "09:00")],
        "time_zone": user.time_zone,
        "connection_activities": [],
        "connection_activities_other": "",
        "response_pace": None,
        "reassurance": "Say you'll still be here",
    }
    auth_client.patch(URL, {"shared_with_partner": False}, format="json")
    shared = profile_shared_with_partner(user=user)
    assert shared["preferences"] is None
    assert "still be here" not in json.dumps(shared)


def test_the_partner_view_takes_one_query_whatever_is_set(user, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        profile_shared_with_partner(user=user)
    preferences_set(user=user, data={"alone_time_windows": [window(0, "08:00", "09:00")]})
    with django_assert_max_num_queries(1):
        profile_shared_with_partner(user=user)


def test_alone_time_windows_are_parsed_for_nudges_whether_or_not_shared(user):
    preferences_set(
        user=user,
        data={
            "alone_time_windows": [window(4, "22:00", "24:00"), window(0, "07:00", "08:30")],
            "shared_with_partner": False,
        },
    )
    windows = alone_time_windows_of(user=user)
    assert [(w.weekday, w.start_minute, w.end_minute) for w in windows] == [
        (0, 420, 510),
        (4, 1320, 1440),
    ]
    friday_late = datetime(2026, 11, 27, 23, 59)  # a Friday, local time
    assert windows[1].contains(friday_late)
    assert not windows[1].contains(datetime(2026, 11, 28, 0, 0))  # Saturday
    assert not windows[0].contains(datetime(2026, 11, 23, 8, 30))  # Monday, end is exclusive
    assert alone_time_windows_of(user=UserFactory()) == []


def test_reading_and_writing_take_a_fixed_number_of_queries(
    auth_client, django_assert_max_num_queries
):
    # 2 to authenticate (session, person), 1 to read.
    with django_assert_max_num_queries(3):
        assert auth_client.get(URL).status_code == 200
    many = half_hours(3)
    # The first write creates the row: lock/read, insert, update, and their savepoints.
    # At most 9, and one more for the leaving-safely check on what a partner sees (issue 16).
    with django_assert_max_num_queries(10):
        response = auth_client.put(URL, {"alone_time_windows": many}, format="json")
        assert response.status_code == 200
    with django_assert_max_num_queries(7):  # 6, and the leaving-safely check
        response = auth_client.patch(URL, {"alone_time_windows": many[:1]}, format="json")
        assert response.status_code == 200


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_without_signing_in_the_answer_is_401(api_client, db, method):
    response = getattr(api_client, method)(URL, {}, format="json")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_the_admin_shows_neither_what_was_written_nor_the_attachment_style(user, admin_client):
    preferences = preferences_set(
        user=user,
        data={
            "reassurance": "Tell me we're okay",
            "attachment_style": "anxious",
            "attachment_style_shared": True,
        },
    )
    listing = admin_client.get("/admin/accounts/preferences/")
    detail = admin_client.get(f"/admin/accounts/preferences/{preferences.pk}/change/")
    assert listing.status_code == detail.status_code == 200
    for page in (listing, detail):
        html = page.content.decode()
        assert "Tell me we" not in html
        assert "anxious" not in html.lower()
    assert admin_client.get("/admin/accounts/preferences/add/").status_code == 403
