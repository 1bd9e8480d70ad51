"""Issue 16, item 2: words that signal danger are answered with help, privately. A planted
danger phrase in every free-text field: the writer's answer carries `safety` (resources for
their country and one calm sentence); the write goes through as it would have; the partner's
every response and the coach's admin pages never show it; it is never stored (idempotent
replays recompute it), never logged with the words, never counted."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from common.models import IdempotencyKey
from common.safety.answer import CALM_SENTENCE
from common.tone import TONE_FIELDS
from nudges.models import Notification
from tests.couples.coaching.content import grant_active
from tests.factories import CoachFactory, UserFactory
from tests.utils import access_token_for, assert_error_shape, client_for, today_for

# Seeded by a data migration; put back if a transactional test flushed it.
pytestmark = pytest.mark.usefixtures("crisis_lines", "prompt_library")

# A unique marker inside a sentence the danger table reads as danger (fear of the partner).
MARK = "Qz7planted"
DANGER = f"{MARK} I don't feel safe at home when he drinks."
CALM = str(CALM_SENTENCE)


def _later(hours: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


@dataclass(frozen=True)
class Write:
    method: str
    path: Callable[[Any], str]
    body: Callable[[str], dict[str, Any]]
    fields: tuple[str, ...]


def _text_body(fields: tuple[str, ...], extra: dict[str, Any] | None = None):
    def body(text: str) -> dict[str, Any]:
        return {**(extra or {}), **{name: text for name in fields}}

    return body


# Every write that takes free text, by the free-text fields it takes.
WRITES: dict[str, Write] = {
    "checkin": Write(
        "PUT",
        lambda w: f"/api/v1/checkins/{today_for(w.a).isoformat()}",
        _text_body(("shared_note", "private_note", "prompt_answer"), {"mood": 3}),
        ("shared_note", "private_note", "prompt_answer"),
    ),
    "appreciation": Write(
        "POST", lambda w: "/api/v1/appreciations", _text_body(("text",)), ("text",)
    ),
    "boundary": Write(
        "POST", lambda w: "/api/v1/boundaries", _text_body(("text",), {"kind": "need"}), ("text",)
    ),
    "conversation": Write(
        "POST",
        lambda w: "/api/v1/conversations",
        lambda text: {
            "topic": text,
            "depth": "medium",
            "urgency": "this_week",
            "calm_score": 4,
            "send_now": True,
            "proposed_times": [_later(24), _later(48)],
        },
        ("topic",),
    ),
    "space": Write(
        "POST",
        lambda w: "/api/v1/couple/space",
        lambda text: {"ends_at": _later(3), "reassurance_text": text},
        ("reassurance_text",),
    ),
    "agreement": Write(
        "POST",
        lambda w: "/api/v1/agreements",
        _text_body(("title", "terms", "my_need", "your_need_as_i_understand")),
        ("title", "terms", "my_need", "your_need_as_i_understand"),
    ),
    "love_languages": Write(
        "PATCH",
        lambda w: "/api/v1/me/love-languages",
        lambda text: {"small_things": ["A warm tea.", text]},
        ("small_things",),
    ),
    "preferences": Write(
        "PATCH",
        lambda w: "/api/v1/me/preferences",
        _text_body(("reassurance", "connection_activities_other")),
        ("reassurance", "connection_activities_other"),
    ),
}


def _send(client, write: Write, world, text: str, **headers):
    call = getattr(client, write.method.lower())
    return call(write.path(world), write.body(text), format="json", **headers)


def _partner_get_paths() -> list[str]:
    """Every GET route of the API without a path parameter: what a partner can read."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"].items()
    return sorted(path for path, operations in paths if "get" in operations and "{" not in path)


def _assert_no_safety(content: str, where: str) -> None:
    assert '"safety"' not in content, where
    assert CALM not in content, where


# --- The writer is answered with help ------------------------------------------------------------


PLAIN = "A calm sentence about Sunday."
CASES = [(name, field) for name, write in sorted(WRITES.items()) for field in write.fields]


def _with_danger_in(write: Write, field: str) -> dict[str, Any]:
    body = write.body(PLAIN)
    body[field] = [PLAIN, DANGER] if isinstance(body[field], list) else DANGER
    return body


@pytest.mark.parametrize("name", sorted(WRITES))
def test_plain_words_get_no_block(couple, name):
    response = _send(couple.client_a, WRITES[name], couple, PLAIN)
    assert response.status_code in (200, 201), response.content
    assert "safety" not in response.json() and "tone_hints" in response.json()


