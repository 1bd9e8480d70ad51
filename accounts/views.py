from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.serializers import MeOutput, MeUpdateInput
from accounts.services import user_update


class MeView(APIView):
    """The signed-in person's own profile."""

    @extend_schema(responses=MeOutput, operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        return Response(MeOutput(request.user).data)

    @extend_schema(request=MeUpdateInput, responses=MeOutput, operation_id="me_partial_update")
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = user_update(user=cast(User, request.user), data=serializer.validated_data)
        return Response(MeOutput(user).data)
