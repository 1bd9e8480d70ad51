"""Pairing invites: make one, preview a code, accept, decline or revoke it."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.viewer import person_of
from common.idempotency import idempotent
from common.throttling import InviteCodeIPThrottle, InviteCodeUserThrottle
from couples import selectors
from couples.invite_codes import invite_code_normalize
from couples.models import Invite
from couples.serializers import CoupleOutput, InviteOutput, InvitePreviewOutput
from couples.services.invites import (
    InviteNotFound,
    invite_accept,
    invite_create,
    invite_decline,
    invite_preview,
    invite_revoke,
)
from couples.views.couples import couple_payload

CODE_PARAMETER = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    description="The invite code; case, dashes and spaces do not matter.",
)


class InviteViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
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
        return selectors.invites_sent_by(person_of(self.request)).order_by("-created_at")

    @extend_schema(request=None, responses={201: InviteOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        invite = invite_create(inviter=person_of(request))
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
        invite_accept(raw_code=code, user=person_of(request))
        return Response(couple_payload(person_of(request)), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[CODE_PARAMETER], request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, code: str) -> Response:
        invite_decline(raw_code=code, user=person_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
