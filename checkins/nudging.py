"""The check-in kinds of nudge, registered with the nudges app at start-up: the daily
reminder, and "the bridge is ready"."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from checkins.models import CheckIn
from nudges.kinds import ENGAGEMENT, RELAYED, NudgeKind, register_kind


def _answered(pairs: Sequence[tuple[uuid.UUID, dt.date]]) -> set[tuple[uuid.UUID, dt.date]]:
    """Which (person, local date) already have a check-in or a pass: one query."""
    if not pairs:
        return set()
    condition = Q()
    for day in {day for _user, day in pairs}:
        condition |= Q(local_date=day, author_id__in=[u for u, d in pairs if d == day])
    return set(CheckIn.objects.filter(condition).values_list("author_id", "local_date"))


def _plan_reminders(people: Sequence[tuple[uuid.UUID, dt.date]]) -> list:
    """Everyone due who has not checked in (or passed) today. The subject is the person."""
    answered = _answered(people)
    return [(user_id, user_id, None) for user_id, day in people if (user_id, day) not in answered]


def _still_unanswered(nudges: Sequence) -> set[uuid.UUID]:
    answered = _answered([(n.recipient_id, n.local_date) for n in nudges])
    return {n.pk for n in nudges if (n.recipient_id, n.local_date) not in answered}


def _bridge_still_open(nudges: Sequence) -> set[uuid.UUID]:
    """A "bridge is ready" nudge goes out only while the bridge it announces exists: the
    check-in it is about (its subject) and the recipient's own check-in that day are both
    still shared, in a couple that has not ended. One unsent (or turned into a pass) after
    the nudge was queued drops it: the partner never hears of what was taken back. Two
    queries for the whole batch."""
    subjects = {
        pk: (author_id, day, couple_id)
        for pk, author_id, day, couple_id in CheckIn.objects.filter(
            pk__in=[n.subject_id for n in nudges],
            passed=False,
            is_shared=True,
            couple__isnull=False,
            couple__ended_at__isnull=True,
        ).values_list("pk", "author_id", "local_date", "couple_id")
    }
    wanted = Q()
    for author_id, day, couple_id in subjects.values():
        wanted |= Q(local_date=day, couple_id=couple_id) & ~Q(author_id=author_id)
    theirs = (
        set(
            CheckIn.objects.filter(wanted, passed=False, is_shared=True).values_list(
                "author_id", "local_date", "couple_id"
            )
        )
        if subjects
        else set()
    )
    relevant = set()
    for nudge in nudges:
        subject = subjects.get(nudge.subject_id)
        if subject is not None and (nudge.recipient_id, subject[1], subject[2]) in theirs:
            relevant.add(nudge.pk)
    return relevant


def register() -> None:
    register_kind(
        NudgeKind(
            name="checkin_bridge_ready",
            nudge_class=RELAYED,
            title=_("Something for the two of you"),
            body=_("You and %(actor)s both checked in today. There's a small idea waiting."),
            still_relevant=_bridge_still_open,
        )
    )
    register_kind(
        NudgeKind(
            name="checkin_reminder",
            nudge_class=ENGAGEMENT,
            title=_("A moment for you"),
            body=_("If you feel like it, a quick check-in is here. Skipping is fine too."),
            planner=_plan_reminders,
            still_relevant=_still_unanswered,
            same_day_only=True,
            priority=40,
            # Unanswered reminders come less often; a check-in or a pass starts over
            # (checkins.services calls nudges.services.nudges_back_off_reset).
            backs_off=True,
        )
    )
