"""Reads of the lessons app, scoped by the person asking. What a person did with a lesson
(progress, reflection) is read for that person alone; nothing here ever reads another
person's progress."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound

from accounts.models import User
from learn import rules
from learn.models import ENGLISH, Lesson, LessonOffer, LessonProgress, LessonText


class LessonNotFound(NotFound):
    default_detail = _("There's no lesson by that name.")
    default_code = "lesson_not_found"


def lessons_in_use() -> QuerySet[Lesson]:
    """The lessons offered to people (retired ones are kept, never served), with the texts
    of their current version."""
    return (
        Lesson.objects.filter(is_active=True, current_version__isnull=False)
        .select_related("current_version")
        .prefetch_related(Prefetch("current_version__texts", to_attr="text_rows"))
        .order_by("position", "slug")
    )


def lessons_for(user: User) -> QuerySet[Lesson]:
    """Every lesson in use, each with MY progress only (`mine`: a list of zero or one)."""
    return lessons_in_use().prefetch_related(
        Prefetch("progress", queryset=LessonProgress.objects.filter(user=user), to_attr="mine")
    )


def lesson_for(user: User, slug: str) -> Lesson:
    lesson = lessons_for(user).filter(slug=slug).first()
    if lesson is None:
        raise LessonNotFound()
    return lesson


def text_of(lesson: Lesson, language: str | None = None) -> LessonText:
    """The lesson's words in the asked language (the active one), else in English."""
    version = lesson.current_version
    assert version is not None
    # Prefetched by `lessons_in_use` (onto the version); read directly otherwise.
    rows = getattr(version, "text_rows", None)
    if rows is None:
        rows = list(version.texts.all())
    wanted = (language or get_language() or ENGLISH).split("-")[0]
    by_language = {row.language: row for row in rows}
    return by_language.get(wanted) or by_language[ENGLISH]


def texts_of(lesson: Lesson | None) -> dict[str, LessonText]:
    """The words of the lesson's current version, by language (what coaches edit, side by
    side)."""
    if lesson is None or lesson.current_version_id is None:
        return {}
    rows = LessonText.objects.filter(version_id=lesson.current_version_id)
    return {row.language: row for row in rows}


def english_text_of(lesson: Lesson | None) -> LessonText | None:
    """The English words of the lesson's current version (what coaches edit)."""
    if lesson is None or lesson.current_version_id is None:
        return None
    return LessonText.objects.filter(version_id=lesson.current_version_id, language=ENGLISH).first()


def progress_of(lesson: Lesson) -> LessonProgress | None:
    mine = getattr(lesson, "mine", None)
    return mine[0] if mine else None


def attachable_lessons() -> list[tuple[str, str]]:
    """(slug, English title) of every lesson in use: what a coach may attach to a note."""
    return [(lesson.slug, text_of(lesson, ENGLISH).title) for lesson in lessons_in_use()]


def histories_of(
    people: dict[uuid.UUID, dt.date], now: dt.datetime | None = None
) -> dict[uuid.UUID, rules.History]:
    """{person: what may be offered to them on their date}: the lessons in use minus those
    offered in the 14 days before it and those put aside in the last 60. Three queries."""
    now = now or timezone.now()
    available = frozenset(lessons_in_use().values_list("slug", flat=True))
    earliest = min(people.values(), default=now.date())
    offered: dict[uuid.UUID, set[str]] = {}
    for user_id, day, slug in LessonOffer.objects.filter(
        user_id__in=list(people),
        local_date__gt=earliest - dt.timedelta(days=rules.REPEAT_GAP_DAYS),
    ).values_list("user_id", "local_date", "lesson__slug"):
        if people[user_id] - dt.timedelta(days=rules.REPEAT_GAP_DAYS) < day < people[user_id]:
            offered.setdefault(user_id, set()).add(slug)
    dismissed: dict[uuid.UUID, set[str]] = {}
    for user_id, slug in LessonProgress.objects.filter(
        user_id__in=list(people),
        dismissed_at__gt=now - dt.timedelta(days=rules.DISMISSED_DAYS),
    ).values_list("user_id", "lesson__slug"):
        dismissed.setdefault(user_id, set()).add(slug)
    return {
        person: rules.History(
            available=available,
            offered_recently=frozenset(offered.get(person, ())),
            dismissed_recently=frozenset(dismissed.get(person, ())),
        )
        for person in people
    }


def offers_on(people: dict[uuid.UUID, dt.date]) -> dict[uuid.UUID, LessonOffer]:
    """{person: the offer already made on their date}."""
    found = {}
    for offer in LessonOffer.objects.filter(user_id__in=list(people)).filter(
        local_date__in=set(people.values())
    ):
        if people[offer.user_id] == offer.local_date:
            found[offer.user_id] = offer
    return found
