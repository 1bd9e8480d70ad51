from typing import cast

from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.selectors import love_languages_of, preferences_of
from accounts.serializers import (
    LoveLanguagesInput,
    LoveLanguagesOutput,
    LoveLanguagesWriteOutput,
    MeOutput,
    MeUpdateInput,
    PreferencesInput,
    PreferencesOutput,
    PreferencesWriteOutput,
)
from accounts.services import love_languages_set, preferences_set, user_update


class MeView(APIView):
    """The signed-in person's own profile."""

    @extend_schema(responses=MeOutput, operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        return Response(MeOutput(request.user).data)

    @extend_schema(request=MeUpdateInput, responses=MeOutput, operation_id="me_partial_update")
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = user_update(user=cast(User, request.user), data=serializer.validated_data)
        return Response(MeOutput(user).data)


# The codes of Haven's own rules, added to those drf-standardized-errors finds by itself.
WRITES = ["put", "patch"]


@extend_validation_errors(["missing_language"], field_name="receiving", methods=WRITES)
@extend_validation_errors(["missing_language"], field_name="giving", methods=WRITES)
@extend_validation_errors(["duplicate_language"], field_name="receiving.INDEX", methods=WRITES)
@extend_validation_errors(["duplicate_language"], field_name="giving.INDEX", methods=WRITES)
class LoveLanguagesView(APIView):
    """The signed-in person's love languages: ranked for receiving and for giving, plus the
    small things that land well. Reading before the first save returns the defaults."""

    @extend_schema(responses=LoveLanguagesOutput, operation_id="me_love_languages_retrieve")
    def get(self, request: Request) -> Response:
        love_languages = love_languages_of(user=cast(User, request.user))
        return Response(LoveLanguagesOutput(love_languages).data)

    @extend_schema(
        request=LoveLanguagesInput,
        responses=LoveLanguagesWriteOutput,
        operation_id="me_love_languages_update",
        description="Replaces everything: a field left out goes back to its default.",
    )
    def put(self, request: Request) -> Response:
        return self._set(request, partial=False)

    @extend_schema(
        request=LoveLanguagesInput,
        responses=LoveLanguagesWriteOutput,
        operation_id="me_love_languages_partial_update",
        description="Changes only the fields sent.",
    )
    def patch(self, request: Request) -> Response:
        return self._set(request, partial=True)

    def _set(self, request: Request, *, partial: bool) -> Response:
        serializer = LoveLanguagesInput(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        love_languages = love_languages_set(
            user=cast(User, request.user), data=serializer.validated_data
        )
        return Response(LoveLanguagesWriteOutput(love_languages).data)


@extend_validation_errors(
    ["empty_window", "window_crosses_midnight"],
    field_name="alone_time_windows.INDEX.end",
    methods=WRITES,
)
@extend_validation_errors(
    ["window_overlap"], field_name="alone_time_windows.INDEX.start", methods=WRITES
)
@extend_validation_errors(
    ["duplicate_activity"], field_name="connection_activities.INDEX", methods=WRITES
)
class PreferencesView(APIView):
    """The signed-in person's space and connection preferences, and their optional attachment
    style (private unless they share it). Reading before the first save returns the defaults."""

    @extend_schema(responses=PreferencesOutput, operation_id="me_preferences_retrieve")
    def get(self, request: Request) -> Response:
        preferences = preferences_of(user=cast(User, request.user))
        return Response(PreferencesOutput(preferences).data)

    @extend_schema(
        request=PreferencesInput,
        responses=PreferencesWriteOutput,
        operation_id="me_preferences_update",
        description="Replaces everything: a field left out goes back to its default.",
    )
    def put(self, request: Request) -> Response:
        return self._set(request, partial=False)

    @extend_schema(
        request=PreferencesInput,
        responses=PreferencesWriteOutput,
        operation_id="me_preferences_partial_update",
        description="Changes only the fields sent; a list sent replaces the whole list.",
    )
    def patch(self, request: Request) -> Response:
        return self._set(request, partial=True)

    def _set(self, request: Request, *, partial: bool) -> Response:
        serializer = PreferencesInput(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        preferences = preferences_set(user=cast(User, request.user), data=serializer.validated_data)
        return Response(PreferencesWriteOutput(preferences).data)
