"""Which lesson, if any, a person is offered today: one rule table, pure (no Django, no
database, no clock), like `checkins/bridge.py`. `learn.signals` gathers the inputs;
tests/learn/test_rules.py checks every row, the "nothing fits" case and the properties.

Every input is something the person produced themself or that is already shared with them,
never the partner's private data:

    row              reason                 lesson              the signal
    1 coach_note     a coach attached it    (the coach's pick)  a coach note to their couple
                                                                 this week names a lesson
    2 low_calm       calm self-check 1-2    calm-first          their own "can we talk?" of the
                                                                 last day, calm score 1 or 2
    3 partner_space  partner taking space   not-about-you       the partner's space, which the
                                                                 partner shows them plainly
    4 tone_hints     saved words drew hints i-not-you           3+ of their own SAVED texts of
                                                                 the last 7 days drew a blame
                                                                 hint (never `tone/check`
                                                                 calls, never danger matches)
    5 countered      an agreement went      meet-in-the-middle  an agreement still being shaped
                     back and forth                              was countered twice (rev. 3+)
    6 dials_apart    dials apart 3 days     accept-differences  their own and the partner's
                                                                 SHARED dials pointed opposite
                                                                 ways 3 days running

The first row that fits and whose lesson may be offered wins: a person's coach chose with
them in mind; a low calm score is about a talk that may happen today; the partner's space is
felt now; the slower signals follow. A lesson is not offered again within 14 days of being
offered, nor within 60 of being put aside, nor once retired. Nothing fits: nothing (no
filler lesson).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

CALM_FIRST = "calm-first"
NOT_ABOUT_YOU = "not-about-you"
I_NOT_YOU = "i-not-you"
MEET_IN_THE_MIDDLE = "meet-in-the-middle"
ACCEPT_DIFFERENCES = "accept-differences"

# Saved texts of the last week that drew a blame hint, before "I instead of you" is offered.
TONE_HINTED_WRITES = 3
# Days running with the two shared dials on opposite sides.
DIALS_APART_DAYS = 3
# Revisions of an agreement still being shaped: the first proposal and two counters.
COUNTERED_REVISIONS = 3
# A lesson offered is not offered again for this many days; one put aside, for this many.
REPEAT_GAP_DAYS = 14
DISMISSED_DAYS = 60
TONE_WINDOW_DAYS = 7
COACH_NOTE_DAYS = 7


@dataclass(frozen=True)
class Signals:
    """One person's inputs for one day."""

    coach_lesson: str = ""
    low_calm: bool = False
    partner_taking_space: bool = False
    tone_hinted_writes: int = 0
    agreement_countered_twice: bool = False
    dials_apart_days: int = 0


@dataclass(frozen=True)
class History:
    """What may be offered: the lessons in use, and those offered or put aside lately."""

    available: frozenset[str]
    offered_recently: frozenset[str] = field(default_factory=frozenset)
    dismissed_recently: frozenset[str] = field(default_factory=frozenset)

    def allows(self, slug: str) -> bool:
        return (
            slug in self.available
            and slug not in self.offered_recently
            and slug not in self.dismissed_recently
        )


@dataclass(frozen=True)
class Rule:
    reason: str
    # The lesson a fitting row offers, or "" when the row does not fit these signals.
    lesson: Callable[[Signals], str]


def _when(slug: str, fits: Callable[[Signals], bool]) -> Callable[[Signals], str]:
    return lambda signals: slug if fits(signals) else ""


RULES: tuple[Rule, ...] = (
    Rule("coach_note", lambda s: s.coach_lesson),
    Rule("low_calm", _when(CALM_FIRST, lambda s: s.low_calm)),
    Rule("partner_space", _when(NOT_ABOUT_YOU, lambda s: s.partner_taking_space)),
    Rule("tone_hints", _when(I_NOT_YOU, lambda s: s.tone_hinted_writes >= TONE_HINTED_WRITES)),
    Rule("countered", _when(MEET_IN_THE_MIDDLE, lambda s: s.agreement_countered_twice)),
    Rule(
        "dials_apart", _when(ACCEPT_DIFFERENCES, lambda s: s.dials_apart_days >= DIALS_APART_DAYS)
    ),
)
REASONS: tuple[str, ...] = tuple(rule.reason for rule in RULES)
# The lessons the fixed rows offer (the coach's row offers whichever the coach attached).
RULE_LESSONS: frozenset[str] = frozenset(
    {CALM_FIRST, NOT_ABOUT_YOU, I_NOT_YOU, MEET_IN_THE_MIDDLE, ACCEPT_DIFFERENCES}
)


@dataclass(frozen=True)
class Pick:
    lesson: str
    reason: str


def lesson_for(signals: Signals, history: History) -> Pick | None:
    """Today's lesson for these signals and this history, or None when nothing fits."""
    for rule in RULES:
        slug = rule.lesson(signals)
        if slug and history.allows(slug):
            return Pick(lesson=slug, reason=rule.reason)
    return None


def longest_run_ending(days: set, *, last, step) -> int:
    """How many days in a row, ending at `last` (or the day before it, when `last` itself
    is missing: today's check-ins may still be to come), are in `days`."""
    if last not in days:
        last = last - step
    run = 0
    while last in days:
        run += 1
        last = last - step
    return run
