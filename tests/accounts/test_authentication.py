"""A bearer access token is checked against its live sign-in in ONE query (issue 17), and
PostgreSQL still decides revocation: every way a sign-in ends is refused on the very next call,
and a forged or garbled token is a 401 in the one error shape, never a 500."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest
from allauth.headless.tokens.strategies.jwt import internal
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.authentication import (
    JWTAuthentication,
    _database_session_store,
    _headless_setting,
    _person_id,
    _session_auth_hash,
)
from accounts.services import user_session_end
from tests.factories import UserFactory
from tests.utils import access_token_for, assert_error_shape, bearer

pytestmark = pytest.mark.django_db
ME = "/api/v1/me"


def _session_key(token: str) -> str:
    payload = jwt.decode(token, options={"verify_signature": False})
    session_key = internal.session_key_from_sid(payload["sid"])
    assert session_key
    return session_key


def _token(*, sub: str, session_key: str, expires_in: int = 300) -> str:
    """An access token signed with the real key, naming whatever person and session it is
    told to (what only a holder of the signing key could make)."""
    token, _payload = internal.create_token(
        "access", sub=sub, sid=internal.session_key_to_sid(session_key), expires_in=expires_in
    )
    return token


def _me(api_client, token: str):
    return api_client.get(ME, **bearer(token))


def test_authenticating_a_token_costs_exactly_one_query(user):
    token = access_token_for(user)
    with CaptureQueriesContext(connection) as queries:
        found, payload = JWTAuthentication().authenticate_credentials(token)
    assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert found.pk == user.pk
    assert payload["sub"] == str(user.pk)


def test_the_persons_language_is_switched_on_in_that_one_query(db):
    token = access_token_for(UserFactory(locale="es"))
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        JWTAuthentication().authenticate_credentials(token)
        assert translation.get_language() == "es"
    assert len(queries.captured_queries) == 1


def test_a_valid_token_reads_me(api_client, user):
    response = _me(api_client, access_token_for(user))
    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(user.pk)


def test_a_deleted_session_row_is_refused_next_call(api_client, user):
    token = access_token_for(user)
    assert _me(api_client, token).status_code == 200
    Session.objects.filter(session_key=_session_key(token)).delete()
    assert_error_shape(_me(api_client, token), 401, "authentication_failed")


def test_an_ended_user_session_is_refused_next_call(api_client, user):
    token = access_token_for(user)
    other = access_token_for(user)
    assert _me(api_client, token).status_code == 200
    user_session_end(user=user, session_key=_session_key(token))
    assert not UserSession.objects.filter(session_key=_session_key(token)).exists()
    assert_error_shape(_me(api_client, token), 401, "authentication_failed")
    assert _me(api_client, other).status_code == 200  # only that sign-in ended


def test_an_expired_session_row_is_refused_next_call(api_client, user):
    token = access_token_for(user)
    assert _me(api_client, token).status_code == 200
    Session.objects.filter(session_key=_session_key(token)).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert_error_shape(_me(api_client, token), 401, "authentication_failed")


def test_a_deactivated_person_is_refused_next_call(api_client, user):
    token = access_token_for(user)
    assert _me(api_client, token).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert_error_shape(_me(api_client, token), 401, "authentication_failed")


def test_a_password_changed_elsewhere_is_refused_next_call(api_client, user):
    token = access_token_for(user)
    assert _me(api_client, token).status_code == 200
    user.set_password("another long passphrase")
    user.save()
    assert_error_shape(_me(api_client, token), 401, "authentication_failed")
    # As Django does on a stale password hash, that sign-in is over for good.
    assert not Session.objects.filter(session_key=_session_key(token)).exists()


def test_an_expired_token_is_refused(api_client, user):
    live = access_token_for(user)
    expired = _token(sub=str(user.pk), session_key=_session_key(live), expires_in=-1)
    assert _me(api_client, live).status_code == 200  # the sign-in itself is live
    assert_error_shape(_me(api_client, expired), 401, "authentication_failed")


def test_a_token_whose_session_is_another_persons_is_refused(api_client, user):
    someone_else = UserFactory()
    theirs = access_token_for(someone_else)
    mine = access_token_for(user)
    # My id with their live session, and their id with my live session.
    assert_error_shape(
        _me(api_client, _token(sub=str(user.pk), session_key=_session_key(theirs))),
        401,
        "authentication_failed",
    )
    assert_error_shape(
        _me(api_client, _token(sub=str(someone_else.pk), session_key=_session_key(mine))),
        401,
        "authentication_failed",
    )
    # Both real tokens still work: a refusal ends nobody's sign-in.
    assert _me(api_client, mine).json()["id"] == str(user.pk)
    assert _me(api_client, theirs).json()["id"] == str(someone_else.pk)


def test_a_token_whose_session_key_matches_no_session_is_refused(api_client, user):
    access_token_for(user)
    forged = _token(sub=str(user.pk), session_key="no-such-session-key-0123456789abc")
    assert_error_shape(_me(api_client, forged), 401, "authentication_failed")


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), id="signature"),
        pytest.param(lambda t: t.split(".")[0] + ".e30." + t.split(".")[2], id="payload"),
        pytest.param(lambda t: "garbage", id="garbage"),
        pytest.param(lambda t: "a.b.c", id="three-dots"),
        pytest.param(lambda t: t + "\u00e9", id="non-ascii"),
        pytest.param(lambda t: "x" * 5000, id="long"),
    ],
)
def test_a_tampered_or_garbage_token_is_a_401_not_a_500(api_client, user, mangle):
    response = _me(api_client, mangle(access_token_for(user)))
    assert_error_shape(response, 401, "authentication_failed")


def test_a_signed_token_with_a_malformed_subject_or_session_id_is_a_401(api_client, user):
    live = access_token_for(user)
    not_an_id = _token(sub="not-a-uuid", session_key=_session_key(live))
    assert_error_shape(_me(api_client, not_an_id), 401, "authentication_failed")
    bad_sid, _payload = internal.create_token(
        "access", sub=str(user.pk), sid="%%not base64%%", expires_in=300
    )
    assert_error_shape(_me(api_client, bad_sid), 401, "authentication_failed")
    for not_a_text in ([str(user.pk)], {"id": str(user.pk)}, 7):
        odd, _payload = internal.create_token(
            "access",
            sub=not_a_text,  # type: ignore[arg-type]
            sid=internal.session_key_to_sid(_session_key(live)),
            expires_in=300,
        )
        assert_error_shape(_me(api_client, odd), 401, "authentication_failed")


def test_a_person_id_is_parsed_once_per_text(api_client, user):
    token = access_token_for(user)
    _person_id.cache_clear()
    for _call in range(3):
        assert _me(api_client, token).status_code == 200
    info = _person_id.cache_info()
    assert (info.misses, info.hits) == (1, 5)  # the token's and the session's, one text


@pytest.mark.parametrize(
    ("header", "code"),
    [
        pytest.param("Bearer", "authentication_failed", id="no-token"),
        pytest.param("Bearer a b", "authentication_failed", id="spaces"),
        pytest.param("Token abc", "not_authenticated", id="another-scheme"),
        pytest.param("", "not_authenticated", id="empty"),
    ],
)
def test_the_authorization_header_is_read_as_drf_reads_it(api_client, header, code):
    assert_error_shape(api_client.get(ME, HTTP_AUTHORIZATION=header), 401, code)


def test_the_scheme_is_matched_in_any_case(api_client, user):
    token = access_token_for(user)
    assert api_client.get(ME, HTTP_AUTHORIZATION=f"bearer {token}").status_code == 200
    assert api_client.get(ME, HTTP_AUTHORIZATION=f"BEARER {token}").status_code == 200


def test_allauths_settings_are_read_once_and_again_when_they_change(
    api_client, user, settings, monkeypatch
):
    """allauth reads a setting through its pluggable getter on every use (~4 µs, issue 17):
    the token path reads its two once per process, and a changed setting afresh."""
    import allauth.utils

    read: list[str] = []
    real = allauth.utils.get_setting

    def counting(name, default):
        read.append(name)
        return real(name, default)

    monkeypatch.setattr(allauth.utils, "get_setting", counting)
    _headless_setting.cache_clear()
    token = access_token_for(user)
    assert _me(api_client, token).status_code == 200  # the token verified, each setting read
    assert {
        "HEADLESS_JWT_AUTHORIZATION_HEADER_SCHEME",
        "HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED",
    } <= (set(read))
    read.clear()
    for _call in range(3):
        assert _me(api_client, token).status_code == 200
    assert [name for name in read if name.startswith("HEADLESS_")] == []
    settings.HEADLESS_JWT_AUTHORIZATION_HEADER_SCHEME = "JWT"
    assert api_client.get(ME, HTTP_AUTHORIZATION=f"JWT {token}").status_code == 200
    assert_error_shape(_me(api_client, token), 401, "not_authenticated")


def test_the_session_store_is_found_again_when_the_engine_changes(settings):
    from django.contrib.sessions.backends.db import SessionStore

    assert _database_session_store() is SessionStore
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    assert _database_session_store() is None
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert _database_session_store() is SessionStore


# --- A process remembers the tokens it verified (issue 17), never the sign-ins behind them ---


def _counting_decodes(monkeypatch) -> list[str]:
    """Each signature check allauth runs, by token (the real check, counted)."""
    checked: list[str] = []
    real = internal.decode_token

    def decode_token(token: str, use: str):
        checked.append(token)
        return real(token, use)

    monkeypatch.setattr(internal, "decode_token", decode_token)
    return checked


def test_a_token_is_verified_once_and_postgresql_is_still_asked_every_call(
    api_client, user, monkeypatch
):
    checked = _counting_decodes(monkeypatch)
    token = access_token_for(user)
    for _call in range(3):
        with CaptureQueriesContext(connection) as queries:
            found, _payload = JWTAuthentication().authenticate_credentials(token)
        assert found.pk == user.pk
        assert len(queries.captured_queries) == 1  # the live session, every time
    assert checked == [token]
    # And once that sign-in ends, the remembered token is refused on the very next call.
    user_session_end(user=user, session_key=_session_key(token))
    assert_error_shape(_me(api_client, token), 401, "authentication_failed")


def test_the_sessions_password_hash_is_keyed_once_per_password(api_client, user, monkeypatch):
    """Django's HMAC of the password hash, which every call compares with the session's, is
    worked out once per hash (and secret, issue 17); a changed password is keyed afresh, and
    the old sign-in is still refused (PostgreSQL's row decides)."""
    keyed: list[str] = []
    own = type(user).get_session_auth_hash

    def counting(person):
        keyed.append(person.password)
        return own(person)

    token = access_token_for(user)
    _session_auth_hash.cache_clear()
    monkeypatch.setattr(type(user), "get_session_auth_hash", counting)
    for _call in range(3):
        assert _me(api_client, token).status_code == 200
    assert keyed == [user.password]
    assert (_session_auth_hash.cache_info().misses, _session_auth_hash.cache_info().hits) == (1, 2)
    old_hash = user.password
    user.set_password("another long passphrase")
    user.save()
    assert_error_shape(_me(api_client, token), 401, "authentication_failed")
    fresh = access_token_for(user)
    for _call in range(3):
        assert _me(api_client, fresh).status_code == 200
    assert _session_auth_hash.cache_info().misses == 2  # the new hash, once
    assert keyed.count(old_hash) == 1


def test_a_remembered_token_is_refused_the_moment_it_expires(api_client, user, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    token = access_token_for(user)
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert _me(api_client, token).status_code == 200
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(days=1))
    time_machine.move_to(dt.datetime.fromtimestamp(expires - 1, tz=dt.UTC), tick=False)
    assert _me(api_client, token).status_code == 200
    time_machine.move_to(dt.datetime.fromtimestamp(expires, tz=dt.UTC), tick=False)
    assert_error_shape(_me(api_client, token), 401, "authentication_failed")


def test_a_refused_token_is_checked_afresh_next_time(api_client, user, time_machine):
    """A token from a server whose clock runs ahead is "not yet valid" here; it is not
    remembered as refused, so it works once this clock catches up."""
    live = access_token_for(user)
    now = timezone.now()
    time_machine.move_to(now + dt.timedelta(minutes=2), tick=False)
    ahead = _token(sub=str(user.pk), session_key=_session_key(live))
    time_machine.move_to(now, tick=False)
    assert_error_shape(_me(api_client, ahead), 401, "authentication_failed")
    time_machine.move_to(now + dt.timedelta(minutes=3), tick=False)
    assert _me(api_client, ahead).status_code == 200


def test_a_new_signing_secret_forgets_every_verified_token(api_client, user, settings):
    token = access_token_for(user)
    assert _me(api_client, token).status_code == 200
    settings.SECRET_KEY = "another secret entirely, " * 3
    assert_error_shape(_me(api_client, token), 401, "authentication_failed")


# --- the caller's couple, read with the sign-in (`read_beside_sign_in`) ------------------------


def _statements(client, method: str, path: str, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, **kwargs)
    return response, [q["sql"] for q in queries.captured_queries]


def test_a_read_gets_the_callers_couple_in_the_sign_in_statement(couple):
    response, statements = _statements(couple.client_a, "get", "/api/v1/couple")

    assert response.status_code == 200
    assert response.json()["partner"]["id"] == str(couple.b.pk)
    assert len(statements) == 2  # the sign-in with the couple and partner; the spaces
    assert "haven_beside" in statements[0] and "couples_membership" in statements[0]


def test_a_write_to_the_same_view_reads_the_couple_afresh(couple):
    response, statements = _statements(
        couple.client_a,
        "post",
        "/api/v1/boundaries",
        data={"kind": "need", "text": "Quiet after work."},
        format="json",
    )

    assert response.status_code == 201
    assert "haven_beside" not in statements[0]
    assert "couples_membership" not in statements[0]


def test_a_view_that_names_nothing_signs_in_alone(couple):
    _response, statements = _statements(couple.client_a, "get", "/api/v1/me")
    assert statements == statements[:1] and "haven_beside" not in statements[0]


def test_each_read_sees_the_couple_as_it_stands_through_space_and_the_end(couple):
    """Both partners' screens, request after request, while one takes space, comes back,
    and the other ends the couple: what rides with each sign-in is that request's own."""
    a, b = couple.client_a, couple.client_b

    def couple_seen(client):
        response = client.get("/api/v1/couple")
        return response.status_code, response.json()

    status, seen = couple_seen(a)
    assert status == 200 and seen["partner"]["id"] == str(couple.b.pk)
    assert seen["partner_space"] is None

    until = (timezone.now() + dt.timedelta(hours=3)).isoformat()
    assert b.post("/api/v1/couple/space", {"ends_at": until}, format="json").status_code == 201
    status, seen = couple_seen(a)
    assert status == 200 and seen["partner_space"] is not None
    status, seen = couple_seen(b)
    assert status == 200 and seen["my_space"] is not None
    assert a.get("/api/v1/checkins/today").json()["partner"] is not None

    assert b.delete("/api/v1/couple/space").status_code in (200, 204)
    assert couple_seen(a)[1]["partner_space"] is None
    shared = b.post(
        "/api/v1/boundaries",
        {"kind": "need", "text": "A quiet hour after work.", "visibility": "shared"},
        format="json",
    ).json()
    assert shared["id"] in [x["id"] for x in a.get("/api/v1/boundaries").json()["results"]]

    assert b.post("/api/v1/couple/end").status_code == 200
    for client in (a, b):
        assert client.get("/api/v1/couple").status_code == 404
        assert client.get("/api/v1/couple/partner").status_code == 404
        assert client.get("/api/v1/checkins/today").json()["partner"] is None
    assert shared["id"] not in [x["id"] for x in a.get("/api/v1/boundaries").json()["results"]]


def test_a_check_in_write_reads_its_couple_with_the_sign_in_and_sees_the_end(couple):
    """The check-in write names itself among the methods its couple is read for: its first
    question is the couple, before it writes anything. Each write reads the couple as it
    stands at that request: after the partner ends the couple, the next write is no longer
    the couple's and the former partner never sees it."""
    from tests.utils import today_for

    day = today_for(couple.a).isoformat()
    path = f"/api/v1/checkins/{day}"
    assert couple.client_b.put(path, {"mood": 3}, format="json").status_code == 200
    response, statements = _statements(
        couple.client_a, "put", path, data={"mood": 4, "shared_note": "A calm day."}, format="json"
    )
    assert response.status_code == 200
    assert "haven_beside" in statements[0] and "couples_membership" in statements[0]
    assert not any("couples_membership" in sql for sql in statements[1:])
    assert response.json()["id"] in [
        c["id"] for c in couple.client_b.get("/api/v1/checkins").json()["results"]
    ]

    assert couple.client_b.post("/api/v1/couple/end").status_code == 200
    written = couple.client_a.patch(path, {"shared_note": "Quieter now."}, format="json")

    assert written.status_code == 200
    assert couple.client_a.get("/api/v1/checkins/today").json()["partner"] is None
    assert written.json()["id"] not in [
        c["id"] for c in couple.client_b.get("/api/v1/checkins").json()["results"]
    ]
