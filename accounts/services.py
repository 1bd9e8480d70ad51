from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from accounts.models import LoveLanguages, Preferences, User, sorted_windows
from accounts.sessions import other_sessions_ended, session_fingerprint
from common.errors import ApplicationError

# The fields a person may change about themselves through the API.
USER_EDITABLE_FIELDS = ("display_name", "time_zone", "locale")
# What a partner sees of the person's own row (their name and time zone).
PARTNER_VISIBLE_USER_FIELDS = ("display_name", "time_zone")

# Checks run before a person changes what their partner can see of their profile, registered
# from another app's AppConfig.ready (accounts imports no app above it): each raises an
# ApplicationError to refuse. `couples` registers one: while a person's delayed couple end is
# pending, the partner's view of them stays exactly as it was (leaving safely).
_partner_visible_write_checks: list[Callable[[User], None]] = []


def register_partner_visible_write_check(check: Callable[[User], None]) -> None:
    if check not in _partner_visible_write_checks:
        _partner_visible_write_checks.append(check)


def _partner_visible_write(user: User) -> None:
    for check in _partner_visible_write_checks:
        check(user)


def user_update(*, user: User, data: dict[str, Any]) -> User:
    """Change what a person may change about themselves: never their email, flags or ids."""
    changed = [field for field in USER_EDITABLE_FIELDS if field in data]
    if any(data[f] != getattr(user, f) for f in PARTNER_VISIBLE_USER_FIELDS if f in data):
        _partner_visible_write(user)
    for field in changed:
        setattr(user, field, data[field])
    if changed:
        user.full_clean(exclude=["password", "email"])
        user.save(update_fields=[*changed, "updated_at"])
    return user


@transaction.atomic
def user_sessions_end(*, user: User, keep_session_key: str | None) -> int:
    """End every signed-in session of this person except `keep_session_key`. allauth's
    usersessions keeps the index of a person's sessions; the session rows themselves go too,
    so tokens minted for them stop validating immediately. Whatever other apps keep per
    sign-in (push devices) goes with them (`accounts.sessions.other_sessions_ended`)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for user_session in UserSession.objects.filter(user=user).exclude(
        session_key=keep_session_key or ""
    ):
        store().delete(user_session.session_key)
        user_session.delete()
        ended += 1
    other_sessions_ended.send(
        sender=User, user=user, kept_fingerprint=session_fingerprint(keep_session_key) or None
    )
    return ended


def user_sign_out_others(*, user: User, current_session_key: str | None) -> int:
    """ "Sign out everywhere else" (someone who knows my password may have signed in on their
    own phone): every other sign-in ends now, its tokens are refused from the next request,
    and its phone's push registration goes, so nothing of mine reaches it. Signing out again
    ends nothing more. Returns how many ended."""
    if not current_session_key:
        return 0
    return user_sessions_end(user=user, keep_session_key=current_session_key)


@transaction.atomic
def user_session_end(*, user: User, session_key: str) -> None:
    """End one signed-in session (a sign-in and every token minted for it): its row goes, so
    allauth refuses its access and refresh tokens at once, and so does its usersessions entry."""
    import_module(settings.SESSION_ENGINE).SessionStore().delete(session_key)
    UserSession.objects.filter(user=user, session_key=session_key).delete()


# The fields a person sets about themselves in me/love-languages and me/preferences.
LOVE_LANGUAGES_FIELDS = ("receiving", "giving", "small_things", "shared_with_partner")
PREFERENCES_FIELDS = (
    "alone_time_windows",
    "connection_activities",
    "connection_activities_other",
    "response_pace",
    "reassurance",
    "shared_with_partner",
    "attachment_style",
    "attachment_style_shared",
)


@transaction.atomic
def love_languages_set(*, user: User, data: Mapping[str, Any]) -> LoveLanguages:
    """Set what a person says about their love languages: the fields in `data` change, the
    rest stay. Belongs to the person, not a couple, so it works before pairing. Created on
    first write; the row is locked so two phones saving at once apply one after the other."""
    love_languages, _created = LoveLanguages.objects.select_for_update().get_or_create(user=user)
    if love_languages.shared_with_partner or data.get("shared_with_partner"):
        _partner_visible_write(user)
    for field in LOVE_LANGUAGES_FIELDS:
        if field in data:
            setattr(love_languages, field, data[field])
    _full_clean(love_languages)
    love_languages.save()
    return love_languages


@transaction.atomic
def preferences_set(*, user: User, data: Mapping[str, Any]) -> Preferences:
    """Set a person's space and connection preferences: the fields in `data` change, the rest
    stay. Alone-time windows are stored sorted by weekday and start, however they were sent.
    The attachment style stays private unless its owner shares it (see
    accounts.selectors.profile_shared_with_partner)."""
    preferences, _created = Preferences.objects.select_for_update().get_or_create(user=user)
    if (
        preferences.shared_with_partner
        or preferences.attachment_style_shared
        or data.get("shared_with_partner")
        or data.get("attachment_style_shared")
    ):
        _partner_visible_write(user)
    for field in PREFERENCES_FIELDS:
        if field in data:
            setattr(preferences, field, data[field])
    _full_clean(preferences)
    preferences.alone_time_windows = sorted_windows(preferences.alone_time_windows)
    preferences.save()
    return preferences


def _full_clean(instance: LoveLanguages | Preferences) -> None:
    """The models' own rules, a second line behind the input serializers, for callers that
    are not the API. A broken rule is a 400 naming the field, like the serializers' errors."""
    try:
        # Uniqueness and the check constraints are the database's to enforce (the row is
        # locked, and clean_fields already checks the same choices), so no extra queries.
        instance.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        where, errors = next(iter(error.error_dict.items()))
        raise ApplicationError(
            errors[0].messages[0],
            code=errors[0].code or "invalid",
            attr=None if where == NON_FIELD_ERRORS else where,
        ) from error
