"""Compromise agreements: propose, counter, accept, snooze, change, retire; the latest
revision only, answered only by the partner who did not write it; a handful open at once;
races on PostgreSQL; the two-couple access matrix; what ending a couple does."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from couples.models import Agreement, AgreementRevision
from couples.services.agreements import (
    agreement_accept,
    agreement_propose,
    agreement_retire,
    agreements_finish_retiring,
    agreements_wake_snoozed,
)
from nudges.models import Nudge
from tests.factories import AgreementFactory, pair
from tests.utils import client_for, race, today_for

URL = "/api/v1/agreements"
PROPOSAL = {
    "title": "Sunday mornings",
    "terms": "We keep Sunday mornings free of chores until eleven.",
    "my_need": "Rest after a long week.",
    "your_need_as_i_understand": "Knowing the chores still get done.",
}
COUNTER = {
    "terms": "Sunday mornings free, chores together after lunch.",
    "my_need": "A clear time for the chores.",
    "your_need_as_i_understand": "A slow start to Sunday.",
}


def propose(client, **overrides) -> dict:
    response = client.post(URL, {**PROPOSAL, **overrides}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def detail(agreement: dict, suffix: str = "") -> str:
    return f"{URL}/{agreement['id']}{suffix}"


def errors_of(response, status: int) -> list[tuple[str | None, str]]:
    assert response.status_code == status, response.content
    return [(e["attr"], e["code"]) for e in response.json()["errors"]]


# --- Proposing ------------------------------------------------------------------------------


def test_proposal_names_both_sides_and_returns_tone_hints(couple):
    body = propose(couple.client_a, my_need="You always leave the dishes.")
    assert body["state"] == "negotiating"
    assert body["latest_revision"]["number"] == 1
    assert body["latest_revision"]["author_id"] == str(couple.a.pk)
    assert body["active_revision"] is None
    assert any(hint["attr"] == "my_need" for hint in body["tone_hints"])
    assert Nudge.objects.filter(recipient=couple.b, kind="agreement_proposed").exists()


def test_partner_reads_the_proposal_without_tone_hints(couple):
    agreement = propose(couple.client_a)
    body = couple.client_b.get(detail(agreement)).json()
    assert body["latest_revision"]["terms"] == PROPOSAL["terms"]
    assert "tone_hints" not in body


@pytest.mark.parametrize("field", ["title", "terms", "my_need", "your_need_as_i_understand"])
def test_proposal_without_a_side_is_refused_naming_the_field(couple, field):
    body = {k: v for k, v in PROPOSAL.items() if k != field}
    assert (field, "required") in errors_of(couple.client_a.post(URL, body, format="json"), 400)


def test_at_most_three_open_negotiations(couple):
    for _ in range(3):
        propose(couple.client_a)
    response = couple.client_b.post(URL, PROPOSAL, format="json")
    assert errors_of(response, 409) == [(None, "too_many_open_negotiations")]


def test_unpaired_person_cannot_propose(stranger_client):
    response = stranger_client.post(URL, PROPOSAL, format="json")
    assert errors_of(response, 404) == [(None, "not_paired")]


# --- Answering ------------------------------------------------------------------------------


def test_partner_counters_then_proposer_accepts(couple):
    agreement = propose(couple.client_a)
    response = couple.client_b.post(detail(agreement, "/counter"), {**COUNTER, "based_on": 1})
    assert response.status_code == 200, response.content
    assert response.json()["latest_revision"]["number"] == 2
    response = couple.client_a.post(detail(agreement, "/accept"), {"based_on": 2})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "active"
    assert body["active_revision"]["number"] == 2
    assert body["review_on"] == str(today_for(couple.a) + dt.timedelta(days=30))
    assert Nudge.objects.filter(recipient=couple.b, kind="agreement_accepted").exists()


def test_partner_cannot_accept_own_proposal(couple):
    agreement = propose(couple.client_a)
    response = couple.client_a.post(detail(agreement, "/accept"), {"based_on": 1})
    assert errors_of(response, 403) == [(None, "own_revision")]


def test_partner_cannot_accept_own_counter(couple):
    agreement = propose(couple.client_a)
    couple.client_b.post(detail(agreement, "/counter"), {**COUNTER, "based_on": 1})
    response = couple.client_b.post(detail(agreement, "/accept"), {"based_on": 2})
    assert errors_of(response, 403) == [(None, "own_revision")]


def test_accepting_a_stale_revision_names_the_current_one(couple):
    agreement = propose(couple.client_a)
    couple.client_b.post(detail(agreement, "/counter"), {**COUNTER, "based_on": 1})
    couple.client_a.post(detail(agreement, "/counter"), {**COUNTER, "based_on": 2})
    response = couple.client_b.post(detail(agreement, "/accept"), {"based_on": 2})
    assert errors_of(response, 409) == [(None, "stale_revision")]
    assert response.json()["current_revision"] == 3


def test_counter_without_needs_is_refused(couple):
    agreement = propose(couple.client_a)
    response = couple.client_b.post(detail(agreement, "/counter"), {"based_on": 1, "terms": "x"})
    assert set(errors_of(response, 400)) == {
        ("my_need", "required"),
        ("your_need_as_i_understand", "required"),
    }


def test_accept_with_a_chosen_review_date(couple):
    agreement = propose(couple.client_a)
    review_on = str(today_for(couple.b) + dt.timedelta(days=60))
    body = couple.client_b.post(
        detail(agreement, "/accept"), {"based_on": 1, "review_on": review_on}
    ).json()
    assert body["review_on"] == review_on


# --- Asking for time ------------------------------------------------------------------------


def test_partner_asks_for_time_and_is_nudged_when_it_ends(couple):
    agreement = propose(couple.client_a)
    until = today_for(couple.b) + dt.timedelta(days=3)
    response = couple.client_b.post(detail(agreement, "/snooze"), {"until": str(until)})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "snoozed"
    assert agreements_wake_snoozed(timezone.now()) == 0
    later = timezone.now() + dt.timedelta(days=3, hours=1)
    assert agreements_wake_snoozed(later) == 1
    assert agreements_wake_snoozed(later) == 0
    assert Agreement.objects.get(pk=agreement["id"]).state == "negotiating"
    for person in (couple.a, couple.b):
        assert Nudge.objects.filter(recipient=person, kind="agreement_snooze_ended").exists()


@pytest.mark.parametrize("days", [0, -1, 15])
def test_snooze_must_be_within_fourteen_days_ahead(couple, days):
    agreement = propose(couple.client_a)
    until = today_for(couple.b) + dt.timedelta(days=days)
    response = couple.client_b.post(detail(agreement, "/snooze"), {"until": str(until)})
    assert errors_of(response, 400) == [("until", "snooze_until_out_of_range")]


def test_proposer_cannot_snooze_their_own_proposal(couple):
    agreement = propose(couple.client_a)
    until = today_for(couple.b) + dt.timedelta(days=2)
    response = couple.client_a.post(detail(agreement, "/snooze"), {"until": str(until)})
    assert errors_of(response, 403) == [(None, "own_revision")]


def test_snoozing_partner_may_still_accept(couple):
    agreement = propose(couple.client_a)
    until = today_for(couple.b) + dt.timedelta(days=2)
    couple.client_b.post(detail(agreement, "/snooze"), {"until": str(until)})
    response = couple.client_b.post(detail(agreement, "/accept"), {"based_on": 1})
    assert response.json()["state"] == "active"
    assert response.json()["snoozed_until"] is None


# --- Changing and retiring ------------------------------------------------------------------


def _active(couple) -> dict:
    """An agreement a proposed and b accepted (proposing and accepting are tested above)."""
    return {"id": str(AgreementFactory(author=couple.a, accepted=True).pk)}


def test_a_change_keeps_the_old_terms_active_until_accepted(couple):
    agreement = _active(couple)
    response = couple.client_a.post(detail(agreement, "/counter"), {**COUNTER, "based_on": 1})
    body = response.json()
    # Issue 13, item 12: the terms in force stay visible as `active`, the change beside them.
    assert body["state"] == "active"
    assert body["active_revision"]["number"] == 1
    assert body["latest_revision"]["number"] == 2
    assert body["pending_change"]["state"] == "negotiating"
    assert body["pending_change"]["revision"]["number"] == 2
    body = couple.client_b.post(detail(agreement, "/accept"), {"based_on": 2}).json()
    assert body["state"] == "active"
    assert body["active_revision"]["number"] == 2
    assert body["pending_change"] is None


def test_retiring_asks_the_other_and_they_agree(couple):
    agreement = _active(couple)
    assert couple.client_a.post(detail(agreement, "/retire")).json()["state"] == "retiring"
    assert couple.client_a.post(detail(agreement, "/retire")).json()["state"] == "retiring"
    assert couple.client_b.post(detail(agreement, "/retire")).json()["state"] == "retired"


def test_unanswered_retirement_ends_after_seven_days(couple):
    agreement = _active(couple)
    couple.client_a.post(detail(agreement, "/retire"))
    assert agreements_finish_retiring(timezone.now()) == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        assert agreements_finish_retiring() == 1
        assert agreements_finish_retiring() == 0
    assert Agreement.objects.get(pk=agreement["id"]).state == "retired"


def test_acting_on_a_retired_agreement_is_refused(couple):
    agreement = _active(couple)
    couple.client_a.post(detail(agreement, "/retire"))
    couple.client_b.post(detail(agreement, "/retire"))
    response = couple.client_a.post(detail(agreement, "/counter"), {**COUNTER, "based_on": 1})
    assert errors_of(response, 409) == [(None, "agreement_retired")]
    assert errors_of(couple.client_b.post(detail(agreement, "/keep")), 409) == [
        (None, "agreement_retired")
    ]
    # Issue 13, item 13: retiring what is retired changes nothing, so it is no error.
    assert couple.client_b.post(detail(agreement, "/retire")).json()["state"] == "retired"


def test_retiring_a_negotiation_is_refused(couple):
    agreement = propose(couple.client_a)
    assert errors_of(couple.client_b.post(detail(agreement, "/retire")), 409) == [
        (None, "invalid_transition")
    ]


# --- History --------------------------------------------------------------------------------


def test_revisions_are_the_full_history_newest_first_and_read_only(couple):
    agreement = propose(couple.client_a)
    couple.client_b.post(detail(agreement, "/counter"), {**COUNTER, "based_on": 1})
    body = couple.client_a.get(detail(agreement, "/revisions")).json()
    assert [r["number"] for r in body["results"]] == [2, 1]
    revision = AgreementRevision.objects.get(agreement_id=agreement["id"], number=1)
    revision.terms = "rewritten"
    with pytest.raises(ValueError, match="read-only"):
        revision.save()


# --- Ending a couple ------------------------------------------------------------------------


def test_ending_a_couple_archives_accepted_and_closes_open(couple):
    accepted = _active(couple)
    open_one = propose(couple.client_b)
    changing = _active(couple)
    couple.client_a.post(detail(changing, "/counter"), {**COUNTER, "based_on": 1})
    assert couple.client_a.post("/api/v1/couple/end").status_code == 200
    for client in (couple.client_a, couple.client_b):
        listed = {a["id"]: a for a in client.get(URL).json()["results"]}
        assert {accepted["id"], changing["id"]} <= set(listed)
        assert all(a["archived_at"] for a in listed.values())
        assert listed[changing["id"]]["state"] == "active"
        assert listed[changing["id"]]["active_revision"]["number"] == 1
        assert listed[changing["id"]]["latest_revision"]["number"] == 1
        assert listed[changing["id"]]["pending_change"] is None
    # Issue 13, item 5: the proposer keeps their own open proposal (archived, closed); the
    # ex does not see it (their partner's words, never accepted).
    assert couple.client_b.get(detail(open_one)).json()["state"] == "closed"
    assert couple.client_a.get(detail(open_one)).status_code == 404
    assert open_one["id"] not in {a["id"] for a in couple.client_a.get(URL).json()["results"]}
    assert Agreement.objects.get(pk=open_one["id"]).state == "closed"
    response = couple.client_a.post(detail(accepted, "/retire"))
    assert response.status_code == 404  # no couple to act in any more


# --- Access ---------------------------------------------------------------------------------


OBJECT_CALLS = [
    ("get", ""),
    ("get", "/revisions"),
    ("post", "/counter"),
    ("post", "/accept"),
    ("post", "/snooze"),
    ("post", "/retire"),
    ("post", "/keep"),
    ("post", "/amend"),
    ("post", "/withdraw"),
]


@pytest.mark.parametrize(("method", "suffix"), OBJECT_CALLS)
def test_another_couple_gets_404_on_every_object_endpoint(
    couple, other_couple, stranger_client, method, suffix
):
    agreement = propose(couple.client_a)
    body = {**COUNTER, "based_on": 1, "until": str(today_for(couple.b) + dt.timedelta(days=2))}
    for client in (other_couple.client_a, other_couple.client_b, stranger_client):
        response = getattr(client, method)(detail(agreement, suffix), body, format="json")
        assert response.status_code == 404, (suffix, response.content)
    assert agreement["id"] not in str(other_couple.client_a.get(URL).content)


def test_agreements_need_sign_in(api_client, couple):
    agreement = propose(couple.client_a)
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, PROPOSAL, format="json").status_code == 401
    for method, suffix in OBJECT_CALLS:
        assert getattr(api_client, method)(detail(agreement, suffix)).status_code == 401


def test_query_budgets_do_not_grow_with_the_list(couple, django_assert_max_num_queries):
    first = _active(couple)
    for _ in range(3):
        _active(couple)
    propose(couple.client_a)
    for _ in range(4):
        couple.client_b.post(detail(first, "/counter"), {**COUNTER, "based_on": 1})
    with django_assert_max_num_queries(6):
        response = couple.client_a.get(URL)
    assert len(response.json()["results"]) == 5
    with django_assert_max_num_queries(6):
        assert couple.client_a.get(detail(first)).status_code == 200
    with django_assert_max_num_queries(7):
        assert couple.client_a.get(detail(first, "/revisions")).status_code == 200


# --- Races ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_accepts_at_once_accept_once():
    """Issue 13, item 13: the second of two identical accepts (a double tap on two phones)
    queues behind the first, finds it done and answers the same success; one acceptance."""
    _couple, a, b = pair()
    agreement = agreement_propose(author=a, **PROPOSAL)
    client_b1, client_b2 = client_for(b), client_for(b)
    url = f"{URL}/{agreement.pk}/accept"
    results = race(
        lambda: client_b1.post(url, {"based_on": 1}).status_code,
        lambda: client_b2.post(url, {"based_on": 1}).status_code,
    )
    assert results == [200, 200]
    assert Agreement.objects.get(pk=agreement.pk).state == "active"
    assert Nudge.objects.filter(recipient=a, kind="agreement_accepted").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_different_counters_on_one_revision_at_once_exactly_one_wins():
    _couple, a, b = pair()
    agreement = agreement_propose(author=a, **PROPOSAL)
    client_b1, client_b2 = client_for(b), client_for(b)
    url = f"{URL}/{agreement.pk}/counter"
    results = race(
        lambda: client_b1.post(url, {**COUNTER, "based_on": 1}).status_code,
        lambda: client_b2.post(url, {**COUNTER, "terms": "Other", "based_on": 1}).status_code,
    )
    assert sorted(results) == [200, 409]
    assert AgreementRevision.objects.filter(agreement=agreement).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_counter_twice_at_once_is_written_once():
    _couple, a, b = pair()
    agreement = agreement_propose(author=a, **PROPOSAL)
    client_b1, client_b2 = client_for(b), client_for(b)
    url = f"{URL}/{agreement.pk}/counter"
    results = race(
        lambda: client_b1.post(url, {**COUNTER, "based_on": 1}).status_code,
        lambda: client_b2.post(url, {**COUNTER, "based_on": 1}).status_code,
    )
    assert results == [200, 200]
    assert AgreementRevision.objects.filter(agreement=agreement).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_both_partners_proposing_a_change_at_once_exactly_one_wins():
    _couple, a, b = pair()
    agreement = agreement_propose(author=a, **PROPOSAL)
    agreement_accept(agreement=agreement, user=b, based_on=1)
    client_a, client_b = client_for(a), client_for(b)
    url = f"{URL}/{agreement.pk}/counter"
    results = race(
        lambda: client_a.post(url, {**COUNTER, "based_on": 1}).status_code,
        lambda: client_b.post(url, {**COUNTER, "based_on": 1}).status_code,
    )
    assert sorted(results) == [200, 409]
    agreement.refresh_from_db()
    assert agreement.state == "changing"  # shown as `active` with a `pending_change`
    assert agreement.active_revision.number == 1


def test_retire_requester_cannot_confirm_alone(couple):
    _couple, a, b = couple.couple, couple.a, couple.b
    agreement = agreement_propose(author=a, **PROPOSAL)
    agreement_accept(agreement=agreement, user=b, based_on=1)
    assert agreement_retire(agreement=agreement, user=a).state == "retiring"
    assert agreement_retire(agreement=agreement, user=a).state == "retiring"
    assert agreement_retire(agreement=agreement, user=b).state == "retired"
