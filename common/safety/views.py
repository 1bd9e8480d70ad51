"""The public safety routes: crisis resources and the safety page. Both ignore credentials
(no authentication class runs, so a bad or expired token is never a 401 and nobody is
named in a log line), and both may be cached by anyone."""

from __future__ import annotations

from django.utils.cache import patch_cache_control, patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.safety.countries import TIME_ZONE, select_country
from common.safety.page import INTRODUCTION, SECTIONS, TITLE
from common.safety.resources import crisis_resources
from common.safety.serializers import CrisisResourcesOutput, SafetyPageOutput

# Long enough to spare the database, short enough that a corrected number spreads in a day.
CRISIS_MAX_AGE = 60 * 60
PAGE_MAX_AGE = 60 * 60 * 24


class CrisisResourcesView(APIView):
    """Where help is, for a country: emergency numbers, crisis and domestic-violence lines,
    and international directories (never empty). Open to everyone; answered even while the
    database is down (from a copy baked at deploy time)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="crisis_resources",
        auth=[],
        parameters=[
            OpenApiParameter(
                "country",
                OpenApiTypes.STR,
                description="ISO 3166-1 alpha-2 (e.g. DE). Without it (or with anything "
                "that is not two letters): the country of the signed-in person's time zone "
                "(a bearer token is read, never required, and a bad one is ignored), else "
                "the region of Accept-Language, else the international list.",
            )
        ],
        responses=CrisisResourcesOutput,
        description="Always 200. Only lines an operator has verified are listed. Cacheable: "
        "`Cache-Control: public` (private when the person's time zone chose the country) "
        "and `Vary: Accept-Language, Authorization`.",
    )
    def get(self, request: Request) -> Response:
        country, selected_by = select_country(request._request, request.query_params.get("country"))
        response = Response(CrisisResourcesOutput(crisis_resources(country, selected_by)).data)
        if selected_by == TIME_ZONE:
            patch_cache_control(response, private=True, max_age=CRISIS_MAX_AGE)
        else:
            patch_cache_control(response, public=True, max_age=CRISIS_MAX_AGE)
        patch_vary_headers(response, ["Accept-Language", "Authorization"])
        return response


class SafetyPageView(APIView):
    """Short, plain guidance for staying safe: a phone can be watched, discreet
    notifications, quiet exit, where one is signed in, and where help is. In the language of
    Accept-Language."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="safety_page", auth=[], responses=SafetyPageOutput)
    def get(self, request: Request) -> Response:
        page = {
            "title": TITLE,
            "introduction": INTRODUCTION,
            "sections": [
                {"key": s.key, "title": s.title, "body": s.body, "route": s.route} for s in SECTIONS
            ],
        }
        response = Response(SafetyPageOutput(page).data)
        patch_cache_control(response, public=True, max_age=PAGE_MAX_AGE)
        patch_vary_headers(response, ["Accept-Language"])
        return response
