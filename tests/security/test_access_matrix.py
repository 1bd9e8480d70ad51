"""The generated access matrix (issue 14, item 7): every operation in Haven's OpenAPI schema
(generated in-process, paths under /api/v1) is called by five people, and what each one must
be answered is written in ONE table, `EXPECTED`, below.

- anonymous: nobody signed in;
- stranger: signed in, in no couple;
- other_couple: a member of another active couple;
- partner: the owner's partner;
- owner: the person whose object the path names (for self routes such as /me or
  /couple/space: simply the person calling; for invites: the unpaired person who invited).

Path parameters are filled with real objects of the owner, made fresh for every cell, so a
write in one cell never makes a later cell meaningless (routes that change the couple itself
get a fresh world per cell). An operation in the schema with no row in `EXPECTED` fails
`test_every_operation_has_a_row`: a new route cannot be left out.

Every cell that must not see the couple's data also asserts that no planted private string
appears in what it was answered; the partner's cells assert that the owner's own private
words (a private boundary, a draft) never reach them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from couples.services.agreements import agreement_accept, agreement_propose
from couples.services.coaching import coach_grant_consent, coach_grant_invite
from couples.services.couples import space_start
from couples.services.invites import invite_create
from couples.services.messages import appreciation_create, ping_send, reassurance_send
from learn.models import Lesson
from learn.services import lesson_reflect
from nudges.inbox import nudges_deliver
from nudges.models import Notification, Nudge
from nudges.services import device_register, unsubscribe_token
from tests.factories import PASSWORD, BoundaryFactory, CoachFactory, UserFactory, pair
from tests.fixtures.coaching import coaches_group_ensure
from tests.fixtures.lessons import lessons_seed_ensure
from tests.utils import client_for, next_noon_for, today_for

ROLES = ("anonymous", "stranger", "other_couple", "partner", "owner")
OUTSIDERS = ("anonymous", "stranger", "other_couple")

# Planted strings: the couple's words (the partner may see them, nobody else) and the
# owner's own private words (nobody but the owner).
COUPLE_ONLY = "COUPLE-ONLY-9XK2"
OWNER_ONLY = "OWNER-ONLY-4QZ7"

TEXTS = {
    "terms": "We keep Sunday mornings free until eleven.",
    "my_need": "Rest after a long week.",
    "your_need_as_i_understand": "Knowing the chores still get done.",
}


# --- The operations, from the schema ---------------------------------------------------------


def schema_operations() -> set[tuple[str, str]]:
    """(METHOD, path) of every operation in the OpenAPI schema under /api/v1."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


# --- The world: the owner's couple, another couple, a stranger --------------------------------


def _later(hours: float) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(microsecond=0).isoformat()


def make_world(coaches_group) -> SimpleNamespace:
    couple, owner, partner = pair()
    _, other, _ = pair()
    stranger = UserFactory()
    # Private words of the owner, and couple words shared with the partner.
    BoundaryFactory(owner=owner, text=f"Mine alone {OWNER_ONLY}")
    BoundaryFactory(owner=owner, text=f"Sunday mornings {COUPLE_ONLY}", shared=True)
    appreciation_create(author=owner, text=f"Thank you for dinner {COUPLE_ONLY}")
    # A reflection on the very lesson every lessons/{slug} cell names (issue 18).
    lesson_reflect(
        user=owner, lesson=Lesson.objects.get(slug=_lesson(None)["slug"]), text=OWNER_ONLY
    )
    w = SimpleNamespace(
        couple=couple,
        owner=owner,
        partner=partner,
        other=other,
        stranger=stranger,
        coaches_group=coaches_group,
    )
    w.clients = {
        "anonymous": APIClient(),
        "stranger": client_for(stranger),
        "other_couple": client_for(other),
        "partner": client_for(partner),
        "owner": client_for(owner),
    }
    # One of each thing the couple's lists hold, with the couple's words in it.
    _agreement(w, active=True)
    _conversation(w)
    _checked_in(w, "owner")
    _grant(w)  # (a reassurance is one of Haven's own lines: no words of theirs to plant)
    return w


