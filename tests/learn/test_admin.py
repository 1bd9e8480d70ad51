"""Issue 18, items 1 and 4: coaches curate the lessons in the admin like prompts (an edit
writes a new version; retired, never deleted), and attach a lesson to a coach note, which
becomes each partner's lesson of the day. The coach sees nothing of who read what."""

from __future__ import annotations

import pytest
from django.test import Client

from couples.models import CoachNote
from learn.models import Lesson, LessonText
from tests.couples.coaching.content import grant_active
from tests.factories import CoachFactory
from tests.learn.today import learning_couple, offered

pytestmark = pytest.mark.usefixtures("lessons")
SLUG = "clear-boundaries"


@pytest.fixture
def coach(coaches_group):
    return CoachFactory(groups=[coaches_group], display_name="Coach Morgan")


@pytest.fixture
def coach_client(coach) -> Client:
    client = Client()
    client.force_login(coach)
    return client


TEXT_FIELDS = ("title", "body", "for_space", "for_closeness", "try_today", "reflection_question")


def _form(lesson: Lesson, **changes) -> dict:
    """What the change page posts: the settings and the words of every language, as shown."""
    texts = {t.language: t for t in LessonText.objects.filter(version=lesson.current_version)}
    return {
        "position": lesson.position,
        "feature": lesson.feature,
        "is_active": "on" if lesson.is_active else "",
        **{name: getattr(texts["en"], name) for name in TEXT_FIELDS},
        **{f"{name}_es": getattr(texts["es"], name) for name in TEXT_FIELDS if "es" in texts},
        **changes,
    }


