"""The bearer access token of every API call, validated against its live sign-in in one query.

allauth's JWT strategy checks an access token's signature and expiry, then loads the token's
session row and the person's row (two round trips on every call). Here the same checks cost one
statement: the person's row, only if active, with their session's data beside it only while the
session lives (unexpired). PostgreSQL stays the authority on revocation: no session or person
is cached anywhere (a process only remembers which token texts and session texts it has
already verified, `_verified` and `_session_data`), so a sign-out, a deactivated account or a
changed password is refused on the very next call. What the session row says is then checked
as Django's own `get_user` checks it (the same person, a known backend, the password hash of
the sign-in); anything short of the ordinary case is handed to allauth's own validation, which
decides it exactly as before (and, on a stale password hash, ends the session as Django does)."""

from __future__ import annotations

import datetime as dt
import functools
import time
from importlib import import_module
from typing import Any, cast

from allauth.headless import app_settings
from allauth.headless.contrib.rest_framework.authentication import JWTTokenAuthentication
from allauth.headless.tokens.strategies.jwt import internal
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db.models import Exists, Field, Model, OuterRef, QuerySet, Subquery
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import Consent, User
from common.compiled import CompiledLookup, remember_beside
from common.i18n import language_of


class JWTAuthentication(JWTTokenAuthentication):
    """allauth's access tokens, validated against their live session. Once the person is
    known, their own language setting decides the language of what the API says to them
    (DESIGN: the person's locale first, then the request's Accept-Language).

    A view whose reads start from one more row of the caller's (their couple and partner)
    names that row's lookup as `read_beside_sign_in`, a `CompiledLookup` of the person's id
    alone: on a read (GET, HEAD) it comes back in the sign-in's own statement and waits on
    the person for the selector that asks it, which takes it once (`common.compiled.
    taken_beside`). A write reads it afresh, when it asks, as before, unless its view names
    the write among `read_beside_sign_in_on` (the methods it is read for): only a write
    whose first question is that row, before it writes anything, may."""

    beside: CompiledLookup | None = None

    @property
    def keyword(self) -> str:
        return _headless_setting("JWT_AUTHORIZATION_HEADER_SCHEME")

    def authenticate(self, request):
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if request.method in getattr(view, "read_beside_sign_in_on", _READS):
            self.beside = getattr(view, "read_beside_sign_in", None)
        return super().authenticate(_AuthorizationOf(request))

    def authenticate_credentials(self, key: str):
        found = validate_access_token(key, beside=self.beside)
        if found is None:
            raise AuthenticationFailed("Invalid token.")
        user, payload = found
        translation.activate(language_of(user))
        return user, payload


_READS = frozenset({"GET", "HEAD"})


class _AuthorizationOf:
    """All DRF's token parsing reads of a request (its Authorization header, which it splits
    and checks with its own messages), read from META: asking `request.headers` for it made
    Django's header mapping of every META entry on every call (~8 µs, issue 17)."""

    __slots__ = ("headers",)

    def __init__(self, request) -> None:
        self.headers = {"authorization": request.META.get("HTTP_AUTHORIZATION", b"")}


def validate_access_token(
    token: str, *, beside: CompiledLookup | None = None
) -> tuple[Any, dict[str, Any]] | None:
    """(person, payload) for a valid access token of a live sign-in, else None. One query
    in the ordinary case; allauth's own validation for anything else. With `beside` (a
    lookup of the person's id alone), its row is read in the same statement and kept on the
    person for `common.compiled.taken_beside`, once the sign-in holds."""
    try:
        payload, session_key = _verified(token)
    except _Refused:  # bad signature, expired, not an access token, malformed
        return None
    if _expired(payload):
        return None
    payload = dict(payload)  # the remembered one stays as it was verified
    store = _database_session_store()
    if store is None or not _headless_setting("JWT_STATEFUL_VALIDATION_ENABLED"):
        return internal.validate_access_token(token)
    if not session_key:
        return None
    try:
        pk = _person_id(payload["sub"])
    except (ValidationError, TypeError):  # not an id (TypeError: not even a text)
        return None
    user, beside_row = _signed_in_person(pk, session_key, store, beside)
    if user is None or user.signed_in_as is None:
        return None
    if _session_is_theirs(_session_data(store, user.signed_in_as), user):
        if beside is not None:
            remember_beside(user, beside, beside_row)
        return user, payload
    # Another person's session, another backend, a changed password or a rotated secret:
    # allauth and Django decide it, as they always did.
    return internal.validate_access_token(token)


