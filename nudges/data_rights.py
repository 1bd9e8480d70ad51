"""What `nudges` adds to a person's export (their inbox, nudge settings and phones) and does
when they are deleted. Registered from NudgesConfig.ready."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Replace

from accounts.data_rights import register_deletion, register_export
from accounts.models import User
from nudges.kinds import relation_names
from nudges.models import Delivery, Device, Notification, Nudge, NudgeSettings
from nudges.naming import ACTOR_PLACEHOLDER, notification_text


@register_export("notifications", models=(Notification,))
def export_notifications(person: User) -> list[dict[str, Any]]:
    names = relation_names(person)
    rows = (
        Notification.objects.filter(recipient=person)
        .select_related("nudge__actor")
        .order_by("due_at", "pk")
    )
    return [
        {
            "id": str(row.pk),
            "kind": row.kind,
            "title": notification_text(row, row.title, names),
            "body": notification_text(row, row.body, names),
            "sent_at": row.due_at,
            "read_at": row.read_at,
        }
        for row in rows
    ]


@register_export("nudge_settings", models=(NudgeSettings,))
def export_nudge_settings(person: User) -> dict[str, Any] | None:
    row = NudgeSettings.objects.filter(user=person).first()
    if row is None:
        return None
    return {
        "time_zone": row.time_zone,
        "checkin_time": row.checkin_time.strftime("%H:%M"),
        "quiet_start": row.quiet_start.strftime("%H:%M"),
        "quiet_end": row.quiet_end.strftime("%H:%M"),
        "channels": row.channels,
        "opted_out_kinds": row.opted_out_kinds,
        "daily_cap": row.daily_cap,
        "weekly_cap": row.weekly_cap,
        "space_allowed_kinds": row.space_allowed_kinds,
        "discreet": row.discreet,
    }


@register_export("devices", models=(Device,))
def export_devices(person: User) -> list[dict[str, Any]]:
    # Never the push token: it is a credential for reaching the phone.
    return [
        {
            "id": str(row.pk),
            "platform": row.platform,
            "app_version": row.app_version,
            "locale": row.locale,
            "is_active": row.is_active,
            "created_at": row.created_at,
        }
        for row in Device.objects.filter(user=person).order_by("created_at")
    ]


@register_deletion(
    "nudges",
    models=(Nudge, Notification, Delivery, NudgeSettings, Device),
    keeps="Notifications your former partner already received stay in their inbox, as after "
    'any end; your name in them is rendered when read, so they read "your former '
    'partner". Push notifications and emails already sent are on their phones and in '
    "their mailboxes: out of Haven's reach.",
)
def delete_nudges(person: User) -> None:
    """Their own nudges (with their inbox rows and push/email copies), phones and settings
    go; rows written before names were rendered at read time lose the stored name. What they
    caused and is still pending was cancelled when the couple ended (couple/end's rule),
    except the one gentle "your couple has ended", exactly as after an ordinary end."""
    Nudge.objects.filter(recipient=person).delete()
    Device.objects.filter(user=person).delete()
    NudgeSettings.objects.filter(user=person).delete()
    name = person.display_name
    legacy = Notification.objects.filter(nudge__actor=person, names_at_read=False)
    if name:
        legacy.update(
            title=_placeholder_for(F("title"), name),
            body=_placeholder_for(F("body"), name),
            names_at_read=True,
        )


def _placeholder_for(column: F, name: str) -> Replace:
    escaped = Replace(column, Value("%"), Value("%%"))
    return Replace(escaped, Value(name.replace("%", "%%")), Value(ACTOR_PLACEHOLDER))
