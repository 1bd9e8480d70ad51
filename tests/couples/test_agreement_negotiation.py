"""Agreements that negotiate like people do (issue 13, item 12) and what each keeps when the
couple ends (item 5, the agreement part), walked through the API. After every step: what
each partner reads (the agreement, its history, the list their phone syncs) and what
reaches their inbox."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from couples.models import Agreement
from couples.services.agreements import agreements_finish_retiring, agreements_wake_snoozed
from nudges.models import Nudge
from tests.factories import AgreementFactory, pair
from tests.nudges.delivering import berlin, deliver_due
from tests.utils import client_for, today_for

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
CHANGE = {
    "terms": "Sunday mornings free until noon.",
    "my_need": "A little more rest.",
    "your_need_as_i_understand": "Chores done by evening.",
}


@pytest.fixture
def two(db, time_machine) -> SimpleNamespace:
    """A couple at noon in Berlin (outside quiet hours, so what is due arrives at once)."""
    time_machine.move_to(berlin(2027, 5, 4, 12, 0), tick=True)
    couple, a, b = pair()
    return SimpleNamespace(couple=couple, a=a, b=b, client_a=client_for(a), client_b=client_for(b))


def detail(agreement, suffix: str = "") -> str:
    pk = agreement["id"] if isinstance(agreement, dict) else agreement.pk
    return f"{URL}/{pk}{suffix}"


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert len(body["errors"]) == 1, body
    return {**body, **body["errors"][0]}


def inbox(person, client) -> list[str]:
    """Deliver what is due for everyone, then what `person`'s inbox lists (kinds, newest
    first)."""
    deliver_due(timezone.now())
    return [n["kind"] for n in ok(client.get("/api/v1/notifications"))["results"]]


def pending_kinds(person) -> set[str]:
    return set(
        Nudge.objects.filter(recipient=person, state=Nudge.State.PENDING).values_list(
            "kind", flat=True
        )
    )


def _since() -> str:
    """A phone's last sync, an hour before the test began."""
    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


def listed(client) -> dict[str, dict]:
    body = ok(client.get(URL, {"updated_since": _since()}))
    return {a["id"]: a for a in body["results"]}


def removed(client) -> list[str]:
    return ok(client.get(URL, {"updated_since": _since()}))["removed"]


def history(client, agreement) -> list[tuple[int, str]]:
    body = ok(client.get(detail(agreement, "/revisions")))
    return [(r["number"], r["terms"]) for r in body["results"]]


def active_of(two) -> Agreement:
    """An agreement `a` proposed and `b` accepted (rows only: tested in test_agreements)."""
    return AgreementFactory(author=two.a, accepted=True)


# --- (a) a stale answer names who wrote what is current ------------------------------------


def test_a_stale_counter_says_you_wrote_the_newer_version_yourself(two):
    agreement = ok(two.client_a.post(URL, PROPOSAL, format="json"), 201)
    ok(two.client_b.post(detail(agreement, "/counter"), {**COUNTER, "based_on": 1}))
    # b, on an old screen, answers version 1 again with other words: they wrote version 2.
    mine = error(two.client_b.post(detail(agreement, "/counter"), {**CHANGE, "based_on": 1}), 409)
    assert mine["code"] == "stale_revision"
    assert mine["detail"] == "You already wrote a newer version (2)."
    assert mine["current_revision"] == 2
    assert mine["current_revision_author_id"] == str(two.b.pk)
    # a, also on an old screen, is told it is their partner's newer version.
    theirs = error(two.client_a.post(detail(agreement, "/counter"), {**CHANGE, "based_on": 1}), 409)
    assert theirs["detail"] == "Your partner has written a newer version (2). Read it first."
    assert theirs["current_revision_author_id"] == str(two.b.pk)
    assert [n for n, _ in history(two.client_a, agreement)] == [2, 1]


# --- (b) a change shows the terms in force beside it ---------------------------------------


