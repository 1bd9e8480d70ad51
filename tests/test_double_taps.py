"""Double taps are not errors (issue 13, item 13). Every POST route of the API, found from
the URL resolver (not from a list someone keeps), is sent twice, as a thumb on a slow
network sends it: a repeated action that changes nothing answers the same success as the
first. Creating routes are retried the documented way, with the same `Idempotency-Key`
(without one, two taps on "send a ping" are two pings, by design).

A POST route the resolver knows and this file does not makes
`test_every_post_route_has_a_double_tap` fail: a new action comes with its double tap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from couples.services.agreements import agreement_accept, agreement_propose
from couples.services.coaching import coach_grant_consent, coach_grant_invite
from couples.services.messages import ping_send
from nudges.inbox import nudges_deliver
from nudges.models import Notification, Nudge
from nudges.services import unsubscribe_token
from tests.factories import BoundaryFactory, CoachFactory, UserFactory
from tests.utils import client_for, next_noon_for, today_for

API = "api/v1/"
TEXTS = {
    "terms": "We keep Sunday mornings free of chores until eleven.",
    "my_need": "Rest after a long week.",
    "your_need_as_i_understand": "Knowing the chores still get done.",
}


def _post_routes() -> set[str]:
    """The names of every /api/v1/ route that answers POST."""

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry

    names = set()
    for path, pattern in walk(get_resolver().url_patterns):
        if not path.startswith(API):
            continue
        callback = pattern.callback
        actions = getattr(callback, "actions", None)
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if (actions and "post" in actions) or (not actions and hasattr(view, "post")):
            names.add(pattern.name)
    return names


@dataclass
class Tap:
    """One request, to be sent twice."""

    client: APIClient
    url: str
    body: dict = field(default_factory=dict)
    create: bool = False  # a creating POST: retried with the same Idempotency-Key


def _later(hours: float) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(microsecond=0).isoformat()


ASK = {
    "topic": "How we spend Sundays",
    "depth": "medium",
    "urgency": "this_week",
    "calm_score": 4,
    "send_now": True,
}


def _conversation(w) -> str:
    """a asks b "can we talk?" (through the API: the request's rules are not this file's)."""
    asked = w.client_a.post(
        "/api/v1/conversations",
        {**ASK, "proposed_times": [_later(24), _later(48)]},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    return asked.json()["id"]


def _grant(w, *, active: bool):
    grant = coach_grant_invite(user=w.a, coach_email=w.coach.email)
    return coach_grant_consent(grant=grant, user=w.b) if active else grant


def _invite_code(inviter) -> str:
    return client_for(inviter).post("/api/v1/invites").json()["code"]


def _checked_in(client, person) -> str:
    """`person` checks in today, sharing a note (through the API)."""
    day = today_for(person).isoformat()
    put = client.put(f"/api/v1/checkins/{day}", {"mood": 3, "shared_note": "A slow day."})
    assert put.status_code in (200, 201), put.content
    return put.json()["id"]


def _notification(w) -> str:
    """A real ping from b, delivered to a at a's noon (never in quiet hours)."""
    ping = ping_send(sender=w.b)
    nudge = Nudge.objects.get(kind="ping", subject_id=ping.pk)
    nudges_deliver([nudge.pk], now=next_noon_for(w.a))
    return str(Notification.objects.get(nudge=nudge).pk)


def _draft(w) -> str:
    """a writes a request and keeps it as a draft (their own, not sent)."""
    kept = w.client_a.post(
        "/api/v1/conversations",
        {**ASK, "send_now": False, "hold_until_confirmed": True, "proposed_times": [_later(24)]},
        format="json",
    )
    assert kept.status_code == 201, kept.content
    return kept.json()["id"]


def _agreement(w, *, state: str = "negotiating") -> str:
    """Proposed by a; `active`: accepted by b."""
    agreement = agreement_propose(author=w.a, title="Sunday mornings", **TEXTS)
    if state == "active":
        agreement = agreement_accept(agreement=agreement, user=w.b, based_on=1)
    return str(agreement.pk)


