"""Issue 18, items 2, 3 and 7, walked as two people live it: Robin's partner Jules takes
space; Robin is offered "distance is not about you", reads it, writes a private reflection,
changes it, clears it and writes it again, and shares that they read it; Jules comes back;
then the couple ends. After every step: what each of them reads and what reached each
phone. Nothing Robin wrote ever reaches Jules; Jules is never offered a lesson about the
space they took."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from couples.services.couples import space_start
from learn import rules
from nudges.models import Notification
from tests.learn.today import days_later, learning_couple, offered
from tests.nudges.delivering import deliver_due

REFLECTION = "PLANTED-scenario-reflection-9182 I hear silence as a verdict."
SLUG = rules.NOT_ABOUT_YOU


def _inbox(person) -> list[str]:
    deliver_due(timezone.now())
    return list(
        Notification.objects.filter(recipient=person)
        .order_by("created_at")
        .values_list("kind", flat=True)
    )


def _everything_jules_reads(people) -> str:
    client = people.client_b
    return " ".join(
        client.get(path).content.decode()
        for path in (
            "/api/v1/lessons",
            f"/api/v1/lessons/{SLUG}",
            f"/api/v1/lessons/{SLUG}/reflection",
            "/api/v1/learn/today",
            "/api/v1/notifications",
            "/api/v1/couple",
            "/api/v1/couple/partner",
        )
    )


def test_a_day_of_space_a_lesson_a_private_reflection_and_a_share(time_machine, lessons):
    people = learning_couple(time_machine)  # a: Robin, b: Jules
    robin, jules = people.client_a, people.client_b

    # Jules takes space for the afternoon.
    space_start(user=people.b, ends_at=timezone.now() + dt.timedelta(hours=4), check_back_at=None)
    assert offered(robin) == (SLUG, "partner_space")
    assert offered(jules) == (None, None)
    assert _inbox(people.b) == []

    # Robin reads it and marks it read; nobody is told.
    lesson = robin.get(f"/api/v1/lessons/{SLUG}").json()
    assert lesson["reflection_question"].endswith("?")
    assert robin.post(f"/api/v1/lessons/{SLUG}/complete").status_code == 200
    assert _inbox(people.b) == []

    # A private reflection, changed, cleared (undo), written again.
    for text in ("First thoughts.", REFLECTION, "", REFLECTION):
        written = robin.put(f"/api/v1/lessons/{SLUG}/reflection", {"text": text}, format="json")
        assert written.status_code == 200 and written.json()["text"] == text
        assert REFLECTION not in _everything_jules_reads(people)
    assert _inbox(people.b) == []

    # Robin shares that they read it: Jules has space, so it waits for Jules's return.
    assert robin.post(f"/api/v1/lessons/{SLUG}/share").status_code == 200
    assert "lesson_shared" not in _inbox(people.b)
    days_later(time_machine, people, 0.25)  # Jules's space has ended
    robin, jules = people.client_a, people.client_b
    assert "lesson_shared" in _inbox(people.b)
    assert REFLECTION not in _everything_jules_reads(people)
    # Robin's phone got nothing about their own share; today's lesson stays the same.
    assert "lesson_shared" not in _inbox(people.a)
    assert offered(robin) == (SLUG, "partner_space")

    # The next day nothing new fits: nothing is offered (no filler).
    days_later(time_machine, people, 1)
    robin, jules = people.client_a, people.client_b
    assert offered(robin) == (None, None)

    # The couple ends: Robin keeps their reading and reflection; sharing needs a partner.
    assert robin.post("/api/v1/couple/end").status_code == 200
    assert robin.get(f"/api/v1/lessons/{SLUG}/reflection").json()["text"] == REFLECTION
    listed = {x["slug"]: x["progress"] for x in robin.get("/api/v1/lessons").json()["results"]}
    assert listed[SLUG]["completed_at"] and listed[SLUG]["has_reflection"]
    assert robin.post(f"/api/v1/lessons/{SLUG}/share").status_code == 404
    assert REFLECTION not in _everything_jules_reads(people)