def test_a_change_keeps_the_agreement_active_with_the_change_beside_it(two):
    agreement = active_of(two)
    ok(two.client_a.post(detail(agreement, "/counter"), {**CHANGE, "based_on": 1}))
    for client in (two.client_a, two.client_b):
        body = ok(client.get(detail(agreement)))
        assert body["state"] == "active"
        assert body["active_revision"]["terms"] == PROPOSAL["terms"]
        assert body["pending_change"]["state"] == "negotiating"
        assert body["pending_change"]["revision"]["terms"] == CHANGE["terms"]
        assert body["pending_change"]["revision"]["author_id"] == str(two.a.pk)
        assert listed(client)[str(agreement.pk)]["state"] == "active"
    assert inbox(two.b, two.client_b) == ["agreement_change_proposed"]
    assert inbox(two.a, two.client_a) == []

    until = today_for(two.b) + dt.timedelta(days=3)
    ok(two.client_b.post(detail(agreement, "/snooze"), {"until": str(until)}))
    for client in (two.client_a, two.client_b):
        body = ok(client.get(detail(agreement)))
        assert body["state"] == "active"
        assert body["active_revision"]["number"] == 1
        assert body["pending_change"]["state"] == "snoozed"
        assert body["pending_change"]["snoozed_until"] == str(until)
        assert body["pending_change"]["snoozed_by_id"] == str(two.b.pk)
    assert inbox(two.a, two.client_a) == ["agreement_snoozed"]

    assert agreements_wake_snoozed(timezone.now() + dt.timedelta(days=3, hours=12)) == 1
    body = ok(two.client_a.get(detail(agreement)))
    assert (body["state"], body["pending_change"]["state"]) == ("active", "negotiating")

    body = ok(two.client_b.post(detail(agreement, "/accept"), {"based_on": 2}))
    assert body["state"] == "active" and body["pending_change"] is None
    assert body["active_revision"]["terms"] == CHANGE["terms"]


# --- (c) the author amends or takes back their own latest version --------------------------


def test_the_author_amends_before_the_partner_answers_and_history_keeps_both(two):
    agreement = ok(two.client_a.post(URL, PROPOSAL, format="json"), 201)
    # b was not told yet (a's notice is still pending): they are told once, of the new one.
    amended = ok(two.client_a.post(detail(agreement, "/amend"), {**COUNTER, "based_on": 1}))
    assert amended["state"] == "negotiating"
    assert amended["latest_revision"]["number"] == 2
    assert amended["latest_revision"]["author_id"] == str(two.a.pk)
    assert "tone_hints" in amended
    for client in (two.client_a, two.client_b):
        assert history(client, agreement) == [(2, COUNTER["terms"]), (1, PROPOSAL["terms"])]
    assert inbox(two.b, two.client_b) == ["agreement_proposed"]
    assert Nudge.objects.filter(recipient=two.b, state=Nudge.State.CANCELLED).count() == 1

    # Told already, b now hears that a reworded it.
    ok(two.client_a.post(detail(agreement, "/amend"), {**CHANGE, "based_on": 2}))
    assert inbox(two.b, two.client_b) == ["agreement_amended", "agreement_proposed"]
    assert inbox(two.a, two.client_a) == []

    # b answers the latest; a can no longer amend what b answered.
    ok(two.client_b.post(detail(agreement, "/counter"), {**PROPOSAL, "based_on": 3}))
    refused = error(two.client_a.post(detail(agreement, "/amend"), {**CHANGE, "based_on": 4}), 403)
    assert refused["code"] == "partner_revision"


def test_the_author_cannot_accept_their_own_but_is_told_they_may_amend_it(two):
    agreement = ok(two.client_a.post(URL, PROPOSAL, format="json"), 201)
    refused = error(two.client_a.post(detail(agreement, "/accept"), {"based_on": 1}), 403)
    assert refused["code"] == "own_revision"
    assert "amend it or take it back" in refused["detail"]


def test_taking_back_a_first_proposal_removes_it_from_the_partners_phone(two):
    planted = "PLANTED-withdrawn-proposal-juniper"
    agreement = ok(two.client_a.post(URL, {**PROPOSAL, "terms": planted}, format="json"), 201)
    assert inbox(two.b, two.client_b) == ["agreement_proposed"]  # b was told
    assert str(agreement["id"]) in listed(two.client_b)

    body = ok(two.client_a.post(detail(agreement, "/withdraw"), {"based_on": 1}))
    assert body["state"] == "withdrawn"
    assert body["latest_revision"]["withdrawn_at"]
    # a keeps their own words; b's phone drops the proposal, and nothing of it reaches b.
    assert listed(two.client_a)[agreement["id"]]["state"] == "withdrawn"
    assert agreement["id"] not in listed(two.client_b)
    assert agreement["id"] in removed(two.client_b)
    assert agreement["id"] not in removed(two.client_a)
    assert two.client_b.get(detail(agreement)).status_code == 404
    assert two.client_b.get(detail(agreement, "/revisions")).status_code == 404
    assert planted not in two.client_b.get(URL).content.decode()
    assert inbox(two.b, two.client_b) == ["agreement_proposed"]  # no new notice
    assert planted not in two.client_b.get("/api/v1/notifications").content.decode()
    # A proposal taken back is done: it is not for answering or amending any more.
    assert (
        error(two.client_a.post(detail(agreement, "/amend"), {**COUNTER, "based_on": 1}), 409)[
            "code"
        ]
        == "agreement_withdrawn"
    )
    # Taking it back again (a double tap) answers the same success.
    again = ok(two.client_a.post(detail(agreement, "/withdraw"), {"based_on": 1}))
    assert again["state"] == "withdrawn"


