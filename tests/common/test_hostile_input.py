"""No 500 on hostile input (issue 14, item 1). Each class of input is refused in one place, and
each test here walks every route of its kind found from the URL resolver, so a new route is
covered without anyone adding it to a list:

- JSON nested a thousand deep, a 5,000-digit number, 1e999, NaN: every body-taking route of the
  API (400 `parse_error`, from `common.parsers.BoundedJSONParser`) and of allauth's sign-in API
  (400 in allauth's shape, from `common.middleware.HostileInputMiddleware`);
- a tampered `updated_since` or `cursor` on every paginated list (400 `invalid`, from
  `common.pagination.timestamp_parse` / `cursor_position_clean`, used by both paginations);
- a NUL byte in any query parameter (400) and in every path parameter (4xx); in an invite code
  the one answer every unknown code gets (`invite_not_found`);
- allauth's phone routes are not served; the admin's "view on site" with an id that is not one
  is a 404.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.parsers import JSONParser

from common.parsers import MAX_DEPTH, BoundedJSONParser
from common.sync import SyncPagination
from couples.models import Boundary
from couples.services.agreements import agreement_propose
from tests.factories import BoundaryFactory
from tests.utils import APP, today_for

NO_SUCH_ID = "5d1f0c2e-0000-4000-8000-000000000000"  # fixed: xdist workers collect alike
DEEP = "[" * 1000 + "]" * 1000  # 2 KB
HOSTILE_BODIES = {
    "nested_1000_deep": DEEP,
    "nested_in_a_field": '{"note": ' + "[" * 1000 + "]" * 1000 + "}",
    "just_past_the_depth_limit": "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    "5000_digit_number": '{"mood": ' + "9" * 5000 + "}",
    "long_float": '{"mood": 1.' + "5" * 5000 + "}",
    "float_overflow": '{"mood": 1e999}',
    "nan": '{"mood": NaN}',
    "not_json": "{'mood': 3",
}


def _routes():
    """(regex path, URLPattern) for every route the resolver knows."""

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry

    return list(walk(get_resolver().url_patterns))


def _methods(pattern: URLPattern) -> set[str]:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:
        return set(actions)
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return {m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)}


def _concrete(path: str, *, code: str = "ABCDEFGHJK", pk: str | None = None) -> str:
    """A URL for a route: every parameter filled with a well-formed value."""
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    path = re.sub(r"\(\?P<code>[^)]*\)", code, path)
    pk = pk or NO_SUCH_ID
    path = re.sub(r"\(\?P<pk>[^)]*\)", pk, path)
    path = re.sub(r"<uuid:\w+>", pk, path)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<isodate:date>", "2026-01-31", path)
    path = re.sub(r"<str:\w+>", "x", path)
    path = re.sub(r"<slug:\w+>", "calm-first", path)
    assert "<" not in path and "(?P" not in path, path
    return "/" + path


def _body_routes(prefix: str) -> list[tuple[str, str]]:
    routes = []
    for path, pattern in _routes():
        if not path.startswith(prefix):
            continue
        for method in sorted(_methods(pattern) & {"post", "put", "patch"}):
            routes.append((method, _concrete(path)))
    return sorted(set(routes))


API_BODY_ROUTES = _body_routes("api/v1/")
ALLAUTH_BODY_ROUTES = _body_routes("_allauth/app/v1/")


def test_the_routes_are_found():
    assert len(API_BODY_ROUTES) > 30
    assert ("post", f"{APP}/auth/login") in ALLAUTH_BODY_ROUTES
    assert ("post", f"{APP}/auth/signup") in ALLAUTH_BODY_ROUTES


def test_every_api_view_parses_json_with_the_bounded_parser():
    """The structural half: no API view reads JSON with a parser that trusts its input."""
    for path, pattern in _routes():
        view = getattr(pattern.callback, "cls", None)
        if not path.startswith("api/v1/") or view is None:
            continue
        for parser in view().get_parsers():
            if isinstance(parser, JSONParser):
                assert isinstance(parser, BoundedJSONParser), (path, parser)


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
@pytest.mark.parametrize(("method", "url"), API_BODY_ROUTES)
def test_hostile_json_on_every_api_body_route_is_a_400(couple, method, url, body):
    """Never a server error; a route that reads the body refuses it (`parse_error`), one that
    answers before reading it (an id that is not there, an action without a body) answers as
    it would to any body."""
    response = getattr(couple.client_a, method)(url, body, content_type="application/json")
    assert response.status_code < 500, (response.status_code, response.content)
    if response.status_code >= 400:
        payload = response.json()
        assert payload["type"] in ("client_error", "validation_error"), payload
        assert payload["errors"][0]["code"], payload


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/appreciations"),
        ("post", "/api/v1/boundaries"),
        ("put", "/api/v1/checkins/{today}"),
        ("post", "/api/v1/me/devices"),
    ],
)
def test_hostile_json_is_refused_by_the_parser(couple, method, url, body):
    url = url.format(today=today_for(couple.a).isoformat())
    response = getattr(couple.client_a, method)(url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["code"] == "parse_error"
    assert response.json()["errors"][0]["detail"]


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
@pytest.mark.parametrize(("method", "url"), ALLAUTH_BODY_ROUTES)
def test_hostile_json_on_every_sign_in_route_is_a_400_in_allauths_shape(
    api_client, method, url, body
):
    response = getattr(api_client, method)(url, body, content_type="application/json")
    assert response.status_code == 400, (response.status_code, response.content)
    payload = response.json()
    assert payload["status"] == 400
    assert payload["errors"][0]["code"] == "invalid_json"
    assert payload["errors"][0]["message"]


def test_ordinary_sign_in_bodies_still_work(api_client, user):
    response = api_client.post(
        f"{APP}/auth/login", {"email": user.email, "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "password"


# --- Paginated lists ----------------------------------------------------------------------------


def _detail_ids(couple) -> dict[str, str]:
    """An object of a's for each paginated list that hangs off an object."""
    boundary = BoundaryFactory(owner=couple.a, visibility=Boundary.Visibility.SHARED)
    agreement = agreement_propose(
        author=couple.a,
        title="Sunday mornings",
        terms="We keep Sunday mornings free of chores until eleven.",
        my_need="Rest after a long week.",
        your_need_as_i_understand="Knowing the chores still get done.",
    )
    return {"boundary-history": str(boundary.pk), "agreement-revisions": str(agreement.pk)}


