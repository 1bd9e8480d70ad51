"""Correcting a check-in without losing anything (issue 13, item 3): PATCH changes only what
was sent; PUT replaces every answer but keeps the private note unless it is sent; a pass
never drops the private note; an unanswered dial is unknown to the bridge, never 0."""

import json

import pytest

from tests.utils import assert_error_shape

PRIVATE = "planted-private-correction-a17e"
FULL = {
    "mood": 2,
    "energy": 3,
    "dial": -1,
    "capacity": "light",
    "shared_note": "Long day, short fuse",
    "private_note": PRIVATE,
    "prompt_answer": "The walk on Sunday",
}


def _day(client) -> str:
    return client.get("/api/v1/checkins/today").json()["date"]


def _answers(body: dict) -> dict:
    return {name: body[name] for name in FULL}


@pytest.mark.parametrize(
    "change",
    [
        {"shared_note": "Long day, I'm okay"},
        {"mood": 4},
        {"energy": 1},
        {"dial": 1},
        {"dial": None},
        {"capacity": "not_today"},
        {"private_note": "planted-new-private-2c2c"},
        {"private_note": ""},
        {"prompt_answer": "Our walk"},
    ],
)
def test_patch_changes_only_the_fields_sent(couple, change):
    a = couple.client_a
    today = _day(a)
    written = a.put(f"/api/v1/checkins/{today}", FULL, format="json").json()
    patched = a.patch(f"/api/v1/checkins/{today}", change, format="json")
    assert patched.status_code == 200, patched.content
    assert _answers(patched.json()) == {**FULL, **change}
    assert a.get(f"/api/v1/checkins/{today}").json()["private_note"] == change.get(
        "private_note", PRIVATE
    )
    assert patched.json()["id"] == written["id"]
    assert patched.json()["prompt"] == written["prompt"]


def test_a_softer_shared_note_by_put_keeps_the_private_note_and_replaces_the_rest(couple):
    a = couple.client_a
    today = _day(a)
    a.put(f"/api/v1/checkins/{today}", FULL, format="json")
    replaced = a.put(f"/api/v1/checkins/{today}", {"shared_note": "Softer"}, format="json")
    assert replaced.status_code == 200, replaced.content
    body = replaced.json()
    # PUT replaces: what was left out is cleared...
    assert (body["mood"], body["energy"], body["dial"], body["capacity"]) == (None, None, None, "")
    assert body["prompt_answer"] == "" and body["prompt"] is None
    # ...except the private note, which changes only when sent.
    assert body["private_note"] == PRIVATE
    cleared = a.put(
        f"/api/v1/checkins/{today}", {"mood": 3, "private_note": ""}, format="json"
    ).json()
    assert cleared["private_note"] == ""


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_pass_never_drops_the_private_note(couple, method):
    a, b = couple.client_a, couple.client_b
    today = _day(a)
    b.put(f"/api/v1/checkins/{today}", {"mood": 4}, format="json")
    a.put(f"/api/v1/checkins/{today}", FULL, format="json")
    passed = getattr(a, method)(f"/api/v1/checkins/{today}", {"pass": True}, format="json")
    assert passed.status_code == 200, passed.content
    body = passed.json()
    assert body["pass"] is True
    assert body["private_note"] == PRIVATE
    assert all(body[name] in (None, "") for name in FULL if name != "private_note")
    # The partner sees a pass as "not yet", and the private note nowhere.
    seen = b.get("/api/v1/checkins/today").json()
    assert seen["partner"] == {"state": "not_yet", "checkin": None}
    assert PRIVATE not in json.dumps(seen)


def test_a_pass_may_carry_a_private_note_of_its_own(couple):
    a = couple.client_a
    today = _day(a)
    body = {"pass": True, "private_note": PRIVATE}
    assert a.put(f"/api/v1/checkins/{today}", body, format="json").json()["private_note"] == PRIVATE


def test_answering_on_a_pass_with_patch_checks_in_after_all(couple):
    a, b = couple.client_a, couple.client_b
    today = _day(a)
    b.put(f"/api/v1/checkins/{today}", {"mood": 4}, format="json")
    a.put(f"/api/v1/checkins/{today}", {"pass": True, "private_note": PRIVATE}, format="json")
    patched = a.patch(f"/api/v1/checkins/{today}", {"mood": 3}, format="json").json()
    assert patched["pass"] is False and patched["mood"] == 3
    assert patched["private_note"] == PRIVATE
    assert b.get("/api/v1/checkins/today").json()["partner"]["checkin"]["mood"] == 3


