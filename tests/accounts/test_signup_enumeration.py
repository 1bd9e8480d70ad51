"""Issue 14, item 2: sign-up must not tell who has an account. Both paths (a new email, an email
that already has an account) answer the same body and cost exactly one password hash with the
configured hasher, so their timing matches too (bench/signup_timing.py measures it)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import get_hasher
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.utils import APP, SIGNUP_CONSENT, bearer, login

SUBMITTED = "a brand new quiet evening"


@pytest.fixture
def hash_calls(monkeypatch) -> list[str]:
    """A spy on the configured hasher's `encode`: it records each call and runs the real one."""
    hasher_class = type(get_hasher())
    real_encode = hasher_class.encode
    calls: list[str] = []

    def spy(self, password, salt, *args, **kwargs):
        calls.append(password)
        return real_encode(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(hasher_class, "encode", spy)
    return calls


def _signup(email: str, password: str = SUBMITTED):
    return APIClient().post(
        f"{APP}/auth/signup",
        {"email": email, "password": password, **SIGNUP_CONSENT},
        format="json",
    )


def _shape(response) -> tuple:
    body = response.json()
    return (
        response.status_code,
        [(flow["id"], flow.get("is_pending")) for flow in body["data"]["flows"]],
        sorted(body.get("meta", {})),
    )


def test_signup_costs_one_password_hash_for_a_known_and_a_new_email(db, hash_calls):
    owner = UserFactory(email="robin@example.com")
    owner_hash = User.objects.get(pk=owner.pk).password
    hash_calls.clear()
    mail.outbox.clear()

    known = _signup("Robin@Example.com")
    assert known.status_code == 401, known.content
    assert hash_calls == [SUBMITTED]  # one hash, of the submitted password, then discarded
    # Nothing changed for the owner: still one account, same password, their login works.
    assert User.objects.filter(email__iexact="robin@example.com").count() == 1
    assert User.objects.get(pk=owner.pk).password == owner_hash
    # The owner (alone) is told someone tried to sign up with their address.
    assert [m.to for m in mail.outbox] == [["robin@example.com"]]

    hash_calls.clear()
    mail.outbox.clear()
    new = _signup("jules@example.com")
    assert new.status_code == 401, new.content
    assert hash_calls == [SUBMITTED]
    assert User.objects.filter(email="jules@example.com").count() == 1
    assert [m.to for m in mail.outbox] == [["jules@example.com"]]

    # The same answer on both paths: status, pending flows and the keys of `meta`.
    assert _shape(known) == _shape(new)

    hash_calls.clear()
    tokens = login(APIClient(), owner.email, PASSWORD)
    me = APIClient().get("/api/v1/me", **bearer(tokens["access"]))
    assert me.status_code == 200 and me.json()["email"] == "robin@example.com"


def test_an_invalid_signup_hashes_nothing_on_either_path(db, hash_calls):
    UserFactory(email="robin@example.com")
    hash_calls.clear()
    known = _signup("robin@example.com", password="short")
    new = _signup("jules@example.com", password="short")
    assert known.status_code == new.status_code == 400
    assert known.json()["errors"] == new.json()["errors"]
    assert hash_calls == []
    assert not User.objects.filter(email="jules@example.com").exists()
