"""The admin as a coach sees it: only couples that consented, in every list, search, filter
and page; read-only; shared content only. Every page a coach can reach is rendered here with
private words planted, and searched for them."""

import datetime as dt
import json

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from couples.models import Agreement, CoachGrant
from couples.services.coaching import coach_grant_revoke
from tests.couples.coaching.content import (
    OTHER,
    PRIVATE,
    SHARED,
    assert_nothing_private,
    grant_active,
    plant_content,
)
from tests.factories import PASSWORD, CoachFactory, UserFactory, pair

COUPLES = "/admin/couples/couple/"


def _page(couple) -> str:
    return f"{COUPLES}{couple.pk}/change/"


@pytest.fixture
def consented(couple, other_couple, coach):
    """`couple` consented to the coach; `other_couple` did not. Both have content."""
    plant_content(couple)
    plant_content(
        other_couple,
        shared={"boundary": OTHER["boundary"], "agreement": OTHER["agreement"], "topic": "x"},
    )
    grant_active(couple, coach)
    return couple


def _coach_pages(couple, coach) -> list[str]:
    """Every admin page a coach can reach with couple data, plus the rest of their admin."""
    email = couple.a.email
    return [
        "/admin/",
        "/admin/couples/",
        "/admin/checkins/",
        COUPLES,
        f"{COUPLES}?q={email}",
        f"{COUPLES}?q={couple.b.display_name}",
        f"{COUPLES}?created_at__gte={dt.date.today().isoformat()}+00:00:00%2B00:00",
        _page(couple.couple),
        "/admin/checkins/prompt/",
        "/admin/checkins/prompt/?q=you",
        "/admin/checkins/prompt/?depth__exact=deep",
        "/admin/checkins/prompt/add/",
        "/admin/couples/coachprofile/",
        f"/admin/couples/coachprofile/{coach.coach_profile.pk}/change/",
        "/admin/password_change/",
    ]


def test_every_page_a_coach_can_reach_shows_nothing_private(consented, coach, coach_client):
    for url in _coach_pages(consented, coach):
        response = coach_client.get(url)
        assert response.status_code == 200, url
        assert_nothing_private(response.content.decode())


def test_the_note_form_and_a_prompt_page_show_nothing_private(consented, coach_client):
    from checkins.models import Prompt

    prompt = Prompt.objects.create(text="What helped today?", depth="light", theme="everyday")
    note_form = coach_client.post(
        COUPLES, {"action": "leave_coach_note", "_selected_action": [consented.couple.pk]}
    )
    assert note_form.status_code == 200
    assert b'name="text"' in note_form.content
    prompt_page = coach_client.get(f"/admin/checkins/prompt/{prompt.pk}/change/")
    assert prompt_page.status_code == 200
    for response in (note_form, prompt_page):
        assert_nothing_private(response.content.decode())


def test_the_couple_page_shows_what_helps_a_coach(consented, coach_client):
    html = coach_client.get(_page(consented.couple)).content.decode()
    for words in SHARED.values():
        assert words in html
    assert 'id="chart-mood"' in html and 'id="chart-dial"' in html
    assert html.count("<circle") == 12  # 3 days x 2 partners x 2 charts; no pass, no unsent
    assert "<script" not in html.split('id="panel-checkins-chart"')[1].split("</fieldset>")[0]
    assert "Waiting for an answer" in html  # the open request's state
    assert str(consented.a) in html and str(consented.b) in html


def test_the_list_shows_exactly_the_consented_couples(consented, other_couple, coach_client):
    html = coach_client.get(COUPLES).content.decode()
    assert str(consented.couple.pk) in html
    assert str(other_couple.couple.pk) not in html
    assert "1 couple" in html


def test_the_admin_says_it_is_havens(consented, coach_client):
    for html in (
        Client().get("/admin/login/").content.decode(),
        coach_client.get("/admin/").content.decode(),
        coach_client.get(COUPLES).content.decode(),
    ):
        assert "Haven admin" in html
        assert "Django administration" not in html and "Django site admin" not in html
    assert "Coaching and operations" in coach_client.get("/admin/").content.decode()


def test_a_couple_is_named_by_its_partners(consented, coach_client):
    a, b = consented.a, consented.b
    assert str(consented.couple) == f"{a.display_name} & {b.display_name}"
    name = escape(f"{a.display_name} & {b.display_name}")
    row = coach_client.get(COUPLES).content.decode().split('id="result_list"')[1]
    assert f'{consented.couple.pk}/change/">{name}</a>' in row
    assert name in coach_client.get(_page(consented.couple)).content.decode()
    assert f"Couple {consented.couple.pk}" not in row