# --- Objects of the owner, made fresh per cell -----------------------------------------------

ASK = {"topic": "How we spend Sundays", "depth": "medium", "urgency": "this_week"}


def _conversation(w) -> str:
    asked = w.clients["owner"].post(
        "/api/v1/conversations",
        {
            **ASK,
            "topic": f"How we spend Sundays {COUPLE_ONLY}",
            "calm_score": 4,
            "send_now": True,
            "proposed_times": [_later(24), _later(48)],
        },
        format="json",
    )
    assert asked.status_code == 201, asked.content
    w.conversation_time = asked.json()["proposed_times"][0]
    return asked.json()["id"]


def _draft(w) -> str:
    kept = w.clients["owner"].post(
        "/api/v1/conversations",
        {
            **ASK,
            "topic": f"Not sent yet {OWNER_ONLY}",
            "calm_score": 4,
            "send_now": False,
            "hold_until_confirmed": True,
            "proposed_times": [_later(24)],
        },
        format="json",
    )
    assert kept.status_code == 201, kept.content
    return kept.json()["id"]


def _agreement(w, *, active: bool = False) -> str:
    texts = {**TEXTS, "terms": f"{TEXTS['terms']} {COUPLE_ONLY}"}
    agreement = agreement_propose(author=w.owner, title="Sundays", **texts)
    if active:
        agreement = agreement_accept(agreement=agreement, user=w.partner, based_on=1)
    return str(agreement.pk)


def _checked_in(w, who: str) -> str:
    person = getattr(w, who)
    put = w.clients[who].put(
        f"/api/v1/checkins/{today_for(person).isoformat()}",
        {"mood": 3, "shared_note": f"A slow day {COUPLE_ONLY}", "private_note": OWNER_ONLY},
        format="json",
    )
    assert put.status_code in (200, 201), put.content
    return put.json()["id"]


def _checkin_both(w) -> str:
    pk = _checked_in(w, "owner")
    _checked_in(w, "partner")  # the reveal is mutual
    return pk


def _coach_email(w) -> str:
    """A coach of their own per grant: a coach has one grant per couple."""
    return CoachFactory(groups=[w.coaches_group]).email


def _grant(w, *, active: bool = False) -> str:
    grant = coach_grant_invite(user=w.owner, coach_email=_coach_email(w))
    if active:
        grant = coach_grant_consent(grant=grant, user=w.partner)
    return str(grant.pk)


def _notification(w) -> str:
    ping = ping_send(sender=w.partner)
    nudge = Nudge.objects.get(kind="ping", subject_id=ping.pk)
    nudges_deliver([nudge.pk], now=next_noon_for(w.owner))
    return str(Notification.objects.get(nudge=nudge).pk)


def _device(w) -> str:
    device, _ = device_register(user=w.owner, token=f"push-{UserFactory().pk}", platform="ios")
    return str(device.pk)


def _boundary(w) -> str:
    return str(BoundaryFactory(owner=w.owner, text=f"Quiet mornings {COUPLE_ONLY}", shared=True).pk)


def _retired_boundary(w) -> str:
    pk = _boundary(w)
    assert w.clients["owner"].delete(f"/api/v1/boundaries/{pk}").status_code == 204
    return pk


def _appreciation(w) -> str:
    return str(appreciation_create(author=w.owner, text=f"Thanks {COUPLE_ONLY}").pk)


def _reassurance(w) -> str:
    return str(reassurance_send(sender=w.owner, line="not_about_you").pk)


def _invite_code(w) -> str:
    """A fresh invite by a fresh unpaired person (the invite routes' "owner")."""
    w.inviter = UserFactory()
    return invite_create(inviter=w.inviter).code


def _in_space(w) -> dict[str, str]:
    space_start(user=w.owner, ends_at=timezone.now() + dt.timedelta(hours=3), check_back_at=None)
    return {}


def _invite(w) -> dict[str, str]:
    return {"code": _invite_code(w)}


def _today(w) -> str:
    return today_for(w.owner).isoformat()


def _owner_checked_in(w) -> dict[str, str]:
    _checked_in(w, "owner")
    return {"date": _today(w)}


