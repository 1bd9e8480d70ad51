"""Coach notes: written with an admin action on a consented couple, delivered to both
partners as a "coach note" nudge, readable by them at couple/coach-notes."""

import pytest
from django.test import Client

from common.errors import ApplicationError
from couples.models import CoachNote
from couples.services.coaching import coach_note_write
from nudges.models import Nudge
from tests.couples.coaching.content import grant_active
from tests.factories import UserFactory

COUPLES = "/admin/couples/couple/"
NOTES = "/api/v1/couple/coach-notes"


def _leave_note(client, couple, text):
    return client.post(
        COUPLES,
        {"action": "leave_coach_note", "_selected_action": [couple.pk], "apply": "1", "text": text},
    )


def test_a_note_reaches_both_partners(couple, coach, coach_client):
    grant_active(couple, coach)
    response = _leave_note(coach_client, couple.couple, "Try a ten-minute walk after dinner.")
    assert response.status_code == 302
    note = CoachNote.objects.get()
    assert (note.couple, note.coach, note.text) == (
        couple.couple,
        coach,
        "Try a ten-minute walk after dinner.",
    )
    for partner in (couple.a, couple.b):
        assert Nudge.objects.filter(
            recipient=partner, kind="coach_note", subject_id=note.pk
        ).exists()
    for client in (couple.client_a, couple.client_b):
        results = client.get(NOTES).json()["results"]
        assert [(r["text"], r["coach"]["display_name"]) for r in results] == [
            ("Try a ten-minute walk after dinner.", "Coach Morgan")
        ]


def test_the_note_appears_on_the_couple_page(couple, coach, coach_client):
    grant_active(couple, coach)
    _leave_note(coach_client, couple.couple, "Notice the small repairs.")
    html = coach_client.get(f"{COUPLES}{couple.couple.pk}/change/").content.decode()
    assert "Notice the small repairs." in html


def test_no_note_to_a_couple_without_a_grant(couple, other_couple, coach, coach_client):
    grant_active(couple, coach)
    _leave_note(coach_client, other_couple.couple, "Hello")
    assert not CoachNote.objects.exists()
    with pytest.raises(ApplicationError) as error:
        coach_note_write(coach=coach, couple=other_couple.couple, text="Hello")
    assert error.value.code == "coach_not_granted"
    assert not Nudge.objects.filter(kind="coach_note").exists()


def test_an_empty_note_shows_the_form_again(couple, coach, coach_client):
    grant_active(couple, coach)
    response = _leave_note(coach_client, couple.couple, "")
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert not CoachNote.objects.exists()


def test_an_operator_cannot_write_as_a_coach(couple):
    operator = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    _leave_note(client, couple.couple, "Hello")
    assert not CoachNote.objects.exists()


def test_notes_of_another_couple_are_not_listed(
    couple, other_couple, coach, django_assert_max_num_queries
):
    grant_active(other_couple, coach)
    coach_note_write(coach=coach, couple=other_couple.couple, text="For them")
    assert couple.client_a.get(NOTES).json()["results"] == []
    for n in range(3):
        coach_note_write(coach=coach, couple=other_couple.couple, text=f"note {n}")
    with django_assert_max_num_queries(6):
        results = other_couple.client_b.get(NOTES).json()["results"]
    assert [r["text"] for r in results] == ["note 2", "note 1", "note 0", "For them"]
