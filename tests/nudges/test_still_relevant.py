"""Nothing stale (issue 13, item 7): a relayed nudge that waited (quiet hours, space) is
checked just before delivery, like Haven's own reminders; what it announces may have been
answered, withdrawn, retired or ended with the couple meanwhile. Only what is still true
arrives. The checks are registered by the app that owns each kind, one query per kind."""

import datetime as dt

import pytest
import time_machine

from couples.models import AgreementRevision, Ping
from nudges.inbox import nudges_deliver
from nudges.models import Nudge
from nudges.services import nudge_relay
from tests.factories import AgreementFactory, CoachFactory, pair
from tests.nudges.delivering import berlin, deliver_due
from tests.utils import client_for

pytestmark = pytest.mark.django_db

AGREEMENT = {
    "title": "Sunday mornings",
    "terms": "We keep Sunday mornings free of chores until eleven.",
    "my_need": "Rest after a long week.",
    "your_need_as_i_understand": "Knowing the chores still get done.",
}


def _inbox(person) -> list[tuple[str, str]]:
    results = client_for(person).get("/api/v1/notifications").json()["results"]
    return sorted((n["kind"], n["subject_id"]) for n in results)


def _first_revision(agreement: dict) -> str:
    """Agreement nudges are about the revision answered or accepted."""
    return str(AgreementRevision.objects.get(agreement_id=agreement["id"], number=1).pk)


