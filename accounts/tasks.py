"""Celery tasks of the accounts app: thin. The web deletion page hands the typed address
here, so its answer takes the same time whether or not an account exists."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_deletion_link(email: str) -> bool:
    """Email the one-time deletion link to the account with this address, if there is one
    (nothing happens otherwise). Returns whether an email went out."""
    from accounts.deletion import deletion_link_send

    return deletion_link_send(email=email)
