"""The daily check-in reminder, registered with the nudges app at start-up."""

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


def register() -> None:
    register_kind(
        NudgeKind(
            name="checkin_bridge_ready",
            nudge_class=RELAYED,
            title=_("Something for the two of you"),
            body=_("You and %(actor)s both checked in today. There's a small idea waiting."),
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
