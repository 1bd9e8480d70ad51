"""Helpers tests call directly: signing a client in, reading the emailed code, a person's
"today", racing two requests, waiting for another process. Fixtures live in
`tests/fixtures/` (loaded by `pytest_plugins` in tests/conftest.py); objects come from
`tests/factories.py`."""

from __future__ import annotations

import datetime as dt
import functools
import json
import pkgutil
import re
import threading
import time
import zoneinfo
from collections.abc import Callable
from importlib import import_module
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.headless import app_settings as headless_settings
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User

APP = "/_allauth/app/v1"  # allauth's headless API for app clients

# What a sign-up carries besides email and password: the privacy notice accepted, explicit
# consent to processing sensitive data, and being old enough (accounts.forms).
SIGNUP_CONSENT = {
    "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
    "consent_sensitive_data": True,
    "age_confirmed": True,
}


# --- Signing in -------------------------------------------------------------------------------


def login(client: APIClient, email: str, password: str, **extra) -> dict:
    """Sign in through allauth's login endpoint with a password; returns {"access": ...,
    "refresh": ...}. For tests about signing in (passwords, rate limits, refresh, logout);
    every other test uses `client_for`, which needs no password."""
    response = client.post(
        f"{APP}/auth/login", {"email": email, "password": password}, format="json", **extra
    )
    assert response.status_code == 200, response.content
    meta = response.json()["meta"]
    return {"access": meta["access_token"], "refresh": meta["refresh_token"]}


def bearer(access: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {access}"}


def access_token_for(user: User) -> str:
    """An allauth access token for a new signed-in session of `user`, made the way allauth's
    login makes one once the password has been checked: the adapter signs the session in,
    then the JWT strategy writes the token for it. No password is hashed and no login
    endpoint (nor its rate limits) is involved, yet every request with the token goes
    through Haven's real authentication: allauth validates it against the live session and
    user rows, and the person's language is switched on, as in production."""
    request = RequestFactory().post(f"{APP}/auth/login")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    get_adapter(request).login(request, user)
    tokens = headless_settings.TOKEN_STRATEGY.create_access_token_payload(request)
    request.session.save()  # the refresh token's record lives in the session
    assert tokens and tokens.get("access_token"), tokens
    return tokens["access_token"]


def client_for(user: User) -> APIClient:
    """An API client signed in as `user` (see `access_token_for`)."""
    client = APIClient()
    client.credentials(**bearer(access_token_for(user)))
    return client


def last_emailed_code() -> str:
    """The code in the newest email (verification or password reset)."""
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


# --- Answers ---------------------------------------------------------------------------------


def assert_error_shape(response, status: int, code: str, error_type: str = "client_error") -> dict:
    """The one documented error shape, with `code` among the errors; returns the body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["type"] == error_type
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) >= {"code", "detail", "attr"}
        assert isinstance(error["detail"], str) and error["detail"]
    assert code in [error["code"] for error in body["errors"]], body
    return body


# --- What a person can read ------------------------------------------------------------------


@functools.cache
def schema_get_paths() -> tuple[str, ...]:
    """Every GET route of the API in the schema, as templates (`/api/v1/boundaries/{id}`)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return tuple(
        sorted(
            path
            for path, item in schema["paths"].items()
            if path.startswith("/api/v1/") and "get" in item
        )
    )


EXPORT_PATH = "/api/v1/me/export"


def every_get(client: APIClient) -> dict[str, tuple[int, bytes]]:
    """What `client`'s person reads on every GET route of the schema: {path: (status, body)}.
    Object routes are filled with every id (`{id}`) or slug (`{slug}`) the person's own list
    route answers, their today and yesterday (`{date}`); invite codes (`{code}`) are not a
    person's reads, and `me/export` is a request the person makes (recorded in their own
    export, at most 3 a day), not a read: ask it apart (`EXPORT_PATH`).
    Byte for byte, so two sweeps compare as equal only when nothing at all changed."""
    answers: dict[str, tuple[int, bytes]] = {}

    def get(path: str) -> tuple[int, bytes]:
        if path not in answers:
            response = client.get(path)
            answers[path] = (response.status_code, response.content)
        return answers[path]

    me = client.get("/api/v1/me").json()
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(me["time_zone"])).date()
    for template in schema_get_paths():
        if "{code}" in template or template == EXPORT_PATH:
            continue
        if "{date}" in template:
            for day in (today, today - dt.timedelta(days=1)):
                get(template.replace("{date}", day.isoformat()))
            continue
        for key in ("id", "slug"):
            placeholder = "{" + key + "}"
            if placeholder in template:
                status, body = get(template[: template.index("/" + placeholder)])
                results = json.loads(body).get("results", []) if status == 200 else []
                for row in results:
                    if row.get(key) is not None:
                        get(template.replace(placeholder, str(row[key])))
                break
        else:
            get(template)
    return answers


