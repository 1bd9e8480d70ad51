import datetime as dt

import pytest
from django_celery_beat.models import PeriodicTask

from common.idempotency import idempotency_key_claim
from common.models import IdempotencyKey, Tombstone
from common.sync import tombstones_record
from common.tasks import purge_expired_records


def test_purge_forgets_expired_keys_and_old_tombstones_only(user, time_machine):
    idempotency_key_claim(user=user, key="old", fingerprint="a" * 64)
    tombstones_record(viewer_ids=[user.pk], kind="device", object_id=user.pk)
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(days=100))
    idempotency_key_claim(user=user, key="fresh", fingerprint="b" * 64)

    assert purge_expired_records() == {"idempotency_keys": 1, "tombstones": 1}
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
    assert not Tombstone.objects.exists()
    # Running it again is harmless.
    assert purge_expired_records() == {"idempotency_keys": 0, "tombstones": 0}


# Transactional tests elsewhere flush migration-seeded rows; this one restores them first.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_purge_is_scheduled_in_the_database_for_beat():
    task = PeriodicTask.objects.get(task="common.tasks.purge_expired_records")
    assert task.enabled and task.interval.every == 1 and task.interval.period == "hours"
