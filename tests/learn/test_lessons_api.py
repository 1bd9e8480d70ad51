"""Issue 18, item 3: `lessons` (with my progress), `lessons/{slug}`, `complete`, `dismiss`,
`reflection` (PUT; mine alone, encrypted at rest), `share`. No streaks, no scores, no "your
partner has read 3 lessons": each person reads only their own progress."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from couples.services.conversations import CALM_LESSON
from learn.models import Lesson, LessonProgress, LessonShare, LessonText
from nudges.models import Nudge
from tests.factories import UserFactory
from tests.utils import assert_error_shape, client_for

pytestmark = pytest.mark.usefixtures("lessons")
SLUG = "not-about-you"
EXPORT = "/api/v1/me/export"


def test_the_list_has_every_lesson_in_order_with_my_progress_only(
    couple, django_assert_max_num_queries
):
    couple.client_a.post(f"/api/v1/lessons/{SLUG}/complete")
    with django_assert_max_num_queries(8):
        page = couple.client_a.get("/api/v1/lessons")
    assert page.status_code == 200
    lessons = page.json()["results"]
    assert [lesson["position"] for lesson in lessons] == list(range(1, 16))
    mine = {lesson["slug"]: lesson["progress"] for lesson in lessons}
    assert mine[SLUG]["completed_at"] is not None
    assert sum(p["completed_at"] is not None for p in mine.values()) == 1
    theirs = {
        lesson["slug"]: lesson["progress"]
        for lesson in couple.client_b.get("/api/v1/lessons").json()["results"]
    }
    assert all(
        p == {"completed_at": None, "dismissed_at": None, "has_reflection": False}
        for p in theirs.values()
    )
    # No counts, streaks or scores anywhere in the answer.
    assert not {"count", "streak", "score"} & (set(lessons[0]) | set(lessons[0]["progress"]))
    assert set(page.json()) == {"next", "previous", "results"}


def test_a_lesson_reads_whole(auth_client):
    lesson = auth_client.get(f"/api/v1/lessons/{SLUG}").json()
    assert lesson["slug"] == SLUG and lesson["feature"] == "space" and lesson["version"] == 1
    for field in (
        "title",
        "body",
        "for_space",
        "for_closeness",
        "try_today",
        "reflection_question",
    ):
        assert lesson[field], field
    assert lesson["language"] == "en"


def test_another_language_falls_back_to_english(auth_client):
    lesson = auth_client.get(f"/api/v1/lessons/{SLUG}", HTTP_ACCEPT_LANGUAGE="es").json()
    assert lesson["language"] == "en" and lesson["title"]


def test_an_unknown_or_retired_lesson_is_not_found(auth_client):
    assert_error_shape(auth_client.get("/api/v1/lessons/no-such-lesson"), 404, "lesson_not_found")
    Lesson.objects.filter(slug=SLUG).update(is_active=False)
    assert_error_shape(auth_client.get(f"/api/v1/lessons/{SLUG}"), 404, "lesson_not_found")
    assert_error_shape(
        auth_client.post(f"/api/v1/lessons/{SLUG}/complete"), 404, "lesson_not_found"
    )
    assert SLUG not in [
        lesson["slug"] for lesson in auth_client.get("/api/v1/lessons").json()["results"]
    ]


def test_reading_twice_and_putting_aside_twice_answer_like_once(auth_client):
    first = auth_client.post(f"/api/v1/lessons/{SLUG}/complete").json()
    again = auth_client.post(f"/api/v1/lessons/{SLUG}/complete").json()
    assert first == again and first["completed_at"]
    aside = auth_client.post(f"/api/v1/lessons/{SLUG}/dismiss").json()
    assert aside == auth_client.post(f"/api/v1/lessons/{SLUG}/dismiss").json()
    assert LessonProgress.objects.count() == 1


def test_a_reflection_is_mine_encrypted_at_rest_and_can_be_cleared(couple):
    planted = "PLANTED-reflection-4471 I worry when it goes quiet."
    written = couple.client_a.put(
        f"/api/v1/lessons/{SLUG}/reflection", {"text": planted}, format="json"
    )
    assert written.status_code == 200
    assert written.json()["text"] == planted and written.json()["updated_at"]
    assert couple.client_a.get(f"/api/v1/lessons/{SLUG}/reflection").json()["text"] == planted
    with connection.cursor() as cursor:
        cursor.execute("SELECT reflection FROM learn_lessonprogress")
        [(stored,)] = cursor.fetchall()
    assert "PLANTED" not in stored and stored.startswith("gAAAA")
    assert couple.client_b.get(f"/api/v1/lessons/{SLUG}/reflection").json() == {
        "text": "",
        "updated_at": None,
    }
    listed = {
        lesson["slug"]: lesson
        for lesson in couple.client_a.get("/api/v1/lessons").json()["results"]
    }
    assert listed[SLUG]["progress"]["has_reflection"] is True
    cleared = couple.client_a.put(f"/api/v1/lessons/{SLUG}/reflection", {"text": ""}, format="json")
    assert cleared.json() == {"text": "", "updated_at": None}


def test_a_reflection_has_a_length_limit(auth_client):
    too_long = auth_client.put(
        f"/api/v1/lessons/{SLUG}/reflection", {"text": "x" * 4001}, format="json"
    )
    assert_error_shape(too_long, 400, "max_length", error_type="validation_error")


def test_sharing_once_tells_the_partner_once(couple):
    first = couple.client_a.post(f"/api/v1/lessons/{SLUG}/share")
    again = couple.client_a.post(f"/api/v1/lessons/{SLUG}/share")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and first.json()["lesson"] == SLUG
    assert LessonShare.objects.count() == 1
    assert Nudge.objects.filter(kind="lesson_shared", recipient=couple.b).count() == 1
    # Sharing marks it read for the one who shared.
    assert LessonProgress.objects.get(user=couple.a).completed_at is not None


def test_sharing_needs_a_partner(auth_client):
    assert_error_shape(auth_client.post(f"/api/v1/lessons/{SLUG}/share"), 404, "not_paired")


def test_the_calm_offer_names_a_lesson_that_exists(couple):
    asked = couple.client_a.post(
        "/api/v1/conversations",
        {
            "topic": "Sundays",
            "depth": "light",
            "urgency": "no_rush",
            "proposed_times": ["2099-01-01T10:00:00Z"],
            "calm_score": 1,
        },
        format="json",
    )
    assert asked.status_code == 201, asked.content
    assert asked.json()["status"] == "draft"
    assert asked.json()["calm_offer"]["lesson"] == CALM_LESSON
    assert couple.client_a.get(f"/api/v1/lessons/{CALM_LESSON}").status_code == 200


def test_signed_out_is_401_and_a_stranger_reads_lessons(db):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/lessons").status_code == 401
    assert client_for(UserFactory()).get("/api/v1/learn/today").status_code == 200


# --- In the person's language (issue 19) ----------------------------------------------------------


def test_a_person_whose_locale_is_spanish_reads_every_lesson_in_spanish(user, auth_client):
    english = auth_client.get("/api/v1/lessons/calm-first").json()
    assert english["title"] == "Calm first, then talk"
    user.locale = "es"
    user.save(update_fields=["locale"])
    spanish = auth_client.get("/api/v1/lessons/calm-first").json()
    assert spanish["title"] == "Primero la calma, luego la conversación"
    assert spanish["version"] == english["version"]
    # Every lesson has its Spanish, on its current version, each field its own words.
    listed = auth_client.get("/api/v1/lessons").json()
    items = listed["results"] if isinstance(listed, dict) else listed
    assert len(items) == 15
    for item in items:
        read = auth_client.get(f"/api/v1/lessons/{item['slug']}").json()
        texts = {
            t.language: t
            for t in LessonText.objects.filter(
                version__lesson__slug=item["slug"], version__number=read["version"]
            )
        }
        assert item["title"] == read["title"] == texts["es"].title
        for name in ("title", "body", "for_space", "for_closeness", "try_today"):
            spanish, english = getattr(texts["es"], name), getattr(texts["en"], name)
            assert spanish.strip() and spanish != english, (item["slug"], name)


def _queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_lists_query_count_is_the_same_with_one_or_every_lesson_read(
    couple, django_assert_max_num_queries
):
    """My progress is prefetched: reading one lesson or all fifteen (each with a reflection)
    costs the list, one lesson's page and the export the same number of queries."""
    slugs = list(Lesson.objects.filter(is_active=True).values_list("slug", flat=True))
    couple.client_a.post(f"/api/v1/lessons/{slugs[0]}/complete")
    couple.client_b.post(f"/api/v1/lessons/{slugs[0]}/complete")
    one = {path: _queries_for(couple.client_a, path) for path in ("/api/v1/lessons", EXPORT)}
    for slug in slugs:
        couple.client_b.post(f"/api/v1/lessons/{slug}/complete")
        couple.client_b.put(
            f"/api/v1/lessons/{slug}/reflection", {"text": "I notice."}, format="json"
        )
    assert LessonProgress.objects.filter(user=couple.b).count() == len(slugs) > 1
    many = {path: _queries_for(couple.client_b, path) for path in ("/api/v1/lessons", EXPORT)}
    assert many == one
    with django_assert_max_num_queries(8):
        assert couple.client_b.get("/api/v1/lessons").status_code == 200
