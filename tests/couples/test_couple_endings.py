"""Endings are clean and kind (issue 13, items 4 and 5): after `couple/end` nothing of the
couple reaches either phone, whoever caused it (a conversation reminder has no actor), and the
partner left behind is told plainly and gently, never errored, never given a reason."""

import datetime as dt
import json

import pytest
import time_machine

from nudges.models import Nudge
from tests.factories import UserFactory
from tests.nudges.delivering import berlin, deliver_due
from tests.utils import assert_error_shape, client_for

ENDED = "Your couple in Haven has ended. What you wrote stays yours."


def _inbox(person) -> list[dict]:
    """What the person's phone shows: their inbox, newest first (a fresh sign-in each time:
    the clock moves in these tests)."""
    return client_for(person).get("/api/v1/notifications").json()["results"]


def _kinds(person) -> list[str]:
    return [n["kind"] for n in _inbox(person)]


def _couple_answer(person):
    return client_for(person).get("/api/v1/couple")


def test_after_the_couple_ends_no_conversation_reminder_reaches_either_phone(couple):
    """A "can we talk?" scheduled through the API, then `couple/end`: the reminders at the
    chosen time (no actor: Haven's own words to both) never arrive, nor anything else of the
    couple; only the partner left behind gets the gentle "ended"."""
    a, b = couple.a, couple.b
    now = berlin(2027, 5, 4, 12, 0)
    chosen = berlin(2027, 5, 5, 18, 0)
    with time_machine.travel(now, tick=False) as clock:
        asked = client_for(a).post(
            "/api/v1/conversations",
            {
                "topic": "How we spend Sundays",
                "depth": "medium",
                "urgency": "this_week",
                "proposed_times": [chosen.isoformat(), (chosen + dt.timedelta(days=1)).isoformat()],
                "calm_score": 4,
            },
            format="json",
        )
        assert asked.status_code == 201, asked.content
        request = asked.json()
        deliver_due(now)
        assert _kinds(b) == ["conversation_request"] and _kinds(a) == []

        picked = client_for(b).post(
            f"/api/v1/conversations/{request['id']}/respond",
            {"action": "pick", "time": request["proposed_times"][0]},
            format="json",
        )
        assert picked.status_code == 200, picked.content
        assert picked.json()["status"] == "scheduled"
        deliver_due(now)
        assert _kinds(a) == ["conversation_pick"] and _kinds(b) == ["conversation_request"]
        reminders = Nudge.objects.filter(kind="conversation_reminder", subject_id=request["id"])
        assert {(n.recipient_id, n.state) for n in reminders} == {
            (a.pk, "pending"),
            (b.pk, "pending"),
        }

        later = now + dt.timedelta(minutes=20)
        clock.move_to(later)
        ended = client_for(a).post("/api/v1/couple/end")
        assert ended.status_code == 200, ended.content
        deliver_due(later)
        assert _kinds(a) == ["conversation_pick"]
        assert _kinds(b) == ["couple_ended", "conversation_request"]
        assert {n.state for n in reminders.all()} == {"cancelled"}

        # At the chosen time, and after it, the delivery finds nothing of the couple.
        for moment in (chosen, chosen + dt.timedelta(minutes=1), chosen + dt.timedelta(hours=2)):
            clock.move_to(moment)
            deliver_due(moment)
            assert _kinds(a) == ["conversation_pick"]
            assert _kinds(b) == ["couple_ended", "conversation_request"]
    assert not Nudge.objects.filter(kind="conversation_reminder", state="sent").exists()


def test_a_reminder_relayed_after_the_couple_ended_is_dropped_at_delivery(couple):
    """The cancel at the end is not the only guard: a reminder whose request belongs to an
    ended couple is no longer true when it falls due (a write that raced the ending)."""
    now = berlin(2027, 5, 4, 12, 0)
    chosen = berlin(2027, 5, 4, 18, 0)
    with time_machine.travel(now, tick=False):
        request = (
            client_for(couple.a)
            .post(
                "/api/v1/conversations",
                {
                    "topic": "Holidays",
                    "depth": "light",
                    "urgency": "no_rush",
                    "proposed_times": [chosen.isoformat()],
                    "calm_score": 4,
                },
                format="json",
            )
            .json()
        )
        client_for(couple.b).post(
            f"/api/v1/conversations/{request['id']}/respond",
            {"action": "pick", "time": request["proposed_times"][0]},
            format="json",
        )
        client_for(couple.b).post("/api/v1/couple/end")
    # The race: the reminders are pending again after the ending cancelled them.
    reminders = Nudge.objects.filter(kind="conversation_reminder")
    reminders.update(state="pending")
    deliver_due(chosen)
    assert {(n.state, n.reason) for n in reminders.all()} == {("dropped", "no_longer_needed")}
    assert "conversation_reminder" not in _kinds(couple.a) + _kinds(couple.b)


