from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from common.sync import tombstones_clear, tombstones_record
from nudges.models import Device, Notification

DEVICE_SYNC_KIND = "device"


def _token_hash(token: str) -> str:
    # Tokens are long; uniqueness is enforced on a fixed-size digest.
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def device_register(
    *, user, token: str, platform: str, app_version: str = "", locale: str = ""
) -> tuple[Device, bool]:
    """Register a push token for this person. A token registered before by someone else
    moves to this person (the phone changed hands): the previous owner's row is removed and
    they are told so through sync. Returns (device, created)."""
    token_hash = _token_hash(token)
    existing = Device.objects.select_for_update().filter(token_hash=token_hash).first()
    if existing is not None and existing.user_id == user.pk:
        existing.platform = platform
        existing.app_version = app_version
        existing.locale = locale
        existing.is_active = True
        existing.save()
        return existing, False
    if existing is not None:
        previous_owner_id, previous_id = existing.user_id, existing.pk
        existing.delete()
        tombstones_record(
            viewer_ids=[previous_owner_id], kind=DEVICE_SYNC_KIND, object_id=previous_id
        )
    device = Device.objects.create(
        user=user,
        token=token,
        token_hash=token_hash,
        platform=platform,
        app_version=app_version,
        locale=locale,
    )
    tombstones_clear(viewer_ids=[user.pk], kind=DEVICE_SYNC_KIND, object_id=device.pk)
    return device, True


@transaction.atomic
def device_unregister(*, device: Device) -> None:
    owner_id, device_id = device.user_id, device.pk
    device.delete()
    tombstones_record(viewer_ids=[owner_id], kind=DEVICE_SYNC_KIND, object_id=device_id)


def nudge_relay(*, recipient, kind: str, subject_id, due_at=None) -> Notification:
    """Relay something a person did (a ping, an appreciation, "your partner is back") to
    their partner. Other apps call this and never contact anyone themselves. For now it
    writes the partner's in-app inbox; the nudges issue adds quiet hours, space holds and
    the other channels behind this same call. `due_at` is for a moment a person chose (a
    conversation reminder). Calling it twice for one subject is harmless."""
    notification, _ = Notification.objects.get_or_create(
        recipient=recipient,
        kind=kind,
        subject_id=subject_id,
        defaults={"due_at": due_at or timezone.now()},
    )
    return notification