def test_a_first_proposal_taken_back_before_the_partner_was_told_never_reaches_them(two):
    agreement = ok(two.client_a.post(URL, PROPOSAL, format="json"), 201)
    ok(two.client_a.post(detail(agreement, "/withdraw"), {"based_on": 1}))
    assert pending_kinds(two.b) == set()
    assert inbox(two.b, two.client_b) == []


def test_taking_back_a_change_leaves_the_terms_in_force(two):
    planted = "PLANTED-withdrawn-change-saffron"
    agreement = active_of(two)
    ok(
        two.client_b.post(
            detail(agreement, "/counter"), {**CHANGE, "my_need": planted, "based_on": 1}
        )
    )
    assert inbox(two.a, two.client_a) == ["agreement_change_proposed"]
    body = ok(two.client_b.post(detail(agreement, "/withdraw"), {"based_on": 2}))
    assert body["state"] == "active" and body["pending_change"] is None
    assert body["latest_revision"]["number"] == 1
    # a sees the agreement as it was; the version b took back is b's alone.
    seen_by_a = ok(two.client_a.get(detail(agreement)))
    assert (seen_by_a["state"], seen_by_a["pending_change"]) == ("active", None)
    assert history(two.client_a, agreement) == [(1, PROPOSAL["terms"])]
    assert planted not in two.client_a.get(detail(agreement, "/revisions")).content.decode()
    assert planted not in two.client_a.get(URL).content.decode()
    assert [n for n, _ in history(two.client_b, agreement)] == [2, 1]
    b_history = ok(two.client_b.get(detail(agreement, "/revisions")))["results"]
    assert b_history[0]["withdrawn_at"] and b_history[0]["my_need"] == planted
    # A new change takes the free number: a's history shows no gap.
    ok(two.client_a.post(detail(agreement, "/counter"), {**COUNTER, "based_on": 1}))
    assert [n for n, _ in history(two.client_a, agreement)] == [2, 1]


def test_taking_back_a_counter_returns_to_the_partners_version(two):
    agreement = ok(two.client_a.post(URL, PROPOSAL, format="json"), 201)
    ok(two.client_b.post(detail(agreement, "/counter"), {**COUNTER, "based_on": 1}))
    body = ok(two.client_b.post(detail(agreement, "/withdraw"), {"based_on": 2}))
    assert body["state"] == "negotiating"
    assert body["latest_revision"]["number"] == 1
    assert body["latest_revision"]["author_id"] == str(two.a.pk)
    # a, still looking at version 2, learns that b took it back.
    stale = error(two.client_a.post(detail(agreement, "/accept"), {"based_on": 2}), 409)
    assert stale["detail"] == "Your partner took that version back; version 1 is the current one."
    # It is b's turn again: b may accept a's version.
    assert ok(two.client_b.post(detail(agreement, "/accept"), {"based_on": 1}))["state"] == (
        "active"
    )


def test_only_the_author_takes_a_version_back(two):
    agreement = ok(two.client_a.post(URL, PROPOSAL, format="json"), 201)
    refused = error(two.client_b.post(detail(agreement, "/withdraw"), {"based_on": 1}), 403)
    assert refused["code"] == "partner_revision"
    active = active_of(two)
    refused = error(two.client_a.post(detail(active, "/withdraw"), {"based_on": 1}), 409)
    assert refused["code"] == "invalid_transition"


# --- (d) a retire request can be declined ---------------------------------------------------


def test_a_retire_request_can_be_declined_and_does_not_lapse(two):
    agreement = active_of(two)
    ok(two.client_a.post(detail(agreement, "/retire")))
    assert inbox(two.b, two.client_b) == ["agreement_retire_requested"]
    chosen = str(today_for(two.b) + dt.timedelta(days=45))
    body = ok(two.client_b.post(detail(agreement, "/keep"), {"review_on": chosen}))
    assert body["state"] == "active"
    assert body["retire_requested_by_id"] is None
    assert body["review_on"] == chosen
    assert ok(two.client_a.get(detail(agreement)))["state"] == "active"
    assert inbox(two.a, two.client_a) == ["agreement_kept"]
    assert agreements_finish_retiring(timezone.now() + dt.timedelta(days=8)) == 0
    assert ok(two.client_a.get(detail(agreement)))["state"] == "active"


