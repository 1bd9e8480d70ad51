"""The path around every view (issue 17): the JSON API skips the middleware only pages need,
keeps its security headers, and every request is logged once."""

import logging
import re

import pytest
import structlog
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from common import web_only
from tests.factories import PASSWORD, UserFactory
from tests.utils import access_token_for, bearer

REQUEST_LOGGER = "haven.request"


@pytest.fixture
def admin_session_client(db) -> Client:
    """A client holding a signed-in admin session cookie (and a CSRF cookie)."""
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.get("/admin/login/")
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies.get(settings.SESSION_COOKIE_NAME)
    return client


# --- Only the middleware each path needs ---------------------------------------------------


def test_each_web_only_middleware_is_named_once_in_place_and_is_its_original(settings):
    for dotted_path in settings.WEB_ONLY_MIDDLEWARE:
        entry = f"common.web_only.{dotted_path.rsplit('.', 1)[1]}"
        assert settings.MIDDLEWARE.count(entry) == 1
        assert dotted_path not in settings.MIDDLEWARE
        assert issubclass(import_string(entry), import_string(dotted_path))


def test_an_unknown_web_only_name_is_not_importable():
    with pytest.raises(AttributeError):
        web_only.NoSuchMiddleware


def test_an_api_request_with_a_session_cookie_never_reads_the_session_store(
    admin_session_client,
):
    session_key = admin_session_client.cookies[settings.SESSION_COOKIE_NAME].value
    with CaptureQueriesContext(connection) as queries:
        response = admin_session_client.get("/api/v1/safety")
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    assert not response.cookies  # no session or CSRF cookie set or refreshed
    assert "Cookie" not in response.get("Vary", "")
    request = response.wsgi_request
    assert not hasattr(request, "session")
    assert not hasattr(request, "_messages")
    assert session_key  # the cookie was there to be read, and was not


def test_a_signed_in_api_request_sets_no_cookie_and_reads_only_its_tokens_session(
    admin_session_client, user
):
    cookie_session_key = admin_session_client.cookies[settings.SESSION_COOKIE_NAME].value
    admin_session_client.defaults.update(bearer(access_token_for(user)))
    with CaptureQueriesContext(connection) as queries:
        response = admin_session_client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["id"] == str(user.pk)  # the token decides who asks, not the cookie
    assert not response.cookies
    assert not hasattr(response.wsgi_request, "session")
    # The token's own session row is read to validate it; the cookie's session never is.
    assert not [q for q in queries.captured_queries if cookie_session_key in q["sql"]]


def test_api_answers_keep_their_security_headers(auth_client):
    response = auth_client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Language"] == "en"  # the person's own language, not the header's


def test_api_keeps_its_body_limit_and_hostile_input_checks(auth_client):
    too_large = auth_client.generic(
        "POST",
        "/api/v1/tone/check",
        b"{" + b" " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b"}",
        content_type="application/json",
    )
    assert too_large.status_code == 413
    assert auth_client.get("/api/v1/me?x=%00").status_code == 400


