"""Unknown paths under /api/ answer in the one error shape, with DEBUG off and on (issue 13):
with DEBUG on Django would otherwise answer with its HTML debug page."""

import pytest

from tests.utils import assert_error_shape

PATHS = [
    "/api/v1/no-such-thing",
    "/api/v1/boundaries/",
    "/api/v1/couple/space/extra",
    "/api/v2/boundaries",
    "/api/nothing-here",
    "/api/docs/nothing-here",
]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", PATHS)
def test_an_unknown_api_path_is_a_json_404_whatever_debug_says(auth_client, settings, path, debug):
    settings.DEBUG = debug
    response = auth_client.get(path)
    assert_error_shape(response, 404, "not_found")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_method_gets_the_same_answer(auth_client, settings, method):
    settings.DEBUG = True
    response = getattr(auth_client, method)("/api/v1/no-such-thing", {"a": 1}, format="json")
    assert_error_shape(response, 404, "not_found")


def test_the_signed_out_get_the_same_answer(api_client, db, settings):
    settings.DEBUG = True
    assert_error_shape(api_client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_known_paths_and_the_docs_redirect_are_untouched(auth_client, settings):
    settings.DEBUG = True
    assert auth_client.get("/api/v1/me").status_code == 200
    # The schema and docs pages keep APPEND_SLASH's redirect.
    assert auth_client.get("/api/docs").status_code == 301
    assert auth_client.get("/api/schema").status_code == 301
    # A path outside /api/ is left to Django's own pages.
    assert auth_client.get("/no-such-page").status_code == 404