def _owner_unsent(w) -> dict[str, str]:
    params = _owner_checked_in(w)
    assert w.clients["owner"].post(f"/api/v1/checkins/{params['date']}/unsend").status_code == 200
    return params


# --- The one table ----------------------------------------------------------------------------


@dataclass
class Row:
    """What each role is answered, how to fill the path (`params`: a fresh object of the
    owner per cell) and what to send. `fresh_world`: the route changes the couple itself
    (ending it, say), so each cell gets a world of its own."""

    answers: dict[str, int]
    params: Callable[[SimpleNamespace], dict[str, str]] = lambda w: {}
    body: dict[str, Any] | Callable[[SimpleNamespace], dict[str, Any]] = field(default_factory=dict)
    fresh_world: bool = False
    fresh_objects: bool = False  # the outsiders' cells too (a stranger may use an invite)


def objects(partner: int = 200, owner: int = 200) -> dict[str, int]:
    """An object of the couple: nobody outside it learns it exists (404)."""
    return {
        "anonymous": 401,
        "stranger": 404,
        "other_couple": 404,
        "partner": partner,
        "owner": owner,
    }


def own(owner: int = 200) -> dict[str, int]:
    """An object of the owner alone (a device, a draft, a notification): 404 to everyone else."""
    return objects(partner=404, owner=owner)


def self_route(stranger: int = 200, member: int = 200) -> dict[str, int]:
    """A route about the caller (no id): everyone signed in gets their own answer."""
    return {
        "anonymous": 401,
        "stranger": stranger,
        "other_couple": member,
        "partner": member,
        "owner": member,
    }


def couple_route(member: int = 200, stranger: int = 404) -> dict[str, int]:
    """A route about the caller's couple: someone in no couple has none (404)."""
    return self_route(stranger=stranger, member=member)


def couple_list() -> dict[str, int]:
    """A list of the caller's couple's things: someone in no couple gets an empty page. The
    world holds one of each with the couple's words, so outsiders' pages are checked for
    them (and `test_the_partner_does_see_the_couples_words` shows they are there to find)."""
    return self_route()


def partners_move(owner: int = 403) -> dict[str, int]:
    """An answer only the partner gives (accept, counter, acknowledge): the owner, who sees
    the object, is told it is theirs (403 with a code); outsiders learn nothing (404)."""
    return objects(partner=200, owner=owner)


def owners_move(partner: int = 403) -> dict[str, int]:
    """A change only the owner makes (edit, take back): the partner sees the object and is
    told it is not theirs to change (403 with a code); outsiders learn nothing (404)."""
    return objects(partner=partner, owner=200)


def _id(make: Callable[[SimpleNamespace], str]) -> Callable[[SimpleNamespace], dict[str, str]]:
    return lambda w: {"id": make(w)}


AGREEMENT_TEXTS = {**TEXTS, "terms": "Until noon.", "based_on": 1}


def _lesson(w) -> dict[str, str]:
    return {"slug": "not-about-you"}


V1 = "/api/v1"

