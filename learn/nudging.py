"""The lessons' nudges, registered with the nudges app at start-up (nudges never imports
learn), and the lessons a coach may attach to a note, registered with couples.

- `lesson_idea`: Haven's own initiative, inbox only (no push, no email), planned at the
  person's check-in time for those the rule table finds a lesson for. Ranked below the
  check-in reminder so it never takes the day's only slot; backs off when ignored, can be
  turned off, and waits while the person takes space, like every engagement kind.
- `lesson_shared`: "Alex read about giving space today", relayed like an appreciation.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from common.i18n import language_of
from couples.coach_lessons import register_lesson_choices
from learn.models import LessonOffer, LessonProgress, LessonShare
from learn.selectors import attachable_lessons, lessons_in_use, text_of
from learn.services import SHARED_KIND, lesson_offers_make
from nudges.kinds import ENGAGEMENT, RELAYED, NudgeKind, register_kind

IDEA_KIND = "lesson_idea"
# The check-in reminder is 40: a lesson idea comes after it under the daily cap.
IDEA_PRIORITY = 70


def _plan_lesson_ideas(people: Sequence[tuple[uuid.UUID, dt.date]]) -> list:
    """Those due today with a lesson the rule table offers them: the day's offer is made now
    (the app shows the same one) and is the nudge's subject. A few queries for the batch."""
    offers = lesson_offers_make(dict(people))
    return [(user_id, offer.pk, None) for user_id, offer in offers.items()]


def _idea_still_wanted(nudges: Sequence) -> set[uuid.UUID]:
    """The offer exists, its lesson is still in use, and the person has neither read it nor
    put it aside since it was offered."""
    offers = {
        offer.pk: offer
        for offer in LessonOffer.objects.filter(
            pk__in=[n.subject_id for n in nudges], lesson__is_active=True
        )
    }
    done = {
        (user_id, lesson_id)
        for user_id, lesson_id in LessonProgress.objects.filter(
            user_id__in=[o.user_id for o in offers.values()],
            lesson_id__in=[o.lesson_id for o in offers.values()],
        )
        .exclude(completed_at__isnull=True, dismissed_at__isnull=True)
        .values_list("user_id", "lesson_id")
    }
    return {
        nudge.pk
        for nudge in nudges
        if (offer := offers.get(nudge.subject_id)) is not None
        and offer.user_id == nudge.recipient_id
        and (offer.user_id, offer.lesson_id) not in done
    }


def _share_still_there(nudges: Sequence) -> set[uuid.UUID]:
    """A share reaches the partner while the couple it was made in lasts."""
    live = set(
        LessonShare.objects.filter(
            pk__in=[n.subject_id for n in nudges], couple__ended_at__isnull=True
        ).values_list("pk", flat=True)
    )
    return {nudge.pk for nudge in nudges if nudge.subject_id in live}


def _share_context(nudges: Sequence) -> dict[uuid.UUID, dict[str, Any]]:
    """The lesson's title (Haven's own words, in the recipient's language at delivery)."""
    titles = {lesson.pk: lesson for lesson in lessons_in_use()}
    shares = dict(
        LessonShare.objects.filter(pk__in=[n.subject_id for n in nudges]).values_list(
            "pk", "lesson_id"
        )
    )
    found = {}
    for nudge in nudges:
        lesson_id = shares.get(nudge.subject_id)
        lesson = titles.get(lesson_id) if lesson_id else None
        language = language_of(nudge.recipient)
        found[nudge.pk] = {
            "lesson": text_of(lesson, language).title if lesson else _("a short lesson")
        }
    return found


def register() -> None:
    register_kind(
        NudgeKind(
            name=IDEA_KIND,
            nudge_class=ENGAGEMENT,
            title=_("A short read, if you like"),
            body=_("There's a one-minute lesson that may fit today. It can wait, too."),
            planner=_plan_lesson_ideas,
            still_relevant=_idea_still_wanted,
            same_day_only=True,
            priority=IDEA_PRIORITY,
            backs_off=True,
            inbox_only=True,
        )
    )
    register_kind(
        NudgeKind(
            name=SHARED_KIND,
            nudge_class=RELAYED,
            title=_("Something %(actor)s read"),
            body=_("%(actor)s read a short lesson today: “%(lesson)s”."),
            still_relevant=_share_still_there,
            context=_share_context,
        )
    )
    register_lesson_choices(attachable_lessons)
