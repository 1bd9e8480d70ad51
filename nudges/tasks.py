"""Celery tasks of the nudges app: thin, idempotent, late-acked (settings), retried with
back-off and jitter on transient database errors.

Each task imports the code it runs inside its body (HackSoft's style): modules that publish
these tasks import this one at the top, and this one never imports them back at import time.
Publishing is `nudges.publish.publish`. The tasks' names (their dotted paths) are what the
beat schedules in the database refer to (migrations 0004 and 0006): keep them."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

_RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**_RETRY)
def plan_and_dispatch() -> dict[str, int]:
    """Beat runs this every minute (schedule in the database, editable in the admin)."""
    from nudges.planner import planner_tick

    return planner_tick()


@shared_task(**_RETRY)
def deliver_nudges(ids: list[str]) -> dict[str, int]:
    """Decide a batch of claimed nudges and write their inbox rows. Running twice sends
    nothing twice."""
    from nudges.inbox import nudges_deliver

    return dict(nudges_deliver(ids))


# --- Push and email copies ------------------------------------------------------------------


@shared_task(**_RETRY)
def send_deliveries(ids: list[str]) -> dict[str, int]:
    """Send push and email copies, each claimed before its provider is called. Running
    twice sends nothing twice."""
    from nudges.channels.sending import deliveries_send

    return dict(deliveries_send(ids))


@shared_task(**_RETRY)
def redispatch_deliveries() -> dict[str, int]:
    """Beat runs this every minute: copies whose retry time came, or whose first dispatch was
    lost, go to a worker again; copies a crash left mid-send are marked, never resent."""
    from nudges.channels.sending import deliveries_redispatch

    return deliveries_redispatch()
