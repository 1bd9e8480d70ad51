"""Deleting a person (`DELETE me`, the web page `/account/delete`, an operator's
`manage.py delete_account`): in one transaction, every registered deletion rule runs, lowest
order first: the couple ends exactly as `couple/end` ends it, then each app removes or
anonymises its rows, and last the account row is emptied. Also the signed one-time links of
the web page, and consent (withdrawing it leads here)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.data_rights import deletion_rules
from accounts.models import AuditEvent, Consent, User
from common.errors import ApplicationError

DELETION_LINK_SALT = "accounts.deletion-link"


def account_delete(*, person: User, via: str) -> None:
    """Delete `person` according to the registry, in one transaction. A second call (a
    double tap, a link opened twice) changes nothing."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.deleted_at is not None:
            return
        for rule in deletion_rules():
            rule.run(person)
        AuditEvent.objects.create(user=person, kind=AuditEvent.Kind.ACCOUNT_DELETED, via=via)


def password_confirm(*, person: User, password: str) -> None:
    if not password or not person.check_password(password):
        raise ApplicationError(
            _("That password does not match. Nothing was deleted."),
            code="password_incorrect",
            attr="password",
        )


def account_delete_with_password(*, person: User, password: str, via: str) -> None:
    password_confirm(person=person, password=password)
    account_delete(person=person, via=via)


# --- The web page's one-time link ---------------------------------------------------------------


def _link_binding(person: User) -> str:
    """What the link is bound to: it changes once the link is used (the account is emptied
    and its password hash replaced) and when the password changes, so a link works once."""
    return salted_hmac(DELETION_LINK_SALT, f"{person.pk}:{person.password}").hexdigest()[:32]


def deletion_link_token(person: User) -> str:
    return signing.TimestampSigner(salt=DELETION_LINK_SALT).sign_object(
        {"u": str(person.pk), "b": _link_binding(person)}
    )


def deletion_link_person(token: str) -> User | None:
    """The person a link was sent to, while it is valid (signed, at most
    DELETION_LINK_MAX_AGE old, not yet used); None otherwise."""
    try:
        data: Any = signing.TimestampSigner(salt=DELETION_LINK_SALT).unsign_object(
            token, max_age=settings.DELETION_LINK_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), str):
        return None
    try:
        person = User.objects.filter(pk=data["u"], deleted_at__isnull=True).first()
    except ValidationError:
        return None
    if person is None or data.get("b") != _link_binding(person):
        return None
    return person


def deletion_link_url(person: User) -> str:
    return f"{settings.PUBLIC_BASE_URL}/account/delete/{deletion_link_token(person)}"


def deletion_link_send(*, email: str) -> bool:
    """Email the one-time deletion link to the live account with this address, in its
    person's language, and record that it was asked for; False (and nothing sent) when no
    such account exists."""
    person = User.objects.filter(email=email, deleted_at__isnull=True, is_active=True).first()
    if person is None:
        return False
    with translation.override(person.locale or None):
        context = {"link": deletion_link_url(person), "minutes": _link_minutes()}
        subject = str(_("Deleting your Haven account"))
        body = render_to_string("accounts/email/deletion_link.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    AuditEvent.objects.create(user=person, kind=AuditEvent.Kind.DELETION_LINK_REQUESTED, via="web")
    return True


def _link_minutes() -> int:
    return int(settings.DELETION_LINK_MAX_AGE.total_seconds() // 60)


# --- Consent --------------------------------------------------------------------------------------


def consent_record(
    *, person: User, notice_version: str, sensitive_data: bool, age_confirmed: bool
) -> Consent:
    """Record an acceptance of the current notice: explicit consent to processing sensitive
    data and being old enough are both required (400 otherwise)."""
    if notice_version != settings.PRIVACY_NOTICE_VERSION:
        raise ApplicationError(
            _("The privacy notice has changed; please read the current one."),
            code="notice_version_outdated",
            attr="notice_version",
        )
    if not sensitive_data:
        raise ApplicationError(
            _("Haven needs your consent to keep check-ins and notes about your relationship."),
            code="consent_required",
            attr="sensitive_data",
        )
    if not age_confirmed:
        raise ApplicationError(
            _("Haven is for people aged %(age)d or older.") % {"age": settings.MINIMUM_AGE},
            code="too_young",
            attr="age_confirmed",
        )
    with transaction.atomic():
        consent, created = Consent.objects.get_or_create(
            user=person,
            notice_version=notice_version,
            defaults={"sensitive_data": True, "age_confirmed": True, "accepted_at": timezone.now()},
        )
        if created:
            AuditEvent.objects.create(user=person, kind=AuditEvent.Kind.CONSENT_GIVEN, via="app")
    return consent


def consent_withdraw(*, person: User, password: str) -> None:
    """Withdrawing consent to processing sensitive data leaves Haven nothing it may keep:
    it deletes the account, like `DELETE me` (the password is asked again)."""
    password_confirm(person=person, password=password)
    with transaction.atomic():
        AuditEvent.objects.create(user=person, kind=AuditEvent.Kind.CONSENT_WITHDRAWN, via="app")
        account_delete(person=person, via="app")
