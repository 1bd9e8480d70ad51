"""'Can we talk?' requests."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.viewer import ViewerContextMixin, person_of
from common.idempotency import idempotent
from common.sync import SyncPagination
from couples import selectors
from couples.models import ConversationRequest
from couples.serializers import (
    ConversationCreateInput,
    ConversationCreateOutput,
    ConversationOutput,
    ConversationRespondInput,
)
from couples.services.conversations import (
    conversation_request,
    conversation_respond,
    conversation_withdraw,
)


class ConversationViewSet(
    ViewerContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """'Can we talk?' requests (phone sync: `updated_since`)."""

    queryset = ConversationRequest.objects.none()
    serializer_class = ConversationOutput
    pagination_class = SyncPagination

    def get_queryset(self):
        return selectors.conversations_visible_to(person_of(self.request))

    @extend_schema(request=ConversationCreateInput, responses={201: ConversationCreateOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = ConversationCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        conversation = conversation_request(
            requester=person_of(request), **serializer.validated_data
        )
        return Response(
            ConversationCreateOutput(conversation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ConversationRespondInput, responses=ConversationOutput)
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk=None) -> Response:
        serializer = ConversationRespondInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        conversation = conversation_respond(
            request=self.get_object(), user=person_of(request), **serializer.validated_data
        )
        return Response(
            ConversationOutput(conversation, context=self.get_serializer_context()).data
        )

    @extend_schema(request=None, responses=ConversationOutput)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        conversation = conversation_withdraw(request=self.get_object(), user=person_of(request))
        return Response(
            ConversationOutput(conversation, context=self.get_serializer_context()).data
        )