def _conversation(client, topic: str, at: dt.datetime) -> dict:
    response = client.post(
        "/api/v1/conversations",
        {
            "topic": topic,
            "depth": "light",
            "urgency": "this_week",
            "proposed_times": [(at + dt.timedelta(days=1, hours=19)).isoformat()],
            "calm_score": 4,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_queue_held_until_morning_delivers_only_what_is_still_true(coaches_group):
    """Late in the evening, both in their quiet hours but still in the app, Alex and Robin do
    a week's worth of things; each nudge is taken by a worker at once and held until 08:00.
    Then, still in the night, much of it is answered, withdrawn or retired. In the morning
    each inbox gets only what is still true."""
    couple, alex, robin = pair()
    first_coach = CoachFactory(groups=[coaches_group])
    second_coach = CoachFactory(groups=[coaches_group])
    to_retire = AgreementFactory(author=alex, couple=couple, accepted=True)
    night = berlin(2027, 5, 4, 22, 30)
    minutes = iter(range(1, 100))

    with time_machine.travel(night, tick=False) as clock:

        def next_minute():
            """What the workers did by now (everything relayed so far is held until the
            morning), then a minute later, both phones signed in afresh."""
            deliver_due(clock_now[0])
            clock_now[0] = night + dt.timedelta(minutes=next(minutes))
            clock.move_to(clock_now[0])
            return client_for(alex), client_for(robin)

        clock_now = [night]
        a, r = next_minute()
        # Things that stay true: pings, appreciations, an open proposal.
        pings = [a.post("/api/v1/pings").json() for _ in range(2)]
        appreciations = [
            a.post("/api/v1/appreciations", {"text": text}, format="json").json()
            for text in ("Thank you", "You were lovely today")
        ]
        open_proposal = a.post("/api/v1/agreements", AGREEMENT, format="json").json()
        # Things that will not: two coach invitations, two proposals, a retirement, two
        # "can we talk?", a "snoozed", a "back from space".
        given = a.post(
            "/api/v1/couple/coach-grants", {"coach_email": first_coach.email}, format="json"
        ).json()
        revoked = a.post(
            "/api/v1/couple/coach-grants", {"coach_email": second_coach.email}, format="json"
        ).json()
        accepted = a.post(
            "/api/v1/agreements", {**AGREEMENT, "title": "Phones away"}, format="json"
        ).json()
        snoozed = a.post("/api/v1/agreements", {**AGREEMENT, "title": "Walks"}, format="json")
        snoozed = snoozed.json()
        assert a.post(f"/api/v1/agreements/{to_retire.pk}/retire").status_code == 200
        withdrawn = _conversation(a, "Money", night)
        answered = _conversation(a, "Holidays", night)
        a, r = next_minute()
        until = (night + dt.timedelta(days=3)).date().isoformat()
        assert (
            r.post(
                f"/api/v1/agreements/{snoozed['id']}/snooze", {"until": until}, format="json"
            ).status_code
            == 200
        )
        spaces = []
        ends_at = (night + dt.timedelta(hours=3)).isoformat()
        a, r = next_minute()
        spaces.append(r.post("/api/v1/couple/space", {"ends_at": ends_at}).json())
        a, r = next_minute()
        assert r.delete("/api/v1/couple/space").status_code == 204

        a, r = next_minute()
        held = Nudge.objects.filter(state="pending", reason="quiet_time")
        assert held.count() == 14
        assert {n.due_at for n in held} == {berlin(2027, 5, 5, 8, 0)}
        assert _inbox(alex) == [] and _inbox(robin) == []

        # Still in the night, the underlying things change.
        assert r.post(f"/api/v1/couple/coach-grants/{given['id']}/consent").status_code == 200
        assert a.post(f"/api/v1/couple/coach-grants/{revoked['id']}/revoke").status_code == 200
        for agreement in (accepted, snoozed):
            accept = r.post(
                f"/api/v1/agreements/{agreement['id']}/accept", {"based_on": 1}, format="json"
            )
            assert accept.status_code == 200, accept.content
        assert r.post(f"/api/v1/agreements/{to_retire.pk}/retire").status_code == 200
        assert a.post(f"/api/v1/conversations/{withdrawn['id']}/withdraw").status_code == 200
        picked = r.post(
            f"/api/v1/conversations/{answered['id']}/respond",
            {"action": "pick", "time": answered["proposed_times"][0]},
            format="json",
        )
        assert picked.status_code == 200
        a, r = next_minute()
        spaces.append(r.post("/api/v1/couple/space", {"ends_at": ends_at}).json())
        a, r = next_minute()
        assert r.delete("/api/v1/couple/space").status_code == 204
        next_minute()
        assert _inbox(alex) == [] and _inbox(robin) == []

    morning = berlin(2027, 5, 5, 8, 0)
    outcome = deliver_due(morning)
    with time_machine.travel(morning + dt.timedelta(minutes=1), tick=False):
        assert _inbox(robin) == sorted(
            [
                ("agreement_proposed", _first_revision(open_proposal)),
                *[("appreciation", appreciation["id"]) for appreciation in appreciations],
                *[("ping", ping["id"]) for ping in pings],
            ]
        )
        assert _inbox(alex) == sorted(
            [
                ("agreement_accepted", _first_revision(accepted)),
                ("agreement_accepted", _first_revision(snoozed)),
                ("agreement_retired", str(to_retire.pk)),
                ("conversation_pick", answered["id"]),
                ("partner_back_from_space", spaces[1]["id"]),
            ]
        )
    stale = Nudge.objects.filter(state="dropped", reason="no_longer_needed")
    assert sorted(stale.values_list("kind", flat=True)) == [
        "agreement_proposed",  # accepted in the night
        "agreement_proposed",  # snoozed, then accepted
        "agreement_retire_requested",  # retired
        "agreement_snoozed",  # accepted since
        "coach_consent_request",  # given
        "coach_consent_request",  # revoked
        "conversation_request",  # answered
        "partner_back_from_space",  # away again since
    ]
    assert outcome == {"dropped": 8, "sent": 10}
    # The withdrawn request's nudge was cancelled when it was withdrawn.
    assert Nudge.objects.get(subject_id=withdrawn["id"]).state == "cancelled"


def test_a_ping_whose_couple_ended_is_not_delivered():
    """A nudge that slipped past the ending (relayed in a race with it) is dropped when it
    falls due: nothing of an ended couple reaches a phone."""
    couple, alex, robin = pair()
    ping = Ping.objects.create(couple=couple, sender=alex, recipient=robin)
    client_for(robin).post("/api/v1/couple/end")
    nudge = nudge_relay(recipient=robin, kind="ping", subject_id=ping.pk, actor=alex)
    nudges_deliver([nudge.pk])
    nudge.refresh_from_db()
    assert (nudge.state, nudge.reason) == ("dropped", "no_longer_needed")


def test_the_checks_take_one_query_per_kind_for_a_whole_batch(django_assert_max_num_queries):
    """Many people's waiting pings, appreciations and proposals: the still-true checks cost
    one query per kind, whatever the size of the batch."""
    people = [pair() for _ in range(5)]
    at = berlin(2027, 5, 4, 12, 0)
    with time_machine.travel(at, tick=False):
        for _, alex, _robin in people:
            client = client_for(alex)
            client.post("/api/v1/pings")
            client.post("/api/v1/appreciations", {"text": "Thanks"}, format="json")
            client.post("/api/v1/agreements", AGREEMENT, format="json")
            _conversation(client, "Sundays", at)
    ids = list(Nudge.objects.values_list("pk", flat=True))
    assert len(ids) == 20
    # 15, and one for the whole batch for the leaving-safely withhold (issue 16).
    with django_assert_max_num_queries(16):
        outcome = nudges_deliver(ids, now=at)
    assert outcome["sent"] == 20
