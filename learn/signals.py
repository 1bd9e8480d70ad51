"""The rule table's inputs (`learn.rules.Signals`) for many people at once: a fixed number
of queries for a batch of any size (the planner's due people, or one person's `learn/today`).
Reads only, through `couples` and `checkins` selectors; nothing is stored.

Only what the person produced or what is already shared with them is read: their own saved
words (run through the tone helper's blame table here, at read time; never `tone/check`
calls, which are not stored, and never the danger-phrase table), their own calm self-checks,
the partner's space (which the partner shows them), agreements both of them see, shared
dials on days the person checked in too, and coach notes to their couple."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.utils import timezone

from checkins.selectors import own_checkin_texts_since, shared_dials_of
from common.tone.matcher import tone_hints
from couples.conversation_states import CALM_LOW
from couples.models import Membership
from couples.selectors import (
    coach_note_lessons_of,
    couples_and_partners_of,
    couples_with_agreements_revised,
    own_texts_since,
    people_taking_space,
    people_who_felt_unsettled,
)
from learn import rules

CALM_WINDOW = dt.timedelta(days=1)
ONE_DAY = dt.timedelta(days=1)


def tone_hinted_writes(texts: Sequence[tuple[uuid.UUID, str, str]]) -> dict[uuid.UUID, int]:
    """{author: how many of these saved texts drew at least one blame hint}."""
    counts: dict[uuid.UUID, int] = {}
    for author_id, field, text in texts:
        if tone_hints(text, field=field):
            counts[author_id] = counts.get(author_id, 0) + 1
    return counts


def _dials_apart_days(
    dials: Sequence[tuple[uuid.UUID, uuid.UUID, dt.date, int | None]],
    pairs: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]],
    days: dict[uuid.UUID, dt.date],
) -> dict[uuid.UUID, int]:
    by_day: dict[tuple[uuid.UUID, dt.date], int] = {
        (author_id, day): dial for _couple, author_id, day, dial in dials if dial is not None
    }
    runs = {}
    for person, (_couple, partner) in pairs.items():
        apart = {
            day
            for (author_id, day), mine in by_day.items()
            if author_id == person
            and (theirs := by_day.get((partner, day))) is not None
            and min(mine, theirs) < 0 < max(mine, theirs)
        }
        runs[person] = rules.longest_run_ending(apart, last=days[person], step=ONE_DAY)
    return runs


def signals_of(
    people: dict[uuid.UUID, dt.date], now: dt.datetime | None = None
) -> dict[uuid.UUID, rules.Signals]:
    """{person: their signals on their local date}, for every person given."""
    now = now or timezone.now()
    ids = list(people)
    if not ids:
        return {}
    pairs = couples_and_partners_of(ids)
    # Someone leaving with a delay (issue 16) has no couple from the moment they ask, and
    # nothing of the partner's may reach them, not even as the reason for a lesson. The
    # partner still sees the couple as it was, so their own signals are left untouched.
    current = set(
        Membership.objects.current_for_self()
        .filter(user_id__in=list(pairs))
        .values_list("user_id", flat=True)
    )
    pairs = {person: pair for person, pair in pairs.items() if person in current}
    couple_ids = list({couple for couple, _partner in pairs.values()})
    unsettled = people_who_felt_unsettled(ids, since=now - CALM_WINDOW, calm_at_most=CALM_LOW)
    in_space: set[uuid.UUID] = set()
    countered: set[uuid.UUID] = set()
    coach_lessons: dict[uuid.UUID, str] = {}
    apart: dict[uuid.UUID, int] = {}
    earliest = min(people.values())
    if pairs:  # what only a couple has: no queries for a batch of people on their own
        in_space = people_taking_space([partner for _couple, partner in pairs.values()])
        countered = couples_with_agreements_revised(couple_ids, revisions=rules.COUNTERED_REVISIONS)
        coach_lessons = coach_note_lessons_of(
            couple_ids, since=now - dt.timedelta(days=rules.COACH_NOTE_DAYS)
        )
        dials = shared_dials_of(
            couple_ids, since=earliest - dt.timedelta(days=rules.DIALS_APART_DAYS + 1)
        )
        apart = _dials_apart_days(dials, pairs, people)
    week_ago = now - dt.timedelta(days=rules.TONE_WINDOW_DAYS)
    hinted = tone_hinted_writes(
        [
            *own_texts_since(ids, since=week_ago),
            *own_checkin_texts_since(
                ids, since=earliest - dt.timedelta(days=rules.TONE_WINDOW_DAYS - 1)
            ),
        ]
    )
    found = {}
    for person in ids:
        couple, partner = pairs.get(person, (None, None))
        found[person] = rules.Signals(
            coach_lesson=coach_lessons.get(couple, "") if couple else "",
            low_calm=person in unsettled,
            partner_taking_space=partner in in_space,
            tone_hinted_writes=hinted.get(person, 0),
            agreement_countered_twice=couple in countered,
            dials_apart_days=apart.get(person, 0),
        )
    return found