class _Refused(Exception):
    """A token `decode_token` refused: raised, so that `_verified` never remembers it."""


# Tokens a web process keeps verified: a few per person signed in recently, a few MB at most.
VERIFIED_TOKENS = 4096


@functools.lru_cache(maxsize=VERIFIED_TOKENS)
def _verified(token: str) -> tuple[dict[str, Any], str | None]:
    """allauth's checks of an access token's text (signature, type, claims, expiry) and the
    session key its `sid` carries, remembered by the exact text: both are functions of the
    token and of keys a process holds for its whole life, so a phone's next calls skip the
    signature check, the base64 and the decryption (a seventh of `GET me`, issue 17). Only
    what passed is remembered (a refusal raises `_Refused`, which the cache never keeps): a
    token refused as "not yet valid" by a clock running behind is checked afresh next time.
    Expiry moves on, so `validate_access_token` checks it on every call (`_expired`); and
    what can end a sign-in (a sign-out, a deactivated account, a changed password) lives in
    PostgreSQL, which is still asked every time."""
    payload = internal.decode_token(token, "access")
    if payload is None:
        raise _Refused
    return payload, internal.session_key_from_sid(payload["sid"])


def _expired(payload: dict[str, Any]) -> bool:
    """PyJWT's own rule, applied to a remembered token: expired once `exp` is not after now."""
    expires = payload.get("exp")
    return expires is not None and expires <= time.time()


@functools.lru_cache(maxsize=VERIFIED_TOKENS)
def _session_data(store: type[DatabaseSessionStore], data: str) -> dict[str, Any]:
    """A session row's data, decoded (its signature checked), remembered by its exact text:
    the row is read from PostgreSQL on every call and only an unchanged text is answered
    from here. Read-only for the caller (`_session_is_theirs` only reads it)."""
    return store().decode(data)


@functools.cache
def _headless_setting(name: str) -> Any:
    """One of allauth's headless settings, read once per process. allauth reads each through
    its pluggable getter on every use, which first asks Django's settings for a getter that
    is not there (a failed lookup each time): ~4 µs a read, and every call read two (the
    header's scheme, whether sign-ins are checked against their session; issue 17)."""
    return getattr(app_settings, name)


@receiver(setting_changed)
def _forget_verified(*, setting: str, **kwargs: Any) -> None:
    """A new signing secret or key (tests change them; a deployment restarts) invalidates
    what was verified with the old one; a changed headless setting or session engine is
    read afresh."""
    if setting.startswith("HEADLESS_") or setting in ("ALLAUTH_SETTING_GETTER", "SESSION_ENGINE"):
        _headless_setting.cache_clear()
        _database_session_store.cache_clear()
    if setting in ("SECRET_KEY", "SECRET_KEY_FALLBACKS", "SESSION_ENGINE") or setting.startswith(
        "HEADLESS_JWT"
    ):
        _verified.cache_clear()
        _session_data.cache_clear()
        _session_auth_hash.cache_clear()


def _signed_in_person(
    pk: Any, session_key: str, store: type[DatabaseSessionStore], beside: CompiledLookup | None
) -> tuple[Any, Any]:
    """The person's row (a `User` with two more attributes), only if active (ModelBackend's
    rule), with their session's data beside it only while the session lives (unexpired): no
    row, or no data, means refused; and `beside`'s row for them, when asked.
    Whether they accepted the current privacy notice rides along (GET me answers it;
    `accounts.views.MeView`). One statement of one fixed shape (`_sign_in_lookup`), so Django
    composes it once per connection and PostgreSQL prepares it once."""
    lookup = _sign_in_lookup(store.get_model_class())
    values = {
        "pk": pk,
        "session_key": session_key,
        "now": timezone.now(),
        "notice_version": settings.PRIVACY_NOTICE_VERSION,
    }
    if beside is None:
        return lookup.first(**values), None
    return lookup.first_beside(values, beside, {beside.only_argument(): pk})


