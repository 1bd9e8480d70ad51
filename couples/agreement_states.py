"""The agreement state machine, as a table: {(state, action): next_state}. A move that is
not in the table is refused; `couples.services.agreements` is the one place that applies
it, under a row lock, so two partners acting at once cannot both win.

A first negotiation (nothing accepted yet):

    (None,           "propose")          -> negotiating   a partner proposes; revision 1
    (negotiating,    "counter")          -> negotiating   the other answers with a new revision
    (negotiating,    "amend")            -> negotiating   the author rewrites their own latest
    (negotiating,    "accept")           -> active        the non-author accepts the latest
    (negotiating,    "snooze")           -> snoozed       the non-author asks for time (<= 14 d)
    (snoozed,        "snooze")           -> snoozed       ... and may choose another day
    (snoozed,        "amend")            -> snoozed       the author rewrites; the time asked
                                                          for stays the partner's
    (snoozed,        "counter")          -> negotiating   the snoozer answers before it ends
    (snoozed,        "accept")           -> active
    (snoozed,        "wake")             -> negotiating   the time asked for has passed (a nudge)
    (negotiating,    "withdraw")         -> withdrawn     the proposer takes back revision 1
    (snoozed,        "withdraw")         -> withdrawn     before any answer: gone for the partner
    (negotiating,    "withdraw_counter") -> negotiating   the author takes back a counter: the
    (snoozed,        "withdraw_counter") -> negotiating   version it answered waits for them

An accepted agreement stays in force while a change is talked over (`changing`,
`change_snoozed`: the API shows `active` with a `pending_change`):

    (active,         "counter")          -> changing      either partner proposes a change
    (changing,       "counter")          -> changing
    (changing,       "amend")            -> changing
    (changing,       "accept")           -> active        the change is in force
    (changing,       "snooze")           -> change_snoozed
    (change_snoozed, "snooze")           -> change_snoozed
    (change_snoozed, "amend")            -> change_snoozed
    (change_snoozed, "counter")          -> changing
    (change_snoozed, "accept")           -> active
    (change_snoozed, "wake")             -> changing
    (changing,       "withdraw_change")  -> active        the author takes the change back
    (change_snoozed, "withdraw_change")  -> active
    (changing,       "withdraw_counter") -> changing
    (change_snoozed, "withdraw_counter") -> changing
    (changing,       "keep")             -> active        "keep it as it is": the change is
    (change_snoozed, "keep")             -> active        declined, the terms in force stay

Keeping, retiring, and the couple ending:

    (active,         "keep")             -> active        at review: keep it (a new review date)
    (active,         "retire")           -> retiring      either partner asks to retire it
    (retiring,       "retire")           -> retired       the other agrees
    (retiring,       "keep")             -> active        the other declines ("keep it"), or the
                                                          asker takes the request back
    (retiring,       "lapse")            -> retired       7 days unanswered: no one is held hostage
    (negotiating,    "close")            -> closed        the couple ended before anything was
    (snoozed,        "close")            -> closed        agreed (the proposer keeps their words)
    (changing,       "close_change")     -> active        the couple ended during a change or a
    (change_snoozed, "close_change")     -> active        retire request: what both accepted
    (retiring,       "close_change")     -> active        stays (archived)
"""

from __future__ import annotations

NEGOTIATING = "negotiating"
SNOOZED = "snoozed"
ACTIVE = "active"
CHANGING = "changing"
CHANGE_SNOOZED = "change_snoozed"
RETIRING = "retiring"
RETIRED = "retired"
CLOSED = "closed"
WITHDRAWN = "withdrawn"

TRANSITIONS: dict[tuple[str | None, str], str] = {
    (None, "propose"): NEGOTIATING,
    (NEGOTIATING, "counter"): NEGOTIATING,
    (NEGOTIATING, "amend"): NEGOTIATING,
    (NEGOTIATING, "accept"): ACTIVE,
    (NEGOTIATING, "snooze"): SNOOZED,
    (SNOOZED, "snooze"): SNOOZED,
    (SNOOZED, "amend"): SNOOZED,
    (SNOOZED, "counter"): NEGOTIATING,
    (SNOOZED, "accept"): ACTIVE,
    (SNOOZED, "wake"): NEGOTIATING,
    (NEGOTIATING, "withdraw"): WITHDRAWN,
    (SNOOZED, "withdraw"): WITHDRAWN,
    (NEGOTIATING, "withdraw_counter"): NEGOTIATING,
    (SNOOZED, "withdraw_counter"): NEGOTIATING,
    (ACTIVE, "counter"): CHANGING,
    (CHANGING, "counter"): CHANGING,
    (CHANGING, "amend"): CHANGING,
    (CHANGING, "accept"): ACTIVE,
    (CHANGING, "snooze"): CHANGE_SNOOZED,
    (CHANGE_SNOOZED, "snooze"): CHANGE_SNOOZED,
    (CHANGE_SNOOZED, "amend"): CHANGE_SNOOZED,
    (CHANGE_SNOOZED, "counter"): CHANGING,
    (CHANGE_SNOOZED, "accept"): ACTIVE,
    (CHANGE_SNOOZED, "wake"): CHANGING,
    (CHANGING, "withdraw_change"): ACTIVE,
    (CHANGE_SNOOZED, "withdraw_change"): ACTIVE,
    (CHANGING, "withdraw_counter"): CHANGING,
    (CHANGE_SNOOZED, "withdraw_counter"): CHANGING,
    (CHANGING, "keep"): ACTIVE,
    (CHANGE_SNOOZED, "keep"): ACTIVE,
    (ACTIVE, "keep"): ACTIVE,
    (ACTIVE, "retire"): RETIRING,
    (RETIRING, "retire"): RETIRED,
    (RETIRING, "keep"): ACTIVE,
    (RETIRING, "lapse"): RETIRED,
    (NEGOTIATING, "close"): CLOSED,
    (SNOOZED, "close"): CLOSED,
    (CHANGING, "close_change"): ACTIVE,
    (CHANGE_SNOOZED, "close_change"): ACTIVE,
    (RETIRING, "close_change"): ACTIVE,
}

# A negotiation is open while an answer is awaited; a couple has at most a few at once.
OPEN_STATES = frozenset({NEGOTIATING, SNOOZED, CHANGING, CHANGE_SNOOZED})
# Someone asked for time before answering.
SNOOZED_STATES = frozenset({SNOOZED, CHANGE_SNOOZED})
# Accepted terms are in force while a change to them is talked over.
CHANGE_STATES = frozenset({CHANGING, CHANGE_SNOOZED})

# What the API calls each state: a change in progress leaves the agreement `active` (its
# terms are in force) and shows the change beside it (`pending_change`).
PUBLIC_STATE = {CHANGING: ACTIVE, CHANGE_SNOOZED: ACTIVE}
PENDING_CHANGE_STATE = {CHANGING: NEGOTIATING, CHANGE_SNOOZED: SNOOZED}


def transition_next(state: str | None, action: str) -> str | None:
    """The state `action` leads to from `state`, or None when the table does not allow it."""
    return TRANSITIONS.get((state, action))


def public_state(state: str) -> str:
    """The state as the API shows it (see PUBLIC_STATE)."""
    return PUBLIC_STATE.get(state, state)