def test_an_ended_couple_keeps_its_partners_names(consented):
    consented.client_a.post("/api/v1/couple/end")
    consented.couple.refresh_from_db()
    assert consented.couple.ended_at is not None
    assert str(consented.couple) == f"{consented.a.display_name} & {consented.b.display_name}"


def test_the_operators_agreement_list_names_couples_with_a_fixed_query_count(
    db, django_assert_max_num_queries
):
    operator = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    url = "/admin/couples/agreement/"
    first, a, b = pair()
    Agreement.objects.create(couple=first, title="first")
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).status_code == 200
    for n in range(4):
        Agreement.objects.create(couple=pair()[0], title=f"more {n}")
    with django_assert_max_num_queries(len(one_row)):
        html = client.get(url).content.decode()
    assert "5 agreements" in html
    assert escape(f"{a.display_name} & {b.display_name}") in html


def test_searching_and_filtering_never_reach_another_couple(consented, other_couple, coach_client):
    # A name of theirs no one in the consented couple shares (factory names can repeat).
    other_couple.b.display_name = "Ottoline"
    other_couple.b.save()
    for query in (other_couple.a.email, "Ottoline", str(other_couple.a.pk)):
        html = coach_client.get(COUPLES, {"q": query}).content.decode()
        assert str(other_couple.couple.pk) not in html
        assert "0 couples" in html or "0 results" in html
    html = coach_client.get(
        COUPLES, {"created_at__gte": "2000-01-01 00:00:00+00:00"}
    ).content.decode()
    assert str(other_couple.couple.pk) not in html


def test_a_couple_without_a_grant_is_not_found_by_url(consented, other_couple, coach_client):
    for url in (
        _page(other_couple.couple),
        f"{COUPLES}{other_couple.couple.pk}/history/",
        f"{COUPLES}{other_couple.couple.pk}/delete/",
    ):
        assert coach_client.get(url).status_code in (403, 404), url


def _revoked(couple, coach):
    grant = CoachGrant.objects.get(couple=couple.couple, coach=coach)
    coach_grant_revoke(grant=grant, user=couple.b)


def _expired(couple, coach):
    CoachGrant.objects.filter(couple=couple.couple, coach=coach).update(
        expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    )


def _ended(couple, coach):
    couple.client_a.post("/api/v1/couple/end")


def _pending(couple, coach):
    CoachGrant.objects.filter(couple=couple.couple, coach=coach).update(status="pending")


@pytest.mark.parametrize("lose_access", [_revoked, _expired, _ended, _pending])
def test_access_ends_on_the_next_request(consented, coach, coach_client, lose_access):
    assert coach_client.get(_page(consented.couple)).status_code == 200
    lose_access(consented, coach)
    assert coach_client.get(_page(consented.couple)).status_code == 404
    listed = coach_client.get(COUPLES).content.decode()
    assert str(consented.couple.pk) not in listed
    searched = coach_client.get(COUPLES, {"q": consented.a.email}).content.decode()
    assert str(consented.couple.pk) not in searched


def test_revoking_through_the_api_removes_access_at_once(consented, coach, coach_client):
    grant = CoachGrant.objects.get(couple=consented.couple)
    assert (
        consented.client_a.post(f"/api/v1/couple/coach-grants/{grant.pk}/revoke").status_code == 200
    )
    assert coach_client.get(_page(consented.couple)).status_code == 404


def test_a_coach_sees_only_their_own_coach_code(consented, coach, coaches_group, coach_client):
    colleague = CoachFactory(groups=[coaches_group])
    html = coach_client.get("/admin/couples/coachprofile/").content.decode()
    mine, theirs = coach.coach_profile.code, colleague.coach_profile.code
    assert f"{mine[:5]}-{mine[5:]}" in html
    assert theirs[:5] not in html
    page = f"/admin/couples/coachprofile/{colleague.coach_profile.pk}/change/"
    assert coach_client.get(page).status_code in (302, 404)


def test_a_grant_to_another_coach_does_not_open_the_couple(consented, coaches_group):
    colleague = CoachFactory(groups=[coaches_group])
    client = Client()
    client.force_login(colleague)
    assert client.get(_page(consented.couple)).status_code == 404
    assert str(consented.couple.pk) not in client.get(COUPLES).content.decode()


def test_a_staff_member_outside_the_coaches_group_sees_nothing(consented, coach):
    coach.groups.clear()
    client = Client()
    client.force_login(coach)
    assert client.get(COUPLES).status_code == 403
    assert client.get(_page(consented.couple)).status_code == 403


