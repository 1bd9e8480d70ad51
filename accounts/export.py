"""A person's export (`GET me/export`): one versioned JSON document with everything they
provided, built from the sections each app registered (accounts.data_rights). Each section
runs a fixed number of queries whatever the amount of data, so a year of daily use costs the
same number of queries as a week (pinned in tests/accounts/data_rights/)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.data_rights import export_sections
from accounts.models import AuditEvent, User
from common.errors import ApplicationError

EXPORT_FORMAT = "haven-export/1"
EXPORT_WINDOW = dt.timedelta(days=1)


def export_build(person: User) -> dict[str, Any]:
    """The document: its format, when it was made, then one key per registered section."""
    document: dict[str, Any] = {"format": EXPORT_FORMAT, "exported_at": timezone.now()}
    for section in export_sections():
        document[section.name] = section.build(person)
    return document


def export_filename(person: User) -> str:
    return f"haven-export-{timezone.now().date().isoformat()}.json"


def export_take(*, person: User, via: str = "app") -> dict[str, Any]:
    """Build the person's export, at most EXPORTS_PER_DAY in any 24 hours (a 429 with
    `export_limit` and Retry-After beyond that), and record it in the audit log."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=person.pk).first()  # one count at a time
        now = timezone.now()
        recent = list(
            AuditEvent.objects.filter(
                user=person,
                kind=AuditEvent.Kind.EXPORT,
                created_at__gt=now - EXPORT_WINDOW,
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)[: settings.EXPORTS_PER_DAY]
        )
        if len(recent) >= settings.EXPORTS_PER_DAY:
            frees_at = recent[-1] + EXPORT_WINDOW
            raise ApplicationError(
                _(
                    "You can take up to %(count)d copies of your data a day. Your data is "
                    "safe here; please try again a bit later."
                )
                % {"count": settings.EXPORTS_PER_DAY},
                code="export_limit",
                status_code=429,
                retry_after=max(1, math.ceil((frees_at - now).total_seconds())),
            )
        AuditEvent.objects.create(user=person, kind=AuditEvent.Kind.EXPORT, via=via)
    return export_build(person)
