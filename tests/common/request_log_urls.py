"""Haven's routes plus two that fail, for the request log's tests (pytest.mark.urls)."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.urls import urlpatterns as haven_urlpatterns


def plain_failure(request):
    raise RuntimeError("a plain view failed")


class ApiFailure(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("an API view failed")


urlpatterns = [
    path("test-failures/plain", plain_failure),
    path("test-failures/api", ApiFailure.as_view()),
    *haven_urlpatterns,
]
