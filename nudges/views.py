from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from common.idempotency import idempotent
from common.sync import SyncPagination
from nudges.models import Device
from nudges.selectors import devices_of
from nudges.serializers import DeviceOutput, DeviceRegisterInput
from nudges.services import DEVICE_SYNC_KIND, device_register, device_unregister


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
