"""Compromise agreements (DESIGN, "Agreements (compromise)"): one partner proposes terms,
their own need and what they understand the other's need to be; the other answers the
latest revision by accepting it, countering it, or asking for time. Until they answer, the
author may amend their version or take it back. Accepted, it is in force until both change
it, keep it at review, or retire it (a retire request can be declined: "keep it").

Every move goes through `_locked` and `_move`: the couple row and then the agreement row are
locked, the move is looked up in `couples.agreement_states.TRANSITIONS`, and only then
written. Two partners acting at the same moment therefore queue; the second sees the first's
result and gets a 409 (a stale revision, or a move the new state does not allow) unless it
asked for exactly what already happened: a repeated action that changes nothing (a double
tap, a retry) answers the same success as the first.

Nudges: each move relays one notice to the partner through `nudges.services.nudge_relay`.
The ends of a snooze and of an unanswered retirement are found by `agreements_wake_snoozed`
and `agreements_finish_retiring`; the nudges issue schedules them as periodic tasks (they take
`now` and can run twice without a second effect)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from accounts.localtime import local_today
from accounts.models import User
from common.errors import ApplicationError, ConflictError
from common.sync import tombstones_record, tombstones_record_bulk
from couples.agreement_states import (
    CHANGE_STATES,
    OPEN_STATES,
    SNOOZED_STATES,
    transition_next,
)
from couples.models import Agreement, AgreementRevision, Couple, Membership
from couples.selectors import couple_and_partner_required
from nudges.models import Nudge
from nudges.services import nudge_relay, nudges_cancel

OPEN_NEGOTIATIONS_MAX = 3
SNOOZE_MAX_DAYS = 14
REVIEW_DEFAULT_DAYS = 30
RETIRE_UNANSWERED_DAYS = 7

TEXT_FIELDS = ("terms", "my_need", "your_need_as_i_understand")


@contextmanager
def _locked(*, agreement: Agreement, actor: User) -> Iterator[tuple[Agreement, User]]:
    """The agreement, fresh and locked, with the actor's partner. Locks are always taken
    couple first, then agreement, so every agreement write queues in one order."""
    with transaction.atomic():
        couple, partner = couple_and_partner_required(actor)
        if couple.pk != agreement.couple_id:
            raise NotFound()
        Couple.objects.select_for_update().filter(pk=couple.pk).first()
        locked = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("latest_revision", "active_revision")
            .get(pk=agreement.pk)
        )
        if locked.archived_at is not None:
            raise ConflictError(
                _("This agreement is archived: it can be read, not changed."),
                code="agreement_archived",
            )
        yield locked, partner


def _move(agreement: Agreement, action: str) -> None:
    """Apply one move from the table, or refuse it plainly."""
    next_state = transition_next(agreement.state, action)
    if next_state is None:
        if agreement.state == Agreement.State.RETIRED:
            raise ConflictError(
                _("This agreement is retired. Propose a new one instead."),
                code="agreement_retired",
                extra={"state": agreement.state},
            )
        if agreement.state == Agreement.State.WITHDRAWN:
            raise ConflictError(
                _("This proposal was taken back. Propose a new one instead."),
                code="agreement_withdrawn",
                extra={"state": agreement.state},
            )
        raise ConflictError(
            _("That is not possible while the agreement is %(state)s.")
            % {"state": agreement.get_state_display().lower()},
            code="invalid_transition",
            extra={"state": agreement.state},
        )
    agreement.state = next_state


def _current_check(agreement: Agreement, based_on: int, actor: User) -> None:
    """A counter, an accept, an amendment or a withdrawal names the revision it is about;
    only the latest can be. The answer says who wrote what is current (the caller may be
    the one who moved on) and whether the version named was taken back."""
    latest = agreement.latest_revision
    assert latest is not None
    if based_on == latest.number:
        return
    mine = latest.author_id == actor.pk
    if based_on > latest.number:
        taken_back = (
            AgreementRevision.objects.filter(
                agreement_id=agreement.pk, number=based_on, withdrawn_at__isnull=False
            )
            .order_by("-withdrawn_at")
            .values_list("author_id", flat=True)
            .first()
        )
        if taken_back == actor.pk:
            detail = _("You took that version back; version %(number)d is the current one.")
        elif taken_back is not None:
            detail = _(
                "Your partner took that version back; version %(number)d is the current one."
            )
        else:
            detail = _("That version does not exist; version %(number)d is the current one.")
    elif mine:
        detail = _("You already wrote a newer version (%(number)d).")
    else:
        detail = _("Your partner has written a newer version (%(number)d). Read it first.")
    raise ConflictError(
        detail % {"number": latest.number},
        code="stale_revision",
        extra={
            "current_revision": latest.number,
            "current_revision_author_id": str(latest.author_id) if latest.author_id else None,
        },
    )


def _answerer_only(agreement: Agreement, actor: User) -> None:
    """Partners answer what the other wrote: the author of the latest revision waits (and
    may amend it or take it back meanwhile)."""
    latest = agreement.latest_revision
    assert latest is not None
    if latest.author_id == actor.pk:
        raise ApplicationError(
            _(
                "This is your own version; your partner is the one who answers it. Until they "
                "do, you can amend it or take it back."
            ),
            code="own_revision",
            status_code=403,
        )


def _author_only(agreement: Agreement, actor: User) -> None:
    """Only the one who wrote a version amends it or takes it back."""
    latest = agreement.latest_revision
    assert latest is not None
    if latest.author_id != actor.pk:
        raise ApplicationError(
            _("This version is your partner's; only they can change it or take it back."),
            code="partner_revision",
            status_code=403,
        )


def _open_limit_check(couple_id) -> None:
    """A handful of open negotiations at once: enough to talk, not enough to overwhelm."""
    open_count = Agreement.objects.filter(couple_id=couple_id, state__in=OPEN_STATES).count()
    if open_count >= OPEN_NEGOTIATIONS_MAX:
        raise ConflictError(
            _("You already have %(count)d agreements in progress. Settle one first.")
            % {"count": open_count},
            code="too_many_open_negotiations",
            extra={"open_negotiations": open_count},
        )


def _same_words(revision: AgreementRevision, texts: dict[str, str]) -> bool:
    return all(getattr(revision, field) == texts[field] for field in TEXT_FIELDS)


def _already_written(
    agreement: Agreement, *, author: User, based_on: int, texts: dict[str, str], amending: bool
) -> bool:
    """The caller's counter or amendment is already the latest version, word for word, and
    it followed the version they name: a double tap or a retry, not a new version."""
    latest = agreement.latest_revision
    if latest is None or latest.withdrawn_at is not None or latest.author_id != author.pk:
        return False
    if not _same_words(latest, texts):
        return False
    if based_on == latest.number:
        return amending  # the same words again: nothing to amend
    named = AgreementRevision.objects.filter(
        agreement_id=agreement.pk, number=based_on, withdrawn_at__isnull=True
    ).first()
    if named is None:
        return False
    answered = named.pk == latest.answers_id  # a counter or a change to `named`
    amended = named.author_id == author.pk and named.answers_id == latest.answers_id
    return answered or amended


def _revision_write(
    agreement: Agreement,
    *,
    author: User,
    answers: AgreementRevision | None,
    texts: dict[str, str],
) -> AgreementRevision:
    """The next version. Numbers count what both can see: a version taken back frees its
    number, so the partner's history never shows a gap."""
    standing = AgreementRevision.objects.filter(
        agreement_id=agreement.pk, withdrawn_at__isnull=True
    )
    number = (standing.aggregate(top=Max("number"))["top"] or 0) + 1
    revision = AgreementRevision.objects.create(
        agreement=agreement, number=number, author=author, answers=answers, **texts
    )
    agreement.latest_revision = revision
    return revision


