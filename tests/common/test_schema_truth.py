"""The schema tells the truth (issue 14, item 5). The suite-wide proof is the recorder in
tests/fixtures/schema_truth.py: every answer any test receives from /api/v1 must be declared
in the generated schema, or the run fails. These tests walk the answers the issue named through
the HTTP API and check each against the schema, and check the checker itself."""

import datetime as dt

import pytest

from tests.factories import UserFactory, pair
from tests.schema_truth import check, generated_schema
from tests.utils import client_for, today_for

pytestmark = pytest.mark.django_db


def declared(response) -> None:
    """Assert that the schema declares this answer (status, and every error's type, code,
    attr and the body's extra top-level fields)."""
    request = response.wsgi_request
    body = response.json() if response.content else None
    route = request.path
    records = []
    if isinstance(body, dict) and "errors" in body:
        extras = ",".join(sorted(set(body) - {"type", "errors"}))
        for error in body["errors"]:
            records.append(
                (
                    request.method,
                    route,
                    str(response.status_code),
                    body["type"],
                    error["code"],
                    error["attr"],
                    extras,
                )
            )
    else:
        records.append((request.method, route, str(response.status_code), None, None, None, ""))
    for record in records:
        assert check(generated_schema(), record) is None, check(generated_schema(), record)


def test_an_unknown_invite_code_answers_a_declared_invite_not_found(db):
    guesser = client_for(UserFactory())
    for method, path in (("get", ""), ("post", "/accept"), ("post", "/decline")):
        response = getattr(guesser, method)(f"/api/v1/invites/ABCDE-FGHJK{path}")
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "invite_not_found"
        declared(response)