def test_a_coachs_edit_writes_a_new_version_and_keeps_the_old(coach_client, auth_client):
    lesson = Lesson.objects.get(slug=SLUG)
    page = f"/admin/learn/lesson/{lesson.pk}/change/"
    assert coach_client.get(page).status_code == 200
    saved = coach_client.post(page, _form(lesson, title="Boundaries that look after you both"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    lesson.refresh_from_db()
    assert lesson.current_version.number == 2
    # Both versions, each in English and Spanish: the Spanish is carried over as it was.
    assert LessonText.objects.filter(version__lesson=lesson).count() == 4
    assert LessonText.objects.get(
        version__lesson=lesson, version__number=1, language="en"
    ).title == ("Boundaries that protect you both")
    read = auth_client.get(f"/api/v1/lessons/{SLUG}").json()
    assert read["title"] == "Boundaries that look after you both" and read["version"] == 2


def test_saving_unchanged_words_writes_no_version(coach_client):
    lesson = Lesson.objects.get(slug=SLUG)
    coach_client.post(f"/admin/learn/lesson/{lesson.pk}/change/", _form(lesson, position=20))
    lesson.refresh_from_db()
    assert lesson.position == 20 and lesson.current_version.number == 1


def test_a_coach_adds_a_lesson(coach_client, auth_client):
    added = coach_client.post(
        "/admin/learn/lesson/add/",
        {
            "slug": "small-rituals",
            "position": 16,
            "feature": "checkins",
            "is_active": "on",
            "title": "Small rituals",
            "body": "A short daily habit of your own making.",
            "for_space": "If you need space, a ritual can be quiet.",
            "for_closeness": "If you want closeness, a ritual can be shared.",
            "try_today": "Pick one.",
            "reflection_question": "Which habit comforts you?",
        },
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    assert auth_client.get("/api/v1/lessons/small-rituals").json()["version"] == 1


def test_lessons_are_retired_never_deleted(coach_client, auth_client):
    lesson = Lesson.objects.get(slug=SLUG)
    assert coach_client.get(f"/admin/learn/lesson/{lesson.pk}/delete/").status_code == 403
    retired = coach_client.post(
        "/admin/learn/lesson/", {"action": "make_inactive", "_selected_action": [lesson.pk]}
    )
    assert retired.status_code == 302
    assert auth_client.get(f"/api/v1/lessons/{SLUG}").status_code == 404
    assert Lesson.objects.filter(slug=SLUG, is_active=False).exists()


def test_a_coach_attaches_a_lesson_to_a_note_and_it_is_each_partners_lesson(
    time_machine, coaches_group
):
    people = learning_couple(time_machine)
    coach = CoachFactory(groups=[coaches_group])
    grant_active(people, coach)
    client = Client()
    client.force_login(coach)
    form = client.post(
        "/admin/couples/couple/",
        {"action": "leave_coach_note", "_selected_action": [people.couple.pk]},
    )
    html = form.content.decode()
    assert 'name="lesson"' in html and 'value="outside-help"' in html
    assert "You will not see who reads it" in html
    sent = client.post(
        "/admin/couples/couple/",
        {
            "action": "leave_coach_note",
            "_selected_action": [people.couple.pk],
            "apply": "1",
            "text": "Something for you both.",
            "lesson": "outside-help",
        },
    )
    assert sent.status_code == 302
    assert CoachNote.objects.get(couple=people.couple).lesson == "outside-help"
    assert offered(people.client_a) == ("outside-help", "coach_note")
    assert offered(people.client_b) == ("outside-help", "coach_note")


def test_a_lesson_not_in_use_cannot_be_attached(time_machine, coaches_group):
    from common.errors import ApplicationError
    from couples.services.coaching import coach_note_write

    people = learning_couple(time_machine)
    coach = CoachFactory(groups=[coaches_group])
    grant_active(people, coach)
    Lesson.objects.filter(slug="outside-help").update(is_active=False)
    with pytest.raises(ApplicationError) as refused:
        coach_note_write(coach=coach, couple=people.couple, text="Hi.", lesson="outside-help")
    assert refused.value.code == "unknown_lesson"
    assert not CoachNote.objects.exists()


# --- Every language side by side (issue 19) -------------------------------------------------------


def test_the_change_page_shows_english_and_spanish_side_by_side(coach_client):
    lesson = Lesson.objects.get(slug=SLUG)
    html = coach_client.get(f"/admin/learn/lesson/{lesson.pk}/change/").content.decode()
    spanish = LessonText.objects.get(version=lesson.current_version, language="es")
    for name in TEXT_FIELDS:
        assert f'name="{name}"' in html and f'name="{name}_es"' in html
    assert "Límites que los protegen a los dos" in html
    assert spanish.title == "Límites que los protegen a los dos"
    # One row per field: the English box and the Spanish one next to it.
    for name in TEXT_FIELDS:
        assert f'class="form-row field-{name} field-{name}_es"' in html


def test_a_coachs_spanish_edit_writes_a_new_version_that_spanish_readers_get(
    coach_client, auth_client, user
):
    lesson = Lesson.objects.get(slug=SLUG)
    page = f"/admin/learn/lesson/{lesson.pk}/change/"
    saved = coach_client.post(page, _form(lesson, title_es="Límites que cuidan de los dos"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    lesson.refresh_from_db()
    assert lesson.current_version.number == 2
    first = LessonText.objects.get(version__lesson=lesson, version__number=1, language="es")
    assert first.title == "Límites que los protegen a los dos"  # what people read stays
    english = auth_client.get(f"/api/v1/lessons/{SLUG}").json()
    assert english["title"] == "Boundaries that protect you both" and english["version"] == 2
    user.locale = "es"
    user.save(update_fields=["locale"])
    spanish = auth_client.get(f"/api/v1/lessons/{SLUG}").json()
    assert spanish["title"] == "Límites que cuidan de los dos" and spanish["version"] == 2


def test_a_language_is_filled_in_whole_or_left_empty(coach_client, auth_client, user):
    lesson = Lesson.objects.get(slug=SLUG)
    page = f"/admin/learn/lesson/{lesson.pk}/change/"
    half = coach_client.post(page, _form(lesson, body_es=""))
    assert half.status_code == 200
    assert "body_es" in half.context["adminform"].form.errors
    lesson.refresh_from_db()
    assert lesson.current_version.number == 1
    # Every Spanish box emptied: not translated any more, Spanish readers get the English.
    emptied = coach_client.post(page, _form(lesson, **{f"{n}_es": "" for n in TEXT_FIELDS}))
    assert emptied.status_code == 302
    lesson.refresh_from_db()
    assert lesson.current_version.number == 2
    assert not LessonText.objects.filter(version=lesson.current_version, language="es").exists()
    user.locale = "es"
    user.save(update_fields=["locale"])
    assert auth_client.get(f"/api/v1/lessons/{SLUG}").json()["title"] == (
        "Boundaries that protect you both"
    )
