"""Haven's URLs with the bare floor's view first, at /api/_bench/floor (under the API's
prefix, so any middleware that treats /api/ differently treats it the same way; outside
/api/v1/, which is the product's published API and its schema)."""

from django.urls import path

from bench.floor.views import floor
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as haven_urlpatterns

FLOOR_PATH = "api/_bench/floor"

urlpatterns = [path(FLOOR_PATH, floor), *haven_urlpatterns]
