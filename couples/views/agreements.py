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
from couples.serializers.agreements import (
    AgreementAmendInput,
    AgreementForbiddenOutput,
    AgreementKeepInput,
    AgreementWithdrawInput,
)
from couples.services.agreements import (
    agreement_accept,
    agreement_amend,
    agreement_counter,
    agreement_keep,
    agreement_propose,
    agreement_retire,
    agreement_snooze,
    agreement_withdraw,
)


class AgreementRevisionPagination(CursorPagination):
    """An agreement's revisions, newest first (a number is unique within its agreement)."""

    ordering = ("-number", "-id")


class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Compromise agreements: propose, counter, accept, take time, amend or take back one's
    own version, change, keep or retire, with the full history. Every action answered twice
    answers the same success when the second changes nothing. Ex-partners still read what
    both accepted, archived, and each keeps the proposals they made. Phone sync:
    `updated_since` (a proposal the partner took back, or one of theirs never accepted when
    the couple ended, comes back in `removed`)."""

    queryset = Agreement.objects.none()
    serializer_class = AgreementOutput
    pagination_class = SyncPagination
    read_beside_sign_in = selectors.MEMBERSHIP_BESIDE_SIGN_IN  # what every read asks first

    def get_queryset(self):
        # The list's pages come from statements composed once (issue 17); the rest as is.
        compiled = self.action == "list"
        return selectors.agreements_visible_to(person_of(self.request), compiled=compiled)

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
        responses={
            200: AgreementWriteOutput,
            403: AgreementForbiddenOutput,
            409: ErrorResponse409Serializer,
        },
        description="Answer the latest revision with my own; on an active agreement, propose "
        "a change (the agreement stays `active`, the change is in `pending_change`, until it is "
        "accepted, declined with `keep` or taken back). The same counter sent twice is written "
        "once. A stale `based_on` gets 409 `stale_revision`, saying who wrote the current one.",
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
        responses={
            200: AgreementOutput,
            403: AgreementForbiddenOutput,
            409: ErrorResponse409Serializer,
        },
        description="Accept the latest revision; only the partner who did not write it can. "
        "Accepting the version already in force answers the same success.",
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
        responses={
            200: AgreementOutput,
            403: AgreementForbiddenOutput,
            409: ErrorResponse409Serializer,
        },
        description="Ask for time before answering (at most 14 days); asking again moves the "
        "day. Both are nudged when it ends.",
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
        description="Ask to retire an active agreement, or agree to my partner's asking (or "
        "decline it with `keep`). Unanswered for 7 days, it retires by itself. Retiring what "
        "is already retired answers the same success.",
    )
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str) -> Response:
        agreement = agreement_retire(agreement=self.get_object(), user=person_of(request))
        return self._answered(agreement)

    @extend_schema(
        request=AgreementKeepInput,
        responses={200: AgreementOutput, 409: ErrorResponse409Serializer},
        description="Keep it as it is. At review: the review date renews (30 days unless "
        "chosen). On a retire request: declines it (the asker may take theirs back the same "
        "way). On a change being talked over: declines the change; the terms in force stay. "
        "My partner is told gently.",
    )
    @action(detail=True, methods=["post"])
    def keep(self, request: Request, pk: str) -> Response:
        serializer = AgreementKeepInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = agreement_keep(
            agreement=self.get_object(), user=person_of(request), **serializer.validated_data
        )
        return self._answered(agreement)

    @extend_schema(
        request=AgreementAmendInput,
        responses={
            200: AgreementWriteOutput,
            403: AgreementForbiddenOutput,
            409: ErrorResponse409Serializer,
        },
        description="Rewrite my own latest version before my partner answers it: a new "
        "revision they then answer (the history keeps the earlier one). Not my version: 403 "
        "`partner_revision`.",
    )
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: str) -> Response:
        serializer = AgreementAmendInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = agreement_amend(
            agreement=self.get_object(), author=person_of(request), **serializer.validated_data
        )
        return self._written(agreement)

    @extend_schema(
        request=AgreementWithdrawInput,
        responses={
            200: AgreementOutput,
            403: AgreementForbiddenOutput,
            409: ErrorResponse409Serializer,
        },
        description="Take back my own latest version before my partner answers it. A first "
        "proposal becomes `withdrawn`, mine alone (my partner's phone drops it); a change "
        "taken back leaves the terms in force as they were; a counter taken back returns to "
        "my partner's version, for me to answer. My partner no longer sees what I took back.",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        serializer = AgreementWithdrawInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = agreement_withdraw(
            agreement=self.get_object(), user=person_of(request), **serializer.validated_data
        )
        return self._answered(agreement)

    @extend_schema(
        responses=AgreementRevisionOutput(many=True),
        description="Every revision, newest first; read-only once written. Versions my partner "
        "took back are not shown; once the couple ended, only the version both accepted and "
        "my own.",
    )
    @action(detail=True, methods=["get"], pagination_class=AgreementRevisionPagination)
    def revisions(self, request: Request, pk: str) -> Response:
        revisions = selectors.agreement_revisions_of(self.get_object(), viewer=person_of(request))
        page = self.paginate_queryset(revisions)
        return self.get_paginated_response(AgreementRevisionOutput(page, many=True).data)
