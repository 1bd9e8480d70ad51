"""Coaching: what they add to the export and do on deletion
(see couples/data_rights/__init__.py)."""

from __future__ import annotations

from typing import Any

from accounts.data_rights import register_deletion, register_export
from accounts.models import User
from couples.models import (
    CoachAccess,
    CoachConsent,
    CoachGrant,
    CoachNote,
    CoachProfile,
    Membership,
)


@register_export(
    "coaching", models=(CoachGrant, CoachConsent, CoachAccess, CoachNote, CoachProfile), order=60
)
def export_coaching(person: User) -> dict[str, Any]:
    """Coach grants of their couples, their own consents, and the log of coach views of
    their couples (who, when, what: never more)."""
    couples = Membership.objects.filter(user=person).values("couple_id")
    grants = CoachGrant.objects.filter(couple_id__in=couples).order_by("created_at")
    consents = CoachConsent.objects.filter(user=person).order_by("created_at")
    accesses = CoachAccess.objects.filter(couple_id__in=couples).order_by("created_at")
    notes = CoachNote.objects.filter(couple_id__in=couples).order_by("created_at")
    return {
        "grants": [
            {
                "id": str(g.pk),
                "couple_id": str(g.couple_id),
                "status": g.status,
                "requested_by_me": g.requested_by_id == person.pk,
                "activated_at": g.activated_at,
                "expires_at": g.expires_at,
                "revoked_at": g.revoked_at,
                "ended_at": g.ended_at,
            }
            for g in grants
        ],
        "my_consents": [
            {"grant_id": str(c.grant_id), "round": c.round, "at": c.created_at} for c in consents
        ],
        "coach_access_log": [
            {
                "couple_id": str(a.couple_id),
                "coach": a.coach_name,
                "what": a.what,
                "at": a.created_at,
            }
            for a in accesses
        ],
        "coach_notes": [
            {"couple_id": str(n.couple_id), "text": n.text, "at": n.created_at} for n in notes
        ],
    }


@register_deletion(
    "coaching",
    models=(CoachGrant, CoachConsent, CoachAccess, CoachNote, CoachProfile),
    keeps="Coach grants end with the couple; the consents given and the log of coach views "
    "stay with the couple (dates only; a coach's name stays in that log, so a couple always "
    "knows who saw their page). A coach who deletes their account takes their notes and "
    "code with them.",
)
def delete_coaching(person: User) -> None:
    CoachProfile.objects.filter(user=person).delete()
    CoachNote.objects.filter(coach=person).delete()
