"""Haven in Spanish, end to end: Lucía signs up with `locale: es` (from a browser that asks
for English), confirms her address, pairs with Mateo, reads today's prompt, checks in, gets
the bridge, receives Mateo's "thinking of you" in her inbox and by email, opens the email's
unsubscribe page, switches Haven to English and back, takes some space, and is told, in
Spanish, that Mateo ended the couple. Every text she receives while her locale is Spanish,
in every response and email, is either an entry of the Spanish catalogue (with its
placeholders filled by words a person typed, or by another entry), a prompt's Spanish text,
or words a person typed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.utils.translation import trans_real
from rest_framework.test import APIClient

from checkins.models import Prompt
from nudges.channels.sending import deliveries_send
from nudges.models import Nudge
from tests.factories import UserFactory
from tests.nudges.delivering import NOON, deliver, delivery_ids
from tests.utils import APP, SIGNUP_CONSENT, bearer, client_for, last_emailed_code, login, today_for

PASSWORD = "un paseo tranquilo al atardecer"
# Words the two people type, and nothing else may reach Lucía untranslated.
LUCIA, MATEO = "Lucía", "Mateo"
SHARED_NOTE = "Nunca me escuchas cuando llego cansada del trabajo."
PROMPT_ANSWER = "Las tardes en la playa de Cádiz."
MATEO_NOTE = "Hoy me apetece estar cerca."

# Keys whose values are words for a person to read (everything else is a code, an id, a
# date or a number).
TEXT_KEYS = {
    "detail",
    "title",
    "body",
    "text",
    "summary",
    "gesture_for_partner",
    "reassurance",
    "suggestion",
    "i_statement",
    "excerpt",
    "inviter_display_name",
    "display_name",
    "shared_note",
    "prompt_answer",
}
_PLACEHOLDER = re.compile(r"%\\\(\w+\\\)[sd]|%[sd]|\\\{\w*\\\}")
_RAW_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
_URL = re.compile(r"https?://\S+")
_CODE_LINE = re.compile(r"^[A-Z0-9]{4}-?[A-Z0-9]{4}$|^[A-Z0-9]{6}$")


@cache
def _spanish_entries() -> tuple[re.Pattern[str], ...]:
    """Every Spanish entry Haven runs with (its own catalogue and Django's, DRF's and
    allauth's, as merged at run time), as patterns whose placeholders match anything."""
    catalog = trans_real.translation("es")._catalog
    texts = {
        value
        for _key, value in catalog.items()
        if isinstance(value, str)
        # An entry made only of placeholders ("%s") would say nothing of its language.
        and len(re.sub(r"[\W\d_]", "", _RAW_PLACEHOLDER.sub("", value))) >= 3
    }
    return tuple(
        re.compile(_PLACEHOLDER.sub("(.+?)", re.escape(text)), re.DOTALL)
        for text in sorted(texts, key=len, reverse=True)
    )


def _typed() -> set[str]:
    return {LUCIA, MATEO, SHARED_NOTE, PROMPT_ANSWER, MATEO_NOTE}


def _prompt_texts() -> set[str]:
    return {p.translations["es"] for p in Prompt.objects.all() if (p.translations or {}).get("es")}


def _is_spanish_or_typed(text: str) -> bool:
    text = text.strip()
    if not text or text in _typed() or text in _prompt_texts():
        return True
    if any(text in typed for typed in _typed()):  # an excerpt of a typed text
        return True
    for pattern in _spanish_entries():
        match = pattern.fullmatch(text)
        parts = match.groups() if match else ()
        if match and all(len(part) < len(text) and _is_spanish_or_typed(part) for part in parts):
            return True
    return False


def _texts_in(data: Any, key: str | None = None) -> Iterator[str]:
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _texts_in(value, name)
    elif isinstance(data, list):
        for item in data:
            yield from _texts_in(item, key)
    elif isinstance(data, str) and key in TEXT_KEYS:
        yield data


class Received:
    """Everything Lucía is shown, kept for the one check at the end (and after each step)."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []

    def response(self, step: str, response) -> Any:
        assert response.status_code < 500, response.content
        assert response["Content-Language"] == "es", (step, response["Content-Language"])
        body = response.json() if response.content else None
        self.add(step, _texts_in(body))
        return body

    def email(self, step: str, message) -> None:
        subject = message.subject.removeprefix("[Haven] ")
        lines = [_URL.sub("", line).strip() for line in message.body.splitlines()]
        self.add(step, [subject, *(line for line in lines if not _CODE_LINE.match(line))])

    def add(self, step: str, texts: Iterable[str]) -> None:
        for text in texts:
            self.texts.append((step, text))
            assert _is_spanish_or_typed(text), f"{step}: not Spanish: {text!r}"


@pytest.fixture
def at_noon():
    with time_machine.travel(NOON, tick=True):
        yield NOON


def test_lucia_lives_in_haven_in_spanish(db, at_noon):
    seen = Received()
    client = APIClient()
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}

    # Sign up with locale es, from a browser that asks for English: the person's choice wins.
    signup = client.post(
        f"{APP}/auth/signup",
        {
            "email": "lucia@example.com",
            "password": PASSWORD,
            "display_name": LUCIA,
            "time_zone": "Europe/Madrid",
            "locale": "es",
            **SIGNUP_CONSENT,
        },
        format="json",
        **english_browser,
    )
    assert signup.status_code == 401, signup.content
    [confirmation] = mail.outbox
    seen.email("confirmation email", confirmation)
    assert "Escríbelo en la app" in confirmation.body
    verify = client.post(
        f"{APP}/auth/email/verify",
        {"key": last_emailed_code()},
        format="json",
        HTTP_X_SESSION_TOKEN=signup.json()["meta"]["session_token"],
    )
    assert verify.status_code == 200, verify.content
    tokens = login(client, "lucia@example.com", PASSWORD)
    lucia = client.get("/api/v1/me", **bearer(tokens["access"]), **english_browser)
    me = seen.response("me", lucia)
    assert me["locale"] == "es"
    headers = {**bearer(tokens["access"]), **english_browser}

    # Pair: Mateo invites, Lucía previews and accepts.
    mateo = UserFactory(display_name=MATEO, locale="es", time_zone="Europe/Madrid")
    mateo_client = client_for(mateo)
    code = mateo_client.post("/api/v1/invites").json()["code"]
    seen.response("invite preview", client.get(f"/api/v1/invites/{code}", **headers))
    seen.response("accept", client.post(f"/api/v1/invites/{code}/accept", **headers))

    # A mistake on the way gets a Spanish answer.
    today = today_for(mateo).isoformat()
    empty = client.put(f"/api/v1/checkins/{today}", {}, format="json", **headers)
    assert empty.status_code == 400
    assert seen.response("empty check-in", empty)["errors"][0]["detail"] == (
        "Di algo, aunque sea solo cómo te sientes, o marca «hoy paso»."
    )

    # Today's prompt, in Spanish.
    prompt = seen.response("prompt", client.get("/api/v1/prompts/today", **headers))
    assert prompt["text"] in _prompt_texts()

    # Check in (wanting some space), with a note that earns a Spanish tone hint.
    mine = client.put(
        f"/api/v1/checkins/{today}",
        {"mood": 3, "dial": -2, "shared_note": SHARED_NOTE, "prompt_answer": PROMPT_ANSWER},
        format="json",
        **headers,
    )
    assert mine.status_code in (200, 201), mine.content
    checkin = seen.response("check-in", mine)
    [hint] = checkin["tone_hints"]
    assert (hint["code"], hint["excerpt"]) == ("absolute_never", "Nunca")
    assert hint["suggestion"].startswith("«Nunca» es difícil de oír")

    # Mateo checks in wanting closeness: the bridge is there for Lucía, in Spanish.
    partner = mateo_client.put(
        f"/api/v1/checkins/{today}",
        {"mood": 4, "dial": 2, "shared_note": MATEO_NOTE},
        format="json",
    )
    assert partner.status_code in (200, 201), partner.content
    day = seen.response("today", client.get("/api/v1/checkins/today", **headers))
    bridge = day["bridge"]
    assert bridge is not None and bridge["kind"] == "side_by_side"
    assert "Hoy te apetece algo de espacio" in bridge["summary"]
    assert bridge["reassurance"]  # she asked for space: a line to send with one tap

    # Mateo thinks of her: the inbox and the email say so in Spanish.
    assert mateo_client.post("/api/v1/pings", {}, format="json").status_code == 201
    nudge = deliver(Nudge.objects.get(kind="ping", recipient__email="lucia@example.com"))
    inbox = seen.response("inbox", client.get("/api/v1/notifications", **headers))
    [notification] = inbox["results"]
    assert notification["title"] == "Pienso en ti"
    assert notification["body"] == "Mateo está pensando en ti. No hace falta responder."

    mail.outbox.clear()
    deliveries_send(delivery_ids(nudge, "email"))
    [email] = mail.outbox
    seen.email("ping email", email)
    assert email.subject == "Algo nuevo en Haven"  # discreet by default: names nobody
    assert '<html lang="es">' in email.alternatives[0][0]

    # The unsubscribe page the email links to speaks Spanish too, whatever the browser asks.
    page_url = _URL.findall(email.body)[-1]
    page = APIClient().get(urlsplit(page_url).path, **english_browser)
    assert page.status_code == 200
    assert page["Content-Language"] == "es"
    assert "¿Dejar de recibir estos correos?" in page.content.decode()

    # She switches Haven to English for a while: the next words reach her in English...
    english = client.patch("/api/v1/me", {"locale": "en"}, format="json", **headers)
    assert english.json()["locale"] == "en"
    assert mateo_client.post("/api/v1/pings", {}, format="json").status_code == 201
    pings = Nudge.objects.filter(kind="ping", recipient__email="lucia@example.com")
    deliver(pings.latest("due_at"))
    newest = client.get("/api/v1/notifications", **headers).json()["results"][0]
    assert (newest["title"], newest["body"]) == (
        "Thinking of you",
        "Mateo is thinking of you. No reply needed.",
    )
    # ...and back to Spanish, where she takes some space and hears what Mateo leaves her.
    client.patch("/api/v1/me", {"locale": "es"}, format="json", **headers)
    space = client.post(
        "/api/v1/couple/space",
        {"check_back_at": (at_noon + dt.timedelta(hours=3)).isoformat()},
        format="json",
        **headers,
    )
    assert space.status_code in (200, 201), space.content
    seen.response("space", space)
    assert client.delete("/api/v1/couple/space", **headers).status_code in (200, 204)

    # Mateo ends the couple: Lucía is told gently, in Spanish.
    assert mateo_client.post("/api/v1/couple/end", {}, format="json").status_code == 200
    deliver(Nudge.objects.get(kind="couple_ended", recipient__email="lucia@example.com"))
    # (The English "thinking of you" stays in her inbox as it was written when it arrived.)
    ended = client.get("/api/v1/notifications", **headers).json()["results"][0]
    seen.add("couple ended", [ended["title"], ended["body"]])
    assert ended["title"] == "Tu pareja en Haven ha terminado"
    gone = client.get("/api/v1/couple", **headers)
    assert seen.response("no couple", gone)["errors"][0]["detail"].startswith(
        "Tu pareja en Haven ha terminado."
    )

    # Everything she received was Spanish or typed by a person, and she received plenty.
    steps = {step for step, _text in seen.texts}
    assert len(seen.texts) >= 20 and len(steps) >= 12, seen.texts


def test_the_check_tells_spanish_from_english(db):
    assert _is_spanish_or_typed("Pienso en ti")
    assert _is_spanish_or_typed("Mateo está pensando en ti. No hace falta responder.")
    assert not _is_spanish_or_typed("Thinking of you")
    assert not _is_spanish_or_typed("Mateo is thinking of you. No reply needed.")
    # A placeholder is filled by typed words or another entry, never by just anything.
    assert not _is_spanish_or_typed("Alguien está pensando en ti. No hace falta responder.")
