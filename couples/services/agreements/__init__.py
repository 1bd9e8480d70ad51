"""Compromise agreements (DESIGN, "Agreements (compromise)"): one partner proposes terms,
their own need and what they understand the other's need to be; the other answers the
latest revision by accepting it, countering it, or asking for time. Until they answer, the
author may amend their version or take it back. Accepted, it is in force until both change
it, keep it at review, or retire it (a retire request can be declined: "keep it").

Every move goes through `_locked` and `_move`: the couple row and then the agreement row are
locked, the move is looked up in `couples.agreement_states.TRANSITIONS`, and only then
written. Two partners acting at the same moment therefore queue; the second sees the first's
result and gets a 409 (a stale revision, or a move the new state does not allow) unless it
asked for exactly what already happened: a repeated action that changes nothing (a double
tap, a retry) answers the same success as the first.

Nudges: each move relays one notice to the partner through `nudges.services.nudge_relay`.
The ends of a snooze and of an unanswered retirement are found by `agreements_wake_snoozed`
and `agreements_finish_retiring`; the nudges issue schedules them as periodic tasks (they take
`now` and can run twice without a second effect)."""

from couples.services.agreements.in_force import (
    agreement_keep,
    agreement_retire,
    agreements_close_for_couple,
    agreements_finish_retiring,
)
from couples.services.agreements.moves import (
    OPEN_NEGOTIATIONS_MAX,
    RETIRE_UNANSWERED_DAYS,
    REVIEW_DEFAULT_DAYS,
    SNOOZE_MAX_DAYS,
)
from couples.services.agreements.negotiation import (
    agreement_accept,
    agreement_amend,
    agreement_counter,
    agreement_propose,
    agreement_snooze,
    agreement_withdraw,
    agreements_wake_snoozed,
)

__all__ = [
    "OPEN_NEGOTIATIONS_MAX",
    "RETIRE_UNANSWERED_DAYS",
    "REVIEW_DEFAULT_DAYS",
    "SNOOZE_MAX_DAYS",
    "agreement_accept",
    "agreement_amend",
    "agreement_counter",
    "agreement_keep",
    "agreement_propose",
    "agreement_retire",
    "agreement_snooze",
    "agreement_withdraw",
    "agreements_close_for_couple",
    "agreements_finish_retiring",
    "agreements_wake_snoozed",
]
