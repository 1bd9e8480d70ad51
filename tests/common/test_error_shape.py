"""Every error under /api/ has one documented shape:
{"type": ..., "errors": [{"code": ..., "detail": ..., "attr": ...}]}."""

import uuid

from django.test import Client

from common.models import IdempotencyKey
from common.throttling import UserThrottle
from tests.utils import assert_error_shape, client_for


def test_400_malformed_json(auth_client):
    response = auth_client.generic(
        "PATCH", "/api/v1/me", '{"display_name": ', content_type="application/json"
    )
    assert_error_shape(response, 400, "parse_error")


def test_400_wrong_field_type_is_a_validation_error_not_a_500(auth_client):
    response = auth_client.patch("/api/v1/me", {"display_name": {"nested": [1, 2]}}, format="json")
    body = assert_error_shape(response, 400, "invalid", "validation_error")
    assert body["errors"][0]["attr"] == "display_name"


def test_400_invalid_time_zone_names_the_field(auth_client):
    response = auth_client.patch("/api/v1/me", {"time_zone": "Mars/Olympus"}, format="json")
    body = assert_error_shape(response, 400, "invalid_time_zone", "validation_error")
    assert body["errors"][0]["attr"] == "time_zone"


def test_401_without_a_token(api_client, db):
    response = api_client.get("/api/v1/me")
    assert_error_shape(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_401_with_a_forged_token(api_client, db):
    response = api_client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer not.a.token")
    assert_error_shape(response, 401, "authentication_failed")


def test_401_session_login_is_not_an_api_credential(user):
    # Issue 14 item 4: only the bearer token authenticates /api/v1 (was: a session login was
    # accepted, and answered 403 without a CSRF token).
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.patch("/api/v1/me", {"display_name": "x"}, content_type="application/json")
    assert_error_shape(response, 401, "not_authenticated")


def test_404_unknown_object(auth_client):
    response = auth_client.delete(f"/api/v1/me/devices/{uuid.uuid4()}")
    assert_error_shape(response, 404, "not_found")


def test_404_unknown_api_path_is_json_too(api_client, db):
    response = api_client.get("/api/v1/no-such-thing")
    assert_error_shape(response, 404, "not_found")


def test_405_method_not_allowed(auth_client):
    response = auth_client.put("/api/v1/me", {"display_name": "x"}, format="json")
    assert_error_shape(response, 405, "method_not_allowed")


def test_409_idempotency_key_still_in_progress(auth_client, user):
    from django.utils import timezone

    body = {"token": "tok-409", "platform": "ios"}
    # A first request with this key is still running (its row is locked, not finished).
    first = auth_client.post(
        "/api/v1/me/devices", body, format="json", HTTP_IDEMPOTENCY_KEY="k-409"
    )
    assert first.status_code == 201
    IdempotencyKey.objects.filter(key="k-409").update(
        response_status=None, response_body=None, locked_at=timezone.now()
    )
    response = auth_client.post(
        "/api/v1/me/devices", body, format="json", HTTP_IDEMPOTENCY_KEY="k-409"
    )
    assert_error_shape(response, 409, "idempotency_key_in_progress")


def test_413_body_too_large(auth_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    payload = '{"display_name": "' + "a" * 5000 + '"}'
    response = auth_client.generic("PATCH", "/api/v1/me", payload, content_type="application/json")
    assert_error_shape(response, 413, "request_too_large")


def test_415_wrong_content_type(auth_client):
    response = auth_client.generic(
        "POST", "/api/v1/me/devices", "token=abc&platform=ios", content_type="text/plain"
    )
    assert_error_shape(response, 415, "unsupported_media_type")


def test_422_idempotency_key_reused_with_a_different_body(auth_client):
    first = auth_client.post(
        "/api/v1/me/devices",
        {"token": "tok-a", "platform": "ios"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-422",
    )
    assert first.status_code == 201
    response = auth_client.post(
        "/api/v1/me/devices",
        {"token": "tok-b", "platform": "ios"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-422",
    )
    assert_error_shape(response, 422, "idempotency_key_reused")


def test_429_throttled_with_retry_after(user, monkeypatch):
    monkeypatch.setattr(UserThrottle, "rate", "2/min", raising=False)
    client = client_for(user)
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    response = client.get("/api/v1/me")
    assert_error_shape(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_500_is_json_and_leaks_nothing(auth_client, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("accounts.views.user_update", explode)
    auth_client.raise_request_exception = False
    response = auth_client.patch("/api/v1/me", {"display_name": "x"}, format="json")
    body = assert_error_shape(response, 500, "error", "server_error")
    assert "secret internals" not in str(body)


def test_invalid_patch_changes_nothing_at_all(auth_client, user):
    """One bad field refuses the whole PATCH: nothing is half-written."""
    before = user.display_name
    auth_client.patch(
        "/api/v1/me", {"display_name": "ok", "time_zone": "Nowhere/Land"}, format="json"
    )
    user.refresh_from_db()
    assert user.display_name == before


def test_500_outside_drf_is_json_under_api_too(auth_client, monkeypatch):
    """A failure before DRF is reached (middleware) still answers in the documented shape."""

    def explode(self, request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("common.middleware.ApiBodyLimitMiddleware.__call__", explode)
    auth_client.raise_request_exception = False
    response = auth_client.get("/api/v1/me")
    body = assert_error_shape(response, 500, "error", "server_error")
    assert "secret internals" not in str(body)
