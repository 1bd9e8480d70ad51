from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from accounts.selectors import love_languages_of, preferences_of, shared_profile_of
from checkins.bridge import Bridge, PersonToday, bridge_for
from checkins.library import prompt_library
from checkins.models import CheckIn, CheckinSettings, Prompt
from checkins.models.checkins import CheckInQuerySet
from checkins.prompts import (
    NoPromptAvailable,
    checkins_of_day,
    pacing_week,
    prompt_of_day,
    recent_prompts,
)
from checkins.services import checkin_dates_open
from common.compiled import CompiledLookup
from common.models import row_or_default
from couples.models import Couple
from couples.selectors import couple_and_partner_of

NOT_YET, CHECKED_IN, REVEALED = "not_yet", "checked_in", "revealed"


def checkin_settings_of(user: User) -> CheckinSettings:
    """A person's check-in settings, or the defaults (unsaved) before they change any."""
    return row_or_default(user, "checkin_settings", CheckinSettings, user=user)


def _revealed_to(viewer_id: Any, couple_id: Any) -> Q:
    """A partner's check-in is revealed to me for a date once I have checked in (not passed)
    that same calendar date, only while its author keeps it shared, and only if it was
    written in our couple (never one written alone or with someone before me)."""
    mine_that_day = CheckIn.objects.filter(
        author_id=viewer_id, local_date=OuterRef("local_date"), passed=False
    )
    return Q(is_shared=True, passed=False, couple_id=couple_id) & Q(Exists(mine_that_day))


def _checkins_visible(
    *, viewer_id: Any, partner_id: Any = None, couple_id: Any = None
) -> CheckInQuerySet:
    visible = Q(author_id=viewer_id)
    if partner_id is not None:
        visible |= Q(author_id=partner_id) & _revealed_to(viewer_id, couple_id)
    # A partner's private notes never leave PostgreSQL for this reader (`private_notes_of`).
    return (
        CheckIn.objects.filter(visible)
        .with_acknowledgements()
        .with_prompts()
        .private_notes_of(viewer_id)
    )


# The check-in list's pages, composed once per connection and page shape (common.compiled).
_CHECKINS_ALONE = CompiledLookup("checkins_alone", _checkins_visible, viewer_id=User._meta.pk)
_CHECKINS_IN_COUPLE = CompiledLookup(
    "checkins_in_couple",
    _checkins_visible,
    viewer_id=User._meta.pk,
    partner_id=User._meta.pk,
    couple_id=Couple._meta.pk,
)


def checkins_visible_to(user: User, *, compiled: bool = False) -> CheckInQuerySet:
    """Mine, all of them; my partner's, only those revealed to me, while we are a couple;
    with their reactions and prompts. With `compiled`, for a list's pages: a
    `CompiledQuerySet` standing in for the same queryset, its statement composed once per
    page shape."""
    pair = couple_and_partner_of(user)
    if pair is None:
        return _CHECKINS_ALONE.queryset(compiled=compiled, viewer_id=user.pk)
    return _CHECKINS_IN_COUPLE.queryset(
        compiled=compiled, viewer_id=user.pk, partner_id=pair[1].pk, couple_id=pair[0].pk
    )


@dataclass(frozen=True)
class PartnerDay:
    state: str  # not_yet | checked_in | revealed
    checkin: CheckIn | None  # only when revealed


def trends_of(*, user: User, today: dt.date) -> dict[str, Any]:
    """My own averages over 7, 30 and 90 days (passes are not counted, nor anything
    missing: there are no streaks), and, with a partner, both dials on the days both of us
    kept a check-in shared: where we lean together (balance) and how far apart we were
    (gap). An unsent check-in counts for neither of us, as if it had not been written."""
    mine = CheckIn.objects.filter(author=user, passed=False)
    windows = {}
    for days in (7, 30, 90):
        since = today - dt.timedelta(days=days - 1)
        averages = mine.filter(local_date__gte=since, local_date__lte=today).aggregate(
            mood=Avg("mood"), energy=Avg("energy"), dial=Avg("dial")
        )
        windows[str(days)] = {k: _round(v) for k, v in averages.items()}
    couple = None
    pair = couple_and_partner_of(user)
    if pair is not None:
        couple = {"days": COUPLE_TREND_DAYS, **_shared_dials(pair[0], user, pair[1], today)}
    return {"mine": windows, "couple": couple, "generated_at": timezone.now()}


