"""The couple, taking space and invites: what they add to the export and do on deletion
(see couples/data_rights/__init__.py)."""

from __future__ import annotations

from typing import Any

from accounts.data_rights import ORDER_END_RELATIONSHIPS, register_deletion, register_export
from accounts.models import User
from couples.models import (
    Couple,
    Invite,
    Membership,
    SpacePeriod,
)
from couples.selectors import couple_and_partner_of
from couples.services.couples import couple_end


@register_export("couples", models=(Couple, Membership), order=10)
def export_couples(person: User) -> list[dict[str, Any]]:
    memberships = Membership.objects.filter(user=person).select_related("couple")
    return [
        {
            "id": str(m.couple_id),
            "paired_at": m.couple.created_at,
            "joined_at": m.joined_at,
            "ended_at": m.couple.ended_at,
            "ended_by_me": m.couple.ended_by_id == person.pk,
        }
        for m in sorted(memberships, key=lambda m: m.joined_at)
    ]


@register_export("space", models=(SpacePeriod,), order=11)
def export_space(person: User) -> list[dict[str, Any]]:
    return [
        {
            "id": str(s.pk),
            "couple_id": str(s.couple_id),
            "started_at": s.created_at,
            "ends_at": s.ends_at,
            "check_back_at": s.check_back_at,
            "reassurance": s.reassurance,
            "reassurance_text": s.reassurance_text,
            "ended_at": s.ended_at,
        }
        for s in SpacePeriod.objects.filter(user=person).order_by("created_at")
    ]


@register_deletion(
    "couple",
    models=(Couple, Membership),
    order=ORDER_END_RELATIONSHIPS,
    keeps="An active couple ends exactly as `couple/end` ends it: your former partner is "
    "told gently that it ended, with no reason and nothing about a deletion. The couple "
    "and the two memberships stay (dates only), so your former partner's history reads as "
    "after any end.",
)
def end_couple(person: User) -> None:
    if couple_and_partner_of(person) is not None:
        couple_end(user=person)


@register_deletion("space", models=(SpacePeriod,), keeps="")
def delete_space(person: User) -> None:
    # Nobody sees a former partner's space after an end; its reassurance is their words.
    SpacePeriod.objects.filter(user=person).delete()


@register_export("invites", models=(Invite,), order=12)
def export_invites(person: User) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "status": i.status,
            "created_at": i.created_at,
            "expires_at": i.expires_at,
            "responded_at": i.responded_at,
        }
        for i in Invite.objects.filter(inviter=person).order_by("created_at")
    ]


@register_deletion(
    "invites",
    models=(Invite,),
    keeps="An invite your former partner sent you and you accepted stays theirs.",
)
def delete_invites(person: User) -> None:
    Invite.objects.filter(inviter=person).delete()
