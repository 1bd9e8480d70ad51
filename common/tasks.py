import structlog
from celery import shared_task
from django.db import OperationalError

from common.idempotency import idempotency_keys_purge_expired
from common.sync import tombstones_purge_expired

logger = structlog.get_logger(__name__)


@shared_task(
    autoretry_for=(OperationalError,), retry_backoff=True, retry_backoff_max=600, max_retries=5
)
def purge_expired_records() -> dict[str, int]:
    """Forget idempotency keys past their expiry and sync tombstones past retention.
    Safe to run twice: a second run finds nothing to delete."""
    purged = {
        "idempotency_keys": idempotency_keys_purge_expired(),
        "tombstones": tombstones_purge_expired(),
    }
    logger.info("expired_records_purged", **purged)
    return purged
