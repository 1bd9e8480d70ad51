"""Fixtures for the push and email channels: a moment outside quiet hours, sent nudges made
through the real services, and FCM reached through firebase-admin with only the network
replaced (requests' transport adapter answers as FCM would)."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import firebase_admin
import google.auth.credentials
import pytest
import requests
import time_machine
from django.utils import timezone
from firebase_admin import credentials
from requests.structures import CaseInsensitiveDict

from nudges import channels
from nudges.channels import push
from nudges.channels.push import RecordingPushBackend
from nudges.inbox import nudges_deliver
from nudges.models import Delivery, Nudge, NudgeSettings
from tests.factories import TIME_ZONE

# 12:00 in Berlin, where the factories' people live: outside their quiet hours.
NOON = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)
FCM_SEND_URL = "https://fcm.googleapis.com/v1/projects/haven-test/messages:send"


@pytest.fixture
def at_noon() -> Iterator[dt.datetime]:
    with time_machine.travel(NOON, tick=True):
        yield NOON


@pytest.fixture(autouse=True)
def _empty_push_outbox() -> Iterator[None]:
    RecordingPushBackend.outbox.clear()
    yield
    RecordingPushBackend.outbox.clear()


def deliver(nudge: Nudge) -> Nudge:
    """Run the real batch delivery for one relayed nudge (inbox row + channel fan-out)."""
    outcome = nudges_deliver([nudge.pk], now=timezone.now())
    assert outcome["sent"] == 1, outcome
    nudge.refresh_from_db()
    return nudge


def appreciation_delivered(author, text: str) -> Nudge:
    from couples.services.messages import appreciation_create

    appreciation = appreciation_create(author=author, text=text)
    return deliver(Nudge.objects.get(kind="appreciation", subject_id=appreciation.pk))


def ping_delivered(sender) -> Nudge:
    from couples.services.messages import ping_send

    ping = ping_send(sender=sender)
    return deliver(Nudge.objects.get(kind="ping", subject_id=ping.pk))


def delivery_ids(nudge: Nudge, channel: str | None = None) -> list:
    rows = Delivery.objects.filter(nudge=nudge)
    if channel:
        rows = rows.filter(channel=channel)
    return list(rows.values_list("pk", flat=True))


# --- FCM behind firebase-admin ------------------------------------------------------------------


class _TestGoogleCredential(google.auth.credentials.Credentials):
    """An access token that is always valid, so nothing ever asks Google for one."""

    def __init__(self) -> None:
        super().__init__()
        self.token = "test-access-token"

    def refresh(self, request) -> None:
        self.token = "test-access-token"


class _TestCredential(credentials.Base):
    def get_credential(self):
        return _TestGoogleCredential()


def fcm_error(status: int, grpc_status: str, fcm_code: str | None = None, headers=None):
    details = (
        [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": fcm_code}]
        if fcm_code
        else []
    )
    body = {"error": {"code": status, "message": "test", "status": grpc_status, "details": details}}
    return (status, body, headers or {})


@dataclass
class FakeFCM:
    """Answers firebase-admin's HTTP requests as FCM's v1 API would. `script[token]` is a
    list of answers, used in order: (status, json body, headers), or an exception to raise
    as the transport would. Without a script every send succeeds."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    script: dict[str, list[Any]] = field(default_factory=dict)

    def messages(self) -> list[dict[str, Any]]:
        return [sent["message"] for sent in self.requests]

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        assert request.url == FCM_SEND_URL, request.url
        assert request.headers["Authorization"] == "Bearer test-access-token"
        payload = json.loads(request.body)
        self.requests.append(payload)
        answers = self.script.get(payload["message"]["token"]) or []
        answer = answers.pop(0) if answers else None
        if isinstance(answer, Exception):
            raise answer
        status, body, headers = answer or (
            200,
            {"name": f"projects/haven-test/messages/{len(self.requests)}"},
            {},
        )
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json", **headers})
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        response.reason = "test"
        return response


@pytest.fixture
def fcm(settings, monkeypatch) -> Iterator[FakeFCM]:
    """Push through the real firebase-admin backend; only the network is replaced."""
    app = firebase_admin.initialize_app(
        _TestCredential(), {"projectId": "haven-test"}, name=push.APP_NAME
    )
    push._no_hidden_resends(app)  # as in production
    settings.NUDGE_CHANNELS = {
        **settings.NUDGE_CHANNELS,
        "push": "nudges.channels.push.FirebasePushBackend",
    }
    channels.backends.cache_clear()
    fake = FakeFCM()
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", fake.send)
    yield fake
    firebase_admin.delete_app(app)
    channels.backends.cache_clear()


# --- Planning and delivery into the inbox -----------------------------------------------------

BERLIN = zoneinfo.ZoneInfo(TIME_ZONE)


def berlin(*args) -> dt.datetime:
    """A Berlin wall-clock moment, as the aware UTC instant the server works in."""
    return dt.datetime(*args, tzinfo=BERLIN).astimezone(dt.UTC)


def deliver_due(now: dt.datetime):
    """What the workers do with everything handed to them by `now` (at commit, or by a
    planner tick): deliver every pending nudge that is due. Claims are tested on their own."""
    ids = Nudge.objects.filter(state=Nudge.State.PENDING, due_at__lte=now).values_list(
        "pk", flat=True
    )
    return nudges_deliver(list(ids), now=now)


def settings_of(user) -> NudgeSettings:
    return NudgeSettings.objects.get(user=user)
