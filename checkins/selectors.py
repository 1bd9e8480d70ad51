from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.selectors import love_languages_of, preferences_of, profile_shared_with_partner
from checkins.bridge import Bridge, PersonToday, bridge_for
from checkins.models import Acknowledgement, CheckIn, CheckinSettings, Prompt
from checkins.prompts import NoPromptAvailable, prompt_for_day
from checkins.services import checkin_dates_open
from common.models import row_or_default
from couples.selectors import couple_and_partner_of

NOT_YET, CHECKED_IN, REVEALED = "not_yet", "checked_in", "revealed"


def checkin_settings_of(user: User) -> CheckinSettings:
    """A person's check-in settings, or the defaults (unsaved) before they change any."""
    return row_or_default(user, "checkin_settings", CheckinSettings, user=user)


def _revealed_to(viewer: User, couple) -> Q:
    """A partner's check-in is revealed to me for a date once I have checked in (not passed)
    that same calendar date, only while its author keeps it shared, and only if it was
    written in our couple (never one written alone or with someone before me)."""
    mine_that_day = CheckIn.objects.filter(
        author=viewer, local_date=OuterRef("local_date"), passed=False
    )
    return Q(is_shared=True, passed=False, couple=couple) & Q(Exists(mine_that_day))


def checkins_visible_to(user: User) -> QuerySet[CheckIn]:
    """Mine, all of them; my partner's, only those revealed to me, while we are a couple."""
    pair = couple_and_partner_of(user)
    visible = Q(author=user)
    if pair is not None:
        visible |= Q(author=pair[1]) & _revealed_to(user, pair[0])
    return CheckIn.objects.filter(visible).prefetch_related(
        Prefetch("acknowledgements", queryset=Acknowledgement.objects.order_by("created_at"))
    )


@dataclass(frozen=True)
class PartnerDay:
    state: str  # not_yet | checked_in | revealed
    checkin: CheckIn | None  # only when revealed


def partner_day(*, viewer: User, partner: User, couple, local_date: dt.date) -> PartnerDay:
    """What I may know about my partner's check-in for a date. A pass shows as "not yet";
    "checked in" shows only if the partner lets it be known; answers only once revealed."""
    theirs = (
        CheckIn.objects.filter(author=partner, local_date=local_date, passed=False)
        .annotate(
            revealed=Exists(CheckIn.objects.filter(_revealed_to(viewer, couple), pk=OuterRef("pk")))
        )
        .prefetch_related("acknowledgements")
        .first()
    )
    if theirs is None:
        return PartnerDay(NOT_YET, None)
    if theirs.revealed:
        return PartnerDay(REVEALED, theirs)
    if checkin_settings_of(partner).announce_checked_in:
        return PartnerDay(CHECKED_IN, None)
    return PartnerDay(NOT_YET, None)


def trends_of(*, user: User, today: dt.date) -> dict[str, Any]:
    """My own averages over 7, 30 and 90 days (passes are not counted, nor anything
    missing: there are no streaks), and, with a partner, the balance of both dials on days
    both of us could see each other's answers."""
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
        partner = pair[1]
        since = today - dt.timedelta(days=29)
        both = CheckIn.objects.filter(
            Q(author=user, passed=False)
            & Exists(
                CheckIn.objects.filter(
                    author=partner,
                    local_date=OuterRef("local_date"),
                    passed=False,
                    is_shared=True,
                    couple=pair[0],
                )
            ),
            is_shared=True,
            couple=pair[0],
            local_date__gte=since,
        ).values_list("local_date", flat=True)
        dials = CheckIn.objects.filter(
            author__in=[user, partner], couple=pair[0], local_date__in=list(both)
        ).aggregate(dial=Avg("dial"))
        couple = {"days": 30, "shared_dial_balance": _round(dials["dial"])}
    return {"mine": windows, "couple": couple, "generated_at": timezone.now()}


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _person_today(checkin: CheckIn, *, activities, love_languages, name: str) -> PersonToday:
    return PersonToday(
        dial=checkin.dial if checkin.dial is not None else 0,
        # An unanswered capacity is read as "not today": the gentlest assumption.
        capacity=checkin.capacity or CheckIn.Capacity.NOT_TODAY,
        connection_activities=tuple(activities or ()),
        receiving_love_languages=tuple(love_languages or ()),
        display_name=name,
    )


def bridge_of(*, me: User, mine: CheckIn, partner: User, theirs: CheckIn) -> Bridge:
    """The day's bridge, from my own preferences and only what my partner shares with me:
    a love language they keep to themselves never shapes a suggestion."""
    shared = profile_shared_with_partner(user=partner)
    return bridge_for(
        me=_person_today(
            mine,
            activities=preferences_of(user=me).connection_activities,
            love_languages=love_languages_of(user=me).receiving,
            name=me.display_name,
        ),
        partner=_person_today(
            theirs,
            activities=(shared["preferences"] or {}).get("connection_activities"),
            love_languages=(shared["love_languages"] or {}).get("receiving"),
            name=partner.display_name,
        ),
    )


def _prompt_or_none(user: User, local_date: dt.date) -> Prompt | None:
    """Today's screen still works if coaches have switched every fitting prompt off."""
    try:
        return prompt_for_day(user=user, local_date=local_date)
    except NoPromptAvailable:
        return None


def today_of(*, user: User) -> dict[str, Any]:
    """Everything `checkins/today` shows, for my own today."""
    yesterday, today = checkin_dates_open(user)
    mine = (
        CheckIn.objects.filter(author=user, local_date=today)
        .select_related("prompt")
        .prefetch_related("acknowledgements")
        .first()
    )
    day = bridge = None
    pair = couple_and_partner_of(user)
    if pair is not None:
        couple, partner = pair
        day = partner_day(viewer=user, partner=partner, couple=couple, local_date=today)
        if mine is not None and not mine.passed and day.checkin is not None:
            bridge = bridge_of(me=user, mine=mine, partner=partner, theirs=day.checkin)
    return {
        "date": today,
        "allowed_dates": [yesterday, today],
        "my_checkin": mine,
        "partner": day,
        "prompt": _prompt_or_none(user, today),
        "bridge": bridge,
    }
