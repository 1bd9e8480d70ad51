"""Conversation requests: what they add to the export and do on deletion
(see couples/data_rights/__init__.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accounts.data_rights import register_deletion, register_export
from accounts.models import User
from couples.data_rights.common import current_couple_ids
from couples.models import (
    ConversationRequest,
)


@register_export("conversations", models=(ConversationRequest,), order=50)
def export_conversations(person: User) -> dict[str, Any]:
    """Requests they made (calm score and held ones included: theirs) and those they were
    sent in their couple today (never the partner's calm score, drafts or held requests)."""
    rows = ConversationRequest.objects.filter(
        Q(requester=person)
        | Q(partner=person, sent_at__isnull=False, couple_id__in=current_couple_ids(person))
    ).order_by("created_at")
    made, answered = [], []
    for r in rows:
        item = {
            "id": str(r.pk),
            "couple_id": str(r.couple_id),
            "topic": r.topic,
            "depth": r.depth,
            "urgency": r.urgency,
            "proposed_times": r.proposed_times,
            "partner_proposed_times": r.partner_proposed_times,
            "status": r.status,
            "chosen_time": r.chosen_time,
            "time_asked_until": r.time_asked_until,
            "sent_at": r.sent_at,
            "created_at": r.created_at,
        }
        if r.requester_id == person.pk:
            made.append(item | {"calm_score": r.calm_score, "hold_until": r.hold_until})
        elif r.status != ConversationRequest.Status.WITHDRAWN:
            answered.append(item)
    return {"made": made, "answered": answered}


@register_deletion(
    "conversations",
    models=(ConversationRequest,),
    keeps="Requests your former partner made stay theirs, as after any end.",
)
def delete_conversations(person: User) -> None:
    ConversationRequest.objects.filter(requester=person).delete()
