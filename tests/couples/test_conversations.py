"""'Can we talk?': a gentle pause when the requester is not calm, the partner's three answers,
reminders at the chosen time, and a calm score that stays the requester's own."""

import datetime as dt
import json

import pytest

from couples.models import ConversationRequest
from nudges.models import Nudge
from tests.utils import client_for, today_for


def _at(hours: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).replace(microsecond=0).isoformat()


def _ask(client, **overrides):
    body = {
        "topic": "How we spend Sundays",
        "depth": "medium",
        "urgency": "this_week",
        "proposed_times": [_at(24), _at(48)],
        "calm_score": 4,
        **overrides,
    }
    return client.post("/api/v1/conversations", body, format="json")


def test_a_request_reaches_the_partner_without_the_calm_score(couple):
    asked = _ask(couple.client_a)
    assert asked.status_code == 201, asked.content
    assert asked.json()["calm_offer"] is None
    assert asked.json()["calm_score"] == 4
    seen = couple.client_b.get("/api/v1/conversations").json()["results"]
    assert [c["id"] for c in seen] == [asked.json()["id"]]
    assert "calm_score" not in seen[0] and "hold_until" not in seen[0]
    assert Nudge.objects.filter(recipient=couple.b, kind="conversation_request").exists()


def test_a_low_calm_score_offers_a_pause_and_a_hold_keeps_it_back(couple):
    asked = _ask(couple.client_a, calm_score=2)
    offer = asked.json()["calm_offer"]
    assert offer["suggestion"] and offer["hold_minutes_options"]
    held = _ask(couple.client_a, calm_score=1, hold_minutes=60, topic="Holidays")
    assert held.json()["status"] == "held"
    partner_sees = [
        c["topic"] for c in couple.client_b.get("/api/v1/conversations").json()["results"]
    ]
    assert partner_sees == ["How we spend Sundays"]
    assert couple.client_b.get(f"/api/v1/conversations/{held.json()['id']}").status_code == 404


def test_a_held_request_arrives_when_its_hold_ends(couple, time_machine):
    held = _ask(couple.client_a, calm_score=1, hold_minutes=30).json()
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=31))
    partner = client_for(couple.b)
    seen = partner.get(f"/api/v1/conversations/{held['id']}")
    assert seen.status_code == 200
    assert seen.json()["status"] == "pending"


