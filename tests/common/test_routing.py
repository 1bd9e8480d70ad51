"""The API's routes found once per path (common.routing, issue 17): the same match Django's
own resolution gives, every time, a fresh one for each request, and nothing kept that should
not be."""

import uuid

import pytest
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from common import routing
from common.routing import RememberingURLResolver
from config import urls

PATHS = [
    "/api/v1/checkins/today",
    "/api/v1/checkins",
    "/api/v1/checkins/2026-11-30",
    "/api/v1/couple",
    "/api/v1/couple/partner",
    "/api/v1/me",
    "/api/v1/notifications",
    "/api/v1/boundaries",
    f"/api/v1/boundaries/{uuid.UUID(int=7)}",
    f"/api/v1/agreements/{uuid.UUID(int=8)}",
    "/api/v1/agreements",
]


def _api_resolver() -> RememberingURLResolver:
    (found,) = [p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/"]
    assert isinstance(found, RememberingURLResolver)
    return found


def _djangos_own() -> URLResolver:
    """The root as Django builds it from config.urls, its API part not remembering."""
    api = _api_resolver()
    plain = URLResolver(api.pattern, api.urlconf_name, api.default_kwargs)
    patterns = [plain if p is api else p for p in urls.urlpatterns]
    return URLResolver(get_resolver().pattern, patterns)


def _described(match) -> tuple:
    return (
        match.func,
        match.args,
        match.kwargs,
        match.url_name,
        match.route,
        match.view_name,
        match.captured_kwargs,
        match.extra_kwargs,
        [[str(p.pattern) for p in tried] for tried in match.tried],
    )


@pytest.mark.parametrize("path", PATHS)
def test_each_api_path_resolves_as_djangos_own_resolution_does_first_time_and_after(path):
    expected = _described(_djangos_own().resolve(path))
    first, second = resolve(path), resolve(path)

    assert _described(first) == expected
    assert _described(second) == expected


def test_each_resolution_hands_out_its_own_match_and_arguments():
    path = "/api/v1/checkins/2026-11-30"
    first = resolve(path)
    first.kwargs["date"] = "tampered"
    first.args += ("tampered",)

    second = resolve(path)

    assert second is not first
    assert second.kwargs is not first.kwargs
    assert str(second.kwargs["date"]) == "2026-11-30"
    assert second.args == ()


def test_a_path_no_route_matches_still_answers_404_and_is_not_kept(client):
    api = _api_resolver()
    before = api._remembered.cache_info().currsize

    with pytest.raises(Resolver404):
        api.resolve("api/v1/no-such-thing")
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
    assert api._remembered.cache_info().currsize == before


def test_a_path_longer_than_any_route_is_resolved_but_not_kept():
    api = _api_resolver()
    token = "t" * routing.LONGEST_REMEMBERED_PATH  # an unsubscribe link's token, made long
    before = api._remembered.cache_info().currsize

    for _ in range(2):
        match = resolve(f"/api/v1/unsubscribe/{token}")
        assert match.url_name == "nudges-unsubscribe"
        assert match.kwargs == {"token": token}
    assert api._remembered.cache_info().currsize == before


def test_what_is_kept_is_bounded():
    api = _api_resolver()
    assert api._remembered.cache_info().maxsize == routing.REMEMBERED_PATHS
    for n in range(routing.REMEMBERED_PATHS + 10):
        resolve(f"/api/v1/boundaries/{uuid.UUID(int=n)}")

    assert api._remembered.cache_info().currsize == routing.REMEMBERED_PATHS


def test_a_remembered_route_still_serves_its_view(auth_client):
    for _ in range(2):
        response = auth_client.get("/api/v1/me")
        assert response.status_code == 200
        assert response.wsgi_request.resolver_match.route == "api/v1/me"