COUPLE_TREND_DAYS = 30


def _shared_dials(couple, me: User, partner: User, today: dt.date) -> dict[str, float | None]:
    since = today - dt.timedelta(days=COUPLE_TREND_DAYS - 1)
    rows = (
        CheckIn.objects.shared_in(couple)
        .filter(author__in=[me, partner], local_date__gte=since, local_date__lte=today)
        .values_list("local_date", "author_id", "dial")
    )
    by_day: dict[dt.date, dict[Any, int | None]] = {}
    for day, author_id, dial in rows:
        by_day.setdefault(day, {})[author_id] = dial
    both = [list(dials.values()) for dials in by_day.values() if len(dials) == 2]
    answered = [dial for dials in both for dial in dials if dial is not None]
    gaps = [abs(a - b) for a, b in both if a is not None and b is not None]
    return {
        "shared_dial_balance": _round(sum(answered) / len(answered)) if answered else None,
        "shared_dial_gap": _round(sum(gaps) / len(gaps)) if gaps else None,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _person_today(
    checkin: CheckIn, *, activities, love_languages, name: str, reassurance_words: str = ""
) -> PersonToday:
    return PersonToday(
        # An unanswered dial stays unknown (None): the bridge never reads it as 0.
        dial=checkin.dial,
        # An unanswered capacity is read as "not today": the gentlest assumption.
        capacity=checkin.capacity or CheckIn.Capacity.NOT_TODAY,
        connection_activities=tuple(activities or ()),
        receiving_love_languages=tuple(love_languages or ()),
        display_name=name,
        reassurance_words=reassurance_words,
    )


def bridge_of(*, me: User, mine: CheckIn, partner: User, theirs: CheckIn) -> Bridge:
    """The day's bridge, from my own preferences and only what my partner shares with me:
    a love language, an activity list or the reassurance they like to hear that they keep to
    themselves never shapes a suggestion. My own reassurance words are not passed: the line
    I am offered is for my partner to hear. With `me` and `partner` loaded with
    `select_related("love_languages", "preferences")` this asks no query."""
    shared = shared_profile_of(partner)
    their_preferences = shared["preferences"] or {}
    return bridge_for(
        me=_person_today(
            mine,
            activities=preferences_of(user=me).connection_activities,
            love_languages=love_languages_of(user=me).receiving,
            name=me.display_name,
        ),
        partner=_person_today(
            theirs,
            activities=their_preferences.get("connection_activities"),
            love_languages=(shared["love_languages"] or {}).get("receiving"),
            name=partner.display_name,
            reassurance_words=their_preferences.get("reassurance") or "",
        ),
    )


def _shared(checkin: CheckIn, couple) -> bool:
    return not checkin.passed and checkin.is_shared and checkin.couple_id == couple.pk


def _partner_day_of(
    *, mine: CheckIn | None, theirs: CheckIn | None, couple, partner: User
) -> PartnerDay:
    """What I may know about my partner's check-in for a date, from the two check-ins of
    that date (the partner's loaded with its author's settings). Only a check-in they keep
    shared in our couple counts: a pass, an unsent one, or one written before we were a
    couple all read exactly as "not yet", so no state exists that says something was
    withdrawn. It is revealed once I have checked in (not passed) that same date; before,
    "checked in" shows only if the partner lets it be known."""
    if theirs is None or not _shared(theirs, couple):
        return PartnerDay(NOT_YET, None)
    if mine is not None and not mine.passed:
        return PartnerDay(REVEALED, theirs)
    if checkin_settings_of(partner).announce_checked_in:
        return PartnerDay(CHECKED_IN, None)
    return PartnerDay(NOT_YET, None)


def prompt_today_of(*, user: User) -> Prompt:
    """`prompts/today`: the prompt of my own today, the same my partner gets for that
    calendar date; read, never stored (`prompt_of_day`). Three queries: the couple and
    partner, the recent prompt dates, and (unless today's prompt is stored) the pacing week
    to choose it."""
    _yesterday, today = checkin_dates_open(user)
    pair = couple_and_partner_of(user)
    members = [user.pk] if pair is None else [user.pk, pair[1].pk]
    couple = pair[0] if pair is not None else None
    library = prompt_library()
    prompts = recent_prompts(user=user, couple=couple, local_date=today)
    recent: list = []  # today's prompt stored: nothing to pace
    if prompts.stored is None:
        recent = pacing_week(members, up_to=today, library=library)
    return prompt_of_day(
        user=user, couple=couple, local_date=today, recent=recent, library=library, prompts=prompts
    )[0]


def today_of(*, user: User) -> dict[str, Any]:
    """Everything `checkins/today` shows, for my own today. Reads only, in three queries:
    the couple and partner; the couple's recent prompt dates (`recent_prompts`: today's
    stored prompt, if any); and both partners' check-ins, of today alone when today's prompt
    is stored, else of the pacing week up to today (today's two for the screen, the week's
    for the prompt's pace), with their prompts, reactions and their authors' settings and
    profiles. Today's prompt is the stored one, or the one a check-in would store now
    (`prompt_of_day`)."""
    yesterday, today = checkin_dates_open(user)
    pair = couple_and_partner_of(user)
    couple, partner = pair if pair is not None else (None, None)
    members = [user.pk] if partner is None else [user.pk, partner.pk]
    library = prompt_library()  # read once for the week's prompts and today's
    # Today's prompt stored already (someone answered it): only today's check-ins are
    # needed; otherwise the whole pacing week, to choose it as a check-in would.
    prompts = recent_prompts(user=user, couple=couple, local_date=today)
    if prompts.stored is not None:
        recent = checkins_of_day(members, day=today, profiles=True, library=library)
    else:
        recent = pacing_week(members, up_to=today, profiles=True, library=library)
    on_the_day = {c.author_id: c for c in recent if c.local_date == today}
    mine = on_the_day.get(user.pk)
    day = bridge = None
    if couple is not None and partner is not None:
        theirs = on_the_day.get(partner.pk)
        day = _partner_day_of(
            mine=mine, theirs=theirs, couple=couple, partner=theirs.author if theirs else partner
        )
        # The bridge is the two of ours: it exists while both check-ins are shared. Once
        # either is unsent, neither of us sees it (the partner could not see one anyway).
        if mine is not None and _shared(mine, couple) and day.checkin is not None:
            bridge = bridge_of(
                me=mine.author, mine=mine, partner=day.checkin.author, theirs=day.checkin
            )
    try:
        prompt: Prompt | None = prompt_of_day(
            user=user,
            couple=couple,
            local_date=today,
            recent=recent,
            library=library,
            prompts=prompts,
        )[0]
    except NoPromptAvailable:
        # Today's screen still works if coaches have switched every fitting prompt off.
        prompt = None
    return {
        "date": today,
        "allowed_dates": [yesterday, today],
        "my_checkin": mine,
        "partner": day,
        "prompt": prompt,
        "bridge": bridge,
    }


# --- Many people at once: the signals the lessons app reads (learn/signals.py) ---------------


def own_checkin_texts_since(user_ids: list, *, since: dt.date) -> list[tuple[Any, str, str]]:
    """(author, field, text) of the words these people saved in their own check-ins from
    that local date on, private notes included: read for their author's own lesson only."""
    rows: list[tuple[Any, str, str]] = []
    for author_id, shared_note, private_note, prompt_answer in CheckIn.objects.filter(
        author_id__in=user_ids, local_date__gte=since
    ).values_list("author_id", "shared_note", "private_note", "prompt_answer"):
        for name, text in (
            ("shared_note", shared_note),
            ("private_note", private_note),
            ("prompt_answer", prompt_answer),
        ):
            if text:
                rows.append((author_id, name, text))
    return rows


def shared_dials_of(
    couple_ids: list, *, since: dt.date
) -> list[tuple[Any, Any, dt.date, int | None]]:
    """(couple, author, local date, dial) of every shared check-in in these couples from
    that date on. A partner's dial is used only where the person checked in that same day,
    which is exactly when it is revealed to them."""
    return list(
        CheckIn.objects.filter(
            couple_id__in=couple_ids,
            passed=False,
            is_shared=True,
            local_date__gte=since,
            dial__isnull=False,
        ).values_list("couple_id", "author_id", "local_date", "dial")
    )
