"""Push through firebase-admin (FCM HTTP v1), with only the network replaced: the message
shape per kind and platform, discreet words, collapse keys, and what each FCM error does."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import requests
import urllib3
from django.utils import timezone

from nudges.channels import push
from nudges.channels.sending import deliveries_send
from nudges.models import Delivery, Device, NudgeSettings
from nudges.services import device_register, nudge_schedule
from tests.factories import UserFactory, pair
from tests.nudges.delivering import appreciation_delivered, deliver, delivery_ids, ping_delivered
from tests.nudges.fake_fcm import StaticCredential, fcm_error

pytestmark = pytest.mark.usefixtures("at_noon")

PLANTED = "PLANTED-secret-words-7c1f"


@pytest.fixture
def phones(db):
    """A couple; b has an iPhone and an Android phone."""
    _, a, b = pair()
    ios, _ = device_register(user=b, token="ios-token", platform="ios", app_version="1.2")
    android, _ = device_register(user=b, token="android-token", platform="android")
    return a, b, ios, android


def _by_token(messages):
    return {message["token"]: message for message in messages}


def test_one_message_per_phone_with_discreet_words_by_default(fcm, phones):
    a, _b, _ios, _android = phones
    a.display_name = "Zephyrine"
    a.save()
    nudge = appreciation_delivered(a, PLANTED)

    outcome = deliveries_send(delivery_ids(nudge, "push"))

    assert outcome == {"sent": 2}
    sent = _by_token(fcm.messages())
    assert set(sent) == {"ios-token", "android-token"}
    for message in sent.values():
        assert message["notification"] == {
            "title": "Something new in Haven",
            "body": "There's something new for you in Haven. Open it whenever it suits you.",
        }
        assert message["data"]["kind"] == "appreciation"
        assert message["data"]["discreet"] == "1"
        assert message["data"]["notification_id"] == str(nudge.notification.pk)
    everything = json.dumps(fcm.requests)
    assert PLANTED not in everything and "Zephyrine" not in everything
    states = Delivery.objects.filter(nudge=nudge, channel="push").values_list("state", flat=True)
    assert set(states) == {"sent"}


def test_ios_message_sets_apns_options_deliberately(fcm, phones):
    a, _b, _ios, _android = phones
    nudge = ping_delivered(a)
    deliveries_send(delivery_ids(nudge, "push"))

    message = _by_token(fcm.messages())["ios-token"]
    assert "android" not in message
    headers = message["apns"]["headers"]
    assert headers["apns-push-type"] == "alert"
    assert headers["apns-priority"] == "10"  # a partner's ping arrives promptly
    assert headers["apns-collapse-id"] == "haven-ping"
    expires = int(headers["apns-expiration"])
    assert 0 < expires - timezone.now().timestamp() <= 12 * 3600 + 5
    aps = message["apns"]["payload"]["aps"]
    assert aps["alert"] == {
        "title": "Something new in Haven",
        "body": "There's something new for you in Haven. Open it whenever it suits you.",
    }
    assert aps["thread-id"] == "haven-ping"
    assert aps["sound"] == "default"
    assert aps["interruption-level"] == "active"
    assert "badge" not in aps  # no unread counts: they read as an obligation


def test_android_message_sets_collapse_key_tag_and_privacy(fcm, phones):
    a, _b, _ios, _android = phones
    nudge = ping_delivered(a)
    deliveries_send(delivery_ids(nudge, "push"))

    message = _by_token(fcm.messages())["android-token"]
    assert "apns" not in message
    config = message["android"]
    assert config["collapse_key"] == "haven-ping"
    assert config["priority"] == "high"
    assert config["ttl"] == "43200s"
    notification = config["notification"]
    assert notification["tag"] == "haven-ping"
    assert notification["channel_id"] == "haven_nudges"
    assert notification["visibility"] == "PRIVATE"
    assert notification["default_sound"] is True
    assert "notification_count" not in notification


def test_engagement_kinds_are_quiet_and_collapse_by_kind(fcm, db):
    _, _a, b = pair()
    device_register(user=b, token="ios-token", platform="ios")
    device_register(user=b, token="android-token", platform="android")
    # Haven's own reminder: an engagement kind.
    reminder = nudge_schedule(
        recipient=b, kind="checkin_reminder", subject_id=b.pk, due_at=timezone.now()
    )
    deliver(reminder)
    deliveries_send(delivery_ids(reminder, "push"))

    sent = _by_token(fcm.messages())
    ios, android = sent["ios-token"], sent["android-token"]
    assert ios["apns"]["headers"]["apns-priority"] == "5"
    assert ios["apns"]["headers"]["apns-collapse-id"] == "haven-checkin_reminder"
    assert ios["apns"]["payload"]["aps"]["interruption-level"] == "passive"
    assert "sound" not in ios["apns"]["payload"]["aps"]
    assert android["android"]["priority"] == "normal"
    assert android["android"]["collapse_key"] == "haven-checkin_reminder"
    assert android["android"]["notification"]["default_sound"] is False


def test_without_discretion_the_inbox_words_are_sent_but_never_what_was_written(fcm, phones):
    a, b, _ios, _android = phones
    a.display_name = "Zephyrine"
    a.save()
    NudgeSettings.objects.filter(user=b).update(discreet=False)
    nudge = appreciation_delivered(a, PLANTED)
    deliveries_send(delivery_ids(nudge, "push"))

    for message in fcm.messages():
        assert message["notification"]["title"] == "A little appreciation"
        assert "Zephyrine" in message["notification"]["body"]
        assert message["data"]["discreet"] == "0"
    assert PLANTED not in json.dumps(fcm.requests)


def test_copy_follows_the_recipients_language(fcm, phones):
    a, b, _ios, _android = phones
    b.locale = "es"
    b.save()
    NudgeSettings.objects.filter(user=b).update(discreet=False)
    nudge = ping_delivered(a)
    deliveries_send(delivery_ids(nudge, "push"))
    # The inbox row (and so the push) was written in the recipient's language.
    nudge.notification.refresh_from_db()
    assert nudge.notification.title == "Pienso en ti"
    for message in fcm.messages():
        assert message["notification"]["title"] == "Pienso en ti"


def test_a_discreet_push_is_in_the_recipients_language_too(fcm, phones):
    a, b, _ios, _android = phones
    b.locale = "es"
    b.save()
    nudge = ping_delivered(a)
    deliveries_send(delivery_ids(nudge, "push"))
    for message in fcm.messages():
        assert message["notification"]["title"] == "Algo nuevo en Haven"


# --- Errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "state", "code", "active"),
    [
        (fcm_error(404, "NOT_FOUND", "UNREGISTERED"), "failed", "fcm_unregistered", False),
        (
            fcm_error(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH"),
            "failed",
            "fcm_sender_id_mismatch",
            False,
        ),
        (fcm_error(503, "UNAVAILABLE", "UNAVAILABLE"), "pending", "fcm_unavailable", True),
        (fcm_error(500, "INTERNAL", "INTERNAL"), "pending", "fcm_internal", True),
        (
            fcm_error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"),
            "pending",
            "fcm_quota_exceeded",
            True,
        ),
        (
            fcm_error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT"),
            "failed",
            "fcm_invalid_argument",
            True,
        ),
        (
            fcm_error(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR"),
            "failed",
            "fcm_third_party_auth",
            True,
        ),
        # The connection was never made: nothing left, so it is tried again.
        (
            requests.exceptions.ConnectTimeout("connect timed out"),
            "pending",
            "fcm_unreachable",
            True,
        ),
        (
            requests.exceptions.ConnectionError(
                urllib3.exceptions.MaxRetryError(
                    None, "/", urllib3.exceptions.NewConnectionError(None, "refused")
                )
            ),
            "pending",
            "fcm_unreachable",
            True,
        ),
        # It may have reached FCM: never sent a second time.
        (requests.exceptions.ReadTimeout("read timed out"), "failed", "fcm_outcome_unknown", True),
        (
            requests.exceptions.ConnectionError(
                urllib3.exceptions.ProtocolError("Connection aborted.")
            ),
            "failed",
            "fcm_outcome_unknown",
            True,
        ),
    ],
)
def test_each_fcm_error_maps_to_retry_deactivate_or_record(fcm, db, answer, state, code, active):
    _, a, b = pair()
    device, _ = device_register(user=b, token="the-token", platform="android")
    # The same answer however often asked (google-auth re-asks once after a 401, with a
    # fresh access token).
    fcm.script["the-token"] = [answer] * 3
    nudge = ping_delivered(a)

    deliveries_send(delivery_ids(nudge, "push"))

    row = Delivery.objects.get(nudge=nudge, channel="push")
    assert (row.state, row.last_error, row.attempts) == (state, code, 1)
    assert "the-token" not in row.last_error
    if state == "pending":
        assert row.next_attempt_at > timezone.now()
    device.refresh_from_db()
    assert device.is_active is active


def test_quota_exceeded_waits_at_least_the_retry_after(fcm, db):
    _, a, b = pair()
    device_register(user=b, token="the-token", platform="ios")
    fcm.script["the-token"] = [
        fcm_error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", {"Retry-After": "900"})
    ]
    nudge = ping_delivered(a)
    deliveries_send(delivery_ids(nudge, "push"))

    row = Delivery.objects.get(nudge=nudge, channel="push")
    assert row.state == "pending"
    assert row.next_attempt_at >= timezone.now() + dt.timedelta(seconds=899)


def test_an_unregistered_phone_is_deactivated_listed_as_such_and_skipped_after(
    fcm, phones, auth_client
):
    a, b, _ios, android = phones
    fcm.script["android-token"] = [fcm_error(404, "NOT_FOUND", "UNREGISTERED")]
    deliveries_send(delivery_ids(ping_delivered(a), "push"))
    android.refresh_from_db()
    assert android.is_active is False

    second = ping_delivered(a)
    deliveries_send(delivery_ids(second, "push"))
    # Only the iPhone is asked for the second ping; the dead token gets no row at all.
    assert [m["token"] for m in fcm.messages()].count("android-token") == 1
    assert Delivery.objects.filter(nudge=second, device=android).count() == 0

    # Registering the token again (the app got it back) revives the phone.
    device, created = device_register(user=b, token="android-token", platform="android")
    assert (device.pk, created, device.is_active) == (android.pk, False, True)


def test_a_phone_that_changed_hands_never_gets_the_old_owners_nudge(fcm, phones, db):
    a, _b, ios, _android = phones
    nudge = ping_delivered(a)  # b's copies are recorded, not yet sent
    newcomer = UserFactory()
    device_register(user=newcomer, token="ios-token", platform="ios")  # the iPhone was sold

    deliveries_send(delivery_ids(nudge, "push"))

    assert [m["token"] for m in fcm.messages()] == ["android-token"]
    assert not Device.objects.filter(pk=ios.pk).exists()


def test_firebase_admin_never_repeats_a_request_on_its_own():
    """Only our retry decides what is sent again: the library's read retry is off."""
    adapter = requests.Session().get_adapter(push.FCM_ORIGIN)  # a plain session: the default
    assert adapter.max_retries.read is not None
    import firebase_admin

    app = firebase_admin.initialize_app(StaticCredential(), {"projectId": "x"}, name="retry-check")
    try:
        push._no_hidden_resends(app)
        service = push.messaging._get_messaging_service(app)
        retry = service._client.session.get_adapter(push.FCM_ORIGIN + "/v1/x").max_retries
        assert (retry.read, retry.status, retry.other) == (0, 0, 0)
        assert retry.connect == 1
    finally:
        firebase_admin.delete_app(app)


