from __future__ import annotations

import asyncio
import datetime
import functools
import sys

from asgiref.sync import async_to_sync
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from health_check.checks import Cache, Database
from health_check.contrib.celery import Ping
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.errors import DatabaseUnavailable, database_unavailable, error_response
from common.health import Broker
from common.middleware import ALLAUTH_PREFIX, API_PREFIX, allauth_error_response
from common.serializers import ToneCheckInput, ToneCheckOutput, tone_hints_data

READINESS_CHECKS = {"database": Database, "cache": Cache, "broker": Broker}


async def _run_checks(checks: dict) -> dict[str, str]:
    results = await asyncio.gather(*(check().get_result() for check in checks.values()))
    return {
        name: ("ok" if result.error is None else str(result.error))
        for name, result in zip(checks, results, strict=True)
    }


def _report(checks: dict) -> JsonResponse:
    results = async_to_sync(_run_checks)(checks)
    failing = sorted(name for name, outcome in results.items() if outcome != "ok")
    body = {"status": "unavailable" if failing else "ok", "failing": failing, "checks": results}
    return JsonResponse(body, status=503 if failing else 200)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and serving. Touches no dependency."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Database, cache and broker are reachable; 503 naming which one is not."""
    return _report(READINESS_CHECKS)


@never_cache
def readyz_workers(request: HttpRequest) -> JsonResponse:
    """At least one Celery worker answers a ping (for operators; web readiness does not
    depend on workers, since nudges wait and catch up)."""
    # Stop at the first answer (limit=1) rather than waiting out the whole timeout.
    return _report(
        {"workers": functools.partial(Ping, timeout=datetime.timedelta(seconds=3), limit=1)}
    )


@csrf_exempt
@never_cache
def api_not_found(request: HttpRequest) -> JsonResponse:
    """Any path under /api/ that names nothing, whatever the method: the one error shape.
    Routed last in config/urls.py, so it answers even with DEBUG on (Django answers an
    unmatched path with its HTML debug page then, and never calls `handler404`)."""
    return error_response(404, "not_found", _("Not found."))


def api_aware_404(request: HttpRequest, exception: Exception):
    if request.path.startswith(API_PREFIX):
        return api_not_found(request)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def api_aware_500(request: HttpRequest):
    """A server error, unless the database could not be reached: that is a 503 with
    `Retry-After` (in the shape of the path asked), so a phone knows to retry, never a 500.
    Django calls this while handling the exception, so `sys.exc_info()` names it."""
    if database_unavailable(sys.exc_info()[1]):
        return _database_unavailable_response(request)
    if request.path.startswith(API_PREFIX):
        return error_response(500, "error", _("Server error."))
    from django.views.defaults import server_error

    return server_error(request)


def _database_unavailable_response(request: HttpRequest) -> HttpResponse:
    exc = DatabaseUnavailable()
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = error_response(503, exc.default_code, str(exc.detail))
    elif request.path.startswith(ALLAUTH_PREFIX):
        response = allauth_error_response(503, exc.default_code, str(exc.detail))
    else:
        response = HttpResponse(str(exc.detail), status=503, content_type="text/plain")
    response["Retry-After"] = str(exc.wait)
    return response


def api_aware_400(request: HttpRequest, exception: Exception):
    if request.path.startswith(API_PREFIX):
        return error_response(400, "bad_request", _("Bad request."))
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def api_aware_403(request: HttpRequest, exception: Exception):
    if request.path.startswith(API_PREFIX):
        return error_response(403, "permission_denied", _("You do not have permission."))
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)


class ToneCheckView(APIView):
    """Hints for a draft, for the app to call before it sends any free text (and while the
    person types), with the `field` the text is for. Always 200: the helper advises and
    never blocks. The text is neither stored nor logged."""

    @extend_schema(
        request=ToneCheckInput,
        responses=ToneCheckOutput,
        operation_id="tone_check",
        description="Call this before sending any free-text field, with that `field`: a "
        "write's own `tone_hints` arrive only once the partner can already read the text. "
        "The same rules answer here and in the write. Always 200 for text; never stored. "
        "The rules are those of `language`, or of the person's own `locale`. "
        "When the words signal danger or crisis, the answer also carries `safety`: where "
        "help is, for the writer alone.",
    )
    def post(self, request: Request) -> Response:
        serializer = ToneCheckInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        hints = tone_hints_data(data["text"], data["field"], language=data["language"])
        return Response({"tone_hints": hints})