# --- Time -------------------------------------------------------------------------------------


def today_for(person: User, *, at: dt.datetime | None = None) -> dt.date:
    """The calendar day it is for `person` (in their own time zone) now, or at `at`."""
    return (at or timezone.now()).astimezone(zoneinfo.ZoneInfo(person.time_zone)).date()


def next_noon_for(person: User) -> dt.datetime:
    """The next noon on `person`'s own clock, as a UTC instant: a moment outside their
    quiet hours to deliver nudges at, whatever time the test runs."""
    now = timezone.now().astimezone(zoneinfo.ZoneInfo(person.time_zone))
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    return (noon if noon >= now else noon + dt.timedelta(days=1)).astimezone(dt.UTC)


# --- Concurrency and other processes ----------------------------------------------------------


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment in threads, each with its own database connection
    (for tests marked transactional); returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
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


def test_database_url() -> str:
    """The test database as a URL, for a second process (a worker, another app process)."""
    s = connection.settings_dict
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}@{host}:{port}/{s['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def wait_for(predicate: Callable[[], bool], timeout: float = 45.0) -> bool:
    """Poll until `predicate()` holds (another process is doing the work) or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def row_referable_now(table: str, pk: Any) -> bool:
    """Whether another session could, right now, write a row that refers to `table`'s row
    `pk`: it takes the lock a foreign-key check takes (FOR KEY SHARE) from a connection of its
    own, giving up after a second. Call it inside a transaction that holds a write's locks:
    False means the partner's write would wait on this one (and two such waits deadlock)."""
    import psycopg

    params = connection.get_connection_params()
    params.pop("context", None)
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SET lock_timeout = '1s'")
        try:
            other.execute(
                f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE",
                [pk],
            )
        except psycopg.errors.LockNotAvailable:
            return False
    return True


def our_serializer_classes(base: type) -> set[type]:
    """Every subclass of `base` (a DRF serializer class) that the project's own apps declare,
    with every serializer module of theirs loaded first, so that none is missed for not
    having been imported yet."""
    from django.apps import apps

    ours = [config for config in apps.get_app_configs() if "site-packages" not in config.path]
    for config in ours:
        for module in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if "serializers" in module.name:
                import_module(module.name)
    app_modules = tuple(f"{config.name}." for config in ours)

    def subclasses(cls: type):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {cls for cls in subclasses(base) if cls.__module__.startswith(app_modules)}


def names_not_on(base: type, classes: Any) -> list[str]:
    """The dotted names of those `classes` that do not use `base`, sorted (none is the aim)."""
    return sorted(
        f"{cls.__module__}.{cls.__qualname__}" for cls in classes if not issubclass(cls, base)
    )


def record_field_builds(monkeypatch: Any, builder: type, once_per_class: type) -> list[type]:
    """The classes whose fields `builder.get_fields` builds from now on (a list that grows),
    with `once_per_class`'s templates and plans emptied, as in a fresh process."""
    built: list[type] = []
    build = builder.get_fields

    def counting(self):
        built.append(type(self))
        return build(self)

    monkeypatch.setattr(builder, "get_fields", counting)
    monkeypatch.setattr(once_per_class, "_fields_templates", {})
    monkeypatch.setattr(once_per_class, "_plans", {})
    return built


def assert_each_binds_its_own_fields(first: Any, second: Any) -> None:
    """Two serializers of one class: the same field names, each field its own copy, bound
    to its own serializer."""
    assert list(first.fields) == list(second.fields)
    for name in first.fields:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first
        assert second.fields[name].parent is second
