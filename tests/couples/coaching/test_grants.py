"""Consent grants through the API: a partner invites a coach, both must consent, either
revokes at once, grants expire and both renew. Partners see who has access and since when."""

import datetime as dt

import pytest
from django.utils.formats import date_format

from couples.models import CoachGrant, CoachProfile
from couples.selectors import couples_visible_to_coach
from nudges.models import Nudge
from tests.couples.coaching.content import grant_active
from tests.factories import CoachFactory, UserFactory
from tests.utils import client_for, today_for

GRANTS = "/api/v1/couple/coach-grants"


def _invite(client, **body):
    return client.post(GRANTS, body, format="json")


def _visible(coach):
    return list(couples_visible_to_coach(coach))


def test_one_consent_is_not_enough(couple, coach):
    invited = _invite(couple.client_a, coach_email=coach.email.upper())
    assert invited.status_code == 201, invited.content
    body = invited.json()
    assert body["state"] == "pending"
    assert body["consented_by_me"] is True and body["consented_by_partner"] is False
    assert body["coach"] == {"id": str(coach.pk), "display_name": "Coach Morgan"}
    assert body["activated_at"] is None
    assert _visible(coach) == []
    # The inviter saying yes again changes nothing.
    again = couple.client_a.post(f"{GRANTS}/{body['id']}/consent")
    assert again.status_code == 200 and again.json()["state"] == "pending"
    assert _visible(coach) == []
    assert Nudge.objects.filter(
        recipient=couple.b, kind="coach_consent_request", subject_id=body["id"]
    ).exists()
    assert not Nudge.objects.filter(recipient=couple.a).exists()


def test_both_consents_make_it_active_for_ninety_days(couple, coach, settings):
    assert settings.COACH_GRANT_DAYS == 90
    grant_id = _invite(couple.client_a, coach_email=coach.email).json()["id"]
    consented = couple.client_b.post(f"{GRANTS}/{grant_id}/consent")
    assert consented.status_code == 200, consented.content
    body = consented.json()
    assert body["state"] == "active"
    assert body["consented_by_me"] and body["consented_by_partner"]
    activated = dt.datetime.fromisoformat(body["activated_at"])
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert expires - activated == dt.timedelta(days=90)
    assert _visible(coach) == [couple.couple]
    seen_by_a = couple.client_a.get(GRANTS).json()["results"]
    assert [(g["id"], g["state"], g["activated_at"]) for g in seen_by_a] == [
        (grant_id, "active", body["activated_at"])
    ]


def test_a_coach_code_works_in_any_case_with_dashes(couple, coach):
    code = CoachProfile.objects.get(user=coach).code
    typed = f"{code[:4].lower()}-{code[4:]}"
    invited = _invite(couple.client_b, coach_code=typed)
    assert invited.status_code == 201, invited.content
    assert invited.json()["coach"]["id"] == str(coach.pk)


def test_a_coach_added_from_the_groups_side_gets_a_code_too(coaches_group):
    person = UserFactory(is_staff=True)
    coaches_group.user_set.add(person)
    assert len(CoachProfile.objects.get(user=person).code) == 10


@pytest.mark.parametrize("kind", ["stranger", "staff_not_coach", "inactive_coach", "bad_code"])
def test_who_is_not_a_coach_gets_one_identical_answer(couple, coaches_group, kind):
    if kind == "bad_code":
        response = _invite(couple.client_a, coach_code="AAAAA-BBBBB")
    else:
        person = {
            "stranger": lambda: UserFactory(),
            "staff_not_coach": lambda: UserFactory(is_staff=True),
            "inactive_coach": lambda: CoachFactory(groups=[coaches_group], is_active=False),
        }[kind]()
        response = _invite(couple.client_a, coach_email=person.email)
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "coach_not_found"
    assert response.json()["errors"][0]["detail"] == (
        "We could not find a coach with these details."
    )
    assert not CoachGrant.objects.exists()


def test_email_or_code_exactly_one(couple, coach):
    neither = _invite(couple.client_a)
    both = _invite(couple.client_a, coach_email=coach.email, coach_code="ABC")
    assert neither.status_code == both.status_code == 400
    assert neither.json()["errors"][0]["code"] == "coach_email_or_code"


def test_inviting_the_same_coach_twice_is_a_conflict(couple, coach):
    first = _invite(couple.client_a, coach_email=coach.email).json()
    second = _invite(couple.client_b, coach_email=coach.email)
    assert second.status_code == 409
    assert second.json()["errors"][0]["code"] == "coach_grant_exists"
    assert second.json()["grant_id"] == first["id"]


