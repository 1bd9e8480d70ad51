from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from common.errors import error_response

API_PREFIX = "/api/"


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
