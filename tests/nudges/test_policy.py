"""The nudge policy, a pure function: examples for each rule, then properties over random
zones, quiet hours (wrapping midnight or not), alone-time windows, DST gaps and repeated
hours."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from nudges.policy import (
    DEFER,
    DROP,
    SEND,
    AloneWindow,
    Candidate,
    History,
    Person,
    decide,
    first_allowed_minute,
    is_quiet,
)

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MINUTE = dt.timedelta(minutes=1)


def at(zone, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone).astimezone(UTC)


def reminder(day: dt.date, **kw) -> Candidate:
    return Candidate(
        kind="checkin_reminder", engagement=True, local_date=day, same_day_only=True, **kw
    )


def ping(day: dt.date, **kw) -> Candidate:
    return Candidate(kind="ping", engagement=False, local_date=day, **kw)


REVISIT = dict(kind="boundary_revisit", engagement=True)

# --- Examples ---------------------------------------------------------------------------------


def test_an_engagement_nudge_outside_quiet_time_is_sent():
    person = Person(zone=BERLIN)
    decision = decide(
        person=person, nudge=reminder(dt.date(2026, 5, 4)), moment=at(BERLIN, 2026, 5, 4, 20)
    )
    assert (decision.action, decision.reason) == (SEND, "allowed")


def test_quiet_hours_defer_a_ping_to_their_end_in_local_time():
    person = Person(zone=BERLIN, quiet_start=dt.time(22), quiet_end=dt.time(7, 30))
    decision = decide(
        person=person, nudge=ping(dt.date(2026, 5, 4)), moment=at(BERLIN, 2026, 5, 4, 23, 10)
    )
    assert decision.action == DEFER and decision.reason == "quiet_time"
    assert decision.until == at(BERLIN, 2026, 5, 5, 7, 30)


def test_a_time_the_person_chose_is_not_moved_by_quiet_hours():
    person = Person(zone=BERLIN, quiet_start=dt.time(21), quiet_end=dt.time(8))
    chosen = Candidate(
        kind="conversation_reminder",
        engagement=False,
        local_date=dt.date(2026, 5, 4),
        at_chosen_time=True,
    )
    assert decide(person=person, nudge=chosen, moment=at(BERLIN, 2026, 5, 4, 21, 30)).action == SEND


def test_alone_time_windows_count_as_quiet_time():
    monday_lunch = AloneWindow(weekday=0, start_minute=12 * 60, end_minute=13 * 60)
    person = Person(zone=BERLIN, alone_windows=(monday_lunch,))
    decision = decide(
        person=person, nudge=ping(dt.date(2026, 5, 4)), moment=at(BERLIN, 2026, 5, 4, 12, 15)
    )
    assert decision.until == at(BERLIN, 2026, 5, 4, 13, 0)


def test_taking_space_holds_a_ping_until_the_space_ends():
    until = at(BERLIN, 2026, 5, 4, 18)
    person = Person(zone=BERLIN, held_until=until)
    decision = decide(
        person=person, nudge=ping(dt.date(2026, 5, 4)), moment=at(BERLIN, 2026, 5, 4, 12)
    )
    assert (decision.action, decision.reason, decision.until) == (DEFER, "taking_space", until)


def test_kinds_the_person_allows_during_space_get_through():
    person = Person(
        zone=BERLIN, held_until=at(BERLIN, 2026, 5, 4, 18), space_allowed=frozenset({"coach_note"})
    )
    note = Candidate(kind="coach_note", engagement=False, local_date=dt.date(2026, 5, 4))
    assert decide(person=person, nudge=note, moment=at(BERLIN, 2026, 5, 4, 12)).action == SEND


def test_a_hold_ending_in_quiet_hours_lands_after_them():
    person = Person(zone=BERLIN, held_until=at(BERLIN, 2026, 5, 4, 23))
    decision = decide(
        person=person, nudge=ping(dt.date(2026, 5, 4)), moment=at(BERLIN, 2026, 5, 4, 12)
    )
    assert decision.until == at(BERLIN, 2026, 5, 5, 8)


def test_an_opted_out_engagement_kind_is_dropped_but_a_relayed_one_never_is():
    person = Person(zone=BERLIN, opted_out=frozenset({"checkin_reminder", "ping"}))
    moment = at(BERLIN, 2026, 5, 4, 20)
    assert decide(person=person, nudge=reminder(dt.date(2026, 5, 4)), moment=moment).action == DROP
    assert decide(person=person, nudge=ping(dt.date(2026, 5, 4)), moment=moment).action == SEND


def test_the_daily_cap_drops_a_second_reminder_and_defers_a_revisit_to_tomorrow():
    person = Person(zone=BERLIN)
    moment = at(BERLIN, 2026, 5, 4, 20)
    history = History(engagement_sent=[at(BERLIN, 2026, 5, 4, 9)])
    day = dt.date(2026, 5, 4)
    dropped = decide(person=person, nudge=reminder(day), moment=moment, history=history)
    assert (dropped.action, dropped.reason) == (DROP, "daily_cap")
    revisit = Candidate(local_date=day, **REVISIT)
    deferred = decide(person=person, nudge=revisit, moment=moment, history=history)
    assert (deferred.action, deferred.until) == (DEFER, at(BERLIN, 2026, 5, 5, 8))


def test_yesterday_in_utc_is_today_in_tokyo_for_the_cap():
    tokyo = ZoneInfo("Asia/Tokyo")
    person = Person(zone=tokyo)
    # 23:30 UTC on the 3rd is 08:30 on the 4th in Tokyo: a different local day from the 3rd's.
    history = History(engagement_sent=[at(tokyo, 2026, 5, 3, 21)])
    moment = at(tokyo, 2026, 5, 4, 8, 30)
    assert (
        decide(
            person=person, nudge=reminder(dt.date(2026, 5, 4)), moment=moment, history=history
        ).action
        == SEND
    )


def test_the_weekly_cap_counts_the_local_week_from_monday():
    person = Person(zone=BERLIN, daily_cap=1, weekly_cap=2)
    history = History(engagement_sent=[at(BERLIN, 2026, 5, 4, 20), at(BERLIN, 2026, 5, 5, 20)])
    wednesday = at(BERLIN, 2026, 5, 6, 20)
    decision = decide(
        person=person,
        nudge=Candidate(local_date=dt.date(2026, 5, 6), **REVISIT),
        moment=wednesday,
        history=history,
    )
    assert (decision.action, decision.reason) == (DEFER, "weekly_cap")
    assert decision.until == at(BERLIN, 2026, 5, 11, 8)  # next Monday, after quiet hours
    last_week = History(engagement_sent=[at(BERLIN, 2026, 5, 2, 20), at(BERLIN, 2026, 5, 3, 20)])
    assert (
        decide(
            person=person, nudge=reminder(dt.date(2026, 5, 6)), moment=wednesday, history=last_week
        ).action
        == SEND
    )


def test_check_in_reminders_back_off_after_three_and_six_ignored():
    day = dt.date(2026, 5, 10)
    moment = at(BERLIN, 2026, 5, 10, 20)
    candidate = reminder(day, backs_off=True)

    def action(ignored, days_since_last):
        person = Person(
            zone=BERLIN,
            checkin_reminders_ignored=ignored,
            last_checkin_reminder_on=day - dt.timedelta(days=days_since_last),
        )
        return decide(person=person, nudge=candidate, moment=moment).action

    assert action(2, 1) == SEND
    assert action(3, 1) == DROP and action(3, 2) == SEND  # every other day
    assert action(6, 6) == DROP and action(6, 7) == SEND  # weekly


def test_caps_set_to_zero_turn_engagement_off():
    person = Person(zone=BERLIN, daily_cap=0)
    assert (
        decide(
            person=person, nudge=reminder(dt.date(2026, 5, 4)), moment=at(BERLIN, 2026, 5, 4, 20)
        ).reason
        == "turned_off"
    )


def test_a_reminder_pushed_past_its_day_is_dropped_not_carried_over():
    person = Person(zone=BERLIN, held_until=at(BERLIN, 2026, 5, 5, 10))
    decision = decide(
        person=person, nudge=reminder(dt.date(2026, 5, 4)), moment=at(BERLIN, 2026, 5, 4, 20)
    )
    assert (decision.action, decision.reason) == (DROP, "taking_space")


def test_dst_gap_quiet_hours_end_inside_the_skipped_hour():
    # New York, 8 March 2026: 02:00 becomes 03:00. Quiet until 02:30 ends when clocks jump.
    person = Person(zone=NEW_YORK, quiet_start=dt.time(1), quiet_end=dt.time(2, 30))
    until = first_allowed_minute(person, at(NEW_YORK, 2026, 3, 8, 1, 15))
    assert until.astimezone(NEW_YORK).time() == dt.time(3, 0)
    assert is_quiet(person, until - MINUTE)


def test_repeated_hour_quiet_hours_end_at_the_first_pass():
    # New York, 1 November 2026: 01:00-02:00 happens twice. Quiet 00:30-01:30.
    person = Person(zone=NEW_YORK, quiet_start=dt.time(0, 30), quiet_end=dt.time(1, 30))
    until = first_allowed_minute(person, at(NEW_YORK, 2026, 11, 1, 0, 45))
    assert until == dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first pass


# --- Properties -------------------------------------------------------------------------------

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/St_Johns",
    "Europe/London",
    "UTC",
]
# Days around DST changes in the zones above, and ordinary ones.
DAYS = [
    dt.date(2026, 3, 8),
    dt.date(2026, 3, 29),
    dt.date(2026, 4, 5),
    dt.date(2026, 9, 27),
    dt.date(2026, 10, 4),
    dt.date(2026, 10, 25),
    dt.date(2026, 11, 1),
    dt.date(2026, 6, 15),
]

times = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))


@st.composite
def people(draw):
    windows = draw(
        st.lists(
            st.tuples(st.integers(0, 6), st.integers(0, 1439), st.integers(1, 360)),
            max_size=3,
        )
    )
    return Person(
        zone=ZoneInfo(draw(st.sampled_from(ZONES))),
        quiet_start=draw(times),
        quiet_end=draw(times),
        alone_windows=tuple(
            AloneWindow(day, start, min(1440, start + length)) for day, start, length in windows
        ),
        daily_cap=draw(st.integers(1, 3)),
        weekly_cap=draw(st.integers(1, 7)),
    )


@st.composite
def moments(draw):
    day = draw(st.sampled_from(DAYS)) + dt.timedelta(days=draw(st.integers(-1, 1)))
    start = dt.datetime.combine(day, dt.time(), tzinfo=UTC)
    return start + dt.timedelta(
        minutes=draw(st.integers(0, 48 * 60)), seconds=draw(st.integers(0, 59))
    )


@settings(max_examples=300, deadline=None)
@given(person=people(), moment=moments())
def test_deferral_lands_on_the_first_minute_that_is_not_quiet(person, moment):
    until = first_allowed_minute(person, moment)
    assert not is_quiet(person, until)
    step = moment.replace(second=0, microsecond=0) + MINUTE
    while step < until:  # every whole minute between was quiet
        assert is_quiet(person, step), (step, until)
        step += MINUTE


@settings(max_examples=300, deadline=None)
@given(person=people(), moment=moments())
def test_no_engagement_nudge_is_sent_inside_quiet_time(person, moment):
    day = moment.astimezone(person.zone).date()
    decision = decide(person=person, nudge=Candidate(local_date=day, **REVISIT), moment=moment)
    if is_quiet(person, moment):
        assert decision.action != SEND
    if decision.action == DEFER:
        assert decision.until is not None and decision.until > moment
        assert not is_quiet(person, decision.until)


@settings(max_examples=200, deadline=None)
@given(person=people(), moment=moments(), chosen=st.booleans(), sent=st.integers(0, 30))
def test_relayed_nudges_are_never_dropped_whatever_was_sent(person, moment, chosen, sent):
    history = History(engagement_sent=[moment - dt.timedelta(hours=h) for h in range(sent)])
    day = moment.astimezone(person.zone).date()
    decision = decide(
        person=person, nudge=ping(day, at_chosen_time=chosen), moment=moment, history=history
    )
    assert decision.action in (SEND, DEFER)
    if chosen and person.held_until is None:
        assert decision.action == SEND


@settings(max_examples=60, deadline=None)
@given(
    person=people(),
    start=moments(),
    gaps=st.lists(st.integers(20, 12 * 60), min_size=5, max_size=40),
)
def test_caps_hold_in_the_persons_own_calendar(person, start, gaps):
    """Offer engagement nudges at random moments over days; whatever is sent never exceeds
    the daily or weekly cap in the person's local days and Monday-to-Sunday weeks."""
    sent: list[dt.datetime] = []
    moment = start
    for gap in gaps:
        moment += dt.timedelta(minutes=gap)
        day = moment.astimezone(person.zone).date()
        decision = decide(
            person=person,
            nudge=Candidate(local_date=day, **REVISIT),
            moment=moment,
            history=History(engagement_sent=list(sent)),
        )
        if decision.action == SEND:
            sent.append(moment)
    local_days = [s.astimezone(person.zone).date() for s in sent]
    for day in set(local_days):
        assert local_days.count(day) <= person.daily_cap
        monday = day - dt.timedelta(days=day.weekday())
        assert (
            sum(monday <= d <= monday + dt.timedelta(days=6) for d in local_days)
            <= person.weekly_cap
        )
