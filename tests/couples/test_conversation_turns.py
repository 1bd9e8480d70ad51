"""Issue 13 item 8: real turns. Whoever asks for time, the OTHER one is told; the one asked
to wait cannot pick a time inside the time asked for, but may offer times after it (heard
of when that time ends); the requester can offer other times after the partner proposed.
After every step: what each of them reads, and what reached each phone. Double taps
(item 13) answer as the first tap did."""

import datetime as dt

import pytest
from django.utils.formats import date_format

from nudges.models import Nudge
from tests.couples.talking import ask, at, inbox, later, listed, respond, talking_couple
from tests.nudges.delivering import BERLIN
from tests.utils import today_for

pytestmark = pytest.mark.django_db


def _read(client, pk: str) -> dict:
    return client.get(f"/api/v1/conversations/{pk}").json()


def test_when_the_requester_asks_for_time_the_partner_is_told_and_waits(time_machine):
    talk = talking_couple(time_machine)
    a_id, b_id = str(talk.a.pk), str(talk.b.pk)
    asked = ask(talk.client_a).json()
    pk = asked["id"]
    proposed = respond(talk.client_b, pk, action="propose", times=[at(30)])
    assert proposed.json()["status"] == "proposed_other"
    assert ("conversation_propose", pk) in inbox(talk.a)

    # The requester asks for time (three days, in their own calendar).
    until = (today_for(talk.a) + dt.timedelta(days=3)).isoformat()
    paused = respond(talk.client_a, pk, action="ask_for_time", until=until)
    assert paused.status_code == 200, paused.content
    mine = paused.json()
    assert mine["status"] == "time_asked"
    assert mine["time_asked_by_id"] == a_id and mine["time_asked_until"] == until
    assert mine["your_turn"] is True  # the one who asked holds the turn
    assert mine["actions"] == ["pick", "propose", "ask_for_time", "withdraw"]
    # The partner is told, gently; the requester is not told about their own move.
    assert ("conversation_ask_for_time", pk) in inbox(talk.b)
    assert ("conversation_ask_for_time", pk) not in inbox(talk.a)
    theirs = _read(talk.client_b, pk)
    assert theirs["status"] == "time_asked" and theirs["time_asked_by_id"] == a_id
    assert theirs["your_turn"] is False and theirs["actions"] == ["propose"]

    # The partner cannot pick a time inside the time asked for (one the requester offered)...
    inside = respond(talk.client_b, pk, action="pick", time=asked["proposed_times"][0])
    assert inside.status_code == 409
    assert inside.json()["errors"][0]["code"] == "time_asked"
    # ... nor offer one inside it ...
    early = respond(talk.client_b, pk, action="propose", times=[at(40)])
    assert early.status_code == 400
    assert early.json()["errors"][0] == {
        "code": "inside_time_asked",
        "detail": (
            "Your partner asked for time until "
            f"{date_format(dt.date.fromisoformat(until), 'DATE_FORMAT')}. Offer times after that."
        ),
        "attr": "times",
    }
    assert _read(talk.client_a, pk)["status"] == "time_asked"

    # ... but may offer times after it. The requester hears of them when their time ends.
    after = at(24 * 6)
    offered = respond(talk.client_b, pk, action="propose", times=[after])
    assert offered.status_code == 200, offered.content
    assert offered.json()["status"] == "proposed_other"
    assert offered.json()["time_asked_by_id"] == a_id  # still in force
    assert offered.json()["your_turn"] is False
    assert [k for k, s in inbox(talk.a) if s == pk].count("conversation_propose") == 1
    waiting = Nudge.objects.get(recipient=talk.a, kind="conversation_propose", state="pending")
    # Midnight after the last day asked for, in the requester's own calendar.
    ends = dt.date.fromisoformat(until) + dt.timedelta(days=1)
    assert waiting.due_at == dt.datetime.combine(ends, dt.time(), tzinfo=BERLIN)
    assert _read(talk.client_a, pk)["your_turn"] is True

    later(time_machine, talk, days=4)
    assert [k for k, s in inbox(talk.a) if s == pk].count("conversation_propose") == 2

    # The requester picks the partner's new time: scheduled, the partner told, both reminded.
    picked = respond(talk.client_a, pk, action="pick", time=after)
    assert picked.json()["status"] == "scheduled"
    assert picked.json()["time_asked_by_id"] is None
    assert ("conversation_pick", pk) in inbox(talk.b)
    assert ("conversation_pick", pk) not in inbox(talk.a)
    assert _read(talk.client_b, pk)["status"] == "scheduled"
    reminders = Nudge.objects.filter(kind="conversation_reminder", subject_id=pk)
    assert {str(n.recipient_id) for n in reminders} == {a_id, b_id}


