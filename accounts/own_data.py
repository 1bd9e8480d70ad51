"""What `accounts` adds to a person's export and does when they are deleted: the account, what
they set about themselves, consent records, the audit log, and the third-party rows that name
them (allauth's email addresses and sign-in sessions, django-axes' attempts, the admin's log,
our idempotency keys and sync tombstones). Registered from AccountsConfig.ready."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from accounts.data_rights import ORDER_ACCOUNT, register_deletion, register_export
from accounts.models import AuditEvent, Consent, LoveLanguages, Preferences, User
from accounts.services import user_sessions_end
from common.models import IdempotencyKey, Tombstone

DELETED_EMAIL_DOMAIN = "deleted.invalid"


@register_export("account", models=(User, EmailAddress), order=0)
def export_account(person: User) -> dict[str, Any]:
    return {
        "id": str(person.pk),
        "email": person.email,
        "display_name": person.display_name,
        "time_zone": person.time_zone,
        "locale": person.locale,
        "date_joined": person.date_joined,
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=person).order_by("pk")
        ],
    }


@register_export("consent", models=(Consent,), order=1)
def export_consent(person: User) -> list[dict[str, Any]]:
    return [
        {
            "notice_version": row.notice_version,
            "sensitive_data": row.sensitive_data,
            "age_confirmed": row.age_confirmed,
            "accepted_at": row.accepted_at,
        }
        for row in Consent.objects.filter(user=person).order_by("accepted_at")
    ]


@register_export("sign_ins", models=(UserSession,), order=2)
def export_sign_ins(person: User) -> list[dict[str, Any]]:
    # Where and how they are signed in; never a session key.
    return [
        {"ip": row.ip, "user_agent": row.user_agent, "created_at": row.created_at}
        for row in UserSession.objects.filter(user=person).order_by("created_at")
    ]


@register_export("love_languages", models=(LoveLanguages,))
def export_love_languages(person: User) -> dict[str, Any] | None:
    row = LoveLanguages.objects.filter(user=person).first()
    if row is None:
        return None
    return {
        "receiving": row.receiving,
        "giving": row.giving,
        "small_things": row.small_things,
        "shared_with_partner": row.shared_with_partner,
        "updated_at": row.updated_at,
    }


@register_export("preferences", models=(Preferences,))
def export_preferences(person: User) -> dict[str, Any] | None:
    row = Preferences.objects.filter(user=person).first()
    if row is None:
        return None
    # The attachment style is theirs: exported whether or not they share it.
    return {
        "alone_time_windows": row.alone_time_windows,
        "connection_activities": row.connection_activities,
        "connection_activities_other": row.connection_activities_other,
        "response_pace": row.response_pace,
        "reassurance": row.reassurance,
        "shared_with_partner": row.shared_with_partner,
        "attachment_style": row.attachment_style,
        "attachment_style_shared": row.attachment_style_shared,
        "updated_at": row.updated_at,
    }


@register_export("data_requests", models=(AuditEvent,), order=95)
def export_audit_log(person: User) -> list[dict[str, Any]]:
    return [
        {"kind": row.kind, "via": row.via, "at": row.created_at}
        for row in AuditEvent.objects.filter(user=person).order_by("created_at")
    ]


@register_deletion(
    "about_you",
    models=(LoveLanguages, Preferences, Consent),
    keeps="",
)
def delete_about_you(person: User) -> None:
    LoveLanguages.objects.filter(user=person).delete()
    Preferences.objects.filter(user=person).delete()
    Consent.objects.filter(user=person).delete()


@register_deletion(
    "sign_in",
    models=(
        EmailAddress,
        EmailConfirmation,
        UserSession,
        Session,
        AccessAttempt,
        AccessLog,
        AccessFailureLog,
        LogEntry,
    ),
    keeps="",
)
def delete_sign_in(person: User) -> None:
    """Every session, token and email address goes; django-axes' attempts and the admin's
    log lose every row that names them."""
    user_sessions_end(user=person, keep_session_key=None)
    EmailAddress.objects.filter(user=person).delete()  # their confirmations go with them
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=person.email).delete()
    user_type = ContentType.objects.get_for_model(User)
    naming = Q(user=person) | Q(content_type=user_type, object_id=str(person.pk))
    naming |= Q(object_repr__icontains=person.email)
    if len(person.display_name.strip()) >= 3:
        naming |= Q(object_repr__contains=person.display_name.strip())
    LogEntry.objects.filter(naming).delete()


@register_deletion("sync_and_retries", models=(IdempotencyKey, Tombstone), keeps="")
def delete_sync_and_retries(person: User) -> None:
    # A replayable response may quote what they wrote; tombstones are their phone's alone.
    IdempotencyKey.objects.filter(user=person).delete()
    Tombstone.objects.filter(viewer=person).delete()


@register_deletion(
    "audit_log",
    models=(AuditEvent,),
    keeps="The audit log of exports, deletions and consents keeps its rows (what was done "
    "and when, never what was in it), pointing at the anonymous placeholder left of the "
    "account: an operator can show that a deletion happened without knowing who it was.",
)
def keep_audit_log(person: User) -> None:
    """Nothing to do: the rows name no one once the account row is emptied."""


@register_deletion(
    "account",
    models=(User,),
    order=ORDER_ACCOUNT,
    keeps="The account row stays as an empty placeholder (its id only: no email, name, "
    "password or settings), so that what a former partner keeps reads exactly as after an "
    "ordinary end. The email address is free to sign up again as a new person.",
)
def empty_account(person: User) -> None:
    person.email = f"{person.pk.hex}@{DELETED_EMAIL_DOMAIN}"
    person.display_name = ""
    person.password = make_password(None)
    person.time_zone = "UTC"
    person.locale = "en"
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.last_login = None
    person.deleted_at = timezone.now()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