# How to tap each route, given the world `w` (a couple a and b, their clients, a coach, a
# stranger). Each setup leaves the route ready for its first tap to succeed.
SCENARIOS: dict[str, Callable[[SimpleNamespace], Tap]] = {
    # --- nudges ------------------------------------------------------------------------------
    "nudges-unsubscribe": lambda w: Tap(
        APIClient(), f"/api/v1/unsubscribe/{unsubscribe_token(user_id=w.a.pk, kind='ping')}"
    ),
    "device-list": lambda w: Tap(
        w.client_a, "/api/v1/me/devices", {"token": "push-token-1", "platform": "ios"}, True
    ),
    "notification-read-all": lambda w: Tap(w.client_a, "/api/v1/notifications/read-all"),
    "notification-read": lambda w: Tap(
        w.client_a, f"/api/v1/notifications/{_notification(w)}/read"
    ),
    # --- the couple --------------------------------------------------------------------------
    "couple-end": lambda w: Tap(w.client_a, "/api/v1/couple/end"),
    "me-session-sign-out-others": lambda w: Tap(w.client_a, "/api/v1/me/sessions/sign-out-others"),
    "couple-space": lambda w: Tap(
        w.client_a, "/api/v1/couple/space", {"ends_at": _later(3), "reassurance": ""}
    ),
    "invite-list": lambda w: Tap(client_for(UserFactory()), "/api/v1/invites", {}, True),
    "invite-accept": lambda w: Tap(
        w.stranger_client, f"/api/v1/invites/{_invite_code(UserFactory())}/accept"
    ),
    "invite-decline": lambda w: Tap(
        w.stranger_client, f"/api/v1/invites/{_invite_code(UserFactory())}/decline"
    ),
    "appreciation-list": lambda w: Tap(
        w.client_a, "/api/v1/appreciations", {"text": "Thank you for dinner."}, True
    ),
    "ping-list": lambda w: Tap(w.client_a, "/api/v1/pings", {}, True),
    "reassurance-list": lambda w: Tap(
        w.client_a, "/api/v1/reassurances", {"line": "not_about_you"}, True
    ),
    # --- conversations -----------------------------------------------------------------------
    "conversation-list": lambda w: Tap(
        w.client_a,
        "/api/v1/conversations",
        {**ASK, "proposed_times": [_later(24), _later(48)]},
        True,
    ),
    "conversation-respond": lambda w: _conversation_pick(w),
    "conversation-withdraw": lambda w: Tap(
        w.client_a, f"/api/v1/conversations/{_conversation(w)}/withdraw"
    ),
    "conversation-send": lambda w: Tap(w.client_a, f"/api/v1/conversations/{_draft(w)}/send"),
    "conversation-hold": lambda w: Tap(
        w.client_a, f"/api/v1/conversations/{_draft(w)}/hold", {"hold_minutes": 60}
    ),
    "conversation-discard": lambda w: Tap(w.client_a, f"/api/v1/conversations/{_draft(w)}/discard"),
    # --- boundaries --------------------------------------------------------------------------
    "boundary-list": lambda w: Tap(
        w.client_a, "/api/v1/boundaries", {"kind": "need", "text": "Quiet mornings."}, True
    ),
    "boundary-acknowledge": lambda w: Tap(
        w.client_b,
        f"/api/v1/boundaries/{BoundaryFactory(owner=w.a, shared=True).pk}/acknowledge",
    ),
    "boundary-restore": lambda w: _boundary_restore(w),
    # --- agreements --------------------------------------------------------------------------
    "agreement-list": lambda w: Tap(
        w.client_a, "/api/v1/agreements", {"title": "Sunday mornings", **TEXTS}, True
    ),
    "agreement-accept": lambda w: Tap(
        w.client_b, f"/api/v1/agreements/{_agreement(w)}/accept", {"based_on": 1}
    ),
    "agreement-amend": lambda w: Tap(
        w.client_a,
        f"/api/v1/agreements/{_agreement(w)}/amend",
        {**TEXTS, "terms": "Until noon.", "based_on": 1},
    ),
    "agreement-counter": lambda w: Tap(
        w.client_b,
        f"/api/v1/agreements/{_agreement(w)}/counter",
        {**TEXTS, "terms": "Until ten.", "based_on": 1},
    ),
    "agreement-keep": lambda w: Tap(
        w.client_a, f"/api/v1/agreements/{_agreement(w, state='active')}/keep"
    ),
    "agreement-retire": lambda w: Tap(
        w.client_a, f"/api/v1/agreements/{_agreement(w, state='active')}/retire"
    ),
    "agreement-snooze": lambda w: Tap(
        w.client_b,
        f"/api/v1/agreements/{_agreement(w)}/snooze",
        {"until": str(today_for(w.b) + dt.timedelta(days=3))},
    ),
    "agreement-withdraw": lambda w: Tap(
        w.client_a, f"/api/v1/agreements/{_agreement(w)}/withdraw", {"based_on": 1}
    ),
    # --- coach grants ------------------------------------------------------------------------
    "coach-grant-list": lambda w: Tap(
        w.client_a, "/api/v1/couple/coach-grants", {"coach_email": w.coach.email}, True
    ),
    "coach-grant-consent": lambda w: Tap(
        w.client_b, f"/api/v1/couple/coach-grants/{_grant(w, active=False).pk}/consent"
    ),
    "coach-grant-renew": lambda w: _grant_renew(w),
    "coach-grant-revoke": lambda w: Tap(
        w.client_b, f"/api/v1/couple/coach-grants/{_grant(w, active=True).pk}/revoke"
    ),
    # --- check-ins ---------------------------------------------------------------------------
    "checkin-unsend": lambda w: _checkin_unsend(w),
    "checkin-share": lambda w: _checkin_share(w),
    "checkin-acknowledge": lambda w: _checkin_acknowledge(w),
    # --- me ----------------------------------------------------------------------------------
    # Accepting the current privacy notice again records nothing new: the same answer.
    "me-consent": lambda w: Tap(
        w.client_a,
        "/api/v1/me/consent",
        {
            "notice_version": settings.PRIVACY_NOTICE_VERSION,
            "sensitive_data": True,
            "age_confirmed": True,
        },
    ),
    # --- tone --------------------------------------------------------------------------------
    "tone-check": lambda w: Tap(w.client_a, "/api/v1/tone/check", {"text": "You never call."}),
    # --- lessons: marks on my own progress; a share is sent once --------------------------
    "lesson-complete": lambda w: Tap(w.client_a, "/api/v1/lessons/calm-first/complete"),
    "lesson-dismiss": lambda w: Tap(w.client_a, "/api/v1/lessons/calm-first/dismiss"),
    "lesson-share": lambda w: Tap(w.client_a, "/api/v1/lessons/not-about-you/share"),
}


