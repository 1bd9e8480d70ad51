"""Appreciations, pings and reassurances: what they add to the export and do on deletion
(see couples/data_rights/__init__.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accounts.data_rights import register_deletion, register_export
from accounts.models import User
from couples.data_rights.common import current_couple_ids
from couples.models import (
    Appreciation,
    Ping,
    Reassurance,
)


def _messages(model, sender_field: str, person: User, extra: tuple[str, ...]) -> dict:
    """What they sent, in every couple; what they received, only in their couple today:
    after an end each keeps what they wrote and loses what the other wrote."""
    to_them = Q(recipient=person, couple_id__in=current_couple_ids(person))
    rows = model.objects.filter(Q(**{sender_field: person}) | to_them).order_by("created_at")
    sent: list[dict[str, Any]] = []
    received: list[dict[str, Any]] = []
    for row in rows:
        item = {"id": str(row.pk), "couple_id": str(row.couple_id), "at": row.created_at}
        item |= {field: getattr(row, field) for field in extra}
        if getattr(row, f"{sender_field}_id") == person.pk:
            sent.append(item)
        elif getattr(row, "unsent_at", None) is None:  # an unsent one never reached them
            received.append({k: v for k, v in item.items() if k != "unsent_at"})
    return {"sent": sent, "received": received}


@register_export("appreciations", models=(Appreciation,), order=30)
def export_appreciations(person: User) -> dict[str, Any]:
    return _messages(Appreciation, "author", person, ("text", "love_language", "unsent_at"))


@register_export("pings", models=(Ping,), order=31)
def export_pings(person: User) -> dict[str, Any]:
    return _messages(Ping, "sender", person, ())


@register_export("reassurances", models=(Reassurance,), order=32)
def export_reassurances(person: User) -> dict[str, Any]:
    return _messages(Reassurance, "sender", person, ("line",))


@register_deletion(
    "messages",
    models=(Appreciation, Ping, Reassurance),
    keeps="What your former partner sent you stays theirs (their own words), as after any end.",
)
def delete_messages(person: User) -> None:
    # What they sent left the partner's view when the couple ended.
    Appreciation.objects.filter(author=person).delete()
    Ping.objects.filter(sender=person).delete()
    Reassurance.objects.filter(sender=person).delete()
