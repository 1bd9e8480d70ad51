"""Issue 19: a Spanish speaker in crisis gets the same help. The Spanish danger table
(`common/safety/rules/es.py`) reads what a `tone/check` naming `es` is sent, and what a
person whose locale is `es` writes; the block's sentence is in Spanish. The words below are
ones the English table alone does not read as danger, so the help comes from the Spanish
table."""

from __future__ import annotations

import pytest
from django.utils import translation

from common.safety.answer import CALM_SENTENCE
from common.safety.danger import signals_danger

pytestmark = pytest.mark.usefixtures("crisis_lines", "prompt_library")

DANGER_ES = (
    "Me dijo que si lo dejo me mata.",
    "No me siento segura en casa cuando bebe.",
    "Ya no quiero estar aquí.",
    "Me revisa el teléfono todas las noches.",
    "No es que le tenga miedo, pero me empujó contra la pared.",
)
PLAIN_ES = "El domingo fue tranquilo, me muero de ganas de verte."


def _calm_in_spanish() -> str:
    with translation.override("es"):
        return str(CALM_SENTENCE)


def test_the_english_table_alone_would_miss_these_words():
    for text in DANGER_ES:
        assert signals_danger([text], language="es"), text
        assert not signals_danger([text], language="en"), text
    assert not signals_danger([PLAIN_ES], language="es")


def test_tone_check_naming_spanish_answers_with_help(couple):
    calm = _calm_in_spanish()
    with translation.override("en"):  # a request before may have left Spanish active
        assert calm != str(CALM_SENTENCE)
    couple.a.locale = "es"
    couple.a.save(update_fields=["locale"])
    plain = couple.client_a.post(
        "/api/v1/tone/check", {"text": PLAIN_ES, "language": "es"}, format="json"
    )
    assert plain.status_code == 200 and "safety" not in plain.json()
    for text in DANGER_ES:
        response = couple.client_a.post(
            "/api/v1/tone/check", {"text": text, "language": "es"}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["safety"]["message"] == calm, text


def test_a_person_whose_locale_is_spanish_gets_help_on_a_write(couple):
    couple.a.locale = "es"
    couple.a.time_zone = "Europe/Madrid"
    couple.a.save(update_fields=["locale", "time_zone"])
    response = couple.client_a.post("/api/v1/appreciations", {"text": DANGER_ES[1]}, format="json")
    assert response.status_code == 201, response.content
    safety = response.json()["safety"]
    assert safety["message"] == _calm_in_spanish()
    assert safety["resources"]["country"] == "ES"
    assert "112" in [line["phone"] for line in safety["resources"]["emergency"]]
    # The partner's own answers never carry it.
    assert "safety" not in couple.client_b.get("/api/v1/appreciations").content.decode()


def test_plain_spanish_words_on_a_write_get_no_block(couple):
    couple.a.locale = "es"
    couple.a.save(update_fields=["locale"])
    response = couple.client_a.post("/api/v1/appreciations", {"text": PLAIN_ES}, format="json")
    assert response.status_code == 201, response.content
    assert "safety" not in response.json()