def test_patch_without_a_checkin_writes_one_from_what_was_sent(couple):
    a = couple.client_a
    today = _day(a)
    created = a.patch(f"/api/v1/checkins/{today}", {"mood": 4}, format="json")
    assert created.status_code == 200, created.content
    assert created.json()["mood"] == 4 and created.json()["is_shared"] is True


@pytest.mark.parametrize(
    ("before", "change", "code"),
    [
        ({"mood": 3}, {"mood": None}, "empty_checkin"),
        (None, {}, "empty_checkin"),
        (None, {"private_note": ""}, "empty_checkin"),
        ({"pass": True}, {"pass": False}, "empty_checkin"),
        ({"mood": 3}, {"pass": True, "mood": 2}, "pass_with_answers"),
    ],
)
def test_a_patch_that_would_leave_nothing_is_a_clear_400(couple, before, change, code):
    a = couple.client_a
    today = _day(a)
    if before is not None:
        a.put(f"/api/v1/checkins/{today}", before, format="json")
    response = a.patch(f"/api/v1/checkins/{today}", change, format="json")
    body = assert_error_shape(response, 400, code, error_type="validation_error")
    assert body["errors"][0]["attr"] == "pass"
    if before is not None:
        kept = a.get(f"/api/v1/checkins/{today}").json()
        assert kept["mood"] == before.get("mood")


@pytest.mark.parametrize(
    ("body", "attr"),
    [({"mood": 0}, "mood"), ({"dial": 3}, "dial"), ({"capacity": "lots"}, "capacity")],
)
def test_patch_bad_input_names_the_field(couple, body, attr):
    a = couple.client_a
    today = _day(a)
    a.put(f"/api/v1/checkins/{today}", {"mood": 3}, format="json")
    response = a.patch(f"/api/v1/checkins/{today}", body, format="json")
    assert_error_shape(response, 400, response.json()["errors"][0]["code"], "validation_error")
    assert response.json()["errors"][0]["attr"] == attr


def test_patch_outside_today_and_yesterday_is_refused(couple):
    response = couple.client_a.patch("/api/v1/checkins/2020-01-01", {"mood": 3}, format="json")
    body = assert_error_shape(response, 400, "date_out_of_range", error_type="validation_error")
    assert len(body["allowed_dates"]) == 2


def test_patch_needs_sign_in(api_client, db):
    assert api_client.patch("/api/v1/checkins/2026-01-01", {"mood": 3}).status_code == 401


def test_a_patched_private_note_never_reaches_the_partner(couple):
    a, b = couple.client_a, couple.client_b
    today = _day(a)
    b.put(f"/api/v1/checkins/{today}", {"mood": 4}, format="json")
    a.put(f"/api/v1/checkins/{today}", {"mood": 3}, format="json")
    planted = "planted-patched-private-e0b9"
    assert planted in json.dumps(
        a.patch(f"/api/v1/checkins/{today}", {"private_note": planted}, format="json").json()
    )
    seen = [
        b.get("/api/v1/checkins/today").json(),
        b.get("/api/v1/checkins").json(),
        b.get("/api/v1/checkins/trends").json(),
        b.get("/api/v1/notifications").json(),
    ]
    assert planted not in json.dumps(seen)


# --- The bridge and an unanswered dial ----------------------------------------------------------


def test_the_bridge_reads_an_unanswered_dial_as_unknown_not_easy(couple):
    a, b = couple.client_a, couple.client_b
    couple.a.display_name, couple.b.display_name = "Robin", "Kai"
    couple.a.save(update_fields=["display_name"])
    couple.b.save(update_fields=["display_name"])
    today = _day(a)
    a.put(f"/api/v1/checkins/{today}", {"mood": 2, "dial": -2}, format="json")
    b.put(f"/api/v1/checkins/{today}", {"mood": 3}, format="json")  # no dial
    robin = a.get("/api/v1/checkins/today").json()["bridge"]
    kai = b.get("/api/v1/checkins/today").json()["bridge"]
    assert robin["kind"] == kai["kind"] == "gentle_distance"
    assert "dial_unknown" in robin["reasons"]
    assert "Kai is easy either way" not in robin["summary"]
    assert "You're easy either way" not in kai["summary"]
    assert "gesture_gives_room" in robin["reasons"]  # nothing assumed of Kai
    # Answering 0 is a different day: then Kai is easy either way.
    b.patch(f"/api/v1/checkins/{today}", {"dial": 0}, format="json")
    robin = a.get("/api/v1/checkins/today").json()["bridge"]
    assert "Kai is easy either way" in robin["summary"]
