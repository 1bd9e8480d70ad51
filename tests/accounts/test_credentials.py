"""Issue 14, item 4: credentials. Only the bearer token authenticates app calls; a refresh
token reused after rotation ends its whole sign-in (with a short grace for a phone's two
simultaneous refreshes); PostgreSQL, not Redis, decides that a sign-out holds; authenticated
API responses are never stored by a cache."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tests.utils import APP, bearer, client_for, login, race


def _refresh(refresh_token: str):
    return APIClient().post(
        f"{APP}/tokens/refresh", {"refresh_token": refresh_token}, format="json"
    )


def _me(access: str) -> int:
    return APIClient().get("/api/v1/me", **bearer(access)).status_code


# --- (a) only the bearer token authenticates /api/v1 ------------------------------------------


def test_the_logins_session_token_sent_as_a_cookie_does_not_authenticate_the_api(user):
    client = APIClient()
    response = client.post(
        f"{APP}/auth/login", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    meta = response.json()["meta"]
    assert _me(meta["access_token"]) == 200

    cookie_only = APIClient()
    cookie_only.cookies[settings.SESSION_COOKIE_NAME] = meta["session_token"]
    me = cookie_only.get("/api/v1/me")
    assert me.status_code == 401
    assert me.json()["errors"][0]["code"] == "not_authenticated"
    # Nor can it write.
    patched = cookie_only.patch("/api/v1/me", {"display_name": "Mallory"}, format="json")
    assert patched.status_code == 401
    assert (
        APIClient().get("/api/v1/me", **bearer(meta["access_token"])).json()["display_name"]
        != "Mallory"
    )


def test_an_admin_session_signs_in_to_the_admin_but_not_the_api(db):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = APIClient()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_the_schema_offers_only_the_bearer_token(db):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth"}
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"


# --- (b) refresh-token reuse ends the sign-in --------------------------------------------------


def test_a_refresh_token_reused_after_the_grace_window_ends_the_whole_sign_in(user):
    start = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        phone = login(APIClient(), user.email, PASSWORD)
        other_phone = login(APIClient(), user.email, PASSWORD)  # a second, separate sign-in

        first = _refresh(phone["refresh"])
        assert first.status_code == 200, first.content
        access_1 = first.json()["data"]["access_token"]
        refresh_1 = first.json()["data"]["refresh_token"]
        second = _refresh(refresh_1)
        assert second.status_code == 200
        access_2 = second.json()["data"]["access_token"]
        refresh_2 = second.json()["data"]["refresh_token"]
        assert _me(access_2) == 200

        traveller.shift(dt.timedelta(seconds=settings.HAVEN_REFRESH_REUSE_GRACE_SECONDS + 1))
        # Someone replays the spent first refresh token.
        replay = _refresh(phone["refresh"])
        assert replay.status_code == 400

        # The whole family is gone: every access and refresh token of that sign-in.
        for access in (phone["access"], access_1, access_2):
            assert _me(access) == 401
        for refresh in (refresh_1, refresh_2):
            assert _refresh(refresh).status_code == 400
        # The person's other sign-in is untouched.
        assert _me(other_phone["access"]) == 200
        assert _refresh(other_phone["refresh"]).status_code == 200
        # And signing in again works.
        assert _me(login(APIClient(), user.email, PASSWORD)["access"]) == 200


def test_two_refreshes_with_one_token_within_the_grace_window_both_succeed(user):
    start = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        phone = login(APIClient(), user.email, PASSWORD)
        first = _refresh(phone["refresh"])
        traveller.shift(dt.timedelta(seconds=settings.HAVEN_REFRESH_REUSE_GRACE_SECONDS - 5))
        second = _refresh(phone["refresh"])
        assert first.status_code == second.status_code == 200, second.content
        for answer in (first, second):
            assert _me(answer.json()["data"]["access_token"]) == 200
            assert _refresh(answer.json()["data"]["refresh_token"]).status_code == 200


# Transactional (each thread has its own connection); serialized_rollback puts back the
# migration-seeded rows for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_refreshes_of_one_token_both_succeed_and_keep_their_tokens():
    user = UserFactory()
    phone = login(APIClient(), user.email, PASSWORD)
    answers = race(lambda: _refresh(phone["refresh"]), lambda: _refresh(phone["refresh"]))
    assert [answer.status_code for answer in answers] == [200, 200]
    # The session row was locked, so neither refresh lost the other's next token.
    for answer in answers:
        assert _me(answer.json()["data"]["access_token"]) == 200
        assert _refresh(answer.json()["data"]["refresh_token"]).status_code == 200


# --- (c) PostgreSQL decides revocation ----------------------------------------------------------


def _dead_redis_caches() -> dict:
    dead = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    return {alias: {**config, "LOCATION": dead} for alias, config in settings.CACHES.items()}


def test_a_sign_out_during_a_redis_outage_stays_a_sign_out_after_redis_returns(user):
    client = APIClient()
    tokens = login(client, user.email, PASSWORD)
    assert _me(tokens["access"]) == 200
    with override_settings(CACHES=_dead_redis_caches()):
        from django.core.cache import caches

        with pytest.raises(RedisConnectionError):  # the strict cache is really down
            caches["strict"].get("probe")
        logout = client.delete(f"{APP}/auth/session", **bearer(tokens["access"]))
        assert logout.status_code == 401  # allauth: "no longer authenticated"
        assert _me(tokens["access"]) == 401
    # Redis is back: the sign-out still holds.
    assert _me(tokens["access"]) == 401
    assert _refresh(tokens["refresh"]).status_code == 400


def test_a_reuse_revocation_during_a_redis_outage_holds_after_redis_returns(user):
    start = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        tokens = login(APIClient(), user.email, PASSWORD)
        fresh = _refresh(tokens["refresh"]).json()["data"]
        traveller.shift(dt.timedelta(seconds=settings.HAVEN_REFRESH_REUSE_GRACE_SECONDS + 1))
        with override_settings(CACHES=_dead_redis_caches()):
            assert _refresh(tokens["refresh"]).status_code == 400
        assert _me(fresh["access_token"]) == 401
        assert _refresh(fresh["refresh_token"]).status_code == 400


# --- (d) Cache-Control: no-store -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/me", None),
        ("patch", "/api/v1/me", {"display_name": "Robin"}),
        ("get", "/api/v1/me/preferences", None),
        ("get", "/api/v1/me/love-languages", None),
        ("get", "/api/v1/couple/partner", None),
        ("get", "/api/v1/me/nudge-settings", None),
        ("get", "/api/v1/couple", None),
        ("get", "/api/v1/checkins/today", None),
    ],
)
def test_authenticated_api_responses_are_not_stored(couple, method, path, body):
    response = getattr(couple.client_a, method)(path, body, format="json")
    assert response.status_code < 500, response.content
    assert response["Cache-Control"] == "no-store"


def test_sign_in_answers_carrying_tokens_are_not_stored(user):
    response = APIClient().post(
        f"{APP}/auth/login", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    tokens = response.json()["meta"]
    refreshed = _refresh(tokens["refresh_token"])
    assert refreshed["Cache-Control"] == "no-store"
    assert client_for(user).get("/api/v1/me")["Cache-Control"] == "no-store"
