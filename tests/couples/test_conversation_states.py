"""The "can we talk?" table, on its own (no database): random walks of moves by the two
people and Haven, checked after every step. Whoever answers, the other is told; the one who
asked for time keeps the turn; a proposal always hands the choice to the other; nothing
reaches the partner before its author sends it; nothing leaves a final status."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from couples import conversation_states as states
from couples.models import ConversationRequest

MOVERS = [states.REQUESTER, states.PARTNER, states.SYSTEM]
FIRST = [states.DRAFT, states.HELD, states.PENDING]
moves = st.lists(st.tuples(st.sampled_from(MOVERS), st.sampled_from(states.ACTIONS)), max_size=40)


def test_the_table_names_every_status_the_model_has():
    assert set(ConversationRequest.Status.values) == states.STATUSES
    assert set(ConversationRequest.Role.values) == {states.REQUESTER, states.PARTNER}
    targets = {target for target in states.TRANSITIONS.values() if target != states.OFFERED}
    assert targets | set(FIRST) | {states.PROPOSED_OTHER} == states.STATUSES


@pytest.mark.parametrize(
    ("choice", "calm_score", "expected"),
    [
        ({}, 5, states.PENDING),
        ({}, 3, states.PENDING),
        ({}, 2, states.DRAFT),  # low calm, no choice: it waits with its author
        ({}, 1, states.DRAFT),
        ({"send_now": True}, 1, states.PENDING),  # an explicit send is today's behaviour
        ({"hold": True}, 5, states.HELD),
        ({"hold": True}, 1, states.HELD),
        ({"until_confirmed": True}, 5, states.DRAFT),
    ],
)
def test_where_a_new_request_goes_first(choice, calm_score, expected):
    assert states.status_on_write(calm_score=calm_score, **choice) == expected


@settings(max_examples=400, deadline=None)
@given(first=st.sampled_from(FIRST), walk=moves)
def test_random_walks_keep_every_promise(first, walk):
    status, asked_by = first, None
    sent = first == states.PENDING
    for mover, action in walk:
        turn = states.turn_of(status, asked_by)
        moved = states.step(status, mover=mover, action=action, time_asked_by=asked_by)
        if moved is None:
            continue
        # Nothing leaves a final status; only Haven expires or closes; only the author
        # sends, holds, discards and withdraws.
        assert status not in states.FINAL
        if action in ("expire", "close"):
            assert mover == states.SYSTEM
        if action in ("send", "hold", "discard", "withdraw"):
            assert mover == states.REQUESTER
        # The partner has nothing to act on before it is sent.
        if status in states.UNSENT:
            assert mover != states.PARTNER
        # Whoever answers, the other one is told, never the one who moved.
        assert moved.tell != mover
        if action in states.ANSWERS:
            assert moved.tell == states.other(mover)
            assert status in states.OPEN
        # Only the one whose turn it is picks or asks for time ...
        if action in ("pick", "ask_for_time"):
            assert mover == turn
        # ... and the one who asked for time keeps the turn; a proposal hands the choice
        # to the other, whoever proposed.
        if action == "ask_for_time":
            assert states.turn_of(moved.status, moved.time_asked_by) == mover
        if action == "propose":
            assert states.turn_of(moved.status, moved.time_asked_by) == states.other(mover)
        # An asked-for time is held by the one whose turn it is, or by nobody.
        if moved.time_asked_by is not None:
            assert states.turn_of(moved.status, moved.time_asked_by) == moved.time_asked_by
        # Sending is the only way to the partner: Haven never sends on its own.
        if moved.status in states.SEEN_BY_PARTNER and status in states.UNSENT:
            assert action == "send"
            sent = True
        if moved.status in states.SEEN_BY_PARTNER:
            assert sent
        status, asked_by = moved.status, moved.time_asked_by
        assert status in states.STATUSES


@pytest.mark.parametrize("status", sorted(states.FINAL))
def test_final_statuses_allow_nothing(status):
    for mover in MOVERS:
        for action in states.ACTIONS:
            assert states.step(status, mover=mover, action=action) is None


def test_the_buttons_each_side_sees():
    assert states.actions_for(states.DRAFT, states.REQUESTER) == ["send", "hold", "discard"]
    assert states.actions_for(states.DRAFT, states.PARTNER) == []
    assert states.actions_for(states.PENDING, states.PARTNER) == [
        "pick",
        "propose",
        "ask_for_time",
    ]
    assert states.actions_for(states.PENDING, states.REQUESTER) == ["propose", "withdraw"]
    # The requester asked for time: they hold the turn; the partner may only offer times.
    asked = (states.TIME_ASKED, states.REQUESTER)
    assert states.actions_for(asked[0], states.REQUESTER, asked[1]) == [
        "pick",
        "propose",
        "ask_for_time",
        "withdraw",
    ]
    assert states.actions_for(asked[0], states.PARTNER, asked[1]) == ["propose"]
    assert states.actions_for(states.SCHEDULED, states.PARTNER) == []
    assert states.actions_for(states.SCHEDULED, states.REQUESTER) == ["withdraw"]


def test_asking_for_time_tells_the_other_whoever_asks():
    for status, asker in [
        (states.PENDING, states.PARTNER),
        (states.PROPOSED_OTHER, states.REQUESTER),
    ]:
        moved = states.step(status, mover=asker, action="ask_for_time")
        assert moved == states.Step(states.TIME_ASKED, asker, states.other(asker))


def test_an_offer_from_the_one_asked_to_wait_keeps_the_time_asked_in_force():
    moved = states.step(
        states.TIME_ASKED,
        mover=states.REQUESTER,
        action="propose",
        time_asked_by=states.PARTNER,
    )
    assert moved == states.Step(states.PENDING, states.PARTNER, states.PARTNER)
    # The asker answering ends it.
    answered = states.step(
        moved.status, mover=states.PARTNER, action="propose", time_asked_by=moved.time_asked_by
    )
    assert answered == states.Step(states.PROPOSED_OTHER, None, states.REQUESTER)
