"""The Celery app. Reliability settings live in config.settings.base (CELERY_*)."""

import os

from celery import Celery
from celery.signals import setup_logging
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("haven")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Carries the request id of the web request that enqueued a task into the task's logs.
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def _use_django_logging(**kwargs):  # pragma: no cover - process start-up
    """Workers log through Django's LOGGING (structured JSON), not Celery's own format."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
