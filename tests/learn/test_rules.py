"""The rule table of `learn/today` (learn/rules.py), pure: every row alone, the thresholds,
the order of rows, the 14- and 60-day rules, retired lessons, and "nothing fits"."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learn import rules
from learn.rules import History, Pick, Signals, lesson_for

EVERY = frozenset(
    {
        "see-the-pattern",
        rules.CALM_FIRST,
        rules.NOT_ABOUT_YOU,
        rules.I_NOT_YOU,
        rules.MEET_IN_THE_MIDDLE,
        rules.ACCEPT_DIFFERENCES,
        "outside-help",
    }
)
OPEN = History(available=EVERY)

# Each row, alone: the smallest signals that make it fit, and what it offers.
ALONE = {
    "coach_note": (Signals(coach_lesson="outside-help"), "outside-help"),
    "low_calm": (Signals(low_calm=True), rules.CALM_FIRST),
    "partner_space": (Signals(partner_taking_space=True), rules.NOT_ABOUT_YOU),
    "tone_hints": (Signals(tone_hinted_writes=rules.TONE_HINTED_WRITES), rules.I_NOT_YOU),
    "countered": (Signals(agreement_countered_twice=True), rules.MEET_IN_THE_MIDDLE),
    "dials_apart": (Signals(dials_apart_days=rules.DIALS_APART_DAYS), rules.ACCEPT_DIFFERENCES),
}


def test_every_row_of_the_table_is_tested_alone():
    assert set(ALONE) == set(rules.REASONS)
    assert {lesson for _signals, lesson in ALONE.values()} - {"outside-help"} == rules.RULE_LESSONS


@pytest.mark.parametrize("reason", sorted(ALONE))
def test_each_signal_alone_offers_its_lesson(reason):
    signals, lesson = ALONE[reason]
    assert lesson_for(signals, OPEN) == Pick(lesson=lesson, reason=reason)


def test_nothing_fits_offers_nothing():
    assert lesson_for(Signals(), OPEN) is None


@pytest.mark.parametrize(
    "signals",
    [
        Signals(tone_hinted_writes=rules.TONE_HINTED_WRITES - 1),
        Signals(dials_apart_days=rules.DIALS_APART_DAYS - 1),
        Signals(tone_hinted_writes=2, dials_apart_days=2),
    ],
)
def test_below_the_thresholds_nothing_fits(signals):
    assert lesson_for(signals, OPEN) is None


@pytest.mark.parametrize("reason", sorted(ALONE))
def test_a_lesson_offered_in_the_last_14_days_is_not_offered_again(reason):
    signals, lesson = ALONE[reason]
    assert (
        lesson_for(signals, History(available=EVERY, offered_recently=frozenset({lesson}))) is None
    )


@pytest.mark.parametrize("reason", sorted(ALONE))
def test_a_lesson_put_aside_is_not_offered(reason):
    signals, lesson = ALONE[reason]
    assert (
        lesson_for(signals, History(available=EVERY, dismissed_recently=frozenset({lesson})))
        is None
    )


@pytest.mark.parametrize("reason", sorted(ALONE))
def test_a_retired_lesson_is_not_offered(reason):
    signals, lesson = ALONE[reason]
    assert lesson_for(signals, History(available=EVERY - {lesson})) is None


def test_a_coach_note_naming_an_unknown_lesson_offers_nothing():
    assert lesson_for(Signals(coach_lesson="no-such-lesson"), OPEN) is None


def _all_signals() -> Signals:
    merged = Signals()
    for signals, _lesson in ALONE.values():
        changed = {
            f.name: getattr(signals, f.name)
            for f in dataclasses.fields(Signals)
            if getattr(signals, f.name) != getattr(Signals(), f.name)
        }
        merged = dataclasses.replace(merged, **changed)
    return merged


def test_rows_are_tried_in_the_tables_order_and_a_blocked_one_gives_way():
    signals = _all_signals()
    blocked: set[str] = set()
    for reason in rules.REASONS:
        pick = lesson_for(signals, History(available=EVERY, offered_recently=frozenset(blocked)))
        assert pick == Pick(lesson=ALONE[reason][1], reason=reason)
        blocked.add(pick.lesson)
    assert (
        lesson_for(signals, History(available=EVERY, offered_recently=frozenset(blocked))) is None
    )


SIGNALS = st.builds(
    Signals,
    coach_lesson=st.sampled_from(["", "outside-help", rules.CALM_FIRST, "unknown"]),
    low_calm=st.booleans(),
    partner_taking_space=st.booleans(),
    tone_hinted_writes=st.integers(min_value=0, max_value=10),
    agreement_countered_twice=st.booleans(),
    dials_apart_days=st.integers(min_value=0, max_value=10),
)
SLUGS = st.frozensets(st.sampled_from(sorted(EVERY)))


@given(signals=SIGNALS, offered=SLUGS, dismissed=SLUGS, retired=SLUGS)
def test_a_pick_is_always_the_first_fitting_row_whose_lesson_may_be_offered(
    signals, offered, dismissed, retired
):
    history = History(
        available=EVERY - retired, offered_recently=offered, dismissed_recently=dismissed
    )
    pick = lesson_for(signals, history)
    fitting = [(rule.reason, rule.lesson(signals)) for rule in rules.RULES if rule.lesson(signals)]
    allowed = [(reason, slug) for reason, slug in fitting if history.allows(slug)]
    if not allowed:
        assert pick is None
    else:
        assert pick == Pick(lesson=allowed[0][1], reason=allowed[0][0])
        assert pick.lesson not in offered | dismissed | retired


DAY = dt.date(2027, 3, 10)
STEP = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("days", "run"),
    [
        (set(), 0),
        ({DAY}, 1),
        ({DAY, DAY - STEP, DAY - 2 * STEP}, 3),
        # Today's check-ins may still be to come: a run up to yesterday counts.
        ({DAY - STEP, DAY - 2 * STEP, DAY - 3 * STEP}, 3),
        # A gap breaks the run.
        ({DAY, DAY - 2 * STEP, DAY - 3 * STEP}, 1),
        ({DAY - 2 * STEP, DAY - 3 * STEP, DAY - 4 * STEP}, 0),
    ],
)
def test_days_running_end_today_or_yesterday(days, run):
    assert rules.longest_run_ending(days, last=DAY, step=STEP) == run
