from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.sessions import session_fingerprint, session_key_of
from accounts.viewer import ViewerContextMixin, person_of
from common.errors import ApplicationError
from common.idempotency import idempotent
from common.parsers import BoundedJSONParser
from common.sync import SyncPagination
from nudges.kinds import kind_named
from nudges.models import Device, Notification
from nudges.selectors import (
    devices_of,
    language_of_person,
    notifications_of,
    nudge_settings_of,
    unread_count_of,
)
from nudges.serializers import (
    DeviceOutput,
    DeviceRegisterInput,
    NotificationOutput,
    NudgeSettingsInput,
    NudgeSettingsOutput,
    UnsubscribeOutput,
)
from nudges.services import (
    device_register,
    device_unregister,
    notification_read,
    notifications_read_all,
    nudge_kind_unsubscribe,
    nudge_settings_update,
    unsubscribe_token_read,
)


class DeviceViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The signed-in person's phones (push tokens)."""

    queryset = Device.objects.none()  # the real one is per person: get_queryset
    serializer_class = DeviceOutput
    pagination_class = SyncPagination

    def get_queryset(self):
        return devices_of(person_of(self.request))

    @extend_schema(request=DeviceRegisterInput, responses={200: DeviceOutput, 201: DeviceOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = DeviceRegisterInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        device, created = device_register(
            user=person_of(request),
            session_fingerprint=session_fingerprint(session_key_of(request)),
            **serializer.validated_data,
        )
        return Response(
            DeviceOutput(device).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def perform_destroy(self, instance) -> None:
        device_unregister(device=instance)


class NudgeSettingsView(APIView):
    """How, when and how often Haven may contact me: preferred check-in time, quiet hours
    (they may wrap midnight), channel order, kinds turned off, caps (lower only) and what
    may reach me while I take space. The in-app inbox always records."""

    @extend_schema(responses=NudgeSettingsOutput)
    def get(self, request: Request) -> Response:
        row = nudge_settings_of(user=person_of(request))
        return Response(NudgeSettingsOutput(row).data)

    @extend_schema(request=NudgeSettingsInput, responses=NudgeSettingsOutput)
    def patch(self, request: Request) -> Response:
        serializer = NudgeSettingsInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = nudge_settings_update(user=person_of(request), data=serializer.validated_data)
        return Response(NudgeSettingsOutput(row).data)


class InboxPagination(SyncPagination):
    """Inbox pages carry the number of unread notifications, for the app's badge: from the
    page's own rows (`self.page`, `nudges.selectors._inbox`), counted apart only for an
    empty page."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread_count"] = unread_count_of(person_of(self.request), page=self.page)
        return response

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["unread_count"] = {"type": "integer", "minimum": 0}
        return response


class NotificationViewSet(ViewerContextMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """My in-app inbox, newest first (or, with updated_since, what changed for my phone).
    Reading is private: nobody else ever learns that, or when, I read anything."""

    queryset = Notification.objects.none()  # the real one is per person: get_queryset
    serializer_class = NotificationOutput
    pagination_class = InboxPagination

    def get_queryset(self):
        # The list's pages come from statements composed once (issue 17); the rest as is.
        compiled = self.action == "list"
        return notifications_of(person_of(self.request), compiled=compiled)

    @extend_schema(request=None, responses=NotificationOutput)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk=None) -> Response:
        notification = notification_read(notification=self.get_object())
        return Response(
            NotificationOutput(notification, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsReadAll", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": notifications_read_all(user=person_of(request))})


class UnsubscribeView(APIView):
    """One-click unsubscribe (RFC 8058), the `List-Unsubscribe` target of Haven's emails: a
    mail client POSTs here (form body `List-Unsubscribe=One-Click`) and the email's kind of
    nudge is turned off in the person's settings. No sign-in: the signed token is the
    credential. Repeating it changes nothing; a tampered or expired token is a 400."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser, BoundedJSONParser]

    @extend_schema(request=None, responses=UnsubscribeOutput, auth=[])
    def post(self, request: Request, token: str) -> Response:
        kind = nudge_kind_unsubscribe(token=token)
        return Response(UnsubscribeOutput({"kind": kind, "unsubscribed": True}).data)


@csrf_exempt  # the signed token is the credential; there is no session to ride on
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    """The page an email's "stop emails like this one" link opens. GET only asks (link
    scanners open links and must change nothing); POST turns the kind off. It speaks the
    language of the person the email was for (their `locale`, like the email itself); a
    link that names nobody is answered in the browser's `Accept-Language`."""
    try:
        user_id, kind = unsubscribe_token_read(token=token)
        if request.method == "POST":
            nudge_kind_unsubscribe(token=token)
    except ApplicationError as error:
        return render(request, "nudges/unsubscribe.html", {"error": error.detail}, status=400)
    with translation.override(language_of_person(user_id)):
        context = {"kind_title": kind_named(kind).title, "done": request.method == "POST"}
        response = render(request, "nudges/unsubscribe.html", context)
        response["Content-Language"] = translation.get_language()
    response["X-Robots-Tag"] = "noindex"
    return response
