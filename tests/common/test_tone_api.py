"""Issue 13, items 14 and 15, walked through the API: the tone helper sees labels,
"your problem is", conditional-love tests, "stop being so" and sarcasm; it reads each text as
the field it is written in, the same way in `tone/check` and in the write; the app can ask
before it sends (the reassurance of someone taking space included); and what it says reaches
the writer alone, never the partner, never a log or a table."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from rest_framework import serializers

from common.serializers import ToneHintsField
from common.tone import TONE_FIELDS, tone_hints
from couples.serializers.agreements import AGREEMENT_TEXT_FIELDS
from nudges.models import Nudge
from tests.nudges.delivering import deliver_due
from tests.utils import assert_error_shape, client_for

URL = "/api/v1/tone/check"
NOON = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)  # noon in Berlin: outside quiet hours

# What the helper used to let through (item 14), and the code it now answers.
MISSED_BEFORE = [
    ("You are such an avoidant.", "attachment_label", "You are such an avoidant"),
    ("stop being so needy", "stop_being_so", "stop being so needy"),
    ("Your problem is that you can't handle feelings.", "your_problem", "Your problem is"),
    ("If you loved me you would call.", "love_test", "If you loved me"),
    ("Thanks for finally texting back, I guess.", "sarcasm", "Thanks for finally"),
]
KIND_NEED = "You need to have quiet evenings to recharge."
SPACE_WORDS = "You always do this, so I am taking space too."


def _check(client, text: str, field: str | None = None) -> list[dict]:
    body = {"text": text} if field is None else {"text": text, "field": field}
    response = client.post(URL, body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["tone_hints"]


def _partner_sees_nothing_new(couple, before: int) -> None:
    """The partner's inbox and nudges are untouched by the writer's drafts."""
    assert Nudge.objects.filter(recipient=couple.b).count() == before
    inbox = couple.client_b.get("/api/v1/notifications").json()
    assert inbox["results"] == [] and inbox["unread_count"] == 0


# --- Item 14: rows for what hurts ---------------------------------------------------------


@pytest.mark.parametrize(("text", "code", "phrase"), MISSED_BEFORE)
def test_tone_check_sees_what_it_used_to_miss_and_the_partner_hears_nothing(
    couple, text, code, phrase
):
    before = Nudge.objects.filter(recipient=couple.b).count()
    (hint,) = _check(couple.client_a, text)
    assert hint["code"] == code
    assert phrase in hint["excerpt"] and text[hint["start"] : hint["end"]] == hint["excerpt"]
    assert hint["suggestion"] and "…" in hint["i_statement"]
    assert hint["attr"] is None
    _partner_sees_nothing_new(couple, before)


def test_each_new_kind_has_its_own_warm_suggestion(couple):
    suggestions = {
        hint["code"]: hint["suggestion"]
        for text, _code, _phrase in MISSED_BEFORE
        for hint in _check(couple.client_a, text)
    }
    assert len(set(suggestions.values())) == len(MISSED_BEFORE)
    for suggestion in suggestions.values():
        # Advice about the writer's words, never a verdict on the writer or the partner.
        assert "you are" not in suggestion.lower() and "wrong" not in suggestion.lower()


def test_a_need_in_the_field_that_asks_for_it_is_not_flagged_and_elsewhere_it_is(couple):
    assert _check(couple.client_a, KIND_NEED, "your_need_as_i_understand") == []
    (elsewhere,) = _check(couple.client_a, KIND_NEED, "my_need")
    assert (elsewhere["code"], elsewhere["attr"]) == ("should_statement", "my_need")
    (without_field,) = _check(couple.client_a, KIND_NEED)
    assert (without_field["code"], without_field["attr"]) == ("should_statement", None)
    # Blame in that field is still seen.
    (blame,) = _check(
        couple.client_a, "You need to stop being so clingy.", "your_need_as_i_understand"
    )
    assert blame["code"] == "stop_being_so"


def test_the_saved_write_reads_each_field_like_tone_check_does(couple):
    """The agreement walk: check every field first, then send; the answer's hints are the
    same, the partner reads the proposal with no hints and gets only the usual nudge."""
    proposal = {
        "title": "Quiet evenings",
        "terms": "If you loved me you would call on the quiet evenings.",
        "my_need": "I need to hear from you once on the evening.",
        "your_need_as_i_understand": KIND_NEED,
    }
    with time_machine.travel(NOON, tick=False):  # noon in Berlin: the nudge goes out now
        a, b = client_for(couple.a), client_for(couple.b)

        # 1. The app checks each field before sending: one hint, on the terms.
        checked = {name: _check(a, text, name) for name, text in proposal.items()}
        assert [h["code"] for h in checked["terms"]] == ["love_test"]
        assert checked["title"] == checked["my_need"] == checked["your_need_as_i_understand"]
        assert checked["title"] == []
        assert not Nudge.objects.filter(recipient=couple.b).exists()

        # 2. Sent as it was: the write answers the same hint, on the same words.
        response = a.post("/api/v1/agreements", proposal, format="json")
        assert response.status_code == 201, response.content
        written = response.json()
        assert [(h["attr"], h["code"]) for h in written["tone_hints"]] == [("terms", "love_test")]
        assert [h["excerpt"] for h in written["tone_hints"]] == [
            h["excerpt"] for h in checked["terms"]
        ]

        # 3. The partner reads the proposal as written, with no hint, and is told as usual.
        seen = b.get(f"/api/v1/agreements/{written['id']}").json()
        assert "tone_hints" not in seen
        assert seen["latest_revision"]["your_need_as_i_understand"] == KIND_NEED
        deliver_due(NOON)
        kinds = list(Nudge.objects.filter(recipient=couple.b).values_list("kind", flat=True))
        assert kinds == ["agreement_proposed"]
        (notification,) = b.get("/api/v1/notifications").json()["results"]
        shown = notification["title"] + notification["body"]
        for hint in written["tone_hints"]:
            assert hint["suggestion"] not in shown and hint["excerpt"] not in shown
        # The writer's own inbox holds nothing about their wording either.
        assert a.get("/api/v1/notifications").json()["results"] == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"text": "You never listen.", "field": "no_such_field"}, "invalid_choice"),
        ({"text": "You never listen.", "field": 7}, "invalid_choice"),
        ({"text": "You never listen.", "field": ["terms"]}, "invalid_choice"),
    ],
)
def test_an_unknown_field_is_a_clear_400(auth_client, body, code):
    payload = assert_error_shape(
        auth_client.post(URL, body, format="json"), 400, code, "validation_error"
    )
    assert payload["errors"][0]["attr"] == "field"


@pytest.mark.parametrize("field", [None, *TONE_FIELDS])
def test_every_documented_field_is_accepted_and_never_blocks(auth_client, field):
    hints = _check(auth_client, "You're so selfish. Your problem is you never listen.", field)
    assert {h["code"] for h in hints} >= {"name_calling", "your_problem"}
    assert {h["attr"] for h in hints} == {field}


# --- Item 15: ask before sending; the reassurance of someone taking space --------------------


def test_the_reassurance_sent_when_taking_space_is_checked_before_and_after(couple):
    before = Nudge.objects.filter(recipient=couple.b).count()

    # 1. The app asks before sending, with the field.
    (asked,) = _check(couple.client_a, SPACE_WORDS, "reassurance_text")
    assert (asked["code"], asked["attr"], asked["excerpt"]) == (
        "absolute_always",
        "reassurance_text",
        "You always",
    )
    _partner_sees_nothing_new(couple, before)

    # 2. The person sends it anyway: never blocked, and the answer carries the same hint.
    ends_at = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()
    started = couple.client_a.post(
        "/api/v1/couple/space",
        {"ends_at": ends_at, "reassurance_text": SPACE_WORDS},
        format="json",
    )
    assert started.status_code == 201, started.content
    assert started.json()["tone_hints"] == [asked]

    # 3. The partner reads the words the person chose, with no hint and no advice.
    seen = couple.client_b.get("/api/v1/couple").json()
    assert seen["partner_space"]["reassurance_message"] == SPACE_WORDS
    assert "tone_hints" not in seen["partner_space"]
    assert asked["suggestion"] not in str(seen)
    assert "tone_hints" not in couple.client_b.get("/api/v1/couple").content.decode()
    _partner_sees_nothing_new(couple, before)

    # 4. The person's own read of the space is plain too: hints come with the write only.
    mine = couple.client_a.get("/api/v1/couple").json()["my_space"]
    assert mine["reassurance_message"] == SPACE_WORDS and "tone_hints" not in mine


def test_a_curated_reassurance_gets_no_hints(couple):
    ends_at = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()
    started = couple.client_a.post(
        "/api/v1/couple/space", {"ends_at": ends_at, "reassurance": "not_about_you"}, format="json"
    )
    assert started.status_code == 201 and started.json()["tone_hints"] == []


# --- Never stored, never logged ---------------------------------------------------------------


def test_tone_check_neither_stores_nor_logs_the_text(couple, caplog):
    planted = "Zyxwv-planted: you are such an avoidant, if you loved me you would call."
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        hints = _check(couple.client_a, planted, "reassurance_text")
    assert {h["code"] for h in hints} == {"attachment_label", "love_test"}
    assert not any("Zyxwv" in query["sql"] for query in queries.captured_queries)
    assert not any("Zyxwv" in record.getMessage() for record in caplog.records)
    assert not any("Zyxwv" in str(record.__dict__) for record in caplog.records)
    for path in ["/api/v1/couple", "/api/v1/notifications", "/api/v1/agreements"]:
        assert "Zyxwv" not in couple.client_b.get(path).content.decode()


# --- The field names the writes use are the documented ones --------------------------------


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _all_subclasses(sub)
    return found


def _fields_the_writes_hint_on() -> set[str]:
    # Loading the URLs imports every view, and so every serializer.
    assert get_resolver().url_patterns
    names = set(AGREEMENT_TEXT_FIELDS) | {"title"}  # agreements hint through a method field
    for serializer in _all_subclasses(serializers.BaseSerializer):
        for declared in getattr(serializer, "_declared_fields", {}).values():
            if isinstance(declared, ToneHintsField):
                names |= set(declared.text_fields)
    return names


def test_every_field_a_write_hints_on_is_a_documented_field_and_back():
    """A write's `tone_hints` and `tone/check` read a field by the same name, so a new
    free-text field with hints must be added to `common.tone.TONE_FIELDS` (the `field` enum),
    and the enum lists nothing no write has."""
    assert _fields_the_writes_hint_on() == set(TONE_FIELDS)


def test_the_rules_are_the_same_in_tone_check_and_in_the_write(couple):
    for name in TONE_FIELDS:
        direct = [h.code for h in tone_hints(KIND_NEED, field=name)]
        assert [h["code"] for h in _check(couple.client_a, KIND_NEED, name)] == direct
