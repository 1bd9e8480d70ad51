"""Compromise agreements."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.viewer import person_of
from common.idempotency import idempotent
from common.openapi import ErrorResponse409Serializer
from common.pagination import CursorPagination
from common.sync import SyncPagination
from couples import selectors
from couples.models import Agreement
from couples.serializers import (
    AgreementAcceptInput,
    AgreementCounterInput,
    AgreementOutput,
    AgreementProposeInput,
    AgreementRevisionOutput,
    AgreementSnoozeInput,
    AgreementWriteOutput,
)
from couples.services.agreements import (
    agreement_accept,
    agreement_counter,
    agreement_propose,
    agreement_retire,
    agreement_snooze,
)


class AgreementRevisionPagination(CursorPagination):
    """An agreement's revisions, newest first (a number is unique within its agreement)."""

    ordering = ("-number", "-id")


class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Compromise agreements: propose, counter, accept, take time, change or retire, with
    the full history. Ex-partners still read what both accepted, archived. Phone sync:
    `updated_since` (a negotiation closed when the couple ended comes back in `removed`)."""

    queryset = Agreement.objects.none()
    serializer_class = AgreementOutput
    pagination_class = SyncPagination

    def get_queryset(self):
        return selectors.agreements_visible_to(person_of(self.request))

    def _answered(self, agreement: Agreement) -> Response:
        """The agreement as it stands after an answer, re-read with the list's annotations."""
        return Response(AgreementOutput(self.get_queryset().get(pk=agreement.pk)).data)

    def _written(self, agreement: Agreement, *, titled: bool = False) -> Response:
        agreement = self.get_queryset().get(pk=agreement.pk)
        return Response(AgreementWriteOutput(agreement, context={"titled": titled}).data)

    @extend_schema(
        request=AgreementProposeInput,
        responses={201: AgreementWriteOutput, 409: ErrorResponse409Serializer},
    )
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = AgreementProposeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = agreement_propose(author=person_of(request), **serializer.validated_data)
        response = self._written(agreement, titled=True)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=AgreementCounterInput,
        responses={200: AgreementWriteOutput, 409: ErrorResponse409Serializer},
        description="Answer the latest revision with my own; on an active agreement, propose "
        "a change (the accepted terms stay active until the change is accepted).",
    )
    @action(detail=True, methods=["post"])
    def counter(self, request: Request, pk: str) -> Response:
        serializer = AgreementCounterInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = agreement_counter(
            agreement=self.get_object(), author=person_of(request), **serializer.validated_data
        )
        return self._written(agreement)

    @extend_schema(
        request=AgreementAcceptInput,
        responses={200: AgreementOutput, 409: ErrorResponse409Serializer},
        description="Accept the latest revision; only the partner who did not write it can.",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        serializer = AgreementAcceptInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = agreement_accept(
            agreement=self.get_object(), user=person_of(request), **serializer.validated_data
        )
        return self._answered(agreement)

    @extend_schema(
        request=AgreementSnoozeInput,
        responses={200: AgreementOutput, 409: ErrorResponse409Serializer},
        description="Ask for time before answering (at most 14 days); both are nudged when "
        "it ends.",
    )
    @action(detail=True, methods=["post"])
    def snooze(self, request: Request, pk: str) -> Response:
        serializer = AgreementSnoozeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = agreement_snooze(
            agreement=self.get_object(), user=person_of(request), **serializer.validated_data
        )
        return self._answered(agreement)

    @extend_schema(
        request=None,
        responses={200: AgreementOutput, 409: ErrorResponse409Serializer},
        description="Ask to retire an active agreement, or agree to my partner's asking. "
        "Unanswered for 7 days, it retires by itself.",
    )
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str) -> Response:
        agreement = agreement_retire(agreement=self.get_object(), user=person_of(request))
        return self._answered(agreement)

    @extend_schema(
        responses=AgreementRevisionOutput(many=True),
        description="Every revision, newest first; read-only once written.",
    )
    @action(detail=True, methods=["get"], pagination_class=AgreementRevisionPagination)
    def revisions(self, request: Request, pk: str) -> Response:
        revisions = selectors.agreement_revisions_of(self.get_object())
        page = self.paginate_queryset(revisions)
        return self.get_paginated_response(AgreementRevisionOutput(page, many=True).data)
