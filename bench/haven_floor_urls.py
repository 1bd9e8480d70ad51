"""Haven's URLs with the bare floor's view first, at /api/v1/_bench/floor: under the JSON
API's prefix, so every middleware that treats the API's paths differently (common.web_only)
treats the floor the same way. Mounted only by the bench's settings; the published schema and
its checks describe config.urls alone."""

from django.urls import path

from bench.floor.views import floor
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as haven_urlpatterns

FLOOR_PATH = "api/v1/_bench/floor"

urlpatterns = [path(FLOOR_PATH, floor), *haven_urlpatterns]
