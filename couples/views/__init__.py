from typing import cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.selectors import profile_shared_with_partner
from common.idempotency import idempotent
from common.openapi import ErrorResponse409Serializer
from common.pagination import CursorPagination
from common.sync import SyncPagination
from common.throttling import InviteCodeIPThrottle, InviteCodeUserThrottle
from couples import selectors
from couples.invite_codes import invite_code_normalize
from couples.models import Agreement, Appreciation, Boundary, ConversationRequest, Invite, Ping
from couples.serializers import (
    AgreementAcceptInput,
    AgreementCounterInput,
    AgreementOutput,
    AgreementProposeInput,
    AgreementRevisionOutput,
    AgreementSnoozeInput,
    AgreementWriteOutput,
    AppreciationCreateOutput,
    AppreciationInput,
    AppreciationOutput,
    BoundaryCreateInput,
    BoundaryForbiddenOutput,
    BoundaryOutput,
    BoundaryRevisionOutput,
    BoundaryUpdateInput,
    BoundaryWriteOutput,
    ConversationCreateInput,
    ConversationCreateOutput,
    ConversationOutput,
    ConversationRespondInput,
    CoupleEndOutput,
    CoupleOutput,
    CouplePartnerOutput,
    InviteOutput,
    InvitePreviewOutput,
    PingOutput,
    SpaceEndInput,
    SpaceStartInput,
    SpaceStartOutput,
)
from couples.services.agreements import (
    agreement_accept,
    agreement_counter,
    agreement_propose,
    agreement_retire,
    agreement_snooze,
)
from couples.services.boundaries import (
    boundary_acknowledge,
    boundary_create,
    boundary_retire,
    boundary_update,
)
from couples.services.conversations import (
    conversation_request,
    conversation_respond,
    conversation_withdraw,
)
from couples.services.couples import couple_end, space_end, space_start
from couples.services.invites import (
    InviteNotFound,
    invite_accept,
    invite_create,
    invite_decline,
    invite_preview,
    invite_revoke,
)
from couples.services.messages import appreciation_create, ping_send

CODE_PARAMETER = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    description="The invite code; case, dashes and spaces do not matter.",
)


def _me(request: Request) -> User:
    return cast(User, request.user)


