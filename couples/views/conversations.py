"""'Can we talk?' requests."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.viewer import ViewerContextMixin, person_of
from common.idempotency import idempotent
from common.openapi import ErrorResponse409Serializer
from common.sync import SyncPagination
from couples import selectors
from couples.models import ConversationRequest
from couples.serializers import (
    ConversationCreateInput,
    ConversationCreateOutput,
    ConversationHoldInput,
    ConversationOutput,
    ConversationRespondInput,
    ConversationWriteOutput,
)
from couples.services.conversations import (
    conversation_discard,
    conversation_hold,
    conversation_request,
    conversation_respond,
    conversation_send,
    conversation_withdraw,
)


class ConversationViewSet(
    ViewerContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """'Can we talk?' requests (phone sync: `updated_since`; a request withdrawn, or every
    one of a couple that ended, comes back to the partner in `removed`). Each side sees what
    is true for them: drafts and held requests are their author's alone."""

    queryset = ConversationRequest.objects.none()
    serializer_class = ConversationOutput
    pagination_class = SyncPagination

    def get_queryset(self):
        return selectors.conversations_visible_to(person_of(self.request))

    def _written(self, conversation: ConversationRequest) -> Response:
        return Response(
            ConversationWriteOutput(conversation, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request=ConversationCreateInput,
        responses={201: ConversationCreateOutput},
        description="Write a request. With `send_now` it reaches the partner at once; with "
        "`hold_minutes` it waits on a timer; with `hold_until_confirmed`, or a calm score of "
        "1 or 2 and no choice, it waits with you as a draft (see `calm_offer`). `notes` say, "
        "gently, when a time falls while your partner takes space or in their shared alone "
        "time.",
    )
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

    @extend_schema(
        request=ConversationRespondInput,
        responses={200: ConversationWriteOutput, 409: ErrorResponse409Serializer},
        description="Answer when it is your turn: pick one of the times the other offered, "
        "propose others, or ask for time. While your partner has asked for time you may "
        "offer times after it (they hear of it when their time ends). Repeating an answer "
        "answers as the first time did.",
    )
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk=None) -> Response:
        serializer = ConversationRespondInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        conversation = conversation_respond(
            request=self.get_object(), user=person_of(request), **serializer.validated_data
        )
        return self._written(conversation)

    @extend_schema(
        request=None,
        responses={200: ConversationWriteOutput, 409: ErrorResponse409Serializer},
        description="Send your draft or held request: your partner has it now. Sending one "
        "already sent answers the same.",
    )
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk=None) -> Response:
        conversation = conversation_send(request=self.get_object(), user=person_of(request))
        return self._written(conversation)

    @extend_schema(
        request=ConversationHoldInput,
        responses={200: ConversationWriteOutput, 409: ErrorResponse409Serializer},
        description="Hold your draft on a timer. When it ends you alone are asked, once, "
        "whether you still want to send it; nothing goes out by itself.",
    )
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk=None) -> Response:
        serializer = ConversationHoldInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        conversation = conversation_hold(
            request=self.get_object(), user=person_of(request), **serializer.validated_data
        )
        return self._written(conversation)

    @extend_schema(
        request=None,
        responses={200: ConversationOutput, 409: ErrorResponse409Serializer},
        description="Let your draft or held request go; it never reached your partner.",
    )
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk=None) -> Response:
        conversation = conversation_discard(request=self.get_object(), user=person_of(request))
        return Response(
            ConversationOutput(conversation, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request=None,
        responses={200: ConversationOutput, 409: ErrorResponse409Serializer},
        description="Take back a request you sent: it leaves your partner's view and phone; "
        "you keep it. Withdrawing twice answers the same.",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        conversation = conversation_withdraw(request=self.get_object(), user=person_of(request))
        return Response(
            ConversationOutput(conversation, context=self.get_serializer_context()).data
        )
