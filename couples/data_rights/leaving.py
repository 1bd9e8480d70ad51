"""Leaving safely's delayed ends: what they add to the export and do on deletion (see
couples/data_rights/__init__.py)."""

from __future__ import annotations

from accounts.data_rights import register_deletion, register_export
from accounts.models import User
from couples.models import DelayedEnd


@register_export("leaving", models=(DelayedEnd,))
def export_leaving(person: User) -> list[dict]:
    """The ends this person asked to delay: when they asked and when the partner saw it.
    Only the leaver's own; a partner's export never shows that the other asked for a delay."""
    return [
        {
            "couple_id": str(row.couple_id),
            "requested_at": row.requested_at.isoformat(),
            "due_at": row.due_at.isoformat(),
            "completed_at": row.completed_at.isoformat() if row.completed_at else None,
        }
        for row in DelayedEnd.objects.filter(leaver=person).order_by("requested_at")
    ]


@register_deletion("leaving", models=(DelayedEnd,))
def delete_leaving(person: User) -> None:
    """Runs after the couple's rule has ended the couple (which completes a pending delayed
    end first): the person's record of having asked for a delay goes with them."""
    DelayedEnd.objects.filter(leaver=person).delete()
