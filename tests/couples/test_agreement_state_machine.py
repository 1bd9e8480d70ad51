"""The agreement negotiation as a state machine: two partners propose, counter (sometimes
on a stale revision, sometimes twice), amend and take back their own versions, accept,
snooze, keep and retire in random order, and time passes. After every step: at most one
version is in force, only the non-author ever accepted, the written words never change,
numbers the partner can see have no gaps, a version taken back is seen by its author alone,
and every state change is one the transition table allows."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from common.errors import ApplicationError
from couples.agreement_states import OPEN_STATES, TRANSITIONS, public_state
from couples.models import Agreement, AgreementRevision
from couples.selectors import agreement_revisions_of, agreements_visible_to
from couples.services.agreements import (
    agreement_accept,
    agreement_amend,
    agreement_counter,
    agreement_keep,
    agreement_propose,
    agreement_retire,
    agreement_snooze,
    agreement_withdraw,
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
        self.history: dict = {}  # agreement id -> {revision id: (number, author_id, terms)}
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

    def _act(self, agreement: Agreement | None, action, call) -> None:
        """Run one service call; a refusal changes nothing, a success is a table move or a
        repeat that changes nothing at all. `action` names the move, or (given the agreement
        before the call) picks it: withdrawing is one of three moves."""
        before = agreement.state if agreement is not None else None
        before_row = self._row(agreement.pk) if agreement is not None else None
        revisions_before = self._revision_rows(agreement.pk) if agreement is not None else None
        name = action(agreement) if callable(action) else action
        try:
            result = call()
        except ApplicationError:
            if agreement is not None:
                assert Agreement.objects.get(pk=agreement.pk).state == before
                assert self._revision_rows(agreement.pk) == revisions_before
            return
        after_row = self._row(result.pk)
        if after_row == before_row and self._revision_rows(result.pk) == revisions_before:
            pass  # a repeat (a double tap): nothing changed, and it said so with success
        else:
            self.moves.append((before, name, after_row["state"]))
        self._record_history(result.pk)

    @staticmethod
    def _row(pk) -> dict:
        return (
            Agreement.objects.filter(pk=pk)
            .values(
                "state",
                "latest_revision_id",
                "active_revision_id",
                "snoozed_until",
                "retire_requested_by_id",
                "review_on",
            )
            .get()
        )

    @staticmethod
    def _revision_rows(pk) -> list:
        return list(
            AgreementRevision.objects.filter(agreement_id=pk)
            .order_by("created_at", "id")
            .values_list("id", "number", "withdrawn_at")
        )

    def _record_history(self, pk) -> None:
        rows = {
            rid: (number, author, terms)
            for rid, number, author, terms in AgreementRevision.objects.filter(
                agreement_id=pk
            ).values_list("id", "number", "author_id", "terms")
        }
        known = self.history.get(pk, {})
        assert {rid: rows.get(rid) for rid in known} == known  # written words never change
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

    @rule(data=st.data(), stale=st.booleans(), terms=st.sampled_from(["x", "y", "ab xy"]))
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
                **{**TEXT, "terms": terms},
            ),
        )

    def _author_often(self, data, agreement: Agreement):
        """Often the author of the latest version (amending and taking back are theirs)."""
        if data.draw(st.booleans()) and agreement.latest_revision.author is not None:
            return agreement.latest_revision.author
        return data.draw(st.sampled_from(self.people))

    @rule(data=st.data(), stale=st.booleans(), terms=st.sampled_from(["x", "y", "ab xy"]))
    def amend(self, data, stale, terms):
        agreement = self._pick(data)
        if agreement is None:
            return
        actor = self._author_often(data, agreement)
        number = agreement.latest_revision.number - (1 if stale else 0)
        self._act(
            agreement,
            "amend",
            lambda: agreement_amend(
                agreement=agreement,
                author=actor,
                based_on=max(number, 1),
                **{**TEXT, "terms": terms},
            ),
        )

    @rule(data=st.data(), offset=st.integers(-1, 1))
    def withdraw(self, data, offset):
        agreement = self._pick(data)
        if agreement is None:
            return
        actor = self._author_often(data, agreement)
        latest = agreement.latest_revision
        number = max(latest.number + offset, 1)

        def move(agreement):
            if latest.answers_id is None:
                return "withdraw"
            if latest.answers_id == agreement.active_revision_id:
                return "withdraw_change"
            return "withdraw_counter"

        self._act(
            agreement,
            move,
            lambda: agreement_withdraw(agreement=agreement, user=actor, based_on=number),
        )

    @rule(data=st.data())
    def keep(self, data):
        agreement = self._pick(data)
        if agreement is None:
            return
        actor = data.draw(st.sampled_from(self.people))
        self._act(agreement, "keep", lambda: agreement_keep(agreement=agreement, user=actor))

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
                action = "lapse" if before[agreement.pk] == "retiring" else "wake"
                self.moves.append((before[agreement.pk], action, agreement.state))

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def at_most_one_active_version(self):
        for agreement in self._agreements():
            in_force = ("active", "changing", "change_snoozed", "retiring", "retired")
            assert (agreement.active_revision is not None) == (agreement.state in in_force)
            if agreement.active_revision is not None:
                assert agreement.active_revision.agreement_id == agreement.pk
                assert agreement.active_revision.withdrawn_at is None
                assert agreement.active_revision.number <= agreement.latest_revision.number
            if agreement.state in ("active", "retiring", "retired"):
                assert agreement.active_revision == agreement.latest_revision
            if agreement.state in ("changing", "change_snoozed"):
                assert agreement.latest_revision.number > agreement.active_revision.number

    @invariant()
    def the_latest_version_stands_unless_the_proposal_was_taken_back(self):
        for agreement in self._agreements():
            withdrawn = agreement.latest_revision.withdrawn_at is not None
            assert withdrawn == (agreement.state == "withdrawn")
            if withdrawn:  # a first proposal (perhaps amended): it answered nothing
                assert agreement.latest_revision.answers_id is None
                assert agreement.active_revision is None

    @invariant()
    def each_partner_sees_numbers_without_gaps_and_only_their_own_taken_back(self):
        for agreement in self._agreements():
            for person in self.people:
                if not agreements_visible_to(person).filter(pk=agreement.pk).exists():
                    # Only a proposal taken back is hidden, and only from the other partner.
                    assert agreement.state == "withdrawn"
                    assert agreement.latest_revision.author_id != person.pk
                    continue
                seen = list(agreement_revisions_of(agreement, viewer=person))
                for revision in seen:
                    assert revision.withdrawn_at is None or revision.author_id == person.pk
                standing = sorted(r.number for r in seen if r.withdrawn_at is None)
                assert standing == list(range(1, len(standing) + 1))

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
        open_count = Agreement.objects.filter(couple=self.couple, state__in=OPEN_STATES).count()
        assert open_count <= 3


# --- The table itself ---------------------------------------------------------------------


def _reachable() -> set:
    seen, frontier = set(), [None]
    while frontier:
        state = frontier.pop()
        for (source, _action), target in TRANSITIONS.items():
            if source == state and target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def test_every_state_is_reachable_from_a_proposal():
    assert _reachable() == set(Agreement.State.values)


def test_every_open_negotiation_can_end_without_the_other_answering():
    """No one is held hostage: from every open state the author alone can leave it (take it
    back) and the couple ending closes it."""
    for state in OPEN_STATES:
        assert {action for (source, action) in TRANSITIONS if source == state} >= {
            "amend",
            "withdraw_counter",
        }
        leaves = {TRANSITIONS.get((state, a)) for a in ("withdraw", "withdraw_change")}
        assert leaves - {None} and not leaves & {state}
        assert TRANSITIONS.get((state, "close")) or TRANSITIONS.get((state, "close_change"))


def test_a_change_never_takes_the_terms_in_force_away():
    """While a change is talked over, every way out of it that is not an accept lands back
    on the terms in force, as the API shows them all along (`active`)."""
    for (source, action), target in TRANSITIONS.items():
        if source in ("changing", "change_snoozed") and target not in (
            "changing",
            "change_snoozed",
        ):
            assert target == "active", (source, action)
            assert public_state(source) == "active"


def test_keep_is_possible_wherever_something_in_force_is_in_question():
    for state in ("active", "changing", "change_snoozed", "retiring"):
        assert TRANSITIONS[(state, "keep")] == "active"
    assert ("retired", "keep") not in TRANSITIONS


@pytest.mark.django_db
def test_agreement_negotiation_state_machine():
    AgreementNegotiation.TestCase.settings = settings(
        max_examples=30, stateful_step_count=20, deadline=None
    )
    AgreementNegotiation.TestCase().runTest()


# --- Every move in the table, walked through the services ---------------------------------
# The random walk above finds orders nobody thought of; this walk makes sure each move of
# the table is made once, on purpose, by the service that owns it (and lands where the table
# says). A move added to the table without a way here fails `test_every_move_is_walked`.

LATER = dt.timedelta(days=16)


def _snooze(agreement, person):
    until = today_for(person) + dt.timedelta(days=2)
    return agreement_snooze(agreement=agreement, user=person, until=until)


def _counter(agreement, person, based_on):
    return agreement_counter(agreement=agreement, author=person, based_on=based_on, **TEXT)


def _setup(start: str, a, b) -> Agreement:
    """An agreement of `a` and `b` in state `start`. Unless the name says otherwise `a`
    wrote the latest version; `+counter`: `b` answered `a`'s with their own."""
    state, _, variant = start.partition("+")
    agreement = agreement_propose(author=a, title="t", **TEXT)
    if state in ("active", "changing", "change_snoozed", "retiring"):
        agreement = agreement_accept(agreement=agreement, user=b, based_on=1)
    if state in ("changing", "change_snoozed"):
        agreement = _counter(agreement, a, 1)
    if variant == "counter":
        agreement = _counter(agreement, b, agreement.latest_revision.number)
    if state in ("snoozed", "change_snoozed"):
        waiting = b if variant != "counter" else a
        agreement = _snooze(agreement, waiting)
    if state == "retiring":
        agreement = agreement_retire(agreement=agreement, user=a)
    return Agreement.objects.get(pk=agreement.pk)


