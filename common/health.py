"""Readiness checks: django-health-check's database and cache checks, plus a broker
connection check (task results are not stored, so a round trip through a worker is not
what readiness asks; /readyz/workers pings them separately)."""

from __future__ import annotations

import dataclasses
import datetime

from celery import current_app
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class Broker(HealthCheck):
    timeout = datetime.timedelta(seconds=3)

    def run(self) -> None:
        try:
            with current_app.connection_for_write() as connection:
                connection.ensure_connection(
                    max_retries=1, interval_start=0, interval_step=0, timeout=2
                )
        except Exception as exc:  # kombu raises transport-specific errors
            raise ServiceUnavailable("Broker unreachable") from exc