def test_the_asker_takes_a_retire_request_back_before_the_partner_heard_of_it(two):
    agreement = active_of(two)
    ok(two.client_a.post(detail(agreement, "/retire")))
    assert ok(two.client_a.post(detail(agreement, "/keep")))["state"] == "active"
    assert pending_kinds(two.b) == set()  # b never hears of a request already taken back
    assert inbox(two.b, two.client_b) == []


# --- (e) "keep it" at review ---------------------------------------------------------------


def test_keep_it_at_review_renews_the_review_date_and_quiets_the_review_nudge(two):
    agreement = active_of(two)
    due = today_for(two.a)
    Agreement.objects.filter(pk=agreement.pk).update(review_on=due)
    # The planner asked both for a review today; b's is still waiting for delivery.
    from couples.nudging import _plan_agreement_reviews

    planned = _plan_agreement_reviews([(two.a.pk, due), (two.b.pk, due)])
    assert {(person, subject) for person, subject, _ in planned} == {
        (two.a.pk, agreement.pk),
        (two.b.pk, agreement.pk),
    }
    review = Nudge.objects.create(
        recipient=two.b,
        kind="agreement_review_due",
        nudge_class=Nudge.Class.ENGAGEMENT,
        subject_id=agreement.pk,
        due_at=timezone.now(),
        local_date=due,
    )
    body = ok(two.client_a.post(detail(agreement, "/keep")))
    assert body["state"] == "active"
    assert body["review_on"] == str(due + dt.timedelta(days=30))
    assert ok(two.client_b.get(detail(agreement)))["review_on"] == body["review_on"]
    kinds = inbox(two.b, two.client_b)
    assert kinds == ["agreement_kept"]  # not "ready for a review" any more
    review.refresh_from_db()
    assert review.state != Nudge.State.SENT
    # Keeping twice is keeping once.
    assert ok(two.client_a.post(detail(agreement, "/keep")))["review_on"] == body["review_on"]
    assert inbox(two.b, two.client_b) == ["agreement_kept"]


def test_keep_it_needs_a_review_date_after_today(two):
    agreement = active_of(two)
    today = str(today_for(two.a))
    bad = error(two.client_a.post(detail(agreement, "/keep"), {"review_on": today}), 400)
    assert (bad["attr"], bad["code"]) == ("review_on", "review_on_not_in_future")


def test_keep_declines_a_change_and_the_terms_in_force_stay(two):
    agreement = active_of(two)
    ok(two.client_a.post(detail(agreement, "/counter"), {**CHANGE, "based_on": 1}))
    body = ok(two.client_b.post(detail(agreement, "/keep")))
    assert body["state"] == "active" and body["pending_change"] is None
    assert body["active_revision"]["number"] == body["latest_revision"]["number"] == 1
    assert inbox(two.a, two.client_a) == ["agreement_kept"]
    # The declined change stays in the history both read.
    assert [n for n, _ in history(two.client_a, agreement)] == [2, 1]
    assert [n for n, _ in history(two.client_b, agreement)] == [2, 1]


def test_keep_on_a_first_proposal_is_refused(two):
    agreement = ok(two.client_a.post(URL, PROPOSAL, format="json"), 201)
    assert error(two.client_b.post(detail(agreement, "/keep")), 409)["code"] == (
        "invalid_transition"
    )


# --- Repeats answer the same success --------------------------------------------------------


def test_every_agreement_action_done_twice_answers_the_same_success(two):
    agreement = ok(two.client_a.post(URL, PROPOSAL, format="json"), 201)
    until = str(today_for(two.b) + dt.timedelta(days=2))
    steps = [
        (two.client_b, "/snooze", {"until": until}),
        (two.client_b, "/counter", {**COUNTER, "based_on": 1}),
        (two.client_b, "/amend", {**CHANGE, "based_on": 2}),
        (two.client_a, "/accept", {"based_on": 3}),
        (two.client_a, "/keep", {}),
        (two.client_a, "/counter", {**PROPOSAL, "based_on": 3}),
        (two.client_a, "/withdraw", {"based_on": 4}),
        (two.client_b, "/retire", {}),
        (two.client_a, "/retire", {}),
    ]
    for client, suffix, body in steps:
        first = client.post(detail(agreement, suffix), body, format="json")
        second = client.post(detail(agreement, suffix), body, format="json")
        assert first.status_code == second.status_code == 200, (suffix, second.content)
        assert _state(first.json()) == _state(second.json()), suffix
    assert ok(two.client_a.get(detail(agreement)))["state"] == "retired"
    numbers = [n for n, _ in history(two.client_b, agreement)]
    assert numbers == [3, 2, 1]  # each version written once; a's change taken back
    told = Nudge.objects.exclude(state=Nudge.State.CANCELLED)
    assert told.filter(recipient=two.a, kind="agreement_countered").count() == 1
    assert told.filter(recipient=two.b, kind="agreement_accepted").count() == 1


