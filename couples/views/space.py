"""Taking space: start (or change) it, or end it early."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.viewer import person_of
from couples import selectors
from couples.serializers import SpaceEndInput, SpaceStartInput, SpaceStartOutput
from couples.services.couples import space_end, space_start


class CoupleSpaceView(APIView):
    """Taking space: start (or change) it, or end it early."""

    @extend_schema(
        request=SpaceStartInput,
        responses={201: SpaceStartOutput},
        operation_id="couple_space_start",
    )
    def post(self, request: Request) -> Response:
        me = person_of(request)
        serializer = SpaceStartInput(
            data=request.data, context={"current_space": selectors.space_of(me)}
        )
        serializer.is_valid(raise_exception=True)
        space = space_start(user=me, **serializer.validated_data)
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
        space_end(user=person_of(request), **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
