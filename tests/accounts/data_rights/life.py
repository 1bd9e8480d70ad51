"""Helpers for the data-rights tests: two people who pair and write, through the API, in
every free-text field a person can fill (each string planted with the writer's own tag), and
a reader of every answer a former partner can get."""

from __future__ import annotations

import datetime as dt
import json
import re
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from accounts.models import User
from checkins.models import Prompt
from tests.factories import UserFactory, pair
from tests.nudges.delivering import deliver_due
from tests.utils import client_for, today_for

NOON = dt.datetime(2027, 3, 10, 11, 0, tzinfo=dt.UTC)  # 12:00 in Berlin, a Wednesday


def signed_in_couple(a: User | None = None, b: User | None = None) -> SimpleNamespace:
    couple, a, b = pair(a or UserFactory(), b or UserFactory())
    return SimpleNamespace(couple=couple, a=a, b=b, client_a=client_for(a), client_b=client_for(b))


def later(time_machine, people: SimpleNamespace, **delta: float) -> None:
    """Move the clock on and sign both in again (access tokens last five minutes)."""
    time_machine.move_to(timezone.now() + dt.timedelta(**delta), tick=True)
    people.client_a, people.client_b = client_for(people.a), client_for(people.b)


def _ok(response, *statuses: int) -> Any:
    assert response.status_code in (statuses or (200, 201)), response.content
    return response.json() if response.content else None


def at(hours: float) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(microsecond=0).isoformat()


def planted(tag: str, field: str) -> str:
    """A unique string for one field of one writer."""
    return f"zq{tag}9{field.replace('_', '')}qz"


def write_about_oneself(client, tag: str) -> None:
    _ok(client.patch("/api/v1/me", {"display_name": planted(tag, "name")[:60]}))
    _ok(
        client.put(
            "/api/v1/me/love-languages",
            {"small_things": [planted(tag, "small_things")]},
        )
    )
    _ok(
        client.put(
            "/api/v1/me/preferences",
            {
                "reassurance": planted(tag, "reassurance"),
                "connection_activities_other": planted(tag, "connection_activities_other"),
                "attachment_style": "avoidant",
            },
        )
    )


def check_in(client, person: User, tag: str) -> dict:
    today = today_for(person)
    # The migrations seed the prompt library; a flushing test elsewhere may have emptied it.
    if not Prompt.objects.filter(depth=Prompt.Depth.LIGHT, is_active=True).exists():
        Prompt.objects.create(text="What felt easy today?", depth="light", theme="everyday")
    client.get("/api/v1/prompts/today")
    return _ok(
        client.put(
            f"/api/v1/checkins/{today}",
            {
                "mood": 3,
                "energy": 2,
                "dial": 1,
                "capacity": "light",
                "shared_note": planted(tag, "shared_note"),
                "private_note": planted(tag, "private_note"),
                "prompt_answer": planted(tag, "prompt_answer"),
            },
        )
    )


