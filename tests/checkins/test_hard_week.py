"""A bad day for both, walked through the API (issue 13, items 1, 2, 3 and 16): Kai would like
closeness, Robin needs quiet. Robin checks in, shares too much, unsends, corrects the private
note, shares again, softens the shared note with a PATCH, leaves the dial open, then passes.
After every step: what each of them reads (today, the list, the phone's sync, trends) and
what reaches each inbox."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from nudges.models import Nudge
from tests.factories import UserFactory, pair
from tests.nudges.delivering import berlin, deliver_due
from tests.utils import client_for

DAY = "2026-03-10"
# Distinctive words, so that no copy or prompt can contain them by chance.
ROBIN_SHARED = "planted-robin-shared-9d41: I can't do this today."
ROBIN_SOFTER = "planted-robin-softer-2b7e: Rough day, I need some quiet. Not about you."
ROBIN_PRIVATE = "planted-robin-private-61fa"
ROBIN_PRIVATE_EDITED = "planted-robin-private-edited-c3d0"
ROBIN_PROMPT_ANSWER = "planted-robin-prompt-answer-77aa"
KAI_PRIVATE = "planted-kai-private-0e5c"
KAI_WORDS = "planted-kai-words-4f12: Tell me you're coming back to me, that's all."
NOT_YET = {"state": "not_yet", "checkin": None}

ROBIN_BAD_DAY = {
    "mood": 1,
    "energy": 1,
    "dial": -2,
    "capacity": "not_today",
    "shared_note": ROBIN_SHARED,
    "private_note": ROBIN_PRIVATE,
    "prompt_answer": ROBIN_PROMPT_ANSWER,
}


@pytest.fixture
def robin_and_kai(db, time_machine):
    time_machine.move_to(berlin(2026, 3, 10, 9, 0))
    robin = UserFactory(display_name="Robin")
    kai = UserFactory(display_name="Kai")
    pair(robin, kai)
    return robin, kai


def _today(client) -> dict:
    response = client.get("/api/v1/checkins/today")
    assert response.status_code == 200, response.content
    return response.json()


def _listed(client) -> list[dict]:
    return client.get("/api/v1/checkins").json()["results"]


def _synced(client, since: dt.datetime) -> dict:
    return client.get("/api/v1/checkins", {"updated_since": since.isoformat()}).json()


def _inbox(client) -> list[tuple[str, str]]:
    return [(n["kind"], n["body"]) for n in client.get("/api/v1/notifications").json()["results"]]


def _never_reaches(client, *planted: str) -> None:
    """None of these words is anywhere this person can read."""
    seen = json.dumps(
        [
            client.get("/api/v1/checkins/today").json(),
            client.get("/api/v1/checkins").json(),
            client.get("/api/v1/checkins/trends").json(),
            client.get("/api/v1/notifications").json(),
            client.get("/api/v1/couple/partner").json(),
        ]
    )
    for words in planted:
        assert words not in seen, words


def _robin_seen_by_kai(client) -> dict | None:
    return next((c for c in _listed(client) if not c["is_mine"]), None)


def test_a_hard_day_unsend_correct_share_again_and_pass(robin_and_kai, time_machine):
    robin, kai = robin_and_kai

    def at(hour: int, minute: int):
        """Berlin wall clock on the day; each phone signed in at that moment (tokens are
        short-lived)."""
        time_machine.move_to(berlin(2026, 3, 10, hour, minute))
        return client_for(robin), client_for(kai)

    r, k = at(9, 0)
    # Kai shares the words they like to hear, and keeps notifications quiet at work.
    assert (
        k.put(
            "/api/v1/me/preferences",
            {"reassurance": KAI_WORDS, "connection_activities": ["walk_together", "cuddle"]},
            format="json",
        ).status_code
        == 200
    )
    assert (
        k.patch(
            "/api/v1/me/nudge-settings",
            {"quiet_start": "13:00", "quiet_end": "17:00"},
            format="json",
        ).status_code
        == 200
    )
    r.put("/api/v1/me/preferences", {"connection_activities": ["walk_together"]}, format="json")
    start = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)

    # 12:30 Kai checks in first.
    r, k = at(12, 30)
    kai_put = k.put(
        f"/api/v1/checkins/{DAY}",
        {"mood": 2, "dial": 2, "capacity": "light", "private_note": KAI_PRIVATE},
        format="json",
    )
    assert kai_put.status_code == 200, kai_put.content
    assert _today(r)["partner"] == {"state": "checked_in", "checkin": None}
    assert _inbox(r) == [] and _inbox(k) == []

    # 14:00 Robin checks in, on a bad day. Kai is at work: the "bridge is ready" nudge waits.
    r, k = at(14, 0)
    mine = r.put(f"/api/v1/checkins/{DAY}", ROBIN_BAD_DAY, format="json")
    assert mine.status_code == 200, mine.content
    robin_id = mine.json()["id"]
    assert mine.json()["is_shared"] is True
    kai_today = _today(k)
    assert kai_today["partner"]["state"] == "revealed"
    assert kai_today["partner"]["checkin"]["shared_note"] == ROBIN_SHARED
    assert kai_today["bridge"]["kind"] == "side_by_side"
    robin_today = _today(r)
    assert robin_today["bridge"]["kind"] == "side_by_side"
    # Robin, who needs space, is offered the words Kai likes to hear.
    assert robin_today["bridge"]["reassurance"] == KAI_WORDS
    assert "reassurance:their_words" in robin_today["bridge"]["reasons"]
    assert deliver_due(timezone.now())["deferred"] == 1
    assert _inbox(k) == [] and _inbox(r) == []
    _never_reaches(k, ROBIN_PRIVATE, ROBIN_PRIVATE_EDITED)
    _never_reaches(r, KAI_PRIVATE)

    # 14:10 Robin unsends. To Kai, Robin has not checked in: "not yet", exactly.
    r, k = at(14, 10)
    unsent = r.post(f"/api/v1/checkins/{DAY}/unsend")
    assert unsent.status_code == 200 and unsent.json()["is_shared"] is False
    kai_today = _today(k)
    assert kai_today["partner"] == NOT_YET
    assert kai_today["bridge"] is None
    assert _robin_seen_by_kai(k) is None
    assert robin_id in _synced(k, start)["removed"]
    assert k.get("/api/v1/checkins/trends").json()["couple"]["shared_dial_balance"] is None
    _never_reaches(k, ROBIN_SHARED, ROBIN_PRIVATE, ROBIN_PROMPT_ANSWER)
    # Robin still has everything, and (having checked in) still sees Kai's day; the bridge
    # is the two of theirs, so it is closed for both.
    robin_today = _today(r)
    assert robin_today["my_checkin"]["shared_note"] == ROBIN_SHARED
    assert robin_today["my_checkin"]["private_note"] == ROBIN_PRIVATE
    assert robin_today["partner"]["state"] == "revealed"
    assert robin_today["bridge"] is None

    # 14:20 Robin edits the private note with a full PUT: it stays unsent.
    r, k = at(14, 20)
    edited = r.put(
        f"/api/v1/checkins/{DAY}",
        {**ROBIN_BAD_DAY, "private_note": ROBIN_PRIVATE_EDITED},
        format="json",
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["is_shared"] is False
    assert edited.json()["private_note"] == ROBIN_PRIVATE_EDITED
    assert _today(k)["partner"] == NOT_YET
    assert _robin_seen_by_kai(k) is None
    assert robin_id in _synced(k, start)["removed"]
    _never_reaches(k, ROBIN_SHARED, ROBIN_PRIVATE_EDITED)

    # 14:30 Robin softens the shared note with a PATCH: nothing else is lost, still unsent.
    r, k = at(14, 30)
    softer = r.patch(f"/api/v1/checkins/{DAY}", {"shared_note": ROBIN_SOFTER}, format="json")
    assert softer.status_code == 200, softer.content
    body = softer.json()
    assert body["shared_note"] == ROBIN_SOFTER
    assert (body["mood"], body["energy"], body["dial"], body["capacity"]) == (
        1,
        1,
        -2,
        "not_today",
    )
    assert body["private_note"] == ROBIN_PRIVATE_EDITED
    assert body["prompt_answer"] == ROBIN_PROMPT_ANSWER and body["prompt"] is not None
    assert body["is_shared"] is False
    assert _today(k)["partner"] == NOT_YET
    _never_reaches(k, ROBIN_SHARED, ROBIN_SOFTER)

    # 17:05 Kai's quiet hours end: the waiting "bridge is ready" is no longer true, so it
    # is dropped. Kai never learns that Robin had checked in.
    r, k = at(17, 5)
    assert deliver_due(timezone.now())["dropped"] == 1
    assert Nudge.objects.get(kind="checkin_bridge_ready").reason == "no_longer_needed"
    assert _inbox(k) == [] and _inbox(r) == []

    # 18:00 Robin shares the softer check-in: Robin's explicit act.
    r, k = at(18, 0)
    shared = r.post(f"/api/v1/checkins/{DAY}/share")
    assert shared.status_code == 200 and shared.json()["is_shared"] is True
    kai_today = _today(k)
    assert kai_today["partner"]["state"] == "revealed"
    assert kai_today["partner"]["checkin"]["shared_note"] == ROBIN_SOFTER
    assert "private_note" not in kai_today["partner"]["checkin"]
    assert kai_today["bridge"]["kind"] == "side_by_side"
    synced = _synced(k, start)
    assert robin_id not in synced["removed"]
    assert [c["shared_note"] for c in synced["results"] if c["id"] == robin_id] == [ROBIN_SOFTER]
    assert _today(r)["bridge"]["reassurance"] == KAI_WORDS
    trends = k.get("/api/v1/checkins/trends").json()["couple"]
    assert (trends["shared_dial_balance"], trends["shared_dial_gap"]) == (0.0, 4.0)
    # The bridge was announced once today already (and dropped): no second nudge.
    assert _inbox(k) == [] and _inbox(r) == []
    _never_reaches(k, ROBIN_SHARED, ROBIN_PRIVATE_EDITED)

    # 18:10 Robin leaves the dial open: the bridge does not read it as "easy either way".
    r, k = at(18, 10)
    assert r.patch(f"/api/v1/checkins/{DAY}", {"dial": None}, format="json").status_code == 200
    kai_bridge = _today(k)["bridge"]
    assert kai_bridge["kind"] == "open_day"
    assert "dial_unknown" in kai_bridge["reasons"]
    assert "easy either way" not in kai_bridge["summary"]
    robin_bridge = _today(r)["bridge"]
    assert robin_bridge["reassurance"] is None  # Robin did not say they want room
    assert k.get("/api/v1/checkins/trends").json()["couple"]["shared_dial_gap"] is None
    assert r.patch(f"/api/v1/checkins/{DAY}", {"dial": -2}, format="json").status_code == 200

    # 18:30 Robin passes after all: the answers go, the private note stays; to Kai it is
    # "not yet" again, and Kai's phone drops the check-in.
    r, k = at(18, 30)
    since_pass = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    passed = r.put(f"/api/v1/checkins/{DAY}", {"pass": True}, format="json")
    assert passed.status_code == 200, passed.content
    assert passed.json()["pass"] is True
    assert passed.json()["private_note"] == ROBIN_PRIVATE_EDITED
    assert passed.json()["shared_note"] == "" and passed.json()["mood"] is None
    assert _today(k)["partner"] == NOT_YET
    assert _today(k)["bridge"] is None and _today(r)["bridge"] is None
    assert robin_id in _synced(k, since_pass)["removed"]
    assert _inbox(k) == [] and _inbox(r) == []
    _never_reaches(k, ROBIN_SOFTER, ROBIN_PRIVATE_EDITED)
    _never_reaches(r, KAI_PRIVATE)
