"""Appreciations and pings."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.viewer import person_of
from common.idempotency import idempotent
from common.sync import SyncPagination
from couples import selectors
from couples.models import Appreciation, Ping
from couples.serializers import (
    AppreciationCreateOutput,
    AppreciationInput,
    AppreciationOutput,
    PingOutput,
)
from couples.services.messages import appreciation_create, ping_send


class AppreciationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Notes of thanks, listed for both partners (phone sync: `updated_since`)."""

    queryset = Appreciation.objects.none()
    serializer_class = AppreciationOutput
    pagination_class = SyncPagination

    def get_queryset(self):
        return selectors.appreciations_visible_to(person_of(self.request))

    @extend_schema(request=AppreciationInput, responses={201: AppreciationCreateOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = AppreciationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        appreciation = appreciation_create(author=person_of(request), **serializer.validated_data)
        return Response(AppreciationCreateOutput(appreciation).data, status=status.HTTP_201_CREATED)


class PingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """'Thinking of you': one tap, nothing to reply to."""

    queryset = Ping.objects.none()
    serializer_class = PingOutput

    def get_queryset(self):
        return selectors.pings_visible_to(person_of(self.request))

    @extend_schema(request=None, responses={201: PingOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        ping = ping_send(sender=person_of(request))
        return Response(PingOutput(ping).data, status=status.HTTP_201_CREATED)
