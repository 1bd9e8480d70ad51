"""Unsend and share (issue 13, items 1 and 2): an unsent check-in stays unsent through every
edit until its author shares it again, and to the partner it is as if it had never been
written: the same "not yet", no bridge, no trends, no nudge, nothing in their list."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from checkins.models import CheckIn
from checkins.services import checkin_dates_open
from nudges.models import Notification, Nudge
from tests.factories import UserFactory, pair
from tests.nudges.delivering import deliver_due
from tests.utils import assert_error_shape, client_for

UNSENT = "planted-unsent-8c2d"
PRIVATE = "planted-private-5e91"
NOT_YET = {"state": "not_yet", "checkin": None}


def _day(client) -> str:
    return client.get("/api/v1/checkins/today").json()["date"]


def _put(client, date, **body):
    return client.put(f"/api/v1/checkins/{date}", body, format="json")


def _since() -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)).isoformat()


# --- No edit shares again ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("put", {"private_note": "only the private note, edited"}),
        ("put", {"mood": 2, "shared_note": UNSENT, "private_note": "edited"}),
        ("patch", {"private_note": "edited"}),
        ("patch", {"shared_note": "softer words"}),
        ("put", {"pass": True}),
        ("patch", {"pass": True}),
    ],
)
def test_no_edit_shares_an_unsent_checkin_again(couple, method, body):
    a, b = couple.client_a, couple.client_b
    today = _day(a)
    _put(b, today, mood=4)
    mine = _put(a, today, mood=2, shared_note=UNSENT, private_note=PRIVATE).json()
    assert a.post(f"/api/v1/checkins/{today}/unsend").json()["is_shared"] is False

    edited = getattr(a, method)(f"/api/v1/checkins/{today}", body, format="json")
    assert edited.status_code == 200, edited.content
    assert edited.json()["is_shared"] is False
    assert a.get(f"/api/v1/checkins/{today}").json()["is_shared"] is False
    partner_today = b.get("/api/v1/checkins/today").json()
    assert partner_today["partner"] == NOT_YET
    assert partner_today["bridge"] is None
    listed = b.get("/api/v1/checkins").json()["results"]
    assert mine["id"] not in [c["id"] for c in listed]
    assert all(c["is_mine"] for c in listed)
    assert UNSENT not in json.dumps(partner_today)


def test_sharing_again_is_the_authors_act_and_idempotent(couple):
    a, b = couple.client_a, couple.client_b
    today = _day(a)
    _put(b, today, mood=4)
    mine = _put(a, today, mood=2, shared_note="here it is").json()
    a.post(f"/api/v1/checkins/{today}/unsend")
    since = _since()

    first = a.post(f"/api/v1/checkins/{today}/share")
    assert first.status_code == 200, first.content
    assert first.json()["is_shared"] is True
    again = a.post(f"/api/v1/checkins/{today}/share")
    assert again.status_code == 200
    assert again.json() == first.json()  # nothing changed, not even updated_at

    seen = b.get("/api/v1/checkins/today").json()["partner"]
    assert seen["state"] == "revealed" and seen["checkin"]["shared_note"] == "here it is"
    synced = b.get("/api/v1/checkins", {"updated_since": since}).json()
    assert mine["id"] in [c["id"] for c in synced["results"]]
    assert mine["id"] not in synced["removed"]


def test_unsending_twice_is_one_unsend(couple):
    a, b = couple.client_a, couple.client_b
    today = _day(a)
    _put(b, today, mood=4)
    _put(a, today, mood=2)
    first = a.post(f"/api/v1/checkins/{today}/unsend")
    again = a.post(f"/api/v1/checkins/{today}/unsend")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()


def test_share_and_unsend_reach_only_my_own_checkin(couple, other_couple, stranger_client):
    a, b = couple.client_a, couple.client_b
    today = _day(a)
    mine = _put(a, today, mood=2).json()
    a.post(f"/api/v1/checkins/{today}/unsend")
    # My partner, another couple and a stranger have no check-in of their own that day:
    # the route names only the caller's own, so mine is out of their reach.
    for client in (b, other_couple.client_a, stranger_client):
        for action in ("share", "unsend"):
            response = client.post(f"/api/v1/checkins/{today}/{action}")
            assert_error_shape(response, 404, "not_found")
    assert CheckIn.objects.get(pk=mine["id"]).is_shared is False
    # ...and theirs, when they have one, is theirs: my unsent one stays unsent.
    _put(other_couple.client_a, today, mood=3)
    assert other_couple.client_a.post(f"/api/v1/checkins/{today}/share").status_code == 200
    assert CheckIn.objects.get(pk=mine["id"]).is_shared is False


def test_share_needs_sign_in(api_client, db):
    assert api_client.post("/api/v1/checkins/2026-01-01/share").status_code == 401


# --- "Not yet", exactly -------------------------------------------------------------------------


def _partner_side(client) -> dict:
    """Everything in `checkins/today` about the partner and the two of us."""
    today = client.get("/api/v1/checkins/today").json()
    return {"partner": today["partner"], "bridge": today["bridge"], "keys": sorted(today)}


def _not_mine(client, **params) -> dict:
    body = client.get("/api/v1/checkins", params).json()
    return {
        "results": [c for c in body["results"] if not c["is_mine"]],
        "removed": body.get("removed"),
        "keys": sorted(body),
    }


@pytest.mark.parametrize("announce", [True, False])
@pytest.mark.parametrize("viewer_checked_in_first", [True, False])
def test_after_an_unsend_the_partner_reads_exactly_like_never_checked_in(
    db, announce, viewer_checked_in_first
):
    """Two couples alike; in one the author checks in and unsends, in the other the author
    never checks in. The viewer's answers about the partner are byte-identical."""
    views = []
    for unsends in (True, False):
        _couple, viewer, author = pair(UserFactory(), UserFactory())
        v, w = client_for(viewer), client_for(author)
        w.patch("/api/v1/me/checkin-settings", {"announce_checked_in": announce}, format="json")
        today = _day(v)
        since = _since()
        if viewer_checked_in_first:
            _put(v, today, mood=3, dial=1)
        if unsends:
            _put(w, today, mood=1, dial=-2, shared_note=UNSENT, private_note=PRIVATE)
            w.post(f"/api/v1/checkins/{today}/unsend")
        if not viewer_checked_in_first:
            _put(v, today, mood=3, dial=1)
        partner_side = _partner_side(v)
        listed = _not_mine(v)
        synced = _not_mine(v, updated_since=since)
        views.append((partner_side, listed, synced))
        raw = json.dumps(views[-1])
        assert UNSENT not in raw and PRIVATE not in raw

    (unsent_side, unsent_list, unsent_sync), (never_side, never_list, never_sync) = views
    assert json.dumps(unsent_side, sort_keys=True) == json.dumps(never_side, sort_keys=True)
    assert unsent_side["partner"] == NOT_YET
    assert json.dumps(unsent_list) == json.dumps(never_list)
    if viewer_checked_in_first:
        # The viewer had it revealed: their phone is told to drop it, as it must be.
        assert len(unsent_sync["removed"]) == 1
        assert unsent_sync["results"] == never_sync["results"] == []
    else:
        # Never revealed to them: not even a removed id says that something was withdrawn.
        assert json.dumps(unsent_sync) == json.dumps(never_sync)


