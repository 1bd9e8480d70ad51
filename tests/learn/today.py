"""Helpers for the lessons tests: a couple at noon in Berlin, and what `learn/today` offers."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from tests.factories import pair
from tests.utils import client_for

NOON = dt.datetime(2027, 3, 10, 11, 0, tzinfo=dt.UTC)  # 12:00 in Berlin, a Wednesday


def learning_couple(time_machine) -> SimpleNamespace:
    time_machine.move_to(NOON, tick=False)
    couple, a, b = pair()
    return SimpleNamespace(couple=couple, a=a, b=b, client_a=client_for(a), client_b=client_for(b))


def days_later(time_machine, people: SimpleNamespace, days: float) -> None:
    time_machine.move_to(timezone.now() + dt.timedelta(days=days), tick=False)
    people.client_a, people.client_b = client_for(people.a), client_for(people.b)


def offered(client) -> tuple[str | None, str | None]:
    """(lesson slug, reason) that `learn/today` offers, or (None, None)."""
    response = client.get("/api/v1/learn/today")
    assert response.status_code == 200, response.content
    body = response.json()
    return (body["lesson"]["slug"] if body["lesson"] else None, body["reason"])
