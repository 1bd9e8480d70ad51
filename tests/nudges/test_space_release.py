"""Ending space early releases what waited (issue 13, item 6): what the partner sent while
someone took space is due the moment the space ends, early or on time (quiet hours still
apply), and several of one kind from one person arrive as ONE notification in words that
never count ("Alex thought of you while you had space")."""

import datetime as dt
import re

import pytest
import time_machine

from nudges.inbox import nudges_deliver
from nudges.models import Delivery, Notification, Nudge
from tests.factories import pair
from tests.nudges.delivering import berlin, deliver_due
from tests.utils import client_for

pytestmark = pytest.mark.django_db

THOUGHT_OF_YOU = "%s thought of you while you had space. No reply needed."
APPRECIATED = "%s sent you appreciation while you had space. Read it whenever you like."


def _inbox(person) -> list[dict]:
    return client_for(person).get("/api/v1/notifications").json()["results"]


def _pings_and_an_appreciation_while_away(alex, robin, at: dt.datetime, pings: int = 5) -> None:
    """Alex, through the app, a few minutes apart: pings and one appreciation. Each is
    delivered as a worker would, and waits: Robin is taking space."""
    for n in range(pings):
        moment = at + dt.timedelta(minutes=5 * n)
        with time_machine.travel(moment, tick=False):
            assert client_for(alex).post("/api/v1/pings").status_code == 201
            deliver_due(moment)
    moment = at + dt.timedelta(minutes=5 * pings)
    with time_machine.travel(moment, tick=False):
        sent = client_for(alex).post(
            "/api/v1/appreciations", {"text": "Thank you for the soup"}, format="json"
        )
        assert sent.status_code == 201
        deliver_due(moment)
        assert _inbox(robin) == []
        assert set(Nudge.objects.filter(recipient=robin).values_list("reason", flat=True)) == {
            "taking_space"
        }
        # Alex sees plainly that Robin is taking space; nothing says what waits.
        assert client_for(alex).get("/api/v1/couple").json()["partner_space"] is not None


def test_ending_space_early_releases_what_waited_as_one_per_kind():
    _, alex, robin = pair()
    morning = berlin(2027, 5, 4, 9, 0)
    with time_machine.travel(morning, tick=False):
        taken = client_for(robin).post(
            "/api/v1/couple/space", {"ends_at": berlin(2027, 5, 4, 20, 0).isoformat()}
        )
        assert taken.status_code == 201, taken.content
    _pings_and_an_appreciation_while_away(alex, robin, berlin(2027, 5, 4, 10, 0))

    back = berlin(2027, 5, 4, 11, 0)  # nine hours before the space's end
    with time_machine.travel(back, tick=False):
        assert client_for(robin).delete("/api/v1/couple/space").status_code == 204
        deliver_due(back)
        inbox = _inbox(robin)
        assert sorted((n["kind"], n["title"], n["body"]) for n in inbox) == [
            ("appreciation", "A little appreciation", APPRECIATED % alex.display_name),
            ("ping", "Thinking of you", THOUGHT_OF_YOU % alex.display_name),
        ]
        assert not any(re.search(r"\d", n["title"] + n["body"]) for n in inbox)  # no count
        # All five pings are there to read, and were all delivered, inside one notification.
        assert len(client_for(robin).get("/api/v1/pings").json()["results"]) == 5
        pings = Nudge.objects.filter(recipient=robin, kind="ping")
        assert sorted(pings.values_list("state", "reason")) == [
            ("sent", "allowed"),
            *[("sent", "arrived_as_one")] * 4,
        ]
        # One email copy per notification, not per ping.
        assert Delivery.objects.filter(nudge__recipient=robin, channel="email").count() == 2
        # Alex hears, gently, that Robin is back; nothing about what was read.
        assert [n["kind"] for n in _inbox(alex)] == ["partner_back_from_space"]
        assert client_for(alex).get("/api/v1/couple").json()["partner_space"] is None

    # The space's old end comes and goes: nothing more arrives.
    deliver_due(berlin(2027, 5, 4, 20, 0))
    assert Notification.objects.filter(recipient=robin).count() == 2


