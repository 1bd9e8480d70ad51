"""A partner's private note never even leaves PostgreSQL for the other's requests: the home
screen, the list and its sync, a day's check-in, a reaction and a write that answers the
prompt read check-ins of both partners, and every note decrypted while serving one partner is
that partner's own (`CheckInQuerySet.private_notes_of`). DESIGN: a private note is seen by its
author alone; here the process serving the partner never holds it either."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from checkins.models import CheckIn, Prompt
from common import fields
from tests.factories import CheckInFactory
from tests.utils import today_for

pytestmark = pytest.mark.django_db

WEEK = range(1, 8)


def _note(who: str, day: int | str) -> str:
    return f"planted private words of {who}, day {day}"


@pytest.fixture
def decrypted(monkeypatch) -> list[str]:
    """Every private note decrypted in this process, in order (the real decryption)."""
    seen: list[str] = []
    real = fields.decrypt

    def spy(token: str) -> str:
        text = real(token)
        seen.append(text)
        return text

    monkeypatch.setattr(fields, "decrypt", spy)
    return seen


def _a_week_of_notes(couple) -> None:
    prompt = Prompt.objects.filter(is_active=True).order_by("id").first()
    today = today_for(couple.a)
    for days_ago in WEEK:
        for who, person in (("a", couple.a), ("b", couple.b)):
            CheckInFactory(
                author=person,
                local_date=today - dt.timedelta(days=days_ago),
                private_note=_note(who, days_ago),
                prompt=prompt,
                prompt_answer="A few words.",
                shared_note=f"shared by {who}",
            )


def _only_own(seen: list[str], who: str) -> None:
    other = "b" if who == "a" else "a"
    assert not [text for text in seen if f"of {other}," in text], seen
    assert all(f"of {who}," in text for text in seen), seen


def test_serving_one_partner_decrypts_only_their_own_notes(couple, decrypted):
    _a_week_of_notes(couple)
    today = today_for(couple.a)
    since = timezone.now() - dt.timedelta(hours=1)
    b_today = couple.client_b.put(
        f"/api/v1/checkins/{today}",
        {"mood": 2, "shared_note": "Long day.", "private_note": _note("b", "today")},
        format="json",
    )
    assert b_today.status_code == 200
    steps = {
        "home screen": lambda: couple.client_a.get("/api/v1/checkins/today"),
        "list": lambda: couple.client_a.get("/api/v1/checkins?page_size=20"),
        "sync": lambda: couple.client_a.get(
            "/api/v1/checkins", {"updated_since": since.isoformat().replace("+00:00", "Z")}
        ),
        "write answering the prompt": lambda: couple.client_a.put(
            f"/api/v1/checkins/{today}",
            {"mood": 3, "prompt_answer": "Tea.", "private_note": _note("a", "today")},
            format="json",
        ),
        "home screen, both in": lambda: couple.client_a.get("/api/v1/checkins/today"),
        "my day": lambda: couple.client_a.get(f"/api/v1/checkins/{today}"),
        "a reaction": lambda: couple.client_a.post(
            f"/api/v1/checkins/{b_today.json()['id']}/acknowledge",
            {"reaction": "thanks"},
            format="json",
        ),
        "a partial edit": lambda: couple.client_a.patch(
            f"/api/v1/checkins/{today}", {"mood": 4}, format="json"
        ),
    }
    for name, step in steps.items():
        decrypted.clear()
        answer = step()
        assert answer.status_code in (200, 201), (name, answer.content)
        _only_own(decrypted, "a")
        assert "of b," not in answer.content.decode(), name
    # The partner's check-ins were there to read: revealed, with their shared words.
    listed = couple.client_a.get("/api/v1/checkins?page_size=20").json()["results"]
    assert {"shared by b", "Long day."} <= {c.get("shared_note") for c in listed}
    # And the reader's own notes are answered to them, the kept one after a partial edit.
    mine = couple.client_a.get(f"/api/v1/checkins/{today}").json()
    assert mine["private_note"] == _note("a", "today")
    assert _note("a", 1) in {c.get("private_note") for c in listed}
    # The other way round.
    decrypted.clear()
    assert couple.client_b.get("/api/v1/checkins/today").status_code == 200
    assert couple.client_b.get("/api/v1/checkins?page_size=20").status_code == 200
    _only_own(decrypted, "b")
    assert CheckIn.objects.get(author=couple.a, local_date=today).private_note == _note(
        "a", "today"
    )
