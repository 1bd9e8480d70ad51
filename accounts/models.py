from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # Email is the login and is unique regardless of case.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with their email. The primary key is a UUID, so no sequential id
    ever reaches a client (API ids, allauth's user payload and the JWT `sub` alike)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    locale = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the person deleted their account: the row stays as an empty placeholder (no
    # email, name or password) so that what their former partner keeps reads exactly as
    # after an ordinary end. See accounts/deletion.py and the README's "Your data".
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[var-annotated]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def save(self, *args, **kwargs) -> None:
        self.email = type(self).objects.normalize_email(self.email)
        super().save(*args, **kwargs)


# --- About oneself: love languages and space/connection preferences ------------------------------
# Everything below belongs to one person, not to a couple: it works before pairing and carries
# into whatever couple the person later joins.


class LoveLanguage(models.TextChoices):
    WORDS_OF_AFFIRMATION = "words_of_affirmation", _("Words of affirmation")
    QUALITY_TIME = "quality_time", _("Quality time")
    ACTS_OF_SERVICE = "acts_of_service", _("Acts of service")
    GIFTS = "gifts", _("Gifts")
    PHYSICAL_TOUCH = "physical_touch", _("Physical touch")


class ConnectionActivity(models.TextChoices):
    """The curated list a person picks from; anything else goes in the free-text field."""

    WALK_TOGETHER = "walk_together", _("A walk together")
    COOK_TOGETHER = "cook_together", _("Cooking together")
    SIDE_BY_SIDE_QUIET_TIME = "side_by_side_quiet_time", _("Quiet time side by side")
    WATCH_SOMETHING = "watch_something", _("Watching something together")
    SHORT_CALL = "short_call", _("A short call")
    VOICE_NOTE = "voice_note", _("A voice note")
    TEXTING = "texting", _("Texting")
    CUDDLE = "cuddle", _("Cuddling")
    PLAY_A_GAME = "play_a_game", _("Playing a game")
    ERRANDS_TOGETHER = "errands_together", _("Running errands together")
    MUSIC_TOGETHER = "music_together", _("Listening to music together")
    DAY_TRIP = "day_trip", _("A day trip")


class ResponsePace(models.TextChoices):
    """How soon a person can answer when a heavy topic comes up."""

    SAME_DAY = "same_day", _("The same day")
    WITHIN_A_DAY = "within_a_day", _("Within a day")
    A_FEW_DAYS = "a_few_days", _("In a few days")
    WHEN_I_SAY_READY = "when_i_say_ready", _("When I say I am ready")


class AttachmentStyle(models.TextChoices):
    SECURE = "secure", _("Secure")
    ANXIOUS = "anxious", _("Anxious")
    AVOIDANT = "avoidant", _("Avoidant")
    FEARFUL_AVOIDANT = "fearful_avoidant", _("Fearful-avoidant")
    UNSURE = "unsure", _("Not sure")


SMALL_THINGS_MAX = 10
SMALL_THING_MAX_LENGTH = 140
ALONE_TIME_WINDOWS_MAX = 21
CONNECTION_ACTIVITIES_OTHER_MAX_LENGTH = 200
REASSURANCE_MAX_LENGTH = 280

# Local wall-clock times, 24-hour. A window may end at 24:00 so that one reaching midnight
# needs no one-minute gap before the next day's window starts at 00:00.
WINDOW_START_PATTERN = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
WINDOW_END_PATTERN = re.compile(r"^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$")

# The rules below are shared by the input serializers (which name the exact item at fault) and
# by the models' clean() (the second line, for writes that bypass the API). One wording each.
RULE_MESSAGES: dict[str, Any] = {
    "duplicate_language": _("Each love language can appear only once in a ranking."),
    "missing_language": _("Rank all five love languages, or leave the ranking empty."),
    "invalid_time": _("Use a 24-hour local time such as 07:30."),
    "empty_window": _("The window ends when it starts; give it some length."),
    "window_crosses_midnight": _(
        "A window ends after it starts. To cross midnight, use two windows: one until 24:00 "
        "and one from 00:00 on the next day."
    ),
    "window_overlap": _("This window overlaps another one on the same day."),
    "duplicate_activity": _("Each activity can be chosen only once."),
    "blank_small_thing": _("A small thing cannot be empty."),
}


def love_language_ranking_error(ranking: Sequence[str]) -> tuple[str, int | None] | None:
    """Why `ranking` (codes already known to be love languages) is not a valid ranking, as
    (code, index of the offending item or None), or None when it is valid. An empty ranking is
    valid: a person who has not ranked yet is not doing anything wrong (low pressure)."""
    seen: set[str] = set()
    for index, code in enumerate(ranking):
        if code in seen:
            return "duplicate_language", index
        seen.add(code)
    if ranking and len(seen) != len(LoveLanguage.values):
        return "missing_language", None
    return None


def window_span_error(start: str, end: str) -> str | None:
    """Why a window from `start` to `end` ("HH:MM", same day) has no length, or None."""
    if start == end:
        return "empty_window"
    if end < start:  # zero-padded "HH:MM" strings sort like the times they name
        return "window_crosses_midnight"
    return None


def first_overlapping_window(windows: Sequence[Mapping[str, Any]]) -> int | None:
    """The index (in `windows`) of a window whose start lies inside another window of the same
    weekday, or None. Windows that only touch (10:00-12:00 and 12:00-14:00) do not overlap."""
    order = sorted(
        range(len(windows)),
        key=lambda i: (windows[i]["weekday"], windows[i]["start"], windows[i]["end"], i),
    )
    # In start order, if any two windows of a day overlap then two neighbours do.
    for earlier, later in pairwise(order):
        a, b = windows[earlier], windows[later]
        if a["weekday"] == b["weekday"] and b["start"] < a["end"]:
            return later
    return None


def sorted_windows(windows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"weekday": w["weekday"], "start": w["start"], "end": w["end"]}
        for w in sorted(windows, key=lambda w: (w["weekday"], w["start"], w["end"]))
    ]


