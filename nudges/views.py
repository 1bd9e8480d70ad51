from typing import cast

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from common.idempotency import idempotent
from common.sync import SyncPagination
from nudges.models import Device, Notification
from nudges.selectors import devices_of, notifications_of, unread_count_of
from nudges.serializers import (
    DeviceOutput,
    DeviceRegisterInput,
    NotificationOutput,
    NudgeSettingsInput,
    NudgeSettingsOutput,
)
from nudges.services import (
    DEVICE_SYNC_KIND,
    device_register,
    device_unregister,
    notification_read,
    notifications_read_all,
    nudge_settings_of,
    nudge_settings_update,
)


class DeviceViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The signed-in person's phones (push tokens)."""

    queryset = Device.objects.none()  # the real one is per person: get_queryset
    serializer_class = DeviceOutput
    pagination_class = SyncPagination
    sync_kind = DEVICE_SYNC_KIND

    def get_queryset(self):
        return devices_of(self.request.user)

    @extend_schema(request=DeviceRegisterInput, responses={200: DeviceOutput, 201: DeviceOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = DeviceRegisterInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        device, created = device_register(user=request.user, **serializer.validated_data)
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
        row = nudge_settings_of(user=cast(User, request.user))
        return Response(NudgeSettingsOutput(row).data)

    @extend_schema(request=NudgeSettingsInput, responses=NudgeSettingsOutput)
    def patch(self, request: Request) -> Response:
        serializer = NudgeSettingsInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = nudge_settings_update(user=cast(User, request.user), data=serializer.validated_data)
        return Response(NudgeSettingsOutput(row).data)


class InboxPagination(SyncPagination):
    """Inbox pages carry the number of unread notifications, for the app's badge."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread_count"] = unread_count_of(self.request.user)
        return response

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["unread_count"] = {"type": "integer", "minimum": 0}
        return response


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My in-app inbox, newest first (or, with updated_since, what changed for my phone).
    Reading is private: nobody else ever learns that, or when, I read anything."""

    queryset = Notification.objects.none()  # the real one is per person: get_queryset
    serializer_class = NotificationOutput
    pagination_class = InboxPagination
    sync_kind = "notification"

    def get_queryset(self):
        return notifications_of(self.request.user)

    @extend_schema(request=None, responses=NotificationOutput)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk=None) -> Response:
        notification = notification_read(notification=self.get_object())
        return Response(NotificationOutput(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsReadAll", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": notifications_read_all(user=cast(User, request.user))})
