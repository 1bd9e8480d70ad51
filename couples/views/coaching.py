from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.viewer import ViewerContextMixin, person_of
from common.idempotency import idempotent
from common.openapi import ErrorResponse409Serializer
from common.pagination import CursorPagination
from couples import selectors
from couples.models import CoachAccess, CoachGrant, CoachNote
from couples.serializers.coaching import (
    CoachAccessOutput,
    CoachGrantInviteInput,
    CoachGrantOutput,
    CoachNoteOutput,
)
from couples.services.coaching import (
    coach_grant_consent,
    coach_grant_invite,
    coach_grant_renew,
    coach_grant_revoke,
)


class CoachGrantViewSet(ViewerContextMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Which coaches may see our couple in the admin, and since when. A grant needs both
    partners' consent; either partner revokes it at once; it expires unless both renew."""

    queryset = CoachGrant.objects.none()
    serializer_class = CoachGrantOutput

    def get_queryset(self):
        return selectors.coach_grants_of_couple(person_of(self.request))

    def _answer(self, grant: CoachGrant, status_code: int = status.HTTP_200_OK) -> Response:
        grant = self.get_queryset().get(pk=grant.pk)
        context = self.get_serializer_context()
        return Response(CoachGrantOutput(grant, context=context).data, status=status_code)

    @extend_schema(
        request=CoachGrantInviteInput,
        responses={201: CoachGrantOutput, 409: ErrorResponse409Serializer},
        description="Invite a coach by email or coach code. This counts as my consent; "
        "my partner is asked for theirs, and the coach sees nothing until both said yes. "
        "409 `coach_grant_exists` (with `grant_id`) when this coach already has a live grant; "
        "409 `coach_reinvite_paused` (with `invite_possible_at`) for 7 days after this coach's "
        "access was revoked or their invitation declined.",
    )
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = CoachGrantInviteInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant = coach_grant_invite(user=person_of(request), **serializer.validated_data)
        return self._answer(grant, status.HTTP_201_CREATED)

    @extend_schema(responses=CoachGrantOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(self.get_object())

    @extend_schema(
        request=None,
        responses={200: CoachGrantOutput, 409: ErrorResponse409Serializer},
        description="Give my consent to a pending grant; with both, it is active. Consenting "
        "again to what I already consented to answers the same success.",
    )
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str) -> Response:
        return self._answer(coach_grant_consent(grant=self.get_object(), user=person_of(request)))

    @extend_schema(
        request=None,
        responses={200: CoachGrantOutput, 409: ErrorResponse409Serializer},
        description="Take access away now (on a pending grant: decline the invitation); the "
        "coach loses it on their next page. The same coach can be invited again after 7 days. "
        "Revoking a grant that already ended answers the same success.",
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        return self._answer(coach_grant_revoke(grant=self.get_object(), user=person_of(request)))

    @extend_schema(
        request=None,
        responses={200: CoachGrantOutput, 409: ErrorResponse409Serializer},
        description="Renew an active or expired grant; it runs again once both renewed. "
        "Renewing a grant that began or was renewed within the last hour changes nothing.",
    )
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: str) -> Response:
        return self._answer(coach_grant_renew(grant=self.get_object(), user=person_of(request)))


class CoachAccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every time a coach saw our couple in the admin (a list row or our page), newest
    first."""

    queryset = CoachAccess.objects.none()
    serializer_class = CoachAccessOutput
    pagination_class = CursorPagination

    def get_queryset(self):
        return selectors.coach_accesses_of_couple(person_of(self.request))


class CoachNoteViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The notes our coaches left for us, newest first."""

    queryset = CoachNote.objects.none()
    serializer_class = CoachNoteOutput
    pagination_class = CursorPagination

    def get_queryset(self):
        return selectors.coach_notes_of_couple(person_of(self.request))
