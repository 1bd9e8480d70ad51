"""The Haven-stack floor: production settings, with the bare floor's view mounted under the
API's prefix (bench/haven_floor_urls.py), so a request to it passes through every middleware
the API's requests pass through, but no authentication, DRF or Haven view. `make bench` serves
it on its own gunicorn, configured like Haven's."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.haven_floor_urls"