def test_when_the_partner_asks_for_time_the_requester_may_offer_times_after_it(time_machine):
    talk = talking_couple(time_machine)
    pk = ask(talk.client_a).json()["id"]
    until = (today_for(talk.b) + dt.timedelta(days=2)).isoformat()
    paused = respond(talk.client_b, pk, action="ask_for_time", until=until)
    assert paused.json()["time_asked_by_id"] == str(talk.b.pk)
    assert ("conversation_ask_for_time", pk) in inbox(talk.a)
    assert ("conversation_ask_for_time", pk) not in inbox(talk.b)
    assert _read(talk.client_a, pk)["actions"] == ["propose", "withdraw"]

    # The requester offers other times, after the time asked for; the partner has the turn.
    inside = respond(talk.client_a, pk, action="propose", times=[at(30)])
    assert inside.status_code == 400
    assert inside.json()["errors"][0]["code"] == "inside_time_asked"
    new_time = at(24 * 5)
    offered = respond(talk.client_a, pk, action="propose", times=[new_time])
    assert offered.status_code == 200, offered.content
    assert offered.json()["status"] == "pending"
    assert offered.json()["proposed_times"] == [dt.datetime.fromisoformat(new_time).isoformat()]
    theirs = _read(talk.client_b, pk)
    assert theirs["status"] == "pending" and theirs["your_turn"] is True
    # Heard of when the time asked for ends, not during it.
    assert ("conversation_propose", pk) not in inbox(talk.b)
    later(time_machine, talk, days=3)
    assert ("conversation_propose", pk) in inbox(talk.b)

    picked = respond(talk.client_b, pk, action="pick", time=new_time)
    assert picked.json()["status"] == "scheduled"
    assert ("conversation_pick", pk) in inbox(talk.a)


def test_the_requester_can_offer_other_times_after_the_partner_proposed(time_machine):
    talk = talking_couple(time_machine)
    pk = ask(talk.client_a).json()["id"]
    respond(talk.client_b, pk, action="propose", times=[at(30)])
    mine = listed(talk.client_a)[pk]
    assert mine["your_turn"] is True
    assert mine["actions"] == ["pick", "propose", "ask_for_time", "withdraw"]

    other_time = at(54)
    offered = respond(talk.client_a, pk, action="propose", times=[other_time])
    assert offered.status_code == 200, offered.content
    assert offered.json()["status"] == "pending"
    assert offered.json()["your_turn"] is False
    theirs = _read(talk.client_b, pk)
    assert theirs["status"] == "pending" and theirs["your_turn"] is True
    assert ("conversation_propose", pk) in inbox(talk.b)
    assert [k for k, s in inbox(talk.a) if s == pk] == ["conversation_propose"]
    # The partner picks one of the requester's new times (not their own earlier one).
    own = respond(talk.client_b, pk, action="pick", time=at(30))
    assert own.status_code == 400
    assert own.json()["errors"][0]["code"] == "time_not_offered"
    picked = respond(talk.client_b, pk, action="pick", time=other_time)
    assert picked.json()["status"] == "scheduled"
    assert ("conversation_pick", pk) in inbox(talk.a)


def test_the_one_who_asked_for_time_may_end_it_early(time_machine):
    talk = talking_couple(time_machine)
    asked = ask(talk.client_a).json()
    until = (today_for(talk.b) + dt.timedelta(days=4)).isoformat()
    respond(talk.client_b, asked["id"], action="ask_for_time", until=until)
    picked = respond(talk.client_b, asked["id"], action="pick", time=asked["proposed_times"][0])
    assert picked.status_code == 200
    assert picked.json()["status"] == "scheduled"
    assert picked.json()["time_asked_until"] is None


def test_a_scheduled_request_takes_no_more_answers(time_machine):
    talk = talking_couple(time_machine)
    asked = ask(talk.client_a).json()
    respond(talk.client_b, asked["id"], action="pick", time=asked["proposed_times"][0])
    for client in (talk.client_a, talk.client_b):
        response = respond(client, asked["id"], action="propose", times=[at(80)])
        assert response.status_code == 409
        assert response.json()["errors"][0]["code"] == "conversation_not_open"


@pytest.mark.parametrize("answer", ["pick", "propose", "ask_for_time"])
def test_a_repeated_answer_answers_as_the_first_did(time_machine, answer):
    talk = talking_couple(time_machine)
    asked = ask(talk.client_a).json()
    body = {
        "pick": {"time": asked["proposed_times"][0]},
        "propose": {"times": [at(70), at(50)]},
        "ask_for_time": {"until": (today_for(talk.b) + dt.timedelta(days=2)).isoformat()},
    }[answer]
    first = respond(talk.client_b, asked["id"], action=answer, **body)
    assert first.status_code == 200, first.content
    told = inbox(talk.a)
    again = respond(talk.client_b, asked["id"], action=answer, **body)
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert inbox(talk.a) == told
