from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

_Row = TypeVar("_Row", bound=models.Model)


class UUIDModel(models.Model):
    """Base for everything the API exposes: a UUID id (never a sequential one) and the
    timestamps that phone sync pages by (updated_at, id)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class IdempotencyKey(models.Model):
    """One creating request a person made with an `Idempotency-Key`: while in progress it is
    a lock; once done it holds the response to replay. Lives in PostgreSQL, not Redis, so a
    cache outage can never let a retried request create twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    locked_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class Tombstone(models.Model):
    """Something a person may no longer see (removed, unsent, made private, couple ended).
    Phone sync returns these ids so a phone can drop its cached copy."""

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=64)
    object_id = models.UUIDField()
    removed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["viewer", "kind", "object_id"], name="tombstone_unique_per_viewer"
            )
        ]
        indexes = [models.Index(fields=["viewer", "kind", "removed_at"], name="tombstone_sync_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


def row_or_default(owner: models.Model, accessor: str, model: type[_Row], **initial: Any) -> _Row:
    """`owner.<accessor>`, a row that belongs to `owner` one-to-one (a person's settings or
    preferences), or, when none was written yet, an unsaved `model(**initial)` holding the
    fields' defaults. Reading never writes: the service that makes the first change saves
    the row (get_or_create under select_for_update). Costs one query, or none when the row
    came with select_related (a missing one is remembered as missing too)."""
    try:
        return getattr(owner, accessor)
    except ObjectDoesNotExist:
        return model(**initial)


# Models of a concept with a module of its own, filed under this app by being imported here.
from common.safety.models import CrisisLine  # noqa: E402

__all__ = ["CrisisLine", "IdempotencyKey", "Tombstone", "UUIDModel", "row_or_default"]
