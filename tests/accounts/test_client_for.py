"""The suite's one way to sign a client in (`tests.utils.client_for`) is real sign-in: its
token is checked against the live session and user on every request, it stops working when
the session ends, the person's language applies, a request costs the same queries as with a
token from the login endpoint, and making it hashes no password."""

import re
from unittest import mock

import pytest
from django.contrib.auth import base_user, hashers
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tests.utils import APP, access_token_for, bearer, client_for, login

pytestmark = pytest.mark.django_db
ME = "/api/v1/me"


def test_the_client_is_signed_in_as_the_person(user):
    response = client_for(user).get(ME)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(user.pk)


def test_signing_out_ends_it(user):
    client = client_for(user)
    assert client.get(ME).status_code == 200
    assert client.delete(f"{APP}/auth/session").status_code == 401  # allauth: signed out
    assert client.get(ME).status_code == 401


def test_a_deleted_session_ends_it(user):
    client = client_for(user)
    assert client.get(ME).status_code == 200
    Session.objects.all().delete()
    assert client.get(ME).status_code == 401


def test_a_deactivated_person_is_refused(user):
    client = client_for(user)
    user.is_active = False
    user.save()
    assert client.get(ME).status_code == 401


def test_a_password_change_elsewhere_ends_it(user):
    client = client_for(user)
    user.set_password("a new password at dawn")
    user.save()
    assert client.get(ME).status_code == 401


def test_the_persons_language_applies(db):
    response = client_for(UserFactory(locale="es")).get(ME, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "es"


def _queries_of_one_request(access: str) -> list[str]:
    """The statements a request runs, with their values (ids, moments) left out."""
    client = APIClient()
    client.credentials(**bearer(access))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME).status_code == 200
    return [re.sub(r"'[^']*'", "?", query["sql"]) for query in queries]


def test_a_request_costs_the_same_queries_as_with_a_token_from_the_login_endpoint(user):
    minted = _queries_of_one_request(access_token_for(user))
    logged_in = _queries_of_one_request(login(APIClient(), user.email, PASSWORD)["access"])
    assert minted == logged_in
    # The real authentication: the person, read only with the token's live session.
    assert '"accounts_user"' in minted[0] and '"django_session"' in minted[0]


def _password_hashing():
    """Counts every use of a password hasher (checking and making a password both ask
    for one), and every password check; the real functions still run."""
    hasher = mock.patch.object(hashers, "get_hasher", wraps=hashers.get_hasher)
    check = mock.patch.object(base_user, "check_password", wraps=base_user.check_password)
    return hasher, check


def test_making_the_token_hashes_no_password(user):
    hasher, check = _password_hashing()
    with hasher as hashers_asked, check as checks:
        client = client_for(user)
    assert (hashers_asked.call_count, checks.call_count) == (0, 0)
    assert client.get(ME).status_code == 200


def test_the_spy_sees_the_login_endpoint_hash_a_password(user):
    """The spy above is not blind: signing in with a password is seen checking it."""
    hasher, check = _password_hashing()
    with hasher as hashers_asked, check as checks:
        login(APIClient(), user.email, PASSWORD)
    assert hashers_asked.call_count >= 1 and checks.call_count >= 1