def _end_couple(agreement, couple, a, b):
    from couples.services.agreements import agreements_close_for_couple

    agreements_close_for_couple(couple=couple, member_ids=[a.pk, b.pk])


WALKS = {
    # (state, action): (how to set it up, what to do: f(agreement, couple, a, b))
    ("negotiating", "counter"): ("negotiating", lambda g, c, a, b: _counter(g, b, 1)),
    ("negotiating", "amend"): (
        "negotiating",
        lambda g, c, a, b: agreement_amend(
            agreement=g, author=a, based_on=1, **{**TEXT, "terms": "new"}
        ),
    ),
    ("negotiating", "accept"): (
        "negotiating",
        lambda g, c, a, b: agreement_accept(agreement=g, user=b, based_on=1),
    ),
    ("negotiating", "snooze"): ("negotiating", lambda g, c, a, b: _snooze(g, b)),
    ("snoozed", "snooze"): (
        "snoozed",
        lambda g, c, a, b: agreement_snooze(
            agreement=g, user=b, until=today_for(b) + dt.timedelta(days=5)
        ),
    ),
    ("snoozed", "amend"): (
        "snoozed",
        lambda g, c, a, b: agreement_amend(
            agreement=g, author=a, based_on=1, **{**TEXT, "terms": "new"}
        ),
    ),
    ("snoozed", "counter"): ("snoozed", lambda g, c, a, b: _counter(g, b, 1)),
    ("snoozed", "accept"): (
        "snoozed",
        lambda g, c, a, b: agreement_accept(agreement=g, user=b, based_on=1),
    ),
    ("snoozed", "wake"): ("snoozed", lambda g, c, a, b: agreements_wake_snoozed(_later())),
    ("negotiating", "withdraw"): (
        "negotiating",
        lambda g, c, a, b: agreement_withdraw(agreement=g, user=a, based_on=1),
    ),
    ("snoozed", "withdraw"): (
        "snoozed",
        lambda g, c, a, b: agreement_withdraw(agreement=g, user=a, based_on=1),
    ),
    ("negotiating", "withdraw_counter"): (
        "negotiating+counter",
        lambda g, c, a, b: agreement_withdraw(agreement=g, user=b, based_on=2),
    ),
    ("snoozed", "withdraw_counter"): (
        "snoozed+counter",
        lambda g, c, a, b: agreement_withdraw(agreement=g, user=b, based_on=2),
    ),
    ("active", "counter"): ("active", lambda g, c, a, b: _counter(g, b, 1)),
    ("changing", "counter"): ("changing", lambda g, c, a, b: _counter(g, b, 2)),
    ("changing", "amend"): (
        "changing",
        lambda g, c, a, b: agreement_amend(
            agreement=g, author=a, based_on=2, **{**TEXT, "terms": "new"}
        ),
    ),
    ("changing", "accept"): (
        "changing",
        lambda g, c, a, b: agreement_accept(agreement=g, user=b, based_on=2),
    ),
    ("changing", "snooze"): ("changing", lambda g, c, a, b: _snooze(g, b)),
    ("change_snoozed", "snooze"): (
        "change_snoozed",
        lambda g, c, a, b: agreement_snooze(
            agreement=g, user=b, until=today_for(b) + dt.timedelta(days=5)
        ),
    ),
    ("change_snoozed", "amend"): (
        "change_snoozed",
        lambda g, c, a, b: agreement_amend(
            agreement=g, author=a, based_on=2, **{**TEXT, "terms": "new"}
        ),
    ),
    ("change_snoozed", "counter"): ("change_snoozed", lambda g, c, a, b: _counter(g, b, 2)),
    ("change_snoozed", "accept"): (
        "change_snoozed",
        lambda g, c, a, b: agreement_accept(agreement=g, user=b, based_on=2),
    ),
    ("change_snoozed", "wake"): (
        "change_snoozed",
        lambda g, c, a, b: agreements_wake_snoozed(_later()),
    ),
    ("changing", "withdraw_change"): (
        "changing",
        lambda g, c, a, b: agreement_withdraw(agreement=g, user=a, based_on=2),
    ),
    ("change_snoozed", "withdraw_change"): (
        "change_snoozed",
        lambda g, c, a, b: agreement_withdraw(agreement=g, user=a, based_on=2),
    ),
    ("changing", "withdraw_counter"): (
        "changing+counter",
        lambda g, c, a, b: agreement_withdraw(agreement=g, user=b, based_on=3),
    ),
    ("change_snoozed", "withdraw_counter"): (
        "change_snoozed+counter",
        lambda g, c, a, b: agreement_withdraw(agreement=g, user=b, based_on=3),
    ),
    ("changing", "keep"): ("changing", lambda g, c, a, b: agreement_keep(agreement=g, user=b)),
    ("change_snoozed", "keep"): (
        "change_snoozed",
        lambda g, c, a, b: agreement_keep(agreement=g, user=b),
    ),
    ("active", "keep"): ("active", lambda g, c, a, b: agreement_keep(agreement=g, user=a)),
    ("active", "retire"): ("active", lambda g, c, a, b: agreement_retire(agreement=g, user=a)),
    ("retiring", "retire"): (
        "retiring",
        lambda g, c, a, b: agreement_retire(agreement=g, user=b),
    ),
    ("retiring", "keep"): ("retiring", lambda g, c, a, b: agreement_keep(agreement=g, user=b)),
    ("retiring", "lapse"): (
        "retiring",
        lambda g, c, a, b: agreements_finish_retiring(_later()),
    ),
    ("negotiating", "close"): ("negotiating", _end_couple),
    ("snoozed", "close"): ("snoozed", _end_couple),
    ("changing", "close_change"): ("changing", _end_couple),
    ("change_snoozed", "close_change"): ("change_snoozed", _end_couple),
    ("retiring", "close_change"): ("retiring", _end_couple),
}


def _later():
    return timezone.now() + LATER


def test_every_move_is_walked():
    assert set(WALKS) == set(TRANSITIONS) - {(None, "propose")}


@pytest.mark.django_db
@pytest.mark.parametrize("move", sorted(WALKS), ids=lambda move: "-".join(move))
def test_each_move_lands_where_the_table_says(move):
    couple, a, b = pair()
    setup, walk = WALKS[move]
    agreement = _setup(setup, a, b)
    assert agreement.state == move[0], setup
    walk(agreement, couple, a, b)
    assert Agreement.objects.get(pk=agreement.pk).state == TRANSITIONS[move]
