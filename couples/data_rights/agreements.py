"""Agreements: what they add to the export and do on deletion
(see couples/data_rights/__init__.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q

from accounts.data_rights import register_deletion, register_export
from accounts.models import User
from couples.data_rights.common import current_couple_ids
from couples.models import (
    Agreement,
    AgreementRevision,
    Membership,
)


def _agreements_of(person: User) -> tuple[list[Any], set[Any]]:
    """Every agreement the person wrote a version of or may still see, and the ids of those
    they may see (as `couples.selectors.agreements_visible_to`, over all their couples): in
    an active couple, all but the partner's withdrawn proposals; in an ended one, what both
    accepted and what they proposed themselves. Of the others they keep only their own
    versions (a counter to the former partner's proposal): what they wrote is theirs."""
    # Current as the person sees it: a couple they asked to leave with a delay is already
    # ended for them (leaving safely), whatever the partner still sees.
    current = current_couple_ids(person)
    past = Membership.objects.filter(user=person).exclude(couple_id__in=current).values("couple_id")
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
