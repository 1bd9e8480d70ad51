"""Celery tasks of the nudges app: thin, idempotent, late-acked (settings), retried with
back-off and jitter on transient database errors."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import structlog
from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction

logger = structlog.get_logger(__name__)

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
    """Deliver a batch of claimed nudges. Running twice sends nothing twice."""
    from nudges.delivery import nudges_deliver

    return dict(nudges_deliver(ids))


def enqueue_delivery(ids: Sequence[uuid.UUID], *, on_commit: bool = True) -> None:
    """Hand nudges to a worker. After commit by default, and never raising: with the broker
    down the write that asked for the nudge still succeeds, the nudge stays claimed until
    its lease lapses, and a later planner tick hands it over again."""
    payload = [str(pk) for pk in ids]

    def send() -> None:
        try:
            deliver_nudges.apply_async(
                (payload,), retry=True, retry_policy=settings.NUDGE_PUBLISH_RETRY_POLICY
            )
        except Exception:  # the broker is down: the planner catches up
            logger.warning("nudge_enqueue_failed", count=len(payload), exc_info=True)

    if on_commit:
        transaction.on_commit(send, robust=True)
    else:
        send()


# --- Push and email copies ------------------------------------------------------------------


@shared_task(**_RETRY)
def send_deliveries(ids: list[str]) -> dict[str, int]:
    """Send push and email copies, each claimed before its provider is called. Running
    twice sends nothing twice."""
    from nudges.channels.deliveries import deliveries_send

    return dict(deliveries_send(ids))


@shared_task(**_RETRY)
def redispatch_deliveries() -> dict[str, int]:
    """Beat runs this every minute: copies whose retry time came, or whose first dispatch was
    lost, go to a worker again; copies a crash left mid-send are marked, never resent."""
    from nudges.channels.deliveries import deliveries_redispatch

    return deliveries_redispatch()


def enqueue_sending(ids: Sequence[uuid.UUID], *, on_commit: bool = True) -> None:
    """Hand copies to a worker, after commit by default and never raising: with the broker
    down they stay pending and the every-minute re-dispatch hands them over later."""
    payload = [str(pk) for pk in ids]

    def send() -> None:
        try:
            send_deliveries.apply_async(
                (payload,), retry=True, retry_policy=settings.NUDGE_PUBLISH_RETRY_POLICY
            )
        except Exception:  # the broker is down: the re-dispatch catches up
            logger.warning("nudge_copies_enqueue_failed", count=len(payload), exc_info=True)

    if on_commit:
        transaction.on_commit(send, robust=True)
    else:
        send()
