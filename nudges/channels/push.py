"""Push through Firebase Cloud Messaging (HTTP v1, which reaches APNs too), with firebase-admin.

One message per phone. What a message carries is chosen on purpose:
- words: discreet by default (nobody named, nothing quoted); never anything a person typed;
  data holds ids only, so the app fetches the rest behind sign-in;
- one collapse key per kind (Android `collapse_key` and notification `tag`, APNs
  `apns-collapse-id` and `thread-id`): a second ping replaces the first instead of stacking;
- relayed kinds (a partner did something) arrive promptly with the default sound; Haven's
  own engagement nudges are quiet (normal priority, no sound, iOS "passive"), so they never
  wake a phone;
- no badge counts (an unread number is an obligation); Android `visibility=private` leaves
  the phone's own lock-screen privacy setting in charge too;
- a time to live: a nudge that could not reach a phone within hours is not worth its
  pressure when it finally does (the inbox has it anyway).

Errors: what FCM answered as transient (unavailable, internal, quota exceeded with its
Retry-After) is retried later; an unregistered token deactivates the phone; everything else
is recorded. A request whose fate is unknown (it may have reached FCM) is never repeated.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import threading
import warnings
from collections import defaultdict
from typing import Any

import firebase_admin
import structlog
import urllib3
from django.conf import settings
from django.utils import timezone
from firebase_admin import App, credentials, exceptions, messaging
from requests.adapters import HTTPAdapter

from nudges.channels.sending import (
    Copy,
    DeliveryChannel,
    Outcome,
    Sent,
    copy_for,
    never_left,
)
from nudges.kinds import kind_named
from nudges.models import Delivery, Device, NudgeSettings

logger = structlog.get_logger(__name__)

APP_NAME = "haven-push"
FCM_ORIGIN = "https://fcm.googleapis.com"
_app_lock = threading.Lock()

_ERROR_CODES: tuple[tuple[type[Exception], str], ...] = (
    (messaging.UnregisteredError, "fcm_unregistered"),
    (messaging.SenderIdMismatchError, "fcm_sender_id_mismatch"),
    (messaging.QuotaExceededError, "fcm_quota_exceeded"),
    (messaging.ThirdPartyAuthError, "fcm_third_party_auth"),
)
# FCM answered, and what it answered means "not delivered, try again later".
_TRANSIENT = (
    exceptions.UnavailableError,
    exceptions.InternalError,
    exceptions.ResourceExhaustedError,
)
# The token will never work again: the phone is deactivated (re-registering revives it).
_TOKEN_GONE = (messaging.UnregisteredError, messaging.SenderIdMismatchError)


def fcm_credentials_configured() -> bool:
    return bool(settings.FCM_CREDENTIALS_FILE or settings.FCM_CREDENTIALS_JSON)


def fcm_app() -> App:
    """Haven's firebase-admin app, set up once per process from the environment."""
    with _app_lock:
        try:
            return firebase_admin.get_app(APP_NAME)
        except ValueError:
            pass
        source: Any = settings.FCM_CREDENTIALS_FILE or dict(settings.FCM_CREDENTIALS_JSON)
        options = {"projectId": settings.FCM_PROJECT_ID} if settings.FCM_PROJECT_ID else {}
        app = firebase_admin.initialize_app(credentials.Certificate(source), options, APP_NAME)
        _no_hidden_resends(app)
        return app


def _no_hidden_resends(app: App) -> None:
    """firebase-admin's HTTP adapter repeats a request after a read error, which could
    deliver a push twice; our own retry decides instead, and only repeats what FCM refused
    or what never left (a failed connect)."""
    service = messaging._get_messaging_service(app)
    session = getattr(getattr(service, "_client", None), "session", None)
    if session is None:  # a firebase-admin release that moved it: keep its defaults
        logger.warning("fcm_retry_policy_not_applied")
        return
    retry = urllib3.util.Retry(connect=1, read=0, status=0, other=0, raise_on_status=False)
    session.mount(FCM_ORIGIN, HTTPAdapter(max_retries=retry, pool_maxsize=20))


class FirebasePushBackend(DeliveryChannel):
    name = "push"

    def is_configured(self) -> bool:
        if fcm_credentials_configured():
            return True
        try:  # set up by other means (tests hand it a credential of their own)
            firebase_admin.get_app(APP_NAME)
        except ValueError:
            return False
        return True

    def deliveries_for(self, sent: Sent, now: dt.datetime) -> list[Delivery]:
        recipients = {nudge.recipient_id for nudge, _, _ in sent}
        devices: dict[Any, list[Device]] = defaultdict(list)
        for device in Device.objects.filter(user_id__in=list(recipients), is_active=True):
            devices[device.user_id].append(device)
        return [
            self.new_delivery(nudge, now, device=device)
            for nudge, _, _ in sent
            for device in devices[nudge.recipient_id]
        ]

    def send(self, delivery: Delivery, prefs: NudgeSettings, session: Any) -> Outcome:
        device = delivery.device
        if device is None or not device.is_active:
            return Outcome.skipped("device_inactive")
        if device.user_id != delivery.nudge.recipient_id:  # the phone changed hands
            return Outcome.skipped("device_moved")
        message = push_message(delivery, copy_for(delivery, prefs), timezone.now())
        try:
            return Outcome.sent(self.transmit(message))
        except exceptions.FirebaseError as error:
            return fcm_outcome(error)

    def transmit(self, message: messaging.Message) -> str:
        return messaging.send(message, app=fcm_app())


