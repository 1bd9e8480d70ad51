"""Issue 18, items 3 and 4: a reflection is its author's alone, and progress is private.
A unique string is planted in a reflection; then every GET route of the API (from the
OpenAPI schema) is read as the partner, every lesson page as the partner, the partner's
inbox after a share, and every admin page a coach or an operator can open about lessons and
the couple: the string appears in none. Nor does anything say who read what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from learn.models import Lesson, LessonProgress
from tests.couples.coaching.content import grant_active
from tests.factories import CoachFactory, UserFactory
from tests.nudges.delivering import deliver_due

pytestmark = pytest.mark.usefixtures("lessons")
PLANTED = "PLANTED-reflection-harbour-5529"
SLUG = "space-and-connection"


def _plain_get_routes() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        path
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/") and "{" not in path and "get" in item
    )


@pytest.fixture
def daytime(time_machine):
    """Late morning in Berlin (the factories' time zone): the share reaches the partner's
    inbox at once, never held until quiet time ends, whatever the hour the suite runs."""
    time_machine.move_to(dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
def planted(daytime, couple):
    client = couple.client_a
    assert (
        client.put(
            f"/api/v1/lessons/{SLUG}/reflection", {"text": PLANTED}, format="json"
        ).status_code
        == 200
    )
    assert client.post(f"/api/v1/lessons/{SLUG}/complete").status_code == 200
    assert client.post("/api/v1/lessons/go-slowly/dismiss").status_code == 200
    assert client.post(f"/api/v1/lessons/{SLUG}/share").status_code == 200
    deliver_due(timezone.now())
    assert LessonProgress.objects.get(user=couple.a, lesson__slug=SLUG).reflection == PLANTED
    return couple


def test_the_partner_never_reads_a_reflection_anywhere(planted):
    seen = []
    for path in _plain_get_routes():
        response = planted.client_b.get(path)
        assert response.status_code < 500, path
        seen.append((path, response.content.decode()))
    for slug in Lesson.objects.values_list("slug", flat=True):
        for path in (f"/api/v1/lessons/{slug}", f"/api/v1/lessons/{slug}/reflection"):
            seen.append((path, planted.client_b.get(path).content.decode()))
    assert "/api/v1/notifications" in dict(seen)
    assert "read a short lesson" in dict(seen)["/api/v1/notifications"]  # the share arrived
    assert [path for path, body in seen if PLANTED in body] == []


def test_the_partner_never_learns_what_i_read_or_put_aside(planted):
    listed = planted.client_b.get("/api/v1/lessons").json()["results"]
    assert all(
        lesson["progress"] == {"completed_at": None, "dismissed_at": None, "has_reflection": False}
        for lesson in listed
    )


def test_no_admin_page_shows_a_reflection_or_who_read_what(planted, coaches_group):
    coach = CoachFactory(groups=[coaches_group])
    grant_active(planted, coach)
    operator = UserFactory(is_staff=True, is_superuser=True)
    lesson = Lesson.objects.get(slug=SLUG)
    pages = [
        "/admin/",
        "/admin/learn/lesson/",
        f"/admin/learn/lesson/{lesson.pk}/change/",
        f"/admin/couples/couple/{planted.couple.pk}/change/",
    ]
    for person in (coach, operator):
        client = Client()
        client.force_login(person)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (person, page)
            html = response.content.decode()
            assert PLANTED not in html, page
            assert str(planted.a.email) not in html or page.startswith("/admin/couples"), page
        # What people do with lessons has no admin page at all.
        for model in (
            "lessonprogress",
            "lessonoffer",
            "lessonshare",
            "lessontext",
            "lessonversion",
        ):
            assert client.get(f"/admin/learn/{model}/").status_code == 404, model
