"""What every agreement move is checked by, and the pieces each is written with: the lock,
the transition table, "is this the latest version?", "whose turn is it?", a handful open
at once, numbering versions, and telling a double tap from a new version."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from accounts.models import User
from common.errors import ApplicationError, ConflictError
from couples.agreement_states import OPEN_STATES, transition_next
from couples.models import Agreement, AgreementRevision, Couple, Membership
from couples.selectors import couple_and_partner_required
from nudges.models import Nudge

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
        # NO KEY: rows that merely refer to the couple never wait on this lock.
        Couple.objects.select_for_update(no_key=True).filter(pk=couple.pk).first()
        locked = (
            Agreement.objects.select_for_update(no_key=True, of=("self",))
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


def _untold_kinds(*, recipient: User, subject_id) -> list[str]:
    """The kinds of notice about `subject_id` still waiting to reach `recipient`."""
    return list(
        Nudge.objects.filter(
            recipient=recipient, subject_id=subject_id, state=Nudge.State.PENDING
        ).values_list("kind", flat=True)
    )


def _members_of(couple_id) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.select_related("user").filter(
            couple_id=couple_id, left_at__isnull=True
        )
    ]
