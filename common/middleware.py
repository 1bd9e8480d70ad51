from __future__ import annotations

import functools
import logging
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import RequestDataTooBig
from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _

from common.errors import error_response
from common.parsers import HostileJSON, json_loads_bounded

API_PREFIX = "/api/"
ALLAUTH_PREFIX = "/_allauth/"

request_logger = structlog.get_logger("haven.request")

# Where the exception a request raised waits for its log line (see RequestLogMiddleware).
_EXC_INFO_ATTR = "_haven_exc_info"
# The longest raw path a line repeats (a path no route matched is whatever the client sent).
_MAX_LOGGED_PATH = 200


def _remember_exception(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Sent by Django (and drf-standardized-errors) while the exception is being handled.
    if request is not None:
        setattr(request, _EXC_INFO_ATTR, sys.exc_info())


got_request_exception.connect(_remember_exception, dispatch_uid="haven_request_log")


class RequestLogMiddleware:
    """One structured line per request, written once the answer is known: method, the route's
    template (`api/v1/checkins/<str:date>`, never the values in it, nor the query string) or,
    when no route matched, the path; status, duration in ms, the request id and, when the
    request was signed in, a keyed hash of the person's id (never their id, text or token).
    A server error's line carries its traceback. First in MIDDLEWARE, so the duration covers
    every other middleware and every exception below is seen.

    The request id is bound to structlog's context for the request's other lines and is
    carried into the Celery tasks it publishes (django_structlog's Celery step). Django's own
    `django.request` lines (4xx warnings, 5xx errors) would be second lines for the same
    request, so settings silence that logger."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        # The request id is bound for this request and put back as it was after it, by its
        # token (`reset_contextvars`): structlog's `clear_contextvars` walks every context
        # variable of the thread (~60 here, most of them asgiref's, Django's thread locals),
        # ~5 µs a walk, twice a request (issue 17). Nothing else in the web process binds
        # to structlog's context; code that ever does binds with `bound_contextvars`, which
        # puts its own keys back the same way.
        tokens = structlog.contextvars.bind_contextvars(request_id=str(uuid.uuid4()))
        try:
            return self._answer_and_log(request, started)
        finally:
            structlog.contextvars.reset_contextvars(**tokens)

    def _answer_and_log(self, request: HttpRequest, started: float) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
        match = request.resolver_match
        request_logger.log(
            level,
            "request",
            method=request.method,
            path="/" + match.route if match is not None else request.path[:_MAX_LOGGED_PATH],
            status=status,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            user=_user_hash(request),
            exc_info=getattr(request, _EXC_INFO_ATTR, None) or False,
        )
        return response


def _user_hash(request: HttpRequest) -> str | None:
    """A keyed hash of the signed-in person's id (stable within a deployment, so an operator
    can follow one person's requests, yet not their id), or None. A lazy user the request
    never looked at stays unread: logging must not cost a session query."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if user is None or not user.is_authenticated:
        return None
    return _keyed_hash(str(user.pk), settings.SECRET_KEY)


@functools.lru_cache(maxsize=4096)
def _keyed_hash(person_id: str, secret: str) -> str:
    """Worked out once per person and secret in each process (~4 µs a request, issue 17);
    a new SECRET_KEY makes new hashes, as before."""
    return salted_hmac("haven.request_log.user", person_id, secret=secret).hexdigest()[:16]


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, minus the language-prefix lookups a site without
    `i18n_patterns` never needs: Django looks for a language at the start of every path twice a
    request (`/api/...` is tried as a language code, and fails, both times). The language
    comes from the cookie or Accept-Language as before (accounts.authentication then switches
    to the signed-in person's own), with the same Vary and Content-Language headers. A urlconf
    with language prefixes gets Django's own behaviour."""

    def process_request(self, request: HttpRequest) -> None:
        if _language_prefixes_used(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if _language_prefixes_used(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _language_prefixes_used(request: HttpRequest) -> bool:
    return is_language_prefix_patterns_used(getattr(request, "urlconf", settings.ROOT_URLCONF))[0]


class ApiBodyLimitMiddleware:
    """DRF's parsers read the body as a stream, which skips Django's size check, so an API
    request's body is read here first: an over-large body becomes a 413 before any parsing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and request.method in ("POST", "PUT", "PATCH"):
            try:
                request.body  # noqa: B018 - reading enforces DATA_UPLOAD_MAX_MEMORY_SIZE
            except RequestDataTooBig:
                return error_response(
                    413,
                    "request_too_large",
                    _("The request body is larger than %(limit)d bytes.")
                    % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
                )
        return self.get_response(request)


class RetryAfterMiddleware:
    """Every 429 tells the client when to come back. DRF's throttles say so already;
    allauth's rate limits do not, so a conservative hint is added to those."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(settings.RATE_LIMIT_RETRY_AFTER_SECONDS)
        return response


def allauth_error_response(status_code: int, code: str, message: str, param: str | None = None):
    """An error in allauth's own shape, for the answers given before allauth's views run."""
    error: dict[str, str] = {"message": str(message), "code": code}
    if param:
        error["param"] = param
    return JsonResponse({"status": status_code, "errors": [error]}, status=status_code)


class HostileInputMiddleware:
    """Input no view should ever see, refused in one place with a 400 in the shape of the path
    it was sent to (the API's, allauth's, or a plain 400 elsewhere):

    - a NUL character in any query parameter, name or value (PostgreSQL cannot store or
      compare one, so it would reach the database as a server error): a parse error;
    - under /_allauth/, a body `json_loads_bounded` refuses (nested too deep, a number too long,
      not JSON): allauth's views parse the body with plain `json.loads` themselves. The API's
      bodies are refused the same way by `common.parsers.BoundedJSONParser`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A decoded query holds a NUL only where its text has one, raw or as `%00`: any
        # other query is not parsed here (most API calls have none; issue 17).
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            for name, values in request.GET.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return self._nul_in_query(request)
        if request.path.startswith(ALLAUTH_PREFIX) and request.method != "GET":
            try:
                body = request.body
            except RequestDataTooBig:
                body = b""  # allauth's view answers it, as before
            if body:
                try:
                    json_loads_bounded(body)
                except HostileJSON as exc:
                    return self._bad(request, "invalid_json", str(exc))
        return self.get_response(request)

    @classmethod
    def _nul_in_query(cls, request: HttpRequest) -> HttpResponse:
        """The request cannot be read, whichever parameter carries the NUL: a parse error
        with no `attr`, so the answer never repeats a name the client made up (a NUL in a
        name, or a parameter no operation declares, would be an `attr` no schema can list)."""
        message = _("A query parameter contains a NUL character.")
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {
                    "type": "client_error",
                    "errors": [{"code": "parse_error", "detail": str(message), "attr": None}],
                },
                status=400,
            )
        return cls._bad(request, "invalid", message)

    @staticmethod
    def _bad(request: HttpRequest, code: str, message: str, param: str | None = None):
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {
                    "type": "validation_error",
                    "errors": [{"code": code, "detail": str(message), "attr": param}],
                },
                status=400,
            )
        if request.path.startswith(ALLAUTH_PREFIX):
            return allauth_error_response(400, code, message, param)
        return HttpResponseBadRequest()
