import datetime as dt
import zoneinfo

import pytest

from nudges.delivery import nudges_deliver
from nudges.models import Nudge, NudgeSettings
from tests.factories import TIME_ZONE

BERLIN = zoneinfo.ZoneInfo(TIME_ZONE)


def berlin(*args) -> dt.datetime:
    """A Berlin wall-clock moment, as the aware UTC instant the server works in."""
    return dt.datetime(*args, tzinfo=BERLIN).astimezone(dt.UTC)


def deliver_due(now: dt.datetime):
    """What the workers do with everything handed to them by `now` (at commit, or by a
    planner tick): deliver every pending nudge that is due. Claims are tested on their own."""
    ids = Nudge.objects.filter(state=Nudge.State.PENDING, due_at__lte=now).values_list(
        "pk", flat=True
    )
    return nudges_deliver(list(ids), now=now)


def settings_of(user) -> NudgeSettings:
    return NudgeSettings.objects.get(user=user)


@pytest.fixture
def no_quiet_hours():
    """Make every recipient reachable at any hour, for tests about something else."""

    def apply(*users):
        NudgeSettings.objects.filter(user__in=users).update(
            quiet_start=dt.time(0), quiet_end=dt.time(0)
        )

    return apply
