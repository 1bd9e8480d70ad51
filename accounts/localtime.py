"""A person's own calendar. The server decides what "today" is for someone, from the time
zone they set, never from a phone's clock (DESIGN, principle 5)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from accounts.models import User


def local_zone(person: User) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(person.time_zone)


def local_today(person: User, now: dt.datetime | None = None) -> dt.date:
    """The person's calendar date at `now` (the present moment unless given)."""
    return (now or timezone.now()).astimezone(local_zone(person)).date()


def local_day_bounds(
    person: User, now: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the person's current day and of the next one."""
    zone = local_zone(person)
    start = dt.datetime.combine(local_today(person, now), dt.time.min, tzinfo=zone)
    return start, start + dt.timedelta(days=1)
