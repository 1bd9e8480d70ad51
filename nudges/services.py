"""Writes of the nudges app: asking for a nudge, cancelling, settings, the inbox, devices.

Other apps never contact anyone themselves: they call `nudge_relay` (something a person did
or agreed to), `nudge_schedule` (Haven's own reminder at a known moment) or `nudges_cancel`,
and every nudge becomes a row that the policy, planner and channels take from there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.localtime import local_today
from accounts.models import User
from common.errors import ApplicationError
from common.sync import tombstones_clear, tombstones_record
from nudges.kinds import kind_named
from nudges.models import Delivery, Device, Notification, Nudge, NudgeSettings
from nudges.publish import publish
from nudges.tasks import deliver_nudges


def _token_hash(token: str) -> str:
    # Tokens are long; uniqueness is enforced on a fixed-size digest.
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def device_register(
    *,
    user,
    token: str,
    platform: str,
    app_version: str = "",
    locale: str = "",
    session_fingerprint: str = "",
) -> tuple[Device, bool]:
    """Register a push token for this person, from the sign-in named by
    `session_fingerprint`. A token registered before by someone else moves to this person
    (the phone changed hands): the previous owner's row is removed and they are told so
    through sync. Returns (device, created)."""
    token_hash = _token_hash(token)
    existing = Device.objects.select_for_update().filter(token_hash=token_hash).first()
    if existing is not None and existing.user_id == user.pk:
        existing.platform = platform
        existing.app_version = app_version
        existing.locale = locale
        existing.is_active = True
        existing.session_fingerprint = session_fingerprint
        existing.save()
        return existing, False
    if existing is not None:
        previous_owner_id, previous_id = existing.user_id, existing.pk
        existing.delete()
        tombstones_record(
            viewer_ids=[previous_owner_id], kind=Device.SYNC_KIND, object_id=previous_id
        )
    device = Device.objects.create(
        user=user,
        token=token,
        token_hash=token_hash,
        platform=platform,
        app_version=app_version,
        locale=locale,
        session_fingerprint=session_fingerprint,
    )
    tombstones_clear(viewer_ids=[user.pk], kind=Device.SYNC_KIND, object_id=device.pk)
    return device, True


@transaction.atomic
def device_unregister(*, device: Device) -> None:
    owner_id, device_id = device.user_id, device.pk
    device.delete()
    tombstones_record(viewer_ids=[owner_id], kind=Device.SYNC_KIND, object_id=device_id)


@transaction.atomic
def devices_remove_other_sign_ins(*, user: User, kept_fingerprint: str | None) -> int:
    """The person's other sign-ins ended: the push devices registered from them go (and
    any whose sign-in is not known), so a phone signed out no longer receives anything.
    The sign-in that stays keeps its own. Returns how many went."""
    others = Device.objects.filter(user=user)
    if kept_fingerprint:
        others = others.exclude(session_fingerprint=kept_fingerprint)
    ids = list(others.values_list("pk", flat=True))
    Device.objects.filter(pk__in=ids).delete()
    for device_id in ids:
        tombstones_record(viewer_ids=[user.pk], kind=Device.SYNC_KIND, object_id=device_id)
    return len(ids)


# --- Asking for a nudge ---------------------------------------------------------------------


def nudge_relay(
    *,
    recipient: User,
    kind: str,
    subject_id: uuid.UUID,
    actor: User | None = None,
    due_at: dt.datetime | None = None,
    at_chosen_time: bool = False,
) -> Nudge:
    """Relay something a person did or agreed to (a ping, an appreciation, "your partner is
    back") to `recipient`. Never capped and never dropped: quiet time and space holds only
    defer it. `due_at` is a later moment it belongs to (a held request); with
    `at_chosen_time` it is a moment the recipient chose, which quiet time does not move.
    The subject is the source object, so two pings are two nudges and relaying one subject
    twice is harmless. Delivery starts when the caller's transaction commits."""
    spec = kind_named(kind)
    due_at = due_at or timezone.now()
    # A pending one for this subject follows a moved moment; otherwise the dedupe key
    # (recipient, kind, subject, local date) makes a repeated call on one day harmless.
    nudge = Nudge.objects.filter(
        recipient=recipient, kind=kind, subject_id=subject_id, state=Nudge.State.PENDING
    ).first()
    if nudge is None:
        nudge = _nudge_create(
            recipient=recipient,
            kind=kind,
            nudge_class=spec.nudge_class,
            subject_id=subject_id,
            actor=actor,
            due_at=due_at,
            at_chosen_time=at_chosen_time,
        )
    elif nudge.due_at != due_at:
        # The moment moved (a conversation rescheduled): the one nudge follows it.
        nudge.due_at = due_at
        nudge.claimed_until = None
        nudge.save(update_fields=["due_at", "claimed_until", "updated_at"])
    return nudge


def nudge_schedule(
    *, recipient: User, kind: str, subject_id: uuid.UUID, due_at: dt.datetime
) -> Nudge:
    """Haven's own reminder at a known moment (a space check-back): an engagement nudge,
    so the policy may still defer, cap or drop it when the moment comes."""
    spec = kind_named(kind)
    return _nudge_create(
        recipient=recipient,
        kind=kind,
        nudge_class=spec.nudge_class,
        subject_id=subject_id,
        actor=None,
        due_at=due_at,
    )


def _nudge_create(
    *,
    recipient: User,
    kind: str,
    nudge_class: str,
    subject_id: uuid.UUID,
    actor: User | None,
    due_at: dt.datetime,
    at_chosen_time: bool = False,
) -> Nudge:
    now = timezone.now()
    due_now = due_at <= now
    with transaction.atomic():
        nudge, created = Nudge.objects.get_or_create(
            recipient=recipient,
            kind=kind,
            subject_id=subject_id,
            local_date=local_today(recipient, due_at),
            defaults={
                "nudge_class": nudge_class,
                "actor": actor,
                "due_at": due_at,
                "at_chosen_time": at_chosen_time,
                # Handed to a worker at commit; the planner re-claims it if that never runs.
                "claimed_until": now + settings.NUDGE_CLAIM_LEASE if due_now else None,
            },
        )
    if created and due_now:
        publish(deliver_nudges, [nudge.pk])
    return nudge


def nudges_cancel(
    *,
    recipient_ids: Iterable[uuid.UUID],
    kinds: Iterable[str] | None = None,
    subject_id: uuid.UUID | None = None,
    actor_ids: Iterable[uuid.UUID] | None = None,
    except_kinds: Iterable[str] = (),
) -> int:
    """Cancel pending nudges that no longer make sense (a withdrawn request, an ended
    space, an ended couple). Sent ones stay in the inbox. Returns how many."""
    pending = Nudge.objects.filter(state=Nudge.State.PENDING, recipient_id__in=list(recipient_ids))
    if kinds is not None:
        pending = pending.filter(kind__in=list(kinds))
    if subject_id is not None:
        pending = pending.filter(subject_id=subject_id)
    if actor_ids is not None:
        pending = pending.filter(
            Q(actor_id__in=list(actor_ids)) | Q(nudge_class=Nudge.Class.ENGAGEMENT)
        )
    pending = pending.exclude(kind__in=list(except_kinds))
    return pending.update(
        state=Nudge.State.CANCELLED, reason="cancelled", updated_at=timezone.now()
    )


def nudges_release_held(*, recipient: User) -> int:
    """A hold ended before the moment it was expected to (the person came back from space
    early): what waited for it is due now rather than at the hold's old end. Delivery still
    decides each one (quiet hours still defer them), and several of one kind from one person
    arrive as one notification (`inbox`). Returns how many were released."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Nudge.objects.select_for_update(skip_locked=True)
            .filter(recipient=recipient, state=Nudge.State.PENDING, was_held=True, due_at__gt=now)
            .values_list("pk", flat=True)
        )
        if ids:
            Nudge.objects.filter(pk__in=ids).update(
                due_at=now, claimed_until=now + settings.NUDGE_CLAIM_LEASE, updated_at=now
            )
    if ids:
        # One batch, so what waited together is decided together.
        publish(deliver_nudges, ids)
    return len(ids)


def nudges_back_off_reset(*, user: User) -> None:
    """The person answered (checkins calls this on a check-in or a pass): the kinds that back
    off (registered with `backs_off`) start over. No row means nothing was counted."""
    NudgeSettings.objects.filter(user=user, checkin_reminders_ignored__gt=0).update(
        checkin_reminders_ignored=0
    )


# --- Settings ---------------------------------------------------------------------------------


def _nudge_settings_locked(*, user: User) -> NudgeSettings:
    """The person's row, locked for a change: written here, on the first change, for anyone
    who has none yet (readers only ever see unsaved defaults, nudges.selectors)."""
    row, _created = NudgeSettings.objects.select_for_update().get_or_create(
        user=user, defaults={"time_zone": user.time_zone}
    )
    return row


def nudge_settings_update(*, user: User, data: dict[str, Any]) -> NudgeSettings:
    """Change what was sent. Caps may only go down from Haven's defaults (a person can ask
    for less, never for more); unknown kinds and channels never get past the serializer."""
    with transaction.atomic():
        row = _nudge_settings_locked(user=user)
        for name, value in data.items():
            setattr(row, name, value)
        for cap, most in (
            ("daily_cap", settings.NUDGE_DAILY_CAP),
            ("weekly_cap", settings.NUDGE_WEEKLY_CAP),
        ):
            if getattr(row, cap) > most:
                raise ApplicationError(
                    _("At most %(most)d.") % {"most": most}, code="cap_too_high", attr=cap
                )
        row.save()
        if row.quiet_exit:
            # At once: copies already on their way to a phone or an inbox never leave.
            Delivery.objects.filter(nudge__recipient=user, state=Delivery.State.PENDING).update(
                state=Delivery.State.SKIPPED, last_error="quiet_exit", updated_at=timezone.now()
            )
    return row


# --- Inbox ------------------------------------------------------------------------------------


def notification_read(*, notification: Notification) -> Notification:
    """Marking read is for the reader alone: nobody else ever learns of it."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_read_all(*, user: User) -> int:
    now = timezone.now()
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )


# --- Push tokens FCM gave up on, and one-click unsubscribe -----------------------------------

UNSUBSCRIBE_SALT = "nudges.unsubscribe"


def device_deactivate(*, device_id: uuid.UUID) -> None:
    """FCM said this token will never work again (the app was removed, the token expired).
    The phone stays listed, inactive, until the app registers a fresh token."""
    now = timezone.now()
    Device.objects.filter(pk=device_id, is_active=True).update(is_active=False, updated_at=now)


def unsubscribe_token(*, user_id: uuid.UUID, kind: str) -> str:
    """A signed, salted token that turns one kind of nudge off for one person: the
    credential behind an email's one-click unsubscribe link (no sign-in needed)."""
    return signing.dumps({"u": str(user_id), "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_read(*, token: str) -> tuple[uuid.UUID, str]:
    """The (person, kind) a token names. A tampered, expired or unknown-kind token is a 400
    with a code of its own."""
    try:
        data = signing.loads(
            token,
            salt=UNSUBSCRIBE_SALT,
            max_age=settings.NUDGE_UNSUBSCRIBE_MAX_AGE,
        )
        user_id, kind = uuid.UUID(data["u"]), str(data["k"])
    except signing.SignatureExpired:
        raise ApplicationError(
            _("This unsubscribe link has expired. You can turn emails off in the app."),
            code="unsubscribe_link_expired",
        ) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ApplicationError(
            _("This unsubscribe link is not valid."), code="unsubscribe_link_invalid"
        ) from None
    try:
        kind_named(kind)
    except LookupError:
        raise ApplicationError(
            _("This unsubscribe link is not valid."), code="unsubscribe_link_invalid"
        ) from None
    return user_id, kind


def nudge_kind_unsubscribe(*, token: str) -> str:
    """One-click unsubscribe (RFC 8058): turn the token's kind off in the person's settings,
    the same switch as `opted_out_kinds` in me/nudge-settings. Doing it twice changes
    nothing; a person who has since left Haven has nothing left to turn off. Returns the
    kind."""
    user_id, kind = unsubscribe_token_read(token=token)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return kind
    with transaction.atomic():
        row = _nudge_settings_locked(user=user)
        if kind not in row.opted_out_kinds:
            row.opted_out_kinds = sorted({*row.opted_out_kinds, kind})
            row.save(update_fields=["opted_out_kinds", "updated_at"])
    return kind