def _state(body: dict) -> tuple:
    latest = body["latest_revision"] or {}
    return (body["state"], latest.get("number"), body["review_on"], body["pending_change"])


# --- Item 5: after couple/end each keeps what they wrote ------------------------------------


def test_after_the_end_each_keeps_their_own_proposals_and_never_reads_the_others(two):
    a_words = "PLANTED-a-open-proposal-heron"
    b_words = "PLANTED-b-counter-otter"
    b_change = "PLANTED-b-change-lantern"
    b_snoozed = "PLANTED-b-snoozed-proposal-moss"
    # a's proposal, which b answered with a counter; b's proposal, a asked for time; an
    # accepted one to which b proposed a change.
    mine = ok(two.client_a.post(URL, {**PROPOSAL, "terms": a_words}, format="json"), 201)
    ok(two.client_b.post(detail(mine, "/counter"), {**COUNTER, "terms": b_words, "based_on": 1}))
    theirs = ok(two.client_b.post(URL, {**PROPOSAL, "terms": b_snoozed}, format="json"), 201)
    until = str(today_for(two.a) + dt.timedelta(days=3))
    ok(two.client_a.post(detail(theirs, "/snooze"), {"until": until}))
    accepted = active_of(two)
    ok(
        two.client_b.post(
            detail(accepted, "/counter"), {**CHANGE, "terms": b_change, "based_on": 1}
        )
    )

    assert two.client_a.post("/api/v1/couple/end").status_code == 200

    seen_by_a, seen_by_b = listed(two.client_a), listed(two.client_b)
    # a keeps the proposal a made (with a's own words only) and what both accepted.
    assert set(seen_by_a) == {mine["id"], str(accepted.pk)}
    assert seen_by_a[mine["id"]]["state"] == "closed"
    assert seen_by_a[mine["id"]]["archived_at"]
    assert seen_by_a[mine["id"]]["latest_revision"]["terms"] == a_words
    assert history(two.client_a, mine) == [(1, a_words)]
    # b keeps the snoozed proposal b made, and what both accepted.
    assert set(seen_by_b) == {theirs["id"], str(accepted.pk)}
    assert seen_by_b[theirs["id"]]["state"] == "closed"
    assert seen_by_b[theirs["id"]]["latest_revision"]["terms"] == b_snoozed
    assert seen_by_b[theirs["id"]]["snoozed_until"] is None
    # The accepted one: both read the terms in force; b's unaccepted change is b's alone.
    for seen in (seen_by_a, seen_by_b):
        shown = seen[str(accepted.pk)]
        assert (shown["state"], shown["pending_change"]) == ("active", None)
        assert shown["latest_revision"]["terms"] == PROPOSAL["terms"]
        assert shown["archived_at"]
    assert history(two.client_a, accepted) == [(1, PROPOSAL["terms"])]
    assert history(two.client_b, accepted) == [(2, b_change), (1, PROPOSAL["terms"])]
    # Phones drop exactly the other's proposals; nothing of b's unaccepted words reaches a.
    assert set(removed(two.client_a)) == {theirs["id"]}
    assert set(removed(two.client_b)) == {mine["id"]}
    reads = {
        two.client_a: [b_words, b_change, b_snoozed],
        two.client_b: [a_words],
    }
    for client, others in reads.items():
        everything = client.get(URL).content.decode()
        for path in (mine, theirs, accepted):
            response = client.get(detail(path))
            everything += response.content.decode()
            if response.status_code == 200:
                everything += client.get(detail(path, "/revisions")).content.decode()
        everything += client.get("/api/v1/notifications").content.decode()
        for words in others:
            assert words not in everything
    assert two.client_b.get(detail(mine)).status_code == 404
    assert two.client_a.get(detail(theirs)).status_code == 404
    # Kept, not changeable: there is no couple to act in any more.
    refused = error(two.client_a.post(detail(mine, "/withdraw"), {"based_on": 1}), 404)
    assert refused["code"] == "not_paired"
