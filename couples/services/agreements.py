"""Compromise agreements (DESIGN, "Agreements (compromise)"): one partner proposes terms,
their own need and what they understand the other's need to be; the other answers the
latest revision by accepting it, countering it, or asking for time. Accepted, it is active
until both change or retire it.

Every move goes through `_locked` and `_move`: the couple row and then the agreement row are
locked, the move is looked up in `couples.agreement_states.TRANSITIONS`, and only then
written. Two partners acting at the same moment therefore queue; the second sees the first's
result and gets a 409 (a stale revision, or a move the new state does not allow).

Nudges: each move relays one notice to the partner through `nudges.services.nudge_relay`.
The ends of a snooze and of an unanswered retirement are found by `agreements_wake_snoozed`
and `agreements_finish_retiring`; the nudges issue schedules them as periodic tasks (they take
`now` and can run twice without a second effect)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from accounts.localtime import local_today
from accounts.models import User
from common.errors import ApplicationError, ConflictError
from common.sync import tombstones_record_bulk
from couples.agreement_states import OPEN_STATES, transition_next
from couples.models import Agreement, AgreementRevision, Couple, Membership
from couples.selectors import couple_and_partner_required
from nudges.services import nudge_relay

OPEN_NEGOTIATIONS_MAX = 3
SNOOZE_MAX_DAYS = 14
REVIEW_DEFAULT_DAYS = 30
RETIRE_UNANSWERED_DAYS = 7


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
        raise ConflictError(
            _("That is not possible while the agreement is %(state)s.")
            % {"state": agreement.get_state_display().lower()},
            code="invalid_transition",
            extra={"state": agreement.state},
        )
    agreement.state = next_state


def _current_check(agreement: Agreement, based_on: int) -> None:
    """A counter or an accept names the revision it answers; only the latest can be."""
    latest = agreement.latest_revision
    assert latest is not None
    if based_on != latest.number:
        raise ConflictError(
            _("Your partner has written a newer version (%(number)d). Read it first.")
            % {"number": latest.number},
            code="stale_revision",
            extra={"current_revision": latest.number},
        )


def _answerer_only(agreement: Agreement, actor: User) -> None:
    """Partners answer what the other wrote: the author of the latest revision waits."""
    latest = agreement.latest_revision
    assert latest is not None
    if latest.author_id == actor.pk:
        raise ApplicationError(
            _("This is your own version; your partner is the one who answers it."),
            code="own_revision",
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


def _revision_write(
    agreement: Agreement, *, author: User, terms: str, my_need: str, your_need_as_i_understand: str
) -> AgreementRevision:
    number = agreement.latest_revision.number + 1 if agreement.latest_revision else 1
    revision = AgreementRevision.objects.create(
        agreement=agreement,
        number=number,
        author=author,
        terms=terms,
        my_need=my_need,
        your_need_as_i_understand=your_need_as_i_understand,
    )
    agreement.latest_revision = revision
    return revision


def _pauses_clear(agreement: Agreement) -> None:
    agreement.snoozed_until = None
    agreement.snoozed_by = None
    agreement.retire_requested_by = None
    agreement.retire_requested_at = None


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
            terms=terms,
            my_need=my_need,
            your_need_as_i_understand=your_need_as_i_understand,
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
    their own. On an active agreement either partner may propose a change: a new negotiation
    on the same agreement, while the accepted terms stay active until the change is."""
    with _locked(agreement=agreement, actor=author) as (agreement, partner):
        was_active = agreement.state == Agreement.State.ACTIVE
        _move(agreement, "counter")
        _current_check(agreement, based_on)
        if was_active:
            _open_limit_check(agreement.couple_id)
        else:
            _answerer_only(agreement, author)
        revision = _revision_write(
            agreement,
            author=author,
            terms=terms,
            my_need=my_need,
            your_need_as_i_understand=your_need_as_i_understand,
        )
        _pauses_clear(agreement)
        agreement.save()
        kind = "agreement_change_proposed" if was_active else "agreement_countered"
        nudge_relay(recipient=partner, kind=kind, subject_id=revision.pk, actor=author)
    return agreement


def agreement_accept(
    *, agreement: Agreement, user: User, based_on: int, review_on: dt.date | None = None
) -> Agreement:
    """Only the partner who did not write the latest revision accepts it, and only the
    latest. Accepted, it is active until the review date (30 days unless they choose)."""
    today = local_today(user)
    if review_on is not None and review_on <= today:
        raise ApplicationError(
            _("Choose a review date after today."), code="review_on_not_in_future", attr="review_on"
        )
    with _locked(agreement=agreement, actor=user) as (agreement, partner):
        _move(agreement, "accept")
        _current_check(agreement, based_on)
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
    14 days ahead, in their own calendar. When it ends, both are nudged gently."""
    today = local_today(user)
    if not today < until <= today + dt.timedelta(days=SNOOZE_MAX_DAYS):
        raise ApplicationError(
            _("Choose a day after today and at most %(days)d days ahead.")
            % {"days": SNOOZE_MAX_DAYS},
            code="snooze_until_out_of_range",
            attr="until",
        )
    with _locked(agreement=agreement, actor=user) as (agreement, partner):
        _move(agreement, "snooze")
        _answerer_only(agreement, user)
        agreement.snoozed_until = until
        agreement.snoozed_by = user
        agreement.save()
        assert agreement.latest_revision is not None
        nudge_relay(
            recipient=partner,
            kind="agreement_snoozed",
            subject_id=agreement.latest_revision.pk,
            actor=user,
        )
    return agreement


def agreement_retire(*, agreement: Agreement, user: User) -> Agreement:
    """Retiring asks the other's agreement too: the first asks (retiring), the other agrees
    (retired). Unanswered for 7 days it retires by itself (`agreements_finish_retiring`).
    Asking twice is the same as asking once."""
    with _locked(agreement=agreement, actor=user) as (agreement, partner):
        if (
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
        state=Agreement.State.SNOOZED,
        archived_at__isnull=True,
        snoozed_until__lte=(now + dt.timedelta(days=1)).date(),
    ).values_list("pk", flat=True)
    woken = 0
    for pk in list(due):
        with transaction.atomic():
            agreement = (
                Agreement.objects.select_for_update(of=("self",))
                .select_related("snoozed_by", "latest_revision")
                .filter(pk=pk, state=Agreement.State.SNOOZED, archived_at__isnull=True)
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
    """The couple ended: open negotiations close, and what both accepted stays readable to
    both, archived. A change in progress closes and the accepted terms stay; a negotiation
    that never reached an accept disappears from both phones."""
    now = timezone.now()
    agreements = Agreement.objects.select_for_update().filter(
        couple=couple, archived_at__isnull=True
    )
    hidden = []
    for agreement in agreements:
        if agreement.active_revision_id is None:
            if agreement.state in OPEN_STATES:
                _move(agreement, "close")
            hidden.append(agreement.pk)
        elif agreement.state != Agreement.State.ACTIVE and transition_next(
            agreement.state, "close_change"
        ):
            _move(agreement, "close_change")
        _pauses_clear(agreement)
        agreement.archived_at = now
        agreement.save()
    tombstones_record_bulk(
        kind=Agreement.SYNC_KIND, pairs=[(viewer, pk) for pk in hidden for viewer in member_ids]
    )