def test_a_checkin_unsent_before_the_partner_checks_in_was_never_there(couple):
    a, b = couple.client_a, couple.client_b
    today = _day(a)
    since = _since()
    _put(a, today, mood=1, shared_note=UNSENT)
    assert b.get("/api/v1/checkins/today").json()["partner"]["state"] == "checked_in"
    a.post(f"/api/v1/checkins/{today}/unsend")
    assert b.get("/api/v1/checkins/today").json()["partner"] == NOT_YET
    _put(b, today, mood=4)
    assert b.get("/api/v1/checkins/today").json()["partner"] == NOT_YET
    synced = b.get("/api/v1/checkins", {"updated_since": since}).json()
    assert synced["removed"] == []
    assert all(c["is_mine"] for c in synced["results"])


# --- Trends -------------------------------------------------------------------------------------


def test_an_unsent_checkin_is_not_in_either_partners_trends(couple):
    a, b = couple.client_a, couple.client_b
    today = _day(a)
    _put(a, today, mood=1, dial=-2)
    _put(b, today, mood=5, dial=2)
    before = b.get("/api/v1/checkins/trends").json()["couple"]
    assert (before["shared_dial_balance"], before["shared_dial_gap"]) == (0.0, 4.0)
    a.post(f"/api/v1/checkins/{today}/unsend")
    for client in (a, b):
        couple_trends = client.get("/api/v1/checkins/trends").json()["couple"]
        assert couple_trends["shared_dial_balance"] is None
        assert couple_trends["shared_dial_gap"] is None
    # My own averages are mine: the unsent one still counts there, for me alone.
    assert a.get("/api/v1/checkins/trends").json()["mine"]["7"]["dial"] == -2.0
    a.post(f"/api/v1/checkins/{today}/share")
    assert b.get("/api/v1/checkins/trends").json()["couple"]["shared_dial_gap"] == 4.0


