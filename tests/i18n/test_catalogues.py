"""The catalogue of every shipped language is complete: every message the code marks is in
it, translated, not fuzzy, with the same placeholders as the English. A new string in the
code fails here until it is extracted (`make messages`) and translated."""

from __future__ import annotations

import io

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from common.i18n import (
    catalogue_messages,
    catalogue_path,
    catalogue_problems,
    compile_catalogues,
    language_of,
    placeholders,
    read_catalogue,
    shipped_languages,
    source_messages,
    translated_languages,
)


def test_shipped_languages_are_exactly_english_and_spanish():
    assert shipped_languages() == ("en", "es")
    assert settings.LANGUAGE_CODE == "en"


@pytest.mark.parametrize("language", translated_languages())
def test_catalogue_is_complete(language):
    catalog = read_catalogue(catalogue_path(language), language)
    problems = catalogue_problems(catalog)
    print(f"{language}: {len(catalogue_messages(catalog))} messages, {len(problems)} problems")
    assert problems == []


@pytest.mark.parametrize("language", translated_languages())
def test_catalogue_holds_every_message_the_code_marks(language):
    in_code = source_messages()
    in_catalogue = catalogue_messages(read_catalogue(catalogue_path(language), language))
    missing = sorted(in_code - in_catalogue)
    assert missing == [], f"run `make messages` and translate: {missing[:10]}"
    # And nothing stale: a message no code uses any more is gone (`--no-obsolete`).
    assert sorted(in_catalogue - in_code) == []


def _catalogue(text: str):
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    return read_po(io.BytesIO((header + text).encode()), locale="es")


def test_problems_name_a_missing_a_fuzzy_and_a_changed_placeholder():
    catalog = _catalogue(
        'msgid "Hello"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Bye"\nmsgstr "Adiós"\n\n'
        'msgid "%(actor)s is here"\nmsgstr "%(actora)s está aquí"\n\n'
        'msgid "{count} left"\nmsgstr "quedan {cuenta}"\n\n'
        'msgid "%(a)s and %(b)s"\nmsgstr "%(b)s y %(a)s"\n'
    )
    problems = catalogue_problems(catalog)
    assert [problem.split(":")[0] for problem in problems] == [
        "untranslated",
        "fuzzy",
        "placeholders differ",
        "placeholders differ",
    ]


def test_placeholders_are_counted_and_percent_signs_are_not_ones():
    assert placeholders("%(actor)s and %s and {name} at 100%%") == {
        "%(actor)s": 1,
        "%s": 1,
        "{name}": 1,
    }


def test_compiling_needs_nothing_but_python(tmp_path):
    po = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_bytes(catalogue_path("es").read_bytes())
    written = compile_catalogues(["es"], [tmp_path])
    assert written == [po.with_suffix(".mo")]
    assert compile_catalogues(["es"], [tmp_path]) == []  # up to date: left alone
    assert compile_catalogues(["es"], [tmp_path], force=True) == written


def test_the_compiled_catalogue_is_the_one_django_reads():
    with translation.override("es"):
        assert translation.gettext("Thinking of you") != "Thinking of you"


def test_a_person_reads_their_own_language_and_english_for_anything_else():
    class Person:
        locale = "es"

    assert language_of(Person()) == "es"
    Person.locale = "de"
    assert language_of(Person()) == "en"
    Person.locale = ""
    assert language_of(Person()) == "en"
