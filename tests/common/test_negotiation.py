"""Which renderer answers is DRF's decision, remembered per Accept header (issue 17): the same
renderer and media type as DRF's own negotiation for every header and format, refusals never
remembered, the memory bounded, and the API's answers unchanged (a 406 and a 404 in the one
error shape)."""

from __future__ import annotations

import pytest
from django.http import Http404
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import renderers as drf_renderers
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from common import negotiation
from common.negotiation import ContentNegotiation
from common.renderers import JSONRenderer
from tests.utils import assert_error_shape, bearer

RENDERER_SETS = [
    (JSONRenderer,),
    (JSONRenderer, drf_renderers.BrowsableAPIRenderer),
    (OpenApiYamlRenderer, OpenApiJsonRenderer),
    (drf_renderers.TemplateHTMLRenderer, JSONRenderer),
]
HEADERS = [
    None,
    "",
    "*/*",
    "application/json",
    "application/json; indent=4",
    "application/json;q=0.9, text/html",
    "text/html",
    "text/*",
    "application/*;q=0.5, application/openapi+json",
    "application/vnd.oai.openapi",
    "image/png",
    ",,,",
    "garbage",
    "a/b/c; ;=; q",
    "application/json; charset=utf-8; indent=2",
    ", ".join(["text/plain"] * 80 + ["application/json"]),
    "x" * 300 + ", application/json",
    "text/plain, " * 1000 + "application/json",
]
FORMATS = [None, "json", "api", "yaml", "openapi", "html", "xml"]


def _request(accept: str | None, query_format: str | None) -> Request:
    extra = {} if accept is None else {"HTTP_ACCEPT": accept}
    data = {} if query_format is None else {"format": query_format}
    return Request(APIRequestFactory().get("/anything", data, **extra))


def _outcome(negotiator, request: Request, classes, suffix: str | None):
    """(the chosen renderer's class, the media type), or the refusal's type."""
    try:
        renderer, media_type = negotiator.select_renderer(
            request, [cls() for cls in classes], suffix
        )
    except (NotAcceptable, Http404) as refused:
        return type(refused)
    return type(renderer), media_type


def _same_as_drf(accept, query_format, classes, suffix=None) -> None:
    ours = _outcome(ContentNegotiation(), _request(accept, query_format), classes, suffix)
    drfs = _outcome(DefaultContentNegotiation(), _request(accept, query_format), classes, suffix)
    assert ours == drfs, (accept, query_format, classes, suffix)


@pytest.mark.parametrize("classes", RENDERER_SETS, ids=lambda c: "+".join(x.__name__ for x in c))
@pytest.mark.parametrize("query_format", FORMATS)
@pytest.mark.parametrize("accept", HEADERS, ids=lambda h: repr(h)[:40])
def test_the_choice_is_drfs_for_each_header_format_and_renderers(accept, query_format, classes):
    _same_as_drf(accept, query_format, classes)
    _same_as_drf(accept, query_format, classes)  # and again, now from the process's memory


@pytest.mark.parametrize("suffix", ["json", "yaml", "api", "xml"])
def test_a_format_suffix_counts_as_drf_counts_it(suffix):
    for classes in RENDERER_SETS:
        _same_as_drf("*/*", None, classes, suffix)
        _same_as_drf("*/*", "json", classes, suffix)  # the suffix wins over the query


_MEDIA = st.sampled_from(
    [
        "*/*",
        "application/json",
        "application/*",
        "text/html",
        "text/*",
        "application/yaml",
        "application/vnd.oai.openapi+json",
        "image/png",
        "",
        " ",
        "q=1",
        "/",
    ]
)
_PARAM = st.sampled_from(["", "; q=0.5", ";q=0", "; indent=4", "; charset=utf-8", ";;", "; a"])


@settings(max_examples=150, deadline=None)
@given(
    accept=st.lists(st.tuples(_MEDIA, _PARAM), max_size=6).map(
        lambda parts: ", ".join(media + param for media, param in parts)
    ),
    query_format=st.sampled_from(FORMATS),
    classes=st.sampled_from(RENDERER_SETS),
)
def test_any_header_gets_drfs_choice(accept, query_format, classes):
    _same_as_drf(accept, query_format, classes)


def test_a_refusal_is_never_remembered_and_the_memory_is_bounded():
    negotiation._decision.cache_clear()
    for _twice in range(2):
        assert _outcome(
            ContentNegotiation(), _request("text/html", None), (JSONRenderer,), None
        ) is (NotAcceptable)
        assert _outcome(ContentNegotiation(), _request(None, "xml"), (JSONRenderer,), None) is (
            Http404
        )
    assert negotiation._decision.cache_info().currsize == 0
    for number in range(negotiation.DECISIONS + 50):  # a client inventing headers
        ContentNegotiation().select_renderer(
            _request(f"application/json; n={number}", None), [JSONRenderer()]
        )
    assert negotiation._decision.cache_info().currsize == negotiation.DECISIONS


@pytest.mark.django_db
def test_the_api_answers_as_before(api_client, user):
    from tests.utils import access_token_for

    auth = bearer(access_token_for(user))
    assert api_client.get("/api/v1/me", **auth).status_code == 200
    assert api_client.get("/api/v1/me", HTTP_ACCEPT="application/json", **auth).status_code == 200
    assert api_client.get("/api/v1/me?format=json", **auth).status_code == 200
    assert_error_shape(
        api_client.get("/api/v1/me", HTTP_ACCEPT="text/html", **auth), 406, "not_acceptable"
    )
    assert_error_shape(api_client.get("/api/v1/me?format=xml", **auth), 404, "not_found")


@pytest.mark.django_db
def test_a_signed_in_read_never_builds_the_requests_header_mapping(api_client, user):
    """Django's `request.headers` is every META entry made into a header (~8 µs): neither the
    negotiation nor the bearer token asks for it on an ordinary call (issue 17)."""
    from tests.utils import access_token_for

    response = api_client.get("/api/v1/me", **bearer(access_token_for(user)))
    assert response.status_code == 200
    assert "headers" not in response.wsgi_request.__dict__
