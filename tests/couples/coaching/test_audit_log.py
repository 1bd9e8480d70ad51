"""Every coach view of a couple's data is written down (who, which couple, what, when);
superusers read the log in the admin, partners read their own couple's entries through the
API, and nobody edits or deletes it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from couples.models import CoachAccess
from tests.couples.coaching.content import assert_nothing_private, grant_active, plant_content
from tests.factories import CoachFactory, UserFactory, pair

COUPLES = "/admin/couples/couple/"
LOG = "/api/v1/couple/coach-access-log"


def test_each_list_row_shown_is_recorded(couple, other_couple, coach, coach_client):
    grant_active(couple, coach)
    grant_active(other_couple, coach)
    coach_client.get(COUPLES)
    entries = CoachAccess.objects.filter(what="list_row")
    assert sorted(e.couple_id for e in entries) == sorted(
        [couple.couple.pk, other_couple.couple.pk]
    )
    assert {(e.coach_id, e.coach_name) for e in entries} == {(coach.pk, "Coach Morgan")}
    # A search that shows one row records one row.
    coach_client.get(COUPLES, {"q": couple.a.email})
    assert CoachAccess.objects.filter(what="list_row").count() == 3


def test_opening_the_couple_page_is_recorded(couple, coach, coach_client):
    grant_active(couple, coach)
    coach_client.get(f"{COUPLES}{couple.couple.pk}/change/")
    entry = CoachAccess.objects.get()
    assert (entry.coach_id, entry.couple_id, entry.what) == (
        coach.pk,
        couple.couple.pk,
        "couple_page",
    )
    assert entry.created_at is not None


def test_pages_outside_the_scope_record_nothing(couple, other_couple, coach, coach_client):
    grant_active(couple, coach)
    coach_client.get(f"{COUPLES}{other_couple.couple.pk}/change/")
    coach_client.get(COUPLES, {"q": other_couple.a.email})
    assert not CoachAccess.objects.filter(couple=other_couple.couple).exists()


def test_operators_views_are_not_coach_views(couple):
    operator = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    client.get(COUPLES)
    client.get(f"{COUPLES}{couple.couple.pk}/change/")
    assert not CoachAccess.objects.exists()


def test_partners_see_their_own_couples_entries(couple, other_couple, coach, coach_client):
    grant_active(couple, coach)
    grant_active(other_couple, coach)
    coach_client.get(f"{COUPLES}{couple.couple.pk}/change/")
    coach_client.get(f"{COUPLES}{other_couple.couple.pk}/change/")
    for client in (couple.client_a, couple.client_b):
        results = client.get(LOG).json()["results"]
        assert [(r["coach_name"], r["what"]) for r in results] == [("Coach Morgan", "couple_page")]
        assert set(results[0]) == {"id", "coach_id", "coach_name", "what", "created_at"}
    theirs = other_couple.client_a.get(LOG).json()["results"]
    assert len(theirs) == 1


def test_the_log_lists_newest_first_with_a_fixed_query_count(
    couple, coach, coach_client, django_assert_max_num_queries
):
    grant_active(couple, coach)
    for _ in range(3):
        coach_client.get(COUPLES)
    coach_client.get(f"{COUPLES}{couple.couple.pk}/change/")
    with django_assert_max_num_queries(6):
        results = couple.client_a.get(LOG).json()["results"]
    assert [r["what"] for r in results] == ["couple_page", "list_row", "list_row", "list_row"]


def test_someone_not_in_a_couple_sees_an_empty_log(stranger_client):
    assert stranger_client.get(LOG).json()["results"] == []


def test_superusers_read_the_log_and_nobody_edits_it(couple, coach, coach_client):
    plant_content(couple)
    grant_active(couple, coach)
    coach_client.get(f"{COUPLES}{couple.couple.pk}/change/")
    entry = CoachAccess.objects.get()
    page = f"/admin/couples/coachaccess/{entry.pk}/change/"

    operator = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    listed = client.get("/admin/couples/coachaccess/")
    assert listed.status_code == 200 and "Coach Morgan" in listed.content.decode()
    opened = client.get(page)
    assert opened.status_code == 200 and 'name="_save"' not in opened.content.decode()
    for response in (listed, opened):
        assert_nothing_private(response.content.decode())
    assert client.post(page, {"what": "list_row"}).status_code == 403
    assert client.get("/admin/couples/coachaccess/add/").status_code == 403
    assert client.get(f"/admin/couples/coachaccess/{entry.pk}/delete/").status_code == 403
    client.post(
        "/admin/couples/coachaccess/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert CoachAccess.objects.filter(pk=entry.pk).exists()

    for url in (
        "/admin/couples/coachaccess/",
        page,
        f"/admin/couples/coachaccess/{entry.pk}/delete/",
    ):
        assert coach_client.get(url).status_code == 403, url
    colleague = Client()
    colleague.force_login(CoachFactory(groups=[coach.groups.get()]))
    assert colleague.get("/admin/couples/coachaccess/").status_code == 403


def test_an_entry_is_written_once(couple, coach):
    entry = CoachAccess.objects.create(
        coach=coach, coach_name="x", couple=couple.couple, what="list_row"
    )
    with pytest.raises(ValueError):
        entry.save()


def test_the_list_records_in_one_write(coach):
    for _ in range(6):
        c, a, b = pair()
        grant_active(type("C", (), {"couple": c, "a": a, "b": b}), coach)
    client = Client()
    client.force_login(coach)
    with CaptureQueriesContext(connection) as queries:
        client.get(COUPLES)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "couples_coachaccess"')]
    assert len(inserts) == 1
    assert CoachAccess.objects.count() == 6
