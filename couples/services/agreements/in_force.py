"""An agreement in force: keeping it at review, retiring it (or declining to), and what
becomes of every agreement when the couple ends."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.localtime import local_today
from accounts.models import User
from common.errors import ApplicationError
from common.sync import tombstones_record_bulk
from couples.agreement_states import CHANGE_STATES, OPEN_STATES, transition_next
from couples.models import Agreement, AgreementRevision, Couple
from couples.services.agreements.moves import (
    RETIRE_UNANSWERED_DAYS,
    REVIEW_DEFAULT_DAYS,
    _locked,
    _members_of,
    _move,
    _pauses_clear,
)
from nudges.services import nudge_relay, nudges_cancel


def agreement_keep(
    *, agreement: Agreement, user: User, review_on: dt.date | None = None
) -> Agreement:
    """Keeping it as it is, by either partner: at review it renews the review date (30 days
    unless they choose); on a retire request it declines it (or takes one's own request
    back) instead of letting it lapse after 7 days; on a change being talked over it
    declines the change (it stays in the history) and the terms in force stay. The partner
    is told gently, unless they had not yet heard of what is now off the table. Keeping
    twice is keeping once."""
    today = local_today(user)
    if review_on is not None and review_on <= today:
        raise ApplicationError(
            _("Choose a review date after today."), code="review_on_not_in_future", attr="review_on"
        )
    with _locked(agreement=agreement, actor=user) as (agreement, partner):
        before = agreement.state
        _move(agreement, "keep")
        untold = 0
        if before in CHANGE_STATES:
            declined = agreement.latest_revision
            assert declined is not None
            agreement.latest_revision = agreement.active_revision
            untold = nudges_cancel(recipient_ids=[partner.pk], subject_id=declined.pk)
            nudges_cancel(recipient_ids=[user.pk], subject_id=declined.pk)
        elif before == Agreement.State.RETIRING:
            asked = ["agreement_retire_requested"]
            untold = nudges_cancel(recipient_ids=[partner.pk], kinds=asked, subject_id=agreement.pk)
            nudges_cancel(recipient_ids=[user.pk], kinds=asked, subject_id=agreement.pk)
        agreement.review_on = review_on or today + dt.timedelta(days=REVIEW_DEFAULT_DAYS)
        _pauses_clear(agreement)
        agreement.save()
        if not untold:
            nudge_relay(
                recipient=partner, kind="agreement_kept", subject_id=agreement.pk, actor=user
            )
    return agreement


def agreement_retire(*, agreement: Agreement, user: User) -> Agreement:
    """Retiring asks the other's agreement too: the first asks (retiring), the other agrees
    (retired) or declines ("keep it", `agreement_keep`). Unanswered for 7 days it retires by
    itself (`agreements_finish_retiring`). Asking twice is the same as asking once, and
    retiring what is retired changes nothing."""
    with _locked(agreement=agreement, actor=user) as (agreement, partner):
        if agreement.state == Agreement.State.RETIRED or (
            agreement.state == Agreement.State.RETIRING
            and agreement.retire_requested_by_id == user.pk
        ):
            return agreement
        asking = agreement.state == Agreement.State.ACTIVE
        _move(agreement, "retire")
        if asking:
            agreement.retire_requested_by = user
            agreement.retire_requested_at = timezone.now()
        agreement.save()
        kind = "agreement_retire_requested" if asking else "agreement_retired"
        nudge_relay(recipient=partner, kind=kind, subject_id=agreement.pk, actor=user)
    return agreement


def agreements_finish_retiring(now: dt.datetime | None = None) -> int:
    """A retirement unanswered for 7 days takes effect: no one is held hostage. Both are
    told. Returns how many retired; running it twice retires nothing twice."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=RETIRE_UNANSWERED_DAYS)
    due = Agreement.objects.filter(
        state=Agreement.State.RETIRING, archived_at__isnull=True, retire_requested_at__lte=cutoff
    ).values_list("pk", "couple_id")
    retired = 0
    for pk, couple_id in list(due):
        with transaction.atomic():
            # The couple first, as the partners' own moves lock it (`moves.py`).
            Couple.objects.select_for_update(no_key=True).filter(pk=couple_id).first()
            agreement = (
                Agreement.objects.select_for_update(no_key=True)
                .filter(pk=pk, state=Agreement.State.RETIRING, archived_at__isnull=True)
                .first()
            )
            if agreement is None:
                continue
            _move(agreement, "lapse")
            agreement.save()
            for member in _members_of(agreement.couple_id):
                nudge_relay(recipient=member, kind="agreement_retired", subject_id=agreement.pk)
            retired += 1
    return retired


def agreements_close_for_couple(*, couple: Couple, member_ids: list) -> None:
    """The couple ended. Each keeps what they wrote; what both accepted stays readable to
    both, archived. A change in progress (or a retire request) closes and the accepted terms
    stay; the change stays readable to its author alone. A proposal never accepted closes
    and stays with the one who proposed it, showing only their own words; it disappears
    from the other's phone."""
    now = timezone.now()
    agreements = Agreement.objects.select_for_update(no_key=True, of=("self",)).filter(
        couple=couple, archived_at__isnull=True
    )
    hidden: list[tuple] = []
    for agreement in agreements:
        if agreement.active_revision_id is None:
            if agreement.state in OPEN_STATES:
                _move(agreement, "close")
            own = _proposers_latest(agreement)
            if own is not None:
                agreement.latest_revision = own
            proposer_id = own.author_id if own is not None else None
            hidden.extend((viewer, agreement.pk) for viewer in member_ids if viewer != proposer_id)
        else:
            if agreement.state != Agreement.State.ACTIVE and transition_next(
                agreement.state, "close_change"
            ):
                _move(agreement, "close_change")
            # What the ex did not accept (a change in progress) is not theirs to read.
            agreement.latest_revision_id = agreement.active_revision_id
        _pauses_clear(agreement)
        agreement.archived_at = now
        agreement.save()
    tombstones_record_bulk(kind=Agreement.SYNC_KIND, pairs=hidden)


def _proposers_latest(agreement: Agreement) -> AgreementRevision | None:
    """The newest version the proposer (the author of revision 1) wrote themselves."""
    revisions = AgreementRevision.objects.filter(agreement_id=agreement.pk)
    proposer = revisions.filter(number=1).values_list("author_id", flat=True).first()
    if proposer is None:
        return None
    own = revisions.filter(author_id=proposer)
    return (own.filter(withdrawn_at__isnull=True).order_by("-number").first()) or own.order_by(
        "-number"
    ).first()
