"""Email through Django's email framework (the production backend is a setting: an anymail
provider, or SMTP). Only to a verified address; a plain-text and an HTML body from
templates, in the recipient's language; discreet by default (the subject and body name
nobody and quote nothing); a signed one-click unsubscribe for the nudge's kind
(`List-Unsubscribe` + `List-Unsubscribe-Post`, RFC 8058).

Errors: what the server or provider answered as temporary (an SMTP 4xx, an API 429/5xx) or
a connection never made is retried later; a refused address is recorded; anything whose
fate is unknown (the connection dropped mid-message) is never repeated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import smtplib
from collections.abc import Iterator
from email.utils import parseaddr
from typing import Any

import structlog
from allauth.account.models import EmailAddress
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection, make_msgid
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from common.i18n import language_of
from nudges.channels.sending import DeliveryChannel, Outcome, Sent, copy_for, never_left
from nudges.kinds import kind_named
from nudges.models import Delivery, NudgeSettings
from nudges.services import unsubscribe_token

logger = structlog.get_logger(__name__)


def verified_address_of(user_id: Any) -> str | None:
    """The address Haven may write to: verified, the primary one first."""
    return (
        EmailAddress.objects.filter(user_id=user_id, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )


def unsubscribe_urls(*, user_id: Any, kind: str) -> tuple[str, str]:
    """(the page a person opens, the one-click POST target a mail client calls)."""
    token = unsubscribe_token(user_id=user_id, kind=kind)
    base = settings.PUBLIC_BASE_URL
    page = base + reverse("nudges-unsubscribe-page", kwargs={"token": token})
    one_click = base + reverse("nudges-unsubscribe", kwargs={"token": token})
    return page, one_click


class EmailChannel(DeliveryChannel):
    name = "email"

    def deliveries_for(self, sent: Sent, now: dt.datetime) -> list[Delivery]:
        recipients = {nudge.recipient_id for nudge, _, _ in sent}
        verified = set(
            EmailAddress.objects.filter(user_id__in=list(recipients), verified=True).values_list(
                "user_id", flat=True
            )
        )
        # Someone who never verified their address is not emailed; the row says why.
        return [
            self.new_delivery(nudge, now)
            if nudge.recipient_id in verified
            else self.new_delivery(
                nudge, now, state=Delivery.State.SKIPPED, last_error="no_verified_address"
            )
            for nudge, _, _ in sent
        ]

    @contextlib.contextmanager
    def session(self) -> Iterator[Any]:
        # Opened by the first send (so a failed connect is that copy's outcome), shared by
        # the batch, closed at the end.
        connection = get_connection(fail_silently=False)
        try:
            yield connection
        finally:
            with contextlib.suppress(Exception):
                connection.close()

    def send(self, delivery: Delivery, prefs: NudgeSettings, session: Any) -> Outcome:
        address = verified_address_of(delivery.nudge.recipient_id)
        if address is None:
            return Outcome.skipped("no_verified_address")
        message = email_message(delivery, prefs, address)
        message.connection = session
        try:
            message.send()
        except Exception as error:
            # A connection in an unknown state is not reused for the next copy.
            with contextlib.suppress(Exception):
                session.close()
            return email_outcome(error)
        return Outcome.sent(message.extra_headers.get("Message-ID", ""))


def email_message(delivery: Delivery, prefs: NudgeSettings, address: str) -> EmailMultiAlternatives:
    nudge = delivery.nudge
    copy = copy_for(delivery, prefs)
    page, one_click = unsubscribe_urls(user_id=nudge.recipient_id, kind=nudge.kind)
    with translation.override(language_of(nudge.recipient)):
        context = {
            "title": copy.title,
            "body": copy.body,
            "discreet": copy.discreet,
            "unsubscribe_url": page,
            # What the unsubscribe turns off, in Haven's words (a discreet email keeps the
            # kind's own title out of sight: it may say more than the subject).
            "kind_title": "" if copy.discreet else str(kind_named(nudge.kind).title),
            "language": translation.get_language(),
        }
        subject = " ".join(copy.title.split())  # one line, always
        text = render_to_string("nudges/email/nudge.txt", context)
        html = render_to_string("nudges/email/nudge.html", context)

    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={
            "Message-ID": make_msgid(domain=_domain_of(settings.DEFAULT_FROM_EMAIL)),
            "List-Unsubscribe": f"<{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _domain_of(from_email: str) -> str:
    address = parseaddr(from_email)[1]
    return address.rpartition("@")[2] or "haven.invalid"


def email_outcome(error: Exception) -> Outcome:
    """What one sending error means for the copy."""
    if isinstance(error, smtplib.SMTPRecipientsRefused | AnymailRecipientsRefused):
        return Outcome.failed("recipient_refused")
    if isinstance(error, smtplib.SMTPConnectError):
        return Outcome.retry("smtp_connect_failed")
    if isinstance(error, smtplib.SMTPResponseException):
        # The server answered: 4xx is "not now" (nothing was accepted), 5xx is "never".
        if 400 <= error.smtp_code < 500:
            return Outcome.retry(f"smtp_{error.smtp_code}")
        return Outcome.failed(f"smtp_{error.smtp_code}")
    if isinstance(error, AnymailAPIError):
        status = error.status_code
        if status is not None and (status == 429 or status >= 500):
            return Outcome.retry(f"provider_{status}")
        if status is not None:
            return Outcome.failed(f"provider_{status}")
        if never_left(error.__cause__):
            return Outcome.retry("provider_unreachable")
        return Outcome.failed("provider_outcome_unknown")
    if never_left(error):
        return Outcome.retry("smtp_unreachable")
    if isinstance(error, smtplib.SMTPException | OSError):
        return Outcome.failed("smtp_outcome_unknown")
    return Outcome.failed("email_error")