def _invalid(where: str, message: Any, code: str, **params: Any) -> ValidationError:
    """A model-level error for `where`, a field or a dotted path into a JSON field
    ("alone_time_windows.1.end"), the same path the API's `attr` uses."""
    return ValidationError({where: ValidationError(message, code=code, params=params or None)})


def _rule_error(where: str, code: str) -> ValidationError:
    return _invalid(where, RULE_MESSAGES[code], code)


def _is_list_of_str(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


class LoveLanguages(models.Model):
    """How a person likes to receive care and how they tend to give it. Written for the
    partner, so shared by default; the owner can stop sharing at any time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="love_languages"
    )
    # Each a full ranking of LoveLanguage codes, most important first, or empty (not ranked).
    receiving = models.JSONField(_("receiving, ranked"), default=list, blank=True)
    giving = models.JSONField(_("giving, ranked"), default=list, blank=True)
    # Up to SMALL_THINGS_MAX short, trimmed, non-blank texts: "small things that land well".
    small_things = models.JSONField(_("small things that land well"), default=list, blank=True)
    shared_with_partner = models.BooleanField(_("shared with partner"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("love languages")
        verbose_name_plural = _("love languages")

    def __str__(self) -> str:
        return f"love languages of {self.user_id}"

    def clean(self) -> None:
        super().clean()
        for field in ("receiving", "giving"):
            ranking = getattr(self, field)
            if not _is_list_of_str(ranking):
                raise _invalid(field, _("Expected a list of love language codes."), "invalid")
            for index, code in enumerate(ranking):
                if code not in LoveLanguage.values:
                    raise _invalid(
                        f"{field}.{index}", _("This is not a love language."), "invalid_choice"
                    )
            problem = love_language_ranking_error(ranking)
            if problem is not None:
                rule, at = problem
                raise _rule_error(field if at is None else f"{field}.{at}", rule)
        things = self.small_things
        if not _is_list_of_str(things) or len(things) > SMALL_THINGS_MAX:
            raise _invalid(
                "small_things",
                _("Expected a list of at most %(limit)d texts."),
                "invalid",
                limit=SMALL_THINGS_MAX,
            )
        for index, thing in enumerate(things):
            if not thing.strip() or thing != thing.strip():
                raise _rule_error(f"small_things.{index}", "blank_small_thing")
            if len(thing) > SMALL_THING_MAX_LENGTH:
                raise _invalid(
                    f"small_things.{index}",
                    _("Keep it to %(limit)d characters."),
                    "max_length",
                    limit=SMALL_THING_MAX_LENGTH,
                )


class Preferences(models.Model):
    """How a person likes space and connection: when they want time alone, what brings them
    closer, how soon they can answer a heavy topic, and what they like to hear. The optional
    attachment style is a self-description that stays private unless its owner shares it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    # [{"weekday": 0-6 (Monday=0), "start": "HH:MM", "end": "HH:MM"}] in the person's local
    # time; start < end, no overlap within a weekday, sorted by (weekday, start).
    alone_time_windows = models.JSONField(_("alone-time windows"), default=list, blank=True)
    # ConnectionActivity codes, each at most once, in the person's order.
    connection_activities = models.JSONField(_("connection activities"), default=list, blank=True)
    connection_activities_other = models.CharField(
        _("other connection activities"),
        max_length=CONNECTION_ACTIVITIES_OTHER_MAX_LENGTH,
        blank=True,
    )
    # None means "not chosen" (not an empty choice); the check constraints keep "" out.
    response_pace = models.CharField(  # noqa: DJ001
        _("response pace for heavy topics"),
        max_length=32,
        choices=ResponsePace.choices,
        null=True,
        blank=True,
    )
    reassurance = models.CharField(
        _("reassurance I like to hear"), max_length=REASSURANCE_MAX_LENGTH, blank=True
    )
    shared_with_partner = models.BooleanField(_("shared with partner"), default=True)
    attachment_style = models.CharField(  # noqa: DJ001
        _("attachment style"),
        max_length=32,
        choices=AttachmentStyle.choices,
        null=True,
        blank=True,
    )
    attachment_style_shared = models.BooleanField(_("attachment style shared"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("space and connection preferences")
        verbose_name_plural = _("space and connection preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response_pace__isnull=True)
                | models.Q(response_pace__in=ResponsePace.values),
                name="preferences_response_pace_known",
            ),
            models.CheckConstraint(
                condition=models.Q(attachment_style__isnull=True)
                | models.Q(attachment_style__in=AttachmentStyle.values),
                name="preferences_attachment_style_known",
            ),
        ]

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"

    def clean(self) -> None:
        super().clean()
        self._clean_alone_time_windows()
        activities = self.connection_activities
        if not _is_list_of_str(activities):
            raise _invalid(
                "connection_activities", _("Expected a list of activity codes."), "invalid"
            )
        seen: set[str] = set()
        for index, code in enumerate(activities):
            if code not in ConnectionActivity.values:
                raise _invalid(
                    f"connection_activities.{index}",
                    _("This is not one of the listed activities."),
                    "invalid_choice",
                )
            if code in seen:
                raise _rule_error(f"connection_activities.{index}", "duplicate_activity")
            seen.add(code)

    def _clean_alone_time_windows(self) -> None:
        windows = self.alone_time_windows
        if not isinstance(windows, list) or len(windows) > ALONE_TIME_WINDOWS_MAX:
            raise _invalid(
                "alone_time_windows",
                _("Expected a list of at most %(limit)d windows."),
                "invalid",
                limit=ALONE_TIME_WINDOWS_MAX,
            )
        for index, window in enumerate(windows):
            where = f"alone_time_windows.{index}"
            if not isinstance(window, dict) or set(window) != {"weekday", "start", "end"}:
                raise _invalid(where, _("Expected a weekday, a start and an end."), "invalid")
            weekday, start, end = window["weekday"], window["start"], window["end"]
            if type(weekday) is not int or not 0 <= weekday <= 6:
                raise _invalid(
                    f"{where}.weekday", _("Expected 0 (Monday) to 6 (Sunday)."), "invalid"
                )
            if not isinstance(start, str) or not WINDOW_START_PATTERN.match(start):
                raise _invalid(f"{where}.start", RULE_MESSAGES["invalid_time"], "invalid")
            if not isinstance(end, str) or not WINDOW_END_PATTERN.match(end):
                raise _invalid(f"{where}.end", RULE_MESSAGES["invalid_time"], "invalid")
            span = window_span_error(start, end)
            if span is not None:
                raise _rule_error(f"{where}.end", span)
        overlapping = first_overlapping_window(windows)
        if overlapping is not None:
            raise _rule_error(f"alone_time_windows.{overlapping}.start", "window_overlap")


# --- Data rights: consent records and the audit log ----------------------------------------------


class Consent(models.Model):
    """What a person agreed to, and when: the version of the privacy notice, their explicit
    consent to Haven processing sensitive data (mood, energy, notes about a relationship), and
    that they are old enough. One row per acceptance; withdrawing leads to deletion."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    notice_version = models.CharField(_("privacy notice version"), max_length=32)
    sensitive_data = models.BooleanField(_("consent to processing sensitive data"))
    age_confirmed = models.BooleanField(_("old enough"))
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "notice_version"], name="consent_once_per_notice_version"
            )
        ]

    def __str__(self) -> str:
        return f"consent of {self.user_id} to notice {self.notice_version}"


class AuditEvent(models.Model):
    """Something done with a person's data that an operator may need to show later (an
    export, a deletion, a consent given or withdrawn). Never what was in it. After a deletion
    the row points at the empty placeholder left of the person: an anonymous id."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("export")
        DELETION_LINK_REQUESTED = "deletion_link_requested", _("deletion link requested")
        ACCOUNT_DELETED = "account_deleted", _("account deleted")
        CONSENT_GIVEN = "consent_given", _("consent given")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_events"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # How it was asked for ("app", "web", "operator"); never anything the person wrote.
    via = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["user", "kind", "created_at"], name="audit_event_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id}"
