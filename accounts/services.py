from __future__ import annotations

from importlib import import_module
from typing import Any

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction

from accounts.models import User

# The fields a person may change about themselves through the API.
USER_EDITABLE_FIELDS = ("display_name", "time_zone", "locale")


def user_update(*, user: User, data: dict[str, Any]) -> User:
    """Change what a person may change about themselves: never their email, flags or ids."""
    changed = [field for field in USER_EDITABLE_FIELDS if field in data]
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
    so tokens minted for them stop validating immediately."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for user_session in UserSession.objects.filter(user=user).exclude(
        session_key=keep_session_key or ""
    ):
        store().delete(user_session.session_key)
        user_session.delete()
        ended += 1
    return ended
