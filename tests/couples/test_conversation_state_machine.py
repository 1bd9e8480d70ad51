"""The "can we talk?" services as a state machine: two partners write, hold, send, discard,
withdraw, pick, propose and ask for time in random order (often out of turn, sometimes
twice), and time passes. After every step: each change of a request is a move the table in
`couples.conversation_states` allows, a refusal or a repeat changes nothing, nobody is ever
told of their own move, and the partner sees exactly the requests that reached them."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from rest_framework.exceptions import NotFound

from common.errors import ApplicationError
from couples import conversation_states as states
from couples.models import ConversationRequest
from couples.selectors import conversations_visible_to
from couples.services.conversations import (
    conversation_discard,
    conversation_hold,
    conversation_request,
    conversation_respond,
    conversation_send,
    conversation_withdraw,
    conversations_expire_unsent,
)
from nudges.models import Nudge
from tests.couples.talking import NOON
from tests.factories import pair
from tests.utils import today_for

ANSWER_KINDS = ["conversation_pick", "conversation_propose", "conversation_ask_for_time"]


class ConversationTurns(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._travel = time_machine.travel(NOON, tick=False)
        self.clock = self._travel.start()
        # Each example runs in its own savepoint, rolled back in teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.couple, self.requester, self.partner = pair()
        self.moves: list[tuple] = []
        self.written: list = []  # ids in the order written: draws must not depend on uuids

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        self._travel.stop()

    # --- helpers --------------------------------------------------------------------------

    def _requests(self) -> list[ConversationRequest]:
        rows = ConversationRequest.objects.in_bulk(self.written)
        return [rows[pk] for pk in self.written]

    def _pick_request(self, data) -> ConversationRequest | None:
        if not self.written:
            return None
        return ConversationRequest.objects.get(pk=data.draw(st.sampled_from(self.written)))

    def _times(self, data, at_least: int = 1) -> list[dt.datetime]:
        hours = data.draw(st.lists(st.integers(2, 24 * 16), min_size=at_least, max_size=3))
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        return [now + dt.timedelta(hours=h) for h in hours]

    def _act(self, request: ConversationRequest, mover: str, action: str, call) -> None:
        """One service call: a refusal changes nothing; a change is a move of the table."""
        before = (request.status, request.time_asked_by or None)
        try:
            call()
        except (ApplicationError, NotFound):
            request.refresh_from_db()
            assert (request.status, request.time_asked_by or None) == before
            return
        request.refresh_from_db()
        after = (request.status, request.time_asked_by or None)
        if after != before:
            self.moves.append((before, mover, action, after))

    # --- rules ----------------------------------------------------------------------------

    @rule(
        data=st.data(),
        calm=st.integers(1, 5),
        choice=st.sampled_from(["", "send_now", "hold", "until_confirmed"]),
    )
    def write(self, data, calm, choice):
        request = conversation_request(
            requester=self.requester,
            topic="topic",
            depth="light",
            urgency="no_rush",
            proposed_times=self._times(data),
            calm_score=calm,
            send_now=choice == "send_now",
            hold_minutes=30 if choice == "hold" else None,
            hold_until_confirmed=choice == "until_confirmed",
        )
        self.written.append(request.pk)

    @rule(data=st.data(), action=st.sampled_from(["send", "hold", "discard", "withdraw"]))
    def authors_move(self, data, action):
        request = self._pick_request(data)
        if request is None:
            return
        service = {
            "send": conversation_send,
            "discard": conversation_discard,
            "withdraw": conversation_withdraw,
        }.get(action)
        user = data.draw(st.sampled_from([self.requester, self.partner]))
        mover = states.REQUESTER if user == self.requester else states.PARTNER

        def call():
            if service is None:
                return conversation_hold(request=request, user=user, hold_minutes=45)
            return service(request=request, user=user)

        self._act(request, mover, action, call)

    @rule(data=st.data(), action=st.sampled_from(sorted(states.ANSWERS)))
    def answer(self, data, action):
        request = self._pick_request(data)
        if request is None:
            return
        user = data.draw(st.sampled_from([self.requester, self.partner]))
        mover = states.REQUESTER if user == self.requester else states.PARTNER
        kwargs: dict = {}
        if action == "pick":
            offered = (
                request.partner_proposed_times
                if mover == states.REQUESTER
                else request.proposed_times
            )
            pool = [dt.datetime.fromisoformat(t) for t in offered] or self._times(data)
            kwargs["time"] = data.draw(st.sampled_from(pool))
        elif action == "propose":
            kwargs["times"] = self._times(data)
        else:
            kwargs["until"] = today_for(user) + dt.timedelta(days=data.draw(st.integers(1, 5)))
        self._act(
            request,
            mover,
            action,
            lambda: conversation_respond(request=request, user=user, action=action, **kwargs),
        )

    @precondition(lambda self: bool(self.written))
    @rule(hours=st.integers(1, 24 * 5))
    def time_passes(self, hours):
        before = {r.pk: (r.status, r.time_asked_by or None) for r in self._requests()}
        self.clock.shift(dt.timedelta(hours=hours))
        conversations_expire_unsent()
        for request in self._requests():
            after = (request.status, request.time_asked_by or None)
            if after != before[request.pk]:
                self.moves.append((before[request.pk], states.SYSTEM, "expire", after))

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def every_change_is_a_move_of_the_table(self):
        for (status, asked), mover, action, after in self.moves:
            moved = states.step(status, mover=mover, action=action, time_asked_by=asked)
            assert moved is not None, (status, asked, mover, action)
            assert (moved.status, moved.time_asked_by) == after, (status, mover, action, after)

    @invariant()
    def nobody_is_told_of_their_own_move(self):
        nudges = Nudge.objects.filter(kind__in=ANSWER_KINDS)
        assert not [n for n in nudges if n.recipient_id == n.actor_id]
        assert not Nudge.objects.filter(kind="conversation_request", recipient=self.requester)
        assert not Nudge.objects.filter(kind="conversation_hold_ended", recipient=self.partner)

    @invariant()
    def the_partner_sees_exactly_what_reached_them(self):
        seen = set(conversations_visible_to(self.partner).values_list("pk", flat=True))
        reached = {r.pk for r in self._requests() if r.status in states.SEEN_BY_PARTNER}
        assert seen == reached
        for request in self._requests():
            assert (request.sent_at is not None) == (
                request.status in states.SEEN_BY_PARTNER or request.status == states.WITHDRAWN
            )
            if request.status in (states.PENDING, states.PROPOSED_OTHER, states.TIME_ASKED):
                assert states.turn_of(request.status, request.time_asked_by or None) in (
                    states.REQUESTER,
                    states.PARTNER,
                )
            if request.status == states.TIME_ASKED:
                assert request.time_asked_by and request.time_asked_until


@pytest.mark.django_db
def test_conversation_turns_state_machine():
    ConversationTurns.TestCase.settings = settings(
        max_examples=30, stateful_step_count=25, deadline=None
    )
    ConversationTurns.TestCase().runTest()