def _paginated_lists(couple) -> list[SimpleNamespace]:
    """Every GET route that answers a cursor page (`results`), found by asking each route
    whose view has a pagination class."""
    ids = _detail_ids(couple)
    lists = []
    for path, pattern in _routes():
        callback = pattern.callback
        view = getattr(callback, "cls", None)
        if not path.startswith("api/v1/") or view is None or "get" not in _methods(pattern):
            continue
        paginator = getattr(callback, "initkwargs", {}).get(
            "pagination_class", getattr(view, "pagination_class", None)
        )
        if paginator is None:
            continue
        has_pk = "(?P<pk>" in path
        if has_pk and pattern.name not in ids:
            # A detail route: it pages only if it is a list of an object's children.
            actions = getattr(callback, "actions", {}) or {}
            assert actions.get("get") == "retrieve" or not actions, (
                f"{pattern.name} pages an object's children: add an object to _detail_ids"
            )
            continue
        url = _concrete(path, pk=ids.get(pattern.name))
        response = couple.client_a.get(url)
        if response.status_code == 200 and "results" in response.json():
            lists.append(SimpleNamespace(name=pattern.name, url=url, sync=paginator))
    return lists


BAD_TIMESTAMPS = [
    "2026-13-01T00:00:00Z",
    "2026-01-32T00:00:00Z",
    "2026-01-01T25:00:00Z",
    "2026-01-01T00:61:00Z",
    "2026-01-01T00:00:00+16:00",
    "2026-01-01T00:00:00-23:59",
    "2026-01-01T00:00:00+99:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "2026-01-01T00:00:00Z\x00",
    "yesterday",
    "",
]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


BAD_CURSORS = [
    "not base64 !!",
    "%%%",
    _b64("p=2026-13-01 00:00:00+00:00"),
    _b64("p=2026-01-01 00:00:00+16:00"),
    _b64("p=0001-01-01 00:00:00+01:00"),
    _b64("p=" + "9" * 5000),
    _b64("p=99999999999999999999999999"),
    _b64("p=abc"),
    _b64("p=\x00"),
    _b64("o=" + "9" * 5000),
    _b64("r=x"),
]
BAD_SYNC_CURSORS = [
    "not base64 !!",
    _b64("p=2026-01-01 00:00:00+00:00"),
    base64.urlsafe_b64encode(f"2026-13-01T00:00:00+00:00|{NO_SUCH_ID}".encode()).decode(),
    base64.urlsafe_b64encode(f"2026-01-01T00:00:00+16:00|{NO_SUCH_ID}".encode()).decode(),
    base64.urlsafe_b64encode(b"2026-01-01T00:00:00+00:00|not-a-uuid").decode(),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
]


def test_tampered_timestamps_and_cursors_on_every_paginated_list_are_400(couple):
    lists = _paginated_lists(couple)
    assert len(lists) >= 12, [entry.name for entry in lists]
    recent = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    for entry in lists:
        queries = [{"cursor": cursor} for cursor in BAD_CURSORS]
        if issubclass(entry.sync, SyncPagination):
            queries += [{"updated_since": ts} for ts in BAD_TIMESTAMPS]
            # A sync page's own cursor, tampered.
            queries += [{"updated_since": recent, "cursor": cursor} for cursor in BAD_SYNC_CURSORS]
        for query in queries:
            response = couple.client_a.get(entry.url, query)
            assert response.status_code == 400, (entry.name, query, response.content)
            error = response.json()["errors"][0]
            attr = "updated_since" if "cursor" not in query else "cursor"
            if any("\x00" in value for value in query.values()):
                # A NUL anywhere in the query is the middleware's parse error.
                assert (error["code"], error["attr"]) == ("parse_error", None), error
                continue
            assert (error["code"], error["attr"]) in (("invalid", attr), ("invalid", "cursor")), (
                entry.name,
                query,
                error,
            )