EXPECTED: dict[tuple[str, str], Row] = {
    # --- agreements ----------------------------------------------------------------------
    ("GET", f"{V1}/agreements"): Row(couple_list()),
    ("POST", f"{V1}/agreements"): Row(
        couple_route(201), body={"title": "Sunday mornings", **TEXTS}
    ),
    ("GET", f"{V1}/agreements/{{id}}"): Row(objects(), _id(_agreement)),
    ("POST", f"{V1}/agreements/{{id}}/accept"): Row(
        partners_move(), _id(_agreement), {"based_on": 1}
    ),
    ("POST", f"{V1}/agreements/{{id}}/amend"): Row(owners_move(), _id(_agreement), AGREEMENT_TEXTS),
    ("POST", f"{V1}/agreements/{{id}}/counter"): Row(
        partners_move(), _id(_agreement), AGREEMENT_TEXTS
    ),
    ("POST", f"{V1}/agreements/{{id}}/keep"): Row(
        objects(), _id(lambda w: _agreement(w, active=True))
    ),
    ("POST", f"{V1}/agreements/{{id}}/retire"): Row(
        objects(), _id(lambda w: _agreement(w, active=True))
    ),
    ("GET", f"{V1}/agreements/{{id}}/revisions"): Row(objects(), _id(_agreement)),
    # Snoozing is the answer to a proposal, so the one who is asked.
    ("POST", f"{V1}/agreements/{{id}}/snooze"): Row(
        partners_move(),
        _id(_agreement),
        lambda w: {"until": str(today_for(w.owner) + dt.timedelta(days=3))},
    ),
    ("POST", f"{V1}/agreements/{{id}}/withdraw"): Row(
        owners_move(), _id(_agreement), {"based_on": 1}
    ),
    # --- appreciations, pings, reassurances ----------------------------------------------
    ("GET", f"{V1}/appreciations"): Row(couple_list()),
    ("POST", f"{V1}/appreciations"): Row(couple_route(201), body={"text": "Thank you."}),
    ("GET", f"{V1}/appreciations/{{id}}"): Row(objects(), _id(_appreciation)),
    ("DELETE", f"{V1}/appreciations/{{id}}"): Row(
        objects(partner=403, owner=204), _id(_appreciation)
    ),
    ("GET", f"{V1}/pings"): Row(couple_list()),
    ("POST", f"{V1}/pings"): Row(couple_route(201)),
    ("GET", f"{V1}/reassurances"): Row(couple_list()),
    ("POST", f"{V1}/reassurances"): Row(couple_route(201), body={"line": "not_about_you"}),
    ("GET", f"{V1}/reassurances/{{id}}"): Row(objects(), _id(_reassurance)),
    ("GET", f"{V1}/reassurances/lines"): Row(couple_route()),
    # --- boundaries ----------------------------------------------------------------------
    ("GET", f"{V1}/boundaries"): Row(self_route()),
    ("POST", f"{V1}/boundaries"): Row(
        self_route(201, 201), body={"kind": "need", "text": "Quiet mornings."}
    ),
    ("GET", f"{V1}/boundaries/{{id}}"): Row(objects(), _id(_boundary)),
    ("PATCH", f"{V1}/boundaries/{{id}}"): Row(
        owners_move(), _id(_boundary), {"text": "Quiet evenings."}
    ),
    ("DELETE", f"{V1}/boundaries/{{id}}"): Row(objects(partner=403, owner=204), _id(_boundary)),
    ("POST", f"{V1}/boundaries/{{id}}/acknowledge"): Row(partners_move(), _id(_boundary)),
    ("GET", f"{V1}/boundaries/{{id}}/history"): Row(objects(), _id(_boundary)),
    # A retired boundary is the owner's alone again: the partner no longer sees it.
    ("POST", f"{V1}/boundaries/{{id}}/restore"): Row(own(), _id(_retired_boundary)),
    # --- check-ins -----------------------------------------------------------------------
    ("GET", f"{V1}/checkins"): Row(self_route()),
    # A date names the caller's own check-in of that day: the owner checked in today, the
    # others did not, so they find none (and never the owner's).
    ("GET", f"{V1}/checkins/{{date}}"): Row(own(), _owner_checked_in),
    ("PUT", f"{V1}/checkins/{{date}}"): Row(
        self_route(), lambda w: {"date": _today(w)}, {"mood": 3, "shared_note": "A slow day."}
    ),
    ("PATCH", f"{V1}/checkins/{{date}}"): Row(
        self_route(), lambda w: {"date": _today(w)}, {"mood": 4}
    ),
    ("POST", f"{V1}/checkins/{{date}}/share"): Row(own(), _owner_unsent),
    ("POST", f"{V1}/checkins/{{date}}/unsend"): Row(own(), _owner_checked_in),
    ("POST", f"{V1}/checkins/{{id}}/acknowledge"): Row(
        partners_move(), _id(_checkin_both), {"reaction": "thanks"}
    ),
    # Taking back a reaction the owner never gave changes nothing: the same quiet success.
    ("DELETE", f"{V1}/checkins/{{id}}/acknowledge"): Row(
        objects(partner=204, owner=204), _id(_checkin_both)
    ),
    ("GET", f"{V1}/checkins/today"): Row(self_route()),
    ("GET", f"{V1}/checkins/trends"): Row(self_route()),
    ("GET", f"{V1}/prompts/today"): Row(self_route()),
    # --- lessons: Haven's words, read by everyone signed in; progress, reflections and
    # today's lesson are the caller's own (another person's are never named by a path) ----
    ("GET", f"{V1}/lessons"): Row(self_route()),
    ("GET", f"{V1}/lessons/{{slug}}"): Row(self_route(), _lesson),
    ("POST", f"{V1}/lessons/{{slug}}/complete"): Row(self_route(), _lesson),
    ("POST", f"{V1}/lessons/{{slug}}/dismiss"): Row(self_route(), _lesson),
    ("GET", f"{V1}/lessons/{{slug}}/reflection"): Row(self_route(), _lesson),
    ("PUT", f"{V1}/lessons/{{slug}}/reflection"): Row(
        self_route(), _lesson, {"text": "I notice I hurry."}
    ),
    # Sharing tells the partner: someone in no couple has nobody to tell (404 not_paired).
    ("POST", f"{V1}/lessons/{{slug}}/share"): Row(couple_route(), _lesson),
    ("GET", f"{V1}/learn/today"): Row(self_route()),
    # --- conversations -------------------------------------------------------------------
    ("GET", f"{V1}/conversations"): Row(couple_list()),
    ("POST", f"{V1}/conversations"): Row(
        couple_route(201),
        body=lambda w: {
            **ASK,
            "calm_score": 4,
            "send_now": True,
            "proposed_times": [_later(24), _later(48)],
        },
    ),
    ("GET", f"{V1}/conversations/{{id}}"): Row(objects(), _id(_conversation)),
    ("POST", f"{V1}/conversations/{{id}}/discard"): Row(own(), _id(_draft)),
    ("POST", f"{V1}/conversations/{{id}}/hold"): Row(own(), _id(_draft), {"hold_minutes": 60}),
    ("POST", f"{V1}/conversations/{{id}}/send"): Row(own(), _id(_draft)),
    # Responding is the asked partner's; the one who asked is told 409 (not theirs to answer).
    ("POST", f"{V1}/conversations/{{id}}/respond"): Row(
        partners_move(owner=409),
        _id(_conversation),
        lambda w: {"action": "pick", "time": w.conversation_time},
    ),
    # Withdrawing is the asker's; the partner finds no request of theirs to withdraw (404).
    ("POST", f"{V1}/conversations/{{id}}/withdraw"): Row(owners_move(404), _id(_conversation)),
    # --- the couple ----------------------------------------------------------------------
    ("GET", f"{V1}/couple"): Row(couple_route()),
    ("GET", f"{V1}/couple/partner"): Row(couple_route()),
    ("POST", f"{V1}/couple/end"): Row(couple_route(), fresh_world=True),
    ("POST", f"{V1}/couple/space"): Row(
        couple_route(201),
        body=lambda w: {"ends_at": _later(3), "reassurance": ""},
        fresh_world=True,
    ),
    # The owner is taking space; only they can end it.
    # Only the owner is taking space: everyone else is told they are not (409), nothing more.
    ("DELETE", f"{V1}/couple/space"): Row(
        {"anonymous": 401, "stranger": 409, "other_couple": 409, "partner": 409, "owner": 204},
        _in_space,
        fresh_world=True,
    ),
    ("GET", f"{V1}/couple/coach-access-log"): Row(couple_list()),
    ("GET", f"{V1}/couple/coach-notes"): Row(couple_list()),
    ("GET", f"{V1}/couple/coach-grants"): Row(couple_list()),
    ("POST", f"{V1}/couple/coach-grants"): Row(
        couple_route(201), body=lambda w: {"coach_email": _coach_email(w)}
    ),
    ("GET", f"{V1}/couple/coach-grants/{{id}}"): Row(objects(), _id(_grant)),
    # The owner invited the coach, so has consented: their tap is the same quiet success.
    ("POST", f"{V1}/couple/coach-grants/{{id}}/consent"): Row(objects(), _id(_grant)),
    ("POST", f"{V1}/couple/coach-grants/{{id}}/renew"): Row(
        objects(), _id(lambda w: _grant(w, active=True))
    ),
    ("POST", f"{V1}/couple/coach-grants/{{id}}/revoke"): Row(
        objects(), _id(lambda w: _grant(w, active=True))
    ),
    # --- invites (the owner is the unpaired person who invited) --------------------------
    ("GET", f"{V1}/invites"): Row(self_route()),
    ("POST", f"{V1}/invites"): Row(self_route(201, 409)),
    # A code is for whoever holds it (to see who invited them); only the inviter revokes it.
    ("GET", f"{V1}/invites/{{code}}"): Row(self_route(), _invite),
    ("DELETE", f"{V1}/invites/{{code}}"): Row(own(204), _invite),
    ("POST", f"{V1}/invites/{{code}}/accept"): Row(
        {"anonymous": 401, "stranger": 201, "other_couple": 409, "partner": 409, "owner": 400},
        _invite,
        fresh_objects=True,
    ),
    ("POST", f"{V1}/invites/{{code}}/decline"): Row(
        {"anonymous": 401, "stranger": 204, "other_couple": 204, "partner": 204, "owner": 400},
        _invite,
        fresh_objects=True,
    ),
    # --- me ------------------------------------------------------------------------------
    ("GET", f"{V1}/me"): Row(self_route()),
    ("PATCH", f"{V1}/me"): Row(self_route(), body={"display_name": "Sam"}),
    # Deleting is the caller's own account, whoever they are (each in a world of their own).
    ("DELETE", f"{V1}/me"): Row(
        self_route(204, 204), body={"password": PASSWORD}, fresh_world=True
    ),
    # The export is the caller's own: an outsider's and the partner's carry none of the
    # owner's private words (checked on every cell below).
    ("GET", f"{V1}/me/export"): Row(self_route()),
    ("GET", f"{V1}/me/consent"): Row(self_route()),
    ("POST", f"{V1}/me/consent"): Row(
        self_route(),
        body={
            "notice_version": settings.PRIVACY_NOTICE_VERSION,
            "sensitive_data": True,
            "age_confirmed": True,
        },
    ),
    ("DELETE", f"{V1}/me/consent"): Row(
        self_route(204, 204), body={"password": PASSWORD}, fresh_world=True
    ),
    ("GET", f"{V1}/me/checkin-settings"): Row(self_route()),
    ("PATCH", f"{V1}/me/checkin-settings"): Row(self_route(), body={}),
    ("GET", f"{V1}/me/devices"): Row(self_route()),
    ("POST", f"{V1}/me/devices"): Row(
        self_route(201, 201),
        body=lambda w: {"token": f"push-{UserFactory().pk}", "platform": "ios"},
    ),
    ("DELETE", f"{V1}/me/devices/{{id}}"): Row(own(204), _id(_device)),
    ("GET", f"{V1}/me/sessions"): Row(self_route()),
    ("POST", f"{V1}/me/sessions/sign-out-others"): Row(self_route()),
    ("GET", f"{V1}/me/love-languages"): Row(self_route()),
    ("PUT", f"{V1}/me/love-languages"): Row(self_route(), body={}),
    ("PATCH", f"{V1}/me/love-languages"): Row(self_route(), body={}),
    ("GET", f"{V1}/me/nudge-settings"): Row(self_route()),
    ("PATCH", f"{V1}/me/nudge-settings"): Row(self_route(), body={}),
    ("GET", f"{V1}/me/preferences"): Row(self_route()),
    ("PUT", f"{V1}/me/preferences"): Row(self_route(), body={}),
    ("PATCH", f"{V1}/me/preferences"): Row(self_route(), body={}),
    # --- notifications -------------------------------------------------------------------
    ("GET", f"{V1}/notifications"): Row(self_route()),
    ("POST", f"{V1}/notifications/{{id}}/read"): Row(own(), _id(_notification)),
    ("POST", f"{V1}/notifications/read-all"): Row(self_route()),
    # --- the rest ------------------------------------------------------------------------
    ("POST", f"{V1}/tone/check"): Row(self_route(), body={"text": "You never call."}),
    # Public, credentials ignored (issue 16): where help is, and the safety page, for anyone.
    ("GET", f"{V1}/crisis-resources"): Row(dict.fromkeys(ROLES, 200)),
    ("GET", f"{V1}/safety"): Row(dict.fromkeys(ROLES, 200)),
    # Public: the link in an email works without signing in, for whoever holds it.
    ("POST", f"{V1}/unsubscribe/{{token}}"): Row(
        dict.fromkeys(ROLES, 200),
        lambda w: {"token": unsubscribe_token(user_id=w.owner.pk, kind="ping")},
    ),
}


