"""The agreement state machine, as a table: {(state, action): next_state}. A move that is
not in the table is refused; `couples.services.agreements` is the one place that applies
it, under a row lock, so two partners acting at once cannot both win.

    (None,          "propose")      -> negotiating   a partner proposes; revision 1
    (negotiating,   "counter")      -> negotiating   the other answers with a new revision
    (negotiating,   "accept")       -> active        the non-author accepts the latest revision
    (negotiating,   "snooze")       -> snoozed       the non-author asks for time (<= 14 days)
    (snoozed,       "counter")      -> negotiating   ... and may answer before it ends
    (snoozed,       "accept")       -> active
    (snoozed,       "wake")         -> negotiating   the time asked for has passed (a nudge)
    (active,        "counter")      -> negotiating   either partner proposes a change; the old
                                                     terms stay active until it is accepted
    (active,        "retire")       -> retiring      either partner asks to retire it
    (retiring,      "retire")       -> retired       the other agrees
    (retiring,      "lapse")        -> retired       7 days unanswered: no one is held hostage
    (negotiating,   "close")        -> closed        the couple ended before anything was agreed
    (snoozed,       "close")        -> closed
    (negotiating,   "close_change") -> active        the couple ended during a change: what
    (snoozed,       "close_change") -> active        both accepted stays (archived)
    (retiring,      "close_change") -> active
"""

from __future__ import annotations

NEGOTIATING = "negotiating"
SNOOZED = "snoozed"
ACTIVE = "active"
RETIRING = "retiring"
RETIRED = "retired"
CLOSED = "closed"

TRANSITIONS: dict[tuple[str | None, str], str] = {
    (None, "propose"): NEGOTIATING,
    (NEGOTIATING, "counter"): NEGOTIATING,
    (NEGOTIATING, "accept"): ACTIVE,
    (NEGOTIATING, "snooze"): SNOOZED,
    (SNOOZED, "counter"): NEGOTIATING,
    (SNOOZED, "accept"): ACTIVE,
    (SNOOZED, "wake"): NEGOTIATING,
    (ACTIVE, "counter"): NEGOTIATING,
    (ACTIVE, "retire"): RETIRING,
    (RETIRING, "retire"): RETIRED,
    (RETIRING, "lapse"): RETIRED,
    (NEGOTIATING, "close"): CLOSED,
    (SNOOZED, "close"): CLOSED,
    (NEGOTIATING, "close_change"): ACTIVE,
    (SNOOZED, "close_change"): ACTIVE,
    (RETIRING, "close_change"): ACTIVE,
}

# A negotiation is open while an answer is awaited; a couple has at most a few at once.
OPEN_STATES = frozenset({NEGOTIATING, SNOOZED})


def transition_next(state: str | None, action: str) -> str | None:
    """The state `action` leads to from `state`, or None when the table does not allow it."""
    return TRANSITIONS.get((state, action))
