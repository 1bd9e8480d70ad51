"""The one error type services raise, and the one handler that turns every error under /api/
into the documented shape: {"type": ..., "errors": [{"code", "detail", "attr"}], ...}."""

from __future__ import annotations

from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.formatter import ExceptionFormatter
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions, status

logger = structlog.get_logger(__name__)


class ApplicationError(Exception):
    """A broken business rule. `code` is stable and machine-readable; `detail` is for people
    (translatable); `extra` adds documented top-level fields (e.g. a 409's current revision)."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        detail: Any,
        *,
        code: str,
        status_code: int | None = None,
        attr: str | None = None,
        extra: dict[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(str(detail))
        self.detail = detail
        self.code = code
        self.attr = attr
        self.extra = extra or {}
        self.retry_after = retry_after
        if status_code is not None:
            self.status_code = status_code


class ConflictError(ApplicationError):
    status_code: int = status.HTTP_409_CONFLICT


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


class UnprocessableEntity(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("The request cannot be processed.")
    default_code = "unprocessable"


class _ApplicationAPIException(exceptions.APIException):
    def __init__(self, error: ApplicationError) -> None:
        self.status_code = error.status_code
        detail: Any = error.detail
        if error.attr:
            # Attributed errors render as validation errors so `attr` reaches the client.
            detail = {error.attr: [exceptions.ErrorDetail(str(error.detail), code=error.code)]}
        super().__init__(detail=detail, code=error.code)
        self.application_error = error
        # drf-standardized-errors turns `wait` into a Retry-After header.
        self.wait = error.retry_after


class HavenExceptionFormatter(ExceptionFormatter):
    def get_error_type(self):
        if isinstance(self.original_exc, ApplicationError) and self.original_exc.attr:
            return "validation_error"
        return super().get_error_type()

    def format_error_response(self, error_response):
        data = super().format_error_response(error_response)
        if isinstance(self.original_exc, ApplicationError):
            data.update(self.original_exc.extra)
        return data


class HavenExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, ApplicationError):
            return _ApplicationAPIException(exc)
        if isinstance(exc, RequestDataTooBig):
            return RequestTooLarge()
        if database_unavailable(exc):
            return DatabaseUnavailable()
        return super().convert_known_exceptions(exc)

    def format_exception(self, exc: exceptions.APIException) -> dict:
        return HavenExceptionFormatter(exc, self.context, self.exc).run()


def error_payload(status_code: int, code: str, detail: str, attr: str | None = None) -> dict:
    """The documented shape, for the few places that answer outside DRF (Django's 404/500,
    middleware)."""
    error_type = "client_error" if 400 <= status_code < 500 else "server_error"
    return {"type": error_type, "errors": [{"code": code, "detail": str(detail), "attr": attr}]}


def error_response(status_code: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(error_payload(status_code, code, detail), status=status_code)


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("This is unavailable for a moment. Please try again shortly.")
    default_code = "service_unavailable"


class DatabaseUnavailable(ServiceUnavailable):
    """PostgreSQL cannot be reached (restarting, failing over). Nothing was written; the
    client may retry (with its Idempotency-Key) after `Retry-After` seconds."""

    def __init__(self) -> None:
        super().__init__()
        self.wait = settings.DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc`, or an error it was raised while handling, is the database connection
    failing. Looks down the chain: a lost connection often surfaces as a later error (e.g.
    allauth's token check reading a session whose load failed raises an AttributeError)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OperationalError | InterfaceError):
            logger.warning("database_unavailable", error=str(exc).strip()[:200])
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False