def _conversation_pick(w) -> Tap:
    pk = _conversation(w)
    time = w.client_b.get(f"/api/v1/conversations/{pk}").json()["proposed_times"][0]
    return Tap(w.client_b, f"/api/v1/conversations/{pk}/respond", {"action": "pick", "time": time})


def _grant_renew(w) -> Tap:
    grant = _grant(w, active=True)
    # Ten days before it runs out: a renewal that asks the partner again.
    type(grant).objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=10)
    )
    return Tap(w.client_a, f"/api/v1/couple/coach-grants/{grant.pk}/renew")


def _checkin_unsend(w) -> Tap:
    _checked_in(w.client_a, w.a)
    return Tap(w.client_a, f"/api/v1/checkins/{today_for(w.a).isoformat()}/unsend")


def _checkin_share(w) -> Tap:
    _checkin_unsend(w)
    day = today_for(w.a).isoformat()
    assert w.client_a.post(f"/api/v1/checkins/{day}/unsend").status_code == 200
    return Tap(w.client_a, f"/api/v1/checkins/{day}/share")


def _boundary_restore(w) -> Tap:
    boundary = BoundaryFactory(owner=w.a, shared=True)
    assert w.client_a.delete(f"/api/v1/boundaries/{boundary.pk}").status_code == 204
    return Tap(w.client_a, f"/api/v1/boundaries/{boundary.pk}/restore")


def _checkin_acknowledge(w) -> Tap:
    pk = _checked_in(w.client_a, w.a)
    _checked_in(w.client_b, w.b)  # the reveal is mutual
    return Tap(w.client_b, f"/api/v1/checkins/{pk}/acknowledge", {"reaction": "thanks"})


# Routes whose second tap is an error by design, each with its reason. None: every repeat
# looked at so far can answer the person who made it with the same success without telling
# anyone anything new (a used invite code, for instance, can answer its own user kindly and
# still give everybody else the one identical "this code doesn't work").
BY_DESIGN: dict[str, str] = {}


def test_every_post_route_has_a_double_tap():
    assert _post_routes() == set(SCENARIOS)


@pytest.fixture
def world(couple, coaches_group, stranger_client, lessons) -> SimpleNamespace:
    """The couple a and b with their clients, a coach, and someone in no couple."""
    coach = CoachFactory(groups=[coaches_group])
    return SimpleNamespace(**vars(couple), coach=coach, stranger_client=stranger_client)


@pytest.mark.parametrize("route", sorted(SCENARIOS))
def test_doing_it_twice_answers_the_same_success(world, route):
    tap = SCENARIOS[route](world)
    headers = {"HTTP_IDEMPOTENCY_KEY": f"double-tap-{route}"} if tap.create else {}
    first = tap.client.post(tap.url, tap.body, format="json", **headers)
    assert 200 <= first.status_code < 300, (route, first.status_code, first.content)
    second = tap.client.post(tap.url, tap.body, format="json", **headers)
    if route in BY_DESIGN:
        assert second.status_code >= 400, (route, second.content)
        return
    assert second.status_code == first.status_code, (route, second.status_code, second.content)
    if tap.create:
        assert second["Idempotent-Replayed"] == "true"
        assert second.json() == first.json()
