"""A person's language decides what Haven says to them: English and Spanish ship, people who
had chosen German or French read English (as they already did), prompts come in the reader's
language with English as the fallback and are edited side by side, the tone helper reads a
draft with the table of the language named or the writer's own, and a date or a time in a
nudge is written the way the recipient reads one."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import translation

from accounts.models import User
from checkins.models import Prompt
from nudges.inbox import nudge_copy
from nudges.models import Device
from nudges.services import device_register
from tests.factories import NudgeFactory, UserFactory
from tests.utils import assert_error_shape, client_for

accounts_0003 = importlib.import_module("accounts.migrations.0003_shipped_languages_en_es")
nudges_0008 = importlib.import_module("nudges.migrations.0008_shipped_languages_en_es")
checkins_0006 = importlib.import_module("checkins.migrations.0006_prompts_in_spanish")
seed_0002 = importlib.import_module("checkins.migrations.0002_seed_prompts")


def _apps(app: str, migration: str):
    return MigrationExecutor(connection).loader.project_state((app, migration)).apps


# --- Shipped languages --------------------------------------------------------------------------


def test_people_and_phones_on_german_or_french_move_to_english(db):
    people = {code: UserFactory(locale="en") for code in ("de", "fr", "es", "en")}
    User.objects.filter(pk=people["de"].pk).update(locale="de")
    User.objects.filter(pk=people["fr"].pk).update(locale="fr")
    User.objects.filter(pk=people["es"].pk).update(locale="es")
    phones = {
        code: device_register(
            user=people["en"], token=f"token-{code}", platform="android", locale=code
        )[0]
        for code in ("de", "fr", "es", "")
    }

    accounts_0003.move_unshipped_to_english(_apps("accounts", "0003_shipped_languages_en_es"), None)
    nudges_0008.move_unshipped_to_english(_apps("nudges", "0008_shipped_languages_en_es"), None)

    assert {code: User.objects.get(pk=p.pk).locale for code, p in people.items()} == {
        "de": "en",
        "fr": "en",
        "es": "es",
        "en": "en",
    }
    # A phone that never said stays unsaid: the person's own locale decides.
    assert {code: Device.objects.get(pk=d.pk).locale for code, d in phones.items()} == {
        "de": "en",
        "fr": "en",
        "es": "es",
        "": "",
    }


def test_only_shipped_languages_can_be_chosen(db):
    person = UserFactory()
    client = client_for(person)
    refused = client.patch("/api/v1/me", {"locale": "de"}, format="json")
    assert_error_shape(refused, 400, "invalid_choice", "validation_error")
    assert client.patch("/api/v1/me", {"locale": "es"}, format="json").status_code == 200
    assert client.get("/api/v1/me")["Content-Language"] == "es"


def test_without_a_person_the_browser_language_decides(db):
    response = Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert response.status_code == 401
    assert response["Content-Language"] == "es"
    english = Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert english["Content-Language"] == "en"  # German does not ship: English


# --- Prompts ------------------------------------------------------------------------------------


def test_every_seeded_prompt_has_its_spanish(db):
    seeded = list(seed_0002.seeded())
    prompts = Prompt.objects.in_bulk([pk for pk, *_rest in seeded])
    assert len(prompts) == len(seeded)
    assert all(p.translations.get("es") for p in prompts.values())
    assert all(p.text_in("es") != p.text for p in prompts.values())


def test_the_prompt_comes_in_the_readers_language_with_english_as_the_fallback(db):
    spanish, english = UserFactory(locale="es"), UserFactory(locale="en")
    Prompt.objects.update(is_active=False)
    prompt = Prompt.objects.create(
        text="What made you smile?",
        translations={"es": "¿Qué te hizo sonreír?"},
        depth="light",
        theme="everyday",
    )
    assert client_for(spanish).get("/api/v1/prompts/today").json()["text"] == (
        "¿Qué te hizo sonreír?"
    )
    assert client_for(english).get("/api/v1/prompts/today").json()["text"] == (
        "What made you smile?"
    )
    prompt.translations = {}
    prompt.save()
    # Not translated yet: the Spanish reader gets the English rather than nothing.
    assert client_for(spanish).get("/api/v1/prompts/today").json()["text"] == (
        "What made you smile?"
    )
    assert prompt.text_in("es-MX") == prompt.text
    prompt.translations = {"es": "¿Qué te hizo sonreír?"}
    assert prompt.text_in("es-MX") == "¿Qué te hizo sonreír?"


def test_the_spanish_migration_leaves_a_prompt_a_coach_rewrote_and_reverses_cleanly(db):
    (first_id, *_r, first_text), (second_id, *_s) = list(seed_0002.seeded())[:2]
    Prompt.objects.filter(pk=first_id).update(text="A coach's rewording?", translations={})
    Prompt.objects.filter(pk=second_id).update(translations={})
    apps = _apps("checkins", "0006_prompts_in_spanish")

    checkins_0006.translate(apps, None)
    assert Prompt.objects.get(pk=first_id).translations == {}  # rewritten: left to the coach
    assert Prompt.objects.get(pk=second_id).translations["es"]

    checkins_0006.untranslate(apps, None)
    assert Prompt.objects.get(pk=second_id).translations == {}
    assert first_text in checkins_0006.SPANISH


def test_a_coach_edits_a_prompt_in_every_language_side_by_side(db, coaches_group):
    coach = UserFactory(is_staff=True)
    coach.user_permissions.set(
        Permission.objects.filter(content_type__app_label="checkins", codename__endswith="_prompt")
    )
    client = Client()
    client.force_login(coach)
    prompt = Prompt.objects.filter(is_active=True).first()
    page = client.get(f"/admin/checkins/prompt/{prompt.pk}/change/", HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="text"' in html and 'name="text_es"' in html
    assert prompt.translations["es"] in html
    # Both boxes sit on one row of the form.
    assert page.context["adminform"].fieldsets[0][1]["fields"][0] == ("text", "text_es")

    changed = client.post(
        f"/admin/checkins/prompt/{prompt.pk}/change/",
        {
            "text": "What was the kindest moment of your day?",
            "text_es": "  ¿Cuál fue el momento más amable de tu día?  ",
            "depth": prompt.depth,
            "theme": prompt.theme,
            "is_active": "on",
        },
    )
    assert changed.status_code == 302, changed.content
    prompt.refresh_from_db()
    assert prompt.translations == {"es": "¿Cuál fue el momento más amable de tu día?"}

    client.post(
        f"/admin/checkins/prompt/{prompt.pk}/change/",
        {"text": prompt.text, "text_es": "", "depth": prompt.depth, "theme": prompt.theme},
    )
    prompt.refresh_from_db()
    assert prompt.translations == {}  # an empty box: not translated (readers get English)


# --- The tone helper's language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "language", "text", "code", "advice_starts"),
    [
        # The person's own locale picks the table, and the advice is in their language.
        ("es", None, "Nunca me escuchas.", "absolute_never", "«Nunca» es difícil"),
        ("en", None, "You never listen.", "absolute_never", "'Never' is hard"),
        # A named language picks the table; the advice stays in the person's language.
        ("en", "es", "Siempre llegas tarde.", "absolute_always", "'Always' can turn"),
        ("es", "en", "You always do this.", "absolute_always", "«Siempre» puede convertir"),
    ],
)
def test_tone_check_reads_the_language_named_or_the_writers_own(
    db, locale, language, text, code, advice_starts
):
    client = client_for(UserFactory(locale=locale))
    payload = {"text": text} if language is None else {"text": text, "language": language}
    response = client.post("/api/v1/tone/check", payload, format="json")
    assert response.status_code == 200, response.content
    [hint] = response.json()["tone_hints"]
    assert hint["code"] == code
    assert hint["suggestion"].startswith(advice_starts)


def test_tone_check_never_guesses_the_language_from_the_text(db):
    client = client_for(UserFactory(locale="en"))
    answer = client.post("/api/v1/tone/check", {"text": "Nunca me escuchas."}, format="json")
    assert answer.json()["tone_hints"] == []


def test_tone_check_refuses_a_language_haven_does_not_ship(db):
    client = client_for(UserFactory(locale="es"))
    response = client.post(
        "/api/v1/tone/check", {"text": "Jamais.", "language": "fr"}, format="json"
    )
    body = assert_error_shape(response, 400, "invalid_choice", "validation_error")
    assert body["errors"][0]["attr"] == "language"


def test_spanish_spans_point_into_the_text_as_typed_with_its_accents(db):
    text = "Oye… ¡tú SIEMPRE estás con el móvil! Y deberías escucharme."
    with translation.override("es"):
        from common.tone import tone_hints

        hints = tone_hints(text)
    assert [(h.code, text[h.start : h.end]) for h in hints] == [
        ("absolute_always", "tú SIEMPRE"),
        ("should_statement", "deberías"),
    ]


# --- Dates and times in what a nudge says -------------------------------------------------------


def test_a_moment_in_a_nudge_is_written_in_the_recipients_language_and_zone(db):
    spec = SimpleNamespace(title="%(actor)s", body="%(when)s · %(day)s")
    extra = {"when": dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC), "day": dt.date(2026, 3, 12)}
    madrid = UserFactory(locale="es", time_zone="Europe/Madrid")
    tokyo = UserFactory(locale="en", time_zone="Asia/Tokyo")
    with translation.override("en"):  # the worker's own language plays no part
        _title, spanish = nudge_copy(NudgeFactory(recipient=madrid), spec, extra)
    with translation.override("es"):
        _title, english = nudge_copy(NudgeFactory(recipient=tokyo), spec, extra)
    assert spanish == "10 de marzo de 2026 a las 12:00 · 12 de marzo de 2026"
    assert english == "March 10, 2026, 8 p.m. · March 12, 2026"
