"""The planner: each minute (Celery beat, UTC), create the engagement nudges that fall due
and hand every due nudge to the workers.

Who is due is found by zone bucket, not by person: for the minute being planned, each time
zone's local wall-clock minute is computed (a few hundred zones, in Python), zones that
share one are grouped, and one indexed query on (checkin_time, time_zone) finds the people
whose preferred check-in time it is. The cost follows the number due, not the population.
On a DST day a zone's clock may skip minutes; people whose time was skipped are due at the
jump. A repeated hour finds them twice, and the dedupe key (person, kind, subject, local
date) keeps the second away.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from functools import cache

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from nudges.kinds import ENGAGEMENT, planned_kinds
from nudges.models import Nudge, NudgeSettings, PlannerRun
from nudges.publish import publish
from nudges.tasks import deliver_nudges

logger = structlog.get_logger(__name__)
MINUTE = dt.timedelta(minutes=1)


@cache
def _zones() -> tuple[zoneinfo.ZoneInfo, ...]:
    """Every zone the system knows, loaded once per process."""
    return tuple(zoneinfo.ZoneInfo(name) for name in sorted(zoneinfo.available_timezones()))


def zone_buckets(minute: dt.datetime) -> dict[tuple[dt.time, dt.time], list[str]]:
    """For a UTC minute: {(first local time, last local time): [zone names]} — the local
    wall-clock minutes this UTC minute reaches in each zone (one, or a skipped stretch on
    a DST jump), grouped so zones with the same clock share one query term."""
    buckets: dict[tuple[dt.time, dt.time], list[str]] = defaultdict(list)
    for zone in _zones():
        now_local = minute.astimezone(zone)
        before = (minute - MINUTE).astimezone(zone)
        last = now_local.time().replace(second=0, microsecond=0)
        skipped_from = (before + MINUTE).replace(tzinfo=None)
        if (
            now_local.replace(tzinfo=None) > skipped_from
            and skipped_from.date() == now_local.date()
        ):
            # The clocks jumped: every skipped wall-clock minute is due now.
            first = skipped_from.time()
        else:
            first = last
        buckets[(first, last)].append(zone.key)
    return buckets


def due_people_query(minute: dt.datetime):
    """The people whose preferred check-in minute is `minute` in their own zone."""
    condition = Q()
    for (first, last), names in zone_buckets(minute).items():
        if first == last:
            condition |= Q(checkin_time=first, time_zone__in=names)
        else:
            condition |= Q(checkin_time__gte=first, checkin_time__lte=last, time_zone__in=names)
    return NudgeSettings.objects.filter(condition)


def engagement_plan(minute: dt.datetime) -> int:
    """Create the engagement nudges due at this UTC minute. Running it twice for the same
    minute creates nothing the second time (the dedupe key)."""
    due = list(due_people_query(minute).values_list("user_id", "time_zone"))
    if not due:
        return 0
    local_dates = {
        zone: minute.astimezone(zoneinfo.ZoneInfo(zone)).date() for zone in {z for _, z in due}
    }
    people = [(user_id, local_dates[zone]) for user_id, zone in due]
    rows: list[Nudge] = []
    for kind in planned_kinds():
        candidates = people
        if kind.weekly:
            # Once a week, on a weekday that is the person's own (spread by id).
            candidates = [(u, d) for u, d in people if d.weekday() == u.int % 7]
        if not candidates or kind.planner is None:
            continue
        dates = dict(candidates)
        for user_id, subject_id, actor_id in kind.planner(candidates):
            rows.append(
                Nudge(
                    recipient_id=user_id,
                    actor_id=actor_id,
                    kind=kind.name,
                    nudge_class=ENGAGEMENT,
                    subject_id=subject_id,
                    local_date=dates[user_id],
                    due_at=minute,
                )
            )
    Nudge.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    # Ids are made here (uuid4), so the rows a conflict skipped are the ones not found.
    return Nudge.objects.filter(pk__in=[row.pk for row in rows]).count() if rows else 0


def _minutes_to_plan(now: dt.datetime) -> Iterator[dt.datetime]:
    """This minute, and the ones a stopped beat missed (up to the catch-up limit)."""
    minute = now.replace(second=0, microsecond=0)
    earliest = minute - settings.NUDGE_PLANNER_CATCH_UP
    last = PlannerRun.objects.aggregate(last=Max("minute"))["last"]
    start = max(last + MINUTE, earliest) if last else minute
    while start <= minute:
        yield start
        start += MINUTE


def nudges_claim_due(now: dt.datetime, limit: int) -> list[uuid.UUID]:
    """Claim due nudges for delivery: rows another planner is claiming are skipped, and a
    claim lapses after the lease so a lost task is retried by a later tick."""
    with transaction.atomic():
        ids = list(
            Nudge.objects.select_for_update(skip_locked=True)
            .filter(state=Nudge.State.PENDING, due_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("due_at")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Nudge.objects.filter(pk__in=ids).update(claimed_until=now + settings.NUDGE_CLAIM_LEASE)
    return ids


def planner_tick(now: dt.datetime | None = None) -> dict[str, int]:
    """One planner run: plan the due minutes, claim what is due, fan it out in batches."""
    now = now or timezone.now()
    planned = 0
    for minute in _minutes_to_plan(now):
        count = engagement_plan(minute)
        PlannerRun.objects.update_or_create(minute=minute, defaults={"planned": count})
        planned += count
    claimed = nudges_claim_due(now, settings.NUDGE_CLAIM_LIMIT)
    size = settings.NUDGE_BATCH_SIZE
    batches = [claimed[i : i + size] for i in range(0, len(claimed), size)]
    for batch in batches:
        publish(deliver_nudges, batch, on_commit=False)
    result = {"planned": planned, "claimed": len(claimed), "batches": len(batches)}
    logger.info("planner_tick", **result)
    return result
