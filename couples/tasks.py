"""Periodic tasks of couples: thin wrappers; the rules are in couples.services."""

from celery import shared_task
from django.db import OperationalError

from couples.services.agreements import agreements_finish_retiring, agreements_wake_snoozed
from couples.services.conversations import conversations_expire_unsent

_RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**_RETRY)
def wake_snoozed_agreements() -> int:
    """Snoozes whose day has come end, and both partners are told. Safe to run twice."""
    return agreements_wake_snoozed()


@shared_task(**_RETRY)
def finish_retiring_agreements() -> int:
    """Retirements left unanswered for a week take effect. Safe to run twice."""
    return agreements_finish_retiring()


@shared_task(**_RETRY)
def expire_unsent_conversations() -> int:
    """Drafts and held requests nobody sent for a week are let go. Safe to run twice."""
    return conversations_expire_unsent()


@shared_task(**_RETRY)
def complete_delayed_ends() -> int:
    """Beat runs this every minute: ends whose delay is over run the ordinary end (the
    partner is told now). Safe to run twice, or on two workers at once."""
    from couples.services.leaving import delayed_ends_complete_due

    return delayed_ends_complete_due()