def test_every_operation_has_a_row():
    """A route in the schema with no expectation here fails: add its row."""
    operations = schema_operations()
    assert sorted(operations - set(EXPECTED)) == [], "operations with no row in EXPECTED"
    assert sorted(set(EXPECTED) - operations) == [], "rows for operations the schema lacks"


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for the whole module, inside a transaction rolled back at its end; each
    test runs in a savepoint of its own (pytest-django's `db`), so what a test writes is
    gone before the next one starts. Building the people and their tokens once keeps the
    matrix fast."""
    with django_db_blocker.unblock(), transaction.atomic():
        group = coaches_group_ensure()
        lessons_seed_ensure()
        yield make_world(group)
        transaction.set_rollback(True)


def _fill(path: str, params: dict[str, str]) -> str:
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    return path


def _cell(w, key: tuple[str, str], role: str, params: dict[str, str]):
    method, template = key
    row = EXPECTED[key]
    body = row.body(w) if callable(row.body) else row.body
    client = w.clients[role]
    if role == "owner" and template.startswith(f"{V1}/invites/{{code}}"):
        client = client_for(w.inviter)
    url = _fill(template, params)
    return url, getattr(client, method.lower())(url, body, format="json")


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda key: f"{key[0]} {key[1]}")
def test_access_matrix(shared_world, db, key):
    row = EXPECTED[key]
    world = shared_world
    coaches_group = world.coaches_group
    # Outsiders change nothing (or only their own things): they share one object of the
    # owner; the partner and the owner, who may change it, get one each.
    shared = row.params(world)
    wrong, seen = [], {}
    for role in ROLES:
        w = make_world(coaches_group) if row.fresh_world and role != ROLES[0] else world
        reuse = role in OUTSIDERS and w is world and not row.fresh_objects
        params = shared if reuse else row.params(w)
        url, response = _cell(w, key, role, params)
        seen[role] = response.status_code
        expected = row.answers[role]
        content = response.content.decode(errors="replace")
        if response.status_code != expected:
            wrong.append(f"{role}: expected {expected}, got {response.status_code} {content[:200]}")
        if role in OUTSIDERS and (COUPLE_ONLY in content or OWNER_ONLY in content):
            wrong.append(f"{role}: a planted private string in {url}: {content[:300]}")
        if role == "partner" and OWNER_ONLY in content:
            wrong.append(f"partner: the owner's private words in {url}: {content[:300]}")
    if os.environ.get("MATRIX_DISCOVER"):
        with open(os.environ["MATRIX_DISCOVER"], "a") as out:
            out.write(f"{key} {seen}\n")
    assert not wrong, "\n".join(wrong)


# (Not check-ins: the partner sees the owner's only once they have checked in too.)
COUPLE_LISTS = ["agreements", "appreciations", "boundaries", "conversations"]


def test_the_partner_does_see_the_couples_words(shared_world, db):
    """The planted words are in the partner's lists, so their absence from an outsider's
    answer in the matrix means "not yours", not "nothing there"."""
    for name in COUPLE_LISTS:
        response = shared_world.clients["partner"].get(f"{V1}/{name}")
        assert response.status_code == 200, (name, response.content)
        assert COUPLE_ONLY in response.content.decode(), name
        assert OWNER_ONLY not in response.content.decode(), name