def test_everything_is_read_only_for_a_coach(consented, coach_client):
    page = _page(consented.couple)
    html = coach_client.get(page).content.decode()
    assert 'name="_save"' not in html
    assert "/history/" not in html and "/accounts/user/" not in html
    assert coach_client.post(page, {"ended_at": "2020-01-01"}).status_code == 403
    assert coach_client.get(f"{COUPLES}{consented.couple.pk}/history/").status_code == 403
    assert coach_client.get(f"{COUPLES}{consented.couple.pk}/delete/").status_code == 403
    assert coach_client.get(f"{COUPLES}add/").status_code == 403


ALLOWED_FOR_COACHES = {
    "couples.couple",
    "checkins.prompt",
    "couples.coachprofile",
    "learn.lesson",
}


def test_coaches_cannot_reach_any_other_admin_page(consented, coach_client):
    """Users, groups, beat schedules, tokens and sessions, axes, the audit log, grants,
    boundaries, check-ins...: everything but their own four pages is 403."""
    reached = []
    for model in admin.site._registry:
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        if label in ALLOWED_FOR_COACHES:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        status = coach_client.get(url).status_code
        add = coach_client.get(url + "add/").status_code
        if status != 403 or add != 403:
            reached.append((label, status, add))
    assert reached == []
    for named in ("accounts.user", "auth.group", "django_celery_beat.periodictask"):
        assert named in {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}


def test_the_operators_couple_page_shows_no_content(consented, other_couple):
    operator = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    for url in (COUPLES, _page(consented.couple), _page(other_couple.couple)):
        html = client.get(url).content.decode()
        assert_nothing_private(html)
        for words in SHARED.values():
            assert words not in html
    history = client.get(f"{COUPLES}{consented.couple.pk}/history/")
    assert history.status_code == 200
    assert_nothing_private(history.content.decode())


def test_the_coach_list_has_a_fixed_query_count(
    couple, coach, coaches_group, django_assert_max_num_queries
):
    for _ in range(5):
        c, a, b = pair()
        grant_active(type("C", (), {"couple": c, "a": a, "b": b}), coach)
    client = Client()
    client.force_login(coach)
    with django_assert_max_num_queries(14):
        response = client.get(COUPLES)
    assert response.status_code == 200
    assert "5 couples" in response.content.decode()


def test_the_couple_page_has_a_bounded_query_count(
    consented, coach_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        response = coach_client.get(_page(consented.couple))
    assert response.status_code == 200


def test_a_coach_login_is_locked_out_after_repeated_failures(coach):
    client = Client(REMOTE_ADDR="198.51.100.30")
    for _ in range(5):
        client.post("/admin/login/", {"username": coach.email, "password": "not the password"})
    locked = client.post("/admin/login/", {"username": coach.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_coach_logs_in_to_the_admin(coach):
    client = Client()
    response = client.post("/admin/login/", {"username": coach.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(COUPLES).status_code == 200


def test_private_words_planted_are_really_in_the_database(consented):
    """The negative checks above mean something only if the words exist to be leaked."""
    from checkins.models import CheckIn
    from couples.models import Boundary, ConversationRequest

    notes = {c.private_note for c in CheckIn.objects.filter(author=consented.a)}
    assert PRIVATE["checkin_private_note"] in notes
    assert Boundary.objects.filter(text=PRIVATE["private_boundary"]).exists()
    assert ConversationRequest.objects.filter(topic=PRIVATE["held_topic"]).exists()


def test_the_coaches_group_has_exactly_the_permissions_coaching_needs(coaches_group):
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in coaches_group.permissions.select_related("content_type")
    }
    assert granted == {
        "couples.view_couple",
        "couples.add_coachnote",
        "couples.view_coachprofile",
        "checkins.view_prompt",
        "checkins.add_prompt",
        "checkins.change_prompt",
        "learn.view_lesson",
        "learn.add_lesson",
        "learn.change_lesson",
    }


def test_a_proposal_its_author_took_back_never_reaches_the_coach(consented, coach_client):
    """A withdrawn first proposal is its author's alone: the partner's list drops it, and the
    coach's couple page never shows its title either."""
    title = "planted-withdrawn-title-5e21"
    proposed = consented.client_a.post(
        "/api/v1/agreements",
        {
            "title": title,
            "terms": "Quiet Sundays.",
            "my_need": "Rest.",
            "your_need_as_i_understand": "Time together.",
        },
        format="json",
    )
    assert proposed.status_code == 201, proposed.content
    agreement_id = proposed.json()["id"]
    assert title in coach_client.get(_page(consented.couple)).content.decode()
    taken_back = consented.client_a.post(
        f"/api/v1/agreements/{agreement_id}/withdraw", {"based_on": 1}, format="json"
    )
    assert taken_back.status_code == 200, taken_back.content
    assert title not in json.dumps(consented.client_b.get("/api/v1/agreements").json())
    assert title not in coach_client.get(_page(consented.couple)).content.decode()