class RecordingPushBackend(FirebasePushBackend):
    """Builds the very messages FCM would get and keeps them in `outbox` (this process)
    instead of sending: for tests and for `make run` without credentials."""

    outbox: list[dict[str, Any]] = []

    def is_configured(self) -> bool:
        return True

    def transmit(self, message: messaging.Message) -> str:
        encoded = messaging._MessagingService.encode_message(message)
        RecordingPushBackend.outbox.append(encoded)
        data = encoded.get("data", {})
        # Ids only (never the copy or the token): enough to count each phone's copies.
        logger.info(
            "push_recorded",
            kind=data.get("kind"),
            nudge_id=data.get("nudge_id"),
            token_hash=hashlib.sha256(str(encoded.get("token", "")).encode()).hexdigest()[:16],
        )
        return f"recorded/{len(RecordingPushBackend.outbox)}"


def push_message(delivery: Delivery, copy: Copy, now: dt.datetime) -> messaging.Message:
    nudge, device = delivery.nudge, delivery.device
    assert device is not None
    relayed = not kind_named(nudge.kind).is_engagement
    collapse = f"haven-{nudge.kind}"[:64]
    ttl: dt.timedelta = settings.NUDGE_PUSH_TTL
    data = {
        "kind": nudge.kind,
        "nudge_id": str(nudge.pk),
        "notification_id": str(nudge.notification.pk),
        "subject_id": str(nudge.subject_id),
        "discreet": "1" if copy.discreet else "0",
    }
    android = apns = None
    if device.platform == Device.Platform.ANDROID:
        android = messaging.AndroidConfig(
            collapse_key=collapse,
            priority="high" if relayed else "normal",
            ttl=ttl,
            notification=messaging.AndroidNotification(
                title=copy.title,
                body=copy.body,
                tag=collapse,
                channel_id=settings.FCM_ANDROID_CHANNEL_ID,
                visibility="private",
                default_sound=relayed,
            ),
        )
    else:
        apns = messaging.APNSConfig(
            headers={
                "apns-push-type": "alert",
                "apns-priority": "10" if relayed else "5",
                "apns-collapse-id": collapse,
                "apns-expiration": str(int((now + ttl).timestamp())),
            },
            payload=messaging.APNSPayload(
                aps=messaging.Aps(
                    alert=messaging.ApsAlert(title=copy.title, body=copy.body),
                    sound="default" if relayed else None,
                    thread_id=collapse,
                    custom_data={"interruption-level": "active" if relayed else "passive"},
                )
            ),
        )
    with warnings.catch_warnings():
        # The apps register FCM registration tokens; firebase-admin now prefers installation
        # ids ("fid") and warns about `token`, which FCM's v1 API still takes.
        warnings.filterwarnings("ignore", "Message.token is deprecated", DeprecationWarning)
        return messaging.Message(
            token=device.token,
            notification=messaging.Notification(title=copy.title, body=copy.body),
            data=data,
            android=android,
            apns=apns,
        )


def fcm_outcome(error: exceptions.FirebaseError) -> Outcome:
    """What one FCM error means for the copy (and the phone)."""
    code = _error_code(error)
    if isinstance(error, _TOKEN_GONE):
        return Outcome.failed(code, deactivate_device=True)
    answered = error.http_response is not None
    if isinstance(error, _TRANSIENT) and answered:
        return Outcome.retry(code, _retry_after(error))
    if isinstance(error, (exceptions.UnavailableError, exceptions.DeadlineExceededError)):
        # No answer. Repeat only what provably never left (the connection was not made).
        if never_left(error.cause):
            return Outcome.retry("fcm_unreachable")
        return Outcome.failed("fcm_outcome_unknown")
    return Outcome.failed(code)


def _error_code(error: exceptions.FirebaseError) -> str:
    for cls, code in _ERROR_CODES:
        if isinstance(error, cls):
            return code
    return f"fcm_{str(error.code or 'unknown').lower()}"[:64]


def _retry_after(error: exceptions.FirebaseError) -> float | None:
    response = error.http_response
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - timezone.now()).total_seconds())
