"""Issue 18, item 1: fifteen lessons, one per strategy of the guide Haven grew from, in
Haven's own words, each with a 60-90 second read, both sides, one thing to try, a private
question and the feature that practises it; and the slugs other apps and the rule table
name are among them."""

from __future__ import annotations

import re

import pytest

from couples.services.conversations import CALM_LESSON
from learn import rules
from learn.models import Feature, Lesson
from learn.selectors import lessons_in_use, text_of

pytestmark = pytest.mark.django_db
# Reading speed of words about oneself on a phone, read with care (words per minute).
WORDS_PER_MINUTE = 150


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def _reads(lesson, language: str = "en") -> str:
    text = text_of(lesson, language)
    return " ".join([text.title, text.body, text.for_space, text.for_closeness, text.try_today])


def test_fifteen_lessons_are_seeded_each_complete(lessons):
    seeded = list(lessons_in_use())
    assert len(seeded) == 15
    assert [lesson.position for lesson in seeded] == list(range(1, 16))
    for lesson in seeded:
        text = text_of(lesson, "en")
        assert lesson.feature in Feature.values
        assert lesson.current_version.number == 1
        for name in ("title", "body", "for_space", "for_closeness", "try_today"):
            assert getattr(text, name).strip(), (lesson.slug, name)
        assert text.reflection_question.endswith("?"), lesson.slug


def test_each_lesson_reads_in_60_to_90_seconds(lessons):
    for lesson in lessons_in_use():
        seconds = len(_words(_reads(lesson))) / WORDS_PER_MINUTE * 60
        assert 60 <= seconds <= 90, (lesson.slug, round(seconds))


def test_the_slugs_others_name_are_seeded(lessons):
    slugs = set(Lesson.objects.values_list("slug", flat=True))
    assert CALM_LESSON in slugs
    assert slugs >= rules.RULE_LESSONS


def test_each_lesson_speaks_to_both_sides_and_labels_nobody(lessons):
    for lesson in lessons_in_use():
        text = text_of(lesson, "en")
        assert text.for_space.startswith("If you")
        assert text.for_closeness.startswith("If you")
        words = set(_words(_reads(lesson) + " " + text.reflection_question))
        assert not words & {"avoidant", "anxious", "avoider", "clingy", "needy"}, lesson.slug
        # And in Spanish (issue 19): both sides, no labels for anyone (docs/spanish-style.md).
        spanish = text_of(lesson, "es")
        assert spanish.language == "es"
        assert spanish.for_space.startswith("Si ") and spanish.for_closeness.startswith("Si ")
        read = f"{_reads(lesson, 'es')} {spanish.reflection_question}".lower()
        labels = ("evitativ", "ansios", "tóxic", "toxic", "dependiente", "pegajos")
        assert not [label for label in labels if label in read], lesson.slug
