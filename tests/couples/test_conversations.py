"""'Can we talk?': a request reaches the partner without the calm score, the partner's three
answers, reminders at the chosen time, a withdrawal that leaves the partner's view (issue 13
item 10), gentle notes about space and alone time (item 11), and an ending that closes every
request (item 4). Drafts and holds: test_conversation_drafts.py; turns:
test_conversation_turns.py; the table itself: test_conversation_states.py."""

import datetime as dt
import json

import pytest

from accounts.models import Preferences
from couples.models import ConversationRequest, SpacePeriod
from nudges.models import Nudge
from tests.couples.talking import (
    ask,
    at,
    inbox,
    inbox_bodies,
    listed,
    move,
    respond,
    talking_couple,
)
from tests.utils import client_for, today_for

pytestmark = pytest.mark.django_db


def _ask(client, **overrides):
    return ask(client, **overrides)


def test_a_request_reaches_the_partner_without_the_calm_score(couple):
    asked = _ask(couple.client_a)
    assert asked.status_code == 201, asked.content
    assert asked.json()["calm_offer"] is None
    assert asked.json()["calm_score"] == 4
    assert asked.json()["status"] == "pending"
    assert asked.json()["actions"] == ["propose", "withdraw"]
    seen = couple.client_b.get("/api/v1/conversations").json()["results"]
    assert [c["id"] for c in seen] == [asked.json()["id"]]
    assert "calm_score" not in seen[0] and "hold_until" not in seen[0]
    assert seen[0]["status"] == "pending" and seen[0]["your_turn"] is True
    assert seen[0]["actions"] == ["pick", "propose", "ask_for_time"]
    assert Nudge.objects.filter(recipient=couple.b, kind="conversation_request").exists()


def test_a_low_calm_score_offers_a_pause_and_keeps_it_with_its_author(couple):
    # Issue 13 item 9 changes this: a low score with no choice is a draft (it used to go).
    asked = _ask(couple.client_a, calm_score=2)
    assert asked.json()["status"] == "draft"
    offer = asked.json()["calm_offer"]
    assert offer["suggestion"] and offer["hold_minutes_options"]
    held = _ask(couple.client_a, calm_score=1, hold_minutes=60, topic="Holidays")
    assert held.json()["status"] == "held"
    assert couple.client_b.get("/api/v1/conversations").json()["results"] == []
    for pk in (asked.json()["id"], held.json()["id"]):
        assert couple.client_b.get(f"/api/v1/conversations/{pk}").status_code == 404
    assert not Nudge.objects.filter(recipient=couple.b).exists()


def test_picking_a_time_schedules_reminders_for_both_at_that_time(couple):
    asked = _ask(couple.client_a).json()
    chosen = asked["proposed_times"][1]
    answered = respond(couple.client_b, asked["id"], action="pick", time=chosen)
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "scheduled"
    assert answered.json()["notes"] == []
    reminders = Nudge.objects.filter(kind="conversation_reminder", subject_id=asked["id"])
    assert {n.recipient_id for n in reminders} == {couple.a.pk, couple.b.pk}
    assert all(n.due_at == dt.datetime.fromisoformat(chosen) for n in reminders)
    assert couple.client_a.get(f"/api/v1/conversations/{asked['id']}").json()["status"] == (
        "scheduled"
    )


def test_proposing_other_times_hands_the_choice_back_to_the_requester(couple):
    asked = _ask(couple.client_a).json()
    other = at(72)
    proposed = respond(couple.client_b, asked["id"], action="propose", times=[other])
    assert proposed.json()["status"] == "proposed_other"
    assert proposed.json()["your_turn"] is False
    # The partner cannot answer their own proposal; the requester picks.
    again = respond(couple.client_b, asked["id"], action="pick", time=other)
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "not_your_turn"
    picked = respond(couple.client_a, asked["id"], action="pick", time=other)
    assert picked.json()["status"] == "scheduled"


