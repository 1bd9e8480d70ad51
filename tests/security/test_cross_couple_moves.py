"""Three moves the schemathesis replay never reaches with another couple's token (it replays
only what succeeded for the couple's first member, and these are the partner's to make or
need a grant of a certain age): snoozing a proposal, answering "can we talk?" and renewing a
coach grant. Each is brought to the state in which its rightful caller succeeds; then both
members of another couple and someone in no couple make the very same call and are told
404 in the one error shape, the object reads byte for byte as before, and the rightful call
still succeeds afterwards (so the 404 was about who asked, not about the state)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.couples.coaching.content import grant_active
from tests.couples.talking import ask
from tests.factories import CoachFactory, UserFactory
from tests.utils import assert_error_shape, client_for, today_for


@dataclass
class Move:
    path: str  # the move
    detail: str  # the object, as its couple reads it
    body: dict[str, Any]
    rightful: Any  # the client whose call succeeds


def _snooze(couple) -> Move:
    proposal = couple.client_a.post(
        "/api/v1/agreements",
        {
            "title": "Sunday mornings",
            "terms": "Free until eleven.",
            "my_need": "Rest.",
            "your_need_as_i_understand": "The chores done.",
        },
        format="json",
    )
    assert proposal.status_code == 201, proposal.content
    detail = f"/api/v1/agreements/{proposal.json()['id']}"
    until = str(today_for(couple.b) + dt.timedelta(days=3))
    return Move(f"{detail}/snooze", detail, {"until": until}, couple.client_b)


def _respond(couple) -> Move:
    asked = ask(couple.client_a)
    assert asked.status_code == 201, asked.content
    detail = f"/api/v1/conversations/{asked.json()['id']}"
    body = {"action": "pick", "time": asked.json()["proposed_times"][0]}
    return Move(f"{detail}/respond", detail, body, couple.client_b)


def _renew(couple, time_machine, coaches_group) -> Move:
    grant = grant_active(couple, CoachFactory(groups=[coaches_group]))
    # A month in: early enough to renew, past the hour in which renewing changes nothing.
    time_machine.move_to(grant.activated_at + dt.timedelta(days=30))
    detail = f"/api/v1/couple/coach-grants/{grant.pk}"
    return Move(f"{detail}/renew", detail, {}, client_for(couple.a))


MOVES: dict[str, Callable[..., Move]] = {
    "agreements snooze": lambda couple, **_: _snooze(couple),
    "conversations respond": lambda couple, **_: _respond(couple),
    "coach-grants renew": lambda couple, time_machine, coaches_group: _renew(
        couple, time_machine, coaches_group
    ),
}


@pytest.mark.parametrize("name", sorted(MOVES))
def test_another_couple_and_a_stranger_get_404_where_the_rightful_caller_succeeds(
    name, couple, other_couple, time_machine, coaches_group
):
    move = MOVES[name](couple, time_machine=time_machine, coaches_group=coaches_group)
    reader = client_for(couple.a)
    before = reader.get(move.detail)
    assert before.status_code == 200, before.content
    # Signed in now (a move above may have travelled in time).
    outsiders = [client_for(other_couple.a), client_for(other_couple.b), client_for(UserFactory())]
    for outsider in outsiders:
        response = outsider.post(move.path, move.body, format="json")
        assert_error_shape(response, 404, "not_found")
        assert str(couple.couple.pk) not in response.content.decode()
    assert reader.get(move.detail).content == before.content, "an outsider changed it"
    done = move.rightful.post(move.path, move.body, format="json")
    assert done.status_code == 200, done.content
    assert reader.get(move.detail).content != before.content, "the rightful move did nothing"