def test_a_retried_invite_creates_one_grant(couple, coach):
    headers = {"HTTP_IDEMPOTENCY_KEY": "invite-coach-1"}
    first = couple.client_a.post(GRANTS, {"coach_email": coach.email}, format="json", **headers)
    second = couple.client_a.post(GRANTS, {"coach_email": coach.email}, format="json", **headers)
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert CoachGrant.objects.count() == 1


def test_someone_not_in_a_couple_cannot_invite(stranger_client, coach):
    response = _invite(stranger_client, coach_email=coach.email)
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_paired"
    assert stranger_client.get(GRANTS).json()["results"] == []


@pytest.mark.parametrize("who", ["a", "b"])
def test_either_partner_revokes_at_once(couple, coach, who):
    grant = grant_active(couple, coach)
    client = couple.client_a if who == "a" else couple.client_b
    revoked = client.post(f"{GRANTS}/{grant.pk}/revoke")
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["state"] == "revoked" and revoked.json()["revoked_at"]
    assert _visible(coach) == []
    # Issue 13, item 13: revoking again changes nothing, so it answers the same success.
    again = client.post(f"{GRANTS}/{grant.pk}/revoke")
    assert again.status_code == 200 and again.json() == revoked.json()
    assert client.post(f"{GRANTS}/{grant.pk}/renew").status_code == 409
    assert client.post(f"{GRANTS}/{grant.pk}/consent").status_code == 409
    assert _visible(coach) == []


def test_a_pending_grant_can_be_declined_by_revoking(couple, coach, time_machine):
    grant_id = _invite(couple.client_a, coach_email=coach.email).json()["id"]
    assert couple.client_b.post(f"{GRANTS}/{grant_id}/revoke").json()["state"] == "revoked"
    # Issue 13: declined, the same coach is not asked about again for 7 days (then it is
    # possible again; see test_a_revoked_coach_can_be_invited_again_after_seven_days).
    paused = _invite(couple.client_a, coach_email=coach.email)
    assert paused.status_code == 409
    assert paused.json()["errors"][0]["code"] == "coach_reinvite_paused"


def test_a_grant_expires_and_both_renew_it(couple, coach, time_machine):
    grant = grant_active(couple, coach)
    time_machine.move_to(grant.expires_at + dt.timedelta(seconds=1))
    assert _visible(coach) == []
    # Access tokens live minutes; sign in again 90 days later.
    client_a, client_b = client_for(couple.a), client_for(couple.b)
    listed = client_a.get(f"{GRANTS}/{grant.pk}").json()
    assert listed["state"] == "expired"
    once = client_a.post(f"{GRANTS}/{grant.pk}/renew").json()
    assert once["state"] == "expired" and once["renewal_requested"] is True
    assert once["consented_by_me"] is True and once["consented_by_partner"] is False
    assert _visible(coach) == []
    both = client_b.post(f"{GRANTS}/{grant.pk}/renew").json()
    assert both["state"] == "active" and both["renewal_requested"] is False
    renewed_until = dt.datetime.fromisoformat(both["expires_at"])
    assert renewed_until > dt.datetime.now(dt.UTC) + dt.timedelta(days=89)
    assert _visible(coach) == [couple.couple]


def test_renewing_early_keeps_access_while_waiting_for_the_partner(couple, coach, time_machine):
    grant = grant_active(couple, coach)
    # A month in: early, yet not the hour the grant began (renewing then changes nothing).
    time_machine.move_to(grant.activated_at + dt.timedelta(days=30))
    client_b = client_for(couple.b)
    waiting = client_b.post(f"{GRANTS}/{grant.pk}/renew").json()
    assert waiting["state"] == "active" and waiting["renewal_requested"] is True
    assert waiting["expires_at"] is not None
    assert _visible(coach) == [couple.couple]


def test_ending_the_couple_ends_its_grants(couple, coach):
    grant = grant_active(couple, coach)
    assert couple.client_b.post("/api/v1/couple/end").status_code == 200
    grant.refresh_from_db()
    assert grant.status == CoachGrant.Status.ENDED and grant.ended_at is not None
    assert _visible(coach) == []


def test_a_grant_of_another_couple_is_not_found(couple, other_couple, coach):
    theirs = grant_active(other_couple, coach)
    for method, suffix in [
        ("get", ""),
        ("post", "/consent"),
        ("post", "/revoke"),
        ("post", "/renew"),
    ]:
        response = getattr(couple.client_a, method)(f"{GRANTS}/{theirs.pk}{suffix}")
        assert response.status_code == 404, (method, suffix)
    assert couple.client_a.get(GRANTS).json()["results"] == []
    theirs.refresh_from_db()
    assert theirs.status == CoachGrant.Status.ACTIVE