def live_together(people: SimpleNamespace, *, tag_a: str, tag_b: str) -> SimpleNamespace:
    """Both partners write in every free-text field and answer each other. `a` proposes an
    agreement that `b` counters and `a` accepts (so `b`'s words are the accepted terms), and
    `b` proposes one that `a` counters and nobody accepts. Returns the ids made."""
    made = SimpleNamespace()
    a, b, ca, cb = people.a, people.b, people.client_a, people.client_b
    for client, tag in ((ca, tag_a), (cb, tag_b)):
        write_about_oneself(client, tag)
        for visibility in ("shared", "private"):
            _ok(
                client.post(
                    "/api/v1/boundaries",
                    {
                        "kind": "need",
                        "text": planted(tag, f"text_{visibility}"),
                        "visibility": visibility,
                    },
                )
            )
    made.checkin_a = check_in(ca, a, tag_a)
    made.checkin_b = check_in(cb, b, tag_b)
    for client, other in ((ca, made.checkin_b), (cb, made.checkin_a)):
        _ok(client.post(f"/api/v1/checkins/{other['id']}/acknowledge", {"reaction": "hug"}))
    for client, tag in ((ca, tag_a), (cb, tag_b)):
        _ok(client.post("/api/v1/appreciations", {"text": planted(tag, "appreciation")}))
        _ok(client.post("/api/v1/pings"))
        _ok(
            client.post(
                "/api/v1/conversations",
                {
                    "topic": planted(tag, "topic"),
                    "depth": "light",
                    "urgency": "this_week",
                    "proposed_times": [at(24), at(48)],
                    "calm_score": 4,
                    "send_now": True,
                },
            )
        )
    # Accepted: a proposes, b counters, a accepts b's words.
    accepted = _ok(
        ca.post(
            "/api/v1/agreements",
            {
                "title": planted(tag_a, "title_accepted"),
                "terms": planted(tag_a, "terms_first"),
                "my_need": planted(tag_a, "my_need_first"),
                "your_need_as_i_understand": planted(tag_a, "your_need_first"),
            },
        )
    )
    _ok(
        cb.post(
            f"/api/v1/agreements/{accepted['id']}/counter",
            {
                "based_on": 1,
                "terms": planted(tag_b, "terms_accepted"),
                "my_need": planted(tag_b, "my_need_accepted"),
                "your_need_as_i_understand": planted(tag_b, "your_need_accepted"),
            },
        )
    )
    _ok(ca.post(f"/api/v1/agreements/{accepted['id']}/accept", {"based_on": 2}))
    # Open: b proposes, a counters.
    open_one = _ok(
        cb.post(
            "/api/v1/agreements",
            {
                "title": planted(tag_b, "title_open"),
                "terms": planted(tag_b, "terms_open"),
                "my_need": planted(tag_b, "my_need_open"),
                "your_need_as_i_understand": planted(tag_b, "your_need_open"),
            },
        )
    )
    _ok(
        ca.post(
            f"/api/v1/agreements/{open_one['id']}/counter",
            {
                "based_on": 1,
                "terms": planted(tag_a, "terms_counter"),
                "my_need": planted(tag_a, "my_need_counter"),
                "your_need_as_i_understand": planted(tag_a, "your_need_counter"),
            },
        )
    )
    made.accepted, made.open = accepted["id"], open_one["id"]
    # a takes some space, with words of their own, and comes back.
    _ok(
        ca.post(
            "/api/v1/couple/space",
            {"check_back_at": at(2), "reassurance_text": planted(tag_a, "reassurance_text")},
        )
    )
    _ok(ca.delete("/api/v1/couple/space"), 200, 204)
    deliver_due(timezone.now())
    return made


# What a former partner can ask about, after the couple ended.
FORMER_PARTNER_READS = (
    "/api/v1/me",
    "/api/v1/couple",
    "/api/v1/couple/partner",
    "/api/v1/notifications",
    "/api/v1/agreements",
    "/api/v1/boundaries",
    "/api/v1/checkins",
    "/api/v1/conversations",
    "/api/v1/appreciations",
    "/api/v1/pings",
    "/api/v1/couple/coach-grants",
    "/api/v1/couple/coach-access-log",
    "/api/v1/invites",
)

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T[0-9:.]+Z?")


def normalised(value: Any, ids: dict[str, str]) -> Any:
    """`value` with every id replaced by its order of first appearance, every timestamp by
    "<time>", and each person's planted tag by a role: two twin histories compare equal."""
    if isinstance(value, dict):
        return {k: normalised(v, ids) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [normalised(v, ids) for v in value]
    if isinstance(value, str):
        value = _UUID.sub(lambda m: ids.setdefault(m.group(0), f"<id{len(ids)}>"), value)
        return _TIME.sub("<time>", value)
    return value


def former_partner_view(client, replace: dict[str, str]) -> dict[str, Any]:
    """Every answer listed in FORMER_PARTNER_READS, normalised (planted tags in `replace`)."""
    ids: dict[str, str] = {}
    seen = {}
    for path in FORMER_PARTNER_READS:
        response = client.get(path)
        text = response.content.decode()
        for old, new in replace.items():
            text = text.replace(old, new)
        body = json.loads(text) if text else None
        seen[path] = (response.status_code, normalised(body, ids))
    return seen
