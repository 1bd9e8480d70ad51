"""Whether, when and why to contact one person about one thing: a pure function of the
person, the kind, the moment and what was sent before. No database, no clock, no I/O, so
every rule here is tested directly (tests/nudges/test_policy*.py, with hypothesis over
zones, wrapping quiet hours and DST).

The rules (DESIGN.md, "Nudges"):
- Relayed nudges (something a person did or agreed to) are never dropped or capped: quiet
  time and space holds only defer them. A moment the person chose themselves (a
  conversation time) is not moved by quiet time.
- Engagement nudges (Haven's own initiative) are dropped by opt-outs, back off when the
  kinds registered to back off (the check-in reminder) go unanswered, wait out holds and
  quiet time, and are capped per day and per week in the person's own calendar.
- While the person takes space, only the kinds on their allowed list (`space_allowed`) and
  kinds that always pass a hold get through; the rest wait for the hold to end.
- Quiet exit turns every channel but the inbox off at once (`reaches_channel`).
- Quiet time is the person's quiet hours (which may wrap midnight) plus their alone-time
  windows. Deferral lands on the first minute that is not quiet, DST gaps and repeated
  hours included.

It knows no kind by name: what a kind does here comes from its registration
(`nudges.kinds`), handed over on the `Candidate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)
SEND, DEFER, DROP = "send", "defer", "drop"
# The reason a nudge waits for a hold (the person taking space) to end.
HELD = "taking_space"
# Kinds that back off: after this many unanswered, only every `gap` days.
BACK_OFF_STEPS = ((6, 7), (3, 2))
_MAX_JUMPS = 64


@dataclass(frozen=True)
class AloneWindow:
    weekday: int  # Monday = 0
    start_minute: int
    end_minute: int  # up to 1440 (24:00)


@dataclass(frozen=True)
class Person:
    zone: ZoneInfo
    quiet_start: dt.time = dt.time(22, 0)
    quiet_end: dt.time = dt.time(8, 0)
    alone_windows: tuple[AloneWindow, ...] = ()
    opted_out: frozenset[str] = frozenset()
    daily_cap: int = 1
    weekly_cap: int = 5
    # Kinds allowed while taking space (the person's list; new people get the registered
    # default, nudges.kinds.space_allowed_by_default).
    space_allowed: frozenset[str] = frozenset()
    held_until: dt.datetime | None = None
    checkin_reminders_ignored: int = 0
    last_checkin_reminder_on: dt.date | None = None


@dataclass(frozen=True)
class Candidate:
    """The nudge being decided on."""

    kind: str
    engagement: bool
    local_date: dt.date
    at_chosen_time: bool = False
    same_day_only: bool = False
    passes_space_hold: bool = False
    backs_off: bool = False


@dataclass(frozen=True)
class History:
    # UTC moments of this person's engagement nudges already sent (the last 8 days do).
    engagement_sent: Sequence[dt.datetime] = field(default_factory=tuple)


@dataclass(frozen=True)
class Decision:
    action: str
    reason: str
    until: dt.datetime | None = None


def decide(
    *, person: Person, nudge: Candidate, moment: dt.datetime, history: History = History()
) -> Decision:
    """Send now, defer until a moment, or drop; always with the reason."""
    if nudge.engagement:
        if nudge.kind in person.opted_out:
            return Decision(DROP, "opted_out")
        if person.daily_cap <= 0 or person.weekly_cap <= 0:
            return Decision(DROP, "turned_off")
        if nudge.backs_off and _backing_off(person, nudge.local_date):
            return Decision(DROP, "backing_off")
    if (
        person.held_until is not None
        and person.held_until > moment
        and not nudge.passes_space_hold
        and nudge.kind not in person.space_allowed
    ):
        return _defer(person, nudge, person.held_until, HELD)
    if not nudge.at_chosen_time and is_quiet(person, moment):
        return _defer(person, nudge, first_allowed_minute(person, moment), "quiet_time")
    if nudge.engagement:
        local = moment.astimezone(person.zone)
        today, week_start = local.date(), local.date() - dt.timedelta(days=local.weekday())
        sent_days = [sent.astimezone(person.zone).date() for sent in history.engagement_sent]
        if sum(day == today for day in sent_days) >= person.daily_cap:
            return _defer(person, nudge, _local_midnight(person, today + _DAY), "daily_cap")
        if sum(week_start <= day <= today for day in sent_days) >= person.weekly_cap:
            next_week = _local_midnight(person, week_start + 7 * _DAY)
            return _defer(person, nudge, next_week, "weekly_cap")
    return Decision(SEND, "allowed")


_DAY = dt.timedelta(days=1)


def reaches_channel(
    *,
    channel: str,
    channel_order: Sequence[str],
    kind: str,
    opted_out: frozenset[str],
    quiet_exit: bool,
) -> bool:
    """Whether a sent nudge also goes out on `channel` (push, email) besides the inbox,
    which it always reaches. Quiet exit (a person leaving safely) stops every channel at
    once, whatever else is set; otherwise the channel must be on the person's list and the
    kind not turned off (a relayed kind turned off still reaches the inbox)."""
    if quiet_exit:
        return False
    return channel in channel_order and kind not in opted_out


def _defer(person: Person, nudge: Candidate, until: dt.datetime, reason: str) -> Decision:
    """Defer to `until`, moved on past quiet time (unless the person chose the moment).
    Only relayed nudges are never dropped: an engagement nudge for one day that would
    land on another is dropped instead."""
    if not nudge.at_chosen_time:
        until = first_allowed_minute(person, until)
    if (
        nudge.engagement
        and nudge.same_day_only
        and until.astimezone(person.zone).date() != nudge.local_date
    ):
        return Decision(DROP, reason)
    return Decision(DEFER, reason, until)


def _backing_off(person: Person, local_date: dt.date) -> bool:
    last = person.last_checkin_reminder_on
    if last is None:
        return False
    for ignored, gap_days in BACK_OFF_STEPS:
        if person.checkin_reminders_ignored >= ignored:
            return (local_date - last).days < gap_days
    return False


def _local_midnight(person: Person, day: dt.date) -> dt.datetime:
    """The first instant of a local day (midnight may not exist on a DST day)."""
    return _first_instant_at_or_after(person.zone, dt.datetime.combine(day, dt.time()))


# --- Quiet time -------------------------------------------------------------------------------


def is_quiet(person: Person, moment: dt.datetime) -> bool:
    return _quiet_until(person, moment.astimezone(person.zone)) is not None


def _quiet_until(person: Person, local: dt.datetime) -> dt.datetime | None:
    """The latest wall-clock end (naive) of the quiet windows covering `local`, or None."""
    ends: list[dt.datetime] = []
    t, day = local.time().replace(second=0, microsecond=0), local.date()
    start, end = person.quiet_start, person.quiet_end
    if start < end and start <= t < end:
        ends.append(dt.datetime.combine(day, end))
    elif start > end and t >= start:
        ends.append(dt.datetime.combine(day + _DAY, end))
    elif start > end and t < end:
        ends.append(dt.datetime.combine(day, end))
    minute = t.hour * 60 + t.minute
    for window in person.alone_windows:
        if window.weekday == local.weekday() and window.start_minute <= minute < window.end_minute:
            midnight = dt.datetime.combine(day, dt.time())
            ends.append(midnight + dt.timedelta(minutes=window.end_minute))
    return max(ends) if ends else None


def first_allowed_minute(person: Person, moment: dt.datetime) -> dt.datetime:
    """`moment` itself if it is not quiet, else the first whole minute after it that is not.
    Jumps to the end of each quiet window, and walks minute by minute only across a DST
    change (where a wall-clock end may be skipped or repeated)."""
    t = moment
    for _ in range(_MAX_JUMPS):
        local = t.astimezone(person.zone)
        end = _quiet_until(person, local)
        if end is None:
            return t
        jump = _first_instant_at_or_after(person.zone, end, after=t)
        if local.utcoffset() != jump.astimezone(person.zone).utcoffset():
            step = _next_whole_minute(t)
            while step < jump:
                if not is_quiet(person, step):
                    return step
                step += MINUTE
        t = jump
    raise RuntimeError("quiet time never ends")  # unreachable: windows are shorter than a week


def _next_whole_minute(moment: dt.datetime) -> dt.datetime:
    floor = moment.replace(second=0, microsecond=0)
    return floor + MINUTE if floor <= moment else floor


def _first_instant_at_or_after(
    zone: ZoneInfo, wall: dt.datetime, after: dt.datetime | None = None
) -> dt.datetime:
    """The first UTC instant whose local wall-clock time is `wall` or, where `wall` falls in
    a DST gap, the instant the clocks jump past it. With `after`, the first such instant
    later than it (the second pass of a repeated hour)."""
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) != wall:
        # A gap: `wall` never shows on the clock; the jump past it is between the two.
        candidates = [_transition_between(zone, min(first, second), max(first, second))]
    else:
        candidates = sorted({first, second})
    later = [c for c in candidates if after is None or c > after]
    return later[0] if later else candidates[-1]


def _transition_between(zone: ZoneInfo, low: dt.datetime, high: dt.datetime) -> dt.datetime:
    """The first whole minute in (low, high] with high's UTC offset (the clocks' jump)."""
    offset = high.astimezone(zone).utcoffset()
    while high - low > MINUTE:
        middle = (low + (high - low) / 2).replace(second=0, microsecond=0)
        if middle <= low:
            break
        if middle.astimezone(zone).utcoffset() == offset:
            high = middle
        else:
            low = middle
    return high
