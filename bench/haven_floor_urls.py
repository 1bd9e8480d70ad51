"""Haven's URLs with the two floors' views first, under the JSON API's prefix, so every
middleware that treats the API's paths differently (common.web_only) treats the floors the same
way: the bare floor's view at /api/v1/_bench/floor (the Haven-stack floor) and a signed-in DRF
view at /api/v1/_bench/signed-in (the signed-in floor, bench/haven_floor_views.py). Mounted
only by the bench's settings; the published schema and its checks describe config.urls alone."""

from django.urls import path

from bench.floor.views import floor
from bench.haven_floor_views import SignedInFloorView
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as haven_urlpatterns

FLOOR_PATH = "api/v1/_bench/floor"
SIGNED_IN_FLOOR_PATH = "api/v1/_bench/signed-in"

urlpatterns = [
    path(FLOOR_PATH, floor),
    path(SIGNED_IN_FLOOR_PATH, SignedInFloorView.as_view()),
    *haven_urlpatterns,
]
