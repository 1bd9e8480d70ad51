"""What `couples` adds to a person's export and does when they are deleted. Registered from
CouplesConfig.ready.

Deletion first ends the couple exactly as `couple/end` does (the former partner learns only
that it ended). What the former partner could no longer see after an ordinary end is then
deleted; what they still see (their own words, what both accepted) stays, as after any end.
Every export section costs a fixed number of queries, whatever the amount of data."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q

from accounts.data_rights import ORDER_END_RELATIONSHIPS, register_deletion, register_export
from accounts.models import User
from couples.models import (
    Agreement,
    AgreementRevision,
    Appreciation,
    Boundary,
    BoundaryAcknowledgement,
    BoundaryRevision,
    CoachAccess,
    CoachConsent,
    CoachGrant,
    CoachNote,
    CoachProfile,
    ConversationRequest,
    Couple,
    Invite,
    Membership,
    Ping,
    Reassurance,
    SpacePeriod,
)
from couples.selectors import couple_and_partner_of
from couples.services.couples import couple_end

# --- The couple ----------------------------------------------------------------------------------


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


# --- Boundaries -------------------------------------------------------------------------------


@register_export(
    "boundaries", models=(Boundary, BoundaryRevision, BoundaryAcknowledgement), order=20
)
def export_boundaries(person: User) -> dict[str, Any]:
    """Their own boundaries, private ones included, with every revision; and the
    acknowledgements they gave (never a partner's private boundary)."""
    own = list(Boundary.objects.filter(owner=person).order_by("created_at"))
    revisions: dict[Any, list[dict[str, Any]]] = {b.pk: [] for b in own}
    for r in BoundaryRevision.objects.filter(boundary__owner=person).order_by("version"):
        revisions[r.boundary_id].append(
            {
                "version": r.version,
                "kind": r.kind,
                "text": r.text,
                "visibility": r.visibility,
                "revisit_on": r.revisit_on,
                "created_at": r.created_at,
            }
        )
    given = BoundaryAcknowledgement.objects.filter(user=person).order_by("created_at")
    return {
        "mine": [
            {
                "id": str(b.pk),
                "kind": b.kind,
                "text": b.text,
                "visibility": b.visibility,
                "revisit_on": b.revisit_on,
                "version": b.version,
                "retired_at": b.retired_at,
                "created_at": b.created_at,
                "history": revisions[b.pk],
            }
            for b in own
        ],
        "acknowledgements_given": [
            {"boundary_id": str(a.boundary_id), "version": a.version, "at": a.created_at}
            for a in given
        ],
    }


@register_deletion(
    "boundaries",
    models=(Boundary, BoundaryRevision, BoundaryAcknowledgement),
    keeps="Acknowledgements you gave on your former partner's boundaries stay on them, as "
    "after any end (they carry no words).",
)
def delete_boundaries(person: User) -> None:
    Boundary.objects.filter(owner=person).delete()  # revisions and acknowledgements go too


# --- Appreciations, pings, reassurances --------------------------------------------------------


def _current_couple_ids(person: User) -> Any:
    return Membership.objects.filter(user=person, left_at__isnull=True).values("couple_id")


def _messages(model, sender_field: str, person: User, extra: tuple[str, ...]) -> dict:
    """What they sent, in every couple; what they received, only in their couple today:
    after an end each keeps what they wrote and loses what the other wrote."""
    to_them = Q(recipient=person, couple_id__in=_current_couple_ids(person))
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


# --- Agreements -----------------------------------------------------------------------------


def _agreements_of(person: User) -> tuple[list[Any], set[Any]]:
    """Every agreement the person wrote a version of or may still see, and the ids of those
    they may see (as `couples.selectors.agreements_visible_to`, over all their couples): in
    an active couple, all but the partner's withdrawn proposals; in an ended one, what both
    accepted and what they proposed themselves. Of the others they keep only their own
    versions (a counter to the former partner's proposal): what they wrote is theirs."""
    rows = Membership.objects.filter(user=person).values_list("couple_id", "left_at")
    current = [couple for couple, left_at in rows if left_at is None]
    past = [couple for couple, left_at in rows if left_at is not None]
    proposed = AgreementRevision.objects.filter(number=1, author=person).values("agreement_id")
    written = AgreementRevision.objects.filter(author=person).values("agreement_id")
    visible = Q(couple_id__in=past) & (Q(active_revision__isnull=False) | Q(pk__in=proposed))
    visible |= Q(couple_id__in=current) & (~Q(state=Agreement.State.WITHDRAWN) | Q(pk__in=proposed))
    agreements = list(
        Agreement.objects.filter(visible | Q(pk__in=written))
        .annotate(seen=ExpressionWrapper(visible, output_field=BooleanField()))
        .order_by("created_at")
    )
    return agreements, {a.pk for a in agreements if a.seen}


@register_export("agreements", models=(Agreement, AgreementRevision), order=40)
def export_agreements(person: User) -> list[dict[str, Any]]:
    """Agreements they took part in: their own revisions in full; the partner's as "the
    partner's proposal", terms only, and only those shared with this person (as
    `couples.selectors.agreement_revisions_of`)."""
    agreements, seen_ids = _agreements_of(person)
    by_agreement: dict[Any, list[dict[str, Any]]] = {a.pk: [] for a in agreements}
    archived = {a.pk: a.archived_at is not None for a in agreements}
    active = {a.pk: a.active_revision_id for a in agreements}
    revisions = AgreementRevision.objects.filter(agreement_id__in=list(by_agreement)).order_by(
        "number"
    )
    for r in revisions:
        mine = r.author_id == person.pk
        if r.agreement_id not in seen_ids:
            seen = mine
        elif archived[r.agreement_id]:
            seen = mine or r.pk == active[r.agreement_id]
        else:
            seen = mine or r.withdrawn_at is None
        if not seen:
            continue
        item: dict[str, Any] = {"number": r.number, "created_at": r.created_at}
        if mine:
            item |= {
                "by": "me",
                "terms": r.terms,
                "my_need": r.my_need,
                "your_need_as_i_understand": r.your_need_as_i_understand,
                "withdrawn_at": r.withdrawn_at,
            }
        else:
            item |= {"by": "the partner's proposal", "terms": r.terms}
        item["accepted_by_both"] = r.pk == active[r.agreement_id]
        by_agreement[r.agreement_id].append(item)
    return [
        {
            "id": str(a.pk),
            "couple_id": str(a.couple_id),
            # The title is the proposer's words: only where this person may still see it.
            "title": a.title if a.pk in seen_ids else None,
            "state": a.state,
            "review_on": a.review_on,
            "archived_at": a.archived_at,
            "created_at": a.created_at,
            "revisions": by_agreement[a.pk],
        }
        for a in agreements
    ]


@register_deletion(
    "agreements",
    models=(Agreement, AgreementRevision),
    keeps="Terms both of you accepted stay in your former partner's archive (the agreement's "
    "title and the accepted version), as after any end. Every other version you wrote is "
    "emptied, and agreements you proposed that were never accepted are deleted.",
)
def delete_agreements(person: User) -> None:
    accepted = Agreement.objects.filter(active_revision__isnull=False).values("active_revision_id")
    proposed = AgreementRevision.objects.filter(number=1, author=person).values("agreement_id")
    Agreement.objects.filter(pk__in=proposed, active_revision__isnull=True).delete()
    AgreementRevision.objects.filter(author=person).exclude(pk__in=accepted).update(
        terms="", my_need="", your_need_as_i_understand=""
    )


# --- Conversation requests ------------------------------------------------------------------


@register_export("conversations", models=(ConversationRequest,), order=50)
def export_conversations(person: User) -> dict[str, Any]:
    """Requests they made (calm score and held ones included: theirs) and those they were
    sent in their couple today (never the partner's calm score, drafts or held requests)."""
    rows = ConversationRequest.objects.filter(
        Q(requester=person)
        | Q(partner=person, sent_at__isnull=False, couple_id__in=_current_couple_ids(person))
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


# --- Coaching --------------------------------------------------------------------------------


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
