"""`Idempotency-Key` for creating POSTs: a retried request never creates twice.

Same key + same body → the first response again (with `Idempotent-Replayed: true`);
same key + different body → 422; same key while the first is still running → 409.
Keys are scoped to the person, expire, and live in PostgreSQL."""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from common.errors import ConflictError, UnprocessableEntity
from common.models import IdempotencyKey
from common.renderers import JSONRenderer

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, cls=JSONEncoder, separators=(",", ":"))
    raw = f"{request.method}\n{request.path}\n{body}"
    return hashlib.sha256(raw.encode()).hexdigest()


def idempotency_key_claim(*, user, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """Take the key for this request, or find the finished request it repeats.
    Returns (record, replay)."""
    now = timezone.now()
    with transaction.atomic():
        record, created = IdempotencyKey.objects.select_for_update().get_or_create(
            user=user,
            key=key,
            defaults={
                "fingerprint": fingerprint,
                "locked_at": now,
                "expires_at": now + settings.IDEMPOTENCY_KEY_TTL,
            },
        )
        if created:
            return record, False
        if record.expires_at <= now:
            record.fingerprint = fingerprint
            record.locked_at = now
            record.expires_at = now + settings.IDEMPOTENCY_KEY_TTL
            record.response_status = None
            record.response_body = None
            record.save()
            return record, False
        if record.fingerprint != fingerprint:
            raise UnprocessableEntity(
                _("This Idempotency-Key was already used with a different request."),
                code="idempotency_key_reused",
            )
        if record.response_status is not None:
            return record, True
        if record.locked_at > now - settings.IDEMPOTENCY_LOCK_TIMEOUT:
            # When the first request can no longer be running (it died with the database
            # connection), a retry takes over: say when that is.
            free_at = record.locked_at + settings.IDEMPOTENCY_LOCK_TIMEOUT
            raise ConflictError(
                _("A request with this Idempotency-Key is still being processed; retry shortly."),
                code="idempotency_key_in_progress",
                retry_after=max(1, math.ceil((free_at - now).total_seconds())),
            )
        # The first attempt died mid-way (nothing of it committed): this retry takes over.
        record.locked_at = now
        record.save(update_fields=["locked_at"])
        return record, False


def _release(record: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=record.pk, response_status__isnull=True).delete()


def idempotent(view_method: Callable) -> Callable:
    """Wrap a viewset's `create`. The created rows and the stored response commit together,
    so a key is never marked done for something that was rolled back."""

    @functools.wraps(view_method)
    def wrapper(self, request: Request, *args, **kwargs) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return view_method(self, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            raise serializers.ValidationError(
                {HEADER: [_("Use a unique value of 1 to 255 characters, e.g. a UUID.")]},
                code="invalid",
            )
        record, replay = idempotency_key_claim(
            user=request.user, key=key, fingerprint=_fingerprint(request)
        )
        if replay:
            return Response(
                record.response_body,
                status=record.response_status,
                headers={"Idempotent-Replayed": "true"},
            )
        try:
            with transaction.atomic():
                response = view_method(self, request, *args, **kwargs)
                if response.status_code < 500:
                    body = json.loads(JSONRenderer().render(response.data) or b"null")
                    IdempotencyKey.objects.filter(pk=record.pk).update(
                        response_status=response.status_code, response_body=body
                    )
        except BaseException:
            _release(record)
            raise
        if response.status_code >= 500:
            _release(record)
        return response

    wrapper.idempotent = True  # type: ignore[attr-defined]  # read by common.openapi
    return wrapper


def idempotency_keys_purge_expired() -> int:
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
