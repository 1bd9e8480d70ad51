"""Helpers for the "can we talk?" tests: a couple whose clock stands at noon in Berlin (where
the factories' people live, outside their quiet hours), asking and answering through the
API, and reading what each phone would receive (their inbox, after the workers ran)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from tests.factories import pair
from tests.nudges.delivering import deliver_due
from tests.utils import client_for

NOON = dt.datetime(2027, 3, 10, 11, 0, tzinfo=dt.UTC)  # 12:00 in Berlin, a Wednesday


def talking_couple(time_machine) -> SimpleNamespace:
    """A couple at NOON with a fresh client each (`client(user)` signs in again after the
    clock moved on: access tokens last five minutes)."""
    time_machine.move_to(NOON, tick=False)
    couple, a, b = pair()
    return SimpleNamespace(couple=couple, a=a, b=b, client_a=client_for(a), client_b=client_for(b))


def later(time_machine, talk: SimpleNamespace, **delta: float) -> None:
    """Move the clock on and sign both in again."""
    time_machine.move_to(timezone.now() + dt.timedelta(**delta), tick=False)
    talk.client_a, talk.client_b = client_for(talk.a), client_for(talk.b)


def at(hours: float) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(microsecond=0).isoformat()


def ask(client, **overrides) -> Any:
    body = {
        "topic": "How we spend Sundays",
        "depth": "medium",
        "urgency": "this_week",
        "proposed_times": [at(24), at(48)],
        "calm_score": 4,
        **overrides,
    }
    return client.post("/api/v1/conversations", body, format="json")


def respond(client, pk: str, **body) -> Any:
    return client.post(f"/api/v1/conversations/{pk}/respond", body, format="json")


def move(client, pk: str, action: str, **body) -> Any:
    return client.post(f"/api/v1/conversations/{pk}/{action}", body, format="json")


def listed(client) -> dict[str, dict]:
    """The requests in the person's list, by id."""
    return {c["id"]: c for c in client.get("/api/v1/conversations").json()["results"]}


def inbox(user) -> list[tuple[str, str]]:
    """What reached the person's phone so far, oldest first: (kind, subject id). The
    workers first deliver everything due by now."""
    deliver_due(timezone.now())
    body = client_for(user).get("/api/v1/notifications").json()
    return [(n["kind"], n["subject_id"]) for n in reversed(body["results"])]


def inbox_bodies(user) -> str:
    deliver_due(timezone.now())
    body = client_for(user).get("/api/v1/notifications").json()
    return " ".join(f"{n['title']} {n['body']}" for n in body["results"])
