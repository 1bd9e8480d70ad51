from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.errors import ApplicationError, ConflictError
from couples.models import Couple, DelayedEnd, Membership, SpacePeriod
from couples.selectors import (
    CoupleEnded,
    NotPaired,
    couple_and_partner_of,
    couple_and_partner_or_ended,
    space_active_q,
)
from couples.signals import couple_ended
from nudges.services import nudge_relay, nudge_schedule, nudges_cancel, nudges_release_held


def _last_couple_of(user: User) -> Couple:
    return Couple.objects.filter(memberships__user=user, ended_at__isnull=False).latest("ended_at")


def couple_end(*, user: User) -> Couple:
    """Ending is immediate and one-sided, and needs no reason. Each person keeps what they
    wrote and loses access to what the partner wrote; the partner is told gently. Someone
    whose couple already ended (a second tap, or the partner ended it first) is answered with
    that ended couple: nothing changes and nobody is told again. An end the person asked to
    delay (`couples.services.leaving`) is completed now: so `DELETE me` ends the delay first,
    and the leaver can end it early."""
    from couples.services.leaving import delayed_end_complete

    with transaction.atomic():
        pending = DelayedEnd.objects.filter(leaver=user, completed_at__isnull=True).first()
        if pending is not None:
            ended = delayed_end_complete(delayed=pending)
            assert ended is not None  # never skipped without skip_locked
            return ended
        try:
            couple, partner = couple_and_partner_or_ended(user)
        except CoupleEnded:
            return _last_couple_of(user)
        couple = Couple.objects.select_for_update(no_key=True).get(pk=couple.pk)
        if couple.ended_at is not None:  # the partner's end won the race
            return couple
        return couple_end_now(couple=couple, ended_by=user, partner=partner)


def couple_end_now(*, couple: Couple, ended_by: User, partner: User) -> Couple:
    """The ordinary end, for a locked couple still active: memberships and spaces close,
    every app's receiver cleans up (`couple_ended`), and the partner is told gently. A
    partner who already asked to leave with a delay sees the couple as ended already: they
    are not told again (nothing the other does reaches them), and their delayed end is done."""
    now = timezone.now()
    couple.ended_at = now
    couple.ended_by = ended_by
    couple.save(update_fields=["ended_at", "ended_by", "updated_at"])
    Membership.objects.filter(couple=couple, left_at__isnull=True).update(left_at=now)
    SpacePeriod.objects.filter(couple=couple, ended_at__isnull=True).update(ended_at=now)
    partner_already_left = DelayedEnd.objects.filter(
        couple=couple, leaver=partner, completed_at__isnull=True
    ).update(completed_at=now)
    couple_ended.send(sender=Couple, couple=couple, ended_by=ended_by, partner=partner)
    if not partner_already_left:
        nudge_relay(recipient=partner, kind="couple_ended", subject_id=couple.pk, actor=ended_by)
    return couple


def space_start(
    *,
    user: User,
    ends_at: datetime | None,
    check_back_at: datetime | None,
    reassurance: str = "",
    reassurance_text: str = "",
) -> SpacePeriod:
    """Taking space is explicit and bounded: an end time within the limit, or, open-ended,
    a check-back time. Starting again while taking space replaces the current one."""
    now = timezone.now()
    limit = now + timedelta(hours=settings.SPACE_MAX_HOURS)
    if ends_at is not None and not (now < ends_at <= limit):
        raise ApplicationError(
            _("Choose an end time within the next %(hours)d hours.")
            % {"hours": settings.SPACE_MAX_HOURS},
            code="space_end_out_of_range",
            attr="ends_at",
        )
    if ends_at is None and check_back_at is None:
        raise ApplicationError(
            _("Without an end time, choose when you'd like to check back in."),
            code="check_back_required",
            attr="check_back_at",
        )
    if check_back_at is not None and not (now < check_back_at <= limit):
        raise ApplicationError(
            _("Choose a check-back time within the next %(hours)d hours.")
            % {"hours": settings.SPACE_MAX_HOURS},
            code="check_back_out_of_range",
            attr="check_back_at",
        )
    with transaction.atomic():
        pair = couple_and_partner_of(user)
        if pair is None:
            raise NotPaired()
        couple, _partner = pair
        # The couple first, as every couple service locks, then the person's own row.
        Couple.objects.select_for_update(no_key=True).get(pk=couple.pk)
        User.objects.select_for_update(no_key=True).get(pk=user.pk)
        SpacePeriod.objects.filter(user=user, ended_at__isnull=True).update(ended_at=now)
        nudges_cancel(recipient_ids=[user.pk], kinds=["space_check_back"])
        space = SpacePeriod.objects.create(
            user=user,
            couple=couple,
            ends_at=ends_at,
            check_back_at=check_back_at,
            reassurance=reassurance,
            reassurance_text=reassurance_text,
        )
        if check_back_at is not None:
            # The person's own check-back, at the time they chose.
            nudge_schedule(
                recipient=user, kind="space_check_back", subject_id=space.pk, due_at=check_back_at
            )
        return space


def space_end(*, user: User, tell_partner: bool = True) -> None:
    """Only the person taking space ends it early. Ending may tell the partner, gently,
    that they are back. What waited for the space to end (the partner's pings, an
    appreciation) is due at once, not at the space's old end: quiet hours still apply, and
    several of one kind arrive as one ("Alex thought of you while you had space")."""
    with transaction.atomic():
        space = (
            SpacePeriod.objects.select_for_update(no_key=True)
            .filter(space_active_q(), user=user)
            .first()
        )
        if space is None:
            raise ConflictError(_("You are not taking space right now."), code="not_taking_space")
        from couples.services.leaving import leaving_writes_guard

        leaving_writes_guard(user=user, couple_id=space.couple_id)
        space.ended_at = timezone.now()
        space.save(update_fields=["ended_at", "updated_at"])
        nudges_cancel(recipient_ids=[user.pk], kinds=["space_check_back"], subject_id=space.pk)
        nudges_release_held(recipient=user)
        pair = couple_and_partner_of(user)
        if tell_partner and pair is not None:
            nudge_relay(
                recipient=pair[1],
                kind="partner_back_from_space",
                subject_id=space.pk,
                actor=user,
            )
