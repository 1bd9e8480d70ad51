"""Nudges delivered now, as the workers would deliver them (the real batch delivery: inbox
row and channel fan-out), and the Berlin wall clock the factories' people live by."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from couples.models import Appreciation, Membership, Ping
from couples.services.messages import appreciation_create, ping_send
from nudges.inbox import nudges_deliver
from nudges.models import Delivery, Nudge, NudgeSettings
from tests.factories import TIME_ZONE

# 12:00 in Berlin, where the factories' people live: outside their quiet hours.
NOON = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)
BERLIN = zoneinfo.ZoneInfo(TIME_ZONE)


def berlin(*args) -> dt.datetime:
    """A Berlin wall-clock moment, as the aware UTC instant the server works in."""
    return dt.datetime(*args, tzinfo=BERLIN).astimezone(dt.UTC)


def deliver(nudge: Nudge) -> Nudge:
    """Run the real batch delivery for one relayed nudge (inbox row + channel fan-out)."""
    outcome = nudges_deliver([nudge.pk], now=timezone.now())
    assert outcome["sent"] == 1, outcome
    nudge.refresh_from_db()
    return nudge


def appreciation_delivered(author, text: str) -> Nudge:
    appreciation = appreciation_create(author=author, text=text)
    return deliver(Nudge.objects.get(kind="appreciation", subject_id=appreciation.pk))


def ping_delivered(sender) -> Nudge:
    ping = ping_send(sender=sender)
    return deliver(Nudge.objects.get(kind="ping", subject_id=ping.pk))


def delivery_ids(nudge: Nudge, channel: str | None = None) -> list:
    rows = Delivery.objects.filter(nudge=nudge)
    if channel:
        rows = rows.filter(channel=channel)
    return list(rows.values_list("pk", flat=True))


def deliver_due(now: dt.datetime):
    """What the workers do with everything handed to them by `now` (at commit, or by a
    planner tick): deliver every pending nudge that is due. Claims are tested on their own."""
    ids = Nudge.objects.filter(state=Nudge.State.PENDING, due_at__lte=now).values_list(
        "pk", flat=True
    )
    return nudges_deliver(list(ids), now=now)


def settings_of(user) -> NudgeSettings:
    return NudgeSettings.objects.get(user=user)


def subject_for(recipient, kind: str = "ping"):
    """The id of a real ping (or appreciation) from `recipient`'s partner, for a test that
    relays one itself: a relayed nudge whose subject is gone, or whose couple ended, is
    dropped at delivery as no longer needed."""
    membership = Membership.objects.get(user=recipient, left_at__isnull=True)
    sender = (
        Membership.objects.filter(couple_id=membership.couple_id, left_at__isnull=True)
        .exclude(user=recipient)
        .get()
        .user
    )
    if kind == "appreciation":
        return Appreciation.objects.create(
            couple_id=membership.couple_id, author=sender, recipient=recipient, text="Thanks"
        ).pk
    assert kind == "ping", kind
    return Ping.objects.create(
        couple_id=membership.couple_id, sender=sender, recipient=recipient
    ).pk
