"""A person's path through their data rights, step by step, with what each partner sees and
receives after every step: accept the notice, write, change, undo, take space, take a copy,
and leave by deleting the account."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from tests.accounts.data_rights.life import NOON, at, later, signed_in_couple
from tests.factories import PASSWORD
from tests.nudges.delivering import deliver_due
from tests.utils import today_for

pytestmark = pytest.mark.django_db

PRIVATE = "kwscenario-private-words"
SHARED = "kwscenario-shared-words"
CHANGED = "kwscenario-changed-words"
SPACE = "kwscenario-space-words"


def _export_text(client) -> str:
    response = client.get("/api/v1/me/export")
    assert response.status_code == 200, response.content
    return json.dumps(response.json())


def test_accept_write_change_undo_take_space_export_and_leave(time_machine, settings):
    settings.EXPORTS_PER_DAY = 20  # a copy after every step (the limit has its own test)
    time_machine.move_to(NOON, tick=True)
    people = signed_in_couple()
    a, b = people.client_a, people.client_b

    # Accept the current notice: asked no more.
    assert a.get("/api/v1/me").json()["consent_required"] is True
    accept = {
        "notice_version": settings.PRIVACY_NOTICE_VERSION,
        "sensitive_data": True,
        "age_confirmed": True,
    }
    assert a.post("/api/v1/me/consent", accept).status_code == 200
    assert a.get("/api/v1/me").json()["consent_required"] is False

    # Write: a shared boundary and a check-in with a private note.
    boundary = a.post(
        "/api/v1/boundaries", {"kind": "need", "text": SHARED, "visibility": "shared"}
    )
    assert boundary.status_code == 201
    day = today_for(people.a).isoformat()
    put = a.put(
        f"/api/v1/checkins/{day}", {"mood": 3, "shared_note": SHARED, "private_note": PRIVATE}
    )
    assert put.status_code in (200, 201), put.content
    mine, theirs = _export_text(a), _export_text(b)
    assert SHARED in mine and PRIVATE in mine
    assert PRIVATE not in theirs and SHARED not in theirs  # b's copy holds b's own words

    # Change: the boundary's history is in the copy, both versions.
    boundary_id = boundary.json()["id"]
    assert a.patch(f"/api/v1/boundaries/{boundary_id}", {"text": CHANGED}).status_code == 200
    mine = json.loads(_export_text(a))
    history = mine["boundaries"]["mine"][0]["history"]
    assert [version["text"] for version in history][-1] == CHANGED
    assert b.get(f"/api/v1/boundaries/{boundary_id}").json()["text"] == CHANGED

    # Undo: an unsent check-in stays in its author's copy, marked as no longer shared.
    assert a.post(f"/api/v1/checkins/{day}/unsend").status_code == 200
    checkin = json.loads(_export_text(a))["checkins"][0]
    assert checkin["is_shared"] is False and checkin["private_note"] == PRIVATE

    # Take space, with words of one's own: in a's copy, never in b's.
    later(time_machine, people, minutes=1)
    a, b = people.client_a, people.client_b
    space = a.post("/api/v1/couple/space", {"check_back_at": at(2), "reassurance_text": SPACE})
    assert space.status_code == 201, space.content
    assert SPACE in _export_text(a) and SPACE not in _export_text(b)

    # Leave: deleting ends the couple as couple/end does; b is told only that it ended.
    assert a.delete("/api/v1/me", {"password": PASSWORD}, format="json").status_code == 204
    assert a.get("/api/v1/me").status_code == 401
    assert b.get("/api/v1/couple").json()["errors"][0]["code"] == "couple_ended"
    later(time_machine, people, hours=1)
    deliver_due(timezone.now())  # the couple_ended notification, in the afternoon
    b = people.client_b
    kinds = [n["kind"] for n in b.get("/api/v1/notifications").json()["results"]]
    assert "couple_ended" in kinds
    after = _export_text(b)
    assert not any(words in after for words in (PRIVATE, SHARED, CHANGED, SPACE))
    assert b.get(f"/api/v1/boundaries/{boundary_id}").status_code == 404
