"""Email through Django's email framework: a real SMTP round trip to a local server
(aiosmtpd on loopback), discreet words, both bodies, the one-click unsubscribe (which then
works), and nothing anyone wrote."""

from __future__ import annotations

import email
import email.policy
import re
import smtplib
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.core import mail
from rest_framework.test import APIClient

from nudges.channels.email import email_outcome
from nudges.channels.sending import deliveries_send
from nudges.models import Delivery, NudgeSettings
from nudges.services import unsubscribe_token
from tests.factories import UserFactory, pair
from tests.nudges.delivering import appreciation_delivered, delivery_ids, ping_delivered

pytestmark = pytest.mark.usefixtures("at_noon")

PLANTED = "PLANTED-private-words-41aa"


class _Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings) -> Iterator[_Inbox]:
    """A real SMTP server on loopback; Django's SMTP backend talks to it."""
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


def _parse(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def _bodies(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_smtp_round_trip_discreet_with_a_working_one_click_unsubscribe(smtp_server, db):
    _, a, b = pair()
    a.display_name = "Zephyrine"
    a.save()
    nudge = appreciation_delivered(a, PLANTED)

    assert deliveries_send(delivery_ids(nudge, "email")) == {"sent": 1}

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == [b.email]
    message = _parse(envelope)
    assert message["Subject"] == "Something new in Haven"
    assert message["To"] == b.email
    assert message["From"] == "Haven <hello@haven.invalid>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # (A long header may be folded onto a second line; its value is the same.)
    listed = message["List-Unsubscribe"].strip()
    one_click = re.fullmatch(r"<(http://testserver/api/v1/unsubscribe/[^>]+)>", listed)
    assert one_click, message["List-Unsubscribe"]
    text, html = _bodies(message)
    assert "There's something new for you in Haven" in text
    assert "<h1" in html and "Something new in Haven" in html
    page = re.search(r"(http://testserver/unsubscribe/\S+)", text).group(1)
    assert f'href="{page}"' in html
    raw = envelope.content.decode("utf-8", "replace")
    for secret in (PLANTED, "Zephyrine", "appreciation", "A little appreciation"):
        assert secret not in raw
    row = Delivery.objects.get(nudge=nudge, channel="email")
    assert row.state == "sent" and row.provider_id == message["Message-ID"]

    # The mail client's one-click POST (RFC 8058) turns the kind off, once or twice.
    client = APIClient()
    for _ in range(2):
        response = client.post(
            urlsplit(one_click.group(1)).path,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200, response.content
        assert response.json() == {"kind": "appreciation", "unsubscribed": True}
    assert NudgeSettings.objects.get(user=b).opted_out_kinds == ["appreciation"]

    # The next appreciation reaches the inbox only.
    later = appreciation_delivered(a, "another")
    assert later.notification.pk
    assert Delivery.objects.filter(nudge=later).count() == 0


def test_without_discretion_the_email_says_who_but_never_what(smtp_server, db):
    _, a, b = pair()
    a.display_name = "Zephyrine"
    a.save()
    NudgeSettings.objects.filter(user=b).update(discreet=False)
    nudge = appreciation_delivered(a, PLANTED)
    deliveries_send(delivery_ids(nudge, "email"))

    [envelope] = smtp_server.envelopes
    message = _parse(envelope)
    assert message["Subject"] == "A little appreciation"
    text, html = _bodies(message)
    assert "Zephyrine sent you an appreciation" in text
    assert "Zephyrine sent you an appreciation" in html
    assert PLANTED not in envelope.content.decode("utf-8", "replace")


def test_the_unsubscribe_page_asks_on_get_and_acts_on_post(db):
    user = UserFactory()
    token = unsubscribe_token(user_id=user.pk, kind="ping")
    client = APIClient()

    asked = client.get(f"/unsubscribe/{token}")
    assert asked.status_code == 200
    assert b"Turn them off" in asked.content and b"Thinking of you" in asked.content
    assert NudgeSettings.objects.get(user=user).opted_out_kinds == []  # scanners change nothing

    for _ in range(2):
        done = client.post(f"/unsubscribe/{token}")
        assert done.status_code == 200
        assert b"Done" in done.content
    assert NudgeSettings.objects.get(user=user).opted_out_kinds == ["ping"]
    # The same switch the app shows.
    assert "ping" in NudgeSettings.objects.get(user=user).opted_out_kinds


def test_a_tampered_unsubscribe_token_is_a_clear_400(db):
    user = UserFactory()
    token = unsubscribe_token(user_id=user.pk, kind="ping")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    client = APIClient()

    api = client.post(f"/api/v1/unsubscribe/{forged}")
    assert api.status_code == 400
    assert api.json()["errors"][0]["code"] == "unsubscribe_link_invalid"
    page = client.post(f"/unsubscribe/{forged}")
    assert page.status_code == 400
    assert b"This unsubscribe link is not valid." in page.content
    # A token signed for something else (another salt) is no unsubscribe token either.
    from django.core import signing

    other = signing.dumps({"u": str(user.pk), "k": "ping"}, salt="something.else")
    assert client.post(f"/api/v1/unsubscribe/{other}").status_code == 400
    assert NudgeSettings.objects.get(user=user).opted_out_kinds == []


def test_an_expired_unsubscribe_token_says_so(db, settings):
    import datetime as dt

    user = UserFactory()
    token = unsubscribe_token(user_id=user.pk, kind="ping")
    settings.NUDGE_UNSUBSCRIBE_MAX_AGE = dt.timedelta(seconds=-1)
    response = APIClient().post(f"/api/v1/unsubscribe/{token}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unsubscribe_link_expired"


def test_someone_who_never_verified_their_address_is_not_emailed(db):
    a = UserFactory()
    b = UserFactory(verified=False)
    pair(a, b)
    nudge = ping_delivered(a)

    row = Delivery.objects.get(nudge=nudge, channel="email")
    assert (row.state, row.last_error) == ("skipped", "no_verified_address")
    deliveries_send([row.pk])
    assert mail.outbox == []


def test_the_address_must_still_be_verified_when_the_email_goes(db):
    from allauth.account.models import EmailAddress

    _, a, b = pair()
    nudge = ping_delivered(a)
    EmailAddress.objects.filter(user=b).update(verified=False)

    deliveries_send(delivery_ids(nudge, "email"))

    row = Delivery.objects.get(nudge=nudge, channel="email")
    assert (row.state, row.last_error) == ("skipped", "no_verified_address")
    assert mail.outbox == []


def test_a_person_who_left_the_email_channel_gets_no_email(db):
    _, a, b = pair()
    NudgeSettings.objects.filter(user=b).update(channels=["push"])
    nudge = ping_delivered(a)
    assert Delivery.objects.filter(nudge=nudge, channel="email").count() == 0


def test_email_is_written_in_the_recipients_language(db):
    _, a, b = pair()
    b.locale = "es"
    b.save()
    nudge = ping_delivered(a)
    deliveries_send(delivery_ids(nudge, "email"))
    [sent] = mail.outbox
    html = sent.alternatives[0][0]
    assert '<html lang="es">' in html
    assert sent.subject == "Algo nuevo en Haven"
    assert "Para dejar de recibir correos como este:" in sent.body


def test_the_unsubscribe_page_speaks_the_recipients_language_not_the_browsers(db):
    _, _a, b = pair()
    b.locale = "es"
    b.save()
    token = unsubscribe_token(user_id=b.pk, kind="ping")
    page = APIClient().get(f"/unsubscribe/{token}", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page["Content-Language"] == "es"
    assert "¿Dejar de recibir estos correos?" in page.content.decode()
    # A link that names nobody readable is answered in the browser's language.
    broken = APIClient().get("/unsubscribe/not-a-token", HTTP_ACCEPT_LANGUAGE="es")
    assert broken.status_code == 400
    assert "Este enlace para darte de baja no es válido." in broken.content.decode()


@pytest.mark.parametrize(
    ("error", "state", "code"),
    [
        (
            smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"no")}),
            "failed",
            "recipient_refused",
        ),
        (smtplib.SMTPConnectError(421, b"busy"), "retry", "smtp_connect_failed"),
        (smtplib.SMTPDataError(451, b"try later"), "retry", "smtp_451"),
        (smtplib.SMTPDataError(554, b"rejected"), "failed", "smtp_554"),
        (ConnectionRefusedError(), "retry", "smtp_unreachable"),
        (smtplib.SMTPServerDisconnected("gone"), "failed", "smtp_outcome_unknown"),
        (TimeoutError(), "failed", "smtp_outcome_unknown"),
        (AnymailAPIError("slow down", status_code=429), "retry", "provider_429"),
        (AnymailAPIError("down", status_code=503), "retry", "provider_503"),
        (AnymailAPIError("bad", status_code=400), "failed", "provider_400"),
        (AnymailRecipientsRefused(), "failed", "recipient_refused"),
    ],
)
def test_each_email_error_maps_to_retry_or_record(error, state, code):
    outcome = email_outcome(error)
    assert (outcome.state, outcome.code) == (state, code)


def test_a_refused_connection_is_retried_later_and_then_sent_once(smtp_server, settings, db):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    _, a, _b = pair()
    nudge = ping_delivered(a)
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nothing listens there

    deliveries_send(delivery_ids(nudge, "email"))
    row = Delivery.objects.get(nudge=nudge, channel="email")
    assert (row.state, row.last_error, row.attempts) == ("pending", "smtp_unreachable", 1)
    assert deliveries_send([row.pk]) == {}  # not due yet

    settings.EMAIL_PORT = good_port
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        assert deliveries_send([row.pk], now=timezone.now()) == {"sent": 1}
        assert deliveries_send([row.pk], now=timezone.now()) == {}
    assert len(smtp_server.envelopes) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)
