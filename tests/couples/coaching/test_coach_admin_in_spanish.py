"""A coach who reads the admin in Spanish finds Haven's own words there in Spanish: on every
page a coach can reach, no English sentence of Haven's catalogue is left (Django's own admin
words come from Django's Spanish catalogue)."""

from __future__ import annotations

import re
from html import unescape

from common.i18n import catalogue_path, read_catalogue
from tests.couples.coaching.content import grant_active, plant_content

COUPLES = "/admin/couples/couple/"


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _english_sentences() -> list[str]:
    """Haven's English messages that read as words (not a code) and whose Spanish differs."""
    found = []
    for message in read_catalogue(catalogue_path("es"), "es"):
        if not isinstance(message.id, str) or not message.id or message.id == message.string:
            continue
        if len(message.id) >= 6 and " " in message.id and "%" not in message.id:
            found.append(message.id)
    return found


def test_the_coachs_pages_read_in_spanish(couple, coach, coach_client):
    plant_content(couple)
    grant_active(couple, coach)
    pages = [
        "/admin/",
        COUPLES,
        f"{COUPLES}{couple.couple.pk}/change/",
        "/admin/checkins/prompt/",
        "/admin/checkins/prompt/add/",
    ]
    english = _english_sentences()
    for url in pages:
        response = coach_client.get(url, HTTP_ACCEPT_LANGUAGE="es")
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        left = [sentence for sentence in english if sentence in text]
        assert left == [], (url, left)
    page = coach_client.get(f"{COUPLES}{couple.couple.pk}/change/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Acuerdos" in page.content.decode()
