"""Appreciations, pings and one-tap reassurances."""

from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.viewer import person_of
from common.idempotency import idempotent
from common.openapi import ErrorResponse409Serializer
from common.sync import SyncPagination
from couples import selectors
from couples.models import Appreciation, Ping, Reassurance
from couples.serializers import (
    AppreciationCreateOutput,
    AppreciationForbiddenOutput,
    AppreciationInput,
    AppreciationOutput,
    PingOutput,
    ReassuranceBudgetSpentOutput,
    ReassuranceInput,
    ReassuranceLinesOutput,
    ReassuranceOutput,
)
from couples.services.messages import (
    appreciation_create,
    appreciation_unsend,
    ping_send,
    reassurance_send,
)


class AppreciationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Notes of thanks, listed for both partners (phone sync: `updated_since`; an unsent one
    comes back in `removed` for both)."""

    queryset = Appreciation.objects.none()
    serializer_class = AppreciationOutput
    pagination_class = SyncPagination

    def get_queryset(self):
        # Unsending again finds the author's own unsent note, so a double tap answers 204.
        return selectors.appreciations_visible_to(
            person_of(self.request), own_unsent=self.action == "destroy"
        )

    @extend_schema(request=AppreciationInput, responses={201: AppreciationCreateOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = AppreciationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        appreciation = appreciation_create(author=person_of(request), **serializer.validated_data)
        return Response(AppreciationCreateOutput(appreciation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            204: None,
            403: AppreciationForbiddenOutput,
            409: ErrorResponse409Serializer,
        },
        description="Unsend: the author takes a note back within 10 minutes of sending it. It "
        "is gone for both partners (their phones get its id in `removed`) and a notification "
        "still waiting is not sent. Later, 409 `unsend_window_passed`. Unsending again "
        "answers the same 204.",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        appreciation_unsend(appreciation=self.get_object(), author=person_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


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


@extend_validation_errors(["no_shared_words"], field_name="line", actions=["create"])
class ReassuranceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One-tap reassurances: a ready-made line, Haven's own or the words my partner likes
    to hear. Listed for the sender, and for the recipient while we are a couple."""

    queryset = Reassurance.objects.none()
    serializer_class = ReassuranceOutput

    def get_queryset(self):
        return selectors.reassurances_visible_to(person_of(self.request))

    def get_serializer_context(self) -> dict:
        return {
            **super().get_serializer_context(),
            "words": selectors.reassurance_words_seen_by(person_of(self.request)),
        }

    @extend_schema(
        request=ReassuranceInput,
        responses={201: ReassuranceOutput, 429: ReassuranceBudgetSpentOutput},
        description="Send a line with one tap. My partner gets a notification titled as a "
        "reassurance that never quotes the line. 3 a day in my own day; then 429 "
        "`reassurance_budget_spent` with Retry-After. `their_words` while my partner does "
        "not share words they like to hear: 400 `no_shared_words`.",
    )
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = ReassuranceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        reassurance = reassurance_send(sender=person_of(request), **serializer.validated_data)
        return Response(
            ReassuranceOutput(reassurance, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses=ReassuranceLinesOutput)
    @action(detail=False, methods=["get"], pagination_class=None)
    def lines(self, request: Request) -> Response:
        """The lines I can send now: my partner's own words first (while they share them),
        then Haven's lines, in my language."""
        lines = selectors.reassurance_lines_for(person_of(request))
        return Response(
            ReassuranceLinesOutput(
                {"lines": [{"line": code, "text": text} for code, text in lines]}
            ).data
        )