def test_picking_a_time_schedules_reminders_for_both_at_that_time(couple):
    asked = _ask(couple.client_a).json()
    chosen = asked["proposed_times"][1]
    answered = couple.client_b.post(
        f"/api/v1/conversations/{asked['id']}/respond",
        {"action": "pick", "time": chosen},
        format="json",
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "scheduled"
    reminders = Nudge.objects.filter(kind="conversation_reminder", subject_id=asked["id"])
    assert {n.recipient_id for n in reminders} == {couple.a.pk, couple.b.pk}
    assert all(n.due_at == dt.datetime.fromisoformat(chosen) for n in reminders)


def test_proposing_other_times_hands_the_choice_back_to_the_requester(couple):
    asked = _ask(couple.client_a).json()
    other = _at(72)
    proposed = couple.client_b.post(
        f"/api/v1/conversations/{asked['id']}/respond",
        {"action": "propose", "times": [other]},
        format="json",
    )
    assert proposed.json()["status"] == "proposed_other"
    # The partner cannot answer their own proposal; the requester picks.
    again = couple.client_b.post(
        f"/api/v1/conversations/{asked['id']}/respond",
        {"action": "pick", "time": other},
        format="json",
    )
    assert again.status_code == 409
    picked = couple.client_a.post(
        f"/api/v1/conversations/{asked['id']}/respond",
        {"action": "pick", "time": other},
        format="json",
    )
    assert picked.json()["status"] == "scheduled"


def test_asking_for_time_and_withdrawing(couple):
    asked = _ask(couple.client_a).json()
    until = (today_for(couple.b) + dt.timedelta(days=5)).isoformat()
    paused = couple.client_b.post(
        f"/api/v1/conversations/{asked['id']}/respond",
        {"action": "ask_for_time", "until": until},
        format="json",
    )
    assert paused.json()["status"] == "time_asked"
    assert couple.client_b.post(f"/api/v1/conversations/{asked['id']}/withdraw").status_code == 404
    withdrawn = couple.client_a.post(f"/api/v1/conversations/{asked['id']}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    late = couple.client_b.post(
        f"/api/v1/conversations/{asked['id']}/respond",
        {"action": "pick", "time": asked["proposed_times"][0]},
        format="json",
    )
    assert late.status_code == 409


@pytest.mark.parametrize(
    ("overrides", "attr"),
    [
        ({"proposed_times": []}, "proposed_times"),
        ({"proposed_times": [_at(1), _at(2), _at(3), _at(4)]}, "proposed_times"),
        ({"proposed_times": [_at(-1)]}, "proposed_times"),
        ({"calm_score": 0}, "calm_score"),
        ({"calm_score": 6}, "calm_score"),
        ({"depth": "bottomless"}, "depth"),
        ({"topic": "x" * 201}, "topic"),
        ({"hold_minutes": 60 * 25}, "hold_minutes"),
    ],
)
def test_bad_requests_name_the_field(couple, overrides, attr):
    response = _ask(couple.client_a, **overrides)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"action": "pick", "time": "2030-01-01T10:00:00Z"}, "time"),
        ({"action": "ask_for_time", "until": "2001-01-01"}, "until"),
        ({"action": "ask_for_time"}, "until"),
        ({"action": "propose", "times": []}, "times"),
        ({"action": "shout"}, "action"),
    ],
)
def test_bad_answers_name_the_field(couple, body, attr):
    asked = _ask(couple.client_a).json()
    response = couple.client_b.post(
        f"/api/v1/conversations/{asked['id']}/respond", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


def test_another_couple_and_strangers_reach_no_request(couple, other_couple, stranger_client):
    asked = _ask(couple.client_a).json()
    for client in (other_couple.client_a, stranger_client):
        assert client.get(f"/api/v1/conversations/{asked['id']}").status_code == 404
        assert client.post(f"/api/v1/conversations/{asked['id']}/withdraw").status_code == 404
        respond = client.post(
            f"/api/v1/conversations/{asked['id']}/respond",
            {"action": "pick", "time": asked["proposed_times"][0]},
            format="json",
        )
        assert respond.status_code == 404
        assert client.get("/api/v1/conversations").json()["results"] == []


def test_unpaired_people_cannot_ask(stranger_client):
    assert _ask(stranger_client).status_code == 404


def test_the_calm_score_never_reaches_the_partner_anywhere(couple):
    asked = _ask(couple.client_a, calm_score=1, topic="Money worries").json()
    couple.client_b.post(
        f"/api/v1/conversations/{asked['id']}/respond",
        {"action": "pick", "time": asked["proposed_times"][0]},
        format="json",
    )
    seen = [
        couple.client_b.get("/api/v1/conversations").json(),
        couple.client_b.get(f"/api/v1/conversations/{asked['id']}").json(),
    ]
    assert '"calm_score"' not in json.dumps(seen)
    assert "calm_offer" not in json.dumps(seen)


def test_list_query_budget_does_not_grow(couple, django_assert_max_num_queries):
    for n in range(5):
        _ask(couple.client_a, topic=f"topic {n}")
    with django_assert_max_num_queries(6):
        response = couple.client_b.get("/api/v1/conversations")
    assert len(response.json()["results"]) == 5
    assert ConversationRequest.objects.count() == 5


def test_ending_the_couple_closes_open_requests_and_the_partner_loses_them(couple):
    asked = _ask(couple.client_a).json()
    couple.client_b.post("/api/v1/couple/end")
    assert couple.client_b.get(f"/api/v1/conversations/{asked['id']}").status_code == 404
    mine = couple.client_a.get(f"/api/v1/conversations/{asked['id']}").json()
    assert mine["status"] == "closed"