def test_a_real_next_cursor_still_pages(couple):
    for n in range(3):
        couple.client_a.post("/api/v1/appreciations", {"text": f"Thank you {n}"}, format="json")
    first = couple.client_b.get("/api/v1/appreciations", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = couple.client_b.get(first["next"]).json()
    assert len(second["results"]) == 1


# --- NUL bytes ----------------------------------------------------------------------------------


def test_a_nul_in_any_query_parameter_is_a_400(couple, api_client):
    """A parse error without an `attr` (schemathesis found a NUL in a made-up parameter name
    echoed back as an `attr` no schema declares): every operation's schema declares it."""
    for query in ({"kind": "ping\x00"}, {"made\x00up": "1"}, {"made_up": "\x00"}):
        response = couple.client_a.get("/api/v1/notifications", query)
        assert response.status_code == 400
        assert response.json() == {
            "type": "client_error",
            "errors": [
                {
                    "code": "parse_error",
                    "detail": response.json()["errors"][0]["detail"],
                    "attr": None,
                }
            ],
        }
    allauth = api_client.get(f"{APP}/auth/session", {"x\x00": "1"})
    assert allauth.status_code == 400
    assert allauth.json()["errors"][0]["code"] == "invalid"


@pytest.mark.parametrize("query", ["kind=ping\x00", "made%00up=1", "kind=%2500&x=%00", "\x00"])
def test_a_nul_is_found_raw_or_encoded_anywhere_in_the_query_text(couple, query):
    response = couple.client_a.get("/api/v1/notifications", QUERY_STRING=query)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_an_encoded_percent_before_two_zeros_is_not_a_nul(couple):
    """`%2500` is the text "%00", not a NUL: a query the API reads as any other."""
    response = couple.client_a.get("/api/v1/notifications", QUERY_STRING="page_size=%2500")
    assert response.status_code == 200  # an unreadable page size: the default page


@pytest.mark.parametrize(
    "code", ["ABCDE\x00FGHJK", "\x00", "ABCDEFGHJK\x00", "ÄBCDEFGHJK", "A" * 500]
)
def test_an_invite_code_with_a_nul_or_outside_the_alphabet_is_not_found(
    couple, stranger_client, code
):
    quoted = code.replace("\x00", "%00")
    for client, method, url in [
        (stranger_client, "get", f"/api/v1/invites/{quoted}"),
        (couple.client_a, "delete", f"/api/v1/invites/{quoted}"),
        (stranger_client, "post", f"/api/v1/invites/{quoted}/accept"),
        (stranger_client, "post", f"/api/v1/invites/{quoted}/decline"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.content)
        assert response.json()["errors"][0]["code"] == "invite_not_found"


def test_a_nul_in_every_path_parameter_is_a_4xx(couple):
    for path, pattern in _routes():
        if not path.startswith("api/v1/") or "<" not in path:
            continue
        url = _concrete(path, code="AB%00CD", pk="%00")
        url = url.replace("2026-01-31", "2026-01%0031").replace("/x", "/x%00")
        url = url.replace("/calm-first", "/calm%00first")
        for method in _methods(pattern):
            response = getattr(couple.client_a, method)(url)
            assert 400 <= response.status_code < 500, (method, url, response.content)


# --- Routes that must not be served, and the admin's shortcut ----------------------------------


@pytest.mark.parametrize(
    "url", [f"{APP}/account/phone", f"{APP}/auth/phone/verify", f"{APP}/auth/phone/verify/resend"]
)
def test_allauths_phone_routes_are_not_served(couple, url):
    for method in ("get", "post", "put", "delete"):
        assert getattr(couple.client_a, method)(url).status_code == 404


def test_allauths_schema_does_not_list_the_phone_routes(api_client):
    spec = api_client.get("/_allauth/openapi.json")
    assert spec.status_code == 200
    assert not [path for path in spec.json()["paths"] if "phone" in path]
    assert f"{APP}/auth/login" in spec.json()["paths"]


@pytest.mark.parametrize("object_id", ["not-a-uuid", "1", "%00", NO_SUCH_ID])
def test_the_admins_view_on_site_with_an_id_that_is_not_one_is_a_404(admin_client, object_id):
    content_type = ContentType.objects.get_for_model(Boundary)
    response = admin_client.get(f"/admin/r/{content_type.pk}/{object_id}/")
    assert response.status_code == 404
    assert admin_client.get(f"/admin/r/x%00/{object_id}/").status_code == 404
