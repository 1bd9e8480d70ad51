"""The life of a "can we talk?" request, as one table: {(status, who, action): next status}.
Pure (no Django, no database, no clock): `couples.services.conversations` applies it under a
row lock, the lessons' calm pause reuses its first steps (`status_on_write`, `step`), and
tests/couples/test_conversation_states.py checks its properties.

Who moves, relative to the request and the moment:

    author   the requester. Before it is sent, a request is theirs alone.
    turn     the one whose turn it is to answer: the partner while `pending`, the requester
             while `proposed_other`, whoever asked for time while `time_asked`
    waiting  the other one of the two
    system   Haven itself (a week passed unconfirmed, the couple ended)

    status                 who      action         next
    (new)                  author   write          pending, held or draft (`status_on_write`)
    draft, held            author   send           pending          the partner has it now
    draft, held            author   hold           held             a timer the author chose
    draft, held            author   discard        discarded        it never reached anyone
    draft, held            system   expire         expired          7 days, nobody confirmed
    pending, proposed_other, time_asked:
                           turn     pick           scheduled        one of the other's times
                           turn     ask_for_time   time_asked       the asker keeps the turn
                           turn     propose        (offered)        other times; the other picks
                           waiting  propose        (offered)        ... also while waiting: the
                                                                    one asked to wait may offer
                                                                    times after the time asked
                           author   withdraw       withdrawn        gone from the partner's view
    scheduled              author   withdraw       withdrawn
    draft, held, pending, proposed_other, time_asked, scheduled:
                           system   close          closed           the couple ended

(offered) is `pending` when the partner is the one to pick next and `proposed_other` when it
is the requester: after a proposal the choice is always the other person's. Whoever answers
(pick, propose, ask for time), the other one is told, never the one who moved. Sending tells
the partner; a withdrawal, a discard, an expiry and a close tell nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

REQUESTER = "requester"
PARTNER = "partner"
SYSTEM = "system"

DRAFT = "draft"
HELD = "held"
PENDING = "pending"
PROPOSED_OTHER = "proposed_other"
TIME_ASKED = "time_asked"
SCHEDULED = "scheduled"
WITHDRAWN = "withdrawn"
DISCARDED = "discarded"
EXPIRED = "expired"
CLOSED = "closed"

# Who moves, relative to the request (see the table above).
AUTHOR = "author"
TURN = "turn"
WAITING = "waiting"

OFFERED = "(offered)"  # resolved by `step` to pending or proposed_other

ACTIONS = (
    "send",
    "hold",
    "discard",
    "pick",
    "propose",
    "ask_for_time",
    "withdraw",
    "expire",
    "close",
)
ANSWERS = frozenset({"pick", "propose", "ask_for_time"})

UNSENT = frozenset({DRAFT, HELD})
OPEN = frozenset({PENDING, PROPOSED_OTHER, TIME_ASKED})
SEEN_BY_PARTNER = frozenset({*OPEN, SCHEDULED})
FINAL = frozenset({WITHDRAWN, DISCARDED, EXPIRED, CLOSED})
STATUSES = frozenset({*UNSENT, *SEEN_BY_PARTNER, *FINAL})

TRANSITIONS: dict[tuple[str, str, str], str] = {
    **{(status, AUTHOR, "send"): PENDING for status in UNSENT},
    **{(status, AUTHOR, "hold"): HELD for status in UNSENT},
    **{(status, AUTHOR, "discard"): DISCARDED for status in UNSENT},
    **{(status, SYSTEM, "expire"): EXPIRED for status in UNSENT},
    **{(status, TURN, "pick"): SCHEDULED for status in OPEN},
    **{(status, TURN, "ask_for_time"): TIME_ASKED for status in OPEN},
    **{(status, TURN, "propose"): OFFERED for status in OPEN},
    **{(status, WAITING, "propose"): OFFERED for status in OPEN},
    **{(status, AUTHOR, "withdraw"): WITHDRAWN for status in SEEN_BY_PARTNER},
    **{(status, SYSTEM, "close"): CLOSED for status in UNSENT | SEEN_BY_PARTNER},
}

# How long a request may wait with its author, unconfirmed, before it is let go.
UNSENT_DAYS = 7
# At this calm score or below, a request with no explicit choice waits with its author.
CALM_LOW = 2


@dataclass(frozen=True)
class Step:
    """Where a move leads: the next status, who holds an asked-for time afterwards (None
    when nobody does) and who is told (never the one who moved)."""

    status: str
    time_asked_by: str | None
    tell: str | None


def other(role: str) -> str:
    return PARTNER if role == REQUESTER else REQUESTER


def turn_of(status: str, time_asked_by: str | None = None) -> str | None:
    """Whose turn it is to answer, or None when nobody's is (unsent, scheduled, over)."""
    if status == PENDING:
        return PARTNER
    if status == PROPOSED_OTHER:
        return REQUESTER
    if status == TIME_ASKED:
        return time_asked_by or PARTNER
    return None


def offered_to(picker: str) -> str:
    """The status once times are on the table for `picker` to choose from."""
    return PENDING if picker == PARTNER else PROPOSED_OTHER


def _labels(status: str, mover: str, time_asked_by: str | None) -> list[str]:
    if mover == SYSTEM:
        return [SYSTEM]
    labels = [AUTHOR] if mover == REQUESTER else []
    turn = turn_of(status, time_asked_by)
    if turn is not None:
        labels.append(TURN if turn == mover else WAITING)
    return labels


def step(status: str, *, mover: str, action: str, time_asked_by: str | None = None) -> Step | None:
    """Where `action` by `mover` (requester, partner or system) leads from `status`, or None
    when the table does not allow it. `time_asked_by` is who asked for the time in force."""
    for label in _labels(status, mover, time_asked_by):
        target = TRANSITIONS.get((status, label, action))
        if target is None:
            continue
        if action == "send":
            return Step(PENDING, None, PARTNER)
        if action == "ask_for_time":
            return Step(TIME_ASKED, mover, other(mover))
        if action == "pick":
            return Step(SCHEDULED, None, other(mover))
        if action == "propose":
            # The one who asked for time ends it by answering; times offered by the one asked
            # to wait leave it in force (they must fall after it: a rule of time, in services).
            asked = None if time_asked_by == mover else time_asked_by
            return Step(offered_to(other(mover)), asked, other(mover))
        return Step(target, None, None)
    return None


def actions_for(status: str, role: str, time_asked_by: str | None = None) -> list[str]:
    """What `role` may do now, in a stable order: the app shows these buttons and no others."""
    return [
        action
        for action in ACTIONS
        if action not in ("expire", "close")
        and step(status, mover=role, action=action, time_asked_by=time_asked_by) is not None
    ]


def status_on_write(
    *, calm_score: int, send_now: bool = False, hold: bool = False, until_confirmed: bool = False
) -> str:
    """The first status of a request the author just wrote. An explicit choice wins: send now
    (pending), a timer (held), or "hold until I confirm" (draft). With no choice, a low calm
    score keeps it with its author as a draft, the pause offered and never imposed: one tap
    sends it; otherwise it goes at once."""
    if send_now:
        return PENDING
    if hold:
        return HELD
    if until_confirmed or calm_score <= CALM_LOW:
        return DRAFT
    return PENDING


def seen_by_partner(status: str) -> bool:
    """Whether the partner may see a request in this status at all (while a couple)."""
    return status in SEEN_BY_PARTNER
