import pytest

from nudges.models import Device
from tests.factories import UserFactory
from tests.utils import client_for

BODY = {"token": "push-token-1", "platform": "android", "app_version": "1.0.0"}


def test_retried_create_returns_the_first_response_and_creates_nothing_new(auth_client):
    first = auth_client.post("/api/v1/me/devices", BODY, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    retry = auth_client.post("/api/v1/me/devices", BODY, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Device.objects.count() == 1


def test_same_key_with_a_different_body_is_refused_and_creates_nothing(auth_client):
    auth_client.post("/api/v1/me/devices", BODY, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    other = auth_client.post(
        "/api/v1/me/devices",
        {**BODY, "token": "push-token-2"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="abc",
    )
    assert other.status_code == 422
    assert Device.objects.count() == 1


def test_keys_are_scoped_to_the_person(auth_client, db):
    other_client = client_for(UserFactory())
    mine = auth_client.post("/api/v1/me/devices", BODY, format="json", HTTP_IDEMPOTENCY_KEY="same")
    theirs = other_client.post(
        "/api/v1/me/devices",
        {**BODY, "token": "their-token"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="same",
    )
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_failed_request_does_not_burn_the_key(auth_client):
    bad = auth_client.post(
        "/api/v1/me/devices",
        {"token": "t", "platform": "windows-phone"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="retry-me",
    )
    assert bad.status_code == 400
    good = auth_client.post(
        "/api/v1/me/devices",
        {"token": "t", "platform": "ios"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="retry-me",
    )
    assert good.status_code == 201


def test_an_expired_key_may_be_used_again(user, time_machine):
    import datetime as dt

    from common.idempotency import idempotency_key_claim
    from common.models import IdempotencyKey

    record, replay = idempotency_key_claim(user=user, key="old", fingerprint="a" * 64)
    IdempotencyKey.objects.filter(pk=record.pk).update(response_status=201, response_body={})
    assert idempotency_key_claim(user=user, key="old", fingerprint="a" * 64)[1] is True

    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    record, replay = idempotency_key_claim(user=user, key="old", fingerprint="b" * 64)
    assert replay is False
    record.refresh_from_db()
    assert (record.fingerprint, record.response_status) == ("b" * 64, None)


def test_a_key_abandoned_by_a_crashed_request_can_be_taken_over(user, time_machine):
    import datetime as dt

    from common.errors import ConflictError
    from common.idempotency import idempotency_key_claim

    idempotency_key_claim(user=user, key="crash", fingerprint="c" * 64)
    with pytest.raises(ConflictError):
        idempotency_key_claim(user=user, key="crash", fingerprint="c" * 64)
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
    assert idempotency_key_claim(user=user, key="crash", fingerprint="c" * 64)[1] is False
