"""Private words never reach the partner, by any road (review of issue 16-18's new fields).

The owner writes a planted string into every free-text field that is theirs alone: a lesson
reflection (new in issue 18), a private boundary, the private note of a check-in and a
conversation draft not yet sent; they also read, put aside and share lessons, so that the
partner is told something. The partner's phone and email are registered and every nudge is
delivered. Then the partner reads every GET route of the schema, object routes included
(`every_get` fills `{id}` and `{slug}` from the partner's own lists), asks for their own
export, and receives every push and email: no planted string is anywhere in it. The owner's
own answers hold every one of them, so their absence means "not yours", not "nothing there"."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from nudges.channels.push import RecordingPushBackend
from nudges.channels.sending import deliveries_send
from nudges.inbox import nudges_deliver
from nudges.models import Delivery, Notification, Nudge
from tests.factories import pair
from tests.utils import EXPORT_PATH, client_for, every_get, next_noon_for, today_for

pytestmark = pytest.mark.usefixtures("lessons")

REFLECTION = "PLANTED-REFLECTION-7Q2W"
BOUNDARY = "PLANTED-BOUNDARY-3K8L"
PRIVATE_NOTE = "PLANTED-PRIVATE-NOTE-5M1N"
DRAFT = "PLANTED-DRAFT-9R4T"
PLANTED = (REFLECTION, BOUNDARY, PRIVATE_NOTE, DRAFT)
SLUG = "space-and-connection"
PARTNER_TOKEN = "PUSH-TOKEN-OF-THE-PARTNER"


def _ok(response, *statuses: int) -> dict:
    assert response.status_code in statuses, response.content
    return response.json() if response.content else {}


@pytest.fixture
def words(db):
    """(the owner's client, the partner's client) after the owner wrote every private word
    and everything reached the partner that would."""
    _couple, owner, partner = pair()
    noon = next_noon_for(partner)
    with time_machine.travel(noon, tick=True):
        mine, theirs = client_for(owner), client_for(partner)
        _ok(
            theirs.post(
                "/api/v1/me/devices",
                {"token": PARTNER_TOKEN, "platform": "android"},
                format="json",
            ),
            201,
        )
        _ok(
            mine.put(f"/api/v1/lessons/{SLUG}/reflection", {"text": REFLECTION}, format="json"),
            200,
        )
        _ok(mine.post(f"/api/v1/lessons/{SLUG}/complete"), 200)
        _ok(mine.post("/api/v1/lessons/go-slowly/dismiss"), 200)
        _ok(mine.post(f"/api/v1/lessons/{SLUG}/share"), 200)
        _ok(
            mine.post("/api/v1/boundaries", {"kind": "need", "text": BOUNDARY}, format="json"),
            201,
        )
        today = today_for(owner).isoformat()
        _ok(
            mine.put(
                f"/api/v1/checkins/{today}",
                {"mood": 3, "shared_note": "A slow day", "private_note": PRIVATE_NOTE},
                format="json",
            ),
            200,
            201,
        )
        # The partner checks in too, so the owner's check-in is revealed to them.
        _ok(theirs.put(f"/api/v1/checkins/{today}", {"mood": 4}, format="json"), 200, 201)
        _ok(
            mine.post(
                "/api/v1/conversations",
                {
                    "topic": DRAFT,
                    "depth": "medium",
                    "urgency": "this_week",
                    "calm_score": 4,
                    "send_now": False,
                    "hold_until_confirmed": True,
                    "proposed_times": [(timezone.now() + timezone.timedelta(days=1)).isoformat()],
                },
                format="json",
            ),
            201,
        )
        mail.outbox.clear()
        RecordingPushBackend.outbox.clear()
        nudges_deliver(list(Nudge.objects.values_list("pk", flat=True)), now=timezone.now())
        deliveries_send(list(Delivery.objects.values_list("pk", flat=True)), now=timezone.now())
    # Fresh sign-ins now: the tokens above were made on the partner's noon.
    return owner, partner, client_for(owner), client_for(partner)


def test_the_owner_reads_every_planted_word(words):
    _owner, _partner, mine, _theirs = words
    answers = every_get(mine)
    everything = "".join(body.decode() for _status, body in answers.values())
    export = mine.get(EXPORT_PATH).content.decode()
    for word in PLANTED:
        assert word in everything, word
        assert word in export, word


def test_the_partner_meets_none_of_them_in_any_answer_or_their_export(words):
    _owner, _partner, _mine, theirs = words
    answers = every_get(theirs)
    # The object routes were walked: every lesson's page and reflection, by slug.
    assert f"/api/v1/lessons/{SLUG}/reflection" in answers
    assert answers[f"/api/v1/lessons/{SLUG}"][0] == 200
    export = theirs.get(EXPORT_PATH)
    answers[EXPORT_PATH] = (export.status_code, export.content)
    assert export.status_code == 200
    # The share reached the partner.
    assert "read a short lesson" in answers["/api/v1/notifications"][1].decode()
    leaks = [
        (path, word)
        for path, (_s, body) in answers.items()
        for word in PLANTED
        if word in body.decode()
    ]
    assert leaks == []


def test_no_push_email_or_inbox_row_of_the_partner_carries_them(words):
    _owner, partner, _mine, _theirs = words
    pushes = [m for m in RecordingPushBackend.outbox if m["token"] == PARTNER_TOKEN]
    inbox = list(Notification.objects.filter(recipient=partner))
    assert pushes and inbox, "the share reached the partner's phone and inbox"
    emails = [e for e in mail.outbox if partner.email in e.to]
    texts = [json.dumps(m) for m in pushes]
    texts += [f"{e.subject}\n{e.body}" for e in emails]
    texts += [
        json.dumps({k: str(v) for k, v in row.__dict__.items() if not k.startswith("_")})
        for row in inbox
    ]
    assert [t for t in texts if any(word in t for word in PLANTED)] == []
