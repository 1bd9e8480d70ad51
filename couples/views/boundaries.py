"""Boundaries, their acknowledgements and history."""

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
from couples.models import Boundary
from couples.serializers import (
    BoundaryCreateInput,
    BoundaryForbiddenOutput,
    BoundaryOutput,
    BoundaryRevisionOutput,
    BoundaryUpdateInput,
    BoundaryWriteOutput,
)
from couples.services.boundaries import (
    boundary_acknowledge,
    boundary_create,
    boundary_restore,
    boundary_retire,
    boundary_update,
)


class BoundaryHistoryPagination(CursorPagination):
    """A boundary's versions, newest first (a version is unique within its boundary). Paged
    by the number the caller sees, so not even a cursor carries a version the partner
    never saw."""

    ordering = ("-seen_version", "-id")


class BoundaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Boundaries: my own (retired ones too) and my partner's shared ones. Only the owner
    changes a boundary; the partner may say "I've read this". Phone sync: `updated_since`
    (a boundary made private, retired, or no longer my partner's comes back in `removed`)."""

    queryset = Boundary.objects.none()
    serializer_class = BoundaryOutput
    pagination_class = SyncPagination
    read_beside_sign_in = selectors.PARTNER_BESIDE_SIGN_IN  # what every read asks first

    def get_queryset(self):
        # The list's pages come from statements composed once (issue 17); the rest as is.
        compiled = self.action == "list"
        return selectors.boundaries_visible_to(person_of(self.request), compiled=compiled)

    def _as_seen(self, boundary: Boundary) -> Boundary:
        """The boundary again, through the caller's selector, for the output's annotations."""
        return self.get_queryset().get(pk=boundary.pk)

    @extend_schema(request=BoundaryCreateInput, responses={201: BoundaryWriteOutput})
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = BoundaryCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        boundary = boundary_create(owner=person_of(request), **serializer.validated_data)
        return Response(
            BoundaryWriteOutput(self._as_seen(boundary)).data, status=status.HTTP_201_CREATED
        )

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
            boundary=self.get_object(), editor=person_of(request), **serializer.validated_data
        )
        return Response(BoundaryWriteOutput(self._as_seen(boundary)).data)

    @extend_schema(
        request=None,
        responses={204: None, 403: BoundaryForbiddenOutput},
        description="Retire the boundary: it stays in my own list and history, and my "
        "partner no longer sees it.",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        boundary_retire(boundary=self.get_object(), editor=person_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={200: BoundaryOutput, 403: BoundaryForbiddenOutput},
        description="Bring back a retired boundary, as it read when retired. A shared one "
        "reaches my partner again. Restoring one that is not retired answers the same.",
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str) -> Response:
        boundary = boundary_restore(boundary=self.get_object(), editor=person_of(request))
        return Response(BoundaryOutput(self._as_seen(boundary)).data)

    @extend_schema(
        request=None,
        responses={200: BoundaryOutput, 403: BoundaryForbiddenOutput},
        description="The partner's \"I've read this\" for the current version. It resets when "
        "the owner changes the boundary. Saying it again answers the same.",
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        boundary = boundary_acknowledge(boundary=self.get_object(), user=person_of(request))
        return Response(BoundaryOutput(self._as_seen(boundary)).data)

    @extend_schema(
        responses=BoundaryRevisionOutput(many=True),
        description="Every version, newest first. My partner sees only the versions that "
        "were shared.",
    )
    @action(detail=True, methods=["get"], pagination_class=BoundaryHistoryPagination)
    def history(self, request: Request, pk: str) -> Response:
        revisions = selectors.boundary_revisions_visible_to(
            person_of(request), boundary=self.get_object()
        )
        page = self.paginate_queryset(revisions)
        return self.get_paginated_response(BoundaryRevisionOutput(page, many=True).data)