@functools.cache
def _sign_in_lookup(sessions: type[Model]) -> CompiledLookup:
    """What `_signed_in_person` asks of the session table `sessions` (the session store's
    own model), composed once per database connection (`common.compiled`)."""

    def sign_in(*, pk: Any, session_key: str, now: dt.datetime, notice_version: str) -> QuerySet:
        live_session = sessions._default_manager.filter(
            session_key=session_key, expire_date__gt=now
        ).values("session_data")
        accepted = Consent.objects.filter(user=OuterRef("pk"), notice_version=notice_version)
        return User._default_manager.filter(pk=pk, is_active=True).annotate(
            signed_in_as=Subquery(live_session), accepted_current_notice=Exists(accepted)
        )

    return CompiledLookup(
        f"sign_in_{sessions._meta.label_lower}",
        sign_in,
        pk=User._meta.pk,
        session_key=cast(Field, sessions._meta.get_field("session_key")),
        now=cast(Field, sessions._meta.get_field("expire_date")),
        notice_version=Consent._meta.get_field("notice_version"),
    )


def _session_is_theirs(data: dict[str, Any], user: User) -> bool:
    """What Django's `get_user` asks of a session before trusting it: it names this person,
    through a configured backend that reads people as ModelBackend does (the active row by
    primary key), and carries the hash of their current password."""
    try:
        if _person_id(data.get(SESSION_KEY)) != user.pk:
            return False
    except (ValidationError, TypeError):  # not an id (TypeError: not even a text)
        return False
    backend = data.get(BACKEND_SESSION_KEY)
    if not isinstance(backend, str) or not _reads_people_like_model_backend(
        backend, tuple(settings.AUTHENTICATION_BACKENDS)
    ):
        return False
    session_hash = data.get(HASH_SESSION_KEY)
    return (
        isinstance(session_hash, str)
        and bool(session_hash)
        and constant_time_compare(
            session_hash, _session_auth_hash(user.password, settings.SECRET_KEY)
        )
    )


@functools.lru_cache(maxsize=VERIFIED_TOKENS)
def _person_id(text: Any) -> Any:
    """A person's id as the token and the session write it, parsed as the primary key parses
    it (Python's UUID parser, ~1.4 µs, twice a call), once per text; a text that is no id
    raises ValidationError, which is not remembered."""
    return User._meta.pk.to_python(text)


@functools.lru_cache(maxsize=VERIFIED_TOKENS)
def _session_auth_hash(password: str, secret: str) -> str:
    """Django's `get_session_auth_hash` for a password hash, remembered by that hash and the
    secret it was keyed with (an HMAC, ~3 µs a call, issue 17): a changed password is a new
    hash and a new secret a new key, so either is worked out afresh. Django's own method
    computes it, on an unsaved person holding the hash (`User` keeps Django's)."""
    return User(password=password).get_session_auth_hash()


@functools.cache
def _reads_people_like_model_backend(path: str, configured: tuple[str, ...]) -> bool:
    if path not in configured:
        return False
    backend = import_string(path)
    return (
        isinstance(backend, type)
        and issubclass(backend, ModelBackend)
        and backend.get_user is ModelBackend.get_user
        and backend.user_can_authenticate is ModelBackend.user_can_authenticate
    )


@functools.cache
def _database_session_store() -> type[DatabaseSessionStore] | None:
    """The session store, when sessions live in a database table the query can read; found
    once per process (and again when SESSION_ENGINE changes): looking the module up each
    call went through importlib's machinery (~1 µs)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if isinstance(store, type) and issubclass(store, DatabaseSessionStore):
        return store
    return None


def time_zone_of_bearer(request) -> str | None:
    """The time zone of the person whose valid bearer token a request carries, for routes
    that ignore credentials (crisis resources) yet answer better knowing the country. Never
    raises and never authenticates the request: a missing, bad or expired token, or a
    database that cannot answer, is simply no time zone."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    try:
        found = JWTAuthentication().authenticate_credentials(header.split(" ", 1)[1].strip())
    except Exception:  # any failure means "not known"; this route never refuses anyone
        return None
    if not found:
        return None
    return getattr(found[0], "time_zone", None) or None
