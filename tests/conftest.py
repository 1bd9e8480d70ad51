import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

APP = "/_allauth/app/v1"


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters live in Redis; each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


def login(client: APIClient, email: str, password: str = PASSWORD, **extra) -> dict:
    """Sign in through allauth's headless app API; returns {"access": ..., "refresh": ...}."""
    response = client.post(
        f"{APP}/auth/login", {"email": email, "password": password}, format="json", **extra
    )
    assert response.status_code == 200, response.content
    meta = response.json()["meta"]
    return {"access": meta["access_token"], "refresh": meta["refresh_token"]}


def bearer(access: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {access}"}


def last_emailed_code() -> str:
    """The code in the newest email (verification or password reset)."""
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


@pytest.fixture
def auth_client(user):
    """An API client signed in as `user` with a real allauth JWT access token."""
    client = APIClient()
    tokens = login(client, user.email)
    client.credentials(**bearer(tokens["access"]))
    client.tokens = tokens
    return client


def test_database_url() -> str:
    """The test database as a URL, for a second process (a worker, another app process)."""
    s = connection.settings_dict
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}@{host}:{port}/{s['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def client_for(user) -> APIClient:
    """An API client signed in as `user` through the real allauth login."""
    client = APIClient()
    client.credentials(**bearer(login(client, user.email)["access"]))
    return client


@pytest.fixture
def couple(db):
    """An active couple: `.couple`, `.a` and `.b` (users), `.client_a` and `.client_b`."""
    from types import SimpleNamespace

    from tests.factories import pair

    couple, a, b = pair()
    return SimpleNamespace(couple=couple, a=a, b=b, client_a=client_for(a), client_b=client_for(b))


@pytest.fixture
def other_couple(db):
    """A second couple, for proving that one couple never reaches another's data."""
    from types import SimpleNamespace

    from tests.factories import pair

    couple, a, b = pair()
    return SimpleNamespace(couple=couple, a=a, b=b, client_a=client_for(a), client_b=client_for(b))


@pytest.fixture
def stranger_client(db):
    """Someone signed in who is in no couple."""
    return client_for(UserFactory())


def race(*calls):
    """Run the calls at the same moment in threads, each with its own database connection
    (for tests marked transactional); returns their results in order."""
    import threading

    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
