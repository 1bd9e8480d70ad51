"""Lessons as the person reading them sees them: Haven's words in their language, and their
own progress (never anyone else's; no counts, no streaks, no scores)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.serializers import InputSerializer
from learn import rules
from learn.models import Feature, Lesson, LessonOffer, LessonProgress
from learn.selectors import progress_of, text_of

# Why today's lesson is offered, in words for the person it is offered to. Each names
# their own signal or what is already shared with them; none labels anyone.
WHY: dict[str, Any] = {
    "coach_note": _("Your coach picked this one for the two of you."),
    "low_calm": _("You mentioned not feeling calm about a conversation."),
    "partner_space": _("There's a little space between you right now."),
    "tone_hints": _("A few things you wrote this week drew a phrasing tip."),
    "countered": _("You two have been going back and forth on an agreement."),
    "dials_apart": _("Your dials have pointed different ways for a few days."),
}


class ProgressOutput(serializers.Serializer):
    """My own progress with a lesson. Nobody else sees it."""

    completed_at = serializers.DateTimeField(allow_null=True)
    dismissed_at = serializers.DateTimeField(allow_null=True)
    has_reflection = serializers.BooleanField()


def _progress(progress: LessonProgress | None) -> dict[str, Any]:
    return {
        "completed_at": progress.completed_at if progress else None,
        "dismissed_at": progress.dismissed_at if progress else None,
        "has_reflection": bool(progress and progress.reflection),
    }


class LessonSummaryOutput(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.SerializerMethodField()
    feature = serializers.ChoiceField(
        choices=Feature.choices, help_text="The Haven feature that practises this lesson."
    )
    position = serializers.IntegerField()
    progress = serializers.SerializerMethodField()

    def get_title(self, lesson: Lesson) -> str:
        return text_of(lesson).title

    @extend_schema_field(ProgressOutput)
    def get_progress(self, lesson: Lesson) -> dict[str, Any]:
        return _progress(progress_of(lesson))


class LessonOutput(LessonSummaryOutput):
    """One lesson: a 60-90 second read, both sides of it, one small thing to try today and a
    question to answer privately (PUT lessons/{slug}/reflection)."""

    version = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    for_space = serializers.SerializerMethodField(
        help_text="What it means when you are the one who needs space."
    )
    for_closeness = serializers.SerializerMethodField(
        help_text="What it means when you are the one who wants closeness."
    )
    try_today = serializers.SerializerMethodField()
    reflection_question = serializers.SerializerMethodField()

    def get_version(self, lesson: Lesson) -> int:
        assert lesson.current_version is not None
        return lesson.current_version.number

    def get_language(self, lesson: Lesson) -> str:
        return text_of(lesson).language

    def get_body(self, lesson: Lesson) -> str:
        return text_of(lesson).body

    def get_for_space(self, lesson: Lesson) -> str:
        return text_of(lesson).for_space

    def get_for_closeness(self, lesson: Lesson) -> str:
        return text_of(lesson).for_closeness

    def get_try_today(self, lesson: Lesson) -> str:
        return text_of(lesson).try_today

    def get_reflection_question(self, lesson: Lesson) -> str:
        return text_of(lesson).reflection_question


class LessonTodayOutput(serializers.Serializer):
    """Today's lesson, or nulls when nothing fits (there is no filler)."""

    lesson = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField(
        help_text="Which rule offered it: " + ", ".join(rules.REASONS) + "."
    )
    why = serializers.SerializerMethodField(help_text="The reason in words, for the reader.")

    @extend_schema_field(LessonOutput(allow_null=True))
    def get_lesson(self, today: dict[str, Any]) -> dict[str, Any] | None:
        lesson = today["lesson"]
        return LessonOutput(lesson, context=self.context).data if lesson else None

    @extend_schema_field(serializers.ChoiceField(choices=rules.REASONS, allow_null=True))
    def get_reason(self, today: dict[str, Any]) -> str | None:
        offer: LessonOffer | None = today["offer"]
        return offer.reason if offer and today["lesson"] else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_why(self, today: dict[str, Any]) -> str | None:
        reason = self.get_reason(today)
        return str(WHY[reason]) if reason else None


class ReflectionInput(InputSerializer):
    text = serializers.CharField(
        max_length=4000,
        allow_blank=True,
        trim_whitespace=True,
        help_text="Your answer to the lesson's question. Seen by you alone; empty clears it.",
    )


class ReflectionOutput(serializers.Serializer):
    """My reflection: answered to me alone."""

    text = serializers.CharField(source="reflection")
    updated_at = serializers.DateTimeField(source="reflection_updated_at", allow_null=True)


class LessonShareOutput(serializers.Serializer):
    id = serializers.UUIDField()
    lesson = serializers.SlugField(source="lesson.slug")
    created_at = serializers.DateTimeField()


class ProgressWriteOutput(serializers.Serializer):
    lesson = serializers.SlugField(source="lesson.slug")
    completed_at = serializers.DateTimeField(allow_null=True)
    dismissed_at = serializers.DateTimeField(allow_null=True)
