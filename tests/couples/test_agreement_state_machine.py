"""The agreement negotiation as a state machine: two partners propose, counter (sometimes
on a stale revision), accept, snooze and retire in random order, and time passes. After
every step: at most one version is active, only the non-author ever accepted, the written
history never changes, and every state change is one the transition table allows."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from common.errors import ApplicationError
from couples.agreement_states import TRANSITIONS
from couples.models import Agreement, AgreementRevision
from couples.services.agreements import (
    agreement_accept,
    agreement_counter,
    agreement_propose,
    agreement_retire,
    agreement_snooze,
    agreements_finish_retiring,
    agreements_wake_snoozed,
)
from tests.factories import pair
from tests.utils import today_for

TEXT = {"terms": "terms", "my_need": "my need", "your_need_as_i_understand": "your need"}


class AgreementNegotiation(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Each example runs in its own savepoint, rolled back in teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.couple, a, b = pair()
        self.people = [a, b]
        self.history: dict = {}  # agreement id -> [(number, author_id, terms)]
        self.moves: list[tuple[str | None, str, str]] = []
        self.accepts: list[tuple[int | None, int]] = []  # (latest author, accepter) ids
        self.clock = timezone.now()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers --------------------------------------------------------------------------

    def _agreements(self) -> list[Agreement]:
        return list(
            Agreement.objects.filter(couple=self.couple)
            .select_related("latest_revision", "active_revision")
            .order_by("created_at", "id")
        )

    def _act(self, agreement: Agreement | None, action: str, call) -> None:
        """Run one service call; a refusal changes nothing, a success is a table move."""
        before = agreement.state if agreement is not None else None
        try:
            result = call()
        except ApplicationError:
            if agreement is not None:
                assert Agreement.objects.get(pk=agreement.pk).state == before
            return
        after = Agreement.objects.get(pk=result.pk).state
        if not (before == after and action == "retire"):  # asking twice is a no-op
            self.moves.append((before, action, after))
        self._record_history(result.pk)

    def _record_history(self, pk) -> None:
        rows = list(
            AgreementRevision.objects.filter(agreement_id=pk)
            .order_by("number")
            .values_list("number", "author_id", "terms")
        )
        known = self.history.get(pk, [])
        assert rows[: len(known)] == known
        self.history[pk] = rows

    def _actor(self, data, agreement: Agreement):
        """Often the partner whose turn it is (so the machine gets somewhere), sometimes
        anyone (so refusals are exercised too)."""
        if data.draw(st.booleans()):
            return data.draw(st.sampled_from(self.people))
        waiting = agreement.retire_requested_by_id or agreement.latest_revision.author_id
        if agreement.state == "active" and data.draw(st.booleans()):
            return data.draw(st.sampled_from(self.people))
        return next(p for p in self.people if p.pk != waiting)

    def _pick(self, data) -> Agreement | None:
        agreements = self._agreements()
        if not agreements:
            return None
        return data.draw(st.sampled_from(agreements))

    # --- rules ----------------------------------------------------------------------------

    @rule(who=st.integers(0, 1), terms=st.text("ab xy", min_size=1, max_size=20))
    def propose(self, who, terms):
        author = self.people[who]
        before = Agreement.objects.filter(couple=self.couple).count()
        try:
            agreement = agreement_propose(author=author, title="t", **{**TEXT, "terms": terms})
        except ApplicationError as error:
            assert error.code == "too_many_open_negotiations"
            assert Agreement.objects.filter(couple=self.couple).count() == before
            return
        self.moves.append((None, "propose", agreement.state))
        self._record_history(agreement.pk)

    @rule(data=st.data(), stale=st.booleans(), terms=st.text("ab xy", max_size=9))
    def counter(self, data, stale, terms):
        agreement = self._pick(data)
        if agreement is None:
            return
        actor = self._actor(data, agreement)
        number = agreement.latest_revision.number - (1 if stale else 0)
        self._act(
            agreement,
            "counter",
            lambda: agreement_counter(
                agreement=agreement,
                author=actor,
                based_on=max(number, 1),
                **{**TEXT, "terms": terms or "x"},
            ),
        )

    @rule(data=st.data(), stale=st.booleans())
    def accept(self, data, stale):
        agreement = self._pick(data)
        if agreement is None:
            return
        actor = self._actor(data, agreement)
        number = agreement.latest_revision.number - (1 if stale else 0)
        accepter = actor
        before = agreement.state
        self._act(
            agreement,
            "accept",
            lambda: agreement_accept(agreement=agreement, user=accepter, based_on=max(number, 1)),
        )
        if Agreement.objects.get(pk=agreement.pk).state != before:
            self.accepts.append((agreement.latest_revision.author_id, accepter.pk))

    @rule(data=st.data(), days=st.integers(-1, 16))
    def snooze(self, data, days):
        agreement = self._pick(data)
        if agreement is None:
            return
        actor = self._actor(data, agreement)
        until = today_for(actor) + dt.timedelta(days=days)
        self._act(
            agreement,
            "snooze",
            lambda: agreement_snooze(agreement=agreement, user=actor, until=until),
        )

    @rule(data=st.data())
    def retire(self, data):
        agreement = self._pick(data)
        if agreement is None:
            return
        actor = self._actor(data, agreement)
        self._act(
            agreement,
            "retire",
            lambda: agreement_retire(agreement=agreement, user=actor),
        )

    @precondition(lambda self: bool(self.history))
    @rule(days=st.integers(1, 15))
    def time_passes(self, days):
        self.clock += dt.timedelta(days=days)
        before = {a.pk: a.state for a in self._agreements()}
        agreements_wake_snoozed(self.clock)
        agreements_finish_retiring(self.clock)
        for agreement in self._agreements():
            if agreement.state != before[agreement.pk]:
                action = "wake" if before[agreement.pk] == "snoozed" else "lapse"
                self.moves.append((before[agreement.pk], action, agreement.state))

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def at_most_one_active_version(self):
        for agreement in self._agreements():
            if agreement.state in ("active", "retiring", "retired"):
                assert agreement.active_revision is not None
            if agreement.active_revision is not None:
                assert agreement.active_revision.agreement_id == agreement.pk
                assert agreement.active_revision.number <= agreement.latest_revision.number
            if agreement.state == "active":
                assert agreement.active_revision == agreement.latest_revision

    @invariant()
    def only_the_non_author_accepts(self):
        for author_id, accepter_id in self.accepts:
            assert author_id != accepter_id

    @invariant()
    def history_never_changes(self):
        for pk in self.history:
            self._record_history(pk)

    @invariant()
    def every_move_is_in_the_table(self):
        for before, action, after in self.moves:
            assert TRANSITIONS.get((before, action)) == after, (before, action, after)

    @invariant()
    def a_handful_open_at_most(self):
        open_count = Agreement.objects.filter(
            couple=self.couple, state__in=["negotiating", "snoozed"]
        ).count()
        assert open_count <= 3


@pytest.mark.django_db
def test_agreement_negotiation_state_machine():
    AgreementNegotiation.TestCase.settings = settings(
        max_examples=25, stateful_step_count=20, deadline=None
    )
    AgreementNegotiation.TestCase().runTest()
