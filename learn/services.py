"""What a person does with a lesson, and the day's offer. Everything here is the person's
own: nobody else is told, except by their explicit share ("I read about giving space
today"), which arrives as an appreciation-style note naming the lesson and nothing more."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.localtime import local_today
from accounts.models import User
from couples.selectors import couple_and_partner_required
from learn import rules
from learn.models import (
    ENGLISH,
    Lesson,
    LessonOffer,
    LessonProgress,
    LessonShare,
    LessonText,
    LessonVersion,
)
from learn.selectors import histories_of, offers_on, texts_of
from learn.signals import signals_of
from nudges.services import nudge_relay, nudges_back_off_reset

SHARED_KIND = "lesson_shared"


def _progress_locked(user: User, lesson: Lesson) -> LessonProgress:
    progress, _created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    return LessonProgress.objects.select_for_update().get(pk=progress.pk)


def lesson_complete(*, user: User, lesson: Lesson) -> LessonProgress:
    """Marks a lesson read. Reading it again changes nothing: no counts, no streaks. Reading
    one is an answer to Haven's ideas, so the nudges that back off start over (as a check-in
    does)."""
    with transaction.atomic():
        progress = _progress_locked(user, lesson)
        if progress.completed_at is None:
            progress.completed_at = timezone.now()
            progress.save(update_fields=["completed_at", "updated_at"])
            nudges_back_off_reset(user=user)
    return progress


def lesson_dismiss(*, user: User, lesson: Lesson) -> LessonProgress:
    """ "Not for me right now": the lesson is not offered again for 60 days (it stays in the
    list, readable any time). A second tap answers like the first."""
    now = timezone.now()
    with transaction.atomic():
        progress = _progress_locked(user, lesson)
        if progress.dismissed_at is None or progress.dismissed_at <= now - dt.timedelta(
            days=rules.DISMISSED_DAYS
        ):
            progress.dismissed_at = now
            progress.save(update_fields=["dismissed_at", "updated_at"])
    return progress


def lesson_reflect(*, user: User, lesson: Lesson, text: str) -> LessonProgress:
    """The person's private answer to the lesson's question, encrypted at rest; an empty
    text clears it. Nobody else ever reads it."""
    text = text.strip()
    with transaction.atomic():
        progress = _progress_locked(user, lesson)
        if progress.reflection != text:
            progress.reflection = text
            progress.reflection_updated_at = timezone.now() if text else None
            progress.save(update_fields=["reflection", "reflection_updated_at", "updated_at"])
    return progress


def lesson_share(*, user: User, lesson: Lesson) -> LessonShare:
    """ "I read about this today", to the partner: the person's own choice, once per lesson
    in a couple (sharing again answers with the first share). It tells the partner which
    lesson, never the reflection or anything else. Sharing a lesson marks it read."""
    with transaction.atomic():
        couple, partner = couple_and_partner_required(user)
        lesson_complete(user=user, lesson=lesson)
        share, created = LessonShare.objects.get_or_create(
            couple=couple, author=user, lesson=lesson, defaults={"recipient": partner}
        )
        if created:
            nudge_relay(recipient=partner, kind=SHARED_KIND, subject_id=share.pk, actor=user)
    return share


def lesson_offers_make(
    people: dict[uuid.UUID, dt.date], now: dt.datetime | None = None
) -> dict[uuid.UUID, LessonOffer]:
    """{person: the lesson offered on their date}, for those the rule table finds one for.
    A date's offer, once made, stays for the day (the app, the nudge and a second phone all
    see the same one). Made in bulk: signals and history for everyone in a few queries,
    then one insert; two callers at once keep the first offer. Someone nothing fits now is
    left out even if an earlier offer of theirs exists today (see `lesson_today`)."""
    now = now or timezone.now()
    # An offer made earlier today is kept: the insert below skips it (the unique day) and
    # the read after it returns it, so nobody's day is read twice.
    offers: dict[uuid.UUID, LessonOffer] = {}
    missing = people
    signals = signals_of(missing, now) if missing else {}
    # Only those some row fits need their history read (often nobody in a planner batch).
    fitting = {
        person: day
        for person, day in missing.items()
        if any(rule.lesson(signals[person]) for rule in rules.RULES)
    }
    if not fitting:
        return offers
    histories = histories_of(fitting, now)
    picks = {
        person: pick
        for person in fitting
        if (pick := rules.lesson_for(signals[person], histories[person])) is not None
    }
    if picks:
        lesson_ids = dict(
            Lesson.objects.filter(slug__in={pick.lesson for pick in picks.values()}).values_list(
                "slug", "pk"
            )
        )
        LessonOffer.objects.bulk_create(
            [
                LessonOffer(
                    user_id=person,
                    local_date=missing[person],
                    lesson_id=lesson_ids[pick.lesson],
                    reason=pick.reason,
                )
                for person, pick in picks.items()
            ],
            ignore_conflicts=True,
        )
        offers.update(offers_on({person: missing[person] for person in picks}))
    return offers


def lesson_today(*, user: User) -> LessonOffer | None:
    """Today's lesson for this person (their own calendar), or None when nothing fits or
    they put today's aside. Once made, the day's offer stays whatever changes later."""
    today = local_today(user)
    offer = offers_on({user.pk: today}).get(user.pk)
    if offer is None:
        offer = lesson_offers_make({user.pk: today}).get(user.pk)
    if offer is None:
        return None
    put_aside = LessonProgress.objects.filter(
        user=user, lesson_id=offer.lesson_id, dismissed_at__gte=offer.created_at
    ).exists()
    return None if put_aside else offer


def lesson_version_write(
    *,
    lesson: Lesson,
    words: dict[str, str],
    translations: dict[str, dict[str, str] | None] | None = None,
) -> LessonVersion | None:
    """A new version of the lesson when its words changed in any language (None when they
    did not): `words` are the English, `translations` the words of other languages by code
    (None: that language is not translated any more, its readers get the English). Languages
    `translations` does not name are carried over from the previous version as they were."""
    translations = translations or {}
    current = texts_of(lesson)

    def unchanged(text: LessonText | None, new: dict[str, str] | None) -> bool:
        if text is None or new is None:
            return text is None and new is None
        return all(getattr(text, name) == value for name, value in new.items())

    if ENGLISH in current and all(
        unchanged(current.get(code), new) for code, new in {ENGLISH: words, **translations}.items()
    ):
        return None
    with transaction.atomic():
        Lesson.objects.select_for_update().get(pk=lesson.pk)
        number = (lesson.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = LessonVersion.objects.create(lesson=lesson, number=number)
        LessonText.objects.create(version=version, language=ENGLISH, **words)
        carried = {
            code: {name: getattr(text, name) for name in words}
            for code, text in current.items()
            if code != ENGLISH
        }
        for code, new in {**carried, **translations}.items():
            if new:
                LessonText.objects.create(version=version, language=code, **new)
        lesson.current_version = version
        lesson.save(update_fields=["current_version", "updated_at"])
    return version
