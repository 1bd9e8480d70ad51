"""Issue 13 item 9: calm first. A request waits with its author as a draft (a low calm score
and no choice, or "hold until I confirm") or on a timer they chose (held): when the timer
ends they alone are asked once, gently, whether they still want to send it, and it stays
with them until they answer; unconfirmed for a week, it is let go. Only the author's send
reaches the partner, and then both read `pending`. `"send_now": true` sends at once, as
before. After every step: what each of them reads, and what reached each phone."""

import datetime as dt

import pytest

from couples.models import ConversationRequest
from couples.services.conversations import conversations_expire_unsent
from couples.tasks import expire_unsent_conversations
from nudges.models import Nudge
from tests.couples.talking import ask, inbox, inbox_bodies, later, listed, move, talking_couple

pytestmark = pytest.mark.django_db


def when(stamp: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(stamp) if stamp else None


def _partner_never_saw(talk, pk: str) -> None:
    assert pk not in listed(talk.client_b)
    assert talk.client_b.get(f"/api/v1/conversations/{pk}").status_code == 404
    assert all(subject != pk for _, subject in inbox(talk.b))


def test_a_low_calm_score_keeps_a_draft_with_its_author_until_they_send_it(time_machine):
    talk = talking_couple(time_machine)
    planted = "PLANTED-draft-topic-9930"
    written = ask(talk.client_a, calm_score=1, topic=planted)
    assert written.status_code == 201, written.content
    draft = written.json()
    pk = draft["id"]
    assert draft["status"] == "draft"
    assert draft["calm_offer"]["hold_minutes_options"] == [30, 60, 120, 240]
    assert draft["actions"] == ["send", "hold", "discard"]
    assert draft["sent_at"] is None
    assert when(draft["expires_at"]) == when("2027-03-17T11:00:00Z")  # a week from now
    assert listed(talk.client_a)[pk]["status"] == "draft"
    _partner_never_saw(talk, pk)
    assert planted not in inbox_bodies(talk.b)
    assert inbox(talk.a) == []

    later(time_machine, talk, minutes=20)
    sent = move(talk.client_a, pk, "send")
    assert sent.status_code == 200, sent.content
    mine = sent.json()
    assert mine["status"] == "pending" and when(mine["sent_at"]) == when("2027-03-10T11:20:00Z")
    assert mine["actions"] == ["propose", "withdraw"]
    # Each reads the status true for them, which is now the same.
    assert listed(talk.client_a)[pk]["status"] == "pending"
    theirs = talk.client_b.get(f"/api/v1/conversations/{pk}").json()
    assert theirs["status"] == "pending" and theirs["your_turn"] is True
    # When it was written (and so that it waited) stays with its author.
    assert theirs["created_at"] == theirs["sent_at"]
    assert when(theirs["sent_at"]) == when("2027-03-10T11:20:00Z")
    assert "expires_at" not in theirs and "calm_score" not in theirs
    assert inbox(talk.b) == [("conversation_request", pk)]
    assert inbox(talk.a) == []
    # A double tap on send answers as the first did, and tells nobody twice.
    again = move(talk.client_a, pk, "send")
    assert again.status_code == 200 and again.json() == sent.json()
    assert inbox(talk.b) == [("conversation_request", pk)]


def test_a_held_request_asks_its_author_once_and_never_goes_by_itself(time_machine):
    talk = talking_couple(time_machine)
    held = ask(talk.client_a, calm_score=2, hold_minutes=30).json()
    pk = held["id"]
    assert held["status"] == "held" and held["calm_offer"] is None
    assert when(held["hold_until"]) == when("2027-03-10T11:30:00Z")
    assert held["actions"] == ["send", "hold", "discard"]
    _partner_never_saw(talk, pk)

    # The timer ends: the author alone gets one gentle question; nothing reaches the partner.
    later(time_machine, talk, minutes=31)
    assert inbox(talk.a) == [("conversation_hold_ended", pk)]
    assert "Still want to send it?" in inbox_bodies(talk.a)
    assert listed(talk.client_a)[pk]["status"] == "held"
    _partner_never_saw(talk, pk)
    # It stays with them until they answer, and they are not asked again.
    later(time_machine, talk, hours=5)
    assert inbox(talk.a) == [("conversation_hold_ended", pk)]
    assert talk.client_a.get(f"/api/v1/conversations/{pk}").json()["status"] == "held"
    _partner_never_saw(talk, pk)

    sent = move(talk.client_a, pk, "send")
    assert sent.json()["status"] == "pending"
    assert talk.client_b.get(f"/api/v1/conversations/{pk}").json()["status"] == "pending"
    assert inbox(talk.b) == [("conversation_request", pk)]
    assert inbox(talk.a) == [("conversation_hold_ended", pk)]


def test_sending_before_the_timer_ends_cancels_the_authors_question(time_machine):
    talk = talking_couple(time_machine)
    pk = ask(talk.client_a, hold_minutes=60).json()["id"]
    move(talk.client_a, pk, "send")
    later(time_machine, talk, hours=2)
    assert inbox(talk.a) == []
    assert inbox(talk.b) == [("conversation_request", pk)]
    assert Nudge.objects.get(kind="conversation_hold_ended").state == Nudge.State.CANCELLED


def test_the_calm_offer_puts_a_draft_on_a_timer(time_machine):
    talk = talking_couple(time_machine)
    pk = ask(talk.client_a, calm_score=1).json()["id"]
    held = move(talk.client_a, pk, "hold", hold_minutes=60)
    assert held.status_code == 200, held.content
    assert held.json()["status"] == "held"
    assert when(held.json()["hold_until"]) == when("2027-03-10T12:00:00Z")
    # A double tap is the same hold.
    again = move(talk.client_a, pk, "hold", hold_minutes=60)
    assert again.status_code == 200 and again.json() == held.json()
    assert Nudge.objects.filter(kind="conversation_hold_ended", subject_id=pk).count() == 1
    bad = move(talk.client_a, pk, "hold", hold_minutes=60 * 25)
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "hold_minutes"
    later(time_machine, talk, minutes=61)
    assert inbox(talk.a) == [("conversation_hold_ended", pk)]
    _partner_never_saw(talk, pk)


def test_hold_until_i_confirm_and_letting_it_go(time_machine):
    talk = talking_couple(time_machine)
    draft = ask(talk.client_a, calm_score=5, hold_until_confirmed=True).json()
    pk = draft["id"]
    assert draft["status"] == "draft" and draft["calm_offer"] is None
    discarded = move(talk.client_a, pk, "discard")
    assert discarded.status_code == 200
    assert discarded.json()["status"] == "discarded" and discarded.json()["actions"] == []
    again = move(talk.client_a, pk, "discard")
    assert again.status_code == 200 and again.json() == discarded.json()
    late = move(talk.client_a, pk, "send")
    assert late.status_code == 409
    assert late.json()["errors"][0]["code"] == "conversation_not_open"
    assert listed(talk.client_a)[pk]["status"] == "discarded"
    _partner_never_saw(talk, pk)
    assert inbox(talk.a) == []


def test_a_sent_request_is_withdrawn_not_discarded(time_machine):
    talk = talking_couple(time_machine)
    pk = ask(talk.client_a).json()["id"]
    for action, body in (("discard", {}), ("hold", {"hold_minutes": 30})):
        refused = move(talk.client_a, pk, action, **body)
        assert refused.status_code == 409
        assert refused.json()["errors"][0]["code"] == "conversation_sent"
    draft = ask(talk.client_a, hold_until_confirmed=True).json()["id"]
    refused = move(talk.client_a, draft, "withdraw")
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "conversation_not_sent"
    answer = talk.client_a.post(
        f"/api/v1/conversations/{draft}/respond",
        {"action": "propose", "times": ["2027-03-20T10:00:00Z"]},
        format="json",
    )
    assert answer.status_code == 409
    assert answer.json()["errors"][0]["code"] == "conversation_not_sent"


def test_send_now_keeps_todays_behaviour_whatever_the_calm_score(time_machine):
    talk = talking_couple(time_machine)
    sent = ask(talk.client_a, calm_score=1, send_now=True).json()
    assert sent["status"] == "pending" and sent["calm_offer"] is None
    assert when(sent["sent_at"]) == when("2027-03-10T11:00:00Z")
    assert listed(talk.client_b)[sent["id"]]["status"] == "pending"
    assert inbox(talk.b) == [("conversation_request", sent["id"])]


def test_what_nobody_confirms_for_a_week_is_let_go_quietly(time_machine):
    talk = talking_couple(time_machine)
    draft = ask(talk.client_a, calm_score=1).json()["id"]
    held = ask(talk.client_a, hold_minutes=24 * 60, topic="Held").json()["id"]
    sent = ask(talk.client_a, topic="Sent").json()["id"]
    later(time_machine, talk, days=6, hours=23)
    assert inbox(talk.a) == [("conversation_hold_ended", held)]
    assert expire_unsent_conversations() == 0  # the beat task, called as the worker would
    later(time_machine, talk, hours=2)
    # Before the task runs, a late send is refused gently, not delivered.
    late = move(talk.client_a, draft, "send")
    assert late.status_code == 409
    assert late.json()["errors"][0]["code"] == "conversation_expired"
    assert expire_unsent_conversations() == 2
    assert conversations_expire_unsent() == 0  # safe to run twice
    mine = listed(talk.client_a)
    assert {pk: mine[pk]["status"] for pk in (draft, held, sent)} == {
        draft: "expired",
        held: "expired",
        sent: "pending",
    }
    assert mine[draft]["actions"] == [] and mine[draft]["expires_at"] is None
    assert set(listed(talk.client_b)) == {sent}
    assert [kind for kind, _ in inbox(talk.a)] == ["conversation_hold_ended"]
    assert inbox(talk.b) == [("conversation_request", sent)]
    refused = move(talk.client_a, held, "send")
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "conversation_not_open"


def test_the_weekly_let_go_cancels_a_question_still_waiting(time_machine):
    talk = talking_couple(time_machine)
    pk = ask(talk.client_a, hold_minutes=60).json()["id"]
    # The author took space: their question waits, held, past the week.
    Nudge.objects.filter(kind="conversation_hold_ended").update(
        due_at=dt.datetime(2027, 3, 20, 11, 0, tzinfo=dt.UTC)
    )
    later(time_machine, talk, days=8)
    conversations_expire_unsent()
    assert ConversationRequest.objects.get(pk=pk).status == "expired"
    assert Nudge.objects.get(kind="conversation_hold_ended").state == Nudge.State.CANCELLED