def test_the_admin_still_checks_csrf_and_keeps_its_session(db):
    staff = UserFactory(is_staff=True)
    client = Client(enforce_csrf_checks=True)
    page = client.get("/admin/login/")
    assert page.status_code == 200
    assert "csrftoken" in page.cookies
    refused = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert refused.status_code == 403
    token = page.cookies["csrftoken"].value
    signed_in = client.post(
        "/admin/login/",
        {"username": staff.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert signed_in.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_web_deletion_page_still_checks_csrf(db):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/account/delete")
    assert page.status_code == 200
    assert "csrftoken" in page.cookies
    assert client.post("/account/delete", {"email": "someone@example.com"}).status_code == 403


def test_the_docs_page_keeps_the_full_stack(db):
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "session")


# --- One log line per request --------------------------------------------------------------


def _lines(caplog) -> list[logging.LogRecord]:
    return list(caplog.records)


def test_one_request_is_exactly_one_log_record(auth_client, user, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    response = auth_client.get("/api/v1/me?page_size=3")
    assert response.status_code == 200
    records = _lines(caplog)
    assert [r.name for r in records] == [REQUEST_LOGGER]
    line = records[0].msg
    assert line["event"] == "request"
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/me"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert re.fullmatch(r"[0-9a-f-]{36}", line["request_id"])
    assert re.fullmatch(r"[0-9a-f]{16}", line["user"])
    assert records[0].levelno == logging.INFO
    rendered = str(line)
    for private in (str(user.pk), user.email, "page_size", "Bearer"):
        assert private not in rendered


def test_the_line_names_the_route_not_the_values_in_it(auth_client, caplog):
    caplog.set_level(logging.INFO)
    caplog.clear()
    auth_client.get("/api/v1/checkins/2026-01-02")
    [record] = _lines(caplog)
    assert "2026-01-02" not in record.msg["path"]
    assert record.msg["path"].startswith("/api/v1/checkins/<")


def test_the_same_person_has_the_same_hash_and_others_another(auth_client, caplog, db):
    other = UserFactory()
    caplog.set_level(logging.INFO)
    caplog.clear()
    auth_client.get("/api/v1/me")
    auth_client.get("/api/v1/me")
    Client(**bearer(access_token_for(other))).get("/api/v1/me")
    first, second, third = (r.msg["user"] for r in _lines(caplog))
    assert first == second != third


def test_a_new_secret_key_gives_the_same_person_a_new_hash(user, caplog, settings):
    # The hash is remembered per person and secret (issue 17), never across a new secret.
    caplog.set_level(logging.INFO)
    caplog.clear()
    Client(**bearer(access_token_for(user))).get("/api/v1/me")
    settings.SECRET_KEY = "another secret entirely, " * 3
    Client(**bearer(access_token_for(user))).get("/api/v1/me")
    before, after = (r.msg["user"] for r in _lines(caplog))
    assert before is not None and after is not None and before != after


def test_each_request_has_its_own_id_and_leaves_no_context_behind(auth_client, caplog):
    caplog.set_level(logging.INFO)
    caplog.clear()
    auth_client.get("/api/v1/me")
    auth_client.get("/api/v1/me")
    structlog.get_logger("haven.test").info("after the requests")
    first, second, after = (r.msg for r in _lines(caplog))
    assert re.fullmatch(r"[0-9a-f-]{36}", first["request_id"])
    assert first["request_id"] != second["request_id"]
    assert "request_id" not in after
    assert structlog.contextvars.get_contextvars() == {}


def test_a_request_inside_a_bound_context_puts_it_back_as_it_was(auth_client, caplog):
    # A worker's task context (or a test's) is the caller's: the request binds its own id
    # over it and puts the caller's back when it is done.
    caplog.set_level(logging.INFO)
    with structlog.contextvars.bound_contextvars(request_id="the caller's", task="t"):
        caplog.clear()
        auth_client.get("/api/v1/me")
        assert structlog.contextvars.get_contextvars() == {
            "request_id": "the caller's",
            "task": "t",
        }
    [line] = (r.msg for r in _lines(caplog))
    assert line["request_id"] != "the caller's"
    assert structlog.contextvars.get_contextvars() == {}


def test_a_refused_request_is_one_warning_and_an_anonymous_one_names_no_one(client, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    assert client.get("/api/v1/me").status_code == 401
    [record] = _lines(caplog)
    assert record.levelno == logging.WARNING
    assert (record.msg["status"], record.msg["user"]) == (401, None)


@pytest.mark.urls("tests.common.request_log_urls")
@pytest.mark.parametrize(
    ("path", "message"),
    [("/test-failures/plain", "a plain view failed"), ("/test-failures/api", "an API view failed")],
)
def test_a_server_error_is_one_error_line_with_its_traceback(db, caplog, path, message):
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 500
    [record] = _lines(caplog)
    assert record.levelno == logging.ERROR
    assert record.msg["status"] == 500
    assert "Traceback (most recent call last)" in record.msg["exception"]
    assert message in record.msg["exception"]


# --- Language ------------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "language"), [("es-MX,es;q=0.9", "es"), ("fr", "en")])
def test_an_anonymous_answer_speaks_the_accepted_language_and_says_it_varies(db, accept, language):
    response = Client().get("/api/v1/safety", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_the_language_cookie_still_wins_over_accept_language(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get("/api/v1/safety", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "es"


def test_a_path_that_looks_like_a_language_is_not_taken_for_one(db):
    # Haven has no language prefixes: /es/... names no language and no page.
    response = Client().get("/es/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Language"] == "en"