# --- The "bridge is ready" nudge ----------------------------------------------------------------


def _bridge_nudges():
    return Nudge.objects.filter(kind="checkin_bridge_ready")


def _at_noon(time_machine):
    # 12:00 in Berlin (the factories' people live there): outside quiet hours.
    time_machine.move_to(dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC))


@pytest.mark.parametrize("who_unsends", ["second", "first"])
def test_the_bridge_nudge_is_never_sent_for_a_checkin_unsent_after_it_was_queued(
    couple, time_machine, who_unsends
):
    _at_noon(time_machine)
    first, second = client_for(couple.b), client_for(couple.a)
    today = _day(first)
    _put(first, today, mood=4, dial=2)
    _put(second, today, mood=1, dial=-2)
    queued = _bridge_nudges().get()
    assert queued.recipient_id == couple.b.pk and queued.state == Nudge.State.PENDING
    unsender = second if who_unsends == "second" else first
    unsender.post(f"/api/v1/checkins/{today}/unsend")

    assert deliver_due(timezone.now())["dropped"] == 1
    queued.refresh_from_db()
    assert (queued.state, queued.reason) == (Nudge.State.DROPPED, "no_longer_needed")
    assert not Notification.objects.exists()
    assert client_for(couple.b).get("/api/v1/notifications").json()["results"] == []


def test_shared_again_before_delivery_the_bridge_nudge_goes_out(couple, time_machine):
    _at_noon(time_machine)
    b, a = client_for(couple.b), client_for(couple.a)
    today = _day(a)
    _put(b, today, mood=4)
    _put(a, today, mood=2)
    a.post(f"/api/v1/checkins/{today}/unsend")
    a.post(f"/api/v1/checkins/{today}/share")
    assert _bridge_nudges().count() == 1
    assert deliver_due(timezone.now())["sent"] == 1
    inbox = client_for(couple.b).get("/api/v1/notifications").json()["results"]
    assert [n["kind"] for n in inbox] == ["checkin_bridge_ready"]


def test_sharing_again_opens_the_bridge_and_tells_the_partner_once(couple, time_machine):
    _at_noon(time_machine)
    b, a = client_for(couple.b), client_for(couple.a)
    today = _day(a)
    _put(a, today, mood=2)
    a.post(f"/api/v1/checkins/{today}/unsend")
    _put(b, today, mood=4)
    # Robin's check-in is unsent: no bridge, nobody is told.
    assert not _bridge_nudges().exists()
    assert b.get("/api/v1/checkins/today").json()["bridge"] is None
    a.post(f"/api/v1/checkins/{today}/share")
    a.post(f"/api/v1/checkins/{today}/share")
    nudge = _bridge_nudges().get()
    assert (nudge.recipient_id, nudge.actor_id) == (couple.b.pk, couple.a.pk)
    assert b.get("/api/v1/checkins/today").json()["bridge"] is not None
    assert deliver_due(timezone.now())["sent"] == 1


def test_an_edit_of_an_unsent_checkin_announces_no_bridge(couple):
    _yesterday, today = checkin_dates_open(couple.a)
    a, b = couple.client_a, couple.client_b
    _put(b, today.isoformat(), mood=4)
    _put(a, today.isoformat(), **{"pass": True})
    a.post(f"/api/v1/checkins/{today}/unsend")
    # A pass turned into a check-in, while unsent: still nothing for the partner.
    assert a.patch(f"/api/v1/checkins/{today}", {"mood": 3}, format="json").status_code == 200
    assert not _bridge_nudges().exists()
    # Turned from a pass into a shared check-in: the bridge opens, and the partner hears.
    a.post(f"/api/v1/checkins/{today}/share")
    assert _bridge_nudges().count() == 1
