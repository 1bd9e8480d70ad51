"""Where am I signed in (issue 16, item 4): a person lists their own sign-ins and signs out
everywhere else in one call; the phones of the other sign-ins stop receiving anything."""

from __future__ import annotations

import datetime as dt

from allauth.usersessions.models import UserSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.sessions import device_summary, session_fingerprint
from nudges.models import Device
from tests.factories import PASSWORD
from tests.utils import assert_error_shape, bearer, login

PLANTED_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) PlantedAgent/9.9"
PLANTED_IP = "203.0.113.77"


def _phone(user, agent: str = "Haven/2.1 (Android 14; Pixel 8)", ip: str = "198.51.100.4"):
    """A phone signed in as `user` through allauth's real login (which records the sign-in
    with the phone's user agent and address, as in production)."""
    client = APIClient()
    tokens = login(client, user.email, PASSWORD, HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    client.credentials(**bearer(tokens["access"]))
    return client


def test_the_list_is_mine_marks_this_one_and_says_little(couple, django_assert_max_num_queries):
    this_phone = _phone(couple.a)
    _phone(couple.a, PLANTED_AGENT, PLANTED_IP)
    _phone(couple.b)  # the partner's own sign-ins are theirs
    with django_assert_max_num_queries(6):
        response = this_phone.get("/api/v1/me/sessions")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == UserSession.objects.filter(user=couple.a).count() == 2
    assert [row["current"] for row in rows].count(True) == 1
    assert sorted(row["device"] for row in rows) == ["Android phone", "iPhone"]
    assert next(row for row in rows if row["current"])["device"] == "Android phone"
    for row in rows:
        assert set(row) == {"id", "device", "signed_in_at", "current"}
    text = response.content.decode()
    # No address, no raw user agent, nothing of the partner's.
    assert PLANTED_IP not in text and "PlantedAgent" not in text
    for session in UserSession.objects.filter(user=couple.b):
        assert session_fingerprint(session.session_key) not in text
        assert session.session_key not in text


def test_signing_out_everywhere_else_ends_the_others_and_their_phones(couple):
    couple.client_a, couple.client_b = _phone(couple.a), _phone(couple.b)
    other_phone = _phone(couple.a, PLANTED_AGENT, PLANTED_IP)
    # Each phone registers its push token from its own sign-in.
    mine = couple.client_a.post(
        "/api/v1/me/devices", {"token": "token-mine", "platform": "ios"}, format="json"
    )
    theirs = other_phone.post(
        "/api/v1/me/devices", {"token": "token-theirs", "platform": "android"}, format="json"
    )
    assert mine.status_code == theirs.status_code == 201
    partner_device = couple.client_b.post(
        "/api/v1/me/devices", {"token": "token-partner", "platform": "ios"}, format="json"
    )
    assert partner_device.status_code == 201

    response = couple.client_a.post("/api/v1/me/sessions/sign-out-others")
    assert response.status_code == 200
    assert response.json() == {"signed_out": 1}
    # The other phone's tokens are refused at once; this one goes on.
    assert_error_shape(other_phone.get("/api/v1/me"), 401, "authentication_failed")
    assert couple.client_a.get("/api/v1/me").status_code == 200
    listed = couple.client_a.get("/api/v1/me/sessions").json()["results"]
    assert [row["current"] for row in listed] == [True]
    # Its push registration went; mine and the partner's stay.
    assert set(Device.objects.values_list("token", flat=True)) == {"token-mine", "token-partner"}
    since = (timezone.now() - dt.timedelta(minutes=5)).isoformat()
    removed = couple.client_a.get("/api/v1/me/devices", {"updated_since": since})
    assert removed.status_code == 200, removed.content
    assert theirs.json()["id"] in removed.json()["removed"]
    # The partner's sign-in was never touched.
    assert couple.client_b.get("/api/v1/me").status_code == 200
    # Again: nothing more to end.
    assert couple.client_a.post("/api/v1/me/sessions/sign-out-others").json() == {"signed_out": 0}


def test_a_stolen_password_sign_in_is_signed_out_by_the_owner(couple):
    """Someone who knows the password signs in on their own phone: the person sees a sign-in
    that is not theirs and ends it; the intruder's token is refused."""
    mine = _phone(couple.a)
    intruder = _phone(couple.a, "Mozilla/5.0 (Windows NT 10.0)", "192.0.2.9")
    assert intruder.get("/api/v1/me").status_code == 200
    listed = mine.get("/api/v1/me/sessions").json()["results"]
    assert sorted(row["device"] for row in listed) == ["Android phone", "Windows computer"]
    mine.post("/api/v1/me/sessions/sign-out-others")
    assert intruder.get("/api/v1/me").status_code == 401


def test_devices_name_themselves_in_a_few_words():
    assert device_summary("Haven/2.1 (Android 14; Pixel 8)") == "Android phone"
    assert device_summary("Haven/2.1 CFNetwork Darwin iPhone15,2") == "iPhone"
    assert device_summary("") == "A device Haven could not name"


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/me/sessions")
    assert response.status_code == 200
    return len(captured)


def test_the_lists_query_count_is_the_same_for_one_sign_in_or_many(couple):
    alone = _phone(couple.b)
    one = _queries_for_list(alone)
    this_phone = _phone(couple.a)
    for n in range(4):
        _phone(couple.a, f"Haven/2.1 (Android 14; Pixel {n})")
    assert len(this_phone.get("/api/v1/me/sessions").json()["results"]) == 5
    assert _queries_for_list(this_phone) == one