def test_listing_grants_has_a_fixed_query_count(
    couple, coaches_group, django_assert_max_num_queries
):
    for _ in range(4):
        grant_active(couple, CoachFactory(groups=[coaches_group]))
    with django_assert_max_num_queries(8):
        response = couple.client_a.get(GRANTS)
    assert len(response.json()["results"]) == 4


# --- Issue 13: double taps, and a pause before asking again -------------------------------


def test_consenting_twice_answers_the_same_success(couple, coach):
    grant_id = _invite(couple.client_a, coach_email=coach.email).json()["id"]
    first = couple.client_b.post(f"{GRANTS}/{grant_id}/consent")
    second = couple.client_b.post(f"{GRANTS}/{grant_id}/consent")
    assert first.status_code == second.status_code == 200, second.content
    assert first.json() == second.json()
    assert second.json()["state"] == "active"
    # The inviter consenting once more, after both said yes, is the same success too.
    assert couple.client_a.post(f"{GRANTS}/{grant_id}/consent").json() == first.json()
    assert CoachGrant.objects.get(pk=grant_id).consents.count() == 2


def test_renewing_twice_renews_once(couple, coach, time_machine):
    grant = grant_active(couple, coach)
    time_machine.move_to(grant.activated_at + dt.timedelta(days=80))
    client_a, client_b = client_for(couple.a), client_for(couple.b)
    asked = client_a.post(f"{GRANTS}/{grant.pk}/renew")
    asked_again = client_a.post(f"{GRANTS}/{grant.pk}/renew")
    assert asked.status_code == asked_again.status_code == 200
    assert asked.json() == asked_again.json()
    assert asked.json()["renewal_requested"] is True
    renewed = client_b.post(f"{GRANTS}/{grant.pk}/renew")
    renewed_again = client_b.post(f"{GRANTS}/{grant.pk}/renew")
    assert renewed.status_code == renewed_again.status_code == 200
    assert renewed.json() == renewed_again.json()
    assert renewed.json()["renewal_requested"] is False
    grant.refresh_from_db()
    assert grant.round == 1
    # No new round was opened by the second tap; only b was asked (once: a pending request
    # is not sent twice), never a.
    assert not grant.consents.filter(round=2).exists()
    assert Nudge.objects.filter(recipient=couple.a, kind="coach_consent_request").count() == 0
    assert Nudge.objects.filter(recipient=couple.b, kind="coach_consent_request").count() == 1


def test_a_revoked_coach_can_be_invited_again_after_seven_days(couple, coach, time_machine):
    grant = grant_active(couple, coach)
    revoked = couple.client_b.post(f"{GRANTS}/{grant.pk}/revoke").json()
    revoked_at = dt.datetime.fromisoformat(revoked["revoked_at"])
    possible_at = revoked_at + dt.timedelta(days=7)
    for client in (couple.client_a, couple.client_b):
        paused = _invite(client, coach_email=coach.email)
        assert paused.status_code == 409
        body = paused.json()
        assert body["errors"][0]["code"] == "coach_reinvite_paused"
        assert dt.datetime.fromisoformat(body["invite_possible_at"]) == possible_at
        local_day = today_for(couple.a, at=possible_at)
        assert body["errors"][0]["detail"] == (
            "Access for this coach ended a few days ago, so there is a pause before inviting "
            f"them again. You can invite them from {date_format(local_day, 'DATE_FORMAT')}."
        )
    # Also by code, not only by email address.
    code = CoachProfile.objects.get(user=coach).code
    assert _invite(couple.client_a, coach_code=code).json()["errors"][0]["code"] == (
        "coach_reinvite_paused"
    )
    assert (
        not Nudge.objects.filter(
            recipient=couple.b, kind="coach_consent_request", state=Nudge.State.PENDING
        )
        .exclude(subject_id=grant.pk)
        .exists()
    )
    time_machine.move_to(possible_at - dt.timedelta(minutes=1))
    assert _invite(client_for(couple.a), coach_email=coach.email).status_code == 409
    time_machine.move_to(possible_at + dt.timedelta(seconds=1))
    again = _invite(client_for(couple.a), coach_email=coach.email)
    assert again.status_code == 201, again.content
    assert again.json()["state"] == "pending"


def test_the_pause_is_per_coach_and_per_couple(couple, other_couple, coach, coaches_group):
    grant = grant_active(couple, coach)
    couple.client_a.post(f"{GRANTS}/{grant.pk}/revoke")
    another_coach = CoachFactory(groups=[coaches_group])
    assert _invite(couple.client_a, coach_email=another_coach.email).status_code == 201
    assert _invite(other_couple.client_a, coach_email=coach.email).status_code == 201
