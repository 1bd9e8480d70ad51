"""This folder's fixtures: a moment outside quiet hours, an empty push outbox, and FCM
reached through firebase-admin with only the network replaced (tests/nudges/fake_fcm.py).
Helpers that deliver nudges are in tests/nudges/delivering.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import firebase_admin
import pytest
import requests
import time_machine

from nudges import channels
from nudges.channels import push
from nudges.channels.push import RecordingPushBackend
from tests.nudges.delivering import NOON
from tests.nudges.fake_fcm import FakeFCM, StaticCredential


@pytest.fixture
def at_noon() -> Iterator[dt.datetime]:
    with time_machine.travel(NOON, tick=True):
        yield NOON


@pytest.fixture(autouse=True)
def _empty_push_outbox() -> Iterator[None]:
    RecordingPushBackend.outbox.clear()
    yield
    RecordingPushBackend.outbox.clear()


@pytest.fixture
def fcm(settings, monkeypatch) -> Iterator[FakeFCM]:
    """Push through the real firebase-admin backend; only the network is replaced."""
    app = firebase_admin.initialize_app(
        StaticCredential(), {"projectId": "haven-test"}, name=push.APP_NAME
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