def _pauses_clear(agreement: Agreement) -> None:
    agreement.snoozed_until = None
    agreement.snoozed_by = None
    agreement.retire_requested_by = None
    agreement.retire_requested_at = None


def _texts(terms: str, my_need: str, your_need_as_i_understand: str) -> dict[str, str]:
    return {
        "terms": terms,
        "my_need": my_need,
        "your_need_as_i_understand": your_need_as_i_understand,
    }


def agreement_propose(
    *, author: User, title: str, terms: str, my_need: str, your_need_as_i_understand: str
) -> Agreement:
    """A partner proposes an agreement. All three texts are required: a compromise names
    both sides. The partner is told; it waits for their answer."""
    with transaction.atomic():
        couple, partner = couple_and_partner_required(author)
        Couple.objects.select_for_update().filter(pk=couple.pk).first()
        _open_limit_check(couple.pk)
        state = transition_next(None, "propose")
        assert state is not None
        agreement = Agreement.objects.create(couple=couple, title=title, state=state)
        revision = _revision_write(
            agreement,
            author=author,
            answers=None,
            texts=_texts(terms, my_need, your_need_as_i_understand),
        )
        agreement.save(update_fields=["latest_revision", "updated_at"])
        nudge_relay(
            recipient=partner, kind="agreement_proposed", subject_id=revision.pk, actor=author
        )
    return agreement


