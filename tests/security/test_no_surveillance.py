"""No surveillance signals, proven (issue 16, item 5).

One partner (Alex) lives an ordinary, busy day in Haven: signs in on a phone with its own
user agent and address, registers it for push, checks in, reads the inbox, sends a ping, an
appreciation, a proposal and a "can we talk?", acknowledges the partner's boundary. The
other partner (Robin) then reads every GET route in the schema and receives every push and
email Haven sends them. Nothing in any of it may tell Robin when Alex was last seen or
online, that Alex read anything, is typing, where Alex is, or what device or address Alex
uses: neither a key that would carry it nor one of Alex's actual values."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.sessions import session_fingerprint
from nudges.channels.push import RecordingPushBackend
from nudges.channels.sending import deliveries_send
from nudges.inbox import nudges_deliver
from nudges.models import Delivery, Notification, Nudge
from tests.factories import PASSWORD, pair
from tests.utils import EXPORT_PATH, client_for, every_get, login, next_noon_for, today_for

# Keys that would carry a signal about the other person. A partner's own lists (their inbox,
# their devices, their sign-ins) use a few of them about the partner themself: those routes
# are checked for the other's values instead (below).
SIGNAL_KEYS = {
    "last_login",
    "last_seen",
    "last_seen_at",
    "last_active",
    "last_active_at",
    "online",
    "is_online",
    "presence",
    "typing",
    "is_typing",
    "read_at",
    "read_by",
    "seen_at",
    "seen_by",
    "opened_at",
    "delivered_at",
    "user_agent",
    "ip",
    "ip_address",
    "device",
    "devices",
    "device_id",
    "platform",
    "app_version",
    "location",
    "lat",
    "lon",
    "lng",
    "latitude",
    "longitude",
    "geo",
    "coordinates",
}
# The reader's own devices, sign-ins, read times and export: keys such as `read_at` are about
# the reader there; the partner's values are still searched for in them.
OWN_ROUTES = {
    "/api/v1/notifications",
    "/api/v1/me/devices",
    "/api/v1/me/sessions",
    EXPORT_PATH,
}

ALEX_AGENT = "Haven/2.1 (iPhone; iOS 17.4) PlantedAgent/9.9"
ALEX_IP = "203.0.113.77"
ALEX_TOKEN = "PUSH-TOKEN-OF-ALEX-5521"
# Moments of Alex's own, each on a second nothing else of the day falls on.
SIGNED_IN_BEFORE_NOON = dt.timedelta(hours=8, minutes=42, seconds=31)
READ_AFTER_NOON = dt.timedelta(hours=2, minutes=41, seconds=53)


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


def _second(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture
def day(db):
    """Alex's busy day; returns (Alex, Robin, Robin's client, the values that must not leak)."""
    _couple, alex, robin = pair()
    noon = next_noon_for(robin)
    signed_in_at, read_at = noon - SIGNED_IN_BEFORE_NOON, noon + READ_AFTER_NOON
    with time_machine.travel(signed_in_at, tick=False):
        # Alex signs in on their phone in the small hours (their last login, their sign-in).
        login(APIClient(), alex.email, PASSWORD, HTTP_USER_AGENT=ALEX_AGENT, REMOTE_ADDR=ALEX_IP)
    with time_machine.travel(noon, tick=True):
        phone = client_for(alex)
        robin_client = client_for(robin)
        assert (
            robin_client.post(
                "/api/v1/me/devices", {"token": "PUSH-TOKEN-OF-ROBIN", "platform": "android"}
            ).status_code
            == 201
        )
        assert (
            phone.post(
                "/api/v1/me/devices", {"token": ALEX_TOKEN, "platform": "ios", "app_version": "2.1"}
            ).status_code
            == 201
        )
        # Robin reaches out first, so Alex has something to read.
        assert robin_client.post("/api/v1/pings").status_code == 201
        robin_client.post(
            "/api/v1/boundaries",
            {"kind": "need", "text": "Quiet mornings", "visibility": "shared"},
            format="json",
        )
        # Alex's day.
        today = today_for(alex).isoformat()
        phone.put(f"/api/v1/checkins/{today}", {"mood": 4, "shared_note": "Good"}, format="json")
        robin_client.put(f"/api/v1/checkins/{today}", {"mood": 3}, format="json")
        assert phone.post("/api/v1/pings").status_code == 201
        phone.post("/api/v1/appreciations", {"text": "Thank you"}, format="json")
        phone.post(
            "/api/v1/agreements",
            {
                "title": "Sundays",
                "terms": "Slow",
                "my_need": "Rest",
                "your_need_as_i_understand": "Quiet",
            },
            format="json",
        )
        boundary = robin_client.get("/api/v1/boundaries").json()["results"][0]["id"]
        phone.post(f"/api/v1/boundaries/{boundary}/acknowledge")
        nudges_deliver(list(Nudge.objects.values_list("pk", flat=True)), now=timezone.now())
        mail.outbox.clear()
        RecordingPushBackend.outbox.clear()
        deliveries_send(list(Delivery.objects.values_list("pk", flat=True)), now=timezone.now())
    with time_machine.travel(read_at, tick=False):
        phone = client_for(alex)
        assert phone.get("/api/v1/notifications").status_code == 200
        assert phone.post("/api/v1/notifications/read-all").status_code in (200, 204)
    alex.refresh_from_db()
    leaks = {
        ALEX_AGENT,
        "PlantedAgent",
        ALEX_IP,
        ALEX_TOKEN,
        _second(signed_in_at),
        _second(read_at),
        *(session_fingerprint(s.session_key) for s in UserSession.objects.filter(user=alex)),
        *(
            str(pk)
            for pk in Notification.objects.filter(recipient=alex).values_list("pk", flat=True)
        ),
    }
    assert alex.last_login is not None
    leaks.add(_second(alex.last_login))
    assert Notification.objects.filter(recipient=alex, read_at__isnull=False).exists()
    return alex, robin, client_for(robin), leaks


def test_no_partner_facing_answer_carries_a_signal_about_the_other(day):
    _alex, _robin, robin_client, leaks = day
    answers = every_get(robin_client)
    export = robin_client.get(EXPORT_PATH)
    answers[EXPORT_PATH] = (export.status_code, export.content)
    assert len(answers) > 30
    for path, (status, body) in answers.items():
        assert status < 500, path
        text = body.decode()
        for value in leaks:
            assert value not in text, (path, value)
        if path.split("?")[0] in OWN_ROUTES or not body:
            continue
        found = _keys(json.loads(body)) & SIGNAL_KEYS
        assert not found, (path, found)


def test_no_push_or_email_to_the_partner_carries_a_signal_about_the_other(day):
    _alex, robin, _client, leaks = day
    to_robin = [m for m in RecordingPushBackend.outbox if m["token"] == "PUSH-TOKEN-OF-ROBIN"]
    emails = [email for email in mail.outbox if email.to == [robin.email]]
    assert to_robin, "Robin's phone received pushes"
    assert emails, "Robin received emails"
    for message in to_robin:
        text = json.dumps(message)
        for value in leaks:
            assert value not in text, (message, value)
        data = message.get("data", {})
        assert not (_keys(data) & SIGNAL_KEYS), data
        assert not (_keys(message.get("notification", {})) & SIGNAL_KEYS), message
    for email in emails:
        parts = [
            email.subject,
            email.body,
            *(str(a[0]) for a in getattr(email, "alternatives", [])),
        ]
        parts += [f"{k}: {v}" for k, v in email.extra_headers.items()]
        text = "\n".join(parts)
        for value in leaks:
            assert value not in text, (email.subject, value)
        lowered = text.lower()
        for phrase in ("last seen", "is online", "was online", "is typing", "has read", "opened"):
            assert phrase not in lowered, (email.subject, phrase)