def test_the_partner_left_behind_is_told_kindly_not_errored(couple):
    """Alex ends the couple late in the evening, while Robin's ping and appreciation wait out
    Robin's quiet hours. Robin's app hears at once that the couple ended, in words it can
    show as they are; Robin's inbox gets the gentle "ended" in the morning, as the first and
    only new thing, and nothing the couple had pending."""
    alex, robin = couple.a, couple.b
    never_paired = UserFactory()
    evening = berlin(2027, 5, 4, 22, 30)
    morning = berlin(2027, 5, 5, 8, 0)
    with time_machine.travel(berlin(2027, 5, 4, 12, 0), tick=False) as clock:
        client_for(alex).post("/api/v1/pings")
        deliver_due(berlin(2027, 5, 4, 12, 0))
        assert _kinds(robin) == ["ping"]

        clock.move_to(evening)
        assert client_for(alex).post("/api/v1/pings").status_code == 201
        assert (
            client_for(alex)
            .post("/api/v1/appreciations", {"text": "Thank you for today"}, format="json")
            .status_code
            == 201
        )
        deliver_due(evening)  # Robin's quiet hours: both wait for the morning
        assert _kinds(robin) == ["ping"]

        assert client_for(alex).post("/api/v1/couple/end").status_code == 200
        deliver_due(evening)

        # Robin's app: a plain, specific answer, the same on every read of the couple.
        for path in ("/api/v1/couple", "/api/v1/couple/partner"):
            body = assert_error_shape(client_for(robin).get(path), 404, "couple_ended")
            assert body["errors"][0]["detail"] == ENDED
            assert "reason" not in json.dumps(body)
        # Tapping "end" on a stale screen changes nothing: the same ended couple, no new notice.
        ended_again = client_for(robin).post("/api/v1/couple/end")
        assert ended_again.status_code == 200, ended_again.content
        assert ended_again.json()["ended_at"] is not None
        # Alex, who ended it, reads the same words; someone never paired still hears that.
        assert_error_shape(_couple_answer(alex), 404, "couple_ended")
        assert_error_shape(client_for(never_paired).get("/api/v1/couple"), 404, "not_paired")
        # Nothing reaches Robin in the night: the "ended" waits out quiet hours too.
        assert _kinds(robin) == ["ping"] and _kinds(alex) == []

        clock.move_to(morning)
        deliver_due(morning)
        deliver_due(morning + dt.timedelta(hours=1))
        inbox = _inbox(robin)
        assert [n["kind"] for n in inbox] == ["couple_ended", "ping"]
        first = inbox[0]
        assert first["read_at"] is None
        assert first["title"] == "Your couple in Haven has ended"
        assert "reason" not in json.dumps(first)
        assert _kinds(alex) == []
        assert set(
            Nudge.objects.filter(recipient=robin, kind__in=["ping", "appreciation"])
            .exclude(state="sent")
            .values_list("state", flat=True)
        ) == {"cancelled"}

        # Robin pairs again: the couple answer is the new couple.
        newcomer = UserFactory()
        code = client_for(newcomer).post("/api/v1/invites").json()["code"]
        assert client_for(robin).post(f"/api/v1/invites/{code}/accept").status_code == 201
        assert _couple_answer(robin).json()["partner"]["id"] == str(newcomer.pk)
        assert_error_shape(_couple_answer(alex), 404, "couple_ended")


@pytest.mark.parametrize("path", ["/api/v1/couple", "/api/v1/couple/partner"])
def test_someone_never_paired_is_not_told_of_an_ending(stranger_client, path):
    body = assert_error_shape(stranger_client.get(path), 404, "not_paired")
    assert body["errors"][0]["detail"] == "You are not in a couple right now."