def test_a_ping_after_the_space_ended_arrives_in_the_usual_words():
    _, alex, robin = pair()
    with time_machine.travel(berlin(2027, 5, 4, 9, 0), tick=False):
        client_for(robin).post(
            "/api/v1/couple/space", {"ends_at": berlin(2027, 5, 4, 20, 0).isoformat()}
        )
    _pings_and_an_appreciation_while_away(alex, robin, berlin(2027, 5, 4, 10, 0), pings=2)
    back = berlin(2027, 5, 4, 11, 0)
    with time_machine.travel(back, tick=False):
        client_for(robin).delete("/api/v1/couple/space")
        deliver_due(back)
    later = berlin(2027, 5, 4, 12, 0)
    with time_machine.travel(later, tick=False):
        client_for(alex).post("/api/v1/pings")
        deliver_due(later)
        newest = _inbox(robin)[0]
    assert (newest["kind"], newest["body"]) == (
        "ping",
        f"{alex.display_name} is thinking of you. No reply needed.",
    )
    assert Notification.objects.filter(recipient=robin, kind="ping").count() == 2


def test_space_ended_early_in_quiet_hours_releases_what_waited_in_the_morning():
    """Quiet hours still apply: released at 23:30, it all arrives at 08:00, as one per
    kind, not at the space's old end (noon) and not in the night."""
    _, alex, robin = pair()
    with time_machine.travel(berlin(2027, 5, 4, 19, 0), tick=False):
        client_for(robin).post(
            "/api/v1/couple/space", {"ends_at": berlin(2027, 5, 5, 12, 0).isoformat()}
        )
    _pings_and_an_appreciation_while_away(alex, robin, berlin(2027, 5, 4, 20, 0), pings=3)

    back = berlin(2027, 5, 4, 23, 30)
    with time_machine.travel(back, tick=False):
        assert client_for(robin).delete("/api/v1/couple/space").status_code == 204
        deliver_due(back)
        assert _inbox(robin) == []
    waiting = Nudge.objects.filter(recipient=robin, state="pending")
    assert {(n.reason, n.due_at) for n in waiting} == {("quiet_time", berlin(2027, 5, 5, 8, 0))}

    deliver_due(berlin(2027, 5, 5, 8, 0))
    with time_machine.travel(berlin(2027, 5, 5, 8, 1), tick=False):
        assert sorted(n["body"] for n in _inbox(robin)) == [
            APPRECIATED % alex.display_name,
            THOUGHT_OF_YOU % alex.display_name,
        ]


def test_space_that_ends_on_time_delivers_what_waited_as_one():
    _, alex, robin = pair()
    with time_machine.travel(berlin(2027, 5, 4, 9, 0), tick=False):
        client_for(robin).post(
            "/api/v1/couple/space", {"ends_at": berlin(2027, 5, 4, 15, 0).isoformat()}
        )
    _pings_and_an_appreciation_while_away(alex, robin, berlin(2027, 5, 4, 10, 0), pings=4)
    assert deliver_due(berlin(2027, 5, 4, 14, 59)) == {}  # still away
    outcome = deliver_due(berlin(2027, 5, 4, 15, 0))
    assert outcome == {"sent": 2, "arrived_as_one": 3}
    with time_machine.travel(berlin(2027, 5, 4, 15, 1), tick=False):
        assert sorted(n["kind"] for n in _inbox(robin)) == ["appreciation", "ping"]


def test_what_waited_together_arrives_as_one_however_the_tasks_split_it():
    """Workers get ids in batches: a batch holding one of the pings that waited takes the
    others with it, and a later batch with the rest finds them delivered."""
    _, alex, robin = pair()
    with time_machine.travel(berlin(2027, 5, 4, 9, 0), tick=False):
        client_for(robin).post(
            "/api/v1/couple/space", {"ends_at": berlin(2027, 5, 4, 15, 0).isoformat()}
        )
    _pings_and_an_appreciation_while_away(alex, robin, berlin(2027, 5, 4, 10, 0), pings=3)
    first, *rest = Nudge.objects.filter(recipient=robin, kind="ping").order_by("created_at")
    end = berlin(2027, 5, 4, 15, 0)
    assert nudges_deliver([first.pk], now=end) == {"sent": 1, "arrived_as_one": 2}
    assert nudges_deliver([n.pk for n in rest], now=end) == {}
    assert Notification.objects.filter(recipient=robin, kind="ping").count() == 1
    assert Notification.objects.get(recipient=robin, kind="ping").nudge_id == first.pk