class InviteViewSet(viewsets.GenericViewSet):
    """Pairing invites: make one, preview a code, accept or decline it, revoke your own."""

    queryset = Invite.objects.none()
    serializer_class = InviteOutput
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_throttles(self):
        # Anything that takes a code is a guess until proven otherwise.
        if self.action in ("retrieve", "accept", "decline"):
            return [*super().get_throttles(), InviteCodeUserThrottle(), InviteCodeIPThrottle()]
        return super().get_throttles()

    def get_queryset(self):
        return selectors.invites_sent_by(_me(self.request)).order_by("-created_at")

    @extend_schema(responses=InviteOutput(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InviteOutput(page, many=True).data)

    @extend_schema(request=None, responses={201: InviteOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        invite = invite_create(inviter=_me(request))
        return Response(InviteOutput(invite).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[CODE_PARAMETER], responses=InvitePreviewOutput)
    def retrieve(self, request: Request, code: str) -> Response:
        return Response(InvitePreviewOutput(invite_preview(raw_code=code)).data)

    @extend_schema(parameters=[CODE_PARAMETER], responses={204: None})
    def destroy(self, request: Request, code: str) -> Response:
        invite = self.get_queryset().filter(code=invite_code_normalize(code)).first()
        if invite is None:
            raise InviteNotFound()
        invite_revoke(invite=invite)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[CODE_PARAMETER], request=None, responses={201: CoupleOutput})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, code: str) -> Response:
        invite_accept(raw_code=code, user=_me(request))
        return Response(_couple_payload(_me(request)), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[CODE_PARAMETER], request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, code: str) -> Response:
        invite_decline(raw_code=code, user=_me(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _couple_payload(user: User) -> dict:
    couple, partner = selectors.couple_and_partner_required(user)
    return CoupleOutput(
        {
            "couple": couple,
            "partner": partner,
            "my_space": selectors.space_of(user),
            "partner_space": selectors.space_of(partner),
        }
    ).data


class CoupleView(APIView):
    """My couple: the partner's name and time zone, and who is taking space."""

    @extend_schema(responses=CoupleOutput, operation_id="couple_retrieve")
    def get(self, request: Request) -> Response:
        return Response(_couple_payload(_me(request)))


class CouplePartnerView(APIView):
    """What my partner shares with me: love languages, preferences, shared boundaries, and
    their attachment style only if they chose to share it."""

    @extend_schema(responses=CouplePartnerOutput, operation_id="couple_partner_retrieve")
    def get(self, request: Request) -> Response:
        me = _me(request)
        _couple, partner = selectors.couple_and_partner_required(me)
        shared = profile_shared_with_partner(user=partner)
        boundaries = selectors.boundaries_shared_by(partner, viewer=me).order_by("created_at")
        return Response(
            CouplePartnerOutput({"partner": partner, "boundaries": boundaries, **shared}).data
        )


class CoupleEndView(APIView):
    @extend_schema(request=None, responses=CoupleEndOutput, operation_id="couple_end")
    def post(self, request: Request) -> Response:
        couple = couple_end(user=_me(request))
        return Response(CoupleEndOutput(couple).data)


class CoupleSpaceView(APIView):
    """Taking space: start (or change) it, or end it early."""

    @extend_schema(
        request=SpaceStartInput,
        responses={201: SpaceStartOutput},
        operation_id="couple_space_start",
    )
    def post(self, request: Request) -> Response:
        serializer = SpaceStartInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        space = space_start(user=_me(request), **serializer.validated_data)
        return Response(SpaceStartOutput(space).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("tell_partner", bool, description="Default true.")],
        request=None,
        responses={204: None},
        operation_id="couple_space_end",
    )
    def delete(self, request: Request) -> Response:
        serializer = SpaceEndInput(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        space_end(user=_me(request), **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AppreciationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Notes of thanks, listed for both partners (phone sync: `updated_since`)."""

    queryset = Appreciation.objects.none()
    serializer_class = AppreciationOutput
    pagination_class = SyncPagination
    sync_kind = "appreciation"

    def get_queryset(self):
        return selectors.appreciations_visible_to(_me(self.request))

    @extend_schema(request=AppreciationInput, responses={201: AppreciationCreateOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = AppreciationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        appreciation = appreciation_create(author=_me(request), **serializer.validated_data)
        return Response(AppreciationCreateOutput(appreciation).data, status=status.HTTP_201_CREATED)


class PingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """'Thinking of you': one tap, nothing to reply to."""

    queryset = Ping.objects.none()
    serializer_class = PingOutput

    def get_queryset(self):
        return selectors.pings_visible_to(_me(self.request))

    @extend_schema(request=None, responses={201: PingOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        ping = ping_send(sender=_me(request))
        return Response(PingOutput(ping).data, status=status.HTTP_201_CREATED)


class BoundaryHistoryPagination(CursorPagination):
    """A boundary's versions, newest first (a version is unique within its boundary)."""

    ordering = ("-version", "-id")


class BoundaryViewSet(viewsets.GenericViewSet):
    """Boundaries: my own (retired ones too) and my partner's shared ones. Only the owner
    changes a boundary; the partner may say "I've read this". Phone sync: `updated_since`
    (a boundary made private, retired, or no longer my partner's comes back in `removed`)."""

    queryset = Boundary.objects.none()
    serializer_class = BoundaryOutput
    pagination_class = SyncPagination
    sync_kind = "boundary"

    def get_queryset(self):
        return selectors.boundaries_visible_to(_me(self.request))

    def _as_seen(self, boundary: Boundary) -> Boundary:
        """The boundary again, through the caller's selector, for the output's annotations."""
        return self.get_queryset().get(pk=boundary.pk)

    @extend_schema(responses=BoundaryOutput(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(BoundaryOutput(page, many=True).data)

    @extend_schema(request=BoundaryCreateInput, responses={201: BoundaryWriteOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = BoundaryCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        boundary = boundary_create(owner=_me(request), **serializer.validated_data)
        return Response(
            BoundaryWriteOutput(self._as_seen(boundary)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=BoundaryOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(BoundaryOutput(self.get_object()).data)

    @extend_schema(
        request=BoundaryUpdateInput,
        responses={
            200: BoundaryWriteOutput,
            403: BoundaryForbiddenOutput,
            409: ErrorResponse409Serializer,
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        serializer = BoundaryUpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        boundary = boundary_update(
            boundary=self.get_object(), editor=_me(request), **serializer.validated_data
        )
        return Response(BoundaryWriteOutput(self._as_seen(boundary)).data)

    @extend_schema(
        request=None,
        responses={204: None, 403: BoundaryForbiddenOutput},
        description="Retire the boundary: it stays in my own list and history, and my "
        "partner no longer sees it.",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        boundary_retire(boundary=self.get_object(), editor=_me(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={200: BoundaryOutput, 403: BoundaryForbiddenOutput},
        description="The partner's \"I've read this\" for the current version. It resets when "
        "the owner changes the boundary.",
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        boundary = boundary_acknowledge(boundary=self.get_object(), user=_me(request))
        return Response(BoundaryOutput(self._as_seen(boundary)).data)

    @extend_schema(
        responses=BoundaryRevisionOutput(many=True),
        description="Every version, newest first. My partner sees only the versions that "
        "were shared.",
    )
    @action(detail=True, methods=["get"], pagination_class=BoundaryHistoryPagination)
    def history(self, request: Request, pk: str) -> Response:
        revisions = selectors.boundary_revisions_visible_to(
            _me(request), boundary=self.get_object()
        )
        page = self.paginate_queryset(revisions)
        return self.get_paginated_response(BoundaryRevisionOutput(page, many=True).data)


# --- Agreements -----------------------------------------------------------------------------
# Appended below the other sections (imports here keep concurrent edits apart).


class AgreementRevisionPagination(CursorPagination):
    """An agreement's revisions, newest first (a number is unique within its agreement)."""

    ordering = ("-number", "-id")


class AgreementViewSet(viewsets.GenericViewSet):
    """Compromise agreements: propose, counter, accept, take time, change or retire, with
    the full history. Ex-partners still read what both accepted, archived. Phone sync:
    `updated_since` (a negotiation closed when the couple ended comes back in `removed`)."""

    queryset = Agreement.objects.none()
    serializer_class = AgreementOutput
    pagination_class = SyncPagination
    sync_kind = "agreement"

    def get_queryset(self):
        return selectors.agreements_visible_to(_me(self.request))

    def _answered(self, agreement: Agreement) -> Response:
        """The agreement as it stands after an answer, re-read with the list's annotations."""
        return Response(AgreementOutput(self.get_queryset().get(pk=agreement.pk)).data)

    def _written(self, agreement: Agreement, *, titled: bool = False) -> Response:
        agreement = self.get_queryset().get(pk=agreement.pk)
        return Response(AgreementWriteOutput(agreement, context={"titled": titled}).data)

    @extend_schema(responses=AgreementOutput(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AgreementOutput(page, many=True).data)

    @extend_schema(
        request=AgreementProposeInput,
        responses={201: AgreementWriteOutput, 409: ErrorResponse409Serializer},
    )
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = AgreementProposeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = agreement_propose(author=_me(request), **serializer.validated_data)
        response = self._written(agreement, titled=True)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(responses=AgreementOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(AgreementOutput(self.get_object()).data)

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
            agreement=self.get_object(), author=_me(request), **serializer.validated_data
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
            agreement=self.get_object(), user=_me(request), **serializer.validated_data
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
            agreement=self.get_object(), user=_me(request), **serializer.validated_data
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
        agreement = agreement_retire(agreement=self.get_object(), user=_me(request))
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


class ConversationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """'Can we talk?' requests (phone sync: `updated_since`)."""

    queryset = ConversationRequest.objects.none()
    serializer_class = ConversationOutput
    pagination_class = SyncPagination
    sync_kind = "conversation"

    def get_queryset(self):
        return selectors.conversations_visible_to(_me(self.request))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "viewer": self.request.user}

    @extend_schema(request=ConversationCreateInput, responses={201: ConversationCreateOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = ConversationCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        conversation = conversation_request(requester=_me(request), **serializer.validated_data)
        return Response(
            ConversationCreateOutput(conversation, context={"viewer": request.user}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ConversationRespondInput, responses=ConversationOutput)
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk=None) -> Response:
        serializer = ConversationRespondInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        conversation = conversation_respond(
            request=self.get_object(), user=_me(request), **serializer.validated_data
        )
        return Response(ConversationOutput(conversation, context={"viewer": request.user}).data)

    @extend_schema(request=None, responses=ConversationOutput)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        conversation = conversation_withdraw(request=self.get_object(), user=_me(request))
        return Response(ConversationOutput(conversation, context={"viewer": request.user}).data)
