"""The short reads a coach may attach to a coach note.

`couples` never imports the lessons app (it sits above `checkins`, at the top). So the note
stores a plain slug (`CoachNote.lesson`), and the lessons app registers, from its
AppConfig.ready, a function that lists the lessons a coach may attach as (slug, title)
pairs. The admin's note form offers that list and `coach_note_write` refuses a slug not on
it; the lessons app reads the slug back through `couples.selectors`. The arrow runs one way:
couples knows only that some app offers attachable lessons, never which."""

from __future__ import annotations

from collections.abc import Callable

LessonChoices = Callable[[], list[tuple[str, str]]]

_providers: list[LessonChoices] = []


def register_lesson_choices(provider: LessonChoices) -> None:
    if provider not in _providers:
        _providers.append(provider)


def lesson_choices() -> list[tuple[str, str]]:
    """Every attachable lesson as (slug, title), read now (a retired lesson drops out)."""
    return [choice for provider in _providers for choice in provider()]
