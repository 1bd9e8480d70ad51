"""Reads about a person: what they set about themselves, for themselves and for their partner."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db.models import QuerySet

from accounts.models import Consent, LoveLanguages, Preferences, User
from common.models import row_or_default


def love_languages_of(*, user: User) -> LoveLanguages:
    """The person's own love languages. Before their first save this is an unsaved row of
    defaults: reading never writes."""
    return row_or_default(user, "love_languages", LoveLanguages, user=user)


def preferences_of(*, user: User) -> Preferences:
    """The person's own preferences, or an unsaved row of defaults before their first save."""
    return row_or_default(user, "preferences", Preferences, user=user)


def profile_shared_with_partner(*, user: User) -> dict[str, Any]:
    """What `user`'s partner may see of what `user` set about themselves, in one query.

    Always the same three keys, so the shape itself tells the partner nothing:
    - "love_languages": receiving, giving and small_things; None when the owner stopped
      sharing them or never set them.
    - "preferences": alone-time windows with the owner's time zone (the windows are wall-clock
      times in it), connection activities, response pace and reassurance; None when not
      shared or never set. Never the attachment style.
    - "attachment_style": the owner's self-description only when they chose to share it;
      otherwise None, whether it is private or was never set. A partner never learns that a
      private value exists (DESIGN: private by default).
    The caller (couples) decides who the partner is; this only decides what is shared. A
    `user` read with `select_related("love_languages", "preferences")` costs no query."""
    owner = user
    if not (User.love_languages.is_cached(user) and User.preferences.is_cached(user)):
        # Not read with the person already (`select_related`): read now.
        owner = User.objects.select_related("love_languages", "preferences").get(pk=user.pk)
    return shared_profile_of(owner)


def shared_profile_of(owner: User) -> dict[str, Any]:
    """What of `owner`'s profile their partner sees, for an owner already read with
    `select_related("love_languages", "preferences")`: no query of its own."""
    love_languages: LoveLanguages | None = getattr(owner, "love_languages", None)
    preferences: Preferences | None = getattr(owner, "preferences", None)

    shared_love_languages = None
    if love_languages is not None and love_languages.shared_with_partner:
        shared_love_languages = {
            "receiving": list(love_languages.receiving),
            "giving": list(love_languages.giving),
            "small_things": list(love_languages.small_things),
        }
    shared_preferences = None
    if preferences is not None and preferences.shared_with_partner:
        shared_preferences = {
            "alone_time_windows": [dict(w) for w in preferences.alone_time_windows],
            "time_zone": owner.time_zone,
            "connection_activities": list(preferences.connection_activities),
            "connection_activities_other": preferences.connection_activities_other,
            "response_pace": preferences.response_pace,
            "reassurance": preferences.reassurance,
        }
    attachment_style = None
    if preferences is not None and preferences.attachment_style_shared:
        attachment_style = preferences.attachment_style
    return {
        "love_languages": shared_love_languages,
        "preferences": shared_preferences,
        "attachment_style": attachment_style,
    }


@dataclass(frozen=True)
class AloneTimeWindow:
    """One alone-time window, parsed: minutes after local midnight, end exclusive (at most
    1440, which is 24:00)."""

    weekday: int  # Monday is 0, as datetime.weekday()
    start_minute: int
    end_minute: int

    @classmethod
    def from_stored(cls, window: Mapping[str, Any]) -> AloneTimeWindow:
        return cls(
            weekday=window["weekday"],
            start_minute=_minutes(window["start"]),
            end_minute=_minutes(window["end"]),
        )

    def contains(self, local: datetime) -> bool:
        """Whether the window covers `local`, a wall-clock time in the person's time zone."""
        minute = local.hour * 60 + local.minute
        return local.weekday() == self.weekday and self.start_minute <= minute < self.end_minute


def alone_time_windows_of(*, user: User) -> list[AloneTimeWindow]:
    """The person's alone-time windows in their local time, sorted by weekday and start; []
    when they set none. Nudges defer (never drop) what would land inside one. Uses the
    preferences already loaded on `user` (select_related) or one query."""
    preferences = preferences_of(user=user)
    return [AloneTimeWindow.from_stored(window) for window in preferences.alone_time_windows]


def _minutes(hh_mm: str) -> int:
    hours, minutes = hh_mm.split(":")
    return int(hours) * 60 + int(minutes)


def sessions_of(*, user: User) -> QuerySet[UserSession]:
    """The person's own sign-ins (allauth's usersessions index), and only theirs."""
    return UserSession.objects.filter(user=user).only(
        "id", "session_key", "user_agent", "created_at"
    )


def consent_current_of(*, user: User) -> Consent | None:
    """The person's acceptance of the privacy notice in force, or None: a new version of the
    notice asks again."""
    return Consent.objects.filter(user=user, notice_version=settings.PRIVACY_NOTICE_VERSION).first()


def consent_state_of(*, user: User) -> dict[str, Any]:
    """What `me/consent` answers: the notice in force and whether the person accepted it."""
    current = consent_current_of(user=user)
    return {
        "notice_version": settings.PRIVACY_NOTICE_VERSION,
        "notice_url": settings.PRIVACY_NOTICE_URL,
        "minimum_age": settings.MINIMUM_AGE,
        "consent_required": current is None,
        "accepted_at": current.accepted_at if current else None,
    }