def agreement_counter(
    *,
    agreement: Agreement,
    author: User,
    based_on: int,
    terms: str,
    my_need: str,
    your_need_as_i_understand: str,
) -> Agreement:
    """While negotiating, the partner who did not write the latest revision answers it with
    their own. On an active agreement either partner may propose a change: the accepted
    terms stay in force (the API shows it `active`, with a `pending_change`) until the
    change is accepted, declined ("keep it") or taken back. Sending the same counter twice
    writes it once."""
    texts = _texts(terms, my_need, your_need_as_i_understand)
    with _locked(agreement=agreement, actor=author) as (agreement, partner):
        if _already_written(
            agreement, author=author, based_on=based_on, texts=texts, amending=False
        ):
            return agreement
        was_active = agreement.state == Agreement.State.ACTIVE
        _move(agreement, "counter")
        _current_check(agreement, based_on, author)
        if was_active:
            _open_limit_check(agreement.couple_id)
        else:
            _answerer_only(agreement, author)
        revision = _revision_write(
            agreement, author=author, answers=agreement.latest_revision, texts=texts
        )
        _pauses_clear(agreement)
        agreement.save()
        kind = "agreement_change_proposed" if was_active else "agreement_countered"
        nudge_relay(recipient=partner, kind=kind, subject_id=revision.pk, actor=author)
    return agreement


def agreement_amend(
    *,
    agreement: Agreement,
    author: User,
    based_on: int,
    terms: str,
    my_need: str,
    your_need_as_i_understand: str,
) -> Agreement:
    """Before the partner answers, the author of the latest version may rewrite it: a new
    revision (the history keeps the earlier one) that the partner then answers. A time the
    partner asked for stays theirs. If the partner was not told of the earlier version yet,
    they are told of this one instead, once."""
    texts = _texts(terms, my_need, your_need_as_i_understand)
    with _locked(agreement=agreement, actor=author) as (agreement, partner):
        if _already_written(
            agreement, author=author, based_on=based_on, texts=texts, amending=True
        ):
            return agreement
        _move(agreement, "amend")
        _current_check(agreement, based_on, author)
        _author_only(agreement, author)
        earlier = agreement.latest_revision
        assert earlier is not None
        revision = _revision_write(agreement, author=author, answers=earlier.answers, texts=texts)
        agreement.save()
        untold = _untold_kinds(recipient=partner, subject_id=earlier.pk)
        nudges_cancel(recipient_ids=[partner.pk], subject_id=earlier.pk, kinds=untold)
        for kind in untold or ["agreement_amended"]:
            nudge_relay(recipient=partner, kind=kind, subject_id=revision.pk, actor=author)
    return agreement


def _untold_kinds(*, recipient: User, subject_id) -> list[str]:
    """The kinds of notice about `subject_id` still waiting to reach `recipient`."""
    return list(
        Nudge.objects.filter(
            recipient=recipient, subject_id=subject_id, state=Nudge.State.PENDING
        ).values_list("kind", flat=True)
    )


def agreement_withdraw(*, agreement: Agreement, user: User, based_on: int) -> Agreement:
    """Before the partner answers, the author of the latest version may take it back
    (`based_on` names it). A first proposal taken back is gone from the partner's view
    (their phone drops it); a change taken back leaves the terms in force as they were; a
    counter taken back returns to the partner's version, for the author to answer again.
    What was taken back stays readable to its author alone; notices about it that have not
    reached the partner yet are cancelled. Taking one version back twice is one withdrawal."""
    with _locked(agreement=agreement, actor=user) as (agreement, partner):
        latest = agreement.latest_revision
        assert latest is not None
        if _withdrawn_already(agreement, user=user, based_on=based_on):
            return agreement
        if latest.answers_id is None:
            action = "withdraw"
        elif latest.answers_id == agreement.active_revision_id:
            action = "withdraw_change"
        else:
            action = "withdraw_counter"
        _move(agreement, action)
        _current_check(agreement, based_on, user)
        _author_only(agreement, user)
        AgreementRevision.objects.filter(pk=latest.pk).update(withdrawn_at=timezone.now())
        if action != "withdraw":
            agreement.latest_revision = latest.answers
        _pauses_clear(agreement)
        agreement.save()
        nudges_cancel(recipient_ids=[partner.pk, user.pk], subject_id=latest.pk)
        if action == "withdraw":
            tombstones_record(
                viewer_ids=[partner.pk], kind=Agreement.SYNC_KIND, object_id=agreement.pk
            )
    return agreement


def _withdrawn_already(agreement: Agreement, *, user: User, based_on: int) -> bool:
    latest = agreement.latest_revision
    assert latest is not None
    if latest.withdrawn_at is not None:  # the whole proposal was taken back
        return latest.author_id == user.pk and latest.number == based_on
    if latest.number == based_on:
        return False
    return AgreementRevision.objects.filter(
        agreement_id=agreement.pk, number=based_on, author=user, withdrawn_at__isnull=False
    ).exists()