def test_asking_for_time_and_withdrawing(couple):
    asked = _ask(couple.client_a).json()
    until = (today_for(couple.b) + dt.timedelta(days=5)).isoformat()
    paused = respond(couple.client_b, asked["id"], action="ask_for_time", until=until)
    assert paused.json()["status"] == "time_asked"
    assert paused.json()["time_asked_by_id"] == str(couple.b.pk)
    assert couple.client_b.post(f"/api/v1/conversations/{asked['id']}/withdraw").status_code == 404
    withdrawn = couple.client_a.post(f"/api/v1/conversations/{asked['id']}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    # Issue 13 item 10: withdrawn is gone from the partner's view (it used to answer 409).
    late = respond(couple.client_b, asked["id"], action="pick", time=asked["proposed_times"][0])
    assert late.status_code == 404


@pytest.mark.parametrize(
    ("overrides", "attr"),
    [
        ({"proposed_times": []}, "proposed_times"),
        ({"proposed_times": [at(1), at(2), at(3), at(4)]}, "proposed_times"),
        ({"proposed_times": [at(-1)]}, "proposed_times"),
        ({"calm_score": 0}, "calm_score"),
        ({"calm_score": 6}, "calm_score"),
        ({"depth": "bottomless"}, "depth"),
        ({"topic": "x" * 201}, "topic"),
        ({"hold_minutes": 60 * 25}, "hold_minutes"),
        ({"send_now": True, "hold_minutes": 30}, "send_now"),
        ({"send_now": True, "hold_until_confirmed": True}, "send_now"),
        ({"send_now": "maybe"}, "send_now"),
    ],
)
def test_bad_requests_name_the_field(couple, overrides, attr):
    response = _ask(couple.client_a, **overrides)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr
    assert not ConversationRequest.objects.exists()


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
    draft = _ask(couple.client_a, hold_until_confirmed=True).json()
    for client in (other_couple.client_a, stranger_client):
        for pk in (asked["id"], draft["id"]):
            assert client.get(f"/api/v1/conversations/{pk}").status_code == 404
            for action in ("withdraw", "send", "discard"):
                assert move(client, pk, action).status_code == 404
            assert move(client, pk, "hold", hold_minutes=30).status_code == 404
            respond_ = respond(client, pk, action="pick", time=asked["proposed_times"][0])
            assert respond_.status_code == 404
        assert client.get("/api/v1/conversations").json()["results"] == []
    assert ConversationRequest.objects.get(pk=draft["id"]).status == "draft"
    assert ConversationRequest.objects.get(pk=asked["id"]).status == "pending"


def test_the_authors_own_moves_are_not_the_partners(couple):
    asked = _ask(couple.client_a).json()
    for action in ("withdraw", "send", "discard"):
        assert move(couple.client_b, asked["id"], action).status_code == 404
    assert move(couple.client_b, asked["id"], "hold", hold_minutes=30).status_code == 404
    assert couple.client_b.get(f"/api/v1/conversations/{asked['id']}").json()["status"] == (
        "pending"
    )


def test_unpaired_people_cannot_ask(stranger_client):
    assert _ask(stranger_client).status_code == 404


def test_the_calm_score_never_reaches_the_partner_anywhere(couple):
    asked = _ask(couple.client_a, calm_score=1, topic="Money worries", send_now=True).json()
    respond(couple.client_b, asked["id"], action="pick", time=asked["proposed_times"][0])
    seen = [
        couple.client_b.get("/api/v1/conversations").json(),
        couple.client_b.get(f"/api/v1/conversations/{asked['id']}").json(),
    ]
    assert '"calm_score"' not in json.dumps(seen)
    assert "calm_offer" not in json.dumps(seen)
    assert '"expires_at"' not in json.dumps(seen)


def test_list_query_budget_does_not_grow(couple, django_assert_max_num_queries):
    for n in range(5):
        _ask(couple.client_a, topic=f"topic {n}")
    with django_assert_max_num_queries(6):
        response = couple.client_b.get("/api/v1/conversations")
    assert len(response.json()["results"]) == 5
    with django_assert_max_num_queries(6):
        mine = couple.client_a.get("/api/v1/conversations")
    assert len(mine.json()["results"]) == 5


# --- Item 10: withdrawn means gone from the partner's view -----------------------------------


def test_a_withdrawn_request_leaves_the_partners_view_and_phone_for_good(time_machine):
    talk = talking_couple(time_machine)
    since = dt.datetime.now(dt.UTC).isoformat()
    planted = "PLANTED-hard-moment-topic-4471"
    asked = ask(talk.client_a, topic=planted).json()
    # Before: both see it, the partner was told.
    assert listed(talk.client_b)[asked["id"]]["topic"] == planted
    assert ("conversation_request", asked["id"]) in inbox(talk.b)

    first = move(talk.client_a, asked["id"], "withdraw")
    assert first.status_code == 200 and first.json()["status"] == "withdrawn"
    # The author keeps it, withdrawn, with its topic.
    assert listed(talk.client_a)[asked["id"]]["status"] == "withdrawn"
    assert talk.client_a.get(f"/api/v1/conversations/{asked['id']}").json()["topic"] == planted
    # The partner: absent from the list and the detail, and their phone drops it.
    assert asked["id"] not in listed(talk.client_b)
    assert talk.client_b.get(f"/api/v1/conversations/{asked['id']}").status_code == 404
    synced = talk.client_b.get("/api/v1/conversations", {"updated_since": since}).json()
    assert synced["removed"] == [asked["id"]]
    assert synced["results"] == []
    reads = [
        talk.client_b.get("/api/v1/conversations").json(),
        synced,
        talk.client_b.get("/api/v1/notifications").json(),
    ]
    assert planted not in json.dumps(reads)
    assert planted not in inbox_bodies(talk.b)
    # A double tap answers as the first withdrawal did, and tells nobody anything new.
    again = move(talk.client_a, asked["id"], "withdraw")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert inbox(talk.a) == []
    assert inbox(talk.b) == [("conversation_request", asked["id"])]


def test_withdrawing_a_scheduled_request_cancels_both_reminders(couple):
    asked = _ask(couple.client_a).json()
    respond(couple.client_b, asked["id"], action="pick", time=asked["proposed_times"][0])
    move(couple.client_a, asked["id"], "withdraw")
    reminders = Nudge.objects.filter(kind="conversation_reminder", subject_id=asked["id"])
    assert {n.state for n in reminders} == {Nudge.State.CANCELLED}
    assert couple.client_b.get("/api/v1/conversations").json()["results"] == []


# --- Item 11: times in the partner's space or alone time: told gently, not refused -----------


def test_times_in_the_partners_space_are_accepted_with_a_gentle_note(time_machine):
    talk = talking_couple(time_machine)
    space = talk.client_b.post(
        "/api/v1/couple/space", {"ends_at": at(30), "reassurance": "recharging"}, format="json"
    )
    assert space.status_code == 201, space.content
    during, after = at(24), at(48)
    asked = ask(talk.client_a, proposed_times=[during, after])
    assert asked.status_code == 201
    body = asked.json()
    assert body["status"] == "pending"  # accepted, not refused
    assert [note["code"] for note in body["notes"]] == ["partner_space"]
    assert body["notes"][0]["times"] == [dt.datetime.fromisoformat(during).isoformat()]
    assert "space" in body["notes"][0]["message"]
    # The partner reads the request as ever; the note was for the requester alone.
    seen = talk.client_b.get(f"/api/v1/conversations/{body['id']}").json()
    assert "notes" not in seen
    assert seen["proposed_times"] == body["proposed_times"]


def test_times_in_shared_alone_time_get_a_note_in_the_partners_own_time_zone(time_machine):
    talk = talking_couple(time_machine)
    talk.b.time_zone = "America/New_York"
    talk.b.save(update_fields=["time_zone"])
    # Thursday 07:00-09:00 in New York is 12:00-14:00 in UTC (and in March 2027, 13:00 in
    # Berlin, where the requester lives).
    Preferences.objects.create(
        user=talk.b, alone_time_windows=[{"weekday": 3, "start": "07:00", "end": "09:00"}]
    )
    inside = "2027-03-11T12:30:00+00:00"
    outside = "2027-03-11T15:00:00+00:00"
    asked = ask(talk.client_a, proposed_times=[inside, outside]).json()
    assert [note["code"] for note in asked["notes"]] == ["partner_alone_time"]
    assert asked["notes"][0]["times"] == [inside]
    # Once the partner stops sharing their preferences, nothing about them is told.
    Preferences.objects.filter(user=talk.b).update(shared_with_partner=False)
    again = ask(talk.client_a, proposed_times=[inside], topic="Another").json()
    assert again["status"] == "pending"
    assert again["notes"] == []


def test_the_partners_proposal_gets_the_same_notes_about_the_requester(time_machine):
    talk = talking_couple(time_machine)
    asked = ask(talk.client_a).json()
    talk.client_a.post("/api/v1/couple/space", {"ends_at": at(30)}, format="json")
    proposed = respond(talk.client_b, asked["id"], action="propose", times=[at(26), at(50)])
    assert proposed.status_code == 200
    assert [note["code"] for note in proposed.json()["notes"]] == ["partner_space"]
    assert proposed.json()["notes"][0]["times"] == [dt.datetime.fromisoformat(at(26)).isoformat()]


# --- Item 4: after couple/end every request not over closes, scheduled ones too --------------


def test_ending_the_couple_closes_every_request_and_both_reminders(time_machine):
    talk = talking_couple(time_machine)
    open_ = ask(talk.client_a).json()
    scheduled = ask(talk.client_a, topic="Sunday plans").json()
    respond(talk.client_b, scheduled["id"], action="pick", time=scheduled["proposed_times"][0])
    draft = ask(talk.client_b, hold_until_confirmed=True, topic="Later").json()
    held = ask(talk.client_b, hold_minutes=60, topic="Held").json()
    withdrawn = ask(talk.client_a, topic="Never mind").json()
    move(talk.client_a, withdrawn["id"], "withdraw")

    assert talk.client_b.post("/api/v1/couple/end").status_code in (200, 204)

    mine_a = listed(talk.client_a)
    assert {pk: c["status"] for pk, c in mine_a.items()} == {
        open_["id"]: "closed",
        scheduled["id"]: "closed",
        withdrawn["id"]: "withdrawn",
    }
    assert all(c["actions"] == [] for c in mine_a.values())
    mine_b = listed(talk.client_b)
    assert {pk: c["status"] for pk, c in mine_b.items()} == {
        draft["id"]: "closed",
        held["id"]: "closed",
    }
    for pk in (open_["id"], scheduled["id"]):
        assert talk.client_b.get(f"/api/v1/conversations/{pk}").status_code == 404
    # No reminder of the chosen time, nor the held one's question, reaches either phone.
    pending = Nudge.objects.filter(
        state=Nudge.State.PENDING,
        subject_id__in=[open_["id"], scheduled["id"], draft["id"], held["id"]],
    )
    assert not pending.exists()
    time_machine.move_to(dt.datetime.fromisoformat(scheduled["proposed_times"][0]), tick=False)
    for person in (talk.a, talk.b):
        kinds = {kind for kind, _ in inbox(person)}
        assert not kinds & {"conversation_reminder", "conversation_hold_ended"}, kinds
    # The closed ones cannot be moved on.
    closed = move(client_for(talk.a), open_["id"], "withdraw")
    assert closed.status_code == 409
    assert closed.json()["errors"][0]["code"] == "conversation_not_open"


def test_a_space_started_by_the_requester_is_never_a_note_about_the_partner(time_machine):
    talk = talking_couple(time_machine)
    SpacePeriod.objects.create(
        user=talk.a, couple=talk.couple, ends_at=dt.datetime.fromisoformat(at(30))
    )
    asked = ask(talk.client_a, proposed_times=[at(24)]).json()
    assert asked["notes"] == []
