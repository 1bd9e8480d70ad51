"""Handing ids to a worker: the one way the nudges app publishes a task.

This module imports no service and no task, so services, the planner and the channels can
all import it at the top, and `nudges.tasks` (which imports services inside its tasks) never
closes a cycle.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import structlog
from celery import Task
from django.conf import settings
from django.db import transaction

logger = structlog.get_logger(__name__)


def publish(task: Task, ids: Sequence[uuid.UUID], *, on_commit: bool = True) -> None:
    """Send `task` the ids (as strings), after the caller's transaction commits by default.

    It never raises: the publish gives up fast (`NUDGE_PUBLISH_RETRY_POLICY`) when the broker
    is down, logs `nudge_enqueue_failed`, and the write that asked for it still commits. What
    was not handed over is still in the database and a beat task hands it over again: a
    claimed nudge when its lease lapses (the planner tick), a pending copy at the next
    re-dispatch sweep. `on_commit=False` is for those beat tasks, which have nothing to wait
    for."""
    payload = [str(pk) for pk in ids]

    def send() -> None:
        try:
            task.apply_async(
                (payload,), retry=True, retry_policy=settings.NUDGE_PUBLISH_RETRY_POLICY
            )
        except Exception:  # the broker is down: a beat task catches up
            logger.warning(
                "nudge_enqueue_failed", task=task.name, count=len(payload), exc_info=True
            )

    if on_commit:
        transaction.on_commit(send, robust=True)
    else:
        send()