@pytest.mark.parametrize(("name", "field"), CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_a_danger_phrase_in_any_free_text_field_answers_the_writer_with_help(couple, name, field):
    write = WRITES[name]
    couple.a.time_zone = "Europe/Berlin"
    couple.a.save(update_fields=["time_zone"])
    call = getattr(couple.client_a, write.method.lower())
    response = call(write.path(couple), _with_danger_in(write, field), format="json")
    assert response.status_code in (200, 201), response.content
    safety = response.json()["safety"]
    assert safety["message"] == CALM
    resources = safety["resources"]
    assert (resources["country"], resources["selected_by"]) == ("DE", "time_zone")
    assert "112" in [line["phone"] for line in resources["emergency"]]
    assert resources["directories"]
    # The block names no words and no kind of danger.
    assert MARK not in str(safety) and "fear" not in str(safety)
    # The write went through as it would have: the words are there, as written.
    assert DANGER in response.content.decode()


def test_every_free_text_field_is_walked_above():
    assert {field for write in WRITES.values() for field in write.fields} == set(TONE_FIELDS)


def test_tone_check_answers_the_same_help_before_anything_is_sent(couple):
    plain = couple.client_a.post("/api/v1/tone/check", {"text": "Sunday was nice."}, format="json")
    assert plain.status_code == 200 and "safety" not in plain.json()
    for body in (
        {"text": DANGER},
        {"text": DANGER, "field": "shared_note"},
        {"text": DANGER, "field": "topic", "language": "en"},
    ):
        response = couple.client_a.post("/api/v1/tone/check", body, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["safety"]["message"] == CALM


def test_tone_check_refuses_a_language_it_does_not_know(couple):
    response = couple.client_a.post(
        "/api/v1/tone/check", {"text": DANGER, "language": "xx"}, format="json"
    )
    assert_error_shape(response, 400, "invalid_choice", "validation_error")


def test_negated_and_quoted_danger_is_still_answered(couple):
    for text in (
        "I don't want to be here anymore.",
        "He said 'you'll regret leaving'.",
        "I'm not scared of him, I just do what he says.",
    ):
        response = couple.client_a.post("/api/v1/tone/check", {"text": text}, format="json")
        assert "safety" in response.json(), text


def test_without_a_time_zone_country_the_request_region_chooses(db):
    person = UserFactory(time_zone="UTC")
    client = client_for(person)
    response = client.post(
        "/api/v1/tone/check", {"text": DANGER}, format="json", HTTP_ACCEPT_LANGUAGE="en-GB"
    )
    resources = response.json()["safety"]["resources"]
    assert (resources["country"], resources["selected_by"]) == ("GB", "accept_language")
    assert "116 123" in [line["phone"] for line in resources["crisis"]]


# --- Never shown to anyone else --------------------------------------------------------------


def test_the_partner_and_a_coach_never_see_it(couple, coaches_group):
    for write in WRITES.values():
        response = _send(couple.client_a, write, couple, DANGER)
        assert "safety" in response.json()

    for path in _partner_get_paths():
        seen = couple.client_b.get(path)
        _assert_no_safety(seen.content.decode(), path)
    # The partner's inbox says nothing of it either.
    for notification in Notification.objects.filter(recipient=couple.b):
        assert CALM not in f"{notification.title} {notification.body}"

    coach = CoachFactory(groups=[coaches_group])
    grant_active(couple, coach)
    admin = Client()
    admin.force_login(coach)
    couples = "/admin/couples/couple/"
    for url in ["/admin/", couples, f"{couples}{couple.couple.pk}/change/"]:
        page = admin.get(url)
        assert page.status_code == 200, url
        _assert_no_safety(page.content.decode(), url)


# --- Never stored, never logged ------------------------------------------------------------


def test_an_idempotent_replay_recomputes_it_and_the_stored_response_never_holds_it(couple):
    headers = {"HTTP_IDEMPOTENCY_KEY": "replay-safety-1", "format": "json"}
    first = couple.client_a.post("/api/v1/appreciations", {"text": DANGER}, **headers)
    assert first.status_code == 201 and "safety" in first.json()
    (stored,) = IdempotencyKey.objects.filter(user=couple.a)
    assert "safety" not in stored.response_body and CALM not in str(stored.response_body)

    replay = couple.client_a.post("/api/v1/appreciations", {"text": DANGER}, **headers)
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert IdempotencyKey.objects.get(pk=stored.pk).response_body == stored.response_body


def test_the_words_are_never_logged_and_the_block_never_stored(couple, caplog):
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        for write in WRITES.values():
            assert "safety" in _send(couple.client_a, write, couple, DANGER).json()
        checked = couple.client_a.post("/api/v1/tone/check", {"text": DANGER}, format="json")
        assert "safety" in checked.json()
    for record in caplog.records:
        text = record.getMessage() + str(record.__dict__)
        assert MARK not in text and CALM not in text
    # The words are stored where the writer put them; the block never is.
    assert not any(CALM in query["sql"] for query in queries.captured_queries)
    assert not any("safety" in str(query["sql"]).lower() for query in queries.captured_queries)


def test_a_token_for_someone_else_never_changes_whose_country_it_is(couple):
    """The block uses the writer's own time zone, never anyone else's."""
    couple.a.time_zone, couple.b.time_zone = "America/New_York", "Australia/Sydney"
    couple.a.save(update_fields=["time_zone"])
    couple.b.save(update_fields=["time_zone"])
    answer = couple.client_a.post("/api/v1/tone/check", {"text": DANGER}, format="json").json()
    assert answer["safety"]["resources"]["country"] == "US"
    assert access_token_for(couple.b)  # the partner is signed in too; it changes nothing
