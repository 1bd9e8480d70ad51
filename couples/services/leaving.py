"""Leaving safely (issue 16, item 3): ending a couple with a delay before the partner sees it.

Leaving is the most dangerous moment, and sudden visible changes can escalate. So a person
may end their couple and ask that the partner see it only later, up to `MAX_DELAY_HOURS`:

- from the request, the leaver sees the couple as ended everywhere (the one rule is
  `Membership.objects.current_for_self`), and no coach sees the couple any more
  (`couples_visible_to_coach`);
- the partner's view stays exactly as it was: no row of the couple changes, nothing is
  tombstoned, and nothing new of the leaver's shows (they write alone now);
- nothing the partner sends reaches the leaver: what the partner does is accepted as usual
  for the partner, but every nudge to the leaver from the couple is withheld at delivery
  (`couples.nudging.withheld_from_leavers`) and ends with the couple;
- when the delay is over, beat's `complete_delayed_ends` runs the ordinary end
  (`couple_end_now`): the partner's gentle message, the cleanup of every app.

The ordinary `couple_end` completes a pending delayed end at once, so `DELETE me` (built on
it) ends the delay first, and the leaver can end it early by asking again without a delay.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.errors import ConflictError
from couples.models import Couple, DelayedEnd, Membership
from couples.nudging import couple_kind_names
from couples.selectors import CoupleEnded, couple_and_partner_or_ended
from couples.services.couples import _last_couple_of, couple_end, couple_end_now
from couples.signals import couple_left_quietly
from nudges.services import nudges_cancel

MAX_DELAY_HOURS = 24


def leaving_couple_id(user: User):
    """The couple this person asked to leave with a delay, while it is pending; else None."""
    return (
        DelayedEnd.objects.filter(leaver=user, completed_at__isnull=True)
        .values_list("couple_id", flat=True)
        .first()
    )


def leaving_couple_subquery(user: User | uuid.UUID) -> Subquery:
    """`leaving_couple_id` as a column, so a service that reads a row anyway (the row it
    locks) learns it without a query of its own; pass it to `leaving_writes_check`. `user`
    is the person or their id."""
    return Subquery(
        DelayedEnd.objects.filter(leaver=user, completed_at__isnull=True)
        .order_by("pk")
        .values("couple_id")[:1]
    )


def leaving_writes_guard(*, user: User, couple_id=None) -> None:
    """While a delayed end is pending, what the partner could already see of the leaver's
    stays exactly as it was: the leaver cannot change it (a check-in shared in the couple,
    a shared boundary, their space, a sent request, their shared profile). With
    `couple_id`, only a thing of that couple is refused. Said to the leaver alone, plainly;
    the partner never learns that anything was tried."""
    leaving_writes_check(pending_couple_id=leaving_couple_id(user), couple_id=couple_id)


def leaving_writes_check(*, pending_couple_id, couple_id=None) -> None:
    """`leaving_writes_guard` with the pending couple already read
    (`leaving_couple_subquery`)."""
    if pending_couple_id is None or (couple_id is not None and couple_id != pending_couple_id):
        return
    raise ConflictError(
        _(
            "Your couple has ended for you. What your partner could already see of yours stays "
            "as it was until the ending reaches them; you can change it after that."
        ),
        code="leaving_in_progress",
    )


def couple_end_requested(*, user: User, delay_hours: int = 0) -> tuple[Couple, DelayedEnd | None]:
    """`POST couple/end`: without a delay (or 0), the ordinary end, at once. With one, the
    end the partner will see at `now + delay_hours`; asking again with a delay while one is
    pending changes nothing (a retried request never moves the moment), and asking again
    without one ends it now. Returns the couple and the pending delayed end, if any.

    Locks: the couple first, then its delayed end, everywhere (here, `delayed_end_complete`,
    the partner's ordinary end), so racing requests queue instead of deadlocking."""
    if not delay_hours:
        return couple_end(user=user), None
    with transaction.atomic():
        pending = _pending_of(user)
        if pending is not None:
            return pending.couple, pending
        try:
            couple, partner = couple_and_partner_or_ended(user)
        except CoupleEnded:
            # A racing request of this person's committed its delay since `_pending_of` looked.
            pending = _pending_of(user)
            if pending is not None:
                return pending.couple, pending
            return _last_couple_of(user), None
        couple = Couple.objects.select_for_update(no_key=True).get(pk=couple.pk)
        if couple.ended_at is not None:  # the partner's end won the race
            return couple, None
        # Looked at again under the couple's lock: a racing request of this person's, or the
        # partner's own quiet leaving, may have come first.
        other_pending = DelayedEnd.objects.filter(couple=couple, completed_at__isnull=True).first()
        if other_pending is not None and other_pending.leaver_id == user.pk:
            return couple, other_pending
        if other_pending is not None:
            # The partner is leaving already (quietly): ending now tells nobody anything new.
            return couple_end_now(couple=couple, ended_by=user, partner=partner), None
        now = timezone.now()
        delayed = DelayedEnd.objects.create(
            couple=couple,
            leaver=user,
            requested_at=now,
            due_at=now + dt.timedelta(hours=delay_hours),
        )
        _leaver_stops_hearing(couple=couple, leaver=user, partner=partner)
        return couple, delayed


def _pending_of(user: User) -> DelayedEnd | None:
    return (
        DelayedEnd.objects.select_related("couple")
        .filter(leaver=user, completed_at__isnull=True)
        .first()
    )


def _leaver_stops_hearing(*, couple: Couple, leaver: User, partner: User) -> None:
    """What an end does on the leaver's side only: nothing pending of the couple reaches
    their phone (the couple's kinds, whatever the partner caused, Haven's own engagement
    nudges, as an end does), and their phone drops what the partner sent and shares.
    Nothing here touches a row the partner can see."""
    nudges_cancel(recipient_ids=[leaver.pk], kinds=couple_kind_names())
    nudges_cancel(recipient_ids=[leaver.pk], actor_ids=[partner.pk])
    couple_left_quietly.send(sender=Couple, couple=couple, leaver=leaver, partner=partner)


def delayed_end_complete(*, delayed: DelayedEnd, skip_locked: bool = False) -> Couple | None:
    """Run the ordinary end for a pending delayed end: the partner is told now, gently, and
    every app cleans up. Running it twice is harmless: a completed one, or a couple the
    partner ended meanwhile, changes nothing. With `skip_locked` (beat's sweep), a couple
    someone else is changing right now is left for the next minute (None)."""
    with transaction.atomic():
        couple = (
            Couple.objects.select_for_update(no_key=True, skip_locked=skip_locked)
            .filter(pk=delayed.couple_id)
            .first()
        )
        if couple is None:
            return None
        delayed = DelayedEnd.objects.select_for_update(no_key=True).get(pk=delayed.pk)
        if delayed.completed_at is not None or couple.ended_at is not None:
            if delayed.completed_at is None:
                delayed.completed_at = timezone.now()
                delayed.save(update_fields=["completed_at", "updated_at"])
            return couple
        partner = (
            Membership.objects.select_related("user")
            .filter(couple=couple, left_at__isnull=True)
            .exclude(user_id=delayed.leaver_id)
            .get()
            .user
        )
        delayed.completed_at = timezone.now()
        delayed.save(update_fields=["completed_at", "updated_at"])
        return couple_end_now(couple=couple, ended_by=delayed.leaver, partner=partner)


def delayed_ends_complete_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Beat's sweep: every delayed end whose moment came runs the ordinary end, each in its
    own transaction. A couple another request holds is skipped (the next minute sees it); a
    crash midway leaves the rest for the next minute. Returns how many ended now."""
    now = now or timezone.now()
    due = list(
        DelayedEnd.objects.filter(completed_at__isnull=True, due_at__lte=now).order_by("due_at")[
            :limit
        ]
    )
    done = 0
    for delayed in due:
        with transaction.atomic():
            was_pending = DelayedEnd.objects.filter(
                pk=delayed.pk, completed_at__isnull=True
            ).exists()
            couple = delayed_end_complete(delayed=delayed, skip_locked=True)
            if was_pending and couple is not None and couple.ended_by_id == delayed.leaver_id:
                done += 1
    return done


def delayed_ends_complete_for(*, user_ids: list) -> None:
    """Before someone pairs anew: an end they asked to delay runs now (a person is in one
    couple at a time, and the new one is theirs to start)."""
    for delayed in DelayedEnd.objects.filter(leaver_id__in=user_ids, completed_at__isnull=True):
        delayed_end_complete(delayed=delayed)


def leaving_profile_guard(user: User) -> None:
    """Registered with `accounts` (AppConfig.ready): a leaver's name, time zone and shared
    profile stay, as the partner sees them, as they were until the end reaches the partner."""
    leaving_writes_guard(user=user)