def test_an_unknown_coach_answers_a_declared_coach_not_found(couple):
    response = couple.client_a.post(
        "/api/v1/couple/coach-grants", {"coach_email": "nobody@example.com"}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "coach_not_found"
    declared(response)
    # The partner saw nothing of it.
    assert couple.client_b.get("/api/v1/couple/coach-grants").json()["results"] == []


def test_accepting_your_own_proposal_answers_a_declared_own_revision(couple):
    proposal = {
        "title": "Sunday mornings",
        "terms": "Quiet Sunday mornings.",
        "my_need": "Rest.",
        "your_need_as_i_understand": "Time together.",
    }
    created = couple.client_a.post("/api/v1/agreements", proposal, format="json")
    assert created.status_code == 201, created.content
    declared(created)
    seen_url = f"/api/v1/agreements/{created.json()['id']}"
    before = couple.client_b.get(seen_url).json()
    url = f"{seen_url}/accept"
    response = couple.client_a.post(url, {"based_on": 1}, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "own_revision"
    declared(response)
    # Nothing changed for the partner: the same agreement, in the same state.
    after = couple.client_b.get(seen_url)
    assert after.status_code == 200 and after.json()["state"] == before["state"]


def test_a_too_old_sync_answers_a_declared_sync_window_expired(auth_client):
    response = auth_client.get("/api/v1/me/devices", {"updated_since": "2001-01-01T00:00:00Z"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "sync_window_expired"
    declared(response)


def test_a_checkin_for_tomorrow_answers_declared_allowed_dates(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
    a, b = UserFactory(time_zone="Europe/Berlin"), UserFactory(time_zone="Europe/Berlin")
    pair(a, b)
    response = client_for(a).put("/api/v1/checkins/2026-06-02", {"mood": 3}, format="json")
    assert response.status_code == 400
    assert response.json()["allowed_dates"] == ["2026-05-31", "2026-06-01"]
    declared(response)
    assert client_for(b).get("/api/v1/checkins/today").json()["partner"]["checkin"] is None


def test_nudge_times_are_hh_mm_and_the_schema_says_so(auth_client):
    import re

    response = auth_client.patch(
        "/api/v1/me/nudge-settings", {"checkin_time": "08:00:30"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["checkin_time"] == "08:00"  # the wire format is unchanged
    schema = generated_schema()["components"]["schemas"]["NudgeSettingsOutput"]["properties"]
    for name in ("checkin_time", "quiet_start", "quiet_end"):
        assert "format" not in schema[name]
        assert re.match(schema[name]["pattern"], response.json()[name])


def test_a_device_without_a_locale_is_inside_the_schema(auth_client):
    response = auth_client.post(
        "/api/v1/me/devices", {"token": "tok-blank", "platform": "ios"}, format="json"
    )
    assert response.status_code in (200, 201), response.content
    assert response.json()["locale"] == ""
    schemas = generated_schema()["components"]["schemas"]
    locale = schemas["DeviceOutput"]["properties"]["locale"]
    allowed = set()
    for option in locale.get("oneOf", [locale]):
        target = schemas[option["$ref"].rsplit("/", 1)[-1]] if "$ref" in option else option
        allowed |= set(target.get("enum", []))
    assert "" in allowed


def test_the_checker_refuses_an_undeclared_code_and_status():
    schema = generated_schema()
    ok = ("GET", "/api/v1/me", "401", "client_error", "not_authenticated", None, "")
    assert check(schema, ok) is None
    assert "not declared" in check(
        schema, ("GET", "/api/v1/me", "401", "client_error", "made_up_code", None, "")
    )
    assert "status 418 not declared" in check(
        schema, ("GET", "/api/v1/me", "418", None, None, None, "")
    )
    assert "top-level field" in check(
        schema, ("GET", "/api/v1/me", "401", "client_error", "not_authenticated", None, "x")
    )


def test_every_registry_entry_names_a_real_operation():
    from common.openapi import ERROR_CODES, ERROR_FIELDS, VALIDATION_CODES

    operations = {
        op["operationId"]
        for path in generated_schema()["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert set(ERROR_CODES) | set(VALIDATION_CODES) | set(ERROR_FIELDS) <= operations


# --- Found by schemathesis (tests/fuzz/), each class fixed in one place -------------------------


def _component(name: str) -> dict:
    return generated_schema()["components"]["schemas"][name]


def test_a_bad_idempotency_key_answers_a_declared_validation_error(couple):
    """common.openapi declares the key's own validation error on every creating POST, even
    those without a body (a ping)."""
    for path, body in (("/api/v1/pings", None), ("/api/v1/appreciations", {"text": "Thanks"})):
        response = couple.client_a.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=" ")
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "Idempotency-Key"
        declared(response)


def test_bad_query_parameters_answer_declared_errors(couple):
    for method, path in (
        ("delete", "/api/v1/couple/space?tell_partner=perhaps"),
        ("delete", "/api/v1/couple/space?%00made-up=1"),
        ("get", "/api/v1/agreements?page_size=%00"),
    ):
        response = getattr(couple.client_a, method)(path)
        assert response.status_code == 400
        declared(response)


def test_a_list_item_is_named_by_its_index_and_the_schema_says_so(auth_client):
    """`small_things.0`, not the library's `small_things.INDEX` placeholder."""
    too_long = {"small_things": ["x" * 500]}
    response = auth_client.put("/api/v1/me/love-languages", too_long, format="json")
    assert response.json()["errors"][0]["attr"] == "small_things.0"
    declared(response)
    null_item = {"alone_time_windows": [None]}
    response = auth_client.put("/api/v1/me/preferences", null_item, format="json")
    assert (response.json()["errors"][0]["attr"], response.json()["errors"][0]["code"]) == (
        "alone_time_windows.0",
        "null",
    )
    declared(response)
    assert "INDEX" not in str(
        [
            c["properties"]["attr"].get("enum")
            for c in generated_schema()["components"]["schemas"].values()
            if "attr" in c.get("properties", {})
        ]
    )


def test_a_check_back_time_out_of_range_and_a_past_review_date_are_declared(couple):
    far = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()
    response = couple.client_a.post(
        "/api/v1/couple/space", {"ends_at": None, "check_back_at": far}, format="json"
    )
    assert response.json()["errors"][0]["code"] == "check_back_out_of_range"
    declared(response)
    proposal = couple.client_b.post(
        "/api/v1/agreements",
        {
            "title": "Sundays",
            "terms": "Late.",
            "my_need": "Rest.",
            "your_need_as_i_understand": ".",
        },
        format="json",
    ).json()
    response = couple.client_a.post(
        f"/api/v1/agreements/{proposal['id']}/accept",
        {"based_on": 1, "review_on": "2000-01-01"},
        format="json",
    )
    assert response.json()["errors"][0]["code"] == "review_on_not_in_future"
    declared(response)


def test_what_only_the_author_sees_is_optional_in_the_schema(couple):
    """A partner's check-in and conversation request leave the author's own fields out (not
    empty: absent), so the schema must not require them; what it does require is there."""
    for who, person in ((couple.client_a, couple.a), (couple.client_b, couple.b)):
        who.put(f"/api/v1/checkins/{today_for(person).isoformat()}", {"mood": 3}, format="json")
    partners = [
        c for c in couple.client_a.get("/api/v1/checkins").json()["results"] if not c["is_mine"]
    ]
    assert partners and "private_note" not in partners[0]
    assert set(_component("CheckInOutput")["required"]) <= set(partners[0])
    assert {"private_note", "pass", "is_shared"}.isdisjoint(_component("CheckInOutput")["required"])
    assert "calm_score" not in _component("ConversationOutput")["required"]


def test_a_capacity_left_unsaid_is_inside_the_schema(auth_client, user):
    """A blank read-only choice ("" for a capacity nobody gave) is in its enum."""
    response = auth_client.put(
        f"/api/v1/checkins/{today_for(user).isoformat()}", {"mood": 3}, format="json"
    )
    assert response.json()["capacity"] == ""
    options = _component("CheckInOutput")["properties"]["capacity"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in options


def test_too_many_times_in_an_answer_to_can_we_talk_is_declared(couple):
    later = [(dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat() for hours in (2, 3)]
    asked = couple.client_b.post(
        "/api/v1/conversations",
        {
            "topic": "Sundays",
            "depth": "light",
            "urgency": "this_week",
            "calm_score": 4,
            "send_now": True,
            "proposed_times": later,
        },
        format="json",
    ).json()
    many = [(dt.datetime.now(dt.UTC) + dt.timedelta(hours=h)).isoformat() for h in range(4, 9)]
    response = couple.client_a.post(
        f"/api/v1/conversations/{asked['id']}/respond",
        {"action": "propose", "times": many},
        format="json",
    )
    assert response.json()["errors"][0]["code"] == "too_many_times", response.content
    declared(response)