def test_without_credentials_firebase_push_is_off(settings, db):
    settings.FCM_CREDENTIALS_FILE = ""
    settings.FCM_CREDENTIALS_JSON = {}
    assert push.FirebasePushBackend().is_configured() is False
    assert push.RecordingPushBackend().is_configured() is True


def test_push_is_off_and_says_so_at_start_up(settings, db, monkeypatch):
    from nudges import channels
    from nudges.channels import sending

    settings.FCM_CREDENTIALS_FILE = ""
    settings.FCM_CREDENTIALS_JSON = {}
    settings.NUDGE_CHANNELS = {"push": "nudges.channels.push.FirebasePushBackend"}
    channels.backends.cache_clear()
    said = []
    monkeypatch.setattr(sending.logger, "warning", lambda event, **kw: said.append((event, kw)))
    try:
        sending.channels_announce()
        _, a, b = pair()
        device_register(user=b, token="t", platform="ios")
        nudge = ping_delivered(a)
    finally:
        channels.backends.cache_clear()
    assert said == [
        (
            "nudge_channel_off",
            {"channel": "push", "backend": "nudges.channels.push.FirebasePushBackend"},
        )
    ]
    # Off means off: no copies are recorded for a channel that cannot send.
    assert Delivery.objects.filter(nudge=nudge).count() == 0
