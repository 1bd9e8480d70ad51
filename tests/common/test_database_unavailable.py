"""A request that finds PostgreSQL unreachable answers 503 with Retry-After in the error shape
of its path, never a 500 (the real restart is in tests/faults/test_postgres_restart.py)."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from accounts.authentication import JWTAuthentication
from common.errors import database_unavailable
from common.views import api_aware_500
from tests.utils import assert_error_shape


def _lost_connection_seen_late(*args, **kwargs):
    """What a restart looks like from allauth's token check: the session load fails on the
    dead connection, and a later read of the half-loaded session raises AttributeError."""
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        raise AttributeError("'SessionStore' object has no attribute '_session_cache'")  # noqa: B904


def test_a_lost_database_during_sign_in_check_is_a_503_with_retry_after(auth_client, monkeypatch):
    monkeypatch.setattr(JWTAuthentication, "authenticate_credentials", _lost_connection_seen_late)
    auth_client.raise_request_exception = False  # a 5xx is reported as a request exception
    response = auth_client.post("/api/v1/appreciations", {"text": "Thank you"}, format="json")
    assert_error_shape(response, 503, "service_unavailable", error_type="server_error")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/me", "application/json"), ("/_allauth/app/v1/auth/session", "application/json")],
)
def test_the_server_error_page_answers_503_when_the_database_is_gone(path, content_type):
    request = RequestFactory().get(path)
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = api_aware_500(request)
    assert response.status_code == 503
    assert response["Content-Type"].startswith(content_type)
    assert int(response["Retry-After"]) > 0


def test_any_other_server_error_stays_a_500():
    request = RequestFactory().get("/api/v1/me")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = api_aware_500(request)
    assert response.status_code == 500


def test_database_unavailable_follows_the_chain_and_stops_on_a_cycle():
    first = ValueError("a")
    second = KeyError("b")
    first.__context__ = second
    second.__context__ = first
    assert database_unavailable(first) is False
    assert database_unavailable(None) is False
