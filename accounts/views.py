from typing import Any

from allauth.usersessions.models import UserSession
from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from accounts.deletion import (
    account_delete_with_password,
    consent_record,
    consent_withdraw,
)
from accounts.export import export_filename, export_take
from accounts.models import User
from accounts.selectors import consent_state_of, love_languages_of, preferences_of, sessions_of
from accounts.serializers import (
    AccountDeleteInput,
    ConsentInput,
    ConsentOutput,
    ExportOutput,
    LoveLanguagesInput,
    LoveLanguagesOutput,
    LoveLanguagesWriteOutput,
    MeOutput,
    MeUpdateInput,
    PreferencesInput,
    PreferencesOutput,
    PreferencesWriteOutput,
    SignedInSessionOutput,
    SignOutOthersOutput,
)
from accounts.services import (
    love_languages_set,
    preferences_set,
    user_sign_out_others,
    user_update,
)
from accounts.sessions import session_key_of
from accounts.viewer import ViewerContextMixin, person_of


class MeView(APIView):
    """The signed-in person's own profile; DELETE deletes their account."""

    @extend_schema(responses=MeOutput, operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        person = person_of(request)
        # Authentication read it with the person, in the same query (accounts.authentication).
        accepted = getattr(person, "accepted_current_notice", None)
        return Response(MeOutput(person, context={"accepted_current_notice": accepted}).data)

    @extend_schema(request=MeUpdateInput, responses=MeOutput, operation_id="me_partial_update")
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = user_update(user=person_of(request), data=serializer.validated_data)
        return Response(MeOutput(user).data)

    @extend_schema(
        request=AccountDeleteInput,
        responses={204: None},
        operation_id="me_destroy",
        description="Deletes the account, with the password in the JSON body "
        '(`{"password": "…"}`). In one transaction: the couple ends exactly as `couple/end` '
        "ends it (the partner learns only that it ended), pending nudges and deliveries are "
        "cancelled, coach grants end, every session, token and device is revoked, and every "
        "row that refers to the person is deleted or anonymised as the README's \"Your "
        'data" says. A wrong password is a 400 (`password_incorrect`) and deletes nothing.',
    )
    def delete(self, request: Request) -> Response:
        serializer = AccountDeleteInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_delete_with_password(
            person=person_of(request), password=serializer.validated_data["password"], via="app"
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportView(APIView):
    """Everything I provided, as one versioned JSON document (`"format": "haven-export/1"`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "download",
                OpenApiTypes.BOOL,
                description="With 1, served as an attachment named haven-export-YYYY-MM-DD.json.",
            )
        ],
        responses={
            200: OpenApiResponse(
                ExportOutput,
                description="The export: one key per section. Never the partner's private "
                "words. Recorded in the audit log.",
            )
        },
        operation_id="me_export",
        description=f"At most {settings.EXPORTS_PER_DAY} exports in any 24 hours "
        "(EXPORTS_PER_DAY); beyond that a 429 `export_limit` with Retry-After.",
    )
    def get(self, request: Request) -> Response:
        person = person_of(request)
        document = export_take(person=person, via="app")
        response = Response(document)
        if request.query_params.get("download") in {"1", "true"}:
            response["Content-Disposition"] = f'attachment; filename="{export_filename(person)}"'
        return response


class ConsentView(APIView):
    """The privacy notice and my consent: GET says whether the current notice still needs
    accepting; POST accepts it; DELETE withdraws consent, which deletes the account."""

    @extend_schema(responses=ConsentOutput, operation_id="me_consent_retrieve")
    def get(self, request: Request) -> Response:
        return Response(ConsentOutput(consent_state_of(user=person_of(request))).data)

    @extend_schema(request=ConsentInput, responses=ConsentOutput, operation_id="me_consent_create")
    def post(self, request: Request) -> Response:
        serializer = ConsentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = person_of(request)
        consent_record(person=person, **serializer.validated_data)
        return Response(ConsentOutput(consent_state_of(user=person)).data)

    @extend_schema(
        request=AccountDeleteInput,
        responses={204: None},
        operation_id="me_consent_destroy",
        description="Withdraws consent to processing sensitive data. Haven cannot work "
        "without it, so this deletes the account exactly as `DELETE me` does (the password "
        "is asked again).",
    )
    def delete(self, request: Request) -> Response:
        serializer = AccountDeleteInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent_withdraw(person=person_of(request), password=serializer.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


def _section_schema(name: str, *, input_class, output_class, write_output_class, patch_note: str):
    """The OpenAPI description of one "section of me" view (see `_OwnSectionView`)."""
    return extend_schema_view(
        get=extend_schema(responses=output_class, operation_id=f"me_{name}_retrieve"),
        put=extend_schema(
            request=input_class,
            responses=write_output_class,
            operation_id=f"me_{name}_update",
            description="Replaces everything: a field left out goes back to its default.",
        ),
        patch=extend_schema(
            request=input_class,
            responses=write_output_class,
            operation_id=f"me_{name}_partial_update",
            description=patch_note,
        ),
    )


class _OwnSectionView(APIView):
    """Something a person sets about themselves: GET (the defaults before the first save,
    without writing), PUT replaces it, PATCH changes what is sent. The write's answer adds
    `tone_hints` on the person's own words."""

    input_class: type[Serializer]
    output_class: type[Serializer]
    write_output_class: type[Serializer]

    def read(self, user: User) -> Any:
        raise NotImplementedError

    def write(self, user: User, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def get(self, request: Request) -> Response:
        return Response(self.output_class(self.read(person_of(request))).data)

    def put(self, request: Request) -> Response:
        return self._set(request, partial=False)

    def patch(self, request: Request) -> Response:
        return self._set(request, partial=True)

    def _set(self, request: Request, *, partial: bool) -> Response:
        serializer = self.input_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        section = self.write(person_of(request), serializer.validated_data)
        return Response(self.write_output_class(section).data)


# The codes of Haven's own rules, added to those drf-standardized-errors finds by itself.
WRITES = ["put", "patch"]


@extend_validation_errors(["missing_language"], field_name="receiving", methods=WRITES)
@extend_validation_errors(["missing_language"], field_name="giving", methods=WRITES)
@extend_validation_errors(["duplicate_language"], field_name="receiving.INDEX", methods=WRITES)
@extend_validation_errors(["duplicate_language"], field_name="giving.INDEX", methods=WRITES)
@_section_schema(
    "love_languages",
    input_class=LoveLanguagesInput,
    output_class=LoveLanguagesOutput,
    write_output_class=LoveLanguagesWriteOutput,
    patch_note="Changes only the fields sent.",
)
class LoveLanguagesView(_OwnSectionView):
    """The signed-in person's love languages: ranked for receiving and for giving, plus the
    small things that land well."""

    input_class = LoveLanguagesInput
    output_class = LoveLanguagesOutput
    write_output_class = LoveLanguagesWriteOutput

    def read(self, user: User) -> Any:
        return love_languages_of(user=user)

    def write(self, user: User, data: dict[str, Any]) -> Any:
        return love_languages_set(user=user, data=data)


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
@_section_schema(
    "preferences",
    input_class=PreferencesInput,
    output_class=PreferencesOutput,
    write_output_class=PreferencesWriteOutput,
    patch_note="Changes only the fields sent; a list sent replaces the whole list.",
)
class PreferencesView(_OwnSectionView):
    """The signed-in person's space and connection preferences, and their optional attachment
    style (private unless they share it)."""

    input_class = PreferencesInput
    output_class = PreferencesOutput
    write_output_class = PreferencesWriteOutput

    def read(self, user: User) -> Any:
        return preferences_of(user=user)

    def write(self, user: User, data: dict[str, Any]) -> Any:
        return preferences_set(user=user, data=data)


class SessionViewSet(ViewerContextMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Where am I signed in: my own sign-ins, newest first, the one asking marked `current`.
    A few words for each device and when it signed in, nothing more (no address, no last
    seen): the list is for spotting a sign-in that is not mine, never for watching anyone.
    Never shows anyone else's."""

    queryset = UserSession.objects.none()  # the real one is per person: get_queryset
    serializer_class = SignedInSessionOutput

    def get_queryset(self):
        return sessions_of(user=person_of(self.request))

    def get_serializer_context(self) -> dict:
        return {
            **super().get_serializer_context(),
            "current_session_key": session_key_of(self.request),
        }

    @extend_schema(operation_id="me_sessions_list")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={200: SignOutOthersOutput},
        operation_id="me_sessions_sign_out_others",
        description="Sign out everywhere else, in one call: every other sign-in ends now (its "
        "tokens are refused from its next request) and its phone stops receiving "
        "notifications. This sign-in stays. Doing it again changes nothing.",
    )
    @action(detail=False, methods=["post"], url_path="sign-out-others")
    def sign_out_others(self, request: Request) -> Response:
        ended = user_sign_out_others(
            user=person_of(request), current_session_key=session_key_of(request)
        )
        return Response(SignOutOthersOutput({"signed_out": ended}).data)
