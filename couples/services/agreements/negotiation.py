"""Negotiating an agreement: a proposal, the answers to it (a counter, an accept, a request
for time), and what its author may do until the partner answers (amend it, take it back)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.localtime import local_today
from accounts.models import User
from common.errors import ApplicationError
from common.sync import tombstones_record
from couples.agreement_states import SNOOZED_STATES, transition_next
from couples.models import Agreement, AgreementRevision, Couple
from couples.selectors import couple_and_partner_required
from couples.services.agreements.moves import (
    REVIEW_DEFAULT_DAYS,
    SNOOZE_MAX_DAYS,
    _already_written,
    _answerer_only,
    _author_only,
    _current_check,
    _locked,
    _members_of,
    _move,
    _open_limit_check,
    _pauses_clear,
    _revision_write,
    _texts,
    _untold_kinds,
)
from nudges.services import nudge_relay, nudges_cancel


def agreement_propose(
    *, author: User, title: str, terms: str, my_need: str, your_need_as_i_understand: str
) -> Agreement:
    """A partner proposes an agreement. All three texts are required: a compromise names
    both sides. The partner is told; it waits for their answer."""
    with transaction.atomic():
        couple, partner = couple_and_partner_required(author)
        # NO KEY: the partner's rows that refer to the couple (a ping, a check-in) take a
        # key-share lock on it, which must not wait here (a deadlock under load otherwise).
        Couple.objects.select_for_update(no_key=True).filter(pk=couple.pk).first()
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
                Agreement.objects.select_for_update(no_key=True, of=("self",))
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
