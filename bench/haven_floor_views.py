"""The signed-in floor: the least a signed-in call to Haven's API can cost.

A DRF view with every default the API's views have (the bearer token checked against its
live sign-in in one statement, which also sets the person's language; the per-person
throttle; content negotiation; the JSON renderer; the middleware stack) and nothing of its
own: no selector, no serializer, a constant answer. What an endpoint costs beyond this floor
is its own work; what this floor costs beyond the Haven-stack floor is the sign-in and DRF.
Mounted only by the bench's settings (bench/haven_floor_urls.py)."""

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class SignedInFloorView(APIView):
    def get(self, request: Request) -> Response:
        return Response({"ok": 1})
