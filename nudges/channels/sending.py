"""Push and email copies of sent nudges: at most once per (nudge, channel[, device]).

A channel's `fan_out` runs inside the transaction that writes the inbox rows: it only
records one `Delivery` row per copy and, after commit, hands their ids to a worker. The
worker (`deliveries_send`) takes one row at a time through three steps:

1. claim: pending and due → sending, in its own short transaction (one conditional UPDATE);
   a row someone else claimed, or already sent, is left alone;
2. send: the channel calls its provider, outside any transaction;
3. mark: sent, failed (a permanent error, recorded as a code), skipped (nothing to send any
   more), or back to pending with a later `next_attempt_at` (a transient error the provider
   answered, so nothing was delivered).

A crash between 1 and 3 leaves the row in "sending", and such a row is never sent again:
a copy can be lost in that window, never duplicated (docs/delivery-semantics.md). Retries
wait in the database, not as long ETAs in the broker: a beat task re-dispatches due rows
every minute.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import socket
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import requests
import structlog
import urllib3
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.i18n import language_of
from nudges import channels
from nudges.channels import ChannelBackend
from nudges.models import Delivery, Notification, Nudge, NudgeSettings
from nudges.naming import notification_text
from nudges.publish import publish
from nudges.selectors import nudge_settings_of
from nudges.services import device_deactivate
from nudges.tasks import send_deliveries

logger = structlog.get_logger(__name__)

Sent = Sequence[tuple[Nudge, Notification, NudgeSettings]]

# What a discreet notification says on a lock screen or in a subject line: never who, never
# what. Haven's own words, translated.
DISCREET_TITLE = _("Something new in Haven")
DISCREET_BODY = _("There's something new for you in Haven. Open it whenever it suits you.")

# New rows are handed to a worker at commit; the beat only picks them up after this grace,
# so it rarely races the first dispatch (a race would be harmless: the claim decides).
REDISPATCH_GRACE = dt.timedelta(seconds=60)
REDISPATCH_LIMIT = 10_000


@dataclass(frozen=True)
class Outcome:
    """What became of one attempt. `code` is short and machine-readable, never message text."""

    state: str  # "sent", "retry", "failed" or "skipped"
    code: str = ""
    retry_after: float | None = None  # seconds the provider asked us to wait
    provider_id: str = ""
    deactivate_device: bool = False

    @classmethod
    def sent(cls, provider_id: str = "") -> Outcome:
        return cls("sent", provider_id=provider_id[:255])

    @classmethod
    def retry(cls, code: str, retry_after: float | None = None) -> Outcome:
        return cls("retry", code=code, retry_after=retry_after)

    @classmethod
    def failed(cls, code: str, *, deactivate_device: bool = False) -> Outcome:
        return cls("failed", code=code, deactivate_device=deactivate_device)

    @classmethod
    def skipped(cls, code: str) -> Outcome:
        return cls("skipped", code=code)


@dataclass(frozen=True)
class Copy:
    """The words one copy carries: Haven's own, in the recipient's language."""

    title: str
    body: str
    discreet: bool


def copy_for(delivery: Delivery, prefs: NudgeSettings) -> Copy:
    """Discreet (the default): a generic line that names nobody and quotes nothing. Otherwise
    the inbox row's own title and body, which hold only Haven's words, with the partner's
    display name rendered now (nudges.naming)."""
    if prefs.discreet:
        with translation.override(language_of(delivery.nudge.recipient)):
            return Copy(title=str(DISCREET_TITLE), body=str(DISCREET_BODY), discreet=True)
    nudge = delivery.nudge
    notification = nudge.notification
    return Copy(
        title=notification_text(notification, notification.title, {}, nudge=nudge),
        body=notification_text(notification, notification.body, {}, nudge=nudge),
        discreet=False,
    )


class DeliveryChannel(ChannelBackend):
    """A channel whose copies are Delivery rows sent by a worker. Subclasses say which rows a
    sent nudge becomes (`deliveries_for`) and how one row is sent (`send`)."""

    def deliveries_for(self, sent: Sent, now: dt.datetime) -> list[Delivery]:
        raise NotImplementedError

    def fan_out(self, sent: Sent) -> None:
        now = timezone.now()
        rows = self.deliveries_for(sent, now)
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        due = [row.pk for row in rows if row.state == Delivery.State.PENDING]
        if due:
            publish(send_deliveries, due)

    @contextlib.contextmanager
    def session(self) -> Iterator[Any]:
        """Something one batch of sends shares (an SMTP connection)."""
        yield None

    def send(self, delivery: Delivery, prefs: NudgeSettings, session: Any) -> Outcome:
        """Send one claimed copy. Raises nothing the provider could cause: every provider
        error becomes an Outcome."""
        raise NotImplementedError

    def new_delivery(self, nudge: Nudge, now: dt.datetime, **fields: Any) -> Delivery:
        return Delivery(
            id=uuid.uuid4(), nudge=nudge, channel=self.name, next_attempt_at=now, **fields
        )


def never_left(cause: BaseException | None) -> bool:
    """True when a failed request provably never reached the provider: the connection
    itself was not made (refused, unresolvable, timed out while connecting). Only then may a
    copy whose fate is otherwise unknown be tried again without risking a second one."""
    never = (
        requests.exceptions.ConnectTimeout,
        urllib3.exceptions.NewConnectionError,
        urllib3.exceptions.ConnectTimeoutError,
        ConnectionRefusedError,
        socket.gaierror,
    )
    for _depth in range(8):
        if cause is None:
            return False
        if isinstance(cause, never):
            return True
        nested = getattr(cause, "reason", None) or cause.__cause__
        if nested is None and cause.args and isinstance(cause.args[0], BaseException):
            nested = cause.args[0]
        cause = nested if isinstance(nested, BaseException) else None
    return False


def backend_named(name: str) -> DeliveryChannel | None:
    for backend in channels.backends():
        if backend.name == name and isinstance(backend, DeliveryChannel):
            return backend
    return None


# --- Sending ----------------------------------------------------------------------------------


def deliveries_send(ids: Sequence[uuid.UUID | str], now: dt.datetime | None = None) -> Counter:
    """Send these copies, each at most once. Safe to run twice, or on two workers at once:
    only the worker whose claim succeeds calls the provider."""
    now = now or timezone.now()
    outcome: Counter = Counter()
    due = (
        Delivery.objects.filter(
            pk__in=list(ids), state=Delivery.State.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", "channel")
    )
    by_channel: dict[str, list[uuid.UUID]] = defaultdict(list)
    for pk, channel in due:
        by_channel[channel].append(pk)
    for channel, pks in by_channel.items():
        backend = backend_named(channel)
        if backend is None or not backend.is_configured():
            # The channel was switched off: these copies will never go, and say so.
            skipped = Delivery.objects.filter(pk__in=pks, state=Delivery.State.PENDING).update(
                state=Delivery.State.SKIPPED, last_error="channel_off", updated_at=timezone.now()
            )
            outcome["skipped"] += skipped
            continue
        with backend.session() as session:
            for pk in pks:
                delivery = _claim(pk, now)
                if delivery is None:
                    continue
                result = _attempt(backend, delivery, session, now)
                outcome[_mark(delivery, result)] += 1
    if outcome:
        logger.info("nudge_copies_sent", **outcome)
    return outcome


def _claim(pk: uuid.UUID, now: dt.datetime) -> Delivery | None:
    """pending and due → sending, in one statement of its own (PostgreSQL re-checks the
    condition after waiting for a competing claim, so exactly one claimant wins)."""
    claimed = Delivery.objects.filter(
        pk=pk, state=Delivery.State.PENDING, next_attempt_at__lte=now
    ).update(
        state=Delivery.State.SENDING,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
        updated_at=timezone.now(),
    )
    if not claimed:
        return None
    return Delivery.objects.select_related(
        "nudge__recipient__nudge_settings", "nudge__actor", "nudge__notification", "device"
    ).get(pk=pk)


def _attempt(backend: DeliveryChannel, delivery: Delivery, session: Any, now: dt.datetime):
    nudge = delivery.nudge
    # The person's settings as they are now (loaded with the claim), not as they were when
    # the nudge was sent.
    prefs = nudge_settings_of(user=nudge.recipient)
    if prefs.quiet_exit:
        return Outcome.skipped("quiet_exit")
    if nudge.kind in prefs.opted_out_kinds or backend.name not in (prefs.channels or []):
        return Outcome.skipped("opted_out")
    if nudge.sent_at and now - nudge.sent_at > settings.NUDGE_DELIVERY_MAX_AGE:
        return Outcome.skipped("too_late")
    try:
        return backend.send(delivery, prefs, session)
    except Exception:
        # A bug, not the provider: whether anything went out is unknown, so never again.
        logger.exception("nudge_copy_send_crashed", delivery=str(delivery.pk))
        return Outcome.failed("unexpected_error")


def retry_delay(attempts: int, retry_after: float | None = None) -> dt.timedelta:
    """Exponential back-off with jitter (half to full), capped; a provider's Retry-After
    wins when it asks for longer."""
    base = settings.NUDGE_DELIVERY_RETRY_BASE.total_seconds()
    cap = settings.NUDGE_DELIVERY_RETRY_MAX.total_seconds()
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    delay = random.uniform(delay / 2, delay)  # noqa: S311 - jitter, not secrecy
    if retry_after:
        delay = max(delay, min(retry_after, cap))
    return dt.timedelta(seconds=delay)


def _mark(delivery: Delivery, result: Outcome) -> str:
    now = timezone.now()
    fields: dict[str, Any] = {"updated_at": now, "last_error": result.code}
    state = result.state
    if state == "retry" and delivery.attempts >= settings.NUDGE_DELIVERY_MAX_ATTEMPTS:
        state = "failed"  # gave up; last_error keeps the transient code
    if state == "sent":
        fields.update(state=Delivery.State.SENT, sent_at=now, provider_id=result.provider_id)
    elif state == "retry":
        fields.update(
            state=Delivery.State.PENDING,
            next_attempt_at=now + retry_delay(delivery.attempts, result.retry_after),
        )
    elif state == "failed":
        fields.update(state=Delivery.State.FAILED)
    else:
        fields.update(state=Delivery.State.SKIPPED)
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(**fields)
    if result.deactivate_device and delivery.device_id is not None:
        device_deactivate(device_id=delivery.device_id)
    if state in ("retry", "failed"):
        logger.warning(
            "nudge_copy_not_sent",
            delivery=str(delivery.pk),
            channel=delivery.channel,
            code=result.code,
            attempts=delivery.attempts,
            retrying=state == "retry",
        )
    return "retrying" if state == "retry" else state


# --- The beat's sweep ---------------------------------------------------------------------------


def deliveries_redispatch(now: dt.datetime | None = None) -> dict[str, int]:
    """Every minute: hand due pending copies to workers again (a retry whose time came, or a
    first dispatch lost with the broker), and mark copies that a crash left in "sending"
    as interrupted. Those are never sent again: that is the at-most-once promise."""
    now = now or timezone.now()
    interrupted = Delivery.objects.filter(
        state=Delivery.State.SENDING,
        claimed_at__lt=now - settings.NUDGE_DELIVERY_SENDING_TIMEOUT,
    ).update(state=Delivery.State.FAILED, last_error="interrupted", updated_at=now)
    if interrupted:
        logger.warning("nudge_copies_interrupted", count=interrupted)
    due = list(
        Delivery.objects.filter(state=Delivery.State.PENDING)
        .filter(
            Q(attempts=0, next_attempt_at__lte=now - REDISPATCH_GRACE)
            | Q(attempts__gt=0, next_attempt_at__lte=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:REDISPATCH_LIMIT]
    )
    size = settings.NUDGE_BATCH_SIZE
    for start in range(0, len(due), size):
        publish(send_deliveries, due[start : start + size], on_commit=False)
    return {"redispatched": len(due), "interrupted": interrupted}


def channels_announce() -> None:
    """At start-up, say which channels cannot send (push without FCM credentials), so an
    operator never wonders why phones stay quiet."""
    for name, path in settings.NUDGE_CHANNELS.items():
        backend = next((b for b in channels.backends() if b.name == name), None)
        if backend is None or not backend.is_configured():
            logger.warning("nudge_channel_off", channel=name, backend=path)
        elif path.endswith("RecordingPushBackend"):
            logger.info("nudge_channel_recording_only", channel=name)