def agreement_accept(
    *, agreement: Agreement, user: User, based_on: int, review_on: dt.date | None = None
) -> Agreement:
    """Only the partner who did not write the latest revision accepts it, and only the
    latest. Accepted, it is in force until the review date (30 days unless they choose).
    Accepting what is already in force (a double tap) changes nothing and says so with the
    same success."""
    today = local_today(user)
    if review_on is not None and review_on <= today:
        raise ApplicationError(
            _("Choose a review date after today."), code="review_on_not_in_future", attr="review_on"
        )
    with _locked(agreement=agreement, actor=user) as (agreement, partner):
        in_force = agreement.active_revision
        if (
            in_force is not None
            and in_force.pk == agreement.latest_revision_id
            and in_force.number == based_on
            and in_force.author_id != user.pk
            and agreement.state in (Agreement.State.ACTIVE, Agreement.State.RETIRING)
        ):
            return agreement
        _move(agreement, "accept")
        _current_check(agreement, based_on, user)
        _answerer_only(agreement, user)
        agreement.active_revision = agreement.latest_revision
        agreement.review_on = review_on or today + dt.timedelta(days=REVIEW_DEFAULT_DAYS)
        _pauses_clear(agreement)
        agreement.save()
        assert agreement.latest_revision is not None
        nudge_relay(
            recipient=partner,
            kind="agreement_accepted",
            subject_id=agreement.latest_revision.pk,
            actor=user,
        )
    return agreement


def agreement_snooze(*, agreement: Agreement, user: User, until: dt.date) -> Agreement:
    """The partner asked to answer may ask for time: until a day after today and at most
    14 days ahead, in their own calendar; asking again moves the day. When it ends, both
    are nudged gently."""
    today = local_today(user)
    if not today < until <= today + dt.timedelta(days=SNOOZE_MAX_DAYS):
        raise ApplicationError(
            _("Choose a day after today and at most %(days)d days ahead.")
            % {"days": SNOOZE_MAX_DAYS},
            code="snooze_until_out_of_range",
            attr="until",
        )
    with _locked(agreement=agreement, actor=user) as (agreement, partner):
        asked_before = agreement.state in SNOOZED_STATES
        _move(agreement, "snooze")
        _answerer_only(agreement, user)
        agreement.snoozed_until = until
        agreement.snoozed_by = user
        agreement.save()
        assert agreement.latest_revision is not None
        if not asked_before:  # the partner already knows time was asked for
            nudge_relay(
                recipient=partner,
                kind="agreement_snoozed",
                subject_id=agreement.latest_revision.pk,
                actor=user,
            )
    return agreement


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


def _members_of(couple_id) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.select_related("user").filter(
            couple_id=couple_id, left_at__isnull=True
        )
    ]


def agreements_wake_snoozed(now: dt.datetime | None = None) -> int:
    """Snoozes whose day has come (in the snoozer's calendar) end: the agreement waits for an
    answer again and both partners get a gentle nudge. Returns how many woke; running it
    twice wakes nothing twice."""
    now = now or timezone.now()
    # A day ahead of UTC covers every time zone; each one is then checked precisely.
    due = Agreement.objects.filter(
        state__in=SNOOZED_STATES,
        archived_at__isnull=True,
        snoozed_until__lte=(now + dt.timedelta(days=1)).date(),
    ).values_list("pk", flat=True)
    woken = 0
    for pk in list(due):
        with transaction.atomic():
            agreement = (
                Agreement.objects.select_for_update(of=("self",))
                .select_related("snoozed_by", "latest_revision")
                .filter(pk=pk, state__in=SNOOZED_STATES, archived_at__isnull=True)
                .first()
            )
            if agreement is None or agreement.snoozed_until is None:
                continue
            if agreement.snoozed_by is not None and (
                local_today(agreement.snoozed_by, now) < agreement.snoozed_until
            ):
                continue
            _move(agreement, "wake")
            agreement.snoozed_until = None
            agreement.snoozed_by = None
            agreement.save()
            assert agreement.latest_revision is not None
            for member in _members_of(agreement.couple_id):
                nudge_relay(
                    recipient=member,
                    kind="agreement_snooze_ended",
                    subject_id=agreement.latest_revision.pk,
                )
            woken += 1
    return woken


def agreements_finish_retiring(now: dt.datetime | None = None) -> int:
    """A retirement unanswered for 7 days takes effect: no one is held hostage. Both are
    told. Returns how many retired; running it twice retires nothing twice."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=RETIRE_UNANSWERED_DAYS)
    due = Agreement.objects.filter(
        state=Agreement.State.RETIRING, archived_at__isnull=True, retire_requested_at__lte=cutoff
    ).values_list("pk", flat=True)
    retired = 0
    for pk in list(due):
        with transaction.atomic():
            agreement = (
                Agreement.objects.select_for_update()
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
    agreements = Agreement.objects.select_for_update(of=("self",)).filter(
        couple=couple, archived_at__isnull=True
    )
    hidden = []
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
